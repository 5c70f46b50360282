//! Verifying many records at once, the way a platform checks a day's submissions: find the
//! bundles under the given files and folders, pair each with its submitted text by the
//! recorder's naming convention, verify them in parallel across cores (rayon), and give one
//! row per bundle plus a summary. Each bundle is opened and verified exactly as `verify`
//! does for one; nothing here decides validity.

use super::{TextMatch, VerifyOptions, VerifyReport, verify};
use crate::record::{OpenError, Record};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Why a batch could not start.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("no .handprint bundles found in {0}; give bundle files or folders that hold them")]
    Empty(String),
}

/// One bundle to verify, with the submitted text found beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchItem {
    pub bundle: PathBuf,
    /// `<name>.txt` beside `<name>.handprint`: what the recorder's Finish writes, and what a
    /// platform saves when it stores a submission next to its record.
    pub text: Option<PathBuf>,
}

/// The bundles named by `inputs`: files as given, folders searched recursively for
/// `*.handprint` (sorted, so the output order is stable), each paired with its text.
pub fn collect(inputs: &[PathBuf]) -> Result<Vec<BatchItem>, BatchError> {
    let mut bundles = Vec::new();
    for input in inputs {
        if input.is_dir() {
            find_bundles(input, &mut bundles)?;
        } else {
            bundles.push(input.clone());
        }
    }
    if bundles.is_empty() {
        let named = inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>();
        return Err(BatchError::Empty(named.join(", ")));
    }
    Ok(bundles
        .into_iter()
        .map(|bundle| {
            let text = Some(bundle.with_extension("txt")).filter(|t| t.is_file());
            BatchItem { bundle, text }
        })
        .collect())
}

fn find_bundles(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), BatchError> {
    let read_err = |source| BatchError::Read { path: dir.to_owned(), source };
    let mut entries = std::fs::read_dir(dir)
        .map_err(read_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_err)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            find_bundles(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "handprint") {
            out.push(path);
        }
    }
    Ok(())
}

/// The outcome for one bundle, flat enough for a JSON line or a CSV row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchRow {
    pub file: String,
    /// Every check passed.
    pub valid: bool,
    /// Set when the file could not be checked at all (unreadable, not a Handprint record).
    pub unusable: Option<String>,
    /// The failed checks, `name: detail`; empty when valid.
    pub reasons: Vec<String>,
    /// The task the statement names (trust it only when valid).
    pub task: Option<String>,
    /// Fingerprint of the signing key.
    pub signer: Option<String>,
    /// Whether the signer was pinned (by the trusted key) and matched.
    pub pinned: bool,
    /// The submitted text found beside the bundle, if any.
    pub text_file: Option<String>,
    pub text_match: Option<TextMatch>,
    /// Witness receipts checked against the platform's key (`None` without `--service-key`).
    pub witnessed: Option<usize>,
    /// Real time the platform saw the session being written, seconds (with the service key).
    pub witnessed_seconds: Option<f64>,
    /// The recomputed analysis flags and the witness flags, `id (severity)` /
    /// `witness:id`; empty when there are none or the journal could not be analysed.
    pub flags: Vec<String>,
}

impl BatchRow {
    fn from_report(file: &Path, text_file: Option<&Path>, r: &VerifyReport) -> BatchRow {
        BatchRow {
            file: file.display().to_string(),
            valid: r.valid,
            unusable: None,
            reasons: r
                .checks
                .iter()
                .filter(|c| !c.ok)
                .map(|c| format!("{}: {}", c.name, c.detail))
                .collect(),
            task: r.predicate.as_ref().map(|p| p.task.clone()),
            signer: r.signer.clone(),
            pinned: r.signer_pinned,
            text_file: text_file.map(|t| t.display().to_string()),
            text_match: r.text_match,
            witnessed: r.witness.as_ref().map(|w| w.receipts),
            witnessed_seconds: r.witness.as_ref().map(|w| w.witnessed_seconds),
            flags: flags_of(r),
        }
    }

    fn unusable(file: &Path, why: String) -> BatchRow {
        BatchRow {
            file: file.display().to_string(),
            valid: false,
            unusable: Some(why),
            reasons: Vec::new(),
            task: None,
            signer: None,
            pinned: false,
            text_file: None,
            text_match: None,
            witnessed: None,
            witnessed_seconds: None,
            flags: Vec::new(),
        }
    }
}

