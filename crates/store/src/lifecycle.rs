//! The order lifecycle in the database: every transition the rules crate's state machine
//! allows (`beian_rules::lifecycle`), applied in one transaction with what it carries —
//! reasons on fields, identity evidence, the administration's SMS and decision, the ICP
//! numbers and the filing record they make — and written to the order's history, the audit
//! log, the applicant's notices and the mail outbox. Also what the reviewer's queue, the
//! timeline and the clock read.

use beian_rules::lifecycle::{self, Action, Actor, Requirement};
use beian_rules::wire::name as enum_str;
use beian_rules::record::{Difference, FilingRecord, RecordWebsite, WebsiteState};
use beian_rules::{Application, Code, FilingPath, OrderStatus, Province};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::accounts::{Account, Role};
use crate::error::{Refusal, Result, StoreError, decode, decode_enum};
use crate::orders::{OrderRecord, order_on};
use crate::{Store, audit, new_id};

/// A reviewer's (or the administration's) reason, on a field of the filing by its path
/// (`websites[0].name`; empty for the whole filing), from the catalogue, with optional words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    #[serde(default)]
    pub field: String,
    pub code: Code,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The numbers the administration issued: the subject's, and one per website (`-N`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IcpNumbers {
    pub subject: String,
    pub websites: Vec<String>,
}

/// What a transition carries besides its action.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    pub reasons: Vec<Reason>,
    pub icp_numbers: Option<IcpNumbers>,
    /// The MIIT's SMS to verify, when the administration sends one (code, deadline).
    pub sms: Option<(String, DateTime<Utc>)>,
    /// When the administration decides (the simulator's delay).
    pub decide_after: Option<DateTime<Utc>>,
}

/// Who takes a transition.
#[derive(Clone, Copy, Debug)]
pub enum Taker<'a> {
    /// A logged-in account: the order's owner (applicant) or a reviewer.
    Account(&'a Account),
    /// The administration: through the gateway, or a reviewer recording its decision.
    Authority { recorded_by: Option<&'a Account> },
    /// Time, through the server's background task.
    Clock,
}

/// One entry of an order's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub action: Action,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub actor: Actor,
    /// The version of the answers it applied to.
    pub version: i64,
    pub detail: Detail,
    pub at: String,
}

/// What an event carried.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Detail {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icp_numbers: Option<IcpNumbers>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_deadline: Option<String>,
}

/// The administration's side of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityState {
    pub submitted_at: String,
    pub sms_code: Option<String>,
    pub sms_deadline: Option<String>,
    pub sms_verified_at: Option<String>,
    pub decide_after: Option<String>,
}

/// An order in the reviewer's queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub order_id: String,
    pub status: OrderStatus,
    pub path: beian_rules::FilingPath,
    pub province: Option<Province>,
    pub subject_name: String,
    pub applicant: String,
    pub submitted_at: Option<String>,
    /// When the order last changed (the time it has been waiting since).
    pub updated_at: String,
}

/// A filing record as stored: what the administration approved, as it stands after every
/// approved order (`beian_rules::record`), with the order that made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Filing {
    pub id: String,
    pub account_id: String,
    /// The order that made the record.
    pub order_id: String,
    pub province: Province,
    pub icp_number: String,
    pub subject: beian_rules::Subject,
    pub subject_principal: beian_rules::Person,
    pub websites: Vec<RecordWebsite>,
    pub approved_on: String,
    /// `active`, or `cancelled` (the subject's filing was cancelled).
    pub status: String,
}

impl Filing {
    /// The record as the rules crate sees it.
    pub fn record(&self) -> FilingRecord {
        FilingRecord {
            province: self.province,
            icp_number: self.icp_number.clone(),
            subject: self.subject.clone(),
            subject_principal: self.subject_principal.clone(),
            websites: self.websites.clone(),
            cancelled: self.status == "cancelled",
        }
    }
}

/// One entry of a record's history: an approved order and what it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingEvent {
    pub order_id: String,
    pub path: beian_rules::FilingPath,
    pub at: String,
    pub detail: FilingEventDetail,
}

/// What an approved order did to the record: the differences of a change, the websites it
/// added, cancelled or transferred out (their numbers).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilingEventDetail {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<Difference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<String>,
}

/// A notice to the applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub order_id: Option<String>,
    pub kind: Action,
    pub at: String,
    pub read: bool,
}

/// A message waiting in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub id: String,
    pub to_address: String,
    pub kind: Action,
    pub order_id: Option<String>,
    pub attempts: i64,
}

