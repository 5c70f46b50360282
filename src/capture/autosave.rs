//! A plain-text copy of the response beside the journal, written atomically every few
//! seconds. The journal alone restores the text; this copy is for a trainer who opens the
//! sessions folder by hand, and a second chance if the journal itself cannot be written.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often the text copy is rewritten while the text changes.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(3);

#[derive(Debug)]
pub struct TextCopy {
    path: PathBuf,
    saved: Option<String>,
    last: Instant,
}

impl TextCopy {
    pub fn new(journal: &Path) -> Self {
        TextCopy { path: journal.with_extension("txt"), saved: None, last: Instant::now() }
    }

    /// Writes `text` if it changed and the last write is old enough (or `now` is set).
    pub fn save(&mut self, text: &str, now: bool) -> std::io::Result<()> {
        if self.saved.as_deref() == Some(text) || (!now && self.last.elapsed() < AUTOSAVE_EVERY) {
            return Ok(());
        }
        self.last = Instant::now();
        let tmp = self.path.with_extension("txt.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &self.path)?;
        self.saved = Some(text.to_owned());
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
