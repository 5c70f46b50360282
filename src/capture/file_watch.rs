//! Watching the trainer's own file: each settled change of its content, its deletion and
//! its return, read on a thread of its own and passed to the session as [`FileNotice`]s.
//!
//! The folder is watched, not just the file: editors save in different ways. vim (with its
//! default `writebackup`) renames the file away and writes a new one under the name; others
//! write a temporary file and rename it over; VS Code and `echo >` truncate and rewrite in
//! place; some delete and recreate. A watch on the file itself would end with the first
//! rename. Every filesystem event that names the file starts a *settling* wait: the file is
//! read once no event has named it for [`SETTLE`] (or [`MAX_WAIT`] after the first event, so
//! an editor saving continuously is still read), which turns the intermediate states of one
//! save (renamed away, empty, half written) into nothing and a burst of saves into one read.
//! A slow poll of the file's size and time ([`POLL`]) catches what the watch misses (network
//! file systems, a watch limit reached).

use notify::Watcher;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

/// Quiet time after the last filesystem event before the file is read. vim's rename-and-write
/// and an in-place rewrite take a few ms; 150 ms also coalesces editors that save twice in a
/// row (content, then metadata), and is short against the seconds analysis looks at.
pub const SETTLE: Duration = Duration::from_millis(150);
/// Longest wait from the first event of a burst to the read, for editors saving without pause.
pub const MAX_WAIT: Duration = Duration::from_secs(1);
/// How often the file's size and modification time are checked without an event.
pub const POLL: Duration = Duration::from_secs(2);

/// What the watcher saw, with when the file was last written (its last filesystem event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileNotice {
    /// The file's content, changed since the last notice.
    Content { text: String, at: Instant },
    /// The file is gone.
    Gone { at: Instant },
    /// The file cannot be read as text; why, in plain words.
    Unreadable { why: String, at: Instant },
}

/// The running watch: notices arrive on [`FileWatch::drain`].
pub struct FileWatch {
    rx: Receiver<FileNotice>,
    /// Kept alive: dropping it ends the watch (and the thread, whose channel then closes).
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for FileWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileWatch").finish_non_exhaustive()
    }
}

/// Why a file cannot be watched.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{0} is not in an existing folder; create the folder first, or choose a file in one")]
    NoFolder(PathBuf),
    #[error("cannot create {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("cannot watch the folder {dir} for changes: {source}")]
    Watch { dir: PathBuf, source: notify::Error },
    #[error("cannot read {path}: {why}")]
    Read { path: PathBuf, why: String },
}

/// Checks that `path` can be watched: a file (existing or not) in an existing folder.
pub fn check_watchable(path: &Path) -> Result<(), WatchError> {
    let in_folder = match path.parent() {
        Some(d) if d.as_os_str().is_empty() => true,
        Some(d) => d.is_dir(),
        None => false,
    };
    if !in_folder || path.is_dir() {
        return Err(WatchError::NoFolder(path.to_owned()));
    }
    Ok(())
}

/// Reads `path` as the session's text: UTF-8, exactly as stored.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "it is not UTF-8 text (invalid byte at offset {}); save it as plain UTF-8 text",
            e.utf8_error().valid_up_to()
        )
    })
}

impl FileWatch {
    /// Starts watching `path`, whose content is `known` now (the text the session starts
    /// from). `wake` is called after each notice so the UI writes it promptly.
    pub fn start(
        path: &Path,
        known: String,
        wake: impl Fn() + Send + 'static,
    ) -> Result<Self, WatchError> {
        let name = path.file_name().ok_or_else(|| WatchError::NoFolder(path.to_owned()))?;
        let dir = match path.parent() {
            Some(d) if d.as_os_str().is_empty() => PathBuf::from("."),
            Some(d) => d.to_owned(),
            None => return Err(WatchError::NoFolder(path.to_owned())),
        };
        let target = dir.join(name);
        let (fs_tx, fs_rx) = mpsc::channel::<Instant>();
        let watched = target.clone();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            // Only events that name the file: the folder also sees swap and backup files.
            if let Ok(ev) = res
                && ev.paths.iter().any(|p| p.file_name() == watched.file_name())
            {
                let _ = fs_tx.send(Instant::now());
            }
        })
        .map_err(|source| WatchError::Watch { dir: dir.clone(), source })?;
        watcher
            .watch(&dir, notify::RecursiveMode::NonRecursive)
            .map_err(|source| WatchError::Watch { dir: dir.clone(), source })?;
        let (tx, rx) = mpsc::channel();
        let state = Seen { last: Some(Ok(known)), stamp: stamp(&target) };
        std::thread::Builder::new()
            .name("handprint-file-watch".into())
            .spawn(move || {
                settle_loop(&target, &fs_rx, state, |n| {
                    let sent = tx.send(n).is_ok();
                    wake();
                    sent
                });
            })
            .map_err(|e| WatchError::Read { path: path.to_owned(), why: e.to_string() })?;
        Ok(FileWatch { rx, _watcher: watcher })
    }

    /// Notices received since the last call, oldest first.
    pub fn drain(&self) -> Vec<FileNotice> {
        self.rx.try_iter().collect()
    }
}

