//! The whole order lifecycle over HTTP: the provider's review (approve, reject with reasons
//! on fields), identity verification, the simulated administration's SMS and decision with
//! ICP numbers, the clock (an SMS deadline passed), and every forbidden transition refused
//! with nothing changed.

mod common;

use common::*;
use serde_json::{Value, json};

/// A first filing of a Beijing individual with `sites` websites, each with its own service
/// code, and the documents its answers need uploaded: (applicant, order id, version, answers).
async fn submitted_order(s: &Server, sites: usize) -> (Client, String, Value) {
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let mut codes = Vec::new();
    for _ in 0..sites {
        codes.push(eligible_code(&c).await);
    }
    let (_, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut app = application(&codes[0], &[]);
    let names = ["张三的美食分享", "张三的旅行笔记", "张三的摄影作品"];
    app["websites"] = Value::Array(
        (0..sites).map(|i| json!({"name": names[i % 3], "domain": format!("zhangsan{i}.com"), "domain_holder": "张三", "service_code": codes[i]})).collect(),
    );
    app["path"] = json!("first_filing");
    let parsed: beian_rules::Application = serde_json::from_value(app.clone()).expect("answers");
    let needed = beian_rules::application::required_documents(&parsed, chrono::Utc::now().date_naive());
    let mut docs = Vec::new();
    for kind in needed {
        let kind = beian_rules::wire::name(&kind);
        let (status, doc) = c.upload_for(&id, &kind, "scan.png", png()).await;
        assert_eq!(status, 201, "{doc}");
        docs.push(json!({"kind": kind, "id": doc["id"]}));
    }
    app["documents"] = Value::Array(docs);
    let (status, saved) = c.save(&id, &order["version"], app.clone()).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["findings"].as_array().map(|f| f.iter().filter(|f| f["severity"] == "error").count()), Some(0), "{saved}");
    let (_, submitted) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!(submitted["accepted"], true, "{submitted}");
    (c, id, app)
}

async fn act(reviewer: &Client, id: &str, action: &str, reasons: Value) -> (u16, Value) {
    reviewer.call("/api/review_act", json!({"order_id": id, "action": action, "reasons": reasons, "numbers": null})).await
}

async fn status_of(c: &Client, id: &str) -> String {
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    order["status"].as_str().unwrap_or_default().to_owned()
}

/// The simulated administration's clock at `now`.
async fn tick(s: &Server, now: chrono::DateTime<chrono::Utc>) -> Vec<(String, beian_rules::lifecycle::Action)> {
    let gateway = beian_api::authority::Simulator { delay: chrono::Duration::zero() };
    beian_server::clock::tick(&s.store, &gateway, now).await
}

