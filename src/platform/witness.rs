//! The live witness: a worker thread that sends the journal's chain head to the platform
//! while the session is written and hands back signed receipts to append.
//!
//! Recording never waits for it. The recorder offers the current head now and then; the
//! worker sends the latest one, and when the service is unreachable it retries with backoff —
//! always with the newest head, never a stale one, so a receipt's time is never earlier
//! than the writing it covers. An outage shows in the record as a long unwitnessed span.

use super::client::{Client, ClientError};
use super::protocol::{Receipt, WitnessRequest};
use crate::attest::PublicKey;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the recorder offers the head while the trainer is writing (issue 9: every 30 s
/// of writing, and at pause and finish).
pub const WITNESS_EVERY: Duration = Duration::from_secs(30);
/// First retry delay after a failed send; doubled per failure up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// Longest wait between retries: an outage is noticed again within this.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The state of the link to the service, shown in the writing screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Nothing sent yet.
    Waiting,
    /// The last head sent was receipted.
    Connected { last_receipt: Instant },
    /// The service has not answered since `since`; retrying.
    Offline { since: Instant, since_wall: String, why: String },
    /// The service refused the last head (it will not be retried).
    Refused { why: String },
}

#[derive(Debug)]
struct Shared {
    receipts: Vec<Receipt>,
    link: Link,
}

enum Msg {
    Head(u64, String),
    Stop,
}

/// A running witness for one session.
pub struct Witness {
    tx: Sender<Msg>,
    shared: Arc<Mutex<Shared>>,
    worker: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Witness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Witness").field("link", &self.link()).finish()
    }
}

impl Witness {
    /// Starts the worker for `session` answering `challenge`. Receipts not signed by
    /// `service_key` for this session and head are dropped (and the link shows why).
    pub fn spawn(
        client: Client,
        service_key: PublicKey,
        challenge: &str,
        session: &str,
    ) -> Witness {
        let (tx, rx) = channel();
        let shared = Arc::new(Mutex::new(Shared { receipts: Vec::new(), link: Link::Waiting }));
        let worker = {
            let shared = shared.clone();
            let ctx =
                Ctx { client, service_key, challenge: challenge.into(), session: session.into() };
            std::thread::Builder::new()
                .name("handprint-witness".into())
                .spawn(move || run(ctx, rx, shared))
                .ok()
        };
        Witness { tx, shared, worker }
    }

    /// Offers the chain head over the first `n` lines. Returns at once.
    pub fn offer(&self, n: u64, head: String) {
        let _ = self.tx.send(Msg::Head(n, head));
    }

    /// Receipts that arrived since the last call, in order.
    pub fn take_receipts(&self) -> Vec<Receipt> {
        self.shared.lock().map(|mut s| std::mem::take(&mut s.receipts)).unwrap_or_default()
    }

    /// The link state now.
    pub fn link(&self) -> Link {
        self.shared.lock().map(|s| s.link.clone()).unwrap_or(Link::Waiting)
    }

    /// Waits up to `timeout` for at least one receipt covering `n` lines or more; returns the
    /// receipts that arrived (possibly none, when the service is down).
    pub fn wait_for(&self, n: u64, timeout: Duration) -> Vec<Receipt> {
        let until = Instant::now() + timeout;
        let mut got = Vec::new();
        loop {
            got.extend(self.take_receipts());
            if got.iter().any(|r| r.n >= n) || Instant::now() >= until {
                return got;
            }
            if matches!(self.link(), Link::Refused { .. }) {
                return got;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Witness {
    fn drop(&mut self) {
        let _ = self.tx.send(Msg::Stop);
        // Not joined: a request in flight may take up to the client timeout, and closing the
        // recorder must not wait for it. The thread ends on its own.
        drop(self.worker.take());
    }
}

struct Ctx {
    client: Client,
    service_key: PublicKey,
    challenge: String,
    session: String,
}

fn run(ctx: Ctx, rx: Receiver<Msg>, shared: Arc<Mutex<Shared>>) {
    let set_link = |link: Link| {
        if let Ok(mut s) = shared.lock() {
            s.link = link;
        }
    };
    let mut pending: Option<(u64, String)> = None;
    let mut backoff = FIRST_BACKOFF;
    let mut offline_since: Option<(Instant, String)> = None;
    loop {
        // Wait for a head (or, while retrying, for the backoff to pass), keeping the newest.
        let msg = if pending.is_some() {
            match rx.recv_timeout(backoff) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            }
        };
        match msg {
            Some(Msg::Stop) => return,
            Some(Msg::Head(n, head)) => {
                pending = Some((n, head));
                while let Ok(m) = rx.try_recv() {
                    match m {
                        Msg::Stop => return,
                        Msg::Head(n, head) => pending = Some((n, head)),
                    }
                }
            }
            None => {}
        }
        let Some((n, head)) = pending.clone() else { continue };
        let req = WitnessRequest {
            challenge: ctx.challenge.clone(),
            session: ctx.session.clone(),
            n,
            head: head.clone(),
        };
        match ctx.client.witness(&req) {
            Ok(r) => {
                pending = None;
                backoff = FIRST_BACKOFF;
                offline_since = None;
                match check(&r, &ctx, n, &head) {
                    Ok(()) => {
                        if let Ok(mut s) = shared.lock() {
                            s.receipts.push(r);
                            s.link = Link::Connected { last_receipt: Instant::now() };
                        }
                    }
                    Err(why) => set_link(Link::Refused { why }),
                }
            }
            Err(e) if e.is_transient() => {
                let (since, since_wall) = offline_since
                    .get_or_insert_with(|| (Instant::now(), crate::event::wall_now()))
                    .clone();
                set_link(Link::Offline { since, since_wall, why: e.to_string() });
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(e) => {
                pending = None;
                set_link(Link::Refused { why: refusal(&e) });
            }
        }
    }
}

fn refusal(e: &ClientError) -> String {
    e.to_string()
}

/// A receipt is appended only if it is for what was sent and signed by the pinned key.
fn check(r: &Receipt, ctx: &Ctx, n: u64, head: &str) -> Result<(), String> {
    if r.n != n || r.head != head {
        return Err("the service receipted a different head than the one sent".into());
    }
    r.verify(&ctx.service_key, &ctx.session)
}
