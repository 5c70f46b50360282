//! A test corpus of simulated writing sessions (test-only; not part of the product).
//!
//! Classes of session — constant-delay auto-typer, random-delay auto-typer, log-normal
//! "humanized" auto-typer with typos, paste-and-edit, steady copy-typing with focus switches,
//! copy-typing with every typo fixed, composition with planning pauses and revisions, and
//! composition with the ordinary inputs that are not keystrokes (a held Backspace, input
//! methods, French accents and dead keys) — generated from a seeded RNG. These are
//! simulations: the flags they raise show that each rule does what it says on input built to
//! have the property, not how accurate the rules are on real people.

#![allow(dead_code)]

use handprint::event::*;

/// SplitMix64: small, seedable, good enough for simulation.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    /// Log-normal with the given median (ms) and log-scale sigma.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }
}

const SOURCE: &str = "Plants turn light into chemical energy. Chlorophyll absorbs red and blue light and reflects green, which is why leaves look green. The energy drives the splitting of water, releasing oxygen as a by-product. Carbon dioxide from the air is then fixed into sugars in the Calvin cycle. These sugars feed the plant and, through food chains, almost every animal on land. Without photosynthesis the oxygen in the atmosphere would slowly disappear. Scientists study it to design better crops and artificial leaves. ";

/// The text the simulated writers produce: the source paragraph repeated to `n` chars.
pub fn text(n: usize) -> String {
    SOURCE.chars().cycle().take(n).collect()
}

/// Builds one session's records: events at times in ms, sorted at the end.
pub struct Session {
    pub rng: Rng,
    events: Vec<(f64, usize, Event)>,
    pub t: f64,
    pub doc: Vec<char>,
    pub caret: usize,
    /// Key back-end: `None` (app window, times quantised to 60 Hz frames) or `Some(Os)`.
    pub src: Option<KeySource>,
    /// Pending release (event index) per held key: a finger must lift before pressing again.
    held: std::collections::HashMap<String, usize>,
}

impl Session {
    pub fn new(seed: u64, src: Option<KeySource>) -> Session {
        Session {
            rng: Rng::new(seed),
            events: Vec::new(),
            t: 0.0,
            doc: Vec::new(),
            caret: 0,
            src,
            held: Default::default(),
        }
    }

    pub fn push(&mut self, t: f64, event: Event) {
        let t = if self.src.is_none() { (t / (1000.0 / 60.0)).ceil() * (1000.0 / 60.0) } else { t };
        let order = self.events.len();
        self.events.push((t, order, event));
    }

    fn key(&self, code: &str) -> Key {
        Key { code: code.into(), mods: Modifiers::NONE, src: self.src, rep: false, dev: None }
    }

    /// A key press at `t` held `hold` ms (no release when `hold` is None), with its edit.
    pub fn stroke(&mut self, t: f64, code: &str, hold: Option<f64>, edit: Option<Edit>) {
        let k = self.key(code);
        if let Some(i) = self.held.remove(code)
            && self.events[i].0 >= t
        {
            self.events[i].0 = t - 1.0;
        }
        self.push(t, Event::KeyDown(k.clone()));
        if let Some(e) = edit {
            self.apply(t, e);
        }
        if let Some(h) = hold {
            self.push(t + h, Event::KeyUp(k));
            self.held.insert(code.to_string(), self.events.len() - 1);
        }
    }

    /// Applies an edit to the model and records it.
    pub fn apply(&mut self, t: f64, e: Edit) {
        let n = e.d.chars().count();
        self.doc.splice(e.p..e.p + n, e.i.chars());
        self.caret = e.p + e.i.chars().count();
        self.push(t, Event::Edit(e));
    }

    /// Types `ch` at the caret at time `t`.
    pub fn type_char(&mut self, t: f64, ch: char, hold: Option<f64>) {
        let e = Edit {
            p: self.caret,
            d: Default::default(),
            i: ch.to_string().into(),
            c: Cause::Typed,
        };
        self.stroke(t, &code_of(ch), hold, Some(e));
    }

    /// Backspace at the caret.
    pub fn backspace(&mut self, t: f64, hold: Option<f64>) {
        if self.caret == 0 {
            return;
        }
        let d = self.doc[self.caret - 1].to_string();
        let e = Edit { p: self.caret - 1, d: d.into(), i: Default::default(), c: Cause::Typed };
        self.stroke(t, "Backspace", hold, Some(e));
    }

