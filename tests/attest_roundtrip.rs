//! Sign → verify round trip along the recorder's Finish path, and each way a record can be
//! wrong giving its own clear failure.

mod support;

use handprint::attest::{Bundle, SigningKey};
use handprint::record::Record;
use handprint::verify::{
    CheckName, TextMatch, VerifyOptions, VerifyReport, verify_bytes, verify_file,
};
use support::record;

fn failing(report: &VerifyReport) -> Vec<&str> {
    report.checks.iter().filter(|c| !c.ok).map(|c| c.name.as_str()).collect()
}

fn detail<'a>(report: &'a VerifyReport, name: &str) -> &'a str {
    let check = report.checks.iter().find(|c| c.name.as_str() == name);
    &check.unwrap_or_else(|| panic!("no {name} check in {report:#?}")).detail
}

#[test]
fn finished_session_exports_a_bundle_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", Some("n-42"));
    let opts = VerifyOptions {
        text: Some(s.text.clone()),
        task: Some("T-1".into()),
        nonce: Some("n-42".into()),
        fingerprint: Some(s.key.fingerprint()),
        ..Default::default()
    };
    let r = verify_file(&s.exported.bundle, &opts).unwrap();
    assert!(r.valid, "{r:#?}");
    assert!(r.signer_pinned);
    assert_eq!(r.signer.as_deref(), Some(s.key.fingerprint().as_str()));
    assert_eq!(r.text_match, Some(TextMatch::Exact));
    let p = r.predicate.unwrap();
    assert_eq!((p.task.as_str(), p.nonce.as_deref()), ("T-1", Some("n-42")));
    assert_eq!((p.counts.typed, p.counts.pasted_external, p.counts.deleted), (12, 5, 1));
    assert!(p.checkpoints >= 3, "{}", p.checkpoints);
    assert_eq!(p.analysis.unwrap()["version"], handprint::analysis::ANALYSIS_VERSION);
    assert!(s.exported.envelope.exists());
}

#[test]
fn unpinned_signer_fails_closed_unless_any_signer_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let r = verify_file(&s.exported.bundle, &VerifyOptions::default()).unwrap();
    assert!(!r.valid);
    assert_eq!(failing(&r), ["signer"]);
    assert!(detail(&r, "signer").starts_with("signer not pinned"), "{r:#?}");
    let any = VerifyOptions { any_signer: true, ..Default::default() };
    let r = verify_file(&s.exported.bundle, &any).unwrap();
    assert!(r.valid, "{r:#?}");
    assert!(!r.signer_pinned && !r.trusted());
    assert!(detail(&r, "signer").contains("any signer was accepted"));
}

#[test]
fn a_trust_file_key_pins_the_signer_and_a_stranger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let (other, _) = SigningKey::generate().unwrap();
    let trusted =
        VerifyOptions { trusted: vec![other.public(), s.key.public()], ..Default::default() };
    let r = verify_file(&s.exported.bundle, &trusted).unwrap();
    assert!(r.trusted(), "{r:#?}");
    assert!(detail(&r, "signer").contains("trust file"));
    let strangers = VerifyOptions { trusted: vec![other.public()], ..Default::default() };
    let r = verify_file(&s.exported.bundle, &strangers).unwrap();
    assert_eq!(failing(&r), ["signer"]);
}

#[test]
fn text_with_platform_whitespace_matches_after_normalization_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let opts = VerifyOptions { text: Some("The cat sat.\n".into()), ..support::pinned(&s) };
    let r = verify_file(&s.exported.bundle, &opts).unwrap();
    assert!(r.valid, "{r:#?}");
    assert_eq!(r.text_match, Some(TextMatch::Normalized));
    assert!(detail(&r, "text").contains("after normalization"));
}

