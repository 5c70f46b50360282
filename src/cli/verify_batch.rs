//! `handprint verify` over several files or folders: the platform's bulk check. The rows go
//! to standard output (JSON lines or CSV) for the pipeline; the progress bar (only on a
//! terminal) and the summary go to standard error for the person watching.
//!
//! Exit code for the batch: 0 when every bundle is valid, 1 when any is invalid or could
//! not be checked (its row says why), 2 when the batch itself could not run.

use crate::verify::VerifyOptions;
use crate::verify::batch::{self, BatchRow, Summary};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// How the rows are written.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per bundle per line.
    Jsonl,
    /// Comma-separated values with a header row; reasons joined by "; ".
    Csv,
}

pub fn run(inputs: &[PathBuf], opts: &VerifyOptions, format: Format) -> ExitCode {
    let items = match batch::collect(inputs) {
        Ok(items) => items,
        Err(e) => return super::unusable(e),
    };
    let bar = progress_bar(items.len() as u64);
    let rows = batch::verify_all(&items, opts, &|| bar.inc(1));
    bar.finish_and_clear();

    if let Err(e) = write_rows(&rows, format) {
        return super::unusable(format!("cannot write the results: {e}"));
    }
    let summary = Summary::of(&rows);
    eprintln!(
        "handprint: {} bundles: {} valid, {} invalid, {} could not be checked",
        summary.total, summary.valid, summary.invalid, summary.unusable
    );
    ExitCode::from(if summary.valid == summary.total { super::VALID } else { super::INVALID })
}

/// A bar on standard error when it is a terminal; hidden otherwise, so logs stay clean.
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} bundles, {per_sec}, {eta} left",
    );
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

fn write_rows(rows: &[BatchRow], format: Format) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut out, row)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record([
                "file",
                "valid",
                "unusable",
                "reasons",
                "task",
                "signer",
                "pinned",
                "text_file",
                "text_match",
                "witnessed",
                "witnessed_seconds",
                "flags",
            ])?;
            for r in rows {
                let text_match = r.text_match.map(|m| {
                    serde_json::to_value(m).ok().and_then(|v| v.as_str().map(str::to_owned))
                });
                csv.write_record([
                    r.file.as_str(),
                    if r.valid { "true" } else { "false" },
                    r.unusable.as_deref().unwrap_or(""),
                    &r.reasons.join("; "),
                    r.task.as_deref().unwrap_or(""),
                    r.signer.as_deref().unwrap_or(""),
                    if r.pinned { "true" } else { "false" },
                    r.text_file.as_deref().unwrap_or(""),
                    text_match.flatten().as_deref().unwrap_or(""),
                    &r.witnessed.map(|n| n.to_string()).unwrap_or_default(),
                    &r.witnessed_seconds.map(|s| format!("{s:.0}")).unwrap_or_default(),
                    &r.flags.join("; "),
                ])?;
            }
            csv.flush()?;
        }
    }
    out.flush()
}
