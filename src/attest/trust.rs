//! The trust file: the public keys of registered trainers, one per line, as a platform keeps
//! them after enrolment. `handprint verify --trust FILE` pins the signer to any key in it, so
//! a bulk verification never has to accept a stranger's key. Format: docs/FORMAT.md
//! ("Trust file"), modelled on OpenSSH's `authorized_keys` so existing tooling can write it.

use super::public_key::PublicKey;
use thiserror::Error;

/// Why a trust file cannot be used. A trust file with one bad line is refused as a whole:
/// silently skipping it could drop the very key a record needs, or hide a corrupted file.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TrustFileError {
    #[error("the trust file is not UTF-8 text")]
    NotText,
    #[error(
        "line {line} of the trust file is not an Ed25519 public key ({why}); each line must be `ssh-ed25519 AAAA… [comment]` or 64 hex digits, `#` starts a comment"
    )]
    BadLine { line: usize, why: String },
    #[error("the trust file lists no keys, so it would pin nothing; add the trainers' keys")]
    Empty,
}

/// Reads a trust file: every non-blank line that does not start with `#` is one key.
pub fn parse_trust_file(bytes: &[u8]) -> Result<Vec<PublicKey>, TrustFileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| TrustFileError::NotText)?;
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: String| TrustFileError::BadLine { line: i + 1, why };
        let key = if line.starts_with("ssh-ed25519") {
            PublicKey::parse(line.as_bytes()).map_err(|e| bad(e.to_string()))?
        } else {
            // A hex key may carry a comment after it, as an ssh line does. Only hex: a
            // 32-character word must never be taken for 32 raw key bytes.
            let word = line.split_whitespace().next().unwrap_or(line);
            crate::unhex(word)
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .map(PublicKey)
                .ok_or_else(|| bad("neither an ssh-ed25519 line nor 64 hex digits".into()))?
        };
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(TrustFileError::Empty);
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_and_hex_lines_are_read_and_comments_skipped() {
        let a = PublicKey([1; 32]);
        let b = PublicKey([2; 32]);
        let file = format!("# trainers\n\n{}\n{} bob\n", a.to_ssh("alice"), b.to_hex());
        assert_eq!(parse_trust_file(file.as_bytes()), Ok(vec![a, b]));
    }

    #[test]
    fn a_bad_line_is_refused_with_its_number() {
        let file = format!("{}\nnot a key\n", PublicKey([1; 32]).to_ssh("a"));
        assert!(matches!(
            parse_trust_file(file.as_bytes()),
            Err(TrustFileError::BadLine { line: 2, .. })
        ));
        assert_eq!(parse_trust_file(b"# nothing\n"), Err(TrustFileError::Empty));
    }
}