#[tokio::test]
async fn a_two_website_first_filing_goes_all_the_way_to_its_icp_numbers() {
    let s = Server::start().await;
    let (c, id, _) = submitted_order(&s, 2).await;
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;

    // The queue shows it, with its deadline of one working day.
    let (status, queue) = reviewer.call("/api/review_queue", json!({"filter": {}})).await;
    assert_eq!(status, 200, "{queue}");
    let row = queue.as_array().and_then(|q| q.iter().find(|r| r["order_id"] == id.as_str())).cloned().unwrap_or_default();
    assert_eq!((row["status"].as_str(), row["overdue"].as_bool()), (Some("provider_review"), Some(false)), "{row}");
    assert!(row["deadline"].is_string(), "{row}");
    let (_, page) = reviewer.call("/api/review_order", json!({"order_id": id})).await;
    assert_eq!(page["documents"].as_array().map(|d| d.iter().all(|d| d["media_type"] == "image/png")), Some(true), "{page}");
    assert!(page["actions"].as_array().is_some_and(|a| a.contains(&json!("provider_approve"))), "{page}");

    let (status, page) = act(&reviewer, &id, "provider_approve", json!([])).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["order"]["status"], "identity_verification");
    // The applicant's face verification, recorded; the reviewer accepts it.
    let (status, order) = c.call("/api/provide_identity", json!({"order_id": id, "kind": "face", "document_id": null})).await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(order["identity_provided"], true);
    let (_, page) = act(&reviewer, &id, "accept_identity", json!([])).await;
    assert_eq!(page["order"]["status"], "pending_submission", "{page}");
    let (_, page) = act(&reviewer, &id, "submit_to_authority", json!([])).await;
    assert_eq!(page["order"]["status"], "sms_verification", "{page}");

    // The MIIT's SMS: 24 hours today; the simulator shows its code to the applicant only.
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    let code = order["sms"]["code"].as_str().unwrap_or_default().to_owned();
    assert_eq!(code.len(), 6, "{order}");
    assert!(page["order"]["sms"]["code"].is_null(), "the reviewer does not see the code");
    let deadline = chrono::DateTime::parse_from_rfc3339(order["sms"]["deadline"].as_str().unwrap_or_default()).expect("deadline");
    let hours = (deadline.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes() as f64 / 60.0;
    assert!((23.5..=24.0).contains(&hours), "{hours}");
    let (status, e) = c.call("/api/confirm_sms", json!({"order_id": id, "code": "000000"})).await;
    let wrong = if code == "000000" { 200 } else { 400 };
    assert_eq!(status, wrong, "{e}");
    let (status, order) = c.call("/api/confirm_sms", json!({"order_id": id, "code": code})).await;
    assert_eq!((status, order["status"].as_str()), (200, Some("authority_review")), "{order}");

    // The clock: the simulated administration decides and issues the numbers.
    let applied = tick(&s, chrono::Utc::now()).await;
    assert!(applied.iter().any(|(o, _)| o == &id), "{applied:?}");
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(order["status"], "approved", "{order}");
    let number = order["filing"]["icp_number"].as_str().unwrap_or_default().to_owned();
    assert!(beian_rules::ids::icp_number::validate(&number, Some(beian_rules::Province::Beijing)).is_empty(), "{number}");
    assert!(number.starts_with("京ICP备") && number.ends_with('号') && number.chars().filter(char::is_ascii_digit).count() == 10, "{number}");
    let sites: Vec<String> = order["filing"]["websites"].as_array().into_iter().flatten().filter_map(|w| w[2].as_str().map(str::to_owned)).collect();
    assert_eq!(sites, [format!("{number}-1"), format!("{number}-2")]);
    // The timeline names every step, and a second tick changes nothing.
    let actions: Vec<&str> = order["timeline"].as_array().into_iter().flatten().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["submit", "provider_approve", "accept_identity", "submit_to_authority", "confirm_sms", "authority_approve"]);
    assert!(tick(&s, chrono::Utc::now()).await.is_empty());
    let (_, notices) = c.call0("/api/my_notifications").await;
    assert!(notices.as_array().is_some_and(|n| n.iter().any(|n| n["kind"] == "authority_approve")), "{notices}");

    // The public lookup finds it, without a login, by a domain, a website's number, the
    // subject's number and the subject's name — the individual's name masked.
    let public = s.client();
    let websites_of = |answer: &Value| -> Vec<(String, String)> {
        answer["records"].as_array().into_iter().flatten().flat_map(|r| r["websites"].as_array().cloned().unwrap_or_default())
            .map(|w| (w["domain"].as_str().unwrap_or_default().to_owned(), w["icp_number"].as_str().unwrap_or_default().to_owned())).collect()
    };
    let (status, found) = public.call("/api/lookup", json!({"query": " WWW.ZhangSan1.com "})).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(websites_of(&found), [("zhangsan1.com".to_owned(), format!("{number}-2"))], "{found}");
    let record = &found["records"][0];
    assert_eq!((record["subject_name"].as_str(), record["subject_type"].as_str(), record["icp_number"].as_str(), record["province"].as_str()),
        (Some("张*"), Some("individual"), Some(number.as_str()), Some("CN-BJ")), "{record}");
    // The website's name is public, as at the MIIT; nothing about the person is.
    for personal in ["110105199003071239", "13800138000", "zhangsan@example.com", "北京市朝阳区"] {
        assert!(!found.to_string().contains(personal), "{personal} in {found}");
    }
    let (_, found) = public.call("/api/lookup", json!({"query": format!("{number}-1")})).await;
    assert_eq!(websites_of(&found), [("zhangsan0.com".to_owned(), format!("{number}-1"))], "{found}");
    let (_, found) = public.call("/api/lookup", json!({"query": number})).await;
    assert_eq!(websites_of(&found).len(), 2, "{found}");
    let (_, found) = public.call("/api/lookup", json!({"query": "张三"})).await;
    assert_eq!(found["records"].as_array().map(Vec::len), Some(1), "{found}");
    // Not filed, a name that only contains the filed one, a pattern: nothing.
    for query in ["lisi.com", "张", "张三丰", "%", "_三", "京ICP备2026999999号"] {
        let (status, found) = public.call("/api/lookup", json!({"query": query})).await;
        assert_eq!((status, found["records"].as_array().map(Vec::len)), (200, Some(0)), "{query}: {found}");
    }
    // An empty or an over-long query is refused with its code.
    for query in [String::new(), "   ".to_owned(), "a".repeat(254)] {
        let (status, e) = public.call("/api/lookup", json!({"query": query})).await;
        assert_eq!((status, e["code"].as_str()), (400, Some("lookup.query_invalid")), "{e}");
    }
}

