//! The verification verdict shown in the viewer's banner and at the top of the report.

use crate::event::{Event, Record};
use crate::journal::Journal;
use crate::replay::{Replay, ReplayError};

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

/// Whether a record verifies, why not, and the facts it attests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub valid: bool,
    /// The first failed check, in words, when not valid.
    pub reason: Option<String>,
    pub checks: Vec<Check>,
    /// Fingerprint (`SHA256:…`) of the key the checkpoints name, if any.
    pub signer: Option<String>,
    /// Whether the signatures were checked (they are not when only the journal is read).
    pub signatures_checked: bool,
    pub task: String,
    pub nonce: Option<String>,
    /// Wall-clock start, RFC 3339.
    pub started: String,
    /// Wall-clock end (start + session time of the last event), RFC 3339.
    pub ended: String,
    /// Session time minus privacy breaks (pause … resume).
    pub active_us: u64,
    pub sources: Vec<String>,
}

impl Verdict {
    /// A record that could not be read or parsed at all.
    pub fn unreadable(reason: impl Into<String>) -> Verdict {
        let reason = reason.into();
        Verdict {
            valid: false,
            checks: vec![Check { name: "readable".into(), ok: false, detail: reason.clone() }],
            reason: Some(reason),
            ..Verdict::default()
        }
    }

    /// What the journal itself proves: its chain is intact (it parsed), it replays exactly,
    /// and the replayed text matches the digest in its end event. Signatures are not checked
    /// here; a signed bundle's verification adds them.
    pub fn from_journal(journal: &Journal, replay: Result<&Replay, &ReplayError>) -> Verdict {
        let start = journal.start();
        let records = &journal.records;
        let mut checks = vec![Check {
            name: "chain".into(),
            ok: true,
            detail: format!("{} events, hash chain intact", records.len()),
        }];
        checks.push(match replay {
            Ok(_) => Check { name: "replay".into(), ok: true, detail: "every edit applies".into() },
            Err(e) => Check { name: "replay".into(), ok: false, detail: e.to_string() },
        });
        checks.push(match (journal.end(), replay) {
            (Some(end), Ok(_)) => Check {
                name: "final text".into(),
                ok: true,
                detail: format!("replay reproduces the recorded text ({} chars)", end.chars),
            },
            (Some(_), Err(_)) => Check {
                name: "final text".into(),
                ok: false,
                detail: "not reached: the replay failed".into(),
            },
            (None, _) => Check {
                name: "finished".into(),
                ok: false,
                detail: "the session has no end event: it was not finished".into(),
            },
        });
        let reason = checks.iter().find(|c| !c.ok).map(|c| format!("{}: {}", c.name, c.detail));
        let last_us = records.last().map_or(0, |r| r.t_us);
        Verdict {
            valid: reason.is_none(),
            reason,
            checks,
            signer: signer(records),
            signatures_checked: false,
            task: start.task.clone(),
            nonce: start.nonce.clone(),
            started: start.wall.clone(),
            ended: add_us(&start.wall, last_us),
            active_us: last_us.saturating_sub(break_us(records)),
            sources: start.sources.clone(),
        }
    }
}

/// The key named by the last checkpoint that names one.
fn signer(records: &[Record]) -> Option<String> {
    records.iter().rev().find_map(|r| match &r.event {
        Event::Checkpoint(c) => c.key.clone(),
        _ => None,
    })
}

/// Total time spent in privacy breaks; a break still open at the end lasts to the end.
fn break_us(records: &[Record]) -> u64 {
    let mut total = 0;
    let mut since = None;
    for r in records {
        match r.event {
            Event::Pause => since = since.or(Some(r.t_us)),
            Event::Resume => total += since.take().map_or(0, |s| r.t_us - s),
            _ => {}
        }
    }
    let end = records.last().map_or(0, |r| r.t_us);
    total + since.map_or(0, |s| end - s)
}

fn add_us(wall: &str, us: u64) -> String {
    match chrono::DateTime::parse_from_rfc3339(wall) {
        Ok(t) => (t.to_utc() + chrono::Duration::microseconds(us as i64))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        Err(_) => format!("{wall} + {} s", us / 1_000_000),
    }
}

/// How a submitted text compares with the recorded final text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatch {
    /// Byte for byte the same.
    Exact,
    /// The same after turning CRLF into LF and dropping trailing white space (what a web
    /// form or e-mail commonly changes), but not byte for byte.
    Normalized,
    /// Different from char `at` on (0-based, after normalizing).
    Differs { at: usize },
}

impl TextMatch {
    pub fn describe(self) -> String {
        match self {
            TextMatch::Exact => "matches the recorded text exactly".into(),
            TextMatch::Normalized => {
                "matches the recorded text apart from line endings / trailing spaces".into()
            }
            TextMatch::Differs { at } => {
                format!("DIFFERS from the recorded text from character {} on", at + 1)
            }
        }
    }
}

/// Compares `submitted` with the recorded final text.
pub fn compare_text(recorded: &str, submitted: &str) -> TextMatch {
    if recorded == submitted {
        return TextMatch::Exact;
    }
    let norm = |s: &str| s.replace("\r\n", "\n").trim_end().to_owned();
    let (a, b) = (norm(recorded), norm(submitted));
    if a == b {
        return TextMatch::Normalized;
    }
    let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    TextMatch::Differs { at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn sample() -> Journal {
        let bytes = include_bytes!("../../tests/fixtures/sample-session.jsonl");
        crate::journal::parse(bytes).unwrap()
    }

    #[test]
    fn a_finished_journal_that_replays_is_valid_with_its_facts() {
        let j = sample();
        let r = Replay::build(Arc::clone(&j.records)).unwrap();
        let v = Verdict::from_journal(&j, Ok(&r));
        assert!(v.valid, "{:?}", v.reason);
        assert_eq!((v.task.as_str(), v.nonce.as_deref()), ("T-1042", Some("q7Zx")));
        assert_eq!(v.sources, ["editor"]);
        assert!(!v.signatures_checked);
        assert!(v.active_us < j.records.last().unwrap().t_us, "the break is not active time");
        assert!(v.ended > v.started);
    }

    #[test]
    fn a_replay_failure_makes_the_verdict_invalid_with_its_reason() {
        let j = sample();
        let err = ReplayError::EditOutOfRange { seq: 7, p: 9, len: 1 };
        let v = Verdict::from_journal(&j, Err(&err));
        assert!(!v.valid);
        assert!(v.reason.unwrap().contains("event 7"));
    }

    #[test]
    fn submitted_text_is_compared_exactly_then_normalized() {
        assert_eq!(compare_text("a\nb", "a\nb"), TextMatch::Exact);
        assert_eq!(compare_text("a\nb", "a\r\nb  \n"), TextMatch::Normalized);
        assert_eq!(compare_text("abc", "abX"), TextMatch::Differs { at: 2 });
    }
}
