//! The platform protocol: every request and response body exchanged between the trainer's
//! app and `handprint serve`, and the two messages the service signs (challenges and witness
//! receipts). Client and server both use these types, so they cannot disagree; docs/PLATFORM.md
//! describes them and a test checks that document against them.
//!
//! Signed messages are plain text, one field per line after a domain-separation line (like
//! the journal's checkpoints), so another implementation can rebuild them byte for byte
//! without a canonical-JSON library.

// The challenge and the receipt are also journal payloads (`start.challenge`, `wit`), so the
// event model declares them; their signing and checking live here with the protocol.
pub use crate::event::{Challenge, Receipt};

use crate::attest::SigningKey;
use crate::attest::{PublicKey, verify_signature};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of this protocol, published at `/.well-known/handprint`.
pub const PROTOCOL_VERSION: u32 = 1;
/// Path of the service description.
pub const WELL_KNOWN_PATH: &str = "/.well-known/handprint";
/// Domain-separation line of a challenge's signed message.
pub const CHALLENGE_DOMAIN: &str = "handprint-challenge-v1";
/// Domain-separation line of a witness receipt's signed message.
pub const RECEIPT_DOMAIN: &str = "handprint-receipt-v1";
/// Domain-separation line of the key-possession proof sent at enrolment.
pub const ENROL_DOMAIN: &str = "handprint-enrol-v1";

/// `GET /.well-known/handprint`: who the service is and the key it signs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceInfo {
    /// Always `handprint`.
    pub service: String,
    /// [`PROTOCOL_VERSION`].
    pub protocol: u32,
    /// The service's Ed25519 public key, base64 of the 32 bytes.
    pub public_key: String,
    /// OpenSSH fingerprint (`SHA256:…`) of that key: what trainers and auditors pin.
    pub fingerprint: String,
}

/// `POST /v1/admin/trainers` (admin): create a trainer account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CreateTrainer {
    /// A name for people (shown to auditors); not used for authentication.
    pub name: String,
}

/// The trainer account just created with its one-time enrolment token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TrainerCreated {
    /// The trainer's id (used in challenges).
    pub trainer: String,
    /// One-time token for `handprint enrol`; give it to the trainer over a trusted channel.
    pub enrol_token: String,
}

/// `POST /v1/enrol`: the trainer's app registers its public key. Authorized by the one-time
/// enrolment token (first enrolment) or by the trainer's API token (key rotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EnrolRequest {
    /// The Ed25519 public key to enrol, base64 of the 32 bytes.
    pub public_key: String,
    /// Base64 signature by that key over [`enrol_message`]: proves the app holds the key.
    pub proof: String,
}

/// The enrolment accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Enrolled {
    pub trainer: String,
    /// Fingerprint of the enrolled key.
    pub fingerprint: String,
    /// The trainer's API token for every later request (keep it like a password).
    pub api_token: String,
    /// The service's fingerprint, to pin for receipts and challenges.
    pub service_fingerprint: String,
}

/// `POST /v1/challenges` (admin): issue a challenge for one trainer and task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CreateChallenge {
    pub trainer: String,
    pub task: String,
    /// The prompt shown to the trainer; the challenge signs its SHA-256.
    pub prompt: String,
    /// Last moment a submission is accepted, RFC 3339.
    pub deadline: String,
}

/// A challenge with the prompt text it commits to: what a trainer opens by link or file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChallengeOffer {
    pub challenge: Challenge,
    pub prompt: String,
}

/// `POST /v1/witness` (trainer): the chain head of a session being recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WitnessRequest {
    /// The challenge the session answers.
    pub challenge: String,
    /// The journal's session id.
    pub session: String,
    /// Number of journal lines the head covers (lines 0 to n−1).
    pub n: u64,
    /// Chain value (64 hex digits) after line n−1.
    pub head: String,
}

/// `POST /v1/submissions` (trainer): a finished bundle and the submitted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SubmitRequest {
    /// The challenge this is submitted for.
    pub challenge: String,
    /// The `.handprint` bundle, base64.
    pub bundle: String,
    /// The response text as submitted on the platform.
    pub text: String,
}

/// The service's answer to a submission it accepted (stored, with its own report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SubmitReceipt {
    /// Receipt id of the stored submission.
    pub id: String,
    /// SHA-256 (hex) of the bundle: submissions are idempotent by it.
    pub digest: String,
    /// Whether the service's own verification found the record valid.
    pub valid: bool,
    /// The service's verdict in one line.
    pub headline: String,
    /// True when this bundle had already been stored (a retry); nothing was stored twice.
    pub duplicate: bool,
}

