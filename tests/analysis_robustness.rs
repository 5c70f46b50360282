//! `analyze` never panics: on random mixtures of every event kind, on sessions cut off at any
//! point, and on extreme times.

mod support;
use support::corpus;

use corpus::Rng;
use handprint::analysis::analyze;
use handprint::event::*;
use handprint::replay::Replay;
use std::sync::Arc;

/// A random but replayable session of `n` events of every kind.
fn soup(seed: u64, n: usize) -> Vec<Entry> {
    let mut rng = Rng::new(seed);
    let mut doc: Vec<char> = Vec::new();
    let mut t = 0u64;
    let mut out = corpus::Class::Composition.generate(seed)[..1].to_vec();
    let codes = ["KeyA", "Space", "ShiftLeft", "Backspace", "Enter", "KeyB", "Tab", "F5"];
    for _ in 0..n {
        t += match rng.unit() {
            x if x < 0.01 => 3_000_000_000,
            x if x < 0.1 => (rng.unit() * 5_000_000.0) as u64,
            _ => (rng.unit() * 200_000.0) as u64,
        };
        let code = codes[(rng.unit() * codes.len() as f64) as usize].to_string();
        let src = if rng.chance(0.5) { Some(KeySource::Os) } else { None };
        let key = Key {
            code: code.into(),
            mods: Modifiers((rng.unit() * 16.0) as u8),
            src,
            rep: false,
            dev: None,
        };
        let event = match (rng.unit() * 12.0) as u32 {
            0 | 1 => Event::KeyDown(key),
            2 => Event::KeyUp(key),
            3..=5 => {
                let p = (rng.unit() * (doc.len() + 1) as f64) as usize;
                let n = ((rng.unit() * 4.0) as usize).min(doc.len() - p);
                let d: String = doc[p..p + n].iter().collect();
                let i: String = if rng.chance(0.7) {
                    "ab. \n".chars().take(1 + (rng.unit() * 4.0) as usize).collect()
                } else {
                    String::new()
                };
                doc.splice(p..p + n, i.chars());
                let c = Cause::ALL[(rng.unit() * Cause::ALL.len() as f64) as usize];
                Event::Edit(Edit { p, d: d.into(), i: i.into(), c })
            }
            6 => {
                let b = (rng.unit() * (doc.len() + 1) as f64) as usize;
                Event::Select(Selection { a: b, b })
            }
            7 => Event::Focus(Focus { on: rng.chance(0.5) }),
            8 => {
                if rng.chance(0.5) {
                    Event::Pause
                } else {
                    Event::Resume
                }
            }
            9 => Event::AwayKeys(AwayKeys { n: [(KeyClass::Char, 3)].into() }),
            10 => Event::Clock(ClockSample {
                wall: if rng.chance(0.5) {
                    "2026-01-01T00:00:00Z".into()
                } else {
                    "garbage".into()
                },
            }),
            _ => Event::Recovered(Recovered { dropped: 5, wall: "2030-01-01T00:00:00Z".into() }),
        };
        out.push(Entry { seq: out.len() as u64, t_us: t, event });
    }
    out
}

#[test]
fn random_sessions_and_every_prefix_of_them_analyze_without_panicking() {
    for seed in 0..20 {
        let entries = soup(seed, 400);
        for cut in [1, 2, 50, 200, entries.len()] {
            let prefix = Arc::new(entries[..cut].to_vec());
            let replay = Replay::build(prefix.clone()).expect("soup replays");
            let a = analyze(&prefix, &replay);
            assert!(!a.to_text().is_empty());
            assert!(a.attestation_summary().is_object());
            assert!(serde_json::to_string(&a).is_ok());
        }
    }
}

#[test]
fn times_near_the_end_of_the_clock_do_not_overflow() {
    let mut entries = soup(99, 100);
    for r in entries.iter_mut().skip(1) {
        r.t_us = u64::MAX - 1_000 + r.seq;
    }
    let entries = Arc::new(entries);
    let replay = Replay::build(entries.clone()).expect("replays");
    let a = analyze(&entries, &replay);
    assert_eq!(a.version, handprint::analysis::ANALYSIS_VERSION);
}
