//! The service's domain: accounts and tokens, enrolment, challenges, witness receipts and
//! submissions, over the [`Store`]. Every function takes the caller's [`Role`] and refuses
//! what that role may not do: trainers act only for themselves.

use super::error::ApiError;
use super::random::random_hex;
use super::store::{Store, is_unique_violation, opt_text, text};
use super::submission::{self, EnrolledKey};
use crate::attest::{PublicKey, SigningKey};
use crate::event::wall_now;
use crate::platform::protocol::{
    Challenge, ChallengeOffer, CreateChallenge, CreateTrainer, EnrolRequest, Enrolled,
    PROTOCOL_VERSION, Receipt, ServiceInfo, StoredSubmission, SubmitReceipt, SubmitRequest,
    TrainerCreated, UnsignedChallenge, WitnessRequest, sign_challenge,
};
use base64::Engine;
use sqlx::Row;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The platform's administrators: trainers, enrolment tokens, challenges.
    Admin,
    /// Auditors: read submissions and their reports.
    Auditor,
    /// One trainer, acting for themselves only.
    Trainer(String),
}

impl Role {
    fn name(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Auditor => "auditor",
            Role::Trainer(_) => "trainer",
        }
    }
}

/// The platform service: its database and its signing key.
#[derive(Debug, Clone)]
pub struct Service {
    store: Store,
    key: SigningKey,
}

fn token_hash(token: &str) -> String {
    crate::sha256_hex(token.as_bytes())
}

fn admin_only(role: &Role) -> Result<(), ApiError> {
    match role {
        Role::Admin => Ok(()),
        other => Err(ApiError::forbidden(
            "forbidden",
            format!("this needs an admin token, not a {} token", other.name()),
        )),
    }
}

fn trainer_only(role: &Role) -> Result<&str, ApiError> {
    match role {
        Role::Trainer(t) => Ok(t),
        other => Err(ApiError::forbidden(
            "forbidden",
            format!("this needs a trainer token, not a {} token", other.name()),
        )),
    }
}

