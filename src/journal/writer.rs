//! Writing a journal as events happen: one line per event, flushed at once, fsynced at least
//! once a second and at every checkpoint and at the end, recoverable after a crash.

use super::chain::ChainValue;
use super::checkpoint::{CheckpointPolicy, CheckpointSigner, checkpoint_message};
use super::line;
use super::reader::{Journal, JournalError, parse_prefix};
use crate::event::{Checkpoint, Entry, Event, Recovered, SessionEnd, SessionStart, wall_now};
use base64::Engine;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thiserror::Error;

/// How long written events may wait before they are forced to disk.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(1);

/// Why the journal could not be written or reopened.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error(
        "cannot write the journal {path}: {source}. Your text is still in the editor; free disk space or choose another folder, then try again"
    )]
    Io { path: PathBuf, source: io::Error },
    #[error("a journal already exists at {0}; choose another name or resume it")]
    Exists(PathBuf),
    #[error("the journal {path} cannot be resumed: {source}")]
    Damaged { path: PathBuf, source: JournalError },
    #[error("the journal {0} is already finished; it cannot be resumed")]
    Finished(PathBuf),
    #[error("cannot sign the checkpoint: {0}")]
    Signing(String),
}

/// What reopening a journal after a crash found.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// Bytes of a torn last line that were dropped.
    pub dropped_bytes: u64,
    /// The records that survived, including the new `recovered` event.
    pub journal: Journal,
}

/// Appends events to a journal file.
pub struct JournalWriter {
    path: PathBuf,
    file: File,
    /// Length of the file up to the last complete line: on a failed write the file is cut
    /// back to it, so a full disk never leaves a torn line in the middle of the journal.
    len: u64,
    next_seq: u64,
    chain: ChainValue,
    last_t: u64,
    /// Monotonic origin: `t = t_base + origin.elapsed()`. After a recovery `t_base` is the
    /// last recorded time, so time continues instead of restarting at zero.
    origin: Instant,
    t_base: u64,
    dirty: bool,
    last_sync: Instant,
    session: String,
    signer: Option<Box<dyn CheckpointSigner>>,
    policy: CheckpointPolicy,
    since_checkpoint: u64,
    last_checkpoint: Instant,
}

