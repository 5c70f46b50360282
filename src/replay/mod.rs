//! Replay: rebuild the exact text, caret and per-character origin at any event of a journal.
//!
//! Replay applies the journal's edit operations in order, like helix applies a change set:
//! at `p`, check that the recorded deleted text is really there, remove it, insert the new
//! text. Every glyph remembers the event that inserted it and why (typed, pasted, …). A
//! keyframe is kept every [`KEYFRAME_EVERY`] events, so seeking anywhere means cloning the
//! nearest keyframe (cheap, chunks are shared) and applying at most that many events.

mod document;

pub use document::{Document, Glyph};

use crate::event::{Cause, Entry, Event, Selection};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use thiserror::Error;

/// Replays built by this process; see [`build_count`].
static BUILT: AtomicUsize = AtomicUsize::new(0);

/// How many replays this process has built ([`Replay::build`] calls). A diagnostic: tests
/// use it to show that opening a record replays it once.
pub fn build_count() -> usize {
    BUILT.load(Ordering::Relaxed)
}

/// Events between keyframes. Seeking applies at most this many events.
pub const KEYFRAME_EVERY: usize = 1024;

/// The editor's state after some number of events.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The text with the origin of each char.
    pub doc: Document,
    /// Caret and selection.
    pub sel: Selection,
    /// How many events have been applied (0 = before the first).
    pub applied: usize,
}

impl State {
    /// The plain text.
    pub fn text(&self) -> String {
        self.doc.text()
    }

    /// Chars of the current text per origin.
    pub fn origin_counts(&self) -> BTreeMap<Cause, usize> {
        let mut counts = BTreeMap::new();
        for g in self.doc.glyphs() {
            *counts.entry(g.cause).or_insert(0) += 1;
        }
        counts
    }
}

/// Why a journal does not replay.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplayError {
    #[error("event {seq}: edit at position {p} but the text is only {len} characters long")]
    EditOutOfRange { seq: u64, p: usize, len: usize },
    #[error(
        "event {seq}: the edit says it deleted {claimed:?} at position {p}, but the text there is {actual:?}"
    )]
    DeletedTextMismatch { seq: u64, p: usize, claimed: String, actual: String },
    #[error("event {seq}: selection {a}..{b} is outside the text ({len} characters)")]
    SelectionOutOfRange { seq: u64, a: usize, b: usize, len: usize },
    #[error(
        "event {seq}: the session end records text SHA-256 {recorded} ({recorded_chars} chars), but replay gives {replayed} ({replayed_chars} chars)"
    )]
    FinalTextMismatch {
        seq: u64,
        recorded: String,
        recorded_chars: usize,
        replayed: String,
        replayed_chars: usize,
    },
}

impl ReplayError {
    /// Sequence number (= 0-based line index) of the event that does not replay.
    pub fn seq(&self) -> u64 {
        match self {
            ReplayError::EditOutOfRange { seq, .. }
            | ReplayError::DeletedTextMismatch { seq, .. }
            | ReplayError::SelectionOutOfRange { seq, .. }
            | ReplayError::FinalTextMismatch { seq, .. } => *seq,
        }
    }
}

/// Characters inserted and deleted over the whole session, per cause.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub inserted: BTreeMap<Cause, usize>,
    pub deleted: BTreeMap<Cause, usize>,
    /// Number of edit events per cause.
    pub edits: BTreeMap<Cause, usize>,
}

impl Totals {
    pub fn inserted_by(&self, cause: Cause) -> usize {
        self.inserted.get(&cause).copied().unwrap_or(0)
    }

    pub fn deleted_total(&self) -> usize {
        self.deleted.values().sum()
    }

    pub fn inserted_total(&self) -> usize {
        self.inserted.values().sum()
    }
}

/// A text the trainer copied or cut from the editor during the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub seq: u64,
    pub text: String,
}

/// A replayable journal.
#[derive(Debug, Clone)]
pub struct Replay {
    entries: Arc<Vec<Entry>>,
    keyframes: Vec<State>,
    last: State,
    totals: Totals,
    copies: Vec<Copied>,
}

