//! The checks on the journal bytes: digest, chain, checkpoints, replay and facts.

use super::VerifyReport;
use super::bindings::check_bindings;
use crate::attest::checkpoints::verify_checkpoints;
use crate::attest::normalize::normalized_sha256;
use crate::attest::public_key::PublicKey;
use crate::attest::statement::{SUBJECT_JOURNAL, SUBJECT_NORMALIZED, SUBJECT_TEXT, Statement};
use crate::attest::verify::VerifyOptions;
use crate::journal::{self, Journal};
use crate::replay::Replay;

/// Checks everything about the journal bytes, against the statement when there is one.
pub(super) fn check_journal(
    bytes: &[u8],
    statement: Option<&Statement>,
    opts: &VerifyOptions,
    report: &mut VerifyReport,
) {
    if let Some(st) = statement {
        check_journal_digest(bytes, st, report);
    }
    super::timestamps::check(bytes, report);
    let journal = match journal::parse(bytes) {
        Ok(j) => {
            report.push_check(
                "chain",
                true,
                format!("{} events, every line intact and in order", j.records.len()),
            );
            j
        }
        Err(e) => {
            report.push_check("chain", false, e.to_string());
            check_bindings(None, statement, opts, report);
            return;
        }
    };
    super::strict::check_wall_times(&journal, report);
    let key = statement
        .and_then(|s| PublicKey::from_base64(&s.predicate.signer.public_key))
        .or(opts.pubkey);
    check_checkpoints(&journal, key.as_ref(), statement.is_some(), report);
    match Replay::build(journal.records.clone()) {
        Ok(replay) => {
            let text = replay.final_state().text();
            check_replay(&text, &journal, statement, report);
            if let (Some(st), Some(key)) = (statement, key) {
                check_facts(bytes, &journal, &replay, st, &key, report);
            }
            if let Some(st) = statement {
                super::strict::check_analysis(st, &journal, &replay, report);
            }
            check_bindings(Some((&journal, &text)), statement, opts, report);
        }
        Err(e) => {
            report.push_check("replay", false, e.to_string());
            check_bindings(Some((&journal, "")), statement, opts, report);
        }
    }
}

fn check_journal_digest(bytes: &[u8], st: &Statement, report: &mut VerifyReport) {
    let actual = crate::sha256_hex(bytes);
    let attested = st.digest(SUBJECT_JOURNAL).unwrap_or("");
    if actual == attested {
        report.push_check("journal-digest", true, "the journal is exactly the one attested");
        return;
    }
    let attested_len = st.predicate.journal_bytes;
    let session = journal::parse_prefix(bytes).ok().map(|(j, _)| j.start().session.clone());
    let detail = match session {
        Some(s) if s != st.predicate.session => format!(
            "the journal is from session {s}, but the attestation is about session {}: the journal was swapped",
            st.predicate.session
        ),
        _ if (bytes.len() as u64) < attested_len => format!(
            "the journal is {} bytes but the attestation covers {attested_len} bytes: it was cut short (truncated)",
            bytes.len()
        ),
        _ => format!(
            "the journal's SHA-256 is {actual}, but the attestation is about {attested}: the journal was altered"
        ),
    };
    report.push_check("journal-digest", false, detail);
}

fn check_checkpoints(
    journal: &Journal,
    key: Option<&PublicKey>,
    signed: bool,
    report: &mut VerifyReport,
) {
    match verify_checkpoints(journal, key) {
        Err(why) => report.push_check("checkpoints", false, why),
        Ok(s) if key.is_none() => report.push_check(
            "checkpoints",
            !signed && s.count == 0,
            format!("{} checkpoints; their signatures cannot be checked without the signer's public key (--pubkey)", s.count),
        ),
        Ok(s) if s.count == 0 => report.push_check("checkpoints", false, "the journal has no signed checkpoint"),
        Ok(s) => report.push_check(
            "checkpoints",
            true,
            format!(
                "{} checkpoints, every one signed by the attesting key; the last covers events 0 to {}",
                s.count,
                s.last_verified.unwrap_or(0).saturating_sub(1)
            ),
        ),
    }
}

fn check_replay(
    text: &str,
    journal: &Journal,
    statement: Option<&Statement>,
    report: &mut VerifyReport,
) {
    let Some(st) = statement else {
        let detail = if journal.is_finished() {
            "replay reproduces the final text recorded at the session end"
        } else {
            "replay applies every edit, but the session has no end (it was cut off or is still running)"
        };
        report.push_check("replay", true, detail);
        return;
    };
    // A signed record is a finished session: without `end` nothing binds the journal to
    // the final text, and a cut-off session could be passed off as complete.
    if !journal.is_finished() {
        report.push_check(
            "replay",
            false,
            "the bundle's journal has no end event: a signed record must be a finished session",
        );
        return;
    }
    let exact = crate::sha256_hex(text.as_bytes());
    let norm = normalized_sha256(text);
    let ok = st.digest(SUBJECT_TEXT) == Some(exact.as_str())
        && st.digest(SUBJECT_NORMALIZED) == Some(norm.as_str());
    let detail = if ok {
        "replaying the journal reproduces exactly the attested text".to_owned()
    } else {
        format!(
            "replaying the journal gives text with SHA-256 {exact}, but the attestation is about {}",
            st.digest(SUBJECT_TEXT).unwrap_or("nothing")
        )
    };
    report.push_check("replay", ok, detail);
}

/// The predicate's facts must be exactly what the journal shows.
fn check_facts(
    bytes: &[u8],
    journal: &Journal,
    replay: &Replay,
    st: &Statement,
    key: &PublicKey,
    report: &mut VerifyReport,
) {
    let recomputed = Statement::new(bytes, journal, replay, key, None).predicate;
    let (want, got) = (
        serde_json::to_value(recomputed.facts()).unwrap_or_default(),
        serde_json::to_value(st.predicate.facts()).unwrap_or_default(),
    );
    let differing: Vec<String> = want
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| got.get(k.as_str()) != Some(v))
        .map(|(k, v)| {
            format!(
                "{k} (attested {}, journal shows {v})",
                got.get(k.as_str()).unwrap_or(&serde_json::Value::Null)
            )
        })
        .collect();
    if differing.is_empty() {
        report.push_check("facts", true, "every attested fact matches the journal");
    } else {
        report.push_check(
            "facts",
            false,
            format!("the attestation does not match the journal: {}", differing.join("; ")),
        );
    }
}
