//! A session recorded and exported the way the recorder's Finish does it (key from the
//! store, signer on the writer, finish, export), and bundles made or re-signed from it.

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

/// Options that pin the signer to the session's key, as a platform that registered it does.
pub fn pinned(s: &Session) -> handprint::verify::VerifyOptions {
    handprint::verify::VerifyOptions { pubkey: Some(s.key.public()), ..Default::default() }
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
    // The real summary, as the recorder's Finish signs it: verify recomputes and compares it.
    let parsed = handprint::journal::parse(&std::fs::read(&journal).unwrap()).unwrap();
    let replay = handprint::replay::Replay::build(parsed.entries.clone()).unwrap();
    let analysis = handprint::analysis::analyze(&parsed.entries, &replay).attestation_summary();
    let exported = export_session(&journal, key, Some(analysis), dir).unwrap();
    Session { journal, exported, key: key.clone(), text }
}

/// The session's bundle with its statement changed by `change` and signed again with the
/// session's own key: what a trainer holding the key can produce.
pub fn resigned(s: &Session, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let bundle =
        handprint::attest::Bundle::parse(&std::fs::read(&s.exported.bundle).unwrap()).unwrap();
    let mut statement: serde_json::Value =
        serde_json::from_slice(&bundle.envelope.payload_bytes().unwrap()).unwrap();
    change(&mut statement);
    let payload = serde_json::to_vec(&statement).unwrap();
    handprint::attest::Bundle::new(
        handprint::attest::Envelope::sign(&payload, &s.key),
        &bundle.journal_bytes().unwrap(),
    )
    .to_bytes()
}

/// A bundle of `journal_bytes` with a statement made from them, signed by `key`.
pub fn signed(
    journal_bytes: &[u8],
    key: &SigningKey,
    analysis: Option<serde_json::Value>,
) -> Vec<u8> {
    let j = handprint::journal::parse(journal_bytes).unwrap();
    let replay = handprint::replay::Replay::build(j.entries.clone()).unwrap();
    let st = handprint::attest::Statement::new(journal_bytes, &j, &replay, &key.public(), analysis);
    let payload = serde_json::to_vec(&st).unwrap();
    handprint::attest::Bundle::new(handprint::attest::Envelope::sign(&payload, key), journal_bytes)
        .to_bytes()
}
