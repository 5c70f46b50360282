//! Keys, signed checkpoints, DSSE/in-toto attestations, bundles and verification: what turns
//! a journal into evidence.
//!
//! The trainer's Ed25519 key ([`KeyStore`], [`SigningKey`]) signs checkpoints while a session
//! is recorded and, at Finish, an in-toto Statement about the final text and the journal
//! inside a DSSE envelope ([`export_session`]). The bundle (`*.handprint`) carries that
//! envelope and the journal; [`verify_file`] checks all of it. docs/FORMAT.md specifies the
//! bytes, section "Bundle and attestation".

mod bundle;
mod checkpoints;
mod dsse;
mod export;
mod keys;
mod normalize;
mod public_key;
mod statement;
mod trust;
mod verify;

pub use bundle::{
    BUNDLE_EXTENSION, BUNDLE_FORMAT, Bundle, BundleError, ENVELOPE_EXTENSION, looks_like_bundle,
};
pub use checkpoints::{CheckpointSummary, verify_checkpoints};
pub use dsse::{Envelope, EnvelopeError, IN_TOTO_PAYLOAD_TYPE, Signature, pae};
pub use export::{ExportError, Exported, export_session};
pub use keys::{KeyError, KeyStore, SigningKey};
pub use normalize::{normalize, normalized_sha256};
pub use public_key::{PublicKey, PublicKeyError, verify_signature};
pub use statement::{
    Counts, PREDICATE_TYPE, Predicate, STATEMENT_TYPE, SUBJECT_JOURNAL, SUBJECT_NORMALIZED,
    SUBJECT_TEXT, Signer, Statement, Subject, Tool,
};
pub use trust::{TrustFileError, parse_trust_file};
pub use verify::{Check, TextMatch, VerifyOptions, VerifyReport, verify_bytes, verify_file};
