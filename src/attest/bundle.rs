//! The bundle: one self-contained JSON file (`*.handprint`) holding the signed envelope and
//! the journal's exact bytes, which is everything a verifier needs.

use super::dsse::Envelope;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// The `format` member of every bundle of this version.
pub const BUNDLE_FORMAT: &str = "handprint-bundle/v1";
/// File extension of a bundle.
pub const BUNDLE_EXTENSION: &str = "handprint";
/// File extension of the bare envelope.
pub const ENVELOPE_EXTENSION: &str = "intoto.json";

/// A bundle file. Unknown members are refused so nothing unsigned rides along unnoticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// The DSSE envelope whose payload is the in-toto Statement.
    pub envelope: Envelope,
    /// The journal's exact bytes, base64 (standard alphabet, padded).
    pub journal: String,
}

/// Why bytes are not a usable bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("not a Handprint bundle (JSON with format, envelope and journal): {0}")]
    NotBundle(String),
    #[error(
        "this is a bare attestation envelope; verifying needs the bundle (.handprint) that also carries the journal"
    )]
    BareEnvelope,
    #[error(
        "bundle format {0:?} is not one this version reads ({BUNDLE_FORMAT:?}); update Handprint"
    )]
    Format(String),
    #[error("the bundle's journal is not valid base64")]
    JournalEncoding,
}

impl Bundle {
    /// A bundle of `envelope` and the journal's bytes.
    pub fn new(envelope: Envelope, journal: &[u8]) -> Bundle {
        Bundle { format: BUNDLE_FORMAT.to_owned(), envelope, journal: STANDARD.encode(journal) }
    }

    /// Parses a bundle file's bytes and checks its format.
    pub fn parse(bytes: &[u8]) -> Result<Bundle, BundleError> {
        let b: Bundle = serde_json::from_slice(bytes).map_err(|e| {
            if serde_json::from_slice::<Envelope>(bytes).is_ok() {
                BundleError::BareEnvelope
            } else {
                BundleError::NotBundle(e.to_string())
            }
        })?;
        if b.format != BUNDLE_FORMAT {
            return Err(BundleError::Format(b.format));
        }
        Ok(b)
    }

    /// The journal's exact bytes.
    pub fn journal_bytes(&self) -> Result<Vec<u8>, BundleError> {
        STANDARD.decode(&self.journal).map_err(|_| BundleError::JournalEncoding)
    }

    /// The file's bytes: pretty JSON with a final newline, so it reads well in a text editor.
    pub fn to_bytes(&self) -> Vec<u8> {
        to_pretty(self)
    }
}

/// Pretty JSON (two-space indent, LF) with a final newline.
pub fn to_pretty<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing our own string-only structs to memory cannot fail.
    let mut out = serde_json::to_vec_pretty(value).expect("bundle types always serialize");
    out.push(b'\n');
    out
}

/// Whether `bytes` look like a bundle rather than a bare journal (a JSON object whose first
/// member is not the journal's `"s"`).
pub fn looks_like_bundle(bytes: &[u8]) -> bool {
    let trimmed = bytes.trim_ascii_start();
    trimmed.starts_with(b"{") && !bytes.starts_with(b"{\"s\":")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::SigningKey;

    #[test]
    fn bundle_round_trips_with_the_exact_journal_bytes() {
        let (key, _) = SigningKey::generate().unwrap();
        let journal = b"{\"s\":0}\n\xff not even utf-8";
        let b = Bundle::new(Envelope::sign(b"{}", &key), journal);
        let back = Bundle::parse(&b.to_bytes()).unwrap();
        assert_eq!(back.journal_bytes().unwrap(), journal);
        assert_eq!(back, b);
    }

    #[test]
    fn unknown_members_and_formats_are_refused() {
        assert!(matches!(Bundle::parse(b"{\"format\":1}"), Err(BundleError::NotBundle(_))));
        let (key, _) = SigningKey::generate().unwrap();
        let mut b = Bundle::new(Envelope::sign(b"{}", &key), b"x");
        b.format = "handprint-bundle/v9".into();
        assert!(matches!(Bundle::parse(&b.to_bytes()), Err(BundleError::Format(_))));
    }
}
