//! Validation of hand-made events: one invalid event per rule of the schemas, each rejected
//! with the expected path; valid events with unknown blocks and fields accepted; the warnings
//! (representations renderers skip, unstable names, more than 20 poll answers, ...) given
//! without failing the event.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::OnceLock;

use exev::Event;
use exev_codec::{NumberPolicy, Options, json};
use exev_registry::{Registry, Report, Severity, Validator};

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::new(&Registry::built_in()).unwrap())
}

fn check(text: &str) -> Report {
    validator().validate(&common::event(text))
}

/// The problems of `report` as `severity path: message` lines.
fn lines(report: &Report) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|p| format!("{} {}: {}", p.severity, p.path, p.message))
        .collect()
}

/// `report` has an error at `path` whose message contains `needle`.
fn assert_error(report: &Report, path: &str, needle: &str) {
    assert!(!report.is_valid(), "expected invalid: {:?}", lines(report));
    assert!(
        report
            .errors()
            .any(|p| p.path.to_string() == path && p.message.contains(needle)),
        "no error at {path} saying {needle:?}: {:?}",
        lines(report)
    );
}

/// `report` is valid and has a warning at `path` whose message contains `needle`.
fn assert_warning(report: &Report, path: &str, needle: &str) {
    assert!(report.is_valid(), "expected valid: {:?}", lines(report));
    assert!(
        report
            .warnings()
            .any(|p| p.path.to_string() == path && p.message.contains(needle)),
        "no warning at {path} saying {needle:?}: {:?}",
        lines(report)
    );
}

const IMAGE_FILE: &str =
    r#""m.file": {"url": "mxc://example.org/a", "mimetype": "image/png", "name": "a.png"}"#;

