//! The eframe app shell: which screen is showing, and what each screen's actions do.

use crate::attest::{KeyStore, SigningKey};
use crate::capture::{FileSession, OsKeys, Recording, SOURCE_EDITOR, SOURCE_OS_KEYS};
use crate::platform::account::Account;
use crate::platform::protocol::ChallengeOffer;
use crate::platform::witness::Witness;
use crate::ui::recorder::{ChallengeShown, platform};
use crate::ui::recorder::{
    FinishedAction, FinishedView, Settings, StartAction, StartView, WatchAction, WatchView,
    WritingAction, WritingView, default_out_dir, export, recent_sessions,
};
use std::path::{Path, PathBuf};

/// How the app was opened.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Where session journals are kept.
    pub sessions_dir: PathBuf,
    /// The trainer's key store (created with a new key on first use).
    pub keys_dir: PathBuf,
    /// Where finished records are exported; the default export folder when `None`.
    pub out_dir: Option<PathBuf>,
    /// Start the system-wide key hook (off in UI tests: it would listen to the real desktop).
    pub os_keys: bool,
    /// Closing the window finishes and exports the session without asking (scripted mode).
    /// Otherwise closing leaves the session on disk, offered for resuming at the next start.
    pub finish_on_close: bool,
    /// Where the platform enrolment and the submission spool are kept; `None` turns the
    /// platform features off (the app works the same without them).
    pub platform_dir: Option<PathBuf>,
}

enum Screen {
    Start(StartView),
    Writing(Box<Recording>, WritingView),
    /// The small watch window while the trainer writes in their own editor.
    Watching(Box<FileSession>, WatchView),
    Finished(FinishedView),
    /// The auditor's viewer, opened from the start screen. Nothing is recorded here.
    Audit(Box<crate::ui::viewer::Viewer>),
}

/// The recorder app: the screens and the capture back-ends they share.
pub struct RecorderApp {
    screen: Screen,
    settings: Settings,
    os_keys: OsKeys,
    opts: AppOptions,
    title: String,
    theme_dark: Option<bool>,
    /// The signing key, or why there is none (sessions are then recorded unsigned).
    key: Result<SigningKey, String>,
    /// Where finished records are exported: `--out`, the default folder, or what the trainer
    /// typed on the start screen.
    out_dir: PathBuf,
    /// The platform enrolment, when the app is enrolled.
    account: Option<Account>,
    /// The challenge opened on the start screen.
    offer: Option<ChallengeOffer>,
    /// Whether the window is the small always-on-top watch window (last size asked for).
    compact: bool,
}

impl RecorderApp {
    /// Opens on the start screen.
    pub fn new(opts: AppOptions) -> Self {
        let opts_keys = opts.keys_dir.clone();
        let out_dir = opts.out_dir.clone().unwrap_or_else(default_out_dir);
        let os_keys = if opts.os_keys {
            OsKeys::start()
        } else {
            OsKeys::disabled("turned off for this run")
        };
        let mut app = RecorderApp {
            screen: Screen::Start(StartView::default()),
            settings: Settings::default(),
            os_keys,
            opts,
            title: String::new(),
            theme_dark: None,
            key: KeyStore::at(&opts_keys).load_or_create().map_err(|e| e.to_string()),
            out_dir,
            account: None,
            offer: None,
            compact: false,
        };
        if let Some(dir) = app.opts.platform_dir.clone() {
            app.account = Account::load(&dir).ok().flatten();
            if let Some(account) = app.account.clone() {
                platform::deliver_pending_in_background(account, dir);
            }
        }
        app.screen = Screen::Start(app.start_view(None));
        app
    }

    /// Opens directly on a new session for `task`.
    pub fn recording(
        opts: AppOptions,
        task: &str,
        nonce: Option<&str>,
        prompt: Option<&str>,
    ) -> Result<Self, crate::capture::RecordError> {
        let mut app = Self::new(opts);
        let rec = app.new_recording(task, nonce, prompt)?;
        app.screen = Screen::Writing(Box::new(rec), WritingView::default());
        Ok(app)
    }

    /// Opens directly on a new session answering the platform challenge `offer`, witnessed
    /// live by the enrolled service.
    pub fn recording_challenge(
        opts: AppOptions,
        offer: ChallengeOffer,
    ) -> Result<Self, crate::capture::RecordError> {
        let mut app = Self::new(opts);
        app.offer = Some(offer);
        let rec = app.new_challenge_recording()?;
        app.screen = Screen::Writing(Box::new(rec), WritingView::default());
        Ok(app)
    }

