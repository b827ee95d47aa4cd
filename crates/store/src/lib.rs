//! Beian's storage: SQLite by default, PostgreSQL at scale (one set of statements through
//! sqlx's `Any` driver; `db` says where the two differ), uploaded files in a folder.
//!
//! One module per aggregate — [`accounts`], [`instances`], [`orders`], [`documents`],
//! [`audit`] — each with its statements inside; the pool is private to the store. Every write
//! is one transaction; every state change of an order is written to the audit log in the same
//! transaction.
//!
//! The store enforces the invariants that need the database: one open order per account
//! (one account holds one subject), service codes single use and never returned, only the
//! owner (or a reviewer) reads an order or a document.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod db;
pub mod demo;
pub mod documents;
mod error;
pub mod instances;
pub mod lifecycle;
pub mod ops;
pub mod orders;
pub mod sessions;

use std::path::Path;
use std::sync::Arc;

use chrono::{SecondsFormat, Utc};
use sqlx::AnyPool;

pub use accounts::{Account, Role};
pub use db::Dialect;
pub use documents::{ACCEPTED_MEDIA_TYPES, DocumentRecord, PendingUpload};
pub use error::{Refusal, Result, StoreError};
pub use instances::{InstanceRecord, ServiceCodeRecord};
pub use orders::{OrderRecord, Submission};

/// The store: the database and the folder of uploaded files.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    /// The database URL (the session store opens its own pool on it).
    url: Arc<str>,
    files: Arc<Path>,
    /// Argon2 runs on blocking threads, at most one per core at a time.
    hashing: Arc<tokio::sync::Semaphore>,
}

impl Store {
    /// Opens the database of `url` (migrating it) and the documents folder under `data_dir`.
    pub async fn open(url: &str, data_dir: &Path) -> std::result::Result<Store, String> {
        let (pool, dialect, url) = db::connect(url).await?;
        let files = data_dir.join("documents");
        std::fs::create_dir_all(&files).map_err(|e| format!("error: BEIAN_DATA_DIR {}: {e}", data_dir.display()))?;
        documents::remove_leftovers(&files);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Store { pool, dialect, url: url.into(), files: files.into(), hashing: Arc::new(tokio::sync::Semaphore::new(cores)) })
    }

    /// Which database this store runs on.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }

    /// Runs CPU-bound `work` (argon2) on a blocking thread, at most one per core at a time, so
    /// that a burst of logins never stalls the async workers (and every other request).
    async fn hashing<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let _permit = self.hashing.clone().acquire_owned().await.map_err(|e| std::io::Error::other(e.to_string()))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| StoreError::Files(std::io::Error::other(e.to_string())))
    }

    /// Starts a transaction that will write (see [`Dialect::begin_write`]).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin_with(self.dialect.begin_write()).await?)
    }
}

/// Now, as stored: RFC 3339 in UTC with microseconds, so that the text sorts as the time does.
pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
