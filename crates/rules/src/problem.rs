//! Findings: what a check says, as a stable code with parameters — never prose.
//!
//! The app turns a [`Code`] into words in zh-CN and en (its match on `Code` is exhaustive, so
//! a new code without words does not compile); the server maps the same codes to field paths.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// Every code a check can return. The string form (`"resident_id.checksum"`) is the
        /// stable API; never rename one, add a new one instead.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($(#[$doc])* $variant,)* }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable string form.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// Parses the stable string form.
            pub fn parse(text: &str) -> Option<Code> {
                match text { $($text => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    // Generic field checks.
    Required = "field.required",
    TooLong = "field.too_long",
    // Resident ID card (GB 11643-1999).
    ResidentIdFormat = "resident_id.format",
    ResidentIdFirstGeneration = "resident_id.first_generation",
    ResidentIdRegion = "resident_id.region",
    ResidentIdBirthDate = "resident_id.birth_date",
    ResidentIdBirthDateFuture = "resident_id.birth_date_future",
    ResidentIdChecksum = "resident_id.checksum",
    /// The number opens with 81, 82 or 83: a Hong Kong, Macao or Taiwan residence permit's.
    ResidentIdIsResidencePermit = "resident_id.residence_permit_number",
    // Unified social credit code (GB 32100-2015).
    UsccFormat = "uscc.format",
    UsccAlphabet = "uscc.alphabet",
    UsccRegion = "uscc.region",
    UsccChecksum = "uscc.checksum",
    /// A known early code that fails the checksum but is legal: a warning.
    UsccLegacyChecksum = "uscc.legacy_checksum",
    UsccSubjectTypeMismatch = "uscc.subject_type_mismatch",
    // Travel documents and permits.
    PassportFormat = "passport.format",
    HkMacaoPermitFormat = "hk_macao_permit.format",
    TaiwanPermitFormat = "taiwan_permit.format",
    ForeignPermanentResidentIdFormat = "foreign_permanent_resident_id.format",
    ResidencePermitFormat = "residence_permit.format",
    // Phones and e-mail.
    MobileFormat = "mobile.format",
    MobileSegment = "mobile.segment",
    PhoneFormat = "phone.format",
    EmailFormat = "email.format",
    // Domains.
    DomainFormat = "domain.format",
    DomainHasScheme = "domain.has_scheme",
    DomainLabel = "domain.label",
    /// A label (in its Unicode form) begins or ends with a hyphen, or has two in 3rd and 4th place.
    DomainLabelHyphen = "domain.label_hyphen",
    DomainTooLong = "domain.too_long",
    DomainIp = "domain.ip_address",
    DomainNotRegistrable = "domain.not_registrable",
    DomainTldNotApproved = "domain.tld_not_approved",
    /// No longer produced (a suffix off the approved list is `domain.tld_not_approved` since
    /// the second audit); kept so that stored findings still read.
    DomainTldUnknown = "domain.tld_unknown",
    DomainGovernmentOnly = "domain.government_only",
    DomainGovernmentTld = "domain.government_tld_required",
    // Website names.
    WebsiteNameTooShort = "website_name.too_short",
    WebsiteNameLatinOrDigitsOnly = "website_name.latin_or_digits_only",
    WebsiteNameSymbols = "website_name.symbols",
    WebsiteNameIsDomain = "website_name.is_domain",
    WebsiteNameSensitiveWord = "website_name.sensitive_word",
    WebsiteNameReservedPrefix = "website_name.reserved_prefix",
    WebsiteNameIndividualWord = "website_name.individual_word",
    /// An individual's site name ends with a word that may not close it ("XX资讯").
    WebsiteNameIndividualSuffix = "website_name.individual_suffix",
    WebsiteNameProvinceWord = "website_name.province_word",
    WebsiteNameJiangsuIndividualPattern = "website_name.jiangsu_individual_pattern",
    // ICP numbers.
    IcpNumberFormat = "icp_number.format",
    IcpNumberProvince = "icp_number.province",
    IcpNumberSerial = "icp_number.serial",
    IcpNumberWrongProvince = "icp_number.wrong_province",
    // Service codes.
    ServiceCodeFormat = "service_code.format",
    ServiceCodeUsed = "service_code.used",
    ServiceCodeUnknown = "service_code.unknown",
    /// The same code on two websites: each code serves one website.
    ServiceCodeDuplicate = "service_code.duplicate",
    /// The websites without a code need more codes than the instance can still issue.
    ServiceCodeNotEnoughLeft = "service_code.not_enough_left",
    // Certificates and people.
    CertificateTypeNotAllowed = "certificate.type_not_allowed",
    CertificateExpiresSoon = "certificate.expires_soon",
    CertificateExpired = "certificate.expired",
    PersonTooYoung = "person.too_young",
    PersonMinorNeedsProof = "person.minor_needs_proof",
    PersonForeignerNotAccepted = "person.foreigner_not_accepted",
    PersonNotLocal = "person.not_local",
    PersonNeedsResidencePermit = "person.needs_residence_permit",
    PrincipalsMustDiffer = "principals.must_differ",
    PrincipalsMustBeSame = "principals.must_be_same",
    PrincipalsSharedMobile = "principals.shared_mobile",
    PrincipalsSharedEmail = "principals.shared_email",
    PrincipalMobileNotLocal = "principal.mobile_not_local_checked_on_submit",
    PrincipalEmergencySameAsMobile = "principal.emergency_same_as_mobile",
    LegalRepresentativeRequired = "principal.legal_representative_required",
    // Subject and addresses.
    AddressOutsideProvince = "address.outside_province",
    SubjectCrossProvince = "subject.cross_province",
    SubjectNameMissing = "subject.name_missing",
    /// One account holds one filing subject: this account has filed another one.
    SubjectOfAnotherFiling = "subject.not_this_accounts",
    DomainHolderMismatch = "website.domain_holder_mismatch",
    DuplicateDomain = "website.duplicate_domain",
    /// The domain's registration ends within the months a filing needs.
    DomainExpiresSoon = "website.domain_expires_soon",
    // Application-level.
    TooManyWebsites = "application.too_many_websites",
    /// More documents than any filing names: refused before any work.
    TooManyDocuments = "application.too_many_documents",
    NoWebsite = "application.no_website",
    DocumentMissing = "document.missing",
    /// A document the application names that this account never uploaded (or that does
    /// not exist): checked when submitting.
    DocumentNotUploaded = "document.not_uploaded",
    /// A document the application names that belongs to another order of the account.
    DocumentOtherOrder = "document.other_order",
    /// A document named as one kind that was uploaded as another.
    DocumentWrongKind = "document.wrong_kind",
    PreApprovalRequired = "website.pre_approval_required",
    IndividualCommercialContent = "website.individual_commercial_content",
    // The provider's review and the administration: reasons a reviewer gives, on a field
    // (the catalogue is `lifecycle::REJECTION_REASONS`).
    ReviewWebsiteName = "review.website_name",
    ReviewDomainHolder = "review.domain_holder",
    ReviewDomainNotVerified = "review.domain_not_verified",
    ReviewDocumentUnreadable = "review.document_unreadable",
    ReviewDocumentExpired = "review.document_expired",
    ReviewAddress = "review.address",
    ReviewPrincipalUnreachable = "review.principal_unreachable",
    ReviewPreApproval = "review.pre_approval",
    ReviewCrossProvince = "review.cross_province",
    ReviewLegalRepresentative = "review.legal_representative",
    ReviewPhone = "review.phone",
    ReviewAuthenticityStatement = "review.authenticity_statement",
    ReviewFilingType = "review.filing_type",
    ReviewIdentityVerification = "review.identity_verification",
    ReviewOther = "review.other",
    /// The MIIT's text message was not verified within its deadline.
    ReviewSmsDeadlineMissed = "review.sms_deadline_missed",
    /// The administration rejected the filing (its reason in the note).
    ReviewAuthorityRejected = "review.authority_rejected",
    // Need-a-filing check.
    NeedNotMainland = "need.not_mainland",
    NeedMainlandServer = "need.mainland_server",
    NeedMainlandCdn = "need.mainland_cdn",
    NeedOssCustomDomain = "need.oss_custom_domain",
    NeedOwnServerIsp = "need.own_server_isp",
    NeedAppOnly = "need.app_only",
    /// Apps and mini-programs are filed since 2023-09-01.
    NeedAppFiling = "need.app_filing",
    CommercialLicenseRequired = "need.commercial_license_required",
    // Instance eligibility.
    InstanceNotMainland = "instance.not_mainland",
    InstancePayAsYouGo = "instance.pay_as_you_go",
    InstanceSubscriptionTooShort = "instance.subscription_too_short",
    InstanceRemainingTooShort = "instance.remaining_too_short",
    InstanceExpired = "instance.expired",
    InstanceNoPublicBandwidth = "instance.no_public_bandwidth",
    InstanceProductNotEligible = "instance.product_not_eligible",
    InstanceNoCodesLeft = "instance.no_service_codes_left",
    InstanceUnknownRegion = "instance.unknown_region",
    InstanceFreeTrial = "instance.free_trial",
    /// The product needs a single order of at least this amount.
    InstanceOrderTooSmall = "instance.order_too_small",
    // Path finder.
    PathFirstFiling = "path.first_filing",
    PathAddWebsite = "path.add_website",
    PathAddWebsiteSubjectElsewhere = "path.add_website_subject_elsewhere",
    PathTransferIn = "path.transfer_in",
    PathTransferInExistingSubject = "path.transfer_in_existing_subject",
    PathChange = "path.change",
    PathCancelWebsite = "path.cancel_website",
    PathCancelSubject = "path.cancel_subject",
    PathCancelTransfer = "path.cancel_transfer",
    PathClaimLegacy = "path.claim_legacy",
    PathDnsChangeOnly = "path.dns_change_only",
    PathNotRequired = "path.not_required",
    /// Only object storage, the domain filed with another provider: nothing to transfer.
    PathOssFiledElsewhere = "path.oss_filed_elsewhere",
    PathOpenOrder = "path.blocked_open_order",
    PathChangeWithAdd = "path.blocked_change_with_add",
    PathNothingFiledHere = "path.blocked_nothing_filed_here",
    PathSubjectFirstFilingPending = "path.blocked_subject_first_filing_pending",
    PathDomainFiledByOtherSubject = "path.blocked_domain_filed_by_other_subject",
    PathTransferBeforeAdd = "path.blocked_transfer_before_add",
    PathEmptyShell = "path.blocked_empty_shell",
    PathHichinaImportFirst = "path.blocked_hichina_import_first",
    PathSubjectInOtherAccount = "path.blocked_subject_in_other_account",
    // The filing record (after approval).
    /// The path starts from a filing record of this account, and there is none (or it was
    /// cancelled).
    RecordNotFiledHere = "record.not_filed_here",
    /// The subject's ICP number is not the record's.
    RecordSubjectNumber = "record.subject_number",
    /// A website's number is not one of the record's websites hosted here.
    RecordWebsiteUnknown = "record.website_unknown",
    /// A website's number is not one of the subject's (`<subject number>-N`).
    RecordWebsiteNumber = "record.website_number",
    /// The website is filed already under this subject.
    RecordWebsiteAlreadyFiled = "record.website_already_filed",
    /// The subject's information differs from the record: change it first, in its own order.
    RecordSubjectChanged = "record.subject_changed",
    /// A new website on a path that takes the website's existing number (a transfer, a claim).
    RecordWebsiteNumberMissing = "record.website_number_missing",
    /// A website with a number on a path that adds new websites: it is filed already.
    RecordNewWebsiteHasNumber = "record.new_website_has_number",
    /// A change changes nothing.
    ChangeNothingChanged = "change.nothing_changed",
    /// A change cannot change this field (the province, the subject type or certificate
    /// number, a website's domain): cancel and file again.
    ChangeFixedField = "change.fixed_field",
    /// A change adds no website (add it in its own order, after the change).
    ChangeAddsWebsite = "change.adds_website",
    /// A cancellation's consequences were not confirmed.
    CancelNotConfirmed = "cancel.not_confirmed",
    /// Websites are cancelled one at a time.
    CancelOneWebsite = "cancel.one_website",
    /// Nothing was chosen to cancel (or to transfer out).
    CancelNothingChosen = "cancel.nothing_chosen",
    // The rules themselves.
    /// The date asked about is before the earliest date the sources reach.
    BeforeSources = "rules.before_sources",
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Code::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown code {text:?}")))
    }
}

/// Whether a finding stops the filing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The filing cannot go ahead until this is fixed.
    Error,
    /// Worth a look; does not stop the filing.
    Warning,
}

/// One thing a check found: a code, its severity, the field it belongs to and parameters
/// for the message (`{"word": "论坛"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The field path (`websites[0].domain`); empty for a single field's own check.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field: String,
    /// Values for the message.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// The rule pack entry behind this finding, if it comes from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

impl Finding {
    /// An error without parameters.
    pub fn error(code: Code) -> Self {
        Finding { code, severity: Severity::Error, field: String::new(), params: BTreeMap::new(), rule: None }
    }

    /// A warning without parameters.
    pub fn warning(code: Code) -> Self {
        Finding { severity: Severity::Warning, ..Finding::error(code) }
    }

    /// Adds a parameter.
    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    /// Names the rule pack entry behind the finding.
    pub fn by_rule(mut self, rule: &str) -> Self {
        self.rule = Some(rule.to_owned());
        self
    }

    /// Puts the finding on a field path.
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when no finding is an error.
pub fn passes(findings: &[Finding]) -> bool {
    !findings.iter().any(Finding::is_error)
}
