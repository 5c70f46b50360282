//! The transcription evidence score: how much more likely the writing process is under
//! copying a shown text than under composing, from signs weighted by the published data.
//!
//! Each sign's weight is a log-likelihood ratio, `ln(P(sign | copying) / P(sign | composing))`
//! in nats: how well the sign separates the two in the published figures (shared
//! REFERENCES: the student-essay log for composing; Dhakal et al. 2018 for copying shown
//! sentences; Crossley et al. 2024 for which features separate authentic from transcribed
//! essays). A sign that composers rarely show and copyists usually show weighs a lot; a sign
//! without a published rate weighs little. Signs that measure the same behaviour (deleting
//! little, keeping almost everything written, editing only at the end) are one group and only
//! the largest counts, so the same fact is never counted twice. A counter-sign (editing away
//! from the end, which copyists almost never do) subtracts.
//!
//! The score is compared with two thresholds: [`NOTICE_NATS`] (a likelihood ratio of 12, so
//! that the strongest single sign carries it alone) and [`WARNING_NATS`] (a ratio of 100).
//! Weak signs — those that cannot reach the notice level alone — may together raise at most
//! a notice: a warning needs at least one strong sign. Where a probability below is a reading
//! of a qualitative published statement rather than a published figure, its comment says so.

use super::flags::{MIN_INTERVALS, MIN_PRODUCED};
use super::{Context, Motor, Process, Provenance, process::Location};
use serde::Serialize;

/// Score from which the process is reported as transcription-like (notice): ln 12.
pub const NOTICE_NATS: f64 = 2.48;
/// Score from which it is a warning (with at least one strong sign): ln 100.
pub const WARNING_NATS: f64 = 4.6;

/// Composers' rate for every sign set at a published essay 5th/95th percentile.
const ESSAY_TAIL: f64 = 0.05;
/// Essays: p05 of the share of ≥ 2 s pauses within or between words.
const ESSAY_NOT_SENTENCE_P05: f64 = 0.79;
/// Pause sign threshold: under half of the long pauses within or between words, far below the
/// essays' p05 (0.79), so composers show it at most 5% of the time.
const PAUSE_SHARE_BELOW: f64 = 0.5;
/// Copyists "pause mostly at sentence ends (reading the next one)" (REFERENCES contrast;
/// Crossley 2024 ranks pauses before words and sentences first). "Mostly" is read as: four
/// in five copyists have fewer than half of their long pauses inside or between words — a
/// reading of a qualitative statement, stated as such.
const COPY_PAUSE_RATE: f64 = 0.8;
const ESSAY_DELETIONS_P05: f64 = 0.06;
const ESSAY_PRODUCT_P95: f64 = 0.94;
/// Copyists delete and revise less (Crossley 2024), but typists who fix their typos keep a
/// normal deletion rate: read as half of copyists below the essays' 5th percentile.
const COPY_LOW_REVISION_RATE: f64 = 0.5;
/// Essays: p05 of the non-linear insertion share is 0.00 and p25 0.02, so between 5% and 25%
/// of composers never insert away from the end: 0.15 is the middle of that range.
const ESSAY_LINEAR_RATE: f64 = 0.15;
/// Copyists "almost never insert away from the end" (REFERENCES contrast): read as 90%.
const COPY_LINEAR_RATE: f64 = 0.9;
/// Essays: p05 of the interval CV (< 2 s) when composing.
const ESSAY_CV_P05: f64 = 0.77;
/// Dhakal 2018 (copying shown sentences): CV p50 0.75, p75 0.82, so about 55% of copyists
/// are below the essays' 5th percentile (linear between the two quantiles).
const COPY_CV_RATE: f64 = 0.55;
/// Unrevised bursts right after the window regains focus: no published rate exists, so the
/// sign gets a nominal likelihood ratio of 2 and can never carry a verdict.
const FOCUS_BURST_RATIO: f64 = 2.0;
/// Essays: median non-linear insertion share is 0.10; copyists almost never reach it (read as
/// at most 5%), so reaching it is evidence of composing.
const ESSAY_NONLINEAR_P50: f64 = 0.10;
const COPY_NONLINEAR_RATE: f64 = 0.05;

/// One sign and what it added to the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// Stable name of the sign.
    pub sign: &'static str,
    /// Which group of signs it belongs to (only the largest of a group counts).
    pub group: &'static str,
    /// Its weight, nats (negative: evidence of composing).
    pub weight: f64,
    /// Whether it counted (false when a larger sign of its group counted instead).
    pub counted: bool,
    /// The measured value and the reference, in words.
    pub detail: String,
}

/// The score and its parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transcription {
    /// Whether enough was written to judge (500 characters produced).
    pub judged: bool,
    /// Sum of the counted weights, nats.
    pub score: f64,
    pub notice_at: f64,
    pub warning_at: f64,
    /// Whether a sign strong enough to reach the notice level alone is present.
    pub strong_sign: bool,
    pub contributions: Vec<Contribution>,
    /// Events that show the signs (pauses at sentence ends, bursts after focus returns).
    #[serde(skip)]
    pub events: Vec<u64>,
}

