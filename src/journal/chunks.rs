//! A journal read in pieces: the lines of a file or of a bundle's decoded base64, checked as
//! they arrive (see `record::stream`), holding at most one unfinished line.

use super::line;
use super::reader::{Journal, JournalError, LineProblem, LineReader, is_nul};
use super::times::TimeOrder;

/// A complete journal handed over in chunks of any size (read from a file, or decoded from
/// a bundle's base64 as it is read), checked exactly as [`super::parse`] checks it while holding at
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
            // The buffer is reused for the next unfinished line, unless a long line grew it:
            // a 100 MB line's buffer is not kept through the rest of the reading.
            if raw.capacity() <= REUSED_LINE_BUFFER {
                self.partial = raw;
                self.partial.clear();
            }
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
    /// newline is torn, as [`super::parse`] says).
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
/// Largest line buffer kept for the next line (bytes).
const REUSED_LINE_BUFFER: usize = 1 << 20;

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
