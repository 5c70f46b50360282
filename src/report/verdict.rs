//! The verification verdict shown in the viewer's banner and at the top of the report.

use crate::attest::VerifyReport;
use crate::event::{Event, Record};
use crate::journal::Journal;

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

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
    /// Wall-clock end (start + session time of the last event), RFC 3339.
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
            checks: vec![Check { name: "readable".into(), ok: false, detail: reason.clone() }],
            reason: Some(reason),
            ..Verdict::default()
        }
    }

    /// The verdict of `report` ([`crate::attest::verify_file`]), with the facts from the
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
        v.checks = report
            .checks
            .iter()
            .map(|c| Check { name: c.name.clone(), ok: c.ok, detail: c.detail.clone() })
            .collect();
        // A bare journal fails the `signed` check, and any change to a bundle's journal fails
        // `journal-digest`; the other checks say where and what, so they are named first.
        let mut failed: Vec<&Check> = v.checks.iter().filter(|c| !c.ok).collect();
        failed.sort_by_key(|c| match c.name.as_str() {
            "signed" => 2,
            "journal-digest" => 1,
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
        let records = &journal.records;
        let last_us = records.last().map_or(0, |r| r.t_us);
        Verdict {
            signer: signer(records),
            task: start.task.clone(),
            nonce: start.nonce.clone(),
            started: start.wall.clone(),
            ended: add_us(&start.wall, last_us),
            active_us: last_us.saturating_sub(break_us(records)),
            sources: start.sources.clone(),
            ..Verdict::default()
        }
    }
}

/// The key named by the last checkpoint that names one.
fn signer(records: &[Record]) -> Option<String> {
    records.iter().rev().find_map(|r| match &r.event {
        Event::Checkpoint(c) => c.key.clone(),
        _ => None,
    })
}

/// Total time spent in privacy breaks; a break still open at the end lasts to the end.
fn break_us(records: &[Record]) -> u64 {
    let mut total = 0;
    let mut since = None;
    for r in records {
        match r.event {
            Event::Pause => since = since.or(Some(r.t_us)),
            Event::Resume => total += since.take().map_or(0, |s| r.t_us - s),
            _ => {}
        }
    }
    let end = records.last().map_or(0, |r| r.t_us);
    total + since.map_or(0, |s| end - s)
}

fn add_us(wall: &str, us: u64) -> String {
    match chrono::DateTime::parse_from_rfc3339(wall) {
        Ok(t) => (t.to_utc() + chrono::Duration::microseconds(us as i64))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        Err(_) => format!("{wall} + {} s", us / 1_000_000),
    }
}

/// How a submitted text compares with the recorded final text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatch {
    /// Byte for byte the same.
    Exact,
    /// The same after the attestation's normalization ([`crate::attest::normalize`]: NFC,
    /// LF line endings, trailing white space dropped), but not byte for byte.
    Normalized,
    /// Different from char `at` on (0-based, after normalizing).
    Differs { at: usize },
}

impl TextMatch {
    pub fn describe(self) -> String {
        match self {
            TextMatch::Exact => "matches the recorded text exactly".into(),
            TextMatch::Normalized => {
                "matches the recorded text apart from line endings / trailing spaces".into()
            }
            TextMatch::Differs { at } => {
                format!("DIFFERS from the recorded text from character {} on", at + 1)
            }
        }
    }
}

/// Compares `submitted` with the recorded final text.
pub fn compare_text(recorded: &str, submitted: &str) -> TextMatch {
    if recorded == submitted {
        return TextMatch::Exact;
    }
    let (a, b) = (crate::attest::normalize(recorded), crate::attest::normalize(submitted));
    if a == b {
        return TextMatch::Normalized;
    }
    let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    TextMatch::Differs { at }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verify(path: &str) -> (VerifyReport, Journal) {
        let report = crate::attest::verify_file(path.as_ref(), &Default::default()).unwrap();
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
        let last = journal.records.last().unwrap().t_us;
        assert!(v.active_us < last, "the privacy break is not active time");
        assert!(v.ended > v.started);
    }

    #[test]
    fn the_reason_names_a_real_failure_before_the_missing_signature() {
        let check = |name: &str, ok| crate::attest::Check {
            name: name.into(),
            ok,
            detail: format!("{name} detail"),
        };
        let (mut report, journal) = verify("tests/fixtures/sample-session.jsonl");
        report.checks = vec![check("signed", false), check("chain", true), check("replay", false)];
        let v = Verdict::from_report(&report, Some(&journal));
        assert_eq!(v.reason.as_deref(), Some("replay: replay detail (and 1 more failed checks)"));
    }

    #[test]
    fn submitted_text_is_compared_exactly_then_normalized() {
        assert_eq!(compare_text("a\nb", "a\nb"), TextMatch::Exact);
        assert_eq!(compare_text("a\nb", "a\r\nb  \n"), TextMatch::Normalized);
        assert_eq!(compare_text("caf\u{e9}", "cafe\u{301}"), TextMatch::Normalized);
        assert_eq!(compare_text("abc", "abX"), TextMatch::Differs { at: 2 });
    }
}