/// A time as stored (RFC 3339, UTC, microseconds: the text sorts as the time does).
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// The statuses an order waits in for the provider or the administration (the queue).
const UNDER_REVIEW: &[OrderStatus] = beian_rules::lifecycle::IN_QUEUE;

/// The days an order may stay untouched before the clock closes it, for `app` on `date`: the
/// rule pack's order timeout for its scope, else 60 days (facts §6.2, Inspur).
fn timeout_days(app: &Application, date: NaiveDate) -> i64 {
    let scope = beian_rules::pack::Scope { province: app.province, subject: app.subject.subject_type, path: app.path };
    beian_rules::pack::active(date, scope)
        .find_map(|r| match r.effect {
            beian_rules::pack::Effect::OrderTimeout { days } => Some(i64::from(days)),
            _ => None,
        })
        .unwrap_or(60)
}

/// The actions whose next actor is the applicant (a notice and a message go out).
fn tells_the_applicant(action: Action) -> bool {
    matches!(
        action,
        Action::ProviderReject
            | Action::RejectIdentity
            | Action::ProviderApprove
            | Action::SubmitToAuthority
            | Action::SmsDeadlinePassed
            | Action::AuthorityApprove
            | Action::AuthorityReject
            | Action::Expire
    )
}

/// Checks the numbers of an approval: the subject's in the order's province, and one per
/// website, each the subject's with its `-N`.
fn numbers_fit(numbers: &IcpNumbers, app: &Application) -> bool {
    let Some(province) = app.province else { return false };
    let subject_ok = beian_rules::ids::icp_number::validate(&numbers.subject, Some(province)).is_empty()
        && beian_rules::ids::icp_number::parse(&numbers.subject).is_ok_and(|n| n.site.is_none());
    let websites_ok = numbers.websites.len() == app.websites.len()
        && numbers.websites.iter().all(|w| {
            beian_rules::ids::icp_number::validate(w, Some(province)).is_empty()
                && w.split_once('-').is_some_and(|(base, _)| base == numbers.subject)
                && beian_rules::ids::icp_number::parse(w).is_ok_and(|n| n.site.is_some())
        });
    // A subject filed already keeps its number: new websites are numbered under it.
    let same_subject = !app.path.is_some_and(beian_rules::record::has_subject_number) || same_number(&numbers.subject, &app.subject.icp_number);
    subject_ok && websites_ok && same_subject
}

fn same_number(a: &str, b: &str) -> bool {
    let key = |n: &str| beian_rules::ids::normalize::identifier(n).to_ascii_uppercase();
    key(a) == key(b)
}

/// The numbers an approval of `app` carries: those given, on a path that issues new ones;
/// the ones the filing has, on a path that keeps them (nothing is issued, nothing to give).
fn approval_numbers(app: &Application, given: Option<&IcpNumbers>) -> Option<IcpNumbers> {
    match beian_rules::record::kept_numbers(app) {
        Some((subject, websites)) => Some(IcpNumbers { subject, websites }),
        None => given.filter(|n| numbers_fit(n, app)).cloned(),
    }
}

fn encode<T: Serialize>(what: &'static str, id: &str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt { what, id: id.to_owned(), detail: e.to_string() })
}

