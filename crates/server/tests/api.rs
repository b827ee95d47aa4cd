//! The backend over HTTP: a real server on a loopback port with a temporary data folder.

use std::net::SocketAddr;

use beian_server::AppState;
use serde_json::{Value, json};

struct Server {
    addr: SocketAddr,
    _data: tempfile::TempDir,
    _db: beian_store::testing::TestDatabase,
    client: reqwest::Client,
}

impl Server {
    async fn start() -> Server {
        Server::start_with_dist(None).await
    }

    async fn start_with_dist(dist: Option<std::path::PathBuf>) -> Server {
        Server::start_with(dist, Default::default()).await
    }

    async fn start_with(dist: Option<std::path::PathBuf>, policy: beian_rules::ProviderPolicy) -> Server {
        let data = tempfile::tempdir().expect("temp dir");
        let db = beian_store::testing::TestDatabase::new(data.path()).await;
        let store = beian_store::Store::open(&db.url, data.path()).await.expect("database");
        let today = chrono::Utc::now().date_naive();
        store.load_demo(today).await.expect("demo data");
        let state = AppState { store, policy: std::sync::Arc::new(policy), upload_limit: 4 * 1024 * 1024 };
        let router = beian_server::app(state, beian_server::Options { dist_dir: dist, ..Default::default() }).await.expect("router");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(beian_server::serve(listener, router, std::future::pending()));
        let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
        Server { addr, _data: data, _db: db, client }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    async fn post_json(&self, path: &str, body: Value) -> (u16, Value) {
        self.post_raw(path, body.to_string()).await
    }

    async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let value = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, value)
    }
}

#[tokio::test]
async fn healthz_answers_when_ready() {
    let s = Server::start().await;
    let r = s.client.get(s.url("/healthz")).send().await.expect("request");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.json::<Value>().await.expect("json")["status"], "ok");
}

