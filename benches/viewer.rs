//! The replay viewer's work on a generated 1,000,000-event session: opening a record
//! (read + verify chain + replay + timeline), and the per-frame work of scrubbing (seek +
//! building the visible text layout). Results are written up in docs/PERFORMANCE.md.
//!
//! `cargo bench --bench viewer -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, criterion_group, criterion_main};
use handprint::event::{Cause, Edit, Event, Key, Modifiers, Record};
use handprint::journal::{self, ChainValue};
use handprint::replay::timeline::Timeline;
use handprint::report::Evidence;
use handprint::session::start_facts;
use handprint::ui::viewer::{Visible, loader};
use std::hint::black_box;

const EVENTS: usize = 1_000_000;

/// A typing session like the journal bench's: per character a key down, the edit and a key
/// up; a typo corrected every 40 characters; a paste every ~20,000 events; 70 ms per event
/// with a 3 s pause every 500 events.
fn journal_bytes(n: usize) -> Vec<u8> {
    let key = |code: &str| Key { code: code.into(), mods: Modifiers::NONE, src: None };
    let mut events = vec![Event::Start(start_facts("bench", None, None, &["editor"]))];
    let mut len = 0usize;
    let text = "the writing process leaves evidence of a person typing text ";
    for ch in text.chars().cycle() {
        if events.len() >= n {
            break;
        }
        events.push(Event::KeyDown(key("KeyA")));
        events.push(Event::Edit(Edit { p: len, d: String::new(), i: ch.into(), c: Cause::Typed }));
        events.push(Event::KeyUp(key("KeyA")));
        len += 1;
        if len.is_multiple_of(40) {
            events.push(Event::Edit(Edit {
                p: len - 1,
                d: ch.into(),
                i: String::new(),
                c: Cause::Typed,
            }));
            len -= 1;
        }
        if events.len() % 20_000 < 4 {
            let pasted = "pasted text from elsewhere ";
            events.push(Event::Edit(Edit {
                p: len / 2,
                d: String::new(),
                i: pasted.into(),
                c: Cause::PasteExt,
            }));
            len += pasted.chars().count();
        }
    }
    let mut out = Vec::with_capacity(n * 70);
    let mut chain = ChainValue::genesis();
    let mut t = 0u64;
    for (i, event) in events.into_iter().enumerate() {
        t += if i % 500 == 0 { 3_000_000 } else { 70_000 };
        let (line, next) = journal::encode_line(&Record { seq: i as u64, t_us: t, event }, &chain);
        out.extend_from_slice(&line);
        chain = next;
    }
    out
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.jsonl");
    std::fs::write(&path, journal_bytes(EVENTS)).expect("write journal");

    let mut g = c.benchmark_group("viewer");
    g.sample_size(10);
    g.bench_function("open 1M events (read, verify, replay, timeline)", |b| {
        b.iter(|| {
            let e = Evidence::open(black_box(&path), &|_, _| {});
            assert!(e.verdict.reason.as_deref().is_none_or(|r| r.contains("finished")));
            e
        })
    });
    let loaded = loader::load(&path, &|_| {});
    let session = loaded.session.expect("the generated session replays");
    eprintln!(
        "session: {} events, final text {} chars",
        session.replay.len(),
        session.final_text.chars().count()
    );
    g.bench_function("timeline of 1M events", |b| {
        b.iter(|| Timeline::build(black_box(session.replay.records())))
    });
    let mut x = 12345u64;
    let mut next = move |n: usize| {
        // xorshift: a cheap deterministic sequence of positions
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let n = session.replay.len();
    g.bench_function("scrub frame: seek + visible text layout", |b| {
        b.iter(|| Visible::build(&session.at(next(n)), None))
    });
    g.bench_function("scrub frame with struck-through deleted text", |b| {
        b.iter(|| Visible::build(&session.at(next(n)), Some(&session.survivors)))
    });
    g.bench_function("scrub frame at the end of the text", |b| {
        b.iter(|| Visible::build(&session.at(n - next(1000)), None))
    });
    g.finish();
}

criterion_group!(viewer_benches, benches);
criterion_main!(viewer_benches);
