//! The submission spool: a submission is written to disk before it is sent and removed only
//! when the service has stored it, so it is never lost; the service is idempotent by bundle
//! digest, so a retry after a lost answer is never stored twice. Pending submissions are
//! retried on the next start (`deliver_pending`).
//!
//! Layout under `<data dir>/spool/`: `pending/<digest>.json` (a [`SubmitRequest`] not yet
//! stored), `delivered/<digest>.json` (the service's [`SubmitReceipt`]), and
//! `refused/<digest>.json` (the request with the refusal, kept for the trainer to see).

use super::client::{Client, ClientError};
use super::protocol::{SubmitReceipt, SubmitRequest};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a submission could not be spooled.
#[derive(Debug, Error)]
pub enum SpoolError {
    #[error("cannot write the submission spool {path}: {why}; the bundle itself is unchanged")]
    Io { path: PathBuf, why: String },
}

/// What happened to one submission.
#[derive(Debug)]
pub enum Delivery {
    /// Stored by the service (now or earlier: `receipt.duplicate`).
    Delivered(SubmitReceipt),
    /// Not delivered yet (service unreachable); kept in the spool for the next attempt.
    Spooled { digest: String, why: String },
    /// Refused by the service for a reason retrying will not change; kept under `refused/`.
    Refused { digest: String, error: ClientError },
}

/// A refused submission, kept with its reason.
#[derive(Debug, Serialize, Deserialize)]
struct RefusedEntry {
    request: SubmitRequest,
    status: u16,
    code: String,
    message: String,
}

/// The spool in one folder.
#[derive(Debug, Clone)]
pub struct Spool {
    dir: PathBuf,
}

impl Spool {
    /// The spool under `data_dir/spool`.
    pub fn in_data_dir(data_dir: &Path) -> Spool {
        Spool { dir: data_dir.join("spool") }
    }

    /// Spools a submission of `bundle` with `text` for `challenge`, then tries to deliver it.
    pub fn submit(
        &self,
        client: &Client,
        challenge: &str,
        bundle: &[u8],
        text: &str,
    ) -> Result<Delivery, SpoolError> {
        let request = SubmitRequest {
            challenge: challenge.to_owned(),
            bundle: base64::engine::general_purpose::STANDARD.encode(bundle),
            text: text.to_owned(),
        };
        let digest = crate::sha256_hex(bundle);
        let path = self.dir.join("pending").join(format!("{digest}.json"));
        let json = serde_json::to_vec(&request).map_err(|e| io(&path, e))?;
        write_durable(&path, &json)?;
        self.deliver(client, &digest, request)
    }

    /// Tries every pending submission once. Each result names its bundle digest.
    pub fn deliver_pending(&self, client: &Client) -> Vec<Result<Delivery, SpoolError>> {
        self.pending()
            .into_iter()
            .map(|(digest, path)| {
                let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
                let request: SubmitRequest =
                    serde_json::from_slice(&bytes).map_err(|e| io(&path, e))?;
                self.deliver(client, &digest, request)
            })
            .collect()
    }

    /// Digests and paths of the submissions not yet delivered.
    pub fn pending(&self) -> Vec<(String, PathBuf)> {
        let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(self.dir.join("pending"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let p = e.path();
                let name = p.file_name()?.to_str()?;
                let digest = name.strip_suffix(".json")?;
                (digest.len() == 64).then(|| (digest.to_owned(), p.clone()))
            })
            .collect();
        out.sort();
        out
    }

    /// The service's receipt for a delivered bundle, if it was delivered from this spool.
    pub fn delivered(&self, digest: &str) -> Option<SubmitReceipt> {
        let bytes =
            std::fs::read(self.dir.join("delivered").join(format!("{digest}.json"))).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn deliver(
        &self,
        client: &Client,
        digest: &str,
        request: SubmitRequest,
    ) -> Result<Delivery, SpoolError> {
        let pending = self.dir.join("pending").join(format!("{digest}.json"));
        match client.submit(&request) {
            Ok(receipt) => {
                let done = self.dir.join("delivered").join(format!("{digest}.json"));
                let json = serde_json::to_vec_pretty(&receipt).map_err(|e| io(&done, e))?;
                write_durable(&done, &json)?;
                remove(&pending)?;
                Ok(Delivery::Delivered(receipt))
            }
            Err(e) if e.is_transient() => {
                Ok(Delivery::Spooled { digest: digest.to_owned(), why: e.to_string() })
            }
            Err(error) => {
                let (status, code, message) = match &error {
                    ClientError::Refused { status, code, message } => {
                        (*status, code.clone(), message.clone())
                    }
                    other => (0, "client".to_owned(), other.to_string()),
                };
                let kept = self.dir.join("refused").join(format!("{digest}.json"));
                let entry = RefusedEntry { request, status, code, message };
                let json = serde_json::to_vec_pretty(&entry).map_err(|e| io(&kept, e))?;
                write_durable(&kept, &json)?;
                remove(&pending)?;
                Ok(Delivery::Refused { digest: digest.to_owned(), error })
            }
        }
    }
}

fn io(path: &Path, e: impl std::fmt::Display) -> SpoolError {
    SpoolError::Io { path: path.to_owned(), why: e.to_string() }
}

fn remove(path: &Path) -> Result<(), SpoolError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path, e)),
        _ => Ok(()),
    }
}

/// Temporary file, fsync, rename: a crash leaves either the old state or the new one.
fn write_durable(path: &Path, bytes: &[u8]) -> Result<(), SpoolError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok::<(), std::io::Error>(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| io(path, e))
}
