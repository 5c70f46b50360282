//! The verification report: options in, named checks out.

use crate::analysis::Analysis;
use crate::attest::{Predicate, PublicKey};
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
    /// The platform service's key: checks the challenge and the witness receipts.
    pub service_key: Option<PublicKey>,
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

/// The checks verification makes, by their stable names (docs/FORMAT.md, "Verification").
/// One enum so that a new check is declared once and every consumer (CLI, banner, report)
/// names it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckName {
    /// A bare journal: nothing signs it.
    Signed,
    /// The envelope's payload is a Handprint in-toto statement.
    Statement,
    /// The signer is the one the caller pinned, if any.
    Signer,
    /// The DSSE signature verifies.
    Signature,
    /// The journal is exactly the one attested.
    JournalDigest,
    /// Time never goes backwards.
    Timestamps,
    /// Every line intact and in order.
    Chain,
    /// Every checkpoint signed by the attesting key.
    Checkpoints,
    /// Replay reproduces the (attested) text.
    Replay,
    /// The attested facts match the journal.
    Facts,
    /// Every wall-clock time is a valid UTC time, and so is the session's end.
    WallTimes,
    /// The signed analysis summary is the one the journal gives.
    Analysis,
    /// The submitted text matches.
    Text,
    /// The record is for the expected task.
    Task,
    /// The first line answers a challenge the platform signed (with the service key).
    Challenge,
    /// The platform's witness receipts verify and match the chain (with the service key).
    Witness,
    /// Service side only: every receipt in the journal is one the service issued and kept.
    WitnessCopies,
    /// The record carries the expected nonce.
    Nonce,
    /// Verification itself did not finish (an internal error).
    Verification,
    /// The file could not be read at all.
    Readable,
}

impl CheckName {
    /// Every check, in the order verification makes them.
    pub const ALL: [CheckName; 20] = [
        CheckName::Signed,
        CheckName::Statement,
        CheckName::Signer,
        CheckName::Signature,
        CheckName::JournalDigest,
        CheckName::Timestamps,
        CheckName::Chain,
        CheckName::Checkpoints,
        CheckName::Replay,
        CheckName::Facts,
        CheckName::WallTimes,
        CheckName::Analysis,
        CheckName::Text,
        CheckName::Task,
        CheckName::Challenge,
        CheckName::Witness,
        CheckName::WitnessCopies,
        CheckName::Nonce,
        CheckName::Verification,
        CheckName::Readable,
    ];

    /// The stable name shown to users and written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::Signed => "signed",
            CheckName::Statement => "statement",
            CheckName::Signer => "signer",
            CheckName::Signature => "signature",
            CheckName::JournalDigest => "journal-digest",
            CheckName::Timestamps => "timestamps",
            CheckName::Chain => "chain",
            CheckName::Checkpoints => "checkpoints",
            CheckName::Replay => "replay",
            CheckName::Facts => "facts",
            CheckName::WallTimes => "wall-times",
            CheckName::Analysis => "analysis",
            CheckName::Text => "text",
            CheckName::Task => "task",
            CheckName::Challenge => "challenge",
            CheckName::Witness => "witness",
            CheckName::WitnessCopies => "witness-copies",
            CheckName::Nonce => "nonce",
            CheckName::Verification => "verification",
            CheckName::Readable => "readable",
        }
    }
}

impl std::fmt::Display for CheckName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Which check (serialized as its stable name: `signature`, `chain`, `replay`, …).
    pub name: CheckName,
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
    /// What the platform's witness receipts showed (only with the service key).
    pub witness: Option<super::witness::WitnessSummary>,
    /// The analysis recomputed from the journal in the same open (none when the journal does
    /// not parse or replay): what the signed `predicate.analysis` is compared with, and the
    /// flags to act on — never the ones the predicate claims. The JSON report carries its
    /// attestation summary (version, shares, flags with their severity); `handprint analyze
    /// --json` prints all of it.
    #[serde(serialize_with = "analysis_summary")]
    pub analysis: Option<Analysis>,
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
            witness: None,
            analysis: None,
        }
    }

    /// The first failed check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }

    /// The check called `name`.
    pub fn check(&self, name: CheckName) -> Option<&Check> {
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
                format!("Valid: signed by {}", signer_sentence(fp, true, true))
            }
            (None, Some(fp)) => {
                format!("Not trusted: intact, but signed by {fp}, a key nobody pinned")
            }
            (None, None) => "Not trusted: nothing signs it".to_owned(),
        }
    }

    /// Adds the outcome of check `name`.
    pub fn push_check(&mut self, name: CheckName, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check { name, ok, detail: detail.into() });
    }
}

/// How a signer is described everywhere (CLI, banner, HTML report): its fingerprint and
/// what the signature is worth — pinned by the caller, merely named by whoever signed, or
/// only named in an unsigned journal's checkpoints.
pub fn signer_sentence(fingerprint: &str, pinned: bool, signed: bool) -> String {
    match (signed, pinned) {
        (true, true) => format!("{fingerprint} (the required key)"),
        (true, false) => format!("{fingerprint} (signer not pinned: not trusted)"),
        (false, _) => format!("{fingerprint} (named in the journal; no signed attestation)"),
    }
}

/// The JSON report's `analysis`: the recomputed analysis in its attestation form.
fn analysis_summary<S: serde::Serializer>(a: &Option<Analysis>, s: S) -> Result<S::Ok, S::Error> {
    a.as_ref().map(Analysis::attestation_summary).serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(checks: &[(CheckName, bool)], pinned: bool) -> VerifyReport {
        VerifyReport {
            valid: checks.iter().all(|c| c.1),
            kind: "bundle",
            signer: Some("SHA256:abc".into()),
            signer_pinned: pinned,
            text_match: None,
            predicate: None,
            analysis: None,
            checks: checks
                .iter()
                .map(|(n, ok)| Check { name: *n, ok: *ok, detail: format!("{n} detail") })
                .collect(),
            witness: None,
        }
    }

    #[test]
    fn headline_names_the_first_failure_or_the_signer() {
        let bad = report(
            &[(CheckName::Chain, true), (CheckName::Replay, false), (CheckName::Text, false)],
            true,
        );
        assert_eq!(bad.headline(), "Invalid: replay detail (replay)");
        let unpinned = report(&[(CheckName::Chain, true)], false);
        assert_eq!(
            unpinned.headline(),
            "Not trusted: intact, but signed by SHA256:abc, a key nobody pinned"
        );
        assert!(!unpinned.trusted());
        assert!(report(&[], true).headline().contains("the required key"));
    }
}