    /// An auto-repeat of the held key `code` at `t` (no release), with its edit.
    pub fn repeat(&mut self, t: f64, code: &str, edit: Edit) {
        let mut k = self.key(code);
        k.rep = true;
        if let Some(i) = self.held.get(code).copied()
            && self.events[i].0 < t
        {
            // The key's release comes after its last repeat.
            self.events[i].0 = t + 60.0;
        }
        self.push(t, Event::KeyDown(k));
        self.apply(t, edit);
    }

    /// A key press that changes no text (a dead key, a modifier), held `hold` ms.
    pub fn press(&mut self, t: f64, code: &str, hold: f64) {
        self.stroke(t, code, Some(hold), None);
    }

    /// A caret move (click) to `pos`.
    pub fn click(&mut self, t: f64, pos: usize) {
        self.caret = pos.min(self.doc.len());
        let c = self.caret;
        self.push(t, Event::Select(Selection { a: c, b: c }));
    }

    pub fn focus(&mut self, t: f64, on: bool) {
        self.push(t, Event::Focus(Focus { on }));
    }

    /// The finished session: start, events in time order, clock sample, end.
    pub fn finish(mut self) -> Vec<Entry> {
        let end = self.t + 500.0;
        let minutes = (end / 60_000.0) as i64;
        self.push(end - 1.0, Event::Clock(ClockSample { wall: wall_after(end - 1.0) }));
        let _ = minutes;
        self.events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let text: String = self.doc.iter().collect();
        let mut out = vec![Entry { seq: 0, t_us: 0, event: Event::Start(Box::new(start())) }];
        let mut last = 0u64;
        for (t, _, e) in self.events {
            last = last.max((t * 1000.0).round().max(0.0) as u64);
            out.push(Entry { seq: out.len() as u64, t_us: last, event: e });
        }
        let end_event = Event::End(SessionEnd {
            sha256: handprint::sha256_hex(text.as_bytes()),
            chars: self.doc.len(),
        });
        out.push(Entry { seq: out.len() as u64, t_us: last, event: end_event });
        out
    }
}

fn start() -> SessionStart {
    SessionStart {
        format: FORMAT_VERSION,
        session: "c0ffee".repeat(5) + "00",
        task: "corpus".into(),
        nonce: None,
        prompt_sha256: None,
        challenge: None,
        app: "corpus".into(),
        os: "sim".into(),
        wall: "2026-01-01T09:00:00.000000Z".into(),
        sources: vec!["editor".into()],
    }
}

fn wall_after(ms: f64) -> String {
    let base = chrono::DateTime::parse_from_rfc3339("2026-01-01T09:00:00Z").unwrap_or_default();
    (base + chrono::Duration::microseconds((ms * 1000.0) as i64))
        .to_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub fn code_of(ch: char) -> String {
    match ch {
        ' ' => "Space".into(),
        '\n' => "Enter".into(),
        '.' => "Period".into(),
        ',' => "Comma".into(),
        '-' => "Minus".into(),
        '?' | '!' | ':' => "Slash".into(),
        '\'' => "Quote".into(),
        c if c.is_ascii_digit() => format!("Digit{c}"),
        // French AZERTY letters with their own key.
        'é' => "Digit2".into(),
        'è' => "Digit7".into(),
        'à' => "Digit0".into(),
        'ç' | 'Ç' => "Digit9".into(),
        'ù' => "Quote".into(),
        c => format!("Key{}", c.to_ascii_uppercase()),
    }
}

/// Letters typed on a French layout with the circumflex dead key, and their base letter.
fn dead_key_base(ch: char) -> Option<char> {
    ['â', 'ê', 'î', 'ô', 'û'].iter().position(|&c| c == ch).map(|i| ['a', 'e', 'i', 'o', 'u'][i])
}

/// The six classes of simulated session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    ConstantAutoTyper,
    RandomAutoTyper,
    HumanizedAutoTyper,
    PasteAndEdit,
    CopyTyping,
    CopyTypingCorrected,
    Composition,
    HeldBackspace,
    InputMethods,
    FrenchDeadKeys,
}

