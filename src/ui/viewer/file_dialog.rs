//! "Open a record" as an in-app dialog: a small file browser drawn with egui. A native
//! dialog crate (rfd) would pull GTK into the Linux build for one button, so the viewer
//! draws its own. The folder listing is read by [`list_dir`] (in `folder`), which has no GUI types and is
//! tested on its own; [`FileDialog`] only presents it.

use super::folder::{Kind, Listing, absolute, format_size, list_dir};
use egui::{Align, Align2, Color32, Layout, Rect, Response, Sense, Stroke, TextStyle, Ui, vec2};
use std::path::{Path, PathBuf};

const ROW_HEIGHT: f32 = 24.0;
const SIZE_WIDTH: f32 = 80.0;
const MODIFIED_WIDTH: f32 = 150.0;

/// The dialog's state: the folder shown, its listing, the selection and the last error.
pub struct FileDialog {
    dir: PathBuf,
    /// What the path field shows; kept as typed when going there fails, so it can be fixed.
    dir_field: String,
    entries: Vec<Listing>,
    selected: Option<usize>,
    error: Option<String>,
    closed: bool,
}

/// What a click in the listing asked for; applied after the listing is drawn.
enum Action {
    Select(usize),
    Activate(usize),
}

impl FileDialog {
    /// A dialog showing `start` (see [`FileDialog::go_to`]; its error is shown if it cannot
    /// be read).
    pub fn new(start: PathBuf) -> FileDialog {
        let mut dialog = FileDialog {
            dir_field: start.display().to_string(),
            dir: start.clone(),
            entries: Vec::new(),
            selected: None,
            error: None,
            closed: false,
        };
        dialog.go_to(start);
        dialog
    }

    /// The folder shown.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The listing shown.
    pub fn entries(&self) -> &[Listing] {
        &self.entries
    }

    /// Why the last folder could not be shown, if it could not.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// True once the user picked a file or cancelled; the owner then drops the dialog.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Shows `target`: a folder is listed; a file shows its folder with the file selected.
    /// On failure the previous listing stays and the error is shown above it.
    pub fn go_to(&mut self, target: PathBuf) {
        let target = absolute(&target);
        let (dir, file) = if target.is_file() {
            (target.parent().map_or_else(|| target.clone(), Path::to_owned), Some(target))
        } else {
            (target, None)
        };
        match list_dir(&dir) {
            Ok(entries) => {
                self.selected = file.and_then(|f| entries.iter().position(|e| e.path == f));
                self.entries = entries;
                self.dir_field = dir.display().to_string();
                self.dir = dir;
                self.error = None;
            }
            Err(e) => self.error = Some(format!("Cannot open the folder {}: {e}", dir.display())),
        }
    }

    fn selected_record(&self) -> Option<&Listing> {
        self.entries.get(self.selected?).filter(|e| e.kind == Kind::Record)
    }

    /// Draws the dialog; returns the record the user picked, once.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        let id = egui::Id::unique("open a record dialog");
        let modal = egui::Modal::new(id).show(ctx, |ui| {
            ui.set_width(720.0);
            ui.heading("Open a record");
            ui.add_space(6.0);
            self.location_bar(ui);
            if let Some(e) = &self.error {
                ui.add_space(4.0);
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(6.0);
            let from_listing = match self.listing(ui) {
                Some(Action::Select(i)) => {
                    self.selected = Some(i);
                    None
                }
                Some(Action::Activate(i)) => self.activate(i),
                None => None,
            };
            ui.add_space(6.0);
            let from_buttons = self.buttons(ui);
            from_listing.or(from_buttons)
        });
        if modal.should_close() {
            self.closed = true;
        }
        modal.inner
    }

    /// Enters a folder, or picks a record.
    fn activate(&mut self, i: usize) -> Option<PathBuf> {
        let entry = self.entries.get(i)?;
        if entry.kind == Kind::Record {
            self.closed = true;
            return Some(entry.path.clone());
        }
        let path = entry.path.clone();
        self.go_to(path);
        None
    }

