//! Capture back-ends: translate the outside world (editor, OS key hook, a watched file)
//! into journal events.
//!
//! [`Recording`] is a live session's lifecycle over the journal writer and the editor text;
//! each frame's input becomes exact edit, key, selection, copy and focus events. Key
//! de-duplication between window and hook (`key_dedup`), the autosaved text copy
//! (`autosave`) and the periodic clock and away samples (`samples`) each have their own
//! module. [`FileSession`] is the same recording fed by the trainer's own editor: the
//! watched file (`file_watch`, diffed by `file_diff`) and the focused application
//! (`focus_app`). It holds no analysis; storage is the journal writer's.

mod autosave;
mod diff;
mod editor;
mod file_diff;
mod file_session;
mod file_watch;
mod focus_app;
mod gate;
mod key_dedup;
pub mod key_devices;
mod keys;
mod os_keys;
mod recording;
mod samples;
mod watch;

pub use diff::{TextChange, text_change};
pub use editor::{EditorInput, FrameEvents};
pub use file_diff::file_edits;
pub use file_session::{FileSession, FileSessionError};
pub use file_watch::{FileNotice, FileWatch, WatchError, check_watchable};
pub use focus_app::{AppNote, EditorChoice, FocusApps, HANDPRINT_APP};
pub use gate::Gate;
pub use keys::{ModifierTracker, egui_code, egui_mods, rdev_code};
pub use os_keys::{OsKey, OsKeys, OsKeysStatus};
pub use recording::{
    FinishFailed, RecordError, Recording, SOURCE_EDITOR, SOURCE_FILE_WATCH, SOURCE_OS_KEYS,
    file_safe,
};
pub use watch::{CaptureWatch, LOST_AFTER};
