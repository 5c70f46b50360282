//! The session over time: the series the viewer's charts and the HTML report draw, and the
//! markers on the timeline. Computed once from the entries, in one pass, without GUI types.
//! It lives with the analysis because it draws the analysis's definitions (pause threshold,
//! paste causes) over time.
//!
//! The process graph follows Inputlog's (Leijten & Van Waes 2013, "Keystroke logging in
//! writing research: Using Inputlog to analyze and visualize writing processes", Written
//! Communication 30(3)): product length, total characters produced and caret position over
//! time, with pauses marked. Pauses are gaps of 2 s or more between input events, Inputlog's
//! default pause threshold and the one most writing-process studies report against
//! (Wengelin 2006, in "Computer Key-Stroke Logging and Writing", Elsevier).

use crate::event::{CaptureChange, Cause, Entry, Event, FileChange, KeyClass, key_class};

/// Gap between two input events that counts as a pause (Inputlog's default, see above): the
/// same 2 s threshold as the analysis's pauses ([`super::process::PAUSE_MS`]), from one place.
pub const PAUSE_US: u64 = super::process::PAUSE_MS * 1000;

/// Charts need no more points than a screen is wide; longer series are thinned to this.
pub const MAX_POINTS: usize = 2_000;

/// Typing speed is counted per window of this length; shorter sessions use finer windows
/// so that a two-minute sample still shows a curve (at least 30 windows).
pub const SPEED_WINDOW_US: u64 = 5_000_000;

/// Inter-key interval histogram: bins per decade on a log scale, from 10 ms to 100 s.
/// Keystroke intervals are log-normally distributed (Conijn et al. 2019, "Understanding the
/// keystroke log", Reading and Writing 32), so equal bins on a log axis show their shape.
pub const IKI_BINS_PER_DECADE: usize = 4;
const IKI_MIN_MS: f64 = 10.0;
const IKI_DECADES: usize = 4;

/// Why a point of the session is marked on the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    /// Text pasted from outside the session.
    PasteExt,
    /// The trainer's own text pasted back (a move within the text), or dropped.
    PasteInt,
    /// The Handprint window lost keyboard focus.
    FocusLost,
    /// A gap of at least [`PAUSE_US`] before this event.
    LongPause,
    /// A checkpoint over the chain.
    Checkpoint,
    /// Recording paused by the trainer (a privacy break).
    Break,
    /// The session was reopened after a crash.
    Recovered,
    /// A witness receipt from the platform service (it saw the chain head here).
    Receipt,
    /// The system-wide key hook stopped reporting keys the editor received.
    CaptureLost,
    /// Writing in the trainer's own editor: another program took the focus from the editor.
    LeftEditor,
    /// Writing in the trainer's own editor: the watched file was deleted, came back, or could
    /// not be read.
    FileChanged,
}

impl MarkerKind {
    /// A short name for legends and tooltips.
    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::PasteExt => "paste from outside",
            MarkerKind::PasteInt => "paste of own text",
            MarkerKind::FocusLost => "focus lost",
            MarkerKind::LongPause => "pause ≥ 2 s",
            MarkerKind::Checkpoint => "checkpoint",
            MarkerKind::Break => "recording paused",
            MarkerKind::Recovered => "recovered after crash",
            MarkerKind::Receipt => "platform receipt",
            MarkerKind::CaptureLost => "key capture lost",
            MarkerKind::LeftEditor => "left the editor",
            MarkerKind::FileChanged => "file deleted, recreated or unreadable",
        }
    }
}

/// One marked event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Sequence number of the marked event.
    pub seq: u64,
    /// Its session time.
    pub t_us: u64,
    pub kind: MarkerKind,
}

/// A gap of at least [`PAUSE_US`]: no input event between `from_seq` and `to_seq` for `len_us`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputGap {
    /// The last input event before the pause.
    pub from_seq: u64,
    /// The first input event after it.
    pub to_seq: u64,
    pub start_us: u64,
    pub len_us: u64,
}

/// One bin of the inter-key interval histogram: intervals in `[lo_ms, hi_ms)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IkiBin {
    pub lo_ms: f64,
    pub hi_ms: f64,
    pub count: u64,
}

