//! The headers every answer carries: a Content-Security-Policy the wasm app works under (no
//! inline script: `cargo xtask build` moves trunk's start script into a file), no framing,
//! no referrer, no sniffing; `no-store` on every answer under `/api` (they are someone's, or
//! change); HSTS over HTTPS; `Vary: accept-encoding` on the app's files (they have brotli
//! copies). Documents have their own, stricter headers (`uploads.rs`).

use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The app's policy: its own scripts (and wasm compiled from them), styles, images, calls and
/// embedded documents (the reviewer's PDFs, themselves sandboxed); nothing inline, no framing
/// of the app, no base or form elsewhere.
pub const APP_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; \
    connect-src 'self'; font-src 'self'; object-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Two years, the preload lists' minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

fn set_default(response: &mut Response, name: HeaderName, value: &'static str) {
    if !response.headers().contains_key(&name) {
        response.headers_mut().insert(name, HeaderValue::from_static(value));
    }
}

/// True for a file name trunk gave a content hash (`beian-app-cd435a458ac48f7b.js`).
fn hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default().trim_end_matches("_bg");
    stem.rsplit('-').next().is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Adds the security headers to every answer.
pub async fn headers(secure: bool, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    set_default(&mut response, header::CONTENT_SECURITY_POLICY, APP_CSP);
    set_default(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(&mut response, header::REFERRER_POLICY, "no-referrer");
    set_default(&mut response, header::X_FRAME_OPTIONS, "DENY");
    if secure {
        set_default(&mut response, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    let dynamic = path.starts_with("/api/") || matches!(path.as_str(), "/healthz" | "/readyz" | "/metrics");
    if !dynamic {
        // The app's files go out brotli-compressed or not, by the browser's Accept-Encoding.
        set_default(&mut response, header::VARY, "accept-encoding");
    }
    let cache = if dynamic {
        "no-store"
    } else if hashed(&path) {
        "public, max-age=31536000, immutable"
    } else {
        // The page itself: always asked again, so a new build is picked up at once.
        "no-cache"
    };
    set_default(&mut response, header::CACHE_CONTROL, cache);
    response
}

/// The built app must run under [`APP_CSP`]: an `index.html` with an inline script (trunk's
/// own start script, before `cargo xtask build` moves it into a file) stops the server at
/// start with one line.
pub fn check_app(dist: &std::path::Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("error: BEIAN_DIST_DIR / --dist-dir {}: {e}", index.display()))?;
    let inline = html.match_indices("<script").any(|(at, _)| {
        let tag = html.get(at..).and_then(|rest| rest.split('>').next()).unwrap_or_default();
        !tag.contains("src=")
    });
    if inline {
        return Err(format!(
            "error: BEIAN_DIST_DIR / --dist-dir {}: index.html has an inline script, which the Content-Security-Policy forbids (build the app with `cargo xtask build`)",
            dist.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_hashed_files_are_told_apart() {
        assert!(hashed("/beian-app-cd435a458ac48f7b.js"));
        assert!(hashed("/beian-app-cd435a458ac48f7b_bg.wasm"));
        assert!(hashed("/main-e8cafe271474471b.css"));
        assert!(!hashed("/"));
        assert!(!hashed("/apply/subject"));
        assert!(!hashed("/index.html"));
    }
}
