//! Verify with the recomputed analysis on a large signed bundle, side by side with
//! `sha256sum` on the same file in the same run: the ratio is what docs/PERFORMANCE.md
//! reports (issue 13's goal: at most 3× the time of `sha256sum`, peak memory at most 1.5× the
//! journal's size).
//!
//! `cargo bench --bench verify_scale` generates a typing session of `HANDPRINT_BENCH_EVENTS`
//! events (1,000,000 by default) with a signed checkpoint every 1,000 events, signs it into a
//! bundle, then times three runs each of `sha256sum` and of a child process that opens,
//! verifies and analyses the bundle and reports its own peak resident memory. A child, so
//! that generating the session does not count in the peak.

use handprint::attest::SigningKey;
use handprint::event::{Cause, Edit, Event, Key, Modifiers};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::record::{Record, export_session};
use handprint::session::start_facts;
use handprint::verify::{VerifyOptions, verify};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Set in the child: the bundle to verify.
const CHILD: &str = "HANDPRINT_BENCH_VERIFY";

fn main() {
    if let Ok(bundle) = std::env::var(CHILD) {
        child(Path::new(&bundle));
        return;
    }
    let events: usize = std::env::var("HANDPRINT_BENCH_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary folder");

    let (key, _) = SigningKey::generate().expect("a key");
    let started = Instant::now();
    let (journal, text) = record(dir.path(), &key, events);
    let exported = export_session(&journal, &key, None, &dir.path().join("out")).expect("signs");
    if let Some(keep) = std::env::var_os("HANDPRINT_BENCH_KEEP") {
        // A copy of the bundle to profile the verifier on (HANDPRINT_BENCH_VERIFY=that file).
        std::fs::copy(&exported.bundle, keep).expect("keeps a copy of the bundle");
    }
    let journal_bytes = std::fs::metadata(&journal).map_or(0, |m| m.len());
    let bundle_bytes = std::fs::metadata(&exported.bundle).map_or(0, |m| m.len());
    println!(
        "session: {events} events, final text {} chars, journal {} MB, bundle {} MB (generated and signed in {:.1} s)",
        text.chars().count(),
        journal_bytes >> 20,
        bundle_bytes >> 20,
        started.elapsed().as_secs_f64()
    );

    let mut sha = Vec::new();
    let mut verify_times = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..3 {
        sha.push(time(|| {
            let out = Command::new("sha256sum").arg(&exported.bundle).output().expect("sha256sum");
            assert!(out.status.success(), "sha256sum failed");
        }));
        let mut peak_kb = 0u64;
        verify_times.push(time(|| {
            let out = Command::new(std::env::current_exe().expect("own path"))
                .env(CHILD, &exported.bundle)
                .output()
                .expect("runs the verifying child");
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(report.contains("valid"), "the bundle verifies: {report}");
            peak_kb = report
                .split_whitespace()
                .find_map(|w| w.strip_prefix("peak_kb=")?.parse().ok())
                .unwrap_or(0);
        }));
        peaks.push(peak_kb);
    }
    let (sha, verify) = (median(&mut sha), median(&mut verify_times));
    let peak = peaks.iter().copied().max().unwrap_or(0);
    let journal_kb = journal_bytes / 1024;
    println!("sha256sum of the bundle:              {:>8.0} ms", ms(sha));
    println!(
        "open + verify + recomputed analysis:  {:>8.0} ms  = {:.2}× sha256sum",
        ms(verify),
        verify.as_secs_f64() / sha.as_secs_f64()
    );
    println!(
        "peak resident memory of the verifier: {:>8} kB  = {:.2}× the journal ({journal_kb} kB)",
        peak,
        peak as f64 / journal_kb.max(1) as f64
    );
}

/// The child: open the bundle, verify it (which recomputes the analysis) and say how it went.
fn child(bundle: &Path) {
    let record = Record::open(bundle).expect("the bundle opens");
    if std::env::var_os("HANDPRINT_BENCH_STAGES").is_some() {
        eprintln!(
            "after open: peak {} kB; an event in memory takes {} bytes",
            peak_kb().unwrap_or(0),
            size_of::<handprint::event::Entry>()
        );
    }
    // Every check runs; the signer is accepted unpinned (the bench measures the work, and
    // pinning is a comparison of two fingerprints).
    let report = verify(&record, &VerifyOptions { any_signer: true, ..VerifyOptions::default() });
    assert!(report.analysis.is_some(), "the analysis is recomputed");
    match report.first_failure() {
        None => println!("valid peak_kb={}", peak_kb().unwrap_or(0)),
        Some(c) => println!("INVALID {}: {}", c.name, c.detail),
    }
}

/// Key down, typed char, key up, repeated, with a space every 10 chars and a 3 s pause
/// every 500 chars; returns the journal path and the final text.
fn record(dir: &Path, key: &SigningKey, events: usize) -> (PathBuf, String) {
    let path = dir.join("bench.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T", None, None, &["editor"]))
        .expect("creates the journal");
    let policy = CheckpointPolicy { events: 1000, interval: Duration::from_secs(3600) };
    w.set_signer(Box::new(key.clone()), policy);
    let k = Key { code: "KeyA".into(), mods: Modifiers::NONE, src: None, rep: false, dev: None };
    let mut text = String::new();
    let mut t = 0u64;
    for n in 0..events / 3 {
        t += if n % 500 == 499 { 3_000_000 } else { 150_000 };
        w.append_at(t, Event::KeyDown(k.clone())).expect("appends");
        let i = if n % 10 == 9 { " " } else { "a" };
        let edit = Edit { p: n, d: Default::default(), i: i.into(), c: Cause::Typed };
        w.append_at(t + 5_000, Event::Edit(edit)).expect("appends");
        text.push_str(i);
        w.append_at(t + 80_000, Event::KeyUp(k.clone())).expect("appends");
    }
    let path = w.finish(&text).expect("finishes");
    (path, text)
}

fn time(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set size of this process (Linux `VmHWM`), kB.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