/// The file as last reported: its text (or why it could not be read; `None` when gone),
/// and its size and modification time for the poll.
struct Seen {
    last: Option<Result<String, String>>,
    stamp: Option<(u64, SystemTime)>,
}

fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// Waits for bursts of events, reads the file once each has settled, and sends what changed.
/// Ends when the watcher is dropped (its channel closes) or the session stops listening.
fn settle_loop(
    path: &Path,
    events: &Receiver<Instant>,
    mut seen: Seen,
    mut send: impl FnMut(FileNotice) -> bool,
) {
    loop {
        let first = match events.recv_timeout(POLL) {
            Ok(t) => t,
            Err(RecvTimeoutError::Timeout) => {
                if stamp(path) == seen.stamp {
                    continue;
                }
                Instant::now()
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut last = first;
        loop {
            let left = SETTLE.min(MAX_WAIT.saturating_sub(first.elapsed()));
            match events.recv_timeout(left) {
                Ok(t) => last = t,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        seen.stamp = stamp(path);
        let now = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            _ => Some(read_text(path)),
        };
        if now == seen.last {
            continue;
        }
        let notice = match &now {
            None => FileNotice::Gone { at: last },
            Some(Ok(text)) => FileNotice::Content { text: text.clone(), at: last },
            Some(Err(why)) => FileNotice::Unreadable { why: why.clone(), at: last },
        };
        seen.last = now;
        if !send(notice) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects notices until `want` of them arrived or 5 s passed.
    fn collect(w: &FileWatch, want: usize) -> Vec<FileNotice> {
        let mut out = Vec::new();
        let until = Instant::now() + Duration::from_secs(5);
        while out.len() < want && Instant::now() < until {
            out.extend(w.drain());
            std::thread::sleep(Duration::from_millis(20));
        }
        out
    }

    fn texts(ns: &[FileNotice]) -> Vec<Option<&str>> {
        ns.iter()
            .map(|n| match n {
                FileNotice::Content { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_save_by_rename_is_one_change_not_a_deletion() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("essay.txt");
        std::fs::write(&path, "one").unwrap();
        let w = FileWatch::start(&path, "one".into(), || {}).unwrap();
        // vim's default: the old file renamed to a backup, a new one written under the name.
        std::fs::rename(&path, dir.path().join("essay.txt~")).unwrap();
        std::fs::write(&path, "one two").unwrap();
        std::fs::remove_file(dir.path().join("essay.txt~")).unwrap();
        assert_eq!(texts(&collect(&w, 1)), [Some("one two")]);
        std::thread::sleep(SETTLE * 3);
        assert!(w.drain().is_empty(), "one save, one notice");
    }

    #[test]
    fn rapid_saves_are_read_once_they_settle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.md");
        std::fs::write(&path, "").unwrap();
        let w = FileWatch::start(&path, String::new(), || {}).unwrap();
        for i in 0..20 {
            std::fs::write(&path, "x".repeat(i + 1)).unwrap();
            std::thread::sleep(Duration::from_millis(5));
        }
        let got = collect(&w, 1);
        std::thread::sleep(SETTLE * 3);
        let later = w.drain();
        let mut all = texts(&got);
        all.extend(texts(&later));
        assert_eq!(all.last().copied().flatten(), Some("x".repeat(20).as_str()));
        assert!(all.len() <= 2, "20 saves in 100 ms coalesce: {all:?}");
    }

    #[test]
    fn a_deleted_file_is_gone_and_its_return_is_new_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "hello").unwrap();
        let w = FileWatch::start(&path, "hello".into(), || {}).unwrap();
        std::fs::remove_file(&path).unwrap();
        let gone = collect(&w, 1);
        assert!(matches!(gone[..], [FileNotice::Gone { .. }]), "{gone:?}");
        std::fs::write(&path, "hello again").unwrap();
        assert_eq!(texts(&collect(&w, 1)), [Some("hello again")]);
    }

    #[test]
    fn a_file_that_is_not_text_is_unreadable_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.txt");
        std::fs::write(&path, "ok").unwrap();
        let w = FileWatch::start(&path, "ok".into(), || {}).unwrap();
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        let n = collect(&w, 1);
        assert!(
            matches!(&n[..], [FileNotice::Unreadable { why, .. }] if why.contains("UTF-8")),
            "{n:?}"
        );
    }
}
