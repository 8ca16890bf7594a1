//! Lossless by default: whatever the model does not know, or cannot read typed, survives
//! decode → encode unchanged in every format, and the typed views keep it too (DESIGN.md,
//! "Lossless").

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev::{FileBlock, KnownBlock, NameStatus, TextBlock};
use exev_codec::{Format, json};

/// Decodes `input` (already canonical JSON) and checks that it comes back as the same bytes
/// through every format.
fn round_trip(input: &str) -> exev::Event {
    let event = json::from_str(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    for format in Format::ALL {
        let back = format.from_slice(&format.to_vec(&event).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(json::to_vec(&back).unwrap()).unwrap(),
            input,
            "{format}"
        );
    }
    event
}
#[test]
fn unknown_event_types_survive() {
    let e = round_trip(
        r#"{"content":{"m.text":[{"body":"22 °C"}],"org.example.probe_value":{"units":"org.example.celsius","value":22}},"type":"org.example.temperature"}"#,
    );
    assert_eq!(e.known_type(), None);
}

#[test]
fn unknown_blocks_of_every_json_type_survive() {
    let e = round_trip(
        r#"{"content":{"org.example.a":"alert","org.example.b":7,"org.example.c":true,"org.example.d":null,"org.example.e":[1,[2,{}]],"org.example.f":{"g":{"h":[]}}},"type":"m.message"}"#,
    );
    assert_eq!(e.content().len(), 6);
    assert!(e.content().blocks().all(|b| b.known.is_none()));
}

#[test]
fn unknown_fields_inside_known_blocks_survive() {
    let e = round_trip(
        r#"{"content":{"m.file":{"name":"a.pdf","org.example.hash":"abc","url":"mxc://x/y","x_extra":[1]},"m.text":[{"body":"a","org.example.lang_hint":"fr"}]},"type":"m.file"}"#,
    );
    // The typed view keeps them too, and writes them back.
    let file: FileBlock = e.content().get().unwrap().unwrap();
    assert_eq!(file.extra.len(), 2);
    let text: TextBlock = e.content().text().unwrap().unwrap();
    assert_eq!(text.representations[0].extra.len(), 1);
    let mut rebuilt = e.clone();
    rebuilt.content_mut().set(&file);
    rebuilt.content_mut().set(&text);
    assert_eq!(rebuilt, e);
}

#[test]
fn malformed_known_blocks_survive_and_are_reported() {
    let e = round_trip(
        r#"{"content":{"m.file":{"name":"no url","size":"12"},"m.image_details":"wide","m.text":[{"mimetype":"text/html"},{"body":"ok"}]},"type":"m.image"}"#,
    );
    let err = e.content().get::<FileBlock>().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"content["m.file"]: missing required field `url`"#
    );
    // An invalid representation is skipped for rendering, kept for encoding.
    let text = e.content().text().unwrap().unwrap();
    assert_eq!(text.plain_text(), Some("ok"));
    assert_eq!(text.skipped.len(), 1);
}

#[test]
fn stable_and_unstable_names_together_both_survive() {
    let e = round_trip(
        r#"{"content":{"m.text":[{"body":"stable"}],"org.matrix.msc1767.text":[{"body":"unstable"}]},"type":"m.message"}"#,
    );
    assert_eq!(
        e.content().text().unwrap().unwrap().plain_text(),
        Some("stable")
    );
    let (name, status, _) = e.content().find(KnownBlock::Text).unwrap();
    assert_eq!((name, status), ("m.text", NameStatus::Stable));
}

#[test]
fn top_level_members_survive() {
    round_trip(
        r#"{"content":{},"event_id":"$e","hashes":{"sha256":"x"},"origin_server_ts":1,"room_id":"!r:x","sender":"@a:x","signatures":{"x":{"ed25519:a":"s"}},"state_key":"","type":"m.room.topic","unsigned":{"age":1}}"#,
    );
}

#[test]
fn unicode_edge_cases_survive() {
    // U+0000 and C0 controls are escaped, U+2028 and non-BMP characters raw, combining marks kept.
    let input = "{\"content\":{\"a\":\"\\u0000\\u001f\u{2028}\u{1F600}e\u{301}\"},\"type\":\"x\"}";
    round_trip(input);
    // The same characters escaped in the input come out canonical.
    let escaped = r#"{"type":"x","content":{"a":"\u0000\u001F\u2028\ud83d\ude00e\u0301"}}"#;
    let event = json::from_str(escaped).unwrap();
    assert_eq!(
        String::from_utf8(json::to_vec(&event).unwrap()).unwrap(),
        input
    );
}
