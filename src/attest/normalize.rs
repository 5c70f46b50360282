//! The normal form of a response text, so that a text a platform stored with altered
//! whitespace or line endings can still be matched to the attested one (docs/FORMAT.md,
//! "Normalized text").

use unicode_normalization::UnicodeNormalization;

/// The normal form of `text`, in this order:
/// 1. every CR LF pair, then every remaining lone CR, becomes LF;
/// 2. Unicode Normalization Form C (UAX #15), because platforms and browsers recompose
///    accents differently;
/// 3. each line loses its trailing whitespace (chars with the Unicode `White_Space`
///    property, as Rust's `char::is_whitespace`);
/// 4. the whole text loses its trailing whitespace, including trailing newlines.
///
/// Leading whitespace and blank lines inside the text are kept: they are part of its form.
pub fn normalize(text: &str) -> String {
    let lf = text.replace("\r\n", "\n").replace('\r', "\n");
    let nfc: String = lf.nfc().collect();
    let lines: Vec<&str> = nfc.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim_end().to_owned()
}

/// SHA-256 (hex) of the normal form's UTF-8 bytes.
pub fn normalized_sha256(text: &str) -> String {
    crate::sha256_hex(normalize(text).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(normalize("a\r\nb\rc\n"), "a\nb\nc");
    }

    #[test]
    fn trailing_whitespace_is_trimmed_per_line_and_at_the_end() {
        assert_eq!(normalize("  a \t\nb\u{a0}\n\n\n"), "  a\nb");
        assert_eq!(normalize("a\n\n b"), "a\n\n b");
    }

    #[test]
    fn decomposed_accents_are_composed() {
        assert_eq!(normalize("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn normal_form_is_stable() {
        for t in ["x \r\n y\u{301}  \r", "", "\n\n", "abc"] {
            assert_eq!(normalize(&normalize(t)), normalize(t));
        }
    }
}
