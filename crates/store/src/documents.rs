//! Uploaded documents: the type taken from the bytes (never from the name), files named by
//! their SHA-256 (the same file twice is stored once) and written durably, each bound to its
//! account and to the order it was uploaded for (or first submitted with), read back by the
//! owner or a reviewer.

use std::path::Path;

use beian_rules::wire::name as enum_str;
use beian_rules::{Code, DocumentKind, Finding, UploadedDocument};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::accounts::{Account, Role};
use crate::error::{Refusal, Result, decode_enum};
use crate::{Store, audit, new_id, now};

/// An uploaded document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub account_id: String,
    /// The order it belongs to (the one it was uploaded for, or that first submitted it).
    pub order_id: Option<String>,
    pub kind: beian_rules::DocumentKind,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub original_name: String,
}

/// Media types accepted for uploads, recognised from the file's bytes (facts §3.4: jpg, png,
/// gif; PDF for signed forms).
pub const ACCEPTED_MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "application/pdf"];

/// An upload on its way in: written to a temporary file beside the stored ones as it
/// streams, hashed and counted as it goes, refused the moment it passes its limit. Dropped
/// unfinished, its file is removed.
pub struct PendingUpload {
    file: Option<tokio::fs::File>,
    path: std::path::PathBuf,
    hasher: Sha256,
    size: usize,
    limit: usize,
    /// The first bytes, from which the type is recognised.
    head: Vec<u8>,
}

/// How many first bytes the type is recognised from.
const HEAD: usize = 8192;

impl PendingUpload {
    /// Appends a chunk; past the limit the upload is refused (`DocumentTooLarge`) and nothing
    /// more is read.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        self.size = self.size.saturating_add(chunk.len());
        if self.size > self.limit {
            return Err(Refusal::DocumentTooLarge.into());
        }
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(chunk.get(..take).unwrap_or_default());
        }
        self.hasher.update(chunk);
        if let Some(file) = &mut self.file {
            file.write_all(chunk).await?;
        }
        Ok(())
    }
}

