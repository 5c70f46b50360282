//! Import and export of the LWP keystroke-log CSV, and `handprint analyze --from lwp-csv` /
//! `handprint export --to lwp-csv` run as the real binary.

mod corpus;

use handprint::analysis::{analyze, lwp};
use handprint::event::{Cause, Event};
use handprint::replay::Replay;
use std::process::{Command, Output};
use std::sync::Arc;

fn handprint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handprint")).args(args).output().expect("runs handprint")
}

/// Rows in the published layout: anonymised letters, a typo fixed with Backspace, a Replace,
/// a paste, a move, a click and a Shift.
const LOG: &str = "\
id,event_id,down_time,up_time,action_time,activity,down_event,up_event,text_change,cursor_position,word_count
e1,1,4526,4557,31,Nonproduction,Leftclick,Leftclick,NoChange,0,0
e1,2,5000,5090,90,Input,q,q,q,1,1
e1,3,5200,5280,80,Input,q,q,q,2,1
e1,4,5350,5500,150,Nonproduction,Shift,Shift,NoChange,2,1
e1,5,5400,5470,70,Input,q,q,q,3,1
e1,6,5600,5680,80,Input,Space,Space,\" \",4,1
e1,7,5800,5870,70,Input,q,q,q,5,2
e1,8,6000,6060,60,Remove/Cut,Backspace,Backspace,q,4,1
e1,9,6200,6270,70,Input,.,.,.,5,2
e1,10,9000,9080,80,Replace,q,q,q => qq,2,2
e1,11,9500,9600,100,Paste,v,v,qqqq qqq,14,3
e1,12,9900,9990,90,\"Move From [0, 3] To [11, 14]\",Leftclick,Leftclick,qqq,14,3
";

fn import(csv: &str) -> Vec<lwp::Imported> {
    match lwp::import(csv.as_bytes()) {
        Ok(v) => v,
        Err(e) => panic!("import failed: {e}"),
    }
}

#[test]
fn an_lwp_log_is_rebuilt_into_events_that_replay_to_its_text() {
    let essays = import(LOG);
    assert_eq!(essays.len(), 1);
    let e = &essays[0];
    assert_eq!(e.id, "e1");
    let entries = Arc::new(e.entries.clone());
    let replay = Replay::build(entries.clone()).expect("imported events replay");
    // "qqq ." after the typing and the fixed typo; the Replace makes "qqqq ."; the paste
    // "qqqq .qqqq qqq"; the move takes "qqq" from the start to the end.
    assert_eq!(replay.final_state().text(), "q .qqqq qqqqqq");
    let keys = entries.iter().filter(|r| matches!(r.event, Event::KeyDown(_))).count();
    assert_eq!(keys, 10, "mouse rows make no key events");
    let a = e.analyze().expect("analyzes");
    let p = &a.measures.provenance;
    assert_eq!((p.typed, p.paste_ext, p.paste_int), (3, 8, 3));
    assert_eq!(a.measures.motor.key_releases, 10);
    assert!(a.limits[0].contains("keystroke-log CSV"));
}

#[test]
fn a_log_without_release_times_is_analyzed_and_says_what_it_lacks() {
    let no_up: String = LOG
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, ',').collect();
            format!("{},{},{},{}\n", f[0], f[1], f[2], f[3].split_once(',').map_or("", |x| x.1))
        })
        .collect();
    let e = &import(&no_up)[0];
    assert!(e.notes.iter().any(|n| n.contains("no key release times")));
    let entries = Arc::new(e.entries.clone());
    let replay = Replay::build(entries.clone()).expect("replays");
    let a = analyze(&entries, &replay);
    assert_eq!(a.measures.motor.holds, 0);
    assert!(a.limits.iter().any(|l| l.contains("No key releases")));
}

