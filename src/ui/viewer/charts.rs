//! The charts: typing speed, inter-key interval histogram (log scale) and the process graph.
//! Clicking a chart over time moves the playhead to the clicked time.

use super::loader::Session;
use super::playhead::Playhead;
use crate::analysis::timeline::{IKI_BINS_PER_DECADE, Timeline};
use egui::Color32;
use egui_plot::{Bar, BarChart, Corner, Legend, Line, Plot, PlotPoints, Points, VLine};

const BLUE: Color32 = Color32::from_rgb(0x00, 0x72, 0xB2);
const ORANGE: Color32 = Color32::from_rgb(0xD5, 0x5E, 0x00);
const GREEN: Color32 = Color32::from_rgb(0x00, 0x9E, 0x73);
const PINK: Color32 = Color32::from_rgb(0xCC, 0x79, 0xA7);

fn secs(us: u64) -> f64 {
    us as f64 / 1e6
}

/// Draws the three charts side by side.
pub fn ui(ui: &mut egui::Ui, session: &Session, playhead: &mut Playhead) {
    let t = &session.timeline;
    let now = secs(playhead.t_us);
    let mut clicked_at = None;
    ui.columns(3, |cols| {
        clicked_at = clicked_at.or(process_graph(&mut cols[0], t, now));
        clicked_at = clicked_at.or(speed(&mut cols[1], t, now));
        iki_histogram(&mut cols[2], t);
    });
    if let Some(x) = clicked_at {
        playhead.playing = false;
        playhead.seek_time(session.replay.entries(), (x.max(0.0) * 1e6) as u64);
    }
}

fn time_plot(id: &str) -> Plot<'static> {
    Plot::new(id.to_owned())
        .height(170.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_label("time (s)")
        .legend(Legend::default().position(Corner::LeftTop))
}

/// Shows `plot`, returning the clicked x coordinate.
fn clickable(
    ui: &mut egui::Ui,
    plot: Plot<'_>,
    draw: impl FnOnce(&mut egui_plot::PlotUi<'_>),
) -> Option<f64> {
    let r = plot.show(ui, |p| {
        draw(p);
        p.pointer_coordinate()
    });
    r.response.clicked().then_some(r.inner).flatten().map(|p| p.x)
}

fn process_graph(ui: &mut egui::Ui, t: &Timeline, now: f64) -> Option<f64> {
    ui.label("Process graph");
    // Values change only at events: draw steps, not slopes between samples.
    let series =
        |get: fn(&crate::analysis::timeline::ProcessPoint) -> usize| -> PlotPoints<'static> {
            let mut pts = Vec::with_capacity(t.process.len() * 2);
            let mut prev = 0.0;
            for p in &t.process {
                let (x, y) = (secs(p.t_us), get(p) as f64);
                if y != prev {
                    pts.extend([[x, prev], [x, y]]);
                    prev = y;
                }
            }
            pts.push([secs(t.duration_us), prev]);
            pts.dedup();
            pts.into()
        };
    clickable(ui, time_plot("process graph").y_axis_label("chars"), |p| {
        p.line(step_line("total produced", series(|p| p.produced), Color32::GRAY));
        p.line(step_line("product length", series(|p| p.product), BLUE));
        p.line(step_line("caret position", series(|p| p.caret), ORANGE));
        let pauses: PlotPoints = t.pauses.iter().map(|q| [secs(q.start_us), 0.0]).collect();
        p.points(Points::new("pause ≥ 2 s", pauses).color(PINK).radius(2.5));
        p.vline(VLine::new("playhead", now).color(Color32::BLACK));
    })
}

/// A line drawn point to point. egui_plot otherwise merges points that share a pixel
/// column into a filled band, which turns the steps of a long pause into a solid wedge.
fn step_line(name: &str, points: PlotPoints<'static>, colour: Color32) -> Line<'static> {
    Line::new(name, points).color(colour).allow_band(false)
}

fn speed(ui: &mut egui::Ui, t: &Timeline, now: f64) -> Option<f64> {
    ui.label("Typing speed");
    let pts: PlotPoints = t.speed.iter().map(|s| [secs(s.t_us), s.chars_per_min]).collect();
    clickable(ui, time_plot("typing speed").y_axis_label(t.speed_unit()), |p| {
        p.line(Line::new(t.speed_unit(), pts).color(BLUE).fill(0.0));
        p.vline(VLine::new("playhead", now).color(Color32::BLACK));
    })
}

/// Bars on a log10 axis of milliseconds: bin `k` spans `log10(lo)` to `log10(hi)`.
fn iki_histogram(ui: &mut egui::Ui, t: &Timeline) {
    ui.label("Inter-key intervals (log scale)");
    let width = 1.0 / IKI_BINS_PER_DECADE as f64;
    let bars = t
        .iki
        .iter()
        .map(|b| {
            Bar::new(b.lo_ms.log10() + width / 2.0, b.count as f64)
                .width(width * 0.9)
                .fill(GREEN)
                .name(format!("{:.0}–{:.0} ms", b.lo_ms, b.hi_ms))
        })
        .collect();
    Plot::new("inter-key intervals")
        .height(170.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("interval (ms, log)")
        .y_axis_label("keys")
        .x_axis_formatter(|mark, _| format!("{:.0}", 10f64.powf(mark.value)))
        .show(ui, |p| p.bar_chart(BarChart::new("intervals", bars).color(GREEN)));
}
