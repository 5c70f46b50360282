//! `handprint verify` over folders: every bundle found, its text paired by name, one JSON
//! line or CSV row each, and an exit code for the whole batch. Run as the real binary on
//! copies of the recorded fixture.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn verify(args: &[&str]) -> Output {
    let pubkey = fixture("recorded-session.pub");
    Command::new(env!("CARGO_BIN_EXE_handprint"))
        .arg("verify")
        .args(args)
        .args(["--task", "DEMO-7", "--nonce", "n-4821", "--pubkey"])
        .arg(pubkey)
        .output()
        .expect("runs handprint")
}

fn copy_fixture(dir: &Path, name: &str, text: Option<&str>) {
    std::fs::copy(fixture("recorded-session.handprint"), dir.join(format!("{name}.handprint")))
        .unwrap();
    if let Some(text) = text {
        std::fs::write(dir.join(format!("{name}.txt")), text).unwrap();
    }
}

fn rows(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn a_folder_of_valid_bundles_gives_one_row_each_and_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("recorded-session.txt")).unwrap();
    copy_fixture(dir.path(), "a", Some(&text));
    std::fs::create_dir(dir.path().join("inner")).unwrap();
    copy_fixture(&dir.path().join("inner"), "b", None);
    let out = verify(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows = rows(&out);
    assert_eq!(rows.len(), 2);
    // Each row's flags are the analysis recomputed from the journal, `id (severity)`.
    let record = handprint::record::Record::open(&fixture("recorded-session.handprint")).unwrap();
    let analysis = handprint::analysis::analyze_record(&record).unwrap();
    let expected_flags: Vec<String> = analysis
        .flags
        .iter()
        .map(|f| {
            format!("{} ({})", f.id, serde_json::to_value(f.severity).unwrap().as_str().unwrap())
        })
        .collect();
    assert!(rows[0]["file"].as_str().unwrap().ends_with("a.handprint"));
    assert_eq!(rows[0]["text_match"], "exact", "a.txt is paired with a.handprint");
    assert_eq!(rows[1]["text_match"], serde_json::Value::Null, "b has no text beside it");
    for row in &rows {
        assert_eq!(row["valid"], true, "{row}");
        assert_eq!(row["pinned"], true);
        assert_eq!(row["task"], "DEMO-7");
        assert_eq!(row["witnessed"], serde_json::Value::Null, "no --service-key given");
        assert_eq!(row["flags"], serde_json::json!(expected_flags), "the recomputed flags");
    }
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("2 bundles: 2 valid, 0 invalid, 0 could not be checked"), "{summary}");
}

#[test]
fn a_wrong_text_and_a_broken_file_make_the_batch_fail_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "a", Some("not what was written"));
    std::fs::write(dir.path().join("b.handprint"), "not a record").unwrap();
    copy_fixture(dir.path(), "c", None);
    let out = verify(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let rows = rows(&out);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["valid"], false);
    assert_eq!(rows[0]["text_match"], "mismatch");
    let reasons = rows[0]["reasons"].as_array().unwrap();
    assert!(reasons.iter().any(|r| r.as_str().unwrap().starts_with("text: ")), "{reasons:?}");
    assert!(rows[1]["unusable"].as_str().unwrap().contains("b.handprint"), "{}", rows[1]);
    assert_eq!(rows[2]["valid"], true);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("3 bundles: 1 valid, 1 invalid, 1 could not be checked"), "{summary}");
}

#[test]
fn csv_has_a_header_and_one_row_per_bundle() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "a", None);
    copy_fixture(dir.path(), "b", None);
    let a = dir.path().join("a.handprint");
    let b = dir.path().join("b.handprint");
    let out = verify(&["--format", "csv", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let mut csv = csv::Reader::from_reader(out.stdout.as_slice());
    let header = csv.headers().unwrap().clone();
    assert_eq!(&header[0], "file");
    assert_eq!(&header[1], "valid");
    let records: Vec<_> = csv.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| &r[1] == "true" && &r[6] == "true"));
}

#[test]
fn a_folder_without_bundles_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    let out = verify(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no .handprint bundles found"));
}
