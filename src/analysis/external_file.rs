//! Text written in the trainer's own editor (a watched file): what each save brought into
//! the file, and whether key presses in the editor account for it.
//!
//! The record sees such text only at each save (`ed` events with cause `file`), and the keys
//! typed in the editor before it (`kd`; in other applications only class counts are
//! recorded). A save's text is *explained* by the character-producing key presses in the
//! editor since the previous save: a person typing presses at least one key per character
//! (more with corrections and editor commands). The window runs from the previous save, not
//! a fixed number of seconds, because editors differ: vim writes only at `:w`, perhaps after
//! twenty minutes of typing, while VS Code's `afterDelay` autosave writes a second after the
//! last key. Each save *spends* the keys that explain it (oldest first), so the typing of one
//! save does not explain a block pasted into the next; keys a save did not need (editor
//! commands, a word typed just as the file was written) stay available until [`SLACK_US`]
//! after that save. Text that was already in the file, or was deleted from it earlier (a
//! line moved or duplicated, an undo), is not new and needs no keys. Keys counted in other
//! applications (by class only) count too: the editor is the first program focused, and a
//! trainer who typed in another one was still typing. Without the system-wide key hook no
//! key is recorded anywhere, so no save is judged.

use crate::event::{Cause, Entry, Event, FileChange, KeyClass, key_class};
use serde::Serialize;

/// Keys a save did not spend stay available to the next save if they were pressed at most
/// this long before the save (an editor writes what was typed up to a moment before its
/// write; 2 s leaves room for a slow disk or a busy machine).
pub const SLACK_US: u64 = 2_000_000;
/// An inserted run at least this long that is found verbatim in the file before the save, or
/// in text deleted from it earlier, counts as moved, copied or restored, not new. Shorter runs
/// are found anywhere by chance, so they always count as new (and need keys).
pub const MOVED_MIN_CHARS: usize = 16;
/// A save is unexplained when its new text exceeds the key presses by at least this many
/// characters and by at least a third of the new text: editors insert some text per key on
/// their own (auto-indentation, closing brackets, a completed word), so a small excess is
/// ordinary.
pub const UNEXPLAINED_MIN_CHARS: usize = 20;
/// Deleted text kept for recognising restored text (chars); older deletions are dropped.
const DELETED_KEPT: usize = 1_000_000;

/// One save whose new text the key presses before it do not account for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnexplainedSave {
    /// The save's first `ed` event.
    pub seq: u64,
    pub t_us: u64,
    /// New characters the save brought into the file.
    pub new_chars: usize,
    /// Character-producing key presses available to the save: pressed since the previous
    /// save (in the editor, and counted in other applications) or left unspent by it.
    pub keys: usize,
    /// New characters beyond those key presses.
    pub unexplained: usize,
    /// The save's `ed` events.
    pub events: Vec<u64>,
}

/// Measures of a session written in an external editor.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExternalFile {
    /// Whether a file was watched (a `file` event is present).
    pub watched: bool,
    /// Characters in the file when watching started (not written in the session), and the
    /// event that recorded them.
    pub initial_chars: usize,
    pub initial_seq: Option<u64>,
    /// Saves that changed the file after it was opened.
    pub saves: usize,
    /// New characters all saves brought (not moved, copied or restored text).
    pub new_chars: usize,
    /// Whether the system-wide key hook ran (`os-keys`), so keys typed in the editor were
    /// recorded at all. Without it no save is judged: every one would lack keys.
    pub judged: bool,
    /// Character-producing key presses in the editor.
    pub editor_keys: usize,
    /// Character-producing keys counted (by class only) in other applications. They count
    /// for the saves too: the program the trainer typed in may not be the one taken as the
    /// editor (the first one focused), and a person typing there is still typing.
    pub keys_elsewhere: usize,
    /// Saves not explained by key presses, in order.
    pub unexplained_saves: Vec<UnexplainedSave>,
    /// `file` `deleted` events.
    pub deletions: Vec<u64>,
    /// Applications focused during the session, in order of first focus; the editor first
    /// among those marked as it.
    pub apps: Vec<String>,
    pub editors: Vec<String>,
}

impl ExternalFile {
    /// Unexplained characters over all saves.
    pub fn unexplained_chars(&self) -> usize {
        self.unexplained_saves.iter().map(|s| s.unexplained).sum()
    }
}

/// Whether a key of `class` can put a character into the text (not a modifier, and not a
/// copy/cut/paste or other shortcut: a paste's text is exactly what must not be explained by
/// its Ctrl+V).
fn produces_text(class: KeyClass) -> bool {
    matches!(
        class,
        KeyClass::Char | KeyClass::Space | KeyClass::Enter | KeyClass::Navigation | KeyClass::Other
    )
}

