//! `handprint serve admin`: what a platform administrator does on the service's machine,
//! directly on its database: create tokens, trainers and challenges. The same actions are
//! available over HTTP with an admin token.

use super::DataArgs;
use super::service::Role;
use crate::platform::protocol::{CreateChallenge, CreateTrainer};
use std::path::PathBuf;

/// Administer the platform service's database (run on the service's machine).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Create an admin or auditor API token (printed once; only its hash is stored).
    Token {
        #[arg(long, value_parser = ["admin", "auditor"])]
        role: String,
        /// Who holds it: the name the review's audit log records for their decisions.
        #[arg(long)]
        name: Option<String>,
    },
    /// Create a trainer account; prints its id and one-time enrolment token.
    CreateTrainer {
        /// A name for people.
        name: String,
    },
    /// Issue a signed task challenge for a trainer; prints the challenge with its prompt
    /// (JSON: hand it to the trainer as a file, or its id as a link).
    Challenge {
        #[arg(long)]
        trainer: String,
        #[arg(long)]
        task: String,
        /// File holding the prompt text shown to the trainer.
        #[arg(long, value_name = "FILE")]
        prompt: PathBuf,
        /// Deadline, RFC 3339 (e.g. 2026-05-01T17:00:00Z).
        #[arg(long)]
        deadline: String,
    },
    /// Print the service's public key description (what /.well-known/handprint serves).
    Info,
}

pub async fn run(args: Args) -> Result<(), String> {
    let service = super::open(&args.data).await?;
    let out = match args.action {
        Action::Token { role, name } => {
            service.create_token(&role, name.as_deref()).await.map_err(|e| e.to_string())?
        }
        Action::CreateTrainer { name } => {
            let created = service
                .create_trainer(&Role::Admin, &CreateTrainer { name })
                .await
                .map_err(|e| e.to_string())?;
            to_json(&created)
        }
        Action::Challenge { trainer, task, prompt, deadline } => {
            let prompt = std::fs::read_to_string(&prompt)
                .map_err(|e| format!("cannot read the prompt {}: {e}", prompt.display()))?;
            let offer = service
                .create_challenge(
                    &Role::Admin,
                    &CreateChallenge { trainer, task, prompt, deadline },
                )
                .await
                .map_err(|e| e.to_string())?;
            to_json(&offer)
        }
        Action::Info => to_json(&service.info()),
    };
    println!("{out}");
    service.store().close().await;
    Ok(())
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
