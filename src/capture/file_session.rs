//! A session written in the trainer's own editor: a [`Recording`] fed by the watched file
//! ([`super::file_watch`]) and the focused application ([`super::focus_app`]) instead of
//! Handprint's editor.
//!
//! The journal stays what replay needs: the file's content when watching starts (after a
//! `file` `opened` note), then each settled change as the exact edits from the last content
//! read ([`super::file_diff`]), cause `file`. Keys are recorded by identity only while the
//! editor has focus; `app` says which application had it. A change made while recording is
//! paused is written when it resumes — the text must replay exactly, and a change nobody saw
//! being typed is what analysis looks for (`unexplained_insertion`).

use super::file_diff::file_edits;
use super::file_watch::{FileNotice, FileWatch, WatchError, check_watchable, read_text};
use super::focus_app::{AppNote, FocusApps};
use super::os_keys::OsKeys;
use super::recording::{FinishFailed, RecordError, Recording};
use crate::attest::SigningKey;
use crate::event::{AppFocus, Event, FileChange, FileNote};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Why a watch session cannot start.
#[derive(Debug, thiserror::Error)]
pub enum FileSessionError {
    #[error(transparent)]
    Watch(#[from] WatchError),
    #[error(transparent)]
    Record(#[from] RecordError),
}

/// A session recording the trainer's own editor.
#[derive(Debug)]
pub struct FileSession {
    pub rec: Recording,
    file: PathBuf,
    watch: Option<FileWatch>,
    apps: FocusApps,
    /// The file is gone (its last `file` note is `deleted`).
    gone: bool,
    /// Changes of the file written so far.
    saves: usize,
    /// The application focused now, and whether it is written to the journal yet.
    app: Option<AppNote>,
    app_written: bool,
    /// File notices that arrived while paused, applied on resume.
    held: Vec<FileNotice>,
}

impl FileSession {
    /// Reads `file` (creating it empty when it does not exist), starts the session with
    /// `begin`, records the content as `opened`, and starts watching. `wake` asks the UI for
    /// a frame when the file changes.
    pub fn start(
        file: &Path,
        apps: FocusApps,
        wake: impl Fn() + Send + 'static,
        begin: impl FnOnce() -> Result<Recording, RecordError>,
    ) -> Result<Self, FileSessionError> {
        check_watchable(file)?;
        if !file.exists() {
            std::fs::write(file, "")
                .map_err(|source| WatchError::Create { path: file.to_owned(), source })?;
        }
        let text =
            read_text(file).map_err(|why| WatchError::Read { path: file.to_owned(), why })?;
        let watch = FileWatch::start(file, text.clone(), wake)?;
        let mut rec = begin()?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let opened = Event::File(FileNote { what: FileChange::Opened, why: name });
        rec.external_opened(opened, file_edits("", &text), text);
        remember_file(&rec, file);
        Ok(Self::with(rec, file, watch, apps))
    }

    /// Reopens an interrupted watch session: `rec` is the resumed recording (its text
    /// replayed from the journal). What the file became while Handprint was not running is
    /// recorded now, as one save (or as `deleted`): it was not seen being written.
    pub fn resume(
        rec: Recording,
        file: &Path,
        apps: FocusApps,
        wake: impl Fn() + Send + 'static,
    ) -> Result<Self, FileSessionError> {
        let watch = FileWatch::start(file, rec.text.clone(), wake)?;
        let mut session = Self::with(rec, file, watch, apps);
        let now = Instant::now();
        match read_text(&session.file) {
            Ok(text) => session.content(text, now),
            Err(_) if !session.file.exists() => session.apply(FileNotice::Gone { at: now }),
            Err(why) => session.apply(FileNotice::Unreadable { why, at: now }),
        }
        Ok(session)
    }

    /// The watched file a session journal belongs to, when it is a watch session (kept
    /// beside the journal, as the prompt is, so an interrupted session resumes watching).
    pub fn watched_file(journal: &Path) -> Option<PathBuf> {
        let path = std::fs::read_to_string(journal.with_extension("watched")).ok()?;
        Some(PathBuf::from(path.trim_end_matches('\n')))
    }

    fn with(rec: Recording, file: &Path, watch: FileWatch, apps: FocusApps) -> Self {
        FileSession {
            rec,
            file: file.to_owned(),
            watch: Some(watch),
            apps,
            gone: false,
            saves: 0,
            app: None,
            app_written: false,
            held: Vec::new(),
        }
    }

    /// The watched file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The editor's name, once the trainer has focused it.
    pub fn editor(&self) -> Option<String> {
        self.apps.editor()
    }

    /// The application focused now.
    pub fn focused_app(&self) -> Option<&AppNote> {
        self.app.as_ref()
    }

    /// Why the focused application cannot be followed here (keys are then not recorded).
    pub fn focus_unavailable(&self) -> Option<&str> {
        self.apps.unavailable.as_deref()
    }

    /// Changes of the file recorded so far.
    pub fn saves(&self) -> usize {
        self.saves
    }

    /// Whether the file is gone.
    pub fn file_gone(&self) -> bool {
        self.gone
    }

    /// The next application focused becomes the editor.
    pub fn change_editor(&self) {
        self.apps.change_editor();
    }

    /// Call every frame: writes the keys, focus changes and file changes that arrived.
    pub fn tick(&mut self, os_keys: &OsKeys) {
        self.rec.external_frame(os_keys);
        for note in self.apps.drain() {
            self.focus(note);
        }
        let notices = self.watch.as_ref().map(FileWatch::drain).unwrap_or_default();
        self.held.extend(notices);
        if self.rec.is_paused() {
            return;
        }
        if !self.app_written
            && let Some(note) = self.app.clone()
        {
            self.write_app(&note, Instant::now());
        }
        for n in std::mem::take(&mut self.held) {
            self.apply(n);
        }
    }

    /// Takes a focus change (from the watcher, or a test).
    pub fn focus(&mut self, note: AppNote) {
        self.app = Some(note.clone());
        self.app_written = false;
        if !self.rec.is_paused() {
            self.write_app(&note, note.at);
        }
    }

    fn write_app(&mut self, note: &AppNote, at: Instant) {
        self.rec.external_focus(AppFocus { name: note.name.clone(), editor: note.editor }, at);
        self.app_written = true;
    }

    /// Takes what the watcher saw of the file (from the watcher, or a test).
    pub fn apply(&mut self, notice: FileNotice) {
        match notice {
            FileNotice::Content { text, at } => self.content(text, at),
            FileNotice::Gone { at } => {
                if !std::mem::replace(&mut self.gone, true) {
                    self.note(FileChange::Deleted, String::new(), at);
                }
            }
            FileNotice::Unreadable { why, at } => self.note(FileChange::Unreadable, why, at),
        }
    }

    fn content(&mut self, text: String, at: Instant) {
        if std::mem::replace(&mut self.gone, false) {
            self.note(FileChange::Recreated, String::new(), at);
        }
        let edits = file_edits(&self.rec.text, &text);
        if !edits.is_empty() {
            self.saves += 1;
            self.rec.external_edits(edits, text, at);
        }
    }

    fn note(&mut self, what: FileChange, why: String, at: Instant) {
        self.rec.external_note(Event::File(FileNote { what, why }), at);
    }

    /// Ends the session: the file is read one last time (a save just before Finish may not
    /// have settled yet), then the recording finishes as in the editor flow.
    pub fn finish(
        mut self,
        signer: Option<&SigningKey>,
    ) -> Result<(PathBuf, String), Box<FinishFailed>> {
        self.watch = None;
        if self.rec.is_paused() {
            self.rec.resume_recording();
        }
        for n in std::mem::take(&mut self.held) {
            self.apply(n);
        }
        if let Ok(text) = read_text(&self.file) {
            self.content(text, Instant::now());
        }
        self.rec.finish(signer)
    }
}

/// Keeps the watched file's path beside the journal (see [`FileSession::watched_file`]).
/// Best effort: without it an interrupted session resumes in Handprint's editor.
fn remember_file(rec: &Recording, file: &Path) {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let _ = std::fs::write(
        rec.journal_path().with_extension("watched"),
        file.to_string_lossy().as_bytes(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn session(dir: &Path, file: &Path) -> FileSession {
        let sessions = dir.join("sessions");
        let begin = || Recording::start(&sessions, "T", None, None, &["file-watch"], None);
        FileSession::start(file, FocusApps::disabled("test"), || {}, begin).unwrap()
    }

    fn replayed(journal: &Path) -> String {
        let j = crate::journal::parse(&std::fs::read(journal).unwrap()).unwrap();
        crate::replay::Replay::build(j.entries).unwrap().final_state().text()
    }

    #[test]
    fn saves_of_a_large_file_stay_cheap_and_replay_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.txt");
        let mut text: String = (0..40_000).map(|i| format!("line {i} of a long file\n")).collect();
        std::fs::write(&file, &text).unwrap();
        let mut s = session(dir.path(), &file);
        let t = Instant::now();
        for n in 0..50 {
            // An edit in the middle and one at the end, as one save.
            text.insert_str(text.len() / 2, &format!("inserted {n} "));
            text.push_str("tail\n");
            s.apply(FileNotice::Content { text: text.clone(), at: Instant::now() });
        }
        assert!(t.elapsed() < Duration::from_secs(10), "50 saves of 1 MB took {:?}", t.elapsed());
        assert_eq!(s.saves(), 50);
        let journal = s.rec.journal_path().to_owned();
        std::fs::write(&file, &text).unwrap();
        let (_, finished) = s.finish(None).unwrap();
        assert_eq!(finished, text);
        assert_eq!(replayed(&journal), finished);
    }

    #[test]
    fn a_deleted_file_is_noted_once_and_its_return_is_diffed_against_the_last_content() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "kept\n").unwrap();
        let mut s = session(dir.path(), &file);
        let at = Instant::now();
        s.apply(FileNotice::Gone { at });
        s.apply(FileNotice::Gone { at });
        assert!(s.file_gone());
        s.apply(FileNotice::Content { text: "kept\nand more\n".into(), at });
        let journal = s.rec.journal_path().to_owned();
        std::fs::write(&file, "kept\nand more\n").unwrap();
        s.finish(None).unwrap();
        let j = crate::journal::parse(&std::fs::read(&journal).unwrap()).unwrap();
        let notes: Vec<FileChange> = j
            .entries
            .iter()
            .filter_map(|r| match &r.event {
                Event::File(n) => Some(n.what),
                _ => None,
            })
            .collect();
        assert_eq!(notes, [FileChange::Opened, FileChange::Deleted, FileChange::Recreated]);
        let inserted: Vec<&str> = j
            .entries
            .iter()
            .filter_map(|r| match &r.event {
                Event::Edit(e) => Some(e.i.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(inserted, ["kept\n", "and more\n"], "the return is diffed, not re-inserted");
    }
}
