//! `handprint --version` names the commit the binary was built from (build.rs), so a bug
//! report or a question about a verdict can say exactly which code ran.
#![cfg(feature = "cli")]

use std::process::Command;

fn version_line() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_handprint")).arg("--version").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn version_names_the_package_version_and_a_commit() {
    let line = version_line();
    let expected_start = format!("handprint {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected_start), "{line}");
    assert!(line.ends_with(')'), "{line}");
}

#[test]
fn version_names_the_checked_out_commit_when_built_in_a_git_checkout() {
    let Ok(git) = Command::new("git")
        .args(["log", "-1", "--format=%h", "--abbrev=12"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
    else {
        eprintln!("git is not installed; skipping");
        return;
    };
    if !git.status.success() {
        eprintln!("not a git checkout; skipping");
        return;
    }
    let head = String::from_utf8(git.stdout).unwrap().trim().to_owned();
    let line = version_line();
    assert!(line.contains(&format!("(commit {head}, ")), "{line} should name {head}");
}
