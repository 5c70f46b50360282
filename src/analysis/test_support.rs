//! Hand-built event sequences for the analysis unit tests.

use crate::event::*;
use crate::replay::Replay;
use std::sync::Arc;

/// Builds records at explicit times (ms) with a running text model for positions.
pub struct Seq {
    pub entries: Vec<Entry>,
    pub t_us: u64,
    pub len: usize,
    pub src: Option<KeySource>,
}

impl Seq {
    pub fn new() -> Seq {
        let mut s = Seq { entries: Vec::new(), t_us: 0, len: 0, src: Some(KeySource::Os) };
        s.push(Event::Start(Box::new(SessionStart {
            format: FORMAT_VERSION,
            session: "00".repeat(16),
            task: "t".into(),
            nonce: None,
            prompt_sha256: None,
            challenge: None,
            app: "test".into(),
            os: "test".into(),
            wall: "2026-01-01T00:00:00Z".into(),
            sources: vec!["editor".into()],
        })));
        s
    }

    pub fn push(&mut self, event: Event) -> &mut Self {
        let seq = self.entries.len() as u64;
        self.entries.push(Entry { seq, t_us: self.t_us, event });
        self
    }

    /// Sets the clock to `ms` after the start.
    pub fn at(&mut self, ms: f64) -> &mut Self {
        self.t_us = (ms * 1000.0).round() as u64;
        self
    }

    pub fn kd(&mut self, code: &str) -> &mut Self {
        let src = self.src;
        self.push(Event::KeyDown(Key {
            code: code.into(),
            mods: Modifiers::NONE,
            src,
            rep: false,
            dev: None,
        }))
    }

    pub fn ku(&mut self, code: &str) -> &mut Self {
        let src = self.src;
        self.push(Event::KeyUp(Key {
            code: code.into(),
            mods: Modifiers::NONE,
            src,
            rep: false,
            dev: None,
        }))
    }

    pub fn ed(&mut self, p: usize, d: &str, i: &str, c: Cause) -> &mut Self {
        self.len = self.len + i.chars().count() - d.chars().count();
        self.push(Event::Edit(Edit { p, d: d.into(), i: i.into(), c }))
    }

    /// Types `text` at the end: per char a key down, the edit, and a key up `hold` ms later
    /// (when `hold` is given), one char every `every` ms starting now.
    pub fn type_at_end(&mut self, text: &str, every: f64, hold: Option<f64>) -> &mut Self {
        let mut t = self.t_us as f64 / 1000.0;
        for ch in text.chars() {
            let code = code_of(ch);
            self.at(t).kd(&code);
            let p = self.len;
            self.ed(p, "", &ch.to_string(), Cause::Typed);
            if let Some(h) = hold {
                self.at(t + h).ku(&code);
            }
            t += every;
        }
        self.at(t - every)
    }

    pub fn replay(&self) -> Replay {
        match Replay::build(Arc::new(self.entries.clone())) {
            Ok(r) => r,
            Err(e) => panic!("test sequence does not replay: {e}"),
        }
    }

    pub fn analyze(&self) -> super::Analysis {
        super::analyze(&self.entries, &self.replay())
    }
}

pub fn code_of(ch: char) -> String {
    match ch {
        ' ' => "Space".into(),
        '\n' => "Enter".into(),
        '.' => "Period".into(),
        c if c.is_ascii_digit() => format!("Digit{c}"),
        c => format!("Key{}", c.to_ascii_uppercase()),
    }
}
