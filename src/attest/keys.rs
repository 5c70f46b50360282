//! The trainer's Ed25519 signing key: created on first use, kept as PKCS#8 v2 in
//! [`paths::keys_dir`](crate::paths::keys_dir), readable by its owner only, rotated on demand.
//!
//! Layout: `keys/current.pk8` is the key in use; `keys/retired/<time>-<id>.pk8` are earlier
//! keys, kept so the public key of an old attestation can still be exported and pinned.

use super::public_key::PublicKey;
use crate::journal::CheckpointSigner;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// File name of the key in use.
const CURRENT: &str = "current.pk8";
/// Folder of rotated-out keys.
const RETIRED: &str = "retired";

/// Why a key cannot be created, read or used.
#[derive(Debug, Error)]
pub enum KeyError {
    #[error(
        "this system has no home or data directory; set {} to a folder for Handprint's keys",
        crate::paths::HOME_ENV
    )]
    NoKeyDir,
    #[error("cannot access the key file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "the key file {path} can be read by other users (mode {mode:03o}), so it can no longer be trusted to be yours alone; run `chmod 600 {path}` and try again"
    )]
    Exposed { path: PathBuf, mode: u32 },
    #[error(
        "the key file {path} is not an Ed25519 PKCS#8 key (damaged or replaced?): {why}; move it away to create a new key"
    )]
    Malformed { path: PathBuf, why: String },
    #[error("the system's random number generator failed; cannot create a key")]
    Random,
}

/// An Ed25519 key pair that signs checkpoints and attestations. Cheap to clone.
#[derive(Clone)]
pub struct SigningKey {
    pair: Arc<Ed25519KeyPair>,
    public: PublicKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material; the fingerprint names the key.
        f.debug_struct("SigningKey").field("fingerprint", &self.fingerprint()).finish()
    }
}

impl SigningKey {
    /// Generates a fresh key; returns it with its PKCS#8 v2 document.
    pub fn generate() -> Result<(SigningKey, Vec<u8>), KeyError> {
        let doc =
            Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| KeyError::Random)?;
        let key = Self::from_pkcs8(doc.as_ref()).map_err(|_| KeyError::Random)?;
        Ok((key, doc.as_ref().to_vec()))
    }

    /// Reads a PKCS#8 document (v2 as written by ring, or v1 as written by OpenSSL).
    pub fn from_pkcs8(der: &[u8]) -> Result<SigningKey, String> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(|e| e.to_string())?;
        Ok(Self::from_pair(pair))
    }

    /// A key from a 32-byte RFC 8032 seed (for test vectors; real keys come from [`KeyStore`]).
    pub fn from_seed(seed: &[u8; 32]) -> Result<SigningKey, String> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed).map_err(|e| e.to_string())?;
        Ok(Self::from_pair(pair))
    }

    fn from_pair(pair: Ed25519KeyPair) -> SigningKey {
        let mut public = [0u8; 32];
        public.copy_from_slice(pair.public_key().as_ref());
        SigningKey { pair: Arc::new(pair), public: PublicKey(public) }
    }

    /// OpenSSH fingerprint (`SHA256:…`) of the public key.
    pub fn fingerprint(&self) -> String {
        self.public.fingerprint()
    }

    /// The 32 public key bytes.
    pub fn public_key(&self) -> [u8; 32] {
        self.public.0
    }

    /// The public key with its export forms.
    pub fn public(&self) -> PublicKey {
        self.public
    }

    /// Ed25519 signature over `message`.
    pub fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        let mut sig = [0u8; 64];
        sig.copy_from_slice(self.pair.sign(message).as_ref());
        sig
    }
}

impl CheckpointSigner for SigningKey {
    fn fingerprint(&self) -> String {
        SigningKey::fingerprint(self)
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        Ok(self.sign_bytes(message).to_vec())
    }
}

/// The folder holding the current key and the retired ones.
#[derive(Debug, Clone)]
pub struct KeyStore {
    dir: PathBuf,
}

impl KeyStore {
    /// The store in Handprint's data directory (or `$HANDPRINT_HOME/keys`).
    pub fn open_default() -> Result<KeyStore, KeyError> {
        crate::paths::keys_dir().map(KeyStore::at).ok_or(KeyError::NoKeyDir)
    }

    /// A store in `dir` (created on first write).
    pub fn at(dir: impl Into<PathBuf>) -> KeyStore {
        KeyStore { dir: dir.into() }
    }

    /// Path of the key in use.
    pub fn current_path(&self) -> PathBuf {
        self.dir.join(CURRENT)
    }

    /// Whether a current key exists yet.
    pub fn has_key(&self) -> bool {
        self.current_path().exists()
    }

