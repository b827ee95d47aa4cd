//! The store's errors: a refusal (the caller asked for something the rules of storage do not
//! allow, each with its own variant), or a failure (the database, the files, or stored data
//! that no longer decodes).

/// Why the store refused a request. The API maps each one to its status, its stable code and,
/// where it belongs to one, its field (`beian_api::ApiError`'s `From<StoreError>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    // Accounts.
    UsernameInvalid,
    PasswordTooShort,
    PasswordTooLong,
    UsernameTaken,
    WrongCredentials,
    /// The session names no account (it was deleted, or never existed).
    AuthRequired,
    // Instances and service codes.
    InstanceNotFound,
    /// The import names an owner that has no account.
    InstanceUnknownAccount,
    InstanceNotEligible,
    ServiceCodeUnknown,
    ServiceCodeUsed,
    // Orders.
    OrderNotFound,
    PathHasNoOrder,
    OpenOrderExists,
    OrderNotDraft,
    /// Another save or submission changed the order since the caller read it; the order's
    /// current version.
    OrderChangedMeanwhile(i64),
    /// An upload names an order that is not this account's draft.
    UploadOrderNotDraft,
    OrderCannotWithdraw,
    TransitionForbidden,
    TransitionNotAllowed,
    /// The lifecycle needs something the order lacks for this transition (reasons, identity
    /// evidence, valid ICP numbers, a passed deadline).
    RequirementMissing(beian_rules::lifecycle::Requirement),
    /// The administration's number is already another filing's.
    IcpNumberTaken,
    /// One account holds one filing subject: this account holds another one.
    SubjectOfAnotherFiling,
    // Filing records.
    /// No such record of this account.
    FilingNotFound,
    /// The path starts from a filing record of the account, and it has none (or none that is
    /// still filed).
    RecordRequired,
    /// An approval cannot be applied to the record (why, as the rules crate's code).
    RecordRefused(beian_rules::Code),
    // Documents.
    DocumentNotFound,
    DocumentEmpty,
    DocumentTooLarge,
    DocumentTypeNotAccepted,
}

/// A refusal or a failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("documents: {0}")]
    Files(#[from] std::io::Error),
    /// A stored row that no longer decodes: an error, never an empty value that a later
    /// write would replace the real one with.
    #[error("stored data unreadable: {what} {id}: {detail}")]
    Corrupt { what: &'static str, id: String, detail: String },
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        StoreError::Refused(r)
    }
}

impl StoreError {
    /// The refusal, if this is one.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            StoreError::Refused(r) => Some(*r),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Decodes a stored JSON value, or says which row is unreadable.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(what: &'static str, id: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt { what, id: id.to_owned(), detail: e.to_string() })
}

/// Parses a stored enum value (`draft`), or says which row is unreadable.
pub(crate) fn decode_enum<T: serde::de::DeserializeOwned>(what: &'static str, id: &str, text: &str) -> Result<T> {
    beian_rules::wire::parse(text).ok_or_else(|| StoreError::Corrupt { what, id: id.to_owned(), detail: format!("unknown value {text:?}") })
}

/// True when `e` is a unique constraint refusing a row (SQLite and PostgreSQL alike): the
/// race a check before the insert cannot close on PostgreSQL, decided by the constraint.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}
