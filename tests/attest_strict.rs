//! A trainer holds their own signing key, so they can sign anything: these records are all
//! validly signed by the pinned key, and each is still refused, with the rule it breaks
//! named. (Issue 12: an independent verifier found each of them accepted.)

mod support;

use handprint::attest::SigningKey;
use handprint::event::{Cause, Event};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::session::start_facts;
use handprint::verify::{CheckName, VerifyOptions, VerifyReport, verify_bytes};
use serde_json::json;
use std::path::Path;
use std::time::Duration;
use support::{edit, pinned, record, resigned, signed};

fn verify(bytes: &[u8], key: &SigningKey) -> VerifyReport {
    let opts = VerifyOptions { pubkey: Some(key.public()), ..Default::default() };
    verify_bytes(bytes, &opts).unwrap()
}

fn failure<'a>(r: &'a VerifyReport, name: &str) -> &'a str {
    let name = *CheckName::ALL.iter().find(|c| c.as_str() == name).expect("a check name");
    let c = r.check(name).unwrap_or_else(|| panic!("no {name} check: {r:#?}"));
    assert!(!c.ok, "{name} passed: {r:#?}");
    assert!(!r.valid);
    &c.detail
}

#[test]
fn an_untouched_resigned_statement_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let r = verify_bytes(&resigned(&s, |_| {}), &pinned(&s)).unwrap();
    assert!(r.valid, "{r:#?}");
}

#[test]
fn an_extra_subject_naming_another_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let other = json!({"name": "other.txt", "digest": {"sha256": "ab".repeat(32)}});
    let r = verify(&resigned(&s, |st| st["subject"].as_array_mut().unwrap().push(other)), &s.key);
    assert!(failure(&r, "statement").contains("names exactly"), "{r:#?}");
}

#[test]
fn an_extra_digest_algorithm_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let r = verify(&resigned(&s, |st| st["subject"][0]["digest"]["md5"] = json!("00")), &s.key);
    assert!(failure(&r, "statement").contains("exactly one, sha256"), "{r:#?}");
}

#[test]
fn unknown_statement_and_predicate_members_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let r = verify(&resigned(&s, |st| st["predicate"]["verified_human"] = json!(true)), &s.key);
    assert!(failure(&r, "statement").contains("unknown field `verified_human`"), "{r:#?}");
    let r = verify(&resigned(&s, |st| st["note"] = json!("trust me")), &s.key);
    assert!(failure(&r, "statement").contains("unknown field `note`"), "{r:#?}");
    let r = verify(&resigned(&s, |st| st["predicate"]["counts"]["dictated"] = json!(0)), &s.key);
    assert!(failure(&r, "statement").contains("unknown field `dictated`"), "{r:#?}");
}

#[test]
fn a_signed_analysis_that_the_journal_does_not_give_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let r = verify(
        &resigned(&s, |st| {
            st["predicate"]["analysis"]["typed_share"] = json!(1.0);
            st["predicate"]["analysis"]["paste_ext_share"] = json!(0.0);
            st["predicate"]["analysis"]["flags"] = json!([]);
        }),
        &s.key,
    );
    let why = failure(&r, "analysis");
    for member in ["typed_share (signed 1.0", "paste_ext_share", "flags (signed []"] {
        assert!(why.contains(member), "{member} not named in {why}");
    }
    let r =
        verify(&resigned(&s, |st| st["predicate"]["analysis"]["version"] = json!("x/9")), &s.key);
    assert!(failure(&r, "analysis").contains("cannot recompute"), "{r:#?}");
    // A version after this build's is as unknown as a made-up one.
    let r = verify(
        &resigned(&s, |st| st["predicate"]["analysis"]["version"] = json!("handprint-analysis/99")),
        &s.key,
    );
    assert!(failure(&r, "analysis").contains("\"handprint-analysis/99\""), "{r:#?}");
}

#[test]
fn an_analysis_signed_under_an_earlier_version_passes_uncompared_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    // Definitions changed between versions, so an earlier summary may differ from this
    // build's in any member: it is not compared, and the reader is told so.
    let r = verify(
        &resigned(&s, |st| {
            st["predicate"]["analysis"]["version"] = json!("handprint-analysis/1");
            st["predicate"]["analysis"]["typed_share"] = json!(0.123);
        }),
        &s.key,
    );
    assert!(r.valid, "{r:#?}");
    let c = r.check(CheckName::Analysis).expect("an analysis check");
    assert!(c.ok);
    assert!(
        c.detail.starts_with("signed with handprint-analysis/1; not compared — the analysis shown is recomputed with handprint-analysis/"),
        "{}",
        c.detail
    );
}

#[test]
fn a_bundle_journal_without_end_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = record(dir.path(), "s", "T-1", None);
    let journal = std::fs::read(&s.journal).unwrap();
    let lines: Vec<&[u8]> = journal.split_inclusive(|b| *b == b'\n').collect();
    let end = lines
        .iter()
        .position(|l| l.starts_with(b"{\"s\":") && l.windows(9).any(|w| w == b"\"e\":\"end\""))
        .unwrap();
    let cut = lines[..end].concat();
    let r = verify(&signed(&cut, &s.key, None), &s.key);
    assert!(failure(&r, "replay").contains("no end event"), "{r:#?}");
}

/// A session signed by `key` whose start time is `wall` and whose last event is at `t_us`.
fn session_with_times(dir: &Path, wall: &str, t_us: u64, key: &SigningKey) -> Vec<u8> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("times-{n}.jsonl"));
    let mut start = start_facts("T-1", None, None, &["editor"]);
    start.wall = wall.to_owned();
    let mut w = JournalWriter::create(&path, start).unwrap();
    let rarely = CheckpointPolicy { events: u64::MAX, interval: Duration::from_secs(86_400) };
    w.set_signer(Box::new(key.clone()), rarely);
    w.append_at(t_us, edit(0, "", "hi", Cause::Typed)).unwrap();
    w.finish("hi").unwrap();
    signed(&std::fs::read(&path).unwrap(), key, None)
}

#[test]
fn unparsable_and_overflowing_wall_times_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = SigningKey::generate().unwrap();
    let ok = session_with_times(dir.path(), "2026-01-01T09:00:00.000000Z", 1_000, &key);
    assert!(verify(&ok, &key).valid, "{:#?}", verify(&ok, &key));
    let bad = session_with_times(dir.path(), "last Tuesday", 1_000, &key);
    assert!(failure(&verify(&bad, &key), "wall-times").contains("\"last Tuesday\""));
    let local = session_with_times(dir.path(), "2026-01-01T09:00:00+02:00", 1_000, &key);
    assert!(failure(&verify(&local, &key), "wall-times").contains("not an RFC 3339 UTC time"));
    let far = session_with_times(
        dir.path(),
        "2026-01-01T09:00:00.000000Z",
        9_000_000_000_000_000_000,
        &key,
    );
    assert!(failure(&verify(&far, &key), "wall-times").contains("not a representable time"));
}

#[test]
fn the_clock_event_wall_time_is_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = SigningKey::generate().unwrap();
    let path = dir.path().join("c.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("T-1", None, None, &["editor"])).unwrap();
    let rarely = CheckpointPolicy { events: u64::MAX, interval: Duration::from_secs(86_400) };
    w.set_signer(Box::new(key.clone()), rarely);
    w.append(Event::Clock(handprint::event::ClockSample { wall: "99:99".into() })).unwrap();
    w.finish("").unwrap();
    let r = verify(&signed(&std::fs::read(&path).unwrap(), &key, None), &key);
    assert!(failure(&r, "wall-times").starts_with("event 1:"), "{r:#?}");
}