    /// The current key, created (and stored) if there is none yet.
    pub fn load_or_create(&self) -> Result<SigningKey, KeyError> {
        let path = self.current_path();
        if path.exists() {
            return load(&path);
        }
        let (key, doc) = SigningKey::generate()?;
        match write_new(&self.dir, &path, &doc) {
            Ok(()) => Ok(key),
            // Another process created the key at the same moment: use theirs.
            Err(KeyError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists =>
            {
                load(&path)
            }
            Err(e) => Err(e),
        }
    }

    /// Retires the current key (kept under `retired/`) and creates a new one.
    pub fn rotate(&self) -> Result<SigningKey, KeyError> {
        let path = self.current_path();
        if path.exists() {
            let old = load(&path)?;
            let retired = self.dir.join(RETIRED);
            create_private_dir(&retired)?;
            let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
            // The fingerprint has `/` and `+`; hex of the key's first bytes names the file.
            let name = format!("{stamp}-{}.pk8", &old.public().to_hex()[..16]);
            let target = retired.join(name);
            std::fs::rename(&path, &target)
                .map_err(|source| KeyError::Io { path: target, source })?;
            sync_dir(&self.dir);
        }
        self.load_or_create()
    }

    /// Keys rotated out earlier, oldest first, with their paths. Only their public halves
    /// leave the store: a retired key verifies the records it signed (pin it with
    /// `verify --pubkey`), but there is no way to get it back as a signer for a new session.
    pub fn retired(&self) -> Result<Vec<(PathBuf, PublicKey)>, KeyError> {
        let dir = self.dir.join(RETIRED);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(KeyError::Io { path: dir, source }),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pk8"))
            .collect();
        paths.sort();
        paths.into_iter().map(|p| load(&p).map(|k| (p, k.public()))).collect()
    }
}

/// Reads a key file, refusing one that others can read (as OpenSSH refuses such keys).
fn load(path: &Path) -> Result<SigningKey, KeyError> {
    let io = |source| KeyError::Io { path: path.to_owned(), source };
    check_private(path)?;
    let der = std::fs::read(path).map_err(io)?;
    SigningKey::from_pkcs8(&der).map_err(|why| KeyError::Malformed { path: path.to_owned(), why })
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let meta =
        std::fs::metadata(path).map_err(|source| KeyError::Io { path: path.to_owned(), source })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Exposed { path: path.to_owned(), mode });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), KeyError> {
    // Windows keeps per-user data under the user's profile, which ACLs already restrict.
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| KeyError::Io { path: dir.to_owned(), source })
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    std::fs::create_dir_all(dir).map_err(|source| KeyError::Io { path: dir.to_owned(), source })
}

/// Writes `bytes` to `path` atomically and only if `path` does not exist: a temporary file
/// (mode 0600 from its creation, so the key is never readable by others) is written and
/// fsynced, then hard-linked into place, which fails instead of replacing an existing key.
fn write_new(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    create_private_dir(dir)?;
    let tmp = dir.join(format!(".{CURRENT}.{}.tmp", std::process::id()));
    let io = |p: &Path| {
        let p = p.to_owned();
        move |source| KeyError::Io { path: p, source }
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let result = (|| {
        let mut f = opts.open(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        std::fs::hard_link(&tmp, path).map_err(io(path))
    })();
    let _ = std::fs::remove_file(&tmp);
    sync_dir(dir);
    result
}

/// Makes renames and new entries in `dir` durable (Unix); best effort.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_created_once_and_loaded_after() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::at(dir.path().join("keys"));
        let a = store.load_or_create().unwrap();
        let b = store.load_or_create().unwrap();
        assert_eq!(a.public_key(), b.public_key());
    }

    #[cfg(unix)]
    #[test]
    fn key_file_and_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::at(dir.path().join("keys"));
        store.load_or_create().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.current_path()), 0o600);
        assert_eq!(mode(&dir.path().join("keys")), 0o700);
    }

    #[test]
    fn rotation_keeps_the_old_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::at(dir.path());
        let old = store.load_or_create().unwrap();
        let new = store.rotate().unwrap();
        assert_ne!(old.public_key(), new.public_key());
        let retired = store.retired().unwrap();
        assert_eq!(retired.len(), 1);
        assert_eq!(retired[0].1, old.public());
        assert_eq!(store.load_or_create().unwrap().public_key(), new.public_key());
    }

    #[test]
    fn signatures_verify_with_the_public_key() {
        let (key, _) = SigningKey::generate().unwrap();
        let sig = key.sign_bytes(b"hello");
        assert!(super::super::public_key::verify_signature(&key.public(), b"hello", &sig));
        assert!(!super::super::public_key::verify_signature(&key.public(), b"hellO", &sig));
    }
}
