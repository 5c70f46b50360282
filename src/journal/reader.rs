//! Reading a journal: parse every line and verify the chain, sequence, clock and structure.

use super::chain::ChainValue;
use super::facts::Facts;
use super::line;
use super::times::TimeOrder;
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
fn is_nul(raw: &[u8]) -> bool {
    raw.iter().all(|&b| b == 0)
}

/// Checks a journal one line at a time and keeps its entries: the core of [`parse`], and of
/// [`Chunks`], which feeds it a journal read in pieces so that the whole file is never held.
#[derive(Debug)]
pub struct LineReader {
    entries: Vec<Entry>,
    chain: ChainValue,
    prev_t: u64,
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

/// A complete journal handed over in chunks of any size (read from a file, or decoded from
/// a bundle's base64 as it is read), checked exactly as [`parse`] checks it while holding at
/// most one unfinished line. After the first bad line the rest is only read for its time
/// order ([`TimeOrder`]), so that the caller can go on hashing the whole journal and report
/// a clock that ran backwards on its own.
#[derive(Debug)]
pub struct Chunks {
    reader: LineReader,
    /// The unfinished line at the end of the chunks so far.
    partial: Vec<u8>,
    /// Instead of `partial`, once a long unfinished line has shown by its start that it is
    /// no journal line: only what its error depends on, so that a huge run of garbage or of
    /// NUL bytes is not held.
    doomed: Option<Doomed>,
    /// A line of NUL bytes (its index) that counts as torn if nothing but NULs follow it.
    nul_line: Option<usize>,
    failed: Option<JournalError>,
    /// From the first bad line on: the time order of the lines.
    times: TimeOrder,
}

impl Chunks {
    /// Chunks of a journal of about `size_hint` bytes.
    pub fn new(size_hint: usize) -> Chunks {
        Chunks {
            reader: LineReader::new(size_hint),
            partial: Vec::new(),
            doomed: None,
            nul_line: None,
            failed: None,
            times: TimeOrder::default(),
        }
    }

    /// Checks the complete lines that `chunk` finishes.
    pub fn push(&mut self, mut chunk: &[u8]) {
        loop {
            let Some(nl) = memchr::memchr(b'\n', chunk) else {
                self.extend_partial(chunk);
                return;
            };
            if self.partial.is_empty() && self.doomed.is_none() {
                self.complete(&chunk[..nl]);
            } else {
                self.extend_partial(&chunk[..nl]);
                self.complete_partial();
            }
            chunk = &chunk[nl + 1..];
        }
    }

    /// Records the first bad line, and from it on reads lines for their time order only,
    /// starting after the last good line's time; `raw` is the bad line where it is held.
    fn fail(&mut self, error: JournalError, raw: Option<&[u8]>) {
        let last_good = (!self.reader.entries.is_empty()).then_some(self.reader.prev_t);
        self.times = TimeOrder::after(last_good);
        if let Some(raw) = raw {
            self.times.line(raw);
        }
        self.failed = Some(error);
    }

    fn extend_partial(&mut self, bytes: &[u8]) {
        if let Some(doomed) = &mut self.doomed {
            doomed.extend(bytes);
            return;
        }
        self.partial.extend_from_slice(bytes);
        if self.partial.len() > HELD_LINE_START && !self.partial.starts_with(b"{\"s\":") {
            let mut doomed = Doomed { all_nul: true, tail: Vec::new() };
            doomed.extend(&std::mem::take(&mut self.partial));
            self.doomed = Some(doomed);
        }
    }

