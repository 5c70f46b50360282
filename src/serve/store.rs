//! The service's database: SQLite in the data folder by default, PostgreSQL for platforms
//! that run several instances. Both run the same schema through sqlx's `Any` driver: only
//! portable SQL (TEXT and BIGINT columns, `$n` parameters, which SQLite also accepts), and
//! numbered migrations recorded in `handprint_schema`.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::path::Path;
use thiserror::Error;

/// The migrations, in order. Never edit one that has shipped: add the next.
const MIGRATIONS: &[(i64, &[&str])] = &[
    (
        1,
        &[
            "CREATE TABLE trainers (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL)",
            // role: admin | auditor | trainer | enrol (one-time: `used` is set when consumed).
            // Only the SHA-256 of a token is stored, so a leaked database grants nothing.
            "CREATE TABLE tokens (hash TEXT PRIMARY KEY, role TEXT NOT NULL, trainer TEXT, \
         created TEXT NOT NULL, used TEXT)",
            "CREATE TABLE trainer_keys (fingerprint TEXT PRIMARY KEY, trainer TEXT NOT NULL, \
         public_key TEXT NOT NULL, enrolled TEXT NOT NULL, retired TEXT)",
            "CREATE TABLE challenges (id TEXT PRIMARY KEY, trainer TEXT NOT NULL, task TEXT NOT NULL, \
         prompt TEXT NOT NULL, body TEXT NOT NULL, issued TEXT NOT NULL, deadline TEXT NOT NULL)",
            "CREATE TABLE receipts (session TEXT NOT NULL, n BIGINT NOT NULL, challenge TEXT NOT NULL, \
         trainer TEXT NOT NULL, head TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL, \
         PRIMARY KEY (session, n))",
            "CREATE INDEX receipts_by_challenge ON receipts (challenge)",
            // One stored submission per bundle (idempotence) and per challenge (once).
            "CREATE TABLE submissions (digest TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, \
         trainer TEXT NOT NULL, challenge TEXT NOT NULL UNIQUE, received TEXT NOT NULL, \
         valid BIGINT NOT NULL, headline TEXT NOT NULL, report TEXT NOT NULL, \
         bundle TEXT NOT NULL, text TEXT NOT NULL)",
        ],
    ),
    (
        2,
        &[
            // The auditor's name on a token, for the review decisions' audit log.
            "ALTER TABLE tokens ADD COLUMN name TEXT",
            // The review queue: one row per submission with what the queue shows, filters and
            // sorts by, taken from the stored report once (review::queue::index), so a page of
            // 100,000 submissions is an indexed query, not a parse of every report.
            // Severity: 0 none, 1 info … 4 strong; flags: ",id,id,"; shares in per mille.
            "CREATE TABLE review_queue (submission TEXT PRIMARY KEY, task TEXT NOT NULL, \
             trainer TEXT NOT NULL, trainer_name TEXT NOT NULL, received TEXT NOT NULL, \
             valid BIGINT NOT NULL, pinned BIGINT NOT NULL, witnessed BIGINT NOT NULL, \
             severity BIGINT NOT NULL, flags TEXT NOT NULL, text_chars BIGINT NOT NULL, \
             typed_pm BIGINT NOT NULL, pasted_pm BIGINT NOT NULL, decision TEXT NOT NULL)",
            "CREATE INDEX review_by_received ON review_queue (received, submission)",
            "CREATE INDEX review_by_task ON review_queue (task, received)",
            "CREATE INDEX review_by_trainer ON review_queue (trainer, received)",
            "CREATE INDEX review_by_trainer_name ON review_queue (trainer_name, received)",
            "CREATE INDEX review_by_severity ON review_queue (severity, received, submission)",
            "CREATE INDEX review_by_decision ON review_queue (decision, received)",
            // Every decision ever recorded (the audit log); the queue row holds the latest.
            "CREATE TABLE review_decisions (id TEXT PRIMARY KEY, submission TEXT NOT NULL, \
             decision TEXT NOT NULL, note TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL)",
            "CREATE INDEX decisions_by_submission ON review_decisions (submission, at)",
            "CREATE INDEX decisions_by_time ON review_decisions (at)",
            // Browser sessions of auditors: only the SHA-256 of the cookie is stored.
            "CREATE TABLE review_sessions (hash TEXT PRIMARY KEY, who TEXT NOT NULL, \
             role TEXT NOT NULL, csrf TEXT NOT NULL, created TEXT NOT NULL, expires TEXT NOT NULL)",
        ],
    ),
];

