//! Every `m.room.message` and `m.sticker` example of the spec through the command line: it
//! renders with its body; `convert --shape extensible` gives an extensible event and
//! `--shape legacy` the original canonical JSON back; `--shape hybrid` gives an event that
//! `validate` accepts and that reads the same in a legacy room and a mixed one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use common::exev;
use exev::Value;
use exev_codec::{Options, json};

fn spec_messages() -> Vec<(String, PathBuf)> {
    let dir = std::env::var_os("EXEV_VECTORS")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
            PathBuf::from,
        )
        .join("matrix-spec/events");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            (name.starts_with("m.room.message+") || name == "m.sticker").then_some((name, p))
        })
        .collect();
    out.sort();
    assert_eq!(out.len(), 11, "every msgtype of the spec and m.sticker");
    out
}

fn run(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = exev(args, stdin);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn value(bytes: &[u8]) -> Value {
    json::value_from_slice(bytes, &Options::default()).unwrap()
}

fn reading(rendering: &Value) -> (String, String, String) {
    let s = |k: &str| {
        rendering
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    (s("outcome"), s("as"), s("text"))
}

#[test]
fn every_spec_message_renders_with_its_body() {
    for (name, path) in spec_messages() {
        let original = json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let body = original
            .content()
            .get_raw("body")
            .and_then(Value::as_str)
            .unwrap()
            .to_owned();
        let r = value(&run(
            &["render", "--format", "json", path.to_str().unwrap()],
            b"",
        ));
        let (outcome, _, text) = reading(&r);
        assert_eq!(outcome, "rendered", "{name}");
        assert!(text.contains(&body), "{name}: {text:?} lacks {body:?}");
    }
}

#[test]
fn every_spec_message_converts_to_extensible_and_back() {
    for (name, path) in spec_messages() {
        let path = path.to_str().unwrap();
        let canonical = run(&["convert", path], b"");
        let extensible = run(&["convert", "--shape", "extensible", path], b"");
        let event = json::from_slice(&extensible).unwrap();
        assert!(
            !["m.room.message", "m.sticker"].contains(&event.event_type()),
            "{name}: {}",
            String::from_utf8_lossy(&extensible)
        );
        assert!(event.content().get_raw("m.text").is_some(), "{name}");
        let back = run(&["convert", "--shape", "legacy", "-"], &extensible);
        assert_eq!(
            String::from_utf8_lossy(&back),
            String::from_utf8_lossy(&canonical),
            "{name}"
        );
    }
}

#[test]
fn every_spec_message_has_a_valid_hybrid_that_reads_the_same_in_legacy_and_mixed_rooms() {
    for (name, path) in spec_messages() {
        let hybrid = run(
            &["convert", "--shape", "hybrid", path.to_str().unwrap()],
            b"",
        );
        let out = exev(&["validate", "-"], &hybrid);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let legacy = value(&run(
            &[
                "render",
                "--format",
                "json",
                "--room-support",
                "legacy",
                "-",
            ],
            &hybrid,
        ));
        let mixed = value(&run(
            &["render", "--format", "json", "--room-support", "mixed", "-"],
            &hybrid,
        ));
        assert_eq!(reading(&legacy), reading(&mixed), "{name}");
        assert_eq!(reading(&legacy).0, "rendered", "{name}");
        assert_eq!(legacy.get("html"), mixed.get("html"), "{name}");
        // A room version with extensible events does not render it at all.
        let extensible = value(&run(
            &[
                "render",
                "--format",
                "json",
                "--room-support",
                "extensible",
                "-",
            ],
            &hybrid,
        ));
        assert_eq!(reading(&extensible).0, "unrenderable", "{name}");
    }
}

#[test]
fn a_contradicting_hybrid_cannot_be_converted() {
    let hybrid = br#"{"type":"m.room.message","content":{"msgtype":"m.text","body":"Transfer approved","m.text":[{"body":"Transfer DENIED"}]}}"#;
    let out = exev(&["convert", "--shape", "extensible", "-"], hybrid);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Transfer approved") && err.contains("Transfer DENIED"),
        "{err}"
    );
    // It still renders, from its legacy fields (MSC4460).
    let r = value(&run(&["render", "--format", "json", "-"], hybrid));
    assert_eq!(reading(&r).2, "Transfer approved");
}
