//! The renderer and validator cases reported against the release binary, each from the input
//! that failed, through the command line (so that each can be run against an older binary
//! to see it fail): legacy messages, edits, encrypted events and reactions, the first
//! understood representation, mimetype parameters, voice, waveforms and zoom levels out of
//! range, languages, the unstable poll shape, and validation that agrees with the spec and
//! with the published schemas.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::exev;
use exev::Value;
use exev_codec::{Options, json};

fn vectors() -> PathBuf {
    std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    )
}

fn msc(name: &str) -> String {
    vectors()
        .join(format!("msc/{name}.canonical.json"))
        .to_string_lossy()
        .into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `exev render --format json ARGS` on `stdin`, parsed.
fn render(args: &[&str], stdin: &str) -> Value {
    let mut all = vec!["render", "--format", "json"];
    all.extend_from_slice(args);
    let out = exev(&all, stdin.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    json::value_from_slice(&out.stdout, &Options::default()).unwrap()
}

fn member<'v>(v: &'v Value, key: &str) -> &'v Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn text(v: &Value) -> &str {
    member(v, "text").as_str().unwrap_or_default()
}

fn outcome(v: &Value) -> String {
    match member(v, "as").as_str() {
        Some(schema) => format!(
            "{} {schema}",
            member(v, "outcome").as_str().unwrap_or_default()
        ),
        None => member(v, "outcome").as_str().unwrap_or_default().to_owned(),
    }
}

fn skipped_paths(v: &Value) -> Vec<String> {
    member(v, "skipped")
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.get("path").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_legacy_message_renders_with_its_body() {
    let r = render(
        &[],
        r#"{"type":"m.room.message","content":{"msgtype":"m.text","body":"hello legacy"}}"#,
    );
    assert_eq!(outcome(&r), "rendered m.message");
    assert_eq!(text(&r), "hello legacy");
}

#[test]
fn an_edit_is_hidden_with_its_new_content_typed() {
    // The spec's edit example, with a "Hello world!" text.
    let edit = r#"{"type": "m.room.message", "content": {"body": "* Hello world!", "msgtype": "m.text",
        "m.new_content": {"body": "Hello world!", "msgtype": "m.text"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$some_event_id"}}}"#;
    let r = render(&[], edit);
    assert_eq!(member(&r, "outcome").as_str(), Some("hidden"));
    assert_eq!(text(&r), "", "the * fallback is not shown");
    let new = member(&r, "new_content");
    assert_eq!(outcome(new), "rendered m.message");
    assert_eq!(text(new), "Hello world!");
    let ignored = member(&r, "ignored")
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        ignored
            .iter()
            .all(|i| i.get("name") != Some(&Value::from("m.new_content"))),
        "m.new_content is not an unknown block: {ignored:?}"
    );
}

#[test]
fn encrypted_events_are_encrypted_and_reactions_hidden() {
    let megolm = vectors().join("matrix-spec/events/m.room.encrypted+megolm.json");
    let r = render(&[megolm.to_str().unwrap()], "");
    assert_eq!(member(&r, "outcome").as_str(), Some("encrypted"));
    let r = render(&[&msc("V11")], "");
    assert_eq!(member(&r, "outcome").as_str(), Some("encrypted"));
    let reaction = vectors().join("matrix-spec/events/m.reaction.json");
    let r = render(&[reaction.to_str().unwrap()], "");
    assert_eq!(member(&r, "outcome").as_str(), Some("hidden"));
}

#[test]
fn the_first_understood_representation_wins_for_html_too() {
    let plain_first = r#"{"type": "m.message", "content": {"m.text": [
        {"body": "plain *first*"}, {"body": "<b>html</b> second", "mimetype": "text/html"}]}}"#;
    let out = exev(&["render", "--format", "html"], plain_first.as_bytes());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "plain *first*\n");
    let html_first = r#"{"type": "m.message", "content": {"m.text": [
        {"body": "<b>html</b> first", "mimetype": "text/html"}, {"body": "plain"}]}}"#;
    let out = exev(&["render", "--format", "html"], html_first.as_bytes());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "<b>html</b> first\n");
}

#[test]
fn mimetype_parameters_are_compared_correctly() {
    let event = r#"{"type": "m.message", "content": {"m.text": [
        {"body": "**markdown**", "mimetype": "text/markdown"},
        {"body": "markdown", "mimetype": "text/plain; charset=utf-8"}]}}"#;
    let r = render(&["--mimetypes", "text/markdown"], event);
    assert_eq!(text(&r), "markdown");
    let source = member(&r, "text_source");
    assert_eq!(member(source, "mimetype").as_str(), Some("text/markdown"));
}

#[test]
fn voice_needs_the_voice_type_or_marker() {
    let podcast = |marker: &str| {
        format!(
            r#"{{"type": "org.example.podcast", "content": {{"m.text": [{{"body": "episode.mp3"}}],
                "m.file": {{"url": "mxc://example.org/ep", "name": "episode.mp3", "mimetype": "audio/mpeg"}},
                "m.audio_details": {{"duration": 600, "waveform": [1, 2, 3]}}{marker}}}}}"#
        )
    };
    assert_eq!(outcome(&render(&[], &podcast(""))), "rendered m.audio");
    assert_eq!(
        outcome(&render(
            &[],
            &podcast(r#", "org.matrix.msc3245.voice": {}"#)
        )),
        "rendered m.voice"
    );
}

