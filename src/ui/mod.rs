//! The desktop app: a thin egui shell over the core. The recorder is what trainers use; the
//! viewer is what auditors use.

pub mod app;
pub mod desktop;
pub mod recorder;
pub mod viewer;

pub use app::{AppOptions, RecorderApp, window_title};
pub use recorder::WATCH_WINDOW_SIZE;

/// Why the app window could not open.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run Handprint in a desktop session, or use the command-line tools (`handprint --help`)"
    )]
    NoDisplay,
    #[error("cannot open the Handprint window: {0}")]
    Window(String),
}

/// Whether there is a display to open a window on. Checked before starting eframe so the
/// user gets a sentence instead of a windowing-library error.
pub fn display_available() -> Result<(), OpenError> {
    let has = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if cfg!(target_os = "linux") && !has("DISPLAY") && !has("WAYLAND_DISPLAY") {
        return Err(OpenError::NoDisplay);
    }
    Ok(())
}

/// Opens the recorder window and runs it until it is closed. `app` builds the app once the
/// window exists (so the key hook starts only when there is a window).
pub fn run(
    title: &str,
    app: impl FnOnce() -> Result<RecorderApp, String> + 'static,
) -> Result<(), OpenError> {
    let viewport = desktop::viewport()
        .with_title(title)
        .with_inner_size([1100.0, 720.0])
        .with_min_inner_size([640.0, 420.0]);
    run_in(viewport, app)
}

/// Opens the recorder as the small watch window (always on top, beside the trainer's own
/// editor) and runs it until it is closed.
pub fn run_watch(
    title: &str,
    app: impl FnOnce() -> Result<RecorderApp, String> + 'static,
) -> Result<(), OpenError> {
    let viewport = desktop::viewport()
        .with_title(title)
        .with_inner_size(WATCH_WINDOW_SIZE)
        .with_min_inner_size(WATCH_WINDOW_SIZE)
        .with_always_on_top();
    run_in(viewport, app)
}

/// Runs the recorder in a window of `viewport`'s shape until it is closed.
fn run_in(
    viewport: egui::ViewportBuilder,
    app: impl FnOnce() -> Result<RecorderApp, String> + 'static,
) -> Result<(), OpenError> {
    display_available()?;
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    eframe::run_native(
        "Handprint",
        options,
        Box::new(move |_cc| Ok(Box::new(app()?) as Box<dyn eframe::App>)),
    )
    .map_err(|e| OpenError::Window(e.to_string()))
}
