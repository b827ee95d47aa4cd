//! A bare axum JSON endpoint (`POST /echo` answers `{"ok": true}`), the baseline for
//! `scripts/load.sh`: the same HTTP stack and allocator with none of Beian's work.

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
        post(|Json(body): Json<serde_json::Value>| async move { Json(serde_json::json!({"ok": body.is_object()})) }),
    );
    let Ok(listener) = tokio::net::TcpListener::bind(&addr).await else {
        eprintln!("error: cannot bind {addr}");
        std::process::exit(2);
    };
    let _ = axum::serve(listener, app).await;
}
