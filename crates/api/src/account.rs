//! Accounts: register, log in, log out, who am I.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The logged-in account, as the app sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// The account's e-mail address; the app keeps a draft in browser storage per account.
    pub username: String,
    /// `applicant` or `reviewer`.
    pub role: String,
}

#[cfg(feature = "ssr")]
fn view(a: &beian_store::Account) -> AccountView {
    AccountView { username: a.username.clone(), role: beian_rules::wire::name(&a.role) }
}

/// Registers an applicant account (an e-mail address and a password of 10 characters or
/// more) and logs it in.
#[server(prefix = "/api", endpoint = "register", input = crate::codec::Json)]
pub async fn register(username: String, password: String) -> Result<AccountView, ApiError> {
    crate::session::attempt(None).await?;
    let account = crate::session::store().register(&username, &password).await?;
    crate::session::start(&crate::session::current().await?, &account).await?;
    Ok(view(&account))
}

/// Logs in.
#[server(prefix = "/api", endpoint = "login", input = crate::codec::Json)]
pub async fn login(username: String, password: String) -> Result<AccountView, ApiError> {
    crate::session::attempt(Some(&username.trim().to_lowercase())).await?;
    let account = crate::session::store().login(&username, &password).await?;
    crate::session::start(&crate::session::current().await?, &account).await?;
    Ok(view(&account))
}

/// Logs out (drafts stay saved on the server).
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    crate::session::end(&crate::session::current().await?).await
}

/// The logged-in account, if any.
#[server(prefix = "/api", endpoint = "me")]
pub async fn me() -> Result<Option<AccountView>, ApiError> {
    Ok(crate::session::current_account().await.ok().map(|a| view(&a)))
}
