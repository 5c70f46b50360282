//! The start screen: what the next session is for, and the sessions already on this machine.

use super::sessions::SessionInfo;
use egui::RichText;
use std::path::PathBuf;

/// What the trainer chose on the start screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartAction {
    New {
        task: String,
        nonce: Option<String>,
        prompt: Option<String>,
    },
    Resume(PathBuf),
    /// Record the trainer writing `file` in their own editor (the small watch window).
    Watch {
        file: PathBuf,
        task: String,
        nonce: Option<String>,
        prompt: Option<String>,
    },
    /// Record the opened challenge written in the trainer's own editor, in `file`.
    WatchForChallenge(PathBuf),
    /// Switch to the auditor's viewer to open a record.
    Audit,
    /// Open a platform challenge from a link, an id or a file.
    OpenChallenge(String),
    /// Start recording the opened challenge.
    NewForChallenge,
    /// Enrol this app's key with a platform service.
    Enrol {
        url: String,
        token: String,
    },
}

/// The platform challenge opened on the start screen, as shown to the trainer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeShown {
    pub task: String,
    pub prompt: String,
    pub deadline: String,
}

/// A challenge deadline (RFC 3339) as a trainer reads it: the UTC date and time to the
/// minute, and how long is left ("in 2 h 05 min") or that it has passed.
fn deadline_words(deadline: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(deadline) else {
        return deadline.to_owned();
    };
    let at = at.with_timezone(&chrono::Utc);
    let when = at.format("%-d %b %Y, %H:%M UTC");
    let left = (at - now).num_minutes();
    let span = |m: i64| match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m:02} min"),
    };
    if at <= now {
        format!("{when} (passed: the platform will refuse a submission)")
    } else {
        format!("{when} (in {})", span(left))
    }
}

/// The start screen's form and lists.
#[derive(Debug, Default)]
pub struct StartView {
    pub task: String,
    pub nonce: String,
    pub prompt: String,
    pub sessions: Vec<SessionInfo>,
    /// Why the last attempt to start or resume failed.
    pub error: Option<String>,
    /// A note on system-wide key capture (why it is not available), shown under the form.
    pub capture_note: Option<String>,
    /// Where the finished record is exported; the trainer may change it.
    pub out_dir: String,
    /// What the trainer pasted to open a platform challenge (link, id or file path).
    pub challenge_input: String,
    /// The opened challenge: recording starts for it.
    pub challenge: Option<ChallengeShown>,
    /// The platform enrolment in one line ("Enrolled with … as …"), or `None` when the app
    /// is not enrolled (the enrol form is shown, folded).
    pub enrolment: Option<String>,
    pub enrol_url: String,
    pub enrol_token: String,
    /// The file to watch when the trainer writes in their own editor.
    pub own_file: String,
}

