//! A disk that fills up while recording: the event that does not fit is refused with a
//! message that tells the trainer what to do, everything written before stays a valid,
//! replayable journal, and once space is freed recording continues on the same chain.
//!
//! Uses a real full file system: a 64 KiB tmpfs mounted for the test, which needs root (CI
//! runs as root). Without root the test says why it is skipped.

use handprint::event::{Cause, Edit, Event};
use handprint::journal::{self, JournalWriter};
use handprint::replay::Replay;
use handprint::session::start_facts;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted at a temporary folder, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn typed(p: usize, i: &str) -> Event {
    Event::Edit(Edit { p, d: Default::default(), i: i.into(), c: Cause::Typed })
}

#[test]
fn a_full_disk_refuses_the_event_keeps_what_was_written_and_recovers_when_space_is_freed() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&dir.path().join("small"), "64k") else {
        eprintln!("skipped: mounting a small tmpfs needs root (CI runs as root)");
        return;
    };
    // Space to free later, so the test can show recording continues afterwards.
    let filler = fs.0.join("filler");
    std::fs::write(&filler, vec![0u8; 16 * 1024]).unwrap();
    let path = fs.0.join("s.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T-1", None, None, &["editor"])).unwrap();
    let word = "x".repeat(200);
    let mut written = 0;
    let err = loop {
        match w.append(typed(written * word.len(), &word)) {
            Ok(_) => written += 1,
            Err(e) => break e,
        }
        assert!(written < 10_000, "the 64 KiB file system never filled up");
    };
    let told = err.to_string();
    assert!(told.contains("free disk space") && told.contains("still in the editor"), "{told}");

    // Nothing already written is lost: the file is a valid journal of every accepted event.
    let bytes = std::fs::read(&path).unwrap();
    let (j, torn) = journal::parse_prefix(&bytes).expect("the journal on the full disk verifies");
    assert!(torn.is_none(), "a failed write left a torn line: {torn:?}");
    assert_eq!(j.entries.len(), 1 + written);
    let text = Replay::build(j.entries.clone()).unwrap().final_state().text();
    assert_eq!(text.len(), written * word.len());

    // Space freed: the same event is accepted at the same place and the chain continues.
    std::fs::remove_file(&filler).unwrap();
    w.append(typed(written * word.len(), &word)).expect("recording continues once space is freed");
    let text = format!("{text}{word}");
    w.finish(&text).unwrap();
    let j = journal::parse(&std::fs::read(&path).unwrap()).expect("the whole journal verifies");
    assert_eq!(Replay::build(j.entries.clone()).unwrap().final_state().text(), text);
    drop(fs);
}
