//! Filing orders: create one for the determined path, save drafts (every save re-validated
//! with the rules crate and the findings stored), submit (full validation, the service code
//! checked and bound), withdraw, read with status, next steps and deadlines.

use beian_rules::requirements::Requirements;
use beian_rules::{Application, FilingPath, Finding, OrderStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::{session, today};

/// An order as the app shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub path: FilingPath,
    pub status: OrderStatus,
    /// Increases with every save; submit names the version it validated.
    pub version: i64,
    pub application: Application,
    /// The findings of the latest save (or of a refused submission).
    pub findings: Vec<Finding>,
    /// What the filing needs, for its province and subject type, as of today.
    pub requirements: Option<Requirements>,
    /// True when the applicant may withdraw it now.
    pub can_withdraw: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// The answer of `submit_order`: accepted, or refused with every problem by field path
/// (nothing is stored as submitted then).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmitResult {
    pub accepted: bool,
    pub order: OrderView,
}

#[cfg(feature = "ssr")]
fn view(order: beian_store::OrderRecord) -> OrderView {
    let requirements = match (order.application.province, order.application.subject.subject_type) {
        (Some(p), Some(s)) => Some(beian_rules::requirements(p, s, order.path, today())),
        _ => None,
    };
    OrderView {
        id: order.id,
        path: order.path,
        status: order.status,
        version: order.version,
        can_withdraw: order.status.can_withdraw(),
        application: order.application,
        findings: order.findings,
        requirements,
        created_at: order.created_at,
        updated_at: order.updated_at,
    }
}

/// Creates a draft order for `path` (one open order per account).
#[server(prefix = "/api", endpoint = "create_order", input = crate::codec::Json)]
pub async fn create_order(path: FilingPath) -> Result<OrderView, ApiError> {
    let account = session::current_account().await?;
    Ok(view(session::store().create_order(&account.id, path).await?))
}

/// Saves the draft's answers, made from `base_version` (the version the caller's view was
/// made from); the server validates them again and stores the findings. A save from a stale
/// view is a 409 `order.changed_meanwhile` with the current version (`current_version`):
/// nothing acknowledged is replaced.
#[server(prefix = "/api", endpoint = "save_draft", input = crate::codec::Json)]
pub async fn save_draft(order_id: String, base_version: i64, application: Application) -> Result<OrderView, ApiError> {
    let account = session::current_account().await?;
    let date = today();
    beian_rules::application::within_bounds(&application, date).map_err(|f| ApiError::from_finding(&f))?;
    let saved = session::store()
        .save_draft(&account.id, &order_id, base_version, application, |a| {
            // What is stored with every version is bounded like every answer.
            let mut findings = beian_rules::validate_application(a, date);
            crate::check::cap_findings(&mut findings);
            findings
        })
        .await?;
    Ok(view(saved))
}

/// Submits the saved draft of `version`: one decision on that stored version, refused (with
/// the findings, nothing stored) unless every rule passes, every document named was uploaded
/// by this account for this order as that kind, and every service code is the account's and
/// unused.
#[server(prefix = "/api", endpoint = "submit_order", input = crate::codec::Json)]
pub async fn submit_order(order_id: String, version: i64) -> Result<SubmitResult, ApiError> {
    let account = session::current_account().await?;
    let date = today();
    let submitted = session::store().submit(&account.id, &order_id, version, |a| beian_rules::checked::check_application(a, date)).await?;
    Ok(match submitted {
        beian_store::Submission::Accepted(order) => SubmitResult { accepted: true, order: view(order) },
        beian_store::Submission::Refused(order) => SubmitResult { accepted: false, order: view(order) },
    })
}

/// Withdraws a submitted order back to draft (allowed during the provider's review and
/// identity verification, as the seeds describe).
#[server(prefix = "/api", endpoint = "withdraw_order", input = crate::codec::Json)]
pub async fn withdraw_order(order_id: String) -> Result<OrderView, ApiError> {
    let account = session::current_account().await?;
    Ok(view(session::store().transition(&account, &order_id, OrderStatus::Draft).await?))
}

/// Reads one order (its owner, or a reviewer).
#[server(prefix = "/api", endpoint = "get_order", input = crate::codec::Json)]
pub async fn get_order(order_id: String) -> Result<OrderView, ApiError> {
    let account = session::current_account().await?;
    Ok(view(session::store().order(&account, &order_id).await?))
}

/// The applicant's orders, newest first.
#[server(prefix = "/api", endpoint = "my_orders")]
pub async fn my_orders() -> Result<Vec<OrderView>, ApiError> {
    let account = session::current_account().await?;
    Ok(session::store().orders_of(&account.id).await?.into_iter().map(view).collect())
}

/// Abandons an order (a draft, or one rejected by the provider or the administration): it
/// closes, and a new order can start. Its service code stays used.
#[server(prefix = "/api", endpoint = "abandon_order", input = crate::codec::Json)]
pub async fn abandon_order(order_id: String) -> Result<OrderView, ApiError> {
    let account = session::current_account().await?;
    Ok(view(session::store().transition(&account, &order_id, OrderStatus::Abandoned).await?))
}
