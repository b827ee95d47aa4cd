//! The open internet: requests that ask for unbounded work, dates at the end of time, password
//! guessing, headers that keep the app and documents safe, uploads at and over the limit.

mod common;

use common::*;
use serde_json::{Value, json};

/// An application with `n` websites, each with its own principal, all sharing one mobile and
/// one e-mail: the shape that made the pairwise checks quadratic.
fn crowd(n: usize, province: Option<&str>) -> Value {
    let person = json!({"name": "张三", "certificate_type": "resident_id", "certificate_number": "110105199003071239",
        "long_term": true, "mobile": "13800138000", "email": "same@example.com"});
    let websites: Vec<Value> = (0..n)
        .map(|i| json!({"name": "网站", "domain": format!("site{i}.com"), "domain_holder": "张三", "principal": person}))
        .collect();
    json!({"province": province, "path": "first_filing", "subject": {"subject_type": "individual"}, "subject_principal": person, "websites": websites})
}

#[tokio::test]
async fn an_application_over_the_websites_an_order_may_hold_is_refused_without_work() {
    let s = Server::start().await;
    let c = s.client();
    // 600 principals: refused at once, with a small answer.
    let body = json!({"application": crowd(600, None)});
    assert!(body.to_string().len() > 100_000);
    let started = std::time::Instant::now();
    let r = c.post("/api/validate_application", body).await;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    println!("600 principals: {status} in {:?}, {} bytes", started.elapsed(), text.len());
    assert_eq!(status, 422, "{text}");
    assert!(text.len() < 1_000, "{text}");
    let e: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert_eq!((e["code"].as_str(), e["field"].as_str(), e["params"]["max"].as_str()), (Some("application.too_many_websites"), Some("websites"), Some("50")));
    // In a province whose rules allow one website per order, two are over its cap.
    let (status, e) = c.call("/api/validate_application", json!({"application": crowd(2, Some("CN-BJ"))})).await;
    let capped = status == 422 && e["code"] == "application.too_many_websites";
    let (_, max) = c.call("/api/requirements", json!({"province": "CN-BJ", "subject_type": "individual", "path": "first_filing"})).await;
    assert_eq!(capped, max["max_websites_per_order"].as_u64().is_some_and(|m| m < 2), "{e} {max}");

    // At the cap, the answer stays bounded: findings capped, the rest counted.
    let (status, v) = c.call("/api/validate_application", json!({"application": crowd(50, None)})).await;
    assert_eq!(status, 200, "{v}");
    let shown = v["findings"].as_array().map_or(0, Vec::len);
    assert!(shown <= beian_rules::application::MAX_FINDINGS, "{shown}");
    println!("50 websites: {shown} findings answered, {} more counted", v["more"]);

    // A draft over the cap is not saved: nothing stored.
    let owner = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (_, order) = owner.call("/api/create_order", json!({"path": "first_filing"})).await;
    let (status, e) = owner.save(order["id"].as_str().unwrap_or_default(), &order["version"], crowd(600, None)).await;
    assert_eq!((status, e["code"].clone()), (422, json!("application.too_many_websites")));
    let (_, read) = owner.call("/api/get_order", json!({"order_id": order["id"]})).await;
    assert_eq!(read["version"], order["version"], "nothing stored");
}

#[tokio::test]
async fn a_date_at_the_end_of_time_is_answered() {
    let s = Server::start().await;
    let c = s.client();
    let mut app = crowd(1, Some("CN-BJ"));
    app["subject_principal"]["long_term"] = json!(false);
    app["subject_principal"]["certificate_valid_until"] = json!("+262142-12-30");
    for as_of in ["+262142-12-31", "-262143-01-01", "2026-11-30"] {
        let (status, v) = c.call("/api/validate_application", json!({"application": app, "as_of": as_of})).await;
        assert_eq!(status, 200, "{as_of}: {v}");
        let (status, _) = c.call("/api/validate_field", json!({"field": "mobile", "value": "13800138000", "as_of": as_of})).await;
        assert_eq!(status, 200, "{as_of}");
        let (status, _) = c.call("/api/requirements", json!({"province": "CN-ZJ", "subject_type": "enterprise", "path": "first_filing", "as_of": as_of})).await;
        assert_eq!(status, 200, "{as_of}");
    }
    // A date chrono cannot hold is the caller's mistake, with a code.
    let (status, e) = c.call("/api/validate_application", json!({"application": app, "as_of": "+262144-01-01"})).await;
    assert_eq!((status, e["code"].clone()), (400, json!("request.invalid")));
}

