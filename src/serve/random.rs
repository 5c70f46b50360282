//! Random identifiers and tokens for the service and its review pages (one place, so that
//! neither imports the other for it).

use super::error::ApiError;
use ring::rand::{SecureRandom, SystemRandom};

/// A random identifier of `bytes` random bytes, as hex.
pub(crate) fn random_hex(bytes: usize) -> Result<String, ApiError> {
    let mut buf = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| ApiError::internal("random generator failed"))?;
    Ok(crate::hex(&buf))
}
