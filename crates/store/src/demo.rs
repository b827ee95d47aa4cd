//! Demo data for `--demo`: two accounts and six instances, and filings in every state of the
//! lifecycle for the reviewer console, with dates relative to the day the demo is loaded.

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

/// A demo filing in some state of its lifecycle, with times relative to the day the demo is
/// loaded, so that `cargo xtask run` shows a living reviewer console.
struct DemoOrder {
    account: &'static str,
    username: &'static str,
    /// The person: name, the first 17 digits of a resident ID (the check digit is computed).
    name: &'static str,
    id17: &'static str,
    domain: &'static str,
    site: &'static str,
    status: &'static str,
    /// How long ago it was submitted, and last changed, in hours.
    submitted_hours_ago: i64,
    changed_hours_ago: i64,
}

const DEMO_ORDERS: &[DemoOrder] = &[
    DemoOrder { account: "acc-demo-zhao", username: "zhao@example.com", name: "赵一", id17: "11010519850312002", domain: "zhaoyi-blog.cn", site: "赵一的读书笔记", status: "provider_review", submitted_hours_ago: 340, changed_hours_ago: 340 },
    DemoOrder { account: "acc-demo-qian", username: "qian@example.com", name: "钱二", id17: "11010819900101003", domain: "qianer.com", site: "钱二的摄影作品", status: "provider_review", submitted_hours_ago: 2, changed_hours_ago: 2 },
    DemoOrder { account: "acc-demo-sun", username: "sun@example.com", name: "孙三", id17: "11010219920505004", domain: "sunsan.net", site: "孙三的旅行日记", status: "identity_verification", submitted_hours_ago: 30, changed_hours_ago: 20 },
    DemoOrder { account: "acc-demo-li", username: "li@example.com", name: "李四", id17: "11010119880808005", domain: "lisi-cook.cn", site: "李四的家常菜谱", status: "sms_verification", submitted_hours_ago: 50, changed_hours_ago: 3 },
    DemoOrder { account: "acc-demo-zhou", username: "zhou@example.com", name: "周五", id17: "11010519951111006", domain: "zhouwu.com", site: "周五的手工教程", status: "authority_review", submitted_hours_ago: 120, changed_hours_ago: 24 },
    DemoOrder { account: "acc-demo-wu", username: "wu@example.com", name: "吴六", id17: "11010619870707007", domain: "wuliu.cn", site: "吴六的园艺分享", status: "approved", submitted_hours_ago: 400, changed_hours_ago: 200 },
    DemoOrder { account: "acc-demo-zheng", username: "zheng@example.com", name: "郑七", id17: "11010819930303008", domain: "zhengqi.net", site: "资讯", status: "provider_rejected", submitted_hours_ago: 60, changed_hours_ago: 40 },
];

/// The check digit of a resident ID's first 17 digits (GB 11643-1999).
fn resident_id(id17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = id17.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let check = CHECK.get((sum % 11) as usize).copied().map(char::from).unwrap_or('0');
    format!("{id17}{check}")
}