fn ln_ratio(copy: f64, compose: f64) -> f64 {
    (copy / compose).ln()
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// Scores the measured process.
pub(super) fn score(
    p: &Provenance,
    pr: &Process,
    motor: &Motor,
    context: &Context,
) -> Transcription {
    let judged = p.chars_produced >= MIN_PRODUCED;
    let mut signs: Vec<Contribution> = Vec::new();
    let mut events = Vec::new();
    let mut add = |sign, group, weight: f64, detail: String| {
        signs.push(Contribution { sign, group, weight, counted: false, detail });
    };

    let loc = &pr.pauses_by_location;
    let located = loc.within_word + loc.between_words + loc.sentence + loc.paragraph;
    if let Some(s) = pr.not_at_sentence_end_share.filter(|&s| s < PAUSE_SHARE_BELOW && located >= 5)
    {
        add(
            "pauses_at_sentence_ends",
            "pauses",
            ln_ratio(COPY_PAUSE_RATE, ESSAY_TAIL),
            format!(
                "only {} of {located} long pauses fall within or between words (composing: at least {} in 95% of essays); pauses at sentence ends are typical of reading the next sentence to copy",
                pct(s),
                pct(ESSAY_NOT_SENTENCE_P05)
            ),
        );
        events.extend(
            pr.pauses
                .iter()
                .filter(|x| matches!(x.location, Location::Sentence | Location::Paragraph))
                .map(|x| x.seq)
                .take(20),
        );
    }
    if let Some(d) = p.deletions_per_input_event.filter(|&d| d < ESSAY_DELETIONS_P05) {
        add(
            "few_deletions",
            "revision",
            ln_ratio(COPY_LOW_REVISION_RATE, ESSAY_TAIL),
            format!(
                "{d:.3} deletions per insertion (composing: at least {ESSAY_DELETIONS_P05} in 95% of essays)"
            ),
        );
    }
    if let Some(r) = p.product_process_ratio.filter(|&r| r > ESSAY_PRODUCT_P95) {
        add(
            "nothing_removed",
            "revision",
            ln_ratio(COPY_LOW_REVISION_RATE, ESSAY_TAIL),
            format!(
                "a product/process ratio of {r:.2}: almost nothing written was removed (composing: at most {ESSAY_PRODUCT_P95} in 95% of essays)"
            ),
        );
    }
    if pr.nonlinear_insert_share == Some(0.0) && pr.revisions.in_earlier_text == 0 {
        add("only_at_the_end", "revision", ln_ratio(COPY_LINEAR_RATE, ESSAY_LINEAR_RATE),
            "no insertion or deletion anywhere but the end of the text (between 5% and 25% of essays)".into());
    }
    if let Some(cv) =
        motor.interval_cv.filter(|&cv| cv < ESSAY_CV_P05 && motor.intervals >= MIN_INTERVALS)
    {
        add(
            "steady_rhythm",
            "rhythm",
            ln_ratio(COPY_CV_RATE, ESSAY_TAIL),
            format!(
                "a steady rhythm: interval CV {cv:.2} (composing: at least {ESSAY_CV_P05} in 95% of essays; about 55% of typists copying sentences are below it)"
            ),
        );
    }
    let bursts: Vec<_> = context.focus_return_bursts.iter().filter(|b| b.unrevised).collect();
    if bursts.len() >= 3 {
        add(
            "bursts_after_focus",
            "focus",
            FOCUS_BURST_RATIO.ln(),
            format!(
                "{} unrevised bursts of typing right after returning to the window (no published rate: a nominal weight)",
                bursts.len()
            ),
        );
        events.extend(bursts.iter().map(|b| b.seq));
    }
    if let Some(s) = pr.nonlinear_insert_share.filter(|&s| s >= ESSAY_NONLINEAR_P50) {
        add(
            "edits_earlier_text",
            "counter",
            ln_ratio(COPY_NONLINEAR_RATE, 0.5),
            format!(
                "{} of insertions were made away from the end of the text (half of essays reach {}; copyists almost never do)",
                pct(s),
                pct(ESSAY_NONLINEAR_P50)
            ),
        );
    }

    // Only the largest sign of each group counts: the signs of a group measure one behaviour.
    let mut score = 0.0;
    for i in 0..signs.len() {
        let g = signs[i].group;
        let best = signs
            .iter()
            .enumerate()
            .filter(|(_, s)| s.group == g)
            .max_by(|a, b| a.1.weight.abs().total_cmp(&b.1.weight.abs()))
            .map(|(j, _)| j);
        if best == Some(i) {
            signs[i].counted = true;
            score += signs[i].weight;
        }
    }
    let strong_sign = signs.iter().any(|s| s.counted && s.weight >= NOTICE_NATS);
    Transcription {
        judged,
        score: super::stats::round3(score),
        notice_at: NOTICE_NATS,
        warning_at: WARNING_NATS,
        strong_sign,
        contributions: signs,
        events,
    }
}

impl Transcription {
    /// The severity the score reaches: none below the notice threshold; a warning needs a
    /// strong sign, so weak signs together stop at a notice.
    pub fn severity(&self) -> Option<super::Severity> {
        use super::Severity;
        if !self.judged || self.score < NOTICE_NATS {
            None
        } else if self.score >= WARNING_NATS && self.strong_sign {
            Some(Severity::Warning)
        } else {
            Some(Severity::Notice)
        }
    }

    /// The contributions in words, for a flag's reason.
    pub fn explain(&self) -> String {
        let parts: Vec<String> = self
            .contributions
            .iter()
            .map(|c| {
                let counted =
                    if c.counted { "" } else { ", not counted: its group has a larger sign" };
                format!("{} ({:+.2}{counted})", c.detail, c.weight)
            })
            .collect();
        format!(
            "Transcription evidence score {:.2} nats (notice from {NOTICE_NATS}, warning from {WARNING_NATS} with a strong sign): {}",
            self.score,
            parts.join("; ")
        )
    }
}

#[cfg(test)]
#[path = "transcription_tests.rs"]
mod tests;
