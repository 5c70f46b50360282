//! Verification of a bundle (or a bare journal): every check reported by name, in plain
//! words, so the CLI, the viewer banner and a platform can show exactly what failed and where.

use super::bundle::{Bundle, looks_like_bundle};
use super::checkpoints::verify_checkpoints;
use super::normalize::{normalize, normalized_sha256};
use super::public_key::PublicKey;
use super::statement::{
    PREDICATE_TYPE, Predicate, STATEMENT_TYPE, SUBJECT_JOURNAL, SUBJECT_NORMALIZED, SUBJECT_TEXT,
    Statement,
};
use crate::input::{self, InputError};
use crate::journal::{self, Journal};
use crate::replay::Replay;
use serde::Serialize;
use std::path::Path;

/// What the verifier is told besides the file: the submitted text and the expected task,
/// nonce and signer. Every field is optional.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The text the trainer submitted; checked against the attested text.
    pub text: Option<String>,
    /// The task id the response must be for.
    pub task: Option<String>,
    /// The nonce the platform issued for this task.
    pub nonce: Option<String>,
    /// The public key that must have signed (pins the signer).
    pub pubkey: Option<PublicKey>,
    /// The fingerprint (`SHA256:…`) of the key that must have signed (pins the signer).
    pub fingerprint: Option<String>,
}

/// How a submitted text compares with the attested one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextMatch {
    /// Byte for byte the same.
    Exact,
    /// The same after normalization (NFC, LF newlines, trailing whitespace trimmed).
    Normalized,
    /// Different even after normalization.
    Mismatch,
}

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Short stable name (`signature`, `chain`, `replay`, …; see docs/FORMAT.md).
    pub name: String,
    pub ok: bool,
    /// What was found, in plain words, with the event index or field when something is wrong.
    pub detail: String,
}

/// The outcome of verifying one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Every check passed.
    pub valid: bool,
    /// `bundle` or `journal` (a bare, unsigned journal).
    pub kind: &'static str,
    /// Fingerprint of the key the attestation names as its signer.
    pub signer: Option<String>,
    /// Whether the signer was pinned by `--pubkey`/`--fingerprint` (and matched). When not,
    /// a valid signature shows only that the holder of that key signed.
    pub signer_pinned: bool,
    /// How the submitted text compared, when one was given.
    pub text_match: Option<TextMatch>,
    /// The attested facts (from the signed statement), when there is one.
    pub predicate: Option<Predicate>,
    pub checks: Vec<Check>,
}

impl VerifyReport {
    /// The first failed check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }

    /// The check called `name`.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    pub(super) fn push_check(&mut self, name: &str, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check { name: name.to_owned(), ok, detail: detail.into() });
    }
}

/// Verifies the bundle or journal at `path`. `Err` means the file cannot be used at all.
pub fn verify_file(path: &Path, opts: &VerifyOptions) -> Result<VerifyReport, InputError> {
    let bytes = input::read(path)?;
    verify_at(path, &bytes, opts)
}

/// Verifies a bundle or journal held in memory (what a platform calls).
pub fn verify_bytes(bytes: &[u8], opts: &VerifyOptions) -> Result<VerifyReport, InputError> {
    verify_at(Path::new("(input)"), bytes, opts)
}

fn verify_at(path: &Path, bytes: &[u8], opts: &VerifyOptions) -> Result<VerifyReport, InputError> {
    let mut report = VerifyReport {
        valid: false,
        kind: "journal",
        signer: None,
        signer_pinned: false,
        text_match: None,
        predicate: None,
        checks: Vec::new(),
    };
    if looks_like_bundle(bytes) {
        let not_handprint = |why: String| InputError::NotHandprint { path: path.to_owned(), why };
        let bundle = Bundle::parse(bytes).map_err(|e| not_handprint(e.to_string()))?;
        let journal_bytes = bundle.journal_bytes().map_err(|e| not_handprint(e.to_string()))?;
        report.kind = "bundle";
        let statement = check_envelope(&bundle, opts, &mut report);
        check_journal(&journal_bytes, statement.as_ref(), opts, &mut report);
    } else {
        input::check_journal_start(path, bytes)?;
        report.push_check(
            "signed",
            false,
            "this is a bare journal with no attestation, so nothing vouches for it; verify the signed .handprint bundle instead",
        );
        check_journal(bytes, None, opts, &mut report);
    }
    report.valid = report.checks.iter().all(|c| c.ok);
    Ok(report)
}

