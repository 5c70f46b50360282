//! The replayed text with per-character origin, stored in shared chunks.
//!
//! A document is a list of reference-counted chunks of [`Glyph`]s. Cloning one (to keep a
//! keyframe) copies only the list of pointers; an edit copies just the chunk it touches
//! (`Arc::make_mut`). This keeps a keyframe every thousand events affordable on sessions of
//! a million events, which is what makes seeking fast enough to scrub.

use crate::event::Cause;
use std::sync::Arc;

/// Chunks are split when they grow past this many glyphs.
const MAX_CHUNK: usize = 1024;

/// One character of the text with where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub ch: char,
    /// Sequence number of the edit event that inserted it.
    pub by: u32,
    /// How it was inserted.
    pub cause: Cause,
}

/// The text at one point of the session.
#[derive(Debug, Clone, Default)]
pub struct Document {
    chunks: Vec<Arc<Vec<Glyph>>>,
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
    pub fn glyphs(&self) -> impl Iterator<Item = &Glyph> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// The plain text.
    pub fn text(&self) -> String {
        self.glyphs().map(|g| g.ch).collect()
    }

    /// The text of chars `[a, b)`; clamped to the document.
    pub fn slice(&self, a: usize, b: usize) -> String {
        let b = b.min(self.len);
        self.glyphs().skip(a).take(b.saturating_sub(a)).map(|g| g.ch).collect()
    }

    /// Whether the chars at `[pos, pos + n)` spell `expected`.
    pub fn matches_at(&self, pos: usize, expected: &str) -> bool {
        let mut it = self.glyphs().skip(pos);
        expected.chars().all(|c| it.next().is_some_and(|g| g.ch == c))
    }

    /// Chunk index and offset of char `pos` (`pos == len` gives the end of the last chunk).
    fn locate(&self, pos: usize) -> (usize, usize) {
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
            let chunk = Arc::make_mut(&mut self.chunks[ci]);
            let take = n.min(chunk.len() - off);
            chunk.drain(off..off + take);
            if chunk.is_empty() {
                self.chunks.remove(ci);
            }
            n -= take;
            self.len -= take;
        }
    }

    /// Inserts `glyphs` at `pos`. The caller has checked `pos <= len`.
    pub fn insert(&mut self, pos: usize, glyphs: &[Glyph]) {
        if glyphs.is_empty() {
            return;
        }
        if self.chunks.is_empty() {
            self.chunks.push(Arc::new(Vec::new()));
        }
        let (ci, off) = self.locate(pos);
        let chunk = Arc::make_mut(&mut self.chunks[ci]);
        chunk.splice(off..off, glyphs.iter().copied());
        self.len += glyphs.len();
        if chunk.len() > MAX_CHUNK {
            let whole = std::mem::take(chunk);
            let pieces: Vec<_> =
                whole.chunks(MAX_CHUNK / 2).map(|p| Arc::new(p.to_vec())).collect();
            self.chunks.splice(ci..=ci, pieces);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(s: &str, by: u32) -> Vec<Glyph> {
        s.chars().map(|ch| Glyph { ch, by, cause: Cause::Typed }).collect()
    }

    #[test]
    fn large_inserts_split_into_chunks_and_keep_order() {
        let mut d = Document::default();
        let big: String = (0..5000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        d.insert(0, &glyphs(&big, 1));
        d.insert(2500, &glyphs("XYZ", 2));
        d.delete(10, 3000);
        let mut expected = big.clone();
        expected.insert_str(2500, "XYZ");
        expected.replace_range(10..3010, "");
        assert_eq!(d.text(), expected);
        assert_eq!(d.len(), expected.chars().count());
        assert!(d.chunks.iter().all(|c| c.len() <= MAX_CHUNK));
    }

    #[test]
    fn clones_share_untouched_chunks() {
        let mut d = Document::default();
        d.insert(0, &glyphs(&"x".repeat(4000), 1));
        let kept = d.clone();
        d.insert(0, &glyphs("y", 2));
        assert_eq!(kept.len(), 4000);
        assert_eq!(d.len(), 4001);
        let shared =
            d.chunks.iter().filter(|c| kept.chunks.iter().any(|k| Arc::ptr_eq(c, k))).count();
        assert!(shared >= 1);
    }
}
