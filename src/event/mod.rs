//! The event model: everything a Handprint journal can record.
//!
//! A journal is a sequence of [`Entry`]s, one per line. Each entry wraps one [`Event`]
//! with its sequence number, its time on the session's monotonic clock, and its hash-chain
//! tag (see [`crate::journal`]). Field names are short on purpose: a session holds hundreds of
//! thousands of key events and the format aims for under 80 bytes per key event.
//! docs/FORMAT.md documents every field; a test checks that document against these types.

mod decode;
mod key;
mod platform;

pub use key::{KeyClass, Modifiers, key_class};
pub use platform::{Challenge, Receipt};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
/// Short text held inline: key codes and the text of an edit (see `Key::code`, `Edit`).
pub use smol_str::SmolStr;
use std::collections::BTreeMap;

/// The journal format version written in [`SessionStart::format`].
pub const FORMAT_VERSION: u32 = 1;

/// One line of a journal: an event with its place in time and in the hash chain.
// Read by the one-pass reader in `decode.rs`, not a derived one.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Entry {
    /// Sequence number, 0 for the first line, +1 for each line after.
    #[serde(rename = "s")]
    pub seq: u64,
    /// Microseconds since the session started, on a monotonic clock. Never decreases.
    #[serde(rename = "t")]
    pub t_us: u64,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// Declares [`Event`] from one list of `"tag" => Variant(payload)` lines, and from the same
