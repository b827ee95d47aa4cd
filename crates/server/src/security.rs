//! The headers every answer carries: a Content-Security-Policy the wasm app works under (no
//! inline script: `cargo xtask build` writes the start script as a file), no framing,
//! no referrer, no sniffing; `no-store` on every answer under `/api` (they are someone's, or
//! change); HSTS over HTTPS; `Vary: accept-encoding` on the app's files (they have brotli
//! copies). Documents have their own, stricter headers (`uploads.rs`).

use axum::http::HeaderMap;
use axum::http::header::{self, HeaderName, HeaderValue};

/// The app's policy: its own scripts (and wasm compiled from them), styles, images, calls and
/// embedded documents (the reviewer's PDFs, themselves sandboxed); nothing inline, no framing
/// of the app, no base or form elsewhere.
pub const APP_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; \
    connect-src 'self'; font-src 'self'; object-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Two years, the preload lists' minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

// The values, checked once at compile time (checking the policy's 300 bytes on every answer
// cost more than the rest of this middleware).
const CSP_VALUE: HeaderValue = HeaderValue::from_static(APP_CSP);
const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
const NO_REFERRER: HeaderValue = HeaderValue::from_static("no-referrer");
const DENY: HeaderValue = HeaderValue::from_static("DENY");
const HSTS_VALUE: HeaderValue = HeaderValue::from_static(HSTS);
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const VARY_ENCODING: HeaderValue = HeaderValue::from_static("accept-encoding");

/// Sets `name` unless the answer has it already (one lookup).
fn set_default(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue) {
    headers.entry(name).or_insert(value);
}

/// The `Cache-Control` of an answer to `path`.
pub fn cache_control(path: &str) -> HeaderValue {
    if path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics") {
        NO_STORE
    } else if hashed(path) {
        IMMUTABLE
    } else {
        // The page itself: always asked again, so a new build is picked up at once.
        NO_CACHE
    }
}

/// The `Cache-Control` of an answer: a year-long cache is for a file itself, never for an
/// error in its place (a 404 while a rolling deploy has not reached this replica, a 503):
/// that is asked again.
pub fn answer_cache(status: axum::http::StatusCode, cache: HeaderValue) -> HeaderValue {
    let the_file = status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED;
    if cache == IMMUTABLE && !the_file { NO_STORE } else { cache }
}

/// True for a file name with a content hash (`beian-app-cd435a458ac48f7b.js`,
/// `split_applicant-0338f92afb2b965d.wasm`): `cargo xtask build` names every file of `dist/` so.
fn hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default().trim_end_matches("_bg");
    stem.rsplit('-').next().is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Gives an answer the security headers it does not set itself; `cache` is the
/// [`cache_control`] of its request's path.
pub fn set_headers(headers: &mut HeaderMap, secure: bool, cache: HeaderValue) {
    // Room for all of them at once: the map grows (and rehashes) once, not once per header.
    headers.reserve(7);
    set_default(headers, header::CONTENT_SECURITY_POLICY, CSP_VALUE);
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    set_default(headers, header::REFERRER_POLICY, NO_REFERRER);
    set_default(headers, header::X_FRAME_OPTIONS, DENY);
    if secure {
        set_default(headers, header::STRICT_TRANSPORT_SECURITY, HSTS_VALUE);
    }
    if cache != NO_STORE {
        // The app's files go out brotli-compressed or not, by the browser's Accept-Encoding.
        set_default(headers, header::VARY, VARY_ENCODING);
    }
    set_default(headers, header::CACHE_CONTROL, cache);
}

/// The built app must run under [`APP_CSP`]: an `index.html` with an inline script (trunk's
/// own start script: `trunk build` writes one; `cargo xtask build` does not) stops the server
/// at start with one line.
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
    fn hashed_files_are_told_apart() {
        assert!(hashed("/beian-app-cd435a458ac48f7b.js"));
        assert!(hashed("/split_applicant-0338f92afb2b965d.wasm"));
        assert!(hashed("/chunk_15-35914009e8a7f838.wasm"));
        assert!(hashed("/beian-split-4e8a70ac2ce819e0.js"));
        assert!(hashed("/beian-app-cd435a458ac48f7b_bg.wasm"));
        assert!(hashed("/main-e8cafe271474471b.css"));
        assert!(!hashed("/"));
        assert!(!hashed("/apply/subject"));
        assert!(!hashed("/index.html"));
    }

    #[test]
    fn an_error_in_a_files_place_is_not_kept() {
        use axum::http::StatusCode;
        let file = cache_control("/chunk_15-35914009e8a7f838.wasm");
        assert_eq!(answer_cache(StatusCode::OK, file.clone()), "public, max-age=31536000, immutable");
        assert_eq!(answer_cache(StatusCode::NOT_MODIFIED, file.clone()), "public, max-age=31536000, immutable");
        assert_eq!(answer_cache(StatusCode::NOT_FOUND, file.clone()), "no-store");
        assert_eq!(answer_cache(StatusCode::SERVICE_UNAVAILABLE, file), "no-store");
        assert_eq!(answer_cache(StatusCode::NOT_FOUND, cache_control("/apply")), "no-cache");
    }

    #[test]
    fn each_path_gets_its_cache_policy() {
        for path in ["/api/validate_application", "/api/documents/1", "/healthz", "/readyz", "/metrics"] {
            assert_eq!(cache_control(path), "no-store", "{path}");
        }
        assert_eq!(cache_control("/beian-app-cd435a458ac48f7b.js"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/"), "no-cache");
        assert_eq!(cache_control("/apply/subject"), "no-cache");
    }

    #[test]
    fn an_answers_own_headers_are_kept_and_the_others_added_once() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
        set_headers(&mut headers, false, cache_control("/api/documents/1"));
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "sandbox");
        assert_eq!(headers[header::CACHE_CONTROL], "private");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        assert_eq!(headers.len(), 5);

        let mut headers = HeaderMap::new();
        set_headers(&mut headers, true, cache_control("/"));
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], APP_CSP);
        assert_eq!(headers[header::STRICT_TRANSPORT_SECURITY], HSTS);
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
        // The app's files have brotli copies: caches keep one answer per encoding.
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(headers.len(), 7);
    }
}
