//! End to end with a platform, in a real window: the service on loopback, `handprint enrol`,
//! `handprint record --challenge FILE` under X11 typed into by xdotool with the live witness,
//! the window closed, `handprint submit`, then `verify --service-key`. Runs under
//! packaging/run-tests.sh (HANDPRINT_E2E=1); skipped with a reason otherwise.

mod platform_support;

use platform_support::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::desktop::{Spawned, run};

const TASK: &str = "E2E-PLATFORM";

#[test]
fn recorder_with_a_live_witness_records_and_submits() {
    if std::env::var_os("HANDPRINT_E2E").is_none() {
        eprintln!(
            "skipped: set HANDPRINT_E2E=1 with an X display and a window manager (packaging/run-tests.sh does)"
        );
        return;
    }
    let p = Platform::start();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let handprint = |args: &[&str]| {
        let out = Command::new(BIN).args(args).env("HANDPRINT_HOME", &home).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let created = p.create_trainer("Ada");
    let (code, said) = handprint(&["enrol", p.url(), "--token", &created.enrol_token]);
    assert_eq!(code, Some(0), "{said}");
    let account = handprint::platform::account::Account::load_required(&home).unwrap();
    let offer = p.challenge(&account.trainer, TASK, &in_secs(3600));
    let challenge = dir.path().join("challenge.json");
    std::fs::write(&challenge, serde_json::to_vec(&offer).unwrap()).unwrap();

    let out = dir.path().join("out");
    let mut app = Spawned(
        Command::new(BIN)
            .args(["record", "--challenge"])
            .arg(&challenge)
            .arg("--out")
            .arg(&out)
            .env("HANDPRINT_HOME", &home)
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let win = loop {
        assert!(Instant::now() < deadline, "no recorder window within 60 s");
        let found = Command::new("xdotool")
            .args(["search", "--name", &format!("^Handprint.*{TASK}")])
            .output()
            .expect("xdotool is installed");
        if let Some(id) = String::from_utf8_lossy(&found.stdout).lines().next() {
            break id.trim().to_owned();
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    run("xdotool", &["windowactivate", "--sync", &win]);
    std::thread::sleep(Duration::from_millis(400));
    run("xdotool", &["type", "--delay", "60", "A river runs."]);
    std::thread::sleep(Duration::from_millis(400));
    if let Some(shot) = std::env::var_os("HANDPRINT_SCREENSHOT_DIR") {
        let path = std::path::Path::new(&shot).join("recorder-witnessed.png");
        let _ = Command::new("import").args(["-window", "root"]).arg(path).status();
    }
    let wm_id = format!("0x{:x}", win.parse::<u64>().unwrap());
    run("wmctrl", &["-i", "-c", &wm_id]);
    let until = Instant::now() + Duration::from_secs(30);
    while app.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < until, "the recorder did not exit");
        std::thread::sleep(Duration::from_millis(100));
    }
    let bundle = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "handprint"))
        .expect("an exported record");
    let text = bundle.with_extension("txt");
    let (code, said) =
        handprint(&["submit", bundle.to_str().unwrap(), "--text", text.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("submitted: receipt"), "{said}");

    // The auditor's side: the trainer's key as the platform enrolled it pins the signer; the
    // service key comes from a saved /.well-known/handprint, or from the service itself
    // pinned by its published fingerprint.
    let trainer_key = dir.path().join("trainer.pub");
    let (code, public) = handprint(&["key", "export"]);
    assert_eq!(code, Some(0), "{public}");
    std::fs::write(&trainer_key, public).unwrap();
    let well_known = dir.path().join("service.json");
    let (_, info) = get(&format!("{}/.well-known/handprint", p.url()), "");
    std::fs::write(&well_known, info.to_string()).unwrap();
    let service_fp = info["fingerprint"].as_str().unwrap().to_owned();
    let bundle = bundle.to_str().unwrap();
    let pin = ["--pubkey", trainer_key.to_str().unwrap()];
    let (code, said) = handprint(
        &[&["verify", bundle, "--service-key", well_known.to_str().unwrap()][..], &pin].concat(),
    );
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("receipts signed by the platform"), "{said}");
    let (code, said) = handprint(
        &[
            &["verify", bundle, "--service-key", p.url(), "--service-fingerprint", &service_fp][..],
            &pin,
        ]
        .concat(),
    );
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("receipts signed by the platform"), "{said}");
    let other_fp = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let out =
        Command::new(BIN)
            .args(
                [
                    &[
                        "verify",
                        bundle,
                        "--service-key",
                        p.url(),
                        "--service-fingerprint",
                        other_fp,
                    ][..],
                    &pin,
                ]
                .concat(),
            )
            .env("HANDPRINT_HOME", &home)
            .output()
            .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not the platform you named"), "{err}");
}
