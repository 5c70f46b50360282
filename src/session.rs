//! Facts about the recording environment, gathered when a session starts.

use crate::event::{FORMAT_VERSION, SessionStart, wall_now};
use ring::rand::{SecureRandom, SystemRandom};

/// The tool name and version written into every journal and attestation.
pub fn app_version() -> String {
    format!("handprint {}", env!("CARGO_PKG_VERSION"))
}

/// A fresh random session id: 16 random bytes as hex.
pub fn new_session_id() -> String {
    let mut id = [0u8; 16];
    // The system RNG only fails when the OS has no entropy source at all; fall back to the
    // clock so a session can still start (the id identifies, it does not protect).
    if SystemRandom::new().fill(&mut id).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        id.copy_from_slice(&nanos.to_le_bytes());
    }
    crate::hex(&id)
}

/// The start event for a session answering the platform's challenge `c` for `prompt`: task,
/// nonce and prompt digest come from the signed challenge, which the first line carries whole.
pub fn start_facts_for_challenge(
    c: &crate::event::Challenge,
    prompt: &str,
    sources: &[&str],
) -> SessionStart {
    let mut start = start_facts(&c.task, Some(&c.nonce), Some(prompt), sources);
    start.prompt_sha256 = Some(c.prompt_sha256.clone());
    start.challenge = Some(Box::new(c.clone()));
    start
}

/// The start event for a new session on this machine.
pub fn start_facts(
    task: &str,
    nonce: Option<&str>,
    prompt: Option<&str>,
    sources: &[&str],
) -> SessionStart {
    SessionStart {
        format: FORMAT_VERSION,
        session: new_session_id(),
        task: task.to_owned(),
        nonce: nonce.map(str::to_owned).filter(|n| !n.is_empty()),
        prompt_sha256: prompt.filter(|p| !p.is_empty()).map(|p| crate::sha256_hex(p.as_bytes())),
        challenge: None,
        app: app_version(),
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        wall: wall_now(),
        sources: sources.iter().map(|s| (*s).to_owned()).collect(),
    }
}
