//! Demo data for `--demo`: two accounts and six instances, with dates relative to the day the
//! demo is loaded.

use chrono::{Duration, NaiveDate};

use crate::{Store, now};

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

impl Store {
    /// Loads the demo accounts and instances unless the database already has accounts.
    pub async fn load_demo(&self, today: NaiveDate) -> Result<bool, String> {
        let failed = |e: sqlx::Error| format!("error: demo data: {e}");
        let mut tx = self.pool.begin_with(self.dialect.begin_write()).await.map_err(failed)?;
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(&mut *tx).await.map_err(failed)?;
        if accounts > 0 {
            return Ok(false);
        }
        let now = now();
        for (id, username, password, role) in DEMO_ACCOUNTS {
            let hash = crate::auth::hash_password(password).map_err(|e| format!("error: demo data: {e}"))?;
            sqlx::query("INSERT INTO accounts (id, username, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(username)
                .bind(hash)
                .bind(role)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
        }
        for i in DEMO_INSTANCES {
            let start = today - Duration::days(i.started_days_ago);
            let end = i.ends_in_days.map(|d| (today + Duration::days(d)).to_string());
            sqlx::query(
                "INSERT INTO instances (id, account_id, product, region, billing, subscription_start, subscription_end, public_bandwidth_mbps, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
            .map_err(failed)?;
        }
        tx.commit().await.map_err(failed)?;
        Ok(true)
    }
}
