//! Hostile input: invalid UTF-8, deep nesting, lone surrogates, duplicate members, and (run
//! explicitly, `cargo test --test hostile_input -- --ignored --nocapture`) a 1 GB bundle, a
//! 100 MB line and ten million tiny events. Each gives a clear error or a correct result, never
//! a panic or a crash; the heavy ones print the verifier's peak memory (docs/SECURITY.md).

use handprint::event::{Cause, Edit, Entry as Record, Event};
use handprint::journal::{ChainValue, encode_line};
use handprint::session::start_facts;
use handprint::verify::{VerifyOptions, verify_bytes};
#[cfg(feature = "cli")]
use std::io::Write;
#[cfg(feature = "cli")]
use std::path::Path;
#[cfg(feature = "cli")]
use std::process::Command;

/// A journal of `events` after a start line, chained correctly, so only the hostile content
/// can be what is refused.
fn journal(events: impl IntoIterator<Item = Event>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chain = ChainValue::genesis();
    let start = Event::Start(Box::new(start_facts("T", None, None, &["editor"])));
    for (seq, event) in std::iter::once(start).chain(events).enumerate() {
        let (line, next) =
            encode_line(&Record { seq: seq as u64, t_us: seq as u64, event }, &chain);
        out.extend_from_slice(&line);
        chain = next;
    }
    out
}

/// Replaces the first occurrence of `from` in `bytes` with `to` (re-chaining is not needed:
/// the reader must refuse the content before or regardless of the chain).
fn replaced(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = bytes.windows(from.len()).position(|w| w == from).expect("the text to replace");
    [&bytes[..at], to, &bytes[at + from.len()..]].concat()
}

fn typed(i: &str) -> Event {
    Event::Edit(Edit { p: 0, d: Default::default(), i: i.into(), c: Cause::Typed })
}

fn chain_detail(bytes: &[u8]) -> String {
    let r = verify_bytes(bytes, &VerifyOptions::default()).expect("a journal is usable");
    assert!(!r.valid);
    r.check(handprint::verify::CheckName::Chain).unwrap().detail.clone()
}

#[test]
fn invalid_utf8_in_a_line_is_named_with_its_line() {
    let j = replaced(&journal([typed("héllo")]), "é".as_bytes(), &[0xff, 0xfe]);
    let why = chain_detail(&j);
    assert!(why.starts_with("line 2:") && why.contains("UTF-8"), "{why}");
}

#[test]
fn a_lone_surrogate_is_refused() {
    let j = replaced(&journal([typed("xy")]), b"\"i\":\"xy\"", b"\"i\":\"\\ud800\"");
    assert!(chain_detail(&j).starts_with("line 2:"));
}

#[test]
fn a_duplicate_member_is_refused() {
    let j = replaced(&journal([typed("xy")]), b"\"i\":\"xy\"", b"\"i\":\"xy\",\"i\":\"zz\"");
    assert!(chain_detail(&j).starts_with("line 2:"));
    let j = replaced(&journal([typed("xy")]), b"{\"s\":1,", b"{\"s\":1,\"s\":1,");
    assert!(chain_detail(&j).starts_with("line 2:"));
}

#[test]
fn an_integer_written_as_a_float_is_refused() {
    let j = replaced(&journal([typed("xy")]), b"\"p\":0", b"\"p\":0.0");
    assert!(chain_detail(&j).starts_with("line 2:"));
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = "[".repeat(200_000);
    let bundle = format!("{{\"format\":{deep}");
    assert!(verify_bytes(bundle.as_bytes(), &VerifyOptions::default()).is_err());
    let j = replaced(&journal([typed("xy")]), b"\"i\":\"xy\"", format!("\"x\":{deep}").as_bytes());
    assert!(chain_detail(&j).starts_with("line 2:"));
}

/// Runs `handprint` on `file` under /usr/bin/time; returns (exit code, output, peak RSS MB).
#[cfg(feature = "cli")]
fn measured(args: &[&str], file: &Path) -> (i32, String, u64) {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "peak-rss-kb %M"])
        .arg(env!("CARGO_BIN_EXE_handprint"))
        .args(args)
        .arg(file)
        .output()
        .expect("/usr/bin/time is installed (packaging/deps-debian.txt: time)");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let kb: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kb "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr);
    (out.status.code().unwrap_or(-1), said, kb / 1024)
}

#[cfg(feature = "cli")]
#[test]
#[ignore = "heavy: writes a 1 GB file; run explicitly"]
fn a_one_gigabyte_bundle_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.handprint");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(b"{\"format\":\"handprint-bundle/v1\",\"journal\":\"").unwrap();
    let chunk = vec![b'A'; 1 << 20];
    for _ in 0..1024 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\",\"envelope\":{\"payload\":\"\",\"payloadType\":\"x\",\"signatures\":[]}}\n")
        .unwrap();
    f.flush().unwrap();
    drop(f);
    let (code, said, mb) = measured(&["verify"], &path);
    println!("1 GB bundle: exit {code}, peak RSS {mb} MB: {}", said.lines().next().unwrap_or(""));
    assert!(code == 1 || code == 2, "{said}");
    // Streamed: the bundle is never held (14 MB measured; docs/PERFORMANCE.md).
    assert!(mb < 256, "a 1 GB bundle took {mb} MB to verify");
}

#[cfg(feature = "cli")]
#[test]
#[ignore = "heavy: a 100 MB line; run explicitly"]
fn a_hundred_megabyte_line_is_read_correctly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let text = "a".repeat(100 << 20);
    std::fs::write(&path, journal([typed(&text)])).unwrap();
    let (code, said, mb) = measured(&["journal", "check"], &path);
    println!("100 MB line: exit {code}, peak RSS {mb} MB: {}", said.lines().next().unwrap_or(""));
    assert_eq!(code, 0, "{said}");
    // The edit's text is held as the event, the replayed text and the final text whose
    // digest is printed: about 3× the line (315 MB measured), never per-character records.
    assert!(mb < 1024, "a 100 MB line took {mb} MB to check");
}

#[cfg(feature = "cli")]
#[test]
#[ignore = "heavy: ten million events (about 600 MB); run explicitly"]
fn ten_million_tiny_events_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut chain = ChainValue::genesis();
    let start = Event::Start(Box::new(start_facts("T", None, None, &["editor"])));
    let events = std::iter::once(start).chain((0..10_000_000u64).map(|_| Event::Pause));
    for (seq, event) in events.enumerate() {
        let (line, next) =
            encode_line(&Record { seq: seq as u64, t_us: seq as u64, event }, &chain);
        f.write_all(&line).unwrap();
        chain = next;
    }
    f.flush().unwrap();
    drop(f);
    let size = std::fs::metadata(&path).unwrap().len() >> 20;
    let (code, said, mb) = measured(&["journal", "check"], &path);
    println!(
        "10,000,000 events ({size} MB): exit {code}, peak RSS {mb} MB: {}",
        said.lines().next().unwrap_or("")
    );
    assert_eq!(code, 0, "{said}");
    // An event is 72 bytes in memory, about the size of its line (702 MB measured).
    assert!(mb < 2 * size, "{size} MB of events took {mb} MB to check");
}
