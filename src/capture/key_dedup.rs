//! One record per key press when two back-ends see the same keyboard. The app window
//! (egui) and the system-wide hook (rdev) both report keys while Handprint is focused; the
//! hook's timestamps are more precise, so once it is known to work it alone records presses.
//! Each press remembers which back-end recorded it, and its release is taken from the same
//! one, so every `kd` gets exactly one `ku` even while the hook takes over from the window.

use std::collections::HashMap;

/// Which back-end recorded a key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyOwner {
    Window,
    Os,
}

/// What to do with a key event from the system-wide hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKey {
    /// Not ours to write (see [`KeyDedup::hook`]).
    Skip,
    Record {
        auto_repeat: bool,
    },
}

/// Decides, key event by key event, whether to record it.
#[derive(Debug, Default)]
pub struct KeyDedup {
    /// Keys pressed and not yet released, with the back-end that recorded the press.
    held: HashMap<String, KeyOwner>,
    /// Whether the hook has recorded a key: from then on it alone records presses.
    os_keys_seen: bool,
}

impl KeyDedup {
    /// Whether a key event from the app window is recorded (a press no one recorded yet, while
    /// the hook is not known to work or after it lost keys; a window auto-repeat; the release
    /// of a window press).
    pub fn window(&mut self, code: &str, pressed: bool, repeat: bool, hook_lost: bool) -> bool {
        let owner = self.held.get(code).copied();
        let record = match (pressed, owner) {
            (true, None) => !self.os_keys_seen || hook_lost,
            (true, Some(KeyOwner::Window)) => repeat,
            (false, Some(KeyOwner::Window)) => true,
            _ => false,
        };
        if record {
            self.note(code, pressed, KeyOwner::Window);
        }
        record
    }

    /// Whether a key event from the system-wide hook is recorded, and if so whether it is
    /// the keyboard's auto-repeat (the hook reports no repeat flag: a press of a key it already
    /// holds, with no release between, is one). Not recorded when the window already recorded
    /// this press (it arrived first), nor the release of a press that began before recording:
    /// that release is not ours to write.
    pub fn hook(&mut self, code: &str, down: bool) -> HookKey {
        let owner = self.held.get(code).copied();
        let record = matches!(
            (down, owner),
            (true, None | Some(KeyOwner::Os)) | (false, Some(KeyOwner::Os))
        );
        if !record {
            return HookKey::Skip;
        }
        self.os_keys_seen = true;
        self.note(code, down, KeyOwner::Os);
        HookKey::Record { auto_repeat: down && owner == Some(KeyOwner::Os) }
    }

    /// Forgets held keys: their releases go to another application (focus lost) or are not
    /// captured (a privacy break).
    pub fn clear(&mut self) {
        self.held.clear();
    }

    fn note(&mut self, code: &str, down: bool, owner: KeyOwner) {
        if down {
            self.held.insert(code.to_owned(), owner);
        } else {
            self.held.remove(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_seen_by_both_back_ends_is_recorded_once_and_released_by_its_recorder() {
        let mut d = KeyDedup::default();
        assert!(d.window("KeyA", true, false, false));
        assert_eq!(d.hook("KeyA", true), HookKey::Skip);
        assert_eq!(d.hook("KeyA", false), HookKey::Skip);
        assert!(d.window("KeyA", false, false, false));
        // The hook records a press of its own: from then on it alone records presses.
        assert_eq!(d.hook("KeyB", true), HookKey::Record { auto_repeat: false });
        assert!(!d.window("KeyB", true, false, false), "the hook now owns presses");
        assert!(!d.window("KeyB", false, false, false));
        assert_eq!(d.hook("KeyB", false), HookKey::Record { auto_repeat: false });
    }

    #[test]
    fn a_second_hook_press_without_release_is_auto_repeat() {
        let mut d = KeyDedup::default();
        assert_eq!(d.hook("KeyA", true), HookKey::Record { auto_repeat: false });
        assert_eq!(d.hook("KeyA", true), HookKey::Record { auto_repeat: true });
        assert_eq!(d.hook("KeyA", false), HookKey::Record { auto_repeat: false });
    }

    #[test]
    fn the_window_records_presses_again_once_the_hook_lost_keys() {
        let mut d = KeyDedup::default();
        assert_eq!(d.hook("KeyA", true), HookKey::Record { auto_repeat: false });
        assert_eq!(d.hook("KeyA", false), HookKey::Record { auto_repeat: false });
        assert!(!d.window("KeyB", true, false, false));
        assert!(d.window("KeyB", true, false, true), "the hook lost keys: the window records");
        assert!(d.window("KeyB", false, false, true));
    }
}
