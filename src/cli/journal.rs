//! `handprint journal check|text`: inspect a journal (or the journal inside a bundle).

use crate::record::Record;
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Inspect a session journal: check its integrity or print its text at any event.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: JournalCommand,
}

#[derive(Debug, Subcommand)]
enum JournalCommand {
    /// Check a journal: every line intact and in order (hash chain), time never going back,
    /// and the edits replaying to exactly the final text recorded at the end.
    /// Exits 0 if valid, 1 if not (naming the first bad line and why), 2 if unreadable.
    Check {
        /// The journal (.jsonl) or bundle (.handprint) to check.
        file: PathBuf,
    },
    /// Print the response text as it stood after event N (the whole session by default).
    Text {
        /// The journal (.jsonl) or bundle (.handprint).
        file: PathBuf,
        /// Event sequence number (0 is the session start); the text after that event.
        #[arg(long, value_name = "N")]
        at: Option<usize>,
    },
}

pub fn run(args: Args) -> ExitCode {
    match args.command {
        JournalCommand::Check { file } => check(file),
        JournalCommand::Text { file, at } => text(file, at),
    }
}

/// Opens a record whose journal verifies and replays; see [`super::open_replayed`].
fn open(file: &Path) -> Result<Record, ExitCode> {
    super::open_replayed(file, None)
}

fn check(file: PathBuf) -> ExitCode {
    let record = match open(&file) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Ok((journal, replay)) = record.session() else {
        return ExitCode::from(super::INVALID);
    };
    let start = journal.start();
    let text = replay.final_state().text();
    let status = if journal.is_finished() {
        "finished; replay reproduces the recorded final text"
    } else {
        "unfinished (no session end: the recorder was closed abnormally or is still running)"
    };
    println!("valid: {}", file.display());
    println!("  task       {}", start.task);
    println!("  started    {}", start.wall);
    println!("  events     {}", journal.entries.len());
    println!("  chain head {}", journal.head.hex());
    println!(
        "  text       {} chars, sha256 {}",
        text.chars().count(),
        crate::sha256_hex(text.as_bytes())
    );
    println!("  status     {status}");
    if record.is_bundle() {
        // `journal check` looks at the journal only; saying so keeps a reader from taking
        // "valid" here for a verified signature.
        println!(
            "  signature  not checked by `journal check`; run `handprint verify {}`",
            file.display()
        );
    }
    ExitCode::from(super::VALID)
}

fn text(file: PathBuf, at: Option<usize>) -> ExitCode {
    let record = match open(&file) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(replay) = record.replayed() else {
        return ExitCode::from(super::INVALID);
    };
    let text = match at {
        None => replay.final_state().text(),
        Some(n) if n < replay.len() => replay.text_after(n),
        Some(n) => {
            return super::unusable(format!(
                "--at {n} is past the end: the journal has events 0 to {}",
                replay.len() - 1
            ));
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    ExitCode::from(super::VALID)
}
