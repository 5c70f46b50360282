//! Fuzzing on stable Rust, bounded and deterministic so it runs in every `cargo test`:
//! 10,000+ random mutations of a real recorded bundle are all rejected without a panic, and
//! arbitrary journal lines, envelopes, statements and LWP CSV never panic their readers.
//!
//! A mutation can leave the record's meaning untouched: JSON whitespace, another base64
//! alphabet or dropped padding in the envelope (both allowed by DSSE). Such mutations are
//! recognised by decoding what the verifier decodes, counted apart, and must still verify;
//! every other mutation must be refused. The counts are in docs/SECURITY.md.

use base64::Engine;
use handprint::attest::{Bundle, PublicKey};
use handprint::verify::{VerifyOptions, verify_bytes};
use proptest::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn pinned() -> VerifyOptions {
    let key = PublicKey::parse(&std::fs::read(fixture("recorded-session.pub")).unwrap()).unwrap();
    VerifyOptions { pubkey: Some(key), ..Default::default() }
}

/// A small deterministic generator (xorshift64*), so a failure names a reproducible case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn byte(&mut self) -> u8 {
        // Mostly bytes that matter to JSON and base64, sometimes anything.
        const INTERESTING: &[u8] = b"{}[]\",:0123456789+-/=_ \n\\eEtfn.Aa";
        if self.below(3) == 0 {
            self.next() as u8
        } else {
            INTERESTING[self.below(INTERESTING.len())]
        }
    }
}

/// One random change to `b`: flip, replace, insert, delete, duplicate or move a range.
fn mutate(b: &mut Vec<u8>, rng: &mut Rng) {
    let len = b.len().max(1);
    let at = rng.below(len).min(b.len().saturating_sub(1));
    let n = 1 + rng.below(16);
    match rng.below(6) {
        0 => b[at] ^= 1 << rng.below(8),
        1 => b[at] = rng.byte(),
        2 => b.insert(at, rng.byte()),
        3 => {
            b.drain(at..(at + n).min(b.len()));
        }
        4 => {
            let piece = b[at..(at + n).min(b.len())].to_vec();
            let to = rng.below(b.len());
            b.splice(to..to, piece);
        }
        _ => {
            let to = rng.below(b.len());
            b.swap(at, to);
        }
    }
}

/// What the verifier reads from a bundle: payload type, payload, journal, key id, signature.
type Meaning = (String, Vec<u8>, Vec<u8>, String, Vec<u8>);

/// What the verifier decodes from a bundle: two bundles with the same meaning are equal.
fn meaning(bytes: &[u8]) -> Option<Meaning> {
    let b = Bundle::parse(bytes).ok()?;
    let [sig] = b.envelope.signatures.as_slice() else { return None };
    let any_b64 = |s: &str| {
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(s).ok())
    };
    Some((
        b.envelope.payload_type.clone(),
        b.envelope.payload_bytes().ok()?,
        b.journal_bytes().ok()?,
        sig.keyid.clone(),
        any_b64(&sig.sig)?,
    ))
}

/// Verifies `bytes` and says whether it was accepted; a panic fails the test with the case.
fn accepted(bytes: &[u8], opts: &VerifyOptions, case: &str) -> bool {
    match catch_unwind(AssertUnwindSafe(|| verify_bytes(bytes, opts))) {
        Err(_) => panic!("the verifier panicked on {case}"),
        Ok(Ok(r)) => r.valid,
        Ok(Err(_)) => false,
    }
}

/// Re-wraps a bundle whose payload or journal bytes were changed after decoding, so the
/// mutation reaches the statement and journal checks instead of the JSON parser.
fn rewrap(original: &Bundle, payload: Option<&[u8]>, journal: Option<&[u8]>) -> Vec<u8> {
    let mut b = original.clone();
    if let Some(p) = payload {
        b.envelope.payload = base64::engine::general_purpose::STANDARD.encode(p);
    }
    if let Some(j) = journal {
        b.journal = base64::engine::general_purpose::STANDARD.encode(j);
    }
    b.to_bytes()
}

const MUTATIONS: usize = 10_000;

