//! The gate between the UI thread and the capture threads (the rdev hook, the XInput2
//! device reader): whether a session records and Handprint has focus, and how to wake the
//! UI. Its own module because both capture threads read it and neither owns it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the hook thread needs to know about the app, shared with the UI thread.
#[derive(Debug, Default)]
pub struct Gate {
    recording: AtomicBool,
    focused: AtomicBool,
    repaint: Mutex<Option<egui::Context>>,
}

impl Gate {
    /// Tells the hook whether a session is recording (and not paused) and whether Handprint
    /// has keyboard focus.
    pub fn set(&self, recording: bool, focused: bool) {
        self.recording.store(recording, Ordering::Relaxed);
        self.focused.store(focused, Ordering::Relaxed);
    }

    /// Tells the hook whether a session records (and is not paused), leaving focus to
    /// [`Self::set_focused`]: in watch mode the focus watcher, not the UI, knows it.
    pub fn set_recording(&self, recording: bool) {
        self.recording.store(recording, Ordering::Relaxed);
    }

    /// Tells the hook whether the application whose keys are recorded has keyboard focus:
    /// Handprint's editor, or while a file is watched the trainer's own editor.
    pub fn set_focused(&self, focused: bool) {
        self.focused.store(focused, Ordering::Relaxed);
    }

    /// Wakes `ctx` whenever a key arrives, so events are written even while the window idles.
    pub fn set_repaint(&self, ctx: &egui::Context) {
        if let Ok(mut r) = self.repaint.lock() {
            *r = Some(ctx.clone());
        }
    }

    /// Whether a session records and is not paused: otherwise nothing is captured at all.
    pub(super) fn recording(&self) -> bool {
        self.recording.load(Ordering::Relaxed)
    }

    /// Whether Handprint has keyboard focus.
    pub(super) fn focused(&self) -> bool {
        self.focused.load(Ordering::Relaxed)
    }

    /// Whether a session records (not paused) and Handprint has focus: only then may a
    /// capture thread pass on which key was pressed.
    pub fn capturing_focused(&self) -> bool {
        self.recording() && self.focused()
    }

    /// Asks the UI for a frame, so what a capture thread sent is written promptly.
    pub fn wake(&self) {
        if let Ok(r) = self.repaint.lock()
            && let Some(ctx) = r.as_ref()
        {
            ctx.request_repaint();
        }
    }
}
