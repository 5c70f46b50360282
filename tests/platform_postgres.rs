//! The service on PostgreSQL: the same schema and flow as on SQLite, against a throwaway
//! cluster the test creates in a temporary folder (Debian's postgresql package): enrolment,
//! witnessing, submissions across restarts, and the auditors' review queue with decisions
//! and exports. Skipped, saying why, when PostgreSQL is not installed.

mod platform_support;
mod review_support;

use handprint::platform::protocol::SubmitRequest;
use platform_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The newest `/usr/lib/postgresql/*/bin` folder.
fn pg_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root (initdb refuses root).
fn pg(bin: &Path, tool: &str, args: &[&str]) {
    let program = bin.join(tool);
    let status = if is_root() {
        Command::new("runuser").args(["-u", "postgres", "--"]).arg(&program).args(args).status()
    } else {
        Command::new(&program).args(args).status()
    }
    .expect("the PostgreSQL tool runs");
    assert!(status.success(), "{tool} {args:?} failed");
}

/// A throwaway cluster, stopped when dropped.
struct Cluster {
    bin: PathBuf,
    data: String,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Cluster {
    fn start(bin: PathBuf) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            let _ = Command::new("chown").args(["-R", "postgres"]).arg(dir.path()).status();
        }
        let data = dir.path().join("pg").display().to_string();
        let sock = dir.path().display().to_string();
        pg(
            &bin,
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "handprint", "--no-sync", "-E", "UTF8"],
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let opts = format!("-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off");
        let log = dir.path().join("pg.log").display().to_string();
        pg(&bin, "pg_ctl", &["-D", &data, "-o", &opts, "-l", &log, "-w", "start"]);
        Cluster { bin, data, port, _dir: dir }
    }

    fn url(&self) -> String {
        format!("postgres://handprint@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        pg(&self.bin, "pg_ctl", &["-D", &self.data, "-m", "immediate", "-w", "stop"]);
    }
}

#[test]
fn service_on_postgres_enrols_witnesses_and_stores_submissions_across_restarts() {
    let Some(bin) = pg_bin() else {
        eprintln!(
            "skipped: PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); install the postgresql package to run this test"
        );
        return;
    };
    let cluster = Cluster::start(bin);
    let db = cluster.url();
    // Instances starting at once against a fresh database: one migrates, the others wait for
    // it and find the schema current; none fails to start.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let open = || handprint::serve::store::Store::open(scratch.path(), Some(&db));
    let (a, b, c) = rt.block_on(async { tokio::join!(open(), open(), open()) });
    for opened in [a, b, c] {
        rt.block_on(opened.expect("every instance starts").close());
    }
    let data = tempfile::tempdir().unwrap();
    let admin_token = admin_with(data.path(), Some(&db), &["token", "--role", "admin"]);
    let server = Server::start_with(data.path(), "127.0.0.1:0", Some(&db));
    let addr = server.addr();
    let p = Platform { server, admin: admin_token.clone(), _dir: None };
    let t = enrolled_trainer(&p, "Ada");
    let offer = p.challenge(&t.account.trainer, "T-pg", &in_secs(3600));
    let dir = tempfile::tempdir().unwrap();
    let rec = record_witnessed(dir.path(), &t, &offer, "on postgres", Duration::from_millis(5), 4);
    use base64::Engine;
    let req = SubmitRequest {
        challenge: offer.challenge.id.clone(),
        bundle: base64::engine::general_purpose::STANDARD
            .encode(std::fs::read(&rec.bundle).unwrap()),
        text: rec.text.clone(),
    };
    let client = t.account.client().unwrap();
    let receipt = client.submit(&req).unwrap();
    assert!(receipt.valid && !receipt.duplicate, "{receipt:?}");

    let Platform { server, .. } = p;
    server.kill9();
    let server = Server::start_with(data.path(), &addr, Some(&db));
    let (status, stored) =
        get(&format!("{}/v1/submissions/{}", server.url, receipt.id), &admin_token);
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["valid"], true);
    assert!(client.submit(&req).unwrap().duplicate, "idempotent on postgres too");

    // The review on PostgreSQL: the queue's filters and sorting run as SQL there too, a
    // decision lands in the audit log, and both exports read it back.
    use review_support::{csrf_of, login, request};
    let auditor =
        admin_with(data.path(), Some(&db), &["token", "--role", "auditor", "--name", "Audrey"]);
    let url = server.url.as_str();
    let cookie = login(url, &auditor);
    let queue_of = |query: &str| {
        let page = request("GET", &format!("{url}/review?{query}"), &cookie, None, None);
        assert_eq!(page.status, 200, "{}", page.body);
        page.body
    };
    let queue = queue_of("task=T-pg&sort=pasted&dir=desc");
    assert!(queue.contains("1 submission ") && queue.contains(&receipt.id), "{queue}");
    assert!(queue_of("task=T-other").contains("0 submissions"));
    let page = request("GET", &format!("{url}/review/s/{}", receipt.id), &cookie, None, None);
    assert_eq!(page.status, 200, "{}", page.body);
    let decided = request(
        "POST",
        &format!("{url}/review/s/{}/decision", receipt.id),
        &cookie,
        None,
        Some(&[
            ("csrf", &csrf_of(&page.body)),
            ("decision", "accepted"),
            ("note", "checked on postgres"),
        ]),
    );
    assert_eq!(decided.status, 303, "{}", decided.body);
    let log = request("GET", &format!("{url}/review/decisions.csv"), "", Some(&auditor), None);
    let line = log.body.lines().nth(1).unwrap_or_default();
    assert!(line.contains(&receipt.id) && line.contains("accepted"), "{}", log.body);
    let export =
        request("GET", &format!("{url}/review/export.csv?decision=accepted"), &cookie, None, None);
    assert_eq!(export.status, 200);
    assert_eq!(export.body.lines().count(), 2, "{}", export.body);
    assert!(export.body.contains(&receipt.id) && export.body.contains("T-pg"));
}
