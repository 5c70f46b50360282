//! docs/FORMAT.md and docs/journal.schema.json must describe the Rust types exactly.
//! Regenerate the schema with `HANDPRINT_UPDATE_SCHEMA=1 cargo test --test format_doc`.

use handprint::event::journal_line_schema;
use std::collections::BTreeSet;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every property name anywhere in the schema.
fn property_names(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(|p| p.as_object()) {
                out.extend(props.keys().cloned());
            }
            map.values().for_each(|x| property_names(x, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| property_names(x, out)),
        _ => {}
    }
}

#[test]
fn committed_schema_matches_the_event_types() {
    let generated = serde_json::to_string_pretty(&journal_line_schema()).unwrap() + "\n";
    let path = root().join("docs/journal.schema.json");
    if std::env::var_os("HANDPRINT_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/journal.schema.json is out of date; run HANDPRINT_UPDATE_SCHEMA=1 cargo test --test format_doc"
    );
}

#[test]
fn format_doc_documents_every_field_and_event() {
    let doc = std::fs::read_to_string(root().join("docs/FORMAT.md")).unwrap();
    let mut names = BTreeSet::new();
    property_names(&journal_line_schema(), &mut names);
    // One declaration of the event kinds (`Event::TAGS`) is what the doc must cover.
    let tags = handprint::event::Event::TAGS.iter().copied();
    let missing: Vec<_> = names
        .iter()
        .map(String::as_str)
        .chain(tags)
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(missing.is_empty(), "docs/FORMAT.md does not document: {missing:?}");
}

#[test]
fn sample_journal_in_fixtures_is_valid_and_replays() {
    let bytes = std::fs::read(root().join("tests/fixtures/sample-session.jsonl")).unwrap();
    let j = handprint::journal::parse(&bytes).unwrap();
    assert!(j.is_finished());
    handprint::replay::Replay::build(j.entries).unwrap();
}
