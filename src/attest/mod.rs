//! Keys, signed checkpoints, DSSE/in-toto attestations and bundles: what turns a journal
//! into evidence.
//!
//! The trainer's Ed25519 key ([`KeyStore`], [`SigningKey`]) signs checkpoints while a session
//! is recorded and, at Finish, an in-toto Statement about the final text and the journal
//! inside a DSSE envelope. The bundle (`*.handprint`) carries that envelope and the journal.
//! This module holds the keys, formats and signatures only; signing an opened record lives in
//! [`crate::record::export_record`] and checking one in [`crate::verify`], the layer above.
//! docs/FORMAT.md specifies the bytes, section "Bundle and attestation".

mod bundle;
mod checkpoints;
mod dsse;
mod keys;
mod normalize;
mod public_key;
mod statement;
mod trust;

pub use bundle::{
    BUNDLE_EXTENSION, BUNDLE_FORMAT, Bundle, BundleError, ENVELOPE_EXTENSION, looks_like_bundle,
    to_pretty,
};
pub use checkpoints::{CheckpointSummary, verify_checkpoints};
pub use dsse::{Envelope, EnvelopeError, IN_TOTO_PAYLOAD_TYPE, Signature, pae};
pub use keys::{KeyError, KeyStore, SigningKey};
pub use normalize::{normalize, normalized_sha256};
pub use public_key::{PublicKey, PublicKeyError, verify_signature};
pub use statement::{
    Counts, JournalDigest, PREDICATE_TYPE, Predicate, STATEMENT_TYPE, SUBJECT_JOURNAL,
    SUBJECT_NORMALIZED, SUBJECT_TEXT, Signer, Statement, Subject, Tool,
};
pub use trust::{TrustFileError, parse_trust_file};
