//! `handprint export`: write a record in another form.

use crate::analysis::lwp;
use crate::record::Record;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Export a record in another form: the keystroke-log CSV used by writing-process research
/// tools (the "Linking Writing Processes to Writing Quality" layout).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle or journal to export.
    pub file: PathBuf,
    /// The form to write.
    #[arg(long, value_name = "FORMAT")]
    pub to: To,
    /// Where to write it (standard output by default).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// Forms `export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum To {
    LwpCsv,
}

pub fn run(args: Args) -> ExitCode {
    let record = match Record::open(&args.file).and_then(|r| r.check_journal_start().map(|()| r)) {
        Ok(r) => r,
        Err(e) => return super::unusable(e),
    };
    // The CSV carries every event, whether or not the edits replay.
    let journal = match record.journal() {
        Ok(j) => j,
        Err(e) => {
            println!("invalid: {}: {e}", args.file.display());
            return ExitCode::from(super::INVALID);
        }
    };
    let To::LwpCsv = args.to;
    let result = match &args.output {
        Some(path) => std::fs::File::create(path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))
            .and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                lwp::export(&journal.entries, &mut w).map_err(|e| e.to_string())?;
                w.flush().map_err(|e| format!("cannot write {}: {e}", path.display()))
            }),
        None => lwp::export(&journal.entries, std::io::stdout().lock()).map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::from(super::VALID),
        Err(e) => super::unusable(e),
    }
}
