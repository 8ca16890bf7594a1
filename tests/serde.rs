//! serde, native: `Event`, `Content`, `Value` and the typed blocks through `serde_json`, third-party
//! blocks through `get_as`/`set_as`, and the data model kept on the way in.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use exev::generate::Generator;
use exev::{Block, Content, Event, FileBlock, TextBlock, Value};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[test]
fn serde_json_reads_every_msc_example_as_exev_does() {
    for (name, bytes) in common::msc_canonical() {
        let ours = exev_codec::json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let theirs: Event =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(theirs, ours, "{name}");
    }
}

#[test]
fn serde_json_writes_every_msc_example_as_it_came() {
    for (name, bytes) in common::msc_canonical() {
        let event = exev_codec::json::from_slice(&bytes).unwrap();
        let input: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(serde_json::to_value(&event).unwrap(), input, "{name}");
        // Key order is canonical JSON's, so the text is the canonical text too.
        let text = serde_json::to_vec(&event).unwrap();
        assert_eq!(text, common::trim_newline(&bytes), "{name}");
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Stored {
    room: String,
    seq: u32,
    event: Event,
    blocks: Vec<Content>,
    text: TextBlock,
}

#[test]
fn an_event_inside_an_applications_struct_round_trips() {
    for (name, bytes) in common::msc_canonical() {
        let event = exev_codec::json::from_slice(&bytes).unwrap();
        let stored = Stored {
            room: "!room:example.org".to_owned(),
            seq: 7,
            blocks: vec![event.content().clone(), Content::new()],
            text: TextBlock::plain("kept"),
            event,
        };
        let json = serde_json::to_string(&stored).unwrap();
        let back: Stored = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, stored, "{name}");
        // And through exev's own Value, both ways.
        let value = exev::to_value(&stored).unwrap();
        assert_eq!(
            exev::from_value::<Stored>(&value).unwrap(),
            stored,
            "{name}"
        );
    }
}

/// V02's third-party block, as an application would declare it.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct ProbeValue {
    label: String,
    units: String,
    value: i64,
}

fn v02() -> Event {
    let (_, bytes) = common::msc_canonical()
        .into_iter()
        .find(|(name, _)| name == "V02")
        .expect("V02");
    exev_codec::json::from_slice(&bytes).unwrap()
}

#[test]
fn a_third_party_block_reads_typed_through_get_as() {
    let event = v02();
    let probe = event
        .content()
        .get_as::<ProbeValue>("org.example.probe_value")
        .expect("present")
        .expect("well-formed");
    assert_eq!(
        probe,
        ProbeValue {
            label: "Home".to_owned(),
            units: "org.example.celsius".to_owned(),
            value: 22,
        }
    );
    assert!(
        event
            .content()
            .get_as::<ProbeValue>("org.example.absent")
            .is_none()
    );
}

#[test]
fn a_third_party_block_of_the_wrong_shape_is_an_error_with_its_path() {
    let mut event = v02();
    let content = event.content_mut();
    let mut probe = content.get_raw("org.example.probe_value").unwrap().clone();
    probe
        .as_object_mut()
        .unwrap()
        .insert("value".to_owned(), Value::from("hot"));
    content.insert_raw("org.example.probe_value", probe.clone());
    let err = content
        .get_as::<ProbeValue>("org.example.probe_value")
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"content["org.example.probe_value"].value: expected i64, found string"#
    );

    probe.as_object_mut().unwrap().remove("value");
    content.insert_raw("org.example.probe_value", probe);
    let err = content
        .get_as::<ProbeValue>("org.example.probe_value")
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"content["org.example.probe_value"]: missing required field `value`"#
    );

    content.insert_raw("org.example.probe_value", Value::from(22));
    let err = content
        .get_as::<ProbeValue>("org.example.probe_value")
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"content["org.example.probe_value"]: expected struct ProbeValue, found integer"#
    );
    // serde's derive takes an array for a struct, field by field: its errors have the index.
    content.insert_raw("org.example.probe_value", Value::from(vec![Value::Null]));
    let err = content
        .get_as::<ProbeValue>("org.example.probe_value")
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"content["org.example.probe_value"][0]: expected a string, found null"#
    );
}

#[test]
fn set_as_writes_a_block_the_canonical_json_shows() {
    let mut content = Content::new();
    content.set(&TextBlock::plain("It is 19 degrees in the attic"));
    content
        .set_as(
            "org.example.probe_value",
            &ProbeValue {
                label: "Attic".to_owned(),
                units: "org.example.celsius".to_owned(),
                value: 19,
            },
        )
        .unwrap();
    let event = Event::new("org.example.temperature", content);
    assert_eq!(
        exev_codec::json::to_string(&event).unwrap(),
        r#"{"content":{"m.text":[{"body":"It is 19 degrees in the attic"}],"org.example.probe_value":{"label":"Attic","units":"org.example.celsius","value":19}},"type":"org.example.temperature"}"#
    );

    // What the data model cannot hold is refused, and the content is left as it was.
    let mut content = event.content().clone();
    let err = content.set_as("org.example.float", &1.5).unwrap_err();
    assert_eq!(
        err.to_string(),
        "number 1.5 is not an integer: canonical JSON allows integers only"
    );
    let err = content
        .set_as("org.example.big", &(1u64 << 53))
        .unwrap_err();
    assert!(err.to_string().contains("9007199254740992"), "{err}");
    assert_eq!(&content, event.content());
}