/// One sample of the process graph, taken after an edit or a caret move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessPoint {
    pub seq: u64,
    pub t_us: u64,
    /// Length of the text (chars).
    pub product: usize,
    /// Chars inserted so far, whatever was deleted later.
    pub produced: usize,
    /// Caret position (chars).
    pub caret: usize,
}

/// Typing speed in one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeedPoint {
    /// Middle of the window.
    pub t_us: u64,
    /// Characters typed on the keyboard per minute in the window (character keys pressed
    /// where [`Timeline::speed_from_keys`]).
    pub chars_per_min: f64,
}

/// Everything the timeline and charts show, for one session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// Session time of the last event.
    pub duration_us: u64,
    pub speed: Vec<SpeedPoint>,
    /// The speed counts the character-key presses, not typed characters: a response written
    /// in the trainer's own editor has no typed edits (each save is an edit of cause `file`),
    /// but its keys in the editor are recorded.
    pub speed_from_keys: bool,
    pub iki: Vec<IkiBin>,
    pub process: Vec<ProcessPoint>,
    pub pauses: Vec<InputGap>,
    /// In event order.
    pub markers: Vec<Marker>,
}

impl Timeline {
    /// Computes the timeline of `records` (a journal that replays; positions are not checked).
    pub fn build(entries: &[Entry]) -> Timeline {
        let duration_us = entries.last().map_or(0, |r| r.t_us);
        let mut markers = Vec::new();
        let mut pauses = Vec::new();
        let mut process = Vec::new();
        let mut iki = iki_bins();
        let (mut product, mut produced) = (0usize, 0usize);
        let mut caret: usize;
        let mut last_input: Option<&Entry> = None;
        let mut last_key_us: Option<u64> = None;
        let mut on_break = false;
        let window = speed_window(duration_us);
        let mut typed_per_window = vec![0u64; (duration_us / window) as usize + 1];
        let mut keys_per_window = typed_per_window.clone();

        for r in entries {
            let mark = |kind| Marker { seq: r.seq, t_us: r.t_us, kind };
            let is_input = matches!(r.event, Event::KeyDown(_) | Event::Edit(_));
            if is_input {
                // A privacy break is not a writing pause: its gap is marked as a break.
                if let Some(prev) = last_input.filter(|_| !on_break) {
                    let gap = r.t_us - prev.t_us;
                    if gap >= PAUSE_US {
                        pauses.push(InputGap {
                            from_seq: prev.seq,
                            to_seq: r.seq,
                            start_us: prev.t_us,
                            len_us: gap,
                        });
                        markers.push(mark(MarkerKind::LongPause));
                    }
                }
                last_input = Some(r);
                on_break = false;
            }
            match &r.event {
                Event::KeyDown(k) => {
                    let class = key_class(&k.code, k.mods);
                    if !k.rep && matches!(class, KeyClass::Char | KeyClass::Space | KeyClass::Enter)
                    {
                        keys_per_window[(r.t_us / window) as usize] += 1;
                    }
                    if let Some(prev) = last_key_us {
                        add_interval(&mut iki, (r.t_us - prev) as f64 / 1000.0);
                    }
                    last_key_us = Some(r.t_us);
                }
                Event::Edit(e) => {
                    let (ins, del) = (e.i.chars().count(), e.d.chars().count());
                    product = product + ins - del.min(product);
                    produced += ins;
                    caret = e.p + ins;
                    if e.c == Cause::Typed {
                        typed_per_window[(r.t_us / window) as usize] += ins as u64;
                    }
                    match e.c {
                        Cause::PasteExt => markers.push(mark(MarkerKind::PasteExt)),
                        Cause::PasteInt | Cause::Drop => markers.push(mark(MarkerKind::PasteInt)),
                        _ => {}
                    }
                    process.push(ProcessPoint {
                        seq: r.seq,
                        t_us: r.t_us,
                        product,
                        produced,
                        caret,
                    });
                }
                Event::Select(s) => {
                    caret = s.b;
                    process.push(ProcessPoint {
                        seq: r.seq,
                        t_us: r.t_us,
                        product,
                        produced,
                        caret,
                    });
                }
                Event::Focus(f) if !f.on => markers.push(mark(MarkerKind::FocusLost)),
                Event::Checkpoint(_) => markers.push(mark(MarkerKind::Checkpoint)),
                Event::Pause => {
                    on_break = true;
                    last_key_us = None;
                    markers.push(mark(MarkerKind::Break));
                }
                Event::Recovered(_) => markers.push(mark(MarkerKind::Recovered)),
                Event::Witness(_) => markers.push(mark(MarkerKind::Receipt)),
                Event::Capture(c)
                    if matches!(c.what, CaptureChange::Lost | CaptureChange::NoDevice) =>
                {
                    markers.push(mark(MarkerKind::CaptureLost));
                }
                Event::App(a) if !a.editor => markers.push(mark(MarkerKind::LeftEditor)),
                Event::File(f) if f.what != FileChange::Opened => {
                    markers.push(mark(MarkerKind::FileChanged));
                }
                // Exhaustive on purpose: a new event kind must decide whether it is marked.
                Event::Focus(_)
                | Event::Start(_)
                | Event::KeyUp(_)
                | Event::Copy(_)
                | Event::Resume
                | Event::AwayKeys(_)
                | Event::Clock(_)
                | Event::Devices(_)
                | Event::Capture(_)
                | Event::App(_)
                | Event::File(_)
                | Event::End(_) => {}
            }
        }
        let per_min = 60_000_000.0 / window as f64;
        let speed_from_keys =
            typed_per_window.iter().all(|&n| n == 0) && keys_per_window.iter().any(|&n| n > 0);
        let speed = if speed_from_keys { keys_per_window } else { typed_per_window }
            .iter()
            .enumerate()
            .map(|(i, &n)| SpeedPoint {
                t_us: i as u64 * window + window / 2,
                chars_per_min: n as f64 * per_min,
            })
            .collect();
        Timeline {
            duration_us,
            speed,
            speed_from_keys,
            iki,
            process: thin(process),
            pauses,
            markers,
        }
    }