#[test]
fn wrong_text_is_reported_as_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let opts = VerifyOptions { text: Some("The dog sat.".into()), ..support::pinned(&s) };
    let r = verify_file(&s.exported.bundle, &opts).unwrap();
    assert_eq!(failing(&r), ["text"]);
    assert_eq!(r.text_match, Some(TextMatch::Mismatch));
    assert!(detail(&r, "text").contains("not the attested text"));
}

#[test]
fn wrong_task_is_reported_with_both_ids() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let opts = VerifyOptions { task: Some("T-2".into()), ..support::pinned(&s) };
    let r = verify_file(&s.exported.bundle, &opts).unwrap();
    assert_eq!(failing(&r), ["task"]);
    assert!(detail(&r, "task").contains("\"T-1\", not \"T-2\""));
}

#[test]
fn wrong_or_missing_nonce_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", Some("n-1"));
    let opts = VerifyOptions { nonce: Some("n-2".into()), ..support::pinned(&s) };
    let r = verify_file(&s.exported.bundle, &opts).unwrap();
    assert_eq!(failing(&r), ["nonce"]);
    assert!(detail(&r, "nonce").contains("\"n-1\", not \"n-2\""));
    let s = record(dir.path(), "t", "T-1", None);
    let r = verify_file(&s.exported.bundle, &opts).unwrap();
    assert!(detail(&r, "nonce").contains("without a nonce"));
}

#[test]
fn wrong_key_is_refused_when_a_signer_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let (other, _) = SigningKey::generate().unwrap();
    let by_fp = VerifyOptions { fingerprint: Some(other.fingerprint()), ..Default::default() };
    let r = verify_file(&s.exported.bundle, &by_fp).unwrap();
    assert_eq!(failing(&r), ["signer"]);
    assert!(detail(&r, "signer").contains("not the required key"));
    let by_key = VerifyOptions { pubkey: Some(other.public()), ..Default::default() };
    let r = verify_file(&s.exported.bundle, &by_key).unwrap();
    assert_eq!(failing(&r), ["signer", "signature"]);
}

#[test]
fn bundle_resigned_by_an_attacker_fails_only_when_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let (attacker, _) = SigningKey::generate().unwrap();
    // The attacker re-records the same text under their own key: validly signed, by them.
    let forged = support::record_with(&dir.path().join("a"), "s", "T-1", None, &attacker);
    let pinned = VerifyOptions { fingerprint: Some(s.key.fingerprint()), ..Default::default() };
    let r = verify_file(&forged.exported.bundle, &pinned).unwrap();
    assert!(!r.valid);
    assert_eq!(r.signer.as_deref(), Some(attacker.fingerprint().as_str()));
}

#[test]
fn swapped_journal_is_named_as_from_another_session() {
    let dir = tempfile::tempdir().unwrap();
    let a = record(dir.path(), "a", "T-1", None);
    let b = record(dir.path(), "b", "T-1", None);
    let mut bundle = Bundle::parse(&std::fs::read(&a.exported.bundle).unwrap()).unwrap();
    bundle.journal =
        Bundle::new(bundle.envelope.clone(), &std::fs::read(&b.journal).unwrap()).journal;
    let r = verify_bytes(&bundle.to_bytes(), &VerifyOptions::default()).unwrap();
    assert!(!r.valid);
    assert!(detail(&r, "journal-digest").contains("the journal was swapped"), "{r:#?}");
}

#[test]
fn truncated_journal_is_named_as_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let mut bundle = Bundle::parse(&std::fs::read(&s.exported.bundle).unwrap()).unwrap();
    let journal = std::fs::read(&s.journal).unwrap();
    // Cut at a line boundary, so every remaining line is intact: only the digest can tell.
    let lines: Vec<&[u8]> = journal.split_inclusive(|b| *b == b'\n').collect();
    let cut: Vec<u8> = lines[..lines.len() - 3].concat();
    bundle.journal = Bundle::new(bundle.envelope.clone(), &cut).journal;
    let r = verify_bytes(&bundle.to_bytes(), &VerifyOptions::default()).unwrap();
    assert!(!r.valid);
    assert!(detail(&r, "journal-digest").contains("cut short"), "{r:#?}");
    assert!(r.check(CheckName::Chain).unwrap().ok);
}