/// The analysis flags (`id (severity)`) and witness flags (`witness:id`) of a report.
fn flags_of(r: &VerifyReport) -> Vec<String> {
    let analysis = r
        .analysis
        .iter()
        .flat_map(|a| &a.flags)
        .map(|f| format!("{} ({})", f.id, f.severity.name()));
    let witness = r.witness.iter().flat_map(|w| &w.flags).map(|f| format!("witness:{}", f.kind));
    analysis.chain(witness).collect()
}

/// Verifies every item in parallel with `opts` (task, nonce, signer; the text comes from
/// each item) and returns the rows in the items' order. `done` is called once per bundle
/// as it finishes, from any thread, for a progress display.
pub fn verify_all(
    items: &[BatchItem],
    opts: &VerifyOptions,
    done: &(dyn Fn() + Sync),
) -> Vec<BatchRow> {
    items
        .par_iter()
        .map(|item| {
            let row = verify_one(item, opts);
            done();
            row
        })
        .collect()
}

fn verify_one(item: &BatchItem, opts: &VerifyOptions) -> BatchRow {
    let text = match &item.text {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some((path.as_path(), bytes)),
            Err(e) => {
                let why = format!("cannot read {}: {e}", path.display());
                return BatchRow::unusable(&item.bundle, why);
            }
        },
        None => None,
    };
    let text = text.as_ref().map(|(path, bytes)| (*path, bytes.as_slice()));
    row_of(&item.bundle, text, opts, || Record::open(&item.bundle))
}

/// The row for one bundle held in memory: exactly what [`verify_all`] gives for the file
/// `file` with these bytes, and `text` (its name and bytes) as the submitted text beside it.
/// What a platform's own pipeline calls (the Python package, a Dask job over an object
/// store) so that its rows are the CLI's, field for field.
pub fn verify_bytes_row(
    file: &Path,
    bundle: &[u8],
    text: Option<(&Path, &[u8])>,
    opts: &VerifyOptions,
) -> BatchRow {
    row_of(file, text, opts, || {
        crate::record::check_size(file, bundle)?;
        Record::from_bytes(file, bundle)
    })
}

/// The submitted text is checked before the bundle is opened, so a bad text is reported the
/// same way whether the bundle came from a file or from memory.
fn row_of(
    file: &Path,
    text: Option<(&Path, &[u8])>,
    opts: &VerifyOptions,
    open: impl FnOnce() -> Result<Record, OpenError>,
) -> BatchRow {
    let mut opts = opts.clone();
    if let Some((path, bytes)) = text {
        match std::str::from_utf8(bytes) {
            Ok(text) => opts.text = Some(text.to_owned()),
            Err(_) => {
                return BatchRow::unusable(file, format!("{} is not UTF-8 text", path.display()));
            }
        }
    }
    match open() {
        Ok(record) => BatchRow::from_report(file, text.map(|t| t.0), &verify(&record, &opts)),
        Err(e) => BatchRow::unusable(file, e.to_string()),
    }
}

/// Counts over a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub total: usize,
    pub valid: usize,
    pub invalid: usize,
    pub unusable: usize,
}

impl Summary {
    pub fn of(rows: &[BatchRow]) -> Summary {
        let unusable = rows.iter().filter(|r| r.unusable.is_some()).count();
        let valid = rows.iter().filter(|r| r.valid).count();
        Summary { total: rows.len(), valid, invalid: rows.len() - valid - unusable, unusable }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
    }

    #[test]
    fn a_bundle_in_memory_gives_the_row_its_file_gives() {
        let dir = tempfile::tempdir().unwrap();
        let bundle = std::fs::read(fixture("recorded-session.handprint")).unwrap();
        // (name, the bundle's bytes, the text beside it)
        type Case<'a> = (&'a str, &'a [u8], Option<&'a [u8]>);
        let cases: [Case; 4] = [
            ("valid", &bundle, Some(b"Photosynthesis")),
            ("junk", b"not a record", None),
            ("empty", b"", None),
            ("bad-text", &bundle, Some(b"\xff")),
        ];
        let opts = VerifyOptions { any_signer: true, ..VerifyOptions::default() };
        for (name, bytes, text) in cases {
            let file = dir.path().join(format!("{name}.handprint"));
            std::fs::write(&file, bytes).unwrap();
            let text_file = file.with_extension("txt");
            if let Some(text) = text {
                std::fs::write(&text_file, text).unwrap();
            }
            let from_file =
                verify_all(&collect(std::slice::from_ref(&file)).unwrap(), &opts, &|| {});
            let in_memory =
                verify_bytes_row(&file, bytes, text.map(|t| (text_file.as_path(), t)), &opts);
            assert_eq!(from_file, vec![in_memory], "{name}");
        }
    }
}
