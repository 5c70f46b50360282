//! The keystroke-log CSV of writing-process research, in the layout of the "Linking Writing
//! Processes to Writing Quality" data set (Vanderbilt / The Learning Agency Lab, Kaggle 2023):
//! one row per key or mouse event with the columns
//! `id, event_id, down_time, up_time, action_time, activity, down_event, up_event,
//! text_change, cursor_position, word_count`. Times are milliseconds; `activity` is `Input`,
//! `Remove/Cut`, `Nonproduction`, `Replace` (`text_change` "old => new"), `Paste` or
//! `Move From [a, b] To [c, d]`; `cursor_position` is the caret after the event. In the
//! published data letters are anonymised to `q`, which changes no measure Handprint takes.
//!
//! [`import`] turns such a log into Handprint events so researchers can analyze their logs;
//! [`export`] writes a Handprint session in the same layout for their tools.

mod export;
mod import;
mod keys;

pub use export::export;
pub use import::{Imported, import};

use thiserror::Error;

/// The columns in the order the data set uses (and [`export`] writes).
pub const COLUMNS: [&str; 11] = [
    "id",
    "event_id",
    "down_time",
    "up_time",
    "action_time",
    "activity",
    "down_event",
    "up_event",
    "text_change",
    "cursor_position",
    "word_count",
];

/// Why a keystroke-log CSV cannot be read or written.
#[derive(Debug, Error)]
pub enum LwpError {
    #[error("the keystroke log is not readable CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error(
        "the keystroke log has no `{0}` column; a log in the LWP layout needs at least `down_time` and `activity`"
    )]
    MissingColumn(&'static str),
    #[error("row {row}: `{column}` is {value:?}, not a whole number of milliseconds or characters")]
    BadNumber { row: usize, column: &'static str, value: String },
    #[error("the keystroke log has a header but no rows")]
    NoRows,
    #[error("cannot write the keystroke log: {0}")]
    Write(#[from] std::io::Error),
}
