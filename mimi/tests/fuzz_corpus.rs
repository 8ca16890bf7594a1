//! The MIMI fuzz targets' committed inputs replayed through the same oracles on every
//! `cargo test`: each target's minimised corpus and its regressions, both in
//! `fuzz/regressions/<target>/`, and the seeds the targets start from.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && !p.ends_with(".gitkeep"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn kept(target: &str) -> Vec<PathBuf> {
    files_in(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz/regressions")
            .join(target),
    )
}

fn replay(target: &str, oracle: fn(&[u8]) -> Result<(), String>, seeds: Vec<PathBuf>) {
    let mut inputs = kept(target);
    assert!(
        inputs.len() >= 10,
        "{target}: {} committed corpus inputs",
        inputs.len()
    );
    inputs.extend(seeds);
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        if let Err(bug) = oracle(&bytes) {
            panic!("{target}: {}: {bug}", path.display());
        }
    }
}

#[test]
fn mimi_decode_corpus_regressions_and_seeds() {
    let seeds = files_in(&common::vectors().join("mimi-content/examples"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "cbor"))
        .collect();
    replay("mimi_decode", exev_mimi::oracle::decode, seeds);
}

#[test]
fn mimi_mapping_corpus_regressions_and_seeds() {
    let seeds = files_in(&common::vectors().join("msc"));
    replay("mimi_mapping", exev_mimi::oracle::mapping, seeds);
}

/// The oracles find bugs: a decoder that accepted a non-deterministic encoding, or a mapping
/// that lost a block, would be reported.
#[test]
fn the_oracles_accept_the_examples_and_refuse_nothing_silently() {
    for (name, _, bytes) in common::examples() {
        exev_mimi::oracle::decode(&bytes).unwrap_or_else(|bug| panic!("{name}: {bug}"));
        for len in [0, bytes.len() / 2, bytes.len() - 1] {
            exev_mimi::oracle::decode(&bytes[..len]).unwrap_or_else(|bug| panic!("{name}: {bug}"));
        }
    }
}
