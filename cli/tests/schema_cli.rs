//! `exev validate`, `exev schema`, `exev registry check` and `--registry DIR`, as scripts use
//! them: outputs, exit statuses and one-line diagnostics.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::exev;
use std::path::{Path, PathBuf};

use exev_codec::{Options, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn msc(name: &str) -> PathBuf {
    let vectors = std::env::var_os("EXEV_VECTORS")
        .map_or_else(|| repo().join("../shared/vectors"), PathBuf::from);
    vectors.join("msc").join(format!("{name}.canonical.json"))
}

fn example_registrar() -> String {
    repo()
        .join("registrars/org.example")
        .to_string_lossy()
        .into_owned()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_exits_0_for_valid_and_1_for_invalid_msc_examples() {
    for name in [
        "V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09", "V11", "V12", "V13", "V14",
        "V15", "V16", "V17", "V18", "V22", "V23", "V24", "V25", "V29",
    ] {
        let out = exev(&["validate", msc(name).to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).ends_with(": valid\n") || text(&out.stdout).contains(": valid, ")
        );
        assert!(!text(&out.stderr).contains("exev: error"), "{name}");
    }
    // The MSC's own discrepancy: MSC3488 and MSC3644 examples send the v1 string m.text.
    // V21 is also an MSC4460 hybrid with blocks msgtype m.location does not allow.
    for name in ["V20", "V21", "V27", "V28"] {
        let path = msc(name);
        let out = exev(&["validate", path.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(
            text(&out.stdout),
            format!(
                "{}: invalid: {}\n",
                path.display(),
                if name == "V21" { "4 errors" } else { "1 error" }
            )
        );
        let line = format!(
            r#"exev: error: {}: content["m.text"]: expected an array, found string (schema blocks/m.text.json#/type)"#,
            path.display()
        );
        assert!(text(&out.stderr).lines().any(|l| l == line), "{name}");
    }
    // The obsolete m.message and m.markup arrays under the stable type: the published
    // m.message schema requires m.text, and validate says the same.
    for (name, sent) in [("V30", "m.message"), ("V31", "m.markup")] {
        let path = msc(name);
        let out = exev(&["validate", path.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(1), "{name}");
        let first = text(&out.stderr).lines().next().unwrap().to_owned();
        assert!(
            first.contains(&format!(
                r#"content: missing required block "m.text" ({sent} is present, the obsolete name of m.text"#
            )),
            "{name}: {first}"
        );
    }
}

#[test]
fn validate_reports_every_problem_with_its_path() {
    let event = br#"{"type": "m.poll.start", "content": {"m.text": [{"body": "q"}, {"mimetype": "text/html"}],
        "m.poll": {"max_selections": 0, "question": {"m.text": [{"body": "q"}]},
                   "answers": [{"m.id": "a", "m.text": [{"body": "a"}]}, {"m.id": 2, "m.text": [{"body": "b"}]}]}}}"#;
    let out = exev(&["validate", "-"], event);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "<stdin>: invalid: 2 errors, 1 warning\n");
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            r#"exev: error: <stdin>: content["m.poll"].answers[1]["m.id"]: expected a string, found integer (schema blocks/m.poll.json#/$defs/PollAnswer/properties/m.id/type)"#,
            r#"exev: error: <stdin>: content["m.poll"].max_selections: 0 is less than the minimum of 1 (schema blocks/m.poll.json#/properties/max_selections/minimum)"#,
            r#"exev: warning: <stdin>: content["m.text"][1]: representation 1 is invalid and renderers skip it: missing required field "body" (schema blocks/m.text.json#/items/required)"#,
        ]
    );
    // As JSON: one object a line on stderr, the whole report on stdout.
    let out = exev(
        &[
            "--error-format",
            "json",
            "validate",
            "--format",
            "json",
            "-",
        ],
        event,
    );
    assert_eq!(out.status.code(), Some(1));
    for line in text(&out.stderr).lines() {
        let value = json::value_from_slice(line.as_bytes(), &Options::default()).unwrap();
        let detail = value.get("error").or_else(|| value.get("warning")).unwrap();
        assert_eq!(
            detail.get("category").and_then(|c| c.as_str()),
            Some("validation")
        );
        assert!(detail.get("pointer").is_some());
    }
    let report = json::value_from_slice(&out.stdout, &Options::default()).unwrap();
    assert_eq!(report.get("errors").and_then(|e| e.as_i64()), Some(2));
    assert_eq!(report.get("valid").and_then(|e| e.as_bool()), Some(false));
    // Bad input is still bad input.
    let out = exev(&["validate", "-"], b"{not json");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("exev: error: <stdin>:"));
}

