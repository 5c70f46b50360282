//! Provenance of the final text: where each of its characters came from (typed here, pasted
//! from outside, moved within the text, other), the largest outside paste, and how much was
//! produced and deleted on the way (the product/process ratio of keystroke-logging research).

use super::stats::round3;
use crate::event::{Cause, Entry, Event};
use crate::replay::Replay;
use serde::Serialize;
use std::collections::BTreeMap;

/// Supporting pastes kept per session (largest first); enough for a viewer to mark them.
const MAX_PASTES_KEPT: usize = 100;

/// One paste from outside the session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paste {
    pub seq: u64,
    pub chars: usize,
}

/// Provenance measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// Length of the final text in characters.
    pub final_chars: usize,
    /// Final-text characters inserted by typing (cause `typed`).
    pub typed: usize,
    /// Final-text characters pasted from outside the session (`paste_ext`).
    pub paste_ext: usize,
    /// Final-text characters pasted from the session's own text (`paste_int`).
    pub paste_int: usize,
    /// Final-text characters inserted any other way (undo/redo, IME, drop, file, other).
    pub other: usize,
    /// The four counts above as shares of the final text (0 when the text is empty).
    pub typed_share: f64,
    pub paste_ext_share: f64,
    pub paste_int_share: f64,
    pub other_share: f64,
    /// Final-text characters per cause name.
    pub by_cause: BTreeMap<String, usize>,
    /// The largest single paste from outside (chars inserted), wherever it ended up.
    pub largest_external_paste: Option<Paste>,
    /// Pastes from outside, largest first (at most 100 kept).
    pub external_pastes: Vec<Paste>,
    /// Number of paste-from-outside edits.
    pub external_paste_count: usize,
    /// Characters inserted over the whole session, all causes.
    pub chars_produced: usize,
    /// Characters deleted over the whole session, all causes.
    pub chars_deleted: usize,
    /// Final length ÷ characters produced (1 = nothing ever deleted).
    pub product_process_ratio: Option<f64>,
    /// Edits that inserted text / that deleted text (a replacement counts in both).
    pub insertion_edits: usize,
    pub deletion_edits: usize,
    /// Deletion edits ÷ insertion edits: the "deletions per input event" of the student-essay
    /// figures in docs/ANALYSIS.md.
    pub deletions_per_input_event: Option<f64>,
    /// Final-text characters from input methods (IME commits, and spell-check, autocorrect,
    /// word completion or dictation), and their share: facts, never evidence against anyone.
    pub input_method: usize,
    pub input_method_share: f64,
}

pub(super) fn measure(entries: &[Entry], replay: &Replay) -> Provenance {
    let mut by: BTreeMap<Cause, usize> = BTreeMap::new();
    let doc = &replay.final_state().doc;
    for g in doc.glyphs() {
        *by.entry(g.cause).or_insert(0) += 1;
    }
    let count = |c: Cause| by.get(&c).copied().unwrap_or(0);
    let final_chars = doc.len();
    let typed = count(Cause::Typed);
    let paste_ext = count(Cause::PasteExt);
    let paste_int = count(Cause::PasteInt);
    let other = final_chars - typed - paste_ext - paste_int;
    let input_method = count(Cause::Ime) + count(Cause::InputMethod);
    let share =
        |n: usize| if final_chars == 0 { 0.0 } else { round3(n as f64 / final_chars as f64) };

    let mut pastes = Vec::new();
    let (mut insertion_edits, mut deletion_edits) = (0usize, 0usize);
    for r in entries {
        if let Event::Edit(e) = &r.event {
            if !e.i.is_empty() {
                insertion_edits += 1;
            }
            if !e.d.is_empty() {
                deletion_edits += 1;
            }
            if e.c == Cause::PasteExt && !e.i.is_empty() {
                pastes.push(Paste { seq: r.seq, chars: e.i.chars().count() });
            }
        }
    }
    pastes.sort_by(|a, b| b.chars.cmp(&a.chars).then(a.seq.cmp(&b.seq)));
    let external_paste_count = pastes.len();
    pastes.truncate(MAX_PASTES_KEPT);

    let totals = replay.totals();
    let chars_produced = totals.inserted_total();
    Provenance {
        final_chars,
        typed,
        paste_ext,
        paste_int,
        other,
        typed_share: share(typed),
        paste_ext_share: share(paste_ext),
        paste_int_share: share(paste_int),
        other_share: share(other),
        by_cause: by.iter().map(|(c, n)| (c.name().to_string(), *n)).collect(),
        largest_external_paste: pastes.first().cloned(),
        external_pastes: pastes,
        external_paste_count,
        chars_produced,
        chars_deleted: totals.deleted_total(),
        product_process_ratio: (chars_produced > 0)
            .then(|| round3(final_chars as f64 / chars_produced as f64)),
        insertion_edits,
        deletion_edits,
        deletions_per_input_event: (insertion_edits > 0)
            .then(|| round3(deletion_edits as f64 / insertion_edits as f64)),
        input_method,
        input_method_share: share(input_method),
    }
}
