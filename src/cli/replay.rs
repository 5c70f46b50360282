//! `handprint replay`: open a record in the auditor's viewer, or write its HTML report.

use crate::attest::{PublicKey, parse_trust_file};
use std::path::{Path, PathBuf};
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
    /// Registered trainer keys (a trust file, as for `verify --trust`): a record signed by
    /// one of them shows as VALID; without it, or signed by another key, as NOT TRUSTED.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
    /// The trainer's public key (as for `verify --pubkey`), pinning the signer.
    #[arg(long, value_name = "FILE")]
    pub pubkey: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let trusted = match trusted_keys(&args) {
        Ok(k) => k,
        Err(e) => return super::unusable(e),
    };
    match (args.report, args.file) {
        (Some(out), Some(file)) => write_report(&file, &out, args.text.as_deref(), &trusted),
        // clap's `requires` makes --report come with a file.
        (Some(_), None) => super::unusable("--report needs the record to report on"),
        (None, file) => open_viewer(file, trusted),
    }
}

/// The keys from --trust and --pubkey.
fn trusted_keys(args: &Args) -> Result<Vec<PublicKey>, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let mut keys = match &args.trust {
        Some(p) => parse_trust_file(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?,
        None => Vec::new(),
    };
    if let Some(p) = &args.pubkey {
        keys.push(PublicKey::parse(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?);
    }
    Ok(keys)
}

/// Exit code 0 when the record is valid and its signer pinned, 1 when it is invalid or not
/// trusted (the report says why), 2 when the report could not be written or an input file
/// could not be read.
fn write_report(file: &Path, out: &Path, text: Option<&Path>, trusted: &[PublicKey]) -> ExitCode {
    let submitted = match text.map(std::fs::read_to_string).transpose() {
        Ok(t) => t,
        Err(e) => return super::unusable(format!("cannot read the submitted text: {e}")),
    };
    let evidence = crate::report::Evidence::open_pinned(file, trusted, &|_, _| {});
    let text_match = submitted.as_deref().and_then(|t| evidence.compare(t));
    if let Err(e) = std::fs::write(out, evidence.to_html(text_match)) {
        return super::unusable(format!("cannot write {}: {e}", out.display()));
    }
    let v = &evidence.verdict;
    match v.reason.clone().or_else(|| v.untrusted_reason()) {
        None => {
            println!("valid; report written to {}", out.display());
            ExitCode::from(super::VALID)
        }
        Some(reason) => {
            println!("{}: {reason}; report written to {}", v.status(), out.display());
            ExitCode::from(super::INVALID)
        }
    }
}

#[cfg(feature = "gui")]
fn open_viewer(file: Option<PathBuf>, trusted: Vec<PublicKey>) -> ExitCode {
    if let Err(e) = crate::ui::display_available() {
        return super::unusable(e);
    }
    match crate::ui::viewer::run(file, trusted) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::unusable(format!("cannot open the viewer window: {e}")),
    }
}

#[cfg(not(feature = "gui"))]
fn open_viewer(_file: Option<PathBuf>, _trusted: Vec<PublicKey>) -> ExitCode {
    super::not_available("the replay viewer (built without the `gui` feature; use --report)")
}
