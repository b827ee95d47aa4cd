//! Every error the backend answers is an [`ApiError`] as JSON: `{"status", "code", "message",
//! "field"?, "params"?}`, with a 4xx for anything the caller sent wrong.
//!
//! A server function's error reaches here as the server-function layer sends it: status 500,
//! a `serverfnerror` header, and the error's own JSON body. The status is the error's.
//! Layers that answer before any handler runs (the body limit) are rewritten too.

use axum::BoxError;
use axum::body::{Bytes, HttpBody, to_bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use beian_api::{ApiError, ErrorCode};

/// The server-function layer's header on error answers.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// The largest error body read back (an error's JSON is small; anything larger is not one).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Gives a server function's error answer its error's status; turns the server-function
/// layer's plain-text answers (an unknown endpoint) into JSON errors.
pub async fn server_fn_answer(response: Response) -> Response {
    let status = response.status();
    if status.is_success() || status.is_redirection() {
        return response;
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(ErrorCode::RequestTooLarge).into_response();
    }
    let is_error_body = response.headers().contains_key(SERVER_FN_ERROR_HEADER);
    let body = to_bytes(response.into_body(), ERROR_BODY_LIMIT).await.unwrap_or_default();
    if is_error_body {
        return match serde_json::from_slice::<ApiError>(&body) {
            Ok(error) => {
                if error.status >= 500 {
                    tracing::error!(code = error.code.as_str(), "server function failed");
                }
                error.into_response()
            }
            Err(e) => {
                tracing::error!(error = %e, "a server function's error did not decode");
                ApiError::new(ErrorCode::Internal).into_response()
            }
        };
    }
    let text = String::from_utf8_lossy(&body);
    if status == StatusCode::NOT_FOUND || text.contains("Could not find a server function") {
        return ApiError::new(ErrorCode::ApiNotFound).into_response();
    }
    if status.is_client_error() {
        return ApiError::new(ErrorCode::RequestInvalid).detail(text.trim()).into_response();
    }
    tracing::error!(status = %status, "unexpected answer from the server-function layer");
    ApiError::new(ErrorCode::Internal).into_response()
}

/// The body-limit and timeout layers answer 413 and 408 in plain text (or with no body) before
/// any handler runs; say it in JSON.
pub async fn too_large_as_json<B>(response: Response<B>) -> Response
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return response.into_response();
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(ErrorCode::RequestTooLarge).into_response(),
        StatusCode::REQUEST_TIMEOUT => ApiError::new(ErrorCode::RequestTimeout).into_response(),
        _ => response.into_response(),
    }
}

/// A JSON error for `code` (the router's own answers: cross-site, method, missing app).
pub fn error(code: ErrorCode) -> Response {
    ApiError::new(code).into_response()
}

/// On the upload routes a body over the limit is a document that is too large.
pub async fn upload_too_large(response: Response) -> Response {
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::new(ErrorCode::DocumentTooLarge).into_response();
    }
    response
}
