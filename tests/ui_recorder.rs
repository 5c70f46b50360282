//! The recorder's flows through its real UI (egui_kittest): start → type → paste →
//! pause/resume → finish, and resume after a crash. Each test checks the journal the UI
//! wrote: its operations and causes, and that replaying it gives exactly the editor text.
#![cfg(feature = "gui")]

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use handprint::capture::Recording;
use handprint::event::{Cause, Entry, Event as J};
use handprint::replay::Replay;
use handprint::ui::{AppOptions, RecorderApp};
use std::path::Path;
use std::sync::Arc;

fn options(dir: &Path) -> AppOptions {
    AppOptions {
        sessions_dir: dir.join("sessions"),
        keys_dir: dir.join("keys"),
        out_dir: Some(dir.join("out")),
        os_keys: false,
        finish_on_close: true,
        platform_dir: None,
    }
}

fn harness(app: RecorderApp) -> Harness<'static, RecorderApp> {
    Harness::builder()
        .with_size([1100.0, 720.0])
        .build_ui_state(|ui, app: &mut RecorderApp| app.show(ui), app)
}

fn egui_key(c: char) -> Option<Key> {
    match c {
        ' ' => Some(Key::Space),
        c => Key::from_name(&c.to_ascii_uppercase().to_string()),
    }
}

/// Types `text` the way a keyboard does: key down, the character, key up.
fn type_keys(h: &mut Harness<'_, RecorderApp>, text: &str) {
    for c in text.chars() {
        let key = egui_key(c);
        if let Some(key) = key {
            h.key_down(key);
        }
        h.event(Event::Text(c.to_string()));
        if let Some(key) = key {
            h.key_up(key);
        }
        h.run();
    }
}

fn press(h: &mut Harness<'_, RecorderApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

fn editor_text(h: &Harness<'_, RecorderApp>) -> String {
    h.state().current_recording().expect("writing screen").text.clone()
}

/// The journal records of a journal or a bundle file.
fn records_of(path: &Path) -> Arc<Vec<Entry>> {
    let record = handprint::record::Record::open(path).unwrap();
    record.journal().unwrap().entries.clone()
}

fn edits(entries: &[Entry]) -> Vec<(Cause, String, String)> {
    entries
        .iter()
        .filter_map(|r| match &r.event {
            J::Edit(e) => Some((e.c, e.d.to_string(), e.i.to_string())),
            _ => None,
        })
        .collect()
}

#[test]
fn start_screen_starts_a_session_for_the_task() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(RecorderApp::new(options(dir.path())));
    h.run();
    h.get_by_label("Task id").focus();
    h.run();
    h.get_by_label("Task id").type_text("T-77");
    h.run();
    h.get_by_label("Start recording").click();
    h.run();
    let rec = h.state().current_recording().expect("the writing screen is showing");
    assert_eq!(rec.task, "T-77");
    let entries = records_of(rec.journal_path());
    let J::Start(start) = &entries[0].event else { panic!("first event is start") };
    assert_eq!(start.task, "T-77");
    assert_eq!(start.sources, ["editor"]);
}

#[test]
fn typing_pasting_pausing_and_finishing_records_a_journal_that_replays_to_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let app = RecorderApp::recording(options(dir.path()), "T-1", Some("n0nce"), None).unwrap();
    let mut h = harness(app);
    h.run();

    type_keys(&mut h, "Helo");
    press(&mut h, Modifiers::NONE, Key::Backspace);
    type_keys(&mut h, "lo world");
    assert_eq!(editor_text(&h), "Hello world");

    h.event(Event::Paste(" from elsewhere".into()));
    h.run();
    // Copy the whole text, then paste it again at the end: moving one's own words.
    press(&mut h, Modifiers::COMMAND, Key::A);
    h.event(Event::Copy);
    h.run();
    press(&mut h, Modifiers::NONE, Key::End);
    h.event(Event::Paste("Hello world from elsewhere".into()));
    h.run();
    press(&mut h, Modifiers::COMMAND, Key::Z);
    let after_undo = editor_text(&h);

    h.get_by_label("Pause").click();
    h.run();
    type_keys(&mut h, "secret");
    assert_eq!(editor_text(&h), after_undo, "the editor is read-only while paused");
    h.get_by_label("Resume").click();
    h.run();
    type_keys(&mut h, "!");
    let final_text = editor_text(&h);

    h.get_by_label("Finish").click();
    h.run();
    let done = h.state().finished().expect("the finished screen is showing");
    assert_eq!(done.text, final_text);
    let exported = done.exported.as_ref().expect("exported");
    assert!(exported.bundle.starts_with(dir.path().join("out")));
    assert!(exported.fingerprint.as_deref().is_some_and(|f| f.starts_with("SHA256:")));
    let key = handprint::attest::KeyStore::at(dir.path().join("keys")).load_or_create().unwrap();
    let pinned =
        handprint::verify::VerifyOptions { pubkey: Some(key.public()), ..Default::default() };
    let report = handprint::verify::verify_file(&exported.bundle, &pinned).unwrap();
    assert!(report.valid, "the exported bundle verifies: {report:?}");
    let predicate = report.predicate.expect("a signed statement");
    assert!(predicate.analysis.is_some_and(|a| a.get("version").is_some()), "analysis attested");
    assert_eq!(std::fs::read_to_string(&exported.text).unwrap(), final_text);

    let entries = records_of(&exported.bundle);
    let replay = Replay::build(entries.clone()).expect("the record replays");
    assert_eq!(replay.final_state().text(), final_text);

    let edits = edits(&entries);
    assert!(edits.contains(&(Cause::Typed, "o".into(), String::new())), "backspace: {edits:?}");
    assert!(edits.contains(&(Cause::PasteExt, String::new(), " from elsewhere".into())));
    assert!(edits.iter().any(|e| e.0 == Cause::PasteInt), "internal paste: {edits:?}");
    assert!(edits.iter().any(|e| e.0 == Cause::Undo), "undo: {edits:?}");
    assert!(!edits.iter().any(|e| e.2.contains("secret")), "nothing captured while paused");
    let totals = replay.totals();
    assert_eq!(totals.inserted_by(Cause::Typed), "Helolo world!".len());
    assert_eq!(totals.inserted_by(Cause::PasteExt), " from elsewhere".len());

    let tags: Vec<&str> = entries.iter().map(|r| r.event.tag()).collect();
    let pause = tags.iter().position(|t| *t == "pause").expect("pause recorded");
    let resume = tags.iter().position(|t| *t == "resume").expect("resume recorded");
    assert!(pause < resume);
    assert!(tags[pause..resume].iter().all(|t| !matches!(*t, "kd" | "ku" | "ed")));
    assert!(tags.contains(&"copy"));
    let key_downs = entries
        .iter()
        .filter(|r| matches!(&r.event, J::KeyDown(k) if k.code == "KeyH" && k.src.is_none()))
        .count();
    assert_eq!(key_downs, 1, "one press of H, from the window");
    // Signed sessions end with `end` and a final signed checkpoint over it.
    assert_eq!(tags[tags.len() - 2..], ["end", "ckpt"]);
}

