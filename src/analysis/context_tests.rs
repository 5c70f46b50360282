use super::*;
use crate::analysis::test_support::Seq;
use crate::event::{AwayKeys, ClockSample, Event, Focus, KeyClass, Recovered};

#[test]
fn focus_time_away_and_the_burst_after_return_are_measured() {
    let mut s = Seq::new();
    s.at(1000.0).push(Event::Focus(Focus { on: false }));
    s.at(6000.0).push(Event::Focus(Focus { on: true }));
    s.at(6500.0).type_at_end(&"x".repeat(30), 100.0, None);
    s.at(12_000.0).type_at_end("y", 100.0, None);
    let c = measure(&s.entries, &mut Vec::new());
    assert_eq!((c.focus_losses, c.focus_away_ms), (1, 5000));
    assert_eq!(
        c.focus_return_bursts,
        vec![FocusBurst { seq: 2, chars: 30, ms: 3400, unrevised: true }]
    );
}

#[test]
fn a_wall_clock_set_back_or_jumping_ahead_is_an_anomaly_and_small_drift_is_not() {
    let mut s = Seq::new();
    let clock = |w: &str| Event::Clock(ClockSample { wall: w.into() });
    s.at(60_000.0).push(clock("2026-01-01T00:01:00.500Z")); // 0.5 s drift: fine
    s.at(120_000.0).push(clock("2026-01-01T00:01:50.500Z")); // set back 10 s
    s.at(180_000.0).push(clock("2026-01-01T01:01:50.500Z")); // an hour ahead (sleep)
    let c = measure(&s.entries, &mut Vec::new());
    assert_eq!(c.clock_samples, 3);
    assert_eq!(
        c.clock_anomalies,
        vec![
            ClockAnomaly { seq: 2, jump_ms: -10_000 },
            ClockAnomaly { seq: 3, jump_ms: 3_540_000 }
        ]
    );
}

#[test]
fn away_keys_recoveries_idle_gaps_and_privacy_breaks_are_counted() {
    let mut s = Seq::new();
    let away = |n: u32| {
        Event::AwayKeys(AwayKeys { n: [(KeyClass::Char, n), (KeyClass::Space, 1)].into() })
    };
    s.at(0.0).type_at_end("a", 100.0, None);
    s.at(100.0).push(away(5)).push(away(7));
    s.at(90_000.0).type_at_end("b", 100.0, None);
    s.at(91_000.0).push(Event::Pause).at(101_000.0).push(Event::Resume);
    s.push(Event::Recovered(Recovered { dropped: 17, wall: "2026-01-01T00:02:00Z".into() }));
    let c = measure(&s.entries, &mut Vec::new());
    assert_eq!(c.away_keys.get("char"), Some(&12));
    assert_eq!(c.away_keys.get("space"), Some(&2));
    assert_eq!((c.idle_gaps, c.longest_idle_ms), (1, 90_000));
    assert_eq!((c.privacy_breaks, c.paused_ms), (1, 10_000));
    assert_eq!((c.recovered.clone(), c.recovered_dropped_bytes), (vec![9], 17));
    assert!(!c.finished);
}
