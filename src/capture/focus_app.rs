//! Which application holds keyboard focus while the trainer writes in their own editor, and
//! whether it is *the editor*: the one whose keys are recorded.
//!
//! The name is the program's, never a window title (titles carry file names, web pages,
//! message subjects): on X11 the `WM_CLASS` instance of the window in `_NET_ACTIVE_WINDOW`
//! (`xterm`, `code`, `gedit`), else the process name of its `_NET_WM_PID`. A thread listens
//! for changes of `_NET_ACTIVE_WINDOW` on the root window, so the gate that lets the key hook
//! pass on which key was pressed follows focus within the X round trip, not a UI frame.
//!
//! The editor is the first application other than Handprint that takes focus after watching
//! starts, or after the trainer asks to change it ([`EditorChoice`]). That rule is simple
//! enough to show: the watch window names the editor, so the trainer sees which program's
//! keys are recorded, and a password typed into any other program stays a class count
//! (docs/FORMAT.md, `app`). Matching keys to saves to guess the editor would need the keys
//! of every application held back until a save, which the privacy rule forbids.

use super::gate::Gate;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The name recorded for Handprint's own windows.
pub const HANDPRINT_APP: &str = "handprint";

/// A focus change: the application now focused and whether it is the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppNote {
    pub name: String,
    pub editor: bool,
    pub at: Instant,
}

/// Which application is the editor.
#[derive(Debug, Default)]
pub struct EditorChoice {
    editor: Option<String>,
}

impl EditorChoice {
    /// Takes a focus change to `name` (`own`: a Handprint window) and says whether the
    /// focused application is the editor; the first other application becomes it.
    pub fn focus(&mut self, name: &str, own: bool) -> bool {
        if own || name.is_empty() {
            return false;
        }
        self.editor.get_or_insert_with(|| name.to_owned()).as_str() == name
    }

    /// The editor's name, once chosen.
    pub fn editor(&self) -> Option<&str> {
        self.editor.as_deref()
    }

    /// Forgets the editor: the next application focused becomes it.
    pub fn change(&mut self) {
        self.editor = None;
    }
}

/// The focus watcher of a session: its notes, and the choice the UI can reset.
pub struct FocusApps {
    rx: Option<Receiver<AppNote>>,
    pub choice: Arc<Mutex<EditorChoice>>,
    /// Why focus cannot be followed here, when it cannot.
    pub unavailable: Option<String>,
}

impl std::fmt::Debug for FocusApps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FocusApps").field("unavailable", &self.unavailable).finish()
    }
}

impl FocusApps {
    /// No focus watching (tests; desktops without X11). Keys are then never recorded by
    /// identity: every application counts as not the editor.
    pub fn disabled(why: &str) -> Self {
        FocusApps { rx: None, choice: Arc::default(), unavailable: Some(why.to_owned()) }
    }

    /// Starts following focus; `gate` is opened for the hook only while the editor has it.
    pub fn start(gate: Arc<Gate>) -> Self {
        let choice = Arc::new(Mutex::new(EditorChoice::default()));
        match x11::start(gate, choice.clone()) {
            Ok(rx) => FocusApps { rx: Some(rx), choice, unavailable: None },
            Err(why) => FocusApps { rx: None, choice, unavailable: Some(why) },
        }
    }

    /// Focus changes since the last call.
    pub fn drain(&self) -> Vec<AppNote> {
        self.rx.as_ref().map(|rx| rx.try_iter().collect()).unwrap_or_default()
    }

    /// The editor's name, once chosen.
    pub fn editor(&self) -> Option<String> {
        self.choice.lock().ok().and_then(|c| c.editor().map(str::to_owned))
    }

