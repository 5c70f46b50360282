//! Where key presses come from: the input device behind each press, from X11's XInput2.
//!
//! Every key the X server handles arrives from a slave device: a keyboard (hardware, or
//! anything that presents itself as one) or the "Virtual core XTEST keyboard", through which
//! xdotool, pynput and most auto-typers inject keys. rdev's hook cannot tell them apart, so
//! this thread reads XInput2 raw key presses on the root window (each names its source
//! device) beside it, classifies the device by [`classify`], and passes on the key's code and
//! device kind — only while a session records and Handprint has focus; keys typed in other
//! applications stay class counts in the rdev hook. The devices present, and any attached
//! later (XI hierarchy events), are passed on by name and kind only.
//!
//! Windows and macOS have the same fact at hand and would record it the same way, but are not
//! built here: on Windows the low-level keyboard hook's `KBDLLHOOKSTRUCT.flags` carries
//! `LLKHF_INJECTED` for keys from `SendInput`; on macOS a `CGEvent`'s
//! `kCGEventSourceStateID` is `kCGEventSourceStateHIDSystemState` only for hardware keys
//! (posted events carry the poster's source state). Neither is implemented or tested yet.
//! Wayland gives no application another's keys or their device; the recorder says so.

use crate::event::{DeviceInfo, KeyDevice};

/// What a device's name and XI type say about where its keys come from. XTEST is checked
/// first: its slave is also a keyboard.
pub fn classify(name: &str, is_slave_keyboard: bool) -> KeyDevice {
    let lower = name.to_ascii_lowercase();
    if lower.contains("xtest") {
        KeyDevice::Xtest
    } else if is_slave_keyboard {
        KeyDevice::Kbd
    } else {
        KeyDevice::Other
    }
}

/// One press seen by XInput2: its `KeyboardEvent.code` and the kind of its source device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePress {
    pub code: String,
    pub kind: KeyDevice,
    pub at: std::time::Instant,
}

/// What the XInput2 thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceNote {
    Press(DevicePress),
    /// A keyboard device attached while capture ran.
    Added(DeviceInfo),
}

/// The `KeyboardEvent.code` of an X keycode (evdev code + 8, the X.Org convention); `None`
/// for keycodes outside the standard keyboard, e.g. the spare keycodes xdotool and pynput
/// remap to type characters the layout lacks.
pub fn x_keycode_code(keycode: u32) -> Option<&'static str> {
    const EVDEV: [(u32, &str); 101] = [
        (1, "Escape"),
        (2, "Digit1"),
        (3, "Digit2"),
        (4, "Digit3"),
        (5, "Digit4"),
        (6, "Digit5"),
        (7, "Digit6"),
        (8, "Digit7"),
        (9, "Digit8"),
        (10, "Digit9"),
        (11, "Digit0"),
        (12, "Minus"),
        (13, "Equal"),
        (14, "Backspace"),
        (15, "Tab"),
        (16, "KeyQ"),
        (17, "KeyW"),
        (18, "KeyE"),
        (19, "KeyR"),
        (20, "KeyT"),
        (21, "KeyY"),
        (22, "KeyU"),
        (23, "KeyI"),
        (24, "KeyO"),
        (25, "KeyP"),
        (26, "BracketLeft"),
        (27, "BracketRight"),
        (28, "Enter"),
        (29, "ControlLeft"),
        (30, "KeyA"),
        (31, "KeyS"),
        (32, "KeyD"),
        (33, "KeyF"),
        (34, "KeyG"),
        (35, "KeyH"),
        (36, "KeyJ"),
        (37, "KeyK"),
        (38, "KeyL"),
        (39, "Semicolon"),
        (40, "Quote"),
        (41, "Backquote"),
        (42, "ShiftLeft"),
        (43, "Backslash"),
        (44, "KeyZ"),
        (45, "KeyX"),
        (46, "KeyC"),
        (47, "KeyV"),
        (48, "KeyB"),
        (49, "KeyN"),
        (50, "KeyM"),
        (51, "Comma"),
        (52, "Period"),
        (53, "Slash"),
        (54, "ShiftRight"),
        (55, "NumpadMultiply"),
        (56, "AltLeft"),
        (57, "Space"),
        (58, "CapsLock"),
        (59, "F1"),
        (60, "F2"),
        (61, "F3"),
        (62, "F4"),
        (63, "F5"),
        (64, "F6"),
        (65, "F7"),
        (66, "F8"),
        (67, "F9"),
        (68, "F10"),
        (69, "NumLock"),
        (70, "ScrollLock"),
        (71, "Numpad7"),
        (72, "Numpad8"),
        (73, "Numpad9"),
        (74, "NumpadSubtract"),
        (75, "Numpad4"),
        (76, "Numpad5"),
        (77, "Numpad6"),
        (78, "NumpadAdd"),
        (79, "Numpad1"),
        (80, "Numpad2"),
        (81, "Numpad3"),
        (82, "Numpad0"),
        (83, "NumpadDecimal"),
        (86, "IntlBackslash"),
        (87, "F11"),
        (88, "F12"),
        (96, "NumpadEnter"),
        (97, "ControlRight"),
        (98, "NumpadDivide"),
        (99, "PrintScreen"),
        (100, "AltRight"),
        (102, "Home"),
        (103, "ArrowUp"),
        (104, "PageUp"),
        (105, "ArrowLeft"),
        (106, "ArrowRight"),
        (107, "End"),
        (108, "ArrowDown"),
        (109, "PageDown"),
        (110, "Insert"),
        (111, "Delete"),
    ];
    let evdev = keycode.checked_sub(8)?;
    EVDEV.iter().find(|e| e.0 == evdev).map(|e| e.1).or(match evdev {
        125 => Some("MetaLeft"),
        126 => Some("MetaRight"),
        127 => Some("ContextMenu"),
        _ => None,
    })
}

