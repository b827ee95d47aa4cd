//! Uploaded documents: the type taken from the bytes (never from the name), kept in an object
//! store (a local folder by default, S3-compatible by URL) by their SHA-256 (the same file
//! twice is stored once) and written durably, each bound to its
//! account and to the order it was uploaded for (or first submitted with), read back by the
//! owner or a reviewer.

use std::path::{Path, PathBuf};

use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;

use beian_rules::wire::name as enum_str;
use beian_rules::{Code, DocumentKind, Finding, UploadedDocument};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::accounts::{Account, Role};
use crate::error::{Refusal, Result, StoreError, decode_enum};
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
    /// The spooled file goes, whether it was stored or not.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where documents are kept: an object store (through the `object_store` crate), read and
/// written by the file's SHA-256. By default a local folder under the data folder; any
/// S3-compatible store by URL (`s3://bucket/prefix`, credentials and endpoint from the usual
/// `AWS_*` environment variables); `file:///path` for a folder elsewhere (e.g. shared by
/// several servers).
pub(crate) struct Objects {
    store: Box<dyn ObjectStore>,
    /// The local folder when the store is one: its writes are synced (the crate renames its
    /// temporary file into place but does not sync), and interrupted writes are cleaned up.
    local: Option<PathBuf>,
    /// How the store is named in messages (no credentials).
    pub(crate) described: String,
}

impl Objects {
    /// The store of `url`, or the folder `documents` under `data_dir` without one.
    pub(crate) fn open(data_dir: &Path, url: Option<&str>) -> std::result::Result<Objects, String> {
        let failed = |e: &dyn std::fmt::Display| format!("error: BEIAN_DOCUMENTS_URL {:?}: {e}", url.unwrap_or_default());
        match url {
            None => Objects::folder(&data_dir.join("documents")),
            Some(url) if url.starts_with("file://") => Objects::folder(Path::new(&url["file://".len()..])),
            Some(url) if url.starts_with("s3://") => {
                let parsed = url::Url::parse(url).map_err(|e| failed(&e))?;
                let store = object_store::aws::AmazonS3Builder::from_env().with_url(url).build().map_err(|e| failed(&e))?;
                let prefix = parsed.path().trim_matches('/').to_owned();
                let store: Box<dyn ObjectStore> =
                    if prefix.is_empty() { Box::new(store) } else { Box::new(object_store::prefix::PrefixStore::new(store, prefix.as_str())) };
                Ok(Objects { store, local: None, described: format!("s3://{}/{prefix}", parsed.host_str().unwrap_or_default()) })
            }
            Some(_) => Err(failed(&"use an s3:// or file:// URL (without one, documents are kept under the data folder)")),
        }
    }

    fn folder(folder: &Path) -> std::result::Result<Objects, String> {
        std::fs::create_dir_all(folder).map_err(|e| format!("error: documents folder {}: {e}", folder.display()))?;
        remove_leftovers(folder);
        let store = LocalFileSystem::new_with_prefix(folder).map_err(|e| format!("error: documents folder {}: {e}", folder.display()))?;
        Ok(Objects { store: Box::new(store), local: Some(folder.to_owned()), described: folder.display().to_string() })
    }

    /// Stores the bytes of the spooled file `spooled` under `hash` so that they survive a
    /// crash once this returns. An object already stored under `hash` is kept only if its
    /// bytes still have that hash; a truncated or damaged one is replaced.
    async fn put(&self, hash: &str, spooled: &Path) -> Result<()> {
        let key = ObjectPath::from(hash);
        if let Ok(existing) = self.store.get(&key).await
            && let Ok(bytes) = existing.bytes().await
            && format!("{:x}", Sha256::digest(&bytes)) == hash
        {
            return Ok(());
        }
        let bytes = tokio::fs::read(spooled).await?;
        self.store.put(&key, bytes.into()).await.map_err(objects_failed)?;
        if let Some(folder) = &self.local {
            let (file, folder) = (folder.join(hash), folder.clone());
            tokio::task::spawn_blocking(move || {
                std::fs::File::open(file)?.sync_all()?;
                std::fs::File::open(folder)?.sync_all()
            })
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))??;
        }
        Ok(())
    }

    /// The bytes stored under `hash`.
    async fn get(&self, hash: &str) -> Result<Vec<u8>> {
        let found = self.store.get(&ObjectPath::from(hash)).await.map_err(objects_failed)?;
        Ok(found.bytes().await.map_err(objects_failed)?.to_vec())
    }

    /// True when the store answers (a missing object is an answer).
    pub(crate) async fn reachable(&self) -> bool {
        match self.store.head(&ObjectPath::from(".readiness")).await {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => self.local.as_ref().is_none_or(|f| f.is_dir()),
            Err(_) => false,
        }
    }
}

fn objects_failed(e: object_store::Error) -> StoreError {
    StoreError::Files(std::io::Error::other(e.to_string()))
}

/// Removes what interrupted uploads left: spooled files, and the object store's own
/// temporary files (`<name>#<n>`) in a local folder.
pub(crate) fn remove_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(UPLOAD_PREFIX) || name.contains('#') {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The name of an upload's spooled file starts with this.
const UPLOAD_PREFIX: &str = ".upload-";

impl Store {
    /// Starts an upload of at most `limit` bytes.
    pub async fn begin_upload(&self, limit: usize) -> Result<PendingUpload> {
        let path = self.spool.join(format!("{UPLOAD_PREFIX}{}", new_id()));
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
        // The spooled file is removed when `upload` is dropped, stored or not.
        self.objects.put(&sha256, &upload.path).await?;
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
        let bytes = self.objects.get(&record.sha256).await?;
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