#[test]
fn ten_thousand_mutations_of_a_recorded_bundle_are_all_rejected_without_a_panic() {
    let original = std::fs::read(fixture("recorded-session.handprint")).unwrap();
    let opts = pinned();
    assert!(accepted(&original, &opts, "the original"), "the fixture must verify");
    let parsed = Bundle::parse(&original).unwrap();
    let payload = parsed.envelope.payload_bytes().unwrap();
    let journal = parsed.journal_bytes().unwrap();
    let base = meaning(&original);
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let (mut rejected, mut same_meaning) = (0usize, 0usize);
    let mut wrongly_accepted = Vec::new();
    for i in 0..MUTATIONS {
        // A third each: the file's bytes, the signed statement, the journal.
        let (bytes, case) = match i % 3 {
            0 => {
                let mut b = original.clone();
                for _ in 0..1 + rng.below(3) {
                    mutate(&mut b, &mut rng);
                }
                (b, format!("file mutation {i}"))
            }
            1 => {
                let mut p = payload.clone();
                mutate(&mut p, &mut rng);
                (rewrap(&parsed, Some(&p), None), format!("statement mutation {i}"))
            }
            _ => {
                let mut j = journal.clone();
                mutate(&mut j, &mut rng);
                (rewrap(&parsed, None, Some(&j)), format!("journal mutation {i}"))
            }
        };
        let ok = accepted(&bytes, &opts, &case);
        if meaning(&bytes).is_some() && meaning(&bytes) == base {
            same_meaning += 1;
            assert!(ok, "{case} changed nothing the verifier reads, yet was refused");
        } else if ok {
            wrongly_accepted.push(case);
        } else {
            rejected += 1;
        }
    }
    assert!(wrongly_accepted.is_empty(), "accepted: {wrongly_accepted:?}");
    assert_eq!(rejected + same_meaning, MUTATIONS);
    assert!(rejected >= 9_000, "only {rejected} mutations changed the record");
    println!(
        "{MUTATIONS} mutations: {rejected} changed the record and were rejected, {same_meaning} left its meaning unchanged and verified, 0 panics"
    );
}

fn json_fragment() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\"s\":0".to_owned()),
        Just("\"t\":".to_owned()),
        Just("\"e\":\"ed\"".to_owned()),
        Just("\"e\":\"start\"".to_owned()),
        Just("\"p\":18446744073709551615".to_owned()),
        Just("\"i\":\"\\ud800\"".to_owned()),
        Just("\"h\":\"AAAAAAAAAAAAAAAA\"".to_owned()),
        Just("1e999".to_owned()),
        Just("6680516.0".to_owned()),
        "[a-z\"\\\\0-9]{0,6}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_journal_lines_never_panic_the_reader(lines in proptest::collection::vec(json_fragment(), 1..6)) {
        let mut bytes = b"{\"s\":0,".to_vec();
        bytes.extend_from_slice(lines.join("\n").as_bytes());
        bytes.push(b'\n');
        let _ = handprint::journal::parse(&bytes);
        let _ = handprint::journal::parse_prefix(&bytes);
        let _ = verify_bytes(&bytes, &VerifyOptions::default());
    }

    #[test]
    fn arbitrary_envelopes_and_statements_never_panic_the_verifier(
        payload in json_fragment(),
        sig in "[A-Za-z0-9+/=_-]{0,90}",
        journal in "[A-Za-z0-9+/=]{0,40}",
    ) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(payload.as_bytes());
        let bundle = serde_json::json!({
            "format": "handprint-bundle/v1",
            "envelope": {"payload": b64, "payloadType": "application/vnd.in-toto+json",
                         "signatures": [{"keyid": "SHA256:x", "sig": sig}]},
            "journal": journal,
        });
        let bytes = serde_json::to_vec(&bundle).unwrap();
        prop_assert!(!verify_bytes(&bytes, &pinned()).map(|r| r.valid).unwrap_or(false));
    }

    #[test]
    fn arbitrary_lwp_csv_never_panics_the_importer(rows in proptest::collection::vec("[a-zA-Z0-9,\"; .\\-]{0,60}", 0..20)) {
        let csv = rows.join("\n");
        if let Ok(imported) = handprint::analysis::lwp::import(csv.as_bytes()) {
            for i in imported {
                let _ = i.analyze();
            }
        }
    }
}
