//! The harness the HTTP suites share: a real server on a loopback port with a temporary data
//! folder and the demo data, clients with their own cookies, and the inputs the tests build.

#![allow(dead_code)]

use beian_server::AppState;
use serde_json::{Value, json};

pub struct Server {
    pub base: String,
    pub store: beian_store::Store,
    pub data: tempfile::TempDir,
    /// The test's own database (SQLite in `data`, or a PostgreSQL database dropped with it).
    pub db: beian_store::testing::TestDatabase,
}

#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl Server {
    /// A pool on the test's database, for tests that read or damage rows directly.
    pub async fn raw_pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.db.url).await.expect("database")
    }

    pub async fn start() -> Server {
        Server::start_with_options(Default::default()).await
    }

    /// A server that also serves the built app in `dist`.
    pub async fn start_with_dist(dist: std::path::PathBuf) -> Server {
        Server::start_with_options(beian_server::Options { dist_dir: Some(dist), ..Default::default() }).await
    }

    pub async fn start_with_options(options: beian_server::Options) -> Server {
        let data = tempfile::tempdir().expect("temp dir");
        let db = beian_store::testing::TestDatabase::new(data.path()).await;
        let store = beian_store::Store::open(&db.url, data.path()).await.expect("database");
        store.load_demo(chrono::Utc::now().date_naive()).await.expect("demo");
        let state = AppState { store: store.clone(), policy: Default::default(), upload_limit: 4 * 1024 * 1024 };
        let router = beian_server::app(state, options).await.expect("router");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(beian_server::serve(listener, router, std::future::pending()));
        Server { base: format!("http://{addr}"), store, data, db }
    }

    pub fn client(&self) -> Client {
        Client { base: self.base.clone(), http: reqwest::Client::builder().cookie_store(true).build().expect("client") }
    }

    pub async fn logged_in(&self, username: &str, password: &str) -> Client {
        let c = self.client();
        let (status, body) = c.call("/api/login", json!({"username": username, "password": password})).await;
        assert_eq!(status, 200, "{body}");
        c
    }
}

impl Client {
    /// A server function with JSON arguments.
    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request")
    }

    pub async fn call(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self.post(path, body).await;
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A server function without arguments (URL-encoded, empty body).
    pub async fn call0(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn upload(&self, kind: &str, name: &str, bytes: Vec<u8>) -> (u16, Value) {
        let form = reqwest::multipart::Form::new()
            .text("kind", kind.to_owned())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
        let r = self.http.post(format!("{}/api/documents", self.base)).multipart(form).send().await.expect("upload");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

pub const APPLICANT: (&str, &str) = ("applicant@example.com", "demo-applicant");
pub const REVIEWER: (&str, &str) = ("reviewer@example.com", "demo-reviewer");

/// A 1×1 PNG.
pub fn png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

pub fn application(code: &str, docs: &[(&str, &str)]) -> Value {
    json!({"province": "CN-BJ",
        "subject": {"subject_type": "individual", "name": "张三", "certificate_type": "resident_id",
            "certificate_number": "110105199003071239", "certificate_address": "北京市朝阳区1号", "mailing_address": "北京市朝阳区1号"},
        "subject_principal": {"name": "张三", "certificate_type": "resident_id", "certificate_number": "110105199003071239",
            "long_term": true, "mobile": "13800138000", "email": "zhangsan@example.com"},
        "websites": [{"name": "张三的美食分享", "domain": "zhangsan.com", "domain_holder": "张三", "service_code": code}],
        "documents": docs.iter().map(|(k, id)| json!({"kind": k, "id": id})).collect::<Vec<_>>()})
}

pub async fn eligible_code(c: &Client) -> String {
    let (status, body) = c.call("/api/apply_service_code", json!({"instance_id": "i-demo-ecs-hangzhou"})).await;
    assert_eq!(status, 200, "{body}");
    body["code"].as_str().unwrap_or_default().to_owned()
}


impl Client {
    /// Saves `app` as a new version of `order`, made from `base`.
    pub async fn save(&self, order: &str, base: &Value, app: Value) -> (u16, Value) {
        self.call("/api/save_draft", json!({"order_id": order, "base_version": base, "application": app})).await
    }

    /// Uploads a document for the draft `order`.
    pub async fn upload_for(&self, order: &str, kind: &str, name: &str, bytes: Vec<u8>) -> (u16, Value) {
        let form = reqwest::multipart::Form::new()
            .text("order_id", order.to_owned())
            .text("kind", kind.to_owned())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
        let r = self.http.post(format!("{}/api/documents", self.base)).multipart(form).send().await.expect("upload");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Uploads the two documents a Beijing individual's first filing needs, for `order`:
    /// (kind, id) pairs for `application`.
    pub async fn documents(&self, order: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for kind in ["subject_certificate", "authenticity_statement"] {
            let (status, doc) = self.upload_for(order, kind, &format!("{kind}.png"), png()).await;
            assert_eq!(status, 201, "{doc}");
            out.push((kind.to_owned(), doc["id"].as_str().unwrap_or_default().to_owned()));
        }
        out
    }
}

/// (kind, id) pairs as `application` takes them.
pub fn docs(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(k, i)| (k.as_str(), i.as_str())).collect()
}

/// A `beian-server` process with the demo data on a free loopback port, `data` as its data
/// folder and `database_url` as its database, with `extra` arguments.
pub struct Process {
    pub child: std::process::Child,
    pub base: String,
}

impl Process {
    pub async fn start(data: &std::path::Path, database_url: &str, extra: &[&str]) -> Process {
        Process::start_with_env(data, database_url, extra, &[]).await
    }

    /// As [`Process::start`], with environment variables.
    pub async fn start_with_env(data: &std::path::Path, database_url: &str, extra: &[&str], env: &[(&str, &str)]) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"))
            .arg("--demo")
            .arg("--data-dir")
            .arg(data)
            .arg("--database-url")
            .arg(database_url)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .args(extra)
            .envs(env.iter().copied())
            .env("RUST_LOG", "warn")
            .spawn()
            .expect("beian-server");
        let base = format!("http://127.0.0.1:{port}");
        let started = std::time::Instant::now();
        while reqwest::get(format!("{base}/healthz")).await.map(|r| r.status().as_u16()).ok() != Some(200) {
            assert!(started.elapsed() < std::time::Duration::from_secs(30), "beian-server did not start");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Process { child, base }
    }

    pub fn client(&self) -> Client {
        Client { base: self.base.clone(), http: reqwest::Client::builder().cookie_store(true).build().expect("client") }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
