//! Judging a submission: the same verification an auditor runs, pinned to the trainer's
//! enrolled key, bound to the challenge, with the receipts checked against the service's own
//! copies, and the analysis recomputed from the journal rather than read from the predicate.
//! Pure functions over bytes and stored rows, so they are tested without HTTP or a database.

use super::error::ApiError;
use crate::analysis::Analysis;
use crate::attest::{Bundle, PublicKey, Statement};
use crate::journal;
use crate::platform::protocol::{Challenge, Receipt};
use crate::record::Record;
use crate::verify::{
    CheckName, VerifyOptions, VerifyReport, WitnessFlag, chain_heads, witness_receipts,
};
use std::path::Path;

/// A trainer key as enrolled.
#[derive(Debug, Clone)]
pub struct EnrolledKey {
    pub key: PublicKey,
    /// When it was replaced by a newer key (RFC 3339), if it was.
    pub retired: Option<String>,
}

/// What the bundle claims before anything is checked: enough to look up its session.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub bundle: Bundle,
    pub journal: Vec<u8>,
    pub statement: Statement,
    pub session: String,
    pub challenge_id: Option<String>,
}

/// The verdict stored with a submission.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub valid: bool,
    pub headline: String,
    pub report: serde_json::Value,
}

/// Reads the bundle far enough to know which session and challenge it claims.
pub fn read_claims(bytes: &[u8]) -> Result<Claimed, ApiError> {
    let bad = |why: String| {
        ApiError::bad_request(
            "not_a_bundle",
            format!("the upload is not a Handprint bundle: {why}"),
        )
    };
    let bundle = Bundle::parse(bytes).map_err(|e| bad(e.to_string()))?;
    let journal = bundle.journal_bytes().map_err(|e| bad(e.to_string()))?;
    let payload = bundle.envelope.payload_bytes().map_err(|e| bad(e.to_string()))?;
    let statement: Statement = serde_json::from_slice(&payload).map_err(|e| bad(e.to_string()))?;
    let (parsed, _) = journal::parse_prefix(&journal).map_err(|e| bad(e.to_string()))?;
    let start = parsed.start();
    Ok(Claimed {
        session: start.session.clone(),
        challenge_id: start.challenge.as_ref().map(|c| c.id.clone()),
        bundle,
        journal,
        statement,
    })
}

/// The binding checks that refuse a submission outright, each with its own reason.
pub fn check_binding(
    claimed: &Claimed,
    challenge: &Challenge,
    keys: &[EnrolledKey],
    now: &str,
) -> Result<PublicKey, ApiError> {
    if crate::verify::parse_us(now) > crate::verify::parse_us(&challenge.deadline) {
        return Err(ApiError::conflict(
            "deadline_passed",
            format!(
                "the deadline of challenge {} was {}; submissions are closed",
                challenge.id, challenge.deadline
            ),
        ));
    }
    match &claimed.challenge_id {
        Some(id) if *id == challenge.id => {}
        Some(id) => {
            return Err(ApiError::unprocessable(
                "wrong_challenge",
                format!(
                    "this record answers challenge {id}, not {}; submit it for its own challenge",
                    challenge.id
                ),
            ));
        }
        None => {
            return Err(ApiError::unprocessable(
                "no_challenge",
                format!(
                    "this record was not recorded for a platform challenge; open challenge {} and record the response with it",
                    challenge.id
                ),
            ));
        }
    }
    let signer = &claimed.statement.predicate.signer.fingerprint;
    let key = keys.iter().find(|k| k.key.fingerprint() == *signer).ok_or_else(|| {
        ApiError::forbidden(
            "unknown_key",
            format!("the record is signed by {signer}, which is not a key enrolled for you"),
        )
    })?;
    if let Some(retired) = &key.retired
        && crate::verify::parse_us(retired) < crate::verify::parse_us(&challenge.issued)
    {
        return Err(ApiError::forbidden(
            "retired_key",
            format!(
                "the record is signed by {signer}, which you replaced at {retired}, before this challenge was issued; record with your current key"
            ),
        ));
    }
    Ok(key.key)
}

