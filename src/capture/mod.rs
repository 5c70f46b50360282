//! Capture back-ends: translate the outside world (editor, OS key hook) into journal events.
//!
//! [`Recording`] is a live session: the journal writer, the editor text, and the capture
//! state that turns each frame's input into exact edit, key, selection, copy and focus
//! events. It holds no analysis; storage is the journal writer's.

mod autosave;
mod diff;
mod editor;
mod gate;
pub mod key_devices;
mod keys;
mod os_keys;
mod recording;
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
