//! The verification report: options in, named checks out.

use crate::attest::public_key::PublicKey;
use crate::attest::statement::Predicate;
use serde::Serialize;

/// What the verifier is told besides the file: the submitted text and the expected task,
/// nonce and signer. Every field is optional.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The text the trainer submitted; checked against the attested text.
    pub text: Option<String>,
    /// The task id the response must be for.
    pub task: Option<String>,
    /// The nonce the platform issued for this task.
    pub nonce: Option<String>,
    /// The public key that must have signed (pins the signer).
    pub pubkey: Option<PublicKey>,
    /// The fingerprint (`SHA256:…`) of the key that must have signed (pins the signer).
    pub fingerprint: Option<String>,
}

/// How a submitted text compares with the attested one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextMatch {
    /// Byte for byte the same.
    Exact,
    /// The same after normalization (NFC, LF newlines, trailing whitespace trimmed).
    Normalized,
    /// Different even after normalization.
    Mismatch,
}

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Short stable name (`signature`, `chain`, `replay`, …; see docs/FORMAT.md).
    pub name: String,
    pub ok: bool,
    /// What was found, in plain words, with the event index or field when something is wrong.
    pub detail: String,
}

/// The outcome of verifying one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Every check passed.
    pub valid: bool,
    /// `bundle` or `journal` (a bare, unsigned journal).
    pub kind: &'static str,
    /// Fingerprint of the key the attestation names as its signer.
    pub signer: Option<String>,
    /// Whether the signer was pinned by `--pubkey`/`--fingerprint` (and matched). When not,
    /// a valid signature shows only that the holder of that key signed.
    pub signer_pinned: bool,
    /// How the submitted text compared, when one was given.
    pub text_match: Option<TextMatch>,
    /// The attested facts (from the signed statement), when there is one.
    pub predicate: Option<Predicate>,
    pub checks: Vec<Check>,
}

impl VerifyReport {
    /// The first failed check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }

    /// The check called `name`.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    pub(super) fn push_check(&mut self, name: &str, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check { name: name.to_owned(), ok, detail: detail.into() });
    }
}
