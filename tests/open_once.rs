//! A record is opened once: the recorder's Finish and the viewer's open each parse the
//! journal once and replay it once, however many consumers (analysis, statement,
//! verification, timeline) use the result. The counters are process-wide, so this file holds
//! a single test that runs its steps in order.
#![cfg(feature = "gui")]

use handprint::attest::KeyStore;
use handprint::capture::Recording;
use handprint::journal::parse_count;
use handprint::replay::build_count;
use handprint::ui::recorder::export;
use handprint::ui::viewer::loader;

/// Runs `step` and returns how many journal parses and replays it made.
fn opens_and_replays<T>(step: impl FnOnce() -> T) -> (T, usize, usize) {
    let (parses, replays) = (parse_count(), build_count());
    let out = step();
    (out, parse_count() - parses, build_count() - replays)
}

#[test]
fn finish_and_viewer_each_parse_and_replay_a_record_once() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyStore::at(dir.path().join("keys")).load_or_create().unwrap();
    let mut rec = Recording::start(dir.path(), "T-1", None, None, &["editor"], Some(&key)).unwrap();
    rec.pause();
    rec.resume_recording();

    // What the recorder's Finish does: end the journal, then sign and save it.
    let out = dir.path().join("out");
    let (saved, parses, replays) = opens_and_replays(|| {
        let (journal, text) = rec.finish(Some(&key)).unwrap();
        export(&journal, Some(&key), &text, &out).unwrap()
    });
    assert_eq!((parses, replays), (1, 1), "Finish opens and replays the record once");
    assert!(saved.fingerprint.is_some(), "the record was signed");

    // What the viewer does when it opens the signed bundle.
    let (loaded, parses, replays) = opens_and_replays(|| loader::load(&saved.bundle, &|_| {}));
    assert_eq!((parses, replays), (1, 1), "the viewer opens and replays the record once");
    assert!(loaded.verdict.valid, "{:?}", loaded.verdict.reason);
    assert!(loaded.session.is_some());
}
