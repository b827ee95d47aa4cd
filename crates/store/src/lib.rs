//! Beian's storage: SQLite by default, PostgreSQL at scale (one set of statements through
//! sqlx's `Any` driver; `db` says where the two differ), uploaded documents in an object store
//! (a folder by default, S3-compatible by URL).
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
#[cfg(feature = "testing")]
pub mod testing;

use std::path::Path;
use std::sync::Arc;

use chrono::{SecondsFormat, Utc};
use sqlx::AnyPool;

pub use accounts::{Account, Role};
pub use db::Dialect;
pub use documents::{ACCEPTED_MEDIA_TYPES, DocumentRecord, PendingUpload};
pub use error::{Refusal, Result, StoreError};
pub use instances::{InstanceRecord, ServiceCodeRecord};
pub use orders::{OrderRecord, SavedDraft, Submission};

/// The store: the database and the documents' object store.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    /// The database URL (the session store opens its own pool on it).
    url: Arc<str>,
    objects: Arc<documents::Objects>,
    /// Where uploads are spooled while they stream in (under the data folder).
    spool: Arc<Path>,
    /// Argon2 runs on blocking threads, at most one per core at a time.
    hashing: Arc<tokio::sync::Semaphore>,
}

impl Store {
    /// Opens the database of `url` (migrating it) and the documents folder under `data_dir`.
    pub async fn open(url: &str, data_dir: &Path) -> std::result::Result<Store, String> {
        Store::open_with_documents(url, data_dir, None).await
    }

    /// Opens the database of `url` (migrating it) and the documents' object store of
    /// `documents_url` (`s3://…`, `file://…`; without one, the folder `documents` under
    /// `data_dir`). Uploads are spooled under `data_dir` while they stream in.
    pub async fn open_with_documents(url: &str, data_dir: &Path, documents_url: Option<&str>) -> std::result::Result<Store, String> {
        let (pool, dialect, url) = db::connect(url).await?;
        let objects = documents::Objects::open(data_dir, documents_url)?;
        let spool = data_dir.join("spool");
        std::fs::create_dir_all(&spool).map_err(|e| format!("error: BEIAN_DATA_DIR {}: {e}", data_dir.display()))?;
        documents::remove_leftovers(&spool);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Store {
            pool,
            dialect,
            url: url.into(),
            objects: Arc::new(objects),
            spool: spool.into(),
            hashing: Arc::new(tokio::sync::Semaphore::new(cores)),
        })
    }

    /// True when the documents' object store answers.
    pub async fn documents_reachable(&self) -> bool {
        self.objects.reachable().await
    }

    /// Where documents are kept, for messages (no credentials).
    pub fn documents_location(&self) -> &str {
        &self.objects.described
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

    /// Writes a consistent copy of the SQLite database to `file` (which must not exist) while
    /// other connections keep writing: `VACUUM INTO` reads one snapshot, so every write
    /// committed before it began is in the copy. PostgreSQL is backed up with its own tools.
    pub async fn backup_to(&self, file: &Path) -> std::result::Result<(), String> {
        if self.dialect != Dialect::Sqlite {
            return Err("on PostgreSQL, back up with pg_dump (docs/deploy.md)".into());
        }
        if file.exists() {
            return Err("the file exists; name a new one".into());
        }
        let target = file.to_str().ok_or("the file name is not UTF-8")?.replace('\'', "''");
        sqlx::query(&format!("VACUUM INTO '{target}'")).execute(&self.pool).await.map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Runs `work` unless another server is running work of the same `job` at this moment —
    /// how background work (the lifecycle's clock) runs once across replicas. On PostgreSQL
    /// the job is a session advisory lock held on one connection while `work` runs (released
    /// with the connection if the server dies); `None` when another server holds it. On
    /// SQLite, whose file one server opens, `work` always runs. Either way `work` must be
    /// idempotent: a replica may still run it just after another one finished.
    pub async fn exclusively<T>(&self, job: Job, work: impl std::future::Future<Output = T>) -> Result<Option<T>> {
        if self.dialect == Dialect::Sqlite {
            return Ok(Some(work.await));
        }
        let mut conn = self.pool.acquire().await?;
        let held: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(job as i64).fetch_one(&mut *conn).await?;
        if !held {
            return Ok(None);
        }
        let out = work.await;
        sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1)").bind(job as i64).fetch_one(&mut *conn).await?;
        Ok(Some(out))
    }

    /// Starts a transaction that will write (see [`Dialect::begin_write`]).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin_with(self.dialect.begin_write()).await?)
    }
}

/// Background work that runs on one server at a time (see [`Store::exclusively`]); the
/// value is its advisory lock's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i64)]
pub enum Job {
    /// The lifecycle's clock (SMS deadlines, timeouts, the simulated administration).
    Clock = 0x6265_6961_6e01,
    /// Sending the outbox's e-mail.
    Mail = 0x6265_6961_6e02,
}

/// Now, as stored: RFC 3339 in UTC with microseconds, so that the text sorts as the time does.
pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
