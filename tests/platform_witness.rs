//! What verification learns from witness receipts, and how fabricated records show: built
//! without HTTP, with a local "service" key signing receipts at chosen times, so every case
//! (honest, compressed, forged, stripped, gapped) is exact and fast.

use handprint::attest::SigningKey;
use handprint::event::{Edit, Event, Key, Modifiers};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::platform::protocol::{ChallengeOffer, Receipt, UnsignedChallenge, sign_challenge};
use handprint::record::export_session;
use handprint::verify::{CheckName, VerifyOptions, VerifyReport, verify_file};

const ISSUED: &str = "2026-03-01T10:00:00.000000Z";

struct Keys {
    service: SigningKey,
    trainer: SigningKey,
}

fn keys() -> Keys {
    Keys {
        service: SigningKey::from_seed(&[1; 32]).unwrap(),
        trainer: SigningKey::from_seed(&[2; 32]).unwrap(),
    }
}

fn offer(service: &SigningKey) -> ChallengeOffer {
    let prompt = "Describe a river.".to_owned();
    let challenge = sign_challenge(
        service,
        UnsignedChallenge {
            id: "c".repeat(32),
            task: "T-9".into(),
            prompt_sha256: handprint::sha256_hex(prompt.as_bytes()),
            trainer: "tr_1".into(),
            nonce: "ab".repeat(32),
            issued: ISSUED.into(),
            deadline: "2026-03-02T10:00:00Z".into(),
        },
    );
    ChallengeOffer { challenge, prompt }
}

/// Service time `us` microseconds after the challenge was issued.
fn at(us: i64) -> String {
    let base = chrono::DateTime::parse_from_rfc3339(ISSUED).unwrap();
    (base + chrono::Duration::microseconds(us))
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// How a scripted session is witnessed.
struct Script {
    chars: usize,
    /// Journal time per typed char.
    char_us: u64,
    /// A receipt every this many chars (0: none).
    receipt_every: usize,
    /// Service time of a receipt, from the journal time it covers.
    service_time: fn(u64) -> i64,
    /// Receipt signer (the service, or a forger).
    forge: bool,
}

fn honest(chars: usize) -> Script {
    Script {
        chars,
        char_us: 200_000,
        receipt_every: 10,
        service_time: |t| t as i64 + 50_000,
        forge: false,
    }
}

fn record(k: &Keys, script: &Script) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer(&k.service);
    let start =
        handprint::session::start_facts_for_challenge(&offer.challenge, &offer.prompt, &["editor"]);
    let session = start.session.clone();
    let mut w = JournalWriter::create(&dir.path().join("s.jsonl"), start).unwrap();
    w.set_signer(Box::new(k.trainer.clone()), CheckpointPolicy::default());
    let forger = SigningKey::from_seed(&[3; 32]).unwrap();
    let mut t = 0u64;
    for i in 0..script.chars {
        t += script.char_us;
        let key = Key::new("KeyA", Modifiers::NONE, None);
        w.append_at(t, Event::KeyDown(key.clone())).unwrap();
        w.append_at(
            t,
            Event::Edit(Edit { p: i, d: Default::default(), i: "a".into(), c: Default::default() }),
        )
        .unwrap();
        w.append_at(t + 80_000, Event::KeyUp(key)).unwrap();
        if script.receipt_every > 0 && (i + 1) % script.receipt_every == 0 {
            let signer = if script.forge { &forger } else { &k.service };
            let r = Receipt::sign(
                signer,
                &session,
                w.next_seq(),
                &w.head().hex(),
                &at((script.service_time)(t + 80_000)),
            );
            w.append_at(t + 90_000, Event::Witness(Box::new(r))).unwrap();
        }
    }
    let text = "a".repeat(script.chars);
    let journal = w.finish(&text).unwrap();
    let bundle = export_session(&journal, &k.trainer, None, dir.path()).unwrap().bundle;
    (dir, bundle)
}

fn verify(k: &Keys, bundle: &std::path::Path, with_service_key: bool) -> VerifyReport {
    let opts = VerifyOptions {
        pubkey: Some(k.trainer.public()),
        service_key: with_service_key.then(|| k.service.public()),
        ..Default::default()
    };
    verify_file(bundle, &opts).unwrap()
}

fn flag_kinds(r: &VerifyReport) -> Vec<String> {
    r.witness.as_ref().map(|w| w.flags.iter().map(|f| f.kind.clone()).collect()).unwrap_or_default()
}

#[test]
fn honest_witnessed_session_is_valid_with_its_real_time_span_and_no_flags() {
    let k = keys();
    let (_d, bundle) = record(&k, &honest(40));
    let r = verify(&k, &bundle, true);
    assert!(r.valid, "{:#?}", r.checks);
    let w = r.witness.clone().unwrap();
    assert_eq!(w.receipts, 4);
    assert!((w.witnessed_seconds - 6.0).abs() < 0.01, "{}", w.witnessed_seconds);
    assert!(w.flags.is_empty(), "{:?}", w.flags);
    assert!(r.check(CheckName::Challenge).unwrap().ok);
}

