//! Reading a journal: parse every line and verify the chain, sequence, clock and structure.

use super::chain::ChainValue;
use super::facts::Facts;
use super::line;
use crate::event::{Entry, Event, SessionStart};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use thiserror::Error;

/// Journals parsed by this process; see [`parse_count`].
static PARSED: AtomicUsize = AtomicUsize::new(0);

/// How many journals this process has parsed ([`parse`], [`parse_prefix`] and [`Chunks`]). A
/// diagnostic: tests use it to show that opening a record parses its journal once.
pub fn parse_count() -> usize {
    PARSED.load(Ordering::Relaxed)
}

/// A parsed, chain-verified journal.
#[derive(Debug, Clone)]
pub struct Journal {
    /// Every entry (one per line), in order. Shared so that replay and analysis can hold it cheaply.
    pub entries: Arc<Vec<Entry>>,
    /// The chain value after the last line.
    pub head: ChainValue,
    /// Bytes of the journal's complete lines (a torn last line set aside by
    /// [`parse_prefix`] is not counted).
    pub len: u64,
    /// What the journal says about its session (times, active time, checkpoints), derived
    /// once here for every consumer.
    pub facts: Facts,
}

impl Journal {
    /// The session facts from the first line.
    pub fn start(&self) -> &SessionStart {
        match self.entries.first().map(|r| &r.event) {
            Some(Event::Start(s)) => s,
            // `parse` refuses journals whose first line is not `start`.
            _ => unreachable!("a parsed journal always begins with a start event"),
        }
    }

    /// The session end, if the session was finished.
    pub fn end(&self) -> Option<&crate::event::SessionEnd> {
        self.entries.iter().rev().find_map(|r| match &r.event {
            Event::End(e) => Some(e),
            _ => None,
        })
    }

    /// Whether the session was finished (has an `end` event).
    pub fn is_finished(&self) -> bool {
        self.end().is_some()
    }
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LineProblem {
    #[error(
        "the line is cut off (no newline at its end); the file was truncated or is still being written"
    )]
    Torn,
    #[error("the line is not valid UTF-8 text")]
    NotUtf8,
    #[error("the line has no chain tag (it must end with ,\"h\":\"…\"}})")]
    NoChainTag,
    #[error("the line is not a valid journal event: {0}")]
    BadEvent(String),
    #[error(
        "sequence number is {found}, expected {expected}: a line was removed, inserted or moved"
    )]
    WrongSequence { expected: u64, found: u64 },
    #[error(
        "chain tag does not match: this line, or one before it, was changed, inserted, removed or reordered"
    )]
    ChainMismatch,
    #[error("time goes backwards: {t_us} µs after {prev_us} µs")]
    TimeBackwards { prev_us: u64, t_us: u64 },
    #[error("the first line must be the session start")]
    MissingStart,
    #[error("a second session start inside the journal")]
    SecondStart,
    #[error("an event after the session end (only a checkpoint may follow it)")]
    AfterEnd,
    #[error("checkpoint head {claimed} does not match the chain value {actual}")]
    CheckpointHead { claimed: String, actual: String },
    #[error("the line does not begin with its members s, t and e in that order")]
    MemberOrder,
}

/// Why a journal cannot be read or is not valid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JournalError {
    #[error("the journal is empty")]
    Empty,
    /// `line` counts from 1, as editors do.
    #[error("line {line}: {problem}")]
    Line { line: usize, problem: LineProblem },
}

impl JournalError {
    /// The 1-based line number the error points at, if any.
    pub fn line(&self) -> Option<usize> {
        match self {
            JournalError::Line { line, .. } => Some(*line),
            JournalError::Empty => None,
        }
    }
}

/// Parses and verifies a complete journal. Every line must be intact.
pub fn parse(bytes: &[u8]) -> Result<Journal, JournalError> {
    let (journal, torn) = parse_prefix(bytes)?;
    match torn {
        Some(problem) => Err(JournalError::Line { line: journal.entries.len() + 1, problem }),
        None => Ok(journal),
    }
}

/// Parses the longest valid prefix that a crash could have left: every complete line must
/// verify, but a last line without its newline (a torn write) is set aside and reported as
/// `Some(problem)` instead of failing. Lines of NUL bytes at the end, which some file systems
/// leave after a power loss, count as torn too.
pub fn parse_prefix(bytes: &[u8]) -> Result<(Journal, Option<LineProblem>), JournalError> {
    let mut reader = LineReader::new(bytes.len());
    let mut pos = 0usize;
    let mut torn = None;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let Some(nl) = memchr::memchr(b'\n', rest) else {
            torn = Some(LineProblem::Torn);
            break;
        };
        let raw = &rest[..nl];
        if is_nul(raw) && rest.iter().all(|&b| b == 0 || b == b'\n') {
            torn = Some(LineProblem::Torn);
            break;
        }
        reader.line(raw)?;
        pos += nl + 1;
    }
    reader.finish(torn)
}

