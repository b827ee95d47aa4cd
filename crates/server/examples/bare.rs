//! A bare axum JSON endpoint (`POST /echo` answers `{"ok": true}`), the baseline for
//! `scripts/load.sh`: the same HTTP stack and allocator with none of Beian's work. It reads
//! the body as JSON (a malformed body is refused, as by any JSON endpoint) but builds nothing
//! from it, so that however large the body, the baseline does the least a JSON endpoint can
//! (building a `serde_json::Value` of an 819-byte application would double its cost).

use axum::routing::post;
use axum::{Json, Router};

// The same allocator as the backend, so that the comparison is of the work alone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let app = Router::new().route(
        "/echo",
        post(|Json(_): Json<serde::de::IgnoredAny>| async move { Json(serde_json::json!({"ok": true})) }),
    );
    let Ok(listener) = tokio::net::TcpListener::bind(&addr).await else {
        eprintln!("error: cannot bind {addr}");
        std::process::exit(2);
    };
    let _ = axum::serve(listener, app).await;
}
