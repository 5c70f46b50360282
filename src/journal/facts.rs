//! The facts a journal states about its own session — when it started and ended, how long
//! the trainer was recording, how many checkpoints it holds and which key they name —
//! derived once when the journal is parsed. The attested predicate, the verdict an auditor
//! sees and the recorder's clock all read them from here, so they cannot disagree (before,
//! the end time was worked out at two precisions and the active time in four places).

use crate::event::{Entry, Event};

/// What a parsed journal says about its session. Unverified by itself: a signed predicate
/// carries the same facts, and verification checks that they match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// Wall-clock start, RFC 3339 UTC (from the `start` event).
    pub started: String,
    /// Start plus the session time of the last event, RFC 3339 UTC with microseconds (the
    /// journal's own precision); the start itself when it does not parse.
    pub ended: String,
    /// Session time of the last event, µs.
    pub duration_us: u64,
    /// Microseconds of recording, excluding privacy breaks (`pause` … `resume`; a break
    /// still open at the end lasts to the end).
    pub active_us: u64,
    /// Whether the session ends inside a privacy break.
    pub paused_at_end: bool,
    /// Number of checkpoint events.
    pub checkpoints: u64,
    /// The key (`SHA256:…`) named by the last checkpoint that names one.
    pub checkpoint_key: Option<String>,
}

impl Facts {
    /// The facts of `entries`, a journal's events in order (the first one its `start`).
    pub fn of(entries: &[Entry]) -> Facts {
        let started = match entries.first().map(|e| &e.event) {
            Some(Event::Start(s)) => s.wall.clone(),
            _ => String::new(),
        };
        let duration_us = entries.last().map_or(0, |e| e.t_us);
        let mut checkpoints = 0;
        let mut checkpoint_key = None;
        for e in entries {
            if let Event::Checkpoint(c) = &e.event {
                checkpoints += 1;
                if c.key.is_some() {
                    checkpoint_key.clone_from(&c.key);
                }
            }
        }
        Facts {
            ended: wall_plus(&started, duration_us),
            started,
            duration_us,
            active_us: active_us(entries),
            paused_at_end: paused_at_end(entries),
            checkpoints,
            checkpoint_key,
        }
    }
}

/// Time between consecutive events, summed, except from a `pause` to the next `resume`.
/// This is the attested definition (docs/FORMAT.md, `active_us`): signed bundles carry it,
/// so it must not change.
pub fn active_us(entries: &[Entry]) -> u64 {
    let mut paused = false;
    let mut total = 0u64;
    for pair in entries.windows(2) {
        match pair[0].event {
            Event::Pause => paused = true,
            Event::Resume => paused = false,
            _ => {}
        }
        if !paused {
            total += pair[1].t_us.saturating_sub(pair[0].t_us);
        }
    }
    total
}

/// Whether the last `pause` has no `resume` after it.
pub fn paused_at_end(entries: &[Entry]) -> bool {
    entries
        .iter()
        .rev()
        .find_map(|e| match e.event {
            Event::Pause => Some(true),
            Event::Resume => Some(false),
            _ => None,
        })
        .unwrap_or(false)
}

/// `wall` (RFC 3339) plus `us` microseconds, RFC 3339 UTC with microseconds; `wall` itself
/// if it does not parse.
pub fn wall_plus(wall: &str, us: u64) -> String {
    let delta = chrono::Duration::microseconds(i64::try_from(us).unwrap_or(i64::MAX));
    chrono::DateTime::parse_from_rfc3339(wall)
        .ok()
        .and_then(|t| t.with_timezone(&chrono::Utc).checked_add_signed(delta))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        .unwrap_or_else(|| wall.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64, event: Event) -> Entry {
        Entry { seq: 0, t_us: ms * 1000, event }
    }

    #[test]
    fn wall_plus_adds_microseconds() {
        assert_eq!(
            wall_plus("2026-01-01T00:00:00.000000Z", 1_500_000),
            "2026-01-01T00:00:01.500000Z"
        );
        assert_eq!(wall_plus("garbage", 5), "garbage");
    }

    #[test]
    fn privacy_breaks_are_not_active_time_even_when_open_at_the_end() {
        let entries = [
            at(0, Event::Resume),
            at(1_000, Event::Pause),
            at(5_000, Event::Resume),
            at(6_000, Event::Pause),
            at(9_000, Event::Resume),
        ];
        assert_eq!(active_us(&entries), 2_000_000);
        assert!(!paused_at_end(&entries));
        assert!(paused_at_end(&entries[..4]));
        assert_eq!(active_us(&entries[..4]), 2_000_000);
    }
}
