//! The lifecycle's server functions: the applicant's identity evidence, the MIIT's SMS and
//! notices; the reviewer's queue, an order's review page and the reviewer's actions
//! (approve, reject with reasons on fields, identity, submission to the administration, the
//! administration's decision recorded by hand). Every transition is the rules crate's state
//! machine applied by the store (`Store::act`).

use beian_rules::lifecycle::{Action, Actor};
use beian_rules::{Application, FilingPath, Finding, OrderStatus, Province};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::orders::OrderView;

/// One entry of an order's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub action: Action,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub actor: Actor,
    /// The reasons it carried, as findings on their fields.
    #[serde(default)]
    pub reasons: Vec<Finding>,
    pub at: String,
}

/// Who acts next on an order, and by when (a time in RFC 3339, or a day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub actor: Actor,
    /// The deadline: the SMS's (a time), or a day in working days (the provider's review, the
    /// administration's latest decision, the order's timeout).
    pub by: Option<String>,
    /// The deadline is a day (`YYYY-MM-DD`), not a time.
    pub by_day: bool,
}

/// The MIIT's text message, while it waits for verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsView {
    /// When it must be verified (RFC 3339).
    pub deadline: Option<String>,
    /// The code, shown in the app only by the simulated administration.
    pub code: Option<String>,
    pub verified: bool,
}

/// A filing record's numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingView {
    pub icp_number: String,
    pub province: Province,
    pub approved_on: String,
    /// (website name, domain, number).
    pub websites: Vec<(String, String, String)>,
}

/// A reason a reviewer gives: a field of the filing by its path (empty: the whole filing),
/// a code of the catalogue (`beian_rules::lifecycle::REJECTION_REASONS`), optional words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonInput {
    #[serde(default)]
    pub field: String,
    pub code: beian_rules::Code,
    #[serde(default)]
    pub note: String,
}

/// The numbers a reviewer records for the administration's approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumbersInput {
    pub subject: String,
    pub websites: Vec<String>,
}

/// What the reviewer's queue can be narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueFilter {
    pub status: Option<OrderStatus>,
    pub province: Option<Province>,
    pub path: Option<FilingPath>,
    /// Only orders waiting at least this many hours since their last change.
    pub waiting_hours: Option<u32>,
    /// Include orders returned to their applicants (rejected).
    pub include_returned: bool,
}

/// An order in the reviewer's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub order_id: String,
    pub status: OrderStatus,
    pub path: FilingPath,
    pub province: Option<Province>,
    pub subject_name: String,
    pub applicant: String,
    pub submitted_at: Option<String>,
    /// Hours since the order last changed.
    pub waiting_hours: i64,
    /// The provider's review deadline (one working day after submission, facts §6.2).
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
}

/// A document of an order, as the reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: String,
    pub kind: beian_rules::DocumentKind,
    /// The type sniffed from its bytes.
    pub media_type: String,
    pub size_bytes: i64,
    pub original_name: String,
}

/// An order's review page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub order: OrderView,
    pub applicant: String,
    /// The server's own findings on the answers, the rules crate as of the submission day.
    pub findings: Vec<Finding>,
    pub as_of: NaiveDate,
    pub documents: Vec<DocumentView>,
    /// Saved versions: (version, saved at).
    pub versions: Vec<(i64, String)>,
    /// The answers as they were at the last rejection, to mark what changed since.
    pub rejected_answers: Option<Application>,
    /// The identity evidence: (kind, document id, when).
    pub identity: Option<(String, Option<String>, String)>,
    /// What the reviewer can do now (including recording the administration's decision).
    pub actions: Vec<Action>,
    /// The administration is simulated (its decision and numbers come by themselves).
    pub simulated_authority: bool,
}

/// A notice in the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub order_id: Option<String>,
    pub kind: Action,
    pub at: String,
    pub read: bool,
}

#[cfg(feature = "ssr")]
mod server {
    use std::sync::Arc;

    use beian_rules::lifecycle::Action;
    use beian_rules::{Finding, OrderStatus};
    use beian_store::lifecycle::{Event, Input, Reason, Taker};
    use beian_store::{Account, OrderRecord, Role};
    use chrono::{DateTime, Duration, Utc};

