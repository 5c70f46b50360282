//! Flags: findings that deserve an auditor's attention, each with a severity, a reason in
//! plain words with the measured numbers and the human reference range, the innocent
//! explanations that exist, and the events that support it.
//!
//! Thresholds come from published human data (docs/ANALYSIS.md cites each); the margins
//! below those ranges are deliberately wide because a false accusation harms a real person.
//! Every flag states the minimum amount of data it needs and is not raised below it.

use super::context::burst_rate;
use super::{Flag, Measures, Severity};

/// Key intervals needed before timing is compared with human ranges. The human figures are
/// per-participant statistics over hundreds of keys (Dhakal et al. 2018); below 100 a CV or a
/// share is too noisy to call anything unusual.
pub const MIN_INTERVALS: usize = 100;
/// Characters produced before the process is compared with the student-essay figures
/// (their p05 is 658 characters produced).
pub const MIN_PRODUCED: usize = 500;

/// Human reference figures (REFERENCES: Dhakal et al. 2018 sub-sample; student essays).
const HUMAN_CV_P05: f64 = 0.58;
const ESSAY_CV_P05: f64 = 0.77;
const HUMAN_FAST_P95: f64 = 0.009;
const HUMAN_HOLD_MEDIAN_P05: f64 = 72.0;
const HUMAN_ROLLOVER_P05: f64 = 0.03;
const SCRIPTED_MEDIAN_MS: f64 = 7.9;

/// Turnitin Clarity: pasted text > 50% of the final text, or > 40% of added words.
const PASTE_FINAL_SHARE: f64 = 0.5;
const PASTE_ADDED_SHARE: f64 = 0.4;

