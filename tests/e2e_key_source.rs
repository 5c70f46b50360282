//! End to end under X11: auto-typers typing live into the real recorder, and a key hook that
//! stops mid-session. The record must say where the keys came from (XInput2 device of
//! origin) and that capture was lost, and the analysis must say so at Strong.
//!
//! packaging/run-tests.sh provides Xvfb + openbox and sets HANDPRINT_E2E=1; without it these
//! tests say why they are skipped. Under Xvfb every key a test can send is injected (XTEST),
//! so the physical-keyboard side is covered by the unit tests of the device classification.
#![cfg(all(feature = "gui", feature = "cli"))]

use handprint::analysis::{Analysis, Severity, analyze_record};
use handprint::event::{Entry, Event, KeyDevice};
use handprint::record::Record;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

mod support;
use support::desktop::Spawned;

/// The tests of this file share one X display, and each types into the focused window: run
/// in parallel, one test's window takes the focus from another's typer and its keys land
/// elsewhere. Each test holds this for its whole run.
static DISPLAY: Mutex<()> = Mutex::new(());

/// The display to oneself, or `None` (the test is skipped, saying why) when end-to-end tests
/// are not enabled.
fn e2e_display() -> Option<MutexGuard<'static, ()>> {
    if std::env::var_os("HANDPRINT_E2E").is_none() {
        eprintln!(
            "skipped: set HANDPRINT_E2E=1 with an X display and a window manager (packaging/run-tests.sh does)"
        );
        return None;
    }
    assert!(std::env::var_os("DISPLAY").is_some(), "HANDPRINT_E2E is set but DISPLAY is not");
    // A test that failed while holding it left the display as usable as any other.
    Some(DISPLAY.lock().unwrap_or_else(PoisonError::into_inner))
}