    /// Opens on the interrupted session for `task` (the most recent unfinished one under the
    /// sessions folder), resumed after its crash; or on a new session when there is none. A
    /// session written in the trainer's own editor resumes watching its file.
    pub fn resuming_or_recording(
        opts: AppOptions,
        task: &str,
        nonce: Option<&str>,
    ) -> Result<Self, crate::capture::RecordError> {
        let Some(journal) = interrupted_session(&opts.sessions_dir, task, |_| true) else {
            return Self::recording(opts, task, nonce, None);
        };
        let mut app = Self::new(opts);
        app.screen = app.resumed(&journal)?;
        Ok(app)
    }

    /// The interrupted session whose journal is `journal`, resumed: in the watch window
    /// when it was written in the trainer's own editor, in the editor otherwise.
    fn resumed(&self, journal: &Path) -> Result<Screen, crate::capture::RecordError> {
        let mut rec = Recording::resume(journal, self.key.as_ref().ok())?;
        self.attach_witness(&mut rec);
        Ok(match FileSession::watched_file(journal) {
            Some(file) => self.watching_or_start(self.resume_watching(rec, &file)),
            None => Screen::Writing(Box::new(rec), WritingView::default()),
        })
    }

    /// The session being recorded, if the writing screen is showing.
    pub fn current_recording(&self) -> Option<&Recording> {
        match &self.screen {
            Screen::Writing(r, _) => Some(r),
            _ => None,
        }
    }

    /// The finished session, if the finished screen is showing.
    pub fn finished(&self) -> Option<&FinishedView> {
        match &self.screen {
            Screen::Finished(f) => Some(f),
            _ => None,
        }
    }

