//! `handprint verify`: check a signed bundle.

use std::path::PathBuf;
use std::process::ExitCode;

/// Verify a signed bundle: signature, journal chain, checkpoints, that replay reproduces
/// the attested text, and optionally the submitted text, task, nonce and signer.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle (.handprint) to verify.
    pub file: PathBuf,
}

pub fn run(_args: Args) -> ExitCode {
    super::not_available("verification")
}
