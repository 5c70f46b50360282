//! The verification banner: valid or invalid with the reason, the attested facts, and the
//! comparison with the text the auditor was given.

use crate::report::{TextComparison, Verdict, compare_text, duration};
use egui::{Color32, RichText};

const VALID_BG: Color32 = Color32::from_rgb(0xE3, 0xF4, 0xE6);
const INVALID_BG: Color32 = Color32::from_rgb(0xFD, 0xE8, 0xE4);
const UNTRUSTED_BG: Color32 = Color32::from_rgb(0xFF, 0xF3, 0xD6);
const UNTRUSTED_FG: Color32 = Color32::from_rgb(0x8A, 0x4B, 0x00);

/// The banner and the auditor's submitted text.
#[derive(Default)]
pub struct Banner {
    /// The text the auditor was given, pasted in to compare.
    pub submitted: String,
    pub show_checks: bool,
    /// The last comparison and the submitted text it was made for: comparing a long text
    /// with normalization every frame would cost milliseconds.
    compared: Option<(String, Option<TextComparison>)>,
}

impl Banner {
    /// The comparison of the submitted text with `final_text`; `None` when nothing was given.
    pub fn text_match(&self, final_text: Option<&str>) -> Option<TextComparison> {
        let text = final_text?;
        (!self.submitted.is_empty()).then(|| compare_text(text, &self.submitted))
    }

    /// Forgets the last comparison (another record was opened).
    pub fn forget_comparison(&mut self) {
        self.compared = None;
    }

    fn cached_match(&mut self, final_text: Option<&str>) -> Option<TextComparison> {
        match &self.compared {
            Some((for_text, m)) if *for_text == self.submitted => *m,
            _ => {
                let m = self.text_match(final_text);
                self.compared = Some((self.submitted.clone(), m));
                m
            }
        }
    }

    /// The banner's headline: `VALID`, `NOT TRUSTED — …` (intact, signer not pinned) or
    /// `INVALID — line 3: …`.
    pub fn headline(verdict: &Verdict) -> String {
        match (&verdict.reason, verdict.untrusted_reason()) {
            (_, Some(why)) => format!("NOT TRUSTED — {why}"),
            (Some(reason), None) if !verdict.valid => format!("INVALID — {reason}"),
            _ => verdict.status().into(),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, verdict: &Verdict, final_text: Option<&str>) {
        let (fill, colour) = match (verdict.valid, verdict.trusted()) {
            (true, true) => (VALID_BG, Color32::DARK_GREEN),
            (true, false) => (UNTRUSTED_BG, UNTRUSTED_FG),
            (false, _) => (INVALID_BG, Color32::DARK_RED),
        };
        egui::Frame::new().fill(fill).inner_margin(8.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(Self::headline(verdict)).strong().size(18.0).color(colour));
            if !verdict.task.is_empty() {
                facts(ui, verdict);
            }
            ui.checkbox(&mut self.show_checks, "show every check");
            // An invalid record shows every check: the auditor needs all that failed.
            if self.show_checks || !verdict.valid {
                for c in &verdict.checks {
                    let (mark, colour) = if c.ok {
                        ("ok", Color32::DARK_GREEN)
                    } else {
                        ("FAILED", Color32::DARK_RED)
                    };
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(mark).strong().color(colour));
                        ui.label(format!("{}: {}", c.name, c.detail));
                    });
                }
            }
            if final_text.is_some() {
                self.compare_ui(ui, final_text);
            }
        });
    }

    fn compare_ui(&mut self, ui: &mut egui::Ui, final_text: Option<&str>) {
        ui.horizontal(|ui| {
            ui.label("Submitted text:");
            ui.add(
                egui::TextEdit::multiline(&mut self.submitted)
                    .desired_rows(1)
                    .desired_width(360.0)
                    .hint_text("paste the submitted text (or drop a .txt file) to compare"),
            );
            match self.cached_match(final_text) {
                None => {}
                Some(m @ (TextComparison::Exact | TextComparison::Normalized)) => {
                    ui.label(RichText::new(m.describe()).color(Color32::DARK_GREEN));
                }
                Some(m) => {
                    ui.label(RichText::new(m.describe()).color(Color32::DARK_RED));
                }
            }
        });
    }
}

fn facts(ui: &mut egui::Ui, v: &Verdict) {
    let signer = v.signer_sentence();
    egui::Grid::new("verdict facts").num_columns(8).spacing([12.0, 2.0]).show(ui, |ui| {
        ui.strong("Task");
        ui.label(&v.task);
        ui.strong("Nonce");
        ui.label(v.nonce.as_deref().unwrap_or("—"));
        ui.strong("Signer");
        ui.label(signer);
        ui.strong("Sources");
        ui.label(v.sources.join(", "));
        ui.end_row();
        ui.strong("Started");
        ui.label(&v.started);
        ui.strong("Ended");
        ui.label(&v.ended);
        ui.strong("Active time");
        ui.label(duration(v.active_us));
        ui.end_row();
    });
}
