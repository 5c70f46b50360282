//! Watching the key capture itself: which device each press came from, and whether the
//! system-wide hook still sees what the editor receives.
//!
//! The device of each press comes from the XInput2 reader (see [`super::key_devices`]) as a
//! stream of (code, device kind) beside the hook's keys; a press written to the journal takes
//! the oldest unclaimed device press with the same code from the last second.
//!
//! A hook can stop delivering keys (a crash, a desktop that blocks it, a program that
//! interferes with it). The editor always receives what is typed into it, so when the editor
//! gets [`LOST_AFTER`] key presses or typed characters in a row and the hook none, capture is
//! recorded as lost (a `cap` event) and the recorder falls back to the editor's own keys, so
//! the record never silently loses its key timing. When the hook delivers again, that is
//! recorded too.

use super::key_devices::{DeviceNote, DevicePress};
use super::os_keys::{OsKeys, OsKeysStatus};
use crate::event::{CaptureChange, CaptureNote, Event, KeyDevice, KeyDevices};
use std::collections::VecDeque;
use std::time::Duration;

/// Key presses (or typed characters) the editor receives in a row without one from the hook
/// before the hook counts as lost. Hook and editor see each key within a few frames of each
/// other, so a run of 20 is never lag.
pub const LOST_AFTER: u32 = 20;
/// A device press can be claimed by a journal key this long after it arrived.
const CLAIM_WITHIN: Duration = Duration::from_secs(1);

/// The capture watcher's state for one session.
#[derive(Debug, Default)]
pub struct CaptureWatch {
    started: bool,
    pending: VecDeque<DevicePress>,
    unseen_presses: u32,
    unseen_chars: u32,
    lost: bool,
    /// Whether the XInput2 device reader runs, and the presses it saw since the hook's last.
    devices_read: bool,
    device_presses_since_hook: u32,
}

impl CaptureWatch {
    /// Events for the first frame of a session: the keyboard devices present, or why capture
    /// is limited here. Empty on later calls.
    pub fn first_frame(&mut self, os: &OsKeys) -> Vec<Event> {
        if std::mem::replace(&mut self.started, true) {
            return Vec::new();
        }
        let mut out = Vec::new();
        if let OsKeysStatus::Unavailable(why) = &os.status {
            out.push(limited(format!("No system-wide key capture: {why}. Keys typed in Handprint are recorded from its window (frame-quantised), without their device of origin.")));
        } else {
            match &os.devices {
                Ok(list) => {
                    self.devices_read = true;
                    out.push(Event::Devices(KeyDevices { added: false, list: list.clone() }));
                }
                Err(why) => out.push(limited(format!(
                    "The device each key came from cannot be told here: {why}."
                ))),
            }
        }
        out
    }

    /// Takes the device reader's notes: presses are kept to be claimed, attached devices
    /// become `kbds` events.
    pub fn take_notes(&mut self, notes: Vec<DeviceNote>) -> Vec<Event> {
        let mut out = Vec::new();
        for n in notes {
            match n {
                DeviceNote::Press(p) => {
                    self.device_presses_since_hook += 1;
                    self.pending.push_back(p);
                }
                DeviceNote::Added(d) => {
                    out.push(Event::Devices(KeyDevices { added: true, list: vec![d] }));
                }
            }
        }
        self.pending.retain(|p| p.at.elapsed() < CLAIM_WITHIN);
        out
    }

    /// The device of a press of `code` just written, if the reader saw it.
    pub fn device_for(&mut self, code: &str) -> Option<KeyDevice> {
        let i = self.pending.iter().position(|p| p.code == code)?;
        self.pending.remove(i).map(|p| p.kind)
    }

    /// Whether the hook is currently taken as lost (the editor's keys are recorded instead).
    pub fn hook_lost(&self) -> bool {
        self.lost
    }

    /// The hook delivered a press: it works. Returns the `restored` event after a loss.
    pub fn hook_press(&mut self) -> Option<Event> {
        self.unseen_presses = 0;
        self.unseen_chars = 0;
        self.device_presses_since_hook = 0;
        std::mem::replace(&mut self.lost, false).then(|| {
            capture(CaptureChange::Restored, "The system-wide hook reports keys again.".into())
        })
    }

