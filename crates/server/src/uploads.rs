//! Document uploads: multipart, a size limit, the type taken from the bytes (JPEG, PNG, GIF,
//! PDF), files named by content hash; only the owner (and reviewers) can read them back.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::Json;
use beian_store::StoreError;
use tower_sessions::Session;

use crate::AppState;
use crate::errors::json;

async fn account(state: &AppState, session: &Session) -> Result<beian_store::Account, Response> {
    let id: Option<String> = session.get("account_id").await.ok().flatten();
    let Some(id) = id else {
        return Err(json(StatusCode::UNAUTHORIZED, "auth.required", "log in first"));
    };
    state.store.account(&id).await.map_err(|e| store_response(&e))
}

fn store_response(e: &StoreError) -> Response {
    let status = match e {
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
        StoreError::Conflict(_) => StatusCode::CONFLICT,
        StoreError::Invalid("document.too_large") => StatusCode::PAYLOAD_TOO_LARGE,
        StoreError::Invalid("document.type_not_accepted") => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        StoreError::Invalid(_) => StatusCode::BAD_REQUEST,
        StoreError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        StoreError::Database(_) | StoreError::Files(_) => {
            tracing::error!(error = %e, "document storage failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    json(status, e.code(), &e.to_string())
}

/// `POST /api/documents` (multipart: a `kind` field, then a `file` field) →
/// `{"id", "kind", "media_type", "size_bytes", "sha256", "original_name"}`.
pub async fn upload(State(state): State<AppState>, session: Session, multipart: Result<Multipart, MultipartRejection>) -> Response {
    let account = match account(&state, &session).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(e) => return json(StatusCode::BAD_REQUEST, "upload.not_multipart", &e.body_text()),
    };
    let mut kind: Option<beian_rules::DocumentKind> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let status = if e.status() == StatusCode::PAYLOAD_TOO_LARGE { e.status() } else { StatusCode::BAD_REQUEST };
                let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "document.too_large" } else { "upload.malformed" };
                return json(status, code, &e.body_text());
            }
        };
        match field.name() {
            Some("kind") => {
                let text = field.text().await.unwrap_or_default();
                kind = serde_json::from_value(serde_json::Value::String(text.trim().to_owned())).ok();
                if kind.is_none() {
                    return json(StatusCode::BAD_REQUEST, "upload.unknown_kind", "unknown document kind");
                }
            }
            Some("file") => {
                let Some(kind) = kind else {
                    return json(StatusCode::BAD_REQUEST, "upload.kind_first", "send the kind field before the file");
                };
                let name = field.file_name().unwrap_or("document").to_owned();
                let bytes = match field.bytes().await {
                    Ok(b) => b,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return json(StatusCode::PAYLOAD_TOO_LARGE, "document.too_large", "the file is too large");
                    }
                    Err(e) => return json(StatusCode::BAD_REQUEST, "upload.malformed", &e.body_text()),
                };
                return match state.store.store_document(&account.id, kind, &name, &bytes, state.upload_limit).await {
                    Ok(record) => (StatusCode::CREATED, Json(record)).into_response(),
                    Err(e) => store_response(&e),
                };
            }
            _ => {}
        }
    }
    json(StatusCode::BAD_REQUEST, "upload.no_file", "no file field")
}

/// `GET /api/documents/{id}`: the file, for its owner or a reviewer.
pub async fn download(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    let account = match account(&state, &session).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    match state.store.document(&account, &id).await {
        Ok((record, bytes)) => {
            let mut response = bytes.into_response();
            if let Ok(v) = HeaderValue::from_str(&record.media_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            response.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            response
        }
        Err(e) => store_response(&e),
    }
}
