//! `handprint record` and the bare `handprint`: open the trainer's recorder.

use std::path::PathBuf;
use std::process::ExitCode;

/// Record a writing session: opens the recorder on a new session for --task, or for a
/// platform challenge (--challenge). Closing the window finishes the session and exports
/// the record into --out without a dialog.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The task id from the platform (the record is bound to it).
    #[arg(long, required_unless_present = "challenge", conflicts_with = "challenge")]
    pub task: Option<String>,
    /// A platform challenge: its link or id on the enrolled service, or a challenge file.
    /// The prompt is shown, the record is bound to the challenge, and the service witnesses
    /// the session live (see `handprint enrol`).
    #[arg(long, value_name = "URL|FILE")]
    pub challenge: Option<String>,
    /// The platform's nonce or challenge for this task, if it gave one.
    #[arg(long)]
    pub nonce: Option<String>,
    /// Folder to export the finished record into (default: Documents/Handprint).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue this task's interrupted session (after a crash or power cut) if there is
    /// one; otherwise start a new session.
    #[arg(long)]
    pub resume: bool,
}

#[cfg(feature = "gui")]
pub fn run(args: Args) -> ExitCode {
    use crate::ui::{RecorderApp, window_title};
    let session = match Session::of(args.challenge.as_deref(), args.task.as_deref(), args.out) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Session { opts, offer, task } = session;
    let result = crate::ui::run(&window_title(&task), move || {
        match offer {
            Some(offer) => RecorderApp::recording_challenge(opts, offer),
            None if args.resume => {
                RecorderApp::resuming_or_recording(opts, &task, args.nonce.as_deref())
            }
            None => RecorderApp::recording(opts, &task, args.nonce.as_deref(), None),
        }
        .map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::unusable(e),
    }
}

/// What `record` and `watch` start a session with: the app's folders, the platform
/// challenge when one was named, and the task (the challenge's, or --task).
#[cfg(feature = "gui")]
pub(super) struct Session {
    pub opts: crate::ui::AppOptions,
    pub offer: Option<crate::platform::protocol::ChallengeOffer>,
    pub task: String,
}

#[cfg(feature = "gui")]
impl Session {
    /// The session for `--challenge`/`--task`/`--out`, or the exit code after saying what
    /// is missing (no home folder, an empty task, a challenge that cannot be opened).
    pub(super) fn of(
        challenge: Option<&str>,
        task: Option<&str>,
        out_dir: Option<PathBuf>,
    ) -> Result<Session, ExitCode> {
        let Some(sessions_dir) = crate::paths::sessions_dir() else {
            return Err(super::unusable(
                "no folder for sessions (no home directory); set HANDPRINT_HOME",
            ));
        };
        let Some(keys_dir) = crate::paths::keys_dir() else {
            return Err(super::unusable(
                "no folder for keys (no home directory); set HANDPRINT_HOME",
            ));
        };
        let platform_dir = crate::paths::data_dir();
        let offer = match challenge {
            None => None,
            Some(input) => {
                Some(open_challenge(input, platform_dir.as_deref()).map_err(super::unusable)?)
            }
        };
        let task = match (&offer, task) {
            (Some(o), _) => o.challenge.task.clone(),
            (None, Some(t)) if !t.trim().is_empty() => t.to_owned(),
            _ => return Err(super::unusable("--task must not be empty")),
        };
        let opts = crate::ui::AppOptions {
            sessions_dir,
            keys_dir,
            out_dir,
            os_keys: true,
            finish_on_close: true,
            platform_dir,
        };
        Ok(Session { opts, offer, task })
    }
}

/// Opens the platform challenge `input` (link, id or file) with the enrolled account.
#[cfg(feature = "gui")]
pub(super) fn open_challenge(
    input: &str,
    platform_dir: Option<&std::path::Path>,
) -> Result<crate::platform::protocol::ChallengeOffer, String> {
    let dir = platform_dir.ok_or_else(|| "no data folder; set HANDPRINT_HOME".to_owned())?;
    let account =
        crate::platform::account::Account::load_required(dir).map_err(|e| e.to_string())?;
    crate::ui::recorder::platform::open_challenge(input, &account)
}

#[cfg(feature = "gui")]
pub fn open_app() -> ExitCode {
    use crate::ui::{AppOptions, RecorderApp};
    let Some(sessions_dir) = crate::paths::sessions_dir() else {
        return super::unusable("no folder for sessions (no home directory); set HANDPRINT_HOME");
    };
    let Some(keys_dir) = crate::paths::keys_dir() else {
        return super::unusable("no folder for keys (no home directory); set HANDPRINT_HOME");
    };
    let opts = AppOptions {
        sessions_dir,
        keys_dir,
        out_dir: None,
        os_keys: true,
        finish_on_close: false,
        platform_dir: crate::paths::data_dir(),
    };
    match crate::ui::run("Handprint", move || Ok(RecorderApp::new(opts))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::unusable(e),
    }
}

#[cfg(not(feature = "gui"))]
pub fn run(_args: Args) -> ExitCode {
    super::not_available(
        "the recorder (this build has no desktop app; rebuild with the `gui` feature)",
    )
}

#[cfg(not(feature = "gui"))]
pub fn open_app() -> ExitCode {
    super::not_available("the desktop app (rebuild with the `gui` feature)")
}
