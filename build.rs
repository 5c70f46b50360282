//! Names the commit a binary was built from, for `handprint --version`: a bug report or an
//! auditor's question about a verdict is only answerable if it says exactly which code ran.
//!
//! The commit comes from git when building in a checkout; from `packaging/COMMIT` when
//! building from a `git archive` tarball (git fills that file in through `export-subst`, see
//! `.gitattributes`); otherwise the version says the commit is unknown rather than failing
//! the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let described = match commit() {
        Some((hash, date)) => format!("{version} (commit {hash}, {date})"),
        None => format!("{version} (commit unknown: built outside a git checkout)"),
    };
    println!("cargo:rustc-env=HANDPRINT_VERSION={described}");
    println!("cargo:rerun-if-changed=packaging/COMMIT");
    for watched in git_files_naming_head() {
        println!("cargo:rerun-if-changed={}", watched.display());
    }
}

/// The abbreviated commit hash and its commit date (YYYY-MM-DD).
fn commit() -> Option<(String, String)> {
    from_git().or_else(from_archive)
}

fn from_git() -> Option<(String, String)> {
    let line = git(&["log", "-1", "--format=%h %cs", "--abbrev=12"])?;
    split_hash_date(&line)
}

/// `packaging/COMMIT` holds `$Format:%h %cs$`, which `git archive` replaces by the commit.
fn from_archive() -> Option<(String, String)> {
    let text = std::fs::read_to_string("packaging/COMMIT").ok()?;
    let line = text.lines().find(|l| !l.starts_with('#'))?.trim();
    if line.contains("$Format") {
        return None;
    }
    split_hash_date(line)
}

fn split_hash_date(line: &str) -> Option<(String, String)> {
    let (hash, date) = line.trim().split_once(' ')?;
    let is_hex = !hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit());
    is_hex.then(|| (hash.to_string(), date.trim().to_string()))
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The files that change when HEAD moves: HEAD itself and the branch it points to (in a
/// worktree these live in different git directories, so ask git for each path). Only
/// existing files are watched: cargo reruns the script on every build for a missing one.
fn git_files_naming_head() -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
        files.push(PathBuf::from(head));
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(path) = git(&["rev-parse", "--git-path", &branch])
    {
        files.push(PathBuf::from(path));
    }
    // The reflog of HEAD grows with every commit, checkout and reset, including when the
    // branch's ref is only in packed-refs (a fresh clone) and its loose file does not exist
    // yet to be watched.
    for path in ["packed-refs", "logs/HEAD"] {
        if let Some(found) = git(&["rev-parse", "--git-path", path]) {
            files.push(PathBuf::from(found));
        }
    }
    files.into_iter().filter(|f| Path::new(f).exists()).collect()
}
