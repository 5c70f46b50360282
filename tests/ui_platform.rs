//! The recorder with a platform: the start screen opens a challenge and shows its prompt,
//! the writing screen shows the link to the platform, receipts land in the journal, and the
//! finished screen submits. Against the real service on loopback.

mod platform_support;

use egui::{Event, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use handprint::event::Event as J;
use handprint::ui::{AppOptions, RecorderApp};
use platform_support::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn options(dir: &Path) -> AppOptions {
    AppOptions {
        sessions_dir: dir.join("sessions"),
        keys_dir: dir.join("keys"),
        out_dir: Some(dir.join("out")),
        os_keys: false,
        finish_on_close: true,
        platform_dir: Some(dir.to_owned()),
    }
}

fn harness(app: RecorderApp) -> Harness<'static, RecorderApp> {
    Harness::builder()
        .with_size([1100.0, 760.0])
        .build_ui_state(|ui, app: &mut RecorderApp| app.show(ui), app)
}

/// Runs frames until `done` holds (the witness answers from its own thread).
fn run_until(
    h: &mut Harness<'_, RecorderApp>,
    what: &str,
    done: impl Fn(&Harness<'_, RecorderApp>) -> bool,
) {
    let until = Instant::now() + Duration::from_secs(20);
    while !done(h) {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
        h.run();
    }
}

#[test]
fn challenge_opened_on_the_start_screen_is_recorded_witnessed_and_submitted() {
    let p = Platform::start();
    let dir = tempfile::tempdir().unwrap();
    let created = p.create_trainer("Ada");
    let key = handprint::attest::KeyStore::at(dir.path().join("keys")).load_or_create().unwrap();
    let account =
        handprint::platform::account::Account::enrol(p.url(), &created.enrol_token, &key, None)
            .unwrap();
    account.save(dir.path()).unwrap();
    let offer = p.challenge(&account.trainer, "T-river", &in_secs(3600));
    let file = dir.path().join("challenge.json");
    std::fs::write(&file, serde_json::to_vec(&offer).unwrap()).unwrap();

    let mut h = harness(RecorderApp::new(options(dir.path())));
    h.run();
    assert!(h.query_by_label_contains("Enrolled with").is_some());
    h.get_by_label("Platform challenge").focus();
    h.run();
    h.get_by_label("Platform challenge").type_text(&file.display().to_string());
    h.run();
    h.get_by_label("Open challenge").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("describe a river you know").is_some(),
        "the prompt is shown"
    );
    h.get_by_label("Start recording").click();
    h.run();
    run_until(&mut h, "the link to show connected", |h| {
        h.query_by_label("Platform: connected").is_some()
    });

    for c in "my river".chars() {
        h.event(Event::Text(c.to_string()));
        h.run();
    }
    let journal = h.state().current_recording().unwrap().journal_path().to_owned();
    h.get_by_label("Finish").click();
    h.run();
    h.run();
    assert!(h.state().finished().is_some());
    h.get_by_label("Submit to the platform").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("Submitted: receipt").is_some(),
        "the submission is confirmed"
    );

    let bytes = std::fs::read(&journal).unwrap();
    let records = handprint::journal::parse(&bytes).unwrap().entries;
    let J::Start(start) = &records[0].event else { panic!("start first") };
    assert_eq!(start.challenge.as_ref().map(|c| c.id.as_str()), Some(offer.challenge.id.as_str()));
    let receipts = records.iter().filter(|r| matches!(r.event, J::Witness(_))).count();
    assert!(receipts >= 2, "receipts at start and finish: {receipts}");
    let _ = Key::A;
}

#[test]
fn without_a_platform_the_start_screen_offers_enrolment_and_recording_works_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(RecorderApp::new(options(dir.path())));
    h.run();
    assert!(h.query_by_label("Enrol with a task platform").is_some());
    assert!(h.query_by_label("Platform challenge").is_none());
    h.get_by_label("Task id").focus();
    h.run();
    h.get_by_label("Task id").type_text("T-1");
    h.run();
    h.get_by_label("Start recording").click();
    h.run();
    let rec = h.state().current_recording().expect("recording without a platform");
    assert!(rec.link().is_none());
}
