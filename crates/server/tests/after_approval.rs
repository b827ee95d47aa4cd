//! Life after approval, over HTTP: the filing record with its history; a change, a website
//! added, a website and a transfer cancelled, the entity cancelled, a filing transferred in
//! and a legacy filing claimed — each through the same lifecycle and the same server-side
//! checks, each forbidden combination refused with nothing stored; another account's record
//! not found; what the records answer of the path finder's questions.

mod common;

use common::*;
use serde_json::{Value, json};

/// The documents `app` needs uploaded for `order`, named in the answers.
async fn with_documents(c: &Client, order: &str, mut app: Value) -> Value {
    let parsed: beian_rules::Application = serde_json::from_value(app.clone()).expect("answers");
    let mut docs = app["documents"].as_array().cloned().unwrap_or_default();
    for kind in beian_rules::application::required_documents(&parsed, chrono::Utc::now().date_naive()) {
        let kind = beian_rules::wire::name(&kind);
        let (status, doc) = c.upload_for(order, &kind, "scan.png", png()).await;
        assert_eq!(status, 201, "{doc}");
        docs.push(json!({"kind": kind, "id": doc["id"]}));
    }
    app["documents"] = Value::Array(docs);
    app
}

fn errors(order: &Value) -> Vec<String> {
    order["findings"].as_array().into_iter().flatten().filter(|f| f["severity"] == "error").map(|f| format!("{}@{}", f["code"].as_str().unwrap_or_default(), f["field"].as_str().unwrap_or_default())).collect()
}

/// Saves `app` on `order` (from its current version) and submits it: (accepted, the order).
async fn save_and_submit(c: &Client, order: &str, app: Value) -> (bool, Value) {
    let (_, current) = c.call("/api/get_order", json!({"order_id": order})).await;
    let (status, saved) = c.save(order, &current["version"], app).await;
    assert_eq!(status, 200, "{saved}");
    let (status, submitted) = c.call("/api/submit_order", json!({"order_id": order, "version": saved["version"]})).await;
    assert_eq!(status, 200, "{submitted}");
    (submitted["accepted"] == true, submitted["order"].clone())
}

/// Saves `app` on `order` and submits it, which must be refused: the order as refused.
async fn refused_on_submit(c: &Client, order: &str, app: Value) -> Value {
    let (accepted, order) = save_and_submit(c, order, app).await;
    assert!(!accepted, "{order}");
    order
}

/// Saves `app` on `order` and submits it, which must be accepted: the order as submitted.
async fn accepted_on_submit(c: &Client, order: &str, app: Value) -> Value {
    let (accepted, order) = save_and_submit(c, order, app).await;
    assert!(accepted, "{}", errors(&order).join(", "));
    order
}

/// Walks a submitted order through the provider's review, identity verification, the
/// administration and its SMS, whichever its route needs, to approval.
async fn approve(s: &Server, c: &Client, order: &str) -> Value {
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;
    let act = |action: &'static str| {
        let reviewer = reviewer.clone();
        let order = order.to_owned();
        async move {
            let (status, page) = reviewer.call("/api/review_act", json!({"order_id": order, "action": action, "reasons": [], "numbers": null})).await;
            assert_eq!(status, 200, "{action}: {page}");
        }
    };
    for _ in 0..8 {
        let (_, now) = c.call("/api/get_order", json!({"order_id": order})).await;
        match now["status"].as_str().unwrap_or_default() {
            "provider_review" => act("provider_approve").await,
            "identity_verification" => {
                let (status, e) = c.call("/api/provide_identity", json!({"order_id": order, "kind": "face", "document_id": null})).await;
                assert_eq!(status, 200, "{e}");
                act("accept_identity").await;
            }
            "pending_submission" => act("submit_to_authority").await,
            "sms_verification" => {
                let code = now["sms"]["code"].as_str().unwrap_or_default().to_owned();
                let (status, e) = c.call("/api/confirm_sms", json!({"order_id": order, "code": code})).await;
                assert_eq!(status, 200, "{e}");
            }
            "authority_review" => {
                let gateway = beian_api::authority::Simulator { delay: chrono::Duration::zero() };
                beian_server::clock::tick(&s.store, &gateway, chrono::Utc::now()).await;
            }
            "approved" => return now,
            other => panic!("order {order} stuck in {other}: {now}"),
        }
    }
    panic!("order {order} not approved");
}

