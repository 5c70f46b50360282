//! `handprint analyze`: explainable writing-process analysis of a record.

use std::path::PathBuf;
use std::process::ExitCode;

/// Analyze how a text was written: provenance, pauses, bursts, revisions, motor timing,
/// with flags that each give their reason and the events behind them.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle or journal to analyze.
    pub file: PathBuf,
}

pub fn run(_args: Args) -> ExitCode {
    super::not_available("analysis")
}
