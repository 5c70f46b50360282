//! Writing-process measures of keystroke-logging research (as in Inputlog): pauses and where
//! they fall, P-bursts and R-bursts, revisions by size and distance from the end of the text,
//! and non-linear editing.
//!
//! One pass over the events. The text is not rebuilt: the pass keeps the text length, the
//! caret, and the last few characters before the caret, which is all that pause location and
//! revision distance need while the writer edits at the caret; after a caret jump the context
//! is unknown until new text is typed, and such pauses are classed "other".

use super::stats::{self, round3};
use crate::event::{Cause, Edit, Entry, Event};
use serde::Serialize;

/// Pause threshold of 2 s for P-bursts (Kaufer, Hayes & Flower 1986; Chenoweth & Hayes 2001).
pub const PAUSE_MS: u64 = 2_000;
/// Deletions within 500 ms of each other form one revision chain (REFERENCES: after Faigley &
/// Witte 1981 as used in keystroke-log studies).
pub const CHAIN_MS: u64 = 500;
/// Revision size convention: fewer than 10 characters is a correction, 10 or more a revision
/// (after Faigley & Witte 1981).
pub const REVISION_CHARS: usize = 10;
/// Characters of context kept before the caret.
const TAIL: usize = 64;
/// Within-word intervals needed before a per-writer threshold is estimated.
const MIN_WITHIN_WORD: usize = 20;

/// Where a pause falls, judged from the character before the caret and the one typed next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    WithinWord,
    BetweenWords,
    Sentence,
    Paragraph,
    /// Before a deletion, a paste, a caret move, or where the context is unknown.
    Other,
}

impl Location {
    const ALL: [Location; 5] = [
        Location::WithinWord,
        Location::BetweenWords,
        Location::Sentence,
        Location::Paragraph,
        Location::Other,
    ];
}

/// Counts of pauses per location.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LocationCounts {
    pub within_word: usize,
    pub between_words: usize,
    pub sentence: usize,
    pub paragraph: usize,
    pub other: usize,
}

impl LocationCounts {
    fn add(&mut self, l: Location) {
        self.add_n(l, 1);
    }

    fn add_n(&mut self, l: Location, n: usize) {
        *match l {
            Location::WithinWord => &mut self.within_word,
            Location::BetweenWords => &mut self.between_words,
            Location::Sentence => &mut self.sentence,
            Location::Paragraph => &mut self.paragraph,
            Location::Other => &mut self.other,
        } += n;
    }

    /// Share of located pauses (not "other") that are within or between words rather than at
    /// a sentence or paragraph boundary; `None` when no pause was located.
    pub fn not_at_sentence_end_share(&self) -> Option<f64> {
        let words = self.within_word + self.between_words;
        let located = words + self.sentence + self.paragraph;
        (located > 0).then(|| round3(words as f64 / located as f64))
    }
}

/// A pause of at least 2 s before an edit, caret move or copy (measured to the first key
/// press that led to it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pause {
    /// Sequence number of the event after the pause (the key press, when there is one).
    pub seq: u64,
    /// Length of the pause in milliseconds.
    pub ms: u64,
    pub location: Location,
}

/// Burst counts and lengths in characters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Bursts {
    pub count: usize,
    pub mean_chars: Option<f64>,
    pub max_chars: usize,
}

/// Revision chains by size and by where they happened.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Revisions {
    /// Deletion chains (deletions within 500 ms of each other).
    pub chains: usize,
    /// Chains of fewer than 10 characters.
    pub corrections: usize,
    /// Chains of 10 characters or more.
    pub revisions: usize,
    /// Chains that started at the end of the text (the leading edge: immediate fixes).
    pub at_leading_edge: usize,
    /// Chains that started in earlier text (returning to revise).
    pub in_earlier_text: usize,
    /// Median distance from the end of the text, in characters, of chains in earlier text.
    pub median_distance_chars: Option<f64>,
}

/// Process measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Process {
    /// Edits, caret moves and copies: the actions between which pauses are measured.
    pub actions: usize,
    /// Median interval between consecutive edits, ms (pauses included, privacy breaks not).
    pub edit_interval_median_ms: Option<f64>,
    /// Pauses of at least 2 s, in order.
    pub pauses: Vec<Pause>,
    pub pauses_by_location: LocationCounts,
    /// Pauses ≥ 2 s per 100 characters produced.
    pub pauses_per_100_chars: Option<f64>,
    /// Share of located ≥ 2 s pauses within or between words (not at a sentence end).
    pub not_at_sentence_end_share: Option<f64>,
    /// The writer's own pause threshold: Tukey's far-out fence (Q3 + 3 IQR) of their
    /// within-word intervals, ms; `None` with fewer than 20 such intervals.
    pub writer_threshold_ms: Option<f64>,
    /// Pauses above the writer's own threshold, by location.
    pub writer_pauses_by_location: LocationCounts,
    /// Production between 2 s pauses (ended by a pause or the end of the session).
    pub p_bursts: Bursts,
    /// Production ended by a revision (a deletion or an edit away from the caret).
    pub r_bursts: Bursts,
    pub revisions: Revisions,
    /// Share of insertions made before the end of the text.
    pub nonlinear_insert_share: Option<f64>,
    /// Edits that did not start where the previous edit left the caret.
    pub caret_jumps: usize,
}

