//! Physical keys from each back-end, named as W3C UI Events `KeyboardEvent.code` values
//! (<https://www.w3.org/TR/uievents-code/>), the names the journal uses for every source.

use crate::event::Modifiers;

/// The `KeyboardEvent.code` of an egui key. egui reports the physical key when the platform
/// gives it (winit does) and otherwise only the logical one; either is named the same way.
pub fn egui_code(key: egui::Key) -> String {
    use egui::Key as K;
    let fixed = match key {
        K::ArrowDown => "ArrowDown",
        K::ArrowLeft => "ArrowLeft",
        K::ArrowRight => "ArrowRight",
        K::ArrowUp => "ArrowUp",
        K::Escape => "Escape",
        K::Tab => "Tab",
        K::Backspace => "Backspace",
        K::Enter => "Enter",
        K::Space => "Space",
        K::Insert => "Insert",
        K::Delete => "Delete",
        K::Home => "Home",
        K::End => "End",
        K::PageUp => "PageUp",
        K::PageDown => "PageDown",
        K::Comma => "Comma",
        K::Backslash | K::Pipe => "Backslash",
        K::Slash | K::Questionmark => "Slash",
        K::OpenBracket | K::OpenCurlyBracket => "BracketLeft",
        K::CloseBracket | K::CloseCurlyBracket => "BracketRight",
        K::Backtick => "Backquote",
        K::Minus => "Minus",
        K::Period => "Period",
        K::Plus | K::Equals => "Equal",
        K::Semicolon | K::Colon => "Semicolon",
        K::Quote => "Quote",
        K::Exclamationmark => "Digit1",
        K::SuperLeft => "MetaLeft",
        K::SuperRight => "MetaRight",
        K::Menu => "ContextMenu",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_owned();
    }
    let name = key.name();
    if name.len() == 1 && name.chars().all(|c| c.is_ascii_digit()) {
        return format!("Digit{name}");
    }
    if name.len() == 1 && name.chars().all(|c| c.is_ascii_uppercase()) {
        return format!("Key{name}");
    }
    // The remaining names (F1…F35, ShiftLeft, ControlRight, AltLeft, CapsLock, NumLock,
    // PrintScreen, IntlBackslash, BrowserBack, MediaPlayPause, AudioVolumeUp, LaunchMail, …)
    // are already W3C code values.
    name.to_owned()
}

/// The journal's modifier set for egui's modifier state. `command` is not added separately:
/// it is Ctrl or Meta, which are already reported as such.
pub fn egui_mods(m: egui::Modifiers) -> Modifiers {
    Modifiers::new(m.shift, m.ctrl, m.alt, m.mac_cmd)
}

/// The `KeyboardEvent.code` of an rdev key.
pub fn rdev_code(key: rdev::Key) -> String {
    use rdev::Key as K;
    let s = match key {
        K::Alt => "AltLeft",
        K::AltGr => "AltRight",
        K::Backspace => "Backspace",
        K::CapsLock => "CapsLock",
        K::ControlLeft => "ControlLeft",
        K::ControlRight => "ControlRight",
        K::Delete => "Delete",
        K::DownArrow => "ArrowDown",
        K::End => "End",
        K::Escape => "Escape",
        K::F1 => "F1",
        K::F2 => "F2",
        K::F3 => "F3",
        K::F4 => "F4",
        K::F5 => "F5",
        K::F6 => "F6",
        K::F7 => "F7",
        K::F8 => "F8",
        K::F9 => "F9",
        K::F10 => "F10",
        K::F11 => "F11",
        K::F12 => "F12",
        K::Home => "Home",
        K::LeftArrow => "ArrowLeft",
        K::MetaLeft => "MetaLeft",
        K::MetaRight => "MetaRight",
        K::PageDown => "PageDown",
        K::PageUp => "PageUp",
        K::Return => "Enter",
        K::RightArrow => "ArrowRight",
        K::ShiftLeft => "ShiftLeft",
        K::ShiftRight => "ShiftRight",
        K::Space => "Space",
        K::Tab => "Tab",
        K::UpArrow => "ArrowUp",
        K::PrintScreen => "PrintScreen",
        K::ScrollLock => "ScrollLock",
        K::Pause => "Pause",
        K::NumLock => "NumLock",
        K::BackQuote => "Backquote",
        K::Num1 => "Digit1",
        K::Num2 => "Digit2",
        K::Num3 => "Digit3",
        K::Num4 => "Digit4",
        K::Num5 => "Digit5",
        K::Num6 => "Digit6",
        K::Num7 => "Digit7",
        K::Num8 => "Digit8",
        K::Num9 => "Digit9",
        K::Num0 => "Digit0",
        K::Minus => "Minus",
        K::Equal => "Equal",
        K::KeyQ => "KeyQ",
        K::KeyW => "KeyW",
        K::KeyE => "KeyE",
        K::KeyR => "KeyR",
        K::KeyT => "KeyT",
        K::KeyY => "KeyY",
        K::KeyU => "KeyU",
        K::KeyI => "KeyI",
        K::KeyO => "KeyO",
        K::KeyP => "KeyP",
        K::LeftBracket => "BracketLeft",
        K::RightBracket => "BracketRight",
        K::KeyA => "KeyA",
        K::KeyS => "KeyS",
        K::KeyD => "KeyD",
        K::KeyF => "KeyF",
        K::KeyG => "KeyG",
        K::KeyH => "KeyH",
        K::KeyJ => "KeyJ",
        K::KeyK => "KeyK",
        K::KeyL => "KeyL",
        K::SemiColon => "Semicolon",
        K::Quote => "Quote",
        K::BackSlash => "Backslash",
        K::IntlBackslash => "IntlBackslash",
        K::KeyZ => "KeyZ",
        K::KeyX => "KeyX",
        K::KeyC => "KeyC",
        K::KeyV => "KeyV",
        K::KeyB => "KeyB",
        K::KeyN => "KeyN",
        K::KeyM => "KeyM",
        K::Comma => "Comma",
        K::Dot => "Period",
        K::Slash => "Slash",
        K::Insert => "Insert",
        K::KpReturn => "NumpadEnter",
        K::KpMinus => "NumpadSubtract",
        K::KpPlus => "NumpadAdd",
        K::KpMultiply => "NumpadMultiply",
        K::KpDivide => "NumpadDivide",
        K::Kp0 => "Numpad0",
        K::Kp1 => "Numpad1",
        K::Kp2 => "Numpad2",
        K::Kp3 => "Numpad3",
        K::Kp4 => "Numpad4",
        K::Kp5 => "Numpad5",
        K::Kp6 => "Numpad6",
        K::Kp7 => "Numpad7",
        K::Kp8 => "Numpad8",
        K::Kp9 => "Numpad9",
        K::KpDelete => "NumpadDecimal",
        K::Function => "Fn",
        K::Unknown(_) => "Unidentified",
    };
    s.to_owned()
}