#[tokio::test]
async fn status_server_function_reads_the_database() {
    let s = Server::start().await;
    let r = s
        .client
        .post(s.url("/api/status"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["instances"], 6, "{body}");
    assert!(body["rules"].as_u64().unwrap_or(0) > 50, "{body}");
}

#[tokio::test]
async fn check_instance_eligible_and_pay_as_you_go() {
    let s = Server::start().await;
    let instance = json!({"product": "ecs", "region": "cn-hangzhou", "billing": "subscription",
        "subscription_start": "2026-11-01", "subscription_end": "2027-11-01", "public_bandwidth_mbps": 5});
    let (status, body) = s.post_json("/api/check_instance", json!({"instance": instance, "as_of": "2026-11-22"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["eligible"], true);
    assert_eq!(body["service_codes_left"], 5);

    let payg = json!({"product": "ecs", "region": "cn-shanghai", "billing": "pay_as_you_go",
        "subscription_start": "2026-11-01", "public_bandwidth_mbps": 5});
    let (status, body) = s.post_json("/api/check_instance", json!({"instance": payg, "as_of": "2026-11-22"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["eligible"], false);
    assert_eq!(body["findings"][0]["code"], "instance.pay_as_you_go");
}

#[tokio::test]
async fn check_instance_follows_the_providers_policy() {
    let mut policy = beian_rules::ProviderPolicy::default();
    for product in policy.periods.iter_mut().flat_map(|p| p.products.iter_mut()) {
        product.service_codes = 2;
    }
    let s = Server::start_with(None, policy).await;
    let instance = json!({"product": "ecs", "region": "cn-hangzhou", "billing": "subscription",
        "subscription_start": "2026-11-01", "subscription_end": "2027-11-01", "public_bandwidth_mbps": 5});
    let (status, body) = s.post_json("/api/check_instance", json!({"instance": instance, "as_of": "2026-11-22"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["service_codes_left"], 2);
}

#[tokio::test]
async fn as_of_defaults_to_today() {
    let s = Server::start().await;
    let (status, body) = s.post_json("/api/validate_field", json!({"field": "mobile", "value": "13800138000"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["valid"], true);
    assert_eq!(body["as_of"], chrono::Utc::now().date_naive().to_string());
}

#[tokio::test]
async fn need_filing_and_path_for_hong_kong() {
    let s = Server::start().await;
    let (status, body) = s.post_json("/api/need_filing", json!({"questions": {"location": "CN-HK", "hosting": "provider_server"}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["filing_needed"], false);
    let q = json!({"server_location": "CN-HK", "subject_filed": "nowhere", "domain_filed": "nowhere", "intent": "host_website"});
    let (status, body) = s.post_json("/api/determine_path", json!({"questions": q})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["path"], "not_required");
}

#[tokio::test]
async fn validate_field_reports_codes() {
    let s = Server::start().await;
    let (status, body) = s
        .post_json("/api/validate_field", json!({"field": "resident_id", "value": "110105199003071230", "as_of": "2026-11-22"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["valid"], false);
    assert_eq!(body["findings"][0]["code"], "resident_id.checksum");
}

#[tokio::test]
async fn requirements_follow_the_date() {
    let s = Server::start().await;
    let ask = |date: &str| json!({"province": "CN-TJ", "subject_type": "individual", "path": "first_filing", "as_of": date});
    let (_, then) = s.post_json("/api/requirements", ask("2018-07-01")).await;
    let (status, now) = s.post_json("/api/requirements", ask("2026-11-22")).await;
    assert_eq!(status, 200, "{now}");
    let sms = |v: &Value| {
        v["verification"].as_array().into_iter().flatten().find(|s| s["step"] == "sms_verification").map(|s| s["deadline_hours"].clone())
    };
    assert_eq!(sms(&then), Some(json!(48)), "{then}");
    assert_eq!(sms(&now), Some(json!(24)), "{now}");
}

#[tokio::test]
async fn validate_application_by_field_path() {
    let s = Server::start().await;
    let app = json!({"province": "CN-BJ", "path": "first_filing",
        "subject": {"subject_type": "individual", "name": "张三", "certificate_type": "resident_id",
            "certificate_number": "110105199003071230", "certificate_address": "北京市朝阳区1号", "mailing_address": "北京市朝阳区1号"},
        "subject_principal": {"name": "张三", "certificate_type": "resident_id", "certificate_number": "110105199003071239",
            "long_term": true, "mobile": "138001380", "email": "a@example.com"},
        "websites": [{"name": "张三的美食分享", "domain": "zhangsan.com", "domain_holder": "张三"}],
        "documents": [{"kind": "subject_certificate", "id": "1"}, {"kind": "authenticity_statement", "id": "2"}],
        "service_code": "32a43232-a888-88e8-b9ec-00888be8888f"});
    let (status, body) = s.post_json("/api/validate_application", json!({"application": app, "as_of": "2026-11-22"})).await;
    assert_eq!(status, 200, "{body}");
    let fields: Vec<String> = body["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{}@{}", f["code"].as_str().unwrap_or(""), f["field"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(fields, ["resident_id.checksum@subject.certificate_number", "mobile.format@subject_principal.mobile"]);
}

#[tokio::test]
async fn malformed_json_is_a_400_with_a_code() {
    let s = Server::start().await;
    let (status, body) = s.post_raw("/api/validate_field", "{not json").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "request.invalid");
    // A body that is not UTF-8 (the API reads bodies as text): the position of the bad byte.
    let (status, body) = s.post_raw("/api/validate_field", b"{\"field\": \"mobile\", \"value\": \"138\xff\"}".to_vec()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "request.invalid");
    assert!(body["message"].as_str().unwrap_or("").contains("column"), "{body}");
}

#[tokio::test]
async fn unknown_enum_value_is_a_400() {
    let s = Server::start().await;
    let (status, body) = s.post_json("/api/validate_field", json!({"field": "shoe_size", "value": "42"})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("shoe_size"), "{body}");
}

#[tokio::test]
async fn wrong_types_and_missing_fields_are_400s() {
    let s = Server::start().await;
    let (status, _) = s.post_json("/api/validate_field", json!({"field": "mobile", "value": 13800138000u64})).await;
    assert_eq!(status, 400);
    let (status, _) = s.post_json("/api/check_instance", json!({})).await;
    assert_eq!(status, 400);
    let (status, _) = s.post_json("/api/requirements", json!({"province": "CN-XX", "subject_type": "individual", "path": "first_filing"})).await;
    assert_eq!(status, 400);
    let (status, _) = s.post_json("/api/validate_field", json!({"field": "mobile", "value": "1", "as_of": "2026-13-45"})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn huge_body_is_a_413() {
    let s = Server::start().await;
    let value = "1".repeat(beian_server::API_BODY_LIMIT + 10);
    let (status, body) = s.post_json("/api/validate_field", json!({"field": "mobile", "value": value})).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["code"], "request.too_large");
}

#[tokio::test]
async fn unknown_endpoint_is_a_404_json() {
    let s = Server::start().await;
    let (status, body) = s.post_json("/api/no_such_thing", json!({})).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["code"], "api.not_found");
}

#[tokio::test]
async fn public_endpoints_take_post_only() {
    let s = Server::start().await;
    for path in ["/api/validate_field", "/api/status"] {
        let r = s.client.get(s.url(path)).send().await.expect("request");
        assert_eq!(r.status().as_u16(), 405, "{path}");
        assert_eq!(r.headers().get("allow").and_then(|v| v.to_str().ok()), Some("POST"), "{path}");
        let body = r.json::<Value>().await.unwrap_or(Value::Null);
        assert_eq!(body["code"], "request.method", "{path}");
    }
}

#[tokio::test]
async fn serves_the_app_with_index_fallback_for_client_routes() {
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html><title>Beian</title>").expect("write");
    let s = Server::start_with_dist(Some(dist.path().to_path_buf())).await;
    for path in ["/", "/apply/subject", "/orders/123"] {
        let r = s.client.get(s.url(path)).send().await.expect("request");
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert!(r.text().await.unwrap_or_default().contains("<title>Beian</title>"), "{path}");
    }
}

#[tokio::test]
async fn a_missing_file_is_a_404_not_the_page() {
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html><title>Beian</title>").expect("write");
    let s = Server::start_with_dist(Some(dist.path().to_path_buf())).await;
    // A split file of an earlier build, asked for by a tab opened before a deploy.
    for path in ["/split_order-0123456789abcdef.wasm", "/beian-split-0123456789abcdef.js", "/apply/x.css", "/favicon.ico"] {
        let r = s.client.get(s.url(path)).send().await.expect("request");
        assert_eq!(r.status().as_u16(), 404, "{path}");
        // Asked again next time: the file may be there after the deploy.
        let cache = r.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(cache == "no-store" || cache == "no-cache", "{path}: {cache}");
        assert!(!r.text().await.unwrap_or_default().contains("<title>"), "{path}");
    }
    // A route, even with a dot in it, gets the page.
    for path in ["/review/42", "/review/o-demo.1"] {
        let r = s.client.get(s.url(path)).send().await.expect("request");
        assert_eq!(r.status().as_u16(), 200, "{path}");
    }
}

#[tokio::test]
async fn sends_a_files_brotli_copy_to_a_browser_that_accepts_brotli() {
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html><title>Beian</title>").expect("write");
    std::fs::write(dist.path().join("app-0123456789abcdef_bg.wasm"), b"raw wasm").expect("write");
    std::fs::write(dist.path().join("app-0123456789abcdef_bg.wasm.br"), b"brotli wasm").expect("write");
    let s = Server::start_with_dist(Some(dist.path().to_path_buf())).await;
    let path = "/app-0123456789abcdef_bg.wasm";
    let r = s.client.get(s.url(path)).header("accept-encoding", "gzip, deflate, br").send().await.expect("request");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("br"));
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/wasm"));
    assert_eq!(r.headers().get("vary").and_then(|v| v.to_str().ok()), Some("accept-encoding"));
    assert_eq!(r.bytes().await.expect("body").as_ref(), b"brotli wasm");
    // Without brotli in Accept-Encoding: the file itself.
    let r = s.client.get(s.url(path)).header("accept-encoding", "gzip").send().await.expect("request");
    assert_eq!(r.headers().get("content-encoding"), None);
    assert_eq!(r.bytes().await.expect("body").as_ref(), b"raw wasm");
}

#[test]
fn bad_setting_stops_the_server_with_one_line() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"))
        .env("BEIAN_ADDR", "not-an-address")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("not-an-address") && err.to_lowercase().contains("addr"), "{err}");
}

#[test]
fn missing_dist_dir_is_named() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"))
        .args(["--dist-dir", "/nonexistent/beian-dist"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BEIAN_DIST_DIR"), "{err}");
}

/// Runs `beian-server import-instances FILE` on `data`.
fn import(data: &std::path::Path, db: &beian_store::testing::TestDatabase, file: &std::path::Path, demo: bool) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"));
    cmd.arg("--data-dir").arg(data).arg("--database-url").arg(&db.url).env_remove("BEIAN_DEMO");
    if demo {
        cmd.arg("--demo");
    }
    cmd.arg("import-instances").arg(file).output().expect("run")
}

#[tokio::test]
async fn the_operator_imports_instances_from_a_json_file() {
    let data = tempfile::tempdir().expect("temp dir");
    let db = beian_store::testing::TestDatabase::new(data.path()).await;
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/instances.example.json");

    // The example names the demo applicant: without that account nothing is imported.
    let out = import(data.path(), &db, &example, false);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("instance.unknown_account") && err.contains("instances.example.json"), "{err}");

    // A file that is not a list of instances is named, with where it went wrong.
    let bad = data.path().join("bad.json");
    std::fs::write(&bad, r#"[{"id": "i-1", "product": "mainframe"}]"#).expect("write");
    let out = import(data.path(), &db, &bad, false);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json") && err.contains("mainframe"), "{err}");

    // With the demo accounts it imports all three, and a second run updates them in place.
    let out = import(data.path(), &db, &example, true);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "imported 3 instances");
    assert_eq!(import(data.path(), &db, &example, true).status.code(), Some(0));

    let store = beian_store::Store::open(&db.url, data.path()).await.expect("database");
    let account = store.login("applicant@example.com", "demo-applicant").await.expect("demo applicant");
    let mine = store.instances_of(&account.id).await.expect("instances");
    let mut imported: Vec<_> = mine.iter().filter(|i| i.id.contains("example")).map(|i| i.id.as_str()).collect();
    imported.sort_unstable();
    assert_eq!(imported, ["i-2zeexample0002", "i-bp1example0001"]);
    let unassigned = store.instance("i-uf6example0003").await.expect("read").expect("imported");
    assert_eq!(unassigned.account, None);
}

#[test]
fn the_operators_policy_file_is_read_and_a_bad_one_stops_the_server() {
    let data = tempfile::tempdir().expect("temp dir");
    let bad = data.path().join("policy.toml");
    std::fs::write(&bad, "periods = 3\n").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("--policy")
        .arg(&bad)
        .env("BEIAN_ADDR", "127.0.0.1:0")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--policy") && err.contains("policy.toml"), "{err}");
    // The built-in default is itself a policy file the server reads.
    let default = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/data/provider-policy.toml");
    let text = std::fs::read_to_string(&default).expect("the built-in policy file");
    assert_eq!(beian_rules::ProviderPolicy::from_toml(&text).ok(), Some(beian_rules::ProviderPolicy::default()));
}
