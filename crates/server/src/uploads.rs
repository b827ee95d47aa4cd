//! Document uploads: multipart, a size limit, the type taken from the bytes (JPEG, PNG, GIF,
//! PDF), files named by content hash; only the owner (and reviewers) can read them back.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use beian_api::session::account_of;
use beian_api::{ApiError, ErrorCode};
use tower_sessions::Session;

use crate::AppState;

/// `POST /api/documents` (multipart: an optional `order_id` field (the account's draft it is
/// for), a `kind` field, then a `file` field) →
/// `{"id", "order_id", "kind", "media_type", "size_bytes", "sha256", "original_name"}`.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let account = account_of(&session, &state.store).await?;
    let mut multipart = multipart.map_err(|e| ApiError::new(ErrorCode::UploadNotMultipart).detail(&e.body_text()))?;
    let too_large_or_malformed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::DocumentTooLarge)
        } else {
            ApiError::new(ErrorCode::UploadMalformed).detail(&e.body_text())
        }
    };
    let mut kind: Option<beian_rules::DocumentKind> = None;
    let mut order_id: Option<String> = None;
    while let Some(field) = multipart.next_field().await.map_err(too_large_or_malformed)? {
        match field.name() {
            Some("order_id") => {
                let text = field.text().await.map_err(too_large_or_malformed)?;
                order_id = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            }
            Some("kind") => {
                let text = field.text().await.unwrap_or_default();
                kind = Some(beian_rules::wire::parse(text.trim()).ok_or(ApiError::new(ErrorCode::UploadUnknownKind))?);
            }
            Some("file") => {
                let kind = kind.ok_or(ApiError::new(ErrorCode::UploadKindFirst))?;
                let name = field.file_name().unwrap_or("document").to_owned();
                let bytes = field.bytes().await.map_err(too_large_or_malformed)?;
                let record = state.store.store_document(&account.id, order_id.as_deref(), kind, &name, &bytes, state.upload_limit).await?;
                return Ok((StatusCode::CREATED, Json(record)).into_response());
            }
            _ => {}
        }
    }
    Err(ApiError::new(ErrorCode::UploadNoFile))
}

/// `GET /api/documents/{id}`: the file, for its owner or a reviewer.
pub async fn download(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Result<Response, ApiError> {
    let account = account_of(&session, &state.store).await?;
    let (record, bytes) = state.store.document(&account, &id).await?;
    let mut response = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&record.media_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    Ok(response)
}
