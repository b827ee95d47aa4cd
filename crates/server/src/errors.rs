//! Every error the API returns is JSON with a stable code: `{"code": "...", "message": "..."}`.
//!
//! Server functions report bad input as `Args`/`Deserialization`/`MissingArg` errors, which
//! the server-function layer sends as 500s with a plain-text body; they are the caller's
//! fault, so they become 400s here. A server function that refuses a request on purpose
//! returns `beian_api::error::refuse`, which carries its status and code through the same layer.

use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// A JSON error response.
pub fn json(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "code": code, "message": message }).to_string();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Rewrites a server-function error response into a JSON error with the right status.
pub async fn to_json_error(response: Response) -> Response {
    let status = response.status();
    if status.is_success() || status.is_redirection() {
        return response;
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return json(status, "request.too_large", "the request body is too large");
    }
    let body = to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let (kind, detail) = text.split_once('|').unwrap_or(("", &text));
    match kind {
        "Args" | "Deserialization" | "MissingArg" | "Request" => {
            json(StatusCode::BAD_REQUEST, "request.invalid", detail.trim())
        }
        "ServerError" => {
            // "<status> <code>: <message>" from `refuse`, or an internal fault.
            let parsed = detail.split_once(' ').and_then(|(status, rest)| {
                let status = status.parse::<u16>().ok().and_then(|s| StatusCode::from_u16(s).ok())?;
                let (code, message) = rest.split_once(": ")?;
                Some((status, code.to_owned(), message.to_owned()))
            });
            match parsed {
                Some((status, code, message)) if status.is_client_error() => json(status, &code, &message),
                _ => {
                    tracing::error!(detail = %detail, "server function failed");
                    json(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server could not answer; try again")
                }
            }
        }
        _ if status == StatusCode::NOT_FOUND || text.contains("Could not find a server function") => {
            json(StatusCode::NOT_FOUND, "api.not_found", "no such API endpoint")
        }
        _ if status.is_client_error() => json(status, "request.invalid", text.trim()),
        _ => json(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server could not answer; try again"),
    }
}

/// The body-limit layer answers 413 in plain text before any handler runs; say it in JSON.
pub async fn too_large_as_json(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return json(StatusCode::PAYLOAD_TOO_LARGE, "request.too_large", "the request body is too large");
    }
    response
}