/// list [`Event::tag`] and [`Event::TAGS`]: the journal's tags, the JSON Schema and the
/// documented list (checked against docs/FORMAT.md by a test) cannot drift apart, and a new
/// kind is one line here plus the compile errors at every exhaustive `match` that must
/// handle it.
macro_rules! event_kinds {
    (@decode $members:ident, $variant:ident, $payload:ty) => {
        <$payload as Deserialize>::deserialize($members).map(Event::$variant)
    };
    (@decode $members:ident, $variant:ident) => {
        decode::no_payload($members).map(|()| Event::$variant)
    };
    ($( $(#[doc = $doc:expr])* $tag:literal => $variant:ident $(($payload:ty))?, )*) => {
        /// What happened. Serialized with the tag field `"e"`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(tag = "e")]
        pub enum Event {
            $( $(#[doc = $doc])* #[serde(rename = $tag)] $variant $(($payload))?, )*
        }

        impl Event {
            /// Every tag written in the `e` field, in declaration order.
            pub const TAGS: &'static [&'static str] = &[$($tag),*];

            /// The tag written in the `e` field.
            pub fn tag(&self) -> &'static str {
                match self {
                    $( Event::$variant { .. } => $tag, )*
                }
            }

            /// The event tagged `tag`, its payload read from `members` (see `decode.rs`).
            fn decode_payload<'de, D: serde::Deserializer<'de>>(
                tag: &str,
                members: D,
            ) -> Result<Event, D::Error> {
                match tag {
                    $( $tag => event_kinds!(@decode members, $variant $(, $payload)?), )*
                    other => Err(serde::de::Error::unknown_variant(other, Event::TAGS)),
                }
            }
        }
    };
}

event_kinds! {
    /// First event of every session: the facts the session was recorded under.
    "start" => Start(Box<SessionStart>),
    /// A physical key was pressed.
    "kd" => KeyDown(Key),
    /// A physical key was released.
    "ku" => KeyUp(Key),
    /// The response text changed.
    "ed" => Edit(Edit),
    /// The caret or selection moved without the text changing.
    "sel" => Select(Selection),
    /// Text was copied (or cut) from the editor to the clipboard.
    "copy" => Copy(CopyRange),
    /// The Handprint window lost (`on: false`) or regained (`on: true`) keyboard focus.
    "focus" => Focus(Focus),
    /// Recording paused by the trainer (a privacy break). Nothing is captured until `resume`.
    "pause" => Pause,
    /// Recording resumed after a pause.
    "resume" => Resume,
    /// Keys typed in other applications while Handprint was not focused: counts per key
    /// class only, never which key.
    "away" => AwayKeys(AwayKeys),
    /// A periodic wall-clock sample, so that clock changes during a session are visible.
    "clock" => Clock(ClockSample),
    /// The chain head at this point, signed (or left unsigned when no key is available).
    "ckpt" => Checkpoint(Box<Checkpoint>),
    /// The session was reopened after a crash or kill.
    "recovered" => Recovered(Recovered),
    /// The keyboard devices present (at the start) or attached (mid-session): name and kind
    /// only.
    "kbds" => Devices(KeyDevices),
    /// A change in what the key capture can see: the system-wide hook lost keys the editor
    /// received, was restarted, came back, or is limited on this desktop.
    "cap" => Capture(CaptureNote),
    /// The session was finished. Nothing follows it.
    "end" => End(SessionEnd),
    /// A witness receipt from the platform service: it saw the chain head over the first `n`
    /// lines at its own time `at` (docs/PLATFORM.md). Appended when the receipt arrives.
    "wit" => Witness(Box<Receipt>),
    /// While an external file is watched: the application that now holds keyboard focus, by
    /// its program name only (never a window title), and whether it is the trainer's editor.
    "app" => App(AppFocus),
    /// While an external file is watched: the file was opened, deleted, recreated or could
    /// not be read. Its content changes are `ed` events with cause `file`.
    "file" => File(FileNote),
}

/// The application holding keyboard focus, while an external file is watched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppFocus {
    /// The program's name as the desktop gives it (X11 `WM_CLASS`, else the process name),
    /// e.g. `xterm`, `code`, `gedit`; `handprint` for Handprint's own window; empty when no
    /// window has focus.
    pub name: String,
    /// `true` when this is the trainer's editor: its keys are recorded (`kd`/`ku`); in any
    /// other application only counts per key class are (`away`). Absent otherwise.
    #[serde(rename = "ed", default, skip_serializing_if = "std::ops::Not::not")]
    pub editor: bool,
}

/// Something that happened to the watched file itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileNote {
    pub what: FileChange,
    /// Plain words: the file's name (at `opened`), or why it could not be read.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// What happened to the watched file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileChange {
    /// Watching started. The file's content at this point follows as one `ed` with cause
    /// `file`: text that was there before the session, not written in it.
    Opened,
    /// The file is gone (and stayed gone past the save-settling delay). The text stays as
    /// last read until the file comes back.
    Deleted,
    /// The file exists again; its content is compared with the last one read, and the
    /// difference follows as `ed` events.
    Recreated,
    /// The file could not be read as UTF-8 text (`why` says why); the text stays as last
    /// read.
    Unreadable,
}

/// Keyboard devices known to the system, by name and kind (nothing identifying beyond that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KeyDevices {
    /// `true` when these devices were attached during the session; absent for the devices
    /// present when capture started.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub added: bool,
    pub list: Vec<DeviceInfo>,
}

/// One keyboard device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DeviceInfo {
    /// The name the system gives the device, e.g. `Virtual core XTEST keyboard`.
    pub name: String,
    pub kind: KeyDevice,
}

/// What happened to key capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaptureNote {
    pub what: CaptureChange,
    /// Plain words: how it was noticed, or why capture is limited.
    pub why: String,
}

/// A change in key capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaptureChange {
    /// The system-wide hook missed keys the editor received; the editor's own keys are
    /// recorded from here on.
    Lost,
    /// As `lost`, and the device reader (XInput2) saw no input device produce those keys
    /// either: they were sent straight to the window by a program (X `SendEvent`).
    NoDevice,
    /// A restart of the hook was attempted (`why` says with what result).
    Restarted,
    /// The hook delivers keys again.
    Restored,
    /// Capture is limited on this desktop from the start (e.g. Wayland: no system-wide keys,
    /// no device of origin).
    Limited,
}

