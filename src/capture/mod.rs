//! Capture back-ends: translate the outside world (editor, OS key hook) into journal events.
//!
//! [`Recording`] is a live session's lifecycle over the journal writer and the editor text;
//! each frame's input becomes exact edit, key, selection, copy and focus events. Key
//! de-duplication between window and hook (`key_dedup`), the autosaved text copy
//! (`autosave`) and the periodic clock and away samples (`samples`) each have their own
//! module. It holds no analysis; storage is the journal writer's.

mod autosave;
mod diff;
mod editor;
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
pub use gate::Gate;
pub use keys::{ModifierTracker, egui_code, egui_mods, rdev_code};
pub use os_keys::{OsKey, OsKeys, OsKeysStatus};
pub use recording::{
    FinishFailed, RecordError, Recording, SOURCE_EDITOR, SOURCE_OS_KEYS, file_safe,
};
pub use watch::{CaptureWatch, LOST_AFTER};