impl StartView {
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<StartAction> {
        let mut action = None;
        ui.add_space(8.0);
        ui.heading(RichText::new("Handprint").size(28.0).strong());
        ui.label("Records how your response is written, so you can show it is your own work.");
        ui.add_space(12.0);
        if let Some(a) = self.platform_ui(ui) {
            return Some(a);
        }
        if self.challenge.is_some() {
            return self.after_form(ui, None);
        }
        egui::Grid::new("start-form").num_columns(2).spacing([12.0, 10.0]).show(ui, |ui| {
            field(ui, "Task id", &mut self.task, "from the task page, e.g. T-1234");
            ui.end_row();
            field(
                ui,
                "Nonce (optional)",
                &mut self.nonce,
                "challenge code, if the platform gave one",
            );
            ui.end_row();
            field(ui, "Export folder", &mut self.out_dir, "where the finished record is saved");
            ui.end_row();
            let label = ui.label("Task prompt (optional)");
            ui.add(
                egui::TextEdit::multiline(&mut self.prompt)
                    .hint_text("paste the task prompt to see it beside the editor")
                    .desired_rows(4)
                    .desired_width(460.0),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
        ui.add_space(8.0);
        let task = self.task.trim().to_owned();
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let start = ui.add_enabled(
            !task.is_empty(),
            egui::Button::new(RichText::new("Start recording").size(16.0))
                .min_size([180.0, 32.0].into()),
        );
        if start.clicked() {
            action = Some(StartAction::New {
                task: task.clone(),
                nonce: opt(&self.nonce),
                prompt: opt(&self.prompt),
            });
        }
        if let Some(file) = self.own_editor_ui(ui, !task.is_empty()) {
            action = Some(StartAction::Watch {
                file,
                task,
                nonce: opt(&self.nonce),
                prompt: opt(&self.prompt),
            });
        }
        self.after_form(ui, action)
    }

    /// The "Write in my own editor" choice: the file to watch and its button; the file's
    /// path when the trainer chose it (`ready`: the rest of the form is filled in).
    fn own_editor_ui(&mut self, ui: &mut egui::Ui, ready: bool) -> Option<PathBuf> {
        ui.add_space(8.0);
        let mut chosen = None;
        ui.horizontal(|ui| {
            let label = ui.label("Your own file");
            ui.add(
                egui::TextEdit::singleline(&mut self.own_file)
                    .hint_text("path of the file you write in your editor")
                    .desired_width(300.0),
            )
            .labelled_by(label.id);
            let file = self.own_file.trim();
            let go = egui::Button::new("Write in my own editor");
            if ui.add_enabled(ready && !file.is_empty(), go).clicked() {
                chosen = Some(PathBuf::from(file));
            }
        });
        ui.weak("Handprint shows a small recording window and records the file's changes and the keys typed in your editor.");
        chosen
    }

    /// The platform section: enrolment state and the challenge field, or the opened
    /// challenge with its prompt and the start button.
    fn platform_ui(&mut self, ui: &mut egui::Ui) -> Option<StartAction> {
        let mut action = None;
        if let Some(c) = &self.challenge {
            ui.label(RichText::new("Platform challenge").strong());
            egui::Grid::new("challenge-facts").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
                ui.label("Task");
                ui.label(RichText::new(&c.task).strong());
                ui.end_row();
                ui.label("Deadline");
                ui.label(deadline_words(&c.deadline, chrono::Utc::now()));
                ui.end_row();
            });
            ui.add_space(6.0);
            ui.label(RichText::new("Prompt").strong());
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(&c.prompt);
            });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let start = egui::Button::new(RichText::new("Start recording").size(16.0))
                    .min_size([180.0, 32.0].into());
                if ui.add(start).clicked() {
                    action = Some(StartAction::NewForChallenge);
                }
                if ui.button("Close challenge").clicked() {
                    self.challenge = None;
                }
            });
            if let Some(file) = self.own_editor_ui(ui, true) {
                action = Some(StartAction::WatchForChallenge(file));
            }
            ui.weak("The platform witnesses the session while you write; if it is unreachable, recording goes on.");
            ui.add_space(12.0);
            return action;
        }
        match &self.enrolment {
            Some(line) => {
                ui.weak(line);
                ui.horizontal(|ui| {
                    let label = ui.label("Platform challenge");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.challenge_input)
                            .hint_text("paste the challenge link, or a challenge file path")
                            .desired_width(360.0),
                    )
                    .labelled_by(label.id);
                    let open = !self.challenge_input.trim().is_empty();
                    if ui.add_enabled(open, egui::Button::new("Open challenge")).clicked() {
                        action = Some(StartAction::OpenChallenge(
                            self.challenge_input.trim().to_owned(),
                        ));
                    }
                });
            }
            None => {
                egui::CollapsingHeader::new("Enrol with a task platform").show(ui, |ui| {
                    egui::Grid::new("enrol-form").num_columns(2).spacing([12.0, 6.0]).show(
                        ui,
                        |ui| {
                            field(ui, "Platform address", &mut self.enrol_url, "https://…");
                            ui.end_row();
                            field(
                                ui,
                                "Enrolment token",
                                &mut self.enrol_token,
                                "from the platform",
                            );
                            ui.end_row();
                        },
                    );
                    let ready =
                        !self.enrol_url.trim().is_empty() && !self.enrol_token.trim().is_empty();
                    if ui.add_enabled(ready, egui::Button::new("Enrol")).clicked() {
                        action = Some(StartAction::Enrol {
                            url: self.enrol_url.trim().to_owned(),
                            token: self.enrol_token.trim().to_owned(),
                        });
                    }
                });
            }
        }
        ui.add_space(8.0);
        action
    }

    fn after_form(
        &mut self,
        ui: &mut egui::Ui,
        mut action: Option<StartAction>,
    ) -> Option<StartAction> {
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        if let Some(note) = &self.capture_note {
            ui.small(note);
        }
        ui.add_space(16.0);
        ui.separator();
        if let Some(a) = self.sessions_ui(ui) {
            action = Some(a);
        }
        ui.add_space(16.0);
        ui.separator();
        ui.label(RichText::new("Auditing a record?").strong());
        if ui.button("Open a record to audit…").clicked() {
            action = Some(StartAction::Audit);
        }
        action
    }

    fn sessions_ui(&self, ui: &mut egui::Ui) -> Option<StartAction> {
        let mut action = None;
        let interrupted: Vec<_> = self.sessions.iter().filter(|s| !s.finished).collect();
        if !interrupted.is_empty() {
            ui.label(RichText::new("Interrupted sessions").strong());
            for s in interrupted {
                ui.horizontal(|ui| {
                    if ui.button(format!("Resume {}", s.task)).clicked() {
                        action = Some(StartAction::Resume(s.path.clone()));
                    }
                    ui.weak(format!("started {}", short_time(&s.started)));
                });
            }
            ui.add_space(8.0);
        }
        ui.label(RichText::new("Recent sessions").strong());
        let finished: Vec<_> = self.sessions.iter().filter(|s| s.finished).collect();
        if finished.is_empty() {
            ui.weak("No finished sessions yet.");
        }
        for s in finished {
            ui.horizontal(|ui| {
                ui.label(&s.task);
                ui.weak(format!("{} · finished", short_time(&s.started)));
            });
        }
        action
    }
}

/// A labelled one-line field; the label names the field for screen readers and tests.
fn field(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(460.0))
        .labelled_by(label.id);
}

/// `2026-11-25T14:03:11.123456Z` → `2026-11-25 14:03 UTC`.
fn short_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod deadline_tests {
    use super::deadline_words;

    fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc)
    }

    #[test]
    fn deadline_reads_as_a_time_and_what_is_left() {
        let now = at("2026-12-04T10:21:00Z");
        assert_eq!(
            deadline_words("2026-12-04T12:26:45.000000Z", now),
            "4 Dec 2026, 12:26 UTC (in 2 h 05 min)"
        );
        assert_eq!(
            deadline_words("2026-12-04T10:40:00Z", now),
            "4 Dec 2026, 10:40 UTC (in 19 min)"
        );
        assert!(deadline_words("2026-12-04T09:00:00Z", now).contains("passed"));
        assert_eq!(deadline_words("not a time", now), "not a time");
    }
}
