//! Explainable writing-process analysis: measures, flags with reasons, summary.
//!
//! [`analyze_record`] reads an opened record's entries and replay (for the origin of every
//! character of the final text; [`analyze`] takes them directly) and answers the auditor's question — was this text composed here by a
//! person typing, or pasted, injected by a program, or copied from another screen? — with
//! measured facts ([`Measures`]), [`Flag`]s that each give their reason, the human reference
//! range and the events behind them, and a plain-language [`Summary`]. Every threshold is
//! taken from published human data; docs/ANALYSIS.md defines each measure and flag and cites
//! its source. The analysis makes a fixed number of passes over the events (O(n log n) with
//! the sorting for percentiles) and never replays per event. [`timeline`] lays the same
//! session out over time for the viewer's charts and the HTML report.

mod capture;
mod context;
mod external_file;
mod flags;
pub mod lwp;
mod motor;
mod process;
mod provenance;
mod report;
mod stats;
#[cfg(test)]
mod test_support;
pub mod timeline;
mod transcription;

pub use capture::{Capture, CaptureAt, DeviceAt};
pub use context::{ClockAnomaly, Context, FocusBurst};
pub use external_file::{ExternalFile, UnexplainedSave};
pub use motor::{Motor, TimingSource};
pub use process::{Bursts, Location, LocationCounts, Pause, Process, Revisions};
pub use provenance::{Paste, Provenance};
pub use transcription::{Contribution, Transcription};

use crate::event::Entry;
use crate::record::Record;
use crate::replay::Replay;
use serde::Serialize;

/// Version of the measures and flags; recorded in attestations so a verdict can be traced to
/// the rules that produced it. Bump when a definition or threshold changes.
pub const ANALYSIS_VERSION: &str = "handprint-analysis/2";

/// The versions before [`ANALYSIS_VERSION`], oldest first. Records signed under one of them
/// (every record made before the bump) stay valid: the verifier cannot rerun an earlier
/// version's rules, so it says the signed summary was not compared and that the analysis it
/// shows is this version's, recomputed from the journal (docs/FORMAT.md, `analysis` check).
/// Add the old version here at every bump.
pub const EARLIER_ANALYSIS_VERSIONS: &[&str] = &["handprint-analysis/1"];

/// The full analysis of one session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// [`ANALYSIS_VERSION`].
    pub version: String,
    /// What the evidence shows, in sentences, and what it cannot show.
    pub summary: Summary,
    /// Every measure, grouped.
    pub measures: Measures,
    /// Findings worth an auditor's attention, most severe first.
    pub flags: Vec<Flag>,
    /// What cannot be said with this input (missing key releases, too little data, …).
    pub limits: Vec<String>,
}

/// Headline sentences: facts first, then exactly one sentence on what the evidence cannot show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub facts: Vec<String>,
    pub cannot_show: String,
}

/// Every measure, grouped as in docs/ANALYSIS.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measures {
    pub provenance: Provenance,
    pub process: Process,
    pub motor: Motor,
    pub context: Context,
    /// The transcription evidence score (copying a shown text vs composing).
    pub transcription: Transcription,
    /// What the capture recorded about itself: devices, losses, limits.
    pub capture: Capture,
    /// Text written in the trainer's own editor (a watched file): saves and the keys
    /// that account for them.
    pub external_file: ExternalFile,
}

/// How much a flag should weigh with an auditor. Ordered: `Info < Notice < Warning < Strong`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context worth knowing; not a concern by itself.
    Info,
    /// Unusual compared with most people; has common innocent explanations.
    Notice,
    /// Outside the published human range; needs an explanation.
    Warning,
    /// Not produced by a person typing on a keyboard at this computer, unless the capture failed.
    Strong,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Strong => "strong",
        }
    }
}

/// One finding, with its reason in plain words and the events that support it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Stable snake_case identifier (documented in docs/ANALYSIS.md).
    pub id: String,
    pub severity: Severity,
    /// Short title.
    pub title: String,
    /// Plain words with the measured numbers, the human reference range and the innocent
    /// explanations that exist.
    pub reason: String,
    /// Sequence numbers of supporting events, most telling first (a viewer jumps to `[0]`).
    pub events: Vec<u64>,
}

/// Analyzes an opened record; `None` when its journal does not verify or replay (there is
/// then no trustworthy sequence of events to analyze).
pub fn analyze_record(record: &Record) -> Option<Analysis> {
    let replay = record.replayed()?;
    Some(analyze(replay.entries(), replay))
}

/// Analyzes a session's events. Works on any journal, including an unfinished one or one with no key
/// events at all: what cannot be measured is left out and said in [`Analysis::limits`].
pub fn analyze(entries: &[Entry], replay: &Replay) -> Analysis {
    let mut limits = Vec::new();
    let provenance = provenance::measure(entries, replay);
    let process = process::measure(entries);
    let motor = motor::measure(entries, &mut limits);
    let context = context::measure(entries, &mut limits);
    let mut transcription = transcription::score(&provenance, &process, &motor, &context);
    let capture = capture::measure(entries);
    let external_file = external_file::measure(entries);
    // A watched file is seen only at each save: the pauses, revisions and places of
    // insertion the score reads happened between saves, out of sight.
    transcription.judged &= !external_file.watched;
    let measures =
        Measures { provenance, process, motor, context, transcription, capture, external_file };
    let mut flags = flags::raise(&measures, &mut limits);
    flags.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let summary = report::summary(&measures, &flags);
    Analysis { version: ANALYSIS_VERSION.into(), summary, measures, flags, limits }
}

impl Analysis {
    /// The compact form embedded in an attestation's predicate: version, headline counts and
    /// ratios, and each flag's id and severity.
    pub fn attestation_summary(&self) -> serde_json::Value {
        let p = &self.measures.provenance;
        let m = &self.measures.motor;
        let pr = &self.measures.process;
        serde_json::json!({
            "version": self.version,
            "final_chars": p.final_chars,
            "typed_share": p.typed_share,
            "paste_ext_share": p.paste_ext_share,
            "paste_int_share": p.paste_int_share,
            "other_share": p.other_share,
            "largest_external_paste": p.largest_external_paste.as_ref().map(|x| x.chars),
            "product_process_ratio": p.product_process_ratio,
            "key_presses": m.key_presses,
            "unmatched_typed_chars": m.unmatched_typed_chars,
            "interval_median_ms": m.interval_median_ms,
            "interval_cv": m.interval_cv,
            "pauses_2s": pr.pauses.len(),
            "flags": self.flags.iter().map(|f| serde_json::json!({
                "id": f.id, "severity": f.severity
            })).collect::<Vec<_>>(),
        })
    }

    /// The terminal report.
    pub fn to_text(&self) -> String {
        report::to_text(self)
    }

    /// The most severe flag, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.flags.iter().map(|f| f.severity).max()
    }
}

#[cfg(test)]
mod tests;
