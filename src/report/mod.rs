//! What an auditor is shown about a record, without GUI types: the verification verdict,
//! the findings, the comparison with a submitted text, and the self-contained HTML report.
//! The viewer draws these; `handprint replay --report` writes them to a file.

mod evidence;
mod html;
pub mod interactive;
mod svg;
mod verdict;

pub use evidence::Evidence;
pub use html::{ReportInput, duration, escape, render_html, render_page};
pub use interactive::PageExtras;
pub use verdict::{TextComparison, Verdict, compare_text};

/// An analysis flag, as shown in the viewer and the report.
pub use crate::analysis::{Flag, Severity};

use crate::event::Cause;

/// Where a character of the text came from, in the four classes the auditor sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Typed here on the keyboard (or composed with an input method).
    Typed,
    /// Pasted from outside the session.
    Pasted,
    /// The trainer's own text pasted elsewhere (moved within the text).
    Moved,
    /// Undo, redo, drag and drop, an external file, or a change nobody could attribute.
    Other,
}

impl Origin {
    pub const ALL: [Origin; 4] = [Origin::Typed, Origin::Pasted, Origin::Moved, Origin::Other];

    pub fn of(cause: Cause) -> Origin {
        match cause {
            Cause::Typed | Cause::Ime | Cause::InputMethod => Origin::Typed,
            Cause::PasteExt => Origin::Pasted,
            Cause::PasteInt => Origin::Moved,
            Cause::Cut | Cause::Undo | Cause::Redo | Cause::Drop | Cause::File | Cause::Other => {
                Origin::Other
            }
        }
    }

    /// The legend text.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Typed => "typed here",
            Origin::Pasted => "pasted from outside",
            Origin::Moved => "moved within the text",
            Origin::Other => "other (undo/redo, drop, file, unattributed)",
        }
    }

    /// Text colour (sRGB), the same in the viewer and the report. Chosen to be told apart
    /// with the common colour-vision deficiencies (blue/orange contrast, Okabe & Ito 2008,
    /// "Color Universal Design"), on a light background.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Origin::Typed => [0x20, 0x20, 0x20],
            Origin::Pasted => [0xD5, 0x5E, 0x00],
            Origin::Moved => [0x00, 0x72, 0xB2],
            Origin::Other => [0xCC, 0x79, 0xA7],
        }
    }

    pub fn css(self) -> String {
        let [r, g, b] = self.rgb();
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// What marks the text brought in by a save flagged `unexplained_insertion`, in the viewer and
/// both reports: the save is judged as a whole, so not every marked character need be
/// unexplained, which the label says.
pub const FLAGGED_SAVE_LABEL: &str = "in a save with more new text than key presses";

/// The edits (sequence numbers) whose text is marked: those of the saves the analysis
/// flagged `unexplained_insertion` (a response written in the trainer's own editor).
pub fn flagged_save_edits(flags: &[Flag]) -> std::collections::HashSet<u64> {
    flags
        .iter()
        .filter(|f| f.id == "unexplained_insertion")
        .flat_map(|f| f.events.iter().copied())
        .collect()
}

/// Chars of `state`'s text per origin.
pub fn origin_counts(state: &crate::replay::State) -> std::collections::BTreeMap<Origin, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for g in state.doc.glyphs() {
        *counts.entry(Origin::of(g.cause)).or_insert(0) += 1;
    }
    counts
}
