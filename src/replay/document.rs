//! The replayed text with per-character origin, stored in shared chunks.
//!
//! A document is a list of reference-counted chunks. Cloning one (to keep a keyframe) copies
//! only the list of pointers; an edit copies just the chunk it touches (`Arc::make_mut`).
//! This keeps a keyframe every thousand events affordable on sessions of a million events,
//! which is what makes seeking fast enough to scrub.
//!
//! Typed text is held a character at a time with its origin, packed into 8 bytes
//! ([`Stored`]). A large insert (a paste) has one origin for all its characters, so it is held
//! as plain text in [`Chunk::Run`]s: one byte per character of ASCII, which keeps a hostile
//! 100 MB insert at about the size of its text instead of eight times it. A run is turned into
//! per-character storage only where a later edit touches it.

use crate::event::Cause;
use std::sync::Arc;

/// Per-character chunks are split when they grow past this many glyphs.
const MAX_CHUNK: usize = 1024;
/// Characters per run chunk of a large insert: small enough that an edit inside one costs
/// little to turn into per-character storage, large enough that a 100 MB paste is a few
/// thousand chunks.
const RUN_CHARS: usize = 64 * 1024;

/// One character of the text with where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub ch: char,
    /// Sequence number of the edit event that inserted it.
    pub by: u32,
    /// How it was inserted.
    pub cause: Cause,
}

/// A [`Glyph`] as stored: the character's 21 bits and the cause above them in one word, the
/// inserting event in the other (8 bytes, where the plain struct takes 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stored(u32, u32);

impl Stored {
    const CHAR_BITS: u32 = 21;

    fn new(ch: char, by: u32, cause: Cause) -> Self {
        Stored(ch as u32 | (cause as u32) << Self::CHAR_BITS, by)
    }

    fn glyph(self) -> Glyph {
        let ch = char::from_u32(self.0 & ((1 << Self::CHAR_BITS) - 1)).unwrap_or('\u{fffd}');
        let cause = Cause::ALL.get((self.0 >> Self::CHAR_BITS) as usize).copied();
        Glyph { ch, by: self.1, cause: cause.unwrap_or(Cause::Other) }
    }
}

/// A piece of the text.
#[derive(Debug, Clone)]
enum Chunk {
    /// Characters each with their own origin (typing: one edit per key).
    Glyphs(Vec<Stored>),
    /// Characters inserted by one edit, held as text; `chars` counts them.
    Run { text: String, chars: usize, by: u32, cause: Cause },
}

impl Chunk {
    fn len(&self) -> usize {
        match self {
            Chunk::Glyphs(g) => g.len(),
            Chunk::Run { chars, .. } => *chars,
        }
    }

    fn glyphs(&self) -> ChunkGlyphs<'_> {
        match self {
            Chunk::Glyphs(g) => ChunkGlyphs::Stored(g.iter()),
            Chunk::Run { text, by, cause, .. } => ChunkGlyphs::Run(text.chars(), *by, *cause),
        }
    }

    /// Per-character storage, turning a run into it first.
    fn stored_mut(&mut self) -> &mut Vec<Stored> {
        if let Chunk::Run { text, by, cause, .. } = self {
            *self = Chunk::Glyphs(text.chars().map(|ch| Stored::new(ch, *by, *cause)).collect());
        }
        match self {
            Chunk::Glyphs(g) => g,
            Chunk::Run { .. } => unreachable!("a run was just turned into glyphs"),
        }
    }
}

/// The glyphs of one chunk.
enum ChunkGlyphs<'a> {
    Stored(std::slice::Iter<'a, Stored>),
    Run(std::str::Chars<'a>, u32, Cause),
}

impl Iterator for ChunkGlyphs<'_> {
    type Item = Glyph;

    fn next(&mut self) -> Option<Glyph> {
        match self {
            ChunkGlyphs::Stored(it) => it.next().map(|s| s.glyph()),
            ChunkGlyphs::Run(it, by, cause) => {
                it.next().map(|ch| Glyph { ch, by: *by, cause: *cause })
            }
        }
    }
}

