//! `handprint serve`: the platform service a task platform runs (docs/PLATFORM.md).
//!
//! It holds what the trainer does not control: its own Ed25519 key, its clock, and its copy
//! of every witness receipt. [`service`] is the domain (tested without HTTP), [`http`] the
//! thin axum layer, [`store`] the database (SQLite embedded, or PostgreSQL), [`submission`]
//! the verification of what trainers submit, [`admin`] the local admin commands.

pub mod admin;
pub mod error;
pub mod http;
mod random;
pub mod review;
pub mod service;
pub mod store;
pub mod submission;

#[cfg(test)]
mod service_tests;

use crate::attest::{KeyStore, SigningKey};
use service::Service;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use store::Store;

/// Where the service keeps its state.
#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    /// Folder for the service's key and (without --database) its SQLite database.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// A PostgreSQL URL (postgres://user:pass@host/db) instead of the embedded SQLite, for
    /// several instances behind a load balancer (give each the same --data key folder).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

/// Run the platform service: enrolment, task challenges, live witness receipts and
/// submissions over HTTP (terminate TLS in front of it). Prints the address it listens on
/// and its key fingerprint, then serves until interrupted.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8750")]
    pub listen: String,
    /// Folder for the service's key and (without --database) its SQLite database.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL instead of the embedded SQLite (see `serve admin --help`).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Admin(admin::Args),
}

/// The service key, created in `data/service-key/` on first start (owner-only file).
pub fn service_key(data: &Path) -> Result<SigningKey, String> {
    KeyStore::at(data.join("service-key")).load_or_create().map_err(|e| e.to_string())
}

/// Opens the database and the key.
pub async fn open(data: &DataArgs) -> Result<Service, String> {
    let key = service_key(&data.data)?;
    let store =
        Store::open(&data.data, data.database.as_deref()).await.map_err(|e| e.to_string())?;
    Ok(Service::new(store, key))
}

/// Runs `handprint serve`.
pub fn run(args: Args) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    match args.command {
        Some(Command::Admin(a)) => runtime.block_on(admin::run(a)),
        None => {
            let data = args
                .data
                .ok_or("--data DIR is required: where the service keeps its key and database")?;
            let data = DataArgs { data, database: args.database };
            init_logs();
            runtime.block_on(serve(&args.listen, &data))
        }
    }
}

fn init_logs() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("HANDPRINT_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

async fn serve(listen: &str, data: &DataArgs) -> Result<(), String> {
    let service = Arc::new(open(data).await?);
    // Submissions stored before the review queue existed get their queue rows.
    let added = review::queue::backfill(service.store().pool()).await.map_err(|e| e.to_string())?;
    if added > 0 {
        tracing::info!(added, "review queue: indexed earlier submissions");
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The first stdout line is for scripts and tests: the address actually bound.
    println!(
        "handprint serve: listening on http://{addr} (service key {})",
        service.info().fingerprint
    );
    {
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }
    tracing::info!(%addr, fingerprint = %service.info().fingerprint, "service started");
    let app = http::router(service.clone(), http::RateLimit::default());
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("the service stopped: {e}"))?;
    service.store().close().await;
    tracing::info!("service stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
