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
    /// Folder to export the finished record into.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(_args: Args) -> ExitCode {
    super::not_available("the recorder")
}

pub fn open_app() -> ExitCode {
    super::not_available("the desktop app")
}
