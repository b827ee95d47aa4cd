//! Server functions shared by the app (client stubs) and the backend (bodies, `ssr`).
//!
//! Every function has an explicit endpoint under `/api`, so the URLs are stable, and answers
//! errors as one type, [`ApiError`] (a status, a stable code, a field, parameters). The public
//! check API ([`check`]) takes JSON and needs no login (`docs/api.md`); the rest works on the
//! logged-in account of the session ([`session`]).

pub mod account;
pub mod check;
pub mod codec;
pub mod codes;
pub mod error;
pub mod filings;
pub mod instances;
pub mod lifecycle;
pub mod lookup;
pub mod orders;
#[cfg(feature = "ssr")]
pub mod authority;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use account::*;
pub use check::*;
pub use error::{ApiError, ApiResult, ErrorCode};
pub use filings::*;
pub use instances::*;
pub use lifecycle::*;
pub use lookup::*;
pub use orders::*;

/// Today on the server (UTC): the day the rules are applied as of, unless a caller of the
/// public check API asks about another.
#[cfg(feature = "ssr")]
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The provider's policy the server runs with (the backend provides it to every server
/// function; the built-in default otherwise).
#[cfg(feature = "ssr")]
pub(crate) fn policy() -> std::sync::Arc<beian_rules::ProviderPolicy> {
    use_context::<std::sync::Arc<beian_rules::ProviderPolicy>>().unwrap_or_default()
}

/// What the backend says about itself; the start page shows it as proof that the app
/// and the backend talk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackendStatus {
    /// The backend's version.
    pub version: String,
    /// The rules crate's version the backend runs.
    pub rules_version: String,
    /// How many rule pack entries the backend's rules crate holds.
    pub rules: usize,
    /// How many provider instances the database holds.
    pub instances: i64,
}

/// The backend's version and a count from its database.
#[server(prefix = "/api", endpoint = "status")]
pub async fn status() -> Result<BackendStatus, ApiError> {
    Ok(BackendStatus {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        rules_version: beian_rules::VERSION.to_owned(),
        rules: beian_rules::pack::rules().len(),
        instances: session::store().instance_count().await?,
    })
}

/// Registers every server function with the axum integration. Explicit, so that the list
/// of endpoints is written down once and does not depend on the linker keeping the
/// automatic registrations of this crate.
#[cfg(feature = "ssr")]
pub fn register_server_functions() {
    use leptos::server_fn::axum::register_explicit as r;
    r::<Status>();
    r::<CheckInstance>();
    r::<NeedFiling>();
    r::<DeterminePath>();
    r::<ValidateField>();
    r::<GetRequirements>();
    r::<ValidateApplication>();
    r::<Register>();
    r::<Login>();
    r::<Logout>();
    r::<Me>();
    r::<MyInstances>();
    r::<ApplyServiceCode>();
    r::<MyServiceCodes>();
    r::<CreateOrder>();
    r::<SaveDraft>();
    r::<SubmitOrder>();
    r::<WithdrawOrder>();
    r::<AbandonOrder>();
    r::<GetOrder>();
    r::<MyOrders>();
    r::<ReviseOrder>();
    r::<ProvideIdentity>();
    r::<ConfirmSms>();
    r::<MyNotifications>();
    r::<MarkNotificationsRead>();
    r::<ReviewQueue>();
    r::<ReviewOrder>();
    r::<ReviewAct>();
    r::<MyFilings>();
    r::<StartFromFiling>();
    r::<FilingFacts>();
}
