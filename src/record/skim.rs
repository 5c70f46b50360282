//! Finding a bundle's journal inside the file without reading the file into memory.
//!
//! A bundle is a small JSON object (`format`, the signed `envelope`) around one very large
//! string, the journal's base64. Skimming reads the file once, keeps everything except that
//! string's text, and notes where the text lies; the kept part parses as a bundle whose
//! journal is `""`, with every strictness rule of [`Bundle::parse`], and the text is decoded
//! later in chunks (see [`super::stream`]).
//!
//! Anything unusual — no `journal` string member, an escape inside it, a kept part that
//! [`Bundle::parse`] refuses — gives `None`: the caller then reads the whole file as before,
//! for the same result and the same error message as ever. Only well-formed bundles take the
//! streaming path.

use crate::attest::{Bundle, Envelope};
use std::io::{self, Read};

/// Where a bundle keeps its journal, and its envelope (not yet verified).
#[derive(Debug)]
pub(crate) struct BundleLayout {
    pub envelope: Envelope,
    /// Byte offset of the journal member's base64 text (after its opening quote).
    pub journal_start: u64,
    /// Length of that text in bytes.
    pub journal_len: u64,
}

/// Skims a bundle file; `None` when it is not in the plain shape described above.
pub(crate) fn skim(mut file: impl Read) -> io::Result<Option<BundleLayout>> {
    let mut state = Skim::default();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if !state.feed(&chunk[..n]) {
            return Ok(None);
        }
    }
    Ok(state.finish())
}

/// The skimmer's place in the JSON text. Only the top-level object's member names are
/// followed; nested values are passed over by counting brackets outside strings.
#[derive(Default)]
struct Skim {
    /// The file without the journal's base64 text.
    kept: Vec<u8>,
    /// Bytes of the file seen so far.
    offset: u64,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// At depth 1, the next string is a member name.
    expect_name: bool,
    /// The member name being read (only the first few bytes matter).
    name: Option<Vec<u8>>,
    /// The last member name read at depth 1 was `journal`.
    last_name_is_journal: bool,
    /// That name's `:` was just read: the next value is the journal's.
    journal_value_next: bool,
    /// Inside the journal's text, which started at this offset.
    in_journal: Option<u64>,
    journal: Option<(u64, u64)>,
}

impl Skim {
    /// Takes the next bytes of the file; `false` when the bundle is not plain (see module).
    fn feed(&mut self, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            if let Some(start) = self.in_journal {
                match memchr::memchr2(b'"', b'\\', bytes) {
                    None => {
                        self.offset += bytes.len() as u64;
                        return true;
                    }
                    Some(at) if bytes[at] == b'\\' => return false,
                    Some(at) => {
                        self.offset += at as u64;
                        self.journal = Some((start, self.offset - start));
                        self.in_journal = None;
                        self.in_string = false;
                        self.kept.push(b'"');
                        self.offset += 1;
                        bytes = &bytes[at + 1..];
                    }
                }
                continue;
            }
            let b = bytes[0];
            bytes = &bytes[1..];
            self.kept.push(b);
            self.offset += 1;
            self.byte(b);
        }
        true
    }

    fn byte(&mut self, b: u8) {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
                if let Some(name) = self.name.take() {
                    self.journal_value_next = false;
                    self.name_done(&name);
                    return;
                }
            }
            if let Some(name) = self.name.as_mut().filter(|n| n.len() < 16) {
                name.push(b);
            }
            return;
        }
        if b.is_ascii_whitespace() {
            return;
        }
        let journal_value = std::mem::take(&mut self.journal_value_next);
        match b {
            b'"' => {
                self.in_string = true;
                if self.depth == 1 && std::mem::take(&mut self.expect_name) {
                    self.name = Some(Vec::new());
                } else if self.depth == 1 && journal_value && self.journal.is_none() {
                    self.in_journal = Some(self.offset);
                }
            }
            b'{' | b'[' => {
                self.depth += 1;
                self.expect_name = self.depth == 1 && b == b'{';
            }
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            b',' if self.depth == 1 => self.expect_name = true,
            b':' if self.depth == 1 => self.journal_value_next = self.last_name_is_journal,
            _ => {}
        }
    }

    fn name_done(&mut self, name: &[u8]) {
        self.last_name_is_journal = name == b"journal";
    }

    fn finish(self) -> Option<BundleLayout> {
        let (journal_start, journal_len) = self.journal?;
        if self.in_string || self.in_journal.is_some() {
            return None;
        }
        let bundle = Bundle::parse(&self.kept).ok()?;
        bundle.journal.is_empty().then_some(BundleLayout {
            envelope: bundle.envelope,
            journal_start,
            journal_len,
        })
    }
}
