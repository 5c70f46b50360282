//! `handprint analyze`: explainable writing-process analysis of a record.

use crate::analysis::{self, Analysis, lwp};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Analyze how a text was written: provenance, pauses, bursts, revisions, motor timing,
/// with flags that each give their reason and the events behind them.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle or journal to analyze (or a keystroke-log CSV with `--from lwp-csv`).
    pub file: PathBuf,
    /// Print the full analysis as JSON instead of the report.
    #[arg(long)]
    pub json: bool,
    /// Read another format: `lwp-csv`, the keystroke-log CSV of the "Linking Writing
    /// Processes to Writing Quality" data set (one analysis per essay id).
    #[arg(long, value_name = "FORMAT")]
    pub from: Option<From>,
}

/// Formats `analyze` can read besides Handprint records.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum From {
    LwpCsv,
}

pub fn run(args: Args) -> ExitCode {
    let analyses = match args.from {
        Some(From::LwpCsv) => match from_lwp(&args.file) {
            Ok(a) => a,
            Err(code) => return code,
        },
        None => match from_record(&args.file) {
            Ok(a) => vec![(String::new(), a)],
            Err(code) => return code,
        },
    };
    if args.json {
        let value = match analyses.as_slice() {
            [(_, one)] => serde_json::to_value(one),
            many => serde_json::to_value(
                many.iter()
                    .map(|(id, a)| serde_json::json!({ "id": id, "analysis": a }))
                    .collect::<Vec<_>>(),
            ),
        };
        match value.and_then(|v| serde_json::to_string_pretty(&v)) {
            Ok(s) => println!("{s}"),
            Err(e) => return super::unusable(format!("cannot write the analysis as JSON: {e}")),
        }
    } else {
        for (id, a) in &analyses {
            if !id.is_empty() {
                println!("== essay {id} ==");
            }
            print!("{}", a.to_text());
        }
    }
    ExitCode::from(super::VALID)
}

fn from_record(file: &Path) -> Result<Analysis, ExitCode> {
    let hint = "The record is damaged or altered; `handprint journal check` says more. Nothing was analyzed.";
    let record = super::open_replayed(file, Some(hint))?;
    analysis::analyze_record(&record).ok_or(ExitCode::from(super::INVALID))
}

fn from_lwp(file: &Path) -> Result<Vec<(String, Analysis)>, ExitCode> {
    let f = std::fs::File::open(file)
        .map_err(|e| super::unusable(format!("cannot read {}: {e}", file.display())))?;
    let essays = lwp::import(std::io::BufReader::new(f))
        .map_err(|e| super::unusable(format!("{}: {e}", file.display())))?;
    let mut out = Vec::with_capacity(essays.len());
    for essay in essays {
        // The importer rebuilds the text itself, so its events always replay; a failure here
        // is a bug, reported rather than hidden.
        let a = essay.analyze().map_err(|e| {
            super::unusable(format!(
                "{}: essay {}: the imported events do not replay ({e}); please report this",
                file.display(),
                essay.id
            ))
        })?;
        out.push((essay.id, a));
    }
    Ok(out)
}
