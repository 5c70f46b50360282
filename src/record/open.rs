//! Reading the files users hand to Handprint — a bare journal (`.jsonl`) or a signed bundle
//! (`.handprint`) — and telling apart a file that cannot be used at all (exit code 2) from a
//! record that is merely invalid (which verification reports check by check).

use std::path::{Path, PathBuf};
use thiserror::Error;

/// Files larger than this are refused rather than read into memory. A million-event session
/// is about 70 MB; this leaves room for sessions far longer than a working day.
pub const MAX_INPUT_BYTES: u64 = 2 << 30;

/// Why a file cannot be used at all (exit code 2 in the CLI).
#[derive(Debug, Error)]
pub enum OpenError {
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
    #[error("{path} changed since it was opened; open it again")]
    Changed { path: PathBuf },
}

/// Reads a whole record file, refusing empty and oversized ones.
pub fn read(path: &Path) -> Result<Vec<u8>, OpenError> {
    let read_err = |source| OpenError::Read { path: path.to_owned(), source };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_INPUT_BYTES {
        return Err(OpenError::TooLarge { path: path.to_owned(), size, max: MAX_INPUT_BYTES });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    check_size(path, &bytes)?;
    Ok(bytes)
}

/// Refuses empty and oversized records handed over in memory, as [`read`] refuses such
/// files, with the same messages (`path` names them).
pub fn check_size(path: &Path, bytes: &[u8]) -> Result<(), OpenError> {
    let size = bytes.len() as u64;
    if size > MAX_INPUT_BYTES {
        return Err(OpenError::TooLarge { path: path.to_owned(), size, max: MAX_INPUT_BYTES });
    }
    if bytes.is_empty() {
        return Err(OpenError::Empty { path: path.to_owned() });
    }
    Ok(())
}

/// Refuses bytes that cannot be a journal: every journal starts with its `start` line.
pub fn check_journal_start(path: &Path, bytes: &[u8]) -> Result<(), OpenError> {
    if bytes.starts_with(b"{\"s\":0,") {
        return Ok(());
    }
    Err(OpenError::NotHandprint {
        path: path.to_owned(),
        why: "a journal's first line starts with {\"s\":0,".into(),
    })
}
