use super::*;
use crate::event::{AppFocus, Checkpoint, Edit, FileNote, Focus, Key, Modifiers, Selection};

fn key() -> Event {
    Event::KeyDown(Key {
        code: "KeyA".into(),
        mods: Modifiers::NONE,
        src: None,
        rep: false,
        dev: None,
    })
}

fn ed(p: usize, d: &str, i: &str, c: Cause) -> Event {
    Event::Edit(Edit { p, d: d.into(), i: i.into(), c })
}

/// Records at the given times (ms), with a start event at 0.
fn session(events: Vec<(u64, Event)>) -> Vec<Entry> {
    let start = Event::Start(Box::new(crate::session::start_facts("t", None, None, &[])));
    std::iter::once((0, start))
        .chain(events)
        .enumerate()
        .map(|(i, (ms, event))| Entry { seq: i as u64, t_us: ms * 1000, event })
        .collect()
}

#[test]
fn gaps_of_two_seconds_or_more_between_inputs_are_pauses() {
    let t = Timeline::build(&session(vec![
        (100, key()),
        (2_099, key()),
        (4_099, key()),
        (4_200, key()),
    ]));
    assert_eq!(t.pauses.len(), 1);
    assert_eq!((t.pauses[0].from_seq, t.pauses[0].to_seq, t.pauses[0].len_us), (2, 3, 2_000_000));
    assert_eq!(t.markers_of(MarkerKind::LongPause).map(|m| m.seq).collect::<Vec<_>>(), [3]);
}

#[test]
fn a_privacy_break_is_not_counted_as_a_pause() {
    let t = Timeline::build(&session(vec![
        (100, key()),
        (200, Event::Pause),
        (60_000, Event::Resume),
        (60_100, key()),
    ]));
    assert!(t.pauses.is_empty());
    assert_eq!(t.markers.iter().map(|m| m.kind).collect::<Vec<_>>(), [MarkerKind::Break]);
}

#[test]
fn process_graph_tracks_length_production_and_caret() {
    let t = Timeline::build(&session(vec![
        (10, ed(0, "", "hello", Cause::Typed)),
        (20, ed(3, "lo", "", Cause::Typed)),
        (30, Event::Select(Selection { a: 1, b: 1 })),
        (40, ed(1, "", "XY", Cause::PasteExt)),
    ]));
    let got: Vec<_> = t.process.iter().map(|p| (p.product, p.produced, p.caret)).collect();
    assert_eq!(got, [(5, 5, 5), (3, 5, 3), (3, 5, 1), (5, 7, 3)]);
}

#[test]
fn pastes_focus_losses_and_checkpoints_are_marked_in_order() {
    let ckpt =
        Event::Checkpoint(Box::new(Checkpoint { head: "0".repeat(64), sig: None, key: None }));
    let t = Timeline::build(&session(vec![
        (10, ed(0, "", "a", Cause::Typed)),
        (20, ed(1, "", "pasted", Cause::PasteExt)),
        (30, Event::Focus(Focus { on: false })),
        (40, Event::Focus(Focus { on: true })),
        (50, ed(0, "", "a", Cause::PasteInt)),
        (60, ckpt),
    ]));
    let kinds: Vec<_> = t.markers.iter().map(|m| (m.seq, m.kind)).collect();
    assert_eq!(
        kinds,
        [
            (2, MarkerKind::PasteExt),
            (3, MarkerKind::FocusLost),
            (5, MarkerKind::PasteInt),
            (6, MarkerKind::Checkpoint)
        ]
    );
}

#[test]
fn leaving_the_own_editor_and_a_deleted_file_are_marked() {
    let app = |name: &str, editor| Event::App(AppFocus { name: name.into(), editor });
    let file = |what| Event::File(FileNote { what, why: String::new() });
    let t = Timeline::build(&session(vec![
        (10, file(FileChange::Opened)),
        (20, app("xterm", true)),
        (30, app("firefox", false)),
        (40, app("xterm", true)),
        (50, file(FileChange::Deleted)),
        (60, file(FileChange::Recreated)),
    ]));
    let kinds: Vec<_> = t.markers.iter().map(|m| (m.seq, m.kind)).collect();
    assert_eq!(
        kinds,
        [(3, MarkerKind::LeftEditor), (5, MarkerKind::FileChanged), (6, MarkerKind::FileChanged)]
    );
}

#[test]
fn a_response_saved_from_the_own_editor_shows_the_speed_of_its_key_presses() {
    // Keys typed in the editor, then one save of what they typed (cause `file`).
    let mut events: Vec<_> = (0..10).map(|i| (1_000 + i * 150, key())).collect();
    events.push((3_000, ed(0, "", "aaaaaaaaaa", Cause::File)));
    let t = Timeline::build(&session(events));
    assert!(t.speed_from_keys);
    assert_eq!(t.speed_unit(), "key presses/min");
    assert!(t.speed.iter().any(|s| s.chars_per_min > 0.0));
    // Typed edits keep the typed-characters speed.
    let t = Timeline::build(&session(vec![(1_000, key()), (1_010, ed(0, "", "a", Cause::Typed))]));
    assert!(!t.speed_from_keys);
    assert_eq!(t.speed_unit(), "typed chars/min");
}

#[test]
fn key_intervals_fall_in_log_bins() {
    // Intervals of 100 ms, 200 ms and 5 ms (below the first bin).
    let t = Timeline::build(&session(vec![
        (1_000, key()),
        (1_100, key()),
        (1_300, key()),
        (1_305, key()),
    ]));
    let count = |ms: f64| t.iki.iter().find(|b| b.lo_ms <= ms && ms < b.hi_ms).unwrap().count;
    assert_eq!(count(100.0), 1);
    assert_eq!(count(200.0), 1);
    assert_eq!(t.iki[0].count, 1);
    assert_eq!(t.iki.len(), IKI_BINS_PER_DECADE * 4);
    assert!((t.iki[4].lo_ms - 100.0).abs() < 1e-9);
}

#[test]
fn typing_speed_counts_only_typed_characters() {
    let mut events: Vec<(u64, Event)> =
        (0..60).map(|i| (i * 1000, ed(i as usize, "", "a", Cause::Typed))).collect();
    events.push((60_000, ed(0, "", &"x".repeat(500), Cause::PasteExt)));
    let t = Timeline::build(&session(events));
    // 60 s session: 2 s windows (duration / 30), one typed char per second = 60 per minute.
    assert!(t.speed.iter().take(29).all(|s| (s.chars_per_min - 60.0).abs() < 1e-9));
    assert!(t.speed.iter().all(|s| s.chars_per_min <= 60.0));
}

#[test]
fn long_sessions_are_thinned_but_keep_the_last_point() {
    let events: Vec<(u64, Event)> =
        (0..10_000).map(|i| (i * 10, ed(i as usize, "", "a", Cause::Typed))).collect();
    let t = Timeline::build(&session(events));
    assert!(t.process.len() <= MAX_POINTS);
    assert_eq!(t.process.last().map(|p| p.product), Some(10_000));
}

#[test]
fn playhead_for_a_time_counts_events_up_to_it() {
    let r = session(vec![(10, key()), (20, key()), (20, key()), (30, key())]);
    assert_eq!(applied_at(&r, 0), 1);
    assert_eq!(applied_at(&r, 19_999), 2);
    assert_eq!(applied_at(&r, 20_000), 4);
    assert_eq!(applied_at(&r, u64::MAX), 5);
}
