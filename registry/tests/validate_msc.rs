//! Validation of every MSC example (`msc/*.canonical.json`): each is valid, or invalid for a
//! discrepancy in the MSC itself that the digest documents, asserted with its path and reason.
//! Then a second, independent validator (boon) agrees with ours on every schema check the
//! examples and the hand-made events go through, and the schemas agree with the model's typed
//! readers on generated events.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use exev::generate::{Generator, SplitMix64};
use exev::{AnyBlock, Event, KnownBlock, NameStatus, Value};
use exev_registry::{Registry, Validator, block_schema, event_type_schema, published_schemas};

/// The error an example must have: its path, words of its message, and the reason the digest
/// gives.
type Documented = (&'static str, &'static str, &'static str);

/// Every MSC example with a canonical form: `None` if valid, else its documented error.
const EXPECTED: &[(&str, Option<Documented>)] = &[
    ("V01", None),
    ("V02", None),
    ("V03", None),
    ("V04", None),
    ("V05", None),
    ("V06", None),
    ("V07", None),
    ("V08", None),
    ("V09", None),
    ("V11", None),
    ("V12", None),
    ("V13", None),
    ("V14", None),
    ("V15", None),
    ("V16", None),
    ("V17", None),
    ("V18", None),
    (
        "V20",
        Some((
            r#"content["m.text"]"#,
            "expected an array, found string",
            "digest §4.8: MSC3488's examples still use the obsolete v1 string m.text",
        )),
    ),
    (
        "V21",
        Some((
            r#"content["m.text"]"#,
            "expected an array, found string",
            "digest §4.8: MSC3488's transitional example uses the obsolete v1 string m.text",
        )),
    ),
    // V21 is also an MSC4460 hybrid carrying blocks msgtype m.location does not allow; see
    // `V21_HYBRID` below.
    ("V22", None),
    ("V23", None),
    ("V24", None),
    ("V25", None),
    (
        "V27",
        Some((
            r#"content["m.text"]"#,
            "expected an array, found string",
            "digest §2.11/§8.3: MSC3644 was written against the v1 shape (string m.text)",
        )),
    ),
    (
        "V28",
        Some((
            r#"content["m.text"]"#,
            "expected an array, found string",
            "digest §2.11/§8.3: MSC3644 was written against the v1 shape (string m.text)",
        )),
    ),
    ("V29", None),
    // The historical text shapes under the stable type: the published m.message schema (and
    // so any validator using it) requires m.text, which they do not carry.
    (
        "V30",
        Some((
            "content",
            r#"missing required block "m.text" (m.message is present, the obsolete name of m.text"#,
            "digest §2.14: the v1 m.message array is an obsolete name, never accepted",
        )),
    ),
    (
        "V31",
        Some((
            "content",
            r#"missing required block "m.text" (m.markup is present, the obsolete name of m.text"#,
            "digest §2.14: m.markup was renamed m.text before MSC1767 was accepted",
        )),
    ),
];

/// V21's errors as an MSC4460 hybrid: blocks msgtype m.location does not allow.
const V21_HYBRID: &[&str] = &[
    r#"content["m.asset"]: hybrid event (MSC4460): msgtype m.location allows m.text (MSC4460: only blocks relevant to the msgtype)"#,
    r#"content["m.location"]: hybrid event (MSC4460): msgtype m.location allows m.text (MSC4460: only blocks relevant to the msgtype)"#,
    r#"content["m.ts"]: hybrid event (MSC4460): msgtype m.location allows m.text (MSC4460: only blocks relevant to the msgtype)"#,
];

#[test]
fn every_msc_example_validates_or_fails_for_a_documented_reason() {
    let validator = Validator::new(&Registry::built_in()).unwrap();
    let examples = common::msc_canonical();
    assert_eq!(
        examples.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        EXPECTED.iter().map(|(n, _)| *n).collect::<Vec<_>>()
    );
    for ((name, event), (_, expected)) in examples.iter().zip(EXPECTED) {
        let report = validator.validate(event);
        let mut errors: Vec<String> = report.errors().map(ToString::to_string).collect();
        if name == "V21" {
            // MSC4460 (digest §8.4): on msgtype m.location a hybrid may carry m.text only.
            let hybrid: Vec<String> = errors
                .iter()
                .filter(|e| e.contains("hybrid event (MSC4460)"))
                .cloned()
                .collect();
            assert_eq!(hybrid, V21_HYBRID, "{name}");
            errors.retain(|e| !e.contains("hybrid event (MSC4460)"));
        }
        match expected {
            None => assert!(report.is_valid(), "{name}: {errors:?}"),
            Some((path, message, reason)) => {
                assert_eq!(
                    errors.len(),
                    1,
                    "{name} ({reason}): exactly one error expected: {errors:?}"
                );
                let error = report
                    .errors()
                    .find(|e| !e.message.contains("hybrid event (MSC4460)"))
                    .unwrap();
                assert_eq!(error.path.to_string(), *path, "{name} ({reason})");
                assert!(
                    error.message.contains(message),
                    "{name} ({reason}): {error}"
                );
            }
        }
    }
}

/// The unstable families validate with warnings that name what is unstable.
#[test]
fn unstable_examples_warn_about_their_names() {
    let validator = Validator::new(&Registry::built_in()).unwrap();
    for (name, event) in common::msc_canonical() {
        let report = validator.validate(&event);
        let unstable_type = exev::stable_event_type(event.event_type())
            .is_some_and(|(_, status)| status != NameStatus::Stable);
        let warned = report
            .warnings()
            .any(|w| w.path.to_string() == "type" && w.message.contains("unstable name"));
        assert_eq!(unstable_type, warned, "{name}");
    }
}

/// boon, compiled from the same published schemas.
struct Boon {
    schemas: boon::Schemas,
    compiler_ids: Vec<(String, boon::SchemaIndex)>,
}

impl Boon {
    fn new(registry: &Registry) -> Boon {
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        let files = published_schemas(registry);
        for file in &files {
            let id = file.schema.get("$id").and_then(Value::as_str).unwrap();
            compiler.add_resource(id, serde(&file.schema)).unwrap();
        }
        let mut schemas = boon::Schemas::new();
        let compiler_ids = files
            .iter()
            .map(|f| {
                let id = f.schema.get("$id").and_then(Value::as_str).unwrap();
                (id.to_owned(), compiler.compile(id, &mut schemas).unwrap())
            })
            .collect();
        Boon {
            schemas,
            compiler_ids,
        }
    }

    fn is_valid(&self, id: &str, instance: &serde_json::Value) -> bool {
        let index = self
            .compiler_ids
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, index)| *index)
            .unwrap();
        self.schemas.validate(instance, index).is_ok()
    }
}

