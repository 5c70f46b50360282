//! The periodic records of a session that do not come from the editor: wall-clock samples
//! (so a clock change mid-session is visible) and counts of keys typed in other
//! applications (never which key: that could be a password), written at a steady rhythm.

use crate::event::{AwayKeys, ClockSample, Event, KeyClass, wall_now};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A wall-clock sample is written this often, so a clock change mid-session is visible.
pub const CLOCK_EVERY: Duration = Duration::from_secs(60);
/// Away counts are written at least this often while Handprint is not focused.
pub const AWAY_EVERY: Duration = Duration::from_secs(10);

/// When the next wall-clock sample is due.
#[derive(Debug)]
pub struct ClockSamples {
    last: Instant,
}

impl Default for ClockSamples {
    fn default() -> Self {
        ClockSamples { last: Instant::now() }
    }
}

impl ClockSamples {
    /// A `clock` event when one is due.
    pub fn due(&mut self) -> Option<Event> {
        if self.last.elapsed() < CLOCK_EVERY {
            return None;
        }
        self.last = Instant::now();
        Some(Event::Clock(ClockSample { wall: wall_now() }))
    }
}

/// Keys typed elsewhere since the last `away` event, per key class.
#[derive(Debug)]
pub struct AwayCounts {
    counts: BTreeMap<KeyClass, u32>,
    since: Instant,
}

impl Default for AwayCounts {
    fn default() -> Self {
        AwayCounts { counts: BTreeMap::new(), since: Instant::now() }
    }
}

impl AwayCounts {
    /// Counts one key of `class` typed in another application.
    pub fn add(&mut self, class: KeyClass) {
        if self.counts.is_empty() {
            self.since = Instant::now();
        }
        *self.counts.entry(class).or_insert(0) += 1;
    }

    /// Whether counts have waited long enough to be written.
    pub fn due(&self) -> bool {
        !self.counts.is_empty() && self.since.elapsed() >= AWAY_EVERY
    }

    /// The `away` event for the counts so far (and a fresh count), if there are any.
    pub fn take(&mut self) -> Option<Event> {
        if self.counts.is_empty() {
            return None;
        }
        Some(Event::AwayKeys(AwayKeys { n: std::mem::take(&mut self.counts) }))
    }
}
