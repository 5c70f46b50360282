//! Reading an LWP keystroke log into Handprint events.
//!
//! Each row becomes a key press at `down_time` and a release at `up_time`, plus the edit its
//! `activity` describes, placed with `cursor_position` (the caret after the event). The text
//! is rebuilt as the rows are read, and deletions take the characters really at their
//! position, so the events always replay; rows whose recorded text disagrees are counted in
//! the notes. Missing columns lower what can be said and the notes say so.

use super::keys::code_for;
use super::{COLUMNS, LwpError};
use crate::event::{
    Cause, Edit, Entry, Event, FORMAT_VERSION, Key, KeyClass, KeySource, Modifiers, Selection,
    SessionEnd, SessionStart, key_class,
};
use std::collections::HashMap;
use std::io::Read;

/// One essay of a log, as Handprint records, with what the import could not carry over.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The essay's `id` (or `essay` when the log has no id column).
    pub id: String,
    pub entries: Vec<Entry>,
    /// Limits of this input in plain sentences, for [`crate::analysis::Analysis::limits`].
    pub notes: Vec<String>,
}

impl Imported {
    /// Replays and analyzes the essay, with the import's notes first in the limits.
    pub fn analyze(&self) -> Result<crate::analysis::Analysis, crate::replay::ReplayError> {
        let entries = std::sync::Arc::new(self.entries.clone());
        let replay = crate::replay::Replay::build(entries.clone())?;
        let mut a = crate::analysis::analyze(&entries, &replay);
        a.limits.splice(0..0, self.notes.iter().cloned());
        Ok(a)
    }
}

/// Column positions; `None` where the log lacks the column.
struct Cols {
    at: [Option<usize>; 11],
}

impl Cols {
    fn get<'r>(&self, row: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        let i = COLUMNS.iter().position(|c| *c == name)?;
        self.at[i].and_then(|j| row.get(j))
    }
}

struct Row {
    id: String,
    down: i64,
    up: Option<i64>,
    activity: String,
    event: Option<String>,
    text: Option<String>,
    cursor: Option<usize>,
}

/// Reads a whole LWP log; one [`Imported`] per essay id, in the order the ids first appear.
pub fn import(reader: impl Read) -> Result<Vec<Imported>, LwpError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = csv.headers()?.clone();
    let mut at = [None; 11];
    for (i, name) in COLUMNS.iter().enumerate() {
        at[i] = header.iter().position(|h| h.trim() == *name);
    }
    let cols = Cols { at };
    for required in ["down_time", "activity"] {
        if cols.at[COLUMNS.iter().position(|c| *c == required).unwrap_or(0)].is_none() {
            return Err(LwpError::MissingColumn(required));
        }
    }
    let mut essays: Vec<(String, Vec<Row>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (n, rec) in csv.records().enumerate() {
        let rec = rec?;
        let row_no = n + 2;
        let num = |column: &'static str| -> Result<Option<i64>, LwpError> {
            match cols.get(&rec, column).map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => v
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| Some(f.round() as i64))
                    .ok_or(LwpError::BadNumber { row: row_no, column, value: v.into() }),
            }
        };
        let down = num("down_time")?.ok_or(LwpError::BadNumber {
            row: row_no,
            column: "down_time",
            value: String::new(),
        })?;
        let row = Row {
            id: cols.get(&rec, "id").unwrap_or("essay").to_string(),
            down,
            up: num("up_time")?,
            activity: cols.get(&rec, "activity").unwrap_or("").trim().to_string(),
            event: cols.get(&rec, "down_event").map(str::to_string),
            text: cols.get(&rec, "text_change").map(unescape),
            cursor: num("cursor_position")?.map(|c| c.max(0) as usize),
        };
        let slot = *index.entry(row.id.clone()).or_insert_with(|| {
            essays.push((row.id.clone(), Vec::new()));
            essays.len() - 1
        });
        essays[slot].1.push(row);
    }
    if essays.is_empty() {
        return Err(LwpError::NoRows);
    }
    let missing =
        |name: &str| cols.at[COLUMNS.iter().position(|c| *c == name).unwrap_or(0)].is_none();
    let mut common = vec![
        "Imported from a keystroke-log CSV (LWP layout): key times are taken as millisecond browser times; pastes cannot be told apart from moves of the writer's own text, so all count as pasted from outside.".to_string(),
    ];
    if missing("up_time") {
        common.push("The log has no key release times (up_time): key holds, flights and rollover cannot be measured.".into());
    }
    if missing("text_change") {
        common.push("The log has no text changes (text_change): each Input is taken as one character and pastes as empty, so provenance and pause locations are approximate.".into());
    }
    if missing("cursor_position") {
        common.push("The log has no cursor positions: every edit is placed at the caret, so non-linear editing cannot be seen.".into());
    }
    if missing("down_event") {
        common.push(
            "The log has no key names (down_event): typed text cannot be matched to key presses."
                .into(),
        );
    }
    Ok(essays.into_iter().map(|(id, rows)| build(id, &rows, &common)).collect())
}

