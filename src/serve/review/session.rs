//! Auditors' browser sessions: a login with an auditor (or admin) token opens a session
//! named by a random cookie (only its SHA-256 is stored, as for tokens), with its own CSRF
//! token that every form posts back. Trainers and enrolment tokens cannot log in.

use crate::serve::error::ApiError;
use crate::serve::random::random_hex;
use crate::serve::service::{Role, Service};
use crate::serve::store::text;
use sqlx::AnyPool;

/// The session cookie's name.
pub const COOKIE: &str = "hp_review";
/// The login form's double-submit CSRF cookie (there is no session yet to bind it to).
pub const LOGIN_COOKIE: &str = "hp_login";
/// How long a session lasts: one working day.
pub const SESSION_HOURS: i64 = 12;

/// A logged-in auditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The name the audit log records.
    pub who: String,
    pub role: Role,
    /// Posted back by every form of the session.
    pub csrf: String,
}

/// Who may review: auditors and admins.
pub fn may_review(role: &Role) -> Result<(), ApiError> {
    match role {
        Role::Auditor | Role::Admin => Ok(()),
        Role::Trainer(_) => Err(ApiError::forbidden(
            "forbidden",
            "the review is for auditors; a trainer token cannot open it",
        )),
    }
}

/// The name of who holds `token`: the name given when it was created, else the role and the
/// start of the token's hash (enough to tell auditors apart in the audit log).
async fn holder(pool: &AnyPool, token: &str, role: &Role) -> Result<String, ApiError> {
    let hash = crate::sha256_hex(token.as_bytes());
    let row = sqlx::query("SELECT name FROM tokens WHERE hash = $1")
        .bind(&hash)
        .fetch_optional(pool)
        .await?;
    let role = match role {
        Role::Admin => "admin",
        _ => "auditor",
    };
    Ok(row
        .and_then(|r| crate::serve::store::opt_text(&r, "name"))
        .unwrap_or_else(|| format!("{role} {}", &hash[..8])))
}

/// The auditor a bearer token names (for the CSV exports called by scripts).
pub async fn of_token(service: &Service, token: &str) -> Result<Session, ApiError> {
    let role = service.authenticate(token).await?;
    may_review(&role)?;
    let who = holder(service.store().pool(), token, &role).await?;
    Ok(Session { who, role, csrf: String::new() })
}

/// Logs in with a token: returns the new session's cookie value and the session.
pub async fn login(service: &Service, token: &str) -> Result<(String, Session), ApiError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 200 {
        return Err(ApiError::unauthorized("enter the auditor token the platform gave you"));
    }
    let mut session = of_token(service, token).await?;
    session.csrf = random_hex(32)?;
    let cookie = random_hex(32)?;
    let now = chrono::Utc::now();
    let expires = now + chrono::Duration::hours(SESSION_HOURS);
    let role = match session.role {
        Role::Admin => "admin",
        _ => "auditor",
    };
    sqlx::query(
        "INSERT INTO review_sessions (hash, who, role, csrf, created, expires) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::sha256_hex(cookie.as_bytes()))
    .bind(&session.who)
    .bind(role)
    .bind(&session.csrf)
    .bind(stamp(now))
    .bind(stamp(expires))
    .execute(service.store().pool())
    .await?;
    tracing::info!(who = session.who, "review login");
    Ok((cookie, session))
}

fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The session a cookie names, if it exists and has not expired.
pub async fn find(pool: &AnyPool, cookie: &str) -> Result<Option<Session>, ApiError> {
    if cookie.len() != 64 {
        return Ok(None);
    }
    let row =
        sqlx::query("SELECT who, role, csrf FROM review_sessions WHERE hash = $1 AND expires > $2")
            .bind(crate::sha256_hex(cookie.as_bytes()))
            .bind(stamp(chrono::Utc::now()))
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|r| Session {
        who: text(&r, "who"),
        role: if text(&r, "role") == "admin" { Role::Admin } else { Role::Auditor },
        csrf: text(&r, "csrf"),
    }))
}

/// Ends a session (and forgets expired ones).
pub async fn logout(pool: &AnyPool, cookie: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM review_sessions WHERE hash = $1 OR expires <= $2")
        .bind(crate::sha256_hex(cookie.as_bytes()))
        .bind(stamp(chrono::Utc::now()))
        .execute(pool)
        .await?;
    Ok(())
}

/// Whether a posted CSRF token is the expected one, compared in constant time (a timing
/// difference must not reveal how much of a guess was right).
pub fn csrf_matches(expected: &str, given: &str) -> bool {
    !expected.is_empty()
        && expected.len() == given.len()
        && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A fresh random token for the login form's double-submit cookie.
pub fn login_token() -> Result<String, ApiError> {
    random_hex(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_must_match_exactly_and_not_be_empty() {
        assert!(csrf_matches("abc", "abc"));
        assert!(!csrf_matches("abc", "abd"));
        assert!(!csrf_matches("abc", "ab"));
        assert!(!csrf_matches("", ""));
    }
}