impl Class {
    pub const ALL: [Class; 10] = [
        Class::ConstantAutoTyper,
        Class::RandomAutoTyper,
        Class::HumanizedAutoTyper,
        Class::PasteAndEdit,
        Class::CopyTyping,
        Class::CopyTypingCorrected,
        Class::Composition,
        Class::HeldBackspace,
        Class::InputMethods,
        Class::FrenchDeadKeys,
    ];

    /// Whether the class simulates a person composing their own text (every flag at notice or
    /// above on it is a false positive).
    pub fn composes(self) -> bool {
        matches!(
            self,
            Class::Composition | Class::HeldBackspace | Class::InputMethods | Class::FrenchDeadKeys
        )
    }

    /// Whether the class simulates a person copying a shown text by hand.
    pub fn copies(self) -> bool {
        matches!(self, Class::CopyTyping | Class::CopyTypingCorrected)
    }

    pub fn generate(self, seed: u64) -> Vec<Entry> {
        match self {
            Class::ConstantAutoTyper => constant_auto_typer(seed),
            Class::RandomAutoTyper => random_auto_typer(seed),
            Class::HumanizedAutoTyper => humanized_auto_typer(seed),
            Class::PasteAndEdit => paste_and_edit(seed),
            Class::CopyTyping => copy_typing(seed),
            Class::CopyTypingCorrected => copy_typing_corrected(seed),
            Class::Composition => composition(seed),
            Class::HeldBackspace => composer(seed, Habit::HeldBackspace),
            Class::InputMethods => composer(seed, Habit::InputMethods),
            Class::FrenchDeadKeys => composer(seed, Habit::French),
        }
    }
}

/// An auto-typer injecting keys every 80 ms, each held 5 ms, seen by the app window.
pub fn constant_auto_typer(seed: u64) -> Vec<Entry> {
    let mut s = Session::new(seed, None);
    let mut t = 2_000.0;
    for ch in text(1500).chars() {
        s.type_char(t, ch, Some(5.0));
        t += 80.0;
    }
    s.t = t;
    s.finish()
}

/// An auto-typer with a uniformly random delay of 50–250 ms and a fixed 30 ms hold, seen by
/// the system-wide hook.
pub fn random_auto_typer(seed: u64) -> Vec<Entry> {
    let mut s = Session::new(seed, Some(KeySource::Os));
    let mut t = 2_000.0;
    for ch in text(1500).chars() {
        s.type_char(t, ch, Some(30.0));
        t += 30.0 + s.rng.uniform(50.0, 250.0);
    }
    s.t = t;
    s.finish()
}

/// A "humanized" auto-typer: log-normal delays (median 170 ms, sigma 0.5) and holds (median
/// 90 ms, sigma 0.2), a 3% typo rate corrected after 0–2 more characters, and 2–4 s pauses
/// after sentences. It presses, holds, releases, then waits: keys never overlap.
pub fn humanized_auto_typer(seed: u64) -> Vec<Entry> {
    let mut s = Session::new(seed, Some(KeySource::Os));
    let mut t = 2_000.0;
    let chars: Vec<char> = text(1800).chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let press = |s: &mut Session, ch: Option<char>, t: &mut f64| {
            let hold = s.rng.lognormal(90.0, 0.2);
            match ch {
                Some(c) => s.type_char(*t, c, Some(hold)),
                None => s.backspace(*t, Some(hold)),
            }
            *t += hold + s.rng.lognormal(170.0, 0.5);
        };
        if s.rng.chance(0.03) && chars[i].is_alphabetic() {
            let extra = (s.rng.unit() * 3.0) as usize;
            press(&mut s, Some('x'), &mut t);
            let upto = (i + extra).min(chars.len());
            for &c in &chars[i..upto] {
                press(&mut s, Some(c), &mut t);
            }
            for _ in 0..=(upto - i) {
                press(&mut s, None, &mut t);
            }
        }
        press(&mut s, Some(chars[i]), &mut t);
        if chars[i] == '.' {
            t += s.rng.uniform(2_000.0, 4_000.0);
        }
        i += 1;
    }
    s.t = t;
    s.finish()
}