impl Store {
    /// Applies `action` to `order_id`, taken by `taker` at `now`, if the lifecycle allows it
    /// for the order's status, the taker and what is met; in one transaction with everything
    /// it carries. Submitting is [`Store::submit`]'s.
    pub async fn act(&self, order_id: &str, taker: Taker<'_>, action: Action, input: Input, now: DateTime<Utc>) -> Result<OrderRecord> {
        if action == Action::Submit {
            return Err(Refusal::TransitionNotAllowed.into());
        }
        let at = stamp(now);
        let mut tx = self.begin_write().await?;
        let mut order = order_on(&mut tx, order_id).await?;
        let (actor, account_id) = match taker {
            Taker::Account(a) if a.role == Role::Applicant => {
                if order.account_id != a.id {
                    return Err(Refusal::OrderNotFound.into());
                }
                (Actor::Applicant, Some(a.id.clone()))
            }
            Taker::Account(a) => (Actor::Reviewer, Some(a.id.clone())),
            Taker::Authority { recorded_by } => (Actor::Authority, recorded_by.map(|a| a.id.clone())),
            Taker::Clock => (Actor::Clock, None),
        };
        let submitted_on = submitted_on(&mut tx, order_id).await?.unwrap_or(now.date_naive());
        let (route, _) = lifecycle::route(&order.application, submitted_on);
        let authority = authority_on(&mut tx, order_id).await?;
        let mut met = Vec::new();
        if !input.reasons.is_empty() || action == Action::SmsDeadlinePassed {
            met.push(Requirement::Reasons);
        }
        let evidence: Option<String> = sqlx::query_scalar("SELECT kind FROM identity_evidence WHERE order_id = $1").bind(order_id).fetch_optional(&mut *tx).await?;
        if evidence.is_some() {
            met.push(Requirement::IdentityEvidence);
        }
        let numbers = approval_numbers(&order.application, input.icp_numbers.as_ref());
        if numbers.is_some() {
            met.push(Requirement::IcpNumbers);
        }
        let deadline = authority.as_ref().and_then(|a| a.sms_deadline.as_deref()).and_then(parse_stamp);
        if authority.as_ref().is_some_and(|a| a.sms_verified_at.is_none()) && deadline.is_some_and(|d| now > d) {
            met.push(Requirement::SmsDeadlinePassed);
        }
        let idle = parse_stamp(&order.updated_at).is_some_and(|t| now - t > Duration::days(timeout_days(&order.application, now.date_naive())));
        if idle {
            met.push(Requirement::TimeoutPassed);
        }
        let to = lifecycle::apply(action, order.status, actor, route, &met).map_err(|r| match r {
            lifecycle::Refusal::Forbidden => Refusal::TransitionForbidden,
            lifecycle::Refusal::NotFromStatus => Refusal::TransitionNotAllowed,
            lifecycle::Refusal::Missing(requirement) => Refusal::RequirementMissing(requirement),
        })?;
        // A confirmation of the SMS after its deadline is too late.
        if action == Action::ConfirmSms && deadline.is_some_and(|d| now > d) {
            return Err(Refusal::RequirementMissing(Requirement::SmsDeadlinePassed).into());
        }
        let mut detail = Detail { reasons: input.reasons.clone(), ..Detail::default() };
        if action == Action::SmsDeadlinePassed {
            detail.reasons = vec![Reason { field: String::new(), code: Code::ReviewSmsDeadlineMissed, note: String::new() }];
        }
        match action {
            Action::ProviderReject | Action::RejectIdentity | Action::AuthorityReject | Action::SmsDeadlinePassed => {
                sqlx::query("UPDATE orders SET reasons = $1 WHERE id = $2").bind(encode("reasons", order_id, &detail.reasons)?).bind(order_id).execute(&mut *tx).await?;
            }
            Action::SubmitToAuthority => {
                let (code, sms_deadline) = match (&input.sms, route.sms_verification) {
                    (Some((code, deadline)), true) => (Some(code.clone()), Some(stamp(*deadline))),
                    _ => (None, None),
                };
                detail.sms_deadline = sms_deadline.clone();
                let decide_after = if route.sms_verification { None } else { input.decide_after.map(stamp) };
                sqlx::query("DELETE FROM authority_submissions WHERE order_id = $1").bind(order_id).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO authority_submissions (order_id, submitted_at, sms_code, sms_deadline, sms_verified_at, decide_after) VALUES ($1, $2, $3, $4, NULL, $5)")
                    .bind(order_id)
                    .bind(&at)
                    .bind(code)
                    .bind(sms_deadline)
                    .bind(decide_after)
                    .execute(&mut *tx)
                    .await?;
            }
            Action::ConfirmSms => {
                sqlx::query("UPDATE authority_submissions SET sms_verified_at = $1, decide_after = $2 WHERE order_id = $3")
                    .bind(&at)
                    .bind(input.decide_after.map(stamp))
                    .bind(order_id)
                    .execute(&mut *tx)
                    .await?;
            }
            _ => {}
        }
        // Approved (by the administration, or by the provider alone for a claim): the record
        // is made or changed as the path says.
        if to == OrderStatus::Approved {
            let numbers = numbers.ok_or(Refusal::RequirementMissing(Requirement::IcpNumbers))?;
            apply_to_record(&mut tx, &order, &numbers, &at).await?;
            detail.icp_numbers = Some(numbers);
            sqlx::query("UPDATE orders SET reasons = '[]' WHERE id = $1").bind(order_id).execute(&mut *tx).await?;
        }
        let updated = sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(enum_str(&to))
            .bind(&at)
            .bind(order_id)
            .bind(enum_str(&order.status))
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() != 1 {
            return Err(Refusal::OrderChangedMeanwhile(order.version).into());
        }
        record_event(&mut tx, &order, action, to, actor, account_id.as_deref(), &detail, &at).await?;
        let by = account_id.as_deref().unwrap_or(match actor {
            Actor::Clock => "clock",
            _ => "authority",
        });
        audit::record(&mut tx, Some(order_id), by, &format!("order.{}", enum_str(&action)), Some(order.status), Some(to)).await?;
        if tells_the_applicant(action) || to == OrderStatus::SmsVerification {
            notify(&mut tx, &order, action, &at).await?;
        }
        tx.commit().await?;
        order.status = to;
        order.updated_at = at;
        Ok(order)
    }

