//! Encoding and decoding of one journal line: a JSON object whose last member is the chain tag.

use super::chain::{ChainValue, TAG_LEN};
use crate::event::Entry;

/// `,"h":"` + tag + `"}`: the fixed-length suffix of every line (without the newline).
pub const SUFFIX_LEN: usize = 6 + TAG_LEN + 2;

/// Serializes `entry` as one line (with its trailing newline), chained after `prev`.
/// Returns the line and the new chain value.
pub fn encode(entry: &Entry, prev: &ChainValue) -> (Vec<u8>, ChainValue) {
    // Serializing our own types to a Vec cannot fail: no maps with non-string keys, no I/O.
    let mut line = serde_json::to_vec(entry).expect("journal entries always serialize");
    line.pop(); // the closing brace; the tag member goes before it
    let next = prev.next(&line);
    line.extend_from_slice(b",\"h\":\"");
    line.extend_from_slice(next.tag().as_bytes());
    line.extend_from_slice(b"\"}\n");
    (line, next)
}

/// Splits a line (without its newline) into the chained body and the stored tag.
/// `None` when the line does not end in a well-formed `,"h":"…"}` member.
pub fn split(line: &[u8]) -> Option<(&[u8], &[u8])> {
    if line.len() < SUFFIX_LEN + 2 {
        return None;
    }
    let (body, suffix) = line.split_at(line.len() - SUFFIX_LEN);
    let tag = suffix.strip_prefix(b",\"h\":\"")?.strip_suffix(b"\"}")?;
    Some((body, tag))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Entry, Event};

    #[test]
    fn encoded_line_splits_back_into_body_and_tag() {
        let r = Entry { seq: 0, t_us: 0, event: Event::Pause };
        let (line, next) = encode(&r, &ChainValue::genesis());
        assert_eq!(*line.last().unwrap(), b'\n');
        let (body, tag) = split(&line[..line.len() - 1]).unwrap();
        assert_eq!(body, br#"{"s":0,"t":0,"e":"pause""#);
        assert_eq!(tag, next.tag().as_bytes());
        let parsed: Entry = serde_json::from_slice(&line).unwrap();
        assert_eq!(parsed, r);
    }
}
