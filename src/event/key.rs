//! Physical keys: modifier state and the coarse key classes recorded for other applications.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Modifier keys held during a key event, as a bit set: 1 Shift, 2 Ctrl, 4 Alt, 8 Meta
/// (Command on macOS, Super/Windows elsewhere). Serialized as the plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Modifiers(pub u8);

impl Modifiers {
    pub const NONE: Modifiers = Modifiers(0);
    pub const SHIFT: u8 = 1;
    pub const CTRL: u8 = 2;
    pub const ALT: u8 = 4;
    pub const META: u8 = 8;

    /// Builds the set from individual flags.
    pub fn new(shift: bool, ctrl: bool, alt: bool, meta: bool) -> Self {
        let mut m = 0;
        if shift {
            m |= Self::SHIFT;
        }
        if ctrl {
            m |= Self::CTRL;
        }
        if alt {
            m |= Self::ALT;
        }
        if meta {
            m |= Self::META;
        }
        Modifiers(m)
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    pub fn shift(self) -> bool {
        self.0 & Self::SHIFT != 0
    }

    /// Ctrl or Meta: the "command" modifier of shortcuts on every platform.
    pub fn command(self) -> bool {
        self.0 & (Self::CTRL | Self::META) != 0
    }
}

/// What kind of key was pressed, without saying which one. Used for keys typed in other
/// applications, where recording the key itself could capture a password.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KeyClass {
    /// A letter, digit or punctuation key that produces a character.
    Char,
    Space,
    Backspace,
    Enter,
    /// Arrows, Home/End, Page Up/Down, Tab, Delete, Escape.
    Navigation,
    /// Shift, Ctrl, Alt, Meta, Caps Lock.
    Modifier,
    /// Ctrl/Cmd+C.
    Copy,
    /// Ctrl/Cmd+X.
    Cut,
    /// Ctrl/Cmd+V.
    Paste,
    /// Any other Ctrl/Cmd/Alt combination.
    Shortcut,
    /// Function keys and anything not listed above.
    Other,
}

/// Classifies a physical key (a `KeyboardEvent.code` value) pressed with `mods`.
pub fn key_class(code: &str, mods: Modifiers) -> KeyClass {
    let modifier = matches!(
        code,
        "ShiftLeft"
            | "ShiftRight"
            | "ControlLeft"
            | "ControlRight"
            | "AltLeft"
            | "AltRight"
            | "MetaLeft"
            | "MetaRight"
            | "CapsLock"
    );
    if modifier {
        return KeyClass::Modifier;
    }
    if mods.command() {
        return match code {
            "KeyC" => KeyClass::Copy,
            "KeyX" => KeyClass::Cut,
            "KeyV" => KeyClass::Paste,
            _ => KeyClass::Shortcut,
        };
    }
    match code {
        "Space" => KeyClass::Space,
        "Backspace" => KeyClass::Backspace,
        "Enter" | "NumpadEnter" => KeyClass::Enter,
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End" | "PageUp"
        | "PageDown" | "Tab" | "Delete" | "Escape" | "Insert" => KeyClass::Navigation,
        _ if mods.0 & Modifiers::ALT != 0 => KeyClass::Shortcut,
        _ if is_char_code(code) => KeyClass::Char,
        _ => KeyClass::Other,
    }
}

/// Whether a code names a key that types a character (letters, digits, punctuation, numpad digits).
pub fn is_char_code(code: &str) -> bool {
    code.starts_with("Key")
        || code.starts_with("Digit")
        || (code.starts_with("Numpad") && code.len() == 7)
        || matches!(
            code,
            "Minus"
                | "Equal"
                | "BracketLeft"
                | "BracketRight"
                | "Backslash"
                | "Semicolon"
                | "Quote"
                | "Backquote"
                | "Comma"
                | "Period"
                | "Slash"
                | "IntlBackslash"
                | "NumpadAdd"
                | "NumpadSubtract"
                | "NumpadMultiply"
                | "NumpadDivide"
                | "NumpadDecimal"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_classified_by_command_modifier() {
        let ctrl = Modifiers(Modifiers::CTRL);
        assert_eq!(key_class("KeyV", ctrl), KeyClass::Paste);
        assert_eq!(key_class("KeyC", Modifiers(Modifiers::META)), KeyClass::Copy);
        assert_eq!(key_class("KeyZ", ctrl), KeyClass::Shortcut);
        assert_eq!(key_class("KeyV", Modifiers::NONE), KeyClass::Char);
    }

    #[test]
    fn plain_keys_fall_into_their_classes() {
        let none = Modifiers::NONE;
        assert_eq!(key_class("Digit4", none), KeyClass::Char);
        assert_eq!(key_class("Numpad4", none), KeyClass::Char);
        assert_eq!(key_class("Space", none), KeyClass::Space);
        assert_eq!(key_class("ShiftLeft", Modifiers(Modifiers::SHIFT)), KeyClass::Modifier);
        assert_eq!(key_class("ArrowUp", none), KeyClass::Navigation);
        assert_eq!(key_class("F5", none), KeyClass::Other);
    }
}