    use super::*;
    use crate::authority::AuthorityGateway;
    use crate::error::ErrorCode;
    use crate::session;

    /// The administration the server runs with (the simulator unless told otherwise).
    pub fn gateway() -> Arc<dyn AuthorityGateway> {
        use_context::<Arc<dyn AuthorityGateway>>().unwrap_or_else(|| Arc::new(crate::authority::Simulator { delay: Duration::zero() }))
    }

    /// The version of the answers the last rejection returned, if any.
    pub fn rejected_version(history: &[Event]) -> Option<i64> {
        history
            .iter()
            .rev()
            .find(|e| matches!(e.action, Action::ProviderReject | Action::RejectIdentity | Action::AuthorityReject | Action::SmsDeadlinePassed))
            .map(|e| e.version)
    }

    pub fn reason_finding(r: &Reason) -> Finding {
        let mut f = Finding::error(r.code).at(r.field.as_str());
        if !r.note.is_empty() {
            f = f.with("note", &r.note);
        }
        f
    }

    /// The reviewer's account, or a 403.
    pub async fn reviewer() -> Result<Account, ApiError> {
        let account = session::current_account().await?;
        if account.role != Role::Reviewer {
            return Err(ApiError::new(ErrorCode::OrderTransitionForbidden));
        }
        Ok(account)
    }

