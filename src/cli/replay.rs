//! `handprint replay`: open a record in the auditor's viewer, or write its HTML report.

use std::path::PathBuf;
use std::process::ExitCode;

/// Open a record (bundle or journal) in the replay viewer: verification banner, the text
/// at any moment coloured by origin, timeline, charts and analysis. With --report, write
/// the self-contained HTML report instead, without opening a window.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle (.handprint) or journal (.jsonl) to open; without it the viewer opens
    /// empty, to browse for a record or take one dropped on the window.
    pub file: Option<PathBuf>,
    /// Write the HTML report to this file instead of opening the viewer.
    #[arg(long, value_name = "OUT.html", requires = "file")]
    pub report: Option<PathBuf>,
    /// The submitted text to compare with the recorded one (with --report).
    #[arg(long, value_name = "TEXT_FILE", requires = "report")]
    pub text: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    match (args.report, args.file) {
        (Some(out), Some(file)) => write_report(&file, &out, args.text.as_deref()),
        // clap's `requires` makes --report come with a file.
        (Some(_), None) => super::unusable("--report needs the record to report on"),
        (None, file) => open_viewer(file),
    }
}

/// Exit code 0 when the record is valid, 1 when it is not (the report says why), 2 when the
/// report could not be written or the text to compare could not be read.
fn write_report(
    file: &std::path::Path,
    out: &std::path::Path,
    text: Option<&std::path::Path>,
) -> ExitCode {
    let submitted = match text.map(std::fs::read_to_string).transpose() {
        Ok(t) => t,
        Err(e) => return super::unusable(format!("cannot read the submitted text: {e}")),
    };
    let evidence = crate::report::Evidence::open(file, &|_, _| {});
    let text_match = submitted.as_deref().and_then(|t| evidence.compare(t));
    if let Err(e) = std::fs::write(out, evidence.to_html(text_match)) {
        return super::unusable(format!("cannot write {}: {e}", out.display()));
    }
    match &evidence.verdict.reason {
        None => {
            println!("valid; report written to {}", out.display());
            ExitCode::from(super::VALID)
        }
        Some(reason) => {
            println!("INVALID: {reason}; report written to {}", out.display());
            ExitCode::from(super::INVALID)
        }
    }
}

#[cfg(feature = "gui")]
fn open_viewer(file: Option<PathBuf>) -> ExitCode {
    if let Err(e) = crate::ui::display_available() {
        return super::unusable(e);
    }
    match crate::ui::viewer::run(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::unusable(format!("cannot open the viewer window: {e}")),
    }
}

#[cfg(not(feature = "gui"))]
fn open_viewer(_file: Option<PathBuf>) -> ExitCode {
    super::not_available("the replay viewer (built without the `gui` feature; use --report)")
}