/// Whether a line is nothing but NUL bytes (or empty), as a power loss can leave.
pub(super) fn is_nul(raw: &[u8]) -> bool {
    raw.iter().all(|&b| b == 0)
}

/// Checks a journal one line at a time and keeps its entries: the core of [`parse`], and of
/// [`super::Chunks`], which feeds it a journal read in pieces so that the whole file is never held.
#[derive(Debug)]
pub struct LineReader {
    pub(super) entries: Vec<Entry>,
    chain: ChainValue,
    pub(super) prev_t: u64,
    ended: bool,
    len: u64,
}

impl LineReader {
    /// A reader for a journal of about `size_hint` bytes (lines average 60 bytes or more).
    pub fn new(size_hint: usize) -> LineReader {
        PARSED.fetch_add(1, Ordering::Relaxed);
        LineReader {
            entries: Vec::with_capacity(size_hint / 60),
            chain: ChainValue::genesis(),
            prev_t: 0,
            ended: false,
            len: 0,
        }
    }

    /// Checks the next complete line (`raw`, without its newline) and keeps its entry.
    pub fn line(&mut self, raw: &[u8]) -> Result<(), JournalError> {
        let index = self.entries.len();
        let err = |problem| JournalError::Line { line: index + 1, problem };

        let (body, tag) = line::split(raw).ok_or_else(|| err(LineProblem::NoChainTag))?;
        if !begins_with_s_t_e(raw) {
            return Err(err(LineProblem::MemberOrder));
        }
        let entry: Entry = serde_json::from_slice(raw).map_err(|e| {
            if std::str::from_utf8(raw).is_err() {
                err(LineProblem::NotUtf8)
            } else {
                err(LineProblem::BadEvent(e.to_string()))
            }
        })?;
        if entry.seq != index as u64 {
            return Err(err(LineProblem::WrongSequence {
                expected: index as u64,
                found: entry.seq,
            }));
        }
        if let Event::Checkpoint(c) = &entry.event
            && c.head != self.chain.hex()
        {
            return Err(err(LineProblem::CheckpointHead {
                claimed: c.head.clone(),
                actual: self.chain.hex(),
            }));
        }
        let next = self.chain.next(body);
        if next.tag().as_bytes() != tag {
            return Err(err(LineProblem::ChainMismatch));
        }
        if entry.t_us < self.prev_t {
            return Err(err(LineProblem::TimeBackwards { prev_us: self.prev_t, t_us: entry.t_us }));
        }
        match (&entry.event, index) {
            (Event::Start(_), 0) => {}
            (_, 0) => return Err(err(LineProblem::MissingStart)),
            (Event::Start(_), _) => return Err(err(LineProblem::SecondStart)),
            (Event::Checkpoint(_), _) if self.ended => {}
            (_, _) if self.ended => return Err(err(LineProblem::AfterEnd)),
            (Event::End(_), _) => self.ended = true,
            _ => {}
        }
        self.prev_t = entry.t_us;
        self.chain = next;
        self.entries.push(entry);
        self.len += raw.len() as u64 + 1;
        Ok(())
    }

    /// The journal of the lines read so far, and `torn` (what was wrong with the rest of the
    /// input) passed through; an error when not one line was read.
    pub fn finish(
        self,
        torn: Option<LineProblem>,
    ) -> Result<(Journal, Option<LineProblem>), JournalError> {
        if self.entries.is_empty() {
            return Err(match torn {
                Some(problem) => JournalError::Line { line: 1, problem },
                None => JournalError::Empty,
            });
        }
        let facts = Facts::of(&self.entries);
        let journal =
            Journal { entries: Arc::new(self.entries), head: self.chain, len: self.len, facts };
        Ok((journal, torn))
    }
}

/// Whether a line begins `{"s":<digits>,"t":<digits>,"e":"` as docs/FORMAT.md fixes it, so a
/// line has one layout only and a reader may find `s`, `t` and `e` without parsing JSON.
fn begins_with_s_t_e(raw: &[u8]) -> bool {
    fn digits(rest: &[u8]) -> Option<&[u8]> {
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        (n > 0).then(|| &rest[n..])
    }
    raw.strip_prefix(b"{\"s\":")
        .and_then(digits)
        .and_then(|r| r.strip_prefix(b",\"t\":"))
        .and_then(digits)
        .is_some_and(|r| r.starts_with(b",\"e\":\""))
}