    fn stamp_date(text: &str) -> Option<NaiveDate> {
        DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc).date_naive())
    }

    /// Who acts next and by when, for an order.
    fn next_step(order: &OrderRecord, submitted: Option<NaiveDate>, sms_deadline: Option<&str>) -> Option<NextStep> {
        let actor = beian_rules::lifecycle::next_actor(order.status)?;
        let days = |d: NaiveDate| Some(d.to_string());
        let requirements = |date| match (order.application.province, order.application.subject.subject_type) {
            (Some(p), Some(s)) => Some(beian_rules::requirements(p, s, order.path, date)),
            _ => None,
        };
        let (by, by_day) = match order.status {
            OrderStatus::SmsVerification => (sms_deadline.map(str::to_owned), false),
            OrderStatus::ProviderReview | OrderStatus::IdentityVerification | OrderStatus::PendingSubmission => {
                let review = submitted.and_then(requirements).and_then(|r| r.review);
                (review.zip(submitted).and_then(|(r, d)| days(beian_rules::workdays::add_working_days(d, r.provider_working_days))), true)
            }
            OrderStatus::AuthorityReview => (submitted.and_then(requirements).and_then(|r| r.review).and_then(|r| days(r.latest_decision)), true),
            _ => (None, false),
        };
        Some(NextStep { actor, by, by_day })
    }

    /// An order with everything its page shows: the timeline, the reasons of a rejection, the
    /// next step, the SMS, the identity evidence, the filing record. `for_applicant`: the
    /// SMS's code is shown only to its applicant, and only by the simulator.
    pub async fn detailed(order: OrderRecord, for_applicant: bool) -> Result<OrderView, ApiError> {
        let store = session::store();
        let history = store.history(&order.id).await?;
        let reasons = store.reasons(&order.id).await?;
        let authority = store.authority_state(&order.id).await?;
        let identity = store.identity_evidence(&order.id).await?;
        let filing = store.filing_of_order(&order.id).await?;
        let submitted = history.iter().rev().find(|e| e.action == Action::Submit).and_then(|e| stamp_date(&e.at));
        let next = next_step(&order, submitted, authority.as_ref().and_then(|a| a.sms_deadline.as_deref()));
        let sms = authority.filter(|a| a.sms_deadline.is_some() || order.status == OrderStatus::SmsVerification).map(|a| SmsView {
            deadline: a.sms_deadline,
            code: if for_applicant && gateway().shows_sms() { a.sms_code } else { None },
            verified: a.sms_verified_at.is_some(),
        });
        // A reason on a field stands until the field changes: one the applicant has answered
        // (its value is no longer the one returned) is not asked again.
        let returned = match rejected_version(&history) {
            Some(v) if reasons.iter().any(|r| !r.field.is_empty()) => store.order_version(&order.id, v).await?,
            _ => None,
        };
        let standing = |r: &&Reason| r.field.is_empty() || returned.as_ref().is_none_or(|then| then.field(&r.field) == order.application.field(&r.field));
        let reasons: Vec<Finding> = reasons.iter().filter(standing).map(reason_finding).collect();
        let mut view = crate::orders::view(order);
        view.next = next;
        view.reasons = reasons;
        view.timeline = history
            .into_iter()
            .map(|e| TimelineEntry { action: e.action, from: e.from, to: e.to, actor: e.actor, reasons: e.detail.reasons.iter().map(reason_finding).collect(), at: e.at })
            .collect();
        view.sms = sms;
        view.identity_provided = identity.is_some();
        let approved = view.status == OrderStatus::Approved;
        if beian_rules::record::needs_record(view.path) {
            view.record = filing.as_ref().map(beian_store::lifecycle::Filing::record);
        }
        // The record as the approval left it: its number and the websites still filed.
        view.filing = filing.filter(|_| approved).map(|f| FilingView {
            icp_number: f.icp_number.clone(),
            province: f.province,
            approved_on: f.approved_on.clone(),
            websites: f.record().filed_websites().map(|w| (w.website.name.clone(), w.website.domain.clone(), w.website.icp_number.clone())).collect(),
        });
        Ok(view)
    }

    /// The applicant's `action` on their order.
    pub async fn applicant_act(order_id: &str, action: Action) -> Result<OrderView, ApiError> {
        let account = session::current_account().await?;
        let order = session::store().act(order_id, Taker::Account(&account), action, Input::default(), Utc::now()).await?;
        detailed(order, account.role == Role::Applicant).await
    }

    /// Applies an administration's decision that is due (the clock's, or a reviewer's "decide
    /// now" in the simulator): the numbers the gateway issues.
    pub async fn authority_decides(store: &beian_store::Store, gateway: &dyn AuthorityGateway, order_id: &str, recorded_by: Option<&Account>, now: DateTime<Utc>) -> Result<OrderRecord, ApiError> {
        let order = store.order_by_id(order_id).await?;
        // A path that keeps its numbers (a transfer, a change, a cancellation) is given none.
        let numbers = match beian_rules::record::kept_numbers(&order.application) {
            Some(_) => None,
            None => Some(gateway.decide(store, &order, now).await?.ok_or(ApiError::new(ErrorCode::OrderTransitionNotAllowed))?),
        };
        Ok(store.act(order_id, Taker::Authority { recorded_by }, Action::AuthorityApprove, Input { icp_numbers: numbers, ..Input::default() }, now).await?)
    }

    pub fn to_reasons(reasons: Vec<ReasonInput>) -> Result<Vec<Reason>, ApiError> {
        let catalogue = beian_rules::lifecycle::REJECTION_REASONS.iter().chain(beian_rules::lifecycle::AUTHORITY_REASONS);
        let allowed: Vec<beian_rules::Code> = catalogue.copied().collect();
        reasons
            .into_iter()
            .map(|r| {
                if !allowed.contains(&r.code) || r.note.chars().count() > 500 || r.field.len() > 200 {
                    return Err(ApiError::new(ErrorCode::RequestInvalid).at("reasons"));
                }
                Ok(Reason { field: r.field, code: r.code, note: r.note.trim().to_owned() })
            })
            .collect()
    }
}

#[cfg(feature = "ssr")]
pub use server::{applicant_act, authority_decides, detailed, gateway};

/// The applicant's identity evidence for an order in identity verification: `backdrop_photo`
/// with the id of an uploaded photo, or `face` / `app` when the verification was done in the
/// provider's app (recorded here as the applicant's confirmation).
#[server(prefix = "/api", endpoint = "provide_identity", input = crate::codec::Json)]
pub async fn provide_identity(order_id: String, kind: String, document_id: Option<String>) -> Result<OrderView, ApiError> {
    use crate::error::ErrorCode;
    let account = crate::session::current_account().await?;
    if !matches!(kind.as_str(), "backdrop_photo" | "face" | "app") || (kind == "backdrop_photo") != document_id.is_some() {
        return Err(ApiError::new(ErrorCode::RequestInvalid).at("identity"));
    }
    let store = crate::session::store();
    store.provide_identity(&account, &order_id, &kind, document_id.as_deref(), chrono::Utc::now()).await?;
    detailed(store.order(&account, &order_id).await?, true).await
}