/// Verifies the record with the core, compares its receipts with the service's copies, and
/// recomputes the analysis.
pub fn judge(
    bytes: &[u8],
    text: &str,
    challenge: &Challenge,
    trainer_key: PublicKey,
    service_key: PublicKey,
    stored: &[Receipt],
) -> Judgement {
    // Opened once: verification, the receipt comparison and the analysis share the parse.
    let record = match Record::from_bytes(Path::new("(submission)"), bytes) {
        Ok(r) => r,
        Err(e) => {
            return Judgement {
                valid: false,
                headline: format!("Invalid: {e}"),
                report: serde_json::json!({ "error": e.to_string() }),
            };
        }
    };
    let (report, analysis) = check(&record, text, challenge, trainer_key, service_key, stored);
    let analysis =
        analysis.map_or(serde_json::Value::Null, |a| serde_json::to_value(&a).unwrap_or_default());
    Judgement {
        valid: report.valid,
        headline: report.headline(),
        report: serde_json::json!({ "verify": report, "analysis": analysis }),
    }
}

/// The service's verification of an opened record (pinned to the trainer's key, bound to
/// the challenge and the submitted text, receipts compared with the service's copies) and
/// its analysis. The review page shows the same checks the submission was judged by.
pub fn check(
    record: &Record,
    text: &str,
    challenge: &Challenge,
    trainer_key: PublicKey,
    service_key: PublicKey,
    stored: &[Receipt],
) -> (VerifyReport, Option<Analysis>) {
    let opts = VerifyOptions {
        text: Some(text.to_owned()),
        task: Some(challenge.task.clone()),
        nonce: Some(challenge.nonce.clone()),
        pubkey: Some(trainer_key),
        service_key: Some(service_key),
        ..Default::default()
    };
    let mut report = crate::verify::verify(record, &opts);
    let mut analysis = None;
    if let Ok(j) = record.journal() {
        match compare_receipts(&record.journal_bytes().unwrap_or_default(), j, stored) {
            Err(why) => {
                report.push_check(CheckName::WitnessCopies, false, why);
                report.valid = false;
            }
            Ok(flags) => {
                report.push_check(
                    CheckName::WitnessCopies,
                    true,
                    format!(
                        "every receipt in the journal is one this service issued; {} of {} issued receipts are in the journal",
                        stored.len() - flags.len(),
                        stored.len()
                    ),
                );
                if let Some(w) = report.witness.as_mut() {
                    w.flags.extend(flags);
                }
            }
        }
        analysis = report.analysis.clone();
    }
    (report, analysis)
}

/// The journal's receipts against the service's copies for the same session. A receipt the
/// service never issued, or a stored head the journal contradicts, means the journal was
/// changed after the fact (error). A stored receipt missing from a journal that still
/// matches it is a flag: the app may have lost the answer, or someone removed it.
fn compare_receipts(
    bytes: &[u8],
    journal: &journal::Journal,
    stored: &[Receipt],
) -> Result<Vec<WitnessFlag>, String> {
    let heads = chain_heads(bytes, journal);
    let in_journal = witness_receipts(journal);
    for (seq, r) in &in_journal {
        if !stored.iter().any(|s| s == *r) {
            return Err(format!(
                "event {seq}: a receipt this service has no copy of (covering {} lines at {}): it was not issued here",
                r.n, r.at
            ));
        }
    }
    let mut flags = Vec::new();
    for s in stored {
        if in_journal.iter().any(|(_, r)| *r == s) {
            continue;
        }
        match heads.get(s.n.saturating_sub(1) as usize) {
            Some(h) if s.n > 0 && h.hex() == s.head => flags.push(WitnessFlag {
                kind: "receipt_missing".into(),
                reason: format!(
                    "the service issued a receipt over events 0 to {} at {} that is not in the journal (the app may not have received it, or it was removed); the journal still matches it",
                    s.n - 1,
                    s.at
                ),
                events: (s.n - 1, s.n - 1),
            }),
            _ => {
                return Err(format!(
                    "the service witnessed this session over {} lines at {} with a chain head the submitted journal does not have: the journal was changed or cut after the service saw it",
                    s.n, s.at
                ));
            }
        }
    }
    Ok(flags)
}
