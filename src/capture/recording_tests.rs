//! Tests of the live session: one source per key press, away counts, active time.

use super::*;
use crate::event::{KeyClass, Modifiers};

fn recording(dir: &Path) -> Recording {
    Recording::start(dir, "T", None, None, &[SOURCE_EDITOR, SOURCE_OS_KEYS], None).unwrap()
}

fn events_of(rec: &mut Recording) -> Vec<Event> {
    rec.sync();
    let bytes = std::fs::read(rec.journal_path()).unwrap();
    crate::journal::parse(&bytes).unwrap().entries.iter().map(|r| r.event.clone()).collect()
}

fn window_key(key: egui::Key, pressed: bool) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    }
}

fn hook_key(code: &str, down: bool) -> OsKey {
    OsKey::Key { down, code: code.into(), mods: Modifiers::NONE, time: SystemTime::now() }
}

fn keys(events: &[Event]) -> Vec<(String, bool, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::KeyDown(k) => Some((k.code.to_string(), true, k.src.is_some())),
            Event::KeyUp(k) => Some((k.code.to_string(), false, k.src.is_some())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_press_seen_by_window_and_hook_is_recorded_once_with_its_release_from_the_same_source() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recording(dir.path());
    // The window sees the press first; the hook's copies of press and release follow.
    rec.write_window_keys(&[window_key(egui::Key::A, true)]);
    rec.write_hook_keys(vec![hook_key("KeyA", true), hook_key("KeyA", false)]);
    rec.write_window_keys(&[window_key(egui::Key::A, false)]);
    // Then the hook is known to work: it alone records the next press.
    rec.write_hook_keys(vec![hook_key("KeyB", true)]);
    rec.write_window_keys(&[window_key(egui::Key::B, true), window_key(egui::Key::B, false)]);
    rec.write_hook_keys(vec![hook_key("KeyB", false)]);
    let got = keys(&events_of(&mut rec));
    let want = [
        ("KeyA".to_owned(), true, false),
        ("KeyA".to_owned(), false, false),
        ("KeyB".to_owned(), true, true),
        ("KeyB".to_owned(), false, true),
    ];
    assert_eq!(got, want);
}

#[test]
fn keys_typed_elsewhere_are_written_as_counts_per_class_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recording(dir.path());
    let away = [KeyClass::Char, KeyClass::Char, KeyClass::Paste];
    rec.write_hook_keys(away.iter().map(|c| OsKey::Away(*c)).collect());
    rec.flush_away();
    let events = events_of(&mut rec);
    let counts: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::AwayKeys(a) => Some(a.n.clone()),
            _ => None,
        })
        .collect();
    let want = BTreeMap::from([(KeyClass::Char, 2), (KeyClass::Paste, 1)]);
    assert_eq!(counts, [want]);
    assert!(keys(&events).is_empty(), "no key codes from other applications");
}

#[test]
fn active_time_leaves_out_pauses() {
    let at = |t_us, event| crate::event::Entry { seq: 0, t_us, event };
    let entries = [at(0, Event::Pause), at(5, Event::Resume), at(9, Event::Pause)];
    assert_eq!(active_us(&entries), 4);
    assert!(paused_at_end(&entries));
}

#[test]
fn task_ids_become_safe_file_names() {
    assert_eq!(file_safe("../etc/passwd"), "___etc_passwd");
    assert_eq!(file_safe(""), "task");
    assert_eq!(file_safe("T-42_a"), "T-42_a");
}