#[test]
fn session_produced_faster_than_its_journal_claims_is_flagged_with_the_events() {
    let k = keys();
    // The journal claims 200 ms per char; the service saw the heads 1 ms per char apart:
    // 20 s of claimed writing per receipt interval in 0.1 s of real time.
    let script = Script { service_time: |t| (t / 200) as i64, receipt_every: 100, ..honest(300) };
    let (_d, bundle) = record(&k, &script);
    let r = verify(&k, &bundle, true);
    let w = r.witness.clone().unwrap();
    let ahead: Vec<_> = w.flags.iter().filter(|f| f.kind == "ahead_of_real_time").collect();
    assert!(!ahead.is_empty(), "{:?}", w.flags);
    assert!(ahead[0].reason.contains("faster than the journal says"), "{}", ahead[0].reason);
    assert!(ahead[0].events.1 > ahead[0].events.0);
}

#[test]
fn many_intervals_each_inside_the_slack_still_add_up_to_a_flag() {
    let k = keys();
    // Every 10 chars (2 s claimed), only 1.5 s pass at the service: within the per-interval
    // slack each time, but 60 s claimed against 45 s real over the whole session.
    let script = Script { service_time: |t| (t * 3 / 4) as i64, ..honest(300) };
    let (_d, bundle) = record(&k, &script);
    let r = verify(&k, &bundle, true);
    let ahead: Vec<_> =
        r.witness.unwrap().flags.into_iter().filter(|f| f.kind == "ahead_of_real_time").collect();
    assert_eq!(ahead.len(), 1, "{ahead:?}");
    assert!(
        ahead[0].events.1 - ahead[0].events.0 > 800,
        "spans the whole witnessed session: {:?}",
        ahead[0].events
    );
}

#[test]
fn forged_receipt_makes_the_record_invalid() {
    let k = keys();
    let (_d, bundle) = record(&k, &Script { forge: true, ..honest(20) });
    let r = verify(&k, &bundle, true);
    assert!(!r.valid);
    let c = r.check(CheckName::Witness).unwrap();
    assert!(!c.ok && c.detail.contains("not the service key"), "{}", c.detail);
}

#[test]
fn stripped_receipts_are_flagged_as_never_witnessed() {
    let k = keys();
    let (_d, bundle) = record(&k, &Script { receipt_every: 0, ..honest(20) });
    let r = verify(&k, &bundle, true);
    assert_eq!(flag_kinds(&r), ["no_receipts"]);
}

#[test]
fn long_unwitnessed_writing_is_flagged_with_its_span() {
    let k = keys();
    // 45 chars 10 s apart, the only receipt after the 40th: 400 s of writing unwitnessed.
    let script = Script { char_us: 10_000_000, receipt_every: 40, ..honest(45) };
    let (_d, bundle) = record(&k, &script);
    let r = verify(&k, &bundle, true);
    assert!(r.valid, "a gap is a flag, not a verdict: {:#?}", r.checks);
    let flags = r.witness.unwrap().flags;
    let gap = flags.iter().find(|f| f.kind == "unwitnessed_span").expect("gap flagged");
    assert!(gap.reason.contains("without a witness receipt"), "{}", gap.reason);
    assert_eq!(gap.events.0, 0);
}

#[test]
fn receipt_dated_before_the_challenge_is_flagged() {
    let k = keys();
    let (_d, bundle) =
        record(&k, &Script { service_time: |t| t as i64 - 3_600_000_000, ..honest(20) });
    let r = verify(&k, &bundle, true);
    assert!(
        flag_kinds(&r).contains(&"receipt_before_challenge".to_owned()),
        "{:?}",
        flag_kinds(&r)
    );
}

#[test]
fn without_the_service_key_receipts_are_reported_but_not_trusted() {
    let k = keys();
    let (_d, bundle) = record(&k, &honest(20));
    let r = verify(&k, &bundle, false);
    assert!(r.valid);
    assert!(r.witness.is_none());
    assert!(r.check(CheckName::Witness).unwrap().detail.contains("--service-key"));
}

#[test]
fn challenge_signed_by_another_key_is_invalid() {
    let k = keys();
    let (_d, bundle) = record(&k, &honest(20));
    let other =
        Keys { service: SigningKey::from_seed(&[4; 32]).unwrap(), trainer: k.trainer.clone() };
    let r = verify(&other, &bundle, true);
    assert!(!r.valid);
    assert!(!r.check(CheckName::Challenge).unwrap().ok);
}
