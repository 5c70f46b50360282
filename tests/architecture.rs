//! The layering ARCHITECTURE.md draws, checked on the source: a module may use only modules
//! of a lower layer, so no module reaches up and no two modules import each other.

use std::collections::BTreeSet;
use std::path::Path;

/// Each top-level module and its layer, lowest first. Same-layer modules may not use each
/// other either: that is how cycles start.
const LAYERS: &[(&str, u32)] = &[
    ("event", 0),
    ("paths", 0),
    ("session", 1),
    ("journal", 1),
    ("replay", 2),
    ("attest", 3),
    ("record", 4),
    ("platform", 4),
    ("analysis", 5),
    ("verify", 6),
    ("report", 7),
    ("capture", 7),
    ("serve", 8),
    ("ui", 8),
    ("cli", 9),
];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The top-level modules named after `crate::` in `source`, outside comments and inline
/// test modules (tests may build fixtures from any layer).
fn uses(source: &str) -> BTreeSet<String> {
    let code = source.split("#[cfg(test)]\nmod tests {").next().unwrap_or("");
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        for (i, _) in line.match_indices("crate::") {
            let name: String = line[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_one_from_its_own_or_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // Unit-test files and helpers are compiled only into tests.
        if name.contains("tests") || name == "test_support.rs" {
            continue;
        }
        let top = rel.iter().next().and_then(|c| c.to_str()).unwrap_or("");
        let top = top.trim_end_matches(".rs");
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(own) = layer(top) else {
            wrong.push(format!("{top} is not placed in a layer in tests/architecture.rs"));
            continue;
        };
        for used in uses(&std::fs::read_to_string(&file).unwrap()) {
            // Crate-root helpers (`crate::hex`, `crate::sha256_hex`) belong to no layer.
            let Some(theirs) = layer(&used) else { continue };
            if used != top && theirs >= own {
                wrong
                    .push(format!("{} uses crate::{used} (layer {theirs} ≥ {own})", rel.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layering:\n{}", wrong.join("\n"));
}