/// The code of the MIIT's text message, entered as the principal would on the MIIT's filing
/// system (the simulated administration's page).
#[server(prefix = "/api", endpoint = "confirm_sms", input = crate::codec::Json)]
pub async fn confirm_sms(order_id: String, code: String) -> Result<OrderView, ApiError> {
    use beian_store::lifecycle::Taker;
    let account = crate::session::current_account().await?;
    let store = crate::session::store();
    let order = store.order(&account, &order_id).await?;
    if order.account_id != account.id {
        return Err(ApiError::new(crate::error::ErrorCode::OrderNotFound));
    }
    let now = chrono::Utc::now();
    let input = gateway().confirm_sms(&store, &order, &code, now).await?;
    let order = store.act(&order_id, Taker::Authority { recorded_by: None }, Action::ConfirmSms, input, now).await?;
    detailed(order, true).await
}

/// The applicant's notices, newest first.
#[server(prefix = "/api", endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<NoticeView>, ApiError> {
    let account = crate::session::current_account().await?;
    let notices = crate::session::store().notifications_of(&account.id).await?;
    Ok(notices.into_iter().map(|n| NoticeView { order_id: n.order_id, kind: n.kind, at: n.at, read: n.read }).collect())
}

/// Marks the applicant's notices read.
#[server(prefix = "/api", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> Result<(), ApiError> {
    let account = crate::session::current_account().await?;
    Ok(crate::session::store().mark_read(&account.id, chrono::Utc::now()).await?)
}

/// The reviewer's queue: orders waiting for the provider or the administration, oldest first,
/// with the provider-review deadline (one working day) marked when it has passed.
#[server(prefix = "/api", endpoint = "review_queue", input = crate::codec::Json)]
pub async fn review_queue(filter: QueueFilter) -> Result<Vec<QueueItem>, ApiError> {
    server::reviewer().await?;
    let now = chrono::Utc::now();
    let today = crate::today();
    let rows = crate::session::store().review_queue().await?;
    let mut out = Vec::new();
    for row in rows {
        let returned = matches!(row.status, OrderStatus::ProviderRejected | OrderStatus::AuthorityRejected);
        if returned && !filter.include_returned && filter.status != Some(row.status) {
            continue;
        }
        if filter.status.is_some_and(|s| s != row.status) || filter.province.is_some_and(|p| Some(p) != row.province) || filter.path.is_some_and(|p| p != row.path) {
            continue;
        }
        let changed = chrono::DateTime::parse_from_rfc3339(&row.updated_at).map(|t| t.with_timezone(&chrono::Utc)).unwrap_or(now);
        let waiting_hours = (now - changed).num_hours();
        if filter.waiting_hours.is_some_and(|h| waiting_hours < i64::from(h)) {
            continue;
        }
        let submitted = row.submitted_at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|t| t.with_timezone(&chrono::Utc).date_naive());
        let deadline = match row.status {
            OrderStatus::ProviderReview => submitted.map(|d| beian_rules::workdays::add_working_days(d, 1)),
            _ => None,
        };
        out.push(QueueItem {
            overdue: deadline.is_some_and(|d| d < today),
            deadline,
            waiting_hours,
            order_id: row.order_id,
            status: row.status,
            path: row.path,
            province: row.province,
            subject_name: row.subject_name,
            applicant: row.applicant,
            submitted_at: row.submitted_at,
        });
    }
    Ok(out)
}