fn serde(value: &Value) -> serde_json::Value {
    serde_json::from_slice(&exev_codec::json::value_to_vec(value).unwrap()).unwrap()
}

/// Every (schema `$id`, instance) pair an event in the stable form goes through: its type's
/// schema on the whole event, each stable-named known block's schema on the block.
fn schema_checks(registry: &Registry, event: &Event) -> Vec<(String, serde_json::Value)> {
    let mut checks = Vec::new();
    if let Some((def, NameStatus::Stable)) = registry.event_type_named(event.event_type()) {
        let schema = event_type_schema(registry, def);
        let id = schema
            .get("$id")
            .and_then(Value::as_str)
            .unwrap()
            .to_owned();
        checks.push((id, serde(&event.to_value())));
    }
    for (name, value) in event.content().as_object() {
        if let Some(def) = registry.block(name).filter(|d| d.name == *name) {
            let schema = block_schema(def);
            let id = schema
                .get("$id")
                .and_then(Value::as_str)
                .unwrap()
                .to_owned();
            checks.push((id, serde(value)));
        }
    }
    checks
}

fn hand_made() -> Vec<Event> {
    [
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a.png"}]}}"#,
        r#"{"type": "m.message", "content": {"m.text": [{"body": 5}]}}"#,
        r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"name": "f"}}}"#,
        r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"url": "mxc://a/b", "key": {}}}}"#,
        r#"{"type": "m.audio", "content": {"m.text": [{"body": "a"}], "m.file": {"url": "mxc://a/b"}, "m.audio_details": {"duration": 3, "waveform": [257]}}}"#,
        r#"{"type": "m.voice", "content": {"m.text": [{"body": "a"}], "m.file": {"url": "mxc://a/b", "mimetype": "audio/ogg"}, "m.audio_details": {"duration": 3}}}"#,
        r#"{"type": "m.voice", "content": {"m.text": [{"body": "a"}], "m.file": {"url": "mxc://a/b", "mimetype": "video/mp4"}, "m.audio_details": {"duration": 3, "waveform": [1]}}}"#,
        r#"{"type": "m.location", "content": {"m.location": {"uri": "geo:0,0", "zoom_level": 21}}}"#,
        r#"{"type": "m.poll.start", "content": {"m.text": [{"body": "q"}], "m.poll": {"max_selections": 0, "question": {"m.text": []}, "answers": [{"m.text": []}]}}}"#,
        r#"{"type": "m.poll.response", "content": {"m.relates_to": {"rel_type": "m.reference"}, "m.selections": [1]}}"#,
        r#"{"type": "m.room.topic", "content": {"topic": "hi"}}"#,
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a"}], "m.file": {"url": "mxc://a/b", "mimetype": "image/png"}, "m.thumbnail": [{"m.file": {"url": "mxc://a/t"}, "m.image_details": {"width": 1, "height": -1}}]}}"#,
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a", "x": 1}], "m.file": {"url": "mxc://a/b", "mimetype": "image/png", "name": "a.png"}, "org.example.x": {}}}"#,
        // The cases where validation used to be looser or stricter than the spec.
        r#"{"type": "m.room.topic", "state_key": "", "content": {"m.topic": {"m.text": [{"body": "t"}]}}}"#,
        r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"url": "mxc://a/b"}}}"#,
        r#"{"type": "m.location", "content": {"m.text": [{"body": "here"}], "m.location": {"uri": "https://maps.example/here"}}}"#,
        r#"{"type": "m.emote", "content": {"m.text": [{"body": "waves"}], "m.automated": "yes"}}"#,
        r#"{"type": "m.message", "content": {"m.markup": [{"body": "Hello world"}]}}"#,
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a"}], "org.matrix.msc1767.file": {"url": "mxc://a/b", "name": "a"}}}"#,
    ]
    .into_iter()
    .map(common::event)
    .collect()
}

