//! Export (sign) and verify of a generated typing session of 200,000 events with a signed
//! checkpoint every 1,000 events (the default policy): what a platform pays per bundle.

use criterion::{Criterion, criterion_group, criterion_main};
use handprint::attest::SigningKey;
use handprint::event::{Cause, Edit, Event, Key, Modifiers};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::record::export_session;
use handprint::session::start_facts;
use handprint::verify::{VerifyOptions, verify_bytes};
use std::hint::black_box;
use std::time::Duration;

const EVENTS: usize = 200_000;

/// Key down, typed char, key up, repeated; returns the journal path and the final text.
fn record(dir: &std::path::Path, key: &SigningKey) -> std::path::PathBuf {
    let path = dir.join("bench.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T", None, None, &["editor"])).unwrap();
    let policy = CheckpointPolicy { events: 1000, interval: Duration::from_secs(3600) };
    w.set_signer(Box::new(key.clone()), policy);
    let k = Key { code: "KeyA".into(), mods: Modifiers::NONE, src: None, rep: false, dev: None };
    let mut text = String::new();
    for n in 0..EVENTS / 3 {
        w.append(Event::KeyDown(k.clone())).unwrap();
        let i = if n % 10 == 9 { " " } else { "a" };
        w.append(Event::Edit(Edit { p: n, d: Default::default(), i: i.into(), c: Cause::Typed }))
            .unwrap();
        text.push_str(i);
        w.append(Event::KeyUp(k.clone())).unwrap();
    }
    w.finish(&text).unwrap()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = SigningKey::generate().unwrap();
    let journal = record(dir.path(), &key);
    let out = dir.path().join("out");
    let exported = export_session(&journal, &key, None, &out).unwrap();
    let bundle = std::fs::read(&exported.bundle).unwrap();
    let opts = VerifyOptions { fingerprint: Some(key.fingerprint()), ..Default::default() };
    assert!(verify_bytes(&bundle, &opts).unwrap().valid);

    let mut g = c.benchmark_group("attest_200k_events");
    g.sample_size(10);
    g.bench_function("export_session", |b| {
        b.iter(|| export_session(black_box(&journal), &key, None, &out).unwrap());
    });
    g.bench_function("verify_bytes", |b| {
        b.iter(|| verify_bytes(black_box(&bundle), &opts).unwrap());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
