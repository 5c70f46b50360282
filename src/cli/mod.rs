//! The `handprint` command line: a thin presenter over the core. Each subcommand lives in
//! its own file with its arguments and its `run`.
//!
//! Exit codes are the same for every command that checks something: 0 valid, 1 invalid
//! (with what is wrong and where), 2 unusable input (cannot read, not a Handprint file).

mod analyze;
mod export;
mod generate;
mod journal;
mod key;
mod platform;
mod record;
mod replay;
mod verify;
mod verify_batch;
mod watch;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code: the record checked out.
pub const VALID: u8 = 0;
/// Exit code: the record is invalid (tampered, does not replay, wrong binding…).
pub const INVALID: u8 = 1;
/// Exit code: the input could not be used at all.
pub const UNUSABLE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "handprint",
    // The package version and the commit it was built from (build.rs).
    version = env!("HANDPRINT_VERSION"),
    about = "Evidence of human authorship: record how a text was written, sign it, verify and replay it.",
    long_about = "Handprint entries how a written response came into being — keystrokes, pastes, \
focus changes, every edit — signs that record, and lets auditors and platforms verify and \
replay it.\n\nRun without a command to open the app.",
    after_help = "Exit codes for checking commands: 0 valid, 1 invalid, 2 unusable input."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    Record(record::Args),
    Watch(watch::Args),
    Replay(replay::Args),
    Verify(verify::Args),
    Analyze(analyze::Args),
    Key(key::Args),
    Export(export::Args),
    Journal(journal::Args),
    Enrol(platform::EnrolArgs),
    Submit(platform::SubmitArgs),
    #[cfg(feature = "serve")]
    Serve(crate::serve::Args),
    #[command(hide = true)]
    GenerateAssets(generate::Args),
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => record::open_app(),
        Some(Command::Record(a)) => record::run(a),
        Some(Command::Watch(a)) => watch::run(a),
        Some(Command::Replay(a)) => replay::run(a),
        Some(Command::Verify(a)) => verify::run(a),
        Some(Command::Analyze(a)) => analyze::run(a),
        Some(Command::Key(a)) => key::run(a),
        Some(Command::Export(a)) => export::run(a),
        Some(Command::Journal(a)) => journal::run(a),
        Some(Command::Enrol(a)) => platform::enrol(a),
        Some(Command::Submit(a)) => platform::submit(a),
        #[cfg(feature = "serve")]
        Some(Command::Serve(a)) => match crate::serve::run(a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => unusable(e),
        },
        Some(Command::GenerateAssets(a)) => generate::run(a),
    }
}

/// Prints `err` (with its causes) as an unusable-input error and returns exit code 2.
pub(crate) fn unusable(err: impl std::fmt::Display) -> ExitCode {
    eprintln!("handprint: {err}");
    ExitCode::from(UNUSABLE)
}

/// Reports a command whose back-end is not built into this binary.
#[allow(dead_code)]
pub(crate) fn not_available(what: &str) -> ExitCode {
    eprintln!("handprint: {what} is not available in this build yet.");
    ExitCode::from(UNUSABLE)
}

/// Opens a record (journal or bundle) whose journal must verify and replay; on failure
/// prints the reason (and `hint`, for a damaged journal) and gives the exit code to return.
/// A bundle's signature is not checked here (that is `handprint verify`).
pub(crate) fn open_replayed(
    file: &std::path::Path,
    hint: Option<&str>,
) -> Result<crate::record::Record, ExitCode> {
    let record = crate::record::Record::open(file).map_err(unusable)?;
    // Commands that only read the journal refuse a bundle whose journal is not one at all,
    // as they refuse such a bare file.
    record.check_journal_start().map_err(unusable)?;
    match record.session() {
        Ok(_) => Ok(record),
        Err(why) => {
            println!("invalid: {}: {why}", file.display());
            if let (Some(hint), crate::record::Unusable::Journal(_)) = (hint, why) {
                println!("{hint}");
            }
            Err(ExitCode::from(INVALID))
        }
    }
}