/// Why the database cannot be used.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("cannot create the data folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error(
        "the database is at schema version {0}, newer than this handprint understands; update handprint"
    )]
    TooNew(i64),
}

/// The advisory lock key that serialises migrations on PostgreSQL ("hand" in ASCII).
const MIGRATION_LOCK: i64 = 0x6861_6E64;

/// The connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
}

impl Store {
    /// Opens `database` (a `postgres://` URL) or, when `None`, `handprint.sqlite` in
    /// `data_dir`, and brings the schema up to date.
    pub async fn open(data_dir: &Path, database: Option<&str>) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, sqlite) = match database {
            Some(url) => (url.to_owned(), url.starts_with("sqlite:")),
            None => {
                std::fs::create_dir_all(data_dir)
                    .map_err(|e| StoreError::Folder(data_dir.display().to_string(), e))?;
                (format!("sqlite://{}?mode=rwc", data_dir.join("handprint.sqlite").display()), true)
            }
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL lets readers run beside the writer; FULL sync makes every
                        // committed submission survive a crash or kill -9 of the service.
                        sqlx::query("PRAGMA journal_mode=WAL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA synchronous=FULL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA busy_timeout=10000").execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let store = Store { pool };
        store.migrate(!sqlite).await?;
        Ok(store)
    }

    /// Brings the schema up to date on one connection. On PostgreSQL several instances may
    /// start at once against one database: an advisory lock lets the first migrate while the
    /// others wait, then find nothing left to do (without it, two would both see version 0
    /// and the slower one would fail to start on "relation already exists").
    async fn migrate(&self, postgres: bool) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        if postgres {
            // pg_advisory_lock returns `void`, which the Any driver cannot decode: select a
            // constant over it instead.
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_lock($1)) AS locked")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        let result = Self::migrate_on(&mut conn).await;
        if postgres {
            // Also released when the connection closes; unlock so the pooled one is clean.
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await;
            if let Err(e) = unlocked {
                conn.close_on_drop();
                tracing::warn!("could not release the migration lock, closing its connection: {e}");
            }
        }
        result
    }

    async fn migrate_on(conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
        use sqlx::Connection;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS handprint_schema (version BIGINT PRIMARY KEY, applied TEXT NOT NULL)",
        )
        .execute(&mut *conn)
        .await?;
        let current: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM handprint_schema")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let latest = MIGRATIONS.last().map_or(0, |m| m.0);
        if current > latest {
            return Err(StoreError::TooNew(current));
        }
        for (version, statements) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            let mut tx = conn.begin().await?;
            for sql in *statements {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO handprint_schema (version, applied) VALUES ($1, $2)")
                .bind(*version)
                .bind(crate::event::wall_now())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// The pool, for the service's queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection (so a SQLite WAL is checkpointed on a clean stop).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A text column, or an empty string if NULL.
pub(super) fn text(row: &AnyRow, col: &str) -> String {
    row.try_get::<Option<String>, _>(col).ok().flatten().unwrap_or_default()
}

/// An optional text column.
pub(super) fn opt_text(row: &AnyRow, col: &str) -> Option<String> {
    row.try_get::<Option<String>, _>(col).ok().flatten()
}

/// Whether a database error is a unique-constraint violation (a concurrent duplicate).
pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation() || d.message().to_ascii_lowercase().contains("unique")
        }
        _ => false,
    }
}