/// Facts about the session, recorded once at its start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionStart {
    /// Journal format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// Random session identifier (32 hex digits).
    pub session: String,
    /// The task this response answers, as given by the platform.
    pub task: String,
    /// The platform's nonce or challenge for this task, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// SHA-256 (hex) of the task prompt shown beside the editor, if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_sha256: Option<String>,
    /// The platform's signed task challenge, when the session answers one: the first line
    /// commits to it, binding the record to its task, prompt, trainer and deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Box<Challenge>>,
    /// Name and version of the recording tool, e.g. `handprint 0.1.0`.
    pub app: String,
    /// Operating system and architecture, e.g. `linux x86_64`.
    pub os: String,
    /// Wall-clock time at the start, RFC 3339 UTC.
    pub wall: String,
    /// Capture sources active at the start: `editor` (in-app edits and keys),
    /// `os-keys` (system-wide key hook), `file-watch` (an external file watched).
    pub sources: Vec<String>,
}

/// A physical key event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Key {
    /// Physical key as a W3C UI Events `KeyboardEvent.code` value (`KeyA`, `Space`,
    /// `Backspace`, `ShiftLeft`, …); `Unidentified` when the back-end cannot tell.
    #[serde(rename = "k")]
    #[schemars(with = "String")]
    pub code: SmolStr,
    /// Modifiers held at the time (bit set, see [`Modifiers`]); absent when none.
    #[serde(rename = "m", default, skip_serializing_if = "Modifiers::is_empty")]
    pub mods: Modifiers,
    /// Which back-end saw the key: absent for the app window, `os` for the system-wide hook
    /// (whose timestamps are more precise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<KeySource>,
    /// `true` on a key-down that is the keyboard's auto-repeat of a key held down (absent
    /// otherwise). Repeats type characters but are not keystrokes: analysis never times them.
    #[serde(rename = "r", default, skip_serializing_if = "std::ops::Not::not")]
    pub rep: bool,
    /// On a key-down: the kind of input device the press came from, where the system tells
    /// (X11 XInput2); absent where it cannot be told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<KeyDevice>,
}

/// The kind of input device a key press came from. A fact about the path the key took, not
/// about who pressed it: remote-desktop servers and on-screen keyboards inject keys too.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KeyDevice {
    /// A keyboard device present when capture started: hardware, or anything that presents
    /// itself to the system as a keyboard.
    Kbd,
    /// Injected through the X Test extension (xdotool, pynput's special keys, most
    /// auto-typers; also x11vnc and on-screen keyboards such as Onboard).
    Xtest,
    /// A keyboard device attached while Handprint was running.
    Added,
    /// Any other device (a virtual or unnamed one).
    Other,
}

impl KeyDevice {
    /// The name used in the journal and in reports.
    pub fn name(self) -> &'static str {
        match self {
            KeyDevice::Kbd => "kbd",
            KeyDevice::Xtest => "xtest",
            KeyDevice::Added => "added",
            KeyDevice::Other => "other",
        }
    }
}

impl Key {
    /// A key event from `src` with no modifiers recorded and no auto-repeat.
    pub fn new(code: impl Into<String>, mods: Modifiers, src: Option<KeySource>) -> Key {
        Key { code: SmolStr::from(code.into()), mods, src, rep: false, dev: None }
    }
}

/// The back-end a key event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeySource {
    /// The operating system's global key hook (rdev).
    Os,
}

/// One exact change to the response text: at char position `p`, delete `d`, insert `i`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Edit {
    /// Position in Unicode scalar values (chars) from the start of the text.
    pub p: usize,
    /// The exact text removed at `p` (absent when nothing was removed).
    // A boxed str, not inline like `i`: most edits delete nothing, and 16 bytes here instead
    // of 24 make every event of a journal 8 bytes smaller in memory (docs/PERFORMANCE.md).
    #[serde(default, skip_serializing_if = "str::is_empty")]
    #[schemars(with = "String")]
    pub d: Box<str>,
    /// The exact text inserted at `p` after the removal (absent when nothing was inserted).
    #[serde(default, skip_serializing_if = "SmolStr::is_empty")]
    #[schemars(with = "String")]
    pub i: SmolStr,
    /// Why the text changed; absent means typed on the keyboard.
    #[serde(default, skip_serializing_if = "Cause::is_typed")]
    pub c: Cause,
}

