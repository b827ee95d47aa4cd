//! The database: connection, write-ahead logging, migrations at start, demo data.

use std::str::FromStr;

use chrono::{Duration, NaiveDate, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;

/// Opens (creating if needed) the database, switches on write-ahead logging and runs
/// the migrations.
pub async fn connect(url: &str) -> Result<SqlitePool, String> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("error: BEIAN_DATABASE_URL {url:?}: {e}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|e| format!("error: BEIAN_DATABASE_URL {url:?}: cannot open: {e}"))?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .map_err(|e| format!("error: database migration failed: {e}"))?;
    Ok(pool)
}

/// A demo instance, with dates relative to the day the demo is loaded so that it stays
/// meaningful whenever a newcomer runs it.
struct DemoInstance {
    id: &'static str,
    account: Option<&'static str>,
    product: &'static str,
    region: &'static str,
    billing: &'static str,
    started_days_ago: i64,
    ends_in_days: Option<i64>,
    bandwidth_mbps: i64,
}

const DEMO_INSTANCES: &[DemoInstance] = &[
    DemoInstance { id: "i-demo-ecs-hangzhou", account: Some("acc-demo-applicant"), product: "ecs", region: "cn-hangzhou", billing: "subscription", started_days_ago: 20, ends_in_days: Some(345), bandwidth_mbps: 5 },
    DemoInstance { id: "i-demo-ecs-beijing", account: Some("acc-demo-applicant"), product: "ecs", region: "cn-beijing", billing: "subscription", started_days_ago: 200, ends_in_days: Some(165), bandwidth_mbps: 10 },
    DemoInstance { id: "i-demo-ecs-payg", account: Some("acc-demo-applicant"), product: "ecs", region: "cn-shanghai", billing: "pay_as_you_go", started_days_ago: 10, ends_in_days: None, bandwidth_mbps: 5 },
    DemoInstance { id: "i-demo-ecs-hongkong", account: Some("acc-demo-applicant"), product: "ecs", region: "cn-hongkong", billing: "subscription", started_days_ago: 30, ends_in_days: Some(335), bandwidth_mbps: 5 },
    DemoInstance { id: "i-demo-ecs-expiring", account: Some("acc-demo-applicant"), product: "ecs", region: "cn-shenzhen", billing: "subscription", started_days_ago: 60, ends_in_days: Some(30), bandwidth_mbps: 5 },
    DemoInstance { id: "i-demo-ecs-no-bandwidth", account: Some("acc-demo-applicant"), product: "ecs", region: "cn-qingdao", billing: "subscription", started_days_ago: 5, ends_in_days: Some(360), bandwidth_mbps: 0 },
];

/// The demo accounts: (id, username, password, role).
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, &str)] = &[
    ("acc-demo-applicant", "applicant@example.com", "demo-applicant", "applicant"),
    ("acc-demo-reviewer", "reviewer@example.com", "demo-reviewer", "reviewer"),
];

/// Loads the demo accounts and instances unless the database already has accounts.
pub async fn load_demo(pool: &SqlitePool, today: NaiveDate) -> Result<bool, String> {
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(pool)
        .await
        .map_err(|e| format!("error: demo data: {e}"))?;
    if accounts > 0 {
        return Ok(false);
    }
    let now = Utc::now().to_rfc3339();
    let mut tx = pool.begin().await.map_err(|e| format!("error: demo data: {e}"))?;
    for (id, username, password, role) in DEMO_ACCOUNTS {
        let hash = crate::auth::hash_password(password).map_err(|e| format!("error: demo data: {e}"))?;
        sqlx::query("INSERT INTO accounts (id, username, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(id)
            .bind(username)
            .bind(hash)
            .bind(role)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(|e| format!("error: demo data: {e}"))?;
    }
    for i in DEMO_INSTANCES {
        let start = today - Duration::days(i.started_days_ago);
        let end = i.ends_in_days.map(|d| (today + Duration::days(d)).to_string());
        sqlx::query(
            "INSERT INTO instances (id, account_id, product, region, billing, subscription_start, subscription_end, public_bandwidth_mbps, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(i.id)
        .bind(i.account)
        .bind(i.product)
        .bind(i.region)
        .bind(i.billing)
        .bind(start.to_string())
        .bind(end)
        .bind(i.bandwidth_mbps)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(|e| format!("error: demo data: {e}"))?;
    }
    tx.commit().await.map_err(|e| format!("error: demo data: {e}"))?;
    Ok(true)
}
