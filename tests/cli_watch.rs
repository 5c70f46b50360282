//! `handprint watch` refuses a file it cannot watch before opening any window, with a
//! sentence that says what to do (exit code 2, unusable input).
#![cfg(all(feature = "cli", feature = "gui"))]

use std::process::Command;

#[test]
fn a_file_in_a_folder_that_does_not_exist_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-such-folder").join("essay.md");
    let out = Command::new(env!("CARGO_BIN_EXE_handprint"))
        .arg("watch")
        .arg(&file)
        .args(["--task", "T-1"])
        .env("HANDPRINT_HOME", dir.path().join("home"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not in an existing folder; create the folder first"), "{err}");
    assert!(!file.exists());
}
