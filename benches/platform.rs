//! Submission throughput of the platform service on loopback: N sessions (each a few
//! hundred events, signed, for its own challenge) submitted by C concurrent clients over
//! HTTP to an in-process service with the embedded SQLite database. Reports submissions per
//! second; nothing is asserted (the bounded correctness test is tests/platform_load.rs).
//!
//! `cargo bench --bench platform` (HANDPRINT_BENCH_N, HANDPRINT_BENCH_CLIENTS to change).

use handprint::attest::SigningKey;
use handprint::event::{Edit, Event};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::platform::client::Client;
use handprint::platform::protocol::{CreateChallenge, CreateTrainer, SubmitRequest, enrol_request};
use handprint::record::export_session;
use handprint::serve::service::Role;
use handprint::serve::{DataArgs, http};
use std::sync::Arc;
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let n = env_usize("HANDPRINT_BENCH_N", 400);
    let clients = env_usize("HANDPRINT_BENCH_CLIENTS", 32);
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let data = DataArgs { data: dir.path().join("service"), database: None };
    let service = Arc::new(rt.block_on(handprint::serve::open(&data)).expect("service opens"));

    let key = SigningKey::from_seed(&[5; 32]).expect("key");
    let (trainer, token) = rt.block_on(async {
        let created = service
            .create_trainer(&Role::Admin, &CreateTrainer { name: "bench".into() })
            .await
            .expect("trainer");
        let enrolled =
            service.enrol(&created.enrol_token, &enrol_request(&key)).await.expect("enrol");
        (created.trainer, enrolled.api_token)
    });
    let deadline = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let requests: Vec<SubmitRequest> = (0..n)
        .map(|i| {
            let offer = rt
                .block_on(service.create_challenge(
                    &Role::Admin,
                    &CreateChallenge {
                        trainer: trainer.clone(),
                        task: format!("T-{i}"),
                        prompt: "Write a paragraph.".into(),
                        deadline: deadline.clone(),
                    },
                ))
                .expect("challenge");
            let start = handprint::session::start_facts_for_challenge(
                &offer.challenge,
                &offer.prompt,
                &["editor"],
            );
            let path = dir.path().join(format!("{i}.jsonl"));
            let mut w = JournalWriter::create(&path, start).expect("journal");
            w.set_signer(Box::new(key.clone()), CheckpointPolicy::default());
            let mut text = String::new();
            for (p, ch) in "a short answer typed by hand, ".repeat(10).chars().enumerate() {
                w.append_at(
                    p as u64 * 150_000,
                    Event::Edit(Edit {
                        p,
                        d: Default::default(),
                        i: ch.to_string().into(),
                        c: Default::default(),
                    }),
                )
                .expect("append");
                text.push(ch);
            }
            let journal = w.finish(&text).expect("finish");
            let bundle = export_session(&journal, &key, None, dir.path()).expect("export").bundle;
            use base64::Engine;
            SubmitRequest {
                challenge: offer.challenge.id,
                bundle: base64::engine::general_purpose::STANDARD
                    .encode(std::fs::read(bundle).expect("bundle")),
                text,
            }
        })
        .collect();

    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let limit = http::RateLimit { burst: 1e9, per_second: 1e9 };
    let app = http::router(service.clone(), limit);
    rt.spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });

    let client = Client::new(&format!("http://{addr}"), Some(token)).expect("client");
    let queue = Arc::new(std::sync::Mutex::new(requests));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (client, queue) = (client.clone(), queue.clone());
            std::thread::spawn(move || {
                let mut ok = 0usize;
                loop {
                    let Some(req) = queue.lock().ok().and_then(|mut q| q.pop()) else { return ok };
                    if client.submit(&req).is_ok() {
                        ok += 1;
                    }
                }
            })
        })
        .collect();
    let stored: usize = workers.into_iter().map(|w| w.join().unwrap_or(0)).sum();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "platform/submit: {stored} of {n} submissions stored by {clients} concurrent clients in {secs:.2} s: {:.0} submissions/s ({:.1} ms each)",
        stored as f64 / secs,
        secs * 1000.0 / n as f64 * clients as f64
    );
}
