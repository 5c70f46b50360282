//! The finished screen: where the record went, and the response text to hand in.

use super::export::Saved;
use egui::{Color32, RichText};
use std::path::PathBuf;

/// What the trainer asked for on the finished screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishedAction {
    CopyText,
    OpenFolder,
    RetryExport,
    NewSession,
    /// Submit the record to the platform whose challenge it answers.
    Submit,
}

/// A finished session and the outcome of its export.
#[derive(Debug)]
pub struct FinishedView {
    pub task: String,
    pub session: String,
    /// The finished journal in the sessions folder (always there, even if export failed).
    pub journal: PathBuf,
    pub text: String,
    pub out_dir: PathBuf,
    pub exported: Result<Saved, String>,
    /// Set after "Copy response text", to confirm it.
    pub copied: bool,
    /// The platform challenge the session answers, when the app is enrolled: offers Submit.
    pub challenge: Option<String>,
    /// What the last Submit did, in one line (and whether it is final).
    pub submitted: Option<(bool, String)>,
}

const DONE_GREEN: Color32 = Color32::from_rgb(60, 170, 90);

impl FinishedView {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<FinishedAction> {
        let mut action = None;
        ui.add_space(8.0);
        match &self.exported {
            Ok(ex) => {
                ui.heading(RichText::new("Record finished").color(DONE_GREEN).size(24.0));
                ui.label(format!("Task {}", self.task));
                ui.add_space(8.0);
                egui::Grid::new("finished-facts").num_columns(2).spacing([12.0, 6.0]).show(
                    ui,
                    |ui| {
                        ui.label("Record");
                        ui.monospace(file_name(&ex.bundle));
                        ui.end_row();
                        ui.label("Folder");
                        ui.monospace(self.out_dir.display().to_string());
                        ui.end_row();
                        ui.label("Key fingerprint");
                        match &ex.fingerprint {
                            Some(f) => ui.monospace(f),
                            None => ui.weak("not signed (signing is not available in this build)"),
                        };
                        ui.end_row();
                        ui.label("Characters");
                        ui.label(self.text.chars().count().to_string());
                        ui.end_row();
                    },
                );
            }
            Err(e) => {
                ui.heading(RichText::new("Record finished, not exported").size(24.0));
                ui.colored_label(ui.visuals().error_fg_color, e);
                if ui.button("Try the export again").clicked() {
                    action = Some(FinishedAction::RetryExport);
                }
            }
        }
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if ui.button("Copy response text").clicked() {
                action = Some(FinishedAction::CopyText);
            }
            if ui.button("Open folder").clicked() {
                action = Some(FinishedAction::OpenFolder);
            }
            if ui.button("New session").clicked() {
                action = Some(FinishedAction::NewSession);
            }
        });
        if self.copied {
            ui.weak("Response text copied to the clipboard.");
        }
        if self.challenge.is_some() && self.exported.is_ok() {
            ui.add_space(8.0);
            let done = matches!(self.submitted, Some((true, _)));
            let submit = egui::Button::new(RichText::new("Submit to the platform").strong());
            if ui.add_enabled(!done, submit).clicked() {
                action = Some(FinishedAction::Submit);
            }
            if let Some((_, line)) = &self.submitted {
                ui.label(line);
            }
        }
        ui.add_space(12.0);
        ui.label(RichText::new("Response").strong());
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add(egui::Label::new(&self.text).wrap());
        });
        action
    }
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}
