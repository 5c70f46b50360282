//! Every single-bit change anywhere in a bundle is rejected, and none makes the verifier panic.

mod support;

use handprint::verify::{VerifyOptions, verify_bytes};

/// Bit positions to flip: a deterministic spread (xorshift) over the whole file, plus every
/// bit of its first and last 64 bytes where the framing lives.
fn positions(bits: usize, n: usize) -> Vec<usize> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out: Vec<usize> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % bits as u64) as usize
        })
        .collect();
    out.extend(0..512.min(bits));
    out.extend(bits.saturating_sub(512)..bits);
    out
}

#[test]
fn every_single_bit_flip_is_rejected_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let s = support::record(dir.path(), "s", "T-1", Some("n"));
    let bytes = std::fs::read(&s.exported.bundle).unwrap();
    let opts = support::pinned(&s);
    assert!(verify_bytes(&bytes, &opts).unwrap().valid);
    let mut accepted = Vec::new();
    let mut panicked = Vec::new();
    let flips = positions(bytes.len() * 8, 4000);
    for &bit in &flips {
        let mut b = bytes.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        match std::panic::catch_unwind(|| verify_bytes(&b, &opts)) {
            Err(_) => panicked.push(bit),
            Ok(Ok(r)) if r.valid => accepted.push(bit),
            Ok(_) => {}
        }
    }
    assert!(panicked.is_empty(), "verifier panicked on bit flips at {panicked:?}");
    assert!(accepted.is_empty(), "bit flips at {accepted:?} were accepted");
    assert!(flips.len() >= 4000);
}

#[test]
fn every_truncation_of_a_bundle_is_rejected_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let s = support::record(dir.path(), "s", "T-1", None);
    let bytes = std::fs::read(&s.exported.bundle).unwrap();
    let opts = support::pinned(&s);
    // The final newline is insignificant JSON whitespace; any shorter prefix is not a bundle.
    for len in 0..bytes.len() - 1 {
        let r = std::panic::catch_unwind(|| verify_bytes(&bytes[..len], &opts));
        assert!(!matches!(r, Ok(Ok(ref rep)) if rep.valid), "prefix of {len} bytes accepted");
        assert!(r.is_ok(), "prefix of {len} bytes panicked");
    }
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_verifier(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
        let _ = verify_bytes(&bytes, &VerifyOptions::default());
        let mut journalish = b"{\"s\":0,".to_vec();
        journalish.extend_from_slice(&bytes);
        let _ = verify_bytes(&journalish, &VerifyOptions::default());
    }
}
