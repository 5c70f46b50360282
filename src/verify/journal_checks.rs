//! The checks on the journal bytes: digest, chain, checkpoints, replay and facts.

use super::bindings::check_bindings;
use super::{CheckName, VerifyOptions, VerifyReport};
use crate::attest::{
    PublicKey, SUBJECT_JOURNAL, SUBJECT_NORMALIZED, SUBJECT_TEXT, Statement, normalized_sha256,
    verify_checkpoints,
};
use crate::journal::{self, Journal};
use crate::record::Record;
use crate::replay::Replay;

/// Checks everything about the record's journal, against the statement when there is one.
pub(super) fn check_journal(
    record: &Record,
    statement: Option<&Statement>,
    opts: &VerifyOptions,
    report: &mut VerifyReport,
) {
    if let Some(st) = statement {
        check_journal_digest(record, st, report);
    }
    let journal = match record.journal() {
        Ok(j) => {
            // The parser refuses time going backwards, so a parsed journal needs no rescan.
            super::timestamps::passed(report);
            report.push_check(
                CheckName::Chain,
                true,
                format!("{} events, every line intact and in order", j.entries.len()),
            );
            j
        }
        Err(e) => {
            // The parser stops at the first bad line; time is checked on every raw line so
            // that it is reported on its own.
            match record.time_order() {
                Ok(order) => super::timestamps::check(order, report),
                Err(e) => report.push_check(CheckName::Timestamps, false, e.to_string()),
            }
            report.push_check(CheckName::Chain, false, e.to_string());
            check_bindings(None, statement, opts, report);
            return;
        }
    };
    super::strict::check_wall_times(journal, report);
    let key = statement
        .and_then(|s| PublicKey::from_base64(&s.predicate.signer.public_key))
        .or(opts.pubkey);
    check_checkpoints(journal, key.as_ref(), statement.is_some(), report);
    report.witness =
        super::witness::check_witness(record, journal, opts.service_key.as_ref(), report);
    match record.replay() {
        Some(Ok(replay)) => {
            let text = replay.final_state().text();
            check_replay(&text, journal, statement, report);
            if let (Some(st), Some(key)) = (statement, key) {
                check_facts(record, journal, replay, st, &key, report);
            }
            // Recomputed whatever was signed, in this same pass over the parsed journal and
            // its replay: the flags a platform acts on are the journal's, never the
            // predicate's word for them.
            let analysis = crate::analysis::analyze(&journal.entries, replay);
            if let Some(st) = statement {
                super::strict::check_analysis(st, &analysis, report);
            }
            report.analysis = Some(analysis);
            check_bindings(Some((journal, &text)), statement, opts, report);
        }
        Some(Err(e)) => {
            report.push_check(CheckName::Replay, false, e.to_string());
            check_bindings(Some((journal, "")), statement, opts, report);
        }
        // `record.journal()` parsed, so it was replayed.
        None => check_bindings(Some((journal, "")), statement, opts, report),
    }
}

fn check_journal_digest(record: &Record, st: &Statement, report: &mut VerifyReport) {
    let actual = &record.journal_digest.sha256;
    let attested = st.digest(SUBJECT_JOURNAL).unwrap_or("");
    if actual == attested {
        report.push_check(
            CheckName::JournalDigest,
            true,
            "the journal is exactly the one attested",
        );
        return;
    }
    let attested_len = st.predicate.journal_bytes;
    // Read again only on this rare path: a swapped journal names its own session even
    // where a later line does not verify.
    let session = record.journal_bytes().ok().and_then(|bytes| {
        journal::parse_prefix(&bytes).ok().map(|(j, _)| j.start().session.clone())
    });
    let len = record.journal_digest.len;
    let detail = match session {
        Some(s) if s != st.predicate.session => format!(
            "the journal is from session {s}, but the attestation is about session {}: the journal was swapped",
            st.predicate.session
        ),
        _ if len < attested_len => format!(
            "the journal is {len} bytes but the attestation covers {attested_len} bytes: it was cut short (truncated)"
        ),
        _ => format!(
            "the journal's SHA-256 is {actual}, but the attestation is about {attested}: the journal was altered"
        ),
    };
    report.push_check(CheckName::JournalDigest, false, detail);
}

fn check_checkpoints(
    journal: &Journal,
    key: Option<&PublicKey>,
    signed: bool,
    report: &mut VerifyReport,
) {
    match verify_checkpoints(journal, key) {
        Err(why) => report.push_check(CheckName::Checkpoints, false, why),
        Ok(s) if key.is_none() => report.push_check(
            CheckName::Checkpoints,
            !signed && s.count == 0,
            format!("{} checkpoints; their signatures cannot be checked without the signer's public key (--pubkey)", s.count),
        ),
        Ok(s) if s.count == 0 => report.push_check(CheckName::Checkpoints, false, "the journal has no signed checkpoint"),
        Ok(s) => report.push_check(
            CheckName::Checkpoints,
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
        report.push_check(CheckName::Replay, true, detail);
        return;
    };
    // A signed record is a finished session: without `end` nothing binds the journal to
    // the final text, and a cut-off session could be passed off as complete.
    if !journal.is_finished() {
        report.push_check(
            CheckName::Replay,
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
    report.push_check(CheckName::Replay, ok, detail);
}

/// The predicate's facts must be exactly what the journal shows.
fn check_facts(
    record: &Record,
    journal: &Journal,
    replay: &Replay,
    st: &Statement,
    key: &PublicKey,
    report: &mut VerifyReport,
) {
    let recomputed =
        Statement::with_digest(&record.journal_digest, journal, replay, key, None).predicate;
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
        report.push_check(CheckName::Facts, true, "every attested fact matches the journal");
    } else {
        report.push_check(
            CheckName::Facts,
            false,
            format!("the attestation does not match the journal: {}", differing.join("; ")),
        );
    }
}