#[test]
fn a_log_without_key_names_does_not_call_its_typing_injected() {
    let text: String = (0..200).map(|i| if i % 5 == 4 { ' ' } else { 'q' }).collect();
    let mut csv = String::from("down_time,activity,text_change,cursor_position\n");
    for (i, ch) in text.chars().enumerate() {
        csv.push_str(&format!(
            "{},Input,{},{}\n",
            1000 + i * 150,
            if ch == ' ' { "\" \"" } else { "q" },
            i + 1
        ));
    }
    let e = &import(&csv)[0];
    assert!(e.notes.iter().any(|n| n.contains("no key names")));
    let entries = Arc::new(e.entries.clone());
    let a = analyze(&entries, &Replay::build(entries.clone()).expect("replays"));
    assert_eq!(a.measures.motor.unmatched_typed_chars, 0);
    assert!(!a.flags.iter().any(|f| f.id == "text_without_keys"));
}

#[test]
fn a_log_without_times_or_activities_is_refused_with_the_column_named() {
    let err = lwp::import("id,event_id,text_change\ne,1,q\n".as_bytes()).unwrap_err();
    assert!(err.to_string().contains("`down_time`"), "{err}");
    let err = lwp::import("down_time,activity\nsoon,Input\n".as_bytes()).unwrap_err();
    assert!(err.to_string().contains("row 2"), "{err}");
}

#[test]
fn a_session_exported_to_lwp_and_imported_back_keeps_its_text_keys_and_pastes() {
    let entries = corpus::Class::PasteAndEdit.generate(7);
    let original = Replay::build(Arc::new(entries.clone())).expect("replays");
    let mut csv = Vec::new();
    lwp::export(&entries, &mut csv).expect("exports");
    let back = &import(std::str::from_utf8(&csv).expect("utf-8"))[0];
    let back_records = Arc::new(back.entries.clone());
    let replay = Replay::build(back_records.clone()).expect("re-imported events replay");
    assert_eq!(replay.final_state().text(), original.final_state().text());
    let kd = |rs: &[handprint::event::Entry]| {
        rs.iter().filter(|r| matches!(r.event, Event::KeyDown(_))).count()
    };
    assert_eq!(kd(&back_records), kd(&entries));
    let pasted = |r: &Replay| r.totals().inserted_by(Cause::PasteExt);
    assert_eq!(pasted(&replay), pasted(&original));
}

#[test]
fn exported_rows_carry_cursor_and_word_count_after_each_event() {
    let entries = corpus::Class::Composition.generate(3);
    let mut csv = Vec::new();
    lwp::export(&entries, &mut csv).expect("exports");
    let text = String::from_utf8(csv).expect("utf-8");
    let mut rows = csv_rows(&text);
    let header = rows.remove(0);
    assert_eq!(header, lwp::COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    let last = rows.last().expect("rows");
    let final_text = Replay::build(Arc::new(entries)).expect("replays").final_state().text();
    assert_eq!(last[10], final_text.split_whitespace().count().to_string());
    assert!(rows.iter().any(|r| r[5] == "Remove/Cut" && r[6] == "Backspace"));
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|x| x.expect("valid csv").iter().map(str::to_string).collect()).collect()
}

#[test]
fn analyze_reads_an_lwp_log_and_export_writes_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("log.csv");
    std::fs::write(&log, LOG).expect("writes");
    let out = handprint(&["analyze", "--from", "lwp-csv", "--json", log.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["version"], handprint::analysis::ANALYSIS_VERSION);

    let csv_out = dir.path().join("out.csv");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample-session.jsonl");
    let out =
        handprint(&["export", "--to", "lwp-csv", fixture, "-o", csv_out.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(&csv_out).expect("written");
    assert!(written.starts_with("id,event_id,down_time,up_time,action_time,activity"));
}

#[test]
fn analyze_reports_a_journal_and_refuses_unusable_input_with_exit_2() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample-session.jsonl");
    let out = handprint(&["analyze", fixture]);
    assert_eq!(out.status.code(), Some(0));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("Condrey 2026") && report.contains("Provenance"), "{report}");

    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "not a record").expect("writes");
    let out = handprint(&["analyze", junk.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Handprint journal"));
    let out = handprint(&["analyze", "--from", "lwp-csv", junk.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
}