#[tokio::test]
async fn a_rejection_with_reasons_on_two_fields_is_fixed_and_approved() {
    let s = Server::start().await;
    let (c, id, app) = submitted_order(&s, 1).await;
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;
    let reasons = json!([
        {"field": "websites[0].name", "code": "review.website_name", "note": "名称与内容不符"},
        {"field": "subject.mailing_address", "code": "review.address"}
    ]);
    let (status, page) = act(&reviewer, &id, "provider_reject", reasons).await;
    assert_eq!((status, page["order"]["status"].as_str()), (200, Some("provider_rejected")), "{page}");

    // The applicant sees each reason on its field.
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    let on: Vec<(String, String)> = order["reasons"].as_array().into_iter().flatten()
        .map(|f| (f["field"].as_str().unwrap_or_default().to_owned(), f["code"].as_str().unwrap_or_default().to_owned())).collect();
    assert_eq!(on, [("websites[0].name".to_owned(), "review.website_name".to_owned()), ("subject.mailing_address".to_owned(), "review.address".to_owned())]);
    assert_eq!(order["reasons"][0]["params"]["note"], "名称与内容不符");
    assert!(order["actions"].as_array().is_some_and(|a| a.contains(&json!("revise"))), "{order}");

    // Revised, fixed, resubmitted: the reasons are answered, the reviewer sees what changed.
    let (_, revised) = c.call("/api/revise_order", json!({"order_id": id})).await;
    assert_eq!(revised["status"], "draft", "{revised}");
    let reasons_on = |order: &Value| -> Vec<String> { order["reasons"].as_array().into_iter().flatten().map(|f| f["field"].as_str().unwrap_or_default().to_owned()).collect() };
    assert_eq!(reasons_on(&revised).len(), 2, "{revised}");
    // A reason stands until its field changes: the name answered, only the address is asked.
    let mut fixed = app.clone();
    fixed["documents"] = revised["application"]["documents"].clone();
    fixed["websites"][0]["name"] = json!("张三的美食日记");
    let (status, saved) = c.save(&id, &revised["version"], fixed.clone()).await;
    assert_eq!(status, 200, "{saved}");
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(reasons_on(&order), ["subject.mailing_address"], "{order}");
    let (_, mine) = c.call0("/api/my_orders").await;
    assert_eq!(reasons_on(&mine[0]), ["subject.mailing_address"], "{mine}");
    // Put back as it was returned, the name's reason stands again.
    let mut as_returned = app.clone();
    as_returned["documents"] = fixed["documents"].clone();
    let (_, back) = c.save(&id, &saved["version"], as_returned).await;
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(reasons_on(&order).len(), 2, "{order}");
    fixed["subject"]["mailing_address"] = json!("北京市朝阳区建国路1号院2号楼301");
    let (status, saved) = c.save(&id, &back["version"], fixed).await;
    assert_eq!(status, 200, "{saved}");
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(reasons_on(&order), Vec::<String>::new(), "{order}");
    // The timeline keeps what the reviewer said.
    let said = order["timeline"].as_array().into_iter().flatten().map(|e| e["reasons"].as_array().map_or(0, Vec::len)).sum::<usize>();
    assert_eq!(said, 2, "{order}");
    let (_, result) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!(result["accepted"], true, "{result}");
    assert_eq!(result["order"]["reasons"], json!([]));
    let (_, page) = reviewer.call("/api/review_order", json!({"order_id": id})).await;
    assert_eq!(page["rejected_answers"]["websites"][0]["name"], app["websites"][0]["name"], "{page}");
    assert_eq!(page["order"]["application"]["websites"][0]["name"], "张三的美食日记");

    for action in ["provider_approve"] {
        let (status, page) = act(&reviewer, &id, action, json!([])).await;
        assert_eq!(status, 200, "{action}: {page}");
    }
    c.call("/api/provide_identity", json!({"order_id": id, "kind": "face", "document_id": null})).await;
    act(&reviewer, &id, "accept_identity", json!([])).await;
    act(&reviewer, &id, "submit_to_authority", json!([])).await;
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    c.call("/api/confirm_sms", json!({"order_id": id, "code": order["sms"]["code"]})).await;
    tick(&s, chrono::Utc::now()).await;
    assert_eq!(status_of(&c, &id).await, "approved");
}

