//! The summary sentences and the terminal report.

use super::{Analysis, Flag, Measures, Summary};
use std::fmt::Write;

/// The one sentence on what the evidence cannot show (Condrey 2026: copy-typing and timing
/// forgery defeat timing-only classifiers; timing shows a person typed, not who originated the text).
pub const CANNOT_SHOW: &str = "Keystroke timing can show that a person typed this text here, but not who originated its ideas or wording: text copied by hand from another source can look like composing (Condrey 2026).";

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

pub(super) fn summary(m: &Measures, flags: &[Flag]) -> Summary {
    let p = &m.provenance;
    let pr = &m.process;
    let k = &m.motor;
    let mut facts = Vec::new();
    let x = &m.external_file;
    if p.final_chars == 0 {
        facts.push("The final text is empty.".to_string());
    } else if x.watched {
        // Cause `file` says where the text was seen (the saves), not how it was written: the
        // shares of the in-app editor would read "0% typed here".
        let file = p.by_cause.get("file").copied().unwrap_or(0);
        facts.push(format!(
            "The final text has {} characters; {} of them were seen in the saves of a file written in an external editor, where how each character was entered is not recorded (see the key presses below).",
            p.final_chars, file
        ));
    } else {
        facts.push(format!(
            "The final text has {} characters: {} typed here, {} pasted from outside, {} moved within the text, {} from other inputs.",
            p.final_chars, pct(p.typed_share), pct(p.paste_ext_share), pct(p.paste_int_share), pct(p.other_share)
        ));
    }
    if p.chars_produced > 0 {
        facts.push(format!(
            "{} characters were written and {} deleted on the way (product/process ratio {:.2}), with {} pauses of 2 s or more and {} revision chains.",
            p.chars_produced, p.chars_deleted, p.product_process_ratio.unwrap_or(0.0), pr.pauses.len(), pr.revisions.chains
        ));
    }
    if let Some(median) = k.interval_median_ms {
        facts.push(format!(
            "{} key presses; the median interval between keys is {median:.0} ms (typists: 104–301 ms for 90% of people).",
            k.key_presses
        ));
    } else if k.key_presses == 0 {
        facts.push("No key presses were recorded.".into());
    }
    if x.watched {
        let editor = if x.editors.is_empty() {
            "no editor identified".to_owned()
        } else {
            x.editors.join(", ")
        };
        facts.push(format!(
            "The text was written in an external editor ({editor}) and recorded at each of {} save(s): {} new characters, {} character keys pressed in the editor.",
            x.saves, x.new_chars, x.editor_keys
        ));
    }
    if flags.is_empty() {
        facts.push("No flags were raised.".into());
    } else {
        let names: Vec<String> = flags
            .iter()
            .map(|f| format!("{} ({})", f.title.to_lowercase(), f.severity.name()))
            .collect();
        facts.push(format!("{} flag(s): {}.", flags.len(), names.join("; ")));
    }
    Summary { facts, cannot_show: CANNOT_SHOW.into() }
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map_or("—".into(), |v| format!("{v:.2}{unit}"))
}

