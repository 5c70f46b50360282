//! `handprint verify`, run as the real binary with HANDPRINT_HOME in a temporary folder.
#![cfg(feature = "cli")]

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn handprint(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handprint"))
        .env("HANDPRINT_HOME", home)
        .args(args)
        .output()
        .expect("runs handprint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn valid_bundle_by_an_unpinned_signer_exits_1_unless_any_signer() {
    let home = tempfile::tempdir().unwrap();
    let s = support::record(home.path(), "s", "T-9", Some("n-1"));
    let text = home.path().join("answer.txt");
    std::fs::write(&text, &s.text).unwrap();
    let bundle = s.exported.bundle.to_str().unwrap();
    let args =
        ["verify", bundle, "--text", text.to_str().unwrap(), "--task", "T-9", "--nonce", "n-1"];
    let out = handprint(home.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let o = stdout(&out);
    assert!(o.starts_with("INVALID: "));
    assert!(o.contains("FAIL signer          signer not pinned"), "{o}");
    let out = handprint(home.path(), &[&args[..], &["--any-signer"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let o = stdout(&out);
    assert!(o.starts_with("valid: "));
    assert!(o.contains(&format!("signer  {} (NOT pinned", s.key.fingerprint())));
    assert!(o.contains("text    matches exactly"));
}

#[test]
fn trust_file_of_registered_keys_pins_the_signer() {
    let home = tempfile::tempdir().unwrap();
    let s = support::record(home.path(), "s", "T-9", None);
    let ssh = handprint(home.path(), &["key", "export", "--format", "ssh"]);
    let trust = home.path().join("trainers.keys");
    let other = handprint::attest::PublicKey([7; 32]).to_ssh("someone-else");
    let file = format!("# registered trainers\n{other}\n{}", String::from_utf8_lossy(&ssh.stdout));
    std::fs::write(&trust, file).unwrap();
    let bundle = s.exported.bundle.to_str().unwrap();
    let out = handprint(home.path(), &["verify", bundle, "--trust", trust.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    std::fs::write(&trust, format!("{other}\n")).unwrap();
    let out = handprint(home.path(), &["verify", bundle, "--trust", trust.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    std::fs::write(&trust, "garbage\n").unwrap();
    let out = handprint(home.path(), &["verify", bundle, "--trust", trust.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1 of the trust file"));
}

#[test]
fn verify_help_documents_every_exit_code() {
    let home = tempfile::tempdir().unwrap();
    let out = handprint(home.path(), &["verify", "--help"]);
    let help = stdout(&out);
    for needle in
        ["0  valid", "1  invalid", "2  unusable", "signer not pinned", "--any-signer", "--trust"]
    {
        assert!(help.contains(needle), "verify --help lacks {needle:?}:\n{help}");
    }
}

#[test]
fn pubkey_exported_by_key_export_pins_the_signer() {
    let home = tempfile::tempdir().unwrap();
    let s = support::record(home.path(), "s", "T-9", None);
    let export = handprint(home.path(), &["key", "export", "--format", "pem"]);
    let pem = home.path().join("trainer.pem");
    std::fs::write(&pem, &export.stdout).unwrap();
    let out = handprint(
        home.path(),
        &["verify", s.exported.bundle.to_str().unwrap(), "--pubkey", pem.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("(the key you required)"));
}

#[test]
fn wrong_task_exits_1_and_says_what_failed() {
    let home = tempfile::tempdir().unwrap();
    let s = support::record(home.path(), "s", "T-9", None);
    let fp = s.key.fingerprint();
    let bundle = s.exported.bundle.to_str().unwrap();
    let out = handprint(home.path(), &["verify", bundle, "--task", "T-10", "--fingerprint", &fp]);
    assert_eq!(out.status.code(), Some(1));
    let o = stdout(&out);
    assert!(o.starts_with("INVALID: "));
    assert!(o.contains("FAIL task"), "{o}");
    assert!(o.contains("recorded for task \"T-9\", not \"T-10\""), "{o}");
}

#[test]
fn json_report_is_machine_readable() {
    let home = tempfile::tempdir().unwrap();
    let s = support::record(home.path(), "s", "T-9", None);
    let out = handprint(
        home.path(),
        &["verify", s.exported.bundle.to_str().unwrap(), "--fingerprint", "SHA256:nope", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["kind"], "bundle");
    assert_eq!(v["predicate"]["task"], "T-9");
    let failed: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["signer"]);
}

#[test]
fn unusable_input_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let junk = home.path().join("junk.handprint");
    std::fs::write(&junk, b"{\"hello\": 1}").unwrap();
    let out = handprint(home.path(), &["verify", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Handprint journal or bundle"));
    let missing = handprint(home.path(), &["verify", "/nonexistent/x.handprint"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn journal_commands_accept_a_bundle() {
    let home = tempfile::tempdir().unwrap();
    let s = support::record(home.path(), "s", "T-9", None);
    let bundle = s.exported.bundle.to_str().unwrap();
    let check = handprint(home.path(), &["journal", "check", bundle]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let text = handprint(home.path(), &["journal", "text", bundle]);
    assert_eq!(stdout(&text), s.text);
}