#[tokio::test]
async fn password_guessing_is_throttled() {
    let s = Server::start().await;
    let c = s.client();
    for attempt in 1..=30 {
        let (status, e) = c.call("/api/login", json!({"username": APPLICANT.0, "password": format!("guess number {attempt}")})).await;
        assert_eq!((status, e["code"].clone()), (401, json!("auth.wrong_credentials")), "attempt {attempt}");
    }
    let r = c.post("/api/login", json!({"username": APPLICANT.0, "password": "guess number 31"})).await;
    assert_eq!(r.status().as_u16(), 429);
    let wait: u64 = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    assert!(wait >= 1, "Retry-After");
    let e: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(e["code"], "auth.too_many_attempts");
    assert_eq!(e["params"]["retry_after"], wait.to_string());
    // Even the right password waits; another account is not locked by it.
    let (status, _) = c.call("/api/login", json!({"username": APPLICANT.0, "password": APPLICANT.1})).await;
    assert_eq!(status, 429);
    let (status, _) = c.call("/api/login", json!({"username": REVIEWER.0, "password": REVIEWER.1})).await;
    assert_eq!(status, 200);
    // Passwords are bounded: longer than 1024 characters is refused, without hashing.
    let (status, e) = s.client().call("/api/register", json!({"username": "long@example.com", "password": "x".repeat(1025)})).await;
    assert_eq!((status, e["code"].clone()), (400, json!("account.password_too_long")));
}

#[tokio::test]
async fn the_app_authenticated_answers_and_documents_carry_safe_headers() {
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html><title>Beian</title><script type=\"module\" src=\"/start.js\"></script>").expect("index");
    let s = Server::start_with_dist(dist.path().to_owned()).await;
    let c = s.client();
    let r = c.http.get(format!("{}/", s.base)).send().await.expect("index");
    let csp = r.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    for (name, value) in [("referrer-policy", "no-referrer"), ("x-content-type-options", "nosniff"), ("cache-control", "no-cache")] {
        assert_eq!(r.headers().get(name).and_then(|v| v.to_str().ok()), Some(value), "{name} on /");
    }
    let owner = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let r = owner.post("/api/my_orders", Value::Null).await;
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert!(r.headers().contains_key("content-security-policy"));
    let (_, doc) = owner.upload("subject_certificate", "张三 身份证.png", png()).await;
    let r = owner.http.get(format!("{}/api/documents/{}", s.base, doc["id"].as_str().unwrap_or_default())).send().await.expect("download");
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(header("content-disposition").starts_with("attachment;"), "{}", header("content-disposition"));
    assert!(header("content-disposition").contains("filename*=UTF-8''%E5%BC%A0%E4%B8%89"), "{}", header("content-disposition"));
    assert!(header("content-security-policy").starts_with("sandbox"), "{}", header("content-security-policy"));
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("x-content-type-options"), "nosniff");
    // Over HTTPS the session cookie is Secure and __Host-, and answers carry HSTS.
    let secure = Server::start_with_options(beian_server::Options { secure_cookies: true, ..Default::default() }).await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/login", secure.base))
        .header("content-type", "application/json")
        .body(json!({"username": APPLICANT.0, "password": APPLICANT.1}).to_string())
        .send()
        .await
        .expect("login");
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("__Host-beian_session=") && cookie.contains("Secure") && cookie.contains("Path=/"), "{cookie}");
    assert!(r.headers().get("strict-transport-security").is_some());
}

/// A PNG of `size` bytes (its signature, then padding: the type is read from the bytes).
fn png_of(size: usize) -> Vec<u8> {
    let mut bytes = png();
    bytes.resize(size, 0);
    bytes
}

/// The files in the documents folder (stored documents and any upload's leftovers).
fn stored_files(s: &Server) -> usize {
    std::fs::read_dir(s.data.path().join("documents")).map(|d| d.count()).unwrap_or(0)
}

#[tokio::test]
async fn uploads_take_four_mib_and_refuse_more_while_streaming() {
    let s = Server::start().await;
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (status, doc) = c.upload("subject_certificate", "big.png", png_of(3 * 1024 * 1024 + 512 * 1024)).await;
    assert_eq!(status, 201, "{doc}");
    assert_eq!(doc["size_bytes"], 3 * 1024 * 1024 + 512 * 1024);
    let before = stored_files(&s);
    let (status, e) = c.upload("subject_certificate", "huge.png", png_of(5 * 1024 * 1024)).await;
    assert_eq!((status, e["code"].clone()), (413, json!("document.too_large")), "{e}");
    // Just over the limit, in a body the framing lets through: refused by the file's count.
    let (status, e) = c.upload("subject_certificate", "over.png", png_of(4 * 1024 * 1024 + 1)).await;
    assert_eq!((status, e["code"].clone()), (413, json!("document.too_large")), "{e}");
    assert_eq!(stored_files(&s), before, "nothing stored, no leftovers");
    let (status, doc) = c.upload("subject_certificate", "exact.png", png_of(4 * 1024 * 1024)).await;
    assert_eq!(status, 201, "{doc}");
}