#[cfg(target_os = "linux")]
pub use x11::start;

/// Not built on this platform (see the module documentation): no device of origin.
#[cfg(not(target_os = "linux"))]
pub fn start(
    _gate: std::sync::Arc<super::gate::Gate>,
) -> Result<(Vec<DeviceInfo>, std::sync::mpsc::Receiver<DeviceNote>), String> {
    Err("the device of each key press is only read on X11 so far".into())
}

#[cfg(target_os = "linux")]
mod x11 {
    use super::{DeviceNote, DevicePress, classify, x_keycode_code};
    use crate::capture::gate::Gate;
    use crate::event::{DeviceInfo, KeyDevice};
    use std::collections::HashMap;
    use std::sync::Arc;
    use std::sync::mpsc::{self, Receiver, Sender};
    use x11rb::connection::Connection;
    use x11rb::protocol::Event;
    use x11rb::protocol::xinput::{self, ConnectionExt as _};
    use x11rb::rust_connection::RustConnection;

    /// The keyboard slave devices by id, with their name and kind.
    fn devices(conn: &RustConnection) -> Result<HashMap<u16, DeviceInfo>, String> {
        let reply = conn
            .xinput_xi_query_device(u16::from(xinput::Device::ALL))
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| e.to_string())?;
        Ok(reply
            .infos
            .iter()
            .filter(|d| d.type_ == xinput::DeviceType::SLAVE_KEYBOARD)
            .map(|d| {
                let name = String::from_utf8_lossy(&d.name).into_owned();
                (d.deviceid, DeviceInfo { kind: classify(&name, true), name })
            })
            .collect())
    }

    /// Connects to the X display, lists the keyboard devices and starts the thread that
    /// reports each press's device while `gate` says a session records with focus.
    pub fn start(gate: Arc<Gate>) -> Result<(Vec<DeviceInfo>, Receiver<DeviceNote>), String> {
        let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
        let version = conn
            .xinput_xi_query_version(2, 2)
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| format!("the X server has no XInput2 ({e})"))?;
        if version.major_version < 2 {
            return Err("the X server's XInput is older than 2.0".into());
        }
        let root = conn.setup().roots.get(screen).map(|s| s.root).ok_or("no X screen")?;
        // Raw presses through the master keyboard arrive once each and name their slave as
        // `sourceid`; hierarchy changes are reported on "all devices".
        conn.xinput_xi_select_events(
            root,
            &[
                xinput::EventMask {
                    deviceid: u16::from(xinput::Device::ALL_MASTER),
                    mask: vec![xinput::XIEventMask::RAW_KEY_PRESS],
                },
                xinput::EventMask {
                    deviceid: u16::from(xinput::Device::ALL),
                    mask: vec![xinput::XIEventMask::HIERARCHY],
                },
            ],
        )
        .map_err(|e| e.to_string())?;
        conn.flush().map_err(|e| e.to_string())?;
        let known = devices(&conn)?;
        let present: Vec<DeviceInfo> = known.values().cloned().collect();
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("handprint-key-devices".into())
            .spawn(move || listen(conn, known, gate, tx))
            .map_err(|e| e.to_string())?;
        Ok((present, rx))
    }

    fn listen(
        conn: RustConnection,
        mut known: HashMap<u16, DeviceInfo>,
        gate: Arc<Gate>,
        tx: Sender<DeviceNote>,
    ) {
        while let Ok(event) = conn.wait_for_event() {
            let note = match event {
                Event::XinputRawKeyPress(e) => {
                    if !gate.capturing_focused() {
                        continue;
                    }
                    let kind = known.get(&e.sourceid).map_or(KeyDevice::Other, |d| d.kind);
                    let code = x_keycode_code(e.detail).unwrap_or("Unidentified").to_string();
                    DeviceNote::Press(DevicePress { code, kind, at: std::time::Instant::now() })
                }
                Event::XinputHierarchy(_) => {
                    let Ok(mut now) = devices(&conn) else { continue };
                    let mut added = Vec::new();
                    for (id, d) in now.iter_mut() {
                        match known.get(id) {
                            Some(old) => d.kind = old.kind,
                            None => {
                                // A keyboard attached after capture started keeps that fact
                                // on every press it makes.
                                if d.kind == KeyDevice::Kbd {
                                    d.kind = KeyDevice::Added;
                                }
                                added.push(d.clone());
                            }
                        }
                    }
                    known = now;
                    for d in added {
                        if tx.send(DeviceNote::Added(d)).is_err() {
                            return;
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            if tx.send(note).is_err() {
                return;
            }
            gate.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_xtest_slave_is_injection_and_other_keyboards_are_keyboards() {
        assert_eq!(classify("Virtual core XTEST keyboard", true), KeyDevice::Xtest);
        assert_eq!(classify("Xvfb keyboard", true), KeyDevice::Kbd);
        assert_eq!(classify("AT Translated Set 2 keyboard", true), KeyDevice::Kbd);
        assert_eq!(classify("Power Button", false), KeyDevice::Other);
    }

    #[test]
    fn x_keycodes_map_to_physical_codes() {
        // `xdotool key a` under Xvfb sends keycode 38 (evdev 30).
        assert_eq!(x_keycode_code(38), Some("KeyA"));
        assert_eq!(x_keycode_code(22), Some("Backspace"));
        assert_eq!(x_keycode_code(65), Some("Space"));
        assert_eq!(x_keycode_code(133), Some("MetaLeft"));
        assert_eq!(x_keycode_code(255), None);
        assert_eq!(x_keycode_code(3), None);
    }
}
