//! Writing a Handprint session as an LWP keystroke log.
//!
//! One row per key press (its release, if recorded, gives `up_time`), with the edit the key
//! made attached; edits no key made (pastes, undo, drops) and caret moves no key made (mouse
//! clicks) get rows of their own. Word count after each row is kept incrementally from the
//! characters around each edit.

use super::keys::name_for;
use super::{COLUMNS, LwpError};
use crate::event::{Cause, Edit, Entry, Event};
use std::collections::HashMap;
use std::io::Write;

/// A key press whose edit has not been seen yet is still the key that made an edit up to
/// this long after it (one slow frame of the app window).
const EDIT_AFTER_KEY_US: u64 = 100_000;

#[derive(Default)]
struct Row {
    down_ms: u64,
    up_ms: Option<u64>,
    activity: String,
    event: String,
    text: String,
    cursor: usize,
    words: usize,
    has_edit: bool,
}

/// Writes `records` as an LWP CSV log (header and one row per event) to `out`.
pub fn export(entries: &[Entry], out: impl Write) -> Result<(), LwpError> {
    let id = match entries.first().map(|r| &r.event) {
        Some(Event::Start(s)) => s.session.clone(),
        _ => "session".into(),
    };
    let mut doc: Vec<char> = Vec::new();
    let mut words = 0usize;
    let mut caret = 0usize;
    let mut rows: Vec<Row> = Vec::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    let mut last_key: Option<(usize, u64)> = None;
    for r in entries {
        let ms = r.t_us / 1000;
        match &r.event {
            Event::KeyDown(k) => {
                // Auto-repeat (the key still down and the last pressed): LWP logs one row per
                // physical press. A key never released is pressed anew by the next press.
                let open_row = open.get(k.code.as_str()).copied();
                if open_row.is_some() && open_row == last_key.map(|(i, _)| i) {
                    continue;
                }
                rows.push(Row {
                    down_ms: ms,
                    activity: "Nonproduction".into(),
                    event: name_for(&k.code, None),
                    text: "NoChange".into(),
                    cursor: caret,
                    words,
                    ..Row::default()
                });
                open.insert(&k.code, rows.len() - 1);
                last_key = Some((rows.len() - 1, r.t_us));
            }
            Event::KeyUp(k) => {
                if let Some(i) = open.remove(k.code.as_str()) {
                    rows[i].up_ms = Some(ms);
                }
            }
            Event::Edit(e) => {
                words = apply(&mut doc, words, e);
                caret = e.p + e.i.chars().count();
                // The edit a key made (a typed character, or the paste of Ctrl+V) shares its row.
                let keyed = last_key
                    .is_some_and(|(i, t)| !rows[i].has_edit && r.t_us <= t + EDIT_AFTER_KEY_US);
                let i = match last_key.filter(|_| keyed) {
                    Some((i, _)) => i,
                    None => {
                        rows.push(Row {
                            down_ms: ms,
                            up_ms: Some(ms),
                            event: edit_event(e.c),
                            ..Row::default()
                        });
                        rows.len() - 1
                    }
                };
                let row = &mut rows[i];
                row.has_edit = true;
                (row.activity, row.text) = describe(e);
                if keyed && e.c == Cause::Typed && e.i.chars().count() == 1 {
                    row.event = name_for_edit(&row.event, e);
                }
                row.cursor = caret;
                row.words = words;
            }
            Event::Select(s) => {
                let pending_key = last_key.is_some_and(|(_, t)| r.t_us <= t + EDIT_AFTER_KEY_US);
                caret = s.b;
                if pending_key {
                    if let Some((i, _)) = last_key {
                        rows[i].cursor = caret;
                    }
                } else {
                    rows.push(Row {
                        down_ms: ms,
                        up_ms: Some(ms),
                        activity: "Nonproduction".into(),
                        event: "Leftclick".into(),
                        text: "NoChange".into(),
                        cursor: caret,
                        words,
                        ..Row::default()
                    });
                }
            }
            // Exhaustive on purpose: a new event kind must decide whether the LWP layout
            // (keys, edits and caret moves only) can carry it.
            Event::Start(_)
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
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for (n, row) in rows.iter().enumerate() {
        let up = row.up_ms.unwrap_or(row.down_ms);
        w.write_record([
            id.clone(),
            (n + 1).to_string(),
            row.down_ms.to_string(),
            up.to_string(),
            up.saturating_sub(row.down_ms).to_string(),
            row.activity.clone(),
            row.event.clone(),
            row.event.clone(),
            row.text.clone(),
            row.cursor.to_string(),
            row.words.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The key name of a typing row: the character typed (as LWP logs do for character keys).
fn name_for_edit(current: &str, e: &Edit) -> String {
    match e.i.chars().next() {
        Some(c) if current.chars().count() == 1 => name_for("", Some(c)),
        _ => current.to_string(),
    }
}

fn edit_event(c: Cause) -> String {
    match c {
        Cause::PasteExt | Cause::PasteInt => "v",
        Cause::Cut => "x",
        Cause::Undo => "z",
        Cause::Redo => "y",
        Cause::Drop => "Leftclick",
        _ => "Unidentified",
    }
    .into()
}

/// The activity and text_change of an edit.
fn describe(e: &Edit) -> (String, String) {
    let activity = match (e.c, e.d.is_empty(), e.i.is_empty()) {
        (Cause::PasteExt | Cause::PasteInt | Cause::Drop, true, false) => "Paste",
        (_, true, false) => "Input",
        (_, false, true) => "Remove/Cut",
        (_, false, false) => "Replace",
        (_, true, true) => "Nonproduction",
    };
    let text = match activity {
        "Remove/Cut" => e.d.to_string(),
        "Replace" => format!("{} => {}", e.d, e.i),
        "Nonproduction" => "NoChange".into(),
        _ => e.i.to_string(),
    };
    (activity.into(), text)
}

/// Applies `e` to `doc` and returns the new word count (maximal runs of non-whitespace),
/// recounting only the words that touch the edit.
fn apply(doc: &mut Vec<char>, words: usize, e: &Edit) -> usize {
    let p = e.p.min(doc.len());
    let n = e.d.chars().count().min(doc.len() - p);
    let lo = p.saturating_sub(1);
    let before = count_words(&doc[lo..(p + n + 1).min(doc.len())]);
    doc.splice(p..p + n, e.i.chars());
    let after = count_words(&doc[lo..(p + e.i.chars().count() + 1).min(doc.len())]);
    (words + after).saturating_sub(before)
}

fn count_words(s: &[char]) -> usize {
    let mut n = 0;
    let mut prev_space = true;
    for c in s {
        if !c.is_whitespace() && prev_space {
            n += 1;
        }
        prev_space = c.is_whitespace();
    }
    n
}
