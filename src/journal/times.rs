//! Time order over raw lines: whether `t` ever decreases from one line to the next, read
//! from lines that need not verify. Verification reports it on its own, whatever else is
//! wrong with a journal, so an auditor sees a clock that ran backwards even in a journal
//! whose chain is broken.

/// The members of a line this check reads; any others are ignored.
#[derive(serde::Deserialize)]
struct Time {
    #[serde(rename = "s")]
    seq: u64,
    t: u64,
}

/// Where time first goes backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backwards {
    pub seq: u64,
    pub t_us: u64,
    pub prev_us: u64,
}

/// The time order of the lines read so far. Lines that are not JSON objects with `s` and
/// `t` are passed over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeOrder {
    prev: Option<u64>,
    backwards: Option<Backwards>,
}

impl TimeOrder {
    /// The order of lines that follow one at time `prev_us` (`None`: from the first line).
    pub fn after(prev_us: Option<u64>) -> TimeOrder {
        TimeOrder { prev: prev_us, backwards: None }
    }

    /// Takes the next line (without its newline).
    pub fn line(&mut self, raw: &[u8]) {
        if self.backwards.is_some() || raw.is_empty() {
            return;
        }
        let Ok(line) = serde_json::from_slice::<Time>(raw) else { return };
        match self.prev {
            Some(prev_us) if line.t < prev_us => {
                self.backwards = Some(Backwards { seq: line.seq, t_us: line.t, prev_us });
            }
            _ => self.prev = Some(line.t),
        }
    }

    /// Where time first went backwards, if it did.
    pub fn backwards(&self) -> Option<Backwards> {
        self.backwards
    }

    /// The order of every line of `bytes`.
    pub fn of(bytes: &[u8]) -> TimeOrder {
        let mut order = TimeOrder::default();
        for line in bytes.split(|&b| b == b'\n') {
            order.line(line);
        }
        order
    }
}
