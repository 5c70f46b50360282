//! Anchoring records to a task platform while the writing happens.
//!
//! Everything else in a record sits on the trainer's machine: the key, the clock, the
//! software. The platform service (`handprint serve`) is what the trainer does not control:
//! it issues signed task challenges, signs witness receipts over the journal's chain head as
//! the session is written, and receives the finished bundle. [`protocol`] holds the messages
//! shared by both sides; the trainer's side — [`client`], the stored [`account`], the live
//! [`witness`] and the submission [`spool`] — needs the `client` feature.

pub mod protocol;

#[cfg(feature = "client")]
pub mod account;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod spool;
#[cfg(feature = "client")]
pub mod witness;

use crate::attest::PublicKey;
use protocol::ServiceInfo;

/// The platform service's key as an auditor is handed it: a key file in any public-key form
/// (`handprint key export`), or the JSON its `/.well-known/handprint` serves. Shared by
/// `verify --service-key` and the Python package, so both accept the same files.
pub fn parse_service_key(bytes: &[u8]) -> Result<PublicKey, String> {
    if let Ok(info) = serde_json::from_slice::<ServiceInfo>(bytes) {
        return service_info_key(&info);
    }
    PublicKey::parse(bytes).map_err(|e| e.to_string())
}

/// The key a service description publishes, refused when it is not the one its fingerprint
/// names.
pub fn service_info_key(info: &ServiceInfo) -> Result<PublicKey, String> {
    PublicKey::from_base64(&info.public_key)
        .filter(|k| k.fingerprint() == info.fingerprint)
        .ok_or_else(|| "the service description's key does not match its fingerprint".into())
}