/// Why the text changed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Keyboard typing and keyboard deletion (Backspace, Delete, Enter, Tab).
    #[default]
    Typed,
    /// Pasted from the clipboard with content that did not come from this session's text.
    PasteExt,
    /// Pasted content copied or cut from this session's own text (moving one's own words).
    PasteInt,
    /// Cut to the clipboard.
    Cut,
    /// Undo.
    Undo,
    /// Redo.
    Redo,
    /// Committed by an input method (IME composition).
    Ime,
    /// A whole word or phrase inserted or replaced in one input without a key per character:
    /// spell-check, autocorrect, word completion or dictation. An input method, not typing
    /// and not injection (docs/ANALYSIS.md).
    InputMethod,
    /// Dropped by drag and drop.
    Drop,
    /// Changed in an external file being watched (the trainer's own editor).
    File,
    /// A change the capture could not attribute to any input.
    Other,
}

impl Cause {
    /// Every cause, in a stable order (for tables and counts).
    pub const ALL: [Cause; 11] = [
        Cause::Typed,
        Cause::PasteExt,
        Cause::PasteInt,
        Cause::Cut,
        Cause::Undo,
        Cause::Redo,
        Cause::Ime,
        Cause::InputMethod,
        Cause::Drop,
        Cause::File,
        Cause::Other,
    ];

    fn is_typed(&self) -> bool {
        *self == Cause::Typed
    }

    /// The name used in the journal and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Cause::Typed => "typed",
            Cause::PasteExt => "paste_ext",
            Cause::PasteInt => "paste_int",
            Cause::Cut => "cut",
            Cause::Undo => "undo",
            Cause::Redo => "redo",
            Cause::Ime => "ime",
            Cause::InputMethod => "input_method",
            Cause::Drop => "drop",
            Cause::File => "file",
            Cause::Other => "other",
        }
    }
}

/// Caret and selection in chars: `a` is the anchor, `b` the caret. Equal when nothing is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Selection {
    pub a: usize,
    pub b: usize,
}

/// The char range `[a, b)` of the current text that was copied or cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CopyRange {
    pub a: usize,
    pub b: usize,
}

/// Keyboard focus of the Handprint window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Focus {
    pub on: bool,
}

/// Counts of keys pressed in other applications, per [`KeyClass`], since the previous `away`
/// event. Never which key: that could be a password.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct AwayKeys {
    pub n: BTreeMap<KeyClass, u32>,
}

/// A wall-clock reading taken at this event's monotonic time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClockSample {
    /// RFC 3339 UTC with microseconds.
    pub wall: String,
}

/// A checkpoint over the chain so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Checkpoint {
    /// Full chain value (64 hex digits) after the line before this one.
    pub head: String,
    /// Base64 Ed25519 signature (see docs/FORMAT.md for the signed message); absent when the
    /// session had no signing key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
    /// OpenSSH-style fingerprint (`SHA256:…`) of the signing key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// The session was reopened after it ended abnormally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Recovered {
    /// Bytes of a torn last line that were dropped (0 when the journal ended cleanly).
    pub dropped: u64,
    /// Wall-clock time of the recovery, RFC 3339 UTC.
    pub wall: String,
}

/// The end of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SessionEnd {
    /// SHA-256 (hex) of the final text's UTF-8 bytes.
    pub sha256: String,
    /// Length of the final text in chars.
    pub chars: usize,
}

