//! One record, opened once: the bundle's envelope, the journal's digest, the parsed journal
//! with its facts, and its replay (a file is streamed, never held whole). Verification, analysis, the statement, the
//! auditor's report, every CLI command and the viewer borrow this one value instead of each
//! reading, parsing and replaying the file again (a record used to be opened in seven
//! places, twice for every viewer open).
//!
//! Opening fails only when the file cannot be used at all ([`OpenError`]). A journal that
//! does not verify or replay still opens: its [`Record::journal`] or [`Record::replay`]
//! holds the reason, which verification reports as a failed check.

mod export;
mod open;
mod skim;
mod stream;

pub use export::{ExportError, Exported, export_record, export_session};
pub use open::{MAX_INPUT_BYTES, OpenError, check_journal_start, check_size, read};

use crate::attest::{Bundle, Envelope, JournalDigest, looks_like_bundle};
use crate::journal::{self, Facts, Journal, JournalError, TimeOrder};
use crate::replay::{Replay, ReplayError};
use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use stream::JournalAt;

/// An opened record.
#[derive(Debug)]
pub struct Record {
    /// Where it was read from (`(input)` for bytes handed over in memory).
    pub source: PathBuf,
    /// The journal's exact bytes (inside a bundle, decoded from it) when the record was
    /// handed over in memory. A record opened from a file holds only what was parsed from
    /// them and reads them again when asked ([`Record::journal_bytes`]).
    held: Option<Vec<u8>>,
    /// Whether the journal begins as every journal does (its `start` line).
    starts_as_journal: bool,
    /// For a journal read from a file that does not verify: the time order of its lines,
    /// taken while it was read (see [`Record::time_order`]).
    times: Option<TimeOrder>,
    /// Their SHA-256 and length, hashed once (on a second core, while the journal parses).
    pub journal_digest: JournalDigest,
    /// The signed envelope when the file is a bundle; not yet verified (see
    /// [`crate::verify::verify`]).
    pub envelope: Option<Envelope>,
    /// The parsed, chain-verified journal with its replay (or the event that does not
    /// apply), or the first line that is wrong.
    opened: Result<(Journal, Result<Replay, ReplayError>), JournalError>,
}

impl Record {
    /// Reads and opens the bundle or journal at `path`. A journal file, or a bundle of the
    /// usual shape, is read in chunks and never held whole (see [`stream`]); anything else is
    /// read into memory first, which gives the same result or the same error.
    pub fn open(path: &Path) -> Result<Record, OpenError> {
        match Record::open_streamed(path)? {
            Some(record) => Ok(record),
            None => Record::from_vec(path, read(path)?),
        }
    }

    /// Opens a journal file, or a bundle file of the usual shape, in one streamed pass;
    /// `None` for anything else.
    fn open_streamed(path: &Path) -> Result<Option<Record>, OpenError> {
        let read_err = |source| OpenError::Read { path: path.to_owned(), source };
        let mut file = File::open(path).map_err(read_err)?;
        let size = file.metadata().map_err(read_err)?.len();
        if size == 0 || size > MAX_INPUT_BYTES {
            return Ok(None);
        }
        let mut head = Vec::with_capacity(64);
        (&mut file).take(64).read_to_end(&mut head).map_err(read_err)?;
        file.seek(SeekFrom::Start(0)).map_err(read_err)?;
        let at = if head.starts_with(JOURNAL_START) {
            JournalAt::File
        } else if head.trim_ascii_start().starts_with(b"{") && looks_like_bundle(&head) {
            match skim::skim(std::io::BufReader::new(&mut file)).map_err(read_err)? {
                Some(layout) => JournalAt::Bundle(layout),
                None => return Ok(None),
            }
        } else {
            return Ok(None);
        };
        let Some((digest, first, journal, times)) = stream::read_journal(path, file, &at, size)?
        else {
            return Ok(None);
        };
        let envelope = match at {
            JournalAt::Bundle(layout) => Some(layout.envelope),
            JournalAt::File => None,
        };
        let opened = journal.map(|journal| {
            let replay = Replay::build(Arc::clone(&journal.entries));
            (journal, replay)
        });
        Ok(Some(Record {
            source: path.to_owned(),
            held: None,
            starts_as_journal: first.starts_with(JOURNAL_START),
            times: opened.is_err().then_some(times),
            journal_digest: digest,
            envelope,
            opened,
        }))
    }

    /// Opens a bundle or journal held in memory; `source` names it in messages.
    pub fn from_bytes(source: &Path, bytes: &[u8]) -> Result<Record, OpenError> {
        if looks_like_bundle(bytes) {
            let (envelope, journal) = unbundle(source, bytes)?;
            return Ok(Record::of_journal(source, journal, Some(envelope)));
        }
        check_journal_start(source, bytes)?;
        Ok(Record::of_journal(source, bytes.to_vec(), None))
    }

    /// Opens a file's bytes, keeping a bare journal's buffer and freeing a bundle's as soon
    /// as its journal is decoded, so a large record is not held twice while it is parsed.
    fn from_vec(source: &Path, bytes: Vec<u8>) -> Result<Record, OpenError> {
        if looks_like_bundle(&bytes) {
            let (envelope, journal) = unbundle(source, &bytes)?;
            drop(bytes);
            return Ok(Record::of_journal(source, journal, Some(envelope)));
        }
        check_journal_start(source, &bytes)?;
        Ok(Record::of_journal(source, bytes, None))
    }

