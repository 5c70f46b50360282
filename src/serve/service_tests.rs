//! The service's rules, without HTTP: roles, one-time enrolment, rotation, receipts.

use super::service::{Role, Service};
use super::store::Store;
use crate::attest::SigningKey;
use crate::platform::protocol::{CreateChallenge, CreateTrainer, WitnessRequest, enrol_request};

async fn service(dir: &std::path::Path) -> Service {
    let store = Store::open(dir, None).await.unwrap();
    Service::new(store, SigningKey::from_seed(&[9; 32]).unwrap())
}

fn in_an_hour() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339()
}

#[tokio::test]
async fn only_admins_create_trainers_and_challenges() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path()).await;
    let req = CreateTrainer { name: "Ada".into() };
    for role in [Role::Auditor, Role::Trainer("tr_x".into())] {
        assert_eq!(s.create_trainer(&role, &req).await.unwrap_err().code, "forbidden");
    }
    let t = s.create_trainer(&Role::Admin, &req).await.unwrap();
    let c = CreateChallenge {
        trainer: t.trainer.clone(),
        task: "T".into(),
        prompt: "p".into(),
        deadline: in_an_hour(),
    };
    assert_eq!(s.create_challenge(&Role::Auditor, &c).await.unwrap_err().code, "forbidden");
    let offer = s.create_challenge(&Role::Admin, &c).await.unwrap();
    assert_eq!(offer.challenge.verify(&s.info_key()), Ok(()));
}

#[tokio::test]
async fn enrolment_token_is_consumed_and_rotation_retires_the_old_key() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path()).await;
    let t = s.create_trainer(&Role::Admin, &CreateTrainer { name: "Ada".into() }).await.unwrap();
    let k1 = SigningKey::from_seed(&[1; 32]).unwrap();
    let first = s.enrol(&t.enrol_token, &enrol_request(&k1)).await.unwrap();
    assert_eq!(
        s.enrol(&t.enrol_token, &enrol_request(&k1)).await.unwrap_err().code,
        "unauthorized"
    );
    assert_eq!(s.authenticate(&first.api_token).await.unwrap(), Role::Trainer(t.trainer.clone()));
    assert_eq!(s.authenticate(&t.enrol_token).await.unwrap_err().code, "unauthorized");
    let k2 = SigningKey::from_seed(&[2; 32]).unwrap();
    let rotated = s.enrol(&first.api_token, &enrol_request(&k2)).await.unwrap();
    assert_eq!(rotated.fingerprint, k2.fingerprint());
    let other =
        s.create_trainer(&Role::Admin, &CreateTrainer { name: "Bob".into() }).await.unwrap();
    assert_eq!(
        s.enrol(&other.enrol_token, &enrol_request(&k2)).await.unwrap_err().code,
        "key_taken"
    );
}

#[tokio::test]
async fn receipts_are_idempotent_per_line_count_and_conflicting_heads_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = service(dir.path()).await;
    let t = s.create_trainer(&Role::Admin, &CreateTrainer { name: "Ada".into() }).await.unwrap();
    let enrolled = s
        .enrol(&t.enrol_token, &enrol_request(&SigningKey::from_seed(&[1; 32]).unwrap()))
        .await
        .unwrap();
    let me = s.authenticate(&enrolled.api_token).await.unwrap();
    let c = CreateChallenge {
        trainer: t.trainer,
        task: "T".into(),
        prompt: "p".into(),
        deadline: in_an_hour(),
    };
    let offer = s.create_challenge(&Role::Admin, &c).await.unwrap();
    let req = WitnessRequest {
        challenge: offer.challenge.id.clone(),
        session: "ab".repeat(16),
        n: 3,
        head: "cd".repeat(32),
    };
    let r1 = s.witness(&me, &req).await.unwrap();
    assert_eq!(r1.verify(&s.info_key(), &req.session), Ok(()));
    assert_eq!(s.witness(&me, &req).await.unwrap(), r1, "a retry gets the stored receipt");
    let other = WitnessRequest { head: "ef".repeat(32), ..req.clone() };
    assert_eq!(s.witness(&me, &other).await.unwrap_err().code, "head_conflict");
    assert_eq!(s.witness(&Role::Admin, &req).await.unwrap_err().code, "forbidden");
    let bad = WitnessRequest { head: "XYZ".into(), ..req };
    assert_eq!(s.witness(&me, &bad).await.unwrap_err().code, "bad_witness");
}
