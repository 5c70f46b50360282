//! DSSE, the Dead Simple Signing Envelope (github.com/secure-systems-lab/dsse, protocol.md
//! v1.0.0 and envelope.md): a payload, its type, and signatures over the pre-authentication
//! encoding (PAE) of both, so that a signature can never be replayed under another type.

use super::keys::SigningKey;
use super::public_key::{PublicKey, verify_signature};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

/// The payload type of an in-toto Statement (in-toto attestation spec, envelope.md).
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// `PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the
/// byte length in ASCII decimal with no leading zeros (DSSE protocol.md).
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + body.len() + 32);
    out.extend_from_slice(
        format!("DSSEv1 {} {payload_type} {} ", payload_type.len(), body.len()).as_bytes(),
    );
    out.extend_from_slice(body);
    out
}

/// A DSSE envelope as JSON (envelope.md). Unknown members are refused: nothing unsigned may
/// ride along unnoticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Base64 of the serialized body.
    pub payload: String,
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    pub signatures: Vec<Signature>,
}

/// One signature in an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Handprint writes the signer's OpenSSH fingerprint here. DSSE leaves it unauthenticated,
    /// so a verifier only uses it to pick a key and then checks it names that key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub keyid: String,
    /// Base64 of the signature over the PAE.
    pub sig: String,
}

/// Why an envelope does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the envelope's payload is not valid base64")]
    PayloadEncoding,
    #[error("the envelope's payload type is {0:?}, expected {IN_TOTO_PAYLOAD_TYPE:?}")]
    PayloadType(String),
    #[error("the envelope has {0} signatures; a Handprint attestation has exactly one")]
    SignatureCount(usize),
    #[error("the signature's key id is {found:?}, but the signing key is {expected}")]
    KeyId { found: String, expected: String },
    #[error("the signature is not valid base64")]
    SignatureEncoding,
    #[error(
        "the signature does not match the payload and key: the attestation was altered or signed by another key"
    )]
    BadSignature,
}

/// DSSE lets the payload and signature use either base64 alphabet, padded or not
/// (envelope.md). Each string must still decode one way only (docs/FORMAT.md): one alphabet,
/// full padding or none (never part of it), and trailing bits zero.
fn decode(s: &str) -> Option<Vec<u8>> {
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(s).ok())
}

impl Envelope {
    /// Signs `body` as an in-toto payload with `key`.
    pub fn sign(body: &[u8], key: &SigningKey) -> Envelope {
        let sig = key.sign_bytes(&pae(IN_TOTO_PAYLOAD_TYPE, body));
        Envelope {
            payload: STANDARD.encode(body),
            payload_type: IN_TOTO_PAYLOAD_TYPE.to_owned(),
            signatures: vec![Signature { keyid: key.fingerprint(), sig: STANDARD.encode(sig) }],
        }
    }

    /// The decoded payload bytes (not yet authenticated).
    pub fn payload_bytes(&self) -> Result<Vec<u8>, EnvelopeError> {
        decode(&self.payload).ok_or(EnvelopeError::PayloadEncoding)
    }

    /// Checks the payload type and that the one signature is `key`'s over the PAE.
    pub fn verify(&self, key: &PublicKey) -> Result<Vec<u8>, EnvelopeError> {
        if self.payload_type != IN_TOTO_PAYLOAD_TYPE {
            return Err(EnvelopeError::PayloadType(self.payload_type.clone()));
        }
        let [sig] = self.signatures.as_slice() else {
            return Err(EnvelopeError::SignatureCount(self.signatures.len()));
        };
        let expected = key.fingerprint();
        if sig.keyid != expected {
            return Err(EnvelopeError::KeyId { found: sig.keyid.clone(), expected });
        }
        let body = self.payload_bytes()?;
        let raw = decode(&sig.sig).ok_or(EnvelopeError::SignatureEncoding)?;
        if !verify_signature(key, &pae(&self.payload_type, &body), &raw) {
            return Err(EnvelopeError::BadSignature);
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_of_empty_body_ends_with_a_space() {
        assert_eq!(pae("t", b""), b"DSSEv1 1 t 0 ");
    }

    #[test]
    fn base64_decodes_one_way_only() {
        assert_eq!(decode("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode("aGk"), Some(b"hi".to_vec()));
        assert_eq!(decode("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode("aGl="), None, "trailing bits must be zero");
        assert_eq!(decode("YQ="), None, "padding is all or nothing");
        assert_eq!(decode("+-8A"), None, "one alphabet per string");
    }

    #[test]
    fn signed_envelope_verifies_and_rejects_another_key() {
        let (key, _) = SigningKey::generate().unwrap();
        let (other, _) = SigningKey::generate().unwrap();
        let env = Envelope::sign(b"{}", &key);
        assert_eq!(env.verify(&key.public()), Ok(b"{}".to_vec()));
        assert!(matches!(env.verify(&other.public()), Err(EnvelopeError::KeyId { .. })));
        let mut forged = env.clone();
        forged.signatures[0].keyid = other.fingerprint();
        assert_eq!(forged.verify(&other.public()), Err(EnvelopeError::BadSignature));
    }
}