pub(super) fn to_text(a: &Analysis) -> String {
    let m = &a.measures;
    let (p, pr, k, c) = (&m.provenance, &m.process, &m.motor, &m.context);
    let mut s = String::new();
    let _ = writeln!(s, "Handprint analysis ({})\n", a.version);
    for f in &a.summary.facts {
        let _ = writeln!(s, "{f}");
    }
    let _ = writeln!(s, "{}\n", a.summary.cannot_show);
    if !a.flags.is_empty() {
        let _ = writeln!(s, "Flags");
        for f in &a.flags {
            let _ = writeln!(s, "  [{}] {} ({})", f.severity.name().to_uppercase(), f.title, f.id);
            let _ = writeln!(s, "      {}", f.reason);
            if let Some(first) = f.events.first() {
                let _ = writeln!(s, "      events: {} (first: {first})", f.events.len());
            }
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "Provenance");
    let _ = writeln!(
        s,
        "  final text          {} chars: typed {}, pasted from outside {}, moved {}, other {}",
        p.final_chars, p.typed, p.paste_ext, p.paste_int, p.other
    );
    let _ = writeln!(
        s,
        "  largest paste       {}",
        p.largest_external_paste
            .as_ref()
            .map_or("none".into(), |x| format!("{} chars (event {})", x.chars, x.seq))
    );
    let _ = writeln!(
        s,
        "  produced / deleted  {} / {} chars, product/process {}",
        p.chars_produced,
        p.chars_deleted,
        opt(p.product_process_ratio, "")
    );
    let _ = writeln!(s, "  deletions/insertion {}", opt(p.deletions_per_input_event, ""));
    if p.input_method > 0 {
        let _ = writeln!(
            s,
            "  input methods       {} chars of the final text (IME, autocorrect, completion, dictation)",
            p.input_method
        );
    }
    let _ = writeln!(s, "Process");
    let l = &pr.pauses_by_location;
    let _ = writeln!(
        s,
        "  pauses >= 2 s       {} (within word {}, between words {}, sentence {}, paragraph {}, other {}); per 100 chars {}",
        pr.pauses.len(),
        l.within_word,
        l.between_words,
        l.sentence,
        l.paragraph,
        l.other,
        opt(pr.pauses_per_100_chars, "")
    );
    let _ = writeln!(s, "  not at sentence end {}", opt(pr.not_at_sentence_end_share, ""));
    let _ = writeln!(s, "  writer threshold    {}", opt(pr.writer_threshold_ms, " ms"));
    let _ = writeln!(
        s,
        "  P-bursts / R-bursts {} (mean {} chars) / {} (mean {} chars)",
        pr.p_bursts.count,
        opt(pr.p_bursts.mean_chars, ""),
        pr.r_bursts.count,
        opt(pr.r_bursts.mean_chars, "")
    );
    let r = &pr.revisions;
    let _ = writeln!(
        s,
        "  revision chains     {} ({} corrections < 10 chars, {} revisions; {} at the end, {} in earlier text)",
        r.chains, r.corrections, r.revisions, r.at_leading_edge, r.in_earlier_text
    );
    let _ = writeln!(
        s,
        "  non-linear inserts  {}, caret jumps {}",
        opt(pr.nonlinear_insert_share, ""),
        pr.caret_jumps
    );
    let _ = writeln!(s, "Motor ({:?} keys, {:.0} ms resolution)", k.key_source, k.resolution_ms);
    let _ = writeln!(s, "  presses / releases  {} / {}", k.key_presses, k.key_releases);
    let _ = writeln!(
        s,
        "  intervals < 2 s     {}: median {}, p05 {}, p95 {}, CV {}",
        k.intervals,
        opt(k.interval_median_ms, " ms"),
        opt(k.interval_p05_ms, " ms"),
        opt(k.interval_p95_ms, " ms"),
        opt(k.interval_cv, "")
    );
    let _ = writeln!(
        s,
        "  < 30 ms share       {}; longest equal run {}; entropy {}",
        opt(k.under_30ms_share, ""),
        k.longest_equal_run,
        opt(k.timing_entropy_bits, " bits")
    );
    let _ = writeln!(
        s,
        "  holds               {}: median {}, p05 {}; rollover {}; flight median {}",
        k.holds,
        opt(k.hold_median_ms, " ms"),
        opt(k.hold_p05_ms, " ms"),
        opt(k.rollover_ratio, ""),
        opt(k.flight_median_ms, " ms")
    );
    let _ =
        writeln!(s, "  typed without keys  {} of {} chars", k.unmatched_typed_chars, k.typed_chars);
    let _ = writeln!(s, "  auto-repeats        {} (not timed)", k.auto_repeats);
    if !k.presses_by_device.is_empty() {
        let by: Vec<String> = k.presses_by_device.iter().map(|(d, n)| format!("{d} {n}")).collect();
        let _ = writeln!(
            s,
            "  presses by device   {}; typed by injected keys {} chars",
            by.join(", "),
            k.injected_typed_chars
        );
    }
    let t = &m.transcription;
    if t.judged {
        let _ = writeln!(
            s,
            "Transcription score   {:.2} nats (notice from {}, warning from {} with a strong sign)",
            t.score, t.notice_at, t.warning_at
        );
    }
    let cap = &m.capture;
    if !cap.devices.is_empty() || !cap.changes.is_empty() {
        let names: Vec<String> =
            cap.devices.iter().map(|d| format!("{} ({})", d.name, d.kind.name())).collect();
        let _ = writeln!(s, "Capture");
        let _ = writeln!(s, "  keyboards           {}", names.join(", "));
        let _ = writeln!(
            s,
            "  attached / changes  {} / {}; typed while the hook was lost {} of {} chars",
            cap.devices_added.len(),
            cap.changes.len(),
            cap.typed_while_lost,
            cap.typed_chars
        );
    }
    let _ = writeln!(s, "Context");
    let _ = writeln!(
        s,
        "  focus losses        {} ({} s away); bursts after return {}",
        c.focus_losses,
        c.focus_away_ms / 1000,
        c.focus_return_bursts.len()
    );
    let away: Vec<String> = c.away_keys.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(
        s,
        "  keys elsewhere      {}",
        if away.is_empty() { "none".into() } else { away.join(", ") }
    );
    let _ = writeln!(
        s,
        "  idle gaps >= 60 s   {} (longest {} s); privacy breaks {} ({} s)",
        c.idle_gaps,
        c.longest_idle_ms / 1000,
        c.privacy_breaks,
        c.paused_ms / 1000
    );
    let _ = writeln!(
        s,
        "  clock               {} samples, {} anomalies; recovered {} time(s); finished: {}",
        c.clock_samples,
        c.clock_anomalies.len(),
        c.recovered.len(),
        if c.finished { "yes" } else { "no" }
    );
    if !a.limits.is_empty() {
        let _ = writeln!(s, "Limits");
        for l in &a.limits {
            let _ = writeln!(s, "  - {l}");
        }
    }
    s
}
