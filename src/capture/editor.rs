//! Editor capture: which input changed the text in a frame, and what was copied from it.
//!
//! egui's text editor applies all of a frame's input at once, so one frame could mix typing
//! with a paste. [`EditorInput::split_frame`] lets through at most one text-changing event
//! per frame and defers the rest to the next frames (asking for a repaint at once), so the
//! diff of every frame has exactly one cause.

use crate::event::Cause;
use egui::{Event, Key};
use std::collections::VecDeque;

/// Input bookkeeping for the response editor across frames.
#[derive(Debug, Default)]
pub struct EditorInput {
    deferred: VecDeque<Event>,
    /// Texts copied or cut from the editor this session: a paste of one of them is internal.
    own_clipboard: Vec<String>,
}

/// What this frame's events say about the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrameEvents {
    /// The events the editor will see this frame, in order.
    pub events: Vec<Event>,
    /// Cause of a text change this frame; `Other` when no event explains one.
    pub cause: Cause,
    /// The editor copied (or cut) its selection to the clipboard.
    pub copies: bool,
}

impl EditorInput {
    /// Takes the frame's events out of egui's input and puts back those up to and including
    /// the first one that changes text; the rest wait for the next frame.
    pub fn split_frame(&mut self, ctx: &egui::Context) -> FrameEvents {
        let frame = ctx.input_mut(|i| {
            let mut all: Vec<Event> = self.deferred.drain(..).collect();
            all.append(&mut i.events);
            let cut = match all.iter().position(changes_text) {
                None => all.len(),
                // A run of typed characters shares one frame (one edit, same cause): under
                // load a frame per character would fall behind fast typing.
                Some(n) if matches!(all[n], Event::Text(_)) => {
                    n + 1 + all[n + 1..].iter().take_while(|e| continues_typing(e)).count()
                }
                Some(n) => n + 1,
            };
            self.deferred.extend(all.drain(cut..));
            i.events = all.clone();
            all
        });
        if !self.deferred.is_empty() {
            ctx.request_repaint();
        }
        let cause =
            frame.iter().find(|e| changes_text(e)).map_or(Cause::Other, |e| self.cause_of(e));
        let copies = frame.iter().any(|e| matches!(e, Event::Copy | Event::Cut));
        FrameEvents { events: frame, cause, copies }
    }

    /// Remembers text copied or cut from the editor, so a later paste of it counts as internal.
    pub fn note_copied(&mut self, text: String) {
        if !text.is_empty() && !self.own_clipboard.contains(&text) {
            self.own_clipboard.push(text);
        }
    }

    /// Why `event` changes the text.
    fn cause_of(&self, event: &Event) -> Cause {
        match event {
            Event::Paste(t) | Event::MiddleClickPaste { text: t, .. } => {
                let normalised = t.replace("\r\n", "\n");
                if self.own_clipboard.iter().any(|c| *c == normalised || c == t) {
                    Cause::PasteInt
                } else {
                    Cause::PasteExt
                }
            }
            Event::Cut => Cause::Cut,
            Event::Ime(_) => Cause::Ime,
            Event::Key { key, modifiers, .. } if modifiers.command => match key {
                Key::Z if modifiers.shift => Cause::Redo,
                Key::Z => Cause::Undo,
                Key::Y => Cause::Redo,
                _ => Cause::Typed,
            },
            Event::Text(_) | Event::Key { .. } => Cause::Typed,
            _ => Cause::Other,
        }
    }
}

/// Whether egui's text editor changes the text for `event` (mirrors `TextEdit`'s event
/// handling in egui 0.37, `widgets/text_edit/builder.rs`).
fn changes_text(event: &Event) -> bool {
    match event {
        Event::Text(t) => !t.is_empty() && t != "\n" && t != "\r",
        Event::Paste(t) | Event::MiddleClickPaste { text: t, .. } => !t.is_empty(),
        Event::Cut | Event::Ime(_) => true,
        Event::Key { key, pressed: true, modifiers, .. } => {
            matches!(key, Key::Backspace | Key::Delete | Key::Enter | Key::Tab)
                || (modifiers.command && matches!(key, Key::Z | Key::Y))
                // Emacs-style deletions egui supports with Ctrl (K, U, W, H).
                || (modifiers.ctrl && matches!(key, Key::K | Key::U | Key::W | Key::H))
        }
        Event::AccessKitActionRequest(_) => true,
        _ => false,
    }
}

/// Whether `event` can join a run of typed characters without changing what the run's
/// single edit means: more typed text, or key presses that neither edit nor move the caret.
fn continues_typing(event: &Event) -> bool {
    match event {
        Event::Text(t) => !t.is_empty() && t != "\n" && t != "\r",
        Event::Key { key, modifiers, .. } => {
            !modifiers.command
                && !changes_text(event)
                && !matches!(
                    key,
                    Key::ArrowDown
                        | Key::ArrowLeft
                        | Key::ArrowRight
                        | Key::ArrowUp
                        | Key::Home
                        | Key::End
                        | Key::PageUp
                        | Key::PageDown
                        | Key::Escape
                )
        }
        Event::ModifiersChanged(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: Key, modifiers: egui::Modifiers) -> Event {
        Event::Key { key, physical_key: Some(key), pressed: true, repeat: false, modifiers }
    }

    #[test]
    fn undo_and_redo_shortcuts_are_told_apart() {
        let e = EditorInput::default();
        assert_eq!(e.cause_of(&key(Key::Z, egui::Modifiers::COMMAND)), Cause::Undo);
        let shift_cmd = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
        assert_eq!(e.cause_of(&key(Key::Z, shift_cmd)), Cause::Redo);
        assert_eq!(e.cause_of(&key(Key::Y, egui::Modifiers::COMMAND)), Cause::Redo);
        assert_eq!(e.cause_of(&key(Key::Backspace, egui::Modifiers::NONE)), Cause::Typed);
    }

    #[test]
    fn paste_of_own_copied_text_is_internal() {
        let mut e = EditorInput::default();
        e.note_copied("my words".into());
        assert_eq!(e.cause_of(&Event::Paste("my words".into())), Cause::PasteInt);
        assert_eq!(e.cause_of(&Event::Paste("other words".into())), Cause::PasteExt);
    }

    #[test]
    fn a_frame_lets_through_one_kind_of_text_change_and_defers_the_rest() {
        let ctx = egui::Context::default();
        let mut e = EditorInput::default();
        let mut raw = egui::RawInput {
            events: vec![
                Event::Text("a".into()),
                Event::Text("b".into()),
                Event::Paste("xyz".into()),
                Event::Text("c".into()),
                key(Key::Backspace, egui::Modifiers::NONE),
            ],
            ..Default::default()
        };
        let mut seen = Vec::new();
        for _ in 0..4 {
            let mut out = ctx.run_ui(std::mem::take(&mut raw), |ui| {
                seen.push(e.split_frame(ui.ctx()).cause);
            });
            out.textures_delta.clear();
        }
        // "ab" together, the paste alone, "c" and the Backspace one frame each.
        assert_eq!(seen, [Cause::Typed, Cause::PasteExt, Cause::Typed, Cause::Typed]);
    }
}
