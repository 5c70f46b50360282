//! What the platform's witness shows: the signed challenge in the first line, and the
//! receipts (`wit` events) the service signed over the chain head while the session was
//! written.
//!
//! The receipts are the only times in a record that the trainer's machine does not control.
//! Between two receipts the journal cannot honestly claim more writing time than really
//! passed; a session with no receipts, or a long stretch without any, was not seen while it
//! was written. Those are flags with reasons, not verdicts: an outage also makes a gap. A
//! receipt that does not verify, or does not match the chain, makes the record invalid.

use super::CheckName;
use super::VerifyReport;
use crate::attest::PublicKey;
use crate::event::{Event, SessionStart};
use crate::journal::{ChainValue, Journal, split_line};
use crate::platform::protocol::Receipt;
use crate::record::Record;
use serde::Serialize;

/// How far the journal's time between two receipts may run ahead of the service's: a
/// receipt is stamped when the head arrives, up to the client's request timeout (10 s)
/// after the head was written, plus 1% for clock-rate differences between the machines.
const AHEAD_SLACK_US: u64 = 10_000_000;
/// Longest stretch of active writing (pauses excluded) without a receipt before it is
/// flagged: ten missed 30-second witness intervals.
const UNWITNESSED_LIMIT_US: u64 = 300_000_000;

/// One finding of the witness checks, with its reason and the events it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WitnessFlag {
    /// Stable name: `ahead_of_real_time`, `unwitnessed_span`, `no_receipts`,
    /// `receipt_before_challenge`, `receipt_missing` (service side).
    pub kind: String,
    /// Plain-words reason with the numbers behind it.
    pub reason: String,
    /// First and last event index concerned.
    pub events: (u64, u64),
}

/// What the receipts showed.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct WitnessSummary {
    pub receipts: usize,
    /// Service time of the first and last receipt.
    pub first_at: Option<String>,
    pub last_at: Option<String>,
    /// Real time the platform saw the session being written (first to last receipt), s.
    pub witnessed_seconds: f64,
    pub flags: Vec<WitnessFlag>,
}

/// Chain value after each line (`heads[i]` covers lines 0..=i), from the journal bytes.
pub(crate) fn chain_heads(bytes: &[u8], journal: &Journal) -> Vec<ChainValue> {
    let mut chain = ChainValue::genesis();
    let mut heads = Vec::with_capacity(journal.entries.len());
    for line in bytes.split(|&b| b == b'\n').take(journal.entries.len()) {
        if let Some((body, _)) = split_line(line) {
            chain = chain.next(body);
        }
        heads.push(chain);
    }
    heads
}

/// The `wit` events with their event index.
pub(crate) fn receipts(journal: &Journal) -> Vec<(u64, &Receipt)> {
    journal
        .entries
        .iter()
        .filter_map(|r| match &r.event {
            Event::Witness(w) => Some((r.seq, &**w)),
            _ => None,
        })
        .collect()
}

/// Checks the challenge and the receipts; adds the `challenge` and `witness` checks and
/// returns the summary when the service key is known.
pub(super) fn check_witness(
    record: &Record,
    journal: &Journal,
    service_key: Option<&PublicKey>,
    report: &mut VerifyReport,
) -> Option<WitnessSummary> {
    let start = journal.start();
    let found = receipts(journal);
    if start.challenge.is_none() && found.is_empty() {
        if service_key.is_some() {
            report.push_check(
                CheckName::Witness,
                false,
                "the record carries no platform challenge and no witness receipts, but a service key was given: it was not recorded for that platform",
            );
        }
        return None;
    }
    let Some(key) = service_key else {
        report.push_check(
            CheckName::Witness,
            true,
            format!(
                "{} witness receipts{}; not checked: give the platform's key (--service-key) to check them",
                found.len(),
                if start.challenge.is_some() { " and a platform challenge" } else { "" }
            ),
        );
        return None;
    };
    check_challenge(start, key, report);
    // The heads are worked out from the lines again, only here where receipts are checked.
    let bytes = match record.journal_bytes() {
        Ok(bytes) => bytes,
        Err(e) => {
            report.push_check(CheckName::Witness, false, e.to_string());
            return None;
        }
    };
    let heads = chain_heads(&bytes, journal);
    if let Err(why) = check_receipts(journal, &found, &heads, key) {
        report.push_check(CheckName::Witness, false, why);
        return None;
    }
    let summary = summarize(journal, &found, start);
    report.push_check(
        CheckName::Witness,
        true,
        format!(
            "{} receipts signed by the platform, each matching the chain; it saw the session being written for {:.0} s{}",
            summary.receipts,
            summary.witnessed_seconds,
            match summary.flags.len() {
                0 => String::new(),
                n => format!(" ({n} witness flags)"),
            }
        ),
    );
    Some(summary)
}

fn check_challenge(start: &SessionStart, key: &PublicKey, report: &mut VerifyReport) {
    let Some(c) = &start.challenge else {
        report.push_check(
            CheckName::Challenge,
            false,
            "the record has witness receipts but no platform challenge in its first line",
        );
        return;
    };
    let mut problems = Vec::new();
    if let Err(why) = c.verify(key) {
        problems.push(why);
    }
    if start.task != c.task {
        problems.push(format!("start.task is {:?}, the challenge is for {:?}", start.task, c.task));
    }
    if start.nonce.as_deref() != Some(c.nonce.as_str()) {
        problems.push("start.nonce is not the challenge's nonce".into());
    }
    if start.prompt_sha256.as_deref() != Some(c.prompt_sha256.as_str()) {
        problems.push("start.prompt_sha256 is not the challenge's prompt digest".into());
    }
    if problems.is_empty() {
        report.push_check(
            CheckName::Challenge,
            true,
            format!(
                "answers challenge {} for task {} issued to trainer {} at {}",
                c.id, c.task, c.trainer, c.issued
            ),
        );
    } else {
        report.push_check(CheckName::Challenge, false, problems.join("; "));
    }
}

