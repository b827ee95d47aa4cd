//! Accounts: register, log in, log out, who am I. The session (tower-sessions, an
//! `HttpOnly`, `SameSite=Strict` cookie) holds only the account id.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The logged-in account, as the app sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub username: String,
    /// `applicant` or `reviewer`.
    pub role: String,
}

#[cfg(feature = "ssr")]
pub(crate) const SESSION_ACCOUNT: &str = "account_id";

/// The day the session was last renewed (see [`current_account`]).
#[cfg(feature = "ssr")]
const SESSION_RENEWED: &str = "renewed_on";

#[cfg(feature = "ssr")]
fn view(a: &beian_store::Account) -> AccountView {
    AccountView {
        username: a.username.clone(),
        role: match a.role {
            beian_store::Role::Applicant => "applicant".into(),
            beian_store::Role::Reviewer => "reviewer".into(),
        },
    }
}

#[cfg(feature = "ssr")]
pub(crate) async fn session() -> Result<tower_sessions::Session, ServerFnError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|_| crate::error::refuse(500, "session.unavailable", "no session"))
}

/// The logged-in account, or a 401 `auth.required`.
///
/// A session lasts a week after its last day of use. The session layer counts that week
/// from the session's last change, not its last use, so the first use on each day changes
/// the session (the day it was renewed), which saves it with a new expiry and cookie: one
/// write a day, not one per request.
#[cfg(feature = "ssr")]
pub(crate) async fn current_account() -> Result<beian_store::Account, ServerFnError> {
    let session = session().await?;
    let id: Option<String> = session.get(SESSION_ACCOUNT).await.ok().flatten();
    let Some(id) = id else {
        return Err(crate::error::refuse(401, "auth.required", "log in first"));
    };
    let today = crate::today();
    let renewed: Option<chrono::NaiveDate> = session.get(SESSION_RENEWED).await.ok().flatten();
    if renewed != Some(today) {
        // Not renewed: the session still lasts a week from its last change.
        let _ = session.insert(SESSION_RENEWED, today).await;
    }
    let store = expect_context::<beian_store::Store>();
    store.account(&id).await.map_err(crate::error::store_error)
}

#[cfg(feature = "ssr")]
async fn start_session(account: &beian_store::Account) -> Result<(), ServerFnError> {
    let session = session().await?;
    // A new session id at login prevents session fixation.
    session.cycle_id().await.map_err(|_| crate::error::refuse(500, "session.unavailable", "no session"))?;
    session
        .insert(SESSION_ACCOUNT, account.id.clone())
        .await
        .map_err(|_| crate::error::refuse(500, "session.unavailable", "no session"))
}

/// Registers an applicant account (an e-mail address and a password of 10 characters or
/// more) and logs it in.
#[server(prefix = "/api", endpoint = "register", input = crate::codec::Json)]
pub async fn register(username: String, password: String) -> Result<AccountView, ServerFnError> {
    let store = expect_context::<beian_store::Store>();
    let account = store.register(&username, &password).await.map_err(crate::error::store_error)?;
    start_session(&account).await?;
    Ok(view(&account))
}

/// Logs in.
#[server(prefix = "/api", endpoint = "login", input = crate::codec::Json)]
pub async fn login(username: String, password: String) -> Result<AccountView, ServerFnError> {
    let store = expect_context::<beian_store::Store>();
    let account = store.login(&username, &password).await.map_err(crate::error::store_error)?;
    start_session(&account).await?;
    Ok(view(&account))
}

/// Logs out (drafts stay saved on the server).
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    let session = session().await?;
    session.flush().await.map_err(|_| crate::error::refuse(500, "session.unavailable", "no session"))
}

/// The logged-in account, if any.
#[server(prefix = "/api", endpoint = "me")]
pub async fn me() -> Result<Option<AccountView>, ServerFnError> {
    match current_account().await {
        Ok(a) => Ok(Some(view(&a))),
        Err(_) => Ok(None),
    }
}
