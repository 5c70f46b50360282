//! Journal behaviour: writing, reading, tamper detection and crash recovery.

use super::*;
use crate::event::{Cause, Edit, Event, Focus, Key, Modifiers};
use crate::session::start_facts;
use std::path::PathBuf;

fn typed(p: usize, i: &str) -> Event {
    Event::Edit(Edit { p, d: Default::default(), i: i.into(), c: Cause::Typed })
}

/// Writes a short session "hi" → "hey" and returns its path.
fn sample(dir: &tempfile::TempDir, finish: bool) -> PathBuf {
    let path = dir.path().join("s.jsonl");
    let mut w =
        JournalWriter::create(&path, start_facts("T-1", Some("n0"), None, &["editor"])).unwrap();
    w.append(Event::KeyDown(Key {
        code: "KeyH".into(),
        mods: Modifiers::NONE,
        src: None,
        rep: false,
        dev: None,
    }))
    .unwrap();
    w.append(typed(0, "hi")).unwrap();
    w.append(Event::Focus(Focus { on: false })).unwrap();
    w.append(Event::Pause).unwrap();
    w.append(Event::Resume).unwrap();
    w.append(Event::Edit(Edit { p: 1, d: "i".into(), i: "ey".into(), c: Cause::PasteExt }))
        .unwrap();
    if finish {
        w.finish("hey").unwrap();
    }
    path
}

#[test]
fn written_journal_parses_back_with_every_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(&dir, true);
    let j = parse(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(j.entries.len(), 8);
    assert_eq!(j.start().task, "T-1");
    assert!(j.is_finished());
    assert!(j.entries.windows(2).all(|w| w[0].t_us <= w[1].t_us));
}

#[test]
fn creating_over_an_existing_journal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(&dir, false);
    let err = JournalWriter::create(&path, start_facts("T", None, None, &[])).err().unwrap();
    assert!(matches!(err, WriteError::Exists(_)), "{err}");
}

#[test]
fn changed_line_is_reported_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(sample(&dir, true)).unwrap();
    let text = String::from_utf8(bytes).unwrap().replace("\"i\":\"hi\"", "\"i\":\"ho\"");
    let err = parse(text.as_bytes()).unwrap_err();
    assert_eq!(err.line(), Some(3), "{err}");
    assert!(matches!(err, JournalError::Line { problem: LineProblem::ChainMismatch, .. }));
}

#[test]
fn resume_after_a_torn_write_drops_it_and_continues_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(&dir, false);
    let mut bytes = std::fs::read(&path).unwrap();
    let torn = b"{\"s\":7,\"t\":99,\"e\":\"ed\",\"p\":3,\"i";
    bytes.extend_from_slice(torn);
    std::fs::write(&path, &bytes).unwrap();

    let (mut w, rec) = JournalWriter::resume(&path).unwrap();
    assert_eq!(rec.dropped_bytes, torn.len() as u64);
    assert!(matches!(rec.journal.entries.last().unwrap().event, Event::Recovered(_)));
    w.append(typed(3, "!")).unwrap();
    w.finish("hey!").unwrap();
    let j = parse(&std::fs::read(&path).unwrap()).unwrap();
    let replay = crate::replay::Replay::build(j.entries.clone()).unwrap();
    assert_eq!(replay.final_state().text(), "hey!");
}

#[test]
fn finished_journal_cannot_be_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(&dir, true);
    assert!(matches!(JournalWriter::resume(&path), Err(WriteError::Finished(_))));
}

#[test]
fn a_line_whose_members_are_reordered_is_refused_even_when_rechained() {
    use crate::event::{Entry as Record, Event};
    use crate::journal::{ChainValue, encode_line};
    let start = Event::Start(Box::new(start_facts("T", None, None, &["editor"])));
    let (line, _) = encode_line(&Record { seq: 0, t_us: 0, event: start }, &ChainValue::genesis());
    let text = String::from_utf8(line).unwrap();
    // Swap "s" and "t" and re-chain, as someone rewriting the file would.
    let body = text.trim_end().strip_suffix('}').unwrap();
    let body = &body[..body.rfind(",\"h\":").unwrap()];
    let swapped = body.replacen("{\"s\":0,\"t\":0,", "{\"t\":0,\"s\":0,", 1);
    let next = ChainValue::genesis().next(swapped.as_bytes());
    let line = format!("{swapped},\"h\":\"{}\"}}\n", next.tag());
    let err = parse(line.as_bytes()).unwrap_err();
    assert!(
        matches!(err, JournalError::Line { line: 1, problem: LineProblem::MemberOrder }),
        "{err}"
    );
}