fn check_receipts(
    journal: &Journal,
    found: &[(u64, &Receipt)],
    heads: &[ChainValue],
    key: &PublicKey,
) -> Result<(), String> {
    let session = &journal.start().session;
    let mut prev: Option<&Receipt> = None;
    for &(seq, r) in found {
        r.verify(key, session).map_err(|why| format!("event {seq}: {why}"))?;
        if r.n == 0 || r.n > seq {
            return Err(format!(
                "event {seq}: the receipt covers {} lines, but it can only cover lines before itself",
                r.n
            ));
        }
        let actual = heads.get(r.n as usize - 1).map(ChainValue::hex).unwrap_or_default();
        if actual != r.head {
            return Err(format!(
                "event {seq}: the platform witnessed a different chain over events 0 to {}: the journal was changed after the platform saw it",
                r.n - 1
            ));
        }
        if let Some(p) = prev
            && (r.n < p.n || parse_us(&r.at) < parse_us(&p.at))
        {
            return Err(format!("event {seq}: receipts out of order"));
        }
        prev = Some(r);
    }
    Ok(())
}

fn summarize(journal: &Journal, found: &[(u64, &Receipt)], start: &SessionStart) -> WitnessSummary {
    let records = &journal.entries;
    let mut s = WitnessSummary { receipts: found.len(), ..Default::default() };
    let last_seq = records.last().map_or(0, |r| r.seq);
    let (Some(first), Some(last)) = (found.first(), found.last()) else {
        s.flags.push(WitnessFlag {
            kind: "no_receipts".into(),
            reason: "the record answers a platform challenge but has no witness receipts: the platform never saw this session while it was written (offline the whole time, or the receipts were removed)".into(),
            events: (0, last_seq),
        });
        return s;
    };
    s.first_at = Some(first.1.at.clone());
    s.last_at = Some(last.1.at.clone());
    s.witnessed_seconds = parse_us(&last.1.at).saturating_sub(parse_us(&first.1.at)) as f64 / 1e6;
    if let Some(c) = &start.challenge
        && parse_us(&first.1.at) < parse_us(&c.issued)
    {
        s.flags.push(WitnessFlag {
            kind: "receipt_before_challenge".into(),
            reason: format!(
                "the first receipt ({}) is earlier than the challenge was issued ({})",
                first.1.at, c.issued
            ),
            events: (first.0, first.0),
        });
    }
    // Journal time of the last line each receipt covers.
    let t_of = |n: u64| records.get(n.saturating_sub(1) as usize).map_or(0, |r| r.t_us);
    // Between any two receipts the slack is paid once (only the earlier receipt's delay
    // matters), so besides each interval the whole witnessed stretch is checked too: many
    // intervals each just inside the slack still add up.
    let mut pairs: Vec<(&Receipt, &Receipt)> = found.windows(2).map(|p| (p[0].1, p[1].1)).collect();
    if found.len() > 2 {
        pairs.push((first.1, last.1));
    }
    for (a, b) in pairs {
        let journal_us = t_of(b.n).saturating_sub(t_of(a.n));
        let real_us = parse_us(&b.at).saturating_sub(parse_us(&a.at));
        let already = s.flags.iter().any(|f| f.kind == "ahead_of_real_time");
        if journal_us > real_us + AHEAD_SLACK_US + real_us / 100
            && !(already && a == first.1 && b == last.1)
        {
            s.flags.push(WitnessFlag {
                kind: "ahead_of_real_time".into(),
                reason: format!(
                    "events {} to {} claim {:.1} s of writing, but only {:.1} s passed at the platform between the receipts around them: the session was produced faster than the journal says",
                    a.n - 1,
                    b.n - 1,
                    journal_us as f64 / 1e6,
                    real_us as f64 / 1e6
                ),
                events: (a.n - 1, b.n - 1),
            });
        }
    }
    let mut bounds: Vec<u64> = vec![0];
    bounds.extend(found.iter().map(|(_, r)| r.n - 1));
    bounds.push(last_seq);
    for w in bounds.windows(2) {
        let active = active_us(journal, w[0], w[1]);
        if active > UNWITNESSED_LIMIT_US {
            s.flags.push(WitnessFlag {
                kind: "unwitnessed_span".into(),
                reason: format!(
                    "{:.0} s of writing between events {} and {} without a witness receipt (the platform was unreachable, or receipts were removed)",
                    active as f64 / 1e6,
                    w[0],
                    w[1]
                ),
                events: (w[0], w[1]),
            });
        }
    }
    s
}

/// Journal time between events `from` and `to`, without the paused stretches.
fn active_us(journal: &Journal, from: u64, to: u64) -> u64 {
    let mut active = 0u64;
    let mut paused = false;
    let mut prev_t: Option<u64> = None;
    for r in journal.entries.iter().skip(from as usize).take((to - from + 1) as usize) {
        if let Some(p) = prev_t
            && !paused
        {
            active += r.t_us.saturating_sub(p);
        }
        match r.event {
            Event::Pause => paused = true,
            Event::Resume => paused = false,
            _ => {}
        }
        prev_t = Some(r.t_us);
    }
    active
}

/// Microseconds since the Unix epoch of an RFC 3339 time (0 when unreadable).
pub(crate) fn parse_us(s: &str) -> u64 {
    chrono::DateTime::parse_from_rfc3339(s).map(|t| t.timestamp_micros().max(0) as u64).unwrap_or(0)
}
