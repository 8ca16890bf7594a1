//! Registrars' types: MSC1767's `org.example.temperature` (V02) renders through its `m.text`
//! until a registry that defines it is layered on, then as itself for clients that know it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{brief, event, msc_canonical};
use exev::NameStatus;
use exev_registry::{BlockDef, Capabilities, EventTypeDef, Outcome, Registry, ValueShape};

/// The registry an `org.example` registrar would publish for MSC1767's examples.
fn example_registry() -> Registry {
    let mut registry = Registry::new();
    registry
        .add_block(
            BlockDef::new("org.example.probe_value", ValueShape::Object)
                .alias("org.example.unstable.probe_value", NameStatus::Unstable)
                .defined_by("MSC1767 (example)")
                .description("A measurement: value, units and label."),
        )
        .add_block(BlockDef::new(
            "org.example.danger_level",
            ValueShape::String,
        ))
        .add_event_type(
            EventTypeDef::new("org.example.temperature")
                .requires("m.text")
                .requires("org.example.probe_value")
                .defined_by("MSC1767 (example)"),
        );
    registry
}

fn v02() -> exev::Event {
    msc_canonical()
        .into_iter()
        .find(|(n, _)| n == "V02")
        .unwrap()
        .1
}

#[test]
fn temperature_renders_through_its_text_until_defined() {
    let event = v02();
    let built_in = Registry::built_in();
    let r = built_in.render(&event, &Capabilities::everything(&built_in));
    assert_eq!(brief(&r), "rendered m.message");
    assert_eq!(r.text, "It is 22 degrees at Home");
    assert!(
        r.reason.contains("the registry does not know"),
        "{}",
        r.reason
    );
    assert_eq!(r.ignored[0].name, "org.example.probe_value");

    let mut layered = Registry::built_in();
    layered.layer(example_registry());
    assert!(layered.problems().is_empty(), "{:?}", layered.problems());

    // A client that knows the type renders it as itself; the probe value is part of it.
    let r = layered.render(&event, &Capabilities::everything(&layered));
    assert_eq!(brief(&r), "rendered org.example.temperature");
    assert_eq!(r.text, "It is 22 degrees at Home");
    assert!(r.ignored.is_empty(), "{:?}", r.ignored);
    assert!(r.attempts[0].own_type);

    // A client that does not know it still falls back to the text.
    let r = layered.render(&event, &Capabilities::knowing(["m.message"]));
    assert_eq!(brief(&r), "rendered m.message");
    assert!(
        r.reason.contains("the client does not know"),
        "{}",
        r.reason
    );
}

#[test]
fn malformed_custom_block_falls_back() {
    let mut registry = Registry::built_in();
    registry.layer(example_registry());
    let event = event(
        r#"{"type": "org.example.temperature", "content": {
            "m.text": [{"body": "It is hot"}],
            "org.example.probe_value": "22 C"
        }}"#,
    );
    let r = registry.render(&event, &Capabilities::everything(&registry));
    assert_eq!(brief(&r), "rendered m.message");
    let own = &r.attempts[0];
    assert_eq!(own.schema, "org.example.temperature");
    let why = own.ruled_out.as_ref().unwrap();
    assert_eq!(why.block.as_deref(), Some("org.example.probe_value"));
    assert_eq!(
        why.reason,
        r#"content["org.example.probe_value"]: expected an object, found string"#
    );
    // Read under its unstable alias too.
    let unstable = event_with(r#""org.example.unstable.probe_value": {"value": 1}"#);
    let r = registry.render(&unstable, &Capabilities::everything(&registry));
    assert_eq!(brief(&r), "rendered org.example.temperature");
}

fn event_with(block: &str) -> exev::Event {
    event(&format!(
        r#"{{"type": "org.example.temperature", "content": {{"m.text": [{{"body": "t"}}], {block}}}}}"#
    ))
}

#[test]
fn a_layered_type_can_be_a_fallback() {
    let mut registry = Registry::built_in();
    let mut top = example_registry();
    top.add_event_type(
        EventTypeDef::new("org.example.temperature")
            .requires("m.text")
            .requires("org.example.probe_value")
            .fallback(5),
    );
    registry.layer(top);
    assert_eq!(
        registry.fallback_order().first(),
        Some(&"org.example.temperature")
    );
    // MSC1767's tank level (V03) carries a probe value too: a client that knows temperatures
    // shows it as one, ignoring the danger level, which is not part of that schema.
    let v03 = msc_canonical()
        .into_iter()
        .find(|(n, _)| n == "V03")
        .unwrap()
        .1;
    let r = registry.render(&v03, &Capabilities::everything(&registry));
    assert_eq!(brief(&r), "rendered org.example.temperature");
    assert_eq!(r.ignored.len(), 1);
    assert_eq!(r.ignored[0].name, "org.example.danger_level");
    assert_eq!(
        r.ignored[0].reason,
        "not part of the org.example.temperature schema"
    );
}

#[test]
fn a_layered_state_type_and_a_hidden_type() {
    let mut registry = Registry::built_in();
    let mut top = Registry::new();
    top.add_block(BlockDef::new("org.example.status", ValueShape::String))
        .add_event_type(
            EventTypeDef::new("org.example.room.status")
                .state()
                .optional("org.example.status")
                .text_from(["org.example.status"]),
        )
        .add_event_type(
            EventTypeDef::new("org.example.receipt")
                .hidden()
                .requires("m.relates_to"),
        );
    registry.layer(top);
    let caps = Capabilities::everything(&registry);
    // Declared a state type: not a message even without a state_key, and its text is shown to
    // a client that knows it.
    let status = event(
        r#"{"type": "org.example.room.status", "content": {"org.example.status": "Open", "m.text": [{"body": "x"}]}}"#,
    );
    let r = registry.render(&status, &caps);
    assert_eq!(r.outcome, Outcome::State);
    assert_eq!(r.rendered_as.as_deref(), Some("org.example.room.status"));
    assert_eq!(r.text, "Open");
    let receipt =
        event(r#"{"type": "org.example.receipt", "content": {"m.text": [{"body": "seen"}]}}"#);
    assert_eq!(registry.render(&receipt, &caps).outcome, Outcome::Hidden);
}