    /// Draws the current screen and acts on what the trainer did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.apply_settings(ui.ctx());
        let close = ui.ctx().input(|i| i.viewport().close_requested());
        match &mut self.screen {
            Screen::Start(view) => {
                let action = egui::CentralPanel::default_margins()
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical()
                            .show(ui, |ui| centered_column(ui, |ui| view.ui(ui)))
                            .inner
                    })
                    .inner;
                if let Some(a) = action {
                    let dir = view.out_dir.trim();
                    if !dir.is_empty() {
                        self.out_dir = PathBuf::from(dir);
                    }
                    self.on_start(a);
                }
            }
            Screen::Writing(rec, view) => {
                let action = view.ui(ui, rec, &self.os_keys, &mut self.settings);
                if close {
                    self.on_close(ui.ctx());
                } else if action == Some(WritingAction::Finish) {
                    self.finish();
                }
            }
            Screen::Watching(session, view) => {
                let action = view.ui(ui, session, &self.os_keys);
                if close {
                    self.on_close(ui.ctx());
                } else if action == Some(WatchAction::Finish) {
                    self.finish();
                }
            }
            Screen::Finished(view) => {
                let action = egui::CentralPanel::default_margins()
                    .show(ui, |ui| centered_column(ui, |ui| view.ui(ui)))
                    .inner;
                if let Some(a) = action {
                    self.on_finished(ui.ctx(), a);
                }
            }
            Screen::Audit(viewer) => {
                let back = egui::Panel::top("audit back")
                    .show(ui, |ui| ui.button("Back to recording").clicked())
                    .inner;
                viewer.ui(ui);
                if back {
                    self.screen = Screen::Start(self.start_view(None));
                }
            }
        }
        self.update_title(ui.ctx());
        self.update_window_size(ui.ctx());
    }

    fn new_recording(
        &self,
        task: &str,
        nonce: Option<&str>,
        prompt: Option<&str>,
    ) -> Result<Recording, crate::capture::RecordError> {
        let mut sources = vec![SOURCE_EDITOR];
        if self.os_keys.is_active() {
            sources.push(SOURCE_OS_KEYS);
        }
        Recording::start(
            &self.opts.sessions_dir,
            task,
            nonce,
            prompt,
            &sources,
            self.key.as_ref().ok(),
        )
    }

    fn new_challenge_recording(&self) -> Result<Recording, crate::capture::RecordError> {
        let Some(offer) = &self.offer else {
            return Err(crate::capture::RecordError::NoSessionsDir);
        };
        let mut sources = vec![SOURCE_EDITOR];
        if self.os_keys.is_active() {
            sources.push(SOURCE_OS_KEYS);
        }
        let mut rec = Recording::start_for_challenge(
            &self.opts.sessions_dir,
            offer,
            &sources,
            self.key.as_ref().ok(),
        )?;
        self.attach_witness(&mut rec);
        Ok(rec)
    }

    /// Starts the live witness for a session that answers a challenge of the enrolled
    /// platform (new or resumed). Without an enrolment the session records unwitnessed.
    fn attach_witness(&self, rec: &mut Recording) {
        let Some(challenge) = rec.challenge_id().map(str::to_owned) else { return };
        let witness = self.account.as_ref().and_then(|a| {
            Some(Witness::spawn(
                a.client().ok()?,
                a.service_public_key()?,
                &challenge,
                rec.session_id(),
            ))
        });
        if let Some(w) = witness {
            rec.attach_witness(w);
        }
    }

    fn start_view(&self, error: Option<String>) -> StartView {
        StartView {
            sessions: recent_sessions(&self.opts.sessions_dir),
            error,
            capture_note: self.capture_note(),
            out_dir: self.out_dir.display().to_string(),
            enrolment: self
                .account
                .as_ref()
                .map(|a| format!("Enrolled with {} as trainer {}", a.url, a.trainer)),
            challenge: self.offer.as_ref().map(|o| ChallengeShown {
                task: o.challenge.task.clone(),
                prompt: o.prompt.clone(),
                deadline: o.challenge.deadline.clone(),
            }),
            ..StartView::default()
        }
    }

    /// What the trainer should know about capture and signing on this machine.
    fn capture_note(&self) -> Option<String> {
        let mut notes = Vec::new();
        if let crate::capture::OsKeysStatus::Unavailable(why) = &self.os_keys.status {
            notes.push(format!(
                "System-wide key capture is off ({why}); keys typed in Handprint are still recorded."
            ));
        }
        if let Err(why) = &self.key {
            notes.push(format!("Records will not be signed: {why}."));
        }
        (!notes.is_empty()).then(|| notes.join("\n"))
    }

    fn on_start(&mut self, action: StartAction) {
        let result = match action {
            StartAction::Audit => {
                self.screen = Screen::Audit(Box::default());
                return;
            }
            StartAction::New { task, nonce, prompt } => {
                self.new_recording(&task, nonce.as_deref(), prompt.as_deref())
            }
            StartAction::Resume(path) => {
                self.screen = match self.resumed(&path) {
                    Ok(screen) => screen,
                    Err(e) => Screen::Start(self.start_view(Some(e.to_string()))),
                };
                return;
            }
            StartAction::NewForChallenge => self.new_challenge_recording(),
            StartAction::Watch { file, task, nonce, prompt } => {
                let started =
                    self.start_watching(&file, &task, nonce.as_deref(), prompt.as_deref());
                self.screen = self.watching_or_start(started);
                return;
            }
            StartAction::WatchForChallenge(file) => {
                let started = self.start_watching_challenge(&file);
                self.screen = self.watching_or_start(started);
                return;
            }
            StartAction::OpenChallenge(input) => {
                let opened = match &self.account {
                    Some(a) => platform::open_challenge(&input, a),
                    None => Err("enrol with the platform first".to_owned()),
                };
                let error = match opened {
                    Ok(offer) => {
                        self.offer = Some(offer);
                        None
                    }
                    Err(e) => Some(e),
                };
                self.screen = Screen::Start(self.start_view(error));
                return;
            }
            StartAction::Enrol { url, token } => {
                let result = match (&self.key, &self.opts.platform_dir) {
                    (Ok(key), Some(dir)) => platform::enrol(&url, &token, key, dir),
                    (Err(why), _) => Err(format!("no signing key to enrol: {why}")),
                    (_, None) => Err("platform features are off in this run".to_owned()),
                };
                let error = match result {
                    Ok(account) => {
                        self.account = Some(account);
                        None
                    }
                    Err(e) => Some(e),
                };
                self.screen = Screen::Start(self.start_view(error));
                return;
            }
        };
        self.screen = match result {
            Ok(rec) => Screen::Writing(Box::new(rec), WritingView::default()),
            Err(e) => Screen::Start(self.start_view(Some(e.to_string()))),
        };
    }

    fn on_close(&mut self, ctx: &egui::Context) {
        if self.opts.finish_on_close {
            self.finish();
            if matches!(&self.screen, Screen::Finished(f) if f.exported.is_ok()) {
                return; // let the window close
            }
            // Something failed: keep the window so the trainer sees why and keeps the text.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        } else if let Screen::Writing(rec, _) = &mut self.screen {
            rec.sync();
        } else if let Screen::Watching(session, _) = &mut self.screen {
            session.rec.sync();
        }
    }

    fn finish(&mut self) {
        let screen = std::mem::replace(&mut self.screen, Screen::Start(StartView::default()));
        let key = self.key.as_ref().ok();
        let (rec, finished) = match screen {
            Screen::Writing(rec, _) => {
                let facts = finish_facts(&rec);
                (facts, rec.finish(key))
            }
            Screen::Watching(session, _) => {
                let facts = finish_facts(&session.rec);
                (facts, session.finish(key))
            }
            other => {
                self.screen = other;
                return;
            }
        };
        let (task, session, challenge, journal) = rec;
        let challenge = challenge.filter(|_| self.account.is_some());
        self.screen = match finished {
            Ok((journal, text)) => {
                let out_dir = self.out_dir.clone();
                let exported = export(&journal, self.key.as_ref().ok(), &text, &out_dir)
                    .map_err(|e| e.to_string());
                Screen::Finished(FinishedView {
                    task,
                    session,
                    journal,
                    text,
                    out_dir,
                    exported,
                    copied: false,
                    challenge,
                    submitted: None,
                })
            }
            Err(failed) => match failed.reopened {
                // Back where the trainer wrote, with the error shown: a session written in
                // their own editor goes on watching its file.
                Some(rec) => match FileSession::watched_file(rec.journal_path()) {
                    Some(file) => self.watching_or_start(self.resume_watching(*rec, &file)),
                    None => Screen::Writing(rec, WritingView::default()),
                },
                None => Screen::Finished(FinishedView {
                    task,
                    session,
                    journal,
                    text: failed.text,
                    out_dir: self.out_dir.clone(),
                    exported: Err(failed.error.to_string()),
                    copied: false,
                    challenge: None,
                    submitted: None,
                }),
            },
        };
    }

    fn on_finished(&mut self, ctx: &egui::Context, action: FinishedAction) {
        let Screen::Finished(view) = &mut self.screen else {
            return;
        };
        match action {
            FinishedAction::CopyText => {
                ctx.copy_text(view.text.clone());
                view.copied = true;
            }
            FinishedAction::OpenFolder => open_folder(&view.out_dir),
            FinishedAction::RetryExport => {
                view.exported =
                    export(&view.journal, self.key.as_ref().ok(), &view.text, &view.out_dir)
                        .map_err(|e| e.to_string());
            }
            FinishedAction::NewSession => {
                self.offer = None;
                self.screen = Screen::Start(self.start_view(None));
            }
            FinishedAction::Submit => {
                let (Some(account), Some(dir), Some(challenge), Ok(ex)) =
                    (&self.account, &self.opts.platform_dir, &view.challenge, &view.exported)
                else {
                    return;
                };
                view.submitted =
                    Some(platform::submit(account, dir, challenge, &ex.bundle, &view.text));
            }
        }
    }

    fn apply_settings(&mut self, ctx: &egui::Context) {
        // The viewer's origin colours and banner are designed for a light background (as in
        // the standalone viewer), so auditing always uses the light theme.
        let dark = self.settings.dark && !matches!(self.screen, Screen::Audit(_));
        if self.theme_dark != Some(dark) {
            self.theme_dark = Some(dark);
            ctx.set_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light });
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.screen {
            Screen::Start(_) => "Handprint".to_owned(),
            Screen::Writing(rec, _) => window_title(&rec.task),
            Screen::Watching(session, _) => window_title(&session.rec.task),
            Screen::Finished(f) => format!("{} — finished", window_title(&f.task)),
            Screen::Audit(_) => "Handprint — replay viewer".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// What the finished screen needs of a session before it is consumed by finishing: task,
/// session id, the platform challenge it answers and its journal.
fn finish_facts(rec: &Recording) -> (String, String, Option<String>, PathBuf) {
    (
        rec.task.clone(),
        rec.session_id().to_owned(),
        rec.challenge_id().map(str::to_owned),
        rec.journal_path().to_owned(),
    )
}

/// The window title for a task: starts with "Handprint" so tools and the trainer find it.
pub fn window_title(task: &str) -> String {
    format!("Handprint — {task}")
}

impl eframe::App for RecorderApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

#[path = "app_watch.rs"]
mod watch;

/// Width of the start and finished screens' content: a comfortable form and reading width.
const COLUMN_WIDTH: f32 = 720.0;

/// Lays `add` out in a column of [`COLUMN_WIDTH`] centred in the window.
fn centered_column<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let margin = ((ui.available_width() - COLUMN_WIDTH) / 2.0).max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_max_width(COLUMN_WIDTH);
            ui.add_space(24.0);
            add(ui)
        })
        .inner
    })
    .inner
}

/// Opens `dir` in the platform's file manager; a failure only means no window opens.
fn open_folder(dir: &Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener).arg(dir).spawn();
}

/// The journal of the most recent unfinished session for `task` in `sessions_dir` that
/// `belongs` accepts (it is given the journal's path).
fn interrupted_session(
    sessions_dir: &Path,
    task: &str,
    belongs: impl Fn(&Path) -> bool,
) -> Option<PathBuf> {
    recent_sessions(sessions_dir)
        .into_iter()
        .filter(|s| !s.finished && s.task == task && belongs(&s.path))
        .max_by_key(|s| s.modified)
        .map(|s| s.path)
}
