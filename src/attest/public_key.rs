//! Ed25519 public keys in the forms people exchange them: OpenSSH (`ssh-ed25519 AAAA…`),
//! PEM (SubjectPublicKeyInfo) and raw hex, plus the OpenSSH fingerprint that names a key.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use thiserror::Error;

/// The OpenSSH key type name for Ed25519 (RFC 8709 §4).
const SSH_ED25519: &str = "ssh-ed25519";

/// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE { SEQUENCE { OID
/// 1.3.101.112 }, BIT STRING (0 unused bits) } followed by the 32 key bytes.
const SPKI_PREFIX: [u8; 12] =
    [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/// An Ed25519 public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 32]);

/// Why a public key could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PublicKeyError {
    #[error(
        "not an Ed25519 public key: expected an OpenSSH line (ssh-ed25519 AAAA…), a PEM block (BEGIN PUBLIC KEY), 64 hex digits or 32 raw bytes ({0})"
    )]
    Unrecognized(String),
}

impl PublicKey {
    /// The SSH wire-format blob: string "ssh-ed25519", string key (RFC 4253 §6.6, RFC 8709).
    pub fn ssh_blob(&self) -> Vec<u8> {
        let mut blob = Vec::with_capacity(51);
        for part in [SSH_ED25519.as_bytes(), &self.0[..]] {
            blob.extend_from_slice(&(part.len() as u32).to_be_bytes());
            blob.extend_from_slice(part);
        }
        blob
    }

    /// The OpenSSH fingerprint, `SHA256:` + unpadded base64 of SHA-256 over the SSH blob:
    /// what `ssh-keygen -lf` prints for the same key.
    pub fn fingerprint(&self) -> String {
        let d = ring::digest::digest(&ring::digest::SHA256, &self.ssh_blob());
        format!("SHA256:{}", STANDARD_NO_PAD.encode(d.as_ref()))
    }

    /// One OpenSSH `authorized_keys` line: `ssh-ed25519 <base64 blob> <comment>`.
    pub fn to_ssh(&self, comment: &str) -> String {
        format!("{SSH_ED25519} {} {comment}", STANDARD.encode(self.ssh_blob()))
            .trim_end()
            .to_owned()
    }

    /// A PEM `PUBLIC KEY` block (SubjectPublicKeyInfo), as `openssl pkey -pubout` writes.
    pub fn to_pem(&self) -> String {
        let mut der = SPKI_PREFIX.to_vec();
        der.extend_from_slice(&self.0);
        format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", STANDARD.encode(der))
    }

    /// The 32 key bytes as lowercase hex.
    pub fn to_hex(&self) -> String {
        crate::hex(&self.0)
    }

    /// Base64 (standard, padded) of the 32 key bytes, as the attestation carries it.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Reads the base64 form written by [`PublicKey::to_base64`].
    pub fn from_base64(s: &str) -> Option<PublicKey> {
        let bytes = STANDARD.decode(s).ok()?;
        Some(PublicKey(bytes.try_into().ok()?))
    }

    /// Reads a key file in any form Handprint exports: OpenSSH line, PEM, hex, or raw bytes.
    pub fn parse(bytes: &[u8]) -> Result<PublicKey, PublicKeyError> {
        // Exactly 32 bytes can only be the raw key: every text form is longer.
        if let Ok(raw) = <[u8; 32]>::try_from(bytes) {
            return Ok(PublicKey(raw));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| PublicKeyError::Unrecognized("the file is not text".into()))?
            .trim();
        if let Some(rest) = text.strip_prefix(SSH_ED25519) {
            return parse_ssh(rest);
        }
        if text.starts_with("-----BEGIN PUBLIC KEY-----") {
            return parse_pem(text);
        }
        if let Some(raw) = crate::unhex(text).and_then(|b| <[u8; 32]>::try_from(b).ok()) {
            return Ok(PublicKey(raw));
        }
        Err(PublicKeyError::Unrecognized("no known form matched".into()))
    }
}

fn parse_ssh(rest: &str) -> Result<PublicKey, PublicKeyError> {
    let bad = |why: &str| PublicKeyError::Unrecognized(why.into());
    let b64 = rest.split_whitespace().next().ok_or_else(|| bad("the ssh line has no key"))?;
    let blob = STANDARD.decode(b64).map_err(|_| bad("the ssh key is not valid base64"))?;
    let key: [u8; 32] = blob
        .get(blob.len().saturating_sub(32)..)
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| bad("the ssh key blob is too short"))?;
    let pk = PublicKey(key);
    if pk.ssh_blob() != blob {
        return Err(bad("the ssh key blob is not an ssh-ed25519 key"));
    }
    Ok(pk)
}

fn parse_pem(text: &str) -> Result<PublicKey, PublicKeyError> {
    let bad = |why: &str| PublicKeyError::Unrecognized(why.into());
    let b64: String =
        text.lines().filter(|l| !l.starts_with("-----")).flat_map(|l| l.trim().chars()).collect();
    let der = STANDARD.decode(b64).map_err(|_| bad("the PEM body is not valid base64"))?;
    der.strip_prefix(&SPKI_PREFIX[..])
        .and_then(|k| <[u8; 32]>::try_from(k).ok())
        .map(PublicKey)
        .ok_or_else(|| bad("the PEM block is not an Ed25519 SubjectPublicKeyInfo"))
}

/// Verifies an Ed25519 signature.
pub fn verify_signature(key: &PublicKey, message: &[u8], sig: &[u8]) -> bool {
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, key.0)
        .verify(message, sig)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8032 §7.1 test 1 public key.
    const RFC8032_KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    fn key() -> PublicKey {
        PublicKey(crate::unhex(RFC8032_KEY).unwrap().try_into().unwrap())
    }

    #[test]
    fn every_exported_form_parses_back_to_the_same_key() {
        let k = key();
        for form in [k.to_ssh("me@host"), k.to_pem(), k.to_hex()] {
            assert_eq!(PublicKey::parse(form.as_bytes()), Ok(k), "{form}");
        }
        assert_eq!(PublicKey::parse(&k.0), Ok(k));
        assert_eq!(PublicKey::from_base64(&k.to_base64()), Some(k));
    }

    #[test]
    fn fingerprint_has_openssh_form() {
        let fp = key().fingerprint();
        assert!(fp.starts_with("SHA256:") && fp.len() == 7 + 43 && !fp.ends_with('='), "{fp}");
    }

    #[test]
    fn garbage_is_not_a_key() {
        assert!(PublicKey::parse(b"ssh-rsa AAAA").is_err());
        assert!(PublicKey::parse(b"ssh-ed25519 AAAA").is_err());
        assert!(PublicKey::parse(b"hello").is_err());
    }
}
