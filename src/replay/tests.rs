//! Replay behaviour on hand-built sessions.

use super::*;
use crate::event::{Cause, CopyRange, Edit, SessionEnd};

fn rec(seq: u64, event: Event) -> Entry {
    Entry { seq, t_us: seq * 1000, event }
}

fn edit(p: usize, d: &str, i: &str, c: Cause) -> Event {
    Event::Edit(Edit { p, d: d.into(), i: i.into(), c })
}

fn session(events: Vec<Event>) -> Arc<Vec<Entry>> {
    let mut all = vec![Event::Start(Box::new(crate::session::start_facts("t", None, None, &[])))];
    all.extend(events);
    Arc::new(all.into_iter().enumerate().map(|(i, e)| rec(i as u64, e)).collect())
}

#[test]
fn text_at_every_point_follows_the_edits() {
    let r = Replay::build(session(vec![
        edit(0, "", "helo", Cause::Typed),
        edit(2, "", "l", Cause::Typed),
        edit(5, "", " world", Cause::PasteExt),
        edit(0, "h", "H", Cause::Typed),
    ]))
    .unwrap();
    let texts: Vec<String> = (0..=r.len()).map(|n| r.at(n).text()).collect();
    assert_eq!(texts, ["", "", "helo", "hello", "hello world", "Hello world"]);
}

#[test]
fn origins_follow_characters_through_later_edits() {
    let r = Replay::build(session(vec![
        edit(0, "", "ab", Cause::Typed),
        edit(1, "", "XY", Cause::PasteExt),
        edit(0, "a", "", Cause::Typed),
    ]))
    .unwrap();
    let s = r.final_state();
    let got: Vec<(char, Cause, u32)> = s.doc.glyphs().map(|g| (g.ch, g.cause, g.by)).collect();
    assert_eq!(got, [('X', Cause::PasteExt, 2), ('Y', Cause::PasteExt, 2), ('b', Cause::Typed, 1)]);
    assert_eq!(s.origin_counts()[&Cause::PasteExt], 2);
    assert_eq!(r.totals().deleted_total(), 1);
}

#[test]
fn deleting_text_that_is_not_there_is_reported_with_the_event() {
    let err = Replay::build(session(vec![
        edit(0, "", "abc", Cause::Typed),
        edit(1, "x", "", Cause::Typed),
    ]))
    .unwrap_err();
    assert_eq!(err.seq(), 2);
    assert!(err.to_string().contains("\"x\""), "{err}");
}

#[test]
fn final_digest_mismatch_is_an_error() {
    let end = SessionEnd { sha256: crate::sha256_hex(b"other"), chars: 5 };
    let err = Replay::build(session(vec![edit(0, "", "abc", Cause::Typed), Event::End(end)]))
        .unwrap_err();
    assert!(matches!(err, ReplayError::FinalTextMismatch { seq: 2, .. }));
}

#[test]
fn copies_record_the_copied_text() {
    let r = Replay::build(session(vec![
        edit(0, "", "hello", Cause::Typed),
        Event::Copy(CopyRange { a: 1, b: 3 }),
    ]))
    .unwrap();
    assert_eq!(r.copies()[0].text, "el");
}

#[test]
fn seeking_across_keyframes_matches_sequential_replay() {
    let events: Vec<Event> = (0..3000)
        .map(|i| edit(i % 7, "", &char::from(b'a' + (i % 26) as u8).to_string(), Cause::Typed))
        .collect();
    let r = Replay::build(session(events)).unwrap();
    let mut expected = String::new();
    for n in 1..=r.len() {
        if n >= 2 {
            let i = n - 2;
            let pos = (i % 7).min(expected.chars().count());
            let byte = expected.char_indices().nth(pos).map_or(expected.len(), |(b, _)| b);
            expected.insert(byte, char::from(b'a' + (i % 26) as u8));
        }
        if n % 97 == 0 || n == r.len() {
            assert_eq!(r.at(n).text(), expected, "at {n}");
        }
    }
}