/// The text at one point of the session.
#[derive(Debug, Clone, Default)]
pub struct Document {
    chunks: Vec<Arc<Chunk>>,
    len: usize,
}

impl Document {
    /// Length in chars.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every glyph in order.
    pub fn glyphs(&self) -> impl Iterator<Item = Glyph> + '_ {
        self.glyphs_from(0)
    }

    /// The glyphs from char `pos` on, found without walking the text before it glyph by glyph.
    pub fn glyphs_from(&self, pos: usize) -> impl Iterator<Item = Glyph> + '_ {
        let (ci, off) = if pos >= self.len { (self.chunks.len(), 0) } else { self.locate(pos) };
        self.chunks[ci..].iter().flat_map(|c| c.glyphs()).skip(off)
    }

    /// The plain text.
    pub fn text(&self) -> String {
        // At least a byte per char: exact for ASCII, so a large text is not grown by doubling.
        let mut out = String::with_capacity(self.len);
        for c in &self.chunks {
            match &**c {
                Chunk::Glyphs(g) => out.extend(g.iter().map(|s| s.glyph().ch)),
                Chunk::Run { text, .. } => out.push_str(text),
            }
        }
        out
    }

    /// The text of chars `[a, b)`; clamped to the document.
    pub fn slice(&self, a: usize, b: usize) -> String {
        let b = b.min(self.len);
        self.glyphs_from(a).take(b.saturating_sub(a)).map(|g| g.ch).collect()
    }

    /// Whether the chars at `[pos, pos + n)` spell `expected`.
    pub fn matches_at(&self, pos: usize, expected: &str) -> bool {
        let mut it = self.glyphs_from(pos);
        expected.chars().all(|c| it.next().is_some_and(|g| g.ch == c))
    }

    /// Chunk index and offset of char `pos` (`pos == len` gives the end of the last chunk).
    fn locate(&self, pos: usize) -> (usize, usize) {
        if pos > self.len / 2 {
            // From the end: most edits are at the end of the text, where the writer types.
            let mut end = self.len;
            for (i, c) in self.chunks.iter().enumerate().rev() {
                let start = end - c.len();
                if pos >= start {
                    return (i, pos - start);
                }
                end = start;
            }
        }
        let mut start = 0;
        for (i, c) in self.chunks.iter().enumerate() {
            if pos < start + c.len() || (i + 1 == self.chunks.len()) {
                return (i, pos - start);
            }
            start += c.len();
        }
        (0, 0)
    }

    /// Removes `n` chars at `pos`. The caller has checked the range.
    pub fn delete(&mut self, pos: usize, mut n: usize) {
        while n > 0 {
            let (ci, off) = self.locate(pos);
            let len = self.chunks[ci].len();
            let take = n.min(len - off);
            if take == len {
                // A whole chunk goes without being copied (a keyframe may still share it).
                self.chunks.remove(ci);
            } else {
                Arc::make_mut(&mut self.chunks[ci]).stored_mut().drain(off..off + take);
            }
            n -= take;
            self.len -= take;
        }
    }

    /// Inserts `text` at `pos`, inserted by event `by` for `cause`; returns its length in
    /// chars. The caller has checked `pos <= len`.
    pub fn insert(&mut self, pos: usize, text: &str, by: u32, cause: Cause) -> usize {
        let n = text.chars().count();
        if n == 0 {
            return 0;
        }
        if n > MAX_CHUNK {
            self.insert_runs(pos, text, by, cause);
            self.len += n;
            return n;
        }
        if self.chunks.is_empty() {
            self.chunks.push(Arc::new(Chunk::Glyphs(Vec::new())));
        }
        let (ci, off) = self.locate(pos);
        let chunk = Arc::make_mut(&mut self.chunks[ci]).stored_mut();
        chunk.splice(off..off, text.chars().map(|ch| Stored::new(ch, by, cause)));
        self.len += n;
        if chunk.len() > MAX_CHUNK {
            let whole = std::mem::take(chunk);
            let pieces = whole.chunks(MAX_CHUNK / 2).map(|p| Arc::new(Chunk::Glyphs(p.to_vec())));
            self.chunks.splice(ci..=ci, pieces.collect::<Vec<_>>());
        }
        n
    }

    /// A large insert: the chunk at `pos` is split there and the text goes in between as runs.
    fn insert_runs(&mut self, pos: usize, text: &str, by: u32, cause: Cause) {
        let at = if self.chunks.is_empty() {
            0
        } else {
            let (ci, off) = self.locate(pos);
            let len = self.chunks[ci].len();
            if off == 0 {
                ci
            } else if off == len {
                ci + 1
            } else {
                let tail = Arc::make_mut(&mut self.chunks[ci]).stored_mut().split_off(off);
                self.chunks.insert(ci + 1, Arc::new(Chunk::Glyphs(tail)));
                ci + 1
            }
        };
        let mut runs = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let cut = rest.char_indices().nth(RUN_CHARS).map_or(rest.len(), |(i, _)| i);
            let (piece, next) = rest.split_at(cut);
            let chars = piece.chars().count();
            runs.push(Arc::new(Chunk::Run { text: piece.to_owned(), chars, by, cause }));
            rest = next;
        }
        self.chunks.splice(at..at, runs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk_lens(d: &Document) -> Vec<usize> {
        d.chunks.iter().map(|c| c.len()).collect()
    }

    #[test]
    fn large_inserts_split_into_chunks_and_keep_order() {
        let mut d = Document::default();
        let big: String = (0..5000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        d.insert(0, &big, 1, Cause::Typed);
        d.insert(2500, "XYZ", 2, Cause::Typed);
        d.delete(10, 3000);
        let mut expected = big.clone();
        expected.insert_str(2500, "XYZ");
        expected.replace_range(10..3010, "");
        assert_eq!(d.text(), expected);
        assert_eq!(d.len(), expected.chars().count());
        assert!(chunk_lens(&d).iter().all(|&n| n <= RUN_CHARS));
        let typed: Vec<_> = d.glyphs().filter(|g| g.by == 2).map(|g| g.ch).collect();
        assert!(typed.is_empty(), "XYZ was inside the deleted range");
    }

    #[test]
    fn small_inserts_stay_in_chunks_of_at_most_the_limit() {
        let mut d = Document::default();
        for i in 0..5000 {
            d.insert(i, "x", i as u32, Cause::Typed);
        }
        assert_eq!(d.len(), 5000);
        assert!(chunk_lens(&d).iter().all(|&n| n <= MAX_CHUNK));
        assert!(d.glyphs().enumerate().all(|(i, g)| g.by == i as u32));
    }

    #[test]
    fn a_paste_is_held_as_text_until_an_edit_touches_it() {
        let mut d = Document::default();
        d.insert(0, "héllo wörld", 1, Cause::Typed);
        let paste = "ü".repeat(RUN_CHARS + 10);
        d.insert(5, &paste, 2, Cause::PasteExt);
        assert!(
            matches!(*d.chunks[1], Chunk::Run { .. }) && matches!(*d.chunks[2], Chunk::Run { .. })
        );
        assert_eq!(d.len(), 11 + RUN_CHARS + 10);
        let mut expected = String::from("héllo");
        expected.push_str(&paste);
        expected.push_str(" wörld");
        assert_eq!(d.text(), expected);
        // An edit inside the first run turns only that run into per-character storage.
        d.insert(7, "Z", 3, Cause::Typed);
        d.delete(8, 2);
        expected.insert(expected.char_indices().nth(7).unwrap().0, 'Z');
        let at = expected.char_indices().nth(8).unwrap().0;
        expected.replace_range(at..at + "üü".len(), "");
        assert_eq!(d.text(), expected);
        assert!(d.chunks.iter().any(|c| matches!(**c, Chunk::Run { .. })));
        let causes: Vec<_> = d.glyphs().map(|g| (g.cause, g.by)).collect();
        assert_eq!(causes[4], (Cause::Typed, 1));
        assert_eq!(causes[5], (Cause::PasteExt, 2));
        assert_eq!(causes[7], (Cause::Typed, 3));
        assert_eq!(causes.last(), Some(&(Cause::Typed, 1)));
        assert_eq!(d.slice(6, 9), expected.chars().skip(6).take(3).collect::<String>());
        assert!(d.matches_at(7, "Zü"));
        // Deleting whole runs and the rest leaves nothing behind.
        d.delete(0, d.len());
        assert!(d.is_empty() && d.chunks.is_empty() && d.text().is_empty());
    }

    #[test]
    fn a_glyph_keeps_every_character_and_cause_when_packed() {
        for cause in Cause::ALL {
            for ch in ['a', 'é', '\u{10ffff}', '\0', '😀'] {
                let g = Stored::new(ch, u32::MAX, cause).glyph();
                assert_eq!(g, Glyph { ch, by: u32::MAX, cause });
            }
        }
        assert_eq!(size_of::<Stored>(), 8);
    }

    /// One edit of the model test: at a fraction of the text, delete some chars and insert a
    /// run of one char (short ones are typing, long ones cross into runs and past a run chunk).
    #[derive(Debug, Clone)]
    struct Op {
        at: f64,
        delete: usize,
        insert: usize,
        ch: char,
        cause: usize,
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let insert = prop_oneof![4 => 0..4usize, 2 => 0..1500usize, 1 => 60_000..70_000usize];
        (
            0.0..=1.0f64,
            prop_oneof![3 => Just(0usize), 1 => 0..2000usize],
            insert,
            any::<char>(),
            0..11usize,
        )
            .prop_map(|(at, delete, insert, ch, cause)| Op {
                at,
                delete,
                insert,
                ch,
                cause,
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Any mix of typing, pastes and deletions reads back exactly as a plain list of
        /// glyphs does, and a clone kept before (a keyframe) never sees a later edit.
        #[test]
        fn edits_read_back_as_a_plain_glyph_list_and_spare_earlier_clones(ops in proptest::collection::vec(op(), 1..40)) {
            let mut doc = Document::default();
            let mut model: Vec<Glyph> = Vec::new();
            let mut kept: Vec<(Document, Vec<Glyph>)> = Vec::new();
            for (by, op) in ops.iter().enumerate() {
                let pos = ((model.len() as f64) * op.at) as usize;
                let n = op.delete.min(model.len() - pos);
                doc.delete(pos, n);
                model.drain(pos..pos + n);
                let cause = Cause::ALL[op.cause];
                let text: String = std::iter::repeat_n(op.ch, op.insert).collect();
                let by = by as u32;
                proptest::prop_assert_eq!(doc.insert(pos, &text, by, cause), op.insert);
                model.splice(pos..pos, text.chars().map(|ch| Glyph { ch, by, cause }));
                proptest::prop_assert_eq!(doc.len(), model.len());
                proptest::prop_assert!(doc.glyphs().eq(model.iter().copied()));
                let (a, b) = (pos / 2, pos + op.insert / 2 + 1);
                let expected: String = model.iter().skip(a).take(b - a).map(|g| g.ch).collect();
                proptest::prop_assert_eq!(&doc.slice(a, b), &expected);
                proptest::prop_assert!(doc.matches_at(a, &expected));
                proptest::prop_assert!(doc.chunks.iter().all(|c| c.len() > 0 && c.len() <= RUN_CHARS));
                if by.is_multiple_of(3) {
                    kept.push((doc.clone(), model.clone()));
                }
            }
            proptest::prop_assert_eq!(doc.text(), model.iter().map(|g| g.ch).collect::<String>());
            for (earlier, then) in &kept {
                proptest::prop_assert!(earlier.glyphs().eq(then.iter().copied()));
            }
        }
    }

    #[test]
    fn clones_share_untouched_chunks() {
        let mut d = Document::default();
        for i in 0..4 {
            d.insert(i * 1000, &"x".repeat(1000), 1, Cause::Typed);
        }
        let kept = d.clone();
        d.insert(0, "y", 2, Cause::Typed);
        assert_eq!(kept.len(), 4000);
        assert_eq!(d.len(), 4001);
        let shared =
            d.chunks.iter().filter(|c| kept.chunks.iter().any(|k| Arc::ptr_eq(c, k))).count();
        assert!(shared >= 1);
    }
}
