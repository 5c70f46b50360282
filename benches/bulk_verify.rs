//! Bulk verification against the speed of reading: `handprint verify DIR` over 2,000
//! bundles of a typical 20-minute response, beside `sha256sum` over the same files, in one
//! run, both as bytes per second. The goal (issue 16) is at least half of sha256sum's rate:
//! a platform should be limited by its disks, not by verification.
//!
//! A 20-minute response: about 4,800 characters typed at 40 words per minute (5 characters
//! per word), each a key press, an edit and a key release; 20 distinct signed bundles are
//! generated and copied to 2,000 files. Run: `cargo bench --bench bulk_verify`.

use handprint::attest::SigningKey;
use handprint::event::{Cause, Edit, Event, Key, Modifiers};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::record::export_session;
use handprint::session::start_facts;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BUNDLES: usize = 2_000;
const DISTINCT: usize = 20;
const CHARS: usize = 4_800;

fn record(dir: &Path, n: usize, key: &SigningKey) -> PathBuf {
    let path = dir.join(format!("session-{n}.jsonl"));
    let mut w = JournalWriter::create(&path, start_facts("T-1", None, None, &["editor"])).unwrap();
    w.set_signer(Box::new(key.clone()), CheckpointPolicy::default());
    let k = Key { code: "KeyA".into(), mods: Modifiers::NONE, src: None, rep: false, dev: None };
    let mut text = String::new();
    for i in 0..CHARS {
        w.append(Event::KeyDown(k.clone())).unwrap();
        let c = if (i + n) % 6 == 5 { " " } else { "a" };
        w.append(Event::Edit(Edit { p: i, d: Default::default(), i: c.into(), c: Cause::Typed }))
            .unwrap();
        text.push_str(c);
        w.append(Event::KeyUp(k.clone())).unwrap();
    }
    w.finish(&text).unwrap()
}

fn timed(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let out = cmd.output().expect("runs");
    let took = start.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    took
}

fn main() {
    let work = tempfile::tempdir().unwrap();
    let (key, _) = SigningKey::generate().unwrap();
    let inbox = work.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let mut distinct = Vec::new();
    for n in 0..DISTINCT {
        let journal = record(work.path(), n, &key);
        let exported = export_session(&journal, &key, None, &work.path().join("out")).unwrap();
        distinct.push(exported.bundle);
    }
    let mut files = Vec::new();
    for i in 0..BUNDLES {
        let file = inbox.join(format!("{i:04}.handprint"));
        std::fs::copy(&distinct[i % DISTINCT], &file).unwrap();
        files.push(file);
    }
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    // Warm the page cache so both commands read from memory, as on a second pass.
    timed(Command::new("sha256sum").args(&files));

    let sha = timed(Command::new("sha256sum").args(&files));
    let verify = timed(
        Command::new(env!("CARGO_BIN_EXE_handprint"))
            .arg("verify")
            .arg(&inbox)
            .args(["--task", "T-1", "--fingerprint", &key.fingerprint()])
            .stdout(std::process::Stdio::null()),
    );
    let rate = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    println!(
        "{BUNDLES} bundles of {:.0} KB ({:.1} MB), {} cores",
        bytes as f64 / BUNDLES as f64 / 1e3,
        bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("sha256sum          {:>8.2} s  {:>8.1} MB/s", sha.as_secs_f64(), rate(sha));
    println!(
        "handprint verify   {:>8.2} s  {:>8.1} MB/s  ({:.0} bundles/s, {:.0}% of sha256sum's rate)",
        verify.as_secs_f64(),
        rate(verify),
        BUNDLES as f64 / verify.as_secs_f64(),
        100.0 * sha.as_secs_f64() / verify.as_secs_f64()
    );
}
