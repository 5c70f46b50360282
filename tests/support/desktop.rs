//! Driving programs on the test display (Xvfb + openbox, from packaging/run-tests.sh): run a
//! helper such as xdotool or xclip, keep a spawned program from outliving its test, and wait
//! for a window by its title.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Runs `program` to its end and returns what it printed; fails the test if it fails.
pub fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} (is it installed?): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A spawned program, ended if the test fails half-way so that no window outlives the test.
pub struct Spawned(pub Child);

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The id of the first window whose title matches `title` (an xdotool pattern), within
/// 60 s; fails the test if `owner` exits before it appears.
pub fn wait_for_window(title: &str, owner: &mut Child) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = owner.try_wait() {
            panic!("the program behind {title:?} exited before its window appeared: {status}");
        }
        let out = Command::new("xdotool").args(["search", "--name", title]).output();
        let out = out.expect("xdotool is installed");
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            return id.trim().to_owned();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("no window titled {title:?} within 60 s");
}

/// The one record the app exported into `out`.
pub fn exported_record(out: &Path) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap_or_else(|e| panic!("no export folder {}: {e}", out.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "handprint"))
        .collect();
    assert_eq!(found.len(), 1, "one exported record in {}: {found:?}", out.display());
    // HANDPRINT_E2E_KEEP=DIR keeps a copy, to open in the viewer and look at.
    if let Some(keep) = std::env::var_os("HANDPRINT_E2E_KEEP") {
        let _ = std::fs::copy(&found[0], Path::new(&keep).join(found[0].file_name().unwrap()));
    }
    found[0].clone()
}
