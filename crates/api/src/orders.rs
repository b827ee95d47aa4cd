//! Filing orders: create one for the determined path, save drafts (every save re-validated
//! with the rules crate and the findings stored), submit (full validation, documents and
//! service codes checked and bound), and the applicant's side of the lifecycle: withdraw,
//! abandon, revise after a rejection, identity evidence, the MIIT's SMS; read with its
//! timeline, what to do next and by when, the reasons of a rejection, the ICP numbers.

use beian_rules::lifecycle::Action;
#[cfg(feature = "ssr")]
use beian_rules::lifecycle::Actor;
use beian_rules::requirements::Requirements;
use beian_rules::{Application, FilingPath, Finding, OrderStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::{session, today};

/// One entry of an order's timeline.
pub use crate::lifecycle::{FilingView, NextStep, SmsView, TimelineEntry};

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
    /// What the applicant can do now (withdraw, abandon, revise).
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Who acts next, and by when.
    #[serde(default)]
    pub next: Option<NextStep>,
    /// The reasons of the last rejection, as findings on their fields (until it is submitted
    /// again).
    #[serde(default)]
    pub reasons: Vec<Finding>,
    /// The timeline: the order's history, oldest first (read with one order, not in lists).
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// The MIIT's text message while it waits for verification.
    #[serde(default)]
    pub sms: Option<SmsView>,
    /// The applicant has provided identity evidence.
    #[serde(default)]
    pub identity_provided: bool,
    /// The filing record and its ICP numbers, once approved.
    #[serde(default)]
    pub filing: Option<FilingView>,
    /// The filing record the order works on (a change, a cancellation, an addition, a
    /// transfer of another website), as it stands: what a change is compared with.
    #[serde(default)]
    pub record: Option<beian_rules::record::FilingRecord>,
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

/// An order as the app shows it in a list: its answers, status and what the applicant can do.
#[cfg(feature = "ssr")]
pub(crate) fn view(order: beian_store::OrderRecord) -> OrderView {
    let requirements = match (order.application.province, order.application.subject.subject_type) {
        (Some(p), Some(s)) => Some(beian_rules::requirements(p, s, order.path, today())),
        _ => None,
    };
    let (route, _) = beian_rules::lifecycle::route(&order.application, today());
    let actions = beian_rules::lifecycle::actions(order.status, Actor::Applicant, route);
    OrderView {
        id: order.id,
        path: order.path,
        status: order.status,
        version: order.version,
        can_withdraw: actions.contains(&Action::Withdraw),
        actions,
        next: None,
        reasons: Vec::new(),
        timeline: Vec::new(),
        sms: None,
        identity_provided: false,
        filing: None,
        record: None,
        application: order.application,
        findings: order.findings,
        requirements,
        created_at: order.created_at,
        updated_at: order.updated_at,
    }
}

/// `view` with the record its order works on.
#[cfg(feature = "ssr")]
pub(crate) async fn with_record(mut view: OrderView) -> Result<OrderView, ApiError> {
    if beian_rules::record::needs_record(view.path) {
        view.record = session::store().filing_of_order(&view.id).await?.map(|f| f.record());
    }
    Ok(view)
}

/// Creates a draft order for `path` (one open order per account); a path that starts from a
/// filing record starts from the account's only one (else `start_from_filing` names it).
#[server(prefix = "/api", endpoint = "create_order", input = crate::codec::Json)]
pub async fn create_order(path: FilingPath) -> Result<OrderView, ApiError> {
    let account = session::current_account().await?;
    with_record(view(session::store().create_order(&account.id, path).await?)).await
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
    let mut view = view(saved.order);
    view.record = saved.record;
    Ok(view)
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
        beian_store::Submission::Accepted(order) => SubmitResult { accepted: true, order: crate::lifecycle::detailed(order, false).await? },
        beian_store::Submission::Refused(order) => SubmitResult { accepted: false, order: view(order) },
    })
}

/// Withdraws a submitted order back to draft (allowed while it is with the provider, as the
/// seeds describe).
#[server(prefix = "/api", endpoint = "withdraw_order", input = crate::codec::Json)]
pub async fn withdraw_order(order_id: String) -> Result<OrderView, ApiError> {
    crate::lifecycle::applicant_act(&order_id, Action::Withdraw).await
}

/// Takes a rejected order back to draft to fix what the reasons name, then submit again.
#[server(prefix = "/api", endpoint = "revise_order", input = crate::codec::Json)]
pub async fn revise_order(order_id: String) -> Result<OrderView, ApiError> {
    crate::lifecycle::applicant_act(&order_id, Action::Revise).await
}

/// Reads one order (its owner, or a reviewer) with its timeline, the reasons of a rejection,
/// the next step and by when, the SMS to verify and the ICP numbers.
#[server(prefix = "/api", endpoint = "get_order", input = crate::codec::Json)]
pub async fn get_order(order_id: String) -> Result<OrderView, ApiError> {
    let account = session::current_account().await?;
    let order = session::store().order(&account, &order_id).await?;
    crate::lifecycle::detailed(order, account.role == beian_store::Role::Applicant).await
}

/// The applicant's orders, newest first; the open one (if any) with its details.
#[server(prefix = "/api", endpoint = "my_orders")]
pub async fn my_orders() -> Result<Vec<OrderView>, ApiError> {
    let account = session::current_account().await?;
    let mut out = Vec::new();
    for order in session::store().orders_of(&account.id).await? {
        out.push(if order.status.is_open() { crate::lifecycle::detailed(order, true).await? } else { view(order) });
    }
    Ok(out)
}

/// Abandons an order (a draft, or one rejected by the provider or the administration): it
/// closes, and a new order can start. Its service code stays used.
#[server(prefix = "/api", endpoint = "abandon_order", input = crate::codec::Json)]
pub async fn abandon_order(order_id: String) -> Result<OrderView, ApiError> {
    crate::lifecycle::applicant_act(&order_id, Action::Abandon).await
}
