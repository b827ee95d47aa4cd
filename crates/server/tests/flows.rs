//! Accounts, instances and service codes, orders and uploads over HTTP, with the refusals:
//! tampered submissions, a second open order, used or foreign service codes, someone else's
//! order or file, oversized or disguised uploads, cross-site requests.

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn register_login_logout() {
    let s = Server::start().await;
    let c = s.client();
    let (status, body) = c.call("/api/register", json!({"username": "New@Example.com", "password": "long enough password"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["username"], "new@example.com");
    let (_, me) = c.call0("/api/me").await;
    assert_eq!(me["role"], "applicant");
    let (status, body) = s.client().call("/api/register", json!({"username": "new@example.com", "password": "another long one"})).await;
    assert_eq!((status, body["code"].clone()), (409, json!("account.username_taken")));
    let (status, body) = s.client().call("/api/register", json!({"username": "x@example.com", "password": "short"})).await;
    assert_eq!((status, body["code"].clone()), (400, json!("account.password_too_short")));
    c.call0("/api/logout").await;
    let (_, me) = c.call0("/api/me").await;
    assert_eq!(me, Value::Null);
}

#[tokio::test]
async fn wrong_password_is_401() {
    let s = Server::start().await;
    let (status, body) = s.client().call("/api/login", json!({"username": APPLICANT.0, "password": "wrong password"})).await;
    assert_eq!((status, body["code"].clone()), (401, json!("auth.wrong_credentials")));
    let (status, _) = s.client().call0("/api/my_instances").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let s = Server::start().await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/login", s.base))
        .header("content-type", "application/json")
        .body(json!({"username": APPLICANT.0, "password": APPLICANT.1}).to_string())
        .send()
        .await
        .expect("login");
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
}

/// A session lasts a week after its last day of use: the first use on a day (here the first
/// after logging in, which does not count as renewed) saves it with a new expiry and cookie;
/// later uses that day write nothing.
#[tokio::test]
async fn a_session_in_use_is_renewed_once_a_day() {
    let s = Server::start().await;
    let http = reqwest::Client::new();
    let call = |path: &'static str, cookie: Option<String>| {
        let login = path == "/api/login";
        let mut r = http.post(format!("{}{path}", s.base));
        if let Some(cookie) = cookie {
            r = r.header("cookie", cookie);
        }
        let body = if login { json!({"username": APPLICANT.0, "password": APPLICANT.1}).to_string() } else { String::new() };
        let r = r.header("content-type", if login { "application/json" } else { "application/x-www-form-urlencoded" });
        async move {
            let r = r.body(body).send().await.expect("request");
            let set = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).map(str::to_owned);
            (r.status().as_u16(), set)
        }
    };
    let (status, set) = call("/api/login", None).await;
    assert_eq!(status, 200);
    let set = set.unwrap_or_default();
    assert!(set.contains("Max-Age=604800"), "{set}");
    let cookie = set.split(';').next().map(str::to_owned);
    let (status, renewed) = call("/api/my_orders", cookie.clone()).await;
    assert_eq!(status, 200);
    let renewed = renewed.unwrap_or_default();
    assert!(renewed.contains("Max-Age=604800"), "first use today renews: {renewed:?}");
    assert_eq!(renewed.split(';').next().map(str::to_owned), cookie, "the same session");
    for _ in 0..2 {
        let (status, again) = call("/api/my_orders", cookie.clone()).await;
        assert_eq!((status, again), (200, None), "a second use on the same day writes nothing");
    }
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let s = Server::start().await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/login", s.base))
        .header("content-type", "application/json")
        .header("origin", "https://evil.example")
        .body(json!({"username": APPLICANT.0, "password": APPLICANT.1}).to_string())
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 403);
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(body["code"], "request.cross_site");
    let r = reqwest::Client::new()
        .post(format!("{}/api/create_order", s.base))
        .header("content-type", "application/json")
        .header("sec-fetch-site", "cross-site")
        .body(json!({"path": "first_filing"}).to_string())
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 403);
}

