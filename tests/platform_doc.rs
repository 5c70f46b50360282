//! docs/PLATFORM.md must describe the protocol types exactly: every body type has its own
//! section, and every member of every type is documented in backticks.

use std::collections::BTreeSet;

fn properties(schema: &serde_json::Value) -> BTreeSet<String> {
    schema
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn platform_doc_documents_every_protocol_type_and_member() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/PLATFORM.md"),
    )
    .unwrap();
    let mut missing = Vec::new();
    for (name, schema) in handprint::platform::protocol::schemas() {
        let Some(at) = doc.find(&format!("\n### {name}\n")) else {
            missing.push(format!("section ### {name}"));
            continue;
        };
        // The type's own table: from its heading to the next heading.
        let section = &doc[at + 1..];
        let section = &section[..section[4..].find("\n#").map_or(section.len(), |e| e + 4)];
        for member in properties(&schema) {
            if !section.contains(&format!("| `{member}` |")) {
                missing.push(format!("{name}.{member}"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/PLATFORM.md does not document: {missing:?}");
}

#[test]
fn platform_doc_gives_the_signed_message_layouts_the_code_uses() {
    use handprint::platform::protocol::{challenge_message, receipt_message};
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/PLATFORM.md"),
    )
    .unwrap();
    let receipt = String::from_utf8(receipt_message("{session}", 7, "{head}", "{at}")).unwrap();
    assert!(doc.contains(&receipt.replace('\n', "\\n").replace("\\n7\\n", "\\n{n}\\n")));
    let challenge = String::from_utf8(challenge_message(
        "{id}",
        "{task}",
        "{prompt_sha256}",
        "{trainer}",
        "{nonce}",
        "{issued}",
        "{deadline}",
    ))
    .unwrap();
    assert!(doc.contains(&challenge.replace('\n', "\\n")), "{challenge:?}");
}
