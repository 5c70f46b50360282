//! Context of the session: focus losses and what was typed right after focus came back, keys
//! typed in other applications (counts per key class only), idle gaps, privacy breaks, clock
//! anomalies (wall clock against the monotonic session clock) and crash recoveries.

use super::process::PAUSE_MS;
use super::stats::round3;
use crate::event::{Entry, Event};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::BTreeMap;

/// A gap of a minute or more between actions is an idle gap, not a writing pause.
pub const IDLE_MS: u64 = 60_000;
/// A burst after focus returns is reported from this many characters on.
pub const FOCUS_BURST_MIN_CHARS: usize = 30;
/// Tolerance for clock comparisons: 2 s plus 500 ppm of the elapsed time. 500 ppm is the
/// largest rate at which NTP slews a clock (RFC 5905), so a drift beyond it is a step.
const CLOCK_TOLERANCE_MS: f64 = 2_000.0;
const CLOCK_SLEW: f64 = 500e-6;

/// Typing that started within 2 s after the Handprint window regained focus, up to the next
/// pause of 2 s, deletion or non-typed edit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FocusBurst {
    /// The focus-return event.
    pub seq: u64,
    /// Characters typed in the burst.
    pub chars: usize,
    /// Length of the burst, ms.
    pub ms: u64,
    /// Whether the burst ended with (or contained) no deletion.
    pub unrevised: bool,
}

/// A point where the wall clock moved differently from the session's monotonic clock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockAnomaly {
    /// The clock sample that shows it.
    pub seq: u64,
    /// How far the wall clock moved beyond the monotonic clock since the previous sample, ms:
    /// positive = wall clock jumped ahead (e.g. after the computer slept), negative = set back.
    pub jump_ms: i64,
}

/// Context measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    pub focus_losses: usize,
    /// Total time the Handprint window was not focused, ms.
    pub focus_away_ms: u64,
    /// Bursts of ≥ 30 typed characters right after focus returned.
    pub focus_return_bursts: Vec<FocusBurst>,
    /// Keys typed in other applications during the session, per key class.
    pub away_keys: BTreeMap<String, u64>,
    /// Gaps of a minute or more between actions, and the longest, ms.
    pub idle_gaps: usize,
    pub longest_idle_ms: u64,
    /// Privacy breaks (pause … resume) and their total length, ms.
    pub privacy_breaks: usize,
    pub paused_ms: u64,
    pub clock_samples: usize,
    pub clock_anomalies: Vec<ClockAnomaly>,
    /// `recovered` events (the session was reopened after a crash) and bytes dropped.
    pub recovered: Vec<u64>,
    pub recovered_dropped_bytes: u64,
    /// Whether the session has its `end` event.
    pub finished: bool,
    /// Session length on the monotonic clock, ms.
    pub duration_ms: u64,
}

struct Burst {
    seq: u64,
    start_t: u64,
    last_t: u64,
    chars: usize,
}

