//! A live recording session: its lifecycle (start, resume, pause, finish) over the journal
//! writer and the editor text. The other reasons to change live beside it: key
//! de-duplication between window and hook ([`super::key_dedup`]), the text's autosave copy
//! ([`super::autosave`]) and the periodic clock and away samples ([`super::samples`]).
//!
//! The writing view calls [`Recording::before_editor`] before drawing the editor and
//! [`Recording::after_editor`] after it; everything the frame did is journaled between
//! them. Keys come from egui unless the system-wide hook is working, in which case the hook
//! (with its more precise timestamps) is the only source, so each press is recorded once.

use super::autosave::TextCopy;
use super::editor::EditorInput;
use super::key_dedup::{HookKey, KeyDedup};
use super::keys::{egui_code, egui_mods};
use super::os_keys::{OsKey, OsKeys};
use super::samples::{AwayCounts, ClockSamples};
use super::text_change;
use crate::attest::SigningKey;
use crate::event::{Cause, CopyRange, Edit, Event, Focus, Key, KeySource, Selection};
use crate::journal::facts::{active_us, paused_at_end};
use crate::journal::{CheckpointPolicy, JournalWriter, WriteError};
use crate::platform::witness::{Link, WITNESS_EVERY, Witness};
use crate::replay::{Replay, ReplayError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};
use thiserror::Error;

/// `sources` name of in-app capture (editor edits and window keys).
pub const SOURCE_EDITOR: &str = "editor";
/// `sources` name of the system-wide key hook.
pub const SOURCE_OS_KEYS: &str = "os-keys";
/// `sources` name of an external file watched (the trainer writes in their own editor).
pub const SOURCE_FILE_WATCH: &str = "file-watch";

/// Why a session cannot start, continue or finish.
#[derive(Debug, Error)]
pub enum RecordError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(
        "the session journal {path} does not replay ({source}); the autosaved text is in {text_copy}"
    )]
    Replay { path: PathBuf, text_copy: PathBuf, source: ReplayError },
    #[error(
        "Handprint has no folder for its sessions (no home directory); set HANDPRINT_HOME to a folder"
    )]
    NoSessionsDir,
}

/// A finish that did not happen: the text is never lost.
#[derive(Debug)]
pub struct FinishFailed {
    pub error: RecordError,
    pub text: String,
    /// The session, reopened, when its journal can still be written.
    pub reopened: Option<Box<Recording>>,
}

/// A session being recorded.
pub struct Recording {
    writer: JournalWriter,
    /// The response text, exactly as the journal's edits leave it.
    pub text: String,
    pub task: String,
    pub prompt: Option<String>,
    session: String,
    input: EditorInput,
    text_before: String,
    sel: Selection,
    frame_cause: Cause,
    paused: bool,
    focused: bool,
    inserted: BTreeMap<Cause, usize>,
    active_us: u64,
    active_since: Option<u64>,
    text_copy: TextCopy,
    clock: ClockSamples,
    away: AwayCounts,
    /// Each key press written once, by the window or the hook.
    keys: KeyDedup,
    /// Journal time minus wall time, measured once, for the hook's SystemTime stamps.
    wall_origin: SystemTime,
    /// Whether the system-wide hook runs in this app (set each frame).
    hook_running: bool,
    /// Device of origin of each press, and whether the hook still sees the editor's keys.
    watch: super::watch::CaptureWatch,
    /// The last write failure, shown to the trainer until a write succeeds.
    pub error: Option<String>,
    /// The platform's live witness, when the session answers a platform challenge.
    witness: Option<LiveWitness>,
    /// The id of the platform challenge the first line carries, if any.
    answers: Option<String>,
}

/// The witness with when the head was last offered.
struct LiveWitness {
    witness: Witness,
    last_offer: Instant,
    offered_n: u64,
}

impl Recording {
    /// Starts a new session journal in `dir`.
    /// Checkpoints are signed with `signer` when one is given.
    pub fn start(
        dir: &Path,
        task: &str,
        nonce: Option<&str>,
        prompt: Option<&str>,
        sources: &[&str],
        signer: Option<&SigningKey>,
    ) -> Result<Self, RecordError> {
        let start = crate::session::start_facts(task, nonce, prompt, sources);
        Self::start_with(dir, start, prompt, signer)
    }

    /// Starts a new session answering the platform's challenge `offer` (its first line
    /// carries the signed challenge; the prompt is shown beside the editor).
    pub fn start_for_challenge(
        dir: &Path,
        offer: &crate::platform::protocol::ChallengeOffer,
        sources: &[&str],
        signer: Option<&SigningKey>,
    ) -> Result<Self, RecordError> {
        let start =
            crate::session::start_facts_for_challenge(&offer.challenge, &offer.prompt, sources);
        Self::start_with(dir, start, Some(&offer.prompt), signer)
    }

