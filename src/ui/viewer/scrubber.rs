//! The timeline scrubber with its markers, and the transport controls under it.

use super::loader::Session;
use super::playhead::{Playhead, SPEEDS};
use crate::analysis::timeline::MarkerKind;
use crate::report::duration;
use egui::{Color32, Sense, Stroke, pos2, vec2};

/// Marker colours on the scrubber (Okabe & Ito 2008 palette, as the text origins).
fn marker_colour(kind: MarkerKind) -> Color32 {
    match kind {
        MarkerKind::PasteExt => Color32::from_rgb(0xD5, 0x5E, 0x00),
        MarkerKind::PasteInt => Color32::from_rgb(0x00, 0x72, 0xB2),
        MarkerKind::FocusLost | MarkerKind::LeftEditor => Color32::from_rgb(0xE6, 0x9F, 0x00),
        MarkerKind::LongPause => Color32::from_rgb(0xCC, 0x79, 0xA7),
        MarkerKind::Checkpoint => Color32::from_rgb(0x00, 0x9E, 0x73),
        MarkerKind::Receipt => Color32::from_rgb(0x56, 0xB4, 0xE9),
        MarkerKind::Break
        | MarkerKind::Recovered
        | MarkerKind::CaptureLost
        | MarkerKind::FileChanged => Color32::from_gray(90),
    }
}

const FLAG_COLOUR: Color32 = Color32::from_rgb(0xC6, 0x28, 0x28);

/// What the transport asked for this frame, beyond changing the playhead directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jump {
    PreviousFlag,
    NextFlag,
}

/// Draws the scrubber and transport; moves `playhead`; returns a flag jump if one was asked.
pub fn ui(ui: &mut egui::Ui, session: &Session, playhead: &mut Playhead) -> Option<Jump> {
    let entries = session.replay.entries();
    scrubber(ui, session, playhead);
    let mut jump = None;
    ui.horizontal(|ui| {
        if ui.button("<< previous flag").clicked() {
            jump = Some(Jump::PreviousFlag);
        }
        if ui.button("< step").clicked() {
            playhead.step(entries, false);
        }
        let play = if playhead.playing { "pause" } else { "play" };
        if ui.button(play).clicked() {
            if !playhead.playing && playhead.at_end(entries) {
                playhead.seek_event(entries, 0);
            }
            playhead.playing = !playhead.playing;
        }
        if ui.button("step >").clicked() {
            playhead.step(entries, true);
        }
        if ui.button("next flag >>").clicked() {
            jump = Some(Jump::NextFlag);
        }
        egui::ComboBox::from_label("speed").selected_text(format!("{}×", playhead.speed)).show_ui(
            ui,
            |ui| {
                for s in SPEEDS {
                    ui.selectable_value(&mut playhead.speed, s, format!("{s}×"));
                }
            },
        );
        ui.checkbox(&mut playhead.skip_idle, "skip idle gaps");
        ui.separator();
        ui.label(format!(
            "{} / {} · event {} of {}",
            duration(playhead.t_us),
            duration(session.timeline.duration_us),
            playhead.applied,
            entries.len()
        ));
    });
    ui.horizontal_wrapped(|ui| {
        for kind in [
            MarkerKind::PasteExt,
            MarkerKind::PasteInt,
            MarkerKind::FocusLost,
            MarkerKind::LongPause,
            MarkerKind::Checkpoint,
            MarkerKind::Break,
            MarkerKind::LeftEditor,
            MarkerKind::FileChanged,
        ] {
            let n = session.timeline.markers_of(kind).count();
            // The own-editor kinds only where the session was written in one.
            let watched = matches!(kind, MarkerKind::LeftEditor | MarkerKind::FileChanged);
            if watched && n == 0 {
                continue;
            }
            ui.label(
                egui::RichText::new(format!("| {} ({n})", kind.label())).color(marker_colour(kind)),
            );
        }
        ui.label(
            egui::RichText::new(format!("analysis flags ({})", session.findings.len()))
                .color(FLAG_COLOUR),
        );
    });
    jump
}

/// The bar itself: markers as ticks, flags as triangles, the playhead as a line. Click or
/// drag anywhere to move the playhead there.
fn scrubber(ui: &mut egui::Ui, session: &Session, playhead: &mut Playhead) {
    let entries = session.replay.entries();
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), 34.0), Sense::click_and_drag());
    let response = response.on_hover_text("timeline: click or drag to move the playhead");
    let span = session.timeline.duration_us.max(1) as f64;
    let x_of = |t_us: u64| rect.left() + (t_us as f64 / span) as f32 * rect.width();
    if let Some(pos) = response
        .interact_pointer_pos()
        .filter(|_| response.is_pointer_button_down_on() || response.clicked())
    {
        let t = ((pos.x - rect.left()) / rect.width()).clamp(0.0, 1.0) as f64 * span;
        playhead.playing = false;
        playhead.seek_time(entries, t as u64);
    }
    let painter = ui.painter_at(rect);
    let bar = rect.shrink2(vec2(0.0, 10.0));
    painter.rect_filled(bar, 3.0, Color32::from_gray(225));
    for m in &session.timeline.markers {
        let x = x_of(m.t_us);
        painter.line_segment(
            [pos2(x, bar.top()), pos2(x, bar.bottom())],
            Stroke::new(1.5, marker_colour(m.kind)),
        );
    }
    for f in &session.findings {
        if let Some(&seq) = f.events.first()
            && let Some(r) = entries.get(seq as usize)
        {
            let x = x_of(r.t_us);
            let top = rect.top();
            painter.add(egui::Shape::convex_polygon(
                vec![pos2(x - 5.0, top), pos2(x + 5.0, top), pos2(x, top + 9.0)],
                FLAG_COLOUR,
                Stroke::NONE,
            ));
        }
    }
    let x = x_of(playhead.t_us);
    painter.line_segment(
        [pos2(x, rect.top()), pos2(x, rect.bottom())],
        Stroke::new(2.5, Color32::BLACK),
    );
}
