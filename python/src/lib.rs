//! The native half of the `handprint` Python package: Handprint's headless core for a
//! platform's Python pipeline. Each function takes a record's bytes, calls the same core
//! functions the CLI calls, and returns what the CLI prints with `--json`, serialised from
//! the same Rust types and parsed with Python's `json`, so a dict here and a line of
//! `handprint verify --json` cannot differ in shape. Errors carry the CLI's messages
//! (without its `handprint: ` prefix) as `handprint.HandprintError`.
//!
//! Verification releases the GIL, so threads (a Dask worker's, a thread pool's) verify in
//! parallel.

use handprint::attest::{PublicKey, parse_trust_file};
use handprint::record::{self, Record};
use handprint::verify::{VerifyOptions, batch, verify_bytes};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

create_exception!(
    handprint,
    HandprintError,
    PyException,
    "A record or an option that cannot be used at all (the CLI's exit code 2), or a record \
     whose journal does not replay where a replay is needed (`analyze`, `text_at`). The \
     message is the CLI's."
);

/// Bytes, or a str taken as its UTF-8 bytes (a text, a key file, a trust file).
#[derive(FromPyObject)]
enum Blob {
    Bytes(Vec<u8>),
    Str(String),
}

impl Blob {
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Blob::Bytes(b) => b,
            Blob::Str(s) => s.into_bytes(),
        }
    }
}

/// The options every verifying function takes, as keyword arguments.
struct Pins {
    task: Option<String>,
    nonce: Option<String>,
    pubkey: Option<Blob>,
    fingerprint: Option<String>,
    trust: Option<Blob>,
    service_key: Option<Blob>,
    any_signer: bool,
}

impl Pins {
    /// The core's options, refusing what `handprint verify` refuses, with its messages
    /// (`pubkey: …` where the CLI names the file).
    fn options(self, text: Option<String>) -> Result<VerifyOptions, String> {
        if self.pubkey.is_some() && self.fingerprint.is_some() {
            return Err("pubkey and fingerprint cannot be used together; pin one".into());
        }
        let pinned = self.pubkey.is_some() || self.fingerprint.is_some() || self.trust.is_some();
        if self.any_signer && pinned {
            return Err("any_signer cannot be used with pubkey, fingerprint or trust".into());
        }
        let pubkey = match self.pubkey {
            Some(b) => Some(PublicKey::parse(&b.into_bytes()).map_err(|e| format!("pubkey: {e}"))?),
            None => None,
        };
        let trusted = match self.trust {
            Some(b) => parse_trust_file(&b.into_bytes()).map_err(|e| format!("trust: {e}"))?,
            None => Vec::new(),
        };
        let service_key = match self.service_key {
            Some(b) => Some(
                handprint::platform::parse_service_key(&b.into_bytes())
                    .map_err(|e| format!("service_key: {e}"))?,
            ),
            None => None,
        };
        Ok(VerifyOptions {
            text,
            task: self.task,
            nonce: self.nonce,
            pubkey,
            fingerprint: self.fingerprint,
            trusted,
            any_signer: self.any_signer,
            service_key,
        })
    }
}

fn error(why: impl std::fmt::Display) -> PyErr {
    HandprintError::new_err(why.to_string())
}

/// `value` as the plain Python objects `json.loads` makes of the CLI's JSON.
fn to_python<'py>(py: Python<'py>, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(value).map_err(error)?;
    py.import("json")?.call_method1("loads", (json,))
}

/// A submitted text as the CLI reads it: UTF-8, or refused.
fn utf8_text(text: Option<Blob>) -> Result<Option<String>, String> {
    match text {
        None => Ok(None),
        Some(Blob::Str(s)) => Ok(Some(s)),
        Some(Blob::Bytes(b)) => {
            String::from_utf8(b).map(Some).map_err(|_| "text is not UTF-8 text".to_owned())
        }
    }
}

/// What a record held in memory is called in messages, as `verify_bytes` calls it.
const INPUT: &str = "(input)";

