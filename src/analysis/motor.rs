//! Motor realism: how the keys were pressed. Key holds (press → release) and flights
//! (release → next press), rollover (the next key pressed before the previous is released),
//! intervals shorter than people manage, runs of identical intervals, timing entropy and
//! coefficient of variation, and whether every typed character has a matching key press.
//!
//! Two key back-ends exist: the app window (no `src`), whose times are taken when the display
//! frame handles input and so are quantised to about one frame, and the system-wide hook
//! (`src: os`), with millisecond times. When both are present only the precise keys are timed.

use super::stats::{self, round3};
use crate::event::{Cause, Entry, Event, KeyClass, KeyDevice, KeySource as Src, key_class};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Intervals of 2 s or more are pauses, not motor timing; the human reference figures were
/// computed over intervals < 2 s (REFERENCES: Dhakal et al. 2018 sub-sample).
pub const MOTOR_MAX_MS: f64 = 2_000.0;
/// "Shorter than humanly possible": under 30 ms (human p95 share 0.009, Dhakal et al. 2018).
pub const FAST_MS: f64 = 30.0;
/// A typed character matches a key press at most 2 s before it (a slow editor frame or a
/// dead key can delay the edit) or 100 ms after it (an edit recorded in the same frame as,
/// but before, its key).
const MATCH_BEFORE_US: u64 = 2_000_000;
const MATCH_AFTER_US: u64 = 100_000;
/// Supporting events kept for a flag.
const MAX_SEQS: usize = 100;

/// Which key back-end the timing measures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimingSource {
    /// No key events at all.
    None,
    /// The app window: times quantised to display frames.
    App,
    /// The system-wide hook (or an imported log with millisecond key times).
    Os,
}

impl TimingSource {
    /// Timing resolution assumed for comparisons of equal times, ms: one 60 Hz frame for the
    /// app window, the 1 ms of the OS hook.
    pub fn resolution_ms(self) -> f64 {
        match self {
            TimingSource::App => 1000.0 / 60.0,
            _ => 1.0,
        }
    }
}

/// Motor measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Motor {
    pub key_source: TimingSource,
    pub resolution_ms: f64,
    /// Key presses (all back-ends, auto-repeat included) and releases.
    pub key_presses: usize,
    /// Key presses that were auto-repeats of a held key (not timed).
    pub auto_repeats: usize,
    pub key_releases: usize,
    /// Press → press intervals < 2 s between non-modifier keys of the timed back-end.
    pub intervals: usize,
    pub interval_median_ms: Option<f64>,
    pub interval_p05_ms: Option<f64>,
    pub interval_p95_ms: Option<f64>,
    /// Coefficient of variation of those intervals.
    pub interval_cv: Option<f64>,
    /// Share of those intervals under 30 ms.
    pub under_30ms_share: Option<f64>,
    /// Longest run of consecutive intervals equal at the timing resolution.
    pub longest_equal_run: usize,
    /// Key press where that run starts.
    pub longest_equal_run_seq: Option<u64>,
    /// Shannon entropy of the intervals in 10 ms bins (or frame-wide bins for app keys), bits.
    pub timing_entropy_bits: Option<f64>,
    /// Key holds (press → release of the same key), non-modifier keys.
    pub holds: usize,
    pub hold_median_ms: Option<f64>,
    pub hold_p05_ms: Option<f64>,
    /// Share of holds in the single most common resolution-wide bin.
    pub hold_mode_share: Option<f64>,
    /// Median release → next press, ms (negative when keys overlap).
    pub flight_median_ms: Option<f64>,
    /// Share of consecutive presses (< 2 s apart) where the next key went down before the
    /// previous one came up.
    pub rollover_ratio: Option<f64>,
    /// Characters inserted by typing, and how many of them had no key press to match.
    pub typed_chars: usize,
    pub unmatched_typed_chars: usize,
    /// Edits holding unmatched typed characters (at most 100).
    pub unmatched_seqs: Vec<u64>,
    /// Key presses per device of origin (`kbd`, `xtest`, `added`, `other`), where the capture
    /// told; empty when it could not.
    pub presses_by_device: BTreeMap<String, usize>,
    /// Typed characters whose key press was injected through XTest, and those presses (100).
    pub injected_typed_chars: usize,
    pub injected_seqs: Vec<u64>,
    /// Typed characters whose key press came from a keyboard attached mid-session.
    pub added_device_typed_chars: usize,
    pub added_device_seqs: Vec<u64>,
}

