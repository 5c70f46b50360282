//! The replay viewer's work on a generated 1,000,000-event session: opening a record
//! (read + verify signature, chain and checkpoints + replay + timeline), and the per-frame work of scrubbing (seek +
//! building the visible text layout). Results are written up in docs/PERFORMANCE.md.
//!
//! `cargo bench --bench viewer -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, criterion_group, criterion_main};
use handprint::analysis::timeline::Timeline;
use handprint::attest::KeyStore;
use handprint::event::{Cause, Edit, Event, Key, Modifiers};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::record::export_session;
use handprint::report::Evidence;
use handprint::session::start_facts;
use handprint::ui::viewer::{Visible, loader};
use std::hint::black_box;
use std::path::{Path, PathBuf};

const EVENTS: usize = 1_000_000;

/// Records a typing session like the journal bench's, signed as the recorder does it
/// (checkpoints every 1,000 events, exported as a bundle): per character a key down, the
/// edit and a key up; a typo corrected every 40 characters; a paste every ~20,000 events;
/// 70 ms per event with a 3 s pause every 500 events. Returns the bundle's path.
fn signed_session(dir: &Path, n: usize) -> PathBuf {
    let key = KeyStore::at(dir.join("keys")).load_or_create().expect("key");
    let path = dir.join("big.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("bench", None, None, &["editor"]))
        .expect("create journal");
    w.set_signer(Box::new(key.clone()), CheckpointPolicy::default());
    let kd = |code: &str| {
        Event::KeyDown(Key {
            code: code.into(),
            mods: Modifiers::NONE,
            src: None,
            rep: false,
            dev: None,
        })
    };
    let ku = |code: &str| {
        Event::KeyUp(Key {
            code: code.into(),
            mods: Modifiers::NONE,
            src: None,
            rep: false,
            dev: None,
        })
    };
    let mut text = String::new();
    let mut t = 0u64;
    let mut i = 0usize;
    let mut typed = 0usize;
    let mut add = |w: &mut JournalWriter, e: Event| {
        i += 1;
        t += if i.is_multiple_of(500) { 3_000_000 } else { 70_000 };
        w.append_at(t, e).expect("append");
    };
    let typing = "the writing process leaves evidence of a person typing text ";
    for ch in typing.chars().cycle() {
        if (w.next_seq() as usize) >= n {
            break;
        }
        let p = text.len();
        add(&mut w, kd("KeyA"));
        add(
            &mut w,
            Event::Edit(Edit {
                p,
                d: Default::default(),
                i: ch.to_string().into(),
                c: Cause::Typed,
            }),
        );
        add(&mut w, ku("KeyA"));
        text.push(ch);
        typed += 1;
        if typed.is_multiple_of(40) {
            let p = text.len() - 1;
            add(
                &mut w,
                Event::Edit(Edit {
                    p,
                    d: ch.to_string().into(),
                    i: Default::default(),
                    c: Cause::Typed,
                }),
            );
            text.pop();
        }
        if (w.next_seq() as usize) % 20_000 < 4 {
            let pasted = "pasted text from elsewhere ";
            let p = text.len() / 2;
            add(
                &mut w,
                Event::Edit(Edit {
                    p,
                    d: Default::default(),
                    i: pasted.into(),
                    c: Cause::PasteExt,
                }),
            );
            text.insert_str(p, pasted);
        }
    }
    w.finish(&text).expect("finish");
    export_session(&path, &key, None, dir).expect("export").bundle
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = signed_session(dir.path(), EVENTS);

    let mut g = c.benchmark_group("viewer");
    g.sample_size(10);
    g.bench_function("open 1M events (read, verify, replay, timeline)", |b| {
        b.iter(|| {
            let e = Evidence::open(black_box(&path), &|_, _| {});
            assert!(e.verdict.valid, "{:?}", e.verdict.reason);
            e
        });
    });
    let loaded = loader::load(&path, &|_| {});
    let session = loaded.session.expect("the generated session replays");
    eprintln!(
        "session: {} events, final text {} chars",
        session.replay.len(),
        session.final_text.chars().count()
    );
    g.bench_function("timeline of 1M events", |b| {
        b.iter(|| Timeline::build(black_box(session.replay.entries())));
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
        b.iter(|| Visible::build(&session.at(next(n)), None, None));
    });
    g.bench_function("scrub frame with struck-through deleted text", |b| {
        b.iter(|| Visible::build(&session.at(next(n)), Some(&session.survivors), None));
    });
    g.bench_function("scrub frame at the end of the text", |b| {
        b.iter(|| Visible::build(&session.at(n - next(1000)), None, None));
    });
    g.finish();
}

criterion_group!(viewer_benches, benches);
criterion_main!(viewer_benches);
