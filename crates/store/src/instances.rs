//! The provider's instances (imported by the operator) and the service codes issued for them:
//! within the product's quota, single use, never returned.

use beian_rules::application::{CodeQuota, check_service_codes};
use beian_rules::{Application, Code, Finding};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::{Refusal, Result, StoreError, decode_enum};
use crate::{Store, new_id, now};
use beian_rules::wire::name as enum_str;

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

/// An instance with the count of codes issued for it.
const SELECT_INSTANCE: &str = "SELECT i.id, i.account_id, i.product, i.region, i.billing, i.subscription_start, i.subscription_end,
    i.public_bandwidth_mbps, (SELECT COUNT(*) FROM service_codes c WHERE c.instance_id = i.id) AS codes FROM instances i";

fn instance_from_row(row: &AnyRow) -> Result<InstanceRecord> {
    let id: String = row.try_get("id")?;
    let date = |column: &str, text: Option<String>| -> Result<Option<NaiveDate>> {
        text.map(|s| {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| StoreError::Corrupt { what: "instance date", id: format!("{id} {column}"), detail: e.to_string() })
        })
        .transpose()
    };
    let start = date("subscription_start", row.try_get("subscription_start")?)?
        .ok_or_else(|| StoreError::Corrupt { what: "instance", id: id.clone(), detail: "no subscription start".into() })?;
    Ok(InstanceRecord {
        account: row.try_get("account_id")?,
        instance: beian_rules::types::Instance {
            product: decode_enum("instance product", &id, &row.try_get::<String, _>("product")?)?,
            region: row.try_get("region")?,
            billing: decode_enum("instance billing", &id, &row.try_get::<String, _>("billing")?)?,
            subscription_start: start,
            subscription_end: date("subscription_end", row.try_get("subscription_end")?)?,
            public_bandwidth_mbps: u32::try_from(row.try_get::<i64, _>("public_bandwidth_mbps")?).unwrap_or(0),
            service_codes_issued: u32::try_from(row.try_get::<i64, _>("codes")?).unwrap_or(0),
            single_order_usd_cents: None,
        },
        id,
    })
}

impl Store {
    /// Imports instances (the operator's command); an instance's `account` is a username.
    /// Existing ids are updated. All or nothing. Returns how many were written.
    pub async fn import_instances(&self, instances: &[InstanceRecord]) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        for i in instances {
            let account: Option<String> = match &i.account {
                Some(username) => Some(
                    sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
                        .bind(username.trim().to_lowercase())
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(Refusal::InstanceUnknownAccount)?,
                ),
                None => None,
            };
            sqlx::query(
                "INSERT INTO instances (id, account_id, product, region, billing, subscription_start, subscription_end, public_bandwidth_mbps, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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

    /// How many instances the database holds.
    pub async fn instance_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM instances").fetch_one(&self.pool).await?)
    }

    /// One instance by id, whoever owns it (the operator's view).
    pub async fn instance(&self, id: &str) -> Result<Option<InstanceRecord>> {
        let row = sqlx::query(&format!("{SELECT_INSTANCE} WHERE i.id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(instance_from_row).transpose()
    }

    /// The instances an account owns, with the count of codes issued for each.
    pub async fn instances_of(&self, account_id: &str) -> Result<Vec<InstanceRecord>> {
        let rows = sqlx::query(&format!("{SELECT_INSTANCE} WHERE i.account_id = $1 ORDER BY i.id"))
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(instance_from_row).collect()
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
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!("{SELECT_INSTANCE} WHERE i.id = $1"))
            .bind(instance_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Refusal::InstanceNotFound)?;
        let instance = instance_from_row(&row)?;
        if instance.account.as_deref() != Some(account_id) {
            // Not the purchasing account: the seeds' "Apply button is not displayed".
            return Err(Refusal::InstanceNotFound.into());
        }
        if !eligible(&instance) {
            return Err(Refusal::InstanceNotEligible.into());
        }
        let code = new_id();
        let issued_at = now();
        sqlx::query("INSERT INTO service_codes (code, instance_id, account_id, issued_at) VALUES ($1, $2, $3, $4)")
            .bind(&code)
            .bind(instance_id)
            .bind(account_id)
            .bind(&issued_at)
            .execute(&mut *tx)
            .await?;
        crate::audit::record(&mut tx, None, account_id, "service_code.issued", None, None).await?;
        tx.commit().await?;
        Ok(ServiceCodeRecord { code, instance_id: instance_id.to_owned(), issued_at, used_by_order: None })
    }

    /// The service codes an account was issued.
    pub async fn service_codes_of(&self, account_id: &str) -> Result<Vec<ServiceCodeRecord>> {
        let rows = sqlx::query("SELECT code, instance_id, issued_at, used_by_order FROM service_codes WHERE account_id = $1 ORDER BY issued_at")
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
}

/// What is wrong with the service codes of `app` for a submission of `order_id` by
/// `account_id`: each website's code must be one this account was issued and that no other
/// order has used (the rules crate's `check_service_codes`, on the codes read here).
pub(crate) async fn check_codes(conn: &mut AnyConnection, account_id: &str, order_id: &str, app: &Application) -> Result<Vec<Finding>> {
    let rows = sqlx::query("SELECT code, used_by_order FROM service_codes WHERE account_id = $1").bind(account_id).fetch_all(&mut *conn).await?;
    let mut quota = CodeQuota::default();
    for row in rows {
        let code: String = row.try_get("code")?;
        match row.try_get::<Option<String>, _>("used_by_order")? {
            Some(by) if by != order_id => quota.used.push(code),
            _ => quota.unused.push(code),
        }
    }
    Ok(check_service_codes(app, &quota))
}

/// Binds each website's code to `order_id`, each in one statement that holds only while the
/// code is unused (or already this order's): a code raced away meanwhile is refused, never
/// taken twice.
pub(crate) async fn bind_codes(conn: &mut AnyConnection, account_id: &str, order_id: &str, app: &Application) -> Result<std::result::Result<(), Vec<Finding>>> {
    let at = now();
    let mut refused = Vec::new();
    for (i, site) in app.websites_needing_codes() {
        let code = beian_rules::ids::service_code::compact(&site.service_code);
        let bound = sqlx::query(
            "UPDATE service_codes SET used_by_order = $1, used_at = $2 WHERE code = $3 AND account_id = $4 AND (used_by_order IS NULL OR used_by_order = $1)",
        )
        .bind(order_id)
        .bind(&at)
        .bind(&code)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
        if bound.rows_affected() != 1 {
            refused.push(Finding::error(Code::ServiceCodeUsed).at(format!("websites[{i}].service_code")));
        }
    }
    Ok(if refused.is_empty() { Ok(()) } else { Err(refused) })
}
