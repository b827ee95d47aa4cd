//! Filing orders: one open order per account, every saved version of its answers with the
//! findings of that save, submission (binding the service code and the subject), and the
//! status machine's transitions — each a single transaction, written to the audit log.

use beian_rules::wire::name as enum_str;
use beian_rules::{Application, FilingPath, Finding, OrderStatus};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::{Account, Role, bind_subject};
use crate::audit;
use crate::error::{Refusal, Result, StoreError, decode, decode_enum};
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
    pub created_at: String,
    pub updated_at: String,
}

/// An order with the answers and findings of its current version.
const SELECT_ORDER: &str = "SELECT o.id, o.account_id, o.path, o.status, o.version, o.created_at, o.updated_at, v.data, v.problems
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
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        id,
    })
}

/// The order `order_id` with its current version, read on `conn` (a transaction's).
async fn order_on(conn: &mut sqlx::AnyConnection, order_id: &str) -> Result<OrderRecord> {
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
    /// Creates a draft order; refused while the account has an open order.
    pub async fn create_order(&self, account_id: &str, path: FilingPath) -> Result<OrderRecord> {
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
        let application = Application { path: Some(path), ..Default::default() };
        sqlx::query("INSERT INTO orders (id, account_id, path, province, status, version, created_at, updated_at) VALUES ($1, $2, $3, NULL, 'draft', 1, $4, $5)")
            .bind(&id)
            .bind(account_id)
            .bind(path.as_str())
            .bind(&at)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
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
        order_from_row(&row)
    }

    /// The orders of an account, newest first.
    pub async fn orders_of(&self, account_id: &str) -> Result<Vec<OrderRecord>> {
        let rows = sqlx::query(&format!("{SELECT_ORDER} WHERE o.account_id = $1 ORDER BY o.created_at DESC, o.id"))
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(order_from_row).collect()
    }

    /// How many orders are stored in `status` (used by tests to prove refusals store nothing).
    pub async fn count_orders(&self, status: OrderStatus) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE status = $1").bind(enum_str(&status)).fetch_one(&self.pool).await?)
    }

    /// Saves a new version of the account's draft with the findings `validate` returns for
    /// it. The path is the order's, whatever the client sent: `validate` sees the answers
    /// with the order's path.
    pub async fn save_draft(
        &self,
        account_id: &str,
        order_id: &str,
        application: Application,
        validate: impl FnOnce(&Application) -> Vec<Finding>,
    ) -> Result<OrderRecord> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT account_id, path, status, version, created_at FROM orders WHERE id = $1")
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
        let version = row.try_get::<i64, _>("version")? + 1;
        let mut application = application;
        application.path = Some(path);
        let findings = validate(&application);
        let at = now();
        sqlx::query("UPDATE orders SET version = $1, province = $2, updated_at = $3 WHERE id = $4")
            .bind(version)
            .bind(application.province.map(|p| p.code()))
            .bind(&at)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO order_versions (order_id, version, data, problems, saved_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(order_id)
            .bind(version)
            .bind(encode("order answers", order_id, &application)?)
            .bind(encode("order findings", order_id, &findings)?)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(OrderRecord {
            id: order_id.to_owned(),
            account_id: account_id.to_owned(),
            path,
            status: OrderStatus::Draft,
            version,
            application,
            findings,
            created_at: row.try_get("created_at")?,
            updated_at: at,
        })
    }

    /// Submits the account's draft at `version` (which the caller has validated): binds its
    /// service code (which must be this account's and unused) and the subject, and moves it
    /// to the provider's review, in one transaction.
    pub async fn submit(&self, account_id: &str, order_id: &str, version: i64) -> Result<OrderRecord> {
        let mut tx = self.begin_write().await?;
        let mut order = order_on(&mut tx, order_id).await?;
        if order.account_id != account_id {
            return Err(Refusal::OrderNotFound.into());
        }
        if order.status != OrderStatus::Draft {
            return Err(Refusal::OrderNotDraft.into());
        }
        if order.version != version {
            return Err(Refusal::OrderChangedMeanwhile.into());
        }
        // One code per website (`websites[i].service_code`).
        for site in order.application.websites_needing_codes().map(|(_, site)| site) {
            let code = beian_rules::ids::service_code::compact(&site.service_code);
            let row = sqlx::query("SELECT account_id, used_by_order FROM service_codes WHERE code = $1")
                .bind(&code)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Refusal::ServiceCodeUnknown)?;
            let owner: String = row.try_get("account_id")?;
            let used: Option<String> = row.try_get("used_by_order")?;
            if owner != account_id {
                // A code from another account would need that account's authorisation.
                return Err(Refusal::ServiceCodeUnknown.into());
            }
            if used.is_some_and(|o| o != order_id) {
                return Err(Refusal::ServiceCodeUsed.into());
            }
            sqlx::query("UPDATE service_codes SET used_by_order = $1, used_at = $2 WHERE code = $3")
                .bind(order_id)
                .bind(now())
                .bind(&code)
                .execute(&mut *tx)
                .await?;
        }
        bind_subject(&mut tx, account_id, &order.application.subject).await?;
        let at = now();
        sqlx::query("UPDATE orders SET status = 'provider_review', updated_at = $1 WHERE id = $2")
            .bind(&at)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, Some(order_id), account_id, "order.submitted", Some(OrderStatus::Draft), Some(OrderStatus::ProviderReview)).await?;
        tx.commit().await?;
        order.status = OrderStatus::ProviderReview;
        order.updated_at = at;
        Ok(order)
    }

    /// Moves an order to `next` if the status machine allows it (withdrawal returns a
    /// submitted order to draft; its service code stays bound to it, as codes are never
    /// returned).
    pub async fn transition(&self, account: &Account, order_id: &str, next: OrderStatus) -> Result<OrderRecord> {
        let mut tx = self.begin_write().await?;
        let mut order = order_on(&mut tx, order_id).await?;
        if !may_read(account, &order.account_id) {
            return Err(Refusal::OrderNotFound.into());
        }
        let applicant_may = matches!(next, OrderStatus::Draft | OrderStatus::Abandoned) && order.account_id == account.id;
        if !(applicant_may || account.role == Role::Reviewer) {
            return Err(Refusal::TransitionForbidden.into());
        }
        if next == OrderStatus::Draft && account.role == Role::Applicant && !order.status.can_withdraw() {
            return Err(Refusal::OrderCannotWithdraw.into());
        }
        if !order.status.can_become(next) {
            return Err(Refusal::TransitionNotAllowed.into());
        }
        let at = now();
        sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(enum_str(&next))
            .bind(&at)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, Some(order_id), &account.id, "order.transition", Some(order.status), Some(next)).await?;
        tx.commit().await?;
        order.status = next;
        order.updated_at = at;
        Ok(order)
    }
}