#[test]
fn validate_and_render_use_a_registrar() {
    let v02 = msc("V02");
    let v02 = v02.to_str().unwrap();
    let out = exev(&["validate", v02], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr)
            .contains("type: org.example.temperature is not an event type the registry knows"),
        "{}",
        text(&out.stderr)
    );
    let registrar = example_registrar();
    let out = exev(&["validate", "--registry", &registrar, v02], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    assert!(text(&out.stdout).ends_with(": valid\n"));
    // The registrar's rules apply.
    let bad = br#"{"type": "org.example.tank.level", "content": {"m.text": [{"body": "90%"}],
        "org.example.probe_value": {"units": "org.example.litres", "value": 9037},
        "org.example.danger_level": "very"}}"#;
    let out = exev(&["validate", "--registry", &registrar, "-"], bad);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with(r#"exev: error: <stdin>: content["org.example.danger_level"]: expected one of ["normal","warning","alert"], found "very""#),
        "{}",
        text(&out.stderr)
    );
    // Rendering: the type is known now.
    let out = exev(
        &["render", "--registry", &registrar, "--format", "json", v02],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rendering = json::value_from_slice(&out.stdout, &Options::default()).unwrap();
    assert_eq!(
        rendering.get("as").and_then(|a| a.as_str()),
        Some("org.example.temperature")
    );
    let out = exev(&["render", "--format", "json", v02], b"");
    let rendering = json::value_from_slice(&out.stdout, &Options::default()).unwrap();
    assert_eq!(
        rendering.get("as").and_then(|a| a.as_str()),
        Some("m.message")
    );
    // A missing directory is an error, one line.
    let out = exev(
        &["validate", "--registry", "/nonexistent/registrar", v02],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .starts_with("exev: error: /nonexistent/registrar/manifest.json: cannot read it:"),
        "{}",
        text(&out.stderr)
    );
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

#[test]
fn registry_check_passes_the_example_and_rejects_a_broken_copy() {
    let registrar = example_registrar();
    let out = exev(&["registry", "check", &registrar], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{registrar}: ok: namespace org.example, 2 block(s), 2 event type(s), 4 example(s) (2 valid, 2 rejected as marked)\n"
        )
    );
    let dir = std::env::temp_dir().join(format!("exev-cli-registrar-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(Path::new(&registrar), &dir);
    let manifest = dir.join("manifest.json");
    let broken = std::fs::read_to_string(&manifest).unwrap().replacen(
        "\"org.example.danger_level\"",
        "\"m.danger_level\"",
        1,
    );
    std::fs::write(&manifest, broken).unwrap();
    let out = exev(&["registry", "check", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.lines().any(|l| l
            == format!(
                "exev: error: {}#/blocks/1/name: m.danger_level: names starting with m. are reserved for the Matrix specification (the built-in registry)",
                manifest.display()
            )),
        "{stderr}"
    );
    assert!(stderr.lines().all(|l| l.starts_with("exev: error: ")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn schema_prints_the_index_one_schema_or_writes_them_all() {
    let committed = repo().join("schemas/json");
    let out = exev(&["schema"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        std::fs::read(committed.join("index.json")).unwrap()
    );
    for (name, file) in [
        ("m.text", "blocks/m.text.json"),
        ("m.poll.start", "event_types/m.poll.start.json"),
        ("blocks/m.file", "blocks/m.file.json"),
        ("event_types/m.file.json", "event_types/m.file.json"),
    ] {
        let out = exev(&["schema", name], b"");
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert_eq!(
            out.stdout,
            std::fs::read(committed.join(file)).unwrap(),
            "{name}"
        );
    }
    let out = exev(&["schema", "m.location"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "exev: error: m.location is both a block and an event type: ask for blocks/m.location or event_types/m.location\n"
    );
    let out = exev(&["schema", "org.example.nothing"], b"");
    assert_eq!(out.status.code(), Some(2));

    let dir = std::env::temp_dir().join(format!("exev-cli-schemas-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = exev(&["schema", "--out", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{}: wrote 41 files\n", dir.display())
    );
    let index = json::value_from_slice(
        &std::fs::read(dir.join("index.json")).unwrap(),
        &Options::default(),
    )
    .unwrap();
    for folder in ["blocks", "event_types"] {
        for path in index
            .get(folder)
            .and_then(|f| f.as_object())
            .unwrap()
            .values()
        {
            let path = path.as_str().unwrap();
            assert_eq!(
                std::fs::read(dir.join(path)).unwrap(),
                std::fs::read(committed.join(path)).unwrap(),
                "{path}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
