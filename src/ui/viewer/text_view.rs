//! The text at the playhead, each character coloured by origin, with the caret and,
//! on demand, the characters that will be deleted later struck through.
//!
//! Only a window of the text around the caret is laid out ([`WINDOW_CHARS`]): laying out a
//! whole book-length answer every frame would make scrubbing stutter, and the auditor looks
//! where the writing happens.

use super::loader::Session;
use crate::replay::State;
use crate::report::Origin;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Stroke};
use std::collections::{HashMap, HashSet};

/// Chars laid out around the caret.
pub const WINDOW_CHARS: usize = 6_000;

/// Drawn at the caret; not part of the text.
pub const CARET: char = '│';

pub fn colour(origin: Origin) -> Color32 {
    let [r, g, b] = origin.rgb();
    Color32::from_rgb(r, g, b)
}

const CARET_COLOUR: Color32 = Color32::from_rgb(0xC6, 0x28, 0x28);
const SELECTION_BG: Color32 = Color32::from_rgb(0xCC, 0xE4, 0xFF);
/// Behind text brought in by a flagged save (the report's `.o-flagged`).
pub const FLAGGED_SAVE_BG: Color32 = Color32::from_rgb(0xFD, 0xE2, 0xE2);

/// The laid-out part of the text at one playhead position.
#[derive(Clone, Debug, Default)]
pub struct Visible {
    /// Events applied when this was built.
    pub applied: usize,
    /// Whether characters deleted later are struck through.
    pub strike: bool,
    /// Chars of the text before and after the window.
    pub hidden_before: usize,
    pub hidden_after: usize,
    pub job: LayoutJob,
}

impl Visible {
    /// Builds the layout of `state`'s text around its caret.
    /// Text inserted by the edits in `flagged` gets a background (see
    /// [`crate::report::FLAGGED_SAVE_LABEL`]).
    pub fn build(
        state: &State,
        survivors: Option<&HashMap<u32, u32>>,
        flagged: Option<&HashSet<u32>>,
    ) -> Visible {
        let len = state.doc.len();
        let caret = state.sel.b.min(len);
        let from = caret.saturating_sub(WINDOW_CHARS / 2);
        let to = (from + WINDOW_CHARS).min(len);
        let (sel_a, sel_b) = (state.sel.a.min(state.sel.b), state.sel.a.max(state.sel.b));
        let font = FontId::monospace(14.0);
        let mut job = LayoutJob::default();
        job.wrap.max_width = f32::INFINITY;
        let mut run = String::new();
        let mut run_format: Option<TextFormat> = None;
        for (i, g) in (from..to).zip(state.doc.glyphs_from(from)) {
            if i == caret {
                flush(&mut job, &mut run, run_format.take());
                job.append(&CARET.to_string(), 0.0, caret_format(&font));
            }
            let struck = survivors.is_some_and(|s| s.get(&g.by).copied().unwrap_or(0) == 0);
            let mut format = TextFormat::simple(font.clone(), colour(Origin::of(g.cause)));
            if struck {
                format.strikethrough = Stroke::new(1.5, CARET_COLOUR);
            }
            if (sel_a..sel_b).contains(&i) {
                format.background = SELECTION_BG;
            } else if flagged.is_some_and(|f| f.contains(&g.by)) {
                format.background = FLAGGED_SAVE_BG;
            }
            if run_format.as_ref() != Some(&format) {
                flush(&mut job, &mut run, run_format.replace(format));
            }
            run.push(g.ch);
        }
        flush(&mut job, &mut run, run_format);
        if caret == to {
            job.append(&CARET.to_string(), 0.0, caret_format(&font));
        }
        Visible {
            applied: state.applied,
            strike: survivors.is_some(),
            hidden_before: from,
            hidden_after: len - to,
            job,
        }
    }

    /// Chars shown per text colour (the caret is not counted).
    pub fn colour_counts(&self) -> HashMap<Color32, usize> {
        let mut counts = HashMap::new();
        for s in &self.job.sections {
            let range = s.byte_range.start.0..s.byte_range.end.0;
            let n = self.job.text[range].chars().filter(|&c| c != CARET).count();
            if n > 0 {
                *counts.entry(s.format.color).or_insert(0) += n;
            }
        }
        counts
    }

    /// The shown text without the caret.
    pub fn text(&self) -> String {
        self.job.text.chars().filter(|&c| c != CARET).collect()
    }
}

fn caret_format(font: &FontId) -> TextFormat {
    TextFormat::simple(font.clone(), CARET_COLOUR)
}

fn flush(job: &mut LayoutJob, run: &mut String, format: Option<TextFormat>) {
    if let Some(f) = format.filter(|_| !run.is_empty()) {
        job.append(run, 0.0, f);
    }
    run.clear();
}

/// The central panel: legend, options and the text.
#[derive(Default)]
pub struct TextView {
    /// Strike through what is deleted later.
    pub show_deleted_later: bool,
    /// The layout last drawn; rebuilt only when the playhead or the options change.
    pub visible: Option<Visible>,
    /// The session has text of flagged saves, so the legend names their mark.
    flagged_legend: bool,
}

impl TextView {
    /// Makes sure the layout matches `applied`.
    pub fn update(&mut self, session: &Session, applied: usize) {
        let stale = self
            .visible
            .as_ref()
            .is_none_or(|v| v.applied != applied || v.strike != self.show_deleted_later);
        if stale {
            let state = session.at(applied);
            let survivors = self.show_deleted_later.then_some(&session.survivors);
            let flagged = Some(&session.flagged_saves).filter(|f| !f.is_empty());
            self.visible = Some(Visible::build(&state, survivors, flagged));
            self.flagged_legend = flagged.is_some();
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            for o in Origin::ALL {
                ui.label(egui::RichText::new(o.label()).color(colour(o)));
            }
            if self.flagged_legend {
                ui.label(
                    egui::RichText::new(crate::report::FLAGGED_SAVE_LABEL)
                        .background_color(FLAGGED_SAVE_BG),
                );
            }
            ui.checkbox(&mut self.show_deleted_later, "strike through text deleted later");
        });
        ui.separator();
        let Some(v) = &self.visible else { return };
        egui::ScrollArea::vertical().auto_shrink(false).stick_to_bottom(true).show(ui, |ui| {
            if v.hidden_before > 0 {
                ui.weak(format!("… {} characters before", v.hidden_before));
            }
            let mut job = v.job.clone();
            job.wrap.max_width = ui.available_width();
            ui.label(job);
            if v.hidden_after > 0 {
                ui.weak(format!("… {} characters after", v.hidden_after));
            }
        });
    }
}
