//! `handprint verify`: check a signed bundle.

use crate::attest::PublicKey;
use crate::verify::{self, TextMatch, VerifyOptions, VerifyReport};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Verify a signed bundle: signature, journal chain, checkpoints, that replay reproduces
/// the attested text, and optionally the submitted text, task, nonce and signer.
/// Exits 0 if valid, 1 if not (saying what failed and where), 2 if the file is unusable.
/// Given several files or a folder, verifies every bundle in parallel and prints one result
/// per bundle (JSON lines or CSV) and a summary; exits 0 only if every bundle is valid.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle (.handprint) to verify; a bare journal (.jsonl) is checked too but is
    /// never valid, since nothing signs it. Several files or folders (searched for
    /// *.handprint, each paired with the NAME.txt beside NAME.handprint as its submitted
    /// text) verify them all.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The text the trainer submitted; it must match the attested text exactly or after
    /// normalization (the report says which).
    #[arg(long, value_name = "FILE")]
    pub text: Option<PathBuf>,
    /// The task id the response must be recorded for.
    #[arg(long, value_name = "ID")]
    pub task: Option<String>,
    /// The nonce the platform issued for this task.
    #[arg(long, value_name = "N")]
    pub nonce: Option<String>,
    /// Require this signer: a public key file (OpenSSH, PEM or hex, as `handprint key
    /// export` writes).
    #[arg(long, value_name = "FILE", conflicts_with = "fingerprint")]
    pub pubkey: Option<PathBuf>,
    /// Require this signer, by fingerprint (SHA256:…).
    #[arg(long, value_name = "FP")]
    pub fingerprint: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// For several bundles: one JSON object per line, or CSV with a header.
    #[arg(long, value_enum, default_value_t = super::verify_batch::Format::Jsonl)]
    pub format: super::verify_batch::Format,
}

pub fn run(args: Args) -> ExitCode {
    let opts = match options(&args) {
        Ok(o) => o,
        Err(e) => return super::unusable(e),
    };
    let file = match args.files.as_slice() {
        [one] if !one.is_dir() => one.clone(),
        _ if args.text.is_some() => {
            return super::unusable(
                "--text names one submission; for several, put NAME.txt beside each NAME.handprint",
            );
        }
        many => return super::verify_batch::run(many, &opts, args.format),
    };
    let report = match verify::verify_file(&file, &opts) {
        Ok(r) => r,
        Err(e) => return super::unusable(e),
    };
    if args.json {
        // The report holds only strings, numbers and JSON values: it always serializes.
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print_report(&file, &report);
    }
    ExitCode::from(if report.valid { super::VALID } else { super::INVALID })
}

fn options(args: &Args) -> Result<VerifyOptions, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let text = match &args.text {
        Some(p) => Some(
            String::from_utf8(read(p)?)
                .map_err(|_| format!("{} is not UTF-8 text", p.display()))?,
        ),
        None => None,
    };
    let pubkey = match &args.pubkey {
        Some(p) => Some(PublicKey::parse(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?),
        None => None,
    };
    Ok(VerifyOptions {
        text,
        task: args.task.clone(),
        nonce: args.nonce.clone(),
        pubkey,
        fingerprint: args.fingerprint.clone(),
    })
}

fn print_report(file: &Path, r: &VerifyReport) {
    println!("{}: {}", if r.valid { "valid" } else { "INVALID" }, file.display());
    if let Some(signer) = &r.signer {
        let pinned = if r.signer_pinned {
            "the key you required"
        } else {
            "NOT pinned: pass --pubkey or --fingerprint to require the trainer's key"
        };
        println!("  signer  {signer} ({pinned})");
    }
    if let Some(p) = &r.predicate {
        println!("  task    {}", p.task);
        println!("  session {} ({} to {})", p.session, p.started, p.ended);
    }
    if let Some(m) = r.text_match {
        let how = match m {
            TextMatch::Exact => "matches exactly",
            TextMatch::Normalized => "matches after normalization only",
            TextMatch::Mismatch => "DOES NOT MATCH",
        };
        println!("  text    {how}");
    }
    for c in &r.checks {
        println!("  {} {:<15} {}", if c.ok { "ok  " } else { "FAIL" }, c.name, c.detail);
    }
}
