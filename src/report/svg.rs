//! The report's charts as inline SVG: the same series the viewer plots with egui_plot.

use crate::analysis::timeline::Timeline;
use std::fmt::Write;

const W: f64 = 720.0;
const H: f64 = 200.0;
const PAD: f64 = 40.0;

/// A chart frame mapping data ranges onto the drawing area.
struct Frame {
    x_max: f64,
    y_max: f64,
}

impl Frame {
    fn new(x_max: f64, y_max: f64) -> Frame {
        Frame { x_max: x_max.max(1e-9), y_max: y_max.max(1e-9) }
    }

    fn x(&self, v: f64) -> f64 {
        PAD + v / self.x_max * (W - 2.0 * PAD)
    }

    fn y(&self, v: f64) -> f64 {
        H - PAD + -(v / self.y_max) * (H - 1.5 * PAD)
    }

    fn open(&self, title: &str, x_label: &str, y_label: &str) -> String {
        let mut s = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{title}">"##
        );
        let _ = write!(
            s,
            r##"<text x="{PAD}" y="16" font-size="13" font-weight="bold">{title}</text><line x1="{PAD}" y1="{b}" x2="{r}" y2="{b}" stroke="#888"/><line x1="{PAD}" y1="{t}" x2="{PAD}" y2="{b}" stroke="#888"/><text x="{r}" y="{lx}" font-size="11" text-anchor="end">{x_label} (max {xm})</text><text x="4" y="{t}" font-size="11">{y_label} (max {ym})</text>"##,
            b = H - PAD,
            r = W - PAD,
            t = PAD * 0.5 + 12.0,
            lx = H - PAD + 16.0,
            xm = round(self.x_max),
            ym = round(self.y_max),
        );
        s
    }

    fn polyline(&self, points: impl Iterator<Item = (f64, f64)>, colour: &str) -> String {
        let pts = points.fold(String::new(), |mut s, (x, y)| {
            let _ = write!(s, "{:.1},{:.1} ", self.x(x), self.y(y));
            s
        });
        format!(r#"<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{pts}"/>"#)
    }
}

fn round(v: f64) -> String {
    if v >= 10.0 { format!("{v:.0}") } else { format!("{v:.2}") }
}

fn secs(us: u64) -> f64 {
    us as f64 / 1e6
}

/// Characters typed (or character keys pressed, [`Timeline::speed_unit`]) per minute over the
/// session.
pub fn speed(t: &Timeline) -> String {
    let y_max = t.speed.iter().map(|s| s.chars_per_min).fold(0.0, f64::max);
    let f = Frame::new(secs(t.duration_us), y_max);
    let mut s = f.open("Typing speed", "time (s)", t.speed_unit());
    s += &f.polyline(t.speed.iter().map(|p| (secs(p.t_us), p.chars_per_min)), "#0072b2");
    s + "</svg>"
}

/// Inter-key intervals on log-scale bins.
pub fn iki(t: &Timeline) -> String {
    let n = t.iki.len().max(1) as f64;
    let y_max = t.iki.iter().map(|b| b.count).max().unwrap_or(0) as f64;
    let f = Frame::new(n, y_max);
    let mut s = f.open("Inter-key intervals (log bins)", "interval", "keys");
    for (i, b) in t.iki.iter().enumerate() {
        let (x0, x1) = (f.x(i as f64) + 1.0, f.x(i as f64 + 1.0) - 1.0);
        let (y, base) = (f.y(b.count as f64), f.y(0.0));
        let _ = write!(
            s,
            r##"<rect x="{x0:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="#009e73"><title>{:.0}–{:.0} ms: {}</title></rect>"##,
            x1 - x0,
            base - y,
            b.lo_ms,
            b.hi_ms,
            b.count
        );
        if i % 4 == 0 {
            let _ = write!(
                s,
                r#"<text x="{x0:.1}" y="{:.1}" font-size="10">{:.0} ms</text>"#,
                base + 12.0,
                b.lo_ms
            );
        }
    }
    s + "</svg>"
}

/// Product length, total produced and caret position over time, with pauses as ticks.
pub fn process(t: &Timeline) -> String {
    let y_max = t.process.iter().map(|p| p.produced.max(p.caret)).max().unwrap_or(0) as f64;
    let f = Frame::new(secs(t.duration_us), y_max);
    let mut s = f.open("Process graph", "time (s)", "chars");
    // Values change only at events: steps, not slopes between samples.
    let series = |get: fn(&crate::analysis::timeline::ProcessPoint) -> usize| {
        let mut pts = Vec::with_capacity(t.process.len() * 2 + 1);
        let mut prev = 0.0;
        for p in &t.process {
            let (x, y) = (secs(p.t_us), get(p) as f64);
            if y != prev {
                pts.extend([(x, prev), (x, y)]);
                prev = y;
            }
        }
        pts.push((secs(t.duration_us), prev));
        pts.into_iter()
    };
    s += &f.polyline(series(|p| p.produced), "#999999");
    s += &f.polyline(series(|p| p.product), "#0072b2");
    s += &f.polyline(series(|p| p.caret), "#d55e00");
    for p in &t.pauses {
        let x = f.x(secs(p.start_us));
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#cc79a7"/>"##,
            H - PAD,
            H - PAD - 6.0
        );
    }
    // The legend sits right-aligned on the title's row, clear of the y-axis label below it.
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="16" font-size="11" text-anchor="end"><tspan fill="#0072b2">■ product length</tspan> <tspan fill="#999999">■ total produced</tspan> <tspan fill="#d55e00">■ caret</tspan> <tspan fill="#cc79a7">| pause ≥ 2 s</tspan></text>"##,
        W - PAD
    );
    s + "</svg>"
}
