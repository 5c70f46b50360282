//! The recorder app's "Write in my own editor" flow: starting a [`FileSession`] (from the
//! start screen or `handprint watch`), and the small always-on-top window it shows in.

use super::{RecorderApp, Screen};
use crate::capture::{
    FileSession, FileSessionError, FocusApps, OsKeysStatus, SOURCE_FILE_WATCH, SOURCE_OS_KEYS,
};
use crate::platform::protocol::ChallengeOffer;
use crate::ui::recorder::{WATCH_WINDOW_SIZE, WatchView};
use std::path::Path;

/// The recorder window's size and smallest size outside the watch window (as `ui::run`
/// opens it).
const FULL_SIZE: [f32; 2] = [1100.0, 720.0];
const FULL_MIN_SIZE: [f32; 2] = [640.0, 420.0];

impl RecorderApp {
    /// Opens directly on the watch window for `file`, written in the trainer's own editor.
    pub fn watching(
        opts: super::AppOptions,
        file: &Path,
        task: &str,
        nonce: Option<&str>,
    ) -> Result<Self, FileSessionError> {
        let mut app = Self::new(opts);
        let session = app.start_watching(file, task, nonce, None)?;
        app.screen = Screen::Watching(Box::new(session), WatchView);
        Ok(app)
    }

    /// Opens on the interrupted watch session of `file` for `task` (the most recent
    /// unfinished one), resumed after its crash with what the file became meanwhile; or on
    /// the watch window for `file` in a new session when there is none.
    pub fn resuming_or_watching(
        opts: super::AppOptions,
        file: &Path,
        task: &str,
        nonce: Option<&str>,
    ) -> Result<Self, FileSessionError> {
        let wanted = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
        let watches_file =
            |journal: &Path| FileSession::watched_file(journal) == Some(wanted.clone());
        let Some(journal) = super::interrupted_session(&opts.sessions_dir, task, watches_file)
        else {
            return Self::watching(opts, file, task, nonce);
        };
        let mut app = Self::new(opts);
        app.screen = app.resumed(&journal)?;
        Ok(app)
    }

    /// Opens directly on the watch window for `file`, answering the platform challenge
    /// `offer` (witnessed live by the enrolled service, as in the editor flow).
    pub fn watching_challenge(
        opts: super::AppOptions,
        offer: ChallengeOffer,
        file: &Path,
    ) -> Result<Self, FileSessionError> {
        let mut app = Self::new(opts);
        app.offer = Some(offer);
        let session = app.start_watching_challenge(file)?;
        app.screen = Screen::Watching(Box::new(session), WatchView);
        Ok(app)
    }

    /// The watch session, if the watch window is showing.
    pub fn current_file_session(&mut self) -> Option<&mut FileSession> {
        match &mut self.screen {
            Screen::Watching(s, _) => Some(s),
            _ => None,
        }
    }

    pub(super) fn start_watching(
        &self,
        file: &Path,
        task: &str,
        nonce: Option<&str>,
        prompt: Option<&str>,
    ) -> Result<FileSession, FileSessionError> {
        let sources = self.watch_sources();
        let (dir, key) = (&self.opts.sessions_dir, self.key.as_ref().ok());
        FileSession::start(file, self.focus_apps(), self.waker(), || {
            crate::capture::Recording::start(dir, task, nonce, prompt, &sources, key)
        })
    }

    pub(super) fn start_watching_challenge(
        &self,
        file: &Path,
    ) -> Result<FileSession, FileSessionError> {
        let Some(offer) = &self.offer else {
            return Err(crate::capture::RecordError::NoSessionsDir.into());
        };
        let sources = self.watch_sources();
        let (dir, key) = (&self.opts.sessions_dir, self.key.as_ref().ok());
        let mut session = FileSession::start(file, self.focus_apps(), self.waker(), || {
            crate::capture::Recording::start_for_challenge(dir, offer, &sources, key)
        })?;
        self.attach_witness(&mut session.rec);
        Ok(session)
    }

    /// Resumes watching `file` for the interrupted session `rec`.
    pub(super) fn resume_watching(
        &self,
        rec: crate::capture::Recording,
        file: &Path,
    ) -> Result<FileSession, FileSessionError> {
        FileSession::resume(rec, file, self.focus_apps(), self.waker())
    }

    /// The watch window, or the start screen saying why watching could not start.
    pub(super) fn watching_or_start(
        &self,
        started: Result<FileSession, FileSessionError>,
    ) -> Screen {
        match started {
            Ok(s) => Screen::Watching(Box::new(s), WatchView),
            Err(e) => Screen::Start(self.start_view(Some(e.to_string()))),
        }
    }

    fn watch_sources(&self) -> Vec<&'static str> {
        let mut sources = vec![SOURCE_FILE_WATCH];
        if self.os_keys.is_active() {
            sources.push(SOURCE_OS_KEYS);
        }
        sources
    }

    /// Follows the focused application where the key hook runs; where it does not (Wayland,
    /// UI tests) no key can be recorded anyway, and the window says why.
    fn focus_apps(&self) -> FocusApps {
        match &self.os_keys.status {
            OsKeysStatus::Active => FocusApps::start(self.os_keys.gate.clone()),
            OsKeysStatus::Unavailable(why) => FocusApps::disabled(why),
        }
    }

    /// Asks the UI for a frame (through the hook's gate, which knows the UI's context).
    fn waker(&self) -> impl Fn() + Send + 'static {
        let gate = self.os_keys.gate.clone();
        move || gate.wake()
    }

    /// Shrinks the window to the watch window (small, always on top, so it stays visible
    /// beside the editor) while watching, and restores it afterwards. Also sent on the
    /// first frame of `handprint watch`: the window level given at creation is not applied
    /// by every window manager (openbox ignores it), the command is.
    pub(super) fn update_window_size(&mut self, ctx: &egui::Context) {
        let compact = matches!(self.screen, Screen::Watching(..));
        if compact == self.compact {
            return;
        }
        self.compact = compact;
        let (size, min, level) = if compact {
            (WATCH_WINDOW_SIZE, WATCH_WINDOW_SIZE, egui::WindowLevel::AlwaysOnTop)
        } else {
            (FULL_SIZE, FULL_MIN_SIZE, egui::WindowLevel::Normal)
        };
        ctx.send_viewport_cmd(egui::ViewportCommand::MinInnerSize(min.into()));
        ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(size.into()));
        ctx.send_viewport_cmd(egui::ViewportCommand::WindowLevel(level));
    }
}
