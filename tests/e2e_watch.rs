//! End to end, "Write in your own editor": the real `handprint watch` under X11 with a window
//! manager, vim in an xterm editing the watched file, typed by xdotool with `:w` saves; a
//! second program writing a block into the file; the file deleted and recreated. The record
//! must replay to the final file byte for byte, attribute the typed saves to keys, and flag
//! the block as `unexplained_insertion`. packaging/run-tests.sh provides Xvfb + openbox and
//! sets HANDPRINT_E2E=1; without it this test says why it is skipped.
#![cfg(all(feature = "gui", feature = "cli"))]

use handprint::analysis::analyze_record;
use handprint::event::{Event, FileChange};
use handprint::record::Record;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::desktop::{Spawned, exported_record, run, wait_for_window};

const TASK: &str = "E2E-WATCH";
const BLOCK: &str = "\nThis block was written into the file by another program, never typed.\n";

/// Waits until the session journal under `home` contains `needle` (the recorder saw it).
fn wait_for_journal(home: &Path, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let found =
            std::fs::read_dir(home.join("sessions")).into_iter().flatten().flatten().any(|e| {
                e.path().extension().is_some_and(|x| x == "jsonl")
                    && std::fs::read_to_string(e.path()).is_ok_and(|s| s.contains(needle))
            });
        if found {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let journals: Vec<String> = std::fs::read_dir(home.join("sessions"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    panic!("the session journal did not record {needle:?} within 20 s: {journals:?}");
}

/// Gives `window` the keyboard focus and waits until it has it (a window that has just
/// appeared may take focus back once).
fn focus(window: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        run("xdotool", &["windowactivate", "--sync", window]);
        std::thread::sleep(Duration::from_secs(1));
        if run("xdotool", &["getactivewindow"]).trim() == window {
            return;
        }
        assert!(Instant::now() < deadline, "window {window} does not keep the focus");
    }
}

fn vim_types(keys: &str) {
    run("xdotool", &["type", "--delay", "50", keys]);
}

fn vim_key(key: &str) {
    run("xdotool", &["key", key]);
}

#[test]
fn vim_saves_a_foreign_block_and_a_deletion_are_recorded_and_replay_to_the_file() {
    if std::env::var_os("HANDPRINT_E2E").is_none() {
        eprintln!(
            "skipped: set HANDPRINT_E2E=1 with an X display and a window manager (packaging/run-tests.sh does)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (home, out, file) =
        (dir.path().join("home"), dir.path().join("out"), dir.path().join("essay.txt"));
    let mut app = Spawned(
        Command::new(env!("CARGO_BIN_EXE_handprint"))
            .args(["watch"])
            .arg(&file)
            .args(["--task", TASK, "--out"])
            .arg(&out)
            .env("HANDPRINT_HOME", &home)
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(Stdio::null())
            .spawn()
            .expect("the handprint binary runs"),
    );
    let win = wait_for_window(&format!("^Handprint.*{TASK}"), &mut app.0);
    // The session has started (and created the file) before the editor opens it.
    wait_for_journal(&home, r#""what":"opened""#);
    std::thread::sleep(Duration::from_secs(1));
    // vim saving by rename (`backupcopy=no`: the original renamed away, a new file written
    // under its name). Its swap and backup files are in the same folder; the watcher ignores
    // files of other names.
    let mut editor = Spawned(
        Command::new("xterm")
            // No terminal queries at start-up (t_RV, t_u7): keys typed while xterm's answer
            // is awaited would be taken as part of it.
            .args(["-title", "vim-e2e", "-e", "vim", "-u", "NONE", "-N"])
            .args(["--cmd", "set t_RV= t_u7=", "-c", "set backupcopy=no"])
            .arg(&file)
            .stderr(Stdio::null())
            .spawn()
            .expect("xterm is installed"),
    );
    let term = wait_for_window("^vim-e2e$", &mut editor.0);
    // vim is ready for keys once it has loaded the file and made its swap file.
    let swap = dir.path().join(".essay.txt.swp");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !swap.exists() {
        assert!(Instant::now() < deadline, "vim did not start within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    focus(&term);

    vim_types("iTyped in vim by the trainer.");
    vim_key("Escape");
    vim_types(":w\n");
    wait_for_journal(&home, "Typed in vim by the trainer.");

    // A second program writes a block into the file (as a plug-in or a script could).
    let typed = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{typed}{BLOCK}")).unwrap();
    wait_for_journal(&home, "never typed.");

    // vim reloads the file and the trainer goes on typing at its end.
    vim_types(":e\n");
    vim_types("GoMore words typed after the block.");
    vim_key("Escape");
    vim_types(":w\n");
    wait_for_journal(&home, "More words typed after the block.");

    std::fs::remove_file(&file).unwrap();
    wait_for_journal(&home, r#""what":"deleted""#);
    vim_types("oAnd the file written again.");
    vim_key("Escape");
    vim_types(":w\n");
    wait_for_journal(&home, "And the file written again.");

    vim_types(":q\n");
    let wm_id = format!("0x{:x}", win.parse::<u64>().expect("xdotool prints decimal window ids"));
    run("wmctrl", &["-i", "-c", &wm_id]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "handprint did not exit after its window was closed");
        std::thread::sleep(Duration::from_millis(100));
    }

    let final_file = std::fs::read_to_string(&file).unwrap();
    let record = Record::open(&exported_record(&out)).unwrap();
    let replay = record.replayed().expect("the exported record verifies and replays");
    assert_eq!(replay.final_state().text(), final_file, "replay equals the file byte for byte");
    let entries = replay.entries();
    let Event::Start(start) = &entries[0].event else { panic!("start first") };
    assert!(start.sources.iter().any(|s| s == "file-watch"), "sources: {:?}", start.sources);

    let notes: Vec<FileChange> = entries
        .iter()
        .filter_map(|r| match &r.event {
            Event::File(n) => Some(n.what),
            _ => None,
        })
        .collect();
    assert_eq!(notes, [FileChange::Opened, FileChange::Deleted, FileChange::Recreated]);
    assert!(
        entries.iter().any(|r| matches!(&r.event, Event::App(a) if a.editor && a.name == "xterm")),
        "the xterm is recorded as the editor"
    );
    let presses = entries.iter().filter(|r| matches!(r.event, Event::KeyDown(_))).count();
    assert!(presses >= "Typed in vim by the trainer.".len(), "{presses} key presses recorded");

    let analysis = analyze_record(&record).expect("analysis runs");
    let x = &analysis.measures.external_file;
    assert_eq!(x.unexplained_saves.len(), 1, "only the block is unexplained: {x:?}");
    let block_seq = entries
        .iter()
        .find(|r| matches!(&r.event, Event::Edit(e) if e.i.contains("never typed")))
        .map(|r| r.seq)
        .expect("the block is an edit");
    let flag = analysis
        .flags
        .iter()
        .find(|f| f.id == "unexplained_insertion")
        .expect("the block is flagged");
    assert_eq!(flag.events.first(), Some(&block_seq), "{flag:?}");
    assert!(x.saves >= 4, "typed saves, the block, the recreation: {x:?}");

    // The report marks the text of the flagged save, and only that text.
    let page = handprint::report::Evidence::of(record, &|_, _| {}).to_html(None);
    let marked: Vec<&str> = page
        .split("<span class=\"o-flagged\" style=")
        .skip(1)
        .filter_map(|rest| rest.split_once('>')?.1.split_once("</span>").map(|(t, _)| t))
        .collect();
    assert!(page.contains(handprint::report::FLAGGED_SAVE_LABEL));
    assert_eq!(marked.len(), 1, "one marked run: {marked:?}");
    assert!(marked[0].contains("never typed") && !marked[0].contains("Typed in vim"), "{marked:?}");
}