#[tokio::test]
async fn instances_show_eligibility_and_codes_follow_the_quota() {
    let s = Server::start().await;
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (status, instances) = c.call0("/api/my_instances").await;
    assert_eq!(status, 200, "{instances}");
    let list = instances.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 6);
    let eligible: Vec<&str> = list.iter().filter(|i| i["eligibility"]["eligible"] == true).filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(eligible, ["i-demo-ecs-beijing", "i-demo-ecs-hangzhou"]);
    for _ in 0..5 {
        eligible_code(&c).await;
    }
    let (status, body) = c.call("/api/apply_service_code", json!({"instance_id": "i-demo-ecs-hangzhou"})).await;
    assert_eq!((status, body["code"].clone()), (409, json!("instance.not_eligible")));
    let (status, body) = c.call("/api/apply_service_code", json!({"instance_id": "i-demo-ecs-payg"})).await;
    assert_eq!((status, body["code"].clone()), (409, json!("instance.not_eligible")));
    let (_, codes) = c.call0("/api/my_service_codes").await;
    assert_eq!(codes.as_array().map(Vec::len), Some(5));
    // Someone else's instance is not found, and issues nothing.
    let other = s.client();
    other.call("/api/register", json!({"username": "other@example.com", "password": "another password"})).await;
    let (status, _) = other.call("/api/apply_service_code", json!({"instance_id": "i-demo-ecs-beijing"})).await;
    assert_eq!(status, 404);
}

/// The demo applicant, logged in, with a service code and a first-filing order: (client,
/// code, order id).
async fn draft_order(s: &Server) -> (Client, String, String) {
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let code = eligible_code(&c).await;
    let (status, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    (c, code, id)
}

#[tokio::test]
async fn first_filing_from_draft_to_submitted_and_withdrawn() {
    let s = Server::start().await;
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let code = eligible_code(&c).await;
    let (status, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let (status, body) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    assert_eq!((status, body["code"].clone()), (409, json!("order.open_order_exists")));

    // Uploaded before naming an order: bound to the order that first submits them.
    let (_, subject) = c.upload("subject_certificate", "id.png", png()).await;
    let (_, statement) = c.upload("authenticity_statement", "statement.png", png()).await;
    let docs = [("subject_certificate", subject["id"].as_str().unwrap_or("")), ("authenticity_statement", statement["id"].as_str().unwrap_or(""))];

    // A draft with a wrong phone saves, with its findings.
    let mut app = application(&code, &docs);
    app["subject_principal"]["mobile"] = json!("123");
    let (status, saved) = c.save(&id, &order["version"], app).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["findings"][0]["code"], "mobile.format");
    assert_eq!(saved["findings"][0]["field"], "subject_principal.mobile");
    let (_, submitted) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!(submitted["accepted"], false);
    assert_eq!(s.store.count_orders(beian_rules::OrderStatus::ProviderReview).await.unwrap_or(-1), 0);

    let (_, saved) = c.save(&id, &saved["version"], application(&code, &docs)).await;
    assert_eq!(saved["findings"], json!([]));
    let (status, submitted) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["accepted"], true, "{submitted}");
    assert_eq!(submitted["order"]["status"], "provider_review");
    assert_eq!(submitted["order"]["can_withdraw"], true);
    let (_, read) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(read["requirements"]["province"], "CN-BJ");

    let (status, withdrawn) = c.call("/api/withdraw_order", json!({"order_id": id})).await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["status"], "draft");
    // The code stays bound to this order: it may resubmit with it.
    let (_, again) = c.call("/api/submit_order", json!({"order_id": id, "version": withdrawn["version"]})).await;
    assert_eq!(again["accepted"], true, "{again}");
    let (_, codes) = c.call0("/api/my_service_codes").await;
    assert_eq!(codes[0]["used_by_order"], json!(id));
}

#[tokio::test]
async fn one_account_holds_one_subject() {
    let s = Server::start().await;
    let (c, code, id) = draft_order(&s).await;
    let uploaded = c.documents(&id).await;
    let docs = docs(&uploaded);
    let (_, saved) = c.save(&id, &json!(1), application(&code, &docs)).await;
    let (_, submitted) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!(submitted["accepted"], true, "{submitted}");
    let account = s.store.login(APPLICANT.0, APPLICANT.1).await.expect("account");
    let held = s.store.subject_of(&account.id).await.expect("subject").expect("bound at submission");
    assert_eq!(held.certificate_number, "110105199003071239");

    // Withdrawn and resubmitted for another person: refused, the order stays a draft.
    let (_, withdrawn) = c.call("/api/withdraw_order", json!({"order_id": id})).await;
    assert_eq!(withdrawn["status"], "draft");
    let mut other = application(&code, &docs);
    for part in ["subject", "subject_principal"] {
        other[part]["name"] = json!("李四");
        other[part]["certificate_number"] = json!("110101198506150035");
    }
    other["websites"][0]["domain_holder"] = json!("李四");
    let (_, saved) = c.save(&id, &withdrawn["version"], other).await;
    assert_eq!(saved["findings"], json!([]), "{saved}");
    let (status, refused) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!((status, refused["code"].clone()), (409, json!("subject.not_this_accounts")), "{refused}");
    let (_, read) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(read["status"], "draft");
}

