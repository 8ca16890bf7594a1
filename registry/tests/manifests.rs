//! Registrar manifests: the example registrar (`registrars/org.example`, MSC1767's temperature
//! and tank-level types) checks, loads, validates and renders; broken copies of it are
//! rejected, each with its file, pointer and a clear message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use exev_registry::{Capabilities, Manifest, ManifestError, Outcome, Registry, Validator};

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../registrars/org.example")
}

/// A fresh copy of the example registrar in a temporary directory.
fn copy_of_example() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("exev-manifest-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&example_dir(), &dir);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Replaces `from` by `to` in `file` of `dir` (which must contain `from`).
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Loads `dir`, which must fail, and returns its problems as lines.
fn problems(dir: &Path) -> Vec<String> {
    let error: ManifestError = Manifest::load(dir).expect_err("the broken copy must be rejected");
    let _ = std::fs::remove_dir_all(dir);
    assert!(!error.problems.is_empty());
    error.problems.iter().map(ToString::to_string).collect()
}

fn assert_has(lines: &[String], expected: &str) {
    assert!(
        lines.iter().any(|l| l == expected),
        "expected the problem\n  {expected}\nin\n  {}",
        lines.join("\n  ")
    );
}

#[test]
fn the_example_registrar_checks_and_loads() {
    let manifest = Manifest::load(&example_dir()).unwrap();
    assert_eq!(manifest.namespace, "org.example");
    let names = |defs: Vec<&str>| defs.join(" ");
    assert_eq!(
        names(manifest.blocks.iter().map(|b| b.name.as_str()).collect()),
        "org.example.probe_value org.example.danger_level"
    );
    assert_eq!(
        names(
            manifest
                .event_types
                .iter()
                .map(|t| t.name.as_str())
                .collect()
        ),
        "org.example.temperature org.example.tank.level"
    );
    assert_eq!(manifest.examples.len(), 4);
    assert_eq!(manifest.examples.iter().filter(|e| e.valid).count(), 2);
    // Schemas without an $id get one under the registrar base, so relative refs resolve.
    let probe = manifest.blocks[0].schema.as_ref().unwrap();
    assert_eq!(
        probe.get("$id").and_then(|v| v.as_str()),
        Some("https://exev.invalid/registrars/org.example/blocks/org.example.probe_value.json")
    );
}

#[test]
fn a_loaded_manifest_drives_validation_and_rendering() {
    let manifest = Manifest::load(&example_dir()).unwrap();
    let mut registry = Registry::built_in();
    registry.layer(manifest.registry());
    assert!(registry.problems().is_empty(), "{:?}", registry.problems());
    let validator = Validator::new(&registry).unwrap();
    let examples = common::msc_canonical();
    for name in ["V02", "V03"] {
        let event = &examples.iter().find(|(n, _)| n == name).unwrap().1;
        // Known now: no "unknown type" warning, nothing else either.
        let report = validator.validate(event);
        assert!(report.problems.is_empty(), "{name}: {:?}", report.problems);
        let rendering = registry.render(event, &Capabilities::everything(&registry));
        assert_eq!(rendering.outcome, Outcome::Rendered);
        assert_eq!(
            rendering.rendered_as.as_deref(),
            Some(event.event_type()),
            "{name}"
        );
    }
    // The registrar's rules bite.
    let bad = common::event(
        r#"{"type": "org.example.temperature", "content": {"m.text": [{"body": "22"}], "org.example.probe_value": {"units": "Celsius", "value": 22}}}"#,
    );
    let report = validator.validate(&bad);
    let error = report.errors().next().unwrap();
    assert_eq!(
        error.path.to_string(),
        r#"content["org.example.probe_value"].units"#
    );
    assert!(
        error.schema.as_deref().unwrap().starts_with(
            "https://exev.invalid/registrars/org.example/blocks/org.example.probe_value.json#"
        ),
        "{error}"
    );
    // A client that does not know the type still falls back to m.text.
    let rendering = registry.render(
        &examples.iter().find(|(n, _)| n == "V03").unwrap().1,
        &Capabilities::knowing(["m.message"]),
    );
    assert_eq!(rendering.rendered_as.as_deref(), Some("m.message"));
}

#[test]
fn a_name_outside_the_grammar_is_rejected() {
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""name": "org.example.probe_value""#,
        r#""name": "org.example.Probe Value""#,
    );
    let lines = problems(&dir);
    assert_has(
        &lines,
        r#"manifest.json#/blocks/0/name: "org.example.Probe Value" is not a namespaced identifier: 1 to 255 characters, [a-z] first, then only [a-z], [0-9], '.', '_' and '-'"#,
    );
}