/// Verifies one bundle: the report `handprint verify --json FILE` prints, as a dict.
#[pyfunction]
#[pyo3(signature = (bundle, *, text=None, task=None, nonce=None, pubkey=None, fingerprint=None,
                    trust=None, service_key=None, any_signer=false))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per CLI option.
fn verify<'py>(
    py: Python<'py>,
    bundle: &[u8],
    text: Option<Blob>,
    task: Option<String>,
    nonce: Option<String>,
    pubkey: Option<Blob>,
    fingerprint: Option<String>,
    trust: Option<Blob>,
    service_key: Option<Blob>,
    any_signer: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let pins = Pins { task, nonce, pubkey, fingerprint, trust, service_key, any_signer };
    let opts = pins.options(utf8_text(text).map_err(error)?).map_err(error)?;
    let report = py.detach(|| {
        record::check_size(Path::new(INPUT), bundle)?;
        verify_bytes(bundle, &opts)
    });
    to_python(py, &report.map_err(error)?)
}

/// Verifies one bundle as the batch does: the row `handprint verify --format jsonl DIR`
/// prints for the file `file`, as a dict. Never raises for the bundle itself: a file that
/// cannot be checked gives a row with `unusable` set, as in the batch.
#[pyfunction]
#[pyo3(signature = (bundle, *, file, text=None, text_file=None, task=None, nonce=None,
                    pubkey=None, fingerprint=None, trust=None, service_key=None,
                    any_signer=false))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per CLI option.
fn verify_row<'py>(
    py: Python<'py>,
    bundle: &[u8],
    file: PathBuf,
    text: Option<Blob>,
    text_file: Option<PathBuf>,
    task: Option<String>,
    nonce: Option<String>,
    pubkey: Option<Blob>,
    fingerprint: Option<String>,
    trust: Option<Blob>,
    service_key: Option<Blob>,
    any_signer: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let pins = Pins { task, nonce, pubkey, fingerprint, trust, service_key, any_signer };
    let opts = pins.options(None).map_err(error)?;
    let text = text.map(Blob::into_bytes);
    // The batch pairs NAME.handprint with NAME.txt; a text given without its name is that one.
    let text_file = text_file.unwrap_or_else(|| file.with_extension("txt"));
    let row = py.detach(|| {
        let text = text.as_deref().map(|t| (text_file.as_path(), t));
        batch::verify_bytes_row(&file, bundle, text, &opts)
    });
    to_python(py, &row)
}

/// A record whose journal verifies and replays, or the CLI's message for why not.
fn replayed(bundle: &[u8]) -> Result<Record, String> {
    let input = Path::new(INPUT);
    record::check_size(input, bundle).map_err(|e| e.to_string())?;
    let record = Record::from_bytes(input, bundle).map_err(|e| e.to_string())?;
    record.check_journal_start().map_err(|e| e.to_string())?;
    if let Err(why) = record.session() {
        return Err(format!("invalid: {INPUT}: {why}"));
    }
    Ok(record)
}

/// The writing-process analysis `handprint analyze --json FILE` prints, as a dict. The
/// signature is not checked (that is `verify`).
#[pyfunction]
fn analyze<'py>(py: Python<'py>, bundle: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let analysis = py.detach(|| {
        let record = replayed(bundle)?;
        handprint::analysis::analyze_record(&record)
            .ok_or_else(|| format!("invalid: {INPUT}: the journal does not replay"))
    });
    to_python(py, &analysis.map_err(error)?)
}

/// The response text as it stood after event `event` (0 is the session start), as
/// `handprint journal text --at EVENT FILE` prints it.
#[pyfunction]
fn text_at(py: Python<'_>, bundle: &[u8], event: usize) -> PyResult<String> {
    py.detach(|| {
        let record = replayed(bundle)?;
        let replay = record.replayed().ok_or("the journal does not replay")?;
        if event >= replay.len() {
            return Err(format!(
                "event {event} is past the end: the journal has events 0 to {}",
                replay.len().saturating_sub(1)
            ));
        }
        Ok(replay.text_after(event))
    })
    .map_err(error)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("HandprintError", m.py().get_type::<HandprintError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify_row, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(text_at, m)?)?;
    Ok(())
}
