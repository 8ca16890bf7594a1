//! Shared helpers for the MIMI tests: the external vectors and the draft's examples.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

/// The external test vectors: `$EXEV_VECTORS`, or `../shared/vectors` beside the
/// repository. Missing vectors fail the test rather than skip it.
pub(crate) fn vectors() -> PathBuf {
    let dir = std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "test vectors not found at {} (set EXEV_VECTORS)",
        dir.display()
    );
    dir
}

/// `mimi-content/manifest.json`.
pub(crate) fn manifest() -> serde_json::Value {
    let text = std::fs::read_to_string(vectors().join("mimi-content/manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The 14 messages as (name, manifest entry, bytes), in the manifest's order.
pub(crate) fn examples() -> Vec<(String, serde_json::Value, Vec<u8>)> {
    let manifest = manifest();
    let list = manifest["examples"].as_array().unwrap().clone();
    assert_eq!(list.len(), 14, "the draft has 14 example messages");
    list.into_iter()
        .map(|e| {
            let name = e["name"].as_str().unwrap().to_owned();
            let file = vectors()
                .join("mimi-content")
                .join(e["cbor_file"].as_str().unwrap());
            let bytes = std::fs::read(&file).unwrap();
            (name, e, bytes)
        })
        .collect()
}

/// One example's bytes.
pub(crate) fn example(name: &str) -> Vec<u8> {
    std::fs::read(vectors().join(format!("mimi-content/examples/{name}.cbor"))).unwrap()
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of hex digits.
pub(crate) fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A message with a zero salt, no relations, no extensions, and the encoded body `body`.
pub(crate) fn message_with_body(body: &[u8]) -> Vec<u8> {
    let mut out = vec![0x87, 0x50];
    out.extend_from_slice(&[0; 16]);
    out.extend_from_slice(&[0xf6, 0x40, 0xf6, 0xf6, 0xa0]);
    out.extend_from_slice(body);
    out
}

/// A message with extensions `map` (encoded) and a plain-text body.
pub(crate) fn message_with_extensions(map: &[u8]) -> Vec<u8> {
    let mut out = vec![0x87, 0x50];
    out.extend_from_slice(&[0; 16]);
    out.extend_from_slice(&[0xf6, 0x40, 0xf6, 0xf6]);
    out.extend_from_slice(map);
    out.extend_from_slice(&text_part());
    out
}

/// `[1, "", 1, "text/plain;charset=utf-8", h'6869']`: a text part, "hi".
pub(crate) fn text_part() -> Vec<u8> {
    let mut out = vec![0x85, 0x01, 0x60, 0x01, 0x78, 0x18];
    out.extend_from_slice(b"text/plain;charset=utf-8");
    out.extend_from_slice(&[0x42, b'h', b'i']);
    out
}

/// A body of MultiParts nested `depth` levels (the body being 1), each a chooseOne of two
/// parts: the nested MultiPart and a text part; the innermost holds two text parts.
pub(crate) fn nested_body(depth: usize) -> Vec<u8> {
    if depth <= 1 {
        return text_part();
    }
    let mut out = vec![0x85, 0x01, 0x60, 0x03, 0x00, 0x82];
    out.extend_from_slice(&nested_body(depth - 1));
    out.extend_from_slice(&text_part());
    out
}

/// A processAll of `n` text parts (n + 1 parts in all).
pub(crate) fn wide_body(n: u64) -> Vec<u8> {
    let mut out = vec![0x85, 0x01, 0x60, 0x03, 0x02];
    exev_codec::cbor::head::write_head(&mut out, 4, n);
    for _ in 0..n {
        out.extend_from_slice(&text_part());
    }
    out
}

/// Every `msc/Vnn.canonical.json`, sorted, as (name, bytes).
pub(crate) fn msc_canonical() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(vectors().join("msc"))
        .unwrap()
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