pub(super) fn measure(entries: &[Entry], limits: &mut Vec<String>) -> Context {
    let mut c = Context {
        focus_losses: 0,
        focus_away_ms: 0,
        focus_return_bursts: Vec::new(),
        away_keys: BTreeMap::new(),
        idle_gaps: 0,
        longest_idle_ms: 0,
        privacy_breaks: 0,
        paused_ms: 0,
        clock_samples: 0,
        clock_anomalies: Vec::new(),
        recovered: Vec::new(),
        recovered_dropped_bytes: 0,
        finished: false,
        duration_ms: entries.last().map_or(0, |r| r.t_us / 1000),
    };
    let mut lost_at: Option<u64> = None;
    let mut paused_at: Option<u64> = None;
    let mut last_action: Option<u64> = None;
    let mut burst: Option<Burst> = None;
    let mut clock: Option<(DateTime<FixedOffset>, u64)> = None;
    for r in entries {
        match &r.event {
            Event::Start(s) => clock = parse_wall(&s.wall).map(|w| (w, r.t_us)),
            Event::Focus(f) if !f.on => {
                c.focus_losses += 1;
                lost_at.get_or_insert(r.t_us);
                end_burst(&mut burst, &mut c.focus_return_bursts, true);
            }
            Event::Focus(_) => {
                if let Some(t) = lost_at.take() {
                    c.focus_away_ms += r.t_us.saturating_sub(t) / 1000;
                }
                end_burst(&mut burst, &mut c.focus_return_bursts, true);
                burst = Some(Burst { seq: r.seq, start_t: r.t_us, last_t: r.t_us, chars: 0 });
            }
            Event::AwayKeys(a) => {
                for (class, n) in &a.n {
                    let name = serde_json::to_value(class)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    *c.away_keys.entry(name).or_insert(0) += u64::from(*n);
                }
            }
            Event::Pause => {
                c.privacy_breaks += 1;
                paused_at = Some(r.t_us);
                end_burst(&mut burst, &mut c.focus_return_bursts, true);
            }
            Event::Resume => {
                if let Some(t) = paused_at.take() {
                    c.paused_ms += r.t_us.saturating_sub(t) / 1000;
                }
                last_action = None;
            }
            Event::Clock(s) => {
                c.clock_samples += 1;
                if let Some(w) = parse_wall(&s.wall) {
                    if let Some((prev_w, prev_t)) = clock {
                        let mono_ms = r.t_us.saturating_sub(prev_t) as f64 / 1000.0;
                        let wall_ms = (w - prev_w).num_microseconds().unwrap_or(0) as f64 / 1000.0;
                        let jump = wall_ms - mono_ms;
                        if jump.abs() > CLOCK_TOLERANCE_MS + CLOCK_SLEW * mono_ms {
                            c.clock_anomalies
                                .push(ClockAnomaly { seq: r.seq, jump_ms: jump.round() as i64 });
                        }
                    }
                    clock = Some((w, r.t_us));
                }
            }
            Event::Recovered(rec) => {
                c.recovered.push(r.seq);
                c.recovered_dropped_bytes += rec.dropped;
                // The monotonic clock restarts with the new process: compare from here on.
                clock = parse_wall(&rec.wall).map(|w| (w, r.t_us));
                end_burst(&mut burst, &mut c.focus_return_bursts, true);
            }
            Event::End(_) => c.finished = true,
            Event::Edit(e) => {
                idle(&mut c, &mut last_action, r.t_us);
                if let Some(b) = &mut burst {
                    let gap = r.t_us.saturating_sub(b.last_t) / 1000;
                    let typed = e.c == crate::event::Cause::Typed;
                    if gap >= PAUSE_MS || !e.d.is_empty() || !typed {
                        end_burst(&mut burst, &mut c.focus_return_bursts, e.d.is_empty());
                    } else {
                        b.chars += e.i.chars().count();
                        b.last_t = r.t_us;
                    }
                }
            }
            Event::KeyDown(_) | Event::Select(_) | Event::Copy(_) => {
                idle(&mut c, &mut last_action, r.t_us);
            }
            // Exhaustive on purpose: a new event kind must decide whether it is context.
            Event::KeyUp(_)
            | Event::Checkpoint(_)
            | Event::Witness(_)
            | Event::App(_)
            | Event::File(_)
            | Event::Devices(_)
            | Event::Capture(_) => {}
        }
    }
    end_burst(&mut burst, &mut c.focus_return_bursts, true);
    if !c.finished {
        limits.push("The session has no end event (unfinished or cut off): the analysis covers what was recorded.".into());
    }
    if c.clock_samples == 0 {
        limits.push("No wall-clock samples were recorded, so clock changes during the session cannot be checked.".into());
    }
    c
}

fn idle(c: &mut Context, last: &mut Option<u64>, t: u64) {
    if let Some(prev) = *last {
        let gap = t.saturating_sub(prev) / 1000;
        if gap >= IDLE_MS {
            c.idle_gaps += 1;
            c.longest_idle_ms = c.longest_idle_ms.max(gap);
        }
    }
    *last = Some(t);
}

fn end_burst(burst: &mut Option<Burst>, out: &mut Vec<FocusBurst>, unrevised: bool) {
    if let Some(b) = burst.take()
        && b.chars >= FOCUS_BURST_MIN_CHARS
    {
        out.push(FocusBurst {
            seq: b.seq,
            chars: b.chars,
            ms: b.last_t.saturating_sub(b.start_t) / 1000,
            unrevised,
        });
    }
}

fn parse_wall(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

/// Typing speed of a burst in characters per second.
pub(super) fn burst_rate(b: &FocusBurst) -> f64 {
    if b.ms == 0 { f64::INFINITY } else { round3(b.chars as f64 * 1000.0 / b.ms as f64) }
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
