//! Document uploads: multipart, streamed to storage chunk by chunk with the size limit
//! enforced as they come (never buffered whole), the type taken from the bytes (JPEG, PNG,
//! GIF, PDF), files named by content hash; only the owner (and reviewers) can read them back,
//! as downloads that no browser renders in the app's origin.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
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
                let mut field = field;
                let mut upload = state.store.begin_upload(state.upload_limit).await?;
                while let Some(chunk) = field.chunk().await.map_err(too_large_or_malformed)? {
                    crate::metrics::upload_bytes(chunk.len());
                    upload.write(&chunk).await?;
                }
                let record = state.store.finish_upload(upload, &account.id, order_id.as_deref(), kind, &name).await?;
                return Ok((StatusCode::CREATED, Json(record)).into_response());
            }
            _ => {}
        }
    }
    Err(ApiError::new(ErrorCode::UploadNoFile))
}

/// A document's policy: nothing in it runs, loads or submits anything, in a sandbox of its
/// own origin.
const DOCUMENT_CSP: &str = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/// `Content-Disposition: attachment` with the original name, in ASCII and as UTF-8
/// (RFC 6266 / RFC 5987), so that no browser shows it in the app's origin.
fn attachment(name: &str) -> HeaderValue {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")).unwrap_or(HeaderValue::from_static("attachment"))
}

/// How a document is asked for: `?view=inline` shows it in the app's own pages (the reviewer
/// console), still sandboxed; anything else downloads it.
#[derive(serde::Deserialize, Default)]
pub struct View {
    view: Option<String>,
}

/// The policy of a document shown inline in the app's pages: sandboxed, framed by the app
/// only.
const INLINE_CSP: &str = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/// `GET /api/documents/{id}`: the file, for its owner or a reviewer, as a download (or, with
/// `?view=inline`, shown in the app's pages).
pub async fn download(State(state): State<AppState>, session: Session, Path(id): Path<String>, Query(view): Query<View>) -> Result<Response, ApiError> {
    let account = account_of(&session, &state.store).await?;
    let (record, bytes) = state.store.document(&account, &id).await?;
    let inline = view.view.as_deref() == Some("inline");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&record.media_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if inline {
        headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("inline"));
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(INLINE_CSP));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    } else {
        headers.insert(header::CONTENT_DISPOSITION, attachment(&record.original_name));
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCUMENT_CSP));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}