impl Service {
    pub fn new(store: Store, key: SigningKey) -> Service {
        Service { store, key }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The service's public key.
    pub fn info_key(&self) -> PublicKey {
        self.key.public()
    }

    /// What `/.well-known/handprint` publishes.
    pub fn info(&self) -> ServiceInfo {
        ServiceInfo {
            service: "handprint".into(),
            protocol: PROTOCOL_VERSION,
            public_key: self.key.public().to_base64(),
            fingerprint: self.key.fingerprint(),
        }
    }

    /// Creates an admin or auditor token (the `serve admin token` command), with the name
    /// of who holds it. The token is shown once; only its hash is stored.
    pub async fn create_token(&self, role: &str, name: Option<&str>) -> Result<String, ApiError> {
        if !matches!(role, "admin" | "auditor") {
            return Err(ApiError::bad_request("bad_role", "role must be admin or auditor"));
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if name.is_some_and(|n| n.len() > 200) {
            return Err(ApiError::bad_request("bad_name", "name must be at most 200 characters"));
        }
        let token = format!("hp_{role}_{}", random_hex(32)?);
        sqlx::query(
            "INSERT INTO tokens (hash, role, trainer, created, name) VALUES ($1, $2, NULL, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(role)
        .bind(wall_now())
        .bind(name.map(str::to_owned))
        .execute(self.store.pool())
        .await?;
        Ok(token)
    }

    /// The role a bearer token grants (enrolment tokens grant nothing but enrolment).
    pub async fn authenticate(&self, token: &str) -> Result<Role, ApiError> {
        let row = sqlx::query("SELECT role, trainer FROM tokens WHERE hash = $1")
            .bind(token_hash(token))
            .fetch_optional(self.store.pool())
            .await?;
        let Some(row) = row else {
            return Err(ApiError::unauthorized("unknown token; ask the platform for a valid one"));
        };
        match (text(&row, "role").as_str(), opt_text(&row, "trainer")) {
            ("admin", _) => Ok(Role::Admin),
            ("auditor", _) => Ok(Role::Auditor),
            ("trainer", Some(t)) => Ok(Role::Trainer(t)),
            _ => Err(ApiError::unauthorized("this token only enrols a key (POST /v1/enrol)")),
        }
    }

    /// Creates a trainer account and its one-time enrolment token.
    pub async fn create_trainer(
        &self,
        role: &Role,
        req: &CreateTrainer,
    ) -> Result<TrainerCreated, ApiError> {
        admin_only(role)?;
        let name = req.name.trim();
        if name.is_empty() || name.len() > 200 {
            return Err(ApiError::bad_request("bad_name", "name must be 1 to 200 characters"));
        }
        let trainer = format!("tr_{}", random_hex(8)?);
        let enrol_token = format!("hp_enrol_{}", random_hex(32)?);
        let mut tx = self.store.pool().begin().await?;
        sqlx::query("INSERT INTO trainers (id, name, created) VALUES ($1, $2, $3)")
            .bind(&trainer)
            .bind(name)
            .bind(wall_now())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO tokens (hash, role, trainer, created) VALUES ($1, 'enrol', $2, $3)",
        )
        .bind(token_hash(&enrol_token))
        .bind(&trainer)
        .bind(wall_now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(trainer, "trainer created");
        Ok(TrainerCreated { trainer, enrol_token })
    }

    /// Enrols a key: with a one-time enrolment token (consumed), or with the trainer's API
    /// token (rotation: earlier keys stay valid for challenges issued before now).
    pub async fn enrol(&self, token: &str, req: &EnrolRequest) -> Result<Enrolled, ApiError> {
        let key = req.verified_key().map_err(|why| ApiError::bad_request("bad_proof", why))?;
        let row = sqlx::query("SELECT role, trainer, used FROM tokens WHERE hash = $1")
            .bind(token_hash(token))
            .fetch_optional(self.store.pool())
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized("unknown enrolment token; ask the platform for a new one")
            })?;
        let trainer = opt_text(&row, "trainer").unwrap_or_default();
        let now = wall_now();
        let mut tx = self.store.pool().begin().await?;
        match text(&row, "role").as_str() {
            "enrol" => {
                let used =
                    sqlx::query("UPDATE tokens SET used = $1 WHERE hash = $2 AND used IS NULL")
                        .bind(&now)
                        .bind(token_hash(token))
                        .execute(&mut *tx)
                        .await?;
                if used.rows_affected() != 1 {
                    return Err(ApiError::unauthorized(
                        "this enrolment token was already used; ask the platform for a new one",
                    ));
                }
            }
            "trainer" => {
                sqlx::query("UPDATE trainer_keys SET retired = $1 WHERE trainer = $2 AND retired IS NULL AND fingerprint <> $3")
                    .bind(&now)
                    .bind(&trainer)
                    .bind(key.fingerprint())
                    .execute(&mut *tx)
                    .await?;
            }
            _ => {
                return Err(ApiError::forbidden(
                    "forbidden",
                    "admin and auditor tokens cannot enrol keys",
                ));
            }
        }
        let existing = sqlx::query("SELECT trainer FROM trainer_keys WHERE fingerprint = $1")
            .bind(key.fingerprint())
            .fetch_optional(&mut *tx)
            .await?;
        match existing.map(|r| text(&r, "trainer")) {
            Some(owner) if owner != trainer => {
                return Err(ApiError::conflict(
                    "key_taken",
                    "this key is enrolled for another trainer; each trainer enrols their own key",
                ));
            }
            Some(_) => {}
            None => {
                sqlx::query("INSERT INTO trainer_keys (fingerprint, trainer, public_key, enrolled, retired) VALUES ($1, $2, $3, $4, NULL)")
                    .bind(key.fingerprint())
                    .bind(&trainer)
                    .bind(key.to_base64())
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let api_token = format!("hp_trainer_{}", random_hex(32)?);
        sqlx::query(
            "INSERT INTO tokens (hash, role, trainer, created) VALUES ($1, 'trainer', $2, $3)",
        )
        .bind(token_hash(&api_token))
        .bind(&trainer)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(trainer, key = %key.fingerprint(), "key enrolled");
        Ok(Enrolled {
            trainer,
            fingerprint: key.fingerprint(),
            api_token,
            service_fingerprint: self.key.fingerprint(),
        })
    }

    /// Issues a signed challenge for one trainer and task.
    pub async fn create_challenge(
        &self,
        role: &Role,
        req: &CreateChallenge,
    ) -> Result<ChallengeOffer, ApiError> {
        admin_only(role)?;
        let deadline = chrono::DateTime::parse_from_rfc3339(&req.deadline)
            .map_err(|_| {
                ApiError::bad_request(
                    "bad_deadline",
                    "deadline must be an RFC 3339 time, e.g. 2026-05-01T17:00:00Z",
                )
            })?
            .with_timezone(&chrono::Utc);
        if deadline <= chrono::Utc::now() {
            return Err(ApiError::bad_request("bad_deadline", "the deadline is already past"));
        }
        if req.task.trim().is_empty() || req.task.len() > 200 {
            return Err(ApiError::bad_request("bad_task", "task must be 1 to 200 characters"));
        }
        let known = sqlx::query("SELECT id FROM trainers WHERE id = $1")
            .bind(&req.trainer)
            .fetch_optional(self.store.pool())
            .await?;
        if known.is_none() {
            return Err(ApiError::not_found(
                "unknown_trainer",
                format!("no trainer {}", req.trainer),
            ));
        }
        let challenge = sign_challenge(
            &self.key,
            UnsignedChallenge {
                id: random_hex(16)?,
                task: req.task.clone(),
                prompt_sha256: crate::sha256_hex(req.prompt.as_bytes()),
                trainer: req.trainer.clone(),
                nonce: random_hex(32)?,
                issued: wall_now(),
                deadline: deadline.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            },
        );
        let body = serde_json::to_string(&challenge).map_err(ApiError::internal)?;
        sqlx::query("INSERT INTO challenges (id, trainer, task, prompt, body, issued, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&challenge.id)
            .bind(&challenge.trainer)
            .bind(&challenge.task)
            .bind(&req.prompt)
            .bind(body)
            .bind(&challenge.issued)
            .bind(&challenge.deadline)
            .execute(self.store.pool())
            .await?;
        tracing::info!(challenge = %challenge.id, trainer = %challenge.trainer, task = %challenge.task, "challenge issued");
        Ok(ChallengeOffer { challenge, prompt: req.prompt.clone() })
    }

    /// A challenge with its prompt: the trainer it was issued to, admins and auditors.
    pub async fn challenge(&self, role: &Role, id: &str) -> Result<ChallengeOffer, ApiError> {
        let offer = self.load_challenge(id).await?;
        if let Role::Trainer(t) = role
            && *t != offer.challenge.trainer
        {
            // Ids are 128 random bits: saying that it exists reveals nothing usable.
            return Err(ApiError::forbidden(
                "not_your_challenge",
                format!(
                    "challenge {id} was issued to another trainer; you can only answer your own"
                ),
            ));
        }
        Ok(offer)
    }

    async fn load_challenge(&self, id: &str) -> Result<ChallengeOffer, ApiError> {
        let row = sqlx::query("SELECT body, prompt FROM challenges WHERE id = $1")
            .bind(id)
            .fetch_optional(self.store.pool())
            .await?
            .ok_or_else(|| {
                ApiError::not_found("unknown_challenge", format!("no challenge {id}"))
            })?;
        let challenge: Challenge =
            serde_json::from_str(&text(&row, "body")).map_err(ApiError::internal)?;
        Ok(ChallengeOffer { challenge, prompt: text(&row, "prompt") })
    }

    /// Signs a receipt over a session's chain head, keeping a copy. Idempotent per
    /// (session, n): the same head gets the stored receipt back.
    pub async fn witness(&self, role: &Role, req: &WitnessRequest) -> Result<Receipt, ApiError> {
        let trainer = trainer_only(role)?;
        let hex_of = |s: &str, len| {
            s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        };
        if !hex_of(&req.head, 64) || !hex_of(&req.session, 32) || req.n == 0 {
            return Err(ApiError::bad_request(
                "bad_witness",
                "head must be 64 lowercase hex digits, session 32, and n at least 1",
            ));
        }
        let offer = self.challenge(role, &req.challenge).await?;
        let c = &offer.challenge;
        let now = wall_now();
        if crate::verify::parse_us(&now) > crate::verify::parse_us(&c.deadline) {
            return Err(ApiError::conflict(
                "deadline_passed",
                format!("the deadline of challenge {} has passed", c.id),
            ));
        }
        // A challenge takes one submission; once it is in, no later writing can be witnessed
        // for it (a receipt dated after the submission would only blur what was submitted).
        let submitted = sqlx::query("SELECT id FROM submissions WHERE challenge = $1 LIMIT 1")
            .bind(&c.id)
            .fetch_optional(self.store.pool())
            .await?;
        if let Some(row) = submitted {
            return Err(ApiError::conflict(
                "already_submitted",
                format!(
                    "challenge {} was already answered by submission {}; the platform witnesses no more writing for it",
                    c.id,
                    text(&row, "id")
                ),
            ));
        }
        let other =
            sqlx::query("SELECT challenge, trainer FROM receipts WHERE session = $1 LIMIT 1")
                .bind(&req.session)
                .fetch_optional(self.store.pool())
                .await?;
        if let Some(row) = other
            && (text(&row, "challenge") != c.id || text(&row, "trainer") != trainer)
        {
            return Err(ApiError::conflict(
                "session_taken",
                "this session id is already witnessed for another challenge",
            ));
        }
        let receipt = Receipt::sign(&self.key, &req.session, req.n, &req.head, &now);
        let body = serde_json::to_string(&receipt).map_err(ApiError::internal)?;
        let inserted = sqlx::query("INSERT INTO receipts (session, n, challenge, trainer, head, at, body) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&req.session)
            .bind(req.n as i64)
            .bind(&c.id)
            .bind(trainer)
            .bind(&req.head)
            .bind(&now)
            .bind(body)
            .execute(self.store.pool())
            .await;
        match inserted {
            Ok(_) => Ok(receipt),
            Err(e) if is_unique_violation(&e) => {
                let row =
                    sqlx::query("SELECT head, body FROM receipts WHERE session = $1 AND n = $2")
                        .bind(&req.session)
                        .bind(req.n as i64)
                        .fetch_one(self.store.pool())
                        .await?;
                if text(&row, "head") != req.head {
                    return Err(ApiError::conflict(
                        "head_conflict",
                        format!(
                            "a different head was already witnessed for line {} of this session",
                            req.n
                        ),
                    ));
                }
                serde_json::from_str(&text(&row, "body")).map_err(ApiError::internal)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Receives a submission: refuses it if it is not bound to the caller, the challenge and
    /// the deadline, verifies it with the core, and stores it with the service's report.
    pub async fn submit(
        &self,
        role: &Role,
        req: &SubmitRequest,
    ) -> Result<SubmitReceipt, ApiError> {
        let trainer = trainer_only(role)?.to_owned();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(req.bundle.as_bytes())
            .map_err(|_| {
                ApiError::bad_request("bad_bundle", "bundle must be the .handprint file in base64")
            })?;
        let digest = crate::sha256_hex(&bytes);
        if let Some(done) = self.stored_by_digest(&digest).await?
            && done.trainer == trainer
            && done.challenge == req.challenge
        {
            return Ok(SubmitReceipt {
                id: done.id,
                digest,
                valid: done.valid,
                headline: done.headline,
                duplicate: true,
            });
        }
        let offer = self.challenge(role, &req.challenge).await?;
        let claimed = submission::read_claims(&bytes)?;
        let keys = self.keys_of(&trainer).await?;
        let now = wall_now();
        let trainer_key = submission::check_binding(&claimed, &offer.challenge, &keys, &now)?;
        let stored = self.receipts_of(&claimed.session, &offer.challenge.id).await?;
        let service_key = self.key.public();
        let text_ = req.text.clone();
        let challenge = offer.challenge.clone();
        let judgement = {
            let bytes = bytes.clone();
            // Verification and analysis are CPU work: off the async workers.
            tokio::task::spawn_blocking(move || {
                submission::judge(&bytes, &text_, &challenge, trainer_key, service_key, &stored)
            })
            .await
            .map_err(ApiError::internal)?
        };
        if !judgement.valid {
            tracing::info!(trainer, challenge = %req.challenge, headline = %judgement.headline, "submission refused: invalid record");
            return Err(ApiError::unprocessable("invalid_record", judgement.headline));
        }
        let id = format!("sub_{}", random_hex(12)?);
        let inserted = sqlx::query("INSERT INTO submissions (digest, id, trainer, challenge, received, valid, headline, report, bundle, text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(&digest)
            .bind(&id)
            .bind(&trainer)
            .bind(&req.challenge)
            .bind(&now)
            .bind(i64::from(judgement.valid))
            .bind(&judgement.headline)
            .bind(judgement.report.to_string())
            .bind(&req.bundle)
            .bind(&req.text)
            .execute(self.store.pool())
            .await;
        match inserted {
            Ok(_) => {
                tracing::info!(trainer, id, digest, "submission stored");
                // The queue row is derived data: if it fails, the next start adds it.
                if let Err(e) = super::review::queue::index(self.store.pool(), &id).await {
                    tracing::warn!(id, "review queue: cannot index the submission: {e}");
                }
                Ok(SubmitReceipt {
                    id,
                    digest,
                    valid: judgement.valid,
                    headline: judgement.headline,
                    duplicate: false,
                })
            }
            Err(e) if is_unique_violation(&e) => match self.stored_by_digest(&digest).await? {
                // A concurrent retry of the same bundle won the race.
                Some(done) if done.trainer == trainer && done.challenge == req.challenge => {
                    Ok(SubmitReceipt {
                        id: done.id,
                        digest,
                        valid: done.valid,
                        headline: done.headline,
                        duplicate: true,
                    })
                }
                _ => Err(ApiError::conflict(
                    "already_submitted",
                    format!(
                        "a record was already submitted for challenge {}; each challenge takes one",
                        req.challenge
                    ),
                )),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// A stored submission with its report: auditors and admins, or the trainer who sent it.
    pub async fn submission(&self, role: &Role, id: &str) -> Result<StoredSubmission, ApiError> {
        let row = sqlx::query("SELECT digest, id, trainer, challenge, received, valid, report FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_optional(self.store.pool())
            .await?
            .ok_or_else(|| ApiError::not_found("unknown_submission", format!("no submission {id}")))?;
        let owner = text(&row, "trainer");
        if let Role::Trainer(t) = role
            && *t != owner
        {
            return Err(ApiError::not_found(
                "unknown_submission",
                format!("no submission {id} of yours"),
            ));
        }
        Ok(StoredSubmission {
            id: text(&row, "id"),
            digest: text(&row, "digest"),
            trainer: owner,
            challenge: text(&row, "challenge"),
            received: text(&row, "received"),
            valid: row.try_get::<i64, _>("valid").unwrap_or(0) != 0,
            report: serde_json::from_str(&text(&row, "report")).unwrap_or_default(),
        })
    }

    /// How many submissions are stored (for the admin CLI and the load test).
    pub async fn submission_count(&self) -> Result<i64, ApiError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM submissions")
            .fetch_one(self.store.pool())
            .await?
            .try_get(0)?)
    }

    async fn stored_by_digest(&self, digest: &str) -> Result<Option<Stored>, ApiError> {
        let row = sqlx::query(
            "SELECT id, trainer, challenge, valid, headline FROM submissions WHERE digest = $1",
        )
        .bind(digest)
        .fetch_optional(self.store.pool())
        .await?;
        Ok(row.map(|r| Stored {
            id: text(&r, "id"),
            trainer: text(&r, "trainer"),
            challenge: text(&r, "challenge"),
            valid: r.try_get::<i64, _>("valid").unwrap_or(0) != 0,
            headline: text(&r, "headline"),
        }))
    }

    pub(crate) async fn keys_of(&self, trainer: &str) -> Result<Vec<EnrolledKey>, ApiError> {
        let rows = sqlx::query("SELECT public_key, retired FROM trainer_keys WHERE trainer = $1")
            .bind(trainer)
            .fetch_all(self.store.pool())
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(EnrolledKey {
                    key: PublicKey::from_base64(&text(r, "public_key"))?,
                    retired: opt_text(r, "retired"),
                })
            })
            .collect())
    }

    pub(crate) async fn receipts_of(
        &self,
        session: &str,
        challenge: &str,
    ) -> Result<Vec<Receipt>, ApiError> {
        let rows = sqlx::query(
            "SELECT body FROM receipts WHERE session = $1 AND challenge = $2 ORDER BY n",
        )
        .bind(session)
        .bind(challenge)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| serde_json::from_str(&text(r, "body")).map_err(ApiError::internal))
            .collect()
    }
}

struct Stored {
    id: String,
    trainer: String,
    challenge: String,
    valid: bool,
    headline: String,
}