    fn location_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let label = ui.label("Folder:");
            let up = self.dir.parent().map(Path::to_owned);
            // Laid out right to left so the field takes the width the buttons leave.
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui.add_enabled(up.is_some(), egui::Button::new("Up one folder")).clicked()
                    && let Some(up) = up
                {
                    self.go_to(up);
                }
                let go = ui.button("Go").clicked();
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.dir_field)
                            .desired_width(f32::INFINITY)
                            .hint_text("type or paste a folder"),
                    )
                    .labelled_by(label.id);
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (go || enter) && !self.dir_field.trim().is_empty() {
                    self.go_to(PathBuf::from(self.dir_field.trim()));
                }
            });
        });
    }

    fn listing(&self, ui: &mut Ui) -> Option<Action> {
        let mut action = None;
        egui::Frame::group(ui.style()).inner_margin(0.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            header(ui);
            egui::ScrollArea::vertical().auto_shrink([false, false]).max_height(340.0).show(
                ui,
                |ui| {
                    ui.spacing_mut().item_spacing.y = 0.0;
                    for (i, entry) in self.entries.iter().enumerate() {
                        let row = row(ui, entry, self.selected == Some(i));
                        if row.double_clicked() {
                            action = Some(Action::Activate(i));
                        } else if row.clicked() {
                            action = Some(Action::Select(i));
                        }
                    }
                    if self.entries.iter().all(|e| e.kind == Kind::Parent) {
                        ui.add_space(8.0);
                        ui.horizontal(|ui| {
                            ui.add_space(34.0);
                            ui.weak("No folders or records here.");
                        });
                    }
                },
            );
        });
        action
    }

    fn buttons(&mut self, ui: &mut Ui) -> Option<PathBuf> {
        let mut picked = None;
        ui.horizontal(|ui| {
            ui.weak("Shows folders and .handprint, .jsonl and .json files.");
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let record = self.selected_record().map(|e| e.path.clone());
                if ui.add_enabled(record.is_some(), egui::Button::new("Open")).clicked() {
                    picked = record;
                    self.closed = true;
                }
                if ui.button("Cancel").clicked() {
                    self.closed = true;
                }
            });
        });
        picked
    }
}

/// The column titles, aligned with [`row`].
fn header(ui: &mut Ui) {
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 20.0), Sense::hover());
    let [name, size, modified] = columns(rect);
    let font = TextStyle::Small.resolve(ui.style());
    let colour = ui.visuals().weak_text_color();
    let p = ui.painter();
    p.text(name.left_center(), Align2::LEFT_CENTER, "Name", font.clone(), colour);
    p.text(size.right_center(), Align2::RIGHT_CENTER, "Size", font.clone(), colour);
    p.text(modified.left_center(), Align2::LEFT_CENTER, "Modified", font, colour);
    p.hline(rect.x_range(), rect.bottom(), ui.visuals().widgets.noninteractive.bg_stroke);
}

/// The name, size and modified columns of a row, after the icon.
fn columns(rect: Rect) -> [Rect; 3] {
    let pad = 10.0;
    let modified = Rect::from_min_max(
        rect.right_top() + vec2(-MODIFIED_WIDTH, 0.0),
        rect.right_bottom() - vec2(pad, 0.0),
    );
    let size = Rect::from_min_max(
        modified.left_top() - vec2(SIZE_WIDTH + 20.0, 0.0),
        modified.left_bottom() - vec2(20.0, 0.0),
    );
    let name =
        Rect::from_min_max(rect.left_top() + vec2(34.0, 0.0), size.left_bottom() - vec2(pad, 0.0));
    [name, size, modified]
}

/// One clickable row, drawn by hand so the whole width selects and the columns line up;
/// it reports itself to AccessKit as a selectable label named like the entry.
fn row(ui: &mut Ui, entry: &Listing, selected: bool) -> Response {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, ROW_HEIGHT), Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::ListBoxOption, true, selected, &entry.name)
    });
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.visuals();
    let (fill, text) = if selected {
        (visuals.selection.bg_fill, visuals.selection.stroke.color)
    } else if response.hovered() {
        (visuals.widgets.hovered.weak_bg_fill, visuals.text_color())
    } else {
        (Color32::TRANSPARENT, visuals.text_color())
    };
    let weak = if selected { text } else { visuals.weak_text_color() };
    let p = ui.painter();
    p.rect_filled(rect, 0.0, fill);
    icon(ui, rect.left_center() + vec2(17.0, 0.0), entry.kind, text);
    let [name, size, modified] = columns(rect);
    let body = TextStyle::Body.resolve(ui.style());
    // A name too long for its column ends in an ellipsis instead of being cut mid-letter.
    let mut job = egui::text::LayoutJob::single_section(
        entry.name.clone(),
        egui::TextFormat::simple(body.clone(), text),
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(name.width());
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    p.galley(name.left_center() - vec2(0.0, galley.size().y / 2.0), galley, text);
    if let Some(bytes) = entry.size {
        p.text(size.right_center(), Align2::RIGHT_CENTER, format_size(bytes), body.clone(), weak);
    }
    if let Some(t) = entry.modified {
        let when = t.format("%Y-%m-%d %H:%M").to_string();
        p.text(modified.left_center(), Align2::LEFT_CENTER, when, body, weak);
    }
    response
}

