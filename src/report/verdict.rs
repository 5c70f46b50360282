//! The verification verdict shown in the viewer's banner and at the top of the report.

use crate::journal::Journal;
use crate::verify::{Check, CheckName, VerifyReport, signer_sentence};

/// Whether a record verifies, why not, and the facts it attests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub valid: bool,
    /// The first failed check, in words, when not valid.
    pub reason: Option<String>,
    pub checks: Vec<Check>,
    /// Fingerprint (`SHA256:…`) of the key the checkpoints name, if any.
    pub signer: Option<String>,
    /// Whether the signer was pinned by the caller (otherwise a valid signature only shows
    /// that whoever holds that key signed).
    pub signer_pinned: bool,
    /// Whether there was a signature to check (a bundle), not just a bare journal.
    pub signatures_checked: bool,
    pub task: String,
    pub nonce: Option<String>,
    /// Wall-clock start, RFC 3339.
    pub started: String,
    /// Wall-clock end (start + session time of the last event), RFC 3339 with microseconds.
    pub ended: String,
    /// Session time minus privacy breaks (pause … resume).
    pub active_us: u64,
    pub sources: Vec<String>,
}

impl Verdict {
    /// Valid and signed by a pinned key: the only verdict to present as VALID. A valid
    /// record by a key nobody pinned is intact but proves nothing about who signed it.
    pub fn trusted(&self) -> bool {
        self.valid && self.signer_pinned
    }

    /// The headline word for this verdict: `VALID`, `NOT TRUSTED` or `INVALID`.
    pub fn status(&self) -> &'static str {
        match (self.valid, self.signer_pinned) {
            (true, true) => "VALID",
            (true, false) => "NOT TRUSTED",
            (false, _) => "INVALID",
        }
    }

    /// Why a valid record is not trusted, in words; `None` when it is trusted or invalid.
    pub fn untrusted_reason(&self) -> Option<String> {
        (self.valid && !self.signer_pinned).then(|| match &self.signer {
            Some(k) => format!(
                "intact and validly signed, but by {k}, a key nobody pinned: anyone can make a key; pin the trainer's key (--trust or --pubkey) to trust it"
            ),
            None => "nothing signs it".to_owned(),
        })
    }

    /// A record that could not be read or parsed at all.
    pub fn unreadable(reason: impl Into<String>) -> Verdict {
        let reason = reason.into();
        Verdict {
            valid: false,
            checks: vec![Check { name: CheckName::Readable, ok: false, detail: reason.clone() }],
            reason: Some(reason),
            ..Verdict::default()
        }
    }

    /// The verdict of `report` ([`crate::verify::verify`]), with the facts from the
    /// signed statement, or from the journal itself when nothing is signed.
    pub fn from_report(report: &VerifyReport, journal: Option<&Journal>) -> Verdict {
        let mut v = journal.map_or_else(Verdict::default, Verdict::journal_facts);
        if let Some(p) = &report.predicate {
            v.task = p.task.clone();
            v.nonce = p.nonce.clone();
            v.started = p.started.clone();
            v.ended = p.ended.clone();
            v.active_us = p.active_us;
            v.sources = p.sources.clone();
        }
        v.valid = report.valid;
        v.signer = report.signer.clone().or(v.signer);
        v.signer_pinned = report.signer_pinned;
        v.signatures_checked = report.kind == "bundle";
        v.checks = report.checks.clone();
        // A bare journal fails the `signed` check, and any change to a bundle's journal fails
        // `journal-digest`; the other checks say where and what, so they are named first.
        let mut failed: Vec<&Check> = v.checks.iter().filter(|c| !c.ok).collect();
        failed.sort_by_key(|c| match c.name {
            CheckName::Signed => 2,
            CheckName::JournalDigest => 1,
            _ => 0,
        });
        v.reason = failed.first().map(|c| match failed.len() {
            1 => format!("{}: {}", c.name, c.detail),
            n => format!("{}: {} (and {} more failed checks)", c.name, c.detail, n - 1),
        });
        v
    }

    /// The facts the journal states about itself (task, times, sources), unverified.
    fn journal_facts(journal: &Journal) -> Verdict {
        let start = journal.start();
        let facts = &journal.facts;
        Verdict {
            signer: facts.checkpoint_key.clone(),
            task: start.task.clone(),
            nonce: start.nonce.clone(),
            started: facts.started.clone(),
            ended: facts.ended.clone(),
            active_us: facts.active_us,
            sources: start.sources.clone(),
            ..Verdict::default()
        }
    }

    /// Who signed, in the words every view uses ([`signer_sentence`]).
    pub fn signer_sentence(&self) -> String {
        match &self.signer {
            Some(k) => signer_sentence(k, self.signer_pinned, self.signatures_checked),
            None => "unsigned".into(),
        }
    }
}