    /// The applicant's identity evidence for an order in identity verification: a backdrop
    /// photo (a document of theirs) or a recorded confirmation of face or app verification.
    pub async fn provide_identity(&self, account: &Account, order_id: &str, kind: &str, document_id: Option<&str>, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let order = order_on(&mut tx, order_id).await?;
        if order.account_id != account.id {
            return Err(Refusal::OrderNotFound.into());
        }
        if order.status != OrderStatus::IdentityVerification {
            return Err(Refusal::TransitionNotAllowed.into());
        }
        if let Some(document) = document_id {
            let owner: Option<String> = sqlx::query_scalar("SELECT account_id FROM documents WHERE id = $1").bind(document).fetch_optional(&mut *tx).await?;
            if owner.as_deref() != Some(account.id.as_str()) {
                return Err(Refusal::DocumentNotFound.into());
            }
        }
        sqlx::query("DELETE FROM identity_evidence WHERE order_id = $1").bind(order_id).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO identity_evidence (order_id, kind, document_id, provided_at) VALUES ($1, $2, $3, $4)")
            .bind(order_id)
            .bind(kind)
            .bind(document_id)
            .bind(stamp(now))
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, Some(order_id), &account.id, "order.identity_provided", None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The identity evidence of an order: (kind, document id, when).
    pub async fn identity_evidence(&self, order_id: &str) -> Result<Option<(String, Option<String>, String)>> {
        let row = sqlx::query("SELECT kind, document_id, provided_at FROM identity_evidence WHERE order_id = $1").bind(order_id).fetch_optional(&self.pool).await?;
        row.map(|r| Ok((r.try_get("kind")?, r.try_get("document_id")?, r.try_get("provided_at")?))).transpose()
    }

    /// The order's history, oldest first.
    pub async fn history(&self, order_id: &str) -> Result<Vec<Event>> {
        let rows = sqlx::query("SELECT action, from_status, to_status, actor, version, detail, at FROM order_events WHERE order_id = $1 ORDER BY at, id")
            .bind(order_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Event {
                    action: decode_enum("event action", order_id, &r.try_get::<String, _>("action")?)?,
                    from: decode_enum("event status", order_id, &r.try_get::<String, _>("from_status")?)?,
                    to: decode_enum("event status", order_id, &r.try_get::<String, _>("to_status")?)?,
                    actor: decode_enum("event actor", order_id, &r.try_get::<String, _>("actor")?)?,
                    version: r.try_get("version")?,
                    detail: decode("event detail", order_id, &r.try_get::<String, _>("detail")?)?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// The reasons of the order's last rejection (until its next submission).
    pub async fn reasons(&self, order_id: &str) -> Result<Vec<Reason>> {
        let text: Option<String> = sqlx::query_scalar("SELECT reasons FROM orders WHERE id = $1").bind(order_id).fetch_optional(&self.pool).await?;
        text.map(|t| decode("reasons", order_id, &t)).transpose().map(Option::unwrap_or_default)
    }

    /// The administration's side of an order, once submitted to it.
    pub async fn authority_state(&self, order_id: &str) -> Result<Option<AuthorityState>> {
        let mut conn = self.pool.acquire().await?;
        authority_on(&mut conn, order_id).await
    }

    /// The orders under review (the provider's and the administration's, and those returned
    /// to their applicants), oldest change first.
    pub async fn review_queue(&self) -> Result<Vec<QueueRow>> {
        let statuses: Vec<String> = UNDER_REVIEW.iter().map(enum_str).collect();
        let placeholders: Vec<String> = (1..=statuses.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT o.id, o.status, o.path, o.province, o.updated_at, o.submitted_at, a.username, v.data
             FROM orders o JOIN accounts a ON a.id = o.account_id JOIN order_versions v ON v.order_id = o.id AND v.version = o.version
             WHERE o.status IN ({}) ORDER BY o.updated_at, o.id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for s in &statuses {
            query = query.bind(s);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let app: Application = decode("order answers", &id, &r.try_get::<String, _>("data")?)?;
                Ok(QueueRow {
                    status: decode_enum("order status", &id, &r.try_get::<String, _>("status")?)?,
                    path: decode_enum("order path", &id, &r.try_get::<String, _>("path")?)?,
                    province: r.try_get::<Option<String>, _>("province")?.and_then(|p| Province::parse(&p)),
                    subject_name: app.subject.name,
                    applicant: r.try_get("username")?,
                    submitted_at: r.try_get("submitted_at")?,
                    updated_at: r.try_get("updated_at")?,
                    order_id: id,
                })
            })
            .collect()
    }

    /// The saved versions of an order: (version, saved at), oldest first.
    pub async fn versions(&self, order_id: &str) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query("SELECT version, saved_at FROM order_versions WHERE order_id = $1 ORDER BY version").bind(order_id).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("version")?, r.try_get("saved_at")?))).collect()
    }

