//! `handprint verify`: check a signed bundle.

use crate::attest::PublicKey;
use crate::verify::{self, TextMatch, VerifyOptions, VerifyReport};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Verify a signed bundle: signature, journal chain, checkpoints, that replay reproduces
/// the attested text and the signed analysis, and optionally the submitted text, task and
/// nonce. The signer must be pinned (--pubkey, --fingerprint or --trust), or explicitly
/// left open with --any-signer.
/// Given several files or a folder, verifies every bundle in parallel and prints one result
/// per bundle (JSON lines or CSV) and a summary; exits 0 only if every bundle is valid.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
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
    /// The platform service's public key: a key file, the JSON its /.well-known/handprint
    /// serves, or the service's address (https://…, fetched from its /.well-known/handprint).
    /// Checks the task challenge and the witness receipts, and reports what the witness saw.
    #[arg(long, value_name = "FILE|URL")]
    pub service_key: Option<String>,
    /// The platform service's fingerprint (SHA256:…, published by the platform): the service
    /// key given or fetched must be this one.
    #[arg(long, value_name = "FP", requires = "service_key")]
    pub service_fingerprint: Option<String>,
    /// Require the signer to be one of the registered trainer keys in FILE (one
    /// `ssh-ed25519 …` line or 64 hex digits per line, `#` comments; docs/FORMAT.md).
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
    /// Accept a record signed by any key. Without a pinned signer, verification otherwise
    /// fails with "signer not pinned": anyone can make a key and sign a forgery with it.
    #[arg(long, conflicts_with_all = ["pubkey", "fingerprint", "trust"])]
    pub any_signer: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// For several bundles: one JSON object per line, or CSV with a header.
    #[arg(long, value_enum, default_value_t = super::verify_batch::Format::Jsonl)]
    pub format: super::verify_batch::Format,
}

/// Every exit code `verify` uses, shown by `verify --help`.
const EXIT_CODES: &str = "Exit codes:
  0  valid: every check passed and the signer is pinned (or --any-signer was given)
  1  invalid: a check failed, e.g. a tampered or truncated journal, a bad signature, a
     strict-format violation (unknown member, extra subject, missing end, bad time), a signed
     analysis that differs from the recomputed one, a text/task/nonce mismatch, a bare journal,
     or \"signer not pinned\" (no --pubkey, --fingerprint or --trust, and no --any-signer)
  2  unusable: the file cannot be read, is not JSON, is not a bundle or journal, has unknown
     bundle or envelope members, an undecodable journal, or an option file (--text,
     --pubkey, --trust) cannot be read";

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
    let service_key = match &args.service_key {
        Some(given) => Some(service_key(given, args.service_fingerprint.as_deref())?),
        None => None,
    };
    let trusted = match &args.trust {
        Some(p) => crate::attest::parse_trust_file(&read(p)?)
            .map_err(|e| format!("{}: {e}", p.display()))?,
        None => Vec::new(),
    };
    Ok(VerifyOptions {
        text,
        task: args.task.clone(),
        nonce: args.nonce.clone(),
        pubkey,
        fingerprint: args.fingerprint.clone(),
        service_key,
        trusted,
        any_signer: args.any_signer,
    })
}

/// The service key from `--service-key` (a file, or the service's address), checked against
/// `--service-fingerprint` when one was given.
fn service_key(given: &str, fingerprint: Option<&str>) -> Result<PublicKey, String> {
    let key = if given.starts_with("https://") || given.starts_with("http://") {
        fetch_service_key(given)?
    } else {
        let path = Path::new(given);
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        crate::platform::parse_service_key(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?
    };
    match fingerprint {
        Some(fp) if fp.trim() != key.fingerprint() => Err(format!(
            "the service key is {}, not the --service-fingerprint {}: this is not the platform you named",
            key.fingerprint(),
            fp.trim()
        )),
        _ => Ok(key),
    }
}

#[cfg(feature = "client")]
fn fetch_service_key(url: &str) -> Result<PublicKey, String> {
    let client = crate::platform::client::Client::new(url, None).map_err(|e| e.to_string())?;
    let info = client
        .service_info()
        .map_err(|e| format!("cannot fetch the service key from {url}: {e}"))?;
    crate::platform::service_info_key(&info).map_err(|e| format!("{url}: {e}"))
}

#[cfg(not(feature = "client"))]
fn fetch_service_key(url: &str) -> Result<PublicKey, String> {
    Err(format!(
        "this build has no platform client, so it cannot fetch {url}; save the service's /.well-known/handprint and pass the file"
    ))
}

fn print_report(file: &Path, r: &VerifyReport) {
    println!("{}: {}", if r.valid { "valid" } else { "INVALID" }, file.display());
    if let Some(signer) = &r.signer {
        let pinned = if r.signer_pinned {
            "the key you required"
        } else {
            "NOT pinned, not trusted: pass --pubkey, --fingerprint or --trust to require the trainer's key"
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
        println!("  {} {:<15} {}", if c.ok { "ok  " } else { "FAIL" }, c.name.as_str(), c.detail);
    }
    if let Some(w) = &r.witness {
        if let (Some(a), Some(b)) = (&w.first_at, &w.last_at) {
            println!(
                "  witness {} receipts, {a} to {b} ({:.0} s seen by the platform)",
                w.receipts, w.witnessed_seconds
            );
        }
        for f in &w.flags {
            println!("  flag    {} (events {}-{}): {}", f.kind, f.events.0, f.events.1, f.reason);
        }
    }
}
