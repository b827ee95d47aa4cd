//! Filing orders: one open order per account, every saved version of its answers with the
//! findings of that save, submission (binding the service code and the subject), and the
//! status machine's transitions — each a single transaction, written to the audit log.

use beian_rules::wire::name as enum_str;
use beian_rules::record::FilingRecord;
use beian_rules::{Application, FilingPath, Finding, OrderStatus};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::{Account, Role, bind_subject};
use crate::{audit, documents, instances};
use beian_rules::checked::CheckedApplication;
use beian_rules::lifecycle::{Action, Actor};
use crate::lifecycle::{Detail, record_event};
use crate::error::{Refusal, Result, StoreError, decode, decode_enum, is_unique_violation};
use crate::{Store, new_id, now};

/// An order with its latest saved answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub id: String,
    pub account_id: String,
    pub path: FilingPath,
    pub status: OrderStatus,
    pub version: i64,
    pub application: Application,
    pub findings: Vec<Finding>,
    /// The filing record it works on: the one it made once approved, or the one it started
    /// from.
    pub filing_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// An order with the answers and findings of its current version.
const SELECT_ORDER: &str = "SELECT o.id, o.account_id, o.path, o.status, o.version, o.filing_id, o.created_at, o.updated_at, v.data, v.problems
    FROM orders o JOIN order_versions v ON v.order_id = o.id AND v.version = o.version";

fn order_from_row(row: &AnyRow) -> Result<OrderRecord> {
    let id: String = row.try_get("id")?;
    Ok(OrderRecord {
        account_id: row.try_get("account_id")?,
        path: decode_enum("order path", &id, &row.try_get::<String, _>("path")?)?,
        status: decode_enum("order status", &id, &row.try_get::<String, _>("status")?)?,
        version: row.try_get("version")?,
        application: decode("order answers", &id, &row.try_get::<String, _>("data")?)?,
        findings: decode("order findings", &id, &row.try_get::<String, _>("problems")?)?,
        filing_id: row.try_get("filing_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        id,
    })
}

/// A saved draft, with the filing record it works on as the save read it (None for a path
/// that makes one).
#[derive(Clone, Debug, PartialEq)]
pub struct SavedDraft {
    pub order: OrderRecord,
    pub record: Option<FilingRecord>,
}

/// The outcome of a submission.
#[derive(Clone, Debug, PartialEq)]
pub enum Submission {
    /// Submitted: the order with the warnings of its check.
    Accepted(OrderRecord),
    /// Refused by a rule: the order as it stays (a draft), with every finding.
    Refused(OrderRecord),
}

/// The order `order_id` with its current version, read on `conn` (a transaction's).
pub(crate) async fn order_on(conn: &mut sqlx::AnyConnection, order_id: &str) -> Result<OrderRecord> {
    let row = sqlx::query(&format!("{SELECT_ORDER} WHERE o.id = $1"))
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Refusal::OrderNotFound)?;
    order_from_row(&row)
}

/// JSON of a value the store wrote itself (answers, findings).
fn encode<T: Serialize>(what: &'static str, id: &str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt { what, id: id.to_owned(), detail: e.to_string() })
}

/// True when `account` may read the order of `owner`: its owner, or any reviewer.
fn may_read(account: &Account, owner: &str) -> bool {
    owner == account.id || account.role == Role::Reviewer
}

impl Store {
    /// Creates a draft order; refused while the account has an open order. A path that
    /// starts from a filing record (a change, a cancellation, an addition, a transfer of
    /// another website) starts from the account's record: the only one it has, or none and
    /// it is refused ([`Store::create_order_from`] names one).
    pub async fn create_order(&self, account_id: &str, path: FilingPath) -> Result<OrderRecord> {
        self.create_order_from(account_id, path, None, None).await
    }

