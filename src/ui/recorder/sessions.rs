//! The sessions on this machine, for the start screen's "recent" list and "Resume".

use crate::event::{Entry, Event};
use crate::journal::split_line;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How many recent sessions the start screen lists.
pub const RECENT: usize = 12;
/// The tail read to tell whether a session was finished: the `end` line and a final
/// checkpoint are each well under 1 KiB.
const TAIL_BYTES: u64 = 4096;

/// One session journal found in the sessions folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub path: PathBuf,
    pub task: String,
    /// Start time as written in the journal (RFC 3339 UTC).
    pub started: String,
    pub finished: bool,
    pub modified: SystemTime,
}

/// The most recently changed sessions in `dir`, newest first. Unreadable files are skipped.
pub fn recent_sessions(dir: &Path) -> Vec<SessionInfo> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<SessionInfo> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "jsonl")
                && !p.file_stem().is_some_and(|s| s.to_string_lossy().contains('.'))
        })
        .filter_map(|p| read_info(&p))
        .collect();
    found.sort_by_key(|s| std::cmp::Reverse(s.modified));
    found.truncate(RECENT);
    found
}

fn read_info(path: &Path) -> Option<SessionInfo> {
    let mut file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    let mut head = Vec::new();
    (&mut file).take(64 * 1024).read_to_end(&mut head).ok()?;
    let first = head.split(|b| *b == b'\n').next()?;
    let (body, _) = split_line(first)?;
    let mut json = body.to_vec();
    json.push(b'}');
    let entry: Entry = serde_json::from_slice(&json).ok()?;
    let Event::Start(start) = entry.event else {
        return None;
    };
    let len = meta.len();
    file.seek(SeekFrom::Start(len.saturating_sub(TAIL_BYTES))).ok()?;
    let mut tail = String::new();
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    tail.push_str(&String::from_utf8_lossy(&bytes));
    Some(SessionInfo {
        path: path.to_owned(),
        task: start.task,
        started: start.wall,
        finished: tail.contains("\"e\":\"end\""),
        modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    })
}
