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
/// The session key of the time (Unix seconds) of the login that started it.
const STARTED: &str = "started_at";

/// How long a session lasts after its login, however much it is used.
pub const ABSOLUTE_LIFETIME_SECONDS: i64 = 12 * 60 * 60;

/// The logged-in account of `session`, or a 401 `auth.required`.
///
/// A session lasts a week after its last day of use, and never more than twelve hours after
/// its login. The session layer counts the week from the session's last change, not its last
/// use, so the first use on each day changes the session (the day it was renewed), which
/// saves it with a new expiry and cookie: one write a day, not one per request.
pub async fn account_of(session: &Session, store: &Store) -> ApiResult<Account> {
    let id: Option<String> = session.get(ACCOUNT).await.ok().flatten();
    let Some(id) = id else {
        return Err(ApiError::new(ErrorCode::AuthRequired));
    };
    let started: Option<i64> = session.get(STARTED).await.ok().flatten();
    if started.is_none_or(|t| chrono::Utc::now().timestamp() - t > ABSOLUTE_LIFETIME_SECONDS) {
        let _ = session.flush().await;
        return Err(ApiError::new(ErrorCode::AuthRequired));
    }
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
    session.insert(STARTED, chrono::Utc::now().timestamp()).await.map_err(unavailable)?;
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

/// The address of the client of the request a server function runs for: the connection's,
/// or, behind a trusted reverse proxy, the last `X-Forwarded-For` entry (the one the proxy
/// appended).
pub(crate) async fn client_address(trust_forwarded_for: bool) -> Option<std::net::IpAddr> {
    if trust_forwarded_for {
        let headers = leptos_axum::extract::<axum::http::HeaderMap>().await.ok()?;
        let forwarded = headers.get("x-forwarded-for")?.to_str().ok()?;
        return forwarded.rsplit(',').next()?.trim().parse().ok();
    }
    let axum::extract::ConnectInfo(address) = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>().await.ok()?;
    Some(address.ip())
}

/// Counts a login or registration attempt against the process's limits (none when the
/// server runs without a throttle): `account` is the username tried at, for logins.
pub(crate) async fn attempt(account: Option<&str>) -> ApiResult<()> {
    let Some(throttle) = leptos::prelude::use_context::<std::sync::Arc<crate::throttle::Throttle>>() else { return Ok(()) };
    let address = client_address(throttle.trust_forwarded_for).await;
    throttle.attempt(address, account)
}

/// The logged-in account of the request a server function runs for.
pub(crate) async fn current_account() -> ApiResult<Account> {
    account_of(&current().await?, &store()).await
}