    /// The filing records of an account.
    pub async fn filings_of(&self, account_id: &str) -> Result<Vec<Filing>> {
        let rows = sqlx::query("SELECT * FROM filings WHERE account_id = $1 ORDER BY approved_on, id").bind(account_id).fetch_all(&self.pool).await?;
        rows.iter().map(filing_from_row).collect()
    }

    /// The public lookup: active filing records by an ICP number (the subject's, or a
    /// website's with its `-N`), a domain (a leading `www.` is the same website), or the
    /// subject's exact name; at most `LOOKUP_LIMIT`. A website's number or a domain answers
    /// the record with that website only. Cancelled records are not found.
    pub async fn lookup(&self, query: &str) -> Result<Vec<Filing>> {
        let query = query.trim();
        // An ICP number by its shape (a name may well hold the letters "ICP").
        if let Ok(number) = beian_rules::ids::icp_number::parse(query) {
            let normalized = beian_rules::ids::normalize::identifier(query).to_ascii_uppercase();
            let subject_number = match number.site {
                Some(_) => normalized.rsplit_once('-').map_or(normalized.as_str(), |(subject, _)| subject),
                None => normalized.as_str(),
            };
            let row = sqlx::query("SELECT * FROM filings WHERE icp_number = $1 AND status = 'active'").bind(subject_number).fetch_optional(&self.pool).await?;
            let Some(filing) = row.as_ref().map(filing_from_row).transpose()? else { return Ok(Vec::new()) };
            return Ok(match number.site {
                Some(_) => only_websites(filing, |w| same_number(&w.website.icp_number, &normalized)).into_iter().collect(),
                None => vec![still_filed(filing)],
            });
        }
        if query.contains(['.', '。', '｡']) {
            let domain = beian_rules::ids::domain::compact(query);
            let domain = domain.strip_prefix("www.").unwrap_or(&domain).to_owned();
            let found = self.scan("websites", "domain", &domain).await?;
            return Ok(found.into_iter().filter_map(|f| only_websites(f, |w| w.website.domain == domain)).take(LOOKUP_LIMIT).collect());
        }
        let found = self.scan("subject", "name", query).await?;
        Ok(found.into_iter().filter(|f| f.subject.name == query).map(still_filed).take(LOOKUP_LIMIT).collect())
    }

    /// Active records whose JSON column `column` holds `"key":<value>` (at most `LOOKUP_SCAN`;
    /// the caller keeps the exact matches).
    async fn scan(&self, column: &'static str, key: &'static str, value: &str) -> Result<Vec<Filing>> {
        let needle = serde_json::to_string(value).unwrap_or_default();
        let rows = sqlx::query(&format!("SELECT * FROM filings WHERE status = 'active' AND {column} LIKE $1 ESCAPE '\\' ORDER BY approved_on, id LIMIT {LOOKUP_SCAN}"))
            .bind(format!("%\"{key}\":{}%", like_escaped(&needle)))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(filing_from_row).collect()
    }