impl Store {
    /// Loads demo filings in several states of the lifecycle (provider review, one of them
    /// overdue; identity verification; the MIIT's SMS; the administration's review;
    /// approved with its numbers; returned with reasons), each for a demo account of its own,
    /// unless those accounts exist. Only for `--demo`: the test suites start from the
    /// accounts and instances alone.
    pub async fn load_demo_orders(&self, now: chrono::DateTime<chrono::Utc>) -> Result<bool, String> {
        let failed = |e: sqlx::Error| format!("error: demo data: {e}");
        let first = DEMO_ORDERS.first().map(|o| o.account).unwrap_or_default();
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE id = $1").bind(first).fetch_one(&self.pool).await.map_err(failed)?;
        if exists > 0 {
            return Ok(false);
        }
        let hash = crate::auth::hash_password("demo-applicant").map_err(|e| format!("error: demo data: {e}"))?;
        let stamp = |hours: i64| crate::lifecycle::stamp(now - Duration::hours(hours));
        let mut tx = self.pool.begin_with(self.dialect.begin_write()).await.map_err(failed)?;
        for (n, d) in DEMO_ORDERS.iter().enumerate() {
            let id_number = resident_id(d.id17);
            let app = serde_json::json!({
                "province": "CN-BJ", "path": "first_filing",
                "subject": {"subject_type": "individual", "name": d.name, "certificate_type": "resident_id", "certificate_number": id_number,
                    "certificate_address": "北京市朝阳区建国路1号", "mailing_address": "北京市朝阳区建国路1号"},
                "subject_principal": {"name": d.name, "certificate_type": "resident_id", "certificate_number": id_number, "long_term": true,
                    "mobile": format!("1390013{:04}", 1000 + n), "email": d.username},
                "websites": [{"name": d.site, "domain": d.domain, "domain_holder": d.name, "service_code": crate::new_id()}],
                "documents": []
            })
            .to_string();
            let order_id = format!("o-demo-{}", d.account.trim_start_matches("acc-demo-"));
            sqlx::query("INSERT INTO accounts (id, username, password_hash, role, created_at) VALUES ($1, $2, $3, 'applicant', $4)")
                .bind(d.account)
                .bind(d.username)
                .bind(&hash)
                .bind(stamp(d.submitted_hours_ago + 24))
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
            let reasons = if d.status == "provider_rejected" {
                r#"[{"field":"websites[0].name","code":"review.website_name","note":"名称过于宽泛"}]"#
            } else {
                "[]"
            };
            sqlx::query(
                "INSERT INTO orders (id, account_id, path, province, status, version, created_at, updated_at, reasons, submitted_at, submitted_version)
                 VALUES ($1, $2, 'first_filing', 'CN-BJ', $3, 2, $4, $5, $6, $7, 2)",
            )
            .bind(&order_id)
            .bind(d.account)
            .bind(d.status)
            .bind(stamp(d.submitted_hours_ago + 24))
            .bind(stamp(d.changed_hours_ago))
            .bind(reasons)
            .bind(stamp(d.submitted_hours_ago))
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
            for version in [1, 2] {
                sqlx::query("INSERT INTO order_versions (order_id, version, data, problems, saved_at) VALUES ($1, $2, $3, '[]', $4)")
                    .bind(&order_id)
                    .bind(version)
                    .bind(&app)
                    .bind(stamp(d.submitted_hours_ago + 1))
                    .execute(&mut *tx)
                    .await
                    .map_err(failed)?;
            }
            // The history up to its state.
            let walk: &[(&str, &str, &str, &str)] = &[
                ("submit", "draft", "provider_review", "applicant"),
                ("provider_approve", "provider_review", "identity_verification", "reviewer"),
                ("accept_identity", "identity_verification", "pending_submission", "reviewer"),
                ("submit_to_authority", "pending_submission", "sms_verification", "reviewer"),
                ("confirm_sms", "sms_verification", "authority_review", "authority"),
                ("authority_approve", "authority_review", "approved", "authority"),
            ];
            let rejected: &[(&str, &str, &str, &str)] =
                &[("submit", "draft", "provider_review", "applicant"), ("provider_reject", "provider_review", "provider_rejected", "reviewer")];
            let steps = if d.status == "provider_rejected" { rejected } else { walk };
            let end = steps.iter().position(|s| s.2 == d.status).map_or(0, |i| i + 1);
            for (i, (action, from, to, actor)) in steps.iter().take(end).enumerate() {
                let at = if i + 1 == end { d.changed_hours_ago } else { d.submitted_hours_ago - i as i64 };
                let detail = if *action == "provider_reject" { format!(r#"{{"reasons":{reasons}}}"#) } else { "{}".to_owned() };
                sqlx::query("INSERT INTO order_events (id, order_id, action, from_status, to_status, actor, account_id, version, detail, at) VALUES ($1, $2, $3, $4, $5, $6, NULL, 2, $7, $8)")
                    .bind(crate::new_id())
                    .bind(&order_id)
                    .bind(action)
                    .bind(from)
                    .bind(to)
                    .bind(actor)
                    .bind(detail)
                    .bind(stamp(at))
                    .execute(&mut *tx)
                    .await
                    .map_err(failed)?;
            }
            if matches!(d.status, "identity_verification") {
                sqlx::query("INSERT INTO identity_evidence (order_id, kind, document_id, provided_at) VALUES ($1, 'face', NULL, $2)")
                    .bind(&order_id)
                    .bind(stamp(d.changed_hours_ago - 1))
                    .execute(&mut *tx)
                    .await
                    .map_err(failed)?;
            }
            if matches!(d.status, "sms_verification" | "authority_review" | "approved") {
                let verified = (d.status != "sms_verification").then(|| stamp(d.changed_hours_ago));
                sqlx::query("INSERT INTO authority_submissions (order_id, submitted_at, sms_code, sms_deadline, sms_verified_at, decide_after) VALUES ($1, $2, '246810', $3, $4, $5)")
                    .bind(&order_id)
                    .bind(stamp(d.changed_hours_ago + 1))
                    .bind(crate::lifecycle::stamp(now + Duration::hours(21)))
                    .bind(verified)
                    // The administration decides a week on: the console keeps it in review.
                    .bind(crate::lifecycle::stamp(now + Duration::days(7)))
                    .execute(&mut *tx)
                    .await
                    .map_err(failed)?;
            }
            if d.status == "approved" {
                let number = format!("京ICP备{}{:06}号", now.format("%Y"), 900_000 + n);
                let websites = serde_json::json!([{"name": d.site, "domain": d.domain, "icp_number": format!("{number}-1")}]).to_string();
                let subject = serde_json::json!({"subject_type": "individual", "name": d.name, "certificate_type": "resident_id", "certificate_number": resident_id(d.id17)}).to_string();
                let filing_id = crate::new_id();
                sqlx::query(
                    "INSERT INTO filings (id, account_id, order_id, province, icp_number, subject, websites, approved_on, status, created_at, updated_at)
                     VALUES ($1, $2, $3, 'CN-BJ', $4, $5, $6, $7, 'active', $8, $8)",
                )
                .bind(&filing_id)
                .bind(d.account)
                .bind(&order_id)
                .bind(number)
                .bind(subject)
                .bind(websites)
                .bind(stamp(d.changed_hours_ago).get(..10).unwrap_or_default().to_owned())
                .bind(stamp(d.changed_hours_ago))
                .execute(&mut *tx)
                .await
                .map_err(failed)?;
                sqlx::query("UPDATE orders SET filing_id = $1 WHERE id = $2").bind(&filing_id).bind(&order_id).execute(&mut *tx).await.map_err(failed)?;
                sqlx::query("INSERT INTO filing_events (id, filing_id, order_id, path, detail, at) VALUES ($1, $2, $3, 'first_filing', '{}', $4)")
                    .bind(crate::new_id())
                    .bind(&filing_id)
                    .bind(&order_id)
                    .bind(stamp(d.changed_hours_ago))
                    .execute(&mut *tx)
                    .await
                    .map_err(failed)?;
            }
        }
        tx.commit().await.map_err(failed)?;
        // Their documents, bound to their orders, so the console shows them inline.
        for d in DEMO_ORDERS {
            let order_id = format!("o-demo-{}", d.account.trim_start_matches("acc-demo-"));
            let mut documents = Vec::new();
            for (kind, bytes, name) in DEMO_DOCUMENTS {
                let mut upload = self.begin_upload(bytes.len()).await.map_err(|e| format!("error: demo data: {e}"))?;
                upload.write(bytes).await.map_err(|e| format!("error: demo data: {e}"))?;
                let record = self.finish_upload(upload, d.account, None, *kind, name).await.map_err(|e| format!("error: demo data: {e}"))?;
                sqlx::query("UPDATE documents SET order_id = $1 WHERE id = $2").bind(&order_id).bind(&record.id).execute(&self.pool).await.map_err(failed)?;
                documents.push(serde_json::json!({"kind": kind, "id": record.id}));
            }
            let data: String = sqlx::query_scalar("SELECT data FROM order_versions WHERE order_id = $1 AND version = 2").bind(&order_id).fetch_one(&self.pool).await.map_err(failed)?;
            let mut app: serde_json::Value = serde_json::from_str(&data).map_err(|e| format!("error: demo data: {e}"))?;
            app["documents"] = serde_json::Value::Array(documents);
            sqlx::query("UPDATE order_versions SET data = $1 WHERE order_id = $2").bind(app.to_string()).bind(&order_id).execute(&self.pool).await.map_err(failed)?;
        }
        Ok(true)
    }
}

/// The demo orders' documents: a picture of a certificate and a one-page statement.
const DEMO_DOCUMENTS: &[(beian_rules::DocumentKind, &[u8], &str)] = &[
    (beian_rules::DocumentKind::SubjectCertificate, include_bytes!("../demo/certificate.png"), "身份证.png"),
    (beian_rules::DocumentKind::AuthenticityStatement, include_bytes!("../demo/statement.pdf"), "真实性核验单.pdf"),
];
