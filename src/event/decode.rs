//! Reading an [`Entry`] from its line in one pass.
//!
//! The derived reader for a struct with a flattened, internally tagged enum first copies
//! every member of the line into a generic tree, then reads the event from that copy: a
//! third of the time of verifying a large journal went there. docs/FORMAT.md fixes the
//! order of a line's first members (`s`, `t`, then the tag `e`), so the event kind is known
//! before its members come, and its payload is read straight from the rest of the line.
//!
//! The rules stay those of the derived reader: a payload's unknown members are ignored (the
//! chain tag `h` among them), a member given twice is refused — `s`, `t` or `e` repeated
//! later in the line too — and an unknown tag names the known ones.

use super::{Entry, Event};
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entry, D::Error> {
        deserializer.deserialize_map(EntryVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a journal line: an object whose members begin with s, t and e")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let seq = leading(&mut map, "s")?;
        let t_us = leading(&mut map, "t")?;
        let tag: Name<'de> = leading(&mut map, "e")?;
        let event = Event::from_members(tag.as_str(), Rest { map })?;
        Ok(Entry { seq, t_us, event })
    }
}

/// The value of the member that must come next, `name`.
fn leading<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    name: &'static str,
) -> Result<T, A::Error> {
    match map.next_key::<Name<'de>>()? {
        Some(found) if found.as_str() == name => map.next_value(),
        Some(_) => Err(de::Error::custom(
            "the line does not begin with its members s, t and e in that order",
        )),
        None => Err(de::Error::missing_field(name)),
    }
}

impl Event {
    /// The event tagged `tag`, its payload read from `members` (the rest of its line).
    fn from_members<'de, A: MapAccess<'de>>(tag: &str, members: A) -> Result<Event, A::Error> {
        Event::decode_payload(tag, MapAccessDeserializer::new(members))
    }
}

/// Reads a payload-less event's members (there should be none but the chain tag), so that
/// a repeated `s`, `t` or `e` is refused for these kinds too.
pub(super) fn no_payload<'de, D: Deserializer<'de>>(members: D) -> Result<(), D::Error> {
    IgnoredAny::deserialize(members).map(|_| ())
}

/// A member name, borrowed from the line where it has no escapes.
enum Name<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Name<'_> {
    fn as_str(&self) -> &str {
        match self {
            Name::Borrowed(s) => s,
            Name::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name<'de>, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Name<'de>, E> {
                Ok(Name::Borrowed(s))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Name<'de>, E> {
                Ok(Name::Owned(s.to_owned()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Name<'de>, E> {
                Ok(Name::Owned(s))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// The members after `s`, `t` and `e`, refusing any of those three given again.
struct Rest<A> {
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(name) = self.map.next_key::<Name<'de>>()? else {
            return Ok(None);
        };
        if let field @ ("s" | "t" | "e") = name.as_str() {
            return Err(de::Error::custom(format_args!("duplicate field `{field}`")));
        }
        match name {
            Name::Borrowed(s) => seed.deserialize(BorrowedStrDeserializer::new(s)).map(Some),
            Name::Owned(s) => seed.deserialize(StringDeserializer::new(s)).map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Cause, Edit, Entry, Event};

    fn read(line: &str) -> Result<Entry, String> {
        serde_json::from_str(line).map_err(|e| e.to_string())
    }

    #[test]
    fn a_line_reads_as_its_event_whatever_follows() {
        let e = read(r#"{"s":3,"t":9,"e":"ed","p":1,"i":"ab","c":"paste_ext","h":"x"}"#).unwrap();
        let edit = Edit { p: 1, d: Default::default(), i: "ab".into(), c: Cause::PasteExt };
        assert_eq!(e, Entry { seq: 3, t_us: 9, event: Event::Edit(edit) });
        assert_eq!(read(r#"{"s":1,"t":2,"e":"pause","h":"x"}"#).unwrap().event, Event::Pause);
    }

    #[test]
    fn bad_lines_are_refused_with_the_reason() {
        for (line, said) in [
            (r#"{"s":1,"t":2,"e":"ed","p":1,"s":4}"#, "duplicate field `s`"),
            (r#"{"s":1,"t":2,"e":"pause","e":"resume"}"#, "duplicate field `e`"),
            (r#"{"s":1,"t":2,"e":"ed","p":1,"p":2}"#, "duplicate field `p`"),
            (r#"{"t":2,"s":1,"e":"pause"}"#, "in that order"),
            (r#"{"s":1,"t":2,"e":"nope"}"#, "unknown variant `nope`"),
            (r#"{"s":1,"t":2,"e":"ed","i":"x"}"#, "missing field `p`"),
            (r#"{"s":1,"t":2}"#, "missing field `e`"),
            (r#"{"s":1.0,"t":2,"e":"pause"}"#, "invalid type"),
            (r#"[1,2]"#, "invalid type"),
        ] {
            let err = read(line).unwrap_err();
            assert!(err.contains(said), "{line}: {err}");
        }
    }
}
