//! The monotonic-time check, run on the raw lines so it is reported on its own even when the
//! chain check fails for another reason.

use super::{CheckName, VerifyReport};
use crate::journal::TimeOrder;

/// Reports whether `t` never decreases from one line to the next.
pub(super) fn check(order: TimeOrder, report: &mut VerifyReport) {
    match order.backwards() {
        Some(b) => report.push_check(
            CheckName::Timestamps,
            false,
            format!("event {}: time goes backwards ({} µs after {} µs)", b.seq, b.t_us, b.prev_us),
        ),
        None => passed(report),
    }
}

/// Reports that time never goes backwards (known when the journal parsed: its parser checks
/// it on every line).
pub(super) fn passed(report: &mut VerifyReport) {
    report.push_check(CheckName::Timestamps, true, "time never goes backwards");
}
