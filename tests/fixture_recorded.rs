//! tests/fixtures/recorded-session.handprint is a record made by the real app in a real
//! window (Xvfb + openbox), typed by xdotool with a correction and a Ctrl+V paste, closed
//! the window manager's way. It pins the format: a bundle written by this version must keep
//! verifying, bound to its key, text, task and nonce, in every later version.

use handprint::analysis::analyze;
use handprint::attest::PublicKey;
use handprint::event::Cause;
use handprint::record::Record;
use handprint::verify::{CheckName, TextMatch, VerifyOptions, verify_file};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn recorded_bundle_verifies_pinned_to_its_key_text_task_and_nonce() {
    let pubkey = PublicKey::parse(&std::fs::read(fixture("recorded-session.pub")).unwrap())
        .expect("the committed public key parses");
    let opts = VerifyOptions {
        text: Some(std::fs::read_to_string(fixture("recorded-session.txt")).unwrap()),
        task: Some("DEMO-7".into()),
        nonce: Some("n-4821".into()),
        pubkey: Some(pubkey),
        ..Default::default()
    };
    let report = verify_file(&fixture("recorded-session.handprint"), &opts).unwrap();
    assert!(report.valid, "{:#?}", report.checks);
    assert_eq!(report.text_match, Some(TextMatch::Exact));
    // Signed under handprint-analysis/1: still valid after the analysis changed, and says so.
    let analysis = report.check(CheckName::Analysis).expect("an analysis check");
    assert!(
        analysis.detail.starts_with("signed with handprint-analysis/1; not compared"),
        "{}",
        analysis.detail
    );
}

#[test]
fn recorded_bundle_replays_its_typing_correction_and_paste() {
    let record = Record::open(&fixture("recorded-session.handprint")).unwrap();
    let (journal, replay) = record.session().unwrap();
    let text = std::fs::read_to_string(fixture("recorded-session.txt")).unwrap();
    assert_eq!(replay.final_state().text(), text);
    let counts = replay.final_state().origin_counts();
    assert_eq!(counts.get(&Cause::PasteExt), Some(&" (Campbell, Biology, ch. 10)".chars().count()));
    assert_eq!(replay.totals().deleted_total(), 3, "three BackSpaces fixed 'lihgt'");
    let analysis = analyze(&journal.entries, replay);
    assert!(analysis.flags.iter().any(|f| f.id == "external_paste"), "{:?}", analysis.flags);
}