#[test]
fn typed_blocks_serialize_as_their_value() {
    let file = FileBlock::new("mxc://example.org/abcd")
        .name("a.pdf")
        .size(12);
    let json = serde_json::to_value(&file).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"url": "mxc://example.org/abcd", "name": "a.pdf", "size": 12})
    );
    let back: FileBlock = serde_json::from_value(json).unwrap();
    assert_eq!(back, file);
    assert_eq!(exev::to_value(&file).unwrap(), file.to_value());
    // A malformed block is a serde error naming what is wrong and where.
    let err = serde_json::from_str::<FileBlock>(r#"{"url": "mxc://a/b", "size": "big"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("size: expected"), "{err}");
}

#[test]
fn deserializing_keeps_the_data_model() {
    let ok: Value = serde_json::from_str(r#"{"a": [1e10, 2.0, -0, null, "x"]}"#).unwrap();
    assert_eq!(
        exev_codec::json::value_to_vec(&ok).unwrap(),
        br#"{"a":[10000000000,2,0,null,"x"]}"#
    );
    for (bad, why) in [
        ("1.5", "not an integer"),
        ("9007199254740992", "outside the canonical-JSON range"),
        ("-9007199254740992", "outside the canonical-JSON range"),
        (r#"{"a": 1, "a": 2}"#, "duplicate key \"a\""),
    ] {
        let err = serde_json::from_str::<Value>(bad).unwrap_err().to_string();
        assert!(err.contains(why), "{bad}: {err}");
    }
    assert!(serde_json::from_str::<Value>("9007199254740991").is_ok());
    let err = serde_json::from_str::<Event>(
        r#"{"type": "m.message", "content": {}, "type": "m.notice"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("duplicate key \"type\""), "{err}");
    let err = serde_json::from_str::<Event>(r#"{"type": 1, "content": {}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`type` must be a string, found integer"),
        "{err}"
    );
    let err = serde_json::from_str::<Event>(r#"{"type": "m.message"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("an event needs a `content` member"), "{err}");
}

#[test]
fn a_registrar_block_is_a_block_like_the_built_in_ones() {
    /// A registrar's block read under its stable and its unstable name.
    #[derive(Debug, PartialEq)]
    struct Level(i64);
    impl Block for Level {
        const NAMES: &'static [(&'static str, exev::NameStatus)] = &[
            ("org.example.level", exev::NameStatus::Stable),
            ("org.example.msc0000.level", exev::NameStatus::Unstable),
        ];
        fn read(_: &str, value: exev::ValueRef<'_>) -> Result<Level, exev::BlockError> {
            value.deserialize().map(Level)
        }
        fn to_value(&self) -> Value {
            Value::Integer(self.0)
        }
    }
    let mut content = Content::new();
    content.insert_raw("org.example.msc0000.level", Value::from(3));
    assert_eq!(content.get::<Level>(), Some(Ok(Level(3))));
    content.set(&Level(4));
    assert_eq!(content.get::<Level>(), Some(Ok(Level(4))));
    assert_eq!(content.len(), 2);
    content.insert_raw("org.example.level", Value::from("x"));
    assert_eq!(
        content.get::<Level>().unwrap().unwrap_err().to_string(),
        r#"content["org.example.level"]: expected i64, found string"#
    );
}

proptest! {
    #![proptest_config(common::proptest_config())]

    /// On valid input, serde_json with exev's `Deserialize` gives the event exev's own decoder
    /// gives, `Serialize` writes the canonical JSON's value, and exev's reader for any serde
    /// type reads an `Event` as `from_slice` does.
    #[test]
    fn serde_agrees_with_exevs_codec_on_generated_events(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096)
    ) {
        // The generator's events lie in the data model (no lenient numbers), so every one encodes.
        let event = Generator::new(&bytes).event();
        let canonical = exev_codec::json::to_vec(&event).unwrap();
        let ours = exev_codec::json::from_slice(&canonical).unwrap();
        let theirs: Event = serde_json::from_slice(&canonical).unwrap();
        prop_assert_eq!(&theirs, &ours);
        let as_serde_json: serde_json::Value = serde_json::from_slice(&canonical).unwrap();
        prop_assert_eq!(serde_json::to_value(&ours).unwrap(), as_serde_json);
        prop_assert_eq!(exev_codec::json::from_slice_as::<Event>(&canonical).unwrap(), ours.clone());
        let cbor = exev_codec::cbor::to_vec(&ours).unwrap();
        prop_assert_eq!(exev_codec::cbor::from_slice_as::<Event>(&cbor).unwrap(), ours.clone());
        prop_assert_eq!(exev::from_value::<Event>(&ours.to_value()).unwrap(), ours.clone());
        prop_assert_eq!(exev::to_value(&ours).unwrap(), ours.to_value());
    }
}
