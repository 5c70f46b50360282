//! The platform service on loopback, end to end: enrol → challenge → a recording witnessed
//! live → submit → the service's own report; and every refusal with its own reason.

mod platform_support;

use handprint::platform::client::ClientError;
use handprint::platform::protocol::{SubmitRequest, WitnessRequest};
use handprint::platform::spool::{Delivery, Spool};
use platform_support::*;
use std::time::Duration;

fn submit_request(challenge: &str, rec: &Recorded) -> SubmitRequest {
    use base64::Engine;
    SubmitRequest {
        challenge: challenge.into(),
        bundle: base64::engine::general_purpose::STANDARD
            .encode(std::fs::read(&rec.bundle).unwrap()),
        text: rec.text.clone(),
    }
}

fn refusal_code(e: ClientError) -> String {
    match e {
        ClientError::Refused { code, .. } => code,
        other => panic!("expected a refusal, got {other}"),
    }
}

#[test]
fn witnessed_recording_submits_valid_pinned_and_bound() {
    let p = Platform::start();
    let t = enrolled_trainer(&p, "Ada");
    let offer = p.challenge(&t.account.trainer, "T-rivers", &in_secs(3600));
    assert_eq!(offer.challenge.verify(&t.account.service_public_key().unwrap()), Ok(()));
    let dir = tempfile::tempdir().unwrap();
    let rec =
        record_witnessed(dir.path(), &t, &offer, "rivers run deep", Duration::from_millis(15), 4);

    let spool = Spool::in_data_dir(dir.path());
    let client = t.account.client().unwrap();
    let bytes = std::fs::read(&rec.bundle).unwrap();
    let receipt = match spool.submit(&client, &offer.challenge.id, &bytes, &rec.text).unwrap() {
        Delivery::Delivered(r) => r,
        other => panic!("not delivered: {other:?}"),
    };
    assert!(receipt.valid && !receipt.duplicate, "{receipt:?}");
    assert!(spool.pending().is_empty());

    let auditor = admin(&p.server.data, &["token", "--role", "auditor"]);
    let (status, stored) = get(&format!("{}/v1/submissions/{}", p.url(), receipt.id), &auditor);
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["valid"], true);
    let verify = &stored["report"]["verify"];
    assert_eq!(verify["signer_pinned"], true, "pinned to the enrolled key");
    let ok = |name: &str| {
        verify["checks"].as_array().unwrap().iter().any(|c| c["name"] == name && c["ok"] == true)
    };
    for check in ["signature", "challenge", "witness", "witness-copies", "task", "nonce", "text"] {
        assert!(ok(check), "{check} not ok in {verify:#}");
    }
    assert!(verify["witness"]["receipts"].as_u64().unwrap() >= 2, "{verify:#}");
    assert!(stored["report"]["analysis"]["version"].is_string(), "analysis recomputed");

    // A retry of the same bundle is the same submission, stored once.
    let again = client.submit(&submit_request(&offer.challenge.id, &rec)).unwrap();
    assert_eq!((again.id.as_str(), again.duplicate), (receipt.id.as_str(), true));

    // Once answered, the challenge is witnessed no further.
    let late = WitnessRequest {
        challenge: offer.challenge.id.clone(),
        session: "ab".repeat(16),
        n: 1,
        head: "cd".repeat(32),
    };
    let refused = client.witness(&late).unwrap_err();
    assert_eq!(refused.code(), Some("already_submitted"), "{refused}");
}

