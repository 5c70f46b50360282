//! `handprint record` and the bare `handprint`: open the trainer's recorder.

use std::path::PathBuf;
use std::process::ExitCode;

/// Record a writing session: opens the recorder on a new session for TASK. Closing the
/// window finishes the session and exports the record into --out without a dialog.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The task id from the platform (required: the record is bound to it).
    #[arg(long)]
    pub task: String,
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
    use crate::ui::{AppOptions, RecorderApp, window_title};
    let Some(sessions_dir) = crate::paths::sessions_dir() else {
        return super::unusable("no folder for sessions (no home directory); set HANDPRINT_HOME");
    };
    if args.task.trim().is_empty() {
        return super::unusable("--task must not be empty");
    }
    let Some(keys_dir) = crate::paths::keys_dir() else {
        return super::unusable("no folder for keys (no home directory); set HANDPRINT_HOME");
    };
    let opts = AppOptions {
        sessions_dir,
        keys_dir,
        out_dir: args.out,
        os_keys: true,
        finish_on_close: true,
    };
    let title = window_title(&args.task);
    let result = crate::ui::run(&title, move || {
        let app = if args.resume {
            RecorderApp::resuming_or_recording(opts, &args.task, args.nonce.as_deref())
        } else {
            RecorderApp::recording(opts, &args.task, args.nonce.as_deref(), None)
        };
        app.map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::unusable(e),
    }
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
    let opts =
        AppOptions { sessions_dir, keys_dir, out_dir: None, os_keys: true, finish_on_close: false };
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
