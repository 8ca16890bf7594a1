//! Malformed blocks: the renderer shows what it can, and says what it skipped and why.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{brief, event, everything, render};
use exev_registry::Outcome;

fn paths(r: &exev_registry::Rendering) -> Vec<&str> {
    r.skipped.iter().map(|s| s.path.as_str()).collect()
}

#[test]
fn an_image_with_malformed_optional_blocks_is_still_an_image() {
    let e = event(
        r#"{"type": "m.image", "content": {
            "m.text": [{"body": "cat.png"}],
            "m.file": {"url": "mxc://example.org/cat", "mimetype": "image/png"},
            "m.image_details": {"width": 640, "height": "tall"},
            "m.thumbnail": [{"m.file": {"url": 3}}],
            "m.caption": 5,
            "m.alt_text": {"m.text": [{"body": "a cat"}]},
            "m.relates_to": {"rel_type": "m.replace"},
            "m.automated": "yes"
        }}"#,
    );
    let r = render(&e, &everything());
    assert_eq!(brief(&r), "rendered m.image");
    let media = r.media.clone().unwrap();
    assert_eq!(media.file.url, "mxc://example.org/cat");
    assert_eq!(media.alt_text.as_deref(), Some("a cat"));
    assert_eq!(
        (media.width, media.thumbnail, media.caption),
        (None, None, None)
    );
    assert!(!r.automated);
    assert!(r.relation.is_none());
    let mut skipped = paths(&r);
    skipped.sort_unstable();
    assert_eq!(
        skipped,
        [
            r#"content["m.automated"]"#,
            r#"content["m.caption"]"#,
            r#"content["m.image_details"].height"#,
            r#"content["m.relates_to"]"#,
            r#"content["m.thumbnail"][0]["m.file"].url"#,
        ]
    );
    let automated = r
        .skipped
        .iter()
        .find(|s| s.path.contains("automated"))
        .unwrap();
    assert!(
        automated.reason.contains("treated as false"),
        "{}",
        automated.reason
    );
    let relates = r
        .skipped
        .iter()
        .find(|s| s.path.contains("relates_to"))
        .unwrap();
    assert_eq!(relates.reason, "missing required field `event_id`");
}

#[test]
fn invalid_text_representations_are_skipped() {
    let e = event(
        r#"{"type": "m.message", "content": {"m.text": [
            3,
            {"mimetype": "text/html"},
            {"body": 7},
            {"body": "<b>ok</b>", "mimetype": "text/html"},
            {"body": "ok"}
        ]}}"#,
    );
    let r = render(&e, &everything());
    assert_eq!(brief(&r), "rendered m.message");
    assert_eq!(r.text, "ok");
    assert_eq!(r.html.as_deref(), Some("<b>ok</b>"));
    // The HTML representation, fourth as sent, is the one the client uses.
    assert_eq!(r.text_source.as_ref().unwrap().representation, Some(3));
    assert_eq!(
        paths(&r),
        [
            r#"content["m.text"][0]"#,
            r#"content["m.text"][1]"#,
            r#"content["m.text"][2].body"#
        ]
    );
    assert!(
        r.skipped[0]
            .reason
            .starts_with("invalid representation skipped")
    );

    // With no valid representation at all, there is no text to show.
    let e = event(
        r#"{"type": "m.message", "content": {"m.text": [{"mimetype": "text/plain"}, null]}}"#,
    );
    let r = render(&e, &everything());
    assert_eq!(r.outcome, Outcome::Unrenderable);
    let why = r.attempts[0].ruled_out.as_ref().unwrap();
    assert_eq!(why.block.as_deref(), Some("m.text"));
    assert!(
        why.reason.contains("no valid representation (2 skipped"),
        "{}",
        why.reason
    );
    let e = event(r#"{"type": "m.message", "content": {"m.text": []}}"#);
    assert_eq!(render(&e, &everything()).outcome, Outcome::Unrenderable);
}

#[test]
fn a_malformed_required_block_falls_back_and_says_why() {
    let e = event(
        r#"{"type": "m.file", "content": {
            "m.text": [{"body": "report.pdf"}],
            "m.file": {"name": "report.pdf"}
        }}"#,
    );
    let r = render(&e, &everything());
    assert_eq!(brief(&r), "rendered m.message");
    assert_eq!(r.text, "report.pdf");
    let own = &r.attempts[0];
    assert!(own.own_type);
    assert_eq!(
        own.ruled_out.as_ref().unwrap().reason,
        r#"content["m.file"]: missing required field `url`"#
    );
    assert!(
        r.reason.starts_with("m.file does not fit its own schema"),
        "{}",
        r.reason
    );
    // The message schema does not use m.file, so it is ignored; but it is malformed and it
    // changed the outcome (the file became a message), so it is in `skipped` with its reason.
    assert_eq!(paths(&r), [r#"content["m.file"]"#]);
    assert_eq!(r.skipped[0].reason, "missing required field `url`");
    assert_eq!(r.ignored[0].name, "m.file");
}

#[test]
fn a_poll_with_too_many_answers_shows_twenty() {
    let answers: Vec<String> = (0..25)
        .map(|i| format!(r#"{{"m.id": "a{i}", "m.text": [{{"body": "Answer {i}"}}]}}"#))
        .collect();
    let e = event(&format!(
        r#"{{"type": "m.poll.start", "content": {{
            "m.text": [{{"body": "Pick"}}],
            "m.poll": {{"question": {{"m.text": [{{"mimetype": "text/html", "body": "<b>Pick</b>"}}]}}, "kind": "org.example.ranked", "answers": [{}]}}
        }}}}"#,
        answers.join(",")
    ));
    let r = render(&e, &everything());
    assert_eq!(brief(&r), "rendered m.poll.start");
    let poll = r.poll.unwrap();
    assert_eq!(poll.answers.len(), 20);
    assert_eq!(poll.answers_sent, 25);
    assert_eq!(poll.answers[19].text, "Answer 19");
    assert_eq!(poll.kind, "m.undisclosed");
    assert_eq!(poll.question, "Pick");
    assert_eq!(poll.question_html.as_deref(), Some("<b>Pick</b>"));
}

#[test]
fn a_poll_without_text_makes_its_own() {
    // Invalid m.text: the poll schema fails as itself, the message schema too; nothing fits.
    let e = event(
        r#"{"type": "org.example.quiz", "content": {
            "m.poll": {"question": {"m.text": [{"body": "2+2?"}]}, "answers": [{"m.id": "4", "m.text": [{"body": "four"}]}]}
        }}"#,
    );
    assert_eq!(render(&e, &everything()).outcome, Outcome::Unrenderable);
    // A registrar's type that needs only the poll makes its text from the question.
    let mut registry = exev_registry::Registry::built_in();
    let mut top = exev_registry::Registry::new();
    top.add_event_type(exev_registry::EventTypeDef::new("org.example.quiz").requires("m.poll"));
    registry.layer(top);
    let r = registry.render(&e, &exev_registry::Capabilities::everything(&registry));
    assert_eq!(brief(&r), "rendered org.example.quiz");
    assert_eq!(r.text, "2+2?\n1. four");
    assert!(r.text_source.unwrap().generated);
}
