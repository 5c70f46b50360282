//! `handprint journal check` and `handprint journal text`, run as the real binary.
#![cfg(feature = "cli")]

use handprint::event::{Cause, Edit, Event};
use handprint::journal::JournalWriter;
use handprint::session::start_facts;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn handprint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handprint")).args(args).output().expect("runs handprint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A finished session that typed "cat", fixed it to "cart", then pasted " horse".
fn session(dir: &Path) -> PathBuf {
    let path = dir.join("s.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T-7", None, None, &["editor"])).unwrap();
    let ed = |p, d: &str, i: &str, c| Event::Edit(Edit { p, d: d.into(), i: i.into(), c });
    w.append(ed(0, "", "cat", Cause::Typed)).unwrap();
    w.append(ed(2, "", "r", Cause::Typed)).unwrap();
    w.append(ed(4, "", " horse", Cause::PasteExt)).unwrap();
    w.finish("cart horse").unwrap();
    path
}

#[test]
fn check_accepts_an_intact_journal() {
    let dir = tempfile::tempdir().unwrap();
    let out = handprint(&["journal", "check", session(dir.path()).to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("valid:"));
    assert!(stdout(&out).contains("finished; replay reproduces the recorded final text"));
}

#[test]
fn check_rejects_a_tampered_journal_naming_the_first_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = session(dir.path());
    let text =
        std::fs::read_to_string(&path).unwrap().replace("\"i\":\" horse\"", "\"i\":\" house\"");
    std::fs::write(&path, text).unwrap();
    let out = handprint(&["journal", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("line 4: chain tag does not match"), "{}", stdout(&out));
}

#[test]
fn check_rejects_a_journal_whose_edits_do_not_replay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T", None, None, &[])).unwrap();
    w.append(Event::Edit(Edit { p: 5, d: Default::default(), i: "x".into(), c: Cause::Typed }))
        .unwrap();
    drop(w);
    let out = handprint(&["journal", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("line 2: event 1: edit at position 5"), "{}", stdout(&out));
}

#[test]
fn unusable_inputs_exit_with_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.jsonl");
    let out = handprint(&["journal", "check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));

    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    let out = handprint(&["journal", "check", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Handprint journal"));
}

#[test]
fn text_prints_the_text_at_any_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = session(dir.path());
    let p = path.to_str().unwrap();
    assert_eq!(stdout(&handprint(&["journal", "text", p])), "cart horse");
    assert_eq!(stdout(&handprint(&["journal", "text", p, "--at", "1"])), "cat");
    assert_eq!(stdout(&handprint(&["journal", "text", p, "--at", "2"])), "cart");
    let past = handprint(&["journal", "text", p, "--at", "99"]);
    assert_eq!(past.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&past.stderr).contains("events 0 to 4"));
}

#[test]
fn every_command_explains_itself() {
    for cmd in ["record", "replay", "verify", "analyze", "key", "export", "journal"] {
        let out = handprint(&[cmd, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{cmd} --help");
        assert!(stdout(&out).len() > 80, "{cmd} --help says too little");
    }
}