/// The interval before one edit and where it fell.
struct Gap {
    ms: u64,
    location: Location,
    seq: u64,
}

#[derive(Default)]
struct Pass {
    len: usize,
    caret: usize,
    tail: Vec<char>,
    last_action_t: Option<u64>,
    /// The first key press since the last action: a pause ends when the hand moves.
    first_key: Option<(u64, u64)>,
    last_edit_t: Option<u64>,
    edit_intervals: Vec<f64>,
    /// Gaps of at least [`PAUSE_MS`], in order.
    pauses: Vec<Gap>,
    /// Every gap's length in ms, per location (indexed by `Location as usize`): the writer's
    /// own threshold and the pauses above it come from these, without a list of every gap.
    gap_ms: [stats::Histogram; 5],
    pending: Option<(u64, u64)>,
    burst: usize,
    p_bursts: Vec<usize>,
    r_bursts: Vec<usize>,
    chain: Option<(u64, usize, usize)>,
    chains: Vec<(usize, usize)>,
    insertions: usize,
    nonlinear: usize,
    caret_jumps: usize,
    actions: usize,
}

pub(super) fn measure(entries: &[Entry]) -> Process {
    let mut s = Pass::default();
    for r in entries {
        match &r.event {
            Event::Edit(e) => s.edit(r, e),
            Event::Select(sel) => {
                s.action(r);
                if sel.b != s.caret {
                    s.tail.clear();
                }
                s.caret = sel.b;
            }
            Event::KeyDown(_) => {
                s.first_key.get_or_insert((r.seq, r.t_us));
            }
            Event::Copy(_) => {
                s.action(r);
            }
            // A privacy break: nothing was recorded, so its length is no pause of the writer's.
            Event::Pause | Event::Resume => {
                s.last_action_t = None;
                s.last_edit_t = None;
                s.first_key = None;
                s.pending = None;
            }
            // Exhaustive on purpose: a new event kind must decide whether it is an action.
            Event::Start(_)
            | Event::KeyUp(_)
            | Event::Focus(_)
            | Event::AwayKeys(_)
            | Event::Clock(_)
            | Event::Checkpoint(_)
            | Event::Recovered(_)
            | Event::Witness(_)
            | Event::App(_)
            | Event::File(_)
            | Event::Devices(_)
            | Event::Capture(_)
            | Event::End(_) => {}
        }
    }
    s.finish()
}

impl Pass {
    /// Records the interval before an action; a pause ≥ 2 s is held until the next edit shows
    /// where it fell.
    fn action(&mut self, r: &Entry) {
        self.actions += 1;
        let (seq, t) = self.first_key.take().unwrap_or((r.seq, r.t_us));
        let gap = self.last_action_t.map(|last| t.saturating_sub(last) / 1000);
        self.last_action_t = Some(r.t_us);
        if let Some((seq, ms)) = self.pending.take() {
            // A pause followed by no production before this action.
            self.gap(Gap { ms, location: Location::Other, seq });
        }
        if let Some(ms) = gap {
            if ms >= PAUSE_MS {
                self.close_burst(true);
            }
            self.pending = Some((seq, ms));
        }
    }

    fn edit(&mut self, r: &Entry, e: &Edit) {
        self.action(r);
        let pending = self.pending.take();
        if let Some(t) = self.last_edit_t {
            self.edit_intervals.push(r.t_us.saturating_sub(t) as f64 / 1000.0);
        }
        self.last_edit_t = Some(r.t_us);
        let d = e.d.chars().count();
        let i = e.i.chars().count();
        let at_caret = e.p == self.caret;
        let backspace = d > 0 && i == 0 && e.p + d == self.caret;
        let jump = !(at_caret || backspace);
        if jump {
            self.caret_jumps += 1;
        }
        let typed_at_caret = e.c == Cause::Typed && at_caret && d == 0 && i > 0;
        let location = match (typed_at_caret, e.i.chars().next()) {
            (true, Some(next)) => self.location(e.p, next),
            _ => Location::Other,
        };
        if let Some((seq, ms)) = pending {
            self.gap(Gap { ms, location, seq });
        }
        // Revisions: deletions chained within 500 ms.
        if d > 0 {
            let distance = self.len.saturating_sub(e.p + d);
            match &mut self.chain {
                Some((t, _, size)) if r.t_us.saturating_sub(*t) <= CHAIN_MS * 1000 => {
                    *t = r.t_us;
                    *size += d;
                }
                _ => {
                    self.end_chain();
                    self.chain = Some((r.t_us, distance, d));
                }
            }
            self.close_burst(false);
        } else if jump {
            self.close_burst(false);
        }
        if i > 0 {
            self.end_chain();
            self.insertions += 1;
            if e.p + d < self.len {
                self.nonlinear += 1;
            }
            if e.c == Cause::Typed {
                self.burst += i;
            }
        }
        // Context before the caret.
        if backspace {
            let keep = self.tail.len().saturating_sub(d);
            self.tail.truncate(keep);
        } else if !at_caret {
            self.tail.clear();
        }
        self.tail.extend(e.i.chars());
        if self.tail.len() > TAIL {
            self.tail.drain(..self.tail.len() - TAIL);
        }
        self.len = self.len + i - d.min(self.len);
        self.caret = e.p + i;
    }

