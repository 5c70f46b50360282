//! The monotonic-time check, run on the raw lines so it is reported on its own even when the
//! chain check fails for another reason.

use super::{CheckName, VerifyReport};

#[derive(serde::Deserialize)]
struct Time {
    #[serde(rename = "s")]
    seq: u64,
    t: u64,
}

/// Reports whether `t` never decreases from one line to the next.
pub(super) fn check(bytes: &[u8], report: &mut VerifyReport) {
    let mut prev: Option<u64> = None;
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let Ok(rec) = serde_json::from_slice::<Time>(line) else { continue };
        if let Some(p) = prev
            && rec.t < p
        {
            report.push_check(
                CheckName::Timestamps,
                false,
                format!("event {}: time goes backwards ({} µs after {p} µs)", rec.seq, rec.t),
            );
            return;
        }
        prev = Some(rec.t);
    }
    report.push_check(CheckName::Timestamps, true, "time never goes backwards");
}