#[test]
fn edited_journal_names_the_first_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let mut bundle = Bundle::parse(&std::fs::read(&s.exported.bundle).unwrap()).unwrap();
    let journal = String::from_utf8(std::fs::read(&s.journal).unwrap()).unwrap();
    let edited = journal.replacen("The cst", "The cut", 1);
    bundle.journal = Bundle::new(bundle.envelope.clone(), edited.as_bytes()).journal;
    let r = verify_bytes(&bundle.to_bytes(), &VerifyOptions::default()).unwrap();
    assert!(failing(&r).contains(&"chain"));
    assert!(detail(&r, "chain").starts_with("line 2:"), "{}", detail(&r, "chain"));
}

#[test]
fn bare_journal_is_reported_as_not_signed_with_the_rest_checked() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let r = verify_file(&s.journal, &VerifyOptions::default()).unwrap();
    assert_eq!(r.kind, "journal");
    assert!(!r.valid);
    assert!(failing(&r).contains(&"signed"));
    for ok in [CheckName::Chain, CheckName::Timestamps, CheckName::Replay] {
        assert!(r.check(ok).unwrap().ok, "{ok}: {r:#?}");
    }
    // With the trainer's public key, its checkpoints (a signed prefix) verify.
    let opts = VerifyOptions { pubkey: Some(s.key.public()), ..Default::default() };
    let r = verify_file(&s.journal, &opts).unwrap();
    assert!(r.check(CheckName::Checkpoints).unwrap().ok, "{r:#?}");
}

#[test]
fn rotated_key_still_verifies_old_bundles_when_pinned_to_the_old_key() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let store = handprint::attest::KeyStore::at(dir.path().join("keys"));
    let new = store.rotate().unwrap();
    assert_ne!(new.fingerprint(), s.key.fingerprint());
    let old = store.retired().unwrap()[0].1;
    let opts = VerifyOptions { pubkey: Some(old), ..Default::default() };
    assert!(verify_file(&s.exported.bundle, &opts).unwrap().valid);
}

#[test]
fn a_retired_key_never_signs_a_new_session() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let store = handprint::attest::KeyStore::at(dir.path().join("keys"));
    let new = store.rotate().unwrap();
    // The recorder signs with whatever the store hands out: always the new key.
    let current = store.load_or_create().unwrap();
    assert_eq!(current.fingerprint(), new.fingerprint());
    assert_ne!(current.fingerprint(), s.key.fingerprint());
    let later = record(dir.path(), "later", "T-2", None);
    assert_eq!(later.key.fingerprint(), new.fingerprint());
    // A bundle of a new session verifies pinned to the new key, never to the retired one.
    let old = store.retired().unwrap()[0].1;
    let pinned_old = VerifyOptions { pubkey: Some(old), ..Default::default() };
    let r = verify_file(&later.exported.bundle, &pinned_old).unwrap();
    assert!(!r.valid);
    assert!(!r.check(CheckName::Signer).unwrap().ok);
    // And exporting that session with the retired key is refused: its checkpoints are not
    // signed by it (retired keys only come out of the store as public keys anyway).
    let err =
        handprint::record::export_session(&later.journal, &s.key, None, &dir.path().join("x"));
    assert!(matches!(err, Err(handprint::record::ExportError::CheckpointKey { .. })), "{err:?}");
}

#[test]
fn journal_commands_read_bundles() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let input = Record::open(&s.exported.bundle).unwrap();
    assert_eq!(*input.journal_bytes().unwrap(), std::fs::read(&s.journal).unwrap());
    assert!(input.envelope.is_some());
    assert!(Record::open(&s.journal).unwrap().envelope.is_none());
}