#[test]
fn bundle_for_another_challenge_trainer_or_after_the_deadline_is_refused_with_its_reason() {
    let p = Platform::start();
    let ada = enrolled_trainer(&p, "Ada");
    let bob = enrolled_trainer(&p, "Bob");
    let c1 = p.challenge(&ada.account.trainer, "T-1", &in_secs(3600));
    let c2 = p.challenge(&ada.account.trainer, "T-2", &in_secs(3600));
    let bobs = p.challenge(&bob.account.trainer, "T-1", &in_secs(3600));
    let soon = p.challenge(&ada.account.trainer, "T-3", &in_secs(3));
    let dir = tempfile::tempdir().unwrap();
    let rec = record_witnessed(dir.path(), &ada, &c1, "one answer", Duration::from_millis(5), 5);
    let late = record_witnessed(dir.path(), &ada, &soon, "too late", Duration::from_millis(5), 5);
    let ada_client = ada.account.client().unwrap();
    let bob_client = bob.account.client().unwrap();

    let other_challenge = ada_client.submit(&submit_request(&c2.challenge.id, &rec)).unwrap_err();
    assert_eq!(refusal_code(other_challenge), "wrong_challenge");
    let other_trainer = bob_client.submit(&submit_request(&c1.challenge.id, &rec)).unwrap_err();
    assert_eq!(refusal_code(other_trainer), "not_your_challenge");
    let bobs_own = bob_client.submit(&submit_request(&bobs.challenge.id, &rec)).unwrap_err();
    assert_eq!(refusal_code(bobs_own), "wrong_challenge");

    std::thread::sleep(Duration::from_millis(3500));
    let after = ada_client.submit(&submit_request(&soon.challenge.id, &late)).unwrap_err();
    assert_eq!(refusal_code(after), "deadline_passed");

    // The genuine submission still goes through, once.
    assert!(ada_client.submit(&submit_request(&c1.challenge.id, &rec)).unwrap().valid);
    let second =
        record_witnessed(dir.path(), &ada, &c1, "another one", Duration::from_millis(5), 5);
    let twice = ada_client.submit(&submit_request(&c1.challenge.id, &second)).unwrap_err();
    assert_eq!(refusal_code(twice), "already_submitted");
}

#[test]
fn every_endpoint_but_the_service_description_needs_a_token_of_the_right_role() {
    let p = Platform::start();
    let t = enrolled_trainer(&p, "Ada");
    let url = p.url();
    let (status, _) = get(&format!("{url}/.well-known/handprint"), "");
    assert_eq!(status, 200);
    let body = serde_json::json!({ "name": "Eve" });
    assert_eq!(post(&format!("{url}/v1/admin/trainers"), "", &body).0, 401);
    assert_eq!(post(&format!("{url}/v1/admin/trainers"), "hp_admin_guess", &body).0, 401);
    let (status, err) = post(&format!("{url}/v1/admin/trainers"), &t.account.token, &body);
    assert_eq!((status, err["error"].as_str()), (403, Some("forbidden")));
    assert_eq!(get(&format!("{url}/v1/challenges/abc"), "").0, 401);
    assert_eq!(post(&format!("{url}/v1/witness"), &p.admin, &serde_json::json!({})).0, 400);
    let witness = serde_json::json!({ "challenge": "x", "session": "0".repeat(32), "n": 1, "head": "0".repeat(64) });
    assert_eq!(post(&format!("{url}/v1/witness"), &p.admin, &witness).0, 403);
    assert_eq!(post(&format!("{url}/v1/submissions"), "", &serde_json::json!({})).0, 401);
}

#[test]
fn enrolment_token_works_once_and_a_stolen_proof_is_refused() {
    let p = Platform::start();
    let created = p.create_trainer("Ada");
    let (key, _) = handprint::attest::SigningKey::generate().unwrap();
    let account =
        handprint::platform::account::Account::enrol(p.url(), &created.enrol_token, &key, None)
            .unwrap();
    assert_eq!(account.key, key.fingerprint());
    let again =
        handprint::platform::account::Account::enrol(p.url(), &created.enrol_token, &key, None)
            .unwrap_err();
    assert!(again.to_string().contains("already used"), "{again}");
    let wrong_fp = handprint::platform::account::Account::enrol(
        p.url(),
        &p.create_trainer("Bob").enrol_token,
        &key,
        Some("SHA256:notthisone"),
    )
    .unwrap_err();
    assert!(wrong_fp.to_string().contains("you expected"), "{wrong_fp}");
}

#[test]
fn oversized_and_malformed_bodies_are_refused_without_harm() {
    let p = Platform::start();
    let t = enrolled_trainer(&p, "Ada");
    let url = format!("{}/v1/witness", p.url());
    let big = serde_json::json!({ "pad": "x".repeat(100_000) });
    assert_eq!(post(&url, &t.account.token, &big).0, 413);
    let (status, err) = post(&url, &t.account.token, &serde_json::json!([1, 2]));
    assert_eq!((status, err["error"].as_str()), (400, Some("bad_json")));
    let sub = serde_json::json!({ "challenge": "x", "bundle": "!!!", "text": "" });
    assert_eq!(post(&format!("{}/v1/submissions", p.url()), &t.account.token, &sub).0, 400);
    // The service is still up.
    assert_eq!(get(&format!("{}/.well-known/handprint", p.url()), "").0, 200);
}
