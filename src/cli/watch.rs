//! `handprint watch`: record a response written in the trainer's own editor.

use std::path::PathBuf;
use std::process::ExitCode;

/// Record writing in your own editor: Handprint watches FILE and shows a small recording
/// window (Pause, Finish) while you write and save FILE in any editor. Each save is recorded
/// as the exact edits; keys are recorded while your editor has focus (the first program you
/// switch to; other programs: key counts only). Finish (or closing the window) signs and
/// exports the record into --out.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file you write in (created empty if it does not exist). Save it often, or turn
    /// on your editor's autosave (README: "Write in your own editor").
    pub file: PathBuf,
    /// The task id from the platform (the record is bound to it).
    #[arg(long, required_unless_present = "challenge", conflicts_with = "challenge")]
    pub task: Option<String>,
    /// A platform challenge: its link or id on the enrolled service, or a challenge file.
    #[arg(long, value_name = "URL|FILE")]
    pub challenge: Option<String>,
    /// The platform's nonce or challenge for this task, if it gave one.
    #[arg(long)]
    pub nonce: Option<String>,
    /// Folder to export the finished record into (default: Documents/Handprint).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue this task's interrupted watch session of FILE (after a crash or power cut)
    /// if there is one, recording what FILE became meanwhile; otherwise start a new session.
    #[arg(long)]
    pub resume: bool,
}

#[cfg(feature = "gui")]
pub fn run(args: Args) -> ExitCode {
    use crate::ui::{RecorderApp, window_title};
    // Before any window opens: a wrong path is a sentence in the terminal, not a flash.
    if let Err(e) = crate::capture::check_watchable(&args.file) {
        return super::unusable(e);
    }
    let session =
        super::record::Session::of(args.challenge.as_deref(), args.task.as_deref(), args.out);
    let super::record::Session { opts, offer, task } = match session {
        Ok(s) => s,
        Err(code) => return code,
    };
    let file = args.file;
    let result = crate::ui::run_watch(&window_title(&task), move || {
        match offer {
            Some(offer) => RecorderApp::watching_challenge(opts, offer, &file),
            None if args.resume => {
                RecorderApp::resuming_or_watching(opts, &file, &task, args.nonce.as_deref())
            }
            None => RecorderApp::watching(opts, &file, &task, args.nonce.as_deref()),
        }
        .map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::unusable(e),
    }
}

#[cfg(not(feature = "gui"))]
pub fn run(_args: Args) -> ExitCode {
    super::not_available(
        "watching your own editor (this build has no desktop app; rebuild with the `gui` feature)",
    )
}