    fn start_with(
        dir: &Path,
        start: crate::event::SessionStart,
        prompt: Option<&str>,
        signer: Option<&SigningKey>,
    ) -> Result<Self, RecordError> {
        let task = start.task.clone();
        let task = task.as_str();
        let answers = start.challenge.as_ref().map(|c| c.id.clone());
        let path = dir.join(format!("{}-{}.jsonl", file_safe(task), start.session));
        let session = start.session.clone();
        let mut writer = JournalWriter::create(&path, start)?;
        if let Some(key) = signer {
            writer.set_signer(Box::new(key.clone()), CheckpointPolicy::default());
        }
        let prompt = prompt.filter(|p| !p.is_empty()).map(str::to_owned);
        let mut rec = Self::with_writer(writer, session, task.to_owned(), prompt, String::new());
        rec.answers = answers;
        rec.active_since = Some(0);
        if let Some(p) = &rec.prompt {
            // Kept beside the journal so a resumed session shows the same prompt.
            let _ = std::fs::write(path.with_extension("prompt.txt"), p);
        }
        Ok(rec)
    }

    /// Reopens an interrupted session: recovers the journal and restores the text by replay.
    pub fn resume(path: &Path, signer: Option<&SigningKey>) -> Result<Self, RecordError> {
        let (mut writer, recovery) = JournalWriter::resume(path)?;
        if let Some(key) = signer {
            writer.set_signer(Box::new(key.clone()), CheckpointPolicy::default());
        }
        let entries = recovery.journal.entries.clone();
        let replay = Replay::build(entries.clone()).map_err(|source| RecordError::Replay {
            path: path.to_owned(),
            text_copy: path.with_extension("txt"),
            source,
        })?;
        let start = recovery.journal.start().clone();
        let prompt = std::fs::read_to_string(path.with_extension("prompt.txt")).ok();
        let text = replay.final_state().text();
        let answers = start.challenge.as_ref().map(|c| c.id.clone());
        let mut rec = Self::with_writer(writer, start.session, start.task, prompt, text);
        rec.answers = answers;
        rec.sel = replay.final_state().sel;
        rec.inserted = replay.totals().inserted.clone();
        rec.active_us = active_us(&entries);
        rec.active_since = Some(rec.writer.now_us());
        // A session killed while paused resumes paused; the trainer resumes it explicitly.
        if paused_at_end(&entries) {
            rec.paused = true;
            rec.active_since = None;
        }
        Ok(rec)
    }

    fn with_writer(
        writer: JournalWriter,
        session: String,
        task: String,
        prompt: Option<String>,
        text: String,
    ) -> Self {
        let wall_origin = SystemTime::now() - Duration::from_micros(writer.now_us());
        let text_copy = TextCopy::new(writer.path());
        Recording {
            writer,
            text_before: text.clone(),
            text,
            task,
            prompt,
            session,
            input: EditorInput::default(),
            sel: Selection::default(),
            frame_cause: Cause::Other,
            paused: false,
            focused: true,
            inserted: BTreeMap::new(),
            active_us: 0,
            active_since: None,
            text_copy,
            clock: ClockSamples::default(),
            away: AwayCounts::default(),
            keys: KeyDedup::default(),
            wall_origin,
            hook_running: false,
            watch: Default::default(),
            error: None,
            witness: None,
            answers: None,
        }
    }

    pub fn session_id(&self) -> &str {
        &self.session
    }

