//! What the capture itself recorded about its own reach: the keyboard devices present and
//! attached during the session, and when the system-wide hook lost keys, came back or was
//! limited from the start. Facts about the record, read by the flags on injected input, new
//! keyboards and capture loss.

use crate::event::{CaptureChange, Cause, DeviceInfo, Entry, Event};
use serde::Serialize;

/// A capture change and where it is in the journal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaptureAt {
    pub seq: u64,
    pub what: CaptureChange,
    pub why: String,
}

/// A keyboard device attached mid-session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceAt {
    pub seq: u64,
    pub device: DeviceInfo,
}

/// Capture measures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Capture {
    /// Keyboard devices present when capture started (name and kind).
    pub devices: Vec<DeviceInfo>,
    /// Keyboard devices attached during the session.
    pub devices_added: Vec<DeviceAt>,
    /// Losses, restarts, restorations and limits of the key capture, in order.
    pub changes: Vec<CaptureAt>,
    /// Typed characters inserted while the hook was lost (from a `lost` to the next
    /// `restored`, or the end).
    pub typed_while_lost: usize,
    /// All typed characters.
    pub typed_chars: usize,
}

pub(super) fn measure(entries: &[Entry]) -> Capture {
    let mut c = Capture::default();
    let mut lost = false;
    for r in entries {
        match &r.event {
            Event::Devices(d) if d.added => c
                .devices_added
                .extend(d.list.iter().map(|x| DeviceAt { seq: r.seq, device: x.clone() })),
            Event::Devices(d) => c.devices.clone_from(&d.list),
            Event::Capture(n) => {
                match n.what {
                    CaptureChange::Lost | CaptureChange::NoDevice => lost = true,
                    CaptureChange::Restored => lost = false,
                    CaptureChange::Restarted | CaptureChange::Limited => {}
                }
                c.changes.push(CaptureAt { seq: r.seq, what: n.what, why: n.why.clone() });
            }
            Event::Edit(e) if e.c == Cause::Typed => {
                let n = e.i.chars().count();
                c.typed_chars += n;
                if lost {
                    c.typed_while_lost += n;
                }
            }
            // Exhaustive on purpose: a new event kind must decide whether it bears on capture.
            Event::Edit(_)
            | Event::Start(_)
            | Event::KeyDown(_)
            | Event::KeyUp(_)
            | Event::Select(_)
            | Event::Copy(_)
            | Event::Focus(_)
            | Event::Pause
            | Event::Resume
            | Event::AwayKeys(_)
            | Event::Clock(_)
            | Event::Checkpoint(_)
            | Event::Recovered(_)
            | Event::Witness(_)
            | Event::App(_)
            | Event::File(_)
            | Event::End(_) => {}
        }
    }
    c
}
