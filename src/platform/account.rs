//! The trainer's enrolment with one platform service, kept in `platform.json` in the data
//! directory (owner-only, it holds the API token): where the service is, the trainer's
//! token, and the service key pinned at enrolment.

use super::client::{Client, ClientError};
use super::protocol::{PROTOCOL_VERSION, enrol_request};
use crate::attest::PublicKey;
use crate::attest::SigningKey;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// File name of the stored enrolment.
pub const ACCOUNT_FILE: &str = "platform.json";

/// An enrolment with a platform service.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The service address (`https://…`).
    pub url: String,
    pub trainer: String,
    /// The trainer's API token.
    pub token: String,
    /// Fingerprint of the trainer key enrolled.
    pub key: String,
    /// The service's public key (base64), pinned at enrolment: receipts and challenges must be
    /// signed by it.
    pub service_key: String,
    pub service_fingerprint: String,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("url", &self.url)
            .field("trainer", &self.trainer)
            .field("service_fingerprint", &self.service_fingerprint)
            .finish()
    }
}

/// Why enrolment failed or the stored enrolment cannot be used.
#[derive(Debug, Error)]
pub enum AccountError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(
        "the service at {url} has key {found}, but you expected {expected}: do not enrol with a service you cannot confirm"
    )]
    ServiceKeyMismatch { url: String, found: String, expected: String },
    #[error("the service at {0} speaks a different protocol ({1}); update Handprint")]
    Protocol(String, u32),
    #[error("cannot read or write the enrolment {path}: {why}")]
    Io { path: PathBuf, why: String },
    #[error("not enrolled with a platform yet; run `handprint enrol URL --token TOKEN` first")]
    NotEnrolled,
}

impl Account {
    /// Enrols `key` with the service at `url` using the one-time `enrol_token`, pinning the
    /// service key (and checking it against `expect_fingerprint` when given).
    pub fn enrol(
        url: &str,
        enrol_token: &str,
        key: &SigningKey,
        expect_fingerprint: Option<&str>,
    ) -> Result<Account, AccountError> {
        let client = Client::new(url, None)?;
        let info = client.service_info()?;
        if info.protocol != PROTOCOL_VERSION {
            return Err(AccountError::Protocol(url.into(), info.protocol));
        }
        let service = PublicKey::from_base64(&info.public_key)
            .filter(|k| k.fingerprint() == info.fingerprint);
        let Some(service) = service else {
            return Err(ClientError::BadAnswer(
                "the service key does not match its published fingerprint".into(),
            )
            .into());
        };
        if let Some(want) = expect_fingerprint
            && want.trim() != info.fingerprint
        {
            return Err(AccountError::ServiceKeyMismatch {
                url: url.into(),
                found: info.fingerprint,
                expected: want.trim().into(),
            });
        }
        let enrolled = client.enrol(enrol_token, &enrol_request(key))?;
        Ok(Account {
            url: client.base().to_owned(),
            trainer: enrolled.trainer,
            token: enrolled.api_token,
            key: enrolled.fingerprint,
            service_key: service.to_base64(),
            service_fingerprint: service.fingerprint(),
        })
    }

    /// The pinned service key.
    pub fn service_public_key(&self) -> Option<PublicKey> {
        PublicKey::from_base64(&self.service_key)
    }

    /// A client for the enrolled service, authenticated as the trainer.
    pub fn client(&self) -> Result<Client, ClientError> {
        Client::new(&self.url, Some(self.token.clone()))
    }

    /// The enrolment stored in `data_dir`, if any.
    pub fn load(data_dir: &Path) -> Result<Option<Account>, AccountError> {
        let path = data_dir.join(ACCOUNT_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| AccountError::Io { path, why: e.to_string() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AccountError::Io { path, why: e.to_string() }),
        }
    }

    /// The stored enrolment, or [`AccountError::NotEnrolled`].
    pub fn load_required(data_dir: &Path) -> Result<Account, AccountError> {
        Self::load(data_dir)?.ok_or(AccountError::NotEnrolled)
    }

    /// Stores the enrolment in `data_dir`, readable by its owner only.
    pub fn save(&self, data_dir: &Path) -> Result<PathBuf, AccountError> {
        let path = data_dir.join(ACCOUNT_FILE);
        let io = |e: std::io::Error| AccountError::Io { path: path.clone(), why: e.to_string() };
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| io(std::io::Error::other(e)))?;
        let tmp = path.with_extension("json.tmp");
        write_private(&tmp, &json).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(path)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