    pub fn journal_path(&self) -> &Path {
        self.writer.path()
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Active (not paused) time so far.
    pub fn active_time(&self) -> Duration {
        let live = self.active_since.map_or(0, |s| self.writer.now_us().saturating_sub(s));
        Duration::from_micros(self.active_us + live)
    }

    /// Chars inserted by typing, and by pasting (from outside and from the session's text).
    pub fn typed_and_pasted(&self) -> (usize, usize) {
        let n = |c| self.inserted.get(&c).copied().unwrap_or(0);
        (n(Cause::Typed), n(Cause::PasteExt) + n(Cause::PasteInt))
    }

    /// Call before the editor is drawn: takes this frame's input, journals focus changes,
    /// keys and copies.
    pub fn before_editor(&mut self, ctx: &egui::Context, os_keys: &OsKeys) {
        let focused = ctx.input(|i| i.focused);
        os_keys.gate.set(!self.paused, focused);
        os_keys.gate.set_repaint(ctx);
        let hook_keys = os_keys.drain();
        let device_notes = os_keys.drain_devices();
        self.hook_running = os_keys.is_active();
        for e in self.watch.first_frame(os_keys) {
            self.write(e);
        }
        if self.paused {
            self.focused = focused;
            self.text_before.clone_from(&self.text);
            return;
        }
        if focused != self.focused {
            if focused {
                self.flush_away();
            }
            self.focused = focused;
            // Releases of keys held across a focus change go to the other application.
            self.keys.clear();
            self.write(Event::Focus(Focus { on: focused }));
        }
        for e in self.watch.take_notes(device_notes) {
            self.write(e);
        }
        self.write_hook_keys(hook_keys);
        let frame = self.input.split_frame(ctx);
        self.frame_cause = frame.cause;
        self.write_window_keys(&frame.events);
        if frame.copies && self.sel.a != self.sel.b {
            let (a, b) = (self.sel.a.min(self.sel.b), self.sel.a.max(self.sel.b));
            self.input.note_copied(self.text.chars().skip(a).take(b - a).collect());
            self.write(Event::Copy(CopyRange { a, b }));
        }
        if let Some(sample) = self.clock.due() {
            self.write(sample);
        }
        if self.away.due() {
            self.flush_away();
        }
        self.text_before.clone_from(&self.text);
    }

    /// Call after the editor is drawn, with its caret range (`primary`, `secondary` as char
    /// indices): journals the text change and selection, autosaves, and syncs when due.
    pub fn after_editor(&mut self, caret: Option<(usize, usize)>) {
        self.witness_tick();
        if self.paused {
            // The editor is read-only while paused; nothing is captured.
            return;
        }
        let caret_b = caret.map(|(b, _)| b);
        if let Some(c) = text_change(&self.text_before, &self.text, caret_b) {
            let n = c.i.chars().count();
            let cause = self.frame_cause;
            *self.inserted.entry(cause).or_insert(0) += n;
            if cause == Cause::Typed
                && let Some(e) = self.watch.editor_typed(n, self.hook_running)
            {
                self.write(e);
            }
            self.write(Event::Edit(Edit { p: c.p, d: c.d.into(), i: c.i.into(), c: cause }));
            self.sel = Selection { a: c.p + n, b: c.p + n };
        }
        if let Some((b, a)) = caret {
            let sel = Selection { a, b };
            if sel != self.sel {
                self.sel = sel;
                self.write(Event::Select(sel));
            }
        }
        if let Err(e) = self.text_copy.save(&self.text, false) {
            self.error = Some(format!("cannot autosave {}: {e}", self.text_copy.path().display()));
        }
        if let Err(e) = self.writer.sync_if_due() {
            self.error = Some(e.to_string());
        }
    }

    /// Pauses recording (a privacy break): written as `pause`; nothing is captured until
    /// [`Self::resume_recording`].
    pub fn pause(&mut self) {
        if self.paused {
            return;
        }
        self.flush_away();
        self.write(Event::Pause);
        self.offer_head();
        self.paused = true;
        self.keys.clear();
        if let Some(s) = self.active_since.take() {
            self.active_us += self.writer.now_us().saturating_sub(s);
        }
        let _ = self.text_copy.save(&self.text, true);
        let _ = self.writer.sync();
    }

    pub fn resume_recording(&mut self) {
        if !self.paused {
            return;
        }
        self.paused = false;
        self.write(Event::Resume);
        self.active_since = Some(self.writer.now_us());
    }

    /// Ends the session: writes `end` with the final text's digest and closes the journal.
    /// On failure the text comes back with the error, and with the session reopened when
    /// its journal can still be written.
    pub fn finish(
        mut self,
        signer: Option<&SigningKey>,
    ) -> Result<(PathBuf, String), Box<FinishFailed>> {
        self.flush_away();
        self.witness_final();
        let _ = self.text_copy.save(&self.text, true);
        let path = self.writer.path().to_owned();
        let Recording { writer, text, .. } = self;
        match writer.finish(&text) {
            Ok(p) => Ok((p, text)),
            Err(e) => {
                let reopened = Recording::resume(&path, signer).ok().map(|mut r| {
                    r.error = Some(e.to_string());
                    Box::new(r)
                });
                Err(Box::new(FinishFailed { error: e.into(), text, reopened }))
            }
        }
    }

    /// Attaches the platform's live witness: the head is offered now (covering the start
    /// line with its challenge), then every 30 s of writing, at pause and at finish.
    pub fn attach_witness(&mut self, witness: Witness) {
        self.witness = Some(LiveWitness { witness, last_offer: Instant::now(), offered_n: 0 });
        self.offer_head();
    }

    /// The link to the platform, when the session is witnessed.
    pub fn link(&self) -> Option<Link> {
        self.witness.as_ref().map(|w| w.witness.link())
    }

    /// The platform challenge this session answers (its first line carries it).
    pub fn challenge_id(&self) -> Option<&str> {
        self.answers.as_deref()
    }

    /// Appends receipts that arrived and offers the head when 30 s of writing have passed.
    /// Never blocks: the witness thread does the talking.
    pub fn witness_tick(&mut self) {
        let Some(w) = &self.witness else { return };
        let receipts = w.witness.take_receipts();
        let due = !self.paused
            && w.last_offer.elapsed() >= WITNESS_EVERY
            && self.writer.next_seq() > w.offered_n;
        for r in receipts {
            self.write(Event::Witness(Box::new(r)));
        }
        if due {
            self.offer_head();
        }
    }

    fn offer_head(&mut self) {
        let n = self.writer.next_seq();
        let head = self.writer.head().hex();
        if let Some(w) = &mut self.witness {
            w.witness.offer(n, head);
            w.last_offer = Instant::now();
            w.offered_n = n;
        }
    }

    /// At finish: offers the final head and waits briefly for its receipt, so the record
    /// ends witnessed when the platform is reachable; never long when it is not.
    fn witness_final(&mut self) {
        if self.witness.is_none() {
            return;
        }
        self.witness_tick();
        self.offer_head();
        let n = self.writer.next_seq();
        let online = matches!(self.link(), Some(Link::Connected { .. } | Link::Waiting));
        let wait = if online { Duration::from_secs(5) } else { Duration::from_millis(300) };
        let receipts =
            self.witness.as_ref().map(|w| w.witness.wait_for(n, wait)).unwrap_or_default();
        for r in receipts {
            self.write(Event::Witness(Box::new(r)));
        }
    }

    /// Makes sure everything written so far is on disk (e.g. before the window closes).
    pub fn sync(&mut self) {
        let _ = self.text_copy.save(&self.text, true);
        if let Err(e) = self.writer.sync() {
            self.error = Some(e.to_string());
        }
    }

    fn write(&mut self, event: Event) {
        let t = self.writer.now_us();
        self.write_at(t, event);
    }

    fn write_at(&mut self, t_us: u64, event: Event) {
        match self.writer.append_at(t_us, event) {
            Ok(_) => self.error = None,
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn write_window_keys(&mut self, events: &[egui::Event]) {
        let now = self.writer.now_us();
        for e in events {
            let egui::Event::Key { key, physical_key, pressed, repeat, modifiers } = e else {
                continue;
            };
            let code = egui_code(physical_key.unwrap_or(*key));
            if *pressed
                && !*repeat
                && let Some(e) = self.watch.editor_press(self.hook_running)
            {
                self.write_at(now, e);
            }
            if !self.keys.window(&code, *pressed, *repeat, self.watch.hook_lost()) {
                continue;
            }
            // egui marks the keyboard's auto-repeat of a held key (`repeat`).
            let dev = if *pressed { self.watch.device_for(&code) } else { None };
            let k = Key {
                code: code.into(),
                mods: egui_mods(*modifiers),
                src: None,
                rep: *pressed && *repeat,
                dev,
            };
            self.write_at(now, if *pressed { Event::KeyDown(k) } else { Event::KeyUp(k) });
        }
    }

    fn write_hook_keys(&mut self, keys: Vec<OsKey>) {
        for k in keys {
            match k {
                OsKey::Away(class) => self.away.add(class),
                OsKey::Key { down, code, mods, time } => {
                    // Any press from the hook shows it works, recorded by it or not.
                    if down && let Some(e) = self.watch.hook_press() {
                        self.write(e);
                    }
                    let HookKey::Record { auto_repeat: rep } = self.keys.hook(&code, down) else {
                        continue;
                    };
                    let t =
                        time.duration_since(self.wall_origin).map_or(0, |d| d.as_micros() as u64);
                    let dev = if down { self.watch.device_for(&code) } else { None };
                    let k = Key { code: code.into(), mods, src: Some(KeySource::Os), rep, dev };
                    self.write_at(t, if down { Event::KeyDown(k) } else { Event::KeyUp(k) });
                }
            }
        }
    }

    fn flush_away(&mut self) {
        if let Some(counts) = self.away.take() {
            self.write(counts);
        }
    }
}

impl std::fmt::Debug for Recording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recording")
            .field("session", &self.session)
            .field("task", &self.task)
            .field("paused", &self.paused)
            .finish_non_exhaustive()
    }
}

/// `task` with anything but letters, digits, `-` and `_` replaced, for use in a file name.
pub fn file_safe(task: &str) -> String {
    let s: String = task
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(64)
        .collect();
    if s.is_empty() { "task".into() } else { s }
}

#[path = "recording_external.rs"]
mod external;

#[cfg(test)]
#[path = "recording_tests.rs"]
mod tests;
