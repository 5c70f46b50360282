use super::*;
use crate::analysis::Severity;
use crate::analysis::test_support::{Seq, code_of};
use crate::event::Cause;

const SENTENCE: &str = "The river carried the small boat past the old mill and under the bridge. ";

/// How a simulated writer types `n` sentences: where the 3 s pauses fall, how often a typo is
/// fixed at once with Backspace, and a cycle of intervals (ms) that sets the rhythm.
struct Writer {
    pause_at_sentence_end: bool,
    typo_every: usize,
    intervals: &'static [f64],
}

/// Steady: CV about 0.3. Uneven: CV above 1.
const STEADY: &[f64] = &[150.0, 190.0, 170.0, 230.0, 160.0, 140.0, 210.0];
const UNEVEN: &[f64] = &[80.0, 420.0, 120.0, 900.0, 100.0, 260.0, 1500.0, 90.0];

fn write(w: &Writer, sentences: usize) -> Seq {
    let mut s = Seq::new();
    let mut t = 0.0;
    let mut k = 0;
    let mut stroke = |s: &mut Seq, t: &mut f64, ch: Option<char>| {
        let code = ch.map_or("Backspace".to_string(), code_of);
        s.at(*t).kd(&code);
        let p = s.len;
        match ch {
            Some(c) => s.ed(p, "", &c.to_string(), Cause::Typed),
            None => s.ed(p - 1, "x", "", Cause::Typed),
        };
        s.at(*t + 90.0).ku(&code);
        *t += w.intervals[k % w.intervals.len()];
        k += 1;
    };
    for _ in 0..sentences {
        for (i, ch) in SENTENCE.chars().enumerate() {
            if !w.pause_at_sentence_end && i == 30 {
                t += 3_000.0;
            }
            if w.typo_every > 0 && i % w.typo_every == 5 {
                stroke(&mut s, &mut t, Some('x'));
                stroke(&mut s, &mut t, None);
            }
            stroke(&mut s, &mut t, Some(ch));
        }
        if w.pause_at_sentence_end {
            t += 3_000.0;
        }
    }
    s
}

fn transcription_flag(s: &Seq) -> Option<(Severity, String)> {
    let a = s.analyze();
    a.flags.iter().find(|f| f.id == "transcription_like").map(|f| (f.severity, f.reason.clone()))
}

#[test]
fn the_strongest_sign_alone_reaches_the_notice_level() {
    assert!(ln_ratio(COPY_PAUSE_RATE, ESSAY_TAIL) >= NOTICE_NATS);
    for weak in [ln_ratio(COPY_LOW_REVISION_RATE, ESSAY_TAIL), ln_ratio(COPY_CV_RATE, ESSAY_TAIL)] {
        assert!(weak < NOTICE_NATS);
    }
}

#[test]
fn pauses_at_sentence_ends_mark_a_copyist_who_fixes_every_typo() {
    let w = Writer { pause_at_sentence_end: true, typo_every: 12, intervals: UNEVEN };
    let s = write(&w, 10);
    let t = s.analyze().measures.transcription;
    assert!(t.contributions.iter().any(|c| c.sign == "pauses_at_sentence_ends" && c.counted));
    assert!(!t.contributions.iter().any(|c| c.group == "rhythm"), "{t:?}");
    assert!(transcription_flag(&s).is_some(), "{t:?}");
}

#[test]
fn copy_typing_with_error_correction_and_a_steady_rhythm_is_a_warning() {
    let w = Writer { pause_at_sentence_end: true, typo_every: 12, intervals: STEADY };
    let flag = transcription_flag(&write(&w, 10));
    assert_eq!(flag.map(|f| f.0), Some(Severity::Warning));
}

#[test]
fn a_weak_sign_alone_raises_nothing() {
    // Pauses inside sentences, typos fixed, uneven rhythm: only "nothing away from the end".
    let w = Writer { pause_at_sentence_end: false, typo_every: 12, intervals: UNEVEN };
    let s = write(&w, 10);
    let t = s.analyze().measures.transcription;
    assert!(t.score < NOTICE_NATS, "{t:?}");
    assert_eq!(transcription_flag(&s), None);
}

#[test]
fn weak_signs_together_stop_at_a_notice() {
    // No typos and a steady rhythm, but pauses within sentences: no strong sign.
    let w = Writer { pause_at_sentence_end: false, typo_every: 0, intervals: STEADY };
    let s = write(&w, 10);
    let t = s.analyze().measures.transcription;
    assert!(!t.strong_sign);
    assert!(t.score >= WARNING_NATS, "the weak signs add up to {}", t.score);
    assert_eq!(transcription_flag(&s).map(|f| f.0), Some(Severity::Notice));
}

#[test]
fn signs_of_one_group_count_once() {
    let w = Writer { pause_at_sentence_end: false, typo_every: 0, intervals: UNEVEN };
    let t = write(&w, 10).analyze().measures.transcription;
    let revision: Vec<_> = t.contributions.iter().filter(|c| c.group == "revision").collect();
    assert!(revision.len() >= 2, "{revision:?}");
    assert_eq!(revision.iter().filter(|c| c.counted).count(), 1);
}

#[test]
fn the_reason_gives_the_score_each_contribution_and_the_thresholds() {
    let w = Writer { pause_at_sentence_end: true, typo_every: 0, intervals: STEADY };
    let reason = transcription_flag(&write(&w, 10)).map(|f| f.1).unwrap_or_default();
    for part in ["evidence score", "nats", "notice from 2.48", "warning from 4.6", "+2.77", "+2.40"]
    {
        assert!(reason.contains(part), "{part} missing from: {reason}");
    }
}

#[test]
fn editing_earlier_text_counts_against_transcription() {
    let w = Writer { pause_at_sentence_end: true, typo_every: 0, intervals: UNEVEN };
    let mut s = write(&w, 10);
    let before = s.analyze().measures.transcription.score;
    let mut t = s.t_us as f64 / 1000.0 + 3_000.0;
    for k in 0..100 {
        // Insert a word near the start, away from the end of the text.
        s.at(t).kd("KeyA");
        s.ed(10 + k, "", "a", Cause::Typed);
        s.at(t + 80.0).ku("KeyA");
        t += 400.0;
    }
    let after = s.analyze().measures.transcription;
    assert!(after.contributions.iter().any(|c| c.sign == "edits_earlier_text" && c.weight < 0.0));
    assert!(after.score < before, "{before} → {after:?}");
}
