//! What `export_session` refuses to sign, and journals whose time runs backwards.

mod support;

use handprint::attest::{KeyStore, SigningKey};
use handprint::event::{Cause, Entry, Event};
use handprint::journal::{ChainValue, JournalWriter, encode_line};
use handprint::record::{ExportError, export_session};
use handprint::session::start_facts;
use handprint::verify::{CheckName, VerifyOptions, verify_bytes, verify_file};
use support::edit;

#[test]
fn unfinished_journal_is_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyStore::at(dir.path().join("keys")).load_or_create().unwrap();
    let path = dir.path().join("s.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T", None, None, &["editor"])).unwrap();
    w.set_signer(Box::new(key.clone()), Default::default());
    w.append(edit(0, "", "hi", Cause::Typed)).unwrap();
    drop(w);
    let err = export_session(&path, &key, None, dir.path()).unwrap_err();
    assert!(matches!(err, ExportError::Unfinished(_)), "{err}");
}

#[test]
fn journal_recorded_without_a_key_is_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = SigningKey::generate().unwrap();
    let path = dir.path().join("s.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T", None, None, &["editor"])).unwrap();
    w.append(edit(0, "", "hi", Cause::Typed)).unwrap();
    w.finish("hi").unwrap();
    let err = export_session(&path, &key, None, dir.path()).unwrap_err();
    assert!(matches!(err, ExportError::Unsigned(_)), "{err}");
}

#[test]
fn journal_signed_by_another_key_is_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let s = support::record(dir.path(), "s", "T", None);
    let (other, _) = SigningKey::generate().unwrap();
    let err = export_session(&s.journal, &other, None, &dir.path().join("out")).unwrap_err();
    assert!(err.to_string().contains("not by the attesting key"), "{err}");
}

#[test]
fn bare_envelope_is_unusable_with_a_pointer_to_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let s = support::record(dir.path(), "s", "T", None);
    let err = verify_file(&s.exported.envelope, &VerifyOptions::default()).unwrap_err();
    assert!(err.to_string().contains("bare attestation envelope"), "{err}");
}

#[test]
fn time_going_backwards_is_reported_with_its_event() {
    let start = start_facts("T", None, None, &["editor"]);
    let events = [(0, Event::Start(Box::new(start))), (50, Event::Pause), (40, Event::Resume)];
    let mut chain = ChainValue::genesis();
    let mut bytes = Vec::new();
    for (seq, (t_us, event)) in events.into_iter().enumerate() {
        let (line, next) = encode_line(&Entry { seq: seq as u64, t_us, event }, &chain);
        bytes.extend_from_slice(&line);
        chain = next;
    }
    let r = verify_bytes(&bytes, &VerifyOptions::default()).unwrap();
    let check = r.check(CheckName::Timestamps).unwrap();
    assert!(!check.ok);
    assert_eq!(check.detail, "event 2: time goes backwards (40 µs after 50 µs)");
}