pub(super) fn measure(entries: &[Entry]) -> ExternalFile {
    let mut m = ExternalFile::default();
    let mut text: Vec<char> = Vec::new();
    let mut deleted = String::new();
    // Character-producing key presses not yet spent by a save, with their time: one per
    // `kd` in the editor, a count per `away` event for the other applications.
    let mut keys: std::collections::VecDeque<(u64, usize)> = Default::default();
    let mut opening = false;
    let mut opened_t = 0;
    let mut prev_save_t: Option<u64> = None;
    let mut i = 0;
    while i < entries.len() {
        let r = &entries[i];
        match &r.event {
            Event::File(n) => {
                m.watched = true;
                // The content at opening is the `ed` events right after the note, at its time.
                opening = n.what == FileChange::Opened;
                opened_t = r.t_us;
                if n.what == FileChange::Deleted {
                    m.deletions.push(r.seq);
                }
            }
            Event::App(a) => {
                if !m.apps.contains(&a.name) && !a.name.is_empty() {
                    m.apps.push(a.name.clone());
                }
                if a.editor && !m.editors.contains(&a.name) {
                    m.editors.push(a.name.clone());
                }
            }
            Event::Start(st) => m.judged = st.sources.iter().any(|x| x == "os-keys"),
            Event::KeyDown(k) if produces_text(key_class(&k.code, k.mods)) => {
                keys.push_back((r.t_us, 1));
                m.editor_keys += 1;
            }
            Event::AwayKeys(a) => {
                // Counted since the previous `away` (at most 10 s, or since focus left the
                // editor); stamped here, which the 2 s slack and the window absorb.
                let n: u32 = a.n.iter().filter(|(c, _)| produces_text(**c)).map(|(_, n)| n).sum();
                keys.push_back((r.t_us, n as usize));
                m.keys_elsewhere += n as usize;
            }
            Event::Edit(e) if e.c == Cause::File => {
                // One save: the `ed` events written together (same time) from here.
                let end = entries[i..]
                    .iter()
                    .position(|x| !matches!(&x.event, Event::Edit(f) if f.c == Cause::File && x.t_us == r.t_us))
                    .map_or(entries.len(), |n| i + n);
                // The text before the save, copied only when a run long enough to have been
                // moved is inserted: most saves of a large file need no copy of it.
                let long = |x: &Entry| matches!(&x.event, Event::Edit(f) if f.i.chars().count() >= MOVED_MIN_CHARS);
                let before: String = if entries[i..end].iter().any(long) {
                    text.iter().collect()
                } else {
                    String::new()
                };
                let mut new_chars = 0;
                for x in &entries[i..end] {
                    let Event::Edit(f) = &x.event else { continue };
                    let n = f.i.chars().count();
                    let known = n >= MOVED_MIN_CHARS
                        && (before.contains(f.i.as_str()) || deleted.contains(f.i.as_str()));
                    if !known {
                        new_chars += n;
                    }
                    apply(&mut text, f.p, &f.d, &f.i);
                    remember_deleted(&mut deleted, &f.d);
                }
                if opening && r.t_us == opened_t {
                    m.initial_chars += text.len();
                    m.initial_seq = Some(r.seq);
                } else {
                    m.saves += 1;
                    m.new_chars += new_chars;
                    let keys = spend(&mut keys, prev_save_t, r.t_us, new_chars);
                    let unexplained = new_chars.saturating_sub(keys);
                    if m.judged
                        && unexplained >= UNEXPLAINED_MIN_CHARS
                        && unexplained * 3 >= new_chars
                    {
                        m.unexplained_saves.push(UnexplainedSave {
                            seq: r.seq,
                            t_us: r.t_us,
                            new_chars,
                            keys,
                            unexplained,
                            events: entries[i..end].iter().map(|x| x.seq).collect(),
                        });
                    }
                }
                opening = false;
                prev_save_t = Some(r.t_us);
                i = end;
                continue;
            }
            Event::Edit(e) => apply(&mut text, e.p, &e.d, &e.i),
            _ => {}
        }
        if !matches!(r.event, Event::File(_) | Event::Checkpoint(_)) {
            opening = false;
        }
        i += 1;
    }
    m
}

/// The keys available to a save at `t_us` (unspent, pressed by then and not expired: at most
/// [`SLACK_US`] before the previous save), spending as many as the save's `new_chars` from
/// the oldest. Keys pressed after `t_us` stay for the next save.
fn spend(
    keys: &mut std::collections::VecDeque<(u64, usize)>,
    prev_save_t: Option<u64>,
    t_us: u64,
    new_chars: usize,
) -> usize {
    let from = prev_save_t.map_or(0, |t| t.saturating_sub(SLACK_US));
    while keys.front().is_some_and(|(t, _)| *t < from) {
        keys.pop_front();
    }
    let available: usize = keys.iter().take_while(|(t, _)| *t <= t_us).map(|(_, n)| n).sum();
    let mut owed = new_chars.min(available);
    while owed > 0 {
        let Some(front) = keys.front_mut() else { break };
        let take = front.1.min(owed);
        front.1 -= take;
        owed -= take;
        if front.1 == 0 {
            keys.pop_front();
        }
    }
    available
}

/// Applies an edit that replay has already checked.
fn apply(text: &mut Vec<char>, p: usize, d: &str, i: &str) {
    let end = (p + d.chars().count()).min(text.len());
    let p = p.min(end);
    text.splice(p..end, i.chars());
}

fn remember_deleted(deleted: &mut String, d: &str) {
    if d.chars().count() < MOVED_MIN_CHARS {
        return;
    }
    deleted.push_str(d);
    deleted.push('\u{0}');
    if deleted.len() > DELETED_KEPT * 4 {
        let cut = deleted.len() - DELETED_KEPT;
        let cut = (cut..deleted.len()).find(|&c| deleted.is_char_boundary(c)).unwrap_or(0);
        deleted.drain(..cut);
    }
}

#[cfg(test)]
#[path = "external_file_tests.rs"]
mod tests;
