//! Every code an API error can carry, with its HTTP status and a short English message for
//! people reading the API directly (the app shows its own words, in both languages).
//!
//! This file depends on nothing: the app's build script includes it too (`#[path]`) to write
//! one match arm per code, so a code without words in both languages fails the app's build.
//! Codes that are also rules codes (`service_code.used`) share the rules code's words.
//! The string form is the stable API: never rename one, add a new one instead.

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal, $status:literal, $message:literal;)*) => {
        /// Every code an API error can carry.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode { $($(#[$doc])* $variant,)* }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable string form.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* }
            }

            /// Parses the stable string form.
            pub fn parse(text: &str) -> Option<ErrorCode> {
                match text { $($text => Some(ErrorCode::$variant),)* _ => None }
            }

            /// The HTTP status this code is answered with.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            /// A short English message for readers of the API.
            pub fn message(self) -> &'static str {
                match self { $(ErrorCode::$variant => $message,)* }
            }
        }
    };
}

error_codes! {
    // The request itself.
    RequestInvalid = "request.invalid", 400, "the request is malformed: check the JSON, the fields and their types";
    RequestTooLarge = "request.too_large", 413, "the request body is too large";
    RequestCrossSite = "request.cross_site", 403, "cross-site requests are refused";
    RequestTimeout = "request.timeout", 408, "the request took too long";
    RequestMethod = "request.method", 405, "this endpoint takes POST";
    /// The app could not reach the server (never sent by the server).
    RequestNetwork = "request.network", 0, "the server could not be reached";
    ApiNotFound = "api.not_found", 404, "no such API endpoint";
    Internal = "internal", 500, "the server could not answer; try again";
    DatabaseUnavailable = "database.unavailable", 503, "the database is not ready";
    /// `/metrics` without the operator's bearer token.
    MetricsTokenRequired = "metrics.token_required", 401, "send the metrics token as `Authorization: Bearer <token>`";
    SessionUnavailable = "session.unavailable", 500, "the session could not be read or saved";
    /// A stored row that no longer decodes: logged with its id; nothing is overwritten.
    StoredDataUnreadable = "stored_data.unreadable", 500, "stored data could not be read; the operator has been told";
    /// More websites than the rule pack allows in one order (or than any filing has): no work
    /// is done on it.
    ApplicationTooManyWebsites = "application.too_many_websites", 422, "the application holds more websites than one order may";
    ApplicationTooManyDocuments = "application.too_many_documents", 422, "the application names more documents than any filing";
    // Accounts and sessions.
    AuthRequired = "auth.required", 401, "log in first";
    AuthWrongCredentials = "auth.wrong_credentials", 401, "the e-mail address or the password is wrong";
    /// Too many logins or registrations from this address, or at this account: the answer's
    /// `Retry-After` header (and `retry_after` parameter) says how many seconds to wait.
    AuthTooManyAttempts = "auth.too_many_attempts", 429, "too many attempts: wait and try again";
    UsernameInvalid = "account.username_invalid", 400, "the username must be an e-mail address";
    PasswordTooShort = "account.password_too_short", 400, "the password must have 10 characters or more";
    PasswordTooLong = "account.password_too_long", 400, "the password is too long";
    UsernameTaken = "account.username_taken", 409, "an account with this e-mail address exists";
    // Instances and service codes.
    InstanceNotFound = "instance.not_found", 404, "no such instance";
    InstanceUnknownAccount = "instance.unknown_account", 400, "the instance names an owner that has no account";
    InstanceNotEligible = "instance.not_eligible", 409, "this instance cannot be used for a filing";
    ServiceCodeUnknown = "service_code.unknown", 400, "this service code was not issued to this account";
    ServiceCodeUsed = "service_code.used", 409, "this service code has been used";
    // Orders.
    OrderNotFound = "order.not_found", 404, "no such order";
    OrderPathHasNoOrder = "order.path_has_no_order", 400, "this filing path needs no order";
    OrderOpenOrderExists = "order.open_order_exists", 409, "the account has an open order: finish or withdraw it first";
    OrderNotDraft = "order.not_draft", 409, "the order is not a draft";
    OrderChangedMeanwhile = "order.changed_meanwhile", 409, "the order was changed meanwhile: read it again";
    OrderCannotWithdraw = "order.cannot_withdraw", 409, "the order cannot be withdrawn now";
    OrderTransitionForbidden = "order.transition_forbidden", 403, "this account may not do this to the order";
    OrderTransitionNotAllowed = "order.transition_not_allowed", 409, "the order's status does not allow this";
    SubjectOfAnotherFiling = "subject.not_this_accounts", 409, "this account holds another filing subject";
    /// The lifecycle needs something the order lacks (`requirement`: reasons,
    /// identity_evidence, icp_numbers, sms_deadline_passed, timeout_passed).
    OrderRequirementMissing = "order.requirement_missing", 409, "this step needs something the order lacks";
    IcpNumberTaken = "icp_number.taken", 409, "this ICP number is another filing's";
    FilingNotFound = "filing.not_found", 404, "no such filing record of this account";
    /// Shares the rules code's words.
    RecordNotFiledHere = "record.not_filed_here", 409, "this path starts from a filing record of this account, and there is none";
    FilingNotApplicable = "filing.not_applicable", 409, "the approval cannot be applied to the filing record (see params.code)";
    SmsWrongCode = "sms.wrong_code", 400, "the code is not the one in the text message";
    // The public lookup.
    LookupQueryInvalid = "lookup.query_invalid", 400, "give a domain, an ICP number or a subject's name (at most 253 characters)";
    // Documents and uploads.
    DocumentNotFound = "document.not_found", 404, "no such document";
    DocumentEmpty = "document.empty", 400, "the file is empty";
    DocumentTooLarge = "document.too_large", 413, "the file is too large";
    DocumentTypeNotAccepted = "document.type_not_accepted", 415, "the file is not a JPEG, PNG, GIF or PDF";
    UploadNotMultipart = "upload.not_multipart", 400, "send the document as multipart/form-data";
    UploadMalformed = "upload.malformed", 400, "the upload is malformed";
    UploadUnknownKind = "upload.unknown_kind", 400, "unknown document kind";
    UploadKindFirst = "upload.kind_first", 400, "send the kind field before the file";
    UploadNoFile = "upload.no_file", 400, "no file field";
    UploadOrderNotDraft = "upload.order_not_draft", 409, "documents are uploaded for a draft order of this account";
}
