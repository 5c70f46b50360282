//! "Write in my own editor" through the recorder's real UI (egui_kittest): the start-screen
//! choice opens the watch window; the file's saves become `file` edits; Pause, Resume and
//! Finish work as in the editor flow, and the exported record replays to the file.
#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use handprint::capture::AppNote;
use handprint::event::{Cause, Event, FileChange};
use handprint::record::Record;
use handprint::ui::{AppOptions, RecorderApp};
use std::path::Path;
use std::time::{Duration, Instant};

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

fn harness(app: RecorderApp, size: [f32; 2]) -> Harness<'static, RecorderApp> {
    Harness::builder().with_size(size).build_ui_state(|ui, app: &mut RecorderApp| app.show(ui), app)
}

/// Runs frames until the watched session's text is `want` (the watcher reads the file on its
/// own thread once the save settles).
fn wait_for_text(h: &mut Harness<'_, RecorderApp>, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        h.run();
        let text = h.state_mut().current_file_session().expect("watching").rec.text.clone();
        if text == want {
            return;
        }
        assert!(Instant::now() < deadline, "the session text stayed {text:?}, not {want:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_start_screen_choice_opens_the_watch_window_on_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.md");
    std::fs::write(&file, "Notes from before.\n").unwrap();
    let mut h = harness(RecorderApp::new(options(dir.path())), [1100.0, 720.0]);
    h.run();
    h.get_by_label("Task id").focus();
    h.run();
    h.get_by_label("Task id").type_text("T-OWN");
    h.run();
    h.get_by_label("Your own file").focus();
    h.run();
    h.get_by_label("Your own file").type_text(&file.display().to_string());
    h.run();
    h.get_by_label("Write in my own editor").click();
    h.run();
    let session = h.state_mut().current_file_session().expect("the watch window is showing");
    assert_eq!(session.rec.text, "Notes from before.\n");
    let journal = session.rec.journal_path().to_owned();
    let bytes = std::fs::read(journal).unwrap();
    let j = handprint::journal::parse(&bytes).unwrap();
    assert_eq!(j.start().sources, ["file-watch"]);
    assert!(j.entries.iter().any(
        |r| matches!(&r.event, Event::File(n) if n.what == FileChange::Opened && n.why == "mine.md")
    ));
    h.get_by_label("Finish");
    h.get_by_label("Pause");
}

#[test]
fn saves_pause_and_finish_in_the_watch_window_export_a_record_that_replays_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("essay.txt");
    let app = RecorderApp::watching(options(dir.path()), &file, "T-W", None).unwrap();
    let mut h = harness(app, handprint::ui::WATCH_WINDOW_SIZE);
    h.run();
    assert!(file.exists(), "a missing file is created empty");
    h.get_by_label("Recording");
    let at = Instant::now();
    h.state_mut().current_file_session().unwrap().focus(AppNote {
        name: "gedit".into(),
        editor: true,
        at,
    });
    h.run();
    // Without the key hook (UI tests) focus is not followed, and the window says so.
    h.get_by_label("Keys are not recorded: turned off for this run.");

    std::fs::write(&file, "First draft.\n").unwrap();
    wait_for_text(&mut h, "First draft.\n");
    h.get_by_label("Pause").click();
    h.run();
    assert!(h.state_mut().current_file_session().unwrap().rec.is_paused());
    // A save during the pause is recorded when recording resumes.
    std::fs::write(&file, "First draft.\nWritten while paused.\n").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    h.run();
    assert_eq!(h.state_mut().current_file_session().unwrap().rec.text, "First draft.\n");
    h.get_by_label("Resume").click();
    wait_for_text(&mut h, "First draft.\nWritten while paused.\n");
    // Saved just before Finish: read at finish even if the watcher has not settled yet.
    std::fs::write(&file, "First draft.\nWritten while paused.\nLast line.\n").unwrap();
    h.get_by_label("Finish").click();
    h.run();

    let done = h.state().finished().expect("the finished screen is showing");
    let final_text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(done.text, final_text);
    let exported = done.exported.as_ref().expect("exported");
    let record = Record::open(&exported.bundle).unwrap();
    let replay = record.replayed().expect("the record replays");
    assert_eq!(replay.final_state().text(), final_text);
    let tags: Vec<&str> = replay.entries().iter().map(|r| r.event.tag()).collect();
    let resume = tags.iter().position(|t| *t == "resume").unwrap();
    let pause = tags.iter().position(|t| *t == "pause").unwrap();
    assert!(tags[pause..resume].iter().all(|t| *t != "ed"), "nothing written while paused");
    assert!(
        replay.entries().iter().all(|r| !matches!(&r.event, Event::Edit(e) if e.c != Cause::File))
    );
    assert!(
        replay
            .entries()
            .iter()
            .any(|r| matches!(&r.event, Event::App(a) if a.name == "gedit" && a.editor))
    );
}

