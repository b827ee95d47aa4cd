//! Uploaded documents: the type taken from the bytes (never from the name), files named by
//! their SHA-256 (the same file twice is stored once), read back by the owner or a reviewer.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::accounts::{Account, Role};
use crate::error::{Refusal, Result, decode_enum};
use crate::{Store, new_id, now};
use beian_rules::wire::name as enum_str;

/// An uploaded document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub account_id: String,
    pub kind: beian_rules::DocumentKind,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub original_name: String,
}

/// Media types accepted for uploads, recognised from the file's bytes (facts §3.4: jpg, png,
/// gif; PDF for signed forms).
pub const ACCEPTED_MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "application/pdf"];

impl Store {
    /// Stores an uploaded document of at most `limit` bytes.
    pub async fn store_document(
        &self,
        account_id: &str,
        kind: beian_rules::DocumentKind,
        original_name: &str,
        bytes: &[u8],
        limit: usize,
    ) -> Result<DocumentRecord> {
        if bytes.is_empty() {
            return Err(Refusal::DocumentEmpty.into());
        }
        if bytes.len() > limit {
            return Err(Refusal::DocumentTooLarge.into());
        }
        let media_type = infer::get(bytes).map(|t| t.mime_type()).unwrap_or("application/octet-stream");
        if !ACCEPTED_MEDIA_TYPES.contains(&media_type) {
            return Err(Refusal::DocumentTypeNotAccepted.into());
        }
        let sha256 = format!("{:x}", Sha256::digest(bytes));
        let path = self.files.join(&sha256);
        if !path.exists() {
            let tmp = self.files.join(format!("{sha256}.{}.tmp", new_id()));
            tokio::fs::write(&tmp, bytes).await?;
            tokio::fs::rename(&tmp, &path).await?;
        }
        let record = DocumentRecord {
            id: new_id(),
            account_id: account_id.to_owned(),
            kind,
            media_type: media_type.to_owned(),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256,
            original_name: original_name.chars().take(200).collect(),
        };
        sqlx::query(
            "INSERT INTO documents (id, account_id, order_id, kind, media_type, size_bytes, sha256, original_name, uploaded_at)
             VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&record.id)
        .bind(account_id)
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

    /// Reads a document back: its owner, or any reviewer.
    pub async fn document(&self, account: &Account, id: &str) -> Result<(DocumentRecord, Vec<u8>)> {
        let row = sqlx::query("SELECT id, account_id, kind, media_type, size_bytes, sha256, original_name FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Refusal::DocumentNotFound)?;
        let owner: String = row.try_get("account_id")?;
        if owner != account.id && account.role != Role::Reviewer {
            return Err(Refusal::DocumentNotFound.into());
        }
        let record = DocumentRecord {
            kind: decode_enum("document kind", id, &row.try_get::<String, _>("kind")?)?,
            id: row.try_get("id")?,
            account_id: owner,
            media_type: row.try_get("media_type")?,
            size_bytes: row.try_get("size_bytes")?,
            sha256: row.try_get("sha256")?,
            original_name: row.try_get("original_name")?,
        };
        let bytes = tokio::fs::read(self.files.join(&record.sha256)).await?;
        Ok((record, bytes))
    }
}
