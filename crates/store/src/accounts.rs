//! Accounts (an e-mail address, an argon2 hash, a role) and the filing subject an account
//! holds: one account holds one subject, bound by its certificate number at the first
//! submission.

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::error::{Refusal, Result, decode};
use crate::{Store, auth, new_id, now};

/// Roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Reviewer,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Reviewer => "reviewer",
        }
    }

    fn parse(s: &str) -> Role {
        if s == "reviewer" { Role::Reviewer } else { Role::Applicant }
    }
}

/// An account (one account holds one filing subject).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub role: Role,
}

/// A hash that matches no password, verified when the username is unknown so that the answer
/// takes the same time either way.
const NO_ACCOUNT_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// The length of a password, in characters: at least 10, at most 1024.
pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 1024;

/// A certificate number as compared between filings (spaces and case do not matter).
pub(crate) fn subject_key(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

impl Store {
    /// Registers an applicant. Usernames are e-mail addresses, compared case-insensitively.
    pub async fn register(&self, username: &str, password: &str) -> Result<Account> {
        let username = username.trim().to_lowercase();
        if beian_rules::ids::email::validate(&username).iter().any(|f| f.is_error()) {
            return Err(Refusal::UsernameInvalid.into());
        }
        let length = password.chars().count();
        if length < MIN_PASSWORD {
            return Err(Refusal::PasswordTooShort.into());
        }
        if length > MAX_PASSWORD {
            return Err(Refusal::PasswordTooLong.into());
        }
        let password = password.to_owned();
        let hash = self.hashing(move || auth::hash_password(&password)).await?.map_err(|_| Refusal::PasswordTooLong)?;
        let id = new_id();
        let inserted = sqlx::query(
            "INSERT INTO accounts (id, username, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING",
        )
        .bind(&id)
        .bind(&username)
        .bind(hash)
        .bind(Role::Applicant.as_str())
        .bind(now())
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(Refusal::UsernameTaken.into());
        }
        Ok(Account { id, username, role: Role::Applicant })
    }

    /// Checks a username and password.
    pub async fn login(&self, username: &str, password: &str) -> Result<Account> {
        let username = username.trim().to_lowercase();
        let row = sqlx::query("SELECT id, password_hash, role FROM accounts WHERE username = $1")
            .bind(&username)
            .fetch_optional(&self.pool)
            .await?;
        if password.chars().count() > MAX_PASSWORD {
            // No account has such a password: nothing to hash.
            return Err(Refusal::WrongCredentials.into());
        }
        // Same work and same answer whether or not the account exists.
        let hash: String = match &row {
            Some(row) => row.try_get("password_hash")?,
            None => NO_ACCOUNT_HASH.to_owned(),
        };
        let password = password.to_owned();
        let matches = self.hashing(move || auth::verify_password(&password, &hash)).await?;
        let Some(row) = row.filter(|_| matches) else {
            return Err(Refusal::WrongCredentials.into());
        };
        Ok(Account { id: row.try_get("id")?, username, role: Role::parse(&row.try_get::<String, _>("role")?) })
    }

    /// An account by id (a session's account): `AuthRequired` when it no longer exists.
    pub async fn account(&self, id: &str) -> Result<Account> {
        let row = sqlx::query("SELECT id, username, role FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Refusal::AuthRequired)?;
        Ok(Account {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: Role::parse(&row.try_get::<String, _>("role")?),
        })
    }

    /// The filing subject this account holds, once a filing was submitted.
    pub async fn subject_of(&self, account_id: &str) -> Result<Option<beian_rules::Subject>> {
        let mut conn = self.pool.acquire().await?;
        held_subject(&mut conn, account_id).await
    }
}

/// The subject an account holds, read on `conn` (the pool's, or a transaction's).
pub(crate) async fn held_subject(conn: &mut AnyConnection, account_id: &str) -> Result<Option<beian_rules::Subject>> {
    let data: Option<String> = sqlx::query_scalar("SELECT data FROM subjects WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?;
    data.map(|d| decode("subject", account_id, &d)).transpose()
}

/// One account holds one filing subject: the first submission binds the subject (by its
/// certificate number) to the account; a later submission for another subject is refused.
pub(crate) async fn bind_subject(conn: &mut AnyConnection, account_id: &str, subject: &beian_rules::Subject) -> Result<()> {
    let number = subject_key(&subject.certificate_number);
    match held_subject(conn, account_id).await? {
        Some(held) if subject_key(&held.certificate_number) != number => Err(Refusal::SubjectOfAnotherFiling.into()),
        Some(_) => Ok(()),
        None => {
            let data = serde_json::to_string(subject).map_err(|e| crate::StoreError::Corrupt {
                what: "subject",
                id: account_id.to_owned(),
                detail: e.to_string(),
            })?;
            sqlx::query("INSERT INTO subjects (id, account_id, data, created_at) VALUES ($1, $2, $3, $4)")
                .bind(new_id())
                .bind(account_id)
                .bind(data)
                .bind(now())
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
    }
}
