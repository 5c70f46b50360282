use super::*;
use crate::analysis::test_support::Seq;
use crate::event::Cause;

#[test]
fn pauses_are_located_within_words_between_words_and_at_sentence_and_paragraph_ends() {
    let mut s = Seq::new();
    s.at(1000.0).type_at_end("ab", 100.0, None);
    s.at(4000.0).type_at_end("c d", 100.0, None); // within word: "ab|c"
    s.at(7000.0).type_at_end("e. ", 100.0, None); // between words: "c |d" is 100 ms, so "d|e" within? no: see next
    s.at(10_000.0).type_at_end("F\n", 100.0, None); // sentence: ". |F"
    s.at(13_000.0).type_at_end("G", 100.0, None); // paragraph: "\n|G"
    let end = s.len;
    s.at(16_000.0).ed(end - 1, "G", "", Cause::Typed); // other: before a deletion
    let p = measure(&s.entries);
    let l = p.pauses_by_location;
    assert_eq!(p.pauses.len(), 5);
    assert_eq!((l.within_word, l.between_words, l.sentence, l.paragraph, l.other), (2, 0, 1, 1, 1));
    assert_eq!(p.pauses[0].ms, 2900);
    assert_eq!(p.pauses[0].location, Location::WithinWord);
    assert_eq!(p.not_at_sentence_end_share, Some(0.5));
}

#[test]
fn a_pause_after_a_space_is_between_words() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("word ", 100.0, None);
    s.at(3000.0).type_at_end("next", 100.0, None);
    let p = measure(&s.entries);
    assert_eq!(p.pauses_by_location.between_words, 1);
    assert_eq!(p.pauses[0].seq, 11);
}

#[test]
fn deletions_within_500_ms_chain_into_one_revision_sized_by_characters() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("abcdefghijklmnopqrstuvwxyz", 100.0, None);
    // Three backspaces 200 ms apart: one correction of 3 chars at the leading edge.
    s.at(3000.0).ed(25, "z", "", Cause::Typed);
    s.at(3200.0).ed(24, "y", "", Cause::Typed);
    s.at(3400.0).ed(23, "x", "", Cause::Typed);
    // A selection of 12 chars deleted 5 chars before the end: one revision in earlier text.
    s.at(5000.0).ed(6, "ghijklmnopqr", "", Cause::Typed);
    let p = measure(&s.entries);
    let r = p.revisions;
    assert_eq!((r.chains, r.corrections, r.revisions), (2, 1, 1));
    assert_eq!((r.at_leading_edge, r.in_earlier_text), (1, 1));
    assert_eq!(r.median_distance_chars, Some(5.0));
}

#[test]
fn bursts_end_at_pauses_or_at_revisions() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("abcde", 100.0, None);
    s.at(3000.0).type_at_end("fgh", 100.0, None);
    s.at(3500.0).ed(7, "h", "", Cause::Typed);
    s.at(3600.0).type_at_end("ij", 100.0, None);
    let p = measure(&s.entries);
    assert_eq!(p.p_bursts, Bursts { count: 2, mean_chars: Some(3.5), max_chars: 5 });
    assert_eq!(p.r_bursts, Bursts { count: 1, mean_chars: Some(3.0), max_chars: 3 });
}

#[test]
fn insertions_before_the_end_are_non_linear_and_caret_jumps_are_counted() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("abc", 100.0, None);
    s.at(500.0).ed(0, "", "X", Cause::Typed);
    s.at(600.0).ed(4, "", "d", Cause::Typed);
    let p = measure(&s.entries);
    assert_eq!(p.nonlinear_insert_share, Some(0.2));
    assert_eq!(p.caret_jumps, 2);
}

#[test]
fn a_privacy_break_is_not_a_pause() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("ab", 100.0, None);
    s.at(200.0).push(crate::event::Event::Pause);
    s.at(60_000.0).push(crate::event::Event::Resume);
    s.at(60_100.0).type_at_end("c", 100.0, None);
    assert!(measure(&s.entries).pauses.is_empty());
}

#[test]
fn the_writer_threshold_is_tukeys_far_out_fence_of_within_word_intervals() {
    let mut s = Seq::new();
    // 21 within-word intervals alternating 100 and 200 ms: Q1 100, Q3 200, fence 500.
    let mut t = 0.0;
    for i in 0..22 {
        s.at(t).type_at_end("a", 1.0, None);
        t += if i % 2 == 0 { 100.0 } else { 200.0 };
    }
    let p = measure(&s.entries);
    assert_eq!(p.writer_threshold_ms, Some(500.0));
    assert_eq!(p.writer_pauses_by_location, LocationCounts::default());
}
