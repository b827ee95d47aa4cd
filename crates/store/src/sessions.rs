//! Sessions in the same database as everything else, through tower-sessions' own sqlx stores
//! (which need a pool of their database's own type, opened here from the store's URL).

use std::str::FromStr;

use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::{Dialect, Store};

/// The session store of the store's database.
#[derive(Clone, Debug)]
pub enum Sessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// Opens the session store in this store's database, creating its table if needed.
    pub async fn sessions(&self) -> Result<Sessions, String> {
        let failed = |e: sqlx::Error| format!("error: session table: {e}");
        match self.dialect {
            Dialect::Sqlite => {
                let options = SqliteConnectOptions::from_str(&self.url).map_err(failed)?.busy_timeout(crate::db::BUSY_TIMEOUT);
                let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await.map_err(failed)?;
                let store = SqliteStore::new(pool);
                store.migrate().await.map_err(failed)?;
                Ok(Sessions::Sqlite(store))
            }
            Dialect::Postgres => {
                let pool = PgPoolOptions::new().max_connections(4).connect(&self.url).await.map_err(failed)?;
                let store = PostgresStore::new(pool);
                store.migrate().await.map_err(failed)?;
                Ok(Sessions::Postgres(store))
            }
        }
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            // SQLite's store creates in a deferred transaction that reads, then writes, which
            // fails at once ("database is locked") when another write lands in between. Session
            // ids are 128 random bits: look for a collision, then save (an upsert).
            Sessions::Sqlite(s) => {
                while s.load(&record.id).await?.is_some() {
                    record.id = Id::default();
                }
                s.save(record).await
            }
            Sessions::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.save(record).await,
            Sessions::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(s) => s.load(id).await,
            Sessions::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete(id).await,
            Sessions::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete_expired().await,
            Sessions::Postgres(s) => s.delete_expired().await,
        }
    }
}
