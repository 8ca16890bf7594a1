//! The published schemas in `schemas/json/`: the committed files are exactly what the Rust
//! types and the built-in registry generate (run with `EXEV_BLESS=1` to rewrite them), every
//! one is valid JSON Schema draft 2020-12, integers stay in the canonical-JSON range, objects
//! stay open, and the `m.text` schema agrees with the spec's own `TextContentBlock`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use exev::{MAX_SAFE_INTEGER, MIN_SAFE_INTEGER};
use exev_registry::{Registry, SchemaKind, published_schemas, schema_files};
use serde_json::{Value, json};

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/json")
}

fn files_under(dir: &std::path::Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn committed_schemas_are_fresh() {
    let dir = schemas_dir();
    let generated = schema_files(&Registry::built_in()).unwrap();
    if std::env::var_os("EXEV_BLESS").is_some() {
        for (path, bytes) in &generated {
            let target = dir.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, bytes).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (path, bytes) in &generated {
        match std::fs::read(dir.join(path)) {
            Ok(committed) if &committed == bytes => {}
            Ok(_) => stale.push(format!("{path} differs")),
            Err(_) => stale.push(format!("{path} is missing")),
        }
    }
    let expected: BTreeSet<String> = generated.iter().map(|(p, _)| p.clone()).collect();
    for extra in files_under(&dir).difference(&expected) {
        if extra != "README.md" {
            stale.push(format!("{extra} is not generated any more"));
        }
    }
    assert!(
        stale.is_empty(),
        "schemas/json is stale (regenerate with `EXEV_BLESS=1 cargo test -p exev-registry --test published_schemas` or `exev schema --out schemas/json`):\n{}",
        stale.join("\n")
    );
}

fn serde(value: &exev::Value) -> Value {
    serde_json::from_slice(&exev_codec::json::value_to_vec(value).unwrap()).unwrap()
}

#[test]
fn every_schema_is_valid_draft_2020_12() {
    let files = published_schemas(&Registry::built_in());
    assert_eq!(
        files.iter().filter(|f| f.kind == SchemaKind::Block).count(),
        25
    );
    assert_eq!(
        files
            .iter()
            .filter(|f| f.kind == SchemaKind::EventType)
            .count(),
        15
    );
    let meta = jsonschema::draft202012::meta::validator();
    for file in &files {
        let schema = serde(&file.schema);
        let errors: Vec<String> = meta.iter_errors(&schema).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.path);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{}",
            file.path
        );
        assert_eq!(
            schema["$id"],
            format!("https://exev.invalid/schemas/json/{}", file.path)
        );
    }
}

/// Walks every subschema of `schema` (objects under keywords, deep enough for ours).
fn walk<'a>(schema: &'a Value, out: &mut Vec<&'a Value>) {
    match schema {
        Value::Object(members) => {
            out.push(schema);
            for v in members.values() {
                walk(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
        _ => {}
    }
}

#[test]
fn integers_are_bounded_and_objects_open() {
    for file in published_schemas(&Registry::built_in()) {
        let schema = serde(&file.schema);
        let mut all = Vec::new();
        walk(&schema, &mut all);
        for sub in all {
            if sub.get("type") == Some(&json!("integer")) {
                let min = sub["minimum"].as_i64().unwrap();
                let max = sub["maximum"].as_i64().unwrap();
                assert!(
                    MIN_SAFE_INTEGER <= min && max <= MAX_SAFE_INTEGER,
                    "{}: {sub}",
                    file.path
                );
                assert!(sub.get("format").is_none(), "{}: {sub}", file.path);
            }
            assert_ne!(
                sub.get("additionalProperties"),
                Some(&json!(false)),
                "{}: blocks and events stay open",
                file.path
            );
        }
    }
}

/// The spec's `TextContentBlock` (`data/event-schemas/schema/components/m_text_content_block.yaml`,
/// digest §1), transcribed from YAML to JSON.
fn spec_text_content_block() -> Value {
    json!({
        "type": "array",
        "title": "TextContentBlock",
        "items": {
            "type": "object",
            "title": "TextualRepresentation",
            "properties": {
                "mimetype": {"type": "string", "example": "text/html"},
                "body": {"type": "string"}
            },
            "required": ["body"]
        }
    })
}

#[test]
fn m_text_agrees_with_the_spec_text_content_block() {
    let registry = Registry::built_in();
    let ours = serde(&exev_registry::block_schema(
        registry.block("m.text").unwrap(),
    ));
    let spec = spec_text_content_block();
    // The same keywords where the spec has them.
    assert_eq!(ours["type"], spec["type"]);
    assert_eq!(ours["items"]["type"], spec["items"]["type"]);
    assert_eq!(ours["items"]["title"], spec["items"]["title"]);
    assert_eq!(ours["items"]["required"], spec["items"]["required"]);
    for member in ["mimetype", "body"] {
        assert_eq!(
            ours["items"]["properties"][member]["type"],
            spec["items"]["properties"][member]["type"]
        );
    }
    // Nothing stricter: the same verdict on every instance.
    let ours = jsonschema::draft202012::new(&ours).unwrap();
    let spec = jsonschema::draft202012::new(&spec).unwrap();
    let instances = [
        json!([]),
        json!([{"body": "hi"}]),
        json!([{"body": "<b>hi</b>", "mimetype": "text/html"}, {"body": "hi"}]),
        json!([{"body": "hi", "x.custom": 1, "lang": "en"}]),
        json!([{"mimetype": "text/plain"}]),
        json!([{"body": 1}]),
        json!([{"body": "hi", "mimetype": 1}]),
        json!(["hi"]),
        json!("hi"),
        json!({"body": "hi"}),
        json!(null),
    ];
    for instance in &instances {
        assert_eq!(
            ours.is_valid(instance),
            spec.is_valid(instance),
            "{instance}"
        );
    }
}
