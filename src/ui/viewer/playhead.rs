//! Where the replay stands and how it moves: seek, step, and play at 1×–64× with idle gaps
//! optionally skipped.

use crate::analysis::timeline::{PAUSE_US, applied_at};
use crate::event::Entry;

/// Playback speeds offered.
pub const SPEEDS: [u32; 7] = [1, 2, 4, 8, 16, 32, 64];

/// The playhead: how many events are applied and the session time it stands at.
#[derive(Debug, Clone, PartialEq)]
pub struct Playhead {
    /// Events applied (0 = before the first).
    pub applied: usize,
    /// Session time shown (µs).
    pub t_us: u64,
    pub playing: bool,
    /// One of [`SPEEDS`].
    pub speed: u32,
    /// While playing, jump over gaps of [`PAUSE_US`] or more instead of waiting them out.
    pub skip_idle: bool,
}

impl Default for Playhead {
    fn default() -> Self {
        Playhead { applied: 0, t_us: 0, playing: false, speed: 1, skip_idle: true }
    }
}

impl Playhead {
    /// Moves to just after the first `applied` events.
    pub fn seek_event(&mut self, entries: &[Entry], applied: usize) {
        self.applied = applied.min(entries.len());
        self.t_us = match self.applied {
            0 => 0,
            n => entries[n - 1].t_us,
        };
    }

    /// Moves to session time `t_us`: every event at or before it is applied.
    pub fn seek_time(&mut self, entries: &[Entry], t_us: u64) {
        let end = entries.last().map_or(0, |r| r.t_us);
        self.t_us = t_us.min(end);
        self.applied = applied_at(entries, self.t_us);
    }

    /// One event forward or back.
    pub fn step(&mut self, entries: &[Entry], forward: bool) {
        self.playing = false;
        let n = if forward { self.applied + 1 } else { self.applied.saturating_sub(1) };
        self.seek_event(entries, n);
    }

    /// Advances playback by `dt` seconds of wall time; stops at the end.
    pub fn advance(&mut self, entries: &[Entry], dt: f64) {
        if !self.playing {
            return;
        }
        let end = entries.last().map_or(0, |r| r.t_us);
        let mut t = self.t_us + (dt.max(0.0) * 1e6 * f64::from(self.speed)) as u64;
        if self.skip_idle
            && let Some(next) = entries.get(self.applied)
            && next.t_us.saturating_sub(self.t_us) >= PAUSE_US
        {
            t = t.max(next.t_us);
        }
        if t >= end {
            self.playing = false;
        }
        self.seek_time(entries, t);
    }

    /// Whether the playhead is at the end of the session.
    pub fn at_end(&self, entries: &[Entry]) -> bool {
        self.applied >= entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;

    /// Events at the given times (ms).
    fn entries(ms: &[u64]) -> Vec<Entry> {
        ms.iter()
            .enumerate()
            .map(|(i, &t)| Entry { seq: i as u64, t_us: t * 1000, event: Event::Pause })
            .collect()
    }

    #[test]
    fn playing_at_eight_times_covers_eight_seconds_per_second() {
        let r = entries(&[0, 1000, 5000, 8000, 9000]);
        let mut p = Playhead { playing: true, speed: 8, skip_idle: false, ..Playhead::default() };
        p.advance(&r, 0.5);
        assert_eq!((p.t_us, p.applied), (4_000_000, 2));
        p.advance(&r, 0.5);
        assert_eq!((p.t_us, p.applied), (8_000_000, 4));
        p.advance(&r, 0.5);
        assert!(!p.playing, "stops at the end");
        assert!(p.at_end(&r));
    }

    #[test]
    fn skipping_idle_gaps_jumps_to_the_next_event() {
        let r = entries(&[0, 100, 60_000, 60_100]);
        let mut p = Playhead { playing: true, ..Playhead::default() };
        p.seek_event(&r, 2);
        p.advance(&r, 0.016);
        assert_eq!(p.applied, 3);
        assert_eq!(p.t_us, 60_000_000);
    }

    #[test]
    fn stepping_moves_one_event_and_stops_playback() {
        let r = entries(&[0, 10, 20]);
        let mut p = Playhead { playing: true, ..Playhead::default() };
        p.step(&r, true);
        p.step(&r, true);
        assert_eq!((p.applied, p.t_us, p.playing), (2, 10_000, false));
        p.step(&r, false);
        p.step(&r, false);
        p.step(&r, false);
        assert_eq!((p.applied, p.t_us), (0, 0));
    }
}