    /// The editor received a key press (not an auto-repeat) while the hook is meant to run.
    pub fn editor_press(&mut self, hook_running: bool) -> Option<Event> {
        self.unseen_presses += 1;
        self.check(hook_running)
    }

    /// The editor received `n` typed characters while the hook is meant to run.
    pub fn editor_typed(&mut self, n: usize, hook_running: bool) -> Option<Event> {
        self.unseen_chars = self.unseen_chars.saturating_add(n as u32);
        self.check(hook_running)
    }

    fn check(&mut self, hook_running: bool) -> Option<Event> {
        let run = self.unseen_presses.max(self.unseen_chars);
        if !hook_running || self.lost || run < LOST_AFTER {
            return None;
        }
        self.lost = true;
        let fallback = "From here on the editor's own key events are recorded (times quantised to display frames). The hook is not restarted: rdev's listener is process-wide and a second one would report every key twice.";
        if self.devices_read && self.device_presses_since_hook == 0 {
            // Neither the hook nor the device reader saw a device press: the keys did not
            // come from any input device (a program sent them to the window).
            return Some(capture(
                CaptureChange::NoDevice,
                format!(
                    "The editor received {run} key presses or typed characters in a row that neither the system-wide hook nor the device reader (XInput2) saw any input device produce: they were sent straight to the window by a program (X SendEvent, as pynput and `xdotool type --window` do). {fallback}"
                ),
            ));
        }
        Some(capture(
            CaptureChange::Lost,
            format!(
                "The editor received {run} key presses or typed characters in a row that the system-wide hook did not report. {fallback}"
            ),
        ))
    }
}

fn capture(what: CaptureChange, why: String) -> Event {
    Event::Capture(CaptureNote { what, why })
}

fn limited(why: String) -> Event {
    capture(CaptureChange::Limited, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_editor_keys_without_the_hook_record_a_loss_once_and_the_hook_restores_it() {
        let mut w = CaptureWatch::default();
        let events: Vec<Event> = (0..30).filter_map(|_| w.editor_press(true)).collect();
        assert_eq!(events.len(), 1);
        assert!(matches!(&events[0], Event::Capture(c) if c.what == CaptureChange::Lost));
        assert!(w.hook_lost());
        assert!(
            matches!(w.hook_press(), Some(Event::Capture(c)) if c.what == CaptureChange::Restored)
        );
        assert!(!w.hook_lost());
    }

    #[test]
    fn a_hook_that_keeps_up_is_never_lost() {
        let mut w = CaptureWatch::default();
        for _ in 0..200 {
            assert_eq!(w.editor_press(true), None);
            assert_eq!(w.editor_typed(1, true), None);
            assert_eq!(w.hook_press(), None);
        }
    }

    #[test]
    fn keys_no_device_produced_are_told_from_a_lost_hook() {
        let mut w = CaptureWatch { devices_read: true, ..Default::default() };
        let e = (0..20).find_map(|_| w.editor_press(true));
        assert!(matches!(e, Some(Event::Capture(c)) if c.what == CaptureChange::NoDevice));
        let mut w = CaptureWatch { devices_read: true, ..Default::default() };
        let press = DevicePress {
            code: "KeyA".into(),
            kind: KeyDevice::Kbd,
            at: std::time::Instant::now(),
        };
        w.take_notes(vec![DeviceNote::Press(press)]);
        let e = (0..20).find_map(|_| w.editor_press(true));
        assert!(matches!(e, Some(Event::Capture(c)) if c.what == CaptureChange::Lost));
    }

    #[test]
    fn without_a_hook_nothing_is_lost() {
        let mut w = CaptureWatch::default();
        assert!((0..100).all(|_| w.editor_typed(1, false).is_none()));
    }

    #[test]
    fn a_press_takes_the_device_the_reader_saw_for_its_code() {
        let mut w = CaptureWatch::default();
        let press = |code: &str, kind| {
            DeviceNote::Press(DevicePress {
                code: code.into(),
                kind,
                at: std::time::Instant::now(),
            })
        };
        w.take_notes(vec![press("KeyA", KeyDevice::Xtest), press("KeyB", KeyDevice::Kbd)]);
        assert_eq!(w.device_for("KeyB"), Some(KeyDevice::Kbd));
        assert_eq!(w.device_for("KeyA"), Some(KeyDevice::Xtest));
        assert_eq!(w.device_for("KeyA"), None);
    }
}