/// `GET /v1/submissions/{id}` (auditor, admin, or the submitting trainer): a stored report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StoredSubmission {
    pub id: String,
    pub digest: String,
    pub trainer: String,
    pub challenge: String,
    /// When the service received it, RFC 3339 UTC.
    pub received: String,
    pub valid: bool,
    /// The service's report: verification checks, witness findings and recomputed analysis.
    pub report: serde_json::Value,
}

/// Every error response: a stable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    /// Stable machine-readable reason (`unauthorized`, `wrong_challenge`, `deadline_passed`…).
    pub error: String,
    /// What went wrong and what to do, in plain words.
    pub message: String,
}

impl Challenge {
    /// The exact bytes the service signs.
    pub fn message(&self) -> Vec<u8> {
        challenge_message(
            &self.id,
            &self.task,
            &self.prompt_sha256,
            &self.trainer,
            &self.nonce,
            &self.issued,
            &self.deadline,
        )
    }

    /// SHA-256 (hex) of the signed message: the challenge's digest.
    pub fn digest(&self) -> String {
        crate::sha256_hex(&self.message())
    }

    /// Whether `key` signed this challenge. The error says what is wrong.
    pub fn verify(&self, key: &PublicKey) -> Result<(), String> {
        check_signature(key, &self.key, &self.sig, &self.message(), "challenge")
    }
}

/// The challenge's signed message: domain line, then id, task, prompt SHA-256, trainer,
/// nonce, issued and deadline, each on its own line, no trailing newline.
pub fn challenge_message(
    id: &str,
    task: &str,
    prompt_sha256: &str,
    trainer: &str,
    nonce: &str,
    issued: &str,
    deadline: &str,
) -> Vec<u8> {
    // A newline inside a field would let two different challenges sign the same bytes;
    // escaping keeps the encoding injective.
    let f = |s: &str| s.replace('\\', "\\\\").replace('\n', "\\n");
    format!(
        "{CHALLENGE_DOMAIN}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        f(id),
        f(task),
        f(prompt_sha256),
        f(trainer),
        f(nonce),
        f(issued),
        f(deadline)
    )
    .into_bytes()
}

/// The receipt's signed message: domain line, session id, n, head (hex) and the service's
/// receive time, each on its own line, no trailing newline.
pub fn receipt_message(session: &str, n: u64, head: &str, at: &str) -> Vec<u8> {
    let f = |s: &str| s.replace('\\', "\\\\").replace('\n', "\\n");
    format!("{RECEIPT_DOMAIN}\n{}\n{n}\n{}\n{}", f(session), f(head), f(at)).into_bytes()
}

/// The enrolment proof's message: domain line and the public key (base64).
pub fn enrol_message(public_key_b64: &str) -> Vec<u8> {
    format!("{ENROL_DOMAIN}\n{public_key_b64}").into_bytes()
}

impl Receipt {
    /// Signs a receipt for `session`'s head at `at` with the service key.
    pub fn sign(key: &SigningKey, session: &str, n: u64, head: &str, at: &str) -> Receipt {
        let sig = key.sign_bytes(&receipt_message(session, n, head, at));
        Receipt {
            n,
            head: head.to_owned(),
            at: at.to_owned(),
            key: key.fingerprint(),
            sig: STANDARD.encode(sig),
        }
    }

    /// Whether `key` signed this receipt for `session`. The error says what is wrong.
    pub fn verify(&self, key: &PublicKey, session: &str) -> Result<(), String> {
        let msg = receipt_message(session, self.n, &self.head, &self.at);
        check_signature(key, &self.key, &self.sig, &msg, "receipt")
    }
}

/// Builds and signs a challenge (the service side).
pub fn sign_challenge(key: &SigningKey, unsigned: UnsignedChallenge) -> Challenge {
    let mut c = Challenge {
        id: unsigned.id,
        task: unsigned.task,
        prompt_sha256: unsigned.prompt_sha256,
        trainer: unsigned.trainer,
        nonce: unsigned.nonce,
        issued: unsigned.issued,
        deadline: unsigned.deadline,
        key: key.fingerprint(),
        sig: String::new(),
    };
    c.sig = STANDARD.encode(key.sign_bytes(&c.message()));
    c
}

/// The fields of a challenge before the service signs it.
#[derive(Debug, Clone)]
pub struct UnsignedChallenge {
    pub id: String,
    pub task: String,
    pub prompt_sha256: String,
    pub trainer: String,
    pub nonce: String,
    pub issued: String,
    pub deadline: String,
}

/// The enrolment proof for `key` (the app side).
pub fn enrol_request(key: &SigningKey) -> EnrolRequest {
    let public_key = key.public().to_base64();
    let proof = STANDARD.encode(key.sign_bytes(&enrol_message(&public_key)));
    EnrolRequest { public_key, proof }
}

