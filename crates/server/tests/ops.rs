//! What an operator watches: `/metrics` (behind its token, with routes as templates and no
//! personal data), `/healthz` apart from `/readyz`, logs as JSON lines, and a graceful stop on
//! SIGTERM (the real binary: requests in flight finish, new connections are refused, exit 0).

mod common;

use std::io::{BufRead, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{APPLICANT, Server, application, png};
use serde_json::{Value, json};

const TOKEN: &str = "a-metrics-token-for-tests";

/// A process has one recorder, and the gauges a scrape reads from its store are the
/// process's: tests that scrape run one at a time.
static SCRAPING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn get(url: &str, token: Option<&str>) -> (u16, String) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.expect("request");
    (r.status().as_u16(), r.text().await.expect("body"))
}

/// The sample lines of `metric` in a Prometheus text answer.
fn samples<'a>(text: &'a str, metric: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{metric}{{")) || l.starts_with(&format!("{metric} ")))
        .collect()
}

/// The value of the one sample of `metric` whose labels include every one of `labels`.
fn value(text: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    samples(text, metric)
        .into_iter()
        .find(|l| labels.iter().all(|label| l.contains(label)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_need_the_token_and_count_routes_without_personal_data() {
    let _scraping = SCRAPING.lock().await;
    let s = Server::start_with_options(beian_server::Options {
        metrics_token: Some(TOKEN.to_owned()),
        ..Default::default()
    })
    .await;
    let metrics = format!("{}/metrics", s.base);

    let (status, body) = get(&metrics, None).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("json")["code"],
        "metrics.token_required"
    );
    assert_eq!(
        get(&metrics, Some("a-wrong-token-of-some-length")).await.0,
        401
    );

    // Someone registers, starts a filing with their name and mobile, uploads a document.
    let username = "watched-person@example.com";
    let c = s.client();
    let (status, body) = c
        .call(
            "/api/register",
            json!({"username": username, "password": "a long enough password"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, order) = c
        .call("/api/create_order", json!({"path": "first_filing"}))
        .await;
    assert_eq!(status, 200, "{order}");
    let order_id = order["id"].as_str().expect("order id").to_owned();
    let (status, saved) = c
        .save(&order_id, &order["version"], application("", &[]))
        .await;
    assert_eq!(status, 200, "{saved}");
    let (status, doc) = c
        .upload_for(&order_id, "subject_certificate", "张三的身份证.png", png())
        .await;
    assert_eq!(status, 201, "{doc}");
    let doc_id = doc["id"].as_str().expect("document id").to_owned();
    let download = c
        .http
        .get(format!("{}/api/documents/{doc_id}", s.base))
        .send()
        .await
        .expect("download");
    assert_eq!(download.status().as_u16(), 200);
    // Paths that are not routes, and a server function that does not exist.
    let _ = c
        .http
        .get(format!("{}/no-such-page-7f3a", s.base))
        .send()
        .await
        .expect("request");
    let (status, _) = c.call("/api/no_such_function_9c2e", json!({})).await;
    assert_eq!(status, 404);

    let (status, text) = get(&metrics, Some(TOKEN)).await;
    assert_eq!(status, 200, "{text}");
    let register = value(
        &text,
        "beian_http_requests_total",
        &[
            "method=\"POST\"",
            "route=\"/api/register\"",
            "status=\"200\"",
        ],
    );
    assert!(
        register.is_some_and(|n| n >= 1.0),
        "no counter for /api/register:\n{text}"
    );
    assert!(
        value(
            &text,
            "beian_http_requests_total",
            &["route=\"/api/documents/{id}\"", "status=\"200\""]
        )
        .is_some(),
        "{text}"
    );
    assert!(
        value(
            &text,
            "beian_http_requests_total",
            &["route=\"/api/{*fn_name}\"", "status=\"404\""]
        )
        .is_some(),
        "{text}"
    );
    assert!(
        value(&text, "beian_http_requests_total", &["route=\"other\""]).is_some(),
        "{text}"
    );
    assert!(
        samples(&text, "beian_http_request_duration_seconds_bucket")
            .iter()
            .any(|l| l.contains("route=\"/api/save_draft\"")),
        "no latency histogram for /api/save_draft:\n{text}"
    );
    assert!(
        value(&text, "beian_orders", &["status=\"draft\""]).is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "beian_orders", &["status=\"expired\""]),
        Some(0.0),
        "{text}"
    );
    assert!(
        value(
            &text,
            "beian_queue_oldest_seconds",
            &["status=\"provider_review\""]
        )
        .is_some(),
        "{text}"
    );
    assert!(
        value(&text, "beian_db_pool_max_connections", &[]).is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert!(
        value(&text, "beian_db_pool_connections", &["state=\"idle\""]).is_some(),
        "{text}"
    );
    assert!(
        value(&text, "beian_upload_bytes_total", &[]).is_some_and(|n| n >= png().len() as f64),
        "{text}"
    );

    for personal in [
        username,
        "watched-person",
        "13800138000",
        "110105199003071239",
        "张三",
        "zhangsan",
        &order_id,
        &doc_id,
        "no-such-page",
        "no_such_function",
    ] {
        assert!(
            !text.contains(personal),
            "/metrics shows {personal:?}:\n{text}"
        );
    }
}

#[tokio::test]
async fn a_submitted_order_shows_in_the_providers_queue_age() {
    let _scraping = SCRAPING.lock().await;
    let s = Server::start_with_options(beian_server::Options {
        metrics_token: Some(TOKEN.to_owned()),
        ..Default::default()
    })
    .await;
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (status, order) = c
        .call("/api/create_order", json!({"path": "first_filing"}))
        .await;
    assert_eq!(status, 200, "{order}");
    let order_id = order["id"].as_str().expect("order id").to_owned();
    let docs = c.documents(&order_id).await;
    let code = common::eligible_code(&c).await;
    let (status, saved) = c
        .save(
            &order_id,
            &order["version"],
            application(&code, &common::docs(&docs)),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    let (status, submitted) = c
        .call(
            "/api/submit_order",
            json!({"order_id": order_id, "version": saved["version"]}),
        )
        .await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["accepted"], true, "{submitted}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (_, text) = get(&format!("{}/metrics", s.base), Some(TOKEN)).await;
    assert_eq!(
        value(&text, "beian_orders", &["status=\"provider_review\""]),
        Some(1.0),
        "{text}"
    );
    let age = value(
        &text,
        "beian_queue_oldest_seconds",
        &["status=\"provider_review\""],
    )
    .expect("queue age");
    assert!((1.0..60.0).contains(&age), "queue age {age}:\n{text}");
}

#[tokio::test]
async fn metrics_are_not_served_without_a_token() {
    let s = Server::start().await;
    let (status, body) = get(&format!("{}/metrics", s.base), Some(TOKEN)).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("json")["code"],
        "api.not_found"
    );
}

#[tokio::test]
async fn readyz_names_a_documents_folder_that_takes_no_file_while_healthz_stays_alive() {
    let s = Server::start().await;
    let readyz = format!("{}/readyz", s.base);
    let healthz = format!("{}/healthz", s.base);
    let (status, body) = get(&readyz, None).await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["status"], "ready");
    assert_eq!(
        body["checks"],
        json!({"database": "ok", "migrations": "ok", "documents": "ok"})
    );

    // The documents folder becomes a file: nothing can be stored there.
    let documents = s.data.path().join("documents");
    std::fs::remove_dir_all(&documents).expect("remove documents");
    std::fs::write(&documents, b"not a folder").expect("file");
    let (status, body) = get(&readyz, None).await;
    assert_eq!(status, 503, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["failed"], json!(["documents"]));
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(
        get(&healthz, None).await.0,
        200,
        "alive even when not ready"
    );

    std::fs::remove_file(&documents).expect("remove file");
    std::fs::create_dir(&documents).expect("folder");
    assert_eq!(get(&readyz, None).await.0, 200);
    assert!(
        std::fs::read_dir(&documents)
            .expect("folder")
            .next()
            .is_none(),
        "the probe left a file behind"
    );
}

/// A migration of this build that the database lacks (on a SQLite file of the test's own,
/// whichever database the other suites run on).
#[tokio::test]
async fn readyz_names_a_missing_migration() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", data.path().join("beian.db").display());
    let store = beian_store::Store::open(&url, data.path()).await.expect("database");
    let state = beian_server::AppState { store, policy: Default::default(), upload_limit: 4 * 1024 * 1024 };
    let router = beian_server::app(state, Default::default()).await.expect("router");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(beian_server::serve(listener, router, std::future::pending()));
    let readyz = format!("{base}/readyz");
    assert_eq!(get(&readyz, None).await.0, 200);

    let db = sqlx::SqlitePool::connect(&url).await.expect("database");
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(&db)
        .await
        .expect("delete");
    let (status, body) = get(&readyz, None).await;
    assert_eq!(status, 503, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["failed"], json!(["migrations"]));
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(get(&format!("{base}/healthz"), None).await.0, 200);
}

/// The real `beian-server` binary on a free loopback port, its stderr collected line by line.
struct Process {
    child: std::process::Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Process {
    async fn start(data: &std::path::Path, env: &[(&str, &str)]) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"));
        command
            .arg("--demo")
            .arg("--data-dir")
            .arg(data)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .env_remove("BEIAN_DATABASE_URL")
            .env_remove("BEIAN_LOG_FORMAT")
            .env_remove("BEIAN_METRICS_TOKEN")
            .env("RUST_LOG", "info")
            .stderr(std::process::Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("beian-server");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn({
            let log = log.clone();
            move || {
                for line in std::io::BufReader::new(stderr)
                    .lines()
                    .map_while(Result::ok)
                {
                    log.lock().expect("log").push(line);
                }
            }
        });
        let started = Instant::now();
        while reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .map(|r| r.status().as_u16())
            .ok()
            != Some(200)
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "beian-server did not start: {:?}",
                log.lock().expect("log")
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Process { child, port, log }
    }

    fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for the process to end; its exit code.
    async fn exit_code(&mut self, within: Duration) -> Option<i32> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(
                started.elapsed() < within,
                "beian-server did not stop: {:?}",
                self.log.lock().expect("log")
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The session cookie (`name=value`) of a login.
async fn session_cookie(port: u16) -> String {
    let r = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/login"))
        .header("content-type", "application/json")
        .body(json!({"username": APPLICANT.0, "password": APPLICANT.1}).to_string())
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie");
    cookie.split(';').next().expect("cookie").to_owned()
}

#[tokio::test]
async fn sigterm_finishes_the_upload_in_flight_refuses_new_connections_and_exits_0() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut server = Process::start(data.path(), &[]).await;
    let port = server.port;
    let cookie = session_cookie(port).await;

    // An upload whose body comes in two halves, with SIGTERM between them.
    let mut file = png();
    file.extend(std::iter::repeat_n(0u8, 256 * 1024));
    let boundary = "beian-ops-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nsubject_certificate\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let head = format!(
        "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let (first, second) = body.split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(first).expect("first half");
    stream.flush().expect("flush");
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.terminate();
    // The listener closes: new connections are refused while the upload is still open.
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still accepting connections after SIGTERM"
        );
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            // A connection caught in the listener's queue as it closes is reset, not
            // accepted; the next one finds no listener.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("connect: {e}"),
            Ok(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        server.child.try_wait().expect("wait").is_none(),
        "the server quit with a request in flight"
    );

    stream
        .write_all(second)
        .expect("second half: the connection was closed");
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .expect("the answer, not a reset");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let json = answer.split("\r\n\r\n").nth(1).expect("body");
    let doc: Value = serde_json::from_str(json).expect("json");
    assert_eq!(doc["size_bytes"].as_u64(), Some(file.len() as u64), "{doc}");

    assert_eq!(
        server.exit_code(Duration::from_secs(20)).await,
        Some(0),
        "{:?}",
        server.log()
    );
    let log = server.log().join("\n");
    assert!(log.contains("stopping") && log.contains("stopped"), "{log}");
}

#[tokio::test]
async fn logs_are_json_lines_when_asked() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut server = Process::start(data.path(), &[("BEIAN_LOG_FORMAT", "json")]).await;
    server.terminate();
    assert_eq!(server.exit_code(Duration::from_secs(20)).await, Some(0));
    let lines = server.log();
    assert!(lines.len() >= 3, "{lines:?}");
    let events: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    for event in &events {
        assert!(
            event["timestamp"].is_string()
                && event["level"].is_string()
                && event["message"].is_string(),
            "{event}"
        );
    }
    let listening = events.iter().find(|e| {
        e["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("listening on http://127.0.0.1:"))
    });
    assert!(listening.is_some_and(|e| e["level"] == "INFO"), "{lines:?}");
    assert!(events.iter().any(|e| e["signal"] == "SIGTERM"), "{lines:?}");
}

#[test]
fn a_short_metrics_token_or_an_unknown_log_format_stops_the_server_with_one_line() {
    for (variable, value, named) in [("BEIAN_METRICS_TOKEN", "short", "BEIAN_METRICS_TOKEN"), ("BEIAN_LOG_FORMAT", "xml", "xml")] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"))
            .env_remove("BEIAN_METRICS_TOKEN")
            .env_remove("BEIAN_LOG_FORMAT")
            .env(variable, value)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(named), "{err}");
    }
}