/// Checks the envelope and statement; returns the statement if it parsed (even when the
/// signature failed, so later checks can still say what else is wrong).
fn check_envelope(
    bundle: &Bundle,
    opts: &VerifyOptions,
    report: &mut VerifyReport,
) -> Option<Statement> {
    let statement = bundle
        .envelope
        .payload_bytes()
        .ok()
        .and_then(|p| serde_json::from_slice::<Statement>(&p).map_err(|e| e.to_string()).ok());
    let Some(statement) = statement else {
        report.push_check(
            "statement",
            false,
            "the envelope's payload is not a Handprint in-toto statement",
        );
        return None;
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
    for name in [SUBJECT_TEXT, SUBJECT_NORMALIZED, SUBJECT_JOURNAL] {
        if statement.digest(name).is_none() {
            problems.push(format!("subject {name} with a sha256 digest is missing"));
        }
    }
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
        "statement",
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
        None => report.push_check("signature", false, "no public key to check the signature with"),
        Some(key) => match bundle.envelope.verify(&key) {
            Ok(_) => report.push_check(
                "signature",
                true,
                format!("a valid Ed25519 signature by {}", key.fingerprint()),
            ),
            Err(e) => report.push_check("signature", false, e.to_string()),
        },
    }
    Some(statement)
}

/// Whether the named signer is the one the caller pinned, if any.
fn check_signer(named: &str, opts: &VerifyOptions, report: &mut VerifyReport) {
    let pinned = opts.pubkey.map(|k| k.fingerprint()).or_else(|| opts.fingerprint.clone());
    match pinned {
        Some(want) if want.trim() == named => {
            report.signer_pinned = true;
            report.push_check("signer", true, format!("signed by {named}, the key you required"));
        }
        Some(want) => report.push_check(
            "signer",
            false,
            format!("signed by {named}, but you required {}: this was not signed by the expected key", want.trim()),
        ),
        None => report.push_check(
            "signer",
            true,
            format!(
                "signed by {named}; no key was required (--pubkey or --fingerprint), so this only shows that whoever holds that key signed it"
            ),
        ),
    }
}

/// Checks everything about the journal bytes, against the statement when there is one.
fn check_journal(
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

/// The given text, task and nonce against the record.
fn check_bindings(
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
        report.push_check("text", m != TextMatch::Mismatch, detail);
    }
    let start = journal.map(|(j, _)| j.start());
    let recorded_task =
        start.map(|s| s.task.clone()).or_else(|| statement.map(|s| s.predicate.task.clone()));
    if let Some(want) = &opts.task {
        match recorded_task {
            Some(t) if t == *want => {
                report.push_check("task", true, format!("recorded for task {t}"))
            }
            Some(t) => report.push_check(
                "task",
                false,
                format!("recorded for task {t:?}, not {want:?}: start.task"),
            ),
            None => report.push_check("task", false, "the task cannot be read from the journal"),
        }
    }
    let recorded_nonce = match (start, statement) {
        (Some(s), _) => s.nonce.clone(),
        (None, Some(st)) => st.predicate.nonce.clone(),
        (None, None) => None,
    };
    if let Some(want) = &opts.nonce {
        match recorded_nonce {
            Some(n) if n == *want => report.push_check("nonce", true, "the nonce matches"),
            Some(n) => report.push_check(
                "nonce",
                false,
                format!("recorded with nonce {n:?}, not {want:?}: start.nonce"),
            ),
            None => report.push_check(
                "nonce",
                false,
                format!("recorded without a nonce, but {want:?} was expected: start.nonce"),
            ),
        }
    }
}