struct Down {
    t: u64,
}

pub(super) fn measure(entries: &[Entry], limits: &mut Vec<String>) -> Motor {
    let os_presses = entries
        .iter()
        .filter(|r| matches!(&r.event, Event::KeyDown(k) if k.src == Some(Src::Os)))
        .count();
    let app_presses =
        entries.iter().filter(|r| matches!(&r.event, Event::KeyDown(k) if k.src.is_none())).count();
    let any_key = os_presses + app_presses > 0;
    // The precise hook is timed when it saw most presses; when it lost them (a `cap` event,
    // or a hook that never delivered), the editor's own keys are timed instead: frame
    // quantisation blurs timing, but 12 ms between keys is superhuman at any resolution.
    let source = if !any_key {
        TimingSource::None
    } else if os_presses >= app_presses {
        TimingSource::Os
    } else {
        TimingSource::App
    };
    if source == TimingSource::App && os_presses > 0 {
        limits.push(format!("The system-wide hook recorded only {os_presses} of {} key presses (it lost keys): timing is measured from the editor's own key events, quantised to display frames.", os_presses + app_presses));
    }
    let timed = |src: Option<Src>| (src == Some(Src::Os)) == (source == TimingSource::Os);
    let has_releases = entries.iter().any(|r| matches!(&r.event, Event::KeyUp(k) if timed(k.src)));
    let res = source.resolution_ms();

    let (mut presses, mut releases, mut repeats) = (0, 0, 0);
    let mut down: HashMap<&str, Down> = HashMap::new();
    let mut intervals = Series::default();
    let mut run = EqualRun::new(res);
    let mut holds = Series::default();
    let mut flights = Series::default();
    let (mut pairs, mut rollovers) = (0usize, 0usize);
    let mut last: Option<(u64, &str)> = None;
    let mut last_up: Option<u64> = None;
    let mut press_times = Vec::new();
    let mut typed = Vec::new();
    let mut by_device: BTreeMap<String, usize> = BTreeMap::new();
    for (at, r) in entries.iter().enumerate() {
        // Entries are indexed as u32 in the series below (4 bytes, not a copy of the time
        // and sequence number): a journal has far fewer than 2^32 lines (files over 2 GiB are
        // refused before reading).
        let at = at as u32;
        match &r.event {
            Event::KeyDown(k) => {
                presses += 1;
                let class = key_class(&k.code, k.mods);
                if let Some(d) = k.dev {
                    *by_device.entry(d.name().to_string()).or_insert(0) += 1;
                }
                // An injected key whose keysym was remapped (how xdotool and pynput type
                // characters the layout lacks) has no known code but still typed.
                let remapped = k.code == "Unidentified" && k.dev == Some(KeyDevice::Xtest);
                if matches!(class, KeyClass::Char | KeyClass::Space | KeyClass::Enter)
                    || (k.code == "Tab" && !k.mods.command())
                    || remapped
                {
                    press_times.push(at);
                }
                // Auto-repeat: marked by the back-end (`r`), or the same key pressed again
                // while still down, with no other key between (a new key takes over the
                // repeat). A repeat types a character but is not a keystroke, so it is never
                // timed (REFERENCES: X repeats every 40 ms, which would read as superhuman).
                let repeat = k.rep
                    || (has_releases
                        && down.contains_key(k.code.as_str())
                        && last.is_some_and(|(_, code)| code == k.code));
                repeats += usize::from(repeat);
                if !timed(k.src) || class == KeyClass::Modifier || repeat {
                    continue;
                }
                if let Some((t, code)) = last {
                    let us = r.t_us.saturating_sub(t);
                    if (us as f64 / 1000.0) < MOTOR_MAX_MS {
                        intervals.push(us as i64);
                        run.push(us as f64 / 1000.0, r.seq);
                        pairs += 1;
                        if has_releases && down.contains_key(code) {
                            rollovers += 1;
                        } else if let Some(up) = last_up {
                            flights.push(r.t_us as i64 - up as i64);
                        }
                    }
                }
                down.insert(&k.code, Down { t: r.t_us });
                last = Some((r.t_us, &k.code));
                last_up = None;
            }
            Event::KeyUp(k) => {
                releases += 1;
                if !timed(k.src) {
                    continue;
                }
                if let Some(d) = down.remove(k.code.as_str()) {
                    holds.push(r.t_us.saturating_sub(d.t) as i64);
                    if last.is_some_and(|(_, code)| code == k.code) {
                        last_up = Some(r.t_us);
                    }
                }
            }
            Event::Edit(e) if e.c == Cause::Typed && !e.i.is_empty() => {
                typed.extend(std::iter::repeat_n(at, e.i.chars().count()));
            }
            // Keys still down across a privacy break are not measured.
            Event::Pause | Event::Resume => {
                down.clear();
                last = None;
            }
            // Exhaustive on purpose: a new event kind must decide whether it is key timing.
            Event::Edit(_)
            | Event::Start(_)
            | Event::Select(_)
            | Event::Copy(_)
            | Event::Focus(_)
            | Event::AwayKeys(_)
            | Event::Clock(_)
            | Event::Checkpoint(_)
            | Event::Recovered(_)
            | Event::Witness(_)
            | Event::App(_)
            | Event::File(_)
            | Event::Devices(_)
            | Event::Capture(_)
            | Event::End(_) => {}
        }
    }
    // Key presses are expected when a key back-end ran; an imported log without key names
    // has none, and its typed text is then not evidence of injection.
    let keys_expected = any_key
        || entries.iter().any(|r| {
            matches!(&r.event, Event::Start(s)
            if s.sources.iter().any(|x| x == "editor" || x == "os-keys"))
        });
    let matched =
        if keys_expected { match_keys(entries, &press_times, &typed) } else { Matched::default() };
    let typed_chars = typed.len();
    drop((press_times, typed));

    // Order-dependent measures first; then each series is sorted in place for its
    // percentiles (a sorted copy of each would double what the analysis holds).
    debug_assert_eq!(run.best, stats::longest_equal_run(intervals.ms(), res));
    let interval_cv = stats::cv(intervals.ms()).map(round3);
    let under_30ms_share = (intervals.len() > 0).then(|| {
        round3(intervals.ms().filter(|&v| v < FAST_MS).count() as f64 / intervals.len() as f64)
    });
    let timing_entropy_bits = stats::entropy_bits(intervals.ms(), res.max(10.0)).map(round3);
    let hold_mode_share = stats::mode_share(holds.ms(), res).map(round3);
    let (si, sh, sf) = (intervals.sorted(), holds.sorted(), flights.sorted());
    if source == TimingSource::None {
        limits.push("No key events were recorded, so nothing can be said about how keys were pressed (timing, holds, rollover) or whether typed text had matching key presses.".into());
    } else if releases == 0 {
        limits.push(
            "No key releases were recorded, so key holds, flights and rollover cannot be measured."
                .into(),
        );
    }
    if source == TimingSource::App {
        limits.push("Key times come from the app window and are quantised to display frames (about 17 ms), so equal intervals and intervals under 30 ms are judged at that resolution.".into());
    }
    Motor {
        key_source: source,
        resolution_ms: round3(res),
        key_presses: presses,
        key_releases: releases,
        auto_repeats: repeats,
        intervals: si.len(),
        interval_median_ms: si.percentile(0.5).map(round3),
        interval_p05_ms: si.percentile(0.05).map(round3),
        interval_p95_ms: si.percentile(0.95).map(round3),
        interval_cv,
        under_30ms_share,
        longest_equal_run: run.best,
        longest_equal_run_seq: run.best_seq,
        timing_entropy_bits,
        holds: sh.len(),
        hold_median_ms: sh.percentile(0.5).map(round3),
        hold_p05_ms: sh.percentile(0.05).map(round3),
        hold_mode_share,
        flight_median_ms: sf.percentile(0.5).map(round3),
        rollover_ratio: (pairs > 0 && has_releases)
            .then(|| round3(rollovers as f64 / pairs as f64)),
        typed_chars,
        unmatched_typed_chars: matched.unmatched,
        unmatched_seqs: matched.unmatched_seqs,
        presses_by_device: by_device,
        injected_typed_chars: matched.injected,
        injected_seqs: matched.injected_seqs,
        added_device_typed_chars: matched.added,
        added_device_seqs: matched.added_seqs,
    }
}

