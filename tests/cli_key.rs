//! `handprint key`, run as the real binary with HANDPRINT_HOME in a temporary folder.
#![cfg(feature = "cli")]

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

fn fingerprint_line(show: &str) -> String {
    show.lines().find_map(|l| l.strip_prefix("fingerprint ")).unwrap().trim().to_owned()
}

#[test]
fn show_creates_a_key_once_and_prints_fingerprint_path_and_public_key() {
    let home = tempfile::tempdir().unwrap();
    let first = handprint(home.path(), &["key", "show"]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let out = stdout(&first);
    assert!(out.contains("a new key was created"));
    assert!(out.contains(&home.path().join("keys").join("current.pk8").display().to_string()));
    assert!(out.contains("public key  ssh-ed25519 AAAA"));
    let again = stdout(&handprint(home.path(), &["key", "show"]));
    assert_eq!(fingerprint_line(&out), fingerprint_line(&again));
    assert!(!again.contains("a new key was created"));
}

#[test]
fn exported_ssh_key_has_the_fingerprint_ssh_keygen_computes() {
    let Ok(probe) = Command::new("ssh-keygen").arg("-?").output() else {
        eprintln!("ssh-keygen is not installed; skipping (CI installs openssh-client)");
        return;
    };
    drop(probe);
    let home = tempfile::tempdir().unwrap();
    let ours = fingerprint_line(&stdout(&handprint(home.path(), &["key", "show"])));
    let export = handprint(home.path(), &["key", "export", "--format", "ssh"]);
    let pub_path = home.path().join("key.pub");
    std::fs::write(&pub_path, &export.stdout).unwrap();
    let keygen = Command::new("ssh-keygen").arg("-lf").arg(&pub_path).output().unwrap();
    let line = String::from_utf8_lossy(&keygen.stdout);
    // ssh-keygen prints "256 SHA256:… comment (ED25519)".
    assert_eq!(line.split_whitespace().nth(1), Some(ours.as_str()), "ssh-keygen said {line:?}");
}

#[test]
fn pem_and_raw_exports_describe_the_same_key() {
    let home = tempfile::tempdir().unwrap();
    let pem = stdout(&handprint(home.path(), &["key", "export", "--format", "pem"]));
    let raw = stdout(&handprint(home.path(), &["key", "export", "--format", "raw"]));
    let a = handprint::attest::PublicKey::parse(pem.as_bytes()).unwrap();
    let b = handprint::attest::PublicKey::parse(raw.as_bytes()).unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(a, b);
    assert_eq!(raw.trim().len(), 64);
}

#[test]
fn rotate_makes_a_new_key_and_keeps_the_old_one_exportable() {
    let home = tempfile::tempdir().unwrap();
    let old = fingerprint_line(&stdout(&handprint(home.path(), &["key", "show"])));
    let rotated = handprint(home.path(), &["key", "rotate"]);
    assert_eq!(rotated.status.code(), Some(0));
    let show = stdout(&handprint(home.path(), &["key", "show"]));
    assert_ne!(fingerprint_line(&show), old);
    assert!(show.contains(&format!("retired     {old}")));
    let exported = handprint(home.path(), &["key", "export", "--key", &old]);
    assert_eq!(exported.status.code(), Some(0));
    let key = handprint::attest::PublicKey::parse(&exported.stdout).unwrap();
    assert_eq!(key.fingerprint(), old);
}

#[cfg(unix)]
#[test]
fn key_readable_by_others_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    handprint(home.path(), &["key", "show"]);
    let key = home.path().join("keys").join("current.pk8");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = handprint(home.path(), &["key", "show"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("chmod 600 {}", key.display())), "{err}");
    assert!(err.contains("can be read by other users"), "{err}");
    // Signing through the library is refused the same way.
    let store = handprint::attest::KeyStore::at(home.path().join("keys"));
    assert!(matches!(
        store.load_or_create(),
        Err(handprint::attest::KeyError::Exposed { mode: 0o644, .. })
    ));
}
