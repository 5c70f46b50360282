//! A session whose text is written in another program (see [`crate::capture::FileSession`]):
//! what the recording does each frame without its own editor, and how the file's changes and
//! the focused application enter the journal. A child of `recording` because it works on the
//! same journal, text and key state; the file and focus watching live in their own modules.

use super::super::os_keys::OsKeys;
use super::Recording;
use crate::event::{AppFocus, Cause, Edit, Event};
use std::time::Instant;

impl Recording {
    /// Per frame while the trainer writes elsewhere: the hook's keys (recorded by identity
    /// only while the editor has focus, which the focus watcher tells the gate), device
    /// notes, clock and away samples, the witness, autosave and sync.
    pub(in crate::capture) fn external_frame(&mut self, os_keys: &OsKeys) {
        os_keys.gate.set_recording(!self.paused);
        let hook_keys = os_keys.drain();
        let device_notes = os_keys.drain_devices();
        self.hook_running = os_keys.is_active();
        for e in self.watch.first_frame(os_keys) {
            self.write(e);
        }
        self.witness_tick();
        if self.paused {
            return;
        }
        for e in self.watch.take_notes(device_notes) {
            self.write(e);
        }
        self.write_hook_keys(hook_keys);
        if let Some(sample) = self.clock.due() {
            self.write(sample);
        }
        if self.away.due() {
            self.flush_away();
        }
        if let Err(e) = self.text_copy.save(&self.text, false) {
            self.error = Some(format!("cannot autosave {}: {e}", self.text_copy.path().display()));
        }
        if let Err(e) = self.writer.sync_if_due() {
            self.error = Some(e.to_string());
        }
    }

    /// Another application took focus (at `at`): written as `app`. Keys held across the
    /// change are released elsewhere, and the away counts so far are written when the
    /// editor comes back, as when Handprint's own window regains focus.
    pub(in crate::capture) fn external_focus(&mut self, app: AppFocus, at: Instant) {
        if app.editor {
            self.flush_away();
        }
        self.keys.clear();
        self.focused = app.editor;
        self.write_at(self.t_of(at), Event::App(app));
    }

    /// The watched file changed (at `at`) into `edits`, which turn the text into `text`.
    pub(in crate::capture) fn external_edits(
        &mut self,
        edits: Vec<Edit>,
        text: String,
        at: Instant,
    ) {
        let t = self.t_of(at);
        for e in edits {
            *self.inserted.entry(Cause::File).or_insert(0) += e.i.chars().count();
            self.write_at(t, Event::Edit(e));
        }
        self.text = text;
        self.text_before.clone_from(&self.text);
    }

    /// Watching started: the `file` `opened` note and the file's content (`edits` from the
    /// empty text), at one time so analysis tells that content from the first save.
    pub(in crate::capture) fn external_opened(
        &mut self,
        note: Event,
        edits: Vec<Edit>,
        text: String,
    ) {
        let t = self.writer.now_us();
        self.write_at(t, note);
        for e in edits {
            self.write_at(t, Event::Edit(e));
        }
        self.text = text;
        self.text_before.clone_from(&self.text);
    }

    /// Writes `event` now (a `file` note).
    pub(in crate::capture) fn external_note(&mut self, event: Event, at: Instant) {
        self.write_at(self.t_of(at), event);
    }

    /// The session time of `at` (the writer keeps times from going backwards).
    fn t_of(&self, at: Instant) -> u64 {
        self.writer.now_us().saturating_sub(at.elapsed().as_micros() as u64)
    }
}