/// One invalid event per rule: (what it breaks, event, path, words of the message).
const INVALID: &[(&str, &str, &str, &str)] = &[
    (
        "a required block is missing",
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a.png"}]}}"#,
        "content",
        r#"missing required block "m.file""#,
    ),
    (
        "a block has the wrong type",
        r#"{"type": "m.message", "content": {"m.text": {"body": "hi"}}}"#,
        r#"content["m.text"]"#,
        "expected an array, found object",
    ),
    (
        "an m.text representation needs a string body",
        r#"{"type": "m.message", "content": {"m.text": [{"body": 5}]}}"#,
        r#"content["m.text"][0].body"#,
        "expected a string, found integer (no valid representation is left)",
    ),
    (
        "an m.text representation needs a body",
        r#"{"type": "m.message", "content": {"m.text": [{"mimetype": "text/html"}]}}"#,
        r#"content["m.text"][0]"#,
        r#"missing required field "body""#,
    ),
    (
        "a field has the wrong type",
        r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"name": "f", "url": "mxc://a/b", "size": "12"}}}"#,
        r#"content["m.file"].size"#,
        "expected an integer, found string",
    ),
    (
        "m.file needs url (or uri)",
        r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"name": "f"}}}"#,
        r#"content["m.file"]"#,
        r#"missing required field: one of "url", "uri""#,
    ),
    (
        "an encrypted m.file needs iv, hashes and v",
        r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"name": "f", "url": "mxc://a/b", "key": {}, "hashes": {"sha256": "x"}, "v": "v2"}}}"#,
        r#"content["m.file"]"#,
        r#"missing required field "iv""#,
    ),
    (
        "image details need width and height",
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a"}], IMAGE_FILE, "m.image_details": {"width": 1}}}"#,
        r#"content["m.image_details"]"#,
        r#"missing required field "height""#,
    ),
    (
        "pixel sizes are not negative",
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a"}], IMAGE_FILE, "m.image_details": {"width": -1, "height": 1}}}"#,
        r#"content["m.image_details"].width"#,
        "-1 is less than the minimum of 0",
    ),
    (
        "a thumbnail's m.file needs a mimetype",
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a"}], IMAGE_FILE, "m.thumbnail": [{"m.file": {"url": "mxc://a/t"}, "m.image_details": {"width": 1, "height": 1}}]}}"#,
        r#"content["m.thumbnail"][0]["m.file"]"#,
        r#"missing required field "mimetype""#,
    ),
    (
        "waveform values are 0 to 256",
        r#"{"type": "m.audio", "content": {"m.text": [{"body": "a"}], "m.file": {"name": "f", "url": "mxc://a/b"}, "m.audio_details": {"duration": 3, "waveform": [0, 256, 257]}}}"#,
        r#"content["m.audio_details"].waveform[2]"#,
        "257 is more than the maximum of 256",
    ),
    (
        "a voice message needs a waveform",
        r#"{"type": "m.voice", "content": {"m.text": [{"body": "a"}], "m.file": {"name": "f", "url": "mxc://a/b", "mimetype": "audio/ogg"}, "m.audio_details": {"duration": 3}}}"#,
        r#"content["m.audio_details"]"#,
        r#"missing required field: one of "waveform", "org.matrix.msc3246.waveform""#,
    ),
    (
        "a voice message is audio",
        r#"{"type": "m.voice", "content": {"m.text": [{"body": "a"}], "m.file": {"name": "f", "url": "mxc://a/b", "mimetype": "video/mp4"}, "m.audio_details": {"duration": 3, "waveform": [1]}}}"#,
        r#"content["m.file"].mimetype"#,
        r#""video/mp4" does not match ^(?:audio/.+)$"#,
    ),
    (
        "zoom_level is 0 to 20",
        r#"{"type": "m.location", "content": {"m.location": {"uri": "geo:0,0", "zoom_level": 21}}}"#,
        r#"content["m.location"].zoom_level"#,
        "21 is more than the maximum of 20",
    ),
    (
        "a location needs its uri",
        r#"{"type": "m.location", "content": {"m.location": {"description": "here"}}}"#,
        r#"content["m.location"]"#,
        r#"missing required field "uri""#,
    ),
    (
        "max_selections is at least 1",
        r#"{"type": "m.poll.start", "content": {"m.text": [{"body": "q"}], "m.poll": {"max_selections": 0, "question": {"m.text": [{"body": "q"}]}, "answers": []}}}"#,
        r#"content["m.poll"].max_selections"#,
        "0 is less than the minimum of 1",
    ),
    (
        "poll answers need an m.id",
        r#"{"type": "m.poll.start", "content": {"m.text": [{"body": "q"}], "m.poll": {"question": {"m.text": [{"body": "q"}]}, "answers": [{"m.id": "a", "m.text": [{"body": "a"}]}, {"m.id": "b", "m.text": [{"body": "b"}]}, {"m.id": "c", "m.text": [{"body": "c"}]}, {"m.text": [{"body": "d"}]}]}}}"#,
        r#"content["m.poll"].answers[3]"#,
        r#"missing required field "m.id""#,
    ),
    (
        "a poll answer's m.id is a string",
        r#"{"type": "m.poll.start", "content": {"m.text": [{"body": "q"}], "m.poll": {"question": {"m.text": [{"body": "q"}]}, "answers": [{"m.id": "a", "m.text": [{"body": "a"}]}, {"m.id": "b", "m.text": [{"body": "b"}]}, {"m.id": "c", "m.text": [{"body": "c"}]}, {"m.id": 4, "m.text": [{"body": "d"}]}]}}}"#,
        r#"content["m.poll"].answers[3]["m.id"]"#,
        "expected a string, found integer",
    ),
    (
        "a poll question is an object with m.text",
        r#"{"type": "m.poll.start", "content": {"m.text": [{"body": "q"}], "m.poll": {"question": {}, "answers": []}}}"#,
        r#"content["m.poll"].question"#,
        r#"missing required field "m.text""#,
    ),
    (
        "selections are strings",
        r#"{"type": "m.poll.response", "content": {"m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}, "m.selections": [1]}}"#,
        r#"content["m.selections"][0]"#,
        "expected a string, found integer",
    ),
    (
        "poll results count votes",
        r#"{"type": "m.poll.end", "content": {"m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}, "m.text": [{"body": "over"}], "m.poll.results": {"a": -2}}}"#,
        r#"content["m.poll.results"].a"#,
        "-2 is less than the minimum of 0",
    ),
    (
        "a relation with a rel_type names its event",
        r#"{"type": "m.poll.response", "content": {"m.relates_to": {"rel_type": "m.reference"}, "m.selections": []}}"#,
        r#"content["m.relates_to"]"#,
        r#"missing required field "event_id""#,
    ),
    (
        "m.ts is an integer",
        r#"{"type": "m.beacon", "content": {"m.relates_to": {"rel_type": "m.reference", "event_id": "$b"}, "m.location": {"uri": "geo:0,0"}, "m.ts": "now"}}"#,
        r#"content["m.ts"]"#,
        "expected an integer, found string",
    ),
    (
        "state events have a state_key",
        r#"{"type": "m.room.topic", "content": {"topic": "hi"}}"#,
        "$",
        r#"missing required field "state_key""#,
    ),
    (
        "a room topic is a string",
        r#"{"type": "m.room.topic", "state_key": "", "content": {"topic": 5}}"#,
        "content.topic",
        "expected a string, found integer",
    ),
    (
        "an encrypted block names its algorithm",
        r#"{"type": "m.encrypted", "content": {"m.encrypted": {"ciphertext": "x"}}}"#,
        r#"content["m.encrypted"]"#,
        r#"missing required field "algorithm""#,
    ),
    (
        "known blocks are checked on unknown types",
        r#"{"type": "org.example.thing", "content": {"m.location": {"uri": 1}}}"#,
        r#"content["m.location"].uri"#,
        "expected a string, found integer",
    ),
    (
        "a block under an unstable name of the same shape is checked as the stable one",
        r#"{"type": "org.matrix.msc1767.file", "content": {"org.matrix.msc1767.text": [{"body": "f"}], "org.matrix.msc1767.file": {"url": 5}}}"#,
        r#"content["org.matrix.msc1767.file"].url"#,
        "expected a string, found integer",
    ),
    (
        "the unstable poll end carries its marker",
        r#"{"type": "org.matrix.msc3381.poll.end", "content": {"m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}, "org.matrix.msc1767.text": "over"}}"#,
        "content",
        r#"missing required block "org.matrix.msc3381.poll.end""#,
    ),
];

