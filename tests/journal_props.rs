//! Property tests of the journal and replay: random sessions replay exactly at every event,
//! any tampering is caught at the right line, and a journal cut at any byte recovers.

use handprint::event::{Cause, Edit, Event, Focus};
use handprint::journal::{self, JournalWriter};
use handprint::replay::Replay;
use handprint::session::start_facts;
use proptest::prelude::*;

/// One random editing step, resolved against the current text length when applied.
#[derive(Debug, Clone)]
enum Step {
    Insert { at: f64, text: String, paste: bool },
    Delete { at: f64, len: usize },
    Replace { at: f64, len: usize, text: String },
    Blur,
}

fn step() -> impl Strategy<Value = Step> {
    let text = "[a-zé€😀 \n.]{1,8}";
    prop_oneof![
        4 => (0.0..=1.0, text, any::<bool>()).prop_map(|(at, text, paste)| Step::Insert { at, text, paste }),
        2 => (0.0..=1.0, 1usize..6).prop_map(|(at, len)| Step::Delete { at, len }),
        1 => (0.0..=1.0, 1usize..4, text).prop_map(|(at, len, text)| Step::Replace { at, len, text }),
        1 => Just(Step::Blur),
    ]
}

/// Applies `steps` to a model text, returning the events and the model text after each event.
fn events_for(steps: &[Step]) -> (Vec<Event>, Vec<String>) {
    let mut text: Vec<char> = Vec::new();
    let mut events = Vec::new();
    let mut texts = Vec::new();
    for s in steps {
        let pos = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
        let event = match s {
            Step::Insert { at, text: t, paste } => {
                let p = pos(*at, text.len());
                text.splice(p..p, t.chars());
                let c = if *paste { Cause::PasteExt } else { Cause::Typed };
                Event::Edit(Edit { p, d: Default::default(), i: t.as_str().into(), c })
            }
            Step::Delete { at, len } | Step::Replace { at, len, .. } => {
                let p = pos(*at, text.len());
                let end = (p + len).min(text.len());
                let d: String = text[p..end].iter().collect();
                let i = match s {
                    Step::Replace { text: t, .. } => t.clone(),
                    _ => String::new(),
                };
                text.splice(p..end, i.chars());
                Event::Edit(Edit { p, d: d.into(), i: i.into(), c: Cause::Typed })
            }
            Step::Blur => Event::Focus(Focus { on: false }),
        };
        events.push(event);
        texts.push(text.iter().collect());
    }
    (events, texts)
}

/// Writes a finished journal of `steps` and returns its bytes and the model texts.
fn written(steps: &[Step]) -> (Vec<u8>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let mut w = JournalWriter::create(&path, start_facts("task", None, None, &["editor"])).unwrap();
    let (events, texts) = events_for(steps);
    for e in events {
        w.append(e).unwrap();
    }
    w.finish(texts.last().map_or("", String::as_str)).unwrap();
    (std::fs::read(&path).unwrap(), texts)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_replay_to_the_recorded_text_at_every_event(steps in prop::collection::vec(step(), 1..60)) {
        let (bytes, texts) = written(&steps);
        let j = journal::parse(&bytes).unwrap();
        let replay = Replay::build(j.entries.clone()).unwrap();
        prop_assert_eq!(replay.at(0).text(), "");
        for (i, expected) in texts.iter().enumerate() {
            // Event 0 is the start; step i is event i + 1.
            prop_assert_eq!(&replay.text_after(i + 1), expected);
        }
        prop_assert_eq!(&replay.final_state().text(), texts.last().unwrap());
    }

    #[test]
    fn any_changed_removed_moved_or_inserted_line_is_caught_at_its_number(
        steps in prop::collection::vec(step(), 2..25),
        which in any::<prop::sample::Index>(),
        byte in any::<prop::sample::Index>(),
        bit in 0u8..8,
        kind in 0u8..4,
    ) {
        let (bytes, _) = written(&steps);
        let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        // Tamper with any line but the last, whose removal is a (detectable) unfinished session.
        let k = which.index(lines.len() - 1);
        let expected_line = match kind {
            0 => { let l = &mut lines[k]; let b = byte.index(l.len()); l[b] ^= 1 << bit; k + 1 }
            1 => { lines.remove(k); k + 1 }
            2 => { lines.swap(k, k + 1); k + 1 }
            _ => { let copy = lines[k].clone(); lines.insert(k + 1, copy); k + 2 }
        };
        let tampered: Vec<u8> = lines.concat();
        let err = journal::parse(&tampered).err();
        prop_assert!(err.is_some(), "tampering kind {} at line {} went unnoticed", kind, k + 1);
        let err = err.unwrap();
        prop_assert_eq!(err.line(), Some(expected_line), "{}", err);
    }

    #[test]
    fn a_journal_cut_at_any_byte_recovers_a_valid_prefix_with_its_text(
        steps in prop::collection::vec(step(), 1..30),
        cut in any::<prop::sample::Index>(),
    ) {
        let (bytes, texts) = written(&steps);
        let cut = cut.index(bytes.len() + 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.jsonl");
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let first_line_end = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        // Lines fully kept: the start line plus complete event lines.
        let complete = bytes[..cut].iter().filter(|&&b| b == b'\n').count();
        match JournalWriter::resume(&path) {
            Err(e) if cut < first_line_end => prop_assert!(e.to_string().contains("cannot be resumed"), "{}", e),
            Err(e) if complete == texts.len() + 2 => prop_assert!(e.to_string().contains("finished"), "{}", e),
            Err(e) => prop_assert!(false, "cut at {} of {} did not recover: {}", cut, bytes.len(), e),
            Ok((w, rec)) => {
                drop(w);
                let j = journal::parse(&std::fs::read(&path).unwrap()).unwrap();
                prop_assert_eq!(j.entries.len(), complete + 1);
                let replay = Replay::build(j.entries.clone()).unwrap();
                let expected = if complete <= 1 { "" } else { texts[complete - 2].as_str() };
                prop_assert_eq!(replay.final_state().text(), expected);
                prop_assert_eq!(rec.journal.entries.len(), complete + 1);
            }
        }
    }
}