impl Replay {
    /// Replays every event, checking that each edit applies exactly and that the final text
    /// matches the digest in the session end (when the session was finished).
    pub fn build(entries: Arc<Vec<Entry>>) -> Result<Replay, ReplayError> {
        BUILT.fetch_add(1, Ordering::Relaxed);
        let mut state = State::default();
        let mut keyframes = Vec::with_capacity(entries.len() / KEYFRAME_EVERY + 1);
        let mut totals = Totals::default();
        let mut copies = Vec::new();
        for (i, r) in entries.iter().enumerate() {
            if i % KEYFRAME_EVERY == 0 {
                keyframes.push(state.clone());
            }
            check(&state, r)?;
            match &r.event {
                Event::Edit(e) => {
                    *totals.inserted.entry(e.c).or_insert(0) += e.i.chars().count();
                    *totals.deleted.entry(e.c).or_insert(0) += e.d.chars().count();
                    *totals.edits.entry(e.c).or_insert(0) += 1;
                }
                Event::Copy(c) => {
                    copies.push(Copied { seq: r.seq, text: state.doc.slice(c.a, c.b) });
                }
                // Exhaustive on purpose: a new event kind must decide whether it counts here.
                Event::Start(_)
                | Event::KeyDown(_)
                | Event::KeyUp(_)
                | Event::Select(_)
                | Event::Focus(_)
                | Event::Pause
                | Event::Resume
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
            apply(&mut state, r);
        }
        Ok(Replay { entries, keyframes, last: state, totals, copies })
    }

    /// The records this replay was built from.
    pub fn entries(&self) -> &Arc<Vec<Entry>> {
        &self.entries
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The state after the first `applied` events (clamped to the number of events).
    pub fn at(&self, applied: usize) -> State {
        let applied = applied.min(self.entries.len());
        if applied == self.entries.len() {
            return self.last.clone();
        }
        let k = applied / KEYFRAME_EVERY;
        let mut state = self.keyframes[k].clone();
        for r in &self.entries[state.applied..applied] {
            apply(&mut state, r);
        }
        state
    }

    /// The text after the event with sequence number `seq` (inclusive).
    pub fn text_after(&self, seq: usize) -> String {
        self.at(seq + 1).text()
    }

    /// The state after every event.
    pub fn final_state(&self) -> &State {
        &self.last
    }

    /// Characters inserted and deleted per cause.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Texts copied or cut from the editor, in order: what an internal paste may contain.
    pub fn copies(&self) -> &[Copied] {
        &self.copies
    }
}

/// Checks that `r` applies to `state` exactly as recorded.
fn check(state: &State, r: &Entry) -> Result<(), ReplayError> {
    let len = state.doc.len();
    match &r.event {
        Event::Edit(e) => {
            if e.p > len {
                return Err(ReplayError::EditOutOfRange { seq: r.seq, p: e.p, len });
            }
            let n = e.d.chars().count();
            if e.p + n > len || !state.doc.matches_at(e.p, &e.d) {
                return Err(ReplayError::DeletedTextMismatch {
                    seq: r.seq,
                    p: e.p,
                    claimed: e.d.to_string(),
                    actual: state.doc.slice(e.p, e.p + n),
                });
            }
        }
        Event::Select(Selection { a, b }) => check_range(r.seq, *a, *b, len)?,
        Event::Copy(c) => check_range(r.seq, c.a, c.b, len)?,
        Event::End(end) => {
            let text = state.doc.text();
            let replayed = crate::sha256_hex(text.as_bytes());
            if replayed != end.sha256 || end.chars != state.doc.len() {
                return Err(ReplayError::FinalTextMismatch {
                    seq: r.seq,
                    recorded: end.sha256.clone(),
                    recorded_chars: end.chars,
                    replayed,
                    replayed_chars: state.doc.len(),
                });
            }
        }
        // Events that do not touch the text or the caret have nothing to check.
        Event::Start(_)
        | Event::KeyDown(_)
        | Event::KeyUp(_)
        | Event::Focus(_)
        | Event::Pause
        | Event::Resume
        | Event::AwayKeys(_)
        | Event::Clock(_)
        | Event::Checkpoint(_)
        | Event::Recovered(_)
        | Event::Witness(_)
        | Event::App(_)
        | Event::File(_)
        | Event::Devices(_)
        | Event::Capture(_) => {}
    }
    Ok(())
}

fn check_range(seq: u64, a: usize, b: usize, len: usize) -> Result<(), ReplayError> {
    if a > len || b > len {
        return Err(ReplayError::SelectionOutOfRange { seq, a, b, len });
    }
    Ok(())
}

/// Applies `r` to `state`; `check` has already accepted it.
fn apply(state: &mut State, r: &Entry) {
    match &r.event {
        Event::Edit(e) => {
            state.doc.delete(e.p, e.d.chars().count());
            let caret = e.p + state.doc.insert(e.p, &e.i, r.seq as u32, e.c);
            state.sel = Selection { a: caret, b: caret };
        }
        Event::Select(s) => state.sel = *s,
        // Only edits and caret moves change the editor's state.
        Event::Start(_)
        | Event::KeyDown(_)
        | Event::KeyUp(_)
        | Event::Copy(_)
        | Event::Focus(_)
        | Event::Pause
        | Event::Resume
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
    state.applied += 1;
}

#[cfg(test)]
mod tests;
