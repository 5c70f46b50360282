//! The strict parts of verification: what a signed statement may contain, which times are
//! real times, and whether the signed analysis is the one the journal gives.
//!
//! Each rule closes a gap an independent verifier found (issue 12): generic in-toto tools
//! treat every subject as attested, so an extra subject naming another text's digest would
//! lend this record to that text; an unparsable wall time used to be passed through as the
//! end time unchanged; and the analysis summary was signed but never compared, so a trainer
//! holding their own key could sign "100% typed, no flags" over a journal full of pastes.

use super::{CheckName, VerifyReport};
use crate::analysis::{ANALYSIS_VERSION, Analysis, EARLIER_ANALYSIS_VERSIONS};
use crate::attest::{SUBJECT_JOURNAL, SUBJECT_NORMALIZED, SUBJECT_TEXT, Statement};
use crate::event::Event;
use crate::journal::Journal;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::collections::HashSet;

/// The subjects, in order, that a Handprint statement names: exactly these, each with one
/// sha256 digest of 64 lowercase hex digits.
const SUBJECTS: [&str; 3] = [SUBJECT_TEXT, SUBJECT_NORMALIZED, SUBJECT_JOURNAL];

/// Problems with the statement's subjects, in words; empty when they are exactly right.
pub(super) fn subject_problems(st: &Statement) -> Vec<String> {
    let names: Vec<&str> = st.subject.iter().map(|s| s.name.as_str()).collect();
    let mut problems = Vec::new();
    if names != SUBJECTS {
        problems.push(format!(
            "the subjects are {names:?}, but a Handprint statement names exactly {SUBJECTS:?}, in that order"
        ));
    }
    for s in &st.subject {
        let algorithms: Vec<&str> = s.digest.keys().map(String::as_str).collect();
        if algorithms != ["sha256"] {
            problems.push(format!(
                "subject {} has digests {algorithms:?}; exactly one, sha256, is allowed",
                s.name
            ));
        }
        if let Some(d) = s.digest.get("sha256")
            && !is_sha256_hex(d)
        {
            problems.push(format!("subject {}'s sha256 is not 64 lowercase hex digits", s.name));
        }
    }
    problems
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Parses a journal wall time strictly: RFC 3339 with the `Z` (UTC) designator, as the
/// writer produces it. Anything else is refused rather than carried along as text.
pub fn parse_wall(wall: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if !wall.ends_with('Z') {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(wall).ok().map(|t| t.to_utc())
}

/// Every wall time in the journal parses, and the session's end (start plus the last
/// monotonic time) is a representable time.
pub(super) fn check_wall_times(journal: &Journal, report: &mut VerifyReport) {
    let mut bad = None;
    for r in journal.entries.iter() {
        let wall = match &r.event {
            Event::Start(s) => &s.wall,
            Event::Clock(c) => &c.wall,
            Event::Recovered(c) => &c.wall,
            _ => continue,
        };
        if parse_wall(wall).is_none() {
            bad = Some(format!(
                "event {}: wall time {wall:?} is not an RFC 3339 UTC time (e.g. 2026-01-01T09:00:00.000000Z)",
                r.seq
            ));
            break;
        }
    }
    if bad.is_none() {
        let start = parse_wall(&journal.start().wall);
        let last = journal.entries.last().map_or(0, |r| r.t_us);
        let end = start.and_then(|s| {
            let us = i64::try_from(last).ok()?;
            s.checked_add_signed(chrono::Duration::microseconds(us))
        });
        if end.is_none() {
            bad = Some(format!(
                "the session's end (start {} plus {last} µs) is not a representable time",
                journal.start().wall
            ));
        }
    }
    match bad {
        Some(why) => report.push_check(CheckName::WallTimes, false, why),
        None => report.push_check(
            CheckName::WallTimes,
            true,
            "every wall-clock time is a valid UTC time",
        ),
    }
}

/// What a signed analysis version lets the verifier do with the signed summary.
#[derive(Debug, PartialEq)]
enum SignedVersion {
    /// This build's version: recompute and compare member by member.
    Current,
    /// An earlier version this build knows: its rules are gone, so the summary is not
    /// compared; the check passes with this note, so the reader knows what they are shown.
    Earlier(String),
    /// A version this build does not know (newer, or never released): invalid, named.
    Unknown(String),
}

fn signed_version(version: &str) -> SignedVersion {
    if version == ANALYSIS_VERSION {
        SignedVersion::Current
    } else if EARLIER_ANALYSIS_VERSIONS.contains(&version) {
        SignedVersion::Earlier(format!(
            "signed with {version}; not compared — the analysis shown is recomputed with {ANALYSIS_VERSION}"
        ))
    } else {
        SignedVersion::Unknown(format!(
            "the signed analysis is version {version:?}, which this verifier does not know and cannot recompute (it runs {ANALYSIS_VERSION:?} and knows the earlier {EARLIER_ANALYSIS_VERSIONS:?}); verify with the Handprint version that made the record"
        ))
    }
}

/// Recomputes the analysis summary and compares it with the signed one, naming every member
/// that differs. A record without a signed analysis (`null`) claims nothing and passes; one
/// signed under an earlier analysis version passes uncompared, with a note saying so.
pub(super) fn check_analysis(st: &Statement, analysis: &Analysis, report: &mut VerifyReport) {
    let recomputed = analysis.attestation_summary();
    let Some(signed) = &st.predicate.analysis else {
        report.push_check(CheckName::Analysis, true, "no analysis summary was signed");
        return;
    };
    let version = signed.get("version").and_then(Value::as_str).unwrap_or("(none)");
    match signed_version(version) {
        SignedVersion::Current => {}
        SignedVersion::Earlier(note) => {
            report.push_check(CheckName::Analysis, true, note);
            return;
        }
        SignedVersion::Unknown(why) => {
            report.push_check(CheckName::Analysis, false, why);
            return;
        }
    }
    let differing = differing_members(signed, &recomputed);
    if differing.is_empty() {
        report.push_check(
            CheckName::Analysis,
            true,
            "the signed analysis summary is exactly what the journal gives",
        );
    } else {
        report.push_check(
            CheckName::Analysis,
            false,
            format!(
                "the signed analysis summary is not what the journal gives: {}",
                differing.join("; ")
            ),
        );
    }
}

/// `member (signed X, journal gives Y)` for every member of either object that differs.
fn differing_members(signed: &Value, recomputed: &Value) -> Vec<String> {
    let (Some(a), Some(b)) = (signed.as_object(), recomputed.as_object()) else {
        return vec![format!("signed {signed}, journal gives {recomputed}")];
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            let show = |v: Option<&Value>| v.map_or("nothing".to_owned(), Value::to_string);
            format!("{k} (signed {}, journal gives {})", show(a.get(k)), show(b.get(k)))
        })
        .collect()
}

/// Refuses JSON with a duplicate member name in any object (docs/FORMAT.md, "JSON rules").
/// serde's derived types refuse duplicates of their own fields, but the statement carries
/// the analysis as free-form JSON, where a parser keeps one copy silently, and two readers
/// that keep different copies would see different signed claims.
pub fn refuse_duplicate_members(bytes: &[u8]) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Unique.deserialize(&mut de)?;
    de.end()
}