#[test]
fn an_interrupted_session_is_offered_for_resume_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let journal = {
        let app = RecorderApp::recording(options(dir.path()), "T-2", None, None).unwrap();
        let mut h = harness(app);
        h.run();
        type_keys(&mut h, "kept text");
        let path = h.state().current_recording().unwrap().journal_path().to_owned();
        // The app is dropped without finishing, as after kill -9; a torn last line is added.
        path
    };
    let mut f = std::fs::OpenOptions::new().append(true).open(&journal).unwrap();
    std::io::Write::write_all(&mut f, br#"{"s":999,"t":1,"e":"kd""#).unwrap();
    drop(f);

    let mut h = harness(RecorderApp::new(options(dir.path())));
    h.run();
    h.get_by_label("Resume T-2").click();
    h.run();
    assert_eq!(editor_text(&h), "kept text");
    type_keys(&mut h, " more");
    h.get_by_label("Finish").click();
    h.run();
    let done = h.state().finished().expect("finished");
    let entries = records_of(&done.exported.as_ref().unwrap().bundle);
    assert!(entries.iter().any(|r| matches!(r.event, J::Recovered(_))));
    assert_eq!(Replay::build(entries).unwrap().final_state().text(), "kept text more");
}

#[test]
fn resuming_a_journal_restores_text_counts_and_pause_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec =
        Recording::start(dir.path(), "T-3", None, Some("Explain X."), &["editor"], None).unwrap();
    rec.pause();
    let path = rec.journal_path().to_owned();
    drop(rec);
    let again = Recording::resume(&path, None).unwrap();
    assert!(again.is_paused(), "a session killed while paused resumes paused");
    assert_eq!(again.prompt.as_deref(), Some("Explain X."));
}

#[test]
fn start_screen_opens_the_auditor_viewer_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(RecorderApp::new(options(dir.path())));
    h.run();
    h.get_by_label("Open a record to audit…").click();
    h.run();
    h.get_by_label("Open a Handprint record");
    assert!(h.state().current_recording().is_none(), "auditing records nothing");
    h.get_by_label("Back to recording").click();
    h.run();
    h.get_by_label("Start recording");
}

#[test]
fn the_export_folder_chosen_on_the_start_screen_receives_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let chosen = dir.path().join("chosen folder");
    let mut h = harness(RecorderApp::new(options(dir.path())));
    h.run();
    h.get_by_label("Task id").focus();
    h.run();
    h.get_by_label("Task id").type_text("T-9");
    h.run();
    // Replace the prefilled folder: select all of it, then type the new one.
    h.get_by_label("Export folder").focus();
    h.run();
    press(&mut h, Modifiers::COMMAND, Key::A);
    h.get_by_label("Export folder").type_text(chosen.to_str().unwrap());
    h.run();
    h.get_by_label("Start recording").click();
    h.run();
    h.run();
    type_keys(&mut h, "hi");
    h.get_by_label("Finish").click();
    h.run();
    let done = h.state().finished().expect("the finished screen is showing");
    let exported = done.exported.as_ref().expect("exported");
    assert_eq!(exported.bundle.parent(), Some(chosen.as_path()));
    assert!(exported.bundle.exists());
}
