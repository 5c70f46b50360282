//! The auditor review in a real headless Chromium (Debian's chromium and chromedriver):
//! log in, filter the queue, open a submission, check the in-browser replay against the
//! core's, press play, drag the scrubber, jump to the next flag, record a decision — and
//! what the page shows at each step. With `HANDPRINT_SCREENSHOT_DIR=docs/screenshots` it
//! retakes the README's screenshots.
//! Skips, saying so, only when Chromium is not installed.

mod platform_support;
mod review_support;
mod webdriver;

use review_support::*;
use serde_json::{Value, json};
use std::path::PathBuf;
use webdriver::Browser;

/// Where the screenshots go: `HANDPRINT_SCREENSHOT_DIR` (docs/screenshots/ to refresh the
/// README's), otherwise a temporary folder, so a test run leaves the checkout unchanged.
fn screenshots() -> PathBuf {
    let dir = std::env::var_os("HANDPRINT_SCREENSHOT_DIR")
        .map_or_else(|| std::env::temp_dir().join("handprint-review-screenshots"), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("a folder for the screenshots");
    dir
}

#[test]
fn an_auditor_reviews_a_submission_in_the_browser() {
    if !webdriver::available() {
        eprintln!(
            "SKIPPED: chromium and chromium-driver are not installed (packaging/setup-debian.sh installs them)"
        );
        return;
    }
    let s = seeded();
    let url = s.p.url().to_owned();
    let b = Browser::start();

    // Anonymous: the queue sends us to the login form.
    b.goto(&format!("{url}/review"));
    assert!(b.url().ends_with("/review/login"), "{}", b.url());
    b.type_into("#token", &s.auditor);
    b.click_to_load("#login");
    assert_eq!(b.text("#who"), "Audrey <i>");
    assert!(b.text("#count").starts_with("2 submissions"));
    b.screenshot(&screenshots().join("review-queue.png"));

    // Filter by task: one row left, the hostile one, its trainer's name shown as text.
    b.type_into("#f-task", "T-rivers");
    b.click_to_load("#apply");
    assert!(b.text("#count").starts_with("1 submission "), "{}", b.text("#count"));
    let rows = b.js("return document.querySelectorAll('#queue tbody tr').length", json!([]));
    assert_eq!(rows, json!(1));
    assert!(b.text("#queue tbody tr").contains("Ada <b>Lovelace</b>"));

    // Open it.
    b.click_to_load("#queue tbody tr a");
    b.wait_for("return !!window.handprintReplay", "the replay to load");
    assert!(b.text(".ok").starts_with("VALID"), "{}", b.text(".ok"));
    let n = b.js("return window.handprintReplay.events", json!([])).as_u64().unwrap() as usize;

    // The browser's replay gives the core's text at every index checked.
    let record = handprint::record::Record::open(&s.bundles[0]).unwrap();
    let replay = record.replayed().unwrap();
    assert_eq!(replay.len(), n);
    for i in [0, 1, 7, n / 3, n / 2, n - 5, n] {
        let js = b.js("return window.handprintReplay.textAt(arguments[0])", json!([i]));
        assert_eq!(js.as_str().unwrap(), replay.at(i).text(), "text after {i} events");
    }
    // The pasted script is text on the page, and it never ran.
    assert!(b.text("#hp-text").contains(SCRIPT_TEXT));
    assert_eq!(b.js("return window.pwned === undefined", json!([])), json!(true));

    // Drag the scrubber to the start, then play at 2×: the text grows, and pausing holds it.
    b.drag("#hp-scrub", 0.5, 0.0);
    assert_eq!(applied(&b), 0);
    assert_eq!(b.text("#hp-text"), "");
    b.js("document.getElementById('hp-speed').value = '2'", json!([]));
    b.click("#hp-play");
    b.wait_for("return window.handprintReplay.applied() > 20", "playback to advance");
    b.click("#hp-play");
    assert!(!b.js("return window.handprintReplay.playing()", json!([])).as_bool().unwrap());
    let paused = applied(&b);
    assert!(paused < n, "paused before the end");
    assert_eq!(b.text("#hp-text"), replay.at(paused).text().trim_end());
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(applied(&b), paused, "a paused replay stays put");

    // Drag the scrubber to the middle: the page shows the core's text there.
    b.drag("#hp-scrub", 0.0, 0.5);
    let at = applied(&b);
    assert!(at > n / 4 && at < 3 * n / 4, "{at} of {n}");
    assert_eq!(b.text("#hp-text"), replay.at(at).text().trim_end());
    assert!(b.text("#hp-pos").starts_with(&format!("event {at} / {n}")));

    // Next flag: the playhead moves to the flag's event and says which flag it is.
    b.drag("#hp-scrub", 0.5, 0.0);
    b.click("#hp-next-flag");
    let at = applied(&b);
    assert!(at > 0, "a flag ahead of the start");
    let now = b.text("#hp-now");
    assert!(now.starts_with('⚑'), "{now}");
    let flags: Value = b.js(
        "return JSON.parse(document.getElementById('hp-replay-data').textContent).flags",
        json!([]),
    );
    let first = flags
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["events"].as_array().unwrap().iter().map(|e| e.as_u64().unwrap()))
        .min()
        .unwrap();
    assert_eq!(at as u64, first + 1);
    b.js("document.getElementById('hp-replay').scrollIntoView()", json!([]));
    b.screenshot(&screenshots().join("review-replay.png"));
    b.js("document.querySelector('.ok').scrollIntoView()", json!([]));
    b.screenshot(&screenshots().join("review-verdict.png"));

    // Record a decision: the page confirms it and the queue shows it.
    b.click("#d-follow_up");
    b.type_into("#note", "ask about the pasted script");
    b.click_to_load("#decide");
    assert_eq!(b.text("#flash"), "Decision recorded.");
    assert_eq!(b.text("#current-decision"), "needs follow-up");
    assert!(b.text("#history").contains("Audrey <i>"));
    b.goto(&format!("{url}/review?decision=follow_up"));
    assert!(b.text("#count").starts_with("1 submission "));
    assert_eq!(b.text(".decision-cell"), "needs follow-up");
}

fn applied(b: &Browser) -> usize {
    b.js("return window.handprintReplay.applied()", json!([])).as_u64().unwrap() as usize
}
