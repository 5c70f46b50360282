//! Shared by the attestation tests: a session recorded and exported the way the recorder's
//! Finish does it (key from the store, signer on the writer, finish, export).
#![allow(dead_code)]

use handprint::attest::{KeyStore, SigningKey};
use handprint::event::{Cause, Edit, Event};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::record::{Exported, export_session};
use handprint::session::start_facts;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Session {
    pub journal: PathBuf,
    pub exported: Exported,
    pub key: SigningKey,
    pub text: String,
}

pub fn edit(p: usize, d: &str, i: &str, c: Cause) -> Event {
    Event::Edit(Edit { p, d: d.into(), i: i.into(), c })
}

/// Records "The cat sat." (typed, with a fix and a paste, a pause) for `task` with `nonce`
/// in `dir`, signed by the key in `dir/keys`, checkpoints every 3 events; exports it.
pub fn record(dir: &Path, name: &str, task: &str, nonce: Option<&str>) -> Session {
    let key = KeyStore::at(dir.join("keys")).load_or_create().unwrap();
    record_with(dir, name, task, nonce, &key)
}

pub fn record_with(
    dir: &Path,
    name: &str,
    task: &str,
    nonce: Option<&str>,
    key: &SigningKey,
) -> Session {
    let journal = dir.join(format!("{name}.jsonl"));
    let mut w =
        JournalWriter::create(&journal, start_facts(task, nonce, None, &["editor"])).unwrap();
    w.set_signer(
        Box::new(key.clone()),
        CheckpointPolicy { events: 3, interval: Duration::from_secs(30) },
    );
    w.append(edit(0, "", "The cst", Cause::Typed)).unwrap();
    w.append(edit(5, "s", "a", Cause::Typed)).unwrap();
    w.append(Event::Pause).unwrap();
    w.append(Event::Resume).unwrap();
    w.append(edit(7, "", " sat.", Cause::PasteExt)).unwrap();
    w.append(edit(12, "", "  \r\n", Cause::Typed)).unwrap();
    let text = "The cat sat.  \r\n".to_owned();
    w.finish(&text).unwrap();
    let analysis = serde_json::json!({"version": "test-1", "flags": []});
    let exported = export_session(&journal, key, Some(analysis), dir).unwrap();
    Session { journal, exported, key: key.clone(), text }
}
