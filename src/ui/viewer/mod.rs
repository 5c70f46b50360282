//! The auditor's replay viewer: verification banner, replay with origins, timeline, charts,
//! analysis. Each panel is its own module with a `ui` function over the [`Viewer`] model;
//! the work (verifying, replaying, the chart series, the report) is done by the core.

mod analysis_panel;
mod banner;
mod charts;
pub mod file_dialog;
pub mod folder;
pub mod loader;
pub mod playhead;
mod scrubber;
pub mod text_view;

pub use banner::Banner;
pub use file_dialog::FileDialog;
pub use loader::{Loaded, Loading, Session};
pub use playhead::Playhead;
pub use text_view::{TextView, Visible};

use crate::report::{PageExtras, ReportInput, render_page};
use scrubber::Jump;
use std::path::{Path, PathBuf};

/// The viewer's whole state.
#[derive(Default)]
pub struct Viewer {
    /// The path typed in the open bar.
    pub path_field: String,
    pub loading: Option<Loading>,
    pub loaded: Option<Loaded>,
    pub playhead: Playhead,
    pub banner: Banner,
    pub text: TextView,
    /// The flag the playhead last jumped to.
    pub current_flag: Option<usize>,
    /// The last export's outcome, shown in the open bar.
    pub status: String,
    /// The "Open a record" dialog, while it is open.
    pub file_dialog: Option<FileDialog>,
    /// Registered trainer keys (`handprint replay --trust`): a record signed by one of them
    /// shows as VALID; signed by any other key, as NOT TRUSTED.
    pub trusted: Vec<crate::attest::PublicKey>,
}

impl Viewer {
    /// A viewer showing an already loaded record (tests, and after a background load).
    pub fn with_loaded(loaded: Loaded) -> Viewer {
        let mut v = Viewer::default();
        v.show(loaded);
        v
    }

    /// Starts opening `path` in the background.
    pub fn open(&mut self, path: PathBuf, ctx: &egui::Context) {
        self.path_field = path.display().to_string();
        let ctx = ctx.clone();
        let trusted = self.trusted.clone();
        self.loading = Some(Loading::start(path, trusted, move || ctx.request_repaint()));
    }

    /// Opens the "Open a record" dialog at the record in the path field, if there is one.
    pub fn browse(&mut self, ctx: &egui::Context) {
        self.file_dialog = Some(FileDialog::new(folder::start_at(&self.path_field)));
        // The dialog is drawn at the top of the next frame; ask for that frame now.
        ctx.request_repaint();
    }

    fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.file_dialog else { return };
        let picked = dialog.ui(ctx);
        if dialog.is_closed() {
            self.file_dialog = None;
        }
        if let Some(path) = picked {
            self.open(path, ctx);
        }
    }

    fn show(&mut self, loaded: Loaded) {
        self.path_field = loaded.path.display().to_string();
        self.playhead = Playhead::default();
        self.text = TextView::default();
        self.current_flag = None;
        self.banner.forget_comparison();
        if let Some(s) = &loaded.session {
            // Open at the end: the auditor first sees the text as submitted.
            self.playhead.seek_event(s.replay.entries(), s.replay.len());
        }
        self.loaded = Some(loaded);
    }

    /// The replayable session, if one is open.
    pub fn session(&self) -> Option<&Session> {
        self.loaded.as_ref()?.session.as_ref()
    }

    /// Moves the playhead to just after the first `applied` events.
    pub fn seek_event(&mut self, applied: usize) {
        if let Some(s) = self.loaded.as_ref().and_then(|l| l.session.as_ref()) {
            self.playhead.playing = false;
            self.playhead.seek_event(s.replay.entries(), applied);
        }
    }

    /// Moves to the next (or previous) flag after (or before) the playhead.
    pub fn jump_flag(&mut self, forward: bool) {
        let Some(s) = self.session() else { return };
        let firsts: Vec<usize> =
            s.findings.iter().map(|f| f.events.first().map_or(0, |&e| e as usize + 1)).collect();
        let here = self.playhead.applied;
        let pick = if forward {
            let mut order: Vec<usize> = (0..firsts.len()).filter(|&i| firsts[i] > here).collect();
            order.sort_by_key(|&i| firsts[i]);
            order.first().copied()
        } else {
            let mut order: Vec<usize> = (0..firsts.len()).filter(|&i| firsts[i] < here).collect();
            order.sort_by_key(|&i| firsts[i]);
            order.last().copied()
        };
        if let Some(i) = pick {
            self.goto_flag(i);
        }
    }

    /// Moves the playhead to just after the first event of flag `i`.
    pub fn goto_flag(&mut self, i: usize) {
        let first = self.session().and_then(|s| s.findings.get(i)?.events.first().copied());
        if let Some(seq) = first {
            self.current_flag = Some(i);
            self.seek_event(seq as usize + 1);
        }
    }

    /// The HTML report of the open record: the page `handprint replay --report` writes,
    /// with the interactive replay of its events.
    pub fn report_html(&self) -> Option<String> {
        let loaded = self.loaded.as_ref()?;
        let session = loaded.session.as_ref();
        let final_text = session.map(|s| s.final_text.as_str());
        let source = loaded.path.display().to_string();
        let extras = PageExtras {
            entries: session.map(|s| s.replay.entries().as_slice()),
            ..Default::default()
        };
        Some(render_page(
            &ReportInput {
                source: &source,
                verdict: &loaded.verdict,
                timeline: session.map(|s| &s.timeline),
                final_state: session.map(|s| s.replay.final_state()),
                findings: session.map_or(&[], |s| &s.findings),
                summary: session.map_or(&[], |s| &s.summary),
                text_match: self.banner.text_match(final_text),
            },
            &extras,
        ))
    }

    /// Writes the report next to the record, as `<name>-report.html`.
    pub fn export_report(&mut self) {
        let Some(loaded) = &self.loaded else { return };
        let out = report_path(&loaded.path);
        self.status = match self.report_html().map(|h| std::fs::write(&out, h)) {
            Some(Ok(())) => format!("report written to {}", out.display()),
            Some(Err(e)) => format!("could not write {}: {e}", out.display()),
            None => String::new(),
        };
    }

    /// Draws the whole viewer into `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.take_dropped_files(ui.ctx());
        self.file_dialog_ui(ui.ctx());
        if let Some(done) = self.loading.as_ref().and_then(Loading::try_finish) {
            self.loading = None;
            self.show(done);
        }
        egui::Panel::top("open bar").show(ui, |ui| self.open_bar(ui));
        if let Some(loading) = &self.loading {
            let p = loading.progress();
            egui::CentralPanel::default().show(ui, |ui| {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.heading(format!("Opening {}", loading.path.display()));
                    ui.add(egui::ProgressBar::new(p.fraction).show_percentage().animate(true));
                    ui.label(p.stage);
                });
            });
            return;
        }
        let Some(loaded) = &self.loaded else {
            let mut browse = false;
            egui::CentralPanel::default().show(ui, |ui| {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.heading("Open a Handprint record");
                    ui.label("Type its path above, or drop a .handprint or .jsonl file here.");
                    ui.add_space(8.0);
                    if ui.button("Browse…").clicked() {
                        browse = true;
                    }
                });
            });
            if browse {
                self.browse(ui.ctx());
            }
            return;
        };
        let final_text = loaded.session.as_ref().map(|s| s.final_text.as_str());
        egui::Panel::top("banner").show(ui, |ui| {
            self.banner.ui(ui, &loaded.verdict, final_text);
        });
        let Some(session) = loaded.session.as_ref() else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.label("This record cannot be replayed; the banner above says why.");
            });
            return;
        };
        let dt = ui.input(|i| i.stable_dt) as f64;
        self.playhead.advance(session.replay.entries(), dt);
        if self.playhead.playing {
            ui.ctx().request_repaint();
        }
        let mut jump = None;
        egui::Panel::bottom("transport").show(ui, |ui| {
            jump = scrubber::ui(ui, session, &mut self.playhead);
        });
        egui::Panel::bottom("charts").resizable(true).show(ui, |ui| {
            charts::ui(ui, session, &mut self.playhead);
        });
        let mut clicked_flag = None;
        egui::Panel::right("analysis").default_size(300.0).resizable(true).show(ui, |ui| {
            clicked_flag = analysis_panel::ui(ui, session, self.current_flag);
        });
        self.text.update(session, self.playhead.applied);
        egui::CentralPanel::default().show(ui, |ui| self.text.ui(ui));
        match (jump, clicked_flag) {
            (_, Some(i)) => self.goto_flag(i),
            (Some(Jump::NextFlag), _) => self.jump_flag(true),
            (Some(Jump::PreviousFlag), _) => self.jump_flag(false),
            (None, None) => {}
        }
    }

    fn open_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label("Record:");
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.path_field)
                    .desired_width(420.0)
                    .hint_text("path to a .handprint or .jsonl file"),
            );
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Open").clicked() || enter) && !self.path_field.trim().is_empty() {
                let path = PathBuf::from(self.path_field.trim());
                self.open(path, ui.ctx());
            }
            if ui.button("Browse…").clicked() {
                self.browse(ui.ctx());
            }
            let can_export = self.loaded.is_some() && self.loading.is_none();
            if ui.add_enabled(can_export, egui::Button::new("Export report (HTML)")).clicked() {
                self.export_report();
            }
            ui.label(&self.status);
        });
    }

    /// A dropped record is opened; a dropped text file is taken as the submitted text.
    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        for file in dropped {
            let path = file.path().to_owned();
            if path.as_os_str().is_empty() {
                continue;
            }
            if path.extension().is_some_and(|e| e == "txt" || e == "md") {
                match std::fs::read_to_string(&path) {
                    Ok(text) => self.banner.submitted = text,
                    Err(e) => self.status = format!("cannot read {}: {e}", path.display()),
                }
            } else {
                self.open(path, ctx);
            }
        }
    }
}

/// `<dir>/<stem>-report.html` beside the record.
pub fn report_path(record: &Path) -> PathBuf {
    let stem = record.file_stem().map_or("record".into(), |s| s.to_string_lossy());
    record.with_file_name(format!("{stem}-report.html"))
}

/// The viewer as an eframe app.
pub struct ViewerApp {
    pub viewer: Viewer,
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.viewer.ui(ui);
    }
}

/// Opens the viewer window, loading `path` if given, with the signer pinned to one of
/// `trusted`. Blocks until the window is closed.
pub fn run(path: Option<PathBuf>, trusted: Vec<crate::attest::PublicKey>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: crate::ui::desktop::viewport()
            .with_title("Handprint — replay viewer")
            .with_inner_size([1280.0, 860.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "handprint-viewer",
        options,
        Box::new(move |cc| {
            cc.egui_ctx.set_theme(egui::Theme::Light);
            let mut viewer = Viewer { trusted, ..Viewer::default() };
            if let Some(p) = path {
                viewer.open(p, &cc.egui_ctx);
            }
            Ok(Box::new(ViewerApp { viewer }))
        }),
    )
}
