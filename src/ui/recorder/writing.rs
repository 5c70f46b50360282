//! The writing screen: the editor, the recording indicator and the session's live counts.

use crate::capture::{OsKeys, Recording};
use crate::platform::witness::Link;
use egui::{Color32, RichText};

/// The trainer's display preferences for the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub dark: bool,
    pub monospace: bool,
    pub font_size: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { dark: true, monospace: false, font_size: 16.0 }
    }
}

/// What the trainer asked for on the writing screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritingAction {
    Finish,
}

/// The recording indicator's red (a clear "recording" red, readable on dark and light).
pub(super) const RECORDING_RED: Color32 = Color32::from_rgb(220, 40, 40);
pub(super) const PAUSED_AMBER: Color32 = Color32::from_rgb(230, 160, 20);

#[derive(Debug, Default)]
pub struct WritingView {
    focused_once: bool,
}

impl WritingView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        rec: &mut Recording,
        os_keys: &OsKeys,
        settings: &mut Settings,
    ) -> Option<WritingAction> {
        let mut action = None;
        egui::Panel::top("writing-bar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                status_ui(ui, rec);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(RichText::new("Finish").strong()).clicked() {
                        action = Some(WritingAction::Finish);
                    }
                    let label = if rec.is_paused() { "Resume" } else { "Pause" };
                    if ui.button(label).clicked() {
                        if rec.is_paused() {
                            rec.resume_recording();
                            // Back to writing: the click moved keyboard focus to the button.
                            self.focused_once = false;
                        } else {
                            rec.pause();
                        }
                    }
                });
            });
            ui.horizontal(|ui| counts_ui(ui, rec));
            ui.add_space(2.0);
        });
        egui::Panel::bottom("writing-settings").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.checkbox(&mut settings.monospace, "Monospace");
                let label = ui.label("Font size");
                ui.add(egui::DragValue::new(&mut settings.font_size).range(10.0..=32.0).speed(0.2))
                    .labelled_by(label.id);
                ui.checkbox(&mut settings.dark, "Dark");
                ui.separator();
                ui.small(match &os_keys.status {
                    crate::capture::OsKeysStatus::Active => {
                        "Keys: in-app and system-wide (other apps: counts only)".to_owned()
                    }
                    crate::capture::OsKeysStatus::Unavailable(why) => {
                        format!("Keys: in-app only — {why}")
                    }
                });
            });
        });
        if let Some(prompt) = rec.prompt.clone() {
            egui::Panel::right("task-prompt").default_size(320.0).show(ui, |ui| {
                ui.label(RichText::new("Task prompt").strong());
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.label(prompt);
                });
            });
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            if let Some(e) = &rec.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            self.editor_ui(ui, rec, os_keys, settings);
        });
        if !rec.is_paused() {
            // The elapsed time ticks once a second.
            ui.ctx().request_repaint_after(std::time::Duration::from_secs(1));
        }
        action
    }

    fn editor_ui(
        &mut self,
        ui: &mut egui::Ui,
        rec: &mut Recording,
        os_keys: &OsKeys,
        settings: &Settings,
    ) {
        let family = if settings.monospace {
            egui::FontFamily::Monospace
        } else {
            egui::FontFamily::Proportional
        };
        rec.before_editor(ui.ctx(), os_keys);
        let paused = rec.is_paused();
        let out = egui::ScrollArea::vertical()
            .show(ui, |ui| {
                egui::TextEdit::multiline(&mut rec.text)
                    .id_salt("response-editor")
                    .font(egui::FontId::new(settings.font_size, family))
                    .hint_text("Write your response here.")
                    .interactive(!paused)
                    .desired_width(f32::INFINITY)
                    .min_size(ui.available_size())
                    .lock_focus(true)
                    .show(ui)
            })
            .inner;
        if !self.focused_once {
            out.response.request_focus();
            self.focused_once = true;
        }
        rec.after_editor(out.cursor_range.map(|r| (r.primary.index.0, r.secondary.index.0)));
    }
}

fn status_ui(ui: &mut egui::Ui, rec: &Recording) {
    let (color, label) =
        if rec.is_paused() { (PAUSED_AMBER, "Paused") } else { (RECORDING_RED, "Recording") };
    // Painted rather than a "●" glyph: egui's bundled fonts have no such character.
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
    ui.painter().circle_filled(rect.center(), 6.0, color);
    ui.label(RichText::new(label).color(color).strong().size(16.0));
    ui.label(RichText::new(elapsed(rec.active_time())).monospace().size(16.0));
    ui.separator();
    ui.label(RichText::new(&rec.task).strong());
    if let Some(link) = rec.link() {
        ui.separator();
        link_ui(ui, &link);
    }
}

/// Active time as `hh:mm:ss`.
pub(super) fn elapsed(active: std::time::Duration) -> String {
    let secs = active.as_secs();
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

const LINK_GREEN: Color32 = Color32::from_rgb(60, 170, 90);

/// The platform link indicator: whether the platform is witnessing the writing right now.
fn link_ui(ui: &mut egui::Ui, link: &Link) {
    let (color, text) = match link {
        Link::Waiting => (PAUSED_AMBER, "Platform: connecting…".to_owned()),
        Link::Connected { .. } => (LINK_GREEN, "Platform: connected".to_owned()),
        Link::Offline { since_wall, .. } => (
            PAUSED_AMBER,
            format!(
                "Platform: offline since {} UTC — recording continues",
                short_clock(since_wall)
            ),
        ),
        Link::Refused { why } => (RECORDING_RED, format!("Platform refused: {why}")),
    };
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    ui.painter().circle_filled(rect.center(), 4.0, color);
    let response = ui.label(RichText::new(text).color(color));
    if let Link::Offline { why, .. } = link {
        response.on_hover_text(why);
    }
}

/// `2026-11-25T14:03:11.123456Z` → `14:03:11`.
fn short_clock(rfc3339: &str) -> &str {
    rfc3339.get(11..19).unwrap_or(rfc3339)
}

fn counts_ui(ui: &mut egui::Ui, rec: &Recording) {
    let (typed, pasted) = rec.typed_and_pasted();
    let words = rec.text.split_whitespace().count();
    let chars = rec.text.chars().count();
    ui.weak(format!("{words} words · {chars} characters"));
    ui.separator();
    ui.weak(format!("typed {typed} · pasted {pasted}"));
}