    /// Creates a draft order on `path` from the account's record `filing_id` (or its only
    /// one when None), its answers filled from the record (`beian_rules::record::prefill`;
    /// `website`, a website's number, for a cancellation of one website or of a transfer).
    pub async fn create_order_from(&self, account_id: &str, path: FilingPath, filing_id: Option<&str>, website: Option<&str>) -> Result<OrderRecord> {
        if !path.has_order() {
            return Err(Refusal::PathHasNoOrder.into());
        }
        let mut tx = self.begin_write().await?;
        let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM orders WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?;
        if statuses.iter().any(|s| beian_rules::wire::parse::<OrderStatus>(s).is_none_or(OrderStatus::is_open)) {
            return Err(Refusal::OpenOrderExists.into());
        }
        let id = new_id();
        let at = now();
        let (application, filing_id) = if beian_rules::record::needs_record(path) {
            let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM filings WHERE account_id = $1 AND status = 'active' ORDER BY approved_on, id").bind(account_id).fetch_all(&mut *tx).await?;
            let chosen = match filing_id {
                Some(wanted) => ids.into_iter().find(|i| i == wanted).ok_or(Refusal::FilingNotFound)?,
                None if ids.len() == 1 => ids.into_iter().next().ok_or(Refusal::RecordRequired)?,
                None => return Err(Refusal::RecordRequired.into()),
            };
            let filing = crate::lifecycle::filing_on(&mut tx, &chosen).await?.ok_or(Refusal::FilingNotFound)?;
            (beian_rules::record::prefill(&filing.record(), path, website), Some(chosen))
        } else {
            (Application { path: Some(path), ..Default::default() }, None)
        };
        sqlx::query("INSERT INTO orders (id, account_id, path, province, status, version, filing_id, created_at, updated_at) VALUES ($1, $2, $3, $4, 'draft', 1, $5, $6, $7)")
            .bind(&id)
            .bind(account_id)
            .bind(path.as_str())
            .bind(application.province.map(|p| p.code()))
            .bind(filing_id.clone())
            .bind(&at)
            .bind(&at)
            .execute(&mut *tx)
            .await
            // Another creation for this account committed meanwhile (PostgreSQL reads the
            // other transaction's row only once it commits; the unique index decides).
            .map_err(|e| if is_unique_violation(&e) { Refusal::OpenOrderExists.into() } else { StoreError::from(e) })?;
        sqlx::query("INSERT INTO order_versions (order_id, version, data, problems, saved_at) VALUES ($1, 1, $2, '[]', $3)")
            .bind(&id)
            .bind(encode("order answers", &id, &application)?)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, Some(&id), account_id, "order.created", None, Some(OrderStatus::Draft)).await?;
        tx.commit().await?;
        Ok(OrderRecord {
            id,
            account_id: account_id.to_owned(),
            path,
            status: OrderStatus::Draft,
            version: 1,
            application,
            findings: Vec::new(),
            filing_id,
            created_at: at.clone(),
            updated_at: at,
        })
    }

    /// Reads an order: its owner, or any reviewer. Someone else's order answers exactly like
    /// a missing one.
    pub async fn order(&self, account: &Account, order_id: &str) -> Result<OrderRecord> {
        let row = sqlx::query(&format!("{SELECT_ORDER} WHERE o.id = $1"))
            .bind(order_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Refusal::OrderNotFound)?;
        let owner: String = row.try_get("account_id")?;
        if !may_read(account, &owner) {
            return Err(Refusal::OrderNotFound.into());
        }
        let order = order_from_row(&row)?;
        if owner != account.id {
            // A reviewer reading an applicant's answers is written down.
            let mut conn = self.pool.acquire().await?;
            audit::record(&mut conn, Some(order_id), &account.id, "order.read_by_reviewer", None, None).await?;
        }
        Ok(order)
    }

    /// An order whoever owns it (the system's view: the clock, the administration). The API
    /// reads orders for people with [`Store::order`], which checks who may.
    pub async fn order_by_id(&self, order_id: &str) -> Result<OrderRecord> {
        let mut conn = self.pool.acquire().await?;
        order_on(&mut conn, order_id).await
    }

    /// The orders of an account, newest first.
    pub async fn orders_of(&self, account_id: &str) -> Result<Vec<OrderRecord>> {
        let rows = sqlx::query(&format!("{SELECT_ORDER} WHERE o.account_id = $1 ORDER BY o.created_at DESC, o.id"))
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(order_from_row).collect()
    }

    /// The answers of one saved version of an order, whoever owns it (the operator's and the
    /// reviewer console's view; the API checks who may read it).
    pub async fn order_version(&self, order_id: &str, version: i64) -> Result<Option<Application>> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM order_versions WHERE order_id = $1 AND version = $2")
            .bind(order_id)
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
        data.map(|d| decode("order answers", order_id, &d)).transpose()
    }

    /// How many orders are stored in `status` (used by tests to prove refusals store nothing).
    pub async fn count_orders(&self, status: OrderStatus) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE status = $1").bind(enum_str(&status)).fetch_one(&self.pool).await?)
    }

    /// Saves a new version of the account's draft, made from `base_version` (the version the
    /// caller's view was made from), with the findings `validate` returns for it. A save from
    /// a stale view is refused with the current version: it would replace answers that were
    /// acknowledged meanwhile. The path is the order's, whatever the client sent: `validate`
    /// sees the answers with the order's path. The record the order works on, as it was read
    /// for the findings, comes back with the order.
    pub async fn save_draft(
        &self,
        account_id: &str,
        order_id: &str,
        base_version: i64,
        application: Application,
        validate: impl FnOnce(&Application) -> Vec<Finding>,
    ) -> Result<SavedDraft> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT account_id, path, status, version, filing_id, created_at FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Refusal::OrderNotFound)?;
        if row.try_get::<String, _>("account_id")? != account_id {
            return Err(Refusal::OrderNotFound.into());
        }
        let path: FilingPath = decode_enum("order path", order_id, &row.try_get::<String, _>("path")?)?;
        if row.try_get::<String, _>("status")? != enum_str(&OrderStatus::Draft) {
            return Err(Refusal::OrderNotDraft.into());
        }
        let current: i64 = row.try_get("version")?;
        if current != base_version {
            return Err(Refusal::OrderChangedMeanwhile(current).into());
        }
        let version = current + 1;
        let mut application = application;
        application.path = Some(path);
        let filing_id: Option<String> = row.try_get("filing_id")?;
        let mut findings = validate(&application);
        let (against_record, record) = record_findings(&mut tx, &application, filing_id.as_deref()).await?;
        findings.extend(against_record);
        let at = now();
        // Compare-and-set: the write lock is held (IMMEDIATE on SQLite); on PostgreSQL the
        // version in the condition refuses a save that raced past the read.
        let updated = sqlx::query("UPDATE orders SET version = $1, province = $2, updated_at = $3 WHERE id = $4 AND version = $5 AND status = 'draft'")
            .bind(version)
            .bind(application.province.map(|p| p.code()))
            .bind(&at)
            .bind(order_id)
            .bind(current)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() != 1 {
            return Err(Refusal::OrderChangedMeanwhile(current).into());
        }
        sqlx::query("INSERT INTO order_versions (order_id, version, data, problems, saved_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(order_id)
            .bind(version)
            .bind(encode("order answers", order_id, &application)?)
            .bind(encode("order findings", order_id, &findings)?)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let order = OrderRecord {
            id: order_id.to_owned(),
            account_id: account_id.to_owned(),
            path,
            status: OrderStatus::Draft,
            version,
            application,
            findings,
            filing_id,
            created_at: row.try_get("created_at")?,
            updated_at: at,
        };
        Ok(SavedDraft { order, record })
    }

    /// Submits the account's draft at `version`: one decision on one stored version. In one
    /// transaction it reads that version, has `check` validate it (only validation builds a
    /// `CheckedApplication`), checks that every document it names was uploaded by this
    /// account, for this order (or for none yet), as the kind named, and that every service
    /// code is this account's and unused; then binds documents, codes and the subject and
    /// moves the order to the provider's review. Refused by a rule, nothing is written and the
    /// findings come back with the order.
    pub async fn submit(
        &self,
        account_id: &str,
        order_id: &str,
        version: i64,
        check: impl FnOnce(&Application) -> std::result::Result<CheckedApplication, Vec<Finding>>,
    ) -> Result<Submission> {
        let mut tx = self.begin_write().await?;
        let mut order = order_on(&mut tx, order_id).await?;
        if order.account_id != account_id {
            return Err(Refusal::OrderNotFound.into());
        }
        if order.status != OrderStatus::Draft {
            return Err(Refusal::OrderNotDraft.into());
        }
        if order.version != version {
            return Err(Refusal::OrderChangedMeanwhile(order.version).into());
        }
        // Against the record it works on, as it stands now (another order may have changed
        // it), and every rule: all the problems come back together.
        let against_record: Vec<Finding> = record_findings(&mut tx, &order.application, order.filing_id.as_deref()).await?.0.into_iter().filter(Finding::is_error).collect();
        let checked = match check(&order.application) {
            Ok(checked) if against_record.is_empty() => checked,
            Ok(_) => {
                order.findings = against_record;
                return Ok(Submission::Refused(order));
            }
            Err(mut findings) => {
                findings.extend(against_record);
                order.findings = findings;
                return Ok(Submission::Refused(order));
            }
        };
        let app = checked.application();
        let mut refusals = documents::check_bound(&mut tx, account_id, order_id, &app.documents).await?;
        refusals.extend(instances::check_codes(&mut tx, account_id, order_id, app).await?);
        if !refusals.is_empty() {
            order.findings = refusals;
            return Ok(Submission::Refused(order));
        }
        documents::bind(&mut tx, order_id, &app.documents).await?;
        if let Err(findings) = instances::bind_codes(&mut tx, account_id, order_id, app).await? {
            order.findings = findings;
            return Ok(Submission::Refused(order));
        }
        bind_subject(&mut tx, account_id, &app.subject).await?;
        let at = now();
        // Submitted: the reasons of an earlier rejection are answered.
        let updated = sqlx::query(
            "UPDATE orders SET status = 'provider_review', updated_at = $1, submitted_at = $1, submitted_version = $2, reasons = '[]'
             WHERE id = $3 AND version = $2 AND status = 'draft'",
        )
        .bind(&at)
        .bind(version)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(Refusal::OrderChangedMeanwhile(version).into());
        }
        record_event(&mut tx, &order, Action::Submit, OrderStatus::ProviderReview, Actor::Applicant, Some(account_id), &Detail::default(), &at).await?;
        audit::record(&mut tx, Some(order_id), account_id, "order.submit", Some(OrderStatus::Draft), Some(OrderStatus::ProviderReview)).await?;
        tx.commit().await?;
        order.status = OrderStatus::ProviderReview;
        order.findings = checked.warnings().to_vec();
        order.updated_at = at;
        Ok(Submission::Accepted(order))
    }
}

/// The problems of `app` against the record `filing_id` it works on
/// (`beian_rules::record::check_against_record`), read on `conn`.
async fn record_findings(conn: &mut sqlx::AnyConnection, app: &Application, filing_id: Option<&str>) -> Result<(Vec<Finding>, Option<FilingRecord>)> {
    let record = match filing_id {
        Some(id) => crate::lifecycle::filing_on(conn, id).await?.map(|f| f.record()),
        None => None,
    };
    Ok((beian_rules::record::check_against_record(app, record.as_ref()), record))
}
