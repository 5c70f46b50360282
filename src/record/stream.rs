//! Opening a record file without holding it whole. One thread reads the journal in chunks
//! (from a bare journal file, or decoding a bundle's base64 member as it reads) and hashes
//! it; the other checks it line by line as the chunks arrive. Memory holds the parsed events
//! and a few chunks, never the file, its base64 text and its decoded copy at once (which
//! was 3.7× the journal for a large bundle).

use super::OpenError;
use super::skim::BundleLayout;
use crate::attest::JournalDigest;
use crate::journal::{Chunks, Journal, JournalError, TimeOrder};
use base64::engine::general_purpose::STANDARD;
use base64::read::DecoderReader;
use std::fs::File;
use std::io::{self, Read as _, Seek, SeekFrom};
use std::path::Path;
use std::sync::mpsc;

/// Bytes read (or decoded) at a time.
const CHUNK: usize = 1 << 20;
/// Chunks read ahead of the line checks: enough to keep both cores busy, few enough that
/// memory stays a few MB whatever the file's size.
const READ_AHEAD: usize = 4;

/// Where a file keeps its journal.
pub(super) enum JournalAt {
    /// The whole file is the journal.
    File,
    /// A bundle's `journal` member: its base64 text at this place in the file.
    Bundle(BundleLayout),
}

/// What reading a journal gave: its digest, its first bytes, the journal or its first bad
/// line, and the time order of the lines from that bad line on.
pub(super) type JournalRead = (JournalDigest, Vec<u8>, Result<Journal, JournalError>, TimeOrder);

/// Reads the journal from `file` as `at` says, hashing it on a second thread while this
/// one checks its lines. Fails only when the file cannot be read; `None` when a bundle's
/// base64 is not valid. A journal that does not verify is returned as its error.
pub(super) fn read_journal(
    path: &Path,
    mut file: File,
    at: &JournalAt,
    size_hint: u64,
) -> Result<Option<JournalRead>, OpenError> {
    let source: Box<dyn io::Read + Send> = match at {
        JournalAt::File => Box::new(file),
        JournalAt::Bundle(layout) => {
            let seek = file.seek(SeekFrom::Start(layout.journal_start));
            seek.map_err(|source| OpenError::Read { path: path.to_owned(), source })?;
            Box::new(DecoderReader::new(file.take(layout.journal_len), &STANDARD))
        }
    };
    let (digest, first, journal) = std::thread::scope(|scope| {
        let (chunks_out, chunks_in) = mpsc::sync_channel::<Vec<u8>>(READ_AHEAD);
        let reading = scope.spawn(move || hash_and_send(source, &chunks_out));
        let mut lines = Chunks::new(usize::try_from(size_hint).unwrap_or(usize::MAX));
        let mut first = Vec::new();
        for chunk in chunks_in {
            if first.is_empty() {
                first = chunk[..chunk.len().min(64)].to_vec();
            }
            lines.push(&chunk);
        }
        let digest = reading.join().unwrap_or_else(|_| Err(io::Error::other("the reader stopped")));
        (digest, first, lines.finish_with_times())
    });
    match digest {
        Ok(digest) => Ok(Some((digest, first, journal.0, journal.1))),
        // Bad base64 (the decoder says invalid data): `None`, so that the caller reads the
        // whole file for the exact message (a control character, bad padding, …).
        Err(e) if matches!(at, JournalAt::Bundle(_)) && e.kind() == io::ErrorKind::InvalidData => {
            Ok(None)
        }
        Err(source) => Err(OpenError::Read { path: path.to_owned(), source }),
    }
}

/// Reads `source` to its end in chunks, hashing every byte and sending each chunk on. Keeps
/// reading when the receiver has stopped (a bad line): the digest covers the whole journal.
fn hash_and_send(
    mut source: impl io::Read,
    out: &mpsc::SyncSender<Vec<u8>>,
) -> io::Result<JournalDigest> {
    let mut sha = ring::digest::Context::new(&ring::digest::SHA256);
    let mut len = 0u64;
    let mut listening = true;
    loop {
        let mut chunk = vec![0u8; CHUNK];
        let n = fill(&mut source, &mut chunk)?;
        if n == 0 {
            break;
        }
        chunk.truncate(n);
        sha.update(&chunk);
        len += n as u64;
        if listening {
            listening = out.send(chunk).is_ok();
        }
    }
    Ok(JournalDigest { sha256: crate::hex(sha.finish().as_ref()), len })
}

/// Reads until `buf` is full or the source ends; the number of bytes read.
fn fill(source: &mut impl io::Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
