//! The spec and the code cannot drift apart: tests/independent_verifier.py, written from
//! docs/FORMAT.md alone in another language, must reach the same verdict (valid, invalid,
//! unusable) as the Rust verifier on every record here — the recorded fixture, records
//! re-signed by a trainer who broke a rule, and hundreds of random mutations.
//!
//! Needs `python3` with the `cryptography` package (packaging/deps-debian.txt installs
//! python3-cryptography).

mod support;

use handprint::attest::PublicKey;
use handprint::verify::{VerifyOptions, verify_bytes};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// 0 valid, 1 invalid, 2 unusable: the exit codes both verifiers use.
fn rust_verdict(bytes: &[u8], key: Option<PublicKey>) -> i32 {
    let opts = VerifyOptions { pubkey: key, any_signer: key.is_none(), ..Default::default() };
    match verify_bytes(bytes, &opts) {
        Ok(r) if r.valid => 0,
        Ok(_) => 1,
        Err(_) => 2,
    }
}

fn python_verdict(file: &Path, key_file: Option<&Path>) -> (i32, String) {
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("tests/independent_verifier.py")).arg(file);
    match key_file {
        Some(k) => cmd.arg("--pubkey").arg(k),
        None => cmd.arg("--any-signer"),
    };
    let out = cmd.output().expect("python3 runs (install python3 and python3-cryptography)");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.code().is_some_and(|c| c <= 2),
        "the Python verifier crashed: {}{}",
        said,
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), said)
}

/// Both verifiers on `bytes`; returns the agreed verdict or fails naming the case.
fn agree(dir: &Path, case: &str, bytes: &[u8], key: Option<PublicKey>) -> i32 {
    let file = dir.join("case.handprint");
    std::fs::write(&file, bytes).unwrap();
    let key_file = key.map(|k| {
        let p = dir.join("case.pub");
        std::fs::write(&p, k.to_hex()).unwrap();
        p
    });
    let rust = rust_verdict(bytes, key);
    let (python, said) = python_verdict(&file, key_file.as_deref());
    assert_eq!(rust, python, "{case}: Rust says {rust}, Python says {python} ({said})");
    rust
}

#[test]
fn both_verifiers_agree_on_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::fs::read(root().join("tests/fixtures/recorded-session.handprint")).unwrap();
    let pubkey = PublicKey::parse(
        &std::fs::read(root().join("tests/fixtures/recorded-session.pub")).unwrap(),
    )
    .unwrap();
    assert_eq!(agree(dir.path(), "the recorded fixture, pinned", &fixture, Some(pubkey)), 0);
    assert_eq!(agree(dir.path(), "the recorded fixture, any signer", &fixture, None), 0);
    let other = PublicKey([9; 32]);
    assert_eq!(agree(dir.path(), "the fixture pinned to another key", &fixture, Some(other)), 1);
    let bare = std::fs::read(root().join("tests/fixtures/sample-session.jsonl")).unwrap();
    assert_eq!(agree(dir.path(), "a bare journal", &bare, None), 1);
}

#[test]
fn both_verifiers_refuse_what_a_key_holder_can_sign() {
    let dir = tempfile::tempdir().unwrap();
    let s = support::record(dir.path(), "s", "T-1", Some("n"));
    let key = Some(s.key.public());
    let check = |case: &str, bytes: &[u8], want: i32| {
        assert_eq!(agree(dir.path(), case, bytes, key), want, "{case}");
    };
    check("the untouched record", &std::fs::read(&s.exported.bundle).unwrap(), 0);
    check("re-signed as it was", &support::resigned(&s, |_| {}), 0);
    let other = json!({"name": "other.txt", "digest": {"sha256": "ab".repeat(32)}});
    check(
        "an extra subject",
        &support::resigned(&s, |st| st["subject"].as_array_mut().unwrap().push(other)),
        1,
    );
    check(
        "an extra digest",
        &support::resigned(&s, |st| st["subject"][2]["digest"]["sha512"] = json!("00")),
        1,
    );
    check(
        "an unknown predicate member",
        &support::resigned(&s, |st| st["predicate"]["x"] = json!(1)),
        1,
    );
    check("a float count", &support::resigned(&s, |st| st["predicate"]["events"] = json!(22.0)), 1);
    check("a wrong fact", &support::resigned(&s, |st| st["predicate"]["task"] = json!("T-2")), 1);
    check(
        "swapped subjects",
        &support::resigned(&s, |st| st["subject"].as_array_mut().unwrap().swap(0, 1)),
        1,
    );
    let journal = std::fs::read(&s.journal).unwrap();
    let lines: Vec<&[u8]> = journal.split_inclusive(|b| *b == b'\n').collect();
    let no_end = lines[..lines.len() - 2].concat();
    check("a journal without end", &support::signed(&no_end, &s.key, None), 1);
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&s.exported.bundle).unwrap()).unwrap();
    let mut extra = bundle.clone();
    extra["comment"] = json!("hi");
    check("an unknown bundle member", &serde_json::to_vec(&extra).unwrap(), 2);
    let mut url = bundle.clone();
    let j = url["journal"].as_str().unwrap().replace('+', "-").replace('/', "_");
    url["journal"] = json!(j);
    if j != bundle["journal"].as_str().unwrap() {
        check("a URL-safe journal", &serde_json::to_vec(&url).unwrap(), 2);
    }
    let mut dup = String::from_utf8(std::fs::read(&s.exported.bundle).unwrap()).unwrap();
    dup = dup.replacen("\"format\"", "\"format\": \"handprint-bundle/v1\",\n  \"format\"", 1);
    check("a duplicate bundle member", dup.as_bytes(), 2);
    check("not JSON", b"{nope", 2);
}

#[test]
fn both_verifiers_agree_on_random_mutations_of_the_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::fs::read(root().join("tests/fixtures/recorded-session.handprint")).unwrap();
    let pubkey = PublicKey::parse(
        &std::fs::read(root().join("tests/fixtures/recorded-session.pub")).unwrap(),
    )
    .unwrap();
    let mut x: u64 = 0x243f_6a88_85a3_08d3;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let mut verdicts = [0usize; 3];
    for i in 0..300 {
        let mut b = fixture.clone();
        let at = next(b.len());
        match i % 3 {
            0 => b[at] ^= 1 << next(8),
            1 => {
                b.remove(at);
            }
            _ => {
                let bytes = b" \n{}\",:0aZ=+-";
                b.insert(at, bytes[next(bytes.len())]);
            }
        }
        let v = agree(dir.path(), &format!("mutation {i} at byte {at}"), &b, Some(pubkey));
        verdicts[v as usize] += 1;
    }
    assert!(verdicts[2] > 0 && verdicts[1] + verdicts[2] > 250, "{verdicts:?}");
}