/// The JSON Schema of one journal line, generated from these types plus the `h` chain member
/// every line ends with (see docs/FORMAT.md). docs/journal.schema.json is this, checked by a
/// test, so the published schema cannot drift from the code.
pub fn journal_line_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Entry)).unwrap_or_default();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("title".into(), "Handprint journal line".into());
        if let Some(props) = obj.get_mut("properties").and_then(|p| p.as_object_mut()) {
            props.insert(
                "h".into(),
                serde_json::json!({
                    "description": "Chain tag: the first 12 bytes of this line's chain value, unpadded base64url. Always the last member.",
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_-]{16}$"
                }),
            );
        }
        if let Some(req) = obj.get_mut("required").and_then(|r| r.as_array_mut()) {
            req.push("h".into());
        }
        obj.insert(
            "$comment".into(),
            "Integers are written as decimal digits only (no sign, fraction or exponent): JSON Schema's integer type admits 6680516.0, readers refuse it (docs/FORMAT.md, JSON rules). Duplicate member names and lone surrogates are refused too.".into(),
        );
    }
    standard_integers(&mut schema);
    schema
}

/// Replaces schemars' non-standard `format: uint64` (and friends) with the standard
/// `minimum`/`maximum` of that width, so every JSON Schema validator enforces the range.
fn standard_integers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            let max: Option<u64> = match map.get("format").and_then(|f| f.as_str()) {
                Some("uint8") => Some(u8::MAX.into()),
                Some("uint16") => Some(u16::MAX.into()),
                Some("uint32") => Some(u32::MAX.into()),
                Some("uint64" | "uint") => Some(u64::MAX),
                _ => None,
            };
            if let Some(max) = max {
                map.remove("format");
                map.insert("minimum".into(), 0.into());
                map.insert("maximum".into(), max.into());
            }
            map.values_mut().for_each(standard_integers);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(standard_integers),
        _ => {}
    }
}

/// Wall-clock now as RFC 3339 UTC with microseconds, the form used throughout the journal.
pub fn wall_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_in_memory_stays_small() {
        // A verifier holds every event of a journal: at 72 bytes a million-event journal
        // (71 MB on disk) takes 72 MB (docs/PERFORMANCE.md). Growing an event shows here.
        assert_eq!(size_of::<Entry>(), 72);
    }

    #[test]
    fn typed_edit_serializes_compactly() {
        let r = Entry {
            seq: 7,
            t_us: 1_234_567,
            event: Event::Edit(Edit {
                p: 3,
                d: Default::default(),
                i: "a".into(),
                c: Cause::Typed,
            }),
        };
        let s = serde_json::to_string(&r).unwrap();
        assert_eq!(s, r#"{"s":7,"t":1234567,"e":"ed","p":3,"i":"a"}"#);
        let back: Entry = serde_json::from_str(&s).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn key_event_without_modifiers_omits_them() {
        let r = Entry {
            seq: 1,
            t_us: 5,
            event: Event::KeyDown(Key {
                code: "KeyA".into(),
                mods: Modifiers::NONE,
                src: None,
                rep: false,
                dev: None,
            }),
        };
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"s":1,"t":5,"e":"kd","k":"KeyA"}"#);
    }

    #[test]
    fn schema_describes_every_event_tag() {
        let schema = journal_line_schema().to_string();
        for tag in Event::TAGS {
            assert!(schema.contains(&format!("\"{tag}\"")), "schema lacks {tag}");
        }
        for tag in [
            "start",
            "kd",
            "ku",
            "ed",
            "sel",
            "copy",
            "focus",
            "pause",
            "resume",
            "away",
            "clock",
            "ckpt",
            "recovered",
            "kbds",
            "cap",
            "end",
            "wit",
        ] {
            assert!(schema.contains(&format!("\"{tag}\"")), "schema lacks {tag}");
        }
    }

    #[test]
    fn unit_events_round_trip() {
        for event in [Event::Pause, Event::Resume] {
            let r = Entry { seq: 2, t_us: 9, event };
            let s = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Entry>(&s).unwrap(), r);
        }
    }
}