/// What matching typed characters to presses found.
#[derive(Default)]
struct Matched {
    unmatched: usize,
    unmatched_seqs: Vec<u64>,
    /// Characters typed by presses injected through XTest, and those presses.
    injected: usize,
    injected_seqs: Vec<u64>,
    /// Characters typed by presses of a keyboard attached mid-session, and those presses.
    added: usize,
    added_seqs: Vec<u64>,
}

/// Greedy two-pointer matching of typed characters to character-key presses: each press
/// serves one character, earliest first. Each matched character takes its press's device.
/// `presses` and `typed` index `entries`: a character-key press each, and a typed character
/// each (an edit typing several characters appears once per character).
fn match_keys(entries: &[Entry], presses: &[u32], typed: &[u32]) -> Matched {
    let time = |at: u32| entries[at as usize].t_us;
    let mut next = 0;
    let mut m = Matched::default();
    let note = |seqs: &mut Vec<u64>, seq: u64| {
        if seqs.len() < MAX_SEQS && seqs.last() != Some(&seq) {
            seqs.push(seq);
        }
    };
    for &c in typed {
        let t = time(c);
        while next < presses.len() && time(presses[next]).saturating_add(MATCH_BEFORE_US) < t {
            next += 1;
        }
        if next < presses.len() && time(presses[next]) <= t.saturating_add(MATCH_AFTER_US) {
            let p = &entries[presses[next] as usize];
            let dev = match &p.event {
                Event::KeyDown(k) => k.dev,
                _ => None,
            };
            match dev {
                Some(KeyDevice::Xtest) => {
                    m.injected += 1;
                    note(&mut m.injected_seqs, p.seq);
                }
                Some(KeyDevice::Added) => {
                    m.added += 1;
                    note(&mut m.added_seqs, p.seq);
                }
                _ => {}
            }
            next += 1;
        } else {
            m.unmatched += 1;
            note(&mut m.unmatched_seqs, entries[c as usize].seq);
        }
    }
    m
}

