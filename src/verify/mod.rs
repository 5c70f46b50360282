//! Verification of an opened record (a bundle or a bare journal): every check reported by
//! [`CheckName`], in plain words, so the CLI, the viewer banner and a platform can show
//! exactly what failed and where. It borrows the [`Record`]'s parsed journal and replay and
//! never reads or parses the file again. docs/FORMAT.md ("Verification") lists the checks.

pub mod batch;
mod bindings;
mod journal_checks;
mod report;
mod strict;
mod timestamps;
mod witness;

pub use report::{Check, CheckName, TextMatch, VerifyOptions, VerifyReport, signer_sentence};
pub use witness::{WitnessFlag, WitnessSummary};
#[cfg(feature = "serve")]
pub(crate) use witness::{chain_heads, parse_us, receipts as witness_receipts};

use crate::attest::{Envelope, PREDICATE_TYPE, PublicKey, STATEMENT_TYPE, Statement};
use crate::record::{OpenError, Record};
use journal_checks::check_journal;
use std::path::Path;

/// Opens and verifies the bundle or journal at `path`. `Err` means the file cannot be used
/// at all.
pub fn verify_file(path: &Path, opts: &VerifyOptions) -> Result<VerifyReport, OpenError> {
    Ok(verify(&Record::open(path)?, opts))
}

/// Opens and verifies a bundle or journal held in memory (what a platform calls).
pub fn verify_bytes(bytes: &[u8], opts: &VerifyOptions) -> Result<VerifyReport, OpenError> {
    Ok(verify(&Record::from_bytes(Path::new("(input)"), bytes)?, opts))
}

/// Verifies an opened record: every check by name, and the analysis recomputed from the same
/// parsed journal and replay (nothing is read, parsed or replayed again).
pub fn verify(record: &Record, opts: &VerifyOptions) -> VerifyReport {
    let mut report = VerifyReport::unchecked();
    let statement = match &record.envelope {
        Some(envelope) => {
            report.kind = "bundle";
            check_envelope(envelope, opts, &mut report)
        }
        None => {
            report.push_check(
                CheckName::Signed,
                false,
                "this is a bare journal with no attestation, so nothing vouches for it; verify the signed .handprint bundle instead",
            );
            None
        }
    };
    check_journal(record, statement.as_ref(), opts, &mut report);
    report.valid = report.checks.iter().all(|c| c.ok);
    report
}

/// Checks the envelope and statement; returns the statement if it parsed (even when the
/// signature failed, so later checks can still say what else is wrong).
fn check_envelope(
    envelope: &Envelope,
    opts: &VerifyOptions,
    report: &mut VerifyReport,
) -> Option<Statement> {
    let parsed = envelope.payload_bytes().map_err(|e| e.to_string()).and_then(|p| {
        strict::refuse_duplicate_members(&p).map_err(|e| e.to_string())?;
        serde_json::from_slice::<Statement>(&p).map_err(|e| e.to_string())
    });
    let statement = match parsed {
        Ok(s) => s,
        Err(why) => {
            report.push_check(
                CheckName::Statement,
                false,
                format!("the envelope's payload is not a Handprint in-toto statement: {why}"),
            );
            return None;
        }
    };
    let mut problems = Vec::new();
    if statement.type_ != STATEMENT_TYPE {
        problems.push(format!("_type is {:?}, expected {STATEMENT_TYPE:?}", statement.type_));
    }
    if statement.predicate_type != PREDICATE_TYPE {
        problems.push(format!(
            "predicateType is {:?}, expected {PREDICATE_TYPE:?}",
            statement.predicate_type
        ));
    }
    problems.extend(strict::subject_problems(&statement));
    let signer = &statement.predicate.signer;
    let named_key = PublicKey::from_base64(&signer.public_key);
    match named_key {
        None => problems.push("predicate.signer.public_key is not a base64 Ed25519 key".into()),
        Some(k) if k.fingerprint() != signer.fingerprint => problems.push(format!(
            "predicate.signer.fingerprint {} is not the fingerprint of predicate.signer.public_key ({})",
            signer.fingerprint,
            k.fingerprint()
        )),
        Some(_) => {}
    }
    report.signer = Some(signer.fingerprint.clone());
    report.predicate = Some(statement.predicate.clone());
    report.push_check(
        CheckName::Statement,
        problems.is_empty(),
        if problems.is_empty() {
            "an in-toto Statement v1 with a Handprint v1 predicate".into()
        } else {
            problems.join("; ")
        },
    );
    // The key to check the signature with: a pinned one wins over the one the bundle names.
    let key = opts.pubkey.or(named_key);
    check_signer(&signer.fingerprint, opts, report);
    match key {
        None => report.push_check(
            CheckName::Signature,
            false,
            "no public key to check the signature with",
        ),
        Some(key) => match envelope.verify(&key) {
            Ok(_) => report.push_check(
                CheckName::Signature,
                true,
                format!("a valid Ed25519 signature by {}", key.fingerprint()),
            ),
            Err(e) => report.push_check(CheckName::Signature, false, e.to_string()),
        },
    }
    Some(statement)
}

/// Whether the named signer is one the caller pinned (key, fingerprint or trust file). With
/// no pin the check fails unless the caller accepted any signer: verification fails closed,
/// so a script that only looks at the exit code never accepts a stranger's key.
fn check_signer(named: &str, opts: &VerifyOptions, report: &mut VerifyReport) {
    let mut pins: Vec<String> = opts.pubkey.iter().map(PublicKey::fingerprint).collect();
    pins.extend(opts.fingerprint.iter().map(|f| f.trim().to_owned()));
    pins.extend(opts.trusted.iter().map(PublicKey::fingerprint));
    if pins.iter().any(|p| p == named) {
        report.signer_pinned = true;
        let which = if opts.trusted.iter().any(|k| k.fingerprint() == named) {
            "a registered key in the trust file"
        } else {
            "the key you required"
        };
        report.push_check(CheckName::Signer, true, format!("signed by {named}, {which}"));
    } else if !pins.is_empty() {
        report.push_check(
            CheckName::Signer,
            false,
            format!(
                "signed by {named}, which is not the required key{}: this was not signed by the expected trainer",
                if opts.trusted.is_empty() { "" } else { " nor in the trust file" }
            ),
        );
    } else if opts.any_signer {
        report.push_check(
            CheckName::Signer,
            true,
            format!(
                "signed by {named}; any signer was accepted (--any-signer), so this only shows that whoever holds that key signed"
            ),
        );
    } else {
        report.push_check(
            CheckName::Signer,
            false,
            format!(
                "signer not pinned: signed by {named}, but nothing says that key belongs to the trainer; pass --pubkey, --fingerprint or --trust (or --any-signer to accept any key)"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_carries_the_analysis_recomputed_from_the_same_record() {
        let record = Record::open(Path::new("tests/fixtures/sample-session.jsonl")).unwrap();
        let report = verify(&record, &VerifyOptions::default());
        assert!(report.analysis.is_some());
        assert_eq!(report.analysis, crate::analysis::analyze_record(&record));
    }
}