#[test]
fn m_names_are_reserved() {
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""name": "org.example.danger_level""#,
        r#""name": "m.danger_level""#,
    );
    let lines = problems(&dir);
    assert_has(
        &lines,
        "manifest.json#/blocks/1/name: m.danger_level: names starting with m. are reserved for the Matrix specification (the built-in registry)",
    );
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""namespace": "org.example""#,
        r#""namespace": "m.example""#,
    );
    assert_has(
        &problems(&dir),
        "manifest.json#/namespace: m.example: the m. namespace is reserved for the Matrix specification (the built-in registry)",
    );
}

#[test]
fn names_stay_in_the_namespace() {
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""name": "org.example.temperature""#,
        r#""name": "com.other.temperature""#,
    );
    let lines = problems(&dir);
    assert_has(
        &lines,
        "manifest.json#/event_types/0/name: com.other.temperature is outside the manifest's namespace org.example",
    );
}

#[test]
fn an_invalid_schema_is_rejected() {
    let dir = copy_of_example();
    edit(
        &dir,
        "blocks/org.example.probe_value.json",
        r#""type": "integer""#,
        r#""type": "intger""#,
    );
    let lines = problems(&dir);
    assert!(
        lines.iter().any(|l| l.starts_with(
            "blocks/org.example.probe_value.json#/properties/value/type: not valid JSON Schema draft 2020-12:"
        )),
        "{lines:?}"
    );
    // Another draft is refused, not misread.
    let dir = copy_of_example();
    edit(
        &dir,
        "blocks/org.example.danger_level.json",
        "https://json-schema.org/draft/2020-12/schema",
        "http://json-schema.org/draft-07/schema#",
    );
    assert_has(
        &problems(&dir),
        "blocks/org.example.danger_level.json#/$schema: schemas here are JSON Schema draft 2020-12: $schema is https://json-schema.org/draft/2020-12/schema or absent",
    );
    // A reference that points nowhere does not compile.
    let dir = copy_of_example();
    edit(
        &dir,
        "event_types/org.example.temperature.json",
        "../blocks/org.example.probe_value.json",
        "../blocks/org.example.nothing.json",
    );
    let lines = problems(&dir);
    assert!(
        lines.iter().any(|l| l
            .starts_with("event_types/org.example.temperature.json: the schema does not compile:")),
        "{lines:?}"
    );
    // Not JSON at all.
    let dir = copy_of_example();
    edit(
        &dir,
        "blocks/org.example.danger_level.json",
        "\"enum\"",
        "enum",
    );
    let lines = problems(&dir);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("blocks/org.example.danger_level.json")),
        "{lines:?}"
    );
}

#[test]
fn a_failing_example_is_rejected() {
    let dir = copy_of_example();
    edit(
        &dir,
        "examples/temperature.json",
        r#""value":22"#,
        r#""value":"22""#,
    );
    let lines = problems(&dir);
    assert_has(
        &lines,
        "examples/temperature.json#/content/org.example.probe_value/value: the example does not validate: expected an integer, found string (schema https://exev.invalid/registrars/org.example/blocks/org.example.probe_value.json#/properties/value/type)",
    );
    // One marked invalid that validates is a problem too.
    let dir = copy_of_example();
    edit(
        &dir,
        "examples/tank-level-bad-danger.json",
        r#""very""#,
        r#""alert""#,
    );
    assert_has(
        &problems(&dir),
        r#"examples/tank-level-bad-danger.json: the example is marked invalid ("valid": false) but it validates"#,
    );
    // An example of a type nobody defines.
    let dir = copy_of_example();
    edit(
        &dir,
        "examples/temperature.json",
        r#""type":"org.example.temperature""#,
        r#""type":"org.example.humidity""#,
    );
    assert_has(
        &problems(&dir),
        "examples/temperature.json#/type: org.example.humidity is not an event type of this manifest or the registry below it",
    );
}

