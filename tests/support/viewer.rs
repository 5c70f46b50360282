//! Shared by the viewer tests: the sample session re-recorded with a signing key and
//! exported as a bundle, the way the recorder's Finish does it. Event numbers are those of
//! tests/fixtures/sample-session.jsonl (the only checkpoint comes after the end).
#![allow(dead_code)]

use handprint::attest::{KeyStore, PublicKey};
use handprint::event::Event;
use handprint::journal::{self, CheckpointPolicy, JournalWriter};
use handprint::record::export_session;
use handprint::replay::Replay;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const SAMPLE: &str = "tests/fixtures/sample-session.jsonl";

/// Writes `dir/sample.handprint`, signed by a key in `dir/keys`; returns its path.
pub fn signed_sample(dir: &Path) -> PathBuf {
    let j = journal::parse(&std::fs::read(SAMPLE).unwrap()).unwrap();
    let key = KeyStore::at(dir.join("keys")).load_or_create().unwrap();
    let path = dir.join("sample.jsonl");
    let mut w = JournalWriter::create(&path, j.start().clone()).unwrap();
    let rarely = CheckpointPolicy { events: u64::MAX, interval: Duration::from_secs(86_400) };
    w.set_signer(Box::new(key.clone()), rarely);
    for r in j.entries.iter().skip(1).take_while(|r| !matches!(r.event, Event::End(_))) {
        w.append_at(r.t_us, r.event.clone()).unwrap();
    }
    let text = Replay::build(j.entries.clone()).unwrap().final_state().text();
    w.finish(&text).unwrap();
    export_session(&path, &key, None, dir).unwrap().bundle
}

/// The public key that signed `signed_sample(dir)`: what an auditor registers to trust it.
pub fn sample_key(dir: &Path) -> PublicKey {
    KeyStore::at(dir.join("keys")).load_or_create().unwrap().public()
}
