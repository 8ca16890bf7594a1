//! `exev registry site`, as a registrar runs it: the files it writes, its summary line, and
//! its exit statuses on a broken manifest and on bad usage.

// Tests state what must hold and stop at the first thing that does not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::exev;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_the_site_of_the_built_in_registry_and_org_example() {
    let out = out_dir("cli-site");
    let registrar = repo().join("registrars/org.example");
    let run = exev(
        &[
            "registry",
            "site",
            "--registry",
            registrar.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let line = String::from_utf8(run.stdout).unwrap();
    // org.example adds two types and two blocks; each registrar has a page, and the index.
    let built_in = exev_registry::Registry::built_in();
    let (types, blocks) = (
        built_in.event_types().count() + 2,
        built_in.blocks().count() + 2,
    );
    let pages = 1 + types + blocks + 2;
    let summary = format!("({pages} pages: {types} event types, {blocks} blocks, 2 registrars)");
    assert!(line.contains(&summary), "{line}");
    for file in [
        "index.html",
        "style.css",
        "filter.js",
        "types/m.image.html",
        "types/org.example.temperature.html",
        "blocks/org.example.probe_value.html",
        "registrars/m.html",
        "registrars/org.example.html",
        "schemas/index.json",
        "schemas/event_types/org.example.temperature.json",
        "examples/org.example/temperature.cbor",
        "examples/m/m.image.binpb",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let page = std::fs::read_to_string(out.join("types/org.example.temperature.html")).unwrap();
    assert!(page.contains("It is 22 degrees at Home"));
}

#[test]
fn a_broken_manifest_fails_with_its_problems_and_writes_nothing() {
    let broken = out_dir("cli-site-broken-manifest");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("manifest.json"),
        r#"{"manifest_version": 1, "namespace": "m.nope"}"#,
    )
    .unwrap();
    let out = out_dir("cli-site-broken");
    let run = exev(
        &[
            "registry",
            "site",
            "--registry",
            broken.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("manifest.json#/namespace"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!out.exists());
}

#[test]
fn without_out_it_is_a_usage_error() {
    let run = exev(&["registry", "site"], b"");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--out"));
}
