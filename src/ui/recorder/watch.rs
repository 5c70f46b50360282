//! The watch window: a small, always-visible recording window while the trainer writes in
//! their own editor — the recording indicator, elapsed time, the file and the editor whose
//! keys count, Pause and Finish. The session itself is [`crate::capture::FileSession`].

use super::writing::{PAUSED_AMBER, RECORDING_RED, elapsed};
use crate::capture::{FileSession, OsKeys};
use egui::RichText;

/// The window's size: small enough to sit beside an editor, large enough for its lines.
pub const WATCH_WINDOW_SIZE: [f32; 2] = [460.0, 140.0];

/// What the trainer asked for in the watch window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchAction {
    Finish,
}

#[derive(Debug, Default)]
pub struct WatchView;

impl WatchView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut FileSession,
        os_keys: &OsKeys,
    ) -> Option<WatchAction> {
        os_keys.gate.set_repaint(ui.ctx());
        session.tick(os_keys);
        let mut action = None;
        egui::CentralPanel::default_margins().show(ui, |ui| {
            ui.horizontal(|ui| {
                let rec = &mut session.rec;
                let (color, label) = if rec.is_paused() {
                    (PAUSED_AMBER, "Paused")
                } else {
                    (RECORDING_RED, "Recording")
                };
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                ui.painter().circle_filled(rect.center(), 6.0, color);
                ui.label(RichText::new(label).color(color).strong().size(16.0));
                ui.label(RichText::new(elapsed(rec.active_time())).monospace().size(16.0));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(RichText::new("Finish").strong()).clicked() {
                        action = Some(WatchAction::Finish);
                    }
                    let pause = if rec.is_paused() { "Resume" } else { "Pause" };
                    if ui.button(pause).clicked() {
                        if rec.is_paused() {
                            rec.resume_recording();
                        } else {
                            rec.pause();
                        }
                    }
                });
            });
            ui.add_space(4.0);
            facts_ui(ui, session);
            if let Some(e) = &session.rec.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
        if !session.rec.is_paused() {
            ui.ctx().request_repaint_after(std::time::Duration::from_secs(1));
        }
        action
    }
}

/// The task, the file, the editor and the saves, one line each.
fn facts_ui(ui: &mut egui::Ui, session: &FileSession) {
    let file = session
        .file()
        .file_name()
        .map_or_else(|| session.file().display().to_string(), |n| n.to_string_lossy().into_owned());
    ui.horizontal(|ui| {
        ui.label(RichText::new(&session.rec.task).strong());
        ui.separator();
        ui.label(format!("Writing in {file}"));
    });
    if let Some(why) = session.focus_unavailable() {
        ui.colored_label(PAUSED_AMBER, format!("Keys are not recorded: {why}."));
    } else {
        ui.horizontal(|ui| match session.editor() {
            Some(editor) => {
                ui.label(format!("Editor: {editor} (its keys are recorded)"));
                if ui.small_button("Change editor").clicked() {
                    session.change_editor();
                }
            }
            None => {
                ui.colored_label(
                    PAUSED_AMBER,
                    "Click into your editor: the next program you use becomes the editor.",
                );
            }
        });
    }
    let chars = session.rec.text.chars().count();
    let words = session.rec.text.split_whitespace().count();
    if session.file_gone() {
        ui.colored_label(PAUSED_AMBER, "The file is gone: save it again to go on.");
    } else {
        let saves = match session.saves() {
            1 => "1 save".to_owned(),
            n => format!("{n} saves"),
        };
        ui.weak(format!("{saves} · {words} words · {chars} characters"));
    }
    ui.small("Other programs: key counts only. Save often (or turn on autosave).");
}
