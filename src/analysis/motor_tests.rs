use super::*;
use crate::analysis::test_support::Seq;
use crate::event::{Cause, Event};

#[test]
fn constant_rhythm_gives_exact_intervals_holds_and_flights() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end(&"ab".repeat(10), 100.0, Some(40.0));
    let mut limits = Vec::new();
    let m = measure(&s.entries, &mut limits);
    assert_eq!(m.key_source, TimingSource::Os);
    assert_eq!((m.key_presses, m.key_releases, m.intervals, m.holds), (20, 20, 19, 20));
    assert_eq!(m.interval_median_ms, Some(100.0));
    assert_eq!(m.interval_cv, Some(0.0));
    assert_eq!(m.longest_equal_run, 19);
    assert_eq!(m.longest_equal_run_seq, Some(4));
    assert_eq!(m.timing_entropy_bits, Some(0.0));
    assert_eq!(m.hold_median_ms, Some(40.0));
    assert_eq!(m.hold_mode_share, Some(1.0));
    assert_eq!(m.flight_median_ms, Some(60.0));
    assert_eq!(m.rollover_ratio, Some(0.0));
    assert_eq!(m.under_30ms_share, Some(0.0));
    assert_eq!((m.typed_chars, m.unmatched_typed_chars), (20, 0));
}

#[test]
fn a_key_pressed_before_the_previous_is_released_is_rollover() {
    let mut s = Seq::new();
    s.at(0.0).kd("KeyA").at(80.0).kd("KeyB").at(100.0).ku("KeyA").at(180.0).ku("KeyB");
    s.at(400.0).kd("KeyC").at(420.0).ku("KeyC");
    let m = measure(&s.entries, &mut Vec::new());
    assert_eq!(m.intervals, 2);
    assert_eq!(m.rollover_ratio, Some(0.5));
    assert_eq!(m.flight_median_ms, Some(220.0));
    assert_eq!(m.hold_median_ms, Some(100.0));
}

#[test]
fn auto_repeat_and_modifiers_are_not_timed() {
    let mut s = Seq::new();
    s.at(0.0).kd("ShiftLeft").at(10.0).kd("KeyA").at(40.0).kd("KeyA").at(70.0).kd("KeyA");
    s.at(100.0).ku("KeyA").at(110.0).ku("ShiftLeft").at(300.0).kd("KeyB").at(350.0).ku("KeyB");
    let m = measure(&s.entries, &mut Vec::new());
    assert_eq!(m.key_presses, 5);
    assert_eq!(m.intervals, 1);
    assert_eq!(m.interval_median_ms, Some(290.0));
    assert_eq!(m.holds, 2);
}

#[test]
fn typed_characters_without_a_key_press_are_unmatched() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("ab", 100.0, Some(50.0));
    s.at(5000.0).ed(2, "", "cdef", Cause::Typed);
    s.at(5100.0).ed(6, "", "g", Cause::PasteExt);
    let m = measure(&s.entries, &mut Vec::new());
    assert_eq!((m.typed_chars, m.unmatched_typed_chars), (6, 4));
    assert_eq!(m.unmatched_seqs, vec![s.entries.len() as u64 - 2]);
}

#[test]
fn one_press_serves_one_character() {
    let mut s = Seq::new();
    s.at(0.0).kd("KeyA").ed(0, "", "aa", Cause::Typed);
    let m = measure(&s.entries, &mut Vec::new());
    assert_eq!(m.unmatched_typed_chars, 1);
}

#[test]
fn app_window_keys_are_judged_at_frame_resolution_and_the_limit_says_so() {
    let mut s = Seq::new();
    s.src = None;
    s.at(0.0).type_at_end("abcd", 100.0, Some(50.0));
    let mut limits = Vec::new();
    let m = measure(&s.entries, &mut limits);
    assert_eq!(m.key_source, TimingSource::App);
    assert_eq!(m.resolution_ms, 16.667);
    assert!(limits.iter().any(|l| l.contains("quantised")));
}

#[test]
fn a_session_without_keys_says_what_cannot_be_measured() {
    let mut s = Seq::new();
    s.push(Event::Pause);
    let mut limits = Vec::new();
    let m = measure(&s.entries, &mut limits);
    assert_eq!(m.key_source, TimingSource::None);
    assert_eq!(m.interval_cv, None);
    assert_eq!(limits.len(), 1);
}

#[test]
fn without_releases_every_press_counts_and_rollover_is_unknown() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("aaba", 100.0, None);
    let m = measure(&s.entries, &mut Vec::new());
    assert_eq!(m.intervals, 3);
    assert_eq!((m.holds, m.rollover_ratio), (0, None));
}
