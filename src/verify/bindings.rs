//! The submitted text, task and nonce against the record.

use super::{CheckName, TextMatch, VerifyOptions, VerifyReport};
use crate::attest::{SUBJECT_NORMALIZED, SUBJECT_TEXT, Statement, normalize, normalized_sha256};
use crate::journal::Journal;

/// The given text, task and nonce against the record.
pub(super) fn check_bindings(
    journal: Option<(&Journal, &str)>,
    statement: Option<&Statement>,
    opts: &VerifyOptions,
    report: &mut VerifyReport,
) {
    if let Some(given) = &opts.text {
        let attested = statement.and_then(|s| s.digest(SUBJECT_TEXT).map(str::to_owned));
        let attested_norm = statement.and_then(|s| s.digest(SUBJECT_NORMALIZED).map(str::to_owned));
        let (exact, norm) = match (attested, attested_norm, journal) {
            (Some(e), Some(n), _) => (e, n),
            (_, _, Some((_, text))) => {
                (crate::sha256_hex(text.as_bytes()), normalized_sha256(text))
            }
            _ => (String::new(), String::new()),
        };
        let m = if crate::sha256_hex(given.as_bytes()) == exact {
            TextMatch::Exact
        } else if crate::sha256_hex(normalize(given).as_bytes()) == norm {
            TextMatch::Normalized
        } else {
            TextMatch::Mismatch
        };
        report.text_match = Some(m);
        let detail = match m {
            TextMatch::Exact => "the given text is exactly the attested text".to_owned(),
            TextMatch::Normalized => "the given text matches the attested text after normalization (Unicode NFC, LF line endings, trailing whitespace trimmed), not byte for byte".to_owned(),
            TextMatch::Mismatch => format!(
                "the given text (SHA-256 {}) is not the attested text, not even after normalization",
                crate::sha256_hex(given.as_bytes())
            ),
        };
        report.push_check(CheckName::Text, m != TextMatch::Mismatch, detail);
    }
    let start = journal.map(|(j, _)| j.start());
    let recorded_task =
        start.map(|s| s.task.clone()).or_else(|| statement.map(|s| s.predicate.task.clone()));
    if let Some(want) = &opts.task {
        match recorded_task {
            Some(t) if t == *want => {
                report.push_check(CheckName::Task, true, format!("recorded for task {t}"))
            }
            Some(t) => report.push_check(
                CheckName::Task,
                false,
                format!("recorded for task {t:?}, not {want:?}: start.task"),
            ),
            None => report.push_check(
                CheckName::Task,
                false,
                "the task cannot be read from the journal",
            ),
        }
    }
    let recorded_nonce = match (start, statement) {
        (Some(s), _) => s.nonce.clone(),
        (None, Some(st)) => st.predicate.nonce.clone(),
        (None, None) => None,
    };
    if let Some(want) = &opts.nonce {
        match recorded_nonce {
            Some(n) if n == *want => report.push_check(CheckName::Nonce, true, "the nonce matches"),
            Some(n) => report.push_check(
                CheckName::Nonce,
                false,
                format!("recorded with nonce {n:?}, not {want:?}: start.nonce"),
            ),
            None => report.push_check(
                CheckName::Nonce,
                false,
                format!("recorded without a nonce, but {want:?} was expected: start.nonce"),
            ),
        }
    }
}
