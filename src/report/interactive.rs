//! The interactive replay in the HTML report: the journal's own events embedded as JSON and
//! replayed by a small inline script (page/replay.js) — the text at the playhead coloured by
//! origin, a scrubber with the timeline's markers and the analysis flags, play at 1–64×
//! with idle gaps skipped, step, and next/previous flag: the desktop viewer's behaviour
//! (src/ui/viewer/playhead.rs), in any browser and without network access.

use super::Flag;
use crate::analysis::timeline::{Marker, MarkerKind, PAUSE_US};
use crate::event::Entry;
use serde::Serialize;
use std::fmt::Write;

/// The replay script, inlined so the page stays one self-contained file.
pub const SCRIPT: &str = include_str!("page/replay.js");
/// Its styles.
pub const CSS: &str = include_str!("page/replay.css");

/// Playback speeds offered (the viewer's, src/ui/viewer/playhead.rs).
pub const SPEEDS: [u32; 7] = [1, 2, 4, 8, 16, 32, 64];

/// What the page adds around the report.
#[derive(Debug, Default, Clone, Copy)]
pub struct PageExtras<'a> {
    /// The events to replay; `None` leaves the report static.
    pub entries: Option<&'a [Entry]>,
    /// A Content-Security-Policy nonce for the inline script (the review service sends one).
    pub nonce: Option<&'a str>,
    /// Trusted HTML at the top of the body (the review service's navigation).
    pub header: Option<&'a str>,
    /// Trusted HTML after the verdict (the review service's decision form).
    pub after_verdict: Option<&'a str>,
}

/// The stable name of a marker kind, used as its CSS class.
pub fn marker_name(kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::PasteExt => "paste_ext",
        MarkerKind::PasteInt => "paste_int",
        MarkerKind::FocusLost => "focus_lost",
        MarkerKind::LongPause => "long_pause",
        MarkerKind::Checkpoint => "checkpoint",
        MarkerKind::Break => "break",
        MarkerKind::Recovered => "recovered",
        MarkerKind::Receipt => "receipt",
        MarkerKind::CaptureLost => "capture_lost",
        MarkerKind::LeftEditor => "left_editor",
        MarkerKind::FileChanged => "file_changed",
    }
}

#[derive(Serialize)]
struct Data<'a> {
    events: &'a [Entry],
    pause_us: u64,
    markers: Vec<MarkerJson>,
    flags: Vec<FlagJson<'a>>,
    /// Edits whose text is marked: those of saves flagged `unexplained_insertion`.
    flagged_saves: Vec<u64>,
}

#[derive(Serialize)]
struct MarkerJson {
    s: u64,
    kind: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct FlagJson<'a> {
    title: &'a str,
    severity: &'static str,
    reason: &'a str,
    events: &'a [u64],
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` are written as `\u003c`
/// and so on (they only occur inside JSON strings, where the escape means the same), so no
/// text from a record can close the element (`</script>`) or open a comment (`<!--`).
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Appends the replay section: controls, the text, the data and the script.
pub fn replay_section(
    h: &mut String,
    entries: &[Entry],
    markers: &[Marker],
    flags: &[Flag],
    nonce: Option<&str>,
) {
    // A marker for every checkpoint would hide the rest on a long session; checkpoints are
    // in the verdict's chain check instead.
    let markers = markers
        .iter()
        .filter(|m| m.kind != MarkerKind::Checkpoint)
        .map(|m| MarkerJson { s: m.seq, kind: marker_name(m.kind), label: m.kind.label() })
        .collect();
    let mut flagged_saves: Vec<u64> = super::flagged_save_edits(flags).into_iter().collect();
    flagged_saves.sort_unstable();
    let flagged_legend = if flagged_saves.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"o-flagged\">{}</span>", super::FLAGGED_SAVE_LABEL)
    };
    let flags = flags
        .iter()
        .map(|f| FlagJson {
            title: &f.title,
            severity: f.severity.name(),
            reason: &f.reason,
            events: &f.events,
        })
        .collect();
    let data = Data { events: entries, pause_us: PAUSE_US, markers, flags, flagged_saves };
    let nonce = nonce.map(|n| format!(" nonce=\"{}\"", super::escape(n))).unwrap_or_default();
    h.push_str(
        "<h2>Replay</h2><div class=\"replay\" id=\"hp-replay\"><div class=\"controls\">\
         <button id=\"hp-play\" type=\"button\">▶ Play</button>\
         <button id=\"hp-back\" type=\"button\" title=\"one event back\">◀ step</button>\
         <button id=\"hp-fwd\" type=\"button\" title=\"one event forward\">step ▶</button>\
         <button id=\"hp-prev-flag\" type=\"button\">⚑ previous flag</button>\
         <button id=\"hp-next-flag\" type=\"button\">next flag ⚑</button>\
         <label>speed <select id=\"hp-speed\">",
    );
    for s in SPEEDS {
        let _ = write!(h, "<option value=\"{s}\">{s}×</option>");
    }
    h.push_str(
        "</select></label><label><input type=\"checkbox\" id=\"hp-skip\" checked> skip idle gaps</label>\
         <span id=\"hp-pos\"></span></div>\
         <div class=\"scrubwrap\"><div id=\"hp-marks\"></div>\
         <input type=\"range\" id=\"hp-scrub\" min=\"0\" max=\"0\" value=\"0\" step=\"1\" aria-label=\"playhead\"></div>\
         <p id=\"hp-now\"></p><p class=\"legend\">\
         <span class=\"o-typed\">■ typed here</span> <span class=\"o-pasted\">■ pasted from outside</span> \
         <span class=\"o-moved\">■ moved within the text</span> <span class=\"o-other\">■ other</span>",
    );
    h.push_str(&flagged_legend);
    h.push_str("</p><div id=\"hp-text\"></div></div>");
    let _ = write!(
        h,
        "<script type=\"application/json\" id=\"hp-replay-data\">{}</script><script{nonce}>{SCRIPT}</script>",
        script_json(&data)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let s = script_json(&serde_json::json!({ "i": "</script><script>alert(1)</script><!--&" }));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["i"], "</script><script>alert(1)</script><!--&");
    }
}
