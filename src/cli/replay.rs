//! `handprint replay`: open a record in the auditor's viewer.

use std::path::PathBuf;
use std::process::ExitCode;

/// Open a record (bundle or journal) in the replay viewer: verification banner, the text
/// at any moment coloured by origin, timeline, charts and analysis.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle (.handprint) or journal (.jsonl) to open.
    pub file: PathBuf,
}

pub fn run(_args: Args) -> ExitCode {
    super::not_available("the replay viewer")
}
