//! Checking the signed checkpoints inside a journal.

use super::public_key::{PublicKey, verify_signature};
use crate::event::Event;
use crate::journal::{ChainValue, Journal, checkpoint_message};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// What the checkpoints of a journal showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointSummary {
    /// Number of checkpoint events.
    pub count: usize,
    /// Sequence number of the last checkpoint whose signature verified, if any.
    pub last_verified: Option<u64>,
}

/// Checks every checkpoint: it carries a signature, names `key` as its signer, and the
/// signature verifies over the checkpoint message. With no `key`, only reports how many
/// there are (nothing can be verified without the public key).
/// The error names the first bad checkpoint by event index.
pub fn verify_checkpoints(
    journal: &Journal,
    key: Option<&PublicKey>,
) -> Result<CheckpointSummary, String> {
    let session = &journal.start().session;
    let mut summary = CheckpointSummary { count: 0, last_verified: None };
    for r in journal.entries.iter() {
        let Event::Checkpoint(c) = &r.event else { continue };
        summary.count += 1;
        let Some(key) = key else { continue };
        let seq = r.seq;
        let (Some(sig), Some(fp)) = (&c.sig, &c.key) else {
            return Err(format!("event {seq}: the checkpoint is not signed"));
        };
        if *fp != key.fingerprint() {
            return Err(format!(
                "event {seq}: the checkpoint was signed by {fp}, not by the attesting key {}",
                key.fingerprint()
            ));
        }
        // The journal parser has already checked `head` against the chain; an unparsable
        // head cannot reach here, but a failed parse must not pass either.
        let head = ChainValue::from_hex(&c.head)
            .ok_or_else(|| format!("event {seq}: the checkpoint head is not 64 hex digits"))?;
        let raw = STANDARD
            .decode(sig)
            .map_err(|_| format!("event {seq}: the checkpoint signature is not valid base64"))?;
        if !verify_signature(key, &checkpoint_message(session, seq, &head), &raw) {
            return Err(format!("event {seq}: the checkpoint signature does not verify"));
        }
        summary.last_verified = Some(seq);
    }
    Ok(summary)
}