#[tokio::test]
async fn tampered_submission_is_refused_and_nothing_is_submitted() {
    let s = Server::start().await;
    let (c, code, id) = draft_order(&s).await;
    let uploaded = c.documents(&id).await;
    let mut app = application(&code, &docs(&uploaded));
    app["subject"]["certificate_number"] = json!("110105199003071230");
    app["websites"][0]["domain"] = json!("zhangsan.io");
    // The client claims another path; the order's path stands.
    app["path"] = json!("dns_change_only");
    let (_, saved) = c.save(&id, &json!(1), app).await;
    assert_eq!(saved["path"], "first_filing");
    let (status, result) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!(status, 200);
    assert_eq!(result["accepted"], false);
    let codes: Vec<&str> = result["order"]["findings"].as_array().into_iter().flatten().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"resident_id.checksum") && codes.contains(&"domain.tld_not_approved"), "{codes:?}");
    assert_eq!(s.store.count_orders(beian_rules::OrderStatus::ProviderReview).await.unwrap_or(-1), 0);
    let (_, codes) = c.call0("/api/my_service_codes").await;
    assert_eq!(codes[0]["used_by_order"], Value::Null, "a refused submission binds no code");
}

/// The codes of a refused submission's findings at `field`.
fn finding_codes(result: &Value, field: &str) -> Vec<String> {
    result["order"]["findings"].as_array().into_iter().flatten().filter(|f| f["field"] == field).filter_map(|f| f["code"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn foreign_and_used_service_codes_are_refused() {
    let s = Server::start().await;
    let owner = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let code = eligible_code(&owner).await;

    // Another account names the owner's code: refused on the website's code, nothing bound.
    let other = s.client();
    other.call("/api/register", json!({"username": "other@example.com", "password": "another password"})).await;
    let (_, order) = other.call("/api/create_order", json!({"path": "first_filing"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let uploaded = other.documents(&id).await;
    let (_, saved) = other.save(&id, &order["version"], application(&code, &docs(&uploaded))).await;
    let (status, result) = other.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!((status, result["accepted"].clone()), (200, json!(false)), "{result}");
    assert_eq!(finding_codes(&result, "websites[0].service_code"), ["service_code.unknown"]);
    let (_, codes) = owner.call0("/api/my_service_codes").await;
    assert_eq!(codes[0]["used_by_order"], Value::Null);

    // Used by one order, then that order abandoned: the code is not returned.
    let (_, first) = owner.call("/api/create_order", json!({"path": "first_filing"})).await;
    let first_id = first["id"].as_str().unwrap_or_default().to_owned();
    let uploaded = owner.documents(&first_id).await;
    let (_, saved) = owner.save(&first_id, &first["version"], application(&code, &docs(&uploaded))).await;
    let (_, ok) = owner.call("/api/submit_order", json!({"order_id": first_id, "version": saved["version"]})).await;
    assert_eq!(ok["accepted"], true, "{ok}");
    owner.call("/api/withdraw_order", json!({"order_id": first_id})).await;
    let (status, _) = owner.call("/api/abandon_order", json!({"order_id": first_id})).await;
    assert_eq!(status, 200);
    let (_, second) = owner.call("/api/create_order", json!({"path": "first_filing"})).await;
    let second_id = second["id"].as_str().unwrap_or_default().to_owned();
    let uploaded = owner.documents(&second_id).await;
    let (_, saved) = owner.save(&second_id, &second["version"], application(&code, &docs(&uploaded))).await;
    let (status, result) = owner.call("/api/submit_order", json!({"order_id": second_id, "version": saved["version"]})).await;
    assert_eq!((status, result["accepted"].clone()), (200, json!(false)), "{result}");
    assert_eq!(finding_codes(&result, "websites[0].service_code"), ["service_code.used"]);
    let (_, read) = owner.call("/api/get_order", json!({"order_id": second_id})).await;
    assert_eq!(read["status"], "draft");
}

#[tokio::test]
async fn someone_elses_order_is_not_found_but_a_reviewer_sees_it() {
    let s = Server::start().await;
    let owner = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (_, order) = owner.call("/api/create_order", json!({"path": "first_filing"})).await;
    let id = order["id"].clone();
    let other = s.client();
    other.call("/api/register", json!({"username": "other@example.com", "password": "another password"})).await;
    for path in ["/api/get_order", "/api/withdraw_order"] {
        let (status, body) = other.call(path, json!({"order_id": id})).await;
        assert_eq!((status, body["code"].clone()), (404, json!("order.not_found")), "{path}");
    }
    let (status, _) = other.call("/api/save_draft", json!({"order_id": id, "base_version": 1, "application": {}})).await;
    assert_eq!(status, 404);
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;
    let (status, _) = reviewer.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn uploads_check_bytes_size_and_owner() {
    let s = Server::start().await;
    let owner = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (status, doc) = owner.upload("subject_certificate", "licence.png", png()).await;
    assert_eq!(status, 201, "{doc}");
    assert_eq!(doc["media_type"], "image/png");
    let id = doc["id"].as_str().unwrap_or_default().to_owned();

    let (status, body) = owner.upload("subject_certificate", "fake.png", b"just text, not an image".to_vec()).await;
    assert_eq!((status, body["code"].clone()), (415, json!("document.type_not_accepted")));
    let mut big = png();
    big.resize(5 * 1024 * 1024, 0);
    let (status, body) = owner.upload("subject_certificate", "big.png", big).await;
    assert_eq!(status, 413, "{body}");
    let (status, body) = owner.upload("no_such_kind", "a.png", png()).await;
    assert_eq!((status, body["code"].clone()), (400, json!("upload.unknown_kind")));

    let read = owner.http.get(format!("{}/api/documents/{id}", s.base)).send().await.expect("read");
    assert_eq!(read.status().as_u16(), 200);
    assert_eq!(read.bytes().await.map(|b| b.to_vec()).unwrap_or_default(), png());

    let other = s.client();
    other.call("/api/register", json!({"username": "other@example.com", "password": "another password"})).await;
    let r = other.http.get(format!("{}/api/documents/{id}", s.base)).send().await.expect("read");
    assert_eq!(r.status().as_u16(), 404);
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;
    let r = reviewer.http.get(format!("{}/api/documents/{id}", s.base)).send().await.expect("read");
    assert_eq!(r.status().as_u16(), 200);

    let r = owner
        .http
        .post(format!("{}/api/documents", s.base))
        .header("content-type", "multipart/form-data")
        .body("no boundary")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);
}

/// The body of a refused call, decoded the way the app decodes it (the server-function
/// layer's error decoder), so the app receives the code, the status and the field.
async fn decoded_error(c: &Client, path: &str, body: Value) -> (u16, beian_api::ApiError) {
    use leptos::server_fn::error::FromServerFnError;
    let r = c.post(path, body).await;
    let status = r.status().as_u16();
    let bytes = r.bytes().await.expect("body");
    (status, beian_api::ApiError::de(bytes))
}

#[tokio::test]
async fn refusals_reach_the_app_as_typed_errors_with_their_field() {
    use beian_api::ErrorCode;
    let s = Server::start().await;
    let c = s.client();
    let (status, e) = decoded_error(&c, "/api/login", json!({"username": APPLICANT.0, "password": "not the password"})).await;
    assert_eq!((status, e.status, e.code, e.field.as_deref()), (401, 401, ErrorCode::AuthWrongCredentials, Some("username")));

    let (status, e) = decoded_error(&c, "/api/register", json!({"username": "short@example.com", "password": "short"})).await;
    assert_eq!((status, e.code, e.field.as_deref()), (400, ErrorCode::PasswordTooShort, Some("password")));

    let (status, e) = decoded_error(&c, "/api/get_order", json!({"order_id": "nope"})).await;
    assert_eq!((status, e.code), (401, ErrorCode::AuthRequired));

    let owner = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (status, e) = decoded_error(&owner, "/api/get_order", json!({"order_id": "nope"})).await;
    assert_eq!((status, e.code, e.field), (404, ErrorCode::OrderNotFound, None));

    // The caller's malformed arguments: 400 with the code, never a 500.
    let (status, e) = decoded_error(&owner, "/api/get_order", json!({"order": 1})).await;
    assert_eq!((status, e.code), (400, ErrorCode::RequestInvalid));

    // A refusal that is also a rules code lands on its field as a finding.
    let (status, e) = decoded_error(&owner, "/api/submit_order", json!({"order_id": "nope", "version": 1})).await;
    assert_eq!((status, e.code), (404, ErrorCode::OrderNotFound));
    let finding = beian_api::ApiError::new(ErrorCode::ServiceCodeUsed).at("service_code").finding().expect("a rules finding");
    assert_eq!((finding.code, finding.field.as_str()), (beian_rules::Code::ServiceCodeUsed, "service_code"));
}
