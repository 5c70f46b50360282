//! Journal and replay performance on a generated 1,000,000-event session:
//! appending, parsing + chain verification, full replay, and random seeks (scrubbing).
//! Results are written up in docs/PERFORMANCE.md.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use handprint::event::{Cause, Edit, Entry, Event, Key, Modifiers};
use handprint::journal::{self, ChainValue, JournalWriter};
use handprint::replay::Replay;
use handprint::session::start_facts;
use std::hint::black_box;
use std::sync::Arc;

const EVENTS: usize = 1_000_000;
const WORDS: &[&str] =
    &["the", "writing", "process", "evidence", "of", "a", "person", "typing", "text"];

/// A session of typing: per character a key down, the edit, a key up; a typo corrected with
/// Backspace every 40 characters; a paste every 20,000 events.
fn session_events(n: usize) -> Vec<Event> {
    let mut events = Vec::with_capacity(n);
    let mut len = 0usize;
    // Counts characters typed, not the text length: keying the typo on the length would
    // delete and retype the same character forever once the text reached 40 characters.
    let mut typed = 0usize;
    let mut word = 0usize;
    let key = |code: &str| Key {
        code: code.into(),
        mods: Modifiers::NONE,
        src: None,
        rep: false,
        dev: None,
    };
    while events.len() < n {
        let w = WORDS[word % WORDS.len()];
        word += 1;
        for ch in w.chars().chain(std::iter::once(' ')) {
            let code = if ch == ' ' {
                "Space".to_string()
            } else {
                format!("Key{}", ch.to_ascii_uppercase())
            };
            events.push(Event::KeyDown(key(&code)));
            events.push(Event::Edit(Edit {
                p: len,
                d: Default::default(),
                i: ch.to_string().into(),
                c: Cause::Typed,
            }));
            events.push(Event::KeyUp(key(&code)));
            len += 1;
            typed += 1;
            if typed.is_multiple_of(40) {
                events.push(Event::KeyDown(key("Backspace")));
                events.push(Event::Edit(Edit {
                    p: len - 1,
                    d: ch.to_string().into(),
                    i: Default::default(),
                    c: Cause::Typed,
                }));
                events.push(Event::KeyUp(key("Backspace")));
                len -= 1;
            }
        }
        if events.len() % 20_000 < 30 {
            let pasted = "pasted text from elsewhere ";
            events.push(Event::Edit(Edit {
                p: len / 2,
                d: Default::default(),
                i: pasted.into(),
                c: Cause::PasteExt,
            }));
            len += pasted.chars().count();
        }
    }
    events.truncate(n);
    events
}

/// Encodes a journal in memory (the same bytes JournalWriter writes).
fn journal_bytes(events: &[Event]) -> Vec<u8> {
    let mut out = Vec::with_capacity(events.len() * 70);
    let mut chain = ChainValue::genesis();
    let mut all = vec![Event::Start(Box::new(start_facts("bench", None, None, &["editor"])))];
    all.extend_from_slice(events);
    for (i, event) in all.into_iter().enumerate() {
        let r = Entry { seq: i as u64, t_us: i as u64 * 60_000, event };
        let (line, next) = journal::encode_line(&r, &chain);
        out.extend_from_slice(&line);
        chain = next;
    }
    out
}

fn report_sizes(bytes: &[u8], events: &[Event]) {
    let j = journal::parse(bytes).expect("generated journal is valid");
    let mut key_bytes = 0usize;
    let mut keys = 0usize;
    for (line, r) in bytes.split_inclusive(|&b| b == b'\n').zip(j.entries.iter()) {
        if matches!(r.event, Event::KeyDown(_) | Event::KeyUp(_)) {
            key_bytes += line.len();
            keys += 1;
        }
    }
    eprintln!(
        "journal: {} events, {} bytes, {:.1} bytes/event overall, {:.1} bytes per key event",
        events.len() + 1,
        bytes.len(),
        bytes.len() as f64 / (events.len() + 1) as f64,
        key_bytes as f64 / keys.max(1) as f64
    );
}

fn benches(c: &mut Criterion) {
    let events = session_events(EVENTS);
    let bytes = journal_bytes(&events);
    report_sizes(&bytes, &events);

    let mut g = c.benchmark_group("journal");
    g.sample_size(10);
    g.bench_function("append 10k events to a file", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |dir| {
                let path = dir.path().join("j.jsonl");
                let mut w = JournalWriter::create(&path, start_facts("b", None, None, &[]))
                    .expect("create");
                for e in &events[..10_000] {
                    w.append(e.clone()).expect("append");
                }
                w.sync().expect("sync");
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function("parse and verify 1M events", |b| {
        b.iter(|| journal::parse(black_box(&bytes)).expect("valid"));
    });
    let entries = journal::parse(&bytes).expect("valid").entries;
    g.bench_function("replay build 1M events", |b| {
        b.iter(|| Replay::build(Arc::clone(black_box(&entries))).expect("replays"));
    });
    let replay = Replay::build(entries).expect("replays");
    let mut x = 12345u64;
    g.bench_function("random seek in 1M events", |b| {
        b.iter(|| {
            // xorshift: a cheap deterministic sequence of positions
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = (x % replay.len() as u64) as usize;
            black_box(replay.at(n).doc.len())
        });
    });
    g.finish();
}

criterion_group!(journal_benches, benches);
criterion_main!(journal_benches);
