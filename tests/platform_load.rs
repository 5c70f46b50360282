//! A bounded load test: 200 submissions at once on loopback, every one stored, none lost,
//! none doubled. Throughput is measured by `benches/platform.rs`, not asserted here.

mod platform_support;

use handprint::platform::protocol::SubmitRequest;
use platform_support::*;
use std::collections::BTreeSet;
use std::time::Duration;

const SUBMISSIONS: usize = 200;

#[test]
fn two_hundred_concurrent_submissions_are_all_stored_once() {
    let p = Platform::start();
    let t = enrolled_trainer(&p, "Ada");
    let dir = tempfile::tempdir().unwrap();
    let requests: Vec<SubmitRequest> = (0..SUBMISSIONS)
        .map(|i| {
            let offer = p.challenge(&t.account.trainer, &format!("T-{i}"), &in_secs(3600));
            let rec =
                record_with(dir.path(), &t, &offer, "short answer", Duration::ZERO, 100, false);
            use base64::Engine;
            SubmitRequest {
                challenge: offer.challenge.id.clone(),
                bundle: base64::engine::general_purpose::STANDARD
                    .encode(std::fs::read(&rec.bundle).unwrap()),
                text: rec.text,
            }
        })
        .collect();
    let client = t.account.client().unwrap();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(SUBMISSIONS));
    let handles: Vec<_> = requests
        .into_iter()
        .map(|req| {
            let (client, barrier) = (client.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                client.submit(&req)
            })
        })
        .collect();
    let auditor = admin(&p.server.data, &["token", "--role", "auditor"]);
    let mut ids = BTreeSet::new();
    for h in handles {
        let receipt = h.join().unwrap().expect("every submission is stored");
        assert!(receipt.valid && !receipt.duplicate, "{receipt:?}");
        ids.insert(receipt.id);
    }
    assert_eq!(ids.len(), SUBMISSIONS, "one distinct receipt per submission");
    for id in &ids {
        let (status, _) = get(&format!("{}/v1/submissions/{id}", p.url()), &auditor);
        assert_eq!(status, 200, "{id} is stored");
    }
}
