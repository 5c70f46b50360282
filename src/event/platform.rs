//! What the platform service signs that the journal carries: the task challenge in the first
//! line and the witness receipts (`wit`). Plain data here, so the event model stays the lowest
//! layer; signing and checking them is `platform::protocol`'s (docs/PLATFORM.md).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A task challenge as the service signed it. The journal's first line carries it
/// (`start.challenge`), so the record is bound to this task, prompt, trainer and deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Challenge {
    /// Random challenge id (32 hex digits).
    pub id: String,
    pub task: String,
    /// SHA-256 (hex) of the prompt text.
    pub prompt_sha256: String,
    /// The trainer this challenge was issued to.
    pub trainer: String,
    /// Random nonce (64 hex digits): a record cannot be prepared before it was issued.
    pub nonce: String,
    /// When the service issued it, RFC 3339 UTC (service clock).
    pub issued: String,
    /// Last moment a submission is accepted, RFC 3339 UTC.
    pub deadline: String,
    /// Fingerprint of the service key that signed it.
    pub key: String,
    /// Base64 Ed25519 signature over `Challenge::message` (platform::protocol).
    pub sig: String,
}

/// A witness receipt: the service saw `head` of `session` covering `n` lines at time `at`.
/// Returned by `POST /v1/witness` and appended to the journal as a `wit` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Receipt {
    /// Number of journal lines covered.
    pub n: u64,
    /// Chain value (64 hex digits) after line n−1.
    pub head: String,
    /// When the service received the head, RFC 3339 UTC with microseconds (service clock).
    pub at: String,
    /// Fingerprint of the service key.
    pub key: String,
    /// Base64 Ed25519 signature over `platform::protocol::receipt_message`.
    pub sig: String,
}
