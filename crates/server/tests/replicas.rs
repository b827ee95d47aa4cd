//! Two `beian-server` processes on one database and one document store, as behind a load
//! balancer: a session, an upload and an order work whichever replica a request reaches, and
//! racing requests on the two decide once. Run on PostgreSQL (`BEIAN_TEST_DATABASE=postgres`,
//! as `cargo xtask test` does) this is the deployment of `docs/deploy.md`; on SQLite it is
//! two processes on one file.

mod common;

use common::*;
use serde_json::{Value, json};

/// Two replicas: separate data folders (each spools its own uploads), one database, one
/// document store (a shared folder, as an S3 bucket would be).
struct Pair {
    a: Process,
    b: Process,
    _folders: (tempfile::TempDir, tempfile::TempDir, tempfile::TempDir),
    _db: beian_store::testing::TestDatabase,
}

async fn pair() -> Pair {
    let (one, two, shared) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let db = beian_store::testing::TestDatabase::new(one.path()).await;
    let documents = format!("file://{}", shared.path().display());
    // The first replica loads the demo data; the second starts on the database it left.
    let args = ["--documents-url", &documents, "--trust-forwarded-for"];
    let a = Process::start(one.path(), &db.url, &args).await;
    let b = Process::start(two.path(), &db.url, &args).await;
    Pair { a, b, _folders: (one, two, shared), _db: db }
}

/// One browser (one cookie jar) talking to either replica.
fn on(http: &reqwest::Client, replica: &Process) -> Client {
    Client { base: replica.base.clone(), http: http.clone() }
}

