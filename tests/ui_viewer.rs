//! The replay viewer driven through its widgets with egui_kittest.
#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use handprint::report::Origin;
use handprint::ui::viewer::text_view::colour;
use handprint::ui::viewer::{Viewer, loader};
use std::path::Path;

mod support;
use support::viewer as viewer_support;
use viewer_support::{SAMPLE, sample_key, signed_sample};

fn open(path: &Path) -> Viewer {
    Viewer::with_loaded(loader::load(path, &|_| {}))
}

/// Opens `path` trusting the sample's signing key, as an auditor who registered it.
fn open_trusting(path: &Path, dir: &Path) -> Viewer {
    Viewer::with_loaded(loader::load_pinned(path, &[sample_key(dir)], &|_| {}))
}

fn trusting(dir: &Path) -> Viewer {
    Viewer { trusted: vec![sample_key(dir)], ..Viewer::default() }
}

fn harness(viewer: Viewer) -> Harness<'static, Viewer> {
    Harness::builder()
        .with_size([1280.0, 900.0])
        .build_ui_state(|ui, viewer: &mut Viewer| viewer.ui(ui), viewer)
}

fn shown_counts(h: &Harness<'_, Viewer>) -> (usize, usize, usize) {
    let counts = h.state().text.visible.as_ref().expect("text laid out").colour_counts();
    let n = |o| counts.get(&colour(o)).copied().unwrap_or(0);
    (n(Origin::Typed), n(Origin::Pasted), n(Origin::Moved))
}

#[test]
fn a_signed_bundle_by_a_trusted_key_shows_valid_with_its_signer_and_final_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open_trusting(&signed_sample(dir.path()), dir.path()));
    h.run();
    h.get_by_label("VALID");
    h.get_by_label_contains("(the required key)");
    h.get_by_label("T-1042");
    h.get_by_label("q7Zx");
    h.get_by_label("editor");
    h.get_by_label_contains("Plants trurn light into sugar. Chlorophyll");
    assert_eq!(shown_counts(&h), (37, 40, 6));
}

#[test]
fn a_signed_bundle_by_an_unpinned_key_shows_not_trusted_never_valid() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(open(&signed_sample(dir.path())));
    h.run();
    h.get_by_label_contains("NOT TRUSTED — intact and validly signed, but by SHA256:");
    h.get_by_label_contains("(signer not pinned: not trusted)");
    assert!(h.query_by_label("VALID").is_none(), "an unpinned signer is never shown as VALID");
}

#[test]
fn seeking_to_an_event_shows_the_text_and_origins_at_that_moment() {
    let mut h = harness(open(Path::new(SAMPLE)));
    h.run();
    // Event 111 is the external paste; after it, 30 typed and 40 pasted characters.
    h.state_mut().seek_event(112);
    h.run();
    let v = h.state().text.visible.as_ref().unwrap();
    assert_eq!(v.text(), "Plants trurn light into sugar. Chlorophyll absorbs red and blue light.");
    assert_eq!(shown_counts(&h), (30, 40, 0));
    h.get_by_label_contains("event 112 of 141");
    h.get_by_label("< step").click();
    h.run();
    assert_eq!(h.state().playhead.applied, 111);
    assert_eq!(shown_counts(&h), (30, 0, 0));
}

#[test]
fn text_deleted_later_is_struck_through_on_demand() {
    let mut h = harness(open(Path::new(SAMPLE)));
    h.run();
    // Before event 37 deletes the mistyped "n".
    h.state_mut().seek_event(37);
    h.run();
    let struck = |h: &Harness<'_, Viewer>| {
        let v = h.state().text.visible.as_ref().unwrap();
        v.job.sections.iter().filter(|s| s.format.strikethrough.width > 0.0).count()
    };
    assert_eq!(struck(&h), 0);
    h.get_by_label("strike through text deleted later").click();
    h.run();
    assert!(struck(&h) >= 1);
}

#[test]
fn next_flag_moves_the_playhead_to_the_flagged_event() {
    // The analysis flags the sample's clock set back (event 105) and its large external
    // paste (event 111), most severe first.
    let mut viewer = open(Path::new(SAMPLE));
    let flags: Vec<(&str, u64)> =
        viewer.session().unwrap().findings.iter().map(|f| (f.id.as_str(), f.events[0])).collect();
    assert_eq!(flags, [("clock_set_back", 105), ("large_external_paste", 111)]);
    viewer.seek_event(0);
    let mut h = harness(viewer);
    h.run();
    h.get_by_label("next flag >>").click();
    h.run();
    assert_eq!(h.state().playhead.applied, 106);
    h.get_by_label("next flag >>").click();
    h.run();
    assert_eq!(h.state().playhead.applied, 112);
    h.get_by_label("<< previous flag").click();
    h.run();
    assert_eq!((h.state().playhead.applied, h.state().current_flag), (106, Some(0)));
    h.get_by_label("Much of the added text was pasted from outside (notice)").click();
    h.run();
    assert_eq!((h.state().playhead.applied, h.state().current_flag), (112, Some(1)));
}

#[test]
fn a_tampered_record_shows_why_it_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tampered.jsonl");
    let good = std::fs::read_to_string(SAMPLE).unwrap();
    std::fs::write(&path, good.replacen("\"i\":\"l\"", "\"i\":\"L\"", 1)).unwrap();
    let mut h = harness(open(&path));
    h.run();
    h.get_by_label_contains("INVALID — chain: line 8: chain tag does not match");
    h.get_by_label("This record cannot be replayed; the banner above says why.");
}

