//! DSSE PAE and signatures against the DSSE project's published test vectors:
//! github.com/secure-systems-lab/dsse, testvectors/vectors.json (commit 82043adf). Keys A and
//! B there are the RFC 8032 §7.1 Ed25519 test keys 1 and 2; Ed25519 is deterministic, so our
//! signatures must equal the published ones byte for byte.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use handprint::attest::{Envelope, EnvelopeError, PublicKey, Signature, SigningKey, pae};

const STATEMENT: &[u8] = br#"{"_type":"https://in-toto.io/Statement/v1"}"#;
const SEED_A: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const PUBLIC_A: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

fn key_a() -> SigningKey {
    SigningKey::from_seed(&handprint::unhex(SEED_A).unwrap().try_into().unwrap()).unwrap()
}

/// (payload type, body, expected PAE hex, published signature) of the vectors whose
/// `expect` is `accept`: single-signature, url-safe-base64, non-ascii-payload-type,
/// empty-payload.
fn accepted() -> Vec<(&'static str, Vec<u8>, &'static str, &'static str)> {
    vec![
        (
            "application/vnd.in-toto+json",
            STATEMENT.to_vec(),
            "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d",
            "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==",
        ),
        (
            "application/vnd.in-toto+json",
            vec![0xfb, 0xff, 0xbf, 0x3e, 0x3f],
            "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203520fbffbf3e3f",
            "P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==",
        ),
        (
            "application/vnd.exämple+json",
            STATEMENT.to_vec(),
            "445353457631203239206170706c69636174696f6e2f766e642e6578c3a46d706c652b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d",
            "xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==",
        ),
        (
            "application/vnd.in-toto+json",
            Vec::new(),
            "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203020",
            "gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==",
        ),
    ]
}

#[test]
fn rfc8032_seed_gives_the_published_public_key() {
    assert_eq!(handprint::hex(&key_a().public_key()), PUBLIC_A);
}

#[test]
fn pae_matches_every_published_vector() {
    for (ty, body, want, _) in accepted() {
        assert_eq!(handprint::hex(&pae(ty, &body)), want, "PAE of {ty:?}");
    }
    // empty-payload-type vector: LEN 0 and an empty type still have their spaces.
    assert_eq!(
        handprint::hex(&pae("", STATEMENT)),
        "445353457631203020203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d"
    );
}

#[test]
fn our_signatures_equal_the_published_ones() {
    let key = key_a();
    let decode = |s: &str| {
        base64::engine::general_purpose::URL_SAFE.decode(s).or_else(|_| STANDARD.decode(s)).unwrap()
    };
    for (ty, body, _, sig) in accepted() {
        assert_eq!(key.sign_bytes(&pae(ty, &body)).to_vec(), decode(sig), "signature for {ty:?}");
    }
}

#[test]
fn in_toto_vectors_verify_and_a_swapped_payload_type_is_rejected() {
    let public = PublicKey(key_a().public_key());
    let envelope = |payload: &str, ty: &str, sig: &str| Envelope {
        payload: payload.into(),
        payload_type: ty.into(),
        signatures: vec![Signature { keyid: public.fingerprint(), sig: sig.into() }],
    };
    let single = envelope(
        "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==",
        "application/vnd.in-toto+json",
        "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==",
    );
    assert_eq!(single.verify(&public), Ok(STATEMENT.to_vec()));
    let url_safe = envelope(
        "-_-_Pj8=",
        "application/vnd.in-toto+json",
        "P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==",
    );
    assert_eq!(url_safe.verify(&public), Ok(vec![0xfb, 0xff, 0xbf, 0x3e, 0x3f]));
    let swapped = Envelope { payload_type: "application/vnd.example.other+json".into(), ..single };
    assert!(matches!(swapped.verify(&public), Err(EnvelopeError::PayloadType(_))));
}
