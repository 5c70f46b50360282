//! Exporting a finished session into the folder the trainer chose: the signed bundle (and
//! bare envelope, with the analysis summary in its predicate) from
//! [`crate::attest::export_session`], plus the response text beside it.

use crate::attest::SigningKey;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What the export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The record to hand in: the signed bundle, or the bare journal when there is no key.
    pub bundle: PathBuf,
    /// The response text beside it.
    pub text: PathBuf,
    /// Fingerprint of the signing key (`SHA256:…`), when the record is signed.
    pub fingerprint: Option<String>,
}

/// Why the export failed. The session itself is finished and safe in the sessions folder.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(
        "cannot write into {dir}: {source}. The finished record is safe at {journal}; choose another folder or free disk space"
    )]
    Write { dir: PathBuf, journal: PathBuf, source: std::io::Error },
    #[error("cannot sign the record: {0}. The finished journal is safe in the sessions folder")]
    Sign(#[from] crate::attest::ExportError),
}

/// Signs the finished journal with `key` into `out_dir` and writes the final `text` beside
/// the bundle. Without a key (the key store could not be opened) the journal itself is
/// copied, unsigned, so the trainer still has a record to hand in.
pub fn export(
    journal: &Path,
    key: Option<&SigningKey>,
    text: &str,
    out_dir: &Path,
) -> Result<Exported, ExportError> {
    let err = |source| ExportError::Write {
        dir: out_dir.to_owned(),
        journal: journal.to_owned(),
        source,
    };
    std::fs::create_dir_all(out_dir).map_err(err)?;
    let stem = journal.file_stem().and_then(|s| s.to_str()).unwrap_or("session");
    let text_path = out_dir.join(format!("{stem}.txt"));
    let (bundle, fingerprint) = match key {
        Some(key) => {
            let ex = crate::attest::export_session(journal, key, analysis_of(journal), out_dir)?;
            (ex.bundle, Some(ex.fingerprint))
        }
        None => {
            let copy = out_dir.join(format!("{stem}.jsonl"));
            std::fs::copy(journal, &copy).map_err(err)?;
            (copy, None)
        }
    };
    std::fs::write(&text_path, text).map_err(err)?;
    Ok(Exported { bundle, text: text_path, fingerprint })
}

/// The analysis summary the attestation carries, or `None` when the journal cannot be read
/// back here (`export_session` then reports the real problem).
fn analysis_of(journal: &Path) -> Option<serde_json::Value> {
    let bytes = std::fs::read(journal).ok()?;
    let parsed = crate::journal::parse(&bytes).ok()?;
    let replay = crate::replay::Replay::build(parsed.records.clone()).ok()?;
    Some(crate::analysis::analyze(&parsed.records, &replay).attestation_summary())
}

/// The default export folder: `Documents/Handprint`, or `~/Handprint` without a Documents
/// folder, or the current folder as a last resort.
pub fn default_out_dir() -> PathBuf {
    let dirs = directories::UserDirs::new();
    dirs.as_ref()
        .and_then(|d| d.document_dir().map(Path::to_owned))
        .or_else(|| dirs.as_ref().map(|d| d.home_dir().to_owned()))
        .map_or_else(|| PathBuf::from("."), |d| d.join("Handprint"))
}