#[test]
fn boon_agrees_with_jsonschema_and_with_exev_validate() {
    let registry = Registry::built_in();
    let boon = Boon::new(&registry);
    let ours = Validator::new(&registry).unwrap();
    // jsonschema on the same pairs, compiled independently of the Validator.
    let mut resources = jsonschema::Registry::new();
    let files = published_schemas(&registry);
    for file in &files {
        let id = file.schema.get("$id").and_then(Value::as_str).unwrap();
        resources = resources.add(id, serde(&file.schema)).unwrap();
    }
    let resources = resources.prepare().unwrap();
    let jsonschema_valid = |id: &str, instance: &serde_json::Value| {
        let schema = serde(
            &files
                .iter()
                .find(|f| f.schema.get("$id").and_then(Value::as_str) == Some(id))
                .unwrap()
                .schema,
        );
        jsonschema::options()
            .with_registry(&resources)
            .build(&schema)
            .unwrap()
            .is_valid(instance)
    };
    let mut events: Vec<(String, Event)> = common::msc_canonical();
    events.extend(
        hand_made()
            .into_iter()
            .enumerate()
            .map(|(i, e)| (format!("hand-made {i}"), e)),
    );
    let mut compared = 0;
    for (name, event) in &events {
        let checks = schema_checks(&registry, event);
        let mut all_valid = true;
        for (id, instance) in &checks {
            let by_boon = boon.is_valid(id, instance);
            assert_eq!(
                by_boon,
                jsonschema_valid(id, instance),
                "{name}: boon and jsonschema disagree on {id}"
            );
            all_valid &= by_boon;
            compared += 1;
        }
        // For events sent under the stable name of a known type, boon's verdict is ours (up
        // to representations renderers skip, which exev only warns about): exev checks them
        // as the published schema does, blocks under other names included (V30, V31).
        let stable_type = registry
            .event_type_named(event.event_type())
            .is_some_and(|(_, s)| s == NameStatus::Stable);
        if stable_type {
            let report = ours.validate(event);
            let skipped = report
                .warnings()
                .any(|w| w.message.contains("renderers skip"));
            if !skipped {
                assert_eq!(
                    report.is_valid(),
                    all_valid,
                    "{name}: {:?}",
                    report.problems
                );
            }
        }
    }
    assert!(compared > 100, "only {compared} checks compared");
}

