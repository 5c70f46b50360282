//! Fairness to real writers: the ordinary inputs that are not one keystroke per character —
//! a held Backspace, autocorrect and spell-check, word completion, IME commits, dictation,
//! accented letters with their own keys and letters composed with dead keys — raise no flag
//! at notice or above, in imported keystroke logs (LWP layout) and in recorded sessions.

mod support;
use support::corpus;

use corpus::{Class, Rng};
use handprint::analysis::{Analysis, Severity, analyze, lwp};
use handprint::event::{Cause, Event};
use handprint::replay::Replay;
use std::sync::Arc;

fn analyze_records(records: Vec<handprint::event::Entry>) -> Analysis {
    let records = Arc::new(records);
    let replay = Replay::build(records.clone()).expect("replays");
    analyze(&records, &replay)
}

fn serious(a: &Analysis) -> Vec<String> {
    a.flags
        .iter()
        .filter(|f| f.severity >= Severity::Notice)
        .map(|f| format!("{}:{}: {}", f.id, f.severity.name(), f.reason))
        .collect()
}

/// Builds an LWP log row by row, keeping the text to give each row its cursor position.
struct Log {
    rows: Vec<String>,
    text: Vec<char>,
    t: u64,
    rng: Rng,
}

impl Log {
    fn new(seed: u64) -> Log {
        Log { rows: Vec::new(), text: Vec::new(), t: 1_000, rng: Rng::new(seed) }
    }

    fn row(&mut self, down: u64, up: u64, activity: &str, key: &str, change: &str) {
        let n = self.rows.len() + 1;
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        self.rows.push(format!(
            "e,{n},{down},{up},{},{},{},{},{},{},0",
            up - down,
            quote(activity),
            quote(key),
            quote(key),
            quote(change),
            self.text.len()
        ));
    }

    /// Advances the clock by a human interval (log-normal, median 190 ms, sigma 0.85: a CV
    /// near the essays' median of 0.95).
    fn step(&mut self) -> (u64, u64) {
        let down = self.t;
        let hold = self.rng.lognormal(100.0, 0.25).max(40.0) as u64;
        self.t += self.rng.lognormal(190.0, 0.85).max(60.0) as u64;
        (down, down + hold)
    }

    /// One key that types `ch`, named as browsers name it (the character itself).
    fn key(&mut self, ch: char) {
        let (down, up) = self.step();
        self.text.push(ch);
        let name = if ch == ' ' { "Space".to_string() } else { ch.to_string() };
        self.row(down, up, "Input", &name, &ch.to_string());
    }

    fn backspace(&mut self, down: u64, up: u64) {
        let gone = self.text.pop().map(String::from).unwrap_or_default();
        self.row(down, up, "Remove/Cut", "Backspace", &gone);
    }

    /// Holds Backspace for `n` characters: X's 660 ms delay, then a repeat every 40 ms; each
    /// repeat logged as its own row with a short release, as some loggers write them.
    fn hold_backspace(&mut self, n: usize) {
        let mut down = self.t;
        for i in 0..n {
            self.backspace(down, down + 20);
            down += if i == 0 { 660 } else { 40 };
        }
        self.t = down + 400;
    }

    fn csv(&self) -> String {
        let mut s = lwp::COLUMNS.join(",") + "\n";
        for r in &self.rows {
            s.push_str(r);
            s.push('\n');
        }
        s
    }
}

const FRENCH: &str = "Je pense que la forêt est très importante pour les élèves. À côté de notre école, il y a un château où nous allons souvent. Ça nous aide à réfléchir et à être plus calmes. Pourtant, certains préfèrent rester à la maison devant leur écran. ";

/// A French essay written by a person: its own-key accents, ê/ô/î/â through the dead key,
/// typos fixed with a held Backspace, words corrected by autocorrect or spell-check, a few
/// words completed, IME rows and a dictated phrase.
fn french_essay(seed: u64) -> String {
    let mut log = Log::new(seed);
    let words: Vec<&str> = FRENCH.split(' ').filter(|w| !w.is_empty()).collect();
    for round in 0..4 {
        for (i, word) in words.iter().enumerate() {
            if log.rng.chance(0.15) {
                log.t += log.rng.uniform(2_000.0, 6_000.0) as u64;
            }
            match (i + round) % 9 {
                // Autocorrect: the typo is typed, then replaced whole without a key.
                3 if word.chars().count() > 3 => {
                    let typo: String = word.chars().rev().collect();
                    for c in typo.chars() {
                        log.key(c);
                    }
                    let at = log.text.len() - typo.chars().count();
                    log.text.truncate(at);
                    log.text.extend(word.chars());
                    let (down, up) = log.step();
                    log.row(down, up, "Replace", "Unidentified", &format!("{typo} => {word}"));
                }
                // Word completion: two letters, then the rest inserted at once.
                5 if word.chars().count() > 4 => {
                    for c in word.chars().take(2) {
                        log.key(c);
                    }
                    let rest: String = word.chars().skip(2).collect();
                    log.text.extend(rest.chars());
                    let (down, up) = log.step();
                    log.row(down, up, "Input", "Unidentified", &rest);
                }
                // An IME commit.
                7 => {
                    log.text.extend(word.chars());
                    let (down, up) = log.step();
                    log.row(down, up, "Input", "Process", word);
                }
                _ => {
                    for c in word.chars() {
                        if "êôîâû".contains(c) {
                            let (down, up) = log.step();
                            log.row(down, up, "Nonproduction", "Dead", "NoChange");
                        }
                        log.key(c);
                    }
                }
            }
            log.key(' ');
            if i % 25 == 24 {
                // A held Backspace takes back the last few characters, retyped after.
                let n = log.text.len();
                let gone: String = log.text[n.saturating_sub(12)..].iter().collect();
                log.hold_backspace(12);
                for c in gone.chars() {
                    log.key(c);
                }
            }
        }
        // A dictated sentence, in one insertion.
        let said = "et voilà ce que je voulais dire. ";
        log.text.extend(said.chars());
        let (down, up) = log.step();
        log.row(down, up, "Input", "Unidentified", said);
    }
    log.csv()
}

