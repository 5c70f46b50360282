//! Opening the files users hand to Handprint: a bare journal (`.jsonl`) or a signed bundle
//! (`.handprint`). Every command that reads a record goes through [`load`], so each accepts
//! both.

use crate::attest::{Bundle, Envelope};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Files larger than this are refused rather than read into memory. A million-event session
/// is about 70 MB; this leaves room for sessions far longer than a working day.
pub const MAX_INPUT_BYTES: u64 = 2 << 30;

/// Why a file cannot be used at all (exit code 2 in the CLI).
#[derive(Debug, Error)]
pub enum InputError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} is {size} bytes, more than the {max} bytes Handprint accepts; is it really a Handprint record?"
    )]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path} is empty")]
    Empty { path: PathBuf },
    #[error("{path} is not a Handprint journal or bundle: {why}")]
    NotHandprint { path: PathBuf, why: String },
}

/// A record file as loaded from disk.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    /// The journal's exact bytes.
    pub journal: Vec<u8>,
    /// The signed envelope, when the file is a bundle (not yet verified: see
    /// [`crate::attest::verify_file`]).
    pub envelope: Option<Envelope>,
}

/// Reads `path` and extracts the journal bytes (and the envelope of a bundle).
pub fn load(path: &Path) -> Result<Input, InputError> {
    let bytes = read(path)?;
    if crate::attest::looks_like_bundle(&bytes) {
        let not_handprint = |why: String| InputError::NotHandprint { path: path.to_owned(), why };
        let bundle = Bundle::parse(&bytes).map_err(|e| not_handprint(e.to_string()))?;
        let journal = bundle.journal_bytes().map_err(|e| not_handprint(e.to_string()))?;
        check_journal_start(path, &journal)?;
        return Ok(Input { path: path.to_owned(), journal, envelope: Some(bundle.envelope) });
    }
    check_journal_start(path, &bytes)?;
    Ok(Input { path: path.to_owned(), journal: bytes, envelope: None })
}

/// Reads a whole record file, refusing empty and oversized ones.
pub fn read(path: &Path) -> Result<Vec<u8>, InputError> {
    let read_err = |source| InputError::Read { path: path.to_owned(), source };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { path: path.to_owned(), size, max: MAX_INPUT_BYTES });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    if bytes.is_empty() {
        return Err(InputError::Empty { path: path.to_owned() });
    }
    Ok(bytes)
}

/// Refuses bytes that cannot be a journal: every journal starts with its `start` line.
pub fn check_journal_start(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    if bytes.starts_with(b"{\"s\":0,") {
        return Ok(());
    }
    Err(InputError::NotHandprint {
        path: path.to_owned(),
        why: "a journal's first line starts with {\"s\":0,".into(),
    })
}