#[test]
fn one_bad_waveform_value_is_clamped_and_reported() {
    // MSC3245's own voice example (V10), its placeholder dropped: 1024 is beyond 0..=256.
    let v10 = r#"{"type": "m.voice", "content": {
        "m.text": [{"body": "Voice Message (8 KB, 1:30) https://example.org/_matrix/media/v3/download/example.org/abcd1234"}],
        "m.file": {"mimetype": "audio/ogg", "url": "mxc://example.org/abcdef", "name": "Voice message.ogg", "size": 7992},
        "m.audio_details": {"duration": 90, "waveform": [0, 256, 1024]}}}"#;
    let r = render(&[], v10);
    assert_eq!(outcome(&r), "rendered m.voice");
    assert_eq!(
        skipped_paths(&r),
        [r#"content["m.audio_details"].waveform[2]"#]
    );
    let waveform = member(member(&r, "media"), "waveform");
    assert_eq!(
        waveform,
        &Value::from(vec![0.into(), 256.into(), 256.into()])
    );
}

#[test]
fn a_zoom_level_out_of_range_is_clamped_and_reported() {
    let location = r#"{"type": "m.location", "content": {"m.text": [{"body": "Big Ben"}],
        "m.location": {"uri": "geo:51.5008,0.1247", "zoom_level": 25}}}"#;
    let r = render(&[], location);
    assert_eq!(outcome(&r), "rendered m.location");
    assert_eq!(skipped_paths(&r), [r#"content["m.location"].zoom_level"#]);
    assert_eq!(
        member(member(&r, "location"), "zoom_level"),
        &Value::from(20)
    );
}

#[test]
fn every_malformed_block_that_changed_the_outcome_is_skipped() {
    let file = r#"{"type": "m.file", "content": {"m.text": [{"body": "report.pdf"}], "m.file": {"name": "report.pdf"}}}"#;
    let r = render(&[], file);
    assert_eq!(outcome(&r), "rendered m.message");
    assert_eq!(skipped_paths(&r), [r#"content["m.file"]"#]);
}

#[test]
fn the_preferred_language_wins() {
    let r = render(&[&msc("V12")], "");
    assert_eq!(
        text(&r),
        "Je suis un poisson",
        "without a preference, the sender's order"
    );
    let r = render(&["--lang", "en", &msc("V12")], "");
    assert_eq!(text(&r), "I am a fish");
    let r = render(&["--lang", "de,en-GB", &msc("V12")], "");
    assert_eq!(text(&r), "I am a fish");
}

#[test]
fn the_unstable_profile_writes_a_stable_poll_as_element_reads_it() {
    let out = exev(&["convert", "--names", "unstable", &msc("V13")], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut expected = json::from_slice(&std::fs::read(msc("V16")).unwrap()).unwrap();
    expected.set_field("sender", Value::from("@alice:example.org"));
    let got = json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        got, expected,
        "V13 under --names unstable is V16 with V13's sender"
    );
    // And back: the same typed poll.
    let back = exev(&["convert", "--names", "stable", "-"], &out.stdout);
    let back = json::from_slice(&back.stdout).unwrap();
    let v13 = json::from_slice(&std::fs::read(msc("V13")).unwrap()).unwrap();
    assert_eq!(
        back.content().get::<exev::PollBlock>(),
        v13.content().get::<exev::PollBlock>()
    );
}

/// `exev validate` on `stdin`: its exit status and stderr.
fn validate(stdin: &str) -> (Option<i32>, String) {
    let out = exev(&["validate", "-"], stdin.as_bytes());
    (out.status.code(), stderr(&out))
}

#[test]
fn obsolete_text_names_are_invalid_as_the_published_schema_says() {
    for name in ["V30", "V31"] {
        let out = exev(&["validate", &msc(name)], b"");
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(r#"missing required block "m.text""#),
            "{name}"
        );
    }
}

#[test]
fn a_room_topic_needs_its_topic() {
    let (status, err) = validate(
        r#"{"type": "m.room.topic", "state_key": "", "content": {"m.topic": {"m.text": [{"body": "t"}]}}}"#,
    );
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains(r#"missing required block "topic""#), "{err}");
}

#[test]
fn a_file_needs_its_name() {
    let (status, err) = validate(
        r#"{"type": "m.file", "content": {"m.text": [{"body": "f"}], "m.file": {"url": "mxc://a/b"}}}"#,
    );
    assert_eq!(status, Some(1), "{err}");
    assert!(
        err.contains(r#"content["m.file"]: missing required field "name""#),
        "{err}"
    );
}

#[test]
fn a_location_needs_a_geo_uri() {
    let (status, err) = validate(
        r#"{"type": "m.location", "content": {"m.text": [{"body": "here"}], "m.location": {"uri": "https://maps.example/here"}}}"#,
    );
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains(r#"content["m.location"].uri"#), "{err}");
}

#[test]
fn a_non_boolean_automated_counts_as_false() {
    let (status, err) = validate(
        r#"{"type": "m.emote", "content": {"m.text": [{"body": "waves"}], "m.automated": "yes"}}"#,
    );
    assert_eq!(
        status,
        Some(0),
        "MSC3955: treat as false, not an error: {err}"
    );
    assert!(err.contains("treat it as false"), "{err}");
}

#[test]
fn a_contradicting_hybrid_is_invalid_naming_both_texts() {
    let (status, err) = validate(
        r#"{"type": "m.room.message", "content": {"msgtype": "m.text", "body": "Transfer approved",
            "m.text": [{"body": "Transfer DENIED"}]}}"#,
    );
    assert_eq!(status, Some(1), "{err}");
    let line = err.lines().next().unwrap();
    assert!(
        line.contains("Transfer approved") && line.contains("Transfer DENIED"),
        "{line}"
    );
    assert!(line.contains(r#"content["m.text"]"#), "{line}");
}