#[test]
fn every_rule_rejects_with_its_path() {
    for (rule, text, path, needle) in INVALID {
        let text = text.replace("IMAGE_FILE", IMAGE_FILE);
        let report = check(&text);
        assert!(!report.is_valid(), "{rule}: accepted");
        assert!(
            report
                .errors()
                .any(|p| p.path.to_string() == *path && p.message.contains(needle)),
            "{rule}: no error at {path} saying {needle:?}: {:?}",
            lines(&report)
        );
        // Every error names the schema keyword that found it, or is a rule outside them.
        for p in report.errors() {
            assert!(
                p.schema.is_some() || p.message.contains("block"),
                "{rule}: {p}"
            );
        }
    }
}

#[test]
fn integers_beyond_the_data_model_are_rejected() {
    // Only a lenient decode keeps such numbers; validation still rejects them.
    let lenient = Options::default().numbers(NumberPolicy::Lenient);
    for (text, path, needle) in [
        (
            r#"{"type": "m.beacon", "content": {"m.relates_to": {"rel_type": "m.reference", "event_id": "$b"}, "m.location": {"uri": "geo:0,0"}, "m.ts": 9007199254740992}}"#,
            r#"content["m.ts"]"#,
            "is more than the maximum of 9007199254740991",
        ),
        (
            r#"{"type": "m.video", "content": {"m.text": [{"body": "v"}], "m.file": {"name": "f", "url": "mxc://a/b"}, "m.video_details": {"width": 1, "height": 1, "duration": 1.5}}}"#,
            r#"content["m.video_details"].duration"#,
            "expected an integer, found number",
        ),
    ] {
        let event = json::from_slice_with(text.as_bytes(), &lenient).unwrap();
        assert_error(&validator().validate(&event), path, needle);
    }
}

#[test]
fn the_brief_example_path_is_exact() {
    let report = check(INVALID[17].1);
    let problem = report.errors().next().unwrap();
    assert_eq!(
        problem.to_string(),
        r#"content["m.poll"].answers[3]["m.id"]: expected a string, found integer (schema blocks/m.poll.json#/$defs/PollAnswer/properties/m.id/type)"#
    );
    assert_eq!(
        problem.path.to_json_pointer(),
        "/content/m.poll/answers/3/m.id"
    );
}