    /// Parses and replays `journal_bytes`, once.
    fn of_journal(source: &Path, journal_bytes: Vec<u8>, envelope: Option<Envelope>) -> Record {
        let digest_of = |bytes: &[u8]| JournalDigest {
            sha256: crate::sha256_hex(bytes),
            len: bytes.len() as u64,
        };
        let (journal_digest, opened) = std::thread::scope(|scope| {
            let hashing = scope.spawn(|| digest_of(&journal_bytes));
            let opened = journal::parse(&journal_bytes).map(|journal| {
                let replay = Replay::build(Arc::clone(&journal.entries));
                (journal, replay)
            });
            (hashing.join().unwrap_or_else(|_| digest_of(&journal_bytes)), opened)
        });
        Record {
            source: source.to_owned(),
            starts_as_journal: journal_bytes.starts_with(JOURNAL_START),
            times: None,
            held: Some(journal_bytes),
            journal_digest,
            envelope,
            opened,
        }
    }

    /// The journal's exact bytes: the ones handed over, or for a record opened from a file,
    /// read from it again (decoded from a bundle) and checked against the digest taken when
    /// it was opened.
    pub fn journal_bytes(&self) -> Result<Cow<'_, [u8]>, OpenError> {
        if let Some(bytes) = &self.held {
            return Ok(Cow::Borrowed(bytes));
        }
        let bytes = read(&self.source)?;
        let journal =
            if looks_like_bundle(&bytes) { unbundle(&self.source, &bytes)?.1 } else { bytes };
        if crate::sha256_hex(&journal) != self.journal_digest.sha256 {
            return Err(OpenError::Changed { path: self.source.clone() });
        }
        Ok(Cow::Owned(journal))
    }

    /// Whether time ever goes backwards from one line to the next, read from the raw lines
    /// (whether they verify or not); taken while the file was read when it could be.
    pub fn time_order(&self) -> Result<TimeOrder, OpenError> {
        match self.times {
            Some(order) => Ok(order),
            None => Ok(TimeOrder::of(&self.journal_bytes()?)),
        }
    }

    /// Whether the journal's bytes are held in memory (a record handed over as bytes, or a
    /// file of an unusual shape read whole) rather than read again from the file when asked.
    pub fn holds_journal_bytes(&self) -> bool {
        self.held.is_some()
    }

    /// Refuses a record whose journal does not begin as every journal does (a bundle can
    /// carry anything), as [`check_journal_start`] refuses such a bare file.
    pub fn check_journal_start(&self) -> Result<(), OpenError> {
        if self.starts_as_journal {
            return Ok(());
        }
        check_journal_start(&self.source, b"")
    }

    /// Whether the file was a signed bundle (its signature is checked by verification).
    pub fn is_bundle(&self) -> bool {
        self.envelope.is_some()
    }

    /// The parsed, chain-verified journal, or the first line that is wrong.
    pub fn journal(&self) -> Result<&Journal, &JournalError> {
        self.opened.as_ref().map(|(j, _)| j)
    }

    /// The replay of a journal that parsed (`None` when it did not), or the event that does
    /// not apply.
    pub fn replay(&self) -> Option<Result<&Replay, &ReplayError>> {
        self.opened.as_ref().ok().map(|(_, r)| r.as_ref())
    }

    /// The journal, when it parsed and its chain verified.
    pub fn parsed(&self) -> Option<&Journal> {
        self.journal().ok()
    }

    /// The replay, when the journal parsed and every event applied exactly.
    pub fn replayed(&self) -> Option<&Replay> {
        self.replay()?.ok()
    }

    /// What the journal says about its session, when it parsed.
    pub fn facts(&self) -> Option<&Facts> {
        self.parsed().map(|j| &j.facts)
    }

    /// The replay, when the record replays, keeping it after the record is dropped.
    pub fn into_replay(self) -> Option<Replay> {
        self.opened.ok()?.1.ok()
    }

    /// The journal and its replay, or why the record is not usable as a session: the first
    /// bad line, or the first event that does not replay.
    pub fn session(&self) -> Result<(&Journal, &Replay), Unusable<'_>> {
        match &self.opened {
            Ok((journal, Ok(replay))) => Ok((journal, replay)),
            Ok((_, Err(e))) => Err(Unusable::Replay(e)),
            Err(e) => Err(Unusable::Journal(e)),
        }
    }
}

/// How every journal begins: its `start` line's first members.
const JOURNAL_START: &[u8] = b"{\"s\":0,";

/// A bundle's envelope and its journal's decoded bytes (the base64 text is freed here).
fn unbundle(source: &Path, bytes: &[u8]) -> Result<(Envelope, Vec<u8>), OpenError> {
    let not_handprint = |why: String| OpenError::NotHandprint { path: source.to_owned(), why };
    let bundle = Bundle::parse(bytes).map_err(|e| not_handprint(e.to_string()))?;
    let journal = bundle.journal_bytes().map_err(|e| not_handprint(e.to_string()))?;
    Ok((bundle.envelope, journal))
}

/// Why an opened record holds no usable session.
#[derive(Debug, Clone, Copy)]
pub enum Unusable<'a> {
    /// The journal does not parse or its chain does not verify.
    Journal(&'a JournalError),
    /// An event does not replay.
    Replay(&'a ReplayError),
}

/// What `journal check`, `analyze` and the Python package say after `invalid: FILE: `.
impl std::fmt::Display for Unusable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::Journal(e) => write!(f, "{e}"),
            Unusable::Replay(e) => write!(f, "line {}: {e}", e.seq() + 1),
        }
    }
}