/// Whether `value` holds an `m.text` array with an invalid representation anywhere.
fn has_skipped_representation(value: &Value) -> bool {
    match value {
        Value::Object(members) => members.iter().any(|(k, v)| {
            let text = matches!(k.as_str(), "m.text" | "org.matrix.msc1767.text");
            (text
                && v.as_array().is_some_and(|reps| {
                    reps.iter()
                        .any(|r| !matches!(r.get("body"), Some(Value::String(_))))
                }))
                || has_skipped_representation(v)
        }),
        Value::Array(items) => items.iter().any(has_skipped_representation),
        _ => false,
    }
}

#[test]
fn block_schemas_agree_with_the_typed_readers() {
    let registry = Registry::built_in();
    let validators: Vec<(KnownBlock, jsonschema::Validator)> = KnownBlock::ALL
        .iter()
        .map(|block| {
            let def = registry.block(block.stable_name()).unwrap();
            (*block, schema_validator(&registry, &block_schema(def)))
        })
        .collect();
    let mut rng = SplitMix64::new(1767);
    let mut events: Vec<Event> = common::msc_canonical()
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    events.extend(hand_made());
    for _ in 0..3000 {
        let bytes = rng.bytes(400);
        events.push(Generator::new(&bytes).event());
    }
    let mut compared = 0;
    let mut invalid = 0;
    for event in &events {
        for (name, value) in event.content().as_object() {
            let Some((block, NameStatus::Stable)) = KnownBlock::from_name(name) else {
                continue;
            };
            let (_, validator) = validators.iter().find(|(b, _)| *b == block).unwrap();
            let by_schema = validator.is_valid(&serde(value));
            invalid += usize::from(!by_schema);
            let by_reader = AnyBlock::read(block, name, value).is_ok()
                && !has_skipped_representation(&Value::Object(
                    [(name.clone(), value.clone())].into_iter().collect(),
                ));
            assert_eq!(
                by_schema,
                by_reader,
                "{name}: schema says {by_schema}, reader says {by_reader}: {}",
                String::from_utf8_lossy(&exev_codec::json::value_to_vec(value).unwrap())
            );
            compared += 1;
        }
    }
    assert!(compared > 1000, "only {compared} blocks compared");
    assert!(invalid > 100, "only {invalid} invalid blocks compared");
}

fn schema_validator(registry: &Registry, schema: &Value) -> jsonschema::Validator {
    let mut resources = jsonschema::Registry::new();
    for file in published_schemas(registry) {
        let id = file
            .schema
            .get("$id")
            .and_then(Value::as_str)
            .unwrap()
            .to_owned();
        resources = resources.add(id, serde(&file.schema)).unwrap();
    }
    let resources = resources.prepare().unwrap();
    jsonschema::options()
        .with_registry(&resources)
        .build(&serde(schema))
        .unwrap()
}

#[test]
fn validation_never_panics_on_generated_events() {
    let validator = Validator::new(&Registry::built_in()).unwrap();
    let mut rng = SplitMix64::new(3381);
    for _ in 0..2000 {
        let bytes = rng.bytes(600);
        let event = Generator::new(&bytes).event();
        let report = validator.validate(&event);
        for p in &report.problems {
            assert!(!p.message.is_empty());
        }
    }
}
