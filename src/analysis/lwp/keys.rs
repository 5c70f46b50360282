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
            _ => PUNCT.iter().find(|p| p.0 == c).map_or("Unidentified", |p| p.1).into(),
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
        assert_eq!(name_for("KeyQ", None), "q");
        assert_eq!(name_for("Period", None), ".");
        assert_eq!(name_for("ShiftLeft", None), "Shift");
        assert_eq!(name_for("KeyA", Some('A')), "A");
        assert_eq!(name_for("Space", Some(' ')), "Space");
    }
}
