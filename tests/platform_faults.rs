//! Faults: the service going away mid-session, at Finish, during an upload, and by kill -9.
//! Recording never stops, nothing is lost, nothing is stored twice.

mod platform_support;

use handprint::event::{Edit, Event};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::platform::spool::{Delivery, Spool};
use handprint::platform::witness::{Link, Witness};
use handprint::verify::{VerifyOptions, verify_file};
use platform_support::*;
use std::time::Duration;

#[test]
fn service_stopped_mid_session_recording_continues_gap_reported_receipts_resume() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let admin_token = admin(data.path(), &["token", "--role", "admin"]);
    let server = Server::start(data.path());
    let addr = server.addr();
    let p = Platform { server, admin: admin_token, _dir: None };
    let t = enrolled_trainer(&p, "Ada");
    let offer = p.challenge(&t.account.trainer, "T-outage", &in_secs(3600));

    let start =
        handprint::session::start_facts_for_challenge(&offer.challenge, &offer.prompt, &["editor"]);
    let session = start.session.clone();
    let path = dir.path().join("s.jsonl");
    let mut w = JournalWriter::create(&path, start).unwrap();
    w.set_signer(Box::new(t.key.clone()), CheckpointPolicy::default());
    let witness = Witness::spawn(
        t.account.client().unwrap(),
        t.account.service_public_key().unwrap(),
        &offer.challenge.id,
        &session,
    );
    let mut text = String::new();
    let type_some = |w: &mut JournalWriter, text: &mut String, n: usize| {
        for _ in 0..n {
            let p = text.chars().count();
            w.append(Event::Edit(Edit {
                p,
                d: Default::default(),
                i: "a".into(),
                c: Default::default(),
            }))
            .unwrap();
            text.push('a');
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let append_receipts = |w: &mut JournalWriter, rs: Vec<_>| {
        for r in rs {
            w.append(Event::Witness(Box::new(r))).unwrap();
        }
    };
    type_some(&mut w, &mut text, 5);
    witness.offer(w.next_seq(), w.head().hex());
    let before = witness.wait_for(w.next_seq(), Duration::from_secs(5));
    assert_eq!(before.len(), 1);
    append_receipts(&mut w, before);
    assert!(matches!(witness.link(), Link::Connected { .. }));

    // The service goes away: writing goes on, the link says offline.
    drop(p);
    type_some(&mut w, &mut text, 5);
    witness.offer(w.next_seq(), w.head().hex());
    let none = witness.wait_for(w.next_seq(), Duration::from_millis(1500));
    assert!(none.is_empty());
    assert!(matches!(witness.link(), Link::Offline { .. }), "{:?}", witness.link());
    type_some(&mut w, &mut text, 5);
    let offline_until = w.next_seq();

    // It comes back on the same address: the newest head is receipted.
    let server = Server::start_on(data.path(), &addr);
    witness.offer(w.next_seq(), w.head().hex());
    let after = witness.wait_for(w.next_seq(), Duration::from_secs(40));
    assert!(!after.is_empty(), "receipts resume after the outage");
    assert!(after.last().unwrap().n >= offline_until);
    append_receipts(&mut w, after);
    let journal = w.finish(&text).unwrap();
    drop(server);

    let bundle =
        handprint::record::export_session(&journal, &t.key, None, dir.path()).unwrap().bundle;
    let opts = VerifyOptions {
        service_key: t.account.service_public_key(),
        pubkey: Some(t.key.public()),
        ..Default::default()
    };
    let r = verify_file(&bundle, &opts).unwrap();
    assert!(r.valid, "{:#?}", r.checks);
    let summary = r.witness.unwrap();
    assert!(summary.receipts >= 2);
    // The outage is visible: the witnessed real time spans it.
    assert!(summary.witnessed_seconds >= 1.0, "{}", summary.witnessed_seconds);
}

#[test]
fn service_down_at_finish_spools_and_delivers_exactly_once_after_restart() {
    let data = tempfile::tempdir().unwrap();
    let admin_token = admin(data.path(), &["token", "--role", "admin"]);
    let server = Server::start(data.path());
    let addr = server.addr();
    let p = Platform { server, admin: admin_token.clone(), _dir: None };
    let t = enrolled_trainer(&p, "Ada");
    let offer = p.challenge(&t.account.trainer, "T-spool", &in_secs(3600));
    let dir = tempfile::tempdir().unwrap();
    let rec = record_witnessed(dir.path(), &t, &offer, "kept safe", Duration::from_millis(5), 3);
    drop(p);

    let spool = Spool::in_data_dir(dir.path());
    let client = t.account.client().unwrap();
    let bytes = std::fs::read(&rec.bundle).unwrap();
    match spool.submit(&client, &offer.challenge.id, &bytes, &rec.text).unwrap() {
        Delivery::Spooled { .. } => {}
        other => panic!("expected spooled, got {other:?}"),
    }
    assert_eq!(spool.pending().len(), 1, "kept on disk");

    let server = Server::start_on(data.path(), &addr);
    let results = spool.deliver_pending(&client);
    assert!(
        matches!(results.as_slice(), [Ok(Delivery::Delivered(r))] if r.valid && !r.duplicate),
        "{results:?}"
    );
    assert!(spool.pending().is_empty());
    assert!(spool.deliver_pending(&client).is_empty(), "nothing left to send twice");
    let digest = handprint::sha256_hex(&bytes);
    let receipt = spool.delivered(&digest).unwrap();
    let auditor = admin(&server.data, &["token", "--role", "auditor"]);
    let (status, _) = get(&format!("{}/v1/submissions/{}", server.url, receipt.id), &auditor);
    assert_eq!(status, 200);
}

#[test]
fn service_killed_during_upload_loses_nothing_and_stores_once() {
    let data = tempfile::tempdir().unwrap();
    let admin_token = admin(data.path(), &["token", "--role", "admin"]);
    let server = Server::start(data.path());
    let addr = server.addr();
    let p = Platform { server, admin: admin_token.clone(), _dir: None };
    let t = enrolled_trainer(&p, "Ada");
    let offer = p.challenge(&t.account.trainer, "T-kill", &in_secs(3600));
    let dir = tempfile::tempdir().unwrap();
    let rec =
        record_witnessed(dir.path(), &t, &offer, &"word ".repeat(60), Duration::from_millis(1), 50);
    let bytes = std::fs::read(&rec.bundle).unwrap();
    let spool = Spool::in_data_dir(dir.path());
    let client = t.account.client().unwrap();

    // Kill -9 while the upload is in flight (or just after it landed: either way).
    let uploading = {
        let (spool, client, challenge, bytes, text) = (
            spool.clone(),
            client.clone(),
            offer.challenge.id.clone(),
            bytes.clone(),
            rec.text.clone(),
        );
        std::thread::spawn(move || spool.submit(&client, &challenge, &bytes, &text).unwrap())
    };
    std::thread::sleep(Duration::from_millis(20));
    let Platform { server, .. } = p;
    server.kill9();
    let first = uploading.join().unwrap();

    let server = Server::start_on(data.path(), &addr);
    let delivered = match first {
        Delivery::Delivered(r) => r,
        Delivery::Spooled { .. } => match spool.deliver_pending(&client).pop() {
            Some(Ok(Delivery::Delivered(r))) => r,
            other => panic!("not delivered after restart: {other:?}"),
        },
        other => panic!("unexpected {other:?}"),
    };
    assert!(spool.pending().is_empty());
    // Submitting the same bundle again is the same stored submission.
    let again = client
        .submit(&handprint::platform::protocol::SubmitRequest {
            challenge: offer.challenge.id.clone(),
            bundle: base64_of(&bytes),
            text: rec.text.clone(),
        })
        .unwrap();
    assert_eq!(again.id, delivered.id);
    assert!(again.duplicate);
    drop(server);
}

#[test]
fn stored_submission_survives_kill_9_of_the_service() {
    let data = tempfile::tempdir().unwrap();
    let admin_token = admin(data.path(), &["token", "--role", "admin"]);
    let server = Server::start(data.path());
    let addr = server.addr();
    let p = Platform { server, admin: admin_token.clone(), _dir: None };
    let t = enrolled_trainer(&p, "Ada");
    let offer = p.challenge(&t.account.trainer, "T-durable", &in_secs(3600));
    let dir = tempfile::tempdir().unwrap();
    let rec = record_witnessed(dir.path(), &t, &offer, "durable", Duration::from_millis(5), 3);
    let receipt = t
        .account
        .client()
        .unwrap()
        .submit(&handprint::platform::protocol::SubmitRequest {
            challenge: offer.challenge.id.clone(),
            bundle: base64_of(&std::fs::read(&rec.bundle).unwrap()),
            text: rec.text.clone(),
        })
        .unwrap();
    let Platform { server, .. } = p;
    server.kill9();

    let server = Server::start_on(data.path(), &addr);
    let (status, stored) =
        get(&format!("{}/v1/submissions/{}", server.url, receipt.id), &admin_token);
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["valid"], true);
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
