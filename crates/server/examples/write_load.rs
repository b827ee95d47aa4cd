//! Write load: `accounts` applicants at once, each saving its own draft as fast as the server
//! acknowledges (every save from the version the last one returned), for `seconds`; then, in
//! the same run and on the same database, the baseline: as many tasks inserting a row of the
//! same size and committing, with nothing else. Prints saves/s, p50 and p99 and errors of
//! each. Run by `scripts/write-load.sh`, which starts the server.
//!
//! Usage: write_load BASE_URL DATABASE_URL [seconds] [accounts]

use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, database] = [args.first(), args.get(1)].map(|a| a.cloned().unwrap_or_default());
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let accounts: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(64);
    let run = Duration::from_secs(seconds);
    let app = json!({"province": "CN-BJ",
        "subject": {"subject_type": "individual", "name": "张三", "certificate_type": "resident_id",
            "certificate_number": "110105199003071239", "certificate_address": "北京市朝阳区1号", "mailing_address": "北京市朝阳区1号"},
        "subject_principal": {"name": "张三", "certificate_type": "resident_id", "certificate_number": "110105199003071239",
            "long_term": true, "mobile": "13800138000", "email": "zhangsan@example.com"},
        "websites": [{"name": "张三的美食分享", "domain": "zhangsan.com", "domain_holder": "张三"}]});

    // The applicants, each logged in with a draft.
    let run_id = uuid_like();
    let mut writers = Vec::new();
    for n in 0..accounts {
        let http = reqwest::Client::builder().cookie_store(true).build().expect("client");
        let user = json!({"username": format!("load-{run_id}-{n}@example.com"), "password": "a long enough password"});
        // Registration and login are throttled per address; a refusal waits its turn.
        for function in ["register", "login"] {
            while post(&http, &base, function, &user).await.0 == 429 {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        let (_, order) = post(&http, &base, "create_order", &json!({"path": "first_filing"})).await;
        writers.push((http, order["id"].clone(), order["version"].clone()));
    }

    let started = Instant::now();
    let tasks: Vec<_> = writers
        .into_iter()
        .map(|(http, id, mut version)| {
            let (base, app) = (base.clone(), app.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                while started.elapsed() < run {
                    let t = Instant::now();
                    let (status, saved) = post(&http, &base, "save_draft", &json!({"order_id": id, "base_version": version, "application": app})).await;
                    latencies.push(t.elapsed());
                    if status == 200 {
                        version = saved["version"].clone();
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (l, e) = t.await.expect("writer");
        latencies.extend(l);
        errors += e;
    }
    report("save_draft", accounts, &mut latencies, errors, started.elapsed());

    // The baseline: insert a row and commit, nothing else, from as many tasks.
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(if database.starts_with("sqlite") { 8 } else { 16 }).connect(&database).await.expect("database");
    if database.starts_with("sqlite") {
        sqlx::query("PRAGMA busy_timeout = 10000").execute(&pool).await.expect("pragma");
    }
    sqlx::query("CREATE TABLE IF NOT EXISTS load_baseline (id TEXT PRIMARY KEY, data TEXT NOT NULL)").execute(&pool).await.expect("table");
    let row = app.to_string();
    let begin = if database.starts_with("sqlite") { "BEGIN IMMEDIATE" } else { "BEGIN" };
    let started = Instant::now();
    let tasks: Vec<_> = (0..accounts)
        .map(|n| {
            let (pool, row) = (pool.clone(), row.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors, mut i) = (Vec::new(), 0usize, 0u64);
                while started.elapsed() < run {
                    i += 1;
                    let t = Instant::now();
                    let done = async {
                        let mut tx = pool.begin_with(begin).await?;
                        sqlx::query("INSERT INTO load_baseline (id, data) VALUES ($1, $2)").bind(format!("{n}-{i}-{}", uuid_like())).bind(&row).execute(&mut *tx).await?;
                        tx.commit().await
                    };
                    let ok: Result<(), sqlx::Error> = done.await;
                    latencies.push(t.elapsed());
                    if ok.is_err() {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (l, e) = t.await.expect("baseline");
        latencies.extend(l);
        errors += e;
    }
    report("insert + commit", accounts, &mut latencies, errors, started.elapsed());
    sqlx::query("DROP TABLE load_baseline").execute(&pool).await.expect("drop");
}

async fn post(http: &reqwest::Client, base: &str, function: &str, body: &Value) -> (u16, Value) {
    match http.post(format!("{base}/api/{function}")).header("content-type", "application/json").body(body.to_string()).send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    }
}

fn report(name: &str, tasks: usize, latencies: &mut [Duration], errors: usize, elapsed: Duration) {
    latencies.sort_unstable();
    let at = |q: f64| latencies.get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1))).copied().unwrap_or_default();
    println!(
        "{name:<16} {tasks} at once: {:>7.0} /s   p50 {:>6.1} ms   p99 {:>6.1} ms   errors {errors} of {}",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        latencies.len()
    );
}

/// A short unique-enough tag for this run's names.
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    format!("{:x}", nanos ^ u128::from(std::process::id()))
}