struct Unique;

impl<'de> DeserializeSeed<'de> for Unique {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Unique)
    }
}

impl<'de> Visitor<'de> for Unique {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Unique)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(A::Error::custom(format!("duplicate member {key:?}")));
            }
            map.next_value_seed(Unique)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_times_must_be_rfc3339_utc() {
        assert!(parse_wall("2026-01-01T09:00:00.000000Z").is_some());
        assert!(parse_wall("2026-01-01T09:00:00.000000+01:00").is_none());
        assert!(parse_wall("yesterday").is_none());
        assert!(parse_wall("2026-13-01T09:00:00Z").is_none());
    }

    #[test]
    fn duplicate_members_are_refused_at_any_depth() {
        assert!(refuse_duplicate_members(br#"{"a":{"b":[{"c":1}]},"d":2}"#).is_ok());
        let e = refuse_duplicate_members(br#"{"a":{"b":[{"c":1,"c":2}]}}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate member \"c\""), "{e}");
    }

    #[test]
    fn an_earlier_known_analysis_version_passes_uncompared_with_a_note() {
        let SignedVersion::Earlier(note) = signed_version("handprint-analysis/1") else {
            panic!("handprint-analysis/1 is an earlier version this build knows");
        };
        assert_eq!(
            note,
            format!(
                "signed with handprint-analysis/1; not compared — the analysis shown is recomputed with {ANALYSIS_VERSION}"
            )
        );
        assert_eq!(signed_version(ANALYSIS_VERSION), SignedVersion::Current);
        assert!(!EARLIER_ANALYSIS_VERSIONS.contains(&ANALYSIS_VERSION));
    }

    #[test]
    fn an_unknown_or_newer_analysis_version_is_invalid_and_named() {
        for v in ["handprint-analysis/3", "handprint-analysis/99", "x/9", "(none)", ""] {
            let SignedVersion::Unknown(why) = signed_version(v) else {
                panic!("{v:?} is not a version this build knows");
            };
            assert!(why.contains(&format!("version {v:?}")), "{why}");
            assert!(why.contains("cannot recompute"), "{why}");
        }
    }

    #[test]
    fn differing_members_are_named_with_both_values() {
        let signed = serde_json::json!({"typed_share": 1.0, "flags": []});
        let real = serde_json::json!({"typed_share": 0.5, "flags": [{"id": "x"}]});
        let d = differing_members(&signed, &real);
        assert_eq!(d.len(), 2);
        assert!(d[1].starts_with("typed_share (signed 1.0, journal gives 0.5)"), "{d:?}");
    }
}