    /// What the speed counts, per minute: the axis label of its chart.
    pub fn speed_unit(&self) -> &'static str {
        if self.speed_from_keys { "key presses/min" } else { "typed chars/min" }
    }

    /// Markers of `kind`, in order.
    pub fn markers_of(&self, kind: MarkerKind) -> impl Iterator<Item = &Marker> + '_ {
        self.markers.iter().filter(move |m| m.kind == kind)
    }
}

/// How many events happened at or before `t_us`: the playhead position for a session time.
/// `records` must be in time order, as a parsed journal is.
pub fn applied_at(entries: &[Entry], t_us: u64) -> usize {
    entries.partition_point(|r| r.t_us <= t_us)
}

fn speed_window(duration_us: u64) -> u64 {
    SPEED_WINDOW_US.min((duration_us / 30).max(1_000_000))
}

fn iki_bins() -> Vec<IkiBin> {
    let n = IKI_BINS_PER_DECADE * IKI_DECADES;
    let edge = |k: usize| IKI_MIN_MS * 10f64.powf(k as f64 / IKI_BINS_PER_DECADE as f64);
    (0..n).map(|k| IkiBin { lo_ms: edge(k), hi_ms: edge(k + 1), count: 0 }).collect()
}

/// Counts `ms` in its bin; shorter and longer intervals go to the first and last bin.
fn add_interval(bins: &mut [IkiBin], ms: f64) {
    let k = ((ms / IKI_MIN_MS).log10() * IKI_BINS_PER_DECADE as f64).floor();
    let k = if k.is_finite() { k.max(0.0) as usize } else { 0 };
    if let Some(bin) = bins.get_mut(k.min(bins.len() - 1)) {
        bin.count += 1;
    }
}

/// Keeps at most [`MAX_POINTS`] samples: the last of each equal run of events, so that
/// the final state is always drawn.
fn thin(points: Vec<ProcessPoint>) -> Vec<ProcessPoint> {
    if points.len() <= MAX_POINTS {
        return points;
    }
    let step = points.len().div_ceil(MAX_POINTS);
    let last = points.len() - 1;
    points
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (i + 1) % step == 0 || *i == last)
        .map(|(_, p)| p)
        .collect()
}

#[cfg(test)]
mod tests;
