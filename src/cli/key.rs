//! `handprint key show|export|rotate`: the trainer's signing key.

use crate::attest::{KeyStore, PublicKey};
use clap::{Subcommand, ValueEnum};
use std::process::ExitCode;

/// Show, export or rotate your signing key.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Print your key's fingerprint, file and public key (creating the key on first use),
    /// and the fingerprints of rotated-out keys.
    Show,
    /// Print a public key for others to pin with `handprint verify --pubkey`.
    Export {
        /// ssh: one OpenSSH line (`ssh-keygen -lf` shows the same fingerprint);
        /// pem: a PEM PUBLIC KEY block; raw: the 32 key bytes as hex.
        #[arg(long, value_enum, default_value_t = Format::Ssh)]
        format: Format,
        /// Export a rotated-out key instead of the current one, named by its fingerprint.
        #[arg(long, value_name = "FINGERPRINT")]
        key: Option<String>,
    },
    /// Retire the current key (kept, so old attestations still name a key you can export)
    /// and create a new one for future sessions.
    Rotate,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Ssh,
    Pem,
    Raw,
}

pub fn run(args: Args) -> ExitCode {
    let store = match KeyStore::open_default() {
        Ok(s) => s,
        Err(e) => return super::unusable(e),
    };
    let result = match args.command {
        KeyCommand::Show => show(&store),
        KeyCommand::Export { format, key } => export(&store, format, key.as_deref()),
        KeyCommand::Rotate => rotate(&store),
    };
    match result {
        Ok(()) => ExitCode::from(super::VALID),
        Err(e) => super::unusable(e),
    }
}

fn show(store: &KeyStore) -> Result<(), String> {
    let created = !store.has_key();
    let key = store.load_or_create().map_err(|e| e.to_string())?;
    println!("fingerprint {}", key.fingerprint());
    println!("file        {}", store.current_path().display());
    println!("public key  {}", key.public().to_ssh("handprint"));
    if created {
        println!("(a new key was created now)");
    }
    for (path, old) in store.retired().map_err(|e| e.to_string())? {
        println!("retired     {}  {}", old.fingerprint(), path.display());
    }
    Ok(())
}

fn export(store: &KeyStore, format: Format, fingerprint: Option<&str>) -> Result<(), String> {
    let public: PublicKey = match fingerprint {
        None => store.load_or_create().map_err(|e| e.to_string())?.public(),
        Some(fp) => find(store, fp)?,
    };
    match format {
        Format::Ssh => println!("{}", public.to_ssh("handprint")),
        Format::Pem => print!("{}", public.to_pem()),
        Format::Raw => println!("{}", public.to_hex()),
    }
    Ok(())
}

/// The public half of the current or a retired key with fingerprint `fp`.
fn find(store: &KeyStore, fp: &str) -> Result<PublicKey, String> {
    let current = store.load_or_create().map_err(|e| e.to_string())?.public();
    let retired = store.retired().map_err(|e| e.to_string())?;
    std::iter::once(current)
        .chain(retired.into_iter().map(|(_, k)| k))
        .find(|k| k.fingerprint() == fp.trim())
        .ok_or_else(|| format!("no key with fingerprint {fp}; `handprint key show` lists yours"))
}

fn rotate(store: &KeyStore) -> Result<(), String> {
    let old =
        store.has_key().then(|| store.load_or_create()).transpose().map_err(|e| e.to_string())?;
    let new = store.rotate().map_err(|e| e.to_string())?;
    if let Some(old) = old {
        println!(
            "retired     {} (kept; `handprint key export --key` prints it)",
            old.fingerprint()
        );
    }
    println!("new key     {}", new.fingerprint());
    Ok(())
}
