//! Reading a folder for the "Open a record" dialog: which entries to show and in what
//! order, with sizes and times. No GUI types, so it is tested on its own.

use chrono::{DateTime, Local};
use std::io;
use std::path::{Path, PathBuf};

/// What the viewer opens: bundles, bare journals, and the JSON a platform may hand over.
const RECORD_EXTENSIONS: [&str; 3] = ["handprint", "jsonl", "json"];

/// What a listed entry is. The order is the listing's: parent first, then folders, then files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Parent,
    Folder,
    Record,
}

/// One row of the listing.
#[derive(Clone, Debug)]
pub struct Listing {
    pub name: String,
    pub path: PathBuf,
    pub kind: Kind,
    /// Bytes, for records only (a folder's size would need a walk).
    pub size: Option<u64>,
    pub modified: Option<DateTime<Local>>,
}

/// The entries of `dir` a user can open a record from: `..` (unless `dir` is a root), the
/// sub-folders and the record files, folders first and each group sorted by name. Hidden
/// entries (a leading dot) are left out, as file managers do; a hidden folder can still be
/// typed into the path field.
pub fn list_dir(dir: &Path) -> io::Result<Vec<Listing>> {
    let mut entries = Vec::new();
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        entries.push(Listing {
            name: "..".into(),
            path: parent.to_owned(),
            kind: Kind::Parent,
            size: None,
            modified: None,
        });
    }
    for item in std::fs::read_dir(dir)? {
        // One unreadable entry (a dangling link, a file deleted meanwhile) must not hide
        // the rest of the folder.
        let Ok(item) = item else { continue };
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = item.path();
        // `fs::metadata` follows links, so a link to a folder is browsed like a folder.
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        let kind = if meta.is_dir() {
            Kind::Folder
        } else if is_record(&path) {
            Kind::Record
        } else {
            continue;
        };
        entries.push(Listing {
            name,
            path,
            kind,
            size: (kind == Kind::Record).then_some(meta.len()),
            modified: meta.modified().ok().map(DateTime::from),
        });
    }
    entries.sort_by(|a, b| {
        let by_name = a.name.to_lowercase().cmp(&b.name.to_lowercase());
        a.kind.cmp(&b.kind).then(by_name).then_with(|| a.name.cmp(&b.name))
    });
    Ok(entries)
}

fn is_record(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| RECORD_EXTENSIONS.iter().any(|r| e.eq_ignore_ascii_case(r)))
}

/// A size the way file managers show it: bytes below 1 KiB, then one decimal.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Where browsing starts: the record named in the viewer's path field (shown selected in
/// its folder), else that record's folder, else the recorder's export folder
/// (Documents/Handprint), else home, else the current folder.
pub fn start_at(record_field: &str) -> PathBuf {
    let typed = Path::new(record_field.trim());
    if !typed.as_os_str().is_empty() {
        if typed.exists() {
            return absolute(typed);
        }
        if let Some(parent) = typed.parent().filter(|p| p.is_dir()) {
            return absolute(parent);
        }
    }
    let exports = crate::ui::recorder::default_out_dir();
    if exports.is_dir() {
        return exports;
    }
    if let Some(home) = directories::UserDirs::new().map(|d| d.home_dir().to_owned()) {
        return home;
    }
    absolute(Path::new("."))
}

/// An absolute path without resolving links: `canonicalize` would give `\\?\C:\…` paths
/// on Windows, which read badly in the path field.
pub(super) fn absolute(p: &Path) -> PathBuf {
    let p = if p.as_os_str().is_empty() { Path::new(".") } else { p };
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}