#[tokio::test]
async fn a_session_an_upload_and_an_order_work_on_either_replica() {
    let p = pair().await;
    let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let (a, b) = (on(&browser, &p.a), on(&browser, &p.b));
    let mut statuses = Vec::new();

    // Registered and logged in on A; the same cookie is a session on B.
    let (status, body) = a.call("/api/register", json!({"username": "two@example.com", "password": "a long enough password"})).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = a.call("/api/login", json!({"username": "two@example.com", "password": "a long enough password"})).await;
    assert_eq!(status, 200);
    let (status, me) = b.call0("/api/me").await;
    assert_eq!((status, me["username"].clone()), (200, json!("two@example.com")), "{me}");

    // An order made on B, saved on A, read on B.
    let (status, order) = b.call("/api/create_order", json!({"path": "first_filing"})).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let (status, saved) = a.save(&id, &order["version"], json!({"subject": {"name": "两台服务器"}})).await;
    assert_eq!(status, 200, "{saved}");
    let (status, read) = b.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!((status, read["application"]["subject"]["name"].clone()), (200, json!("两台服务器")), "{read}");

    // Uploaded on A, downloaded byte-identical on B (and the other way round).
    for (up, down, tag) in [(&a, &b, "a"), (&b, &a, "b")] {
        let mut bytes = png();
        bytes.extend(format!("uploaded on {tag}").as_bytes());
        let (status, doc) = up.upload_for(&id, "subject_certificate", "id.png", bytes.clone()).await;
        assert_eq!(status, 201, "{doc}");
        let r = down.http.get(format!("{}/api/documents/{}", down.base, doc["id"].as_str().unwrap_or_default())).send().await.expect("download");
        statuses.push(r.status().as_u16());
        assert_eq!(r.bytes().await.expect("bytes").as_ref(), bytes.as_slice(), "uploaded on {tag}, read on the other");
    }

    // Logged out on B: no longer a session on A.
    b.call0("/api/logout").await;
    let (status, _) = a.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(status, 401);
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

#[tokio::test]
async fn racing_requests_on_two_replicas_decide_once() {
    let p = pair().await;
    let mut all = Vec::new();

    // Ten rounds of one account creating its order on both replicas at once: exactly one
    // order each time.
    for round in 0..10 {
        let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
        let (a, b) = (on(&browser, &p.a), on(&browser, &p.b));
        let user = format!("race{round}@example.com");
        a.call("/api/register", json!({"username": user, "password": "a long enough password"})).await;
        let (status, _) = b.call("/api/login", json!({"username": user, "password": "a long enough password"})).await;
        assert_eq!(status, 200);
        let body = json!({"path": "first_filing"});
        let (first, second) = tokio::join!(a.call("/api/create_order", body.clone()), b.call("/api/create_order", body));
        all.extend([first.0, second.0]);
        let mut made: Vec<_> = [&first, &second].into_iter().filter(|(s, _)| *s == 200).collect();
        assert_eq!(made.len(), 1, "round {round}: {first:?} {second:?}");
        let refused = if first.0 == 200 { &second } else { &first };
        assert_eq!((refused.0, refused.1["code"].clone()), (409, json!("order.open_order_exists")), "{refused:?}");
        let (_, mine) = a.call0("/api/my_orders").await;
        assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
        made.clear();
    }

    // The demo applicant's complete draft submitted on both replicas at once: accepted once,
    // its service code used by that order only.
    let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let (a, b) = (on(&browser, &p.a), on(&browser, &p.b));
    let (status, _) = a.call("/api/login", json!({"username": APPLICANT.0, "password": APPLICANT.1})).await;
    assert_eq!(status, 200);
    let code = eligible_code(&b).await;
    let (status, order) = a.call("/api/create_order", json!({"path": "first_filing"})).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let uploaded = b.documents(&id).await;
    let (status, saved) = a.save(&id, &order["version"], application(&code, &docs(&uploaded))).await;
    assert_eq!(status, 200, "{saved}");
    let submit = json!({"order_id": id, "version": saved["version"]});
    let (first, second) = tokio::join!(a.call("/api/submit_order", submit.clone()), b.call("/api/submit_order", submit));
    all.extend([first.0, second.0]);
    let accepted = [&first, &second].iter().filter(|(s, body)| *s == 200 && body["accepted"] == json!(true)).count();
    assert_eq!(accepted, 1, "{first:?} {second:?}");
    let (_, codes) = b.call0("/api/my_service_codes").await;
    let used: Vec<&Value> = codes.as_array().into_iter().flatten().filter(|c| c["code"] == json!(code)).map(|c| &c["used_by_order"]).collect();
    assert_eq!(used, [&json!(id)], "{codes}");
    let (_, read) = b.call("/api/get_order", json!({"order_id": id})).await;
    assert_eq!(read["status"], "provider_review", "{read}");

    let server_errors: Vec<u16> = all.iter().copied().filter(|s| *s >= 500).collect();
    assert!(server_errors.is_empty(), "{server_errors:?}");
}

/// nginx running `docs/nginx/beian.conf` in front of `pair`, on a loopback port: the example
/// as shipped, with the replicas' addresses and a loopback listener put in and the TLS lines
/// left out.
struct Nginx {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    /// A graceful stop (SIGQUIT): the master stops its workers before it exits. A killed
    /// master would leave its worker running, orphaned.
    fn drop(&mut self) {
        let stopped = std::process::Command::new("kill").arg("-QUIT").arg(self.child.id().to_string()).status().is_ok_and(|s| s.success());
        if !stopped {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

async fn nginx(p: &Pair) -> Nginx {
    let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].into_iter().find(|b| std::path::Path::new(b).exists())
        .expect("nginx is not installed (`cargo xtask setup` installs Debian's nginx-light)");
    let dir = tempfile::tempdir().expect("dir");
    let free = || std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port");
    let (https, http) = (free(), free());
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/nginx/beian.conf")).expect("the example");
    let host = |base: &str| base.trim_start_matches("http://").to_owned();
    let site: String = example
        .lines()
        .filter(|l| !l.trim_end().ends_with("# TLS"))
        .map(|l| {
            l.replace("10.0.0.11:8080", &host(&p.a.base))
                .replace("10.0.0.12:8080", &host(&p.b.base))
                .replace("listen 443 ssl http2;", &format!("listen 127.0.0.1:{https};"))
                .replace("listen 80;", &format!("listen 127.0.0.1:{http};"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(site.contains(&host(&p.a.base)) && site.contains(&format!("127.0.0.1:{https}")), "the example's addresses changed: update this test");
    let d = dir.path().display();
    std::fs::write(dir.path().join("beian.conf"), site).expect("write");
    let root = std::process::Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false);
    let main = format!(
        "{user}worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n access_log off;\n client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n fastcgi_temp_path {d}/fastcgi;\n uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n include {d}/beian.conf;\n}}\n",
        user = if root { "user root;\n" } else { "" }
    );
    std::fs::write(dir.path().join("nginx.conf"), main).expect("write");
    let child = std::process::Command::new(binary).arg("-p").arg(dir.path()).arg("-c").arg(dir.path().join("nginx.conf")).spawn().expect("nginx");
    let base = format!("http://127.0.0.1:{https}");
    let started = std::time::Instant::now();
    while reqwest::get(format!("{base}/healthz")).await.map(|r| r.status().as_u16()).ok() != Some(200) {
        let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "nginx did not start: {log}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Nginx { child, base, _dir: dir }
}

#[tokio::test]
async fn behind_the_example_nginx_a_browser_works_whichever_replica_answers() {
    let p = pair().await;
    let front = nginx(&p).await;
    let c = Client { base: front.base.clone(), http: reqwest::Client::builder().cookie_store(true).build().expect("client") };
    let mut statuses = Vec::new();
    let (status, body) = c.call("/api/register", json!({"username": "nginx@example.com", "password": "a long enough password"})).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = c.call("/api/login", json!({"username": "nginx@example.com", "password": "a long enough password"})).await;
    assert_eq!(status, 200);
    let (status, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
    assert_eq!(status, 200, "{order}");
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut version = order["version"].clone();
    // Round-robin sends these to both replicas in turn.
    for i in 0..6 {
        let (status, saved) = c.save(&id, &version, json!({"subject": {"name": format!("经由代理 {i}")}})).await;
        statuses.push(status);
        version = saved["version"].clone();
        let mut bytes = png();
        bytes.resize(1024 * 1024 + i, 7);
        let (status, doc) = c.upload_for(&id, "subject_certificate", "id.png", bytes.clone()).await;
        statuses.push(status);
        let r = c.http.get(format!("{}/api/documents/{}", c.base, doc["id"].as_str().unwrap_or_default())).send().await.expect("download");
        statuses.push(r.status().as_u16());
        assert_eq!(r.bytes().await.expect("bytes").len(), bytes.len());
    }
    assert!(statuses.iter().all(|s| *s == 200 || *s == 201), "{statuses:?}");
    // A document over the server's limit gets the server's own answer through the proxy.
    let (status, body) = c.upload_for(&id, "subject_certificate", "big.png", { let mut b = png(); b.resize(4 * 1024 * 1024 + 1, 7); b }).await;
    assert_eq!((status, body["code"].clone()), (413, json!("document.too_large")), "{body}");
    // What an operator watches stays inside.
    let r = c.http.get(format!("{}/metrics", c.base)).send().await.expect("metrics");
    assert_eq!(r.status().as_u16(), 403);
}

/// An S3-compatible server (moto) on a loopback port, with one bucket.
struct S3 {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn s3(bucket: &str) -> S3 {
    let binary = std::env::var("BEIAN_MOTO_SERVER").ok().filter(|b| std::path::Path::new(b).exists()).expect(
        "BEIAN_MOTO_SERVER must name moto's moto_server, an S3-compatible server (`cargo xtask test` installs it and sets it)",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port");
    let child = std::process::Command::new(binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server");
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = std::time::Instant::now();
    // Creating the bucket is also the wait for the server.
    while http.put(format!("{endpoint}/{bucket}")).send().await.map(|r| r.status().is_success()).ok() != Some(true) {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "moto_server did not start");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    S3 { child, endpoint }
}

#[tokio::test]
async fn documents_in_an_s3_bucket_are_shared_by_two_replicas() {
    let store = s3("beian-documents").await;
    let (one, two) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let db = beian_store::testing::TestDatabase::new(one.path()).await;
    let env = [
        ("AWS_ENDPOINT", store.endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "beian-test"),
        ("AWS_SECRET_ACCESS_KEY", "beian-test-secret"),
        ("AWS_REGION", "us-east-1"),
    ];
    let args = ["--documents-url", "s3://beian-documents/uploads"];
    let a = Process::start_with_env(one.path(), &db.url, &args, &env).await;
    let b = Process::start_with_env(two.path(), &db.url, &args, &env).await;
    for replica in [&a, &b] {
        let r = reqwest::get(format!("{}/readyz", replica.base)).await.expect("readyz");
        assert_eq!(r.status().as_u16(), 200, "{:?}", r.text().await);
    }
    let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let (on_a, on_b) = (on(&browser, &a), on(&browser, &b));
    let (status, _) = on_a.call("/api/login", json!({"username": APPLICANT.0, "password": APPLICANT.1})).await;
    assert_eq!(status, 200);
    let (_, order) = on_a.call("/api/create_order", json!({"path": "first_filing"})).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let mut bytes = png();
    bytes.resize(3 * 1024 * 1024 + 17, 3);
    let (status, doc) = on_a.upload_for(&id, "subject_certificate", "id.png", bytes.clone()).await;
    assert_eq!(status, 201, "{doc}");
    let r = on_b.http.get(format!("{}/api/documents/{}", on_b.base, doc["id"].as_str().unwrap_or_default())).send().await.expect("download");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.bytes().await.expect("bytes").as_ref(), bytes.as_slice(), "uploaded on A, read on B, from the bucket");
    // The bytes are in the bucket under the prefix, by their hash — and in neither data folder.
    let sha = doc["sha256"].as_str().expect("the upload's hash").to_owned();
    let bucket = object_store::aws::AmazonS3Builder::new()
        .with_endpoint(&store.endpoint)
        .with_allow_http(true)
        .with_bucket_name("beian-documents")
        .with_region("us-east-1")
        .with_access_key_id("beian-test")
        .with_secret_access_key("beian-test-secret")
        .build()
        .expect("client");
    let stored = object_store::ObjectStore::head(&bucket, &object_store::path::Path::from(format!("uploads/{sha}"))).await.expect("the object in the bucket");
    assert_eq!(stored.size as usize, bytes.len());
    for folder in [one.path(), two.path()] {
        assert!(!folder.join("documents").join(&sha).exists(), "kept locally as well");
    }
}

#[tokio::test]
async fn background_work_runs_on_one_replica_at_a_time() {
    let data = tempfile::tempdir().expect("dir");
    let db = beian_store::testing::TestDatabase::new(data.path()).await;
    let (first, second) = (
        beian_store::Store::open(&db.url, data.path()).await.expect("first"),
        beian_store::Store::open(&db.url, data.path()).await.expect("second"),
    );
    let (started, release) = (tokio::sync::Notify::new(), tokio::sync::Notify::new());
    let holding = first.exclusively(beian_store::Job::Clock, async {
        started.notify_one();
        release.notified().await;
        "first"
    });
    let meanwhile = async {
        started.notified().await;
        let clock = second.exclusively(beian_store::Job::Clock, async { "second" }).await.expect("clock");
        // Another job is not held up.
        let mail = second.exclusively(beian_store::Job::Mail, async { "mail" }).await.expect("mail");
        release.notify_one();
        (clock, mail)
    };
    let (held, (clock, mail)) = tokio::join!(holding, meanwhile);
    assert_eq!(held.expect("first"), Some("first"));
    assert_eq!(mail, Some("mail"));
    if beian_store::testing::on_postgres() {
        assert_eq!(clock, None, "the second replica ran the clock while the first held it");
        // Once released, the next round runs anywhere.
        assert_eq!(second.exclusively(beian_store::Job::Clock, async { "again" }).await.expect("clock"), Some("again"));
    } else {
        // One server per SQLite file: no lock to take.
        assert_eq!(clock, Some("second"));
    }
}
