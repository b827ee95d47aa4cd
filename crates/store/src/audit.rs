//! The audit log: who did what to which order, written in the same transaction as the change.

use beian_rules::OrderStatus;
use beian_rules::wire::name as enum_str;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::{Store, new_id, now};

/// One entry of an order's audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub action: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub at: String,
}

/// Writes one entry on `conn` (a transaction's).
pub(crate) async fn record(
    conn: &mut AnyConnection,
    order: Option<&str>,
    account: &str,
    action: &str,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (id, order_id, account_id, action, from_status, to_status, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(new_id())
        .bind(order)
        .bind(account)
        .bind(action)
        .bind(from.map(|s| enum_str(&s)))
        .bind(to.map(|s| enum_str(&s)))
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// The audit trail of an order, oldest first.
    pub async fn audit_of(&self, order_id: &str) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT action, from_status, to_status, at FROM audit_log WHERE order_id = $1 ORDER BY at, id")
            .bind(order_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(AuditEntry { action: r.try_get("action")?, from: r.try_get("from_status")?, to: r.try_get("to_status")?, at: r.try_get("at")? }))
            .collect()
    }
}