    /// The filing record an order works on: the one it made once approved, or the one it
    /// started from.
    pub async fn filing_of_order(&self, order_id: &str) -> Result<Option<Filing>> {
        let row = sqlx::query("SELECT f.* FROM filings f JOIN orders o ON o.filing_id = f.id WHERE o.id = $1").bind(order_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(filing_from_row).transpose()
    }

    /// A filing record, for its account or a reviewer.
    pub async fn filing(&self, account: &Account, filing_id: &str) -> Result<Filing> {
        let row = sqlx::query("SELECT * FROM filings WHERE id = $1").bind(filing_id).fetch_optional(&self.pool).await?;
        match row.as_ref().map(filing_from_row).transpose()? {
            Some(f) if f.account_id == account.id || account.role == Role::Reviewer => Ok(f),
            _ => Err(Refusal::FilingNotFound.into()),
        }
    }

    /// A record's history, oldest first.
    pub async fn filing_history(&self, filing_id: &str) -> Result<Vec<FilingEvent>> {
        let rows = sqlx::query("SELECT order_id, path, detail, at FROM filing_events WHERE filing_id = $1 ORDER BY at, id").bind(filing_id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let order_id: String = r.try_get("order_id")?;
                Ok(FilingEvent {
                    path: decode_enum("filing event path", &order_id, &r.try_get::<String, _>("path")?)?,
                    detail: decode("filing event detail", &order_id, &r.try_get::<String, _>("detail")?)?,
                    at: r.try_get("at")?,
                    order_id,
                })
            })
            .collect()
    }

    /// The next serial of the administration's numbers for `province` in `year` (the
    /// simulator's).
    pub async fn next_icp_serial(&self, province: Province, year: i32) -> Result<u32> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO icp_serials (province, year, next) VALUES ($1, $2, 1) ON CONFLICT (province, year) DO UPDATE SET next = icp_serials.next + 1")
            .bind(province.code())
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        let next: i64 = sqlx::query_scalar("SELECT next FROM icp_serials WHERE province = $1 AND year = $2").bind(province.code()).bind(i64::from(year)).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(u32::try_from(next).unwrap_or(u32::MAX))
    }

    /// The applicant's notices, newest first.
    pub async fn notifications_of(&self, account_id: &str) -> Result<Vec<Notification>> {
        let rows = sqlx::query("SELECT id, order_id, kind, at, read_at FROM notifications WHERE account_id = $1 ORDER BY at DESC, id LIMIT 50")
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                Ok(Notification {
                    kind: decode_enum("notification kind", &id, &r.try_get::<String, _>("kind")?)?,
                    order_id: r.try_get("order_id")?,
                    at: r.try_get("at")?,
                    read: r.try_get::<Option<String>, _>("read_at")?.is_some(),
                    id,
                })
            })
            .collect()
    }

    /// Marks the account's notices read.
    pub async fn mark_read(&self, account_id: &str, now: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL").bind(stamp(now)).bind(account_id).execute(&self.pool).await?;
        Ok(())
    }

    /// Messages waiting to be sent, oldest first.
    pub async fn unsent_mail(&self, limit: i64) -> Result<Vec<Mail>> {
        let rows = sqlx::query("SELECT id, to_address, kind, order_id, attempts FROM outbox WHERE sent_at IS NULL AND attempts < 5 ORDER BY created_at, id LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                Ok(Mail {
                    kind: decode_enum("mail kind", &id, &r.try_get::<String, _>("kind")?)?,
                    to_address: r.try_get("to_address")?,
                    order_id: r.try_get("order_id")?,
                    attempts: r.try_get("attempts")?,
                    id,
                })
            })
            .collect()
    }

    /// Records a message as sent (once: a second sender's record changes nothing).
    pub async fn mail_sent(&self, id: &str, now: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL").bind(stamp(now)).bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt to send a message.
    pub async fn mail_failed(&self, id: &str, error: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2").bind(error).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// What time has made due at `now`: orders whose SMS deadline passed, orders left longer
    /// than their timeout, and orders whose administration decision is due (the simulator's).
    /// Applying each is idempotent: a second replica's attempt finds the status changed.
    pub async fn clock_due(&self, now: DateTime<Utc>) -> Result<Vec<(String, Action)>> {
        let at = stamp(now);
        let mut due = Vec::new();
        let sms: Vec<String> = sqlx::query_scalar(
            "SELECT o.id FROM orders o JOIN authority_submissions s ON s.order_id = o.id
             WHERE o.status = 'sms_verification' AND s.sms_verified_at IS NULL AND s.sms_deadline < $1",
        )
        .bind(&at)
        .fetch_all(&self.pool)
        .await?;
        due.extend(sms.into_iter().map(|id| (id, Action::SmsDeadlinePassed)));
        let decisions: Vec<String> = sqlx::query_scalar(
            "SELECT o.id FROM orders o JOIN authority_submissions s ON s.order_id = o.id
             WHERE o.status = 'authority_review' AND s.decide_after IS NOT NULL AND s.decide_after <= $1",
        )
        .bind(&at)
        .fetch_all(&self.pool)
        .await?;
        due.extend(decisions.into_iter().map(|id| (id, Action::AuthorityApprove)));
        // Idle orders: at least the shortest timeout any rule gives (a day) before `now`;
        // each is checked against its own timeout when applied.
        let idle_since = stamp(now - Duration::days(1));
        let rows = sqlx::query(
            "SELECT o.id, o.updated_at, v.data FROM orders o JOIN order_versions v ON v.order_id = o.id AND v.version = o.version
             WHERE o.status IN ('draft', 'provider_rejected', 'authority_rejected') AND o.updated_at < $1",
        )
        .bind(&idle_since)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let id: String = r.try_get("id")?;
            let Ok(app) = decode::<Application>("order answers", &id, &r.try_get::<String, _>("data")?) else { continue };
            let updated = r.try_get::<String, _>("updated_at").ok().and_then(|t| parse_stamp(&t));
            if updated.is_some_and(|t| now - t > Duration::days(timeout_days(&app, now.date_naive()))) {
                due.push((id, Action::Expire));
            }
        }
        Ok(due)
    }
}

