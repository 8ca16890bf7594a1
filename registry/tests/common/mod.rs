//! Shared helpers for the registry's tests: the vectors, events from JSON, and the client
//! profiles the tables use.

#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::PathBuf;

use exev::Event;
use exev_codec::json;
use exev_registry::{Capabilities, Registry, Rendering};

/// The external test vectors: `$EXEV_VECTORS`, or `../../shared/vectors` beside the
/// repository. Missing vectors fail the test rather than skip it.
pub fn vectors() -> PathBuf {
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

/// Every `msc/Vnn.canonical.json`, sorted, as (name, event).
pub fn msc_canonical() -> Vec<(String, Event)> {
    let mut out: Vec<(String, Event)> = std::fs::read_dir(vectors().join("msc"))
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
            let event = json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, event)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The event in `text` (JSON).
pub fn event(text: &str) -> Event {
    json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A client that knows only `m.message`.
pub fn text_only() -> Capabilities {
    Capabilities::knowing(["m.message"])
}

/// A client that knows only `m.file`.
pub fn file_only() -> Capabilities {
    Capabilities::knowing(["m.file"])
}

/// A client that knows text and the media types, but not `m.voice`.
pub fn media_not_voice() -> Capabilities {
    Capabilities::knowing(["m.message", "m.file", "m.image", "m.video", "m.audio"])
}

/// A client that knows every built-in type.
pub fn everything() -> Capabilities {
    Capabilities::everything(&Registry::built_in())
}

/// The four profiles of the tables, in their order.
pub fn profiles() -> [(&'static str, Capabilities); 4] {
    [
        ("text only", text_only()),
        ("file only", file_only()),
        ("media, not voice", media_not_voice()),
        ("everything", everything()),
    ]
}

/// `rendering` in brief: `"rendered m.image"`, `"hidden m.poll.response"`, `"state"`,
/// `"unrenderable"`.
pub fn brief(rendering: &Rendering) -> String {
    match &rendering.rendered_as {
        Some(schema) => format!("{} {schema}", rendering.outcome),
        None => rendering.outcome.to_string(),
    }
}

/// Renders `event` for `caps` with the built-in registry.
pub fn render(event: &Event, caps: &Capabilities) -> Rendering {
    Registry::built_in().render(event, caps)
}
