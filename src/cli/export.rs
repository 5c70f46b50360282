//! `handprint export`: write a record in another form.

use std::path::PathBuf;
use std::process::ExitCode;

/// Export a record in another form (e.g. the bare attestation envelope, or the keystroke
/// CSV used by writing-process research tools).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle or journal to export.
    pub file: PathBuf,
}

pub fn run(_args: Args) -> ExitCode {
    super::not_available("export")
}