#[test]
fn a_missing_block_is_rejected() {
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""optional": ["org.example.danger_level"]"#,
        r#""optional": ["org.example.danger_level", "org.example.pressure"]"#,
    );
    assert_has(
        &problems(&dir),
        "manifest.json#/event_types/1/optional/1: block org.example.pressure is not defined, in this manifest or the registry below it",
    );
}

#[test]
fn a_name_defined_twice_is_rejected() {
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""name": "org.example.danger_level""#,
        r#""name": "org.example.probe_value""#,
    );
    assert_has(
        &problems(&dir),
        "manifest.json#/blocks/1/name: block org.example.probe_value is defined twice: /blocks/0/name (org.example.probe_value) already has it",
    );
    // An alias taking a built-in name.
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""defined_by": "MSC1767 (example)"
    },
    {
      "name": "org.example.danger_level""#,
        r#""defined_by": "MSC1767 (example)",
      "aliases": [{"name": "org.matrix.msc1767.text"}]
    },
    {
      "name": "org.example.danger_level""#,
    );
    assert_has(
        &problems(&dir),
        "manifest.json#/blocks/0/aliases/0/name: block org.matrix.msc1767.text is already defined by the registry below this manifest (as a name of m.text)",
    );
}

#[test]
fn the_manifest_and_its_schemas_agree() {
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""required": ["m.text", "org.example.probe_value"],
      "optional""#,
        r#""required": ["m.text"],
      "optional": ["org.example.probe_value"], "x""#,
    );
    let lines = problems(&dir);
    assert_has(
        &lines,
        "manifest.json#/event_types/1/x: unknown member \"x\" (known: name, status, schema, description, defined_by, required, optional, state, hidden, fallback_priority, fallback_requires, text_from, aliases)",
    );
    assert_has(
        &lines,
        "event_types/org.example.tank.level.json#/properties/content/required: the schema requires org.example.probe_value, but the manifest does not list it as required for org.example.tank.level",
    );
}

#[test]
fn missing_and_malformed_manifests() {
    let dir = copy_of_example();
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    let lines = problems(&dir);
    assert!(
        lines[0].starts_with("manifest.json: cannot read it:"),
        "{lines:?}"
    );
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""manifest_version": 1"#,
        r#""manifest_version": 2"#,
    );
    assert_has(
        &problems(&dir),
        "manifest.json#/manifest_version: this exev reads manifest_version 1, not 2",
    );
    let dir = copy_of_example();
    edit(
        &dir,
        "manifest.json",
        r#""schema": "blocks/org.example.danger_level.json""#,
        r#""schema": "../elsewhere.json""#,
    );
    assert_has(
        &problems(&dir),
        "manifest.json#/blocks/1/schema: ../elsewhere.json: schema files are named relative to the manifest's directory, inside it",
    );
}

#[test]
fn manifests_layer_onto_each_other() {
    // Loading the same registrar twice on top of itself is a conflict, by name.
    let manifest = Manifest::load(&example_dir()).unwrap();
    let mut registry = Registry::built_in();
    registry.layer(manifest.registry());
    let error = Manifest::load_onto(&example_dir(), &registry).unwrap_err();
    assert!(
        error.problems.iter().any(|p| p.to_string()
            == "manifest.json#/blocks/0/name: block org.example.probe_value is already defined by the registry below this manifest (as a name of org.example.probe_value)"),
        "{error:?}"
    );
    assert!(error.to_string().contains("more problems"), "{error}");
}
