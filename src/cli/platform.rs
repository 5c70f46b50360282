//! `handprint enrol` and `handprint submit`: the trainer's side of the platform service.

use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code of `submit` when the service could not be reached: the submission is kept in
/// the spool and sent on the next `handprint submit` or app start (EX_TEMPFAIL).
#[cfg(feature = "client")]
pub const SPOOLED: u8 = 75;

/// Enrol this app's signing key with a platform service, using the one-time token the
/// platform gave you. From then on the platform accepts only records signed by this key.
#[derive(Debug, clap::Args)]
pub struct EnrolArgs {
    /// The service address (https://…; http only to this machine).
    pub url: String,
    /// The one-time enrolment token.
    #[arg(long)]
    pub token: String,
    /// The service key fingerprint the platform told you (SHA256:…): enrolment stops if the
    /// service presents another key.
    #[arg(long, value_name = "FP")]
    pub service_fingerprint: Option<String>,
}

/// Submit a finished record to the platform you enrolled with: uploads the bundle and the
/// response text. If the service is unreachable the submission is kept and retried on the
/// next `handprint submit` or app start; it is stored exactly once.
#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    /// The bundle (.handprint) to submit. Without it, only retries pending submissions.
    pub bundle: Option<PathBuf>,
    /// The response text as submitted on the platform.
    #[arg(long, value_name = "FILE", required_unless_present = "pending")]
    pub text: Option<PathBuf>,
    /// Retry the submissions still waiting in the spool, and nothing else.
    #[arg(long, conflicts_with = "bundle")]
    pub pending: bool,
}

#[cfg(feature = "client")]
pub fn enrol(args: EnrolArgs) -> ExitCode {
    use crate::attest::KeyStore;
    use crate::platform::account::Account;
    let Some(data_dir) = crate::paths::data_dir() else {
        return super::unusable("no data folder (no home directory); set HANDPRINT_HOME");
    };
    let key = match KeyStore::open_default().and_then(|s| s.load_or_create()) {
        Ok(k) => k,
        Err(e) => return super::unusable(e),
    };
    let account =
        match Account::enrol(&args.url, &args.token, &key, args.service_fingerprint.as_deref()) {
            Ok(a) => a,
            Err(e) => return super::unusable(e),
        };
    if let Err(e) = account.save(&data_dir) {
        return super::unusable(e);
    }
    println!("enrolled as trainer {} with key {}", account.trainer, account.key);
    println!("service {} (key {})", account.url, account.service_fingerprint);
    ExitCode::SUCCESS
}

#[cfg(feature = "client")]
pub fn submit(args: SubmitArgs) -> ExitCode {
    use crate::platform::account::Account;
    use crate::platform::spool::{Delivery, Spool};
    let Some(data_dir) = crate::paths::data_dir() else {
        return super::unusable("no data folder (no home directory); set HANDPRINT_HOME");
    };
    let account = match Account::load_required(&data_dir) {
        Ok(a) => a,
        Err(e) => return super::unusable(e),
    };
    let client = match account.client() {
        Ok(c) => c,
        Err(e) => return super::unusable(e),
    };
    let spool = Spool::in_data_dir(&data_dir);
    let mut code = super::VALID;
    for result in spool.deliver_pending(&client) {
        code = code.max(report(result));
    }
    let (Some(bundle), Some(text)) = (args.bundle, args.text) else {
        return ExitCode::from(code);
    };
    let read =
        |p: &PathBuf| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let (bytes, text) = match (read(&bundle), read(&text)) {
        (Ok(b), Ok(t)) => (b, t),
        (Err(e), _) | (_, Err(e)) => return super::unusable(e),
    };
    let Ok(text) = String::from_utf8(text) else {
        return super::unusable("the text file is not UTF-8");
    };
    let Some(challenge) = challenge_of(&bytes) else {
        return super::unusable(format!(
            "{} was not recorded for a platform challenge, so it cannot be submitted; open the challenge (handprint record --challenge …) and record with it",
            bundle.display()
        ));
    };
    let result = spool.submit(&client, &challenge, &bytes, &text).map(|d| match d {
        Delivery::Spooled { digest, why } => {
            println!("spooled {digest}: {why}; it will be sent on the next `handprint submit` or app start");
            Delivery::Spooled { digest, why: String::new() }
        }
        other => other,
    });
    ExitCode::from(code.max(report(result)))
}

/// The challenge id in the record's first line.
#[cfg(feature = "client")]
fn challenge_of(bundle: &[u8]) -> Option<String> {
    let input = crate::attest::Bundle::parse(bundle).ok()?;
    let journal = input.journal_bytes().ok()?;
    let (j, _) = crate::journal::parse_prefix(&journal).ok()?;
    j.start().challenge.as_ref().map(|c| c.id.clone())
}

#[cfg(feature = "client")]
fn report(
    result: Result<crate::platform::spool::Delivery, crate::platform::spool::SpoolError>,
) -> u8 {
    use crate::platform::spool::Delivery;
    match result {
        Ok(Delivery::Delivered(r)) => {
            let again = if r.duplicate { " (already stored earlier)" } else { "" };
            println!("submitted: receipt {} for bundle {}{again}: {}", r.id, r.digest, r.headline);
            super::VALID
        }
        Ok(Delivery::Spooled { digest, why }) => {
            if !why.is_empty() {
                println!("still pending {digest}: {why}");
            }
            SPOOLED
        }
        Ok(Delivery::Refused { digest, error }) => {
            println!("refused {digest}: {error}");
            super::INVALID
        }
        Err(e) => {
            eprintln!("handprint: {e}");
            super::UNUSABLE
        }
    }
}

#[cfg(not(feature = "client"))]
pub fn enrol(_args: EnrolArgs) -> ExitCode {
    super::not_available("enrolment (rebuild with the `client` feature)")
}

#[cfg(not(feature = "client"))]
pub fn submit(_args: SubmitArgs) -> ExitCode {
    super::not_available("submission (rebuild with the `client` feature)")
}