#[tokio::test]
async fn a_missed_sms_deadline_returns_the_filing() {
    let s = Server::start().await;
    let (c, id, _) = submitted_order(&s, 1).await;
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;
    act(&reviewer, &id, "provider_approve", json!([])).await;
    c.call("/api/provide_identity", json!({"order_id": id, "kind": "face", "document_id": null})).await;
    act(&reviewer, &id, "accept_identity", json!([])).await;
    act(&reviewer, &id, "submit_to_authority", json!([])).await;
    assert_eq!(status_of(&c, &id).await, "sms_verification");
    // Before the deadline the clock leaves it; after it, the filing is returned with its reason.
    assert!(tick(&s, chrono::Utc::now() + chrono::Duration::hours(23)).await.is_empty());
    let later = chrono::Utc::now() + chrono::Duration::hours(25);
    let applied = tick(&s, later).await;
    assert_eq!(applied, [(id.clone(), beian_rules::lifecycle::Action::SmsDeadlinePassed)]);
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(order["status"], "authority_rejected");
    assert_eq!(order["reasons"][0]["code"], "review.sms_deadline_missed");
    // Too late: the code no longer counts; and the clock does not apply it twice.
    let (status, _) = c.call("/api/confirm_sms", json!({"order_id": id, "code": order["sms"]["code"]})).await;
    assert_eq!(status, 409);
    assert!(tick(&s, later).await.is_empty());
}

