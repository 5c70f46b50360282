//! Exporting a finished session into the folder the trainer chose.
//!
//! Until the signing module lands this writes the finished (unsigned) journal and the
//! response text; [`export`] is the one place that changes when bundles are signed.

use std::path::{Path, PathBuf};
use thiserror::Error;

/// What the export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The record to hand in (the journal, or the signed bundle once signing exists).
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
}

/// Copies the finished journal at `journal` and the final `text` into `out_dir`, named after
/// the task and the session so several records for one task do not overwrite each other.
pub fn export(
    journal: &Path,
    task: &str,
    session: &str,
    text: &str,
    out_dir: &Path,
) -> Result<Exported, ExportError> {
    let err = |source| ExportError::Write {
        dir: out_dir.to_owned(),
        journal: journal.to_owned(),
        source,
    };
    std::fs::create_dir_all(out_dir).map_err(err)?;
    let short = session.get(..8).unwrap_or(session);
    let stem = format!("{}-{short}", file_safe(task));
    let bundle = out_dir.join(format!("{stem}.handprint.jsonl"));
    let text_path = out_dir.join(format!("{stem}.txt"));
    std::fs::copy(journal, &bundle).map_err(err)?;
    std::fs::write(&text_path, text).map_err(err)?;
    Ok(Exported { bundle, text: text_path, fingerprint: None })
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

/// `task` with anything but letters, digits, `-` and `_` replaced, for use in a file name.
fn file_safe(task: &str) -> String {
    let s: String = task
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(64)
        .collect();
    if s.is_empty() { "task".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ids_become_safe_file_names() {
        assert_eq!(file_safe("../etc/passwd"), "___etc_passwd");
        assert_eq!(file_safe(""), "task");
        assert_eq!(file_safe("T-42_a"), "T-42_a");
    }
}