    fn gap(&mut self, g: Gap) {
        self.gap_ms[g.location as usize].add(g.ms);
        if g.ms >= PAUSE_MS {
            self.pauses.push(g);
        }
    }

    /// Where a pause before typing `next` at `pos` falls.
    fn location(&self, pos: usize, next: char) -> Location {
        let Some(&prev) = self.tail.last() else {
            return if pos == 0 { Location::Paragraph } else { Location::Other };
        };
        let ends_sentence = |c: char| matches!(c, '.' | '!' | '?');
        if prev == '\n' {
            Location::Paragraph
        } else if ends_sentence(prev) {
            Location::Sentence
        } else if prev.is_whitespace() {
            match self.tail.iter().rev().find(|c| !c.is_whitespace()) {
                Some('\n') | None => Location::Paragraph,
                Some(&c) if ends_sentence(c) => Location::Sentence,
                _ => Location::BetweenWords,
            }
        } else if prev.is_alphanumeric() && next.is_alphanumeric() {
            Location::WithinWord
        } else {
            Location::BetweenWords
        }
    }

    fn close_burst(&mut self, by_pause: bool) {
        if self.burst > 0 {
            if by_pause { &mut self.p_bursts } else { &mut self.r_bursts }.push(self.burst);
        }
        self.burst = 0;
    }

    fn end_chain(&mut self) {
        if let Some((_, distance, size)) = self.chain.take() {
            self.chains.push((distance, size));
        }
    }

    fn finish(mut self) -> Process {
        if let Some((seq, ms)) = self.pending.take() {
            self.gap(Gap { ms, location: Location::Other, seq });
        }
        self.close_burst(true);
        self.end_chain();
        let mut pauses = Vec::new();
        let mut by_location = LocationCounts::default();
        for g in &self.pauses {
            by_location.add(g.location);
            pauses.push(Pause { seq: g.seq, ms: g.ms, location: g.location });
        }
        let within_word = &self.gap_ms[Location::WithinWord as usize];
        let writer_threshold_ms = (within_word.len() >= MIN_WITHIN_WORD).then(|| {
            let q1 = within_word.percentile(0.25).unwrap_or(0.0);
            let q3 = within_word.percentile(0.75).unwrap_or(0.0);
            round3(q3 + 3.0 * (q3 - q1))
        });
        let mut writer = LocationCounts::default();
        if let Some(th) = writer_threshold_ms {
            for location in Location::ALL {
                writer.add_n(location, self.gap_ms[location as usize].count_above(th));
            }
        }
        let produced: usize = self.p_bursts.iter().chain(&self.r_bursts).sum();
        let earlier: Vec<f64> =
            self.chains.iter().filter(|c| c.0 > 0).map(|c| c.0 as f64).collect();
        let revisions = Revisions {
            chains: self.chains.len(),
            corrections: self.chains.iter().filter(|c| c.1 < REVISION_CHARS).count(),
            revisions: self.chains.iter().filter(|c| c.1 >= REVISION_CHARS).count(),
            at_leading_edge: self.chains.iter().filter(|c| c.0 == 0).count(),
            in_earlier_text: earlier.len(),
            median_distance_chars: stats::percentile(&stats::sorted(&earlier), 0.5),
        };
        Process {
            actions: self.actions,
            edit_interval_median_ms: stats::percentile(&stats::sort(self.edit_intervals), 0.5),
            pauses_per_100_chars: (produced > 0)
                .then(|| round3(pauses.len() as f64 * 100.0 / produced as f64)),
            not_at_sentence_end_share: by_location.not_at_sentence_end_share(),
            pauses,
            pauses_by_location: by_location,
            writer_threshold_ms,
            writer_pauses_by_location: writer,
            p_bursts: bursts(&self.p_bursts),
            r_bursts: bursts(&self.r_bursts),
            revisions,
            nonlinear_insert_share: (self.insertions > 0)
                .then(|| round3(self.nonlinear as f64 / self.insertions as f64)),
            caret_jumps: self.caret_jumps,
        }
    }
}

fn bursts(lengths: &[usize]) -> Bursts {
    let v: Vec<f64> = lengths.iter().map(|&n| n as f64).collect();
    Bursts {
        count: lengths.len(),
        mean_chars: stats::mean(&v).map(round3),
        max_chars: lengths.iter().copied().max().unwrap_or(0),
    }
}

#[cfg(test)]
#[path = "process_tests.rs"]
mod tests;
