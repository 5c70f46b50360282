//! The trainer's recorder: start screen, writing screen with capture (or the small watch
//! window while the trainer writes in their own editor), finished screen.
//! Each screen is a view struct with a `ui` method returning what the trainer asked for;
//! [`crate::ui::app::RecorderApp`] acts on it.

mod export;
mod finished;
pub mod platform;
pub(crate) mod sessions;
mod start;
mod watch;
mod writing;

pub use export::{SaveError, Saved, default_out_dir, export};
pub use finished::{FinishedAction, FinishedView};
pub use sessions::{SessionInfo, recent_sessions};
pub use start::{ChallengeShown, StartAction, StartView};
pub use watch::{WATCH_WINDOW_SIZE, WatchAction, WatchView};
pub use writing::{Settings, WritingAction, WritingView};
