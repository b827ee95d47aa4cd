//! What an operator watches: how many orders are in each status and how long the oldest has
//! waited there, the connection pool's use, and whether the store is ready (the database
//! answers, its migrations are all applied, the document store answers and the upload spool takes a file). Nothing
//! here reads a person's data: counts, times and sizes only.

use sqlx::Row;

use crate::Store;
use crate::db::Dialect;
use crate::error::Result;

/// The orders in one status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusCount {
    /// The status's wire name (`provider_review`, …).
    pub status: String,
    pub orders: i64,
    /// When the order that has waited longest in this status entered it (its last change),
    /// as stored (RFC 3339, UTC).
    pub oldest_since: Option<String>,
}

/// The database pool's connections now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    /// Open connections, idle or in use.
    pub open: u32,
    /// Open connections that are idle.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// What `/readyz` reports: each part of the store, ready or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Readiness {
    /// The database answers a query.
    pub database: bool,
    /// Every migration of this build is applied (and none failed).
    pub migrations: bool,
    /// The document store answers, and the spool of uploads in progress takes a file.
    pub documents: bool,
}

impl Readiness {
    /// True when every part is ready.
    pub fn ready(&self) -> bool {
        self.database && self.migrations && self.documents
    }
}

/// How long one readiness check may take: a database that does not answer (a pool waiting
/// for a connection) is not ready, and a load balancer's probe gets its answer in time.
pub const CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// `check`'s answer, or false when it takes longer than [`CHECK_TIMEOUT`].
async fn within(check: impl Future<Output = bool>) -> bool {
    tokio::time::timeout(CHECK_TIMEOUT, check).await.unwrap_or(false)
}

impl Store {
    /// The orders in each status that has any, with the time the longest-waiting one entered
    /// it. One portable statement (`GROUP BY`), the same on SQLite and PostgreSQL.
    pub async fn orders_by_status(&self) -> Result<Vec<StatusCount>> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS orders, MIN(updated_at) AS oldest_since FROM orders GROUP BY status ORDER BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StatusCount {
                    status: r.try_get("status")?,
                    orders: r.try_get("orders")?,
                    oldest_since: r.try_get("oldest_since")?,
                })
            })
            .collect()
    }

    /// The pool's connections now (no query).
    pub fn pool_use(&self) -> PoolUse {
        PoolUse {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }

    /// Checks each part of the store, each within [`CHECK_TIMEOUT`]. Never fails: a part that
    /// cannot be checked in time is not ready.
    pub async fn readiness(&self) -> Readiness {
        let (database, documents) = tokio::join!(within(self.ping()), within(self.documents_ready()));
        let migrations = database && within(self.migrations_applied()).await;
        Readiness { database, migrations, documents }
    }

    /// True when every migration this build carries for the store's database is recorded as
    /// applied successfully.
    async fn migrations_applied(&self) -> bool {
        let migrator = match self.dialect {
            Dialect::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Dialect::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        let Ok(rows) = sqlx::query("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.pool)
            .await
        else {
            return false;
        };
        let applied: std::collections::HashSet<i64> = rows
            .iter()
            .filter_map(|r| r.try_get::<i64, _>("version").ok())
            .collect();
        migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .all(|m| applied.contains(&m.version))
    }

    /// True when the document store answers and the spool under the data folder, where
    /// uploads stream in before they are stored, takes a file (written, synced and removed).
    async fn documents_ready(&self) -> bool {
        use tokio::io::AsyncWriteExt;
        let path = self.spool.join(format!(".upload-ready-{}", crate::new_id()));
        let written = async {
            let mut file = tokio::fs::File::create(&path).await?;
            file.write_all(b"ready").await?;
            file.sync_all().await
        }
        .await;
        let removed = tokio::fs::remove_file(&path).await;
        written.is_ok() && removed.is_ok() && self.documents_reachable().await
    }
}