fn xdotool(args: &[&str]) {
    let out = Command::new("xdotool").args(args).output().expect("xdotool is installed");
    assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A recorder session for `task` in `dir`, its window focused and ready for keys.
fn recorder(dir: &Path, task: &str, env: &[(&str, &str)]) -> (Spawned, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handprint"));
    cmd.args(["record", "--task", task, "--out"])
        .arg(dir.join("out"))
        .env("HANDPRINT_HOME", dir.join("home"))
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut app = Spawned(cmd.spawn().expect("the handprint binary runs"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let win = loop {
        if let Ok(Some(status)) = app.0.try_wait() {
            panic!("handprint exited before its window appeared: {status}");
        }
        let out = Command::new("xdotool")
            .args(["search", "--name", &format!("^Handprint.*{task}")])
            .output()
            .expect("xdotool is installed");
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            break id.trim().to_owned();
        }
        assert!(Instant::now() < deadline, "no window titled 'Handprint … {task}' within 60 s");
        std::thread::sleep(Duration::from_millis(200));
    };
    xdotool(&["windowactivate", "--sync", &win]);
    std::thread::sleep(Duration::from_millis(500));
    (app, win)
}

/// Closes the window the window manager's way (the recorder finishes and exports), waits for
/// the exit, and analyzes the exported record.
fn finish(mut app: Spawned, win: &str, dir: &Path) -> (Vec<Entry>, Analysis) {
    std::thread::sleep(Duration::from_millis(600));
    let wm_id = format!("0x{:x}", win.parse::<u64>().expect("xdotool prints decimal window ids"));
    let out = Command::new("wmctrl").args(["-i", "-c", &wm_id]).output().expect("wmctrl runs");
    assert!(out.status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.0.try_wait().expect("waitable").is_none() {
        assert!(Instant::now() < deadline, "handprint did not exit within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let bundle: PathBuf = std::fs::read_dir(dir.join("out"))
        .expect("an export folder")
        .map(|e| e.expect("readable").path())
        .find(|p| p.extension().is_some_and(|x| x == "handprint"))
        .expect("one exported record");
    let record = Record::open(&bundle).expect("the bundle loads");
    let journal = record.journal().expect("the journal verifies");
    let a = analyze_record(&record).expect("the journal replays");
    (journal.entries.to_vec(), a)
}

/// SplitMix64 for the typer's timing.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Log-normal, median `m` ms, log-scale sigma `s`.
    fn lognormal(&mut self, m: f64, s: f64) -> Duration {
        let (u1, u2) = (self.unit().max(1e-12), self.unit());
        let n = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        Duration::from_secs_f64(m * (s * n).exp() / 1000.0)
    }
}

fn keysym(ch: char) -> String {
    match ch {
        ' ' => "space".into(),
        '.' => "period".into(),
        ',' => "comma".into(),
        c => c.to_string(),
    }
}

const TEXT: &str = "the quick brown fox jumps over the lazy dog. then it rests, and thinks. ";

/// Types `TEXT` through XTest with human-like timing: log-normal intervals (median 170 ms),
/// holds around 100 ms with the next key often pressed before the last is released
/// (rollover), a typo now and then fixed with BackSpace, and thinking pauses at sentence ends.
fn human_timing_xtest_typer(seed: u64) {
    let mut rng = Rng(seed);
    let mut held: Option<String> = None;
    let mut press = |rng: &mut Rng, sym: String| {
        xdotool(&["keydown", &sym]);
        let hold = rng.lognormal(100.0, 0.25);
        let gap = rng.lognormal(170.0, 0.45);
        if let Some(prev) = held.take() {
            xdotool(&["keyup", &prev]);
        }
        if gap < hold {
            // Rollover: the next key goes down before this one is released.
            std::thread::sleep(gap);
            held = Some(sym);
        } else {
            std::thread::sleep(hold);
            xdotool(&["keyup", &sym]);
            std::thread::sleep(gap - hold);
        }
    };
    for (i, ch) in TEXT.chars().enumerate() {
        if i % 17 == 9 && ch.is_alphabetic() {
            press(&mut rng, "x".into());
            press(&mut rng, "BackSpace".into());
        }
        press(&mut rng, keysym(ch));
        if ch == '.' {
            std::thread::sleep(Duration::from_millis(1500));
        }
    }
    if let Some(prev) = held {
        xdotool(&["keyup", &prev]);
    }
}

fn strong(a: &Analysis, id: &str) -> bool {
    a.flags.iter().any(|f| f.id == id && f.severity == Severity::Strong)
}

fn flag_list(a: &Analysis) -> Vec<String> {
    a.flags.iter().map(|f| format!("{} ({})", f.id, f.severity.name())).collect()
}

#[test]
fn a_human_timed_xtest_typer_is_recorded_as_injected_and_flagged_strong() {
    let Some(_display) = e2e_display() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, win) = recorder(dir.path(), "E2E-XTEST", &[]);
    human_timing_xtest_typer(11);
    let (records, a) = finish(app, &win, dir.path());
    let xtest_presses = records
        .iter()
        .filter(|r| matches!(&r.event, Event::KeyDown(k) if k.dev == Some(KeyDevice::Xtest)))
        .count();
    assert!(xtest_presses >= 60, "{xtest_presses} presses recorded as XTEST");
    let devices = records.iter().find_map(|r| match &r.event {
        Event::Devices(d) if !d.added => Some(d.list.clone()),
        _ => None,
    });
    let devices = devices.expect("the devices present are recorded");
    assert!(devices.iter().any(|d| d.name.contains("XTEST") && d.kind == KeyDevice::Xtest));
    assert!(strong(&a, "injected_input"), "flags: {:?}", flag_list(&a));
    let f = a.flags.iter().find(|f| f.id == "injected_input").expect("flag");
    assert!(f.reason.contains("Virtual core XTEST keyboard"), "{}", f.reason);
    assert!(!f.events.is_empty());
}

#[test]
fn a_pynput_typer_is_flagged_strong() {
    let Some(_display) = e2e_display() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, win) = recorder(dir.path(), "E2E-PYNPUT", &[]);
    let script = format!(
        "import random, time\nfrom pynput.keyboard import Controller\nk = Controller()\nrandom.seed(5)\nfor c in {TEXT:?}:\n    k.type(c)\n    time.sleep(random.lognormvariate(-1.8, 0.4))\n"
    );
    let out = Command::new("python3").args(["-c", &script]).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "the pynput typer failed (packaging/setup-debian.sh installs pynput): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, a) = finish(app, &win, dir.path());
    let strong_ids: Vec<&str> =
        a.flags.iter().filter(|f| f.severity == Severity::Strong).map(|f| f.id.as_str()).collect();
    assert!(!strong_ids.is_empty(), "flags: {:?}", flag_list(&a));
}

#[test]
fn a_key_hook_that_stops_mid_session_is_recorded_and_flagged() {
    let Some(_display) = e2e_display() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let env = [("HANDPRINT_TEST_HOOK_STOPS_AFTER", "16")];
    let (app, win) = recorder(dir.path(), "E2E-HOOKLOSS", &env);
    xdotool(&["type", "--delay", "120", TEXT]);
    let (records, a) = finish(app, &win, dir.path());
    let lost = records.iter().any(|r| {
        matches!(&r.event, Event::Capture(c) if c.what == handprint::event::CaptureChange::Lost)
    });
    assert!(lost, "a capture-lost event is recorded");
    let f = a.flags.iter().find(|f| f.id == "os_capture_lost");
    assert!(f.is_some_and(|f| f.severity >= Severity::Warning), "flags: {:?}", flag_list(&a));
    // The editor's own keys carry the timing from the loss on.
    assert!(a.measures.motor.intervals > 20, "{} intervals", a.measures.motor.intervals);
}

/// Puts the X keymap back to US English when the test ends, passed or failed, so the other
/// tests on this display type what they mean.
struct Layout;

impl Layout {
    fn french() -> Layout {
        setxkbmap("fr");
        Layout
    }
}

impl Drop for Layout {
    fn drop(&mut self) {
        setxkbmap("us");
    }
}

fn setxkbmap(layout: &str) {
    let out = Command::new("setxkbmap")
        .arg(layout)
        .output()
        .expect("setxkbmap is installed (x11-xkb-utils, packaging/deps-debian.txt)");
    assert!(out.status.success(), "setxkbmap {layout}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A French writer: letters with their own keys (é, è, à, ç, ù on an AZERTY keyboard) and
/// letters composed through the circumflex and diaeresis dead keys (ê, ô, î, â, ë). Every
/// character comes from a key press, so none may count as typed without keys. (Under Xvfb
/// the keys are injected through XTest, so `injected_input` is expected and not checked here.)
#[test]
fn french_layout_with_dead_keys_types_no_text_without_keys() {
    let Some(_display) = e2e_display() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, win) = recorder(dir.path(), "E2E-AZERTY", &[]);
    let layout = Layout::french();
    std::thread::sleep(Duration::from_millis(500));
    // "la fenêtre était à côté du île noël ère ça où âge." as AZERTY keys: é, è, à, ç, ù
    // have their own keys; ê, ô, î, â and ë are a dead key, then the letter.
    let keys = "l a space f e n dead_circumflex e t r e space eacute t a i t space agrave space \
                c dead_circumflex o t eacute space d u space dead_circumflex i l e space n o \
                dead_diaeresis e l space egrave r e space ccedilla a space o ugrave space \
                dead_circumflex a g e period";
    for sym in keys.split_whitespace() {
        xdotool(&["key", "--delay", "60", sym]);
        std::thread::sleep(Duration::from_millis(90));
    }
    drop(layout);
    let (records, a) = finish(app, &win, dir.path());
    let text: String = {
        let mut t = String::new();
        for r in &records {
            if let Event::Edit(e) = &r.event {
                // Enough for this session: typed forward, no deletions.
                t.push_str(&e.i);
            }
        }
        t
    };
    for ch in ['ê', 'é', 'à', 'ô', 'î', 'ë', 'è', 'ç', 'ù', 'â'] {
        assert!(text.contains(ch), "{ch} typed under the French layout: {text:?}");
    }
    assert_eq!(
        a.measures.motor.unmatched_typed_chars,
        0,
        "characters without a key press in {text:?}; flags: {:?}",
        flag_list(&a)
    );
    assert!(!a.flags.iter().any(|f| f.id == "text_without_keys"), "flags: {:?}", flag_list(&a));
}
