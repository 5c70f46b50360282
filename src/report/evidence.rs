//! Opening a record for an auditor: read, verify, replay, analyse. The viewer (in a
//! background thread) and `handprint replay --report` both go through [`Evidence::open`].

use super::{Flag, ReportInput, TextMatch, Verdict, compare_text, render_html};
use crate::attest::{Check, PublicKey, VerifyOptions, VerifyReport, verify_file};
use crate::replay::Replay;
use crate::replay::timeline::Timeline;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A record as an auditor sees it.
pub struct Evidence {
    pub path: PathBuf,
    pub verdict: Verdict,
    /// The replay and its timeline, when the record replays.
    pub replay: Option<(Replay, Timeline)>,
    pub findings: Vec<Flag>,
    /// Lines of the analysis summary.
    pub summary: Vec<String>,
}

impl Evidence {
    /// Reads, verifies and replays `path`, calling `progress(stage, fraction 0…1)` as it
    /// goes. Never fails: a record that cannot be used has an invalid verdict saying why.
    ///
    /// Verification ([`crate::attest::verify_file`]: signature, chain, checkpoints, replay,
    /// bindings) runs in a second thread while this one parses and replays the journal for
    /// display, so a large session costs about one verification of wall time on two cores.
    pub fn open(path: &Path, progress: &dyn Fn(&str, f32)) -> Evidence {
        Evidence::open_pinned(path, &[], progress)
    }

    /// As [`Evidence::open`], with the signer pinned to one of `trusted` (registered trainer
    /// keys). A record signed by any other key still opens, verified, but its verdict is
    /// "not trusted" ([`Verdict::trusted`]), never plain valid.
    pub fn open_pinned(
        path: &Path,
        trusted: &[PublicKey],
        progress: &dyn Fn(&str, f32),
    ) -> Evidence {
        let fail = |reason: String| Evidence {
            path: path.to_owned(),
            verdict: Verdict::unreadable(reason),
            replay: None,
            findings: Vec::new(),
            summary: Vec::new(),
        };
        progress("reading the file", 0.0);
        let input = match crate::input::load(path) {
            Ok(i) => i,
            Err(e) => return fail(e.to_string()),
        };
        let mb = input.journal.len() >> 20;
        // An auditor looks at records from anyone: verify every check, accept any signer for
        // the checks, and let the verdict say whether that signer is trusted.
        let opts = VerifyOptions {
            trusted: trusted.to_vec(),
            any_signer: trusted.is_empty(),
            ..VerifyOptions::default()
        };
        let (report, journal, replay) = std::thread::scope(|scope| {
            let verifying = scope.spawn(|| verify_file(path, &opts));
            progress(&format!("verifying signature and hash chain ({mb} MB)"), 0.1);
            let journal = crate::journal::parse(&input.journal);
            progress("replaying", 0.6);
            let replay = journal.as_ref().ok().map(|j| Replay::build(Arc::clone(&j.records)));
            progress("checking the signed facts", 0.8);
            let report = verifying
                .join()
                .unwrap_or_else(|_| Ok(panicked_report("verification stopped unexpectedly")));
            (report, journal, replay)
        });
        let report = match report {
            Ok(r) => r,
            Err(e) => return fail(e.to_string()),
        };
        let verdict = Verdict::from_report(&report, journal.as_ref().ok());
        progress("analysing the writing process", 0.85);
        let replay = replay.and_then(Result::ok);
        let (findings, summary) = match &replay {
            Some(r) => {
                let a = crate::analysis::analyze(r.records(), r);
                let mut summary = a.summary.facts;
                summary.push(a.summary.cannot_show);
                summary.extend(a.limits.into_iter().map(|l| format!("Limit: {l}")));
                (a.flags, summary)
            }
            None => (Vec::new(), Vec::new()),
        };
        progress("computing the timeline", 0.95);
        let replay = replay.map(|r| {
            let t = Timeline::build(r.records());
            (r, t)
        });
        progress("done", 1.0);
        Evidence { path: path.to_owned(), verdict, replay, findings, summary }
    }

    /// The final text, when the record replays.
    pub fn final_text(&self) -> Option<String> {
        self.replay.as_ref().map(|(r, _)| r.final_state().text())
    }

    /// Compares `submitted` with the final text.
    pub fn compare(&self, submitted: &str) -> Option<TextMatch> {
        self.final_text().map(|t| compare_text(&t, submitted))
    }

    /// The self-contained HTML report.
    pub fn to_html(&self, text_match: Option<TextMatch>) -> String {
        let source = self.path.display().to_string();
        render_html(&ReportInput {
            source: &source,
            verdict: &self.verdict,
            timeline: self.replay.as_ref().map(|(_, t)| t),
            final_state: self.replay.as_ref().map(|(r, _)| r.final_state()),
            findings: &self.findings,
            summary: &self.summary,
            text_match,
        })
    }
}

/// A report with one failed check, for a verifier thread that did not finish.
fn panicked_report(why: &str) -> VerifyReport {
    let mut report = VerifyReport::unchecked();
    report.checks.push(Check { name: "verification".into(), ok: false, detail: why.into() });
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_journal_opens_unsigned_with_a_timeline() {
        let e = Evidence::open(Path::new("tests/fixtures/sample-session.jsonl"), &|_, _| {});
        assert!(!e.verdict.valid);
        assert_eq!(e.verdict.task, "T-1042");
        assert!(e.replay.as_ref().is_some_and(|(_, t)| !t.process.is_empty()));
        assert_eq!(e.compare(&e.final_text().unwrap()), Some(TextMatch::Exact));
    }

    #[test]
    fn a_tampered_journal_opens_invalid_with_the_line_that_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let good = std::fs::read_to_string("tests/fixtures/sample-session.jsonl").unwrap();
        std::fs::write(&path, good.replacen("\"i\":\"l\"", "\"i\":\"L\"", 1)).unwrap();
        let e = Evidence::open(&path, &|_, _| {});
        assert!(!e.verdict.valid);
        assert!(e.replay.is_none());
        let reason = e.verdict.reason.clone().unwrap();
        assert!(reason.starts_with("chain: line 8: chain tag does not match"), "{reason}");
        assert!(e.to_html(None).contains("INVALID"));
    }

    #[test]
    fn a_missing_file_opens_invalid_instead_of_failing() {
        let e = Evidence::open(Path::new("/nonexistent/x.jsonl"), &|_, _| {});
        assert!(e.verdict.reason.unwrap().contains("cannot read"));
    }
}
