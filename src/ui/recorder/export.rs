//! Exporting a finished session into the folder the trainer chose: the signed bundle (and
//! bare envelope, with the analysis summary in its predicate) from
//! [`crate::record::export_record`], plus the response text beside it. The finished journal
//! is opened (read, parsed, replayed) once, for both the analysis and the signature.

use crate::analysis::analyze_record;
use crate::attest::SigningKey;
use crate::record::{Record, export_record};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What the export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The record to hand in: the signed bundle, or the bare journal when there is no key.
    pub bundle: PathBuf,
    /// The response text beside it.
    pub text: PathBuf,
    /// Fingerprint of the signing key (`SHA256:…`), when the record is signed.
    pub fingerprint: Option<String>,
}

/// Why the export failed. The session itself is finished and safe in the sessions folder.
#[derive(Debug, Error)]
pub enum SaveError {
    #[error(
        "cannot write into {dir}: {source}. The finished record is safe at {journal}; choose another folder or free disk space"
    )]
    Write { dir: PathBuf, journal: PathBuf, source: std::io::Error },
    #[error("cannot sign the record: {0}. The finished journal is safe in the sessions folder")]
    Sign(#[from] crate::record::ExportError),
}

/// Signs the finished journal with `key` into `out_dir` and writes the final `text` beside
/// the bundle. Without a key (the key store could not be opened) the journal itself is
/// copied, unsigned, so the trainer still has a record to hand in.
pub fn export(
    journal: &Path,
    key: Option<&SigningKey>,
    text: &str,
    out_dir: &Path,
) -> Result<Saved, SaveError> {
    let err =
        |source| SaveError::Write { dir: out_dir.to_owned(), journal: journal.to_owned(), source };
    std::fs::create_dir_all(out_dir).map_err(err)?;
    let stem = journal.file_stem().and_then(|s| s.to_str()).unwrap_or("session");
    let text_path = out_dir.join(format!("{stem}.txt"));
    let (bundle, fingerprint) = match key {
        Some(key) => {
            let record = Record::open(journal).map_err(crate::record::ExportError::from)?;
            let analysis = analyze_record(&record).map(|a| a.attestation_summary());
            let ex = export_record(&record, key, analysis, out_dir)?;
            (ex.bundle, Some(ex.fingerprint))
        }
        None => {
            let copy = out_dir.join(format!("{stem}.jsonl"));
            std::fs::copy(journal, &copy).map_err(err)?;
            (copy, None)
        }
    };
    std::fs::write(&text_path, text).map_err(err)?;
    Ok(Saved { bundle, text: text_path, fingerprint })
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