/// What [`parse`] says of `bytes`, and what [`Chunks`] says when handed them in pieces of
/// `size` bytes: the two must agree on every input, good or bad.
fn parsed_both_ways(bytes: &[u8], size: usize) -> (String, String) {
    let whole = parse(bytes);
    let mut chunks = Chunks::new(bytes.len());
    for piece in bytes.chunks(size.max(1)) {
        chunks.push(piece);
    }
    let (streamed, times) = chunks.finish_with_times();
    let show = |r: Result<Journal, JournalError>, times: TimeOrder| match r {
        Ok(j) => format!("ok {} events, head {}, {} bytes", j.entries.len(), j.head.hex(), j.len),
        Err(e) => format!("error {e}; time backwards: {:?}", times.backwards()),
    };
    (show(whole, TimeOrder::of(bytes)), show(streamed, times))
}

#[test]
fn a_journal_in_chunks_reads_as_the_whole_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(sample(&dir, true)).unwrap();
    let second_line = good.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut inputs = vec![
        good.clone(),
        good[..good.len() - 1].to_vec(),
        good[..second_line + 5].to_vec(),
        [&good[..], b"\0\0\0\n\0\0"].concat(),
        [&good[..], b"\0\0\n{}\n"].concat(),
        [&good[..], b"\n"].concat(),
        [&good[..second_line], b"\n", &good[second_line..]].concat(),
        Vec::new(),
        b"\0\0\0".to_vec(),
    ];
    // Long lines that cannot be journal lines are not held whole (`Doomed`), yet say the same.
    let long = 200_000;
    let tag = [b",\"h\":\"".as_slice(), &[b'A'; TAG_LEN], b"\"}"].concat();
    inputs.extend([
        [&good[..], &vec![0u8; long]].concat(),
        [&good[..], &vec![0u8; long], b"\n"].concat(),
        [&good[..], &vec![0u8; long], b"\n\0\0"].concat(),
        [&good[..], &vec![0u8; long], b"\n", &good[..second_line]].concat(),
        [&good[..], &vec![0u8; long], b"x\n"].concat(),
        [&good[..], &vec![b'x'; long], b"\n"].concat(),
        [&good[..], &vec![b'x'; long], &tag, b"\n"].concat(),
        [&good[..], &vec![b'x'; long]].concat(),
        [vec![b'x'; long].as_slice(), &tag, b"\n", &good[..]].concat(),
        [&good[..second_line], b"{\"s\":1,", &vec![b'x'; long], &tag, b"\n"].concat(),
    ]);
    let mut flipped = good.clone();
    flipped[second_line + 20] ^= 1;
    inputs.push(flipped);
    // A broken chain and a clock that runs backwards: both are reported.
    let text = String::from_utf8(good.clone()).unwrap();
    let last_t = text.lines().last().unwrap().split("\"t\":").nth(1).unwrap();
    let last_t: String = last_t.chars().take_while(char::is_ascii_digit).collect();
    inputs.push(text.replacen(&format!("\"t\":{last_t}"), "\"t\":0", 1).into_bytes());
    for bytes in &inputs {
        for size in [1, 3, 64, 1000, 70_000, bytes.len().max(1)] {
            let (whole, streamed) = parsed_both_ways(bytes, size);
            assert_eq!(
                whole,
                streamed,
                "chunks of {size} bytes of {:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

proptest::proptest! {
    /// Any cut, any flipped byte, any chunk size: the streamed reading agrees.
    #[test]
    fn chunked_reading_agrees_on_damaged_journals(cut in 0usize..2000, flip in 0usize..2000, size in 1usize..300) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = std::fs::read(sample(&dir, true)).unwrap();
        if flip < bytes.len() {
            bytes[flip] ^= 0x20;
        }
        bytes.truncate(cut.max(1).min(bytes.len()));
        let (whole, streamed) = parsed_both_ways(&bytes, size);
        proptest::prop_assert_eq!(whole, streamed);
    }
}