impl Drop for PendingUpload {
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Makes the temporary file `tmp` the stored file `name` so that it survives a crash once
/// this returns: synced, renamed, and the folder synced (the rename is the folder's change).
/// A file already stored under `name` is kept only if its bytes still have that hash; a
/// truncated or damaged one is replaced.
fn store_durably(folder: &Path, tmp: &Path, name: &str) -> std::io::Result<()> {
    let path = folder.join(name);
    if let Ok(existing) = std::fs::read(&path)
        && format!("{:x}", Sha256::digest(&existing)) == name
    {
        return std::fs::remove_file(tmp);
    }
    std::fs::File::open(tmp)?.sync_all()?;
    std::fs::rename(tmp, &path)?;
    std::fs::File::open(folder)?.sync_all()
}

/// Removes what interrupted uploads left in the documents folder (at start).
pub(crate) fn remove_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(UPLOAD_PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The name of an upload's temporary file starts with this.
const UPLOAD_PREFIX: &str = ".upload-";

impl Store {
    /// Starts an upload of at most `limit` bytes.
    pub async fn begin_upload(&self, limit: usize) -> Result<PendingUpload> {
        let path = self.files.join(format!("{UPLOAD_PREFIX}{}", new_id()));
        let file = tokio::fs::File::create(&path).await?;
        Ok(PendingUpload { file: Some(file), path, hasher: Sha256::new(), size: 0, limit, head: Vec::new() })
    }

    /// Stores a finished upload for `account_id`, for its draft `order_id` when given (else it
    /// is bound to the order that first submits it). The type is taken from the bytes, never
    /// from the name; the file is named by its SHA-256, so the same file twice is stored once.
    pub async fn finish_upload(
        &self,
        mut upload: PendingUpload,
        account_id: &str,
        order_id: Option<&str>,
        kind: beian_rules::DocumentKind,
        original_name: &str,
    ) -> Result<DocumentRecord> {
        if upload.size == 0 {
            return Err(Refusal::DocumentEmpty.into());
        }
        let media_type = infer::get(&upload.head).map(|t| t.mime_type()).unwrap_or("application/octet-stream");
        if !ACCEPTED_MEDIA_TYPES.contains(&media_type) {
            return Err(Refusal::DocumentTypeNotAccepted.into());
        }
        if let Some(order_id) = order_id {
            let draft: Option<String> = sqlx::query_scalar("SELECT id FROM orders WHERE id = $1 AND account_id = $2 AND status = 'draft'")
                .bind(order_id)
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
            if draft.is_none() {
                return Err(Refusal::UploadOrderNotDraft.into());
            }
        }
        let sha256 = format!("{:x}", std::mem::take(&mut upload.hasher).finalize());
        if let Some(mut file) = upload.file.take() {
            use tokio::io::AsyncWriteExt;
            file.flush().await?;
        }
        let (folder, tmp, name) = (self.files.clone(), upload.path.clone(), sha256.clone());
        let stored = tokio::task::spawn_blocking(move || store_durably(&folder, &tmp, &name)).await.map_err(|e| std::io::Error::other(e.to_string()))?;
        if stored.is_err() {
            let _ = std::fs::remove_file(&upload.path);
        }
        stored?;
        let record = DocumentRecord {
            id: new_id(),
            account_id: account_id.to_owned(),
            order_id: order_id.map(str::to_owned),
            kind,
            media_type: media_type.to_owned(),
            size_bytes: i64::try_from(upload.size).unwrap_or(i64::MAX),
            sha256,
            original_name: original_name.chars().take(200).collect(),
        };
        sqlx::query(
            "INSERT INTO documents (id, account_id, order_id, kind, media_type, size_bytes, sha256, original_name, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&record.id)
        .bind(account_id)
        .bind(order_id)
        .bind(enum_str(&kind))
        .bind(&record.media_type)
        .bind(record.size_bytes)
        .bind(&record.sha256)
        .bind(&record.original_name)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(record)
    }

    /// A document's record without its bytes: its owner, or any reviewer.
    pub async fn document_record(&self, account: &Account, id: &str) -> Result<DocumentRecord> {
        let row = sqlx::query("SELECT id, account_id, order_id, kind, media_type, size_bytes, sha256, original_name FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Refusal::DocumentNotFound)?;
        record_of(&row, account, id)
    }

    /// Reads a document back: its owner, or any reviewer.
    pub async fn document(&self, account: &Account, id: &str) -> Result<(DocumentRecord, Vec<u8>)> {
        let row = sqlx::query("SELECT id, account_id, order_id, kind, media_type, size_bytes, sha256, original_name FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Refusal::DocumentNotFound)?;
        let record = record_of(&row, account, id)?;
        let bytes = tokio::fs::read(self.files.join(&record.sha256)).await?;
        if record.account_id != account.id {
            // A reviewer opening an applicant's document is written down.
            let mut conn = self.pool.acquire().await?;
            audit::record(&mut conn, record.order_id.as_deref(), &account.id, "document.read_by_reviewer", None, None).await?;
        }
        Ok((record, bytes))
    }
}

/// A document's row for `account`: its owner, or any reviewer; anyone else's answers like a
/// missing one.
fn record_of(row: &sqlx::any::AnyRow, account: &Account, id: &str) -> Result<DocumentRecord> {
    let owner: String = row.try_get("account_id")?;
    if owner != account.id && account.role != Role::Reviewer {
        return Err(Refusal::DocumentNotFound.into());
    }
    Ok(DocumentRecord {
        kind: decode_enum("document kind", id, &row.try_get::<String, _>("kind")?)?,
        id: row.try_get("id")?,
        order_id: row.try_get("order_id")?,
        account_id: owner,
        media_type: row.try_get("media_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        original_name: row.try_get("original_name")?,
    })
}

/// What is wrong with the documents an application names, for a submission of `order_id` by
/// `account_id`: one that this account never uploaded (or that does not exist) answers like
/// a missing one; one bound to another order, or uploaded as another kind, is named so.
pub(crate) async fn check_bound(conn: &mut AnyConnection, account_id: &str, order_id: &str, named: &[UploadedDocument]) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for doc in named {
        let row = sqlx::query("SELECT account_id, order_id, kind FROM documents WHERE id = $1").bind(&doc.id).fetch_optional(&mut *conn).await?;
        let code = match row {
            None => Some(Code::DocumentNotUploaded),
            Some(row) => {
                let owner: String = row.try_get("account_id")?;
                let bound: Option<String> = row.try_get("order_id")?;
                let kind: Option<DocumentKind> = beian_rules::wire::parse(&row.try_get::<String, _>("kind")?);
                if owner != account_id {
                    Some(Code::DocumentNotUploaded)
                } else if bound.is_some_and(|o| o != order_id) {
                    Some(Code::DocumentOtherOrder)
                } else if kind != Some(doc.kind) {
                    Some(Code::DocumentWrongKind)
                } else {
                    None
                }
            }
        };
        if let Some(code) = code {
            out.push(Finding::error(code).with("document", enum_str(&doc.kind)).at("documents"));
        }
    }
    Ok(out)
}

/// Binds the named documents to `order_id` (they were checked by [`check_bound`] in the same
/// transaction).
pub(crate) async fn bind(conn: &mut AnyConnection, order_id: &str, named: &[UploadedDocument]) -> Result<()> {
    for doc in named {
        sqlx::query("UPDATE documents SET order_id = $1 WHERE id = $2 AND (order_id IS NULL OR order_id = $1)")
            .bind(order_id)
            .bind(&doc.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