#[test]
fn unknown_blocks_and_fields_are_accepted() {
    let report = check(
        r#"{"type": "m.image", "sender": "@a:example.org", "x.custom.top": 1, "content": {
            "m.text": [{"body": "a.png", "x.custom": true, "lang": "en"}],
            "m.file": {"name": "f", "url": "mxc://a/b", "mimetype": "image/png", "org.example.checksum": "abc"},
            "m.image_details": {"width": 10, "height": 10, "org.example.dpi": 300},
            "m.caption": {"m.text": [{"body": "cap"}], "org.example.style": {"bold": true}},
            "org.example.custom": {"anything": [1, "two", null]},
            "org.example.flag": false,
            "body": "legacy field",
            "m.mentions": {"user_ids": ["@b:example.org"], "room": false},
            "m.relates_to": {"m.in_reply_to": {"event_id": "$e"}}
        }}"#,
    );
    assert!(report.is_valid(), "{:?}", lines(&report));
    assert!(report.problems.is_empty(), "{:?}", lines(&report));
}

#[test]
fn unknown_types_are_a_warning_only() {
    let report = check(
        r#"{"type": "org.example.temperature", "content": {"m.text": [{"body": "22 degrees"}], "org.example.probe_value": {"value": 22}}}"#,
    );
    assert_warning(&report, "type", "not an event type the registry knows");
    assert_eq!(report.problems.len(), 1);
}

#[test]
fn a_skipped_representation_is_a_warning_while_a_valid_one_remains() {
    let report = check(
        r#"{"type": "m.message", "content": {"m.text": [{"body": "<b>hi</b>", "mimetype": "text/html"}, {"mimetype": "text/plain"}, {"body": "hi"}]}}"#,
    );
    assert_warning(
        &report,
        r#"content["m.text"][1]"#,
        r#"representation 1 is invalid and renderers skip it: missing required field "body""#,
    );
    // Nested texts follow the same rule.
    let report = check(
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a"}], "m.file": {"name": "f", "url": "mxc://a/b"}, "m.caption": {"m.text": ["not an object", {"body": "cap"}]}}}"#,
    );
    assert_warning(
        &report,
        r#"content["m.caption"]["m.text"][0]"#,
        "renderers skip it",
    );
    let report = check(
        r#"{"type": "m.image", "content": {"m.text": [{"body": "a"}], "m.file": {"name": "f", "url": "mxc://a/b"}, "m.caption": {"m.text": ["not an object"]}}}"#,
    );
    assert_error(
        &report,
        r#"content["m.caption"]["m.text"][0]"#,
        "no valid representation is left",
    );
}

#[test]
fn warnings_on_valid_events() {
    let answers: Vec<String> = (0..21)
        .map(|i| format!(r#"{{"m.id": "a{i}", "m.text": [{{"body": "{i}"}}]}}"#))
        .collect();
    let poll = format!(
        r#"{{"type": "m.poll.start", "content": {{"m.text": [{{"body": "q"}}], "m.poll": {{"question": {{"m.text": [{{"body": "q"}}]}}, "answers": [{}]}}}}}}"#,
        answers.join(",")
    );
    assert_warning(
        &check(&poll),
        r#"content["m.poll"].answers"#,
        "21 answers: clients show only the first 20",
    );
    assert_warning(
        &check(r#"{"type": "m.message", "content": {"m.text": []}}"#),
        r#"content["m.text"]"#,
        "no representation",
    );
    assert_warning(
        &check(
            r#"{"type": "m.message", "content": {"m.text": [{"body": "<b>x</b>", "mimetype": "text/html"}]}}"#,
        ),
        r#"content["m.text"]"#,
        "no plain-text representation",
    );
    assert_warning(
        &check(
            r#"{"type": "m.message", "content": {"m.text": [{"body": "a"}], "org.matrix.msc1767.text": [{"body": "b"}]}}"#,
        ),
        r#"content["org.matrix.msc1767.text"]"#,
        "m.text is present too, so readers use it and ignore org.matrix.msc1767.text",
    );
    assert_warning(
        &check(
            r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"name": "f", "uri": "mxc://a/b"}}}"#,
        ),
        r#"content["m.file"].uri"#,
        "prose spelling",
    );
    // Unstable names of the same shape: checked as the stable schema, warned about.
    let report = check(
        r#"{"type": "org.matrix.msc1767.image", "content": {"org.matrix.msc1767.text": [{"body": "a"}], "org.matrix.msc1767.file": {"url": "mxc://a/b"}, "org.matrix.msc1767.image_details": {"width": 1, "height": 2}}}"#,
    );
    assert_warning(
        &report,
        "type",
        "org.matrix.msc1767.image is the unstable name of m.image",
    );
    assert_warning(
        &report,
        r#"content["org.matrix.msc1767.file"]"#,
        "unstable name of m.file",
    );
    assert_eq!(report.warnings().count(), 4, "{:?}", lines(&report));
}

