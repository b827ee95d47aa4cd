//! The database: SQLite (the embedded default) or PostgreSQL, chosen by the URL, through
//! sqlx's `Any` driver, so that every statement of the store is written once. Statements use
//! `$1`-style parameters, which both databases read. Where the two differ, this module says
//! so: the migrations (one folder each, the same versions), how a write transaction starts,
//! and the per-connection settings.

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

/// Which database the store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The dialect of a database URL (`sqlite://…`, `postgres://…`, `postgresql://…`).
    pub fn of(url: &str) -> Option<Dialect> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Some(Dialect::Sqlite),
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            _ => None,
        }
    }

    /// The statement that starts a transaction that will write. SQLite's default (deferred)
    /// transaction takes the write lock only at its first write, and a transaction that read
    /// first then fails at once with "database is locked" when another one writes meanwhile;
    /// `IMMEDIATE` takes the lock at the start (waiting up to the busy timeout). PostgreSQL
    /// locks rows as they are written (and read `FOR UPDATE`).
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        }
    }
}

/// How long a connection waits for another writer before giving up (SQLite's busy timeout).
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating a SQLite file if needed) the database and runs the migrations of its
/// dialect. Errors are one line naming the setting.
/// Returns the pool, the dialect and the URL as opened.
pub async fn connect(url: &str) -> Result<(AnyPool, Dialect, String), String> {
    install_default_drivers();
    let dialect = Dialect::of(url).ok_or_else(|| {
        format!(
            "error: BEIAN_DATABASE_URL / --database-url: use a sqlite:// or postgres:// URL, got {:?}",
            url.split(':').next().unwrap_or_default()
        )
    })?;
    let url = match dialect {
        // A file is created when missing, unless the URL says otherwise.
        Dialect::Sqlite if !url.contains("mode=") => format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' }),
        _ => url.to_owned(),
    };
    let shown = redact(&url);
    let pool = AnyPoolOptions::new()
        .max_connections(match dialect {
            Dialect::Sqlite => 8,
            Dialect::Postgres => 16,
        })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if dialect == Dialect::Sqlite {
                    // Write-ahead logging lets readers go on while one connection writes; every
                    // commit is synced (FULL), so an acknowledged write survives a crash.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute(format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT.as_millis()).as_str()).await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .map_err(|e| format!("error: BEIAN_DATABASE_URL {shown:?}: cannot open: {e}"))?;
    let migrated = match dialect {
        Dialect::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await,
        Dialect::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await,
    };
    migrated.map_err(|e| format!("error: database migration failed: {e}"))?;
    Ok((pool, dialect, url))
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(redact("postgres://beian:secret@db:5432/beian"), "postgres://beian:***@db:5432/beian");
        assert_eq!(redact("sqlite://data/beian.db"), "sqlite://data/beian.db");
    }

    #[test]
    fn dialects_by_scheme() {
        assert_eq!(Dialect::of("sqlite://x.db"), Some(Dialect::Sqlite));
        assert_eq!(Dialect::of("postgresql://h/db"), Some(Dialect::Postgres));
        assert_eq!(Dialect::of("mysql://h/db"), None);
    }
}