#[test]
fn resume_from_the_command_line_goes_on_watching_the_file_of_the_interrupted_session() {
    let dir = tempfile::tempdir().unwrap();
    let (file, other) = (dir.path().join("essay.txt"), dir.path().join("other.txt"));
    std::fs::write(&file, "First part.\n").unwrap();
    let journal = {
        let app = RecorderApp::watching(options(dir.path()), &file, "T-CLI", None).unwrap();
        let mut h = harness(app, handprint::ui::WATCH_WINDOW_SIZE);
        h.run();
        // Dropped without finishing, as after a crash.
        h.state_mut().current_file_session().unwrap().rec.journal_path().to_owned()
    };
    std::fs::write(&file, "First part.\nSecond part.\n").unwrap();

    // `handprint watch --resume` on the same file continues that session...
    let app = RecorderApp::resuming_or_watching(options(dir.path()), &file, "T-CLI", None).unwrap();
    let mut h = harness(app, handprint::ui::WATCH_WINDOW_SIZE);
    h.run();
    let session = h.state_mut().current_file_session().expect("watching again");
    assert_eq!(session.rec.journal_path(), journal.as_path());
    assert_eq!(session.rec.text, "First part.\nSecond part.\n");
    drop(h);

    // ...`handprint record --resume` for the task resumes it watching, never in the editor...
    let app = RecorderApp::resuming_or_recording(options(dir.path()), "T-CLI", None).unwrap();
    let mut h = harness(app, [1100.0, 720.0]);
    h.run();
    assert!(h.state().current_recording().is_none(), "not the in-app editor");
    let session = h.state_mut().current_file_session().expect("watching again");
    assert_eq!((session.rec.journal_path(), session.file()), (journal.as_path(), file.as_path()));
    drop(h);

    // ...and watching another file for the same task starts a new session.
    std::fs::write(&other, "").unwrap();
    let app =
        RecorderApp::resuming_or_watching(options(dir.path()), &other, "T-CLI", None).unwrap();
    let mut h = harness(app, handprint::ui::WATCH_WINDOW_SIZE);
    h.run();
    let session = h.state_mut().current_file_session().expect("watching");
    assert_ne!(session.rec.journal_path(), journal.as_path());
    assert_eq!(session.file(), other.as_path());
}

#[test]
fn an_interrupted_watch_session_resumes_watching_and_records_what_changed_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("essay.txt");
    std::fs::write(&file, "Before the crash.\n").unwrap();
    {
        let app = RecorderApp::watching(options(dir.path()), &file, "T-R", None).unwrap();
        let mut h = harness(app, handprint::ui::WATCH_WINDOW_SIZE);
        h.run();
        // Dropped without finishing, as after a crash.
    }
    std::fs::write(&file, "Before the crash.\nWhile Handprint was closed.\n").unwrap();
    let mut h = harness(RecorderApp::new(options(dir.path())), [1100.0, 720.0]);
    h.run();
    h.get_by_label("Resume T-R").click();
    h.run();
    let session = h.state_mut().current_file_session().expect("watching again");
    assert_eq!(session.rec.text, "Before the crash.\nWhile Handprint was closed.\n");
    assert_eq!(session.file(), file.as_path());
    h.get_by_label("Finish").click();
    h.run();
    let done = h.state().finished().expect("finished");
    let record = Record::open(&done.exported.as_ref().unwrap().bundle).unwrap();
    let replay = record.replayed().unwrap();
    assert_eq!(replay.final_state().text(), std::fs::read_to_string(&file).unwrap());
}
