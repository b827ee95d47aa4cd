//! The one error type of the API: a status, a stable [`ErrorCode`], the field it belongs to
//! (by the rules crate's field paths) and its parameters, carried as JSON — from the store's
//! refusals (one conversion, [`From<StoreError>`]) through the server-function layer
//! (Leptos's [`FromServerFnError`]) and axum (`IntoResponse`, in the backend) to the app,
//! which shows the generated words for its code on its field and in the error summary.

use std::collections::BTreeMap;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::codes::ErrorCode;

/// An API error: `{"status", "code", "message", "field"?, "params"?}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// The HTTP status it is answered with (0: the server was not reached).
    pub status: u16,
    pub code: ErrorCode,
    /// English words for readers of the API; the app shows its own words for the code (and
    /// does not read these: the table of messages stays out of its wasm).
    #[cfg_attr(not(feature = "ssr"), serde(skip_deserializing))]
    pub message: String,
    /// The field it belongs to, by the rules crate's field paths (`service_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl ApiError {
    /// An error with the code's status and (on the server) its message.
    pub fn new(code: ErrorCode) -> ApiError {
        let message = if cfg!(feature = "ssr") { code.message().to_owned() } else { String::new() };
        ApiError { status: code.status(), code, message, field: None, params: BTreeMap::new() }
    }

    /// The same error, on `field`.
    pub fn at(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// The same error with a parameter.
    pub fn with(mut self, key: &str, value: impl ToString) -> ApiError {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    /// The same error, its message followed by `detail` (what exactly was malformed).
    pub fn detail(mut self, detail: &str) -> ApiError {
        if !detail.is_empty() {
            self.message = format!("{}: {detail}", self.message);
        }
        self
    }

    /// A refusal made of a rules finding whose code is an error code too (the bounds of a
    /// request: `application.too_many_websites`), with its field and parameters.
    pub fn from_finding(finding: &beian_rules::Finding) -> ApiError {
        let mut e = ApiError::new(ErrorCode::parse(finding.code.as_str()).unwrap_or(ErrorCode::RequestInvalid));
        if !finding.field.is_empty() {
            e.field = Some(finding.field.clone());
        }
        for (k, v) in &finding.params {
            e.params.insert(k.clone(), v.clone());
        }
        e
    }

    /// True when the call may have been carried out all the same: no answer came back, or a
    /// gateway's or the server's failure did.
    pub fn outcome_unknown(&self) -> bool {
        self.code == ErrorCode::RequestNetwork || self.status >= 500
    }

    /// The rules crate's finding for this error, when its code is also a rules code and it
    /// belongs to a field: the app shows it on the field like the browser's own findings.
    pub fn finding(&self) -> Option<beian_rules::Finding> {
        let code = beian_rules::Code::parse(self.code.as_str())?;
        let field = self.field.as_deref()?;
        let mut finding = beian_rules::Finding::error(code).at(field);
        for (k, v) in &self.params {
            finding = finding.with(k, v);
        }
        Some(finding)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code.as_str(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ErrorCode::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown error code {text:?}")))
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    /// The server-function layer's own failures: the caller's malformed arguments are 400s;
    /// a request that never reached the server is `request.network`.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(d) | ServerFnErrorErr::MissingArg(d) | ServerFnErrorErr::Deserialization(d) => {
                ApiError::new(ErrorCode::RequestInvalid).detail(&d)
            }
            ServerFnErrorErr::Registration(_) => ApiError::new(ErrorCode::ApiNotFound),
            ServerFnErrorErr::UnsupportedRequestMethod(_) => ApiError::new(ErrorCode::RequestMethod),
            ServerFnErrorErr::Request(_) => ApiError::new(ErrorCode::RequestNetwork),
            ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_)
            | ServerFnErrorErr::Serialization(_)
            | ServerFnErrorErr::Response(_) => ApiError::new(ErrorCode::Internal),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<beian_store::StoreError> for ApiError {
    /// Refusals keep their meaning; failures are logged here, with what the caller must not
    /// see, and answered as 5xx with a code only.
    fn from(e: beian_store::StoreError) -> Self {
        use beian_store::{Refusal as R, StoreError};
        use ErrorCode as C;
        let refusal = match e {
            StoreError::Refused(r) => r,
            StoreError::Corrupt { .. } => {
                tracing::error!(error = %e, code = "stored_data.unreadable", "stored data unreadable");
                return ApiError::new(C::StoredDataUnreadable);
            }
            StoreError::Database(_) | StoreError::Files(_) => {
                tracing::error!(error = %e, "storage failed");
                return ApiError::new(C::Internal);
            }
        };
        match refusal {
            R::UsernameInvalid => ApiError::new(C::UsernameInvalid).at("username"),
            R::PasswordTooShort => ApiError::new(C::PasswordTooShort).at("password"),
            R::PasswordTooLong => ApiError::new(C::PasswordTooLong).at("password"),
            R::UsernameTaken => ApiError::new(C::UsernameTaken).at("username"),
            R::WrongCredentials => ApiError::new(C::AuthWrongCredentials).at("username"),
            R::AuthRequired => ApiError::new(C::AuthRequired),
            R::InstanceNotFound => ApiError::new(C::InstanceNotFound),
            R::InstanceUnknownAccount => ApiError::new(C::InstanceUnknownAccount),
            R::InstanceNotEligible => ApiError::new(C::InstanceNotEligible),
            R::ServiceCodeUnknown => ApiError::new(C::ServiceCodeUnknown).at("websites[0].service_code"),
            R::ServiceCodeUsed => ApiError::new(C::ServiceCodeUsed).at("websites[0].service_code"),
            R::OrderNotFound => ApiError::new(C::OrderNotFound),
            R::PathHasNoOrder => ApiError::new(C::OrderPathHasNoOrder),
            R::OpenOrderExists => ApiError::new(C::OrderOpenOrderExists),
            R::OrderNotDraft => ApiError::new(C::OrderNotDraft),
            R::OrderChangedMeanwhile(current) => ApiError::new(C::OrderChangedMeanwhile).with("current_version", current),
            R::UploadOrderNotDraft => ApiError::new(C::UploadOrderNotDraft),
            R::OrderCannotWithdraw => ApiError::new(C::OrderCannotWithdraw),
            R::TransitionForbidden => ApiError::new(C::OrderTransitionForbidden),
            R::TransitionNotAllowed => ApiError::new(C::OrderTransitionNotAllowed),
            R::SubjectOfAnotherFiling => ApiError::new(C::SubjectOfAnotherFiling).at("subject.certificate_number"),
            R::RequirementMissing(requirement) => ApiError::new(C::OrderRequirementMissing).with("requirement", beian_rules::wire::name(&requirement)),
            R::IcpNumberTaken => ApiError::new(C::IcpNumberTaken).at("numbers"),
            R::FilingNotFound => ApiError::new(C::FilingNotFound),
            R::RecordRequired => ApiError::new(C::RecordNotFiledHere),
            R::RecordRefused(code) => ApiError::new(C::FilingNotApplicable).with("code", code.as_str()),
            R::DocumentNotFound => ApiError::new(C::DocumentNotFound),
            R::DocumentEmpty => ApiError::new(C::DocumentEmpty),
            R::DocumentTooLarge => ApiError::new(C::DocumentTooLarge),
            R::DocumentTypeNotAccepted => ApiError::new(C::DocumentTypeNotAccepted),
        }
    }
}

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.params.get("retry_after").and_then(|s| axum::http::HeaderValue::from_str(s).ok());
        let mut response = (status, axum::Json(self)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds);
        }
        response
    }
}

/// The result of a server function.
pub type ApiResult<T> = Result<T, ApiError>;
