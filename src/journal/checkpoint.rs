//! Checkpoints: the chain head signed every so often, so that a session cut off by a crash
//! still has a signed, verifiable prefix.

use super::chain::ChainValue;
use std::time::Duration;

/// Something that can sign checkpoint messages (the trainer's Ed25519 key; see `attest`).
pub trait CheckpointSigner: Send {
    /// OpenSSH-style fingerprint of the public key, written beside each signature.
    fn fingerprint(&self) -> String;
    /// Signs `message`; the error says why signing is impossible.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String>;
}

/// When checkpoints are written: every `events` events or every `interval`, whichever first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointPolicy {
    pub events: u64,
    pub interval: Duration,
}

impl Default for CheckpointPolicy {
    /// 1,000 events (a few minutes of typing) or 30 seconds: a crash loses at most that much
    /// signed history, while checkpoints stay well under 1% of the journal's size.
    fn default() -> Self {
        CheckpointPolicy { events: 1000, interval: Duration::from_secs(30) }
    }
}

impl CheckpointPolicy {
    /// Whether a checkpoint is due after `events` events and `elapsed` time since the last.
    pub fn due(&self, events: u64, elapsed: Duration) -> bool {
        events >= self.events || (events > 0 && elapsed >= self.interval)
    }
}

/// The exact bytes a checkpoint signs: a domain-separation line, the session id, the
/// checkpoint's own sequence number, and the chain head (hex) over every line before it.
pub fn checkpoint_message(session: &str, seq: u64, head: &ChainValue) -> Vec<u8> {
    format!("handprint-checkpoint-v1\n{session}\n{seq}\n{}", head.hex()).into_bytes()
}