/// The LWP data writes a newline typed with Enter as the two characters `\n`.
fn unescape(s: &str) -> String {
    s.replace("\\n", "\n")
}

struct Builder {
    doc: Vec<char>,
    caret: usize,
    events: Vec<(u64, usize, Event)>,
    mismatched: usize,
    unknown: usize,
    repeats: usize,
}

impl Builder {
    fn push(&mut self, t: u64, event: Event) {
        let order = self.events.len();
        self.events.push((t, order, event));
    }

    /// Deletes `n` chars at `p` (clamped) and inserts `text`; returns nothing when no change.
    fn edit(&mut self, t: u64, p: usize, n: usize, claimed: Option<&str>, text: &str, c: Cause) {
        let p = p.min(self.doc.len());
        let n = n.min(self.doc.len() - p);
        let d: String = self.doc[p..p + n].iter().collect();
        if claimed.is_some_and(|cl| cl != d) {
            self.mismatched += 1;
        }
        if d.is_empty() && text.is_empty() {
            return;
        }
        self.doc.splice(p..p + n, text.chars());
        self.caret = p + text.chars().count();
        self.push(t, Event::Edit(Edit { p, d: d.into(), i: text.into(), c }));
    }
}

fn build(id: String, rows: &[Row], common: &[String]) -> Imported {
    let base = rows.iter().map(|r| r.down).min().unwrap_or(0);
    let us = |ms: i64| (ms.saturating_sub(base).max(0) as u64).saturating_mul(1000);
    let mut b = Builder {
        doc: Vec::new(),
        caret: 0,
        events: Vec::new(),
        mismatched: 0,
        unknown: 0,
        repeats: 0,
    };
    // Modifiers held: (code, bit, released at).
    let mut held: Vec<(String, u8, u64)> = Vec::new();
    let mut run: Option<KeyRun> = None;
    for row in rows {
        let t = us(row.down);
        let t_up = row.up.map(us).filter(|&u| u >= t);
        held.retain(|h| h.2 >= t);
        let mods = Modifiers(held.iter().fold(0, |m, h| m | h.1));
        let code = row.event.as_deref().and_then(code_for);
        let repeat = code.as_deref().zip(run.as_ref()).is_some_and(|(c, r)| r.repeats(c, t));
        if repeat && let Some(r) = run.as_mut() {
            let key = Key {
                code: r.code.as_str().into(),
                mods,
                src: Some(KeySource::Os),
                rep: true,
                dev: None,
            };
            b.push(t, Event::KeyDown(key));
            r.last_down = t;
            // The key is released once, after its last repeat.
            if let (Some(i), Some(u)) = (r.release, t_up) {
                b.events[i].0 = b.events[i].0.max(u);
                r.up = r.up.max(Some(u));
            }
            b.repeats += 1;
        } else if let Some(code) = &code {
            let key = Key {
                code: code.as_str().into(),
                mods,
                src: Some(KeySource::Os),
                rep: false,
                dev: None,
            };
            b.push(t, Event::KeyDown(key.clone()));
            run = Some(KeyRun {
                code: code.clone(),
                last_down: t,
                up: t_up,
                release: t_up.map(|_| b.events.len()),
            });
            if let Some(u) = t_up {
                b.push(u, Event::KeyUp(key));
                let bit = match code.as_str() {
                    "ShiftLeft" => Modifiers::SHIFT,
                    "ControlLeft" => Modifiers::CTRL,
                    "AltLeft" => Modifiers::ALT,
                    "MetaLeft" => Modifiers::META,
                    _ => 0,
                };
                if bit != 0 {
                    held.push((code.clone(), bit, u));
                }
            }
        }
        if code.is_none() {
            // A mouse or unidentified row between two presses ends any repeat run.
            run = None;
        }
        let char_key = code.as_deref().is_some_and(|c| is_character_key(c, mods));
        let ime = row.event.as_deref() == Some("Process");
        let text = row.text.as_deref().filter(|t| *t != "NoChange");
        let len = |s: &str| s.chars().count();
        let caret = b.caret;
        let before = |n: usize| row.cursor.map_or(caret, |c| c.saturating_sub(n));
        let activity = row.activity.as_str();
        match activity {
            "Input" => {
                let s = text.map_or_else(
                    || if row.text.is_none() { "q".to_string() } else { String::new() },
                    str::to_string,
                );
                let cause = input_cause(&s, char_key, ime);
                b.edit(t, before(len(&s)), 0, None, &s, cause);
            }
            "Remove/Cut" => {
                let s = text.unwrap_or("");
                let n = if row.text.is_none() { 1 } else { len(s) };
                let cause = if matches!(code.as_deref(), Some("Backspace" | "Delete")) {
                    Cause::Typed
                } else {
                    Cause::Cut
                };
                let p = row.cursor.unwrap_or(caret.saturating_sub(n));
                b.edit(t, p, n, text, "", cause);
            }
            "Replace" => {
                let (old, new) = text.and_then(|s| s.split_once(" => ")).unwrap_or(("", ""));
                // A word replaced in one input without a character key is spell-check or
                // autocorrect; a key typed over a selection is typing.
                let cause = input_cause(new, char_key, ime);
                b.edit(t, before(len(new)), len(old), Some(old), new, cause);
            }
            "Paste" => {
                let s = text.unwrap_or("");
                b.edit(t, before(len(s)), 0, None, s, Cause::PasteExt);
            }
            "Nonproduction" => {
                if let Some(c) = row.cursor.filter(|&c| c != b.caret && c <= b.doc.len()) {
                    b.caret = c;
                    b.push(t, Event::Select(Selection { a: c, b: c }));
                }
            }
            a if a.starts_with("Move From") => match parse_move(a) {
                Some((from, to, dest)) if to > from => {
                    let moved: String = b.doc.iter().skip(from).take(to - from).collect();
                    b.edit(t, from, to - from, None, "", Cause::Cut);
                    b.edit(t, dest, 0, None, &moved, Cause::PasteInt);
                }
                _ => b.unknown += 1,
            },
            _ => b.unknown += 1,
        }
    }
    let mut notes = common.to_vec();
    if b.repeats > 0 {
        notes.push(format!("{} key press(es) were the keyboard's auto-repeat of a held key (the same key again with no release between, or within {AUTO_REPEAT_MAX_MS} ms): they are kept as presses but not timed.", b.repeats));
    }
    if b.mismatched > 0 {
        notes.push(format!("{} row(s) of the log recorded deleted text that differs from the text rebuilt from the earlier rows; the rebuilt text was used.", b.mismatched));
    }
    if b.unknown > 0 {
        notes.push(format!(
            "{} row(s) had an activity Handprint does not know and were taken as key presses only.",
            b.unknown
        ));
    }
    b.events.sort_by_key(|e| (e.0, e.1));
    let end_t = b.events.last().map_or(0, |e| e.0);
    let text: String = b.doc.iter().collect();
    let start = Event::Start(Box::new(SessionStart {
        format: FORMAT_VERSION,
        session: id.clone(),
        task: "imported keystroke log".into(),
        nonce: None,
        prompt_sha256: None,
        challenge: None,
        app: format!("handprint {} (lwp-csv import)", env!("CARGO_PKG_VERSION")),
        os: "unknown".into(),
        wall: "1970-01-01T00:00:00Z".into(),
        sources: vec!["lwp-csv".into()],
    }));
    let end =
        Event::End(SessionEnd { sha256: crate::sha256_hex(text.as_bytes()), chars: b.doc.len() });
    let entries = std::iter::once((0, start))
        .chain(b.events.into_iter().map(|(t, _, e)| (t, e)))
        .chain(std::iter::once((end_t, end)))
        .enumerate()
        .map(|(seq, (t_us, event))| Entry { seq: seq as u64, t_us, event })
        .collect();
    Imported { id, entries, notes }
}