#[tokio::test]
async fn forbidden_transitions_are_refused_and_change_nothing() {
    let s = Server::start().await;
    let (c, id, _) = submitted_order(&s, 1).await;
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;
    let history = |order: &Value| order["timeline"].as_array().map_or(0, Vec::len);
    let (_, before) = c.call("/api/get_order", json!({"order_id": id})).await;

    // The applicant cannot act as the reviewer, nor approve.
    let (status, e) = act(&c, &id, "provider_approve", json!([])).await;
    assert_eq!((status, e["code"].clone()), (403, json!("order.transition_forbidden")));
    // A reviewer cannot submit for the applicant, withdraw or abandon.
    let (status, _) = reviewer.call("/api/submit_order", json!({"order_id": id, "version": before["version"]})).await;
    assert!(status == 404 || status == 409, "{status}");
    for path in ["/api/withdraw_order", "/api/abandon_order", "/api/revise_order"] {
        let (status, e) = reviewer.call(path, json!({"order_id": id})).await;
        assert_eq!((status, e["code"].clone()), (403, json!("order.transition_forbidden")), "{path}");
    }
    // A rejection needs reasons; identity cannot be accepted before the order reaches it; the
    // administration cannot approve an order it never received.
    let (status, e) = act(&reviewer, &id, "provider_reject", json!([])).await;
    assert_eq!((status, e["code"].clone(), e["params"]["requirement"].clone()), (409, json!("order.requirement_missing"), json!("reasons")));
    let (status, _) = act(&reviewer, &id, "accept_identity", json!([])).await;
    assert_eq!(status, 409);
    let (status, _) = reviewer.call("/api/review_act", json!({"order_id": id, "action": "authority_approve", "reasons": [], "numbers": {"subject": "京ICP备2026000001号", "websites": ["京ICP备2026000001号-1"]}})).await;
    assert_eq!(status, 409);
    // A reason outside the catalogue is the caller's mistake.
    let (status, _) = act(&reviewer, &id, "provider_reject", json!([{"field": "x", "code": "resident_id.checksum"}])).await;
    assert_eq!(status, 400);
    let (_, after) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!((after["status"].clone(), history(&after)), (before["status"].clone(), history(&before)), "nothing changed");

    // Withdrawn, the order cannot be approved.
    let (_, withdrawn) = c.call("/api/withdraw_order", json!({"order_id": id})).await;
    assert_eq!(withdrawn["status"], "draft");
    let (status, e) = act(&reviewer, &id, "provider_approve", json!([])).await;
    assert_eq!((status, e["code"].clone()), (409, json!("order.transition_not_allowed")));
    assert_eq!(status_of(&c, &id).await, "draft");
    // At the administration, the applicant can no longer withdraw; numbers that do not fit are refused.
    let (_, again) = c.call("/api/get_order", json!({"order_id": id})).await;
    c.call("/api/submit_order", json!({"order_id": id, "version": again["version"]})).await;
    act(&reviewer, &id, "provider_approve", json!([])).await;
    c.call("/api/provide_identity", json!({"order_id": id, "kind": "face", "document_id": null})).await;
    act(&reviewer, &id, "accept_identity", json!([])).await;
    act(&reviewer, &id, "submit_to_authority", json!([])).await;
    let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
    c.call("/api/confirm_sms", json!({"order_id": id, "code": order["sms"]["code"]})).await;
    let (status, _) = c.call("/api/withdraw_order", json!({"order_id": id})).await;
    assert_eq!(status, 409);
    for numbers in [json!({"subject": "沪ICP备2026000001号", "websites": ["沪ICP备2026000001号-1"]}), json!({"subject": "京ICP备2026000001号", "websites": []})] {
        let (status, e) = reviewer.call("/api/review_act", json!({"order_id": id, "action": "authority_approve", "reasons": [], "numbers": numbers})).await;
        assert_eq!((status, e["params"]["requirement"].clone()), (409, json!("icp_numbers")), "{numbers}");
    }
    assert_eq!(status_of(&c, &id).await, "authority_review");
    // Recorded by hand, the administration's own numbers.
    let (status, page) = reviewer.call("/api/review_act", json!({"order_id": id, "action": "authority_approve", "reasons": [], "numbers": {"subject": "京ICP备2026123456号", "websites": ["京ICP备2026123456号-1"]}})).await;
    assert_eq!((status, page["order"]["status"].as_str()), (200, Some("approved")), "{page}");
    assert_eq!(page["order"]["filing"]["icp_number"], "京ICP备2026123456号");
}