#[test]
fn a_truncated_record_shows_why_it_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.jsonl");
    let good = std::fs::read(SAMPLE).unwrap();
    std::fs::write(&path, &good[..good.len() - 30]).unwrap();
    let mut h = harness(open(&path));
    h.run();
    h.get_by_label_contains("INVALID — chain: line 141: the line is cut off");
}

#[test]
fn a_bare_journal_replays_but_is_not_valid_evidence() {
    let mut h = harness(open(Path::new(SAMPLE)));
    h.run();
    h.get_by_label_contains("INVALID — signed: this is a bare journal with no attestation");
    h.get_by_label_contains("Plants trurn light into sugar.");
}

#[test]
fn a_record_opened_in_the_background_shows_when_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = signed_sample(dir.path());
    let mut h = harness(trusting(dir.path()));
    h.run();
    let ctx = h.ctx.clone();
    h.state_mut().open(bundle, &ctx);
    wait_until_loaded(&mut h);
    h.get_by_label("VALID");
}

#[test]
fn comparing_the_submitted_text_says_whether_it_matches() {
    let mut h = harness(open(Path::new(SAMPLE)));
    h.run();
    h.state_mut().banner.submitted = "Plants grow.".into();
    h.run();
    h.get_by_label("DIFFERS from the recorded text from character 8 on");
}

/// Clicks "Browse…" in the open bar (the empty viewer shows a second one below it).
fn open_the_file_dialog(h: &mut Harness<'_, Viewer>) {
    h.query_all_by_label("Browse…").next().expect("a Browse… button").click();
    h.run();
    h.get_by_label("Open a record");
}

/// A harness for the file dialog. egui counts two clicks as a double click only within
/// 0.3 s, and a step with the default `step_dt` (0.25 s) can span several passes.
fn dialog_harness(viewer: Viewer) -> Harness<'static, Viewer> {
    Harness::builder()
        .with_size([1280.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, viewer: &mut Viewer| viewer.ui(ui), viewer)
}

/// Two clicks a frame apart, after a pause so earlier clicks do not make it a triple click.
fn double_click(h: &mut Harness<'_, Viewer>, label: &str) {
    for _ in 0..30 {
        h.step();
    }
    h.get_by_label(label).click();
    h.step();
    h.get_by_label(label).click();
    // Stepped, not run: opening a record animates a progress bar that never settles. The
    // second step draws what the double click led to.
    h.step();
    h.step();
}

/// Steps the harness until the background load started by the viewer has finished.
fn wait_until_loaded(h: &mut Harness<'_, Viewer>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.state().loaded.is_none() && std::time::Instant::now() < deadline {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
}

#[test]
fn browsing_up_a_folder_and_opening_a_bundle_loads_it() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = signed_sample(dir.path());
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    // The dialog starts in the folder of the record named in the path field.
    let typed = dir.path().join("empty").join("typed.handprint");
    let viewer = Viewer { path_field: typed.display().to_string(), ..trusting(dir.path()) };
    let mut h = dialog_harness(viewer);
    h.run();
    open_the_file_dialog(&mut h);
    h.get_by_label("No folders or records here.");
    double_click(&mut h, "..");
    h.get_by_label("empty");
    h.get_by_label("sample.handprint").click();
    h.run();
    // The dialog's "Open" comes after the open bar's in the tree.
    h.query_all_by_label("Open").last().expect("the dialog's Open").click();
    h.step();
    assert!(h.state().file_dialog.is_none(), "the dialog closes once a record is picked");
    wait_until_loaded(&mut h);
    assert_eq!(h.state().loaded.as_ref().map(|l| l.path.clone()), Some(bundle));
    h.get_by_label("VALID");
}

#[test]
fn a_folder_typed_into_the_dialog_is_listed_and_a_double_click_opens_its_record() {
    let dir = tempfile::tempdir().unwrap();
    signed_sample(dir.path());
    let mut h = dialog_harness(trusting(dir.path()));
    h.run();
    open_the_file_dialog(&mut h);
    h.get_by_label("Folder:").set_text_value_accesskit(&dir.path().display().to_string());
    h.run();
    h.get_by_label("Go").click();
    h.run();
    double_click(&mut h, "sample.handprint");
    wait_until_loaded(&mut h);
    h.get_by_label("VALID");
}

#[test]
fn a_folder_that_cannot_be_read_is_reported_in_the_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = dialog_harness(Viewer::default());
    h.run();
    open_the_file_dialog(&mut h);
    let missing = dir.path().join("no such folder");
    h.get_by_label("Folder:").set_text_value_accesskit(&missing.display().to_string());
    h.run();
    h.get_by_label("Go").click();
    h.run();
    h.get_by_label_contains("Cannot open the folder");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().file_dialog.is_none());
}

#[test]
fn export_report_writes_the_page_with_the_interactive_replay() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = signed_sample(dir.path());
    let mut h = harness(open_trusting(&bundle, dir.path()));
    h.run();
    h.get_by_label("Export report (HTML)").click();
    h.run();
    let page = std::fs::read_to_string(handprint::ui::viewer::report_path(&bundle)).unwrap();
    assert!(page.contains("id=\"hp-replay-data\""), "the report replays in the browser");
    assert!(page.contains("VALID"), "with the verdict");
    h.get_by_label_contains("report written to");
}
