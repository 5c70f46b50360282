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
    /// Registered trainer keys (a trust file, docs/FORMAT.md "Trust file"): the signer must
    /// be one of them (pins the signer).
    pub trusted: Vec<PublicKey>,
    /// Accept a signer nobody pinned. Without it, and without a pinned key, the `signer`
    /// check fails ("signer not pinned"): a valid signature by an unknown key only shows
    /// that whoever made that key signed, which anyone can do.
    pub any_signer: bool,
}

impl VerifyOptions {
    /// Whether any signer pin (key, fingerprint or trust file) was given.
    pub fn pins_signer(&self) -> bool {
        self.pubkey.is_some() || self.fingerprint.is_some() || !self.trusted.is_empty()
    }
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
    /// Whether the signer was pinned by `--pubkey`, `--fingerprint` or `--trust` (and
    /// matched). When not, a valid signature shows only that the holder of that key signed,
    /// and the record is valid only if the caller accepted any signer.
    pub signer_pinned: bool,
    /// How the submitted text compared, when one was given.
    pub text_match: Option<TextMatch>,
    /// The facts the statement claims, when there is one. Trust them only when `valid`:
    /// with a failed `signature` check they are whatever the file says.
    pub predicate: Option<Predicate>,
    pub checks: Vec<Check>,
}

impl VerifyReport {
    /// A report with no checks yet, not valid until checks are added and all pass.
    pub fn unchecked() -> VerifyReport {
        VerifyReport {
            valid: false,
            kind: "journal",
            signer: None,
            signer_pinned: false,
            text_match: None,
            predicate: None,
            checks: Vec::new(),
        }
    }

    /// The first failed check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }

    /// The check called `name`.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// Valid and signed by a key the caller pinned: the only outcome to act on as proof.
    pub fn trusted(&self) -> bool {
        self.valid && self.signer_pinned
    }

    /// One line for a banner: valid and by whom, or the first failure in plain words.
    pub fn headline(&self) -> String {
        match (self.first_failure(), &self.signer) {
            (Some(c), _) => format!("Invalid: {} ({})", c.detail, c.name),
            (None, Some(fp)) if self.signer_pinned => {
                format!("Valid: signed by {fp}, the required key")
            }
            (None, Some(fp)) => {
                format!("Not trusted: intact, but signed by {fp}, a key nobody pinned")
            }
            (None, None) => "Not trusted: nothing signs it".to_owned(),
        }
    }

    pub(super) fn push_check(&mut self, name: &str, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check { name: name.to_owned(), ok, detail: detail.into() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(checks: &[(&str, bool)], pinned: bool) -> VerifyReport {
        VerifyReport {
            valid: checks.iter().all(|c| c.1),
            kind: "bundle",
            signer: Some("SHA256:abc".into()),
            signer_pinned: pinned,
            text_match: None,
            predicate: None,
            checks: checks
                .iter()
                .map(|(n, ok)| Check { name: (*n).into(), ok: *ok, detail: format!("{n} detail") })
                .collect(),
        }
    }

    #[test]
    fn headline_names_the_first_failure_or_the_signer() {
        let bad = report(&[("chain", true), ("replay", false), ("text", false)], true);
        assert_eq!(bad.headline(), "Invalid: replay detail (replay)");
        let unpinned = report(&[("chain", true)], false);
        assert_eq!(
            unpinned.headline(),
            "Not trusted: intact, but signed by SHA256:abc, a key nobody pinned"
        );
        assert!(!unpinned.trusted());
        assert!(report(&[], true).headline().contains("the required key"));
    }
}
