//! Opening a record file streams it (the journal read, or a bundle's base64 decoded, in
//! chunks) where the file has the usual shape, and reads it whole otherwise. Either way the
//! result must be exactly what opening the same bytes in memory gives: the same journal,
//! digest, envelope and verdict on good files, the same error message on bad ones.

use handprint::attest::Bundle;
use handprint::record::Record;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/recorded-session.handprint";

/// What a test can compare of an opened record, or the error.
fn summary(opened: Result<Record, handprint::record::OpenError>) -> String {
    let r = match opened {
        Ok(r) => r,
        Err(e) => return format!("error: {e}"),
    };
    let journal = match r.journal() {
        Ok(j) => format!("{} events, head {}", j.entries.len(), j.head.hex()),
        Err(e) => format!("journal error: {e}"),
    };
    let replay = match r.replay() {
        Some(Ok(replay)) => format!("text {:?}", replay.final_state().text()),
        Some(Err(e)) => format!("replay error: {e}"),
        None => "no replay".into(),
    };
    format!(
        "{} {} bytes; {journal}; {replay}; envelope {:?}; starts as a journal: {}",
        r.journal_digest.sha256,
        r.journal_digest.len,
        r.envelope.as_ref().map(|e| e.payload.len()),
        r.check_journal_start().is_ok(),
    )
}

/// Opens `bytes` from a file and from memory; both must agree. Returns the summary.
fn both_ways(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let from_file = summary(Record::open(&path));
    let in_memory = summary(Record::from_bytes(&path, bytes));
    assert_eq!(from_file, in_memory, "{name}: the file and the same bytes in memory differ");
    if let Ok(r) = Record::open(&path) {
        let again = r.journal_bytes().expect("the journal reads again");
        assert_eq!(again.len() as u64, r.journal_digest.len, "{name}: the journal read again");
    }
    from_file
}

fn fixture() -> (Vec<u8>, Bundle) {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let bundle = Bundle::parse(&bytes).unwrap();
    (bytes, bundle)
}

/// The bundle as JSON text with its members in the given order.
fn members(bundle: &Bundle, order: &[&str], journal: &str) -> Vec<u8> {
    let envelope = serde_json::to_string(&bundle.envelope).unwrap();
    let member = |name: &str| match name {
        "format" => format!("\"format\":{:?}", bundle.format),
        "envelope" => format!("\"envelope\":{envelope}"),
        _ => format!("\"journal\":\"{journal}\""),
    };
    format!("{{{}}}", order.iter().map(|m| member(m)).collect::<Vec<_>>().join(",")).into_bytes()
}

#[test]
fn well_formed_bundles_open_the_same_from_a_file_and_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, bundle) = fixture();
    let good = both_ways(dir.path(), "pretty.handprint", &bytes);
    assert!(good.contains("events"), "{good}");
    let streamed =
        |name: &str| !Record::open(&dir.path().join(name)).unwrap().holds_journal_bytes();
    assert!(streamed("pretty.handprint"), "a well-formed bundle is read in chunks, not held");
    let compact = serde_json::to_vec(&bundle).unwrap();
    assert_eq!(both_ways(dir.path(), "compact.handprint", &compact), good);
    assert!(streamed("compact.handprint"));
    for order in [["journal", "envelope", "format"], ["envelope", "journal", "format"]] {
        let reordered = members(&bundle, &order, &bundle.journal);
        assert_eq!(both_ways(dir.path(), "reordered.handprint", &reordered), good);
        assert!(streamed("reordered.handprint"), "{order:?}");
    }
    let spaced = [b"  \n\t".as_slice(), &bytes, b"\n\n  "].concat();
    assert_eq!(both_ways(dir.path(), "spaced.handprint", &spaced), good);
    assert!(streamed("spaced.handprint"));
    // JSON may escape a slash; the streamed path hands such a file to the whole-file reader.
    let escaped = bundle.journal.replacen('/', "\\/", 1);
    if escaped != bundle.journal {
        let doc = members(&bundle, &["format", "envelope", "journal"], &escaped);
        assert_eq!(both_ways(dir.path(), "escaped.handprint", &doc), good);
        assert!(!streamed("escaped.handprint"), "an escape is left to the whole-file reader");
    }
    let journal = bundle.journal_bytes().unwrap();
    assert!(both_ways(dir.path(), "bare.jsonl", &journal).contains("events"));
    assert!(streamed("bare.jsonl"), "a journal file is read in chunks");
}

#[test]
fn damaged_bundles_fail_the_same_from_a_file_and_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, bundle) = fixture();
    let order = ["format", "envelope", "journal"];
    let j = &bundle.journal;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("bad base64", members(&bundle, &order, &j.replacen('A', "*", 1))),
        ("lost padding", members(&bundle, &order, j.trim_end_matches('='))),
        ("control character", members(&bundle, &order, &j.replacen('A', "\n", 1))),
        ("not a journal", members(&bundle, &order, "aGVsbG8gd29ybGQ=")),
        ("empty journal", members(&bundle, &order, "")),
        ("cut short", bytes[..bytes.len() / 2].to_vec()),
        ("trailing garbage", [&bytes[..], b"}"].concat()),
        ("unknown member", {
            let mut d = members(&bundle, &order, j);
            d.pop();
            [&d[..], b",\"extra\":1}"].concat()
        }),
        ("duplicate journal", {
            let mut d = members(&bundle, &order, j);
            d.pop();
            [&d[..], b",\"journal\":\"\"}"].concat()
        }),
        ("bare envelope", serde_json::to_vec(&bundle.envelope).unwrap()),
        ("journal as a number", {
            let d = String::from_utf8(members(&bundle, &order, "")).unwrap();
            d.replace("\"journal\":\"\"", "\"journal\":5").into_bytes()
        }),
        ("bare journal cut short", {
            let journal = bundle.journal_bytes().unwrap();
            journal[..journal.len() - 3].to_vec()
        }),
        ("not JSON", b"{ this is not a bundle".to_vec()),
    ];
    for (name, bytes) in cases {
        let said = both_ways(dir.path(), &format!("{}.handprint", name.replace(' ', "-")), &bytes);
        assert!(!said.contains("text \""), "{name}: a damaged bundle replayed: {said}");
    }
}

#[test]
fn a_record_read_again_after_its_file_changed_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, bundle) = fixture();
    let path = dir.path().join("r.handprint");
    std::fs::write(&path, &bytes).unwrap();
    let record = Record::open(&path).unwrap();
    let journal = bundle.journal_bytes().unwrap();
    std::fs::write(&path, [&journal[..], b"x"].concat()).unwrap();
    let err = record.journal_bytes().unwrap_err().to_string();
    assert!(err.contains("changed since it was opened"), "{err}");
}
