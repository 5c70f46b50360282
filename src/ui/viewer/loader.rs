//! Opening a record: read, verify, replay and analyse it, in a background thread so that a
//! session of a million events (seconds of work) keeps the window responsive and shows
//! progress.

use crate::analysis::timeline::Timeline;
use crate::attest::PublicKey;
use crate::replay::{Replay, State};
use crate::report::{Evidence, Flag, Verdict};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A record that replays: everything the panels draw.
pub struct Session {
    pub replay: Replay,
    pub timeline: Timeline,
    pub findings: Vec<Flag>,
    /// Lines of the analysis summary.
    pub summary: Vec<String>,
    /// For each inserting edit (by sequence number), how many of its chars are still in the
    /// final text: the text view strikes through what will be deleted later.
    pub survivors: HashMap<u32, u32>,
    /// The final text, kept so that frames do not rebuild it.
    pub final_text: String,
    /// Edits whose text is marked: those of saves flagged `unexplained_insertion`.
    pub flagged_saves: HashSet<u32>,
}

impl Session {
    /// The state after the first `applied` events.
    pub fn at(&self, applied: usize) -> State {
        self.replay.at(applied)
    }
}

/// A record as opened: its verdict, and the session when it replays.
pub struct Loaded {
    pub path: PathBuf,
    pub verdict: Verdict,
    pub session: Option<Session>,
}

impl From<Evidence> for Loaded {
    fn from(e: Evidence) -> Loaded {
        let session = e.replay.map(|(replay, timeline)| {
            let mut survivors = HashMap::new();
            for g in replay.final_state().doc.glyphs() {
                *survivors.entry(g.by).or_insert(0) += 1;
            }
            let final_text = replay.final_state().text();
            let flagged_saves = crate::report::flagged_save_edits(&e.findings)
                .into_iter()
                .map(|seq| seq as u32)
                .collect();
            Session {
                replay,
                timeline,
                findings: e.findings,
                summary: e.summary,
                survivors,
                final_text,
                flagged_saves,
            }
        });
        Loaded { path: e.path, verdict: e.verdict, session }
    }
}

/// How far a background load has come.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// What is being done, in words.
    pub stage: String,
    /// 0.0 … 1.0.
    pub fraction: f32,
}

/// Opens `path` (see [`Evidence::open`]), reporting each stage to `progress`. No signer is
/// pinned, so a valid record shows as not trusted.
pub fn load(path: &Path, progress: &dyn Fn(Progress)) -> Loaded {
    load_pinned(path, &[], progress)
}

/// Opens `path` with the signer pinned to one of `trusted` (see [`Evidence::open_pinned`]).
pub fn load_pinned(path: &Path, trusted: &[PublicKey], progress: &dyn Fn(Progress)) -> Loaded {
    let report = |stage: &str, fraction| progress(Progress { stage: stage.into(), fraction });
    Evidence::open_pinned(path, trusted, &report).into()
}

/// A load running in a background thread.
pub struct Loading {
    pub path: PathBuf,
    progress: Arc<Mutex<Progress>>,
    result: std::sync::mpsc::Receiver<Loaded>,
}

impl Loading {
    /// Starts loading `path`; `repaint` is called whenever there is something new to show.
    pub fn start(
        path: PathBuf,
        trusted: Vec<PublicKey>,
        repaint: impl Fn() + Send + 'static,
    ) -> Loading {
        let progress = Arc::new(Mutex::new(Progress { stage: "starting".into(), fraction: 0.0 }));
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = Arc::clone(&progress);
        let p = path.clone();
        std::thread::spawn(move || {
            let loaded = load_pinned(&p, &trusted, &|now| {
                if let Ok(mut slot) = shared.lock() {
                    *slot = now;
                }
                repaint();
            });
            // The receiver is gone only when the viewer was closed or opened another file.
            let _ = tx.send(loaded);
            repaint();
        });
        Loading { path, progress, result: rx }
    }

    /// The latest progress report.
    pub fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or_else(|e| e.into_inner().clone())
    }

    /// The loaded record once the thread is done.
    pub fn try_finish(&self) -> Option<Loaded> {
        match self.result.try_recv() {
            Ok(loaded) => Some(loaded),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Loaded {
                path: self.path.clone(),
                verdict: Verdict::unreadable("loading stopped unexpectedly (internal error)"),
                session: None,
            }),
        }
    }
}
