//! Where Handprint keeps its files: sessions and keys under the platform's local data
//! directory (e.g. `~/.local/share/handprint` on Linux), or under `$HANDPRINT_HOME` when set
//! (tests and portable installs use it).

use std::path::PathBuf;

/// Environment variable that overrides the data directory.
pub const HOME_ENV: &str = "HANDPRINT_HOME";

/// The root of Handprint's local data, or `None` when the platform has no home directory.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os(HOME_ENV).filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    directories::ProjectDirs::from("org", "Handprint", "handprint")
        .map(|d| d.data_local_dir().to_owned())
}

/// Folder of session journals (one `<session-id>.jsonl` each, plus autosaved text).
pub fn sessions_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("sessions"))
}

/// Folder of signing keys.
pub fn keys_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("keys"))
}
