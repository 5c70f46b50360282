use super::test_support::Seq;
use super::*;
use crate::event::{Cause, Event};

fn ids(a: &Analysis) -> Vec<(&str, Severity)> {
    a.flags.iter().map(|f| (f.id.as_str(), f.severity)).collect()
}

#[test]
fn provenance_counts_the_final_text_by_origin() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("hello", 100.0, Some(50.0));
    s.at(1000.0).ed(5, "", " world", Cause::PasteExt);
    s.at(2000.0).ed(11, "", "!!", Cause::PasteInt);
    s.at(3000.0).ed(12, "!", "", Cause::Typed);
    s.at(4000.0).ed(0, "", "ab", Cause::PasteExt);
    let p = s.analyze().measures.provenance;
    assert_eq!((p.final_chars, p.typed, p.paste_ext, p.paste_int, p.other), (14, 5, 8, 1, 0));
    assert_eq!((p.typed_share, p.paste_ext_share, p.paste_int_share), (0.357, 0.571, 0.071));
    assert_eq!(p.largest_external_paste, Some(Paste { seq: 16, chars: 6 }));
    assert_eq!(p.external_paste_count, 2);
    assert_eq!((p.chars_produced, p.chars_deleted), (15, 1));
    assert_eq!(p.product_process_ratio, Some(0.933));
    assert_eq!((p.insertion_edits, p.deletion_edits), (8, 1));
    assert_eq!(p.deletions_per_input_event, Some(0.125));
}

#[test]
fn a_text_mostly_pasted_from_outside_raises_a_warning_citing_the_share() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("my intro ", 150.0, Some(80.0));
    s.at(3000.0).ed(9, "", &"pasted words ".repeat(5), Cause::PasteExt);
    let a = s.analyze();
    let f = &a.flags[0];
    assert_eq!((f.id.as_str(), f.severity), ("large_external_paste", Severity::Warning));
    assert!(f.reason.contains("87.8%"), "{}", f.reason);
    assert_eq!(f.events, vec![28]);
}

#[test]
fn typed_text_without_key_presses_is_a_strong_flag() {
    let mut s = Seq::new();
    for (i, ch) in
        "injected by a program, not typed on this keyboard at all. ".repeat(3).chars().enumerate()
    {
        let p = s.len;
        s.at(i as f64 * 50.0).ed(p, "", &ch.to_string(), Cause::Typed);
    }
    let a = s.analyze();
    assert!(ids(&a).contains(&("text_without_keys", Severity::Strong)));
    assert_eq!(a.measures.motor.unmatched_typed_chars, 174);
}

#[test]
fn constant_delay_typing_is_machine_regular_and_constant_holds_are_implausible() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end(&"the same rhythm every time ".repeat(10), 50.0, Some(10.0));
    let a = s.analyze();
    let flags = ids(&a);
    assert!(flags.contains(&("machine_regular_timing", Severity::Strong)), "{flags:?}");
    assert!(flags.contains(&("implausible_key_holds", Severity::Strong)), "{flags:?}");
    assert!(!flags.iter().any(|f| f.0 == "text_without_keys"));
}

#[test]
fn too_few_keys_are_not_judged_and_the_limits_say_so() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("short answer", 50.0, Some(10.0));
    let a = s.analyze();
    assert!(a.flags.is_empty(), "{:?}", ids(&a));
    assert!(a.limits.iter().any(|l| l.contains("at least 100 are needed")));
    assert!(a.limits.iter().any(|l| l.contains("no end event")));
}

#[test]
fn a_bare_start_analyzes_without_panicking() {
    let s = Seq::new();
    let a = s.analyze();
    assert_eq!(a.measures.provenance.final_chars, 0);
    assert!(a.summary.facts[0].contains("empty"));
    assert!(a.to_text().contains("No key events"));
}

#[test]
fn the_summary_ends_with_exactly_one_sentence_on_what_timing_cannot_show() {
    let mut s = Seq::new();
    s.at(0.0).type_at_end("a few words", 150.0, Some(90.0));
    let a = s.analyze();
    assert!(a.summary.cannot_show.contains("Condrey 2026"));
    assert_eq!(a.summary.cannot_show.matches(". ").count(), 0);
    assert!(a.summary.facts.iter().all(|f| !f.contains("Condrey")));
}

#[test]
fn attestation_summary_carries_version_headline_ratios_and_flag_ids() {
    let mut s = Seq::new();
    s.at(0.0).ed(0, "", &"x".repeat(200), Cause::PasteExt);
    s.push(Event::Pause);
    let v = s.analyze().attestation_summary();
    assert_eq!(v["version"], ANALYSIS_VERSION);
    assert_eq!(v["paste_ext_share"], 1.0);
    assert_eq!(v["largest_external_paste"], 200);
    assert_eq!(v["flags"][0]["id"], "large_external_paste");
    assert_eq!(v["flags"][0]["severity"], "warning");
}

#[test]
fn flags_are_ordered_most_severe_first() {
    let mut s = Seq::new();
    s.at(0.0).ed(0, "", &"x".repeat(200), Cause::PasteExt);
    for i in 0..150u32 {
        let p = s.len;
        s.at(1000.0 + f64::from(i) * 50.0).ed(p, "", "y", Cause::Typed);
    }
    let a = s.analyze();
    let sev: Vec<Severity> = a.flags.iter().map(|f| f.severity).collect();
    assert!(sev.windows(2).all(|w| w[0] >= w[1]), "{sev:?}");
    assert_eq!(a.worst(), Some(Severity::Strong));
}

#[test]
fn frame_quantised_human_timing_is_not_called_machine_regular() {
    // App-window keys land on 60 Hz frames, so some consecutive intervals are equal (here up
    // to three in a row); human-like spread (CV 0.49) must not read as machine-regular.
    let frame = 1000.0 / 60.0;
    let gaps = [6, 9, 12, 8, 15, 10, 7, 20, 9, 11, 25, 6, 6, 6, 13];
    let mut s = Seq::new();
    s.src = None;
    let mut t = 0.0;
    for i in 0..300 {
        let ch = if i % 6 == 5 { ' ' } else { 'a' };
        s.at(t).type_at_end(&ch.to_string(), 1.0, Some(f64::from(5 + (i % 3)) * frame));
        t += f64::from(gaps[i as usize % gaps.len()]) * frame;
    }
    let a = s.analyze();
    let m = &a.measures.motor;
    assert_eq!(m.longest_equal_run, 3);
    assert_eq!(m.interval_cv, Some(0.495));
    assert!(
        !a.flags
            .iter()
            .any(|f| f.id == "machine_regular_timing" || f.id == "implausible_key_holds"),
        "{:?}",
        ids(&a)
    );
}