/// Human motor timing: log-normal intervals with the given median and sigma, holds around
/// 100 ms; the next key often goes down before the last is released.
fn human_stroke(s: &mut Session, t: &mut f64, ch: Option<char>, median: f64, sigma: f64) {
    let hold = s.rng.lognormal(100.0, 0.25);
    match ch {
        Some(c) => s.type_char(*t, c, Some(hold)),
        None => s.backspace(*t, Some(hold)),
    }
    *t += s.rng.lognormal(median, sigma).max(35.0);
}

/// Types a short opening, pastes 1,500 characters from outside, then retouches a few words.
pub fn paste_and_edit(seed: u64) -> Vec<Entry> {
    let mut s = Session::new(seed, None);
    let mut t = 2_000.0;
    for ch in "In my view, ".chars() {
        human_stroke(&mut s, &mut t, Some(ch), 190.0, 0.6);
    }
    t += 4_000.0;
    let pasted = text(1500);
    let p = s.caret;
    s.stroke(t, "ControlLeft", Some(180.0), None);
    s.apply(t + 60.0, Edit { p, d: Default::default(), i: pasted.into(), c: Cause::PasteExt });
    t += 5_000.0;
    for k in 0..4 {
        let pos = 200 + k * 300;
        s.click(t, pos);
        t += 800.0;
        for _ in 0..4 {
            human_stroke(&mut s, &mut t, None, 190.0, 0.6);
        }
        for ch in "new ".chars() {
            human_stroke(&mut s, &mut t, Some(ch), 190.0, 0.6);
        }
        t += 3_000.0;
    }
    s.t = t;
    s.finish()
}

/// A person copying a text from another window: looks at the source (focus away 3–6 s),
/// returns and types the next 40–90 characters fluently (intervals median 180 ms, sigma 0.45,
/// rarely a typo), repeats; pauses mostly at sentence ends. System-wide hook keys.
pub fn copy_typing(seed: u64) -> Vec<Entry> {
    let mut s = Session::new(seed, Some(KeySource::Os));
    let chars: Vec<char> = text(1800).chars().collect();
    let mut t = 2_000.0;
    let mut i = 0;
    while i < chars.len() {
        s.focus(t, false);
        t += s.rng.uniform(3_000.0, 6_000.0);
        s.focus(t, true);
        t += s.rng.uniform(300.0, 900.0);
        let chunk = 40 + (s.rng.unit() * 50.0) as usize;
        let end = (i + chunk).min(chars.len());
        while i < end {
            if s.rng.chance(0.01) && chars[i].is_alphabetic() {
                human_stroke(&mut s, &mut t, Some('x'), 180.0, 0.45);
                human_stroke(&mut s, &mut t, None, 180.0, 0.45);
            }
            human_stroke(&mut s, &mut t, Some(chars[i]), 180.0, 0.45);
            if chars[i] == '.' {
                t += s.rng.uniform(2_000.0, 3_500.0);
            }
            i += 1;
        }
    }
    s.t = t;
    s.finish()
}

/// A person composing: log-normal intervals (median 200 ms, sigma 0.7), planning pauses of
/// 2–8 s mostly before or inside words, an 8% typo rate fixed at once, and every ~300
/// characters a return to earlier text to delete 10–30 characters and write something else.
/// App-window keys, so times are frame-quantised.
pub fn composition(seed: u64) -> Vec<Entry> {
    let mut s = Session::new(seed, None);
    let chars: Vec<char> = text(1800).chars().collect();
    let mut t = 2_000.0;
    for (i, &ch) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let boundary = prev == Some(' ');
        if s.rng.chance(if boundary { 0.12 } else { 0.015 }) {
            t += s.rng.uniform(2_000.0, 8_000.0);
        }
        if s.rng.chance(0.08) && ch.is_alphabetic() {
            human_stroke(&mut s, &mut t, Some('x'), 200.0, 0.7);
            t += s.rng.uniform(150.0, 600.0);
            human_stroke(&mut s, &mut t, None, 200.0, 0.7);
        }
        human_stroke(&mut s, &mut t, Some(ch), 200.0, 0.7);
        if i > 0 && i % 300 == 0 && s.doc.len() > 100 {
            t += s.rng.uniform(2_000.0, 5_000.0);
            let end = s.doc.len();
            let at = end - 40 - (s.rng.unit() * 50.0) as usize;
            let n = 10 + (s.rng.unit() * 20.0) as usize;
            s.click(t, at + n);
            t += 600.0;
            for _ in 0..n {
                human_stroke(&mut s, &mut t, None, 120.0, 0.3);
            }
            for c in "a clearer phrase ".chars() {
                human_stroke(&mut s, &mut t, Some(c), 200.0, 0.7);
            }
            t += s.rng.uniform(1_000.0, 3_000.0);
            s.click(t, end - n + 17);
            t += 500.0;
        }
    }
    s.t = t;
    s.finish()
}

