//! Shared by the platform tests: the real `handprint serve` binary on loopback (port 0, its
//! own temporary data folder, killed when dropped), admin calls over HTTP, and a scripted
//! recording that talks to the live witness the way the recorder does.
#![allow(dead_code)]

use handprint::attest::SigningKey;
use handprint::event::{Edit, Event, Key, Modifiers};
use handprint::journal::{CheckpointPolicy, JournalWriter};
use handprint::platform::account::Account;
use handprint::platform::protocol::{ChallengeOffer, CreateChallenge, TrainerCreated};
use handprint::platform::witness::Witness;
use handprint::record::export_session;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_handprint");

/// A running service.
pub struct Server {
    child: Child,
    pub url: String,
    pub data: PathBuf,
}

impl Server {
    /// Starts the service on a free loopback port with its data in `data`.
    pub fn start(data: &Path) -> Server {
        Self::start_on(data, "127.0.0.1:0")
    }

    /// Starts the service on `listen` (used to restart on the same port).
    pub fn start_on(data: &Path, listen: &str) -> Server {
        Self::start_with(data, listen, None)
    }

    /// Starts the service with `--database URL` when given.
    pub fn start_with(data: &Path, listen: &str, database: Option<&str>) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--listen", listen, "--data"]).arg(data);
        if let Some(db) = database {
            cmd.args(["--database", db]);
        }
        let mut child = cmd
            .env("HANDPRINT_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the handprint binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("the service prints its address");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Server { child, url, data: data.to_owned() }
    }

    /// The `host:port` part of the address.
    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_owned()
    }

    /// Kills the service with SIGKILL (no clean shutdown).
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `handprint serve admin --data DATA ARGS…` and returns its stdout.
pub fn admin(data: &Path, args: &[&str]) -> String {
    admin_with(data, None, args)
}

/// `handprint serve admin` with `--database URL` when given.
pub fn admin_with(data: &Path, database: Option<&str>, args: &[&str]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "admin", "--data"]).arg(data);
    if let Some(db) = database {
        cmd.args(["--database", db]);
    }
    let out = cmd.args(args).output().expect("admin runs");
    assert!(out.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into()
}

/// POSTs JSON with a bearer token; returns (status, body).
pub fn post(url: &str, token: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let mut resp = agent()
        .post(url)
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body)
        .expect("request sent");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_json().unwrap_or(serde_json::Value::Null))
}

/// GETs with a bearer token; returns (status, body).
pub fn get(url: &str, token: &str) -> (u16, serde_json::Value) {
    let mut resp = agent()
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("request sent");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_json().unwrap_or(serde_json::Value::Null))
}

/// A service with an admin token.
pub struct Platform {
    pub server: Server,
    pub admin: String,
    pub _dir: Option<tempfile::TempDir>,
}

impl Platform {
    pub fn start() -> Platform {
        let dir = tempfile::tempdir().unwrap();
        let admin_token = admin(dir.path(), &["token", "--role", "admin"]);
        let server = Server::start(dir.path());
        Platform { server, admin: admin_token, _dir: Some(dir) }
    }

    pub fn url(&self) -> &str {
        &self.server.url
    }

    pub fn create_trainer(&self, name: &str) -> TrainerCreated {
        let (status, body) = post(
            &format!("{}/v1/admin/trainers", self.url()),
            &self.admin,
            &serde_json::json!({ "name": name }),
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_value(body).unwrap()
    }

    pub fn challenge(&self, trainer: &str, task: &str, deadline: &str) -> ChallengeOffer {
        let req = CreateChallenge {
            trainer: trainer.into(),
            task: task.into(),
            prompt: format!("Prompt for {task}: describe a river you know."),
            deadline: deadline.into(),
        };
        let (status, body) = post(
            &format!("{}/v1/challenges", self.url()),
            &self.admin,
            &serde_json::to_value(req).unwrap(),
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_value(body).unwrap()
    }
}

/// An RFC 3339 time `secs` from now.
pub fn in_secs(secs: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(secs))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A trainer with a key, enrolled.
pub struct Trainer {
    pub key: SigningKey,
    pub account: Account,
}

pub fn enrolled_trainer(p: &Platform, name: &str) -> Trainer {
    let created = p.create_trainer(name);
    let (key, _) = SigningKey::generate().unwrap();
    let account = Account::enrol(p.url(), &created.enrol_token, &key, None).expect("enrols");
    Trainer { key, account }
}

/// A finished, exported session.
pub struct Recorded {
    pub bundle: PathBuf,
    pub text: String,
    pub journal: PathBuf,
}

/// Records `words` typed one char at a time (every `gap`), offering the head to the witness
/// every `witness_every` chars and at the end, appending receipts as they arrive — what the
/// recorder's witness thread does, without a window.
pub fn record_witnessed(
    dir: &Path,
    trainer: &Trainer,
    offer: &ChallengeOffer,
    words: &str,
    gap: Duration,
    witness_every: usize,
) -> Recorded {
    record_with(dir, trainer, offer, words, gap, witness_every, true)
}

pub fn record_with(
    dir: &Path,
    trainer: &Trainer,
    offer: &ChallengeOffer,
    words: &str,
    gap: Duration,
    witness_every: usize,
    witnessed: bool,
) -> Recorded {
    let start =
        handprint::session::start_facts_for_challenge(&offer.challenge, &offer.prompt, &["editor"]);
    let session = start.session.clone();
    let path = dir.join(format!("{session}.jsonl"));
    let mut w = JournalWriter::create(&path, start).unwrap();
    w.set_signer(Box::new(trainer.key.clone()), CheckpointPolicy::default());
    let witness = witnessed.then(|| {
        Witness::spawn(
            trainer.account.client().unwrap(),
            trainer.account.service_public_key().unwrap(),
            &offer.challenge.id,
            &session,
        )
    });
    let mut text = String::new();
    for (i, ch) in words.chars().enumerate() {
        let code =
            if ch == ' ' { "Space".to_owned() } else { format!("Key{}", ch.to_ascii_uppercase()) };
        let key = Key::new(code, Modifiers::NONE, None);
        w.append(Event::KeyDown(key.clone())).unwrap();
        let p = text.chars().count();
        w.append(Event::Edit(Edit {
            p,
            d: Default::default(),
            i: ch.to_string().into(),
            c: Default::default(),
        }))
        .unwrap();
        text.push(ch);
        std::thread::sleep(gap);
        w.append(Event::KeyUp(key)).unwrap();
        if let Some(wit) = &witness {
            for r in wit.take_receipts() {
                w.append(Event::Witness(Box::new(r))).unwrap();
            }
            if (i + 1) % witness_every == 0 {
                wit.offer(w.next_seq(), w.head().hex());
            }
        }
    }
    if let Some(wit) = &witness {
        let n = w.next_seq();
        wit.offer(n, w.head().hex());
        for r in wit.wait_for(n, Duration::from_secs(5)) {
            w.append(Event::Witness(Box::new(r))).unwrap();
        }
    }
    let journal = w.finish(&text).unwrap();
    let exported = export_session(&journal, &trainer.key, None, dir).unwrap();
    Recorded { bundle: exported.bundle, text, journal }
}