/// A painted folder or page: the default fonts have no such symbols, and a missing glyph
/// panics in debug builds.
fn icon(ui: &Ui, centre: egui::Pos2, kind: Kind, colour: Color32) {
    let p = ui.painter();
    if kind == Kind::Record {
        let page = Rect::from_center_size(centre, vec2(11.0, 14.0));
        p.rect_stroke(page, 1.0, Stroke::new(1.2, colour), egui::StrokeKind::Inside);
        let lines = Stroke::new(1.0, colour.gamma_multiply(0.7));
        for dy in [-2.5, 0.5, 3.5] {
            let y = centre.y + dy;
            p.hline(page.left() + 3.0..=page.right() - 3.0, y, lines);
        }
        return;
    }
    let fill = Color32::from_rgb(0xE8, 0xB9, 0x4A);
    let body = Rect::from_center_size(centre + vec2(0.0, 1.0), vec2(16.0, 11.0));
    let tab = Rect::from_min_size(body.left_top() - vec2(0.0, 2.5), vec2(7.0, 3.5));
    p.rect_filled(tab, 1.0, fill);
    p.rect_filled(body, 1.5, fill);
    if kind == Kind::Parent {
        // A small up-pointing chevron marks "..", drawn rather than typed (no arrow glyph).
        let c = body.center();
        let dark = Color32::from_rgb(0x6B, 0x4E, 0x0A);
        let s = Stroke::new(1.5, dark);
        p.line_segment([c + vec2(-3.5, 1.5), c + vec2(0.0, -2.0)], s);
        p.line_segment([c + vec2(0.0, -2.0), c + vec2(3.5, 1.5)], s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::viewer::folder::start_at;

    fn names(dir: &Path) -> Vec<(String, Kind)> {
        list_dir(dir).unwrap().into_iter().map(|e| (e.name, e.kind)).collect()
    }

    #[test]
    fn listing_shows_parent_then_folders_then_records_each_sorted_by_name() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.handprint", "A.jsonl", "c.json", "notes.txt", "image.png", ".hidden.jsonl"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        for d in ["zeta", "Alpha", ".git"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        let expected = [
            ("..", Kind::Parent),
            ("Alpha", Kind::Folder),
            ("zeta", Kind::Folder),
            ("A.jsonl", Kind::Record),
            ("b.handprint", Kind::Record),
            ("c.json", Kind::Record),
        ];
        let expected: Vec<(String, Kind)> = expected.map(|(n, k)| (n.to_owned(), k)).into();
        assert_eq!(names(dir.path()), expected);
    }

    #[test]
    fn records_carry_their_size_and_folders_do_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.handprint"), vec![0u8; 2048]).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let entries = list_dir(dir.path()).unwrap();
        let size = |n: &str| entries.iter().find(|e| e.name == n).unwrap().size;
        assert_eq!((size("r.handprint"), size("sub")), (Some(2048), None));
        assert!(entries.iter().filter(|e| e.kind != Kind::Parent).all(|e| e.modified.is_some()));
    }

    #[test]
    fn the_parent_entry_leads_to_the_enclosing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let parent = list_dir(&sub).unwrap().into_iter().find(|e| e.kind == Kind::Parent);
        assert_eq!(parent.map(|e| e.path), Some(dir.path().to_owned()));
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(list_dir(&dir.path().join("gone")).is_err());
        let dialog = FileDialog::new(dir.path().join("gone"));
        assert!(dialog.error().is_some_and(|e| e.contains("Cannot open the folder")));
        assert!(dialog.entries().is_empty());
    }

    #[test]
    fn going_to_a_bad_folder_keeps_the_listing_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.jsonl"), "x").unwrap();
        let mut dialog = FileDialog::new(dir.path().to_owned());
        dialog.go_to(dir.path().join("nope"));
        assert_eq!(dialog.dir(), dir.path());
        assert!(dialog.entries().iter().any(|e| e.name == "r.jsonl"));
        assert!(dialog.error().is_some());
    }

    #[test]
    fn going_to_a_file_shows_its_folder_with_it_selected() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("r.handprint");
        std::fs::write(&record, "x").unwrap();
        let dialog = FileDialog::new(record.clone());
        assert_eq!(dialog.dir(), dir.path());
        assert_eq!(dialog.selected_record().map(|e| e.path.clone()), Some(record));
    }

    #[test]
    fn browsing_starts_at_the_record_in_the_path_field_or_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("r.jsonl");
        std::fs::write(&record, "x").unwrap();
        assert_eq!(start_at(&record.display().to_string()), record);
        let field = dir.path().join("not-yet-there.handprint");
        assert_eq!(start_at(&field.display().to_string()), dir.path());
        assert_eq!(start_at(&dir.path().display().to_string()), dir.path());
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(1023), "1023 B");
        assert_eq!(format_size(1536), "1.5 KB");
        assert_eq!(format_size(5 * 1024 * 1024), "5.0 MB");
    }
}