/// A series of key timings in whole µs, 4 bytes a sample (a session holds up to a million),
/// read as the milliseconds the measures are defined in: `us as f64 / 1000.0`, the same
/// value as subtracting the times in ms. Intervals and flights are under 2 s; a hold longer
/// than 35 minutes (a stuck key) counts as 35 minutes.
#[derive(Default)]
struct Series(Vec<i32>);

impl Series {
    fn push(&mut self, us: i64) {
        self.0.push(us.clamp(i32::MIN.into(), i32::MAX.into()) as i32);
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn ms(&self) -> impl ExactSizeIterator<Item = f64> + Clone + '_ {
        self.0.iter().map(|&us| f64::from(us) / 1000.0)
    }

    /// Sorted in place, for percentiles (no sorted copy).
    fn sorted(mut self) -> Self {
        self.0.sort_unstable();
        self
    }

    /// [`stats::percentile`] of a sorted series, ms.
    fn percentile(&self, q: f64) -> Option<f64> {
        stats::percentile_of(self.len(), |i| f64::from(self.0[i]) / 1000.0, q)
    }
}

/// The longest run of consecutive intervals equal at resolution `res`, and the key press
/// where it starts, found while the intervals are collected (so no sequence number is kept
/// per interval).
struct EqualRun {
    res: f64,
    prev: Option<i64>,
    run: usize,
    start: u64,
    best: usize,
    best_seq: Option<u64>,
}

impl EqualRun {
    fn new(res: f64) -> Self {
        EqualRun { res, prev: None, run: 0, start: 0, best: 0, best_seq: None }
    }

    fn push(&mut self, ms: f64, seq: u64) {
        let b = (ms / self.res).round() as i64;
        if self.prev == Some(b) {
            self.run += 1;
        } else {
            self.run = 1;
            self.start = seq;
        }
        if self.run > self.best {
            self.best = self.run;
            self.best_seq = Some(self.start);
        }
        self.prev = Some(b);
    }
}

#[cfg(test)]
#[path = "motor_tests.rs"]
mod tests;
