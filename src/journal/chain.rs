//! The hash chain that makes every edit, insertion, deletion or reordering of lines detectable.
//!
//! `c[-1] = SHA-256("handprint journal v1")`, and for line `n` with body bytes `b[n]`
//! (the line up to, not including, its `,"h":"…"}` suffix): `c[n] = SHA-256(c[n-1] || b[n])`.
//! Each line stores the first 12 bytes of `c[n]` as unpadded base64url (16 characters) in its
//! `h` field. Storing a truncated tag keeps key events under 80 bytes; a verifier recomputes
//! the full 32-byte values, and checkpoints and the attestation sign the full value, so the
//! truncation costs no security (forging a tag by chance is a 2^-96 event).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{Context, SHA256, digest};

/// Length of the `h` tag in characters.
pub const TAG_LEN: usize = 16;
/// Bytes of the chain value kept in the tag.
const TAG_BYTES: usize = 12;

/// One full chain value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainValue(pub [u8; 32]);

impl ChainValue {
    /// The value before the first line.
    pub fn genesis() -> Self {
        Self::from_digest(digest(&SHA256, b"handprint journal v1").as_ref())
    }

    /// The value after a line whose body is `body`.
    pub fn next(&self, body: &[u8]) -> Self {
        let mut ctx = Context::new(&SHA256);
        ctx.update(&self.0);
        ctx.update(body);
        Self::from_digest(ctx.finish().as_ref())
    }

    /// The truncated tag stored in the line's `h` field.
    pub fn tag(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0[..TAG_BYTES])
    }

    /// Lowercase hex of the full value, as written in checkpoints and attestations.
    pub fn hex(&self) -> String {
        crate::hex(&self.0)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Option<Self> {
        let bytes = crate::unhex(s)?;
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(ChainValue(arr))
    }

    fn from_digest(d: &[u8]) -> Self {
        let mut v = [0u8; 32];
        v.copy_from_slice(d);
        ChainValue(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_is_sixteen_url_safe_characters() {
        let t = ChainValue::genesis().next(b"{\"s\":0").tag();
        assert_eq!(t.len(), TAG_LEN);
        assert!(t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn hex_round_trips() {
        let v = ChainValue::genesis();
        assert_eq!(ChainValue::from_hex(&v.hex()), Some(v));
        assert_eq!(ChainValue::from_hex("zz"), None);
    }
}
