//! The server decides and keeps what it acknowledged: submissions under a racing save,
//! documents the client merely names, stale saves, roles per action, corrupt rows, many
//! writers at once, and a `kill -9` in the middle of a stream of saves and uploads.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use serde_json::{Value, json};

/// The demo applicant's first-filing draft with its documents uploaded and a valid answer
/// saved: (client, order id, the saved version, the valid answers).
async fn ready_draft(s: &Server) -> (Client, String, Value, Value) {
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let code = eligible_code(&c).await;
    let (_, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let uploaded = c.documents(&id).await;
    let good = application(&code, &docs(&uploaded));
    let (status, saved) = c.save(&id, &order["version"], good.clone()).await;
    assert_eq!(status, 200, "{saved}");
    (c, id, saved["version"].clone(), good)
}

/// Answers with three errors: a resident ID, a mobile and a website name.
fn broken(good: &Value) -> Value {
    let mut bad = good.clone();
    bad["subject"]["certificate_number"] = json!("110105199003071230");
    bad["subject_principal"]["mobile"] = json!("123");
    bad["websites"][0]["name"] = json!("ab");
    bad
}

#[tokio::test]
async fn a_submission_never_submits_a_version_it_did_not_validate() {
    let s = Server::start().await;
    let (c, id, mut version, good) = ready_draft(&s).await;
    let bad = broken(&good);
    let (mut submitted, mut refused) = (0, 0);
    for _ in 0..30 {
        // A save of broken answers and a submission of the valid version, at once.
        let (save, submit) = tokio::join!(c.save(&id, &version, bad.clone()), c.call("/api/submit_order", json!({"order_id": id, "version": version})));
        assert!(save.0 < 500 && submit.0 < 500, "{save:?} {submit:?}");
        let (_, order) = c.call("/api/get_order", json!({"order_id": id})).await;
        if order["status"] == "provider_review" {
            submitted += 1;
            let app: beian_rules::Application = serde_json::from_value(order["application"].clone()).expect("answers");
            let errors: Vec<_> = beian_rules::validate_application(&app, chrono::Utc::now().date_naive()).into_iter().filter(|f| f.is_error()).collect();
            assert!(errors.is_empty(), "a submitted version with errors: {errors:?}");
            let (_, withdrawn) = c.call("/api/withdraw_order", json!({"order_id": id})).await;
            assert_eq!(withdrawn["status"], "draft", "{withdrawn}");
            version = withdrawn["version"].clone();
        } else {
            refused += 1;
            assert_eq!(order["status"], "draft");
            version = order["version"].clone();
        }
        // Back to valid answers for the next round.
        let (status, saved) = c.save(&id, &version, good.clone()).await;
        assert_eq!(status, 200, "{saved}");
        version = saved["version"].clone();
    }
    println!("submit race: {submitted} rounds submitted the valid version, {refused} refused; none submitted another");
}

/// The ids of the documents an order's answers name, and the `document` parameter of each
/// finding on `documents` of a refused submission.
fn document_findings(result: &Value) -> Vec<(String, String)> {
    result["order"]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["field"] == "documents")
        .map(|f| (f["code"].as_str().unwrap_or_default().to_owned(), f["params"]["document"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

#[tokio::test]
async fn documents_must_be_this_orders_own_uploads() {
    let s = Server::start().await;
    let c = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    let code = eligible_code(&c).await;
    let reviewer = s.store.login(REVIEWER.0, REVIEWER.1).await.expect("reviewer");

    // Another account's upload, and one of this account's for an order it then abandoned.
    let other = s.client();
    other.call("/api/register", json!({"username": "other@example.com", "password": "another password"})).await;
    let (_, foreign) = other.upload("subject_certificate", "theirs.png", png()).await;
    let (_, old) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    let old_id = old["id"].as_str().unwrap_or_default().to_owned();
    let (status, old_doc) = c.upload_for(&old_id, "subject_certificate", "old.png", png()).await;
    assert_eq!(status, 201, "{old_doc}");
    c.call("/api/abandon_order", json!({"order_id": old_id})).await;
    // An upload for an order that is not this account's draft is refused.
    let (status, body) = c.upload_for(&old_id, "subject_certificate", "late.png", png()).await;
    assert_eq!((status, body["code"].clone()), (409, json!("upload.order_not_draft")));

    let (_, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let uploaded = c.documents(&id).await;
    let statement = uploaded[1].1.clone();
    let cases = [
        ("never-uploaded", "subject_certificate", "document.not_uploaded"),
        (foreign["id"].as_str().unwrap_or_default(), "subject_certificate", "document.not_uploaded"),
        (old_doc["id"].as_str().unwrap_or_default(), "subject_certificate", "document.other_order"),
        // The authenticity statement named as the subject's certificate.
        (statement.as_str(), "subject_certificate", "document.wrong_kind"),
    ];
    let mut version = order["version"].clone();
    for (doc, kind, expected) in cases {
        let app = application(&code, &[(kind, doc), ("authenticity_statement", statement.as_str())]);
        let (_, saved) = c.save(&id, &version, app).await;
        version = saved["version"].clone();
        let (status, result) = c.call("/api/submit_order", json!({"order_id": id, "version": version})).await;
        assert_eq!((status, result["accepted"].clone()), (200, json!(false)), "{doc}: {result}");
        assert_eq!(document_findings(&result), [(expected.to_owned(), kind.to_owned())], "{doc}");
        // Nothing was submitted, no code bound, and the other documents stay where they were.
        let (_, read) = c.call("/api/get_order", json!({"order_id": id})).await;
        assert_eq!(read["status"], "draft");
        let (_, codes) = c.call0("/api/my_service_codes").await;
        assert_eq!(codes[0]["used_by_order"], Value::Null, "{doc}");
        let (record, _) = s.store.document(&reviewer, foreign["id"].as_str().unwrap_or_default()).await.expect("their document");
        assert_eq!(record.order_id, None, "another account's document stays unbound");
    }
    // Its own uploads: accepted, and each document is this order's.
    let (_, saved) = c.save(&id, &version, application(&code, &docs(&uploaded))).await;
    let (_, result) = c.call("/api/submit_order", json!({"order_id": id, "version": saved["version"]})).await;
    assert_eq!(result["accepted"], true, "{result}");
    for (_, doc) in &uploaded {
        let (record, _) = s.store.document(&reviewer, doc).await.expect("document");
        assert_eq!(record.order_id.as_deref(), Some(id.as_str()));
    }
}

#[tokio::test]
async fn a_save_from_a_stale_view_is_refused_and_nothing_is_lost() {
    let s = Server::start().await;
    let (first, id, version, good) = ready_draft(&s).await;
    let second = s.logged_in(APPLICANT.0, APPLICANT.1).await;
    // Both tabs have the same view; the first saves, then the second saves from the old view.
    let mut mine = good.clone();
    mine["subject"]["mailing_address"] = json!("北京市朝阳区建国路2号");
    let (status, saved) = first.save(&id, &version, mine).await;
    assert_eq!(status, 200, "{saved}");
    let mut theirs = good.clone();
    theirs["subject"]["mailing_address"] = json!("北京市海淀区中关村1号");
    let (status, body) = second.save(&id, &version, theirs).await;
    assert_eq!((status, body["code"].clone()), (409, json!("order.changed_meanwhile")), "{body}");
    assert_eq!(body["params"]["current_version"], saved["version"].to_string());
    let (_, read) = first.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(read["version"], saved["version"]);
    assert_eq!(read["application"]["subject"]["mailing_address"], "北京市朝阳区建国路2号");
    // Saved again from the version it was told, the second tab's answers land.
    let (status, _) = second.save(&id, &saved["version"], good).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_reviewer_cannot_withdraw_or_abandon_an_applicants_order() {
    let s = Server::start().await;
    let (c, id, version, _) = ready_draft(&s).await;
    let reviewer = s.logged_in(REVIEWER.0, REVIEWER.1).await;
    let (status, body) = reviewer.call("/api/abandon_order", json!({"order_id": id})).await;
    assert_eq!((status, body["code"].clone()), (403, json!("order.transition_forbidden")));
    let (_, result) = c.call("/api/submit_order", json!({"order_id": id, "version": version})).await;
    assert_eq!(result["accepted"], true, "{result}");
    for path in ["/api/withdraw_order", "/api/abandon_order"] {
        let (status, body) = reviewer.call(path, json!({"order_id": id})).await;
        assert_eq!((status, body["code"].clone()), (403, json!("order.transition_forbidden")), "{path}");
    }
    let (_, read) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(read["status"], "provider_review");
    // The reviewer's reads of the applicant's answers are written down.
    reviewer.call("/api/get_order", json!({"order_id": id})).await;
    let trail = s.store.audit_of(&id).await.expect("audit");
    assert!(trail.iter().any(|e| e.action == "order.read_by_reviewer"), "{trail:?}");
}

#[tokio::test]
async fn a_corrupt_stored_draft_is_an_error_not_an_empty_draft() {
    let s = Server::start().await;
    let (c, id, version, good) = ready_draft(&s).await;
    let db = s.raw_pool().await;
    sqlx::query("UPDATE order_versions SET data = '{\"subject\": ' WHERE order_id = $1 AND version = $2")
        .bind(&id)
        .bind(version.as_i64().unwrap_or_default())
        .execute(&db)
        .await
        .expect("damage");
    for (path, body) in [("/api/get_order", json!({"order_id": id})), ("/api/my_orders", Value::Null)] {
        let (status, body) = if body.is_null() { c.call0(path).await } else { c.call(path, body).await };
        assert_eq!((status, body["code"].clone()), (500, json!("stored_data.unreadable")), "{path}");
    }
    // Nothing read it as an empty draft; the damaged version is still there as it was.
    let kept: String = sqlx::query_scalar("SELECT data FROM order_versions WHERE order_id = $1 AND version = $2")
        .bind(&id)
        .bind(version.as_i64().unwrap_or_default())
        .fetch_one(&db)
        .await
        .expect("row");
    assert_eq!(kept, "{\"subject\": ");
    // A new save from that version is the repair: the order reads again.
    let (status, _) = c.save(&id, &version, good).await;
    assert_eq!(status, 200);
    let (status, _) = c.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn many_accounts_writing_at_once_get_no_5xx() {
    let s = Server::start().await;
    let mut clients = Vec::new();
    for n in 0..8 {
        let c = s.client();
        let (status, body) = c.call("/api/register", json!({"username": format!("writer{n}@example.com"), "password": "a long enough password"})).await;
        assert_eq!(status, 200, "{body}");
        clients.push(c);
    }
    let statuses = futures_collect(clients.iter().cloned().map(|c| async move {
        let mut seen = Vec::new();
        for round in 0..12 {
            let (status, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
            seen.push(status);
            let id = order["id"].as_str().unwrap_or_default().to_owned();
            let mut version = order["version"].clone();
            for step in 0..3 {
                let (status, saved) = c.save(&id, &version, json!({"subject": {"name": format!("{round}-{step}")}})).await;
                seen.push(status);
                version = saved["version"].clone();
            }
            let (status, _) = c.call("/api/abandon_order", json!({"order_id": id})).await;
            seen.push(status);
        }
        seen
    }))
    .await;
    let all: Vec<u16> = statuses.into_iter().flatten().collect();
    let server_errors = all.iter().filter(|s| **s >= 500).count();
    let others: BTreeMap<u16, usize> = all.iter().filter(|s| **s != 200).fold(BTreeMap::new(), |mut m, s| {
        *m.entry(*s).or_default() += 1;
        m
    });
    println!("concurrent writers: {} calls, {server_errors} answered 5xx, other than 200: {others:?}", all.len());
    assert_eq!(server_errors, 0);
    assert!(others.is_empty(), "every call of these writers should succeed: {others:?}");

    // One open order per account holds under a burst of creations: exactly one is made.
    let c = clients[0].clone();
    let burst = futures_collect((0..10).map(|_| {
        let c = c.clone();
        async move { c.call("/api/create_order", json!({"path": "first_filing"})).await }
    }))
    .await;
    let made = burst.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(made, 1, "{burst:?}");
    assert!(burst.iter().all(|(status, body)| *status == 200 || (*status == 409 && body["code"] == "order.open_order_exists")), "{burst:?}");
}

/// Runs futures at once, collecting their outputs in order.
async fn futures_collect<F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn acknowledged_saves_and_uploads_survive_a_kill_9() {
    let data = tempfile::tempdir().expect("temp dir");
    let db = beian_store::testing::TestDatabase::new(data.path()).await;
    let mut server = Process::start(data.path(), &db.url, &[]).await;
    let mut writers = Vec::new();
    for n in 0..4 {
        let c = server.client();
        let (status, _) = c.call("/api/register", json!({"username": format!("crash{n}@example.com"), "password": "a long enough password"})).await;
        assert_eq!(status, 200);
        let (_, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
        writers.push((n, c, order["id"].as_str().unwrap_or_default().to_owned()));
    }
    // Each writer saves and uploads as fast as it can, keeping what was acknowledged.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tasks: Vec<_> = writers
        .into_iter()
        .map(|(n, c, id)| {
            let stop = stop.clone();
            tokio::spawn(async move {
                let (mut saves, mut uploads) = (Vec::new(), Vec::new());
                let mut version = json!(1);
                let mut i = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    i += 1;
                    let marker = format!("writer {n} save {i}");
                    let r = c.http.post(format!("{}/api/save_draft", c.base)).header("content-type", "application/json")
                        .body(json!({"order_id": id, "base_version": version, "application": {"subject": {"name": marker}}}).to_string())
                        .send().await;
                    let Ok(r) = r else { break };
                    if r.status().as_u16() != 200 {
                        break;
                    }
                    let Ok(saved) = r.json::<Value>().await else { break };
                    version = saved["version"].clone();
                    saves.push((id.clone(), version.as_i64().unwrap_or_default(), marker));
                    if i.is_multiple_of(4) {
                        let mut bytes = png();
                        bytes.extend(format!("{n}-{i}").as_bytes());
                        if let Ok(r) = c.http.post(format!("{}/api/documents", c.base)).multipart(
                            reqwest::multipart::Form::new().text("kind", "subject_certificate").part("file", reqwest::multipart::Part::bytes(bytes.clone()).file_name("id.png")),
                        ).send().await && r.status().as_u16() == 201
                            && let Ok(doc) = r.json::<Value>().await
                        {
                            uploads.push((doc["id"].as_str().unwrap_or_default().to_owned(), bytes));
                        }
                    }
                }
                (c, saves, uploads)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().expect("kill -9");
    let _ = server.child.wait();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for t in tasks {
        acknowledged.push(t.await.expect("writer"));
    }

    // The same data folder, a new process: every acknowledged save and upload is there.
    let mut server = Process::start(data.path(), &db.url, &[]).await;
    let store = beian_store::Store::open(&db.url, data.path()).await.expect("store");
    let (mut saves_checked, mut uploads_checked) = (0, 0);
    for (n, (_, saves, uploads)) in acknowledged.iter().enumerate() {
        for (order, version, marker) in saves {
            let app = store.order_version(order, *version).await.expect("readable").unwrap_or_else(|| panic!("save {version} of writer {n} is gone"));
            assert_eq!(&app.subject.name, marker);
            saves_checked += 1;
        }
        let c = server.client();
        c.call("/api/login", json!({"username": format!("crash{n}@example.com"), "password": "a long enough password"})).await;
        for (doc, bytes) in uploads {
            let r = c.http.get(format!("{}/api/documents/{doc}", c.base)).send().await.expect("download");
            assert_eq!(r.status().as_u16(), 200, "document {doc}");
            assert_eq!(r.bytes().await.expect("bytes").as_ref(), bytes.as_slice(), "document {doc} reads back byte-identical");
            uploads_checked += 1;
        }
    }
    println!("kill -9: {saves_checked} acknowledged saves and {uploads_checked} acknowledged uploads checked after the restart");
    assert!(saves_checked > 0, "the writers were acknowledged nothing before the kill");
    let _ = server.child.kill();
    let _ = server.child.wait();
}
