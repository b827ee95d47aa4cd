//! The session's account: one function for server functions and for the backend's own
//! handlers (uploads). The session (tower-sessions, an `HttpOnly`, `SameSite=Strict` cookie)
//! holds only the account id and the day it was last renewed.

use beian_store::{Account, Store};
use tower_sessions::Session;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// The session key of the account id.
const ACCOUNT: &str = "account_id";
/// The session key of the day the session was last renewed.
const RENEWED: &str = "renewed_on";

/// The logged-in account of `session`, or a 401 `auth.required`.
///
/// A session lasts a week after its last day of use. The session layer counts that week
/// from the session's last change, not its last use, so the first use on each day changes
/// the session (the day it was renewed), which saves it with a new expiry and cookie: one
/// write a day, not one per request.
pub async fn account_of(session: &Session, store: &Store) -> ApiResult<Account> {
    let id: Option<String> = session.get(ACCOUNT).await.ok().flatten();
    let Some(id) = id else {
        return Err(ApiError::new(ErrorCode::AuthRequired));
    };
    let today = crate::today();
    let renewed: Option<chrono::NaiveDate> = session.get(RENEWED).await.ok().flatten();
    if renewed != Some(today) {
        // Not renewed: the session still lasts a week from its last change.
        let _ = session.insert(RENEWED, today).await;
    }
    Ok(store.account(&id).await?)
}

/// Starts a session for `account` with a new session id (which prevents session fixation).
pub async fn start(session: &Session, account: &Account) -> ApiResult<()> {
    let unavailable = |_| ApiError::new(ErrorCode::SessionUnavailable);
    session.cycle_id().await.map_err(unavailable)?;
    session.insert(ACCOUNT, account.id.clone()).await.map_err(unavailable)
}

/// Ends the session.
pub async fn end(session: &Session) -> ApiResult<()> {
    session.flush().await.map_err(|_| ApiError::new(ErrorCode::SessionUnavailable))
}

/// The session of the request a server function runs for.
pub(crate) async fn current() -> ApiResult<Session> {
    leptos_axum::extract::<Session>().await.map_err(|_| ApiError::new(ErrorCode::SessionUnavailable))
}

/// The store a server function runs with.
pub(crate) fn store() -> Store {
    leptos::prelude::expect_context::<Store>()
}

/// The logged-in account of the request a server function runs for.
pub(crate) async fn current_account() -> ApiResult<Account> {
    account_of(&current().await?, &store()).await
}
