//! Beian's storage. SQLite by default through sqlx, with portable SQL (TEXT ids, RFC 3339
//! timestamps) so that PostgreSQL can follow. Every state change of an order is written to
//! the audit log in the same transaction.
//!
//! The store enforces the invariants that need the database: one open order per account
//! (one account holds one subject), service codes single use and never returned, only the
//! owner (or a reviewer) reads an order or a document.

pub mod auth;
pub mod db;

use std::path::Path;

use beian_rules::{FilingPath, OrderStatus};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Row, SqlitePool};

/// A refusal or a failure, each with a stable code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(&'static str),
    #[error("{0}")]
    Invalid(&'static str),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("files: {0}")]
    Files(#[from] std::io::Error),
}

impl StoreError {
    /// The stable code (`order.not_found`), or `internal` for failures.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound(c)
            | StoreError::Forbidden(c)
            | StoreError::Conflict(c)
            | StoreError::Invalid(c)
            | StoreError::Unauthorized(c) => c,
            StoreError::Database(_) | StoreError::Files(_) => "internal",
        }
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// Roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Reviewer,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Reviewer => "reviewer",
        }
    }

    fn parse(s: &str) -> Role {
        if s == "reviewer" { Role::Reviewer } else { Role::Applicant }
    }
}

/// An account (one account holds one filing subject).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub role: Role,
}

/// A provider instance as stored (and as the operator imports it): the rules crate's
/// `Instance` with its id and owner (in the import file, all in one flat object).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceRecord {
    pub id: String,
    /// The owning account's username (import) or id (stored).
    #[serde(default)]
    pub account: Option<String>,
    /// Product, region, billing, subscription and bandwidth; the codes issued so far are
    /// filled in when read.
    #[serde(flatten)]
    pub instance: beian_rules::types::Instance,
}

/// A service code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCodeRecord {
    pub code: String,
    pub instance_id: String,
    pub issued_at: String,
    pub used_by_order: Option<String>,
}

/// An order with its latest saved answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub id: String,
    pub account_id: String,
    pub path: FilingPath,
    pub status: OrderStatus,
    pub version: i64,
    pub application: beian_rules::Application,
    pub findings: Vec<beian_rules::Finding>,
    pub created_at: String,
    pub updated_at: String,
}

/// An uploaded document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub account_id: String,
    pub kind: beian_rules::DocumentKind,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub original_name: String,
}

/// Media types accepted for uploads, recognised from the file's bytes (facts §3.4: jpg, png,
/// gif; PDF for signed forms).
pub const ACCEPTED_MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "application/pdf"];

fn now() -> String {
    Utc::now().to_rfc3339()
}

