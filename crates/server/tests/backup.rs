//! The restore drill of `docs/deploy.md`, on SQLite: a backup taken with `beian-server
//! backup` while writers keep saving, restored into a new data folder, holds every save
//! acknowledged before the backup began.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_writes_restores_every_acknowledged_save() {
    let data = tempfile::tempdir().expect("temp dir");
    // SQLite whatever the run is pointed at: this is the SQLite drill.
    let url = format!("sqlite://{}?mode=rwc", data.path().join("beian.db").display());
    let server = Process::start(data.path(), &url, &[]).await;

    let acknowledged: Arc<Mutex<Vec<(String, i64, String)>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for n in 0..4 {
        let c = server.client();
        let (status, _) = c.call("/api/register", json!({"username": format!("backup{n}@example.com"), "password": "a long enough password"})).await;
        assert_eq!(status, 200);
        let (_, order) = c.call("/api/create_order", json!({"path": "first_filing"})).await;
        let id = order["id"].as_str().unwrap_or_default().to_owned();
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut version = order["version"].clone();
            let mut i = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                i += 1;
                let marker = format!("writer {n} save {i}");
                let (status, saved) = c.save(&id, &version, json!({"subject": {"name": marker}})).await;
                assert_eq!(status, 200, "{saved}");
                version = saved["version"].clone();
                acknowledged.lock().expect("list").push((id.clone(), version.as_i64().unwrap_or_default(), marker));
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;

    // What was acknowledged before the backup began, then the backup, from another process,
    // while the writers go on.
    let before: Vec<(String, i64, String)> = acknowledged.lock().expect("list").clone();
    let copy = data.path().join("backup.db");
    let backup = {
        let (dir, url, copy) = (data.path().to_owned(), url.clone(), copy.clone());
        move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_beian-server"))
                .arg("--data-dir")
                .arg(&dir)
                .arg("--database-url")
                .arg(&url)
                .arg("backup")
                .arg(&copy)
                .output()
                .expect("backup")
        }
    };
    let out = tokio::task::spawn_blocking(backup.clone()).await.expect("backup");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.expect("writer");
    }
    let after = acknowledged.lock().expect("list").len();
    assert!(after > before.len(), "the writers kept writing while the backup ran");

    // A second backup to the same file is refused rather than overwriting it.
    let again = tokio::task::spawn_blocking(backup).await.expect("backup");
    assert!(!again.status.success());

    // Restored into a new data folder: every save acknowledged before the backup is there.
    let restored = tempfile::tempdir().expect("temp dir");
    std::fs::copy(&copy, restored.path().join("beian.db")).expect("restore");
    let store = beian_store::Store::open(&format!("sqlite://{}", restored.path().join("beian.db").display()), restored.path()).await.expect("open the copy");
    for (order, version, marker) in &before {
        let app = store.order_version(order, *version).await.expect("readable").unwrap_or_else(|| panic!("{marker} is missing from the backup"));
        assert_eq!(&app.subject.name, marker);
    }
    println!("restore drill: {} saves acknowledged before the backup, all restored; {after} in all", before.len());

    // And a server starts on it and serves them.
    drop(store);
    let revived = Process::start(restored.path(), &format!("sqlite://{}", restored.path().join("beian.db").display()), &[]).await;
    let c = revived.client();
    let (status, _) = c.call("/api/login", json!({"username": "backup0@example.com", "password": "a long enough password"})).await;
    assert_eq!(status, 200);
    let (status, mine) = c.call0("/api/my_orders").await;
    assert_eq!((status, mine.as_array().map(Vec::len)), (200, Some(1)), "{mine}");
}