#[test]
fn an_imported_french_essay_with_input_methods_and_a_held_backspace_raises_no_flag() {
    for seed in 1..=5 {
        let essays = lwp::import(french_essay(seed).as_bytes()).expect("imports");
        let a = essays[0].analyze().expect("replays");
        assert_eq!(serious(&a), Vec::<String>::new(), "seed {seed}");
        let m = &a.measures.motor;
        assert_eq!(m.unmatched_typed_chars, 0, "seed {seed}: every typed letter has its key");
        assert!(m.auto_repeats >= 11, "seed {seed}: {} repeats", m.auto_repeats);
        assert_eq!(m.under_30ms_share, Some(0.0), "seed {seed}");
        assert!(a.flags.iter().any(|f| f.id == "input_methods" && f.severity == Severity::Info));
        let by = &a.measures.provenance.by_cause;
        assert!(by.get("input_method").copied().unwrap_or(0) > 0, "{by:?}");
        assert!(by.get("ime").copied().unwrap_or(0) > 0, "{by:?}");
    }
}

#[test]
fn whole_words_without_a_character_key_are_input_methods_in_an_import() {
    let csv = "down_time,up_time,activity,down_event,text_change,cursor_position\n\
               100,180,Input,t,t,1\n300,380,Input,e,e,2\n500,580,Input,h,h,3\n\
               900,950,Replace,Unidentified,teh => the,3\n\
               1500,1550,Input,Unidentified,quick brown fox,18\n\
               2000,2050,Input,Process,日本,20\n2400,2480,Input,é,é,21\n";
    let e = &lwp::import(csv.as_bytes()).expect("imports")[0];
    let causes: Vec<Cause> = e
        .entries
        .iter()
        .filter_map(|r| match &r.event {
            Event::Edit(ed) => Some(ed.c),
            _ => None,
        })
        .collect();
    use Cause::*;
    assert_eq!(causes, [Typed, Typed, Typed, InputMethod, InputMethod, Ime, Typed]);
    let a = e.analyze().expect("replays");
    assert_eq!(a.measures.motor.unmatched_typed_chars, 0);
}

#[test]
fn held_backspace_repeats_in_an_import_are_presses_but_not_intervals() {
    let mut log = Log::new(3);
    for c in "some words here".chars() {
        log.key(c);
    }
    log.hold_backspace(10);
    let e = &lwp::import(log.csv().as_bytes()).expect("imports")[0];
    let a = e.analyze().expect("replays");
    let m = &a.measures.motor;
    assert_eq!(m.key_presses, 25);
    // The first repeat follows the 660 ms delay after a logged release: it cannot be told
    // from a second press (one harmless interval); the eight at 40 ms are repeats.
    assert_eq!(m.auto_repeats, 8);
    assert_eq!(m.intervals, 16);
    assert!(e.notes.iter().any(|n| n.contains("auto-repeat")));
}

#[test]
fn recorded_sessions_with_ordinary_non_keystroke_input_raise_no_flag() {
    for class in [Class::HeldBackspace, Class::InputMethods, Class::FrenchDeadKeys] {
        for seed in 1..=3 {
            let a = analyze_records(class.generate(seed));
            assert_eq!(serious(&a), Vec::<String>::new(), "{class:?} seed {seed}");
            assert_eq!(a.measures.motor.unmatched_typed_chars, 0, "{class:?} seed {seed}");
        }
    }
}

#[test]
fn held_backspace_is_recorded_as_auto_repeat_and_never_timed() {
    let a = analyze_records(Class::HeldBackspace.generate(4));
    let m = &a.measures.motor;
    assert!(m.auto_repeats > 50, "{} repeats", m.auto_repeats);
    assert_eq!(m.under_30ms_share, Some(0.0));
}