impl JournalWriter {
    /// Creates a new journal at `path` whose first line is `start`. Fails if the file exists.
    pub fn create(path: &Path, start: SessionStart) -> Result<Self, WriteError> {
        let io_err = |source| WriteError::Io { path: path.to_owned(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_err)?;
        }
        let file = match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(WriteError::Exists(path.to_owned()));
            }
            Err(e) => return Err(io_err(e)),
        };
        let session = start.session.clone();
        let mut w = Self::with_file(path, file, 0, 0, ChainValue::genesis(), 0, session);
        w.write_entry(Event::Start(Box::new(start)), 0)?;
        w.sync()?;
        sync_parent_dir(path);
        Ok(w)
    }

    /// Reopens a journal left by a crash or kill: drops a torn last line, re-verifies the
    /// chain, and appends a `recovered` event. The text up to the last synced event is intact.
    pub fn resume(path: &Path) -> Result<(Self, Recovery), WriteError> {
        let io_err = |source| WriteError::Io { path: path.to_owned(), source };
        let bytes = std::fs::read(path).map_err(io_err)?;
        let (journal, _torn) = parse_prefix(&bytes)
            .map_err(|source| WriteError::Damaged { path: path.to_owned(), source })?;
        if journal.is_finished() {
            return Err(WriteError::Finished(path.to_owned()));
        }
        let good_len = journal.len;
        let dropped = bytes.len() as u64 - good_len;
        let file = OpenOptions::new().write(true).open(path).map_err(io_err)?;
        file.set_len(good_len).map_err(io_err)?;
        let last = journal.entries.last().expect("a parsed journal has a start record");
        let session = journal.start().session.clone();
        let mut w =
            Self::with_file(path, file, good_len, last.seq + 1, journal.head, last.t_us, session);
        w.append(Event::Recovered(Recovered { dropped, wall: wall_now() }))?;
        w.sync()?;
        let bytes = std::fs::read(path).map_err(io_err)?;
        let journal = parse_prefix(&bytes)
            .map_err(|source| WriteError::Damaged { path: path.to_owned(), source })?
            .0;
        Ok((w, Recovery { dropped_bytes: dropped, journal }))
    }

    fn with_file(
        path: &Path,
        mut file: File,
        len: u64,
        next_seq: u64,
        chain: ChainValue,
        last_t: u64,
        session: String,
    ) -> Self {
        use std::io::Seek;
        // Appends go at `len`; positioning explicitly (rather than O_APPEND) lets a failed
        // write be cut back with set_len and retried at the same place.
        let _ = file.seek(io::SeekFrom::Start(len));
        JournalWriter {
            path: path.to_owned(),
            file,
            len,
            next_seq,
            chain,
            last_t,
            origin: Instant::now(),
            t_base: last_t,
            dirty: false,
            last_sync: Instant::now(),
            session,
            signer: None,
            policy: CheckpointPolicy::default(),
            since_checkpoint: 0,
            last_checkpoint: Instant::now(),
        }
    }

    /// Signs checkpoints with `signer` from now on, under `policy`.
    pub fn set_signer(&mut self, signer: Box<dyn CheckpointSigner>, policy: CheckpointPolicy) {
        self.signer = Some(signer);
        self.policy = policy;
    }

    /// Microseconds since the session started, on the journal's monotonic clock.
    pub fn now_us(&self) -> u64 {
        self.t_base + self.origin.elapsed().as_micros() as u64
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The chain value after the last written line.
    pub fn head(&self) -> ChainValue {
        self.chain
    }

    /// Sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Appends `event` stamped now. Returns its sequence number.
    pub fn append(&mut self, event: Event) -> Result<u64, WriteError> {
        let t = self.now_us();
        self.append_at(t, event)
    }

    /// Appends `event` stamped `t_us` (e.g. a key event's own, more precise timestamp).
    /// Times are clamped so they never go backwards. A checkpoint is added when due.
    pub fn append_at(&mut self, t_us: u64, event: Event) -> Result<u64, WriteError> {
        let seq = self.write_entry(event, t_us)?;
        self.since_checkpoint += 1;
        if self.signer.is_some()
            && self.policy.due(self.since_checkpoint, self.last_checkpoint.elapsed())
        {
            self.checkpoint()?;
        }
        self.sync_if_due()?;
        Ok(seq)
    }

    /// Appends a checkpoint over the chain so far (signed when a signer is set) and syncs.
    pub fn checkpoint(&mut self) -> Result<u64, WriteError> {
        let seq = self.next_seq;
        let head = self.chain;
        let (sig, key) = match &self.signer {
            Some(s) => {
                let msg = checkpoint_message(&self.session, seq, &head);
                let sig = s.sign(&msg).map_err(WriteError::Signing)?;
                (Some(base64::engine::general_purpose::STANDARD.encode(sig)), Some(s.fingerprint()))
            }
            None => (None, None),
        };
        let t = self.now_us();
        self.write_entry(
            Event::Checkpoint(Box::new(Checkpoint { head: head.hex(), sig, key })),
            t,
        )?;
        self.since_checkpoint = 0;
        self.last_checkpoint = Instant::now();
        self.sync()?;
        Ok(seq)
    }

    /// Ends the session with the final text's digest, adds a final checkpoint when signing,
    /// and syncs. Returns the closed journal's path.
    pub fn finish(mut self, final_text: &str) -> Result<PathBuf, WriteError> {
        let end = SessionEnd {
            sha256: crate::sha256_hex(final_text.as_bytes()),
            chars: final_text.chars().count(),
        };
        let t = self.now_us();
        self.write_entry(Event::End(end), t)?;
        if self.signer.is_some() {
            self.checkpoint()?;
        }
        self.sync()?;
        Ok(self.path)
    }

    /// Forces written events to disk if any are waiting and the last sync was over a second
    /// ago. Call it regularly (e.g. every frame) so idle periods are synced too.
    pub fn sync_if_due(&mut self) -> Result<(), WriteError> {
        if self.dirty && self.last_sync.elapsed() >= SYNC_INTERVAL {
            self.sync()?;
        }
        Ok(())
    }

    /// Forces written events to disk now.
    pub fn sync(&mut self) -> Result<(), WriteError> {
        self.file
            .sync_data()
            .map_err(|source| WriteError::Io { path: self.path.clone(), source })?;
        self.dirty = false;
        self.last_sync = Instant::now();
        Ok(())
    }

    fn write_entry(&mut self, event: Event, t_us: u64) -> Result<u64, WriteError> {
        let t_us = t_us.max(self.last_t);
        let entry = Entry { seq: self.next_seq, t_us, event };
        let (bytes, next) = line::encode(&entry, &self.chain);
        if let Err(source) = self.file.write_all(&bytes) {
            // Cut a partial line back off so the journal stays a valid prefix.
            use std::io::Seek;
            let _ = self.file.set_len(self.len);
            let _ = self.file.seek(io::SeekFrom::Start(self.len));
            return Err(WriteError::Io { path: self.path.clone(), source });
        }
        self.len += bytes.len() as u64;
        self.chain = next;
        self.last_t = t_us;
        self.next_seq += 1;
        self.dirty = true;
        Ok(entry.seq)
    }
}

/// Makes a newly created file's directory entry durable (Unix); best effort elsewhere.
fn sync_parent_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}