fn flag(id: &str, severity: Severity, title: &str, reason: String, events: Vec<u64>) -> Flag {
    Flag { id: id.into(), severity, title: title.into(), reason, events }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

pub(super) fn raise(m: &Measures, limits: &mut Vec<String>) -> Vec<Flag> {
    let mut flags = Vec::new();
    pastes(m, &mut flags);
    input_methods(m, &mut flags);
    devices(m, &mut flags);
    capture_lost(m, &mut flags, limits);
    injected(m, &mut flags);
    timing(m, &mut flags, limits);
    holds(m, &mut flags);
    transcription(m, &mut flags, limits);
    context(m, &mut flags);
    external_file(m, &mut flags, limits);
    flags
}

fn pastes(m: &Measures, flags: &mut Vec<Flag>) {
    let p = &m.provenance;
    if p.external_paste_count == 0 {
        return;
    }
    let events: Vec<u64> = p.external_pastes.iter().map(|x| x.seq).collect();
    let largest = p.largest_external_paste.as_ref().map_or(0, |x| x.chars);
    let pasted: usize = p.external_pastes.iter().map(|x| x.chars).sum();
    let added_share = pasted as f64 / p.chars_produced.max(1) as f64;
    let facts = format!(
        "{} of the final text ({} of {} characters) was pasted from outside the session, in {} paste(s); the largest paste inserted {} characters.",
        pct(p.paste_ext_share),
        p.paste_ext,
        p.final_chars,
        p.external_paste_count,
        largest
    );
    let innocent = "Pasting is not misconduct by itself: quotations, the task's own wording, or the writer's notes from elsewhere are common reasons.";
    if p.paste_ext_share > PASTE_FINAL_SHARE {
        flags.push(flag(
            "large_external_paste",
            Severity::Warning,
            "Most of the text was pasted from outside",
            format!(
                "{facts} Turnitin Clarity flags pasted text above 50% of the final text. {innocent}"
            ),
            events,
        ));
    } else if added_share > PASTE_ADDED_SHARE {
        flags.push(flag("large_external_paste", Severity::Notice, "Much of the added text was pasted from outside",
            format!("{facts} Pastes make up {} of all characters added (Turnitin Clarity flags more than 40% of added words). {innocent}", pct(added_share)), events));
    } else {
        flags.push(flag(
            "external_paste",
            Severity::Info,
            "Text was pasted from outside",
            format!("{facts} {innocent}"),
            events,
        ));
    }
}

/// Input methods are how many people write (spell-check, autocorrect, completion, IME,
/// dictation, which accessibility users rely on): reported as a fact, at Info, never as typing
/// without keys (REFERENCES: Grammarly's labelling of voice typing as pasted text is a known
/// source of false accusations).
fn input_methods(m: &Measures, flags: &mut Vec<Flag>) {
    let p = &m.provenance;
    if p.input_method == 0 {
        return;
    }
    flags.push(flag("input_methods", Severity::Info, "Some text came from input methods",
        format!("{} of the final text ({} characters) was inserted or replaced a word or phrase at a time by an input method: spell-check, autocorrect, word completion, an IME or dictation. These are ordinary ways of writing, not signs of injection, and are not counted as typing without keys.",
            pct(p.input_method_share), p.input_method), Vec::new()));
}

/// Typed characters from one device kind that make a flag: at least 20 and 5% of the typed
/// text, so a few characters from an on-screen keyboard (a symbol the layout lacks) do not.
const DEVICE_MIN_CHARS: usize = 20;
const DEVICE_MIN_SHARE: f64 = 0.05;

fn device_share(chars: usize, typed: usize) -> Option<f64> {
    let share = chars as f64 / typed.max(1) as f64;
    (chars >= DEVICE_MIN_CHARS && share >= DEVICE_MIN_SHARE).then_some(share)
}

/// Injected keys and keyboards attached mid-session, from the device of origin of each
/// press (X11 XInput2).
fn devices(m: &Measures, flags: &mut Vec<Flag>) {
    let k = &m.motor;
    let list = |kind: crate::event::KeyDevice| {
        let names: Vec<&str> = m
            .capture
            .devices
            .iter()
            .chain(m.capture.devices_added.iter().map(|d| &d.device))
            .filter(|d| d.kind == kind)
            .map(|d| d.name.as_str())
            .collect();
        if names.is_empty() { "an unnamed device".to_string() } else { names.join(", ") }
    };
    if let Some(share) = device_share(k.injected_typed_chars, k.typed_chars) {
        flags.push(flag("injected_input", Severity::Strong, "Typed text came from injected key presses",
            format!("{} of {} typed characters ({}) were typed by key presses that the X server received through its XTEST extension ({}), not from a keyboard device. Auto-typers (xdotool, pynput and most others) inject keys this way. Injected is a fact about the path the keys took, not about who pressed them: the x11vnc remote-desktop server and on-screen keyboards such as Onboard and Florence also inject keys through XTEST, so a platform's policy on remote desktops and accessibility tools decides what this means.",
                k.injected_typed_chars, k.typed_chars, pct(share), list(crate::event::KeyDevice::Xtest)),
            k.injected_seqs.clone()));
    }
    if let Some(share) = device_share(k.added_device_typed_chars, k.typed_chars) {
        let first = m.capture.devices_added.first().map(|d| d.seq);
        flags.push(flag("new_keyboard", Severity::Warning, "Typed text came from a keyboard attached during the session",
            format!("{} of {} typed characters ({}) were typed on a keyboard device attached while the session was recording ({}). Plugging in a keyboard is ordinary; a hardware device that presents itself as a keyboard and types for the writer (a USB keyboard emulator) looks the same to the computer. It is the path that device checks cannot close; the key timing analysis still applies to it.",
                k.added_device_typed_chars, k.typed_chars, pct(share), list(crate::event::KeyDevice::Added)),
            first.into_iter().chain(k.added_device_seqs.iter().copied()).collect()));
    }
}

/// The hook lost keys the editor received: severity grows with the share of the typed text
/// typed while it was lost (under 10% notice, under 50% warning, else strong).
fn capture_lost(m: &Measures, flags: &mut Vec<Flag>, limits: &mut Vec<String>) {
    use crate::event::CaptureChange;
    let c = &m.capture;
    for l in c.changes.iter().filter(|x| x.what == CaptureChange::Limited) {
        limits.push(format!("Key capture was limited: {}", l.why));
    }
    let share = c.typed_while_lost as f64 / c.typed_chars.max(1) as f64;
    let no_device: Vec<u64> =
        c.changes.iter().filter(|x| x.what == CaptureChange::NoDevice).map(|x| x.seq).collect();
    if !no_device.is_empty() {
        flags.push(flag("keys_without_device", Severity::Strong, "Keys arrived that no input device produced",
            format!("{} time(s) the editor received a run of key presses that neither the system-wide hook nor the device reader (XInput2) saw any keyboard, or the XTEST injection path, produce; {} of {} typed characters ({}) were typed from then on until the hook reported keys again. Keys a person types always come from an input device; keys a program sends straight to a window (X SendEvent, as pynput and `xdotool type --window` do) do not. Innocent explanation: both capture paths failing at once.",
                no_device.len(), c.typed_while_lost, c.typed_chars, pct(share)),
            no_device));
        return;
    }
    let lost: Vec<u64> =
        c.changes.iter().filter(|x| x.what == CaptureChange::Lost).map(|x| x.seq).collect();
    if lost.is_empty() {
        return;
    }
    let severity = if share >= 0.5 {
        Severity::Strong
    } else if share >= 0.1 {
        Severity::Warning
    } else {
        Severity::Notice
    };
    flags.push(flag("os_capture_lost", severity, "The system-wide key capture lost keys",
        format!("{} time(s) the editor received key presses or typed text that the system-wide hook did not report; {} of {} typed characters ({}) were typed while it was lost. The record keeps the editor's own key events for that time (frame-quantised), and key timing is measured from them, but where each key came from and its precise timing are missing. Innocent explanations: a desktop or security tool that blocks global key hooks, or a hook failure; a program that injects keys in a way the hook cannot see produces the same record.",
            lost.len(), c.typed_while_lost, c.typed_chars, pct(share)),
        lost));
}

fn injected(m: &Measures, flags: &mut Vec<Flag>) {
    let k = &m.motor;
    if k.typed_chars == 0 || k.unmatched_typed_chars < 20 {
        return;
    }
    let share = k.unmatched_typed_chars as f64 / k.typed_chars as f64;
    if share < 0.05 {
        return;
    }
    let severity = if share >= 0.5 && k.unmatched_typed_chars >= 100 {
        Severity::Strong
    } else {
        Severity::Warning
    };
    flags.push(flag("text_without_keys", severity, "Typed text without matching key presses",
        format!("{} of {} typed characters ({}) appeared with no character-key press in the 2 s before them. A person typing at this keyboard produces a key press for every character; text inserted by a program (an auto-typer or injected input) does not. Input methods (IME, spell-check, autocorrect, completion, dictation) are recorded as such and not counted here. Innocent explanations: an on-screen keyboard or accessibility software that types for the writer, or a key-capture failure.",
            k.unmatched_typed_chars, k.typed_chars, pct(share)), k.unmatched_seqs.clone()));
}

fn timing(m: &Measures, flags: &mut Vec<Flag>, limits: &mut Vec<String>) {
    let k = &m.motor;
    if k.intervals < MIN_INTERVALS {
        if k.key_presses > 0 {
            limits.push(format!("Only {} key intervals under 2 s (at least {MIN_INTERVALS} are needed): key timing is reported but not compared with human ranges.", k.intervals));
        }
        return;
    }
    let run_events: Vec<u64> = k.longest_equal_run_seq.into_iter().collect();
    if let Some(median) = k.interval_median_ms.filter(|&v| v < super::motor::FAST_MS) {
        flags.push(flag("superhuman_speed", Severity::Strong, "Keys pressed faster than people type",
            format!("The median interval between key presses is {median:.1} ms over {} intervals. Among 1,160 typists the lowest 5% had a median of 104 ms; scripted input in one benchmark had a median of {SCRIPTED_MEDIAN_MS} ms. No innocent typing explanation is known; a keyboard macro or a capture fault could produce it.", k.intervals),
            run_events.clone()));
    } else if let Some(share) = k.under_30ms_share {
        let limit = if k.key_source == super::TimingSource::App { 0.10 } else { 0.05 };
        if share > limit {
            flags.push(flag("superhuman_speed", Severity::Warning, "Many key presses closer than 30 ms",
                format!("{} of {} key intervals are under 30 ms; among 1,160 typists 95% had at most {}. Flagged above {} (wider for app-window keys, whose times are frame-quantised). Innocent explanations: very fast rollover typing of common letter pairs, or a keyboard that sends keys in batches.",
                    pct(share), k.intervals, pct(HUMAN_FAST_P95), pct(limit)), run_events.clone()));
        }
    }
    let cv = k.interval_cv.unwrap_or(1.0);
    let run = k.longest_equal_run;
    let severity = if (cv < 0.25 || run >= 20) && k.intervals >= 2 * MIN_INTERVALS {
        Some(Severity::Strong)
    } else if cv < 0.35 || run >= 10 {
        Some(Severity::Warning)
    } else {
        None
    };
    if let Some(severity) = severity {
        flags.push(flag("machine_regular_timing", severity, "Key timing is machine-regular",
            format!("Over {} key intervals under 2 s the coefficient of variation is {cv:.2} and the longest run of equal intervals (at {:.0} ms resolution) is {run}. People vary far more: the lowest 5% of 1,160 typists copying sentences had a CV of {HUMAN_CV_P05}, and of 160 students composing essays {ESSAY_CV_P05}; runs of 10 equal intervals do not occur in human typing at this resolution. Flagged at CV below 0.35 or runs of 10 or more. Innocent explanations: holding a key down (auto-repeat is excluded, but a stuck key is not) or a capture fault.",
                k.intervals, k.resolution_ms), run_events));
    }
    if let Some(r) =
        k.rollover_ratio.filter(|&r| r < HUMAN_ROLLOVER_P05 / 3.0 && k.holds >= MIN_INTERVALS)
    {
        flags.push(flag("no_rollover", Severity::Notice, "Keys never overlap",
            format!("In {} of {} consecutive key pairs ({}) the next key went down before the previous one was released. Most typists overlap keys: the lowest 5% of 1,160 typists had a rollover ratio of {HUMAN_ROLLOVER_P05}, scripted input has none. Innocent explanations: slow, deliberate or two-finger typing.",
                (r * k.intervals as f64).round(), k.intervals, pct(r)), Vec::new()));
    }
}

fn holds(m: &Measures, flags: &mut Vec<Flag>) {
    let k = &m.motor;
    if k.key_presses >= MIN_INTERVALS && k.key_releases == 0 {
        flags.push(flag("missing_key_releases", Severity::Notice, "Key presses without releases",
            format!("{} key presses were recorded and no key release. Physical keys are always released; programs that inject key presses sometimes omit releases. Innocent explanations: a capture back-end or remote-desktop link that does not report releases.", k.key_presses), Vec::new()));
        return;
    }
    if k.holds < MIN_INTERVALS {
        return;
    }
    let median = k.hold_median_ms.unwrap_or(0.0);
    let mode = k.hold_mode_share.unwrap_or(0.0);
    if median < 20.0 {
        flags.push(flag("implausible_key_holds", Severity::Strong, "Keys released almost instantly",
            format!("The median key hold is {median:.1} ms over {} keys. Among 1,160 typists the lowest 5% had a median hold of {HUMAN_HOLD_MEDIAN_P05} ms and 99% of all holds were longer than 40 ms; scripted input in one benchmark held keys for a median 7.8 ms. Innocent explanations: a capture fault that stamps release and press together.", k.holds), Vec::new()));
    } else if mode >= 0.8 {
        flags.push(flag("implausible_key_holds", Severity::Warning, "Key holds are constant",
            format!("{} of {} key holds fall in the same {:.0} ms bin (median {median:.1} ms). Human holds vary from key to key (typically 88–119 ms between quartiles of typists, 46–90 ms at their 5th percentile); a constant hold is typical of programs that press and release keys. Innocent explanations: a capture fault.",
                pct(mode), k.holds, k.resolution_ms), Vec::new()));
    }
}

fn transcription(m: &Measures, flags: &mut Vec<Flag>, limits: &mut Vec<String>) {
    let t = &m.transcription;
    if m.external_file.watched {
        limits.push("The text was written in an external editor and is seen only at each save: pauses, revisions and where text was inserted between saves are out of sight, so the process is not compared with composing and copying.".into());
        return;
    }
    if !t.judged {
        limits.push(format!("Only {} characters were produced (at least {MIN_PRODUCED} are needed): the writing process is reported but not compared with composing and copying.", m.provenance.chars_produced));
        return;
    }
    let Some(severity) = t.severity() else {
        return;
    };
    flags.push(flag("transcription_like", severity, "The process looks like copying rather than composing",
        format!("{}. Each weight is how much more often copyists than composers show the sign in the published data (the student-essay log; Dhakal et al. 2018), following the features Crossley et al. (2024) found to separate authentic from transcribed essays: composing shows more pauses before words, more and longer insertions, more deletions and revisions. Innocent explanations: writing out a draft or outline made on paper, a short and familiar task, or a writer who plans everything before typing.",
            t.explain()), t.events.clone()));
}

fn context(m: &Measures, flags: &mut Vec<Flag>) {
    let c = &m.context;
    let bursts: Vec<_> = c.focus_return_bursts.iter().filter(|b| b.unrevised).collect();
    if bursts.len() >= 3 {
        let chars: usize = bursts.iter().map(|b| b.chars).sum();
        let fastest = bursts.iter().map(|b| burst_rate(b)).fold(0.0, f64::max);
        flags.push(flag("focus_return_bursts", Severity::Notice, "Typing bursts right after returning to the window",
            format!("{} times the writer returned to the Handprint window and typed a burst of at least 30 characters without deleting anything ({chars} characters in all; fastest {fastest:.1} characters/s). Looking elsewhere and then typing fluently is how text is copied from another screen. Innocent explanations: checking notes, sources or the task and then writing one's own sentence.", bursts.len()),
            bursts.iter().map(|b| b.seq).collect()));
    }
    let back: Vec<_> = c.clock_anomalies.iter().filter(|a| a.jump_ms < 0).collect();
    if !back.is_empty() {
        flags.push(flag("clock_set_back", Severity::Warning, "The wall clock was set back during the session",
            format!("{} time(s) the computer's clock moved back against the session's steady clock (largest {} s). The recorded wall-clock times around them cannot be trusted. Innocent explanations: a time-zone or time-server correction on a badly set clock.", back.len(), back.iter().map(|a| -a.jump_ms).max().unwrap_or(0) / 1000),
            back.iter().map(|a| a.seq).collect()));
    }
    let ahead: Vec<_> = c.clock_anomalies.iter().filter(|a| a.jump_ms > 0).collect();
    if !ahead.is_empty() {
        flags.push(flag("clock_jumped_ahead", Severity::Info, "The wall clock jumped ahead",
            format!("{} time(s) the computer's clock moved ahead of the session's steady clock (largest {} s). The usual reason is that the computer slept; a clock set forward by hand looks the same.", ahead.len(), ahead.iter().map(|a| a.jump_ms).max().unwrap_or(0) / 1000),
            ahead.iter().map(|a| a.seq).collect()));
    }
    if !c.recovered.is_empty() {
        flags.push(flag("recovered_session", Severity::Info, "The session was recovered after a crash",
            format!("The recording was reopened {} time(s) after the app stopped abnormally; {} bytes of a torn last line were dropped. Events up to each recovery are intact (the chain was re-verified).", c.recovered.len(), c.recovered_dropped_bytes),
            c.recovered.clone()));
    }
    let away_chars = c.away_keys.get("char").copied().unwrap_or(0);
    if away_chars >= 100 {
        flags.push(flag("typing_in_other_apps", Severity::Info, "Typing in other applications during the session",
            format!("{away_chars} character keys were typed in other applications while the session ran (only counts are recorded, never the keys). Writing or searching elsewhere is common and not wrong by itself."),
            Vec::new()));
    }
}

/// Text written in an external editor: saves whose new text the editor's key presses do not
/// account for (docs/ANALYSIS.md, `unexplained_insertion`), and the content the file had
/// before the session.
fn external_file(m: &Measures, flags: &mut Vec<Flag>, limits: &mut Vec<String>) {
    let x = &m.external_file;
    if x.watched && !x.judged {
        limits.push("The text was written in an external editor without the system-wide key hook (e.g. on Wayland): no keys were recorded, so the saves are not matched to key presses.".into());
    }
    if x.initial_chars > 0 {
        flags.push(flag("file_initial_content", Severity::Info, "The file already had text when recording started",
            format!("The watched file held {} characters when watching started; they were written before the session, not in it, and are recorded as one insertion (cause `file`) right after the `file` `opened` event.", x.initial_chars),
            x.initial_seq.into_iter().collect()));
    }
    if x.unexplained_saves.is_empty() {
        return;
    }
    let total = x.unexplained_chars();
    let largest = x.unexplained_saves.iter().max_by_key(|s| s.unexplained).cloned();
    let Some(largest) = largest else { return };
    let share = total as f64 / m.provenance.final_chars.max(1) as f64;
    let severity = if share > PASTE_FINAL_SHARE { Severity::Warning } else { Severity::Notice };
    let mut events: Vec<u64> = largest.events.clone();
    for s in &x.unexplained_saves {
        events.extend(s.events.iter().filter(|e| !largest.events.contains(e)));
    }
    let at = |t_us: u64| {
        let s = t_us / 1_000_000;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    };
    flags.push(flag("unexplained_insertion", severity, "Text appeared in the file without matching key presses",
        format!("{} save(s) of the watched file brought in {total} characters ({} of the final text) beyond the character keys pressed since the save before (and not already spent on it); the largest, at {} (event {}), brought {} new characters after {} key presses. Keys counted in other programs count as typing too. Text a person types in the editor comes with at least one key press per character; a paste, a plug-in or AI completion, or another program writing the file does not. Text that was already in the file or was deleted from it earlier (moved, duplicated, undone) is not counted. Innocent explanations: pasting one's own notes or a quotation, an editor's snippets, completion or formatting on save, and text changed while recording was paused (it is recorded at the resume).",
            x.unexplained_saves.len(), pct(share), at(largest.t_us), largest.seq, largest.new_chars, largest.keys),
        events));
}
