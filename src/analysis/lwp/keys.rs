//! Key names: the browser `KeyboardEvent.key` values of LWP logs ↔ Handprint's physical
//! `KeyboardEvent.code` values. The mapping assumes a US layout; it is only used to tell
//! character keys from others and modifiers from both, which every layout shares.

/// Punctuation characters and the US-layout key that types them.
const PUNCT: [(char, &str); 32] = [
    ('.', "Period"),
    ('>', "Period"),
    (',', "Comma"),
    ('<', "Comma"),
    (';', "Semicolon"),
    (':', "Semicolon"),
    ('\'', "Quote"),
    ('"', "Quote"),
    ('-', "Minus"),
    ('_', "Minus"),
    ('=', "Equal"),
    ('+', "Equal"),
    ('/', "Slash"),
    ('?', "Slash"),
    ('\\', "Backslash"),
    ('|', "Backslash"),
    ('[', "BracketLeft"),
    ('{', "BracketLeft"),
    (']', "BracketRight"),
    ('}', "BracketRight"),
    ('`', "Backquote"),
    ('~', "Backquote"),
    ('!', "Digit1"),
    ('@', "Digit2"),
    ('#', "Digit3"),
    ('$', "Digit4"),
    ('%', "Digit5"),
    ('^', "Digit6"),
    ('&', "Digit7"),
    ('*', "Digit8"),
    ('(', "Digit9"),
    (')', "Digit0"),
];

/// The physical key code for an LWP `down_event`; `None` for mouse events and `Unidentified`.
pub fn code_for(name: &str) -> Option<String> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(match c {
            'a'..='z' | 'A'..='Z' => format!("Key{}", c.to_ascii_uppercase()),
            '0'..='9' => format!("Digit{c}"),
            ' ' => "Space".into(),
            _ => PUNCT
                .iter()
                .find(|p| p.0 == c)
                .map(|p| p.1.to_string())
                .or_else(|| accented_code(c))
                .unwrap_or_else(|| "Unidentified".into()),
        });
    }
    Some(
        match name {
            // Mouse events, and edits Handprint exports without a key (see export), press no key.
            n if n.ends_with("click") || n == "Unidentified" => return None,
            "Shift" => "ShiftLeft",
            "Control" => "ControlLeft",
            "Alt" => "AltLeft",
            "AltGraph" => "AltRight",
            "Meta" | "OS" => "MetaLeft",
            "" => "Unidentified",
            other => other,
        }
        .into(),
    )
}

/// Letters that have their own key on the layouts of the published logs (French AZERTY, the
/// essays' layout; German and Spanish for the common others), where the browser names the
/// key by the letter itself (`é`, `à`, …). The position only matters for telling character
/// keys from others, so a letter typed on another layout is still a character key.
const OWN_KEY_LETTERS: [(char, &str); 12] = [
    ('é', "Digit2"),
    ('è', "Digit7"),
    ('ç', "Digit9"),
    ('à', "Digit0"),
    ('ù', "Quote"),
    ('²', "Backquote"),
    ('µ', "Backslash"),
    ('ß', "Minus"),
    ('ä', "Quote"),
    ('ö', "Semicolon"),
    ('ü', "BracketLeft"),
    ('ñ', "Semicolon"),
];

/// The key of a letter outside the US layout: its own key where [`OWN_KEY_LETTERS`] has one,
/// otherwise the key of its base letter (`ê` → `KeyE`): a letter composed with a dead key
/// (`^` then `e`) is logged under the last key pressed, the base letter's.
fn accented_code(c: char) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let lower = c.to_lowercase().next().unwrap_or(c);
    if let Some(own) = OWN_KEY_LETTERS.iter().find(|p| p.0 == lower) {
        return Some(own.1.into());
    }
    let base = lower.nfd().next().filter(|b| b.is_ascii_lowercase())?;
    Some(format!("Key{}", base.to_ascii_uppercase()))
}

/// The LWP `down_event` name for a physical key code; `typed` is the character the key
/// produced, when known.
pub fn name_for(code: &str, typed: Option<char>) -> String {
    if let Some(c) = typed.filter(|c| !c.is_control() && *c != ' ') {
        return c.to_string();
    }
    if let Some(l) = code.strip_prefix("Key").filter(|l| l.len() == 1) {
        return l.to_ascii_lowercase();
    }
    if let Some(d) = code.strip_prefix("Digit") {
        return d.into();
    }
    if let Some(p) = PUNCT.iter().step_by(2).take(11).find(|p| p.1 == code) {
        return p.0.to_string();
    }
    match code {
        "ShiftLeft" | "ShiftRight" => "Shift",
        "ControlLeft" | "ControlRight" => "Control",
        "AltLeft" => "Alt",
        "AltRight" => "AltGraph",
        "MetaLeft" | "MetaRight" => "Meta",
        other => other,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_letter_key_names_are_character_keys() {
        use crate::event::{KeyClass, Modifiers, key_class};
        for name in ["é", "è", "à", "ç", "ù", "É", "ê", "ô", "î", "ë", "ñ", "ü", "ß"] {
            let code = code_for(name).unwrap_or_default();
            assert_eq!(key_class(&code, Modifiers::NONE), KeyClass::Char, "{name} → {code}");
        }
        assert_eq!(code_for("é").as_deref(), Some("Digit2"));
        assert_eq!(code_for("ê").as_deref(), Some("KeyE"));
        assert_eq!(code_for("Ô").as_deref(), Some("KeyO"));
    }

    #[test]
    fn lwp_names_map_to_physical_codes_and_back() {
        for (name, code) in [
            ("q", "KeyQ"),
            ("Space", "Space"),
            (".", "Period"),
            ("Shift", "ShiftLeft"),
            ("7", "Digit7"),
            ("?", "Slash"),
        ] {
            assert_eq!(code_for(name).as_deref(), Some(code));
        }
        assert_eq!(code_for("Leftclick"), None);
        assert_eq!(code_for("Unidentified"), None);
        assert_eq!(name_for("KeyQ", None), "q");
        assert_eq!(name_for("Period", None), ".");
        assert_eq!(name_for("ShiftLeft", None), "Shift");
        assert_eq!(name_for("KeyA", Some('A')), "A");
        assert_eq!(name_for("Space", Some(' ')), "Space");
    }
}