#[test]
fn waveforms_follow_the_range_of_their_name() {
    let audio = |details: &str| {
        check(&format!(
            r#"{{"type": "m.audio", "content": {{"m.text": [{{"body": "a"}}], "m.file": {{"name": "f", "url": "mxc://a/b"}}, {details}}}}}"#
        ))
    };
    // The unstable field keeps MSC3246's earlier range.
    let report =
        audio(r#""m.audio_details": {"duration": 3, "org.matrix.msc3246.waveform": [1024]}"#);
    assert!(report.is_valid(), "{:?}", lines(&report));
    assert_error(
        &audio(r#""m.audio_details": {"duration": 3, "org.matrix.msc3246.waveform": [1025]}"#),
        r#"content["m.audio_details"]["org.matrix.msc3246.waveform"][0]"#,
        "maximum of 1024",
    );
    // The v1 audio block (milliseconds, 0..=1024) is read in its older shape: a warning.
    assert_warning(
        &audio(r#""org.matrix.msc1767.audio": {"duration": 2500, "waveform": [1024]}"#),
        r#"content["org.matrix.msc1767.audio"]"#,
        "sent in that name's older shape",
    );
    // Broken even in the older shape: still only a warning, as the name carries other shapes.
    let report = audio(r#""org.matrix.msc1767.audio": {"waveform": [1024]}"#);
    assert!(report.is_valid(), "{:?}", lines(&report));
    assert!(
        report
            .warnings()
            .any(|p| p.message.contains(r#"missing required field "duration""#)),
        "{:?}",
        lines(&report)
    );
}

#[test]
fn problems_are_ordered_and_render_as_json() {
    let report = check(
        r#"{"type": "m.image", "content": {"m.text": [{"body": 1}], "m.image_details": {"width": "1", "height": 2}}}"#,
    );
    let paths: Vec<String> = report.problems.iter().map(|p| p.path.to_string()).collect();
    assert_eq!(
        paths,
        [
            "content",
            r#"content["m.image_details"].width"#,
            r#"content["m.text"][0].body"#
        ]
    );
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.severity == Severity::Error)
    );
    let value = report.to_value();
    assert_eq!(value.get("valid"), Some(&exev::Value::Bool(false)));
    assert_eq!(value.get("errors"), Some(&exev::Value::from(3)));
    let first = &value.get("problems").and_then(|p| p.as_array()).unwrap()[1];
    assert_eq!(
        first.get("pointer").and_then(|p| p.as_str()),
        Some("/content/m.image_details/width")
    );
}

#[test]
fn events_built_with_the_model_validate() {
    use exev::{Content, FileBlock, ImageDetailsBlock, TextBlock, Thumbnail, ThumbnailBlock};
    let mut content = Content::new();
    content.set(&TextBlock::plain("cat.png").with_html("<b>cat.png</b>"));
    content.set(
        &FileBlock::new("mxc://a/b")
            .name("cat.png")
            .mimetype("image/png")
            .size(5),
    );
    content.set(&ImageDetailsBlock::new(640, 480).sticker(true));
    content.set(&ThumbnailBlock::new().with(Thumbnail::new("mxc://a/t", "image/jpeg", 64, 48)));
    let report = validator().validate(&Event::new("m.image", content));
    assert!(report.problems.is_empty(), "{:?}", lines(&report));
}
