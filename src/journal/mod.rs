//! The session journal: an append-only, hash-chained JSON Lines record of every event.
//!
//! [`JournalWriter`] writes it as events happen and recovers it after a crash; [`parse`]
//! reads and verifies one. See docs/FORMAT.md for the byte-level format.

mod chain;
mod checkpoint;
mod chunks;
pub mod facts;
mod line;
mod reader;
mod times;
mod writer;

pub use chain::{ChainValue, TAG_LEN};
pub use checkpoint::{CheckpointPolicy, CheckpointSigner, checkpoint_message};
pub use chunks::Chunks;
pub use facts::Facts;
pub use line::{encode as encode_line, split as split_line};
pub use reader::{
    Journal, JournalError, LineProblem, LineReader, parse, parse_count, parse_prefix,
};
pub use times::{Backwards, TimeOrder};
pub use writer::{JournalWriter, Recovery, SYNC_INTERVAL, WriteError};

#[cfg(test)]
mod tests;