/// A person copying a shown text who fixes every typo at once (4% of letters), with no
/// window switching: pauses of 2–4 s at sentence ends (reading the next sentence), log-normal
/// intervals (median 180 ms, sigma 0.45). System-wide hook keys.
pub fn copy_typing_corrected(seed: u64) -> Vec<Entry> {
    let mut s = Session::new(seed, Some(KeySource::Os));
    let mut t = 2_000.0;
    for ch in text(1800).chars() {
        if s.rng.chance(0.04) && ch.is_alphabetic() {
            human_stroke(&mut s, &mut t, Some('x'), 180.0, 0.45);
            t += s.rng.uniform(100.0, 400.0);
            human_stroke(&mut s, &mut t, None, 180.0, 0.45);
        }
        human_stroke(&mut s, &mut t, Some(ch), 180.0, 0.45);
        if ch == '.' {
            t += s.rng.uniform(2_000.0, 4_000.0);
        }
    }
    s.t = t;
    s.finish()
}

/// What a simulated composer does besides typing one key per character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Habit {
    /// Deletes runs of 8–25 characters by holding Backspace: the key repeats every 33–40 ms
    /// after a 500–660 ms delay (the Windows and X defaults).
    HeldBackspace,
    /// About one word in eight comes from an input method without keys: an autocorrected
    /// typo, a completed word, an IME commit, and now and then a dictated phrase.
    InputMethods,
    /// Writes French on an AZERTY layout: é, è, à, ç, ù have their own keys, and â, ê, î, ô,
    /// û take the circumflex dead key and then the letter.
    French,
}

const FRENCH: &str = "La rivière coulait lentement près du château où nous étions allés. Ça dépend de la fenêtre, disait-il : être à l'heure est une qualité sûre. Les élèves écrivent leur rêve à côté de la forêt, puis ils relisent leur brouillon avec soin. ";

/// A person composing (planning pauses before words, typos fixed at once, returns to earlier
/// text every ~300 characters, log-normal intervals median 200 ms, sigma 0.7) with one
/// [`Habit`]. System-wide hook keys.
pub fn composer(seed: u64, habit: Habit) -> Vec<Entry> {
    let mut s = Session::new(seed, Some(KeySource::Os));
    let source: Vec<char> = if habit == Habit::French {
        FRENCH.chars().cycle().take(1800).collect()
    } else {
        text(1800).chars().collect()
    };
    let mut t = 2_000.0;
    let mut i = 0;
    while i < source.len() {
        let ch = source[i];
        let boundary = i > 0 && source[i - 1] == ' ';
        if s.rng.chance(if boundary { 0.12 } else { 0.015 }) {
            t += s.rng.uniform(2_000.0, 8_000.0);
        }
        if habit == Habit::InputMethods && boundary && s.rng.chance(0.12) {
            let end = source[i..].iter().position(|&c| c == ' ').map_or(source.len(), |n| i + n);
            let word: String = source[i..end].iter().collect();
            if word.chars().count() >= 3 {
                input_method_word(&mut s, &mut t, &word);
                // The space after the word was typed (or dictated) with it.
                i = end + 1;
                continue;
            }
        }
        if s.rng.chance(0.06) && ch.is_alphabetic() {
            human_stroke(&mut s, &mut t, Some('x'), 200.0, 0.7);
            t += s.rng.uniform(150.0, 600.0);
            human_stroke(&mut s, &mut t, None, 200.0, 0.7);
        }
        match dead_key_base(ch) {
            Some(base) if habit == Habit::French => {
                let hold = s.rng.lognormal(100.0, 0.25);
                s.press(t, "BracketLeft", hold);
                t += s.rng.lognormal(200.0, 0.5).max(35.0);
                let e = Edit {
                    p: s.caret,
                    d: Default::default(),
                    i: ch.to_string().into(),
                    c: Cause::Typed,
                };
                let hold = s.rng.lognormal(100.0, 0.25);
                s.stroke(t, &code_of(base), Some(hold), Some(e));
                t += s.rng.lognormal(200.0, 0.7).max(35.0);
            }
            _ => human_stroke(&mut s, &mut t, Some(ch), 200.0, 0.7),
        }
        if habit == Habit::HeldBackspace && i % 150 == 149 && s.caret > 40 {
            t += s.rng.uniform(500.0, 2_000.0);
            hold_backspace(&mut s, &mut t);
            for c in "and so ".chars() {
                human_stroke(&mut s, &mut t, Some(c), 200.0, 0.7);
            }
        }
        if i > 0 && i % 300 == 0 && s.doc.len() > 100 {
            t += s.rng.uniform(2_000.0, 5_000.0);
            let end = s.doc.len();
            let at = end - 40 - (s.rng.unit() * 50.0) as usize;
            let n = 10 + (s.rng.unit() * 20.0) as usize;
            s.click(t, at + n);
            t += 600.0;
            for _ in 0..n {
                human_stroke(&mut s, &mut t, None, 120.0, 0.3);
            }
            for c in "a clearer phrase ".chars() {
                human_stroke(&mut s, &mut t, Some(c), 200.0, 0.7);
            }
            t += s.rng.uniform(1_000.0, 3_000.0);
            let back = s.doc.len();
            s.click(t, back);
            t += 500.0;
        }
        i += 1;
    }
    s.t = t;
    s.finish()
}

