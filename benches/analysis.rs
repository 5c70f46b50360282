//! Analysis of a generated 1,000,000-event session: the time of `analyze` (replay built
//! beforehand, as the CLI and viewer have it) and the process's peak memory, read from
//! /proc/self/status. Results are written up in docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group, criterion_main};
use handprint::analysis::analyze;
use handprint::event::{Cause, ClockSample, Edit, Entry, Event, Focus, Key, KeySource, Modifiers};
use handprint::replay::Replay;
use handprint::session::start_facts;
use std::hint::black_box;
use std::sync::Arc;

const EVENTS: usize = 1_000_000;
const WORDS: &[&str] =
    &["the", "writing", "process", "evidence", "of", "a", "person", "typing", "text."];

/// Deterministic pseudo-random numbers (SplitMix64) so every run analyzes the same session.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A long typing session with varied timing: per character a key down, the edit and a key
/// up; a corrected typo every 40 characters; a 2–6 s pause every 50 characters; a focus
/// switch and a clock sample every 5,000 events; a paste every 20,000 events.
fn session(n: usize) -> Vec<Entry> {
    let mut rng = Rng(42);
    let mut out = Vec::with_capacity(n + 1);
    let mut t: u64 = 0;
    let push = |out: &mut Vec<Entry>, t: u64, event: Event| {
        out.push(Entry { seq: out.len() as u64, t_us: t, event });
    };
    push(&mut out, 0, Event::Start(Box::new(start_facts("bench", None, None, &["editor"]))));
    let key = |code: &str| Key {
        code: code.into(),
        mods: Modifiers::NONE,
        src: Some(KeySource::Os),
        rep: false,
        dev: None,
    };
    let (mut len, mut word, mut typed) = (0usize, 0usize, 0usize);
    while out.len() < n {
        let w = WORDS[word % WORDS.len()];
        word += 1;
        for ch in w.chars().chain(std::iter::once(' ')) {
            let code = match ch {
                ' ' => "Space".to_string(),
                '.' => "Period".to_string(),
                c => format!("Key{}", c.to_ascii_uppercase()),
            };
            t += (120_000.0 + 150_000.0 * rng.unit()) as u64;
            push(&mut out, t, Event::KeyDown(key(&code)));
            push(
                &mut out,
                t + 1_000,
                Event::Edit(Edit {
                    p: len,
                    d: Default::default(),
                    i: ch.to_string().into(),
                    c: Cause::Typed,
                }),
            );
            push(&mut out, t + 90_000, Event::KeyUp(key(&code)));
            t += 90_000;
            len += 1;
            typed += 1;
            if typed.is_multiple_of(40) {
                t += 200_000;
                push(&mut out, t, Event::KeyDown(key("Backspace")));
                push(
                    &mut out,
                    t + 1_000,
                    Event::Edit(Edit {
                        p: len - 1,
                        d: ch.to_string().into(),
                        i: Default::default(),
                        c: Cause::Typed,
                    }),
                );
                push(&mut out, t + 80_000, Event::KeyUp(key("Backspace")));
                t += 80_000;
                len -= 1;
            }
            if typed.is_multiple_of(50) {
                t += (2_000_000.0 + 4_000_000.0 * rng.unit()) as u64;
            }
        }
        if out.len() % 5_000 < 30 {
            push(&mut out, t + 1, Event::Focus(Focus { on: false }));
            t += 4_000_000;
            push(&mut out, t, Event::Focus(Focus { on: true }));
            push(&mut out, t, Event::Clock(ClockSample { wall: "2026-01-01T00:00:00Z".into() }));
        }
        if out.len() % 20_000 < 30 {
            let pasted = "pasted text from elsewhere ";
            t += 500_000;
            push(
                &mut out,
                t,
                Event::Edit(Edit {
                    p: len / 2,
                    d: Default::default(),
                    i: pasted.into(),
                    c: Cause::PasteExt,
                }),
            );
            len += pasted.chars().count();
        }
    }
    out.truncate(n);
    out
}

/// A line of /proc/self/status in kB (Linux only; `None` elsewhere).
fn status_kb(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find(|l| l.starts_with(field))?.split_whitespace().nth(1)?.parse().ok()
}

fn bench(c: &mut Criterion) {
    let rss0 = status_kb("VmRSS:");
    let entries = Arc::new(session(EVENTS));
    let replay = Replay::build(entries.clone()).expect("the generated session replays");
    let rss1 = status_kb("VmRSS:");
    let a = analyze(&entries, &replay);
    let hwm = status_kb("VmHWM:");
    eprintln!(
        "memory: RSS before generating {rss0:?} kB, with records + replay {rss1:?} kB, peak after one analysis {hwm:?} kB; {} pauses, {} flags",
        a.measures.process.pauses.len(),
        a.flags.len()
    );
    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);
    g.bench_function("analyze 1,000,000 events", |b| {
        b.iter(|| black_box(analyze(&entries, &replay)));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
