//! Turning a finished record into a signed bundle and bare envelope: what the recorder's
//! Finish calls after `JournalWriter::finish`, on the record it opened once.

use super::{Record, Unusable};
use crate::attest::{
    BUNDLE_EXTENSION, Bundle, ENVELOPE_EXTENSION, Envelope, SigningKey, Statement, to_pretty,
    verify_checkpoints,
};
use crate::journal::JournalError;
use crate::replay::ReplayError;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The files written by [`export_session`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The self-contained bundle (`<journal stem>.handprint`).
    pub bundle: PathBuf,
    /// The bare DSSE envelope (`<journal stem>.intoto.json`).
    pub envelope: PathBuf,
    /// Fingerprint of the signing key.
    pub fingerprint: String,
}

/// Why a session could not be exported.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("cannot read the journal {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the journal {path} is not valid, so it cannot be signed: {source}")]
    Invalid { path: PathBuf, source: JournalError },
    #[error("the journal {path} does not replay, so it cannot be signed: {source}")]
    Replay { path: PathBuf, source: ReplayError },
    #[error("cannot sign it: {0}")]
    Open(#[from] super::OpenError),
    #[error("{0} is already a signed bundle; sign the bare journal it was made from")]
    AlreadySigned(PathBuf),
    #[error("the journal {0} is not finished; finish the session before exporting it")]
    Unfinished(PathBuf),
    #[error(
        "the journal {path}'s checkpoints were not signed by this key ({why}); export with the key that recorded the session"
    )]
    CheckpointKey { path: PathBuf, why: String },
    #[error(
        "the journal {0} has no signed checkpoint: it was recorded without a signing key (JournalWriter::set_signer), so it cannot be attested"
    )]
    Unsigned(PathBuf),
    #[error(
        "cannot write {path}: {source}. Free disk space or choose another folder, then export again"
    )]
    Write { path: PathBuf, source: std::io::Error },
}

/// Opens the finished journal at `journal_path` and signs it with [`export_record`].
pub fn export_session(
    journal_path: &Path,
    key: &SigningKey,
    analysis: Option<serde_json::Value>,
    out_dir: &Path,
) -> Result<Exported, ExportError> {
    let path = journal_path.to_owned();
    let bytes = std::fs::read(journal_path)
        .map_err(|source| ExportError::Read { path: path.clone(), source })?;
    let record = Record::from_bytes(journal_path, &bytes)?;
    export_record(&record, key, analysis, out_dir)
}

/// Signs `record`, a finished bare journal, with `key` and writes the bundle and the bare
/// envelope into `out_dir`, named after the record's file. `analysis` (the analysis summary
/// with its version) is carried in the predicate as given.
pub fn export_record(
    record: &Record,
    key: &SigningKey,
    analysis: Option<serde_json::Value>,
    out_dir: &Path,
) -> Result<Exported, ExportError> {
    let path = record.source.clone();
    if record.is_bundle() {
        return Err(ExportError::AlreadySigned(path));
    }
    let (journal, replay) = record.session().map_err(|why| match why {
        Unusable::Journal(e) => ExportError::Invalid { path: path.clone(), source: e.clone() },
        Unusable::Replay(e) => ExportError::Replay { path: path.clone(), source: e.clone() },
    })?;
    if !journal.is_finished() {
        return Err(ExportError::Unfinished(path));
    }
    let checkpoints = verify_checkpoints(journal, Some(&key.public()))
        .map_err(|why| ExportError::CheckpointKey { path: path.clone(), why })?;
    if checkpoints.count == 0 {
        return Err(ExportError::Unsigned(path));
    }
    let bytes = record.journal_bytes()?;
    let statement =
        Statement::with_digest(&record.journal_digest, journal, replay, &key.public(), analysis);
    // Our own structs serialize infallibly.
    let payload = serde_json::to_vec(&statement).expect("statements always serialize");
    let envelope = Envelope::sign(&payload, key);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("session");
    let bundle_path = out_dir.join(format!("{stem}.{BUNDLE_EXTENSION}"));
    let envelope_path = out_dir.join(format!("{stem}.{ENVELOPE_EXTENSION}"));
    write_atomic(&bundle_path, &Bundle::new(envelope.clone(), &bytes).to_bytes())?;
    write_atomic(&envelope_path, &to_pretty(&envelope))?;
    Ok(Exported { bundle: bundle_path, envelope: envelope_path, fingerprint: key.fingerprint() })
}

/// Writes via a temporary file, fsync and rename, so a crash never leaves half a bundle.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let err = |source| ExportError::Write { path: path.to_owned(), source };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}