/// Holds Backspace: one press, then auto-repeats every 33–40 ms after a 500–660 ms delay,
/// 8–25 characters in all, then the release.
fn hold_backspace(s: &mut Session, t: &mut f64) {
    let n = 8 + (s.rng.unit() * 18.0) as usize;
    let every = s.rng.uniform(33.0, 40.0);
    let delay = s.rng.uniform(500.0, 660.0);
    let first = *t;
    s.backspace(first, Some(delay + every * n as f64 + 20.0));
    let mut at = first + delay;
    for _ in 1..n {
        if s.caret == 0 {
            break;
        }
        let d = s.doc[s.caret - 1].to_string();
        let e = Edit { p: s.caret - 1, d: d.into(), i: Default::default(), c: Cause::Typed };
        s.repeat(at, "Backspace", e);
        at += every;
    }
    *t = at + s.rng.uniform(300.0, 900.0);
}

/// One word from an input method, chosen at random: autocorrect (a typo typed, then replaced
/// whole), completion (two letters typed, the rest inserted), an IME commit, or dictation (the
/// word and the next few dictated as one insertion). No key is pressed for the inserted text.
fn input_method_word(s: &mut Session, t: &mut f64, word: &str) {
    let kind = (s.rng.unit() * 4.0) as usize;
    let p = s.caret;
    match kind {
        0 => {
            let typo: String = word.chars().rev().collect();
            for c in typo.chars() {
                human_stroke(s, t, Some(c), 200.0, 0.7);
            }
            let e = Edit { p, d: typo.into(), i: word.to_string().into(), c: Cause::InputMethod };
            s.apply(*t, e);
        }
        1 => {
            let head: String = word.chars().take(2).collect();
            for c in head.chars() {
                human_stroke(s, t, Some(c), 200.0, 0.7);
            }
            let rest: String = word.chars().skip(2).collect();
            let e = Edit { p: p + 2, d: Default::default(), i: rest.into(), c: Cause::InputMethod };
            s.apply(*t, e);
        }
        2 => {
            let e = Edit { p, d: Default::default(), i: word.to_string().into(), c: Cause::Ime };
            s.apply(*t, e);
        }
        _ => {
            let e = Edit {
                p,
                d: Default::default(),
                i: format!("{word} ").into(),
                c: Cause::InputMethod,
            };
            s.apply(*t, e);
        }
    }
    *t += s.rng.lognormal(300.0, 0.5);
    if kind != 3 {
        human_stroke(s, t, Some(' '), 200.0, 0.7);
    }
}