/// Modifier state kept from rdev's press and release events (rdev reports keys, not state).
#[derive(Debug, Clone, Copy, Default)]
pub struct ModifierTracker {
    shift: [bool; 2],
    ctrl: [bool; 2],
    alt: [bool; 2],
    meta: [bool; 2],
}

impl ModifierTracker {
    /// Notes a press or release; call it for every key event before reading [`Self::mods`].
    pub fn update(&mut self, key: rdev::Key, pressed: bool) {
        use rdev::Key as K;
        match key {
            K::ShiftLeft => self.shift[0] = pressed,
            K::ShiftRight => self.shift[1] = pressed,
            K::ControlLeft => self.ctrl[0] = pressed,
            K::ControlRight => self.ctrl[1] = pressed,
            K::Alt => self.alt[0] = pressed,
            K::AltGr => self.alt[1] = pressed,
            K::MetaLeft => self.meta[0] = pressed,
            K::MetaRight => self.meta[1] = pressed,
            _ => {}
        }
    }

    pub fn mods(&self) -> Modifiers {
        let any = |pair: [bool; 2]| pair[0] || pair[1];
        Modifiers::new(any(self.shift), any(self.ctrl), any(self.alt), any(self.meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn egui_keys_are_named_by_physical_code() {
        assert_eq!(egui_code(egui::Key::A), "KeyA");
        assert_eq!(egui_code(egui::Key::Num7), "Digit7");
        assert_eq!(egui_code(egui::Key::Backspace), "Backspace");
        assert_eq!(egui_code(egui::Key::F11), "F11");
        assert_eq!(egui_code(egui::Key::Period), "Period");
        assert_eq!(egui_code(egui::Key::ShiftLeft), "ShiftLeft");
        assert_eq!(egui_code(egui::Key::SuperRight), "MetaRight");
    }

    #[test]
    fn rdev_keys_use_the_same_names_as_egui_keys() {
        assert_eq!(rdev_code(rdev::Key::KeyA), egui_code(egui::Key::A));
        assert_eq!(rdev_code(rdev::Key::Return), egui_code(egui::Key::Enter));
        assert_eq!(rdev_code(rdev::Key::Num3), egui_code(egui::Key::Num3));
        assert_eq!(rdev_code(rdev::Key::Dot), egui_code(egui::Key::Period));
    }

    #[test]
    fn modifier_tracker_holds_a_modifier_until_both_sides_are_released() {
        let mut t = ModifierTracker::default();
        t.update(rdev::Key::ShiftLeft, true);
        t.update(rdev::Key::ShiftRight, true);
        t.update(rdev::Key::ShiftLeft, false);
        assert!(t.mods().shift());
        t.update(rdev::Key::ShiftRight, false);
        assert!(t.mods().is_empty());
    }
}
