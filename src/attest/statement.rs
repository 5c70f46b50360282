//! The in-toto Statement v1 (github.com/in-toto/attestation, spec/v1/statement.md) that
//! Handprint signs: which text and journal it is about (subjects) and the facts of the
//! session (predicate). Facts only: every value is recomputed from the journal by a verifier.

use super::normalize::normalized_sha256;
use super::public_key::PublicKey;
use crate::event::Cause;
use crate::journal::Journal;
use crate::replay::Replay;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `_type` of every in-toto Statement v1.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// `predicateType` of a Handprint attestation; the version changes when the predicate does.
pub const PREDICATE_TYPE: &str = "https://handprint.dev/attestation/v1";
/// Subject name of the response text's exact bytes.
pub const SUBJECT_TEXT: &str = "response.txt";
/// Subject name of the response text's normal form (see `normalize`).
pub const SUBJECT_NORMALIZED: &str = "response.normalized.txt";
/// Subject name of the journal's exact bytes.
pub const SUBJECT_JOURNAL: &str = "journal.jsonl";

/// An in-toto Statement v1 carrying a Handprint predicate. Unknown members are refused here
/// and in every part of the predicate: a verifier that skipped them would let unsigned-looking
/// claims ride along under a valid signature, read by other tools as attested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub type_: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    pub predicate: Predicate,
}

/// An in-toto ResourceDescriptor reduced to what Handprint uses: a name and its digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub name: String,
    pub digest: BTreeMap<String, String>,
}

/// The facts of a recorded session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predicate {
    /// The journal's session id.
    pub session: String,
    /// The platform's task id.
    pub task: String,
    /// The platform's nonce, if it gave one.
    pub nonce: Option<String>,
    /// Start wall-clock time, RFC 3339 UTC (from the journal's `start`).
    pub started: String,
    /// Start time plus the monotonic time of the last event, RFC 3339 UTC.
    pub ended: String,
    /// Microseconds of recording, excluding the time between `pause` and `resume`.
    pub active_us: u64,
    /// The recording tool.
    pub tool: Tool,
    /// Capture sources active at the start.
    pub sources: Vec<String>,
    /// Characters inserted and deleted.
    pub counts: Counts,
    /// Number of events (journal lines).
    pub events: u64,
    /// Number of checkpoint events.
    pub checkpoints: u64,
    /// Length of the journal in bytes.
    pub journal_bytes: u64,
    /// The journal's chain head (64 hex digits).
    pub journal_head: String,
    /// Who signed.
    pub signer: Signer,
    /// The analysis summary with its version, as the analysis module produced it. Carried
    /// as opaque data: verification checks the signature over it, never its meaning.
    pub analysis: Option<serde_json::Value>,
}

/// A journal's SHA-256 (hex) and length in bytes: what the statement says about its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalDigest {
    pub sha256: String,
    pub len: u64,
}

/// Name and version of the recording tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// Inserted and deleted characters (Unicode scalar values) over the whole session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub typed: u64,
    pub pasted_external: u64,
    pub pasted_internal: u64,
    pub deleted: u64,
}

/// The signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// OpenSSH fingerprint, `SHA256:…`.
    pub fingerprint: String,
    /// The 32-byte Ed25519 public key, base64.
    pub public_key: String,
}

impl Signer {
    pub fn of(key: &PublicKey) -> Signer {
        Signer { fingerprint: key.fingerprint(), public_key: key.to_base64() }
    }
}

impl Statement {
    /// The statement about a verified, replayed journal. `journal_bytes` are its exact bytes.
    pub fn new(
        journal_bytes: &[u8],
        journal: &Journal,
        replay: &Replay,
        signer: &PublicKey,
        analysis: Option<serde_json::Value>,
    ) -> Statement {
        let digest = JournalDigest {
            sha256: crate::sha256_hex(journal_bytes),
            len: journal_bytes.len() as u64,
        };
        Statement::with_digest(&digest, journal, replay, signer, analysis)
    }

    /// [`Statement::new`] for a journal whose digest is already known (an opened record
    /// hashes its journal once, while it parses).
    pub fn with_digest(
        journal_digest: &JournalDigest,
        journal: &Journal,
        replay: &Replay,
        signer: &PublicKey,
        analysis: Option<serde_json::Value>,
    ) -> Statement {
        let text = replay.final_state().text();
        let subject = |name: &str, sha: String| Subject {
            name: name.to_owned(),
            digest: BTreeMap::from([("sha256".to_owned(), sha)]),
        };
        Statement {
            type_: STATEMENT_TYPE.to_owned(),
            subject: vec![
                subject(SUBJECT_TEXT, crate::sha256_hex(text.as_bytes())),
                subject(SUBJECT_NORMALIZED, normalized_sha256(&text)),
                subject(SUBJECT_JOURNAL, journal_digest.sha256.clone()),
            ],
            predicate_type: PREDICATE_TYPE.to_owned(),
            predicate: Predicate::new(journal_digest.len, journal, replay, signer, analysis),
        }
    }

    /// The sha256 digest of the subject called `name`, if present.
    pub fn digest(&self, name: &str) -> Option<&str> {
        self.subject.iter().find(|s| s.name == name)?.digest.get("sha256").map(String::as_str)
    }
}

impl Predicate {
    fn new(
        journal_len: u64,
        journal: &Journal,
        replay: &Replay,
        signer: &PublicKey,
        analysis: Option<serde_json::Value>,
    ) -> Predicate {
        let start = journal.start();
        let totals = replay.totals();
        let facts = &journal.facts;
        let (name, version) = start.app.split_once(' ').unwrap_or((start.app.as_str(), ""));
        let count = |c: Cause| totals.inserted_by(c) as u64;
        Predicate {
            session: start.session.clone(),
            task: start.task.clone(),
            nonce: start.nonce.clone(),
            started: facts.started.clone(),
            ended: facts.ended.clone(),
            active_us: facts.active_us,
            tool: Tool { name: name.to_owned(), version: version.to_owned() },
            sources: start.sources.clone(),
            counts: Counts {
                typed: count(Cause::Typed),
                pasted_external: count(Cause::PasteExt),
                pasted_internal: count(Cause::PasteInt),
                deleted: totals.deleted_total() as u64,
            },
            events: journal.entries.len() as u64,
            checkpoints: facts.checkpoints,
            journal_bytes: journal_len,
            journal_head: journal.head.hex(),
            signer: Signer::of(signer),
            analysis,
        }
    }

    /// The predicate without the analysis, for comparing facts recomputed from a journal.
    pub fn facts(&self) -> Predicate {
        Predicate { analysis: None, ..self.clone() }
    }
}