impl EnrolRequest {
    /// The enrolled key, if the proof shows the sender holds it.
    pub fn verified_key(&self) -> Result<PublicKey, String> {
        let key = PublicKey::from_base64(&self.public_key)
            .ok_or("public_key is not base64 of 32 bytes (an Ed25519 public key)")?;
        let sig = STANDARD.decode(&self.proof).map_err(|_| "proof is not valid base64")?;
        if verify_signature(&key, &enrol_message(&self.public_key), &sig) {
            Ok(key)
        } else {
            Err("proof is not a signature by that key over the enrolment message".into())
        }
    }
}

fn check_signature(
    key: &PublicKey,
    named: &str,
    sig: &str,
    msg: &[u8],
    what: &str,
) -> Result<(), String> {
    if named != key.fingerprint() {
        return Err(format!(
            "the {what} names signer {named}, not the service key {}",
            key.fingerprint()
        ));
    }
    let raw = STANDARD.decode(sig).map_err(|_| format!("the {what} signature is not base64"))?;
    if verify_signature(key, msg, &raw) {
        Ok(())
    } else {
        Err(format!("the {what} signature does not verify with the service key"))
    }
}

/// Every protocol body type with its JSON Schema, by name: docs/PLATFORM.md is checked
/// against this list (each name documented, each documented field present).
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn s<T: JsonSchema>() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
    }
    vec![
        ("ServiceInfo", s::<ServiceInfo>()),
        ("CreateTrainer", s::<CreateTrainer>()),
        ("TrainerCreated", s::<TrainerCreated>()),
        ("EnrolRequest", s::<EnrolRequest>()),
        ("Enrolled", s::<Enrolled>()),
        ("CreateChallenge", s::<CreateChallenge>()),
        ("Challenge", s::<Challenge>()),
        ("ChallengeOffer", s::<ChallengeOffer>()),
        ("WitnessRequest", s::<WitnessRequest>()),
        ("Receipt", s::<Receipt>()),
        ("SubmitRequest", s::<SubmitRequest>()),
        ("SubmitReceipt", s::<SubmitReceipt>()),
        ("StoredSubmission", s::<StoredSubmission>()),
        ("ErrorBody", s::<ErrorBody>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_seed(&[7; 32]).unwrap()
    }

    fn challenge() -> Challenge {
        sign_challenge(
            &key(),
            UnsignedChallenge {
                id: "c1".into(),
                task: "task-1".into(),
                prompt_sha256: crate::sha256_hex(b"Write about rivers."),
                trainer: "t1".into(),
                nonce: "00".repeat(32),
                issued: "2026-01-01T00:00:00.000000Z".into(),
                deadline: "2026-01-02T00:00:00Z".into(),
            },
        )
    }

    #[test]
    fn signed_challenge_verifies_and_any_changed_field_does_not() {
        let c = challenge();
        assert_eq!(c.verify(&key().public()), Ok(()));
        let mut later = c.clone();
        later.deadline = "2027-01-02T00:00:00Z".into();
        assert!(later.verify(&key().public()).unwrap_err().contains("does not verify"));
        let mut other = c.clone();
        other.trainer = "t2".into();
        assert!(other.verify(&key().public()).is_err());
    }

    #[test]
    fn challenge_from_another_key_is_refused_by_name() {
        let other = SigningKey::from_seed(&[8; 32]).unwrap();
        let err = challenge().verify(&other.public()).unwrap_err();
        assert!(err.contains("names signer"), "{err}");
    }

    #[test]
    fn newline_in_a_field_cannot_shift_the_message() {
        let a = challenge_message("a\nb", "c", "", "", "", "", "");
        let b = challenge_message("a", "b\nc", "", "", "", "", "");
        assert_ne!(a, b);
    }

    #[test]
    fn receipt_binds_session_count_head_and_time() {
        let r = Receipt::sign(&key(), "s1", 10, &"ab".repeat(32), "2026-01-01T00:00:30Z");
        assert_eq!(r.verify(&key().public(), "s1"), Ok(()));
        assert!(r.verify(&key().public(), "s2").is_err());
        let mut moved = r.clone();
        moved.at = "2026-01-01T00:10:30Z".into();
        assert!(moved.verify(&key().public(), "s1").is_err());
        let mut more = r;
        more.n = 11;
        assert!(more.verify(&key().public(), "s1").is_err());
    }

    #[test]
    fn enrolment_proof_shows_possession_of_the_key() {
        let req = enrol_request(&key());
        assert_eq!(req.verified_key(), Ok(key().public()));
        let mut stolen = enrol_request(&SigningKey::from_seed(&[9; 32]).unwrap());
        stolen.public_key = req.public_key.clone();
        assert!(stolen.verified_key().is_err());
    }

    #[test]
    fn signed_message_layout_is_the_documented_one() {
        let m = receipt_message("s", 3, "hh", "T");
        assert_eq!(m, b"handprint-receipt-v1\ns\n3\nhh\nT");
    }
}