    fn complete_partial(&mut self) {
        if self.failed.is_some() {
            // A line too long to be held that is no journal line has no time to read.
            if self.doomed.take().is_none() {
                self.times.line(&self.partial);
            }
            self.partial.clear();
            return;
        }
        let Some(doomed) = self.doomed.take() else {
            let raw = std::mem::take(&mut self.partial);
            self.complete(&raw);
            self.partial = raw;
            self.partial.clear();
            return;
        };
        if doomed.all_nul {
            self.nul_line.get_or_insert(self.reader.entries.len());
            return;
        }
        if let Some(first) = self.nul_line.take() {
            let problem = LineProblem::NoChainTag;
            self.fail(JournalError::Line { line: first + 1, problem }, None);
            return;
        }
        // What `LineReader::line` would say: the chain tag is looked for first (in the
        // line's last bytes), then the line's start, which is known to be wrong.
        let problem = match line::split(&doomed.tail) {
            Some(_) => LineProblem::MemberOrder,
            None => LineProblem::NoChainTag,
        };
        self.fail(JournalError::Line { line: self.reader.entries.len() + 1, problem }, None);
    }

    fn complete(&mut self, raw: &[u8]) {
        if self.failed.is_some() {
            self.times.line(raw);
            return;
        }
        if is_nul(raw) {
            // Torn if only NULs and newlines follow; otherwise it is read as a line (below).
            self.nul_line.get_or_insert(self.reader.entries.len());
            return;
        }
        if let Some(first) = self.nul_line.take() {
            let problem = LineProblem::NoChainTag;
            self.fail(JournalError::Line { line: first + 1, problem }, Some(raw));
            return;
        }
        if let Err(e) = self.reader.line(raw) {
            self.fail(e, Some(raw));
        }
    }

    /// The verified journal, or the first line that is wrong (a last line without its
    /// newline is torn, as [`parse`] says).
    pub fn finish(self) -> Result<Journal, JournalError> {
        self.finish_with_times().0
    }

    /// As [`Chunks::finish`], with the time order of the lines from the first wrong one on
    /// (what [`TimeOrder::of`] says of the whole journal, as the lines before it verified).
    pub fn finish_with_times(mut self) -> (Result<Journal, JournalError>, TimeOrder) {
        if let Some(e) = self.failed.take() {
            if self.doomed.is_none() {
                self.times.line(&self.partial);
            }
            return (Err(e), self.times);
        }
        let (partial_nul, partial_empty) = match &self.doomed {
            Some(doomed) => (doomed.all_nul, false),
            None => (is_nul(&self.partial), self.partial.is_empty()),
        };
        let wrong = |line: usize, problem| Err(JournalError::Line { line: line + 1, problem });
        let lines = self.reader.entries.len();
        self.times = TimeOrder::after((lines > 0).then_some(self.reader.prev_t));
        let result = match self.nul_line {
            Some(first) if partial_nul => wrong(first, LineProblem::Torn),
            Some(first) => wrong(first, LineProblem::NoChainTag),
            None => {
                let torn = (!partial_empty).then_some(LineProblem::Torn);
                match self.reader.finish(torn) {
                    Ok((_, Some(problem))) => wrong(lines, problem),
                    Ok((journal, None)) => return (Ok(journal), TimeOrder::default()),
                    Err(e) => Err(e),
                }
            }
        };
        if self.doomed.is_none() {
            self.times.line(&self.partial);
        }
        (result, self.times)
    }
}

/// How long an unfinished line is held before its start is looked at.
const HELD_LINE_START: usize = 64 << 10;

/// What is kept of a long line that cannot be a journal line: whether it is all NUL bytes
/// (then it may be a torn end) and its last bytes (where a chain tag would be).
#[derive(Debug)]
struct Doomed {
    all_nul: bool,
    tail: Vec<u8>,
}

impl Doomed {
    fn extend(&mut self, bytes: &[u8]) {
        const TAIL: usize = line::SUFFIX_LEN + 2;
        self.all_nul &= is_nul(bytes);
        self.tail.extend_from_slice(&bytes[bytes.len().saturating_sub(TAIL)..]);
        let extra = self.tail.len().saturating_sub(TAIL);
        self.tail.drain(..extra);
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