/// The day the order was last submitted (the day its rules are applied as of).
async fn submitted_on(conn: &mut AnyConnection, order_id: &str) -> Result<Option<NaiveDate>> {
    let at: Option<Option<String>> = sqlx::query_scalar("SELECT submitted_at FROM orders WHERE id = $1").bind(order_id).fetch_optional(&mut *conn).await?;
    Ok(at.flatten().and_then(|t| parse_stamp(&t)).map(|t| t.date_naive()))
}

async fn authority_on(conn: &mut AnyConnection, order_id: &str) -> Result<Option<AuthorityState>> {
    let row = sqlx::query("SELECT submitted_at, sms_code, sms_deadline, sms_verified_at, decide_after FROM authority_submissions WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(AuthorityState {
            submitted_at: r.try_get("submitted_at")?,
            sms_code: r.try_get("sms_code")?,
            sms_deadline: r.try_get("sms_deadline")?,
            sms_verified_at: r.try_get("sms_verified_at")?,
            decide_after: r.try_get("decide_after")?,
        })
    })
    .transpose()
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_event(
    conn: &mut AnyConnection,
    order: &OrderRecord,
    action: Action,
    to: OrderStatus,
    actor: Actor,
    account_id: Option<&str>,
    detail: &Detail,
    at: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO order_events (id, order_id, action, from_status, to_status, actor, account_id, version, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(new_id())
        .bind(&order.id)
        .bind(enum_str(&action))
        .bind(enum_str(&order.status))
        .bind(enum_str(&to))
        .bind(enum_str(&actor))
        .bind(account_id)
        .bind(order.version)
        .bind(encode("event detail", &order.id, detail)?)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A notice in the app and a message in the outbox for the order's applicant.
async fn notify(conn: &mut AnyConnection, order: &OrderRecord, action: Action, at: &str) -> Result<()> {
    sqlx::query("INSERT INTO notifications (id, account_id, order_id, kind, at, read_at) VALUES ($1, $2, $3, $4, $5, NULL)")
        .bind(new_id())
        .bind(&order.account_id)
        .bind(&order.id)
        .bind(enum_str(&action))
        .bind(at)
        .execute(&mut *conn)
        .await?;
    let address: Option<String> = sqlx::query_scalar("SELECT username FROM accounts WHERE id = $1").bind(&order.account_id).fetch_optional(&mut *conn).await?;
    if let Some(address) = address {
        sqlx::query("INSERT INTO outbox (id, to_address, kind, order_id, created_at, attempts) VALUES ($1, $2, $3, $4, $5, 0)")
            .bind(new_id())
            .bind(address)
            .bind(enum_str(&action))
            .bind(&order.id)
            .bind(at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The record `id`, read on `conn` (a transaction's).
pub(crate) async fn filing_on(conn: &mut AnyConnection, id: &str) -> Result<Option<Filing>> {
    let row = sqlx::query("SELECT * FROM filings WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(filing_from_row).transpose()
}

/// What an approval does to the record (`beian_rules::record::apply_approval`): a first
/// filing, a transfer in, a website of a subject filed elsewhere or a claim make one; an
/// addition, a transfer of another website, a change, a cancellation or a transfer out change
/// the record the order started from. Written with an entry of the record's history.
async fn apply_to_record(conn: &mut AnyConnection, order: &OrderRecord, numbers: &IcpNumbers, at: &str) -> Result<()> {
    let app = &order.application;
    // The order was read in this transaction: its record is the one it works on.
    let before = match &order.filing_id {
        Some(id) => filing_on(conn, id).await?,
        None => None,
    };
    if before.as_ref().is_some_and(|f| f.account_id != order.account_id) {
        return Err(Refusal::FilingNotFound.into());
    }
    let record = beian_rules::record::apply_approval(before.as_ref().map(Filing::record), app, &numbers.subject, &numbers.websites).map_err(Refusal::RecordRefused)?;
    let mut websites: Vec<RecordWebsite> = record.websites.clone();
    for w in &mut websites {
        w.website.domain = beian_rules::ids::domain::compact(&w.website.domain);
    }
    let status = if record.cancelled { "cancelled" } else { "active" };
    let differences = match (&before, order.path) {
        (Some(before), FilingPath::Change) => beian_rules::record::differences(app, &before.record()),
        _ => Vec::new(),
    };
    let id = match before {
        Some(before) => {
            sqlx::query("UPDATE filings SET subject = $1, principal = $2, websites = $3, status = $4, updated_at = $5 WHERE id = $6")
                .bind(encode("filing subject", &before.id, &record.subject)?)
                .bind(encode("filing principal", &before.id, &record.subject_principal)?)
                .bind(encode("filing websites", &before.id, &websites)?)
                .bind(status)
                .bind(at)
                .bind(&before.id)
                .execute(&mut *conn)
                .await?;
            before.id
        }
        None => {
            let id = new_id();
            let inserted = sqlx::query(
                "INSERT INTO filings (id, account_id, order_id, province, icp_number, subject, principal, websites, approved_on, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (icp_number) DO NOTHING",
            )
            .bind(&id)
            .bind(&order.account_id)
            .bind(&order.id)
            .bind(record.province.code())
            .bind(&record.icp_number)
            .bind(encode("filing subject", &order.id, &record.subject)?)
            .bind(encode("filing principal", &order.id, &record.subject_principal)?)
            .bind(encode("filing websites", &order.id, &websites)?)
            .bind(at.get(..10).unwrap_or(at))
            .bind(status)
            .bind(at)
            .bind(at)
            .execute(&mut *conn)
            .await?;
            if inserted.rows_affected() != 1 {
                return Err(Refusal::IcpNumberTaken.into());
            }
            sqlx::query("UPDATE orders SET filing_id = $1 WHERE id = $2").bind(&id).bind(&order.id).execute(&mut *conn).await?;
            id
        }
    };
    let path = order.path;
    let detail = FilingEventDetail { differences, websites: numbers.websites.clone() };
    sqlx::query("INSERT INTO filing_events (id, filing_id, order_id, path, detail, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_id())
        .bind(&id)
        .bind(&order.id)
        .bind(enum_str(&path))
        .bind(encode("filing event detail", &order.id, &detail)?)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The most records a lookup answers, and the most rows it reads to find them.
pub const LOOKUP_LIMIT: usize = 20;
const LOOKUP_SCAN: usize = 200;

/// `filing` with the websites still filed (a cancelled one is "not filed"): a subject whose
/// websites were all cancelled is still filed.
fn still_filed(mut filing: Filing) -> Filing {
    filing.websites.retain(|w| w.state != WebsiteState::Cancelled);
    filing
}

/// `filing` with only the websites still filed (a cancelled one is "not filed") that `keep`
/// keeps; `None` when none is left.
fn only_websites(mut filing: Filing, keep: impl Fn(&RecordWebsite) -> bool) -> Option<Filing> {
    filing.websites.retain(|w| w.state != WebsiteState::Cancelled && keep(w));
    (!filing.websites.is_empty()).then_some(filing)
}

/// `text` for a LIKE pattern with `\` as the escape character.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn filing_from_row(r: &sqlx::any::AnyRow) -> Result<Filing> {
    let id: String = r.try_get("id")?;
    Ok(Filing {
        account_id: r.try_get("account_id")?,
        order_id: r.try_get("order_id")?,
        province: Province::parse(&r.try_get::<String, _>("province")?).ok_or_else(|| StoreError::Corrupt { what: "filing province", id: id.clone(), detail: String::new() })?,
        icp_number: r.try_get("icp_number")?,
        subject: decode("filing subject", &id, &r.try_get::<String, _>("subject")?)?,
        websites: decode("filing websites", &id, &r.try_get::<String, _>("websites")?)?,
        subject_principal: decode("filing principal", &id, &r.try_get::<String, _>("principal")?)?,
        approved_on: r.try_get("approved_on")?,
        status: r.try_get("status")?,
        id,
    })
}