/// The applicant's approved first filing of `sites` websites: (applicant, record id, number).
async fn filed(s: &Server, sites: usize) -> (Client, String, String) {
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (_, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = application("", &[]);
    let mut websites = Vec::new();
    for i in 0..sites {
        let name = ["张三的美食分享", "张三的旅行笔记", "张三的摄影作品"][i % 3];
        let code = eligible_code(&c).await;
        websites.push(json!({"name": name, "domain": format!("zhangsan{i}.com"), "domain_holder": "张三", "service_code": code}));
    }
    app["websites"] = Value::Array(websites);
    app["path"] = json!("first_filing");
    let app = with_documents(&c, &id, app).await;
    let (accepted, order) = save_and_submit(&c, &id, app).await;
    assert!(accepted, "{order}");
    let order = approve(s, &c, &id).await;
    let number = order["filing"]["icp_number"].as_str().unwrap_or_default().to_owned();
    let (_, records) = c.call0("/api/my_filings").await;
    let record = records[0]["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(records[0]["record"]["icp_number"], number.as_str(), "{records}");
    (c, record, number)
}

async fn start(c: &Client, record: &str, path: &str, website: Option<&str>) -> (u16, Value) {
    c.call("/api/start_from_filing", json!({"filing_id": record, "path": path, "website": website})).await
}

async fn my_record(c: &Client) -> Value {
    let (status, records) = c.call0("/api/my_filings").await;
    assert_eq!(status, 200, "{records}");
    records[0].clone()
}

fn states(record: &Value) -> Vec<(String, String)> {
    record["record"]["websites"].as_array().into_iter().flatten().map(|w| (w["icp_number"].as_str().unwrap_or_default().to_owned(), w["state"].as_str().unwrap_or_default().to_owned())).collect()
}

async fn lookup(s: &Server, query: &str) -> Vec<String> {
    let (status, found) = s.client().call("/api/lookup", json!({"query": query})).await;
    assert_eq!(status, 200, "{found}");
    found["records"].as_array().into_iter().flatten().flat_map(|r| r["websites"].as_array().cloned().unwrap_or_default()).map(|w| w["icp_number"].as_str().unwrap_or_default().to_owned()).collect()
}

/// The number of orders and saved versions of the account (nothing stored on a refusal).
async fn stored(s: &Server) -> (i64, i64) {
    use sqlx::Row;
    let pool = s.raw_pool().await;
    let row = sqlx::query("SELECT (SELECT COUNT(*) FROM orders) AS o, (SELECT COUNT(*) FROM filing_events) AS e").fetch_one(&pool).await.expect("count");
    (row.try_get("o").unwrap_or_default(), row.try_get("e").unwrap_or_default())
}

#[tokio::test]
async fn a_change_is_compared_with_the_record_and_changes_it_when_approved() {
    let s = Server::start().await;
    let (c, record, number) = filed(&s, 2).await;
    let (status, order) = start(&c, &record, "change", None).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    // Filled from the record: the entity with its number, both websites with theirs.
    let mut app = order["application"].clone();
    assert_eq!(app["subject"]["icp_number"], number.as_str(), "{app}");
    assert_eq!(app["subject"]["name"], "张三");
    let numbers: Vec<&str> = app["websites"].as_array().into_iter().flatten().filter_map(|w| w["icp_number"].as_str()).collect();
    assert_eq!(numbers, [format!("{number}-1"), format!("{number}-2")]);
    assert_eq!(order["record"]["icp_number"], number.as_str());
    // No service code, no new number: nothing to bind.
    assert!(app["websites"][0]["service_code"].as_str().unwrap_or_default().is_empty());

    // Nothing changed: refused on submit, and nothing moves.
    let app0 = with_documents(&c, &id, app.clone()).await;
    let refused = refused_on_submit(&c, &id, app0.clone()).await;
    assert_eq!(errors(&refused), ["change.nothing_changed@"], "{refused}");

    // Forbidden together: a new website, a domain changed, the certificate number changed.
    let mut bad = app0.clone();
    if let Some(w) = bad["websites"].as_array_mut() {
        w.push(json!({"name": "张三的家常菜谱", "domain": "zhangsan9.com", "domain_holder": "张三"}));
    }
    bad["websites"][0]["domain"] = json!("zhangsan-new.com");
    bad["subject"]["certificate_number"] = json!("110105199003071247");
    bad["subject_principal"]["certificate_number"] = json!("110105199003071247");
    let refused = refused_on_submit(&c, &id, bad).await;
    let found = errors(&refused);
    for expected in ["change.fixed_field@subject.certificate_number", "change.fixed_field@websites[0].domain", "change.adds_website@websites[2]"] {
        assert!(found.iter().any(|f| f == expected), "{expected} not in {found:?}");
    }
    assert_eq!(my_record(&c).await["history"].as_array().map(Vec::len), Some(1), "nothing applied");

    // A real change: the person's mobile and the second website's name.
    app = app0;
    app["subject_principal"]["mobile"] = json!("13900139000");
    app["websites"][1]["name"] = json!("张三的旅行日记");
    accepted_on_submit(&c, &id, app).await;
    let approved = approve(&s, &c, &id).await;
    assert_eq!(approved["filing"]["icp_number"], number.as_str());

    let after = my_record(&c).await;
    assert_eq!(after["record"]["subject_principal"]["mobile"], "13900139000");
    assert_eq!(after["record"]["websites"][1]["name"], "张三的旅行日记");
    assert_eq!(states(&after), [(format!("{number}-1"), "active".into()), (format!("{number}-2"), "active".into())]);
    let history = after["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.iter().map(|e| e["path"].as_str().unwrap_or_default()).collect::<Vec<_>>(), ["first_filing", "change"]);
    let changed: Vec<&str> = history[1]["differences"].as_array().into_iter().flatten().filter_map(|d| d["field"].as_str()).collect();
    assert_eq!(changed, ["subject_principal.mobile", "websites[1].name"]);
    assert_eq!(history[1]["differences"][0]["before"], "13800138000");
    // The public sees the new name under the same number.
    let (_, found) = s.client().call("/api/lookup", json!({"query": format!("{number}-2")})).await;
    assert_eq!(found["records"][0]["websites"][0]["name"], "张三的旅行日记", "{found}");
}

#[tokio::test]
async fn cancellations_one_website_its_transfer_then_the_entity() {
    let s = Server::start().await;
    let (c, record, number) = filed(&s, 2).await;
    let first = format!("{number}-1");
    let second = format!("{number}-2");

    // Cancel website -1: only what it cancels, the consequences confirmed, one at a time.
    let (status, order) = start(&c, &record, "cancel_website", Some(&first)).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let app = order["application"].clone();
    assert_eq!(app["websites"].as_array().map(Vec::len), Some(1), "{app}");
    let refused = refused_on_submit(&c, &id, app.clone()).await;
    assert_eq!(errors(&refused), ["cancel.not_confirmed@consequences_confirmed"]);
    let mut both = app.clone();
    both["websites"] = json!([app["websites"][0], my_record(&c).await["record"]["websites"][1]]);
    both["consequences_confirmed"] = json!(true);
    let refused = refused_on_submit(&c, &id, both).await;
    assert_eq!(errors(&refused), ["cancel.one_website@websites"]);
    let mut app = app;
    app["consequences_confirmed"] = json!(true);
    accepted_on_submit(&c, &id, app).await;
    approve(&s, &c, &id).await;
    assert_eq!(states(&my_record(&c).await), [(first.clone(), "cancelled".into()), (second.clone(), "active".into())]);
    // Cancelled is "not filed" to the public; the other website still is.
    assert!(lookup(&s, "zhangsan0.com").await.is_empty());
    assert!(lookup(&s, &first).await.is_empty());
    assert_eq!(lookup(&s, &number).await, std::slice::from_ref(&second));

    // The cancelled website cannot be cancelled again, nor transferred out.
    for path in ["cancel_website", "cancel_transfer"] {
        let (status, order) = start(&c, &record, path, Some(&first)).await;
        assert_eq!(status, 200, "{order}");
        let id = order["id"].as_str().unwrap_or_default().to_owned();
        let mut forged = order["application"].clone();
        forged["websites"] = json!([{"name": "张三的美食分享", "domain": "zhangsan0.com", "icp_number": first}]);
        forged["consequences_confirmed"] = json!(true);
        let refused = refused_on_submit(&c, &id, forged).await;
        assert_eq!(errors(&refused), ["record.website_unknown@websites[0].icp_number"], "{path}");
        let (status, _) = c.call("/api/abandon_order", json!({"order_id": id})).await;
        assert_eq!(status, 200);
    }

    // Cancel the transfer of -2: this provider leaves; the number stays valid.
    let (_, order) = start(&c, &record, "cancel_transfer", Some(&second)).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = order["application"].clone();
    app["consequences_confirmed"] = json!(true);
    accepted_on_submit(&c, &id, app).await;
    approve(&s, &c, &id).await;
    assert_eq!(states(&my_record(&c).await), [(first.clone(), "cancelled".into()), (second.clone(), "transferred_out".into())]);
    assert_eq!(lookup(&s, &second).await, std::slice::from_ref(&second));
    // Nothing hosted here any more: the records say the domain is not this provider's.
    let (_, facts) = c.call("/api/filing_facts", json!({"domain": "zhangsan1.com"})).await;
    assert_eq!((facts["subject_filed"].as_str(), facts["domain_filed"].is_null()), (Some("this_provider"), true), "{facts}");

    // Cancel the entity: the number stops being valid, every order on the record stops.
    let (_, order) = start(&c, &record, "cancel_subject", None).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = order["application"].clone();
    app["consequences_confirmed"] = json!(true);
    accepted_on_submit(&c, &id, app).await;
    approve(&s, &c, &id).await;
    let after = my_record(&c).await;
    assert_eq!(after["record"]["cancelled"], true);
    assert!(lookup(&s, &number).await.is_empty());
    assert!(lookup(&s, &second).await.is_empty());
    assert_eq!(after["history"].as_array().map(Vec::len), Some(4), "{after}");
    let before = stored(&s).await;
    let (status, e) = start(&c, &record, "change", None).await;
    assert_eq!((status, e["code"].as_str()), (404, Some("filing.not_found")), "{e}");
    let (status, e) = c.call("/api/create_order", json!({"path": "add_website"})).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("record.not_filed_here")), "{e}");
    assert_eq!(stored(&s).await, before, "a refused start stores nothing");
}

#[tokio::test]
async fn an_added_website_gets_the_next_number_and_a_filed_domain_is_refused() {
    let s = Server::start().await;
    let (c, record, number) = filed(&s, 1).await;
    let (status, order) = start(&c, &record, "add_website", None).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = order["application"].clone();
    assert_eq!(app["websites"].as_array().map(Vec::len), Some(0));
    // The filed domain again, and the entity edited: both refused.
    app["websites"] = json!([{"name": "张三的美食分享", "domain": "ZhangSan0.com", "domain_holder": "张三", "service_code": eligible_code(&c).await}]);
    let mut edited = with_documents(&c, &id, app.clone()).await;
    edited["subject"]["mailing_address"] = json!("北京市海淀区2号");
    let refused = refused_on_submit(&c, &id, edited.clone()).await;
    let found = errors(&refused);
    for expected in ["record.website_already_filed@websites[0].domain", "record.subject_changed@subject"] {
        assert!(found.iter().any(|f| f == expected), "{expected} not in {found:?}");
    }
    // A new website with a number of its own is a transfer, not an addition.
    edited["subject"]["mailing_address"] = app["subject"]["mailing_address"].clone();
    edited["websites"][0]["domain"] = json!("zhangsan-new.com");
    edited["websites"][0]["icp_number"] = json!(format!("{number}-5"));
    let refused = refused_on_submit(&c, &id, edited.clone()).await;
    assert_eq!(errors(&refused), ["record.new_website_has_number@websites[0].icp_number"]);
    edited["websites"][0]["icp_number"] = json!("");
    accepted_on_submit(&c, &id, edited).await;
    approve(&s, &c, &id).await;
    let after = my_record(&c).await;
    assert_eq!(states(&after), [(format!("{number}-1"), "active".into()), (format!("{number}-2"), "active".into())]);
    assert_eq!(lookup(&s, "zhangsan-new.com").await, [format!("{number}-2")]);
}

#[tokio::test]
async fn a_transfer_in_keeps_its_numbers_and_a_claim_is_the_providers_alone() {
    let s = Server::start().await;
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let (_, order) = c.call("/api/create_order", json!({"path": "transfer_in"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = application(&eligible_code(&c).await, &[]);
    app["path"] = json!("transfer_in");
    app["subject"]["icp_number"] = json!("京ICP备2020123456号");
    let app = with_documents(&c, &id, app).await;
    // The website's own number is asked, under the entity's.
    let refused = refused_on_submit(&c, &id, app.clone()).await;
    assert_eq!(errors(&refused), ["record.website_number_missing@websites[0].icp_number"]);
    let mut other = app.clone();
    other["websites"][0]["icp_number"] = json!("京ICP备2020654321号-1");
    let refused = refused_on_submit(&c, &id, other).await;
    assert_eq!(errors(&refused), ["record.website_number@websites[0].icp_number"]);
    let mut app = app;
    app["websites"][0]["icp_number"] = json!("京ICP备2020123456号-3");
    accepted_on_submit(&c, &id, app).await;
    let approved = approve(&s, &c, &id).await;
    assert_eq!(approved["filing"]["icp_number"], "京ICP备2020123456号", "the numbers stay as they were");
    assert_eq!(lookup(&s, "zhangsan.com").await, ["京ICP备2020123456号-3"]);
    // The records now answer the path finder: the entity and this domain are filed here.
    let (_, facts) = c.call("/api/filing_facts", json!({"domain": "WWW.zhangsan.com"})).await;
    assert_eq!((facts["subject_filed"].as_str(), facts["domain_filed"].as_str()), (Some("this_provider"), Some("this_provider")), "{facts}");
    assert_eq!(facts["subject_icp_number"], "京ICP备2020123456号");

    // A claim of a legacy filing, by another account: approved by the provider alone.
    let other = s.client();
    let (status, _) = other.call("/api/register", json!({"username": "legacy@example.com", "password": "a long enough password"})).await;
    assert_eq!(status, 200);
    let (_, order) = other.call("/api/create_order", json!({"path": "claim_legacy"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = application("", &[]);
    app["path"] = json!("claim_legacy");
    app["subject"]["name"] = json!("李四");
    app["subject"]["certificate_number"] = json!("110105199003071247");
    app["subject_principal"]["name"] = json!("李四");
    app["subject_principal"]["certificate_number"] = json!("110105199003071247");
    app["subject"]["icp_number"] = json!("京ICP备09000001号");
    app["websites"] = json!([{"name": "李四的读书笔记", "domain": "lisi.com", "domain_holder": "李四", "icp_number": "京ICP备09000001号-1"}]);
    let app = with_documents(&other, &id, app).await;
    accepted_on_submit(&other, &id, app).await;
    let approved = approve(&s, &other, &id).await;
    let actions: Vec<&str> = approved["timeline"].as_array().into_iter().flatten().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["submit", "provider_approve"], "nothing goes to the administration");
    assert_eq!(lookup(&s, "lisi.com").await, ["京ICP备09000001号-1"]);
}

#[tokio::test]
async fn another_accounts_record_is_not_found_and_one_open_order_holds() {
    let s = Server::start().await;
    let (c, record, _) = filed(&s, 1).await;
    let other = s.client();
    let (status, _) = other.call("/api/register", json!({"username": "other@example.com", "password": "a long enough password"})).await;
    assert_eq!(status, 200);
    let before = stored(&s).await;
    let (status, e) = start(&other, &record, "change", None).await;
    assert_eq!((status, e["code"].as_str()), (404, Some("filing.not_found")), "{e}");
    let (status, e) = other.call("/api/create_order", json!({"path": "cancel_subject"})).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("record.not_filed_here")), "{e}");
    let (_, theirs) = other.call0("/api/my_filings").await;
    assert_eq!(theirs, json!([]));
    let (_, facts) = other.call("/api/filing_facts", json!({"domain": "zhangsan0.com"})).await;
    assert!(facts["subject_filed"].is_null() && facts["domain_filed"].is_null(), "{facts}");
    assert_eq!(stored(&s).await, before, "nothing stored");
    // One open order per account: a change open, a cancellation cannot start beside it.
    let (status, change) = start(&c, &record, "change", None).await;
    assert_eq!(status, 200);
    let (status, e) = start(&c, &record, "cancel_subject", None).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("order.open_order_exists")), "{e}");
    let (status, _) = c.call("/api/abandon_order", json!({"order_id": change["id"]})).await;
    assert_eq!(status, 200);
    // Two tabs starting at once: one order, the other told why.
    let (a, b) = tokio::join!(start(&c, &record, "add_website", None), start(&c, &record, "cancel_website", None));
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
}

#[tokio::test]
async fn a_website_of_an_entity_filed_elsewhere_then_another_website_transferred_in_under_it() {
    let s = Server::start().await;
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    // A new website of an entity filed with another provider: the entity's number is asked.
    let (_, order) = c.call("/api/create_order", json!({"path": "add_website_subject_elsewhere"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = application(&eligible_code(&c).await, &[]);
    app["path"] = json!("add_website_subject_elsewhere");
    let app = with_documents(&c, &id, app).await;
    let refused = refused_on_submit(&c, &id, app.clone()).await;
    assert_eq!(errors(&refused), ["field.required@subject.icp_number"]);
    let mut app = app;
    app["subject"]["icp_number"] = json!("京ICP备2020123456号");
    accepted_on_submit(&c, &id, app).await;
    let approved = approve(&s, &c, &id).await;
    assert_eq!(approved["filing"]["icp_number"], "京ICP备2020123456号", "the entity keeps its number");
    // The simulated administration numbers the new website after the entity's first one there.
    assert_eq!(lookup(&s, "zhangsan.com").await, ["京ICP备2020123456号-2"]);

    // The entity is filed here now: a website filed elsewhere is transferred in under it.
    let record = my_record(&c).await["id"].as_str().unwrap_or_default().to_owned();
    let (status, order) = start(&c, &record, "transfer_in_existing_subject", None).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = order["application"].clone();
    app["websites"] = json!([{"name": "张三的旅行笔记", "domain": "zhangsan-travel.com", "domain_holder": "张三", "service_code": eligible_code(&c).await}]);
    let app = with_documents(&c, &id, app).await;
    // Without its own number; with the number of a website the record has already.
    let refused = refused_on_submit(&c, &id, app.clone()).await;
    assert_eq!(errors(&refused), ["record.website_number_missing@websites[0].icp_number"]);
    let mut taken = app.clone();
    taken["websites"][0]["icp_number"] = json!("京ICP备2020123456号-2");
    let refused = refused_on_submit(&c, &id, taken).await;
    assert_eq!(errors(&refused), ["record.website_already_filed@websites[0].domain"]);
    let mut app = app;
    app["websites"][0]["icp_number"] = json!("京ICP备2020123456号-1");
    accepted_on_submit(&c, &id, app).await;
    approve(&s, &c, &id).await;
    let after = my_record(&c).await;
    assert_eq!(states(&after), [("京ICP备2020123456号-2".to_owned(), "active".to_owned()), ("京ICP备2020123456号-1".to_owned(), "active".to_owned())]);
    assert_eq!(after["history"].as_array().map(|h| h.iter().filter_map(|e| e["path"].as_str()).collect::<Vec<_>>()), Some(vec!["add_website_subject_elsewhere", "transfer_in_existing_subject"]));
    assert_eq!(lookup(&s, "zhangsan-travel.com").await, ["京ICP备2020123456号-1"]);
}
