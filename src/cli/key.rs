//! `handprint key`: the trainer's signing key.

use std::process::ExitCode;

/// Show, export or rotate your signing key.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    super::not_available("key management")
}
