//! System-wide key capture with rdev: precise press/release times for keys typed into
//! Handprint, and — while another application has focus — only a count per key class.
//!
//! The hook runs on its own thread for the life of the process (rdev's `listen` never
//! returns once it works). Privacy is decided on that thread: unless a session is recording
//! and not paused, events are dropped; while Handprint is not focused, the key is reduced to
//! its [`KeyClass`] before it leaves the hook, so which key was pressed elsewhere is never
//! even held in memory by the app.

use super::gate::Gate;
use super::key_devices::DeviceNote;
use super::keys::{ModifierTracker, rdev_code};
use crate::event::{DeviceInfo, KeyClass, Modifiers, key_class};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime};

/// How long to wait for rdev to report a start-up failure before taking it as working.
/// On X11 a failure (no display, no RECORD extension) comes back within milliseconds.
const STARTUP_GRACE: Duration = Duration::from_millis(300);

/// A key seen by the system-wide hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsKey {
    /// Pressed (`down`) or released while Handprint was focused.
    Key { down: bool, code: String, mods: Modifiers, time: SystemTime },
    /// Pressed while another application was focused: only its class.
    Away(KeyClass),
}

/// Whether the system-wide hook is running, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsKeysStatus {
    Active,
    Unavailable(String),
}

/// The running hook: its status, its gate, and the keys it has passed on; beside it, where
/// available, the device of origin of each press (see [`super::key_devices`]).
pub struct OsKeys {
    pub status: OsKeysStatus,
    pub gate: Arc<Gate>,
    rx: Option<Receiver<OsKey>>,
    /// Keyboard devices present when capture started, and the device notes that follow;
    /// `Err` says why devices cannot be told on this desktop.
    pub devices: Result<Vec<DeviceInfo>, String>,
    device_rx: Option<Receiver<DeviceNote>>,
}

impl OsKeys {
    /// A hook that is not running, for tests and platforms without one.
    pub fn disabled(why: &str) -> Self {
        OsKeys {
            status: OsKeysStatus::Unavailable(why.to_owned()),
            gate: Arc::default(),
            rx: None,
            devices: Err(why.to_owned()),
            device_rx: None,
        }
    }

    /// Starts rdev's listener (and, beside it, the device-of-origin reader), or says why it
    /// cannot run here.
    pub fn start() -> Self {
        if let Some(why) = platform_obstacle() {
            return Self::disabled(&why);
        }
        let gate = Arc::new(Gate::default());
        let (tx, rx) = mpsc::channel();
        if let Err(why) = listen(gate.clone(), tx) {
            return Self::disabled(&why);
        }
        let (devices, device_rx) = match super::key_devices::start(gate.clone()) {
            Ok((list, rx)) => (Ok(list), Some(rx)),
            Err(why) => (Err(why), None),
        };
        OsKeys { status: OsKeysStatus::Active, gate, rx: Some(rx), devices, device_rx }
    }

    /// Device notes (each press's device, devices attached) received since the last call.
    pub fn drain_devices(&self) -> Vec<DeviceNote> {
        self.device_rx.as_ref().map(|rx| rx.try_iter().collect()).unwrap_or_default()
    }

    pub fn is_active(&self) -> bool {
        self.status == OsKeysStatus::Active
    }

    /// Keys received since the last call.
    pub fn drain(&self) -> Vec<OsKey> {
        self.rx.as_ref().map(|rx| rx.try_iter().collect()).unwrap_or_default()
    }
}

/// Runs rdev's listener on its own thread, passing keys to `tx` as `gate` allows. Returns an
/// error when the listener fails at once (no display, no RECORD extension).
fn listen(gate: Arc<Gate>, tx: Sender<OsKey>) -> Result<(), String> {
    let (err_tx, err_rx) = mpsc::channel();
    // Fault injection for the end-to-end test of capture loss: the hook stops passing keys on
    // after this many (a blocked or broken hook looks exactly like this to the app).
    let stop_after: Option<u64> =
        std::env::var("HANDPRINT_TEST_HOOK_STOPS_AFTER").ok().and_then(|v| v.parse().ok());
    let spawned = std::thread::Builder::new().name("handprint-os-keys".into()).spawn(move || {
        let mut mods = ModifierTracker::default();
        let mut passed = 0u64;
        let result = rdev::listen(move |event| {
            let (key, down) = match event.event_type {
                rdev::EventType::KeyPress(k) => (k, true),
                rdev::EventType::KeyRelease(k) => (k, false),
                _ => return,
            };
            mods.update(key, down);
            if !gate.recording() {
                return;
            }
            if stop_after.is_some_and(|n| passed >= n) {
                return;
            }
            passed += 1;
            let code = rdev_code(key);
            let sent = if gate.focused() {
                tx.send(OsKey::Key { down, code, mods: mods.mods(), time: event.time })
            } else if down {
                tx.send(OsKey::Away(key_class(&code, mods.mods())))
            } else {
                Ok(())
            };
            if sent.is_ok() {
                gate.wake();
            }
        });
        if let Err(e) = result {
            let _ = err_tx.send(format!("{e:?}"));
        }
    });
    if let Err(e) = spawned {
        return Err(format!("cannot start the key hook thread: {e}"));
    }
    match err_rx.recv_timeout(STARTUP_GRACE) {
        Err(RecvTimeoutError::Timeout) => Ok(()),
        Ok(e) => Err(format!("the system key hook failed to start ({e})")),
        Err(RecvTimeoutError::Disconnected) => Err("the system key hook stopped at once".into()),
    }
}

/// Why rdev cannot see keys on this desktop, if we can tell before trying.
fn platform_obstacle() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    let wayland = std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
        || (set("WAYLAND_DISPLAY") && !set("DISPLAY"));
    if wayland {
        // Wayland gives no application other applications' keys; rdev's X11 hook would see
        // only XWayland windows, which would be misleading.
        return Some("Wayland does not let applications see system-wide keys".into());
    }
    if !set("DISPLAY") {
        return Some("no X display to listen on".into());
    }
    None
}
