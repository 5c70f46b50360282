//! A record as an auditor sees it: verified, analysed and laid out on a timeline. The
//! viewer (in a background thread) and `handprint replay --report` both go through
//! [`Evidence::open`], which opens the [`Record`] once and borrows it for everything.

use super::{Flag, PageExtras, ReportInput, TextComparison, Verdict, compare_text, render_page};
use crate::analysis::timeline::Timeline;
use crate::attest::PublicKey;
use crate::record::Record;
use crate::replay::Replay;
use crate::verify::{VerifyOptions, VerifyReport, verify};
use std::path::{Path, PathBuf};

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
    /// Reads `path` and opens it as evidence ([`Evidence::of`]), calling
    /// `progress(stage, fraction 0…1)` as it goes. Never fails: a record that cannot be used
    /// has an invalid verdict saying why.
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
        let mb = std::fs::metadata(path).map_or(0, |m| m.len() >> 20);
        progress(&format!("reading, checking the hash chain and replaying ({mb} MB)"), 0.0);
        match Record::open(path) {
            Ok(record) => Evidence::of_pinned(record, trusted, progress),
            Err(e) => Evidence {
                path: path.to_owned(),
                verdict: Verdict::unreadable(e.to_string()),
                replay: None,
                findings: Vec::new(),
                summary: Vec::new(),
            },
        }
    }

    /// Verifies, analyses and lays out an opened record, no signer pinned.
    pub fn of(record: Record, progress: &dyn Fn(&str, f32)) -> Evidence {
        Evidence::of_pinned(record, &[], progress)
    }

    /// Verifies, analyses and lays out an opened record with the signer pinned to one of
    /// `trusted`. Verification (signature, checkpoints, signed facts, bindings, and the
    /// analysis recomputed on the way) runs on this thread while a second one lays out the
    /// timeline from the same replay, so a large session uses both cores.
    pub fn of_pinned(
        record: Record,
        trusted: &[PublicKey],
        progress: &dyn Fn(&str, f32),
    ) -> Evidence {
        // An auditor looks at records from anyone: verify every check, accept any signer for
        // the checks, and let the verdict say whether that signer is trusted.
        let opts = VerifyOptions {
            trusted: trusted.to_vec(),
            any_signer: trusted.is_empty(),
            ..VerifyOptions::default()
        };
        progress("verifying and analysing the writing process", 0.6);
        let (mut report, timeline) = std::thread::scope(|scope| {
            let laying_out =
                scope.spawn(|| record.replayed().map(|r| Timeline::build(r.entries())));
            let report = verify(&record, &opts);
            progress("computing the timeline", 0.9);
            let timeline = laying_out.join().ok().flatten();
            (report, timeline)
        });
        let analysis = report.analysis.take();
        let evidence = Evidence::from_checked(record, &report, analysis, timeline);
        progress("done", 1.0);
        evidence
    }

    /// Assembles the evidence of a record already verified (the platform service verifies
    /// with its own options, then shows the result the same way). `analysis` is the one
    /// verification recomputed ([`VerifyReport::analysis`]).
    pub fn from_checked(
        record: Record,
        report: &VerifyReport,
        analysis: Option<crate::analysis::Analysis>,
        timeline: Option<Timeline>,
    ) -> Evidence {
        let verdict = Verdict::from_report(report, record.parsed());
        let (findings, summary) = match analysis {
            Some(a) => {
                let mut summary = a.summary.facts;
                summary.push(a.summary.cannot_show);
                summary.extend(a.limits.into_iter().map(|l| format!("Limit: {l}")));
                (a.flags, summary)
            }
            None => (Vec::new(), Vec::new()),
        };
        let path = record.source.clone();
        let timeline = timeline.or_else(|| record.replayed().map(|r| Timeline::build(r.entries())));
        let replay = record.into_replay().zip(timeline);
        Evidence { path, verdict, replay, findings, summary }
    }

    /// The final text, when the record replays.
    pub fn final_text(&self) -> Option<String> {
        self.replay.as_ref().map(|(r, _)| r.final_state().text())
    }

    /// Compares `submitted` with the final text.
    pub fn compare(&self, submitted: &str) -> Option<TextComparison> {
        self.final_text().map(|t| compare_text(&t, submitted))
    }

    /// The self-contained HTML report with the interactive replay.
    pub fn to_html(&self, text_match: Option<TextComparison>) -> String {
        self.to_page(text_match, PageExtras::default())
    }

    /// The HTML report with the interactive replay, and what `extras` adds around it.
    pub fn to_page(&self, text_match: Option<TextComparison>, extras: PageExtras) -> String {
        let source = self.path.display().to_string();
        let entries = self.replay.as_ref().map(|(r, _)| r.entries().as_slice());
        let extras = PageExtras { entries: extras.entries.or(entries), ..extras };
        render_page(
            &ReportInput {
                source: &source,
                verdict: &self.verdict,
                timeline: self.replay.as_ref().map(|(_, t)| t),
                final_state: self.replay.as_ref().map(|(r, _)| r.final_state()),
                findings: &self.findings,
                summary: &self.summary,
                text_match,
            },
            &extras,
        )
    }
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
        assert_eq!(e.compare(&e.final_text().unwrap()), Some(TextComparison::Exact));
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
