//! Handprint: evidence of human authorship for written work.
//!
//! The crate is a headless core — [`event`] model, [`journal`], [`replay`], [`attest`], the
//! opened [`record::Record`] that [`verify`], [`analysis`] and [`report`] borrow — plus, behind the
//! default `gui` feature, the capture back-ends and the desktop app. The core compiles with
//! `--no-default-features` and is what a task platform embeds to verify and analyze entries.
//! ARCHITECTURE.md shows how the modules fit together.

pub mod analysis;
pub mod attest;
#[cfg(feature = "gui")]
pub mod capture;
#[cfg(feature = "cli")]
pub mod cli;
pub mod event;
pub mod journal;
pub mod paths;
pub mod platform;
pub mod record;
pub mod replay;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
pub mod session;
#[cfg(feature = "gui")]
pub mod ui;
pub mod verify;

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Parses hex (either case); `None` if `s` is not an even number of hex digits.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}