/// A certificate number as compared between filings (spaces and case do not matter).
fn subject_key(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

use beian_rules::wire::{name as enum_str, parse as enum_parse};

/// The store: a pool and the folder for uploaded files.
#[derive(Clone)]
pub struct Store {
    pub pool: SqlitePool,
    files: std::sync::Arc<Path>,
}

impl Store {
    /// Opens the database (migrating it) and the documents folder under `data_dir`.
    pub async fn open(url: &str, data_dir: &Path) -> std::result::Result<Store, String> {
        let pool = db::connect(url).await?;
        let files = data_dir.join("documents");
        std::fs::create_dir_all(&files).map_err(|e| format!("error: BEIAN_DATA_DIR {}: {e}", data_dir.display()))?;
        Ok(Store { pool, files: files.into() })
    }

    async fn audit(
        tx: &mut sqlx::SqliteConnection,
        order: Option<&str>,
        account: &str,
        action: &str,
        from: Option<OrderStatus>,
        to: Option<OrderStatus>,
    ) -> Result<()> {
        sqlx::query("INSERT INTO audit_log (id, order_id, account_id, action, from_status, to_status, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(new_id())
            .bind(order)
            .bind(account)
            .bind(action)
            .bind(from.map(|s| enum_str(&s)))
            .bind(to.map(|s| enum_str(&s)))
            .bind(now())
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    // ---- accounts -------------------------------------------------------------------

    /// Registers an applicant. Usernames are e-mail addresses, compared case-insensitively.
    pub async fn register(&self, username: &str, password: &str) -> Result<Account> {
        let username = username.trim().to_lowercase();
        if beian_rules::ids::email::validate(&username).iter().any(|f| f.is_error()) {
            return Err(StoreError::Invalid("account.username_invalid"));
        }
        if password.chars().count() < 10 {
            return Err(StoreError::Invalid("account.password_too_short"));
        }
        let hash = auth::hash_password(password).map_err(|_| StoreError::Invalid("account.password_invalid"))?;
        let id = new_id();
        let inserted = sqlx::query("INSERT INTO accounts (id, username, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING")
            .bind(&id)
            .bind(&username)
            .bind(hash)
            .bind(Role::Applicant.as_str())
            .bind(now())
            .execute(&self.pool)
            .await?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::Conflict("account.username_taken"));
        }
        Ok(Account { id, username, role: Role::Applicant })
    }

    /// Checks a username and password.
    pub async fn login(&self, username: &str, password: &str) -> Result<Account> {
        let username = username.trim().to_lowercase();
        let row = sqlx::query("SELECT id, password_hash, role FROM accounts WHERE username = ?")
            .bind(&username)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            // Same work and same answer whether or not the account exists.
            let _ = auth::verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            return Err(StoreError::Unauthorized("auth.wrong_credentials"));
        };
        let hash: String = row.try_get("password_hash")?;
        if !auth::verify_password(password, &hash) {
            return Err(StoreError::Unauthorized("auth.wrong_credentials"));
        }
        Ok(Account { id: row.try_get("id")?, username, role: Role::parse(&row.try_get::<String, _>("role")?) })
    }

    /// An account by id.
    pub async fn account(&self, id: &str) -> Result<Account> {
        let row = sqlx::query("SELECT id, username, role FROM accounts WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::Unauthorized("auth.required"))?;
        Ok(Account {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: Role::parse(&row.try_get::<String, _>("role")?),
        })
    }

    // ---- instances and service codes ------------------------------------------------

    /// Imports instances (the operator's command); an instance's `account` is a username.
    /// Existing ids are updated. Returns how many were written.
    pub async fn import_instances(&self, instances: &[InstanceRecord]) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        for i in instances {
            let account: Option<String> = match &i.account {
                Some(username) => Some(
                    sqlx::query_scalar("SELECT id FROM accounts WHERE username = ?")
                        .bind(username.trim().to_lowercase())
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::Invalid("instance.unknown_account"))?,
                ),
                None => None,
            };
            sqlx::query(
                "INSERT INTO instances (id, account_id, product, region, billing, subscription_start, subscription_end, public_bandwidth_mbps, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, product = excluded.product, region = excluded.region,
                   billing = excluded.billing, subscription_start = excluded.subscription_start,
                   subscription_end = excluded.subscription_end, public_bandwidth_mbps = excluded.public_bandwidth_mbps",
            )
            .bind(&i.id)
            .bind(account)
            .bind(enum_str(&i.instance.product))
            .bind(&i.instance.region)
            .bind(enum_str(&i.instance.billing))
            .bind(i.instance.subscription_start.to_string())
            .bind(i.instance.subscription_end.map(|d| d.to_string()))
            .bind(i64::from(i.instance.public_bandwidth_mbps))
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(instances.len())
    }

    fn instance_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<InstanceRecord> {
        let date = |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
        Ok(InstanceRecord {
            id: row.try_get("id")?,
            account: row.try_get("account_id")?,
            instance: beian_rules::types::Instance {
                product: enum_parse(&row.try_get::<String, _>("product")?).ok_or(StoreError::Invalid("instance.product"))?,
                region: row.try_get("region")?,
                billing: enum_parse(&row.try_get::<String, _>("billing")?).ok_or(StoreError::Invalid("instance.billing"))?,
                subscription_start: date(row.try_get("subscription_start")?).ok_or(StoreError::Invalid("instance.subscription_start"))?,
                subscription_end: date(row.try_get("subscription_end")?),
                public_bandwidth_mbps: u32::try_from(row.try_get::<i64, _>("public_bandwidth_mbps")?).unwrap_or(0),
                service_codes_issued: u32::try_from(row.try_get::<i64, _>("codes")?).unwrap_or(0),
                single_order_usd_cents: None,
            },
        })
    }

    /// The instances an account owns, with the count of codes issued for each.
    pub async fn instances_of(&self, account_id: &str) -> Result<Vec<InstanceRecord>> {
        let rows = sqlx::query(
            "SELECT i.*, (SELECT COUNT(*) FROM service_codes c WHERE c.instance_id = i.id) AS codes
             FROM instances i WHERE i.account_id = ? ORDER BY i.id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(Self::instance_from_row).collect()
    }

    /// Issues a service code for an instance the account owns, if `eligible` says the
    /// instance may have one (the caller runs the rules crate on the instance read inside
    /// this call's transaction).
    pub async fn issue_service_code(
        &self,
        account_id: &str,
        instance_id: &str,
        eligible: impl Fn(&InstanceRecord) -> bool,
    ) -> Result<ServiceCodeRecord> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT i.*, (SELECT COUNT(*) FROM service_codes c WHERE c.instance_id = i.id) AS codes FROM instances i WHERE i.id = ?",
        )
        .bind(instance_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("instance.not_found"))?;
        let instance = Self::instance_from_row(&row)?;
        if instance.account.as_deref() != Some(account_id) {
            // Not the purchasing account: the seeds' "Apply button is not displayed".
            return Err(StoreError::NotFound("instance.not_found"));
        }
        if !eligible(&instance) {
            return Err(StoreError::Conflict("instance.not_eligible"));
        }
        let code = new_id();
        let issued_at = now();
        sqlx::query("INSERT INTO service_codes (code, instance_id, account_id, issued_at) VALUES (?, ?, ?, ?)")
            .bind(&code)
            .bind(instance_id)
            .bind(account_id)
            .bind(&issued_at)
            .execute(&mut *tx)
            .await?;
        Self::audit(&mut tx, None, account_id, "service_code.issued", None, None).await?;
        tx.commit().await?;
        Ok(ServiceCodeRecord { code, instance_id: instance_id.to_owned(), issued_at, used_by_order: None })
    }

    /// The service codes an account was issued.
    pub async fn service_codes_of(&self, account_id: &str) -> Result<Vec<ServiceCodeRecord>> {
        let rows = sqlx::query("SELECT code, instance_id, issued_at, used_by_order FROM service_codes WHERE account_id = ? ORDER BY issued_at")
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ServiceCodeRecord {
                    code: r.try_get("code")?,
                    instance_id: r.try_get("instance_id")?,
                    issued_at: r.try_get("issued_at")?,
                    used_by_order: r.try_get("used_by_order")?,
                })
            })
            .collect()
    }

    // ---- orders -----------------------------------------------------------------------

    async fn open_order_of(&self, conn: &mut sqlx::SqliteConnection, account_id: &str) -> Result<Option<String>> {
        let rows = sqlx::query("SELECT id, status FROM orders WHERE account_id = ?").bind(account_id).fetch_all(&mut *conn).await?;
        for row in rows {
            let status: Option<OrderStatus> = enum_parse(&row.try_get::<String, _>("status")?);
            if status.is_some_and(OrderStatus::is_open) {
                return Ok(Some(row.try_get("id")?));
            }
        }
        Ok(None)
    }

    /// Creates a draft order; refused while the account has an open order.
    pub async fn create_order(&self, account_id: &str, path: FilingPath) -> Result<OrderRecord> {
        if !path.has_order() {
            return Err(StoreError::Invalid("order.path_has_no_order"));
        }
        let mut tx = self.pool.begin().await?;
        if self.open_order_of(&mut tx, account_id).await?.is_some() {
            return Err(StoreError::Conflict("order.open_order_exists"));
        }
        let id = new_id();
        let at = now();
        let application = beian_rules::Application { path: Some(path), ..Default::default() };
        sqlx::query("INSERT INTO orders (id, account_id, path, province, status, version, created_at, updated_at) VALUES (?, ?, ?, NULL, 'draft', 1, ?, ?)")
            .bind(&id)
            .bind(account_id)
            .bind(path.as_str())
            .bind(&at)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO order_versions (order_id, version, data, problems, saved_at) VALUES (?, 1, ?, '[]', ?)")
            .bind(&id)
            .bind(serde_json::to_string(&application).unwrap_or_default())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        Self::audit(&mut tx, Some(&id), account_id, "order.created", None, Some(OrderStatus::Draft)).await?;
        tx.commit().await?;
        self.order(account_id, Role::Applicant, &id).await
    }

    /// Reads an order: its owner, or any reviewer.
    pub async fn order(&self, account_id: &str, role: Role, order_id: &str) -> Result<OrderRecord> {
        let row = sqlx::query(
            "SELECT o.*, v.data, v.problems FROM orders o JOIN order_versions v ON v.order_id = o.id AND v.version = o.version WHERE o.id = ?",
        )
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("order.not_found"))?;
        let owner: String = row.try_get("account_id")?;
        if owner != account_id && role != Role::Reviewer {
            // Someone else's order answers exactly like a missing one.
            return Err(StoreError::NotFound("order.not_found"));
        }
        Ok(OrderRecord {
            id: row.try_get("id")?,
            account_id: owner,
            path: enum_parse(&row.try_get::<String, _>("path")?).ok_or(StoreError::Invalid("order.path"))?,
            status: enum_parse(&row.try_get::<String, _>("status")?).ok_or(StoreError::Invalid("order.status"))?,
            version: row.try_get("version")?,
            application: serde_json::from_str(&row.try_get::<String, _>("data")?).unwrap_or_default(),
            findings: serde_json::from_str(&row.try_get::<String, _>("problems")?).unwrap_or_default(),
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// The orders of an account, newest first.
    pub async fn orders_of(&self, account_id: &str) -> Result<Vec<OrderRecord>> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM orders WHERE account_id = ? ORDER BY created_at DESC")
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for id in ids {
            out.push(self.order(account_id, Role::Applicant, &id).await?);
        }
        Ok(out)
    }

    /// Saves a new version of a draft with the findings found at this save. The path is the
    /// order's, whatever the client sent.
    pub async fn save_draft(
        &self,
        account_id: &str,
        order_id: &str,
        application: &beian_rules::Application,
        findings: &[beian_rules::Finding],
    ) -> Result<OrderRecord> {
        let current = self.order(account_id, Role::Applicant, order_id).await?;
        if current.account_id != account_id {
            return Err(StoreError::NotFound("order.not_found"));
        }
        if current.status != OrderStatus::Draft {
            return Err(StoreError::Conflict("order.not_draft"));
        }
        let mut application = application.clone();
        application.path = Some(current.path);
        let version = current.version + 1;
        let at = now();
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query("UPDATE orders SET version = ?, province = ?, updated_at = ? WHERE id = ? AND version = ? AND status = 'draft'")
            .bind(version)
            .bind(application.province.map(|p| p.code()))
            .bind(&at)
            .bind(order_id)
            .bind(current.version)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict("order.changed_meanwhile"));
        }
        sqlx::query("INSERT INTO order_versions (order_id, version, data, problems, saved_at) VALUES (?, ?, ?, ?, ?)")
            .bind(order_id)
            .bind(version)
            .bind(serde_json::to_string(&application).unwrap_or_default())
            .bind(serde_json::to_string(findings).unwrap_or_default())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.order(account_id, Role::Applicant, order_id).await
    }

    /// Submits a draft that the caller has validated: binds its service code (which must be
    /// this account's and unused) and moves it to the provider's review, in one transaction.
    pub async fn submit(&self, account_id: &str, order_id: &str, version: i64) -> Result<OrderRecord> {
        let current = self.order(account_id, Role::Applicant, order_id).await?;
        if current.account_id != account_id {
            return Err(StoreError::NotFound("order.not_found"));
        }
        if current.status != OrderStatus::Draft {
            return Err(StoreError::Conflict("order.not_draft"));
        }
        if current.version != version {
            return Err(StoreError::Conflict("order.changed_meanwhile"));
        }
        let mut tx = self.pool.begin().await?;
        // One code per website (`websites[i].service_code`).
        for site in current.application.websites.iter().filter(|_| current.path.needs_service_code()) {
            let code = beian_rules::ids::service_code::compact(&site.service_code);
            let row = sqlx::query("SELECT account_id, used_by_order FROM service_codes WHERE code = ?")
                .bind(&code)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Invalid("service_code.unknown"))?;
            let owner: String = row.try_get("account_id")?;
            let used: Option<String> = row.try_get("used_by_order")?;
            if owner != account_id {
                // A code from another account would need that account's authorisation.
                return Err(StoreError::Invalid("service_code.unknown"));
            }
            if used.is_some_and(|o| o != order_id) {
                return Err(StoreError::Conflict("service_code.used"));
            }
            sqlx::query("UPDATE service_codes SET used_by_order = ?, used_at = ? WHERE code = ?")
                .bind(order_id)
                .bind(now())
                .bind(&code)
                .execute(&mut *tx)
                .await?;
        }
        Self::bind_subject(&mut tx, account_id, &current.application.subject).await?;
        let updated = sqlx::query("UPDATE orders SET status = 'provider_review', updated_at = ? WHERE id = ? AND version = ? AND status = 'draft'")
            .bind(now())
            .bind(order_id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict("order.changed_meanwhile"));
        }
        Self::audit(&mut tx, Some(order_id), account_id, "order.submitted", Some(OrderStatus::Draft), Some(OrderStatus::ProviderReview))
            .await?;
        tx.commit().await?;
        self.order(account_id, Role::Applicant, order_id).await
    }

    /// One account holds one filing subject: the first submission binds the subject (by its
    /// certificate number) to the account; a later submission for another subject is refused.
    async fn bind_subject(tx: &mut sqlx::SqliteConnection, account_id: &str, subject: &beian_rules::Subject) -> Result<()> {
        let number = subject_key(&subject.certificate_number);
        match Self::held_subject(tx, account_id).await? {
            Some(held) => {
                if subject_key(&held.certificate_number) != number {
                    return Err(StoreError::Conflict("subject.not_this_accounts"));
                }
                Ok(())
            }
            None => {
                sqlx::query("INSERT INTO subjects (id, account_id, data, created_at) VALUES (?, ?, ?, ?)")
                    .bind(new_id())
                    .bind(account_id)
                    .bind(serde_json::to_string(subject).unwrap_or_default())
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                Ok(())
            }
        }
    }

    /// The filing subject this account holds, once a filing was submitted.
    pub async fn subject_of(&self, account_id: &str) -> Result<Option<beian_rules::Subject>> {
        let mut conn = self.pool.acquire().await?;
        Self::held_subject(&mut conn, account_id).await
    }

    /// The subject an account holds, read on `conn` (the pool's, or a transaction's).
    async fn held_subject(conn: &mut sqlx::SqliteConnection, account_id: &str) -> Result<Option<beian_rules::Subject>> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM subjects WHERE account_id = ?")
            .bind(account_id)
            .fetch_optional(&mut *conn)
            .await?;
        // Written by `bind_subject` from a Subject; an unreadable row holds no certificate
        // number, so it matches no submission.
        Ok(data.map(|d| serde_json::from_str(&d).unwrap_or_default()))
    }

    /// Moves an order to `next` if the status machine allows it (withdrawal returns a
    /// submitted order to draft; its service code stays bound to it, as codes are never
    /// returned).
    pub async fn transition(&self, account: &Account, order_id: &str, next: OrderStatus) -> Result<OrderRecord> {
        let current = self.order(&account.id, account.role, order_id).await?;
        let applicant_may = matches!(next, OrderStatus::Draft | OrderStatus::Abandoned) && current.account_id == account.id;
        if !(applicant_may || account.role == Role::Reviewer) {
            return Err(StoreError::Forbidden("order.transition_forbidden"));
        }
        if next == OrderStatus::Draft && account.role == Role::Applicant && !current.status.can_withdraw() {
            return Err(StoreError::Conflict("order.cannot_withdraw"));
        }
        if !current.status.can_become(next) {
            return Err(StoreError::Conflict("order.transition_not_allowed"));
        }
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query("UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?")
            .bind(enum_str(&next))
            .bind(now())
            .bind(order_id)
            .bind(enum_str(&current.status))
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict("order.changed_meanwhile"));
        }
        Self::audit(&mut tx, Some(order_id), &account.id, "order.transition", Some(current.status), Some(next)).await?;
        tx.commit().await?;
        self.order(&account.id, account.role, order_id).await
    }

    /// The audit trail of an order, oldest first: (action, from, to, at).
    pub async fn audit_of(&self, order_id: &str) -> Result<Vec<(String, Option<String>, Option<String>, String)>> {
        let rows = sqlx::query("SELECT action, from_status, to_status, at FROM audit_log WHERE order_id = ? ORDER BY at")
            .bind(order_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("action")?, r.try_get("from_status")?, r.try_get("to_status")?, r.try_get("at")?)))
            .collect()
    }

    // ---- documents --------------------------------------------------------------------

    /// Stores an uploaded document. The type is taken from the bytes, never from the name;
    /// files are named by their SHA-256, so the same file twice is stored once.
    pub async fn store_document(
        &self,
        account_id: &str,
        kind: beian_rules::DocumentKind,
        original_name: &str,
        bytes: &[u8],
        limit: usize,
    ) -> Result<DocumentRecord> {
        if bytes.is_empty() {
            return Err(StoreError::Invalid("document.empty"));
        }
        if bytes.len() > limit {
            return Err(StoreError::Invalid("document.too_large"));
        }
        let media_type = infer::get(bytes).map(|t| t.mime_type()).unwrap_or("application/octet-stream");
        if !ACCEPTED_MEDIA_TYPES.contains(&media_type) {
            return Err(StoreError::Invalid("document.type_not_accepted"));
        }
        let sha256 = format!("{:x}", Sha256::digest(bytes));
        let path = self.files.join(&sha256);
        if !path.exists() {
            let tmp = self.files.join(format!("{sha256}.{}.tmp", new_id()));
            tokio::fs::write(&tmp, bytes).await?;
            tokio::fs::rename(&tmp, &path).await?;
        }
        let record = DocumentRecord {
            id: new_id(),
            account_id: account_id.to_owned(),
            kind,
            media_type: media_type.to_owned(),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256,
            original_name: original_name.chars().take(200).collect(),
        };
        sqlx::query("INSERT INTO documents (id, account_id, order_id, kind, media_type, size_bytes, sha256, original_name, uploaded_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)")
            .bind(&record.id)
            .bind(account_id)
            .bind(enum_str(&kind))
            .bind(&record.media_type)
            .bind(record.size_bytes)
            .bind(&record.sha256)
            .bind(&record.original_name)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(record)
    }

    /// Reads a document back: its owner, or any reviewer.
    pub async fn document(&self, account: &Account, id: &str) -> Result<(DocumentRecord, Vec<u8>)> {
        let row = sqlx::query("SELECT * FROM documents WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("document.not_found"))?;
        let owner: String = row.try_get("account_id")?;
        if owner != account.id && account.role != Role::Reviewer {
            return Err(StoreError::NotFound("document.not_found"));
        }
        let record = DocumentRecord {
            id: row.try_get("id")?,
            account_id: owner,
            kind: enum_parse(&row.try_get::<String, _>("kind")?).ok_or(StoreError::Invalid("document.kind"))?,
            media_type: row.try_get("media_type")?,
            size_bytes: row.try_get("size_bytes")?,
            sha256: row.try_get("sha256")?,
            original_name: row.try_get("original_name")?,
        };
        let bytes = tokio::fs::read(self.files.join(&record.sha256)).await?;
        Ok((record, bytes))
    }

    /// How many orders are stored in `status` (used by tests to prove refusals store nothing).
    pub async fn count_orders(&self, status: OrderStatus) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE status = ?").bind(enum_str(&status)).fetch_one(&self.pool).await?)
    }
}
