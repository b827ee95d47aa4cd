//! A fresh database for a test, on the database the test run is pointed at: a SQLite file in
//! the test's folder (the default), or — with `BEIAN_TEST_DATABASE=postgres` — a new database
//! on the PostgreSQL server of `BEIAN_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), created for the test and dropped afterwards.
//!
//! A run pointed at PostgreSQL that cannot reach it fails: it is never silently run on SQLite.

use std::path::Path;

use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// Where the PostgreSQL runs go unless `BEIAN_TEST_POSTGRES_URL` says otherwise.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A database made for one test; a PostgreSQL one is dropped when this is.
pub struct TestDatabase {
    /// The URL to open the store (or a `beian-server`) on.
    pub url: String,
    /// The PostgreSQL server's URL and the database's name, to drop it.
    postgres: Option<(String, String)>,
}

/// True when this test run is pointed at PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("BEIAN_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// The PostgreSQL server the PostgreSQL runs use.
pub fn postgres_url() -> String {
    std::env::var("BEIAN_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

impl TestDatabase {
    /// A fresh database: a file in `folder`, or a new PostgreSQL database.
    ///
    /// # Panics
    /// When the run is pointed at PostgreSQL and it cannot be reached (a test failure, with
    /// one line saying so).
    pub async fn new(folder: &Path) -> TestDatabase {
        if !on_postgres() {
            return TestDatabase { url: format!("sqlite://{}?mode=rwc", folder.join("beian.db").display()), postgres: None };
        }
        let server = postgres_url();
        let name = format!("beian_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("BEIAN_TEST_DATABASE=postgres: cannot connect to PostgreSQL at {server}: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("CREATE DATABASE");
        let _ = admin.close().await;
        let url = with_database(&server, &name);
        TestDatabase { url, postgres: Some((server, name)) }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Drop may run inside a runtime that cannot block: the drop gets a thread and a
        // runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&server).await.ok()?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.ok()?;
                admin.close().await.ok()
            })
        });
        let _ = dropped.join();
    }
}

/// `server`'s URL naming the database `name` instead of its own.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server, None),
    };
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced() {
        assert_eq!(with_database("postgres://postgres@127.0.0.1:5432/test", "x"), "postgres://postgres@127.0.0.1:5432/x");
        assert_eq!(with_database("postgres://u:p@h/db?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
        assert_eq!(with_database("postgres://h:5432", "x"), "postgres://h:5432/x");
    }
}