/// How a submitted text compares with the recorded final text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextComparison {
    /// Byte for byte the same.
    Exact,
    /// The same after the attestation's normalization ([`crate::attest::normalize`]: NFC,
    /// LF line endings, trailing white space dropped), but not byte for byte.
    Normalized,
    /// Different from char `at` on (0-based, after normalizing).
    Differs { at: usize },
}

impl TextComparison {
    pub fn describe(self) -> String {
        match self {
            TextComparison::Exact => "matches the recorded text exactly".into(),
            TextComparison::Normalized => {
                "matches the recorded text apart from line endings / trailing spaces".into()
            }
            TextComparison::Differs { at } => {
                format!("DIFFERS from the recorded text from character {} on", at + 1)
            }
        }
    }
}

/// Compares `submitted` with the recorded final text.
pub fn compare_text(recorded: &str, submitted: &str) -> TextComparison {
    if recorded == submitted {
        return TextComparison::Exact;
    }
    let (a, b) = (crate::attest::normalize(recorded), crate::attest::normalize(submitted));
    if a == b {
        return TextComparison::Normalized;
    }
    let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    TextComparison::Differs { at }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verify(path: &str) -> (VerifyReport, Journal) {
        let report = crate::verify::verify_file(path.as_ref(), &Default::default()).unwrap();
        let journal = crate::journal::parse(&std::fs::read(path).unwrap()).unwrap();
        (report, journal)
    }

    #[test]
    fn a_bare_journal_is_invalid_as_evidence_but_shows_its_facts() {
        let (report, journal) = verify("tests/fixtures/sample-session.jsonl");
        let v = Verdict::from_report(&report, Some(&journal));
        assert!(!v.valid);
        assert!(v.reason.unwrap().starts_with("signed: this is a bare journal"));
        assert!(!v.signatures_checked);
        assert_eq!((v.task.as_str(), v.nonce.as_deref()), ("T-1042", Some("q7Zx")));
        assert_eq!(v.sources, ["editor"]);
        let last = journal.entries.last().unwrap().t_us;
        assert!(v.active_us < last, "the privacy break is not active time");
        assert!(v.ended > v.started);
    }

    #[test]
    fn the_reason_names_a_real_failure_before_the_missing_signature() {
        let check = |name: CheckName, ok| Check { name, ok, detail: format!("{name} detail") };
        let (mut report, journal) = verify("tests/fixtures/sample-session.jsonl");
        report.checks = vec![
            check(CheckName::Signed, false),
            check(CheckName::Chain, true),
            check(CheckName::Replay, false),
        ];
        let v = Verdict::from_report(&report, Some(&journal));
        assert_eq!(v.reason.as_deref(), Some("replay: replay detail (and 1 more failed checks)"));
    }

    #[test]
    fn submitted_text_is_compared_exactly_then_normalized() {
        assert_eq!(compare_text("a\nb", "a\nb"), TextComparison::Exact);
        assert_eq!(compare_text("a\nb", "a\r\nb  \n"), TextComparison::Normalized);
        assert_eq!(compare_text("caf\u{e9}", "cafe\u{301}"), TextComparison::Normalized);
        assert_eq!(compare_text("abc", "abX"), TextComparison::Differs { at: 2 });
    }
}
