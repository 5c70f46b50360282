//! The analysis panel: the summary and every flag with its reason. Clicking a flag moves
//! the playhead to its first event.

use super::loader::Session;
use crate::report::Severity;
use egui::{Color32, RichText};

fn severity_colour(s: Severity) -> Color32 {
    match s {
        Severity::Strong => Color32::from_rgb(0x8B, 0x00, 0x00),
        Severity::Warning => Color32::from_rgb(0xC6, 0x28, 0x28),
        Severity::Notice => Color32::from_rgb(0xD5, 0x5E, 0x00),
        Severity::Info => Color32::from_gray(90),
    }
}

/// Draws the panel, flags first (what the auditor acts on), then the summary; returns the
/// index of the flag the auditor clicked.
pub fn ui(ui: &mut egui::Ui, session: &Session, current: Option<usize>) -> Option<usize> {
    ui.heading("Analysis");
    let mut clicked = None;
    egui::ScrollArea::vertical().id_salt("analysis").auto_shrink(false).show(ui, |ui| {
        if session.findings.is_empty() {
            ui.weak("No flags.");
        }
        for (i, f) in session.findings.iter().enumerate() {
            let title = RichText::new(format!("{} ({})", f.title, f.severity.name()))
                .color(severity_colour(f.severity))
                .strong();
            if ui.selectable_label(current == Some(i), title).clicked() {
                clicked = Some(i);
            }
            ui.label(&f.reason);
            if let Some(first) = f.events.first() {
                ui.weak(format!("event {first} (+{} more)", f.events.len() - 1));
            }
            ui.add_space(6.0);
        }
        ui.separator();
        for line in &session.summary {
            ui.label(line);
            ui.add_space(3.0);
        }
    });
    clicked
}