/// An order's review page: every answer with the server's own findings as of the submission
/// day, the documents with their sniffed type and size, the versions, the answers at the last
/// rejection (to mark what changed), the identity evidence, the timeline, and what the
/// reviewer can do.
#[server(prefix = "/api", endpoint = "review_order", input = crate::codec::Json)]
pub async fn review_order(order_id: String) -> Result<ReviewView, ApiError> {
    let reviewer = server::reviewer().await?;
    let store = crate::session::store();
    let order = store.order(&reviewer, &order_id).await?;
    let applicant = store.account(&order.account_id).await.map(|a| a.username).unwrap_or_default();
    let history = store.history(&order_id).await?;
    let as_of = history
        .iter()
        .rev()
        .find(|e| e.action == Action::Submit)
        .and_then(|e| chrono::DateTime::parse_from_rfc3339(&e.at).ok())
        .map_or_else(crate::today, |t| t.with_timezone(&chrono::Utc).date_naive());
    let findings = beian_rules::validate_application(&order.application, as_of);
    let mut documents = Vec::new();
    for named in &order.application.documents {
        if let Ok(record) = store.document_record(&reviewer, &named.id).await {
            documents.push(DocumentView { id: record.id, kind: record.kind, media_type: record.media_type, size_bytes: record.size_bytes, original_name: record.original_name });
        }
    }
    let versions = store.versions(&order_id).await?;
    let rejected_answers = match server::rejected_version(&history) {
        Some(v) => store.order_version(&order_id, v).await?,
        None => None,
    };
    let identity = store.identity_evidence(&order_id).await?;
    let (route, _) = beian_rules::lifecycle::route(&order.application, as_of);
    let mut actions = beian_rules::lifecycle::actions(order.status, Actor::Reviewer, route);
    actions.extend(beian_rules::lifecycle::actions(order.status, Actor::Authority, route));
    let view = detailed(order, false).await?;
    Ok(ReviewView { order: view, applicant, findings, as_of, documents, versions, rejected_answers, identity, actions, simulated_authority: gateway().shows_sms() })
}

/// A reviewer's action on an order: `provider_approve`, `provider_reject` and
/// `reject_identity` (with `reasons`), `accept_identity`, `submit_to_authority` (the
/// administration then sends its SMS), and, recording the administration by hand,
/// `confirm_sms`, `authority_approve` (with the `numbers` it issued; the simulated
/// administration issues its own) and `authority_reject` (with its reason).
#[server(prefix = "/api", endpoint = "review_act", input = crate::codec::Json)]
pub async fn review_act(order_id: String, action: Action, reasons: Vec<ReasonInput>, numbers: Option<NumbersInput>) -> Result<ReviewView, ApiError> {
    use beian_store::lifecycle::{IcpNumbers, Input, Taker};
    let reviewer = server::reviewer().await?;
    let store = crate::session::store();
    let now = chrono::Utc::now();
    let reasons = server::to_reasons(reasons)?;
    let authority = Taker::Authority { recorded_by: Some(&reviewer) };
    match action {
        Action::ProviderApprove | Action::ProviderReject | Action::AcceptIdentity | Action::RejectIdentity => {
            store.act(&order_id, Taker::Account(&reviewer), action, Input { reasons, ..Input::default() }, now).await?;
        }
        Action::SubmitToAuthority => {
            let order = store.order(&reviewer, &order_id).await?;
            let (_, sms_hours) = beian_rules::lifecycle::route(&order.application, crate::today());
            let input = gateway().submit(&order, sms_hours, now).await?;
            store.act(&order_id, Taker::Account(&reviewer), action, input, now).await?;
        }
        Action::ConfirmSms | Action::AuthorityReject => {
            store.act(&order_id, authority, action, Input { reasons, ..Input::default() }, now).await?;
        }
        Action::AuthorityApprove => match numbers {
            Some(n) => {
                let numbers = IcpNumbers { subject: n.subject.trim().to_owned(), websites: n.websites.iter().map(|w| w.trim().to_owned()).collect() };
                store.act(&order_id, authority, action, Input { icp_numbers: Some(numbers), ..Input::default() }, now).await?;
            }
            None => {
                authority_decides(&store, gateway().as_ref(), &order_id, Some(&reviewer), now).await?;
            }
        },
        _ => return Err(ApiError::new(crate::error::ErrorCode::OrderTransitionForbidden)),
    }
    review_order(order_id).await
}
