//! `handprint replay FILE --report OUT.html`, run as the real binary (no window).
#![cfg(feature = "cli")]

use handprint::event::{Cause, Edit, Event};
use handprint::journal::JournalWriter;
use handprint::session::start_facts;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;
use support::viewer as viewer_support;

fn handprint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handprint")).args(args).output().expect("runs handprint")
}

/// A finished session that typed "a <b>" and pasted " & more".
fn session(dir: &Path) -> PathBuf {
    let path = dir.join("s.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T-9", None, None, &["editor"])).unwrap();
    let ed = |p, i: &str, c| Event::Edit(Edit { p, d: Default::default(), i: i.into(), c });
    w.append(ed(0, "a <b>", Cause::Typed)).unwrap();
    w.append(ed(5, " & more", Cause::PasteExt)).unwrap();
    w.finish("a <b> & more").unwrap();
    path
}

#[test]
fn report_of_a_signed_bundle_by_a_trusted_key_is_written_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = viewer_support::signed_sample(dir.path());
    let trust = dir.path().join("trainers.keys");
    std::fs::write(&trust, viewer_support::sample_key(dir.path()).to_ssh("trainer")).unwrap();
    let out_file = dir.path().join("r.html");
    let text = dir.path().join("submitted.txt");
    std::fs::write(
        &text,
        "Plants trurn light into sugar. Chlorophyll absorbs red and blue light. Plants grow.\r\n",
    )
    .unwrap();
    let out = handprint(&[
        "replay",
        bundle.to_str().unwrap(),
        "--report",
        out_file.to_str().unwrap(),
        "--text",
        text.to_str().unwrap(),
        "--trust",
        trust.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        html.contains(">VALID<") && html.contains("T-1042") && html.contains("the required key")
    );
    assert!(html.contains("apart from line endings"));
    assert_eq!(html.matches("<svg").count(), 3);
}

#[test]
fn report_of_a_bundle_by_an_unpinned_key_says_not_trusted_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = viewer_support::signed_sample(dir.path());
    let out_file = dir.path().join("r.html");
    let out =
        handprint(&["replay", bundle.to_str().unwrap(), "--report", out_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("NOT TRUSTED: "));
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(html.contains(">NOT TRUSTED<") && !html.contains(">VALID<"), "{html}");
    assert!(html.contains("signer not pinned: not trusted"));
}

#[test]
fn report_of_a_bare_journal_says_it_is_unsigned_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let rec = session(dir.path());
    let out_file = dir.path().join("r.html");
    let out = handprint(&["replay", rec.to_str().unwrap(), "--report", out_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(html.contains("bare journal with no attestation"));
    assert!(html.contains("a &lt;b&gt;") && html.contains(" &amp; more"));
}

#[test]
fn report_of_a_tampered_record_says_why_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let rec = session(dir.path());
    let bytes = std::fs::read_to_string(&rec).unwrap().replace("more", "mora");
    std::fs::write(&rec, bytes).unwrap();
    let out_file = dir.path().join("r.html");
    let out = handprint(&["replay", rec.to_str().unwrap(), "--report", out_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(html.contains("INVALID") && html.contains("line 3"), "{html}");
}

#[test]
fn report_that_cannot_be_written_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let rec = session(dir.path());
    let out = handprint(&["replay", rec.to_str().unwrap(), "--report", "/nonexistent/dir/r.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}
