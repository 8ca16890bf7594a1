//! Shared helpers for the conformance tests: where the external vectors are.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

/// The external test vectors: `$EXEV_VECTORS`, or `../shared/vectors` beside the repository.
/// Missing vectors fail the test rather than skip it.
pub(crate) fn vectors() -> PathBuf {
    let dir = std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "test vectors not found at {} (set EXEV_VECTORS)",
        dir.display()
    );
    dir
}

/// Every `msc/Vnn.canonical.json`, sorted, as (name, bytes).
pub(crate) fn msc_canonical() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(vectors().join("msc"))
        .expect("msc vectors")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".canonical.json"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".canonical.json", "");
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(
        out.len() >= 28,
        "expected at least 28 MSC examples, found {}",
        out.len()
    );
    out
}

/// The bytes without one trailing newline.
pub(crate) fn trim_newline(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(b"\n").unwrap_or(bytes)
}

/// The spec's own example events (`matrix-spec/events/*.json`), sorted by file name, as
/// (file stem, event).
pub(crate) fn spec_events() -> Vec<(String, exev::Event)> {
    let mut out: Vec<(String, exev::Event)> =
        std::fs::read_dir(vectors().join("matrix-spec/events"))
            .expect("matrix-spec vectors")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| {
                let name = p.file_stem().unwrap().to_string_lossy().into_owned();
                let event = exev_codec::json::from_slice(&std::fs::read(&p).unwrap())
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                (name, event)
            })
            .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(out.len(), 50, "the spec's 50 example events");
    out
}

/// The spec's `m.room.message+*` and `m.sticker` examples.
pub(crate) fn spec_messages() -> Vec<(String, exev::Event)> {
    spec_events()
        .into_iter()
        .filter(|(n, _)| n.starts_with("m.room.message+") || n == "m.sticker")
        .collect()
}

/// The property tests' configuration: a few hundred cases, or `PROPTEST_CASES` (which CI
/// raises; proptest reads it).
pub(crate) fn proptest_config() -> proptest::prelude::ProptestConfig {
    proptest::prelude::ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(300),
        ..proptest::prelude::ProptestConfig::default()
    }
}
