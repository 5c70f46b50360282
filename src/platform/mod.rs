//! Anchoring records to a task platform while the writing happens.
//!
//! Everything else in a record sits on the trainer's machine: the key, the clock, the
//! software. The platform service (`handprint serve`) is what the trainer does not control:
//! it issues signed task challenges, signs witness receipts over the journal's chain head as
//! the session is written, and receives the finished bundle. [`protocol`] holds the messages
//! shared by both sides; the trainer's side — [`client`], the stored [`account`], the live
//! [`witness`] and the submission [`spool`] — needs the `client` feature.

pub mod protocol;

#[cfg(feature = "client")]
pub mod account;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod spool;
#[cfg(feature = "client")]
pub mod witness;