    /// Forgets the editor: the next application focused becomes it.
    pub fn change_editor(&self) {
        if let Ok(mut c) = self.choice.lock() {
            c.change();
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod x11 {
    pub fn start(
        _gate: std::sync::Arc<super::Gate>,
        _choice: std::sync::Arc<std::sync::Mutex<super::EditorChoice>>,
    ) -> Result<std::sync::mpsc::Receiver<super::AppNote>, String> {
        Err("following the focused application is only built for X11 so far".into())
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use super::{AppNote, EditorChoice, Gate, HANDPRINT_APP};
    use std::sync::mpsc::{self, Receiver, Sender};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
    use x11rb::connection::Connection;
    use x11rb::protocol::Event;
    use x11rb::protocol::xproto::{
        Atom, AtomEnum, ChangeWindowAttributesAux, ConnectionExt as _, EventMask, Window,
    };
    use x11rb::rust_connection::RustConnection;

    struct Atoms {
        active: Atom,
        pid: Atom,
    }

    pub fn start(
        gate: Arc<Gate>,
        choice: Arc<Mutex<EditorChoice>>,
    ) -> Result<Receiver<AppNote>, String> {
        let wayland = std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland");
        if wayland {
            return Err(
                "Wayland does not tell applications which other application has focus".into()
            );
        }
        let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
        let root = conn.setup().roots.get(screen).map(|s| s.root).ok_or("no X screen")?;
        let atom = |name: &[u8]| -> Result<Atom, String> {
            Ok(conn
                .intern_atom(false, name)
                .map_err(|e| e.to_string())?
                .reply()
                .map_err(|e| e.to_string())?
                .atom)
        };
        let atoms = Atoms { active: atom(b"_NET_ACTIVE_WINDOW")?, pid: atom(b"_NET_WM_PID")? };
        conn.change_window_attributes(
            root,
            &ChangeWindowAttributesAux::new().event_mask(EventMask::PROPERTY_CHANGE),
        )
        .map_err(|e| e.to_string())?;
        conn.flush().map_err(|e| e.to_string())?;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("handprint-focus-app".into())
            .spawn(move || listen(&conn, root, &atoms, &gate, &choice, &tx))
            .map_err(|e| e.to_string())?;
        Ok(rx)
    }

    fn listen(
        conn: &RustConnection,
        root: Window,
        atoms: &Atoms,
        gate: &Gate,
        choice: &Mutex<EditorChoice>,
        tx: &Sender<AppNote>,
    ) {
        let mut last: Option<(String, bool)> = None;
        // Returns false once the session stopped listening: the thread then ends without
        // touching the gate again.
        let mut report = |name: String, own: bool| -> bool {
            let editor = choice.lock().map(|mut c| c.focus(&name, own)).unwrap_or(false);
            if last.as_ref() == Some(&(name.clone(), editor)) {
                return true;
            }
            last = Some((name.clone(), editor));
            if tx.send(AppNote { name, editor, at: Instant::now() }).is_err() {
                return false;
            }
            gate.set_focused(editor);
            gate.wake();
            true
        };
        let (name, own) = focused(conn, root, atoms);
        if !report(name, own) {
            return;
        }
        while let Ok(event) = conn.wait_for_event() {
            if let Event::PropertyNotify(e) = event
                && e.atom == atoms.active
            {
                let (name, own) = focused(conn, root, atoms);
                if !report(name, own) {
                    return;
                }
            }
        }
    }

    /// The focused application's name, and whether it is this process.
    fn focused(conn: &RustConnection, root: Window, atoms: &Atoms) -> (String, bool) {
        let Some(window) = property(conn, root, atoms.active, AtomEnum::WINDOW.into())
            .and_then(|v| v.first().copied())
            .filter(|&w| w != 0)
        else {
            return (String::new(), false);
        };
        let pid = property(conn, window, atoms.pid, AtomEnum::CARDINAL.into())
            .and_then(|v| v.first().copied());
        if pid == Some(std::process::id()) {
            return (HANDPRINT_APP.to_owned(), true);
        }
        let class = conn
            .get_property(false, window, AtomEnum::WM_CLASS, AtomEnum::STRING, 0, 64)
            .ok()
            .and_then(|c| c.reply().ok())
            .and_then(|r| {
                // "instance\0Class\0": the instance is the program's own lower-case name.
                let first = r.value.split(|&b| b == 0).next()?.to_vec();
                String::from_utf8(first).ok().filter(|s| !s.is_empty())
            });
        let name = class
            .or_else(|| {
                let comm = std::fs::read_to_string(format!("/proc/{}/comm", pid?)).ok()?;
                Some(comm.trim().to_owned())
            })
            .unwrap_or_default();
        (name, false)
    }

    fn property(conn: &RustConnection, window: Window, atom: Atom, ty: Atom) -> Option<Vec<u32>> {
        let reply = conn.get_property(false, window, atom, ty, 0, 1).ok()?.reply().ok()?;
        Some(reply.value32()?.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_other_application_focused_becomes_the_editor() {
        let mut c = EditorChoice::default();
        assert!(!c.focus(HANDPRINT_APP, true), "Handprint is never the editor");
        assert!(!c.focus("", false), "no focused window is no editor");
        assert!(c.focus("xterm", false));
        assert!(!c.focus("firefox", false), "another application is not the editor");
        assert!(c.focus("xterm", false));
        assert_eq!(c.editor(), Some("xterm"));
    }

    #[test]
    fn changing_the_editor_takes_the_next_application_focused() {
        let mut c = EditorChoice::default();
        c.focus("xterm", false);
        c.change();
        assert!(!c.focus(HANDPRINT_APP, true));
        assert!(c.focus("code", false));
        assert!(!c.focus("xterm", false));
    }
}