/// Same-key presses closer than this are the keyboard's auto-repeat, not a finger: X servers
/// repeat every 40 ms by default and Windows about every 33 ms (REFERENCES), while a person
/// pressing one key twice must lift and press it again. Some logs give each repeat its own
/// short release, so "no release between" alone would miss them.
const AUTO_REPEAT_MAX_MS: u64 = 45;

/// The key of the last press and of the repeats that followed it.
struct KeyRun {
    code: String,
    last_down: u64,
    up: Option<u64>,
    /// Index of the run's release event, moved to the last repeat's release.
    release: Option<usize>,
}

impl KeyRun {
    /// Whether a press of `code` at `t` (µs) repeats this run: the same key, pressed before
    /// its release or within [`AUTO_REPEAT_MAX_MS`] of the previous press.
    fn repeats(&self, code: &str, t: u64) -> bool {
        code == self.code
            && (self.up.is_some_and(|u| t < u)
                || t.saturating_sub(self.last_down) < AUTO_REPEAT_MAX_MS * 1000)
    }
}

/// Whether a key types a character (so an edit it made is typing).
fn is_character_key(code: &str, mods: Modifiers) -> bool {
    matches!(key_class(code, mods), KeyClass::Char | KeyClass::Space | KeyClass::Enter)
        || code == "Tab"
}

/// The cause of inserted text `s`: an IME row (`Process` key) is an IME commit; a word or
/// phrase (two or more characters, one a letter) inserted in one row without a character key
/// is an input method (spell-check, autocorrect, completion, dictation), since typing
/// presses one key per character; anything else is typing.
fn input_cause(s: &str, char_key: bool, ime: bool) -> Cause {
    if ime {
        Cause::Ime
    } else if !char_key && s.chars().count() >= 2 && s.chars().any(char::is_alphabetic) {
        Cause::InputMethod
    } else {
        Cause::Typed
    }
}

/// Parses `Move From [a, b] To [c, d]` into (a, b, c).
fn parse_move(s: &str) -> Option<(usize, usize, usize)> {
    let nums: Vec<usize> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match nums.as_slice() {
        [a, b, c, _] => Some((*a, *b, *c)),
        _ => None,
    }
}
