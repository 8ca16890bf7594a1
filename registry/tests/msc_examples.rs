//! The renderer over every MSC example and the unstable families deployed today, for four
//! clients: one that knows only `m.message`, one that knows only `m.file`, one that knows the
//! media types but not `m.voice`, and one that knows everything. Then every fallback chain of
//! digest §2.4's table, one by one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{
    brief, event, everything, file_only, media_not_voice, msc_canonical, profiles, render,
    text_only,
};
use exev::Event;
use exev_registry::{Capabilities, Outcome};

const R_MSG: &str = "rendered m.message";
const R_FILE: &str = "rendered m.file";
const UNR: &str = "unrenderable";

/// One row: the example, what each profile gets (text only, file only, media not voice,
/// everything), the text of rendered outcomes (and of state outcomes for a client that knows
/// the state type), and the `m.automated` flag.
struct Row {
    name: &'static str,
    expect: [&'static str; 4],
    text: &'static str,
    automated: bool,
}

const fn row(name: &'static str, expect: [&'static str; 4], text: &'static str) -> Row {
    Row {
        name,
        expect,
        text,
        automated: false,
    }
}

const V06_TEXT: &str =
    "matrix.pdf (12 KB) https://example.org/_matrix/media/v3/download/example.org/abcd1234";
const V07_TEXT: &str =
    "matrix.png (12 KB) https://example.org/_matrix/media/v3/download/example.org/abcd1234";
const V08_TEXT: &str =
    "matrix.mp4 (12 KB, 1:30) https://example.org/_matrix/media/v3/download/example.org/abcd1234";
const V09_TEXT: &str =
    "matrix.mp3 (12 KB, 1:30) https://example.org/_matrix/media/v3/download/example.org/abcd1234";
const POLL_TEXT: &str =
    "What should we order for the party?\n1. Pizza 🍕\n2. Poutine 🍟\n3. Italian 🍝\n4. Wings 🔥";

/// Every MSC example with a canonical form.
const CANONICAL: &[Row] = &[
    row("V01", [R_MSG, UNR, R_MSG, R_MSG], "Hello world"),
    row(
        "V02",
        [R_MSG, UNR, R_MSG, R_MSG],
        "It is 22 degrees at Home",
    ),
    row(
        "V03",
        [R_MSG, UNR, R_MSG, R_MSG],
        "[Danger] The water tank is 90% full.",
    ),
    row("V04", [R_MSG, UNR, R_MSG, "rendered m.emote"], "says hi"),
    Row {
        automated: true,
        ..row("V05", [R_MSG, UNR, R_MSG, "rendered m.emote"], "says hi")
    },
    row("V06", [R_MSG, R_FILE, R_FILE, R_FILE], V06_TEXT),
    row(
        "V07",
        [R_MSG, R_FILE, "rendered m.image", "rendered m.image"],
        V07_TEXT,
    ),
    row(
        "V08",
        [R_MSG, R_FILE, "rendered m.video", "rendered m.video"],
        V08_TEXT,
    ),
    row(
        "V09",
        [R_MSG, R_FILE, "rendered m.audio", "rendered m.audio"],
        V09_TEXT,
    ),
    // MSC3956's encrypted event carries no text fallback, by design: it is still to be
    // decrypted, whatever the client knows.
    row("V11", ["encrypted m.encrypted"; 4], ""),
    row("V12", [R_MSG, UNR, R_MSG, R_MSG], "Je suis un poisson"),
    row(
        "V13",
        [R_MSG, UNR, R_MSG, "rendered m.poll.start"],
        POLL_TEXT,
    ),
    row("V14", ["hidden m.poll.response"; 4], ""),
    row(
        "V15",
        [R_MSG, UNR, R_MSG, "rendered m.poll.end"],
        "The poll has closed. Top answer: Poutine 🍟",
    ),
    // The unstable poll family: the string form of org.matrix.msc1767.text.
    row(
        "V16",
        [R_MSG, UNR, R_MSG, "rendered m.poll.start"],
        POLL_TEXT,
    ),
    row("V17", ["hidden m.poll.response"; 4], ""),
    row(
        "V18",
        [R_MSG, UNR, R_MSG, "rendered m.poll.end"],
        "The poll has ended. Top answer: Italian 🍝",
    ),
    // MSC3488's examples send m.text as a v1 string, which is invalid: only a client that
    // knows m.location shows them, with a text made from the location.
    row(
        "V20",
        [UNR, UNR, UNR, "rendered m.location"],
        "Matthew's whereabouts (geo:51.5008,0.1247;u=35)",
    ),
    // MSC3488's transitional m.room.message: a hybrid whose blocks MSC4460 does not allow on
    // msgtype m.location (and whose string m.text is invalid), so it reads from its legacy
    // fields, body and geo_uri.
    row(
        "V21",
        [R_MSG, UNR, R_MSG, "rendered m.location"],
        "Matthew was at geo:51.5008,0.1247;u=35 as of Sat Nov 13 18:50:58 2021",
    ),
    row("V22", ["state m.beacon_info"; 4], "The Matthew Tracker"),
    row(
        "V23",
        [UNR, UNR, UNR, "rendered m.beacon"],
        "Arbitrary beacon information (geo:51.5008,0.1247;u=35)",
    ),
    row("V24", ["state m.beacon_info"; 4], "Kylie's live location"),
    row(
        "V25",
        [UNR, UNR, UNR, "rendered m.beacon"],
        "geo:8.95752746197222,12.494122581370175;u=10",
    ),
    // MSC3644's v1-era edits: hidden, as every edit is on its own (a timeline applies it);
    // their new content, a string m.text, is one no current schema accepts.
    row("V27", ["hidden m.message"; 4], ""),
    row("V28", ["hidden m.message"; 4], ""),
    // The v1 transitional m.room.message: a legacy m.text message, read from its fields.
    row("V29", [R_MSG, UNR, R_MSG, R_MSG], "Hello World"),
    row("V30", [R_MSG, UNR, R_MSG, R_MSG], "i am a *fish*"),
    row("V31", [R_MSG, UNR, R_MSG, R_MSG], "Hello world"),
];

/// The examples without a canonical form (V10, V19, V26, V32), made strict by hand, and the
/// unstable families: `org.matrix.msc1767.*`, `org.matrix.msc3245.voice.v2`,
/// `org.matrix.msc3488.*` (the `org.matrix.msc3381.poll.*` and `org.matrix.msc3672.*` ones are
/// V16-V18 and V24-V25 above).
const HAND_MADE: &[(&str, &str, Row)] = &[
    (
        "V10: MSC3245 voice, waveform kept in the stable range",
        r#"{"type": "m.voice", "content": {
            "m.text": [{"body": "Voice Message (8 KB, 1:30) https://example.org/_matrix/media/v3/download/example.org/abcd1234"}],
            "m.file": {"mimetype": "audio/ogg", "url": "mxc://example.org/abcdef", "name": "Voice message.ogg", "size": 7992},
            "m.audio_details": {"duration": 90, "waveform": [0, 128, 256]}
        }}"#,
        row(
            "V10",
            [R_MSG, R_FILE, "rendered m.audio", "rendered m.voice"],
            "Voice Message (8 KB, 1:30) https://example.org/_matrix/media/v3/download/example.org/abcd1234",
        ),
    ),
    (
        "V19: MSC3488's m.location block on a type nobody knows",
        r#"{"type": "org.example.meetup", "content": {
            "m.text": [{"body": "Meet at our destination"}],
            "m.location": {"uri": "geo:51.5008,0.1247;u=35", "description": "Our destination", "zoom_level": 15}
        }}"#,
        row(
            "V19",
            [R_MSG, UNR, R_MSG, "rendered m.location"],
            "Meet at our destination",
        ),
    ),
    (
        "V26: MSC3765 rich topic (state)",
        r#"{"type": "m.room.topic", "state_key": "", "content": {
            "m.topic": {"m.text": [
                {"mimetype": "text/html", "body": "All about <b>pizza</b> | <a href=\"https://recipes.pizza.net\">Recipes</a>"},
                {"body": "All about **pizza** | [Recipes](https://recipes.pizza.net)"}
            ]},
            "topic": "All about **pizza** | [Recipes](https://recipes.pizza.net)"
        }}"#,
        row(
            "V26",
            ["state m.room.topic"; 4],
            "All about **pizza** | [Recipes](https://recipes.pizza.net)",
        ),
    ),
    (
        "V32: MSC3245 v1 voice as deployed on m.room.message",
        r#"{"type": "m.room.message", "content": {
            "body": "Voice message", "msgtype": "m.audio", "url": "mxc://example.org/abcdef",
            "info": {"duration": 6541, "mimetype": "audio/ogg", "size": 7992},
            "org.matrix.msc1767.text": "Voice message",
            "org.matrix.msc1767.file": {"size": 7992, "name": "Voice message.ogg", "url": "mxc://example.org/abcdef", "mimetype": "audio/ogg"},
            "org.matrix.msc1767.audio": {"duration": 6541, "waveform": [0, 256, 1024]},
            "org.matrix.msc3245.voice": {}
        }}"#,
        row(
            "V32",
            [R_MSG, R_FILE, "rendered m.audio", "rendered m.voice"],
            "Voice message",
        ),
    ),
    (
        "unstable org.matrix.msc1767.message",
        r#"{"type": "org.matrix.msc1767.message", "content": {
            "org.matrix.msc1767.text": [{"mimetype": "text/html", "body": "<b>hi</b>"}, {"body": "hi"}]
        }}"#,
        row("U1", [R_MSG, UNR, R_MSG, R_MSG], "hi"),
    ),
    (
        "unstable org.matrix.msc1767.image, a sticker",
        r#"{"type": "org.matrix.msc1767.image", "content": {
            "org.matrix.msc1767.text": [{"body": "sticker.png"}],
            "org.matrix.msc1767.file": {"url": "mxc://example.org/s", "name": "sticker.png", "mimetype": "image/png"},
            "org.matrix.msc1767.image_details": {"width": 64, "height": 64, "org.matrix.msc1767.sticker": true},
            "org.matrix.msc1767.caption": {"org.matrix.msc1767.text": [{"body": "Yay"}]}
        }}"#,
        row(
            "U2",
            [R_MSG, R_FILE, "rendered m.image", "rendered m.image"],
            "sticker.png",
        ),
    ),
    (
        "unstable org.matrix.msc3245.voice.v2",
        r#"{"type": "org.matrix.msc3245.voice.v2", "content": {
            "org.matrix.msc1767.text": [{"body": "Voice message"}],
            "org.matrix.msc1767.file": {"url": "mxc://example.org/v", "name": "voice.ogg", "mimetype": "audio/ogg; codecs=opus"},
            "org.matrix.msc1767.audio_details": {"duration": 5, "org.matrix.msc3246.waveform": [0, 512, 1024]}
        }}"#,
        row(
            "U3",
            [R_MSG, R_FILE, "rendered m.audio", "rendered m.voice"],
            "Voice message",
        ),
    ),
    (
        "unstable org.matrix.msc3488.location with a v1 string text",
        r#"{"type": "org.matrix.msc3488.location", "content": {
            "org.matrix.msc1767.text": "Alice was at geo:1,2",
            "org.matrix.msc3488.location": {"uri": "geo:1,2"},
            "org.matrix.msc3488.asset": {"type": "m.pin"},
            "org.matrix.msc3488.ts": 1636829458432
        }}"#,
        row(
            "U4",
            [R_MSG, UNR, R_MSG, "rendered m.location"],
            "Alice was at geo:1,2",
        ),
    ),
    (
        "unstable org.matrix.msc1767.emote from a bot",
        r#"{"type": "org.matrix.msc1767.emote", "content": {
            "org.matrix.msc1767.text": [{"body": "waves"}],
            "org.matrix.msc1767.automated": true
        }}"#,
        Row {
            automated: true,
            ..row("U5", [R_MSG, UNR, R_MSG, "rendered m.emote"], "waves")
        },
    ),
];

/// Checks one row against every profile.
fn check(row: &Row, event: &Event) {
    for ((profile, caps), expected) in profiles().into_iter().zip(row.expect) {
        let r = render(event, &caps);
        let what = format!("{} for a client knowing {profile}: {r:#?}", row.name);
        assert_eq!(brief(&r), expected, "{what}");
        let knows_state_type = r.outcome == Outcome::State && profile == "everything";
        let text = if r.outcome == Outcome::Rendered || knows_state_type {
            row.text
        } else {
            ""
        };
        assert_eq!(r.text, text, "{what}");
        assert_eq!(r.automated, row.automated, "{what}");
        // Whatever the outcome, the attempts explain it: a rendered event's last attempt
        // fits, and every other attempt says which block ruled it out and why.
        if r.outcome == Outcome::Rendered {
            let last = r
                .attempts
                .last()
                .expect("rendered events record the schema");
            assert!(last.ruled_out.is_none(), "{what}");
            assert_eq!(Some(&last.schema), r.rendered_as.as_ref(), "{what}");
        }
        for attempt in r.attempts.iter().rev().skip(usize::from(r.is_rendered())) {
            let why = attempt.ruled_out.as_ref().expect("failed attempts say why");
            assert!(!why.reason.is_empty() && why.block.is_some(), "{what}");
        }
        assert!(!r.reason.is_empty(), "{what}");
    }
}

#[test]
fn every_msc_example_for_four_clients() {
    let examples = msc_canonical();
    assert_eq!(examples.len(), 28, "the MSC vectors with a canonical form");
    assert_eq!(
        examples.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        CANONICAL.iter().map(|r| r.name).collect::<Vec<_>>(),
        "every canonical example has a row"
    );
    for (row, (_, event)) in CANONICAL.iter().zip(&examples) {
        check(row, event);
    }
}

#[test]
fn hand_made_examples_and_unstable_families_for_four_clients() {
    for (what, json, row) in HAND_MADE {
        let e = event(json);
        assert!(!what.is_empty());
        check(row, &e);
    }
}

#[test]
fn what_the_rendered_examples_show() {
    let examples = msc_canonical();
    let get = |name: &str| &examples.iter().find(|(n, _)| n == name).unwrap().1;
    let all = everything();

    // V01: HTML first, so the client uses it; the plain text is the plain representation.
    let r = render(get("V01"), &all);
    assert_eq!(r.html.as_deref(), Some("<i>Hello world</i>"));
    let source = r.text_source.unwrap();
    assert_eq!(
        (source.representation, source.mimetype.as_deref()),
        (Some(0), Some("text/html"))
    );
    assert!(!source.from_html);

    // V06: an encrypted file with a caption.
    let media = render(get("V06"), &all).media.unwrap();
    assert!(media.file.encrypted);
    assert_eq!(
        media.caption.as_deref(),
        Some("Look at this cool Matrix document")
    );
    assert_eq!(media.file.size, Some(12345));

    // V07: the image with its thumbnail, dimensions, caption and alt text.
    let media = render(get("V07"), &all).media.unwrap();
    assert_eq!((media.width, media.height), (Some(640), Some(480)));
    assert_eq!(media.alt_text.as_deref(), Some("matrix logo"));
    let thumb = media.thumbnail.unwrap();
    assert_eq!(thumb.file.url, "mxc://exmaple.org/efgh5678");
    assert_eq!((thumb.width, thumb.height), (160, 120));
    // A client that shows only PNG thumbnails gets none (the thumbnail is a JPEG).
    let png_only =
        Capabilities::everything(&exev_registry::Registry::built_in()).mimetypes(["image/png"]);
    let media = render(get("V07"), &png_only).media.unwrap();
    assert!(media.thumbnail.is_none());

    // V08: the video's duration and poster; V09: the audio's duration.
    let media = render(get("V08"), &all).media.unwrap();
    assert_eq!(media.duration_secs, Some(90));
    assert!(media.thumbnail.is_some());
    assert_eq!(
        render(get("V09"), &all).media.unwrap().duration_secs,
        Some(90)
    );

    // V12: the first plain representation, and its language.
    let r = render(get("V12"), &all);
    assert_eq!(r.text_source.unwrap().lang.as_deref(), Some("fr"));

    // V13 and V16: the poll, stable and unstable alike.
    for name in ["V13", "V16"] {
        let poll = render(get(name), &all).poll.unwrap();
        assert_eq!(poll.question, "What should we order for the party?");
        assert_eq!(poll.kind, "m.disclosed");
        let answers: Vec<_> = poll.answers.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(answers, ["pizza", "poutine", "italian", "wings"], "{name}");
        assert_eq!(poll.answers[1].text, "Poutine 🍟");
    }

    // V15: the results and the reference to the poll.
    let r = render(get("V15"), &all);
    assert_eq!(r.poll_results.unwrap().get("poutine"), Some(&8));
    let relation = r.relation.unwrap();
    assert_eq!(relation.rel_type.as_deref(), Some("m.reference"));
    assert_eq!(relation.event_id.as_deref(), Some("$poll_start_event_id"));

    // V20: the location, its asset and time; the invalid string m.text is skipped, and said so.
    let r = render(get("V20"), &all);
    let location = r.location.unwrap();
    assert_eq!(location.uri, "geo:51.5008,0.1247;u=35");
    assert_eq!(location.asset, "m.self");
    assert_eq!(location.ts, Some(1_636_829_458_432));
    assert!(r.text_source.unwrap().generated);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].path, r#"content["m.text"]"#);
    assert!(r.skipped[0].reason.contains("v1 string form"));

    // V21: a legacy location read from its fields; the hybrid blocks MSC4460 does not allow
    // on it are not used, and said so.
    let r = render(get("V21"), &all);
    let legacy = r.legacy.clone().unwrap();
    assert_eq!(
        (legacy.read_from, legacy.msgtype.as_deref()),
        ("legacy fields only", Some("m.location"))
    );
    assert_eq!(r.location.unwrap().uri, "geo:51.5008,0.1247;u=35");
    let skipped: Vec<_> = r.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        skipped,
        [
            r#"content["m.asset"]"#,
            r#"content["m.location"]"#,
            r#"content["m.ts"]"#,
            r#"content["m.text"]"#
        ]
    );

    // V28: an edit that is also a reply (MSC3644's top-level form): hidden, its relation read,
    // its new content (the edit's own blocks) rendered on the side; a string m.text is not a
    // text any current schema accepts.
    let r = render(get("V28"), &all);
    let relation = r.relation.clone().unwrap();
    assert_eq!(relation.edit_target(), Some("$original"));
    assert_eq!(relation.reply_to.as_deref(), Some("$context"));
    assert!(r.reason.starts_with("an edit of $original"), "{}", r.reason);
    let new = r.new_content.unwrap();
    assert_eq!(new.outcome, Outcome::Unrenderable);
    assert!(
        new.reason.contains("does not fit its own schema"),
        "{}",
        new.reason
    );

    // V29: a legacy m.text message read from its fields (body, formatted_body); the v1
    // unstable string pair beside them says the same and is ignored, m.text read instead.
    let r = render(get("V29"), &all);
    assert_eq!(r.html.as_deref(), Some("<b>Hello</b> World"));
    assert_eq!(r.text, "Hello World");
    assert_eq!(
        r.legacy.as_ref().map(|l| l.read_from),
        Some("legacy fields")
    );
    let ignored: Vec<_> = r
        .ignored
        .iter()
        .map(|i| (i.name.as_str(), i.reason.as_str()))
        .collect();
    assert_eq!(
        ignored,
        [
            ("org.matrix.msc1767.html", "m.text is read instead"),
            ("org.matrix.msc1767.text", "m.text is read instead")
        ]
    );

    // V30 and V31: the obsolete m.message and m.markup arrays.
    assert_eq!(
        render(get("V30"), &all).html.as_deref(),
        Some("i am a <b>fish</b>")
    );
    // V31 sends plain text first: the first representation the client understands wins
    // (MSC1767), so there is no HTML to show.
    let r = render(get("V31"), &all);
    assert_eq!((r.text.as_str(), r.html.as_deref()), ("Hello world", None));
}

#[test]
fn what_the_hand_made_examples_show() {
    let all = everything();
    let by_name = |name: &str| event(HAND_MADE.iter().find(|(_, _, r)| r.name == name).unwrap().1);

    // V10: the voice message's waveform and duration.
    let media = render(&by_name("V10"), &all).media.unwrap();
    assert_eq!(media.waveform, Some(vec![0, 128, 256]));
    assert_eq!(media.duration_secs, Some(90));

    // V26: the rich topic, sanitised, for a client that knows m.room.topic.
    let r = render(&by_name("V26"), &all);
    assert_eq!(
        r.html.as_deref(),
        Some(
            r#"All about <b>pizza</b> | <a href="https://recipes.pizza.net" rel="noopener">Recipes</a>"#
        )
    );
    assert_eq!(r.text_source.unwrap().block, "m.topic");

    // V32: a legacy m.audio with the voice marker reads as m.voice; the v1 audio block is in
    // milliseconds and its waveform runs to 1024.
    let r = render(&by_name("V32"), &all);
    let legacy = r.legacy.clone().unwrap();
    assert_eq!(
        (legacy.read_from, legacy.msgtype.as_deref()),
        ("legacy fields", Some("m.audio"))
    );
    let media = r.media.unwrap();
    assert_eq!(media.duration_secs, Some(7));
    assert_eq!(media.waveform, Some(vec![0, 64, 256]));

    // U2: an unstable sticker with its caption.
    let media = render(&by_name("U2"), &all).media.unwrap();
    assert!(media.sticker);
    assert_eq!(media.caption.as_deref(), Some("Yay"));

    // U3: the unstable waveform (0..=1024) comes back on the stable scale.
    let media = render(&by_name("U3"), &all).media.unwrap();
    assert_eq!(media.waveform, Some(vec![0, 128, 256]));

    // U4: the asset type as sent, the time from the unstable m.ts.
    let location = render(&by_name("U4"), &all).location.unwrap();
    assert_eq!(location.asset, "m.pin");
    assert_eq!(location.ts, Some(1_636_829_458_432));
}

/// The `m.file` + `m.video_details` blocks of an event no client knows, whose file is a video
/// and which also carries `m.image_details` (a GIF-like clip, MSC3553 l.91-95).
const CLIP: &str = r#"{"type": "org.example.clip", "content": {
    "m.text": [{"body": "clip.mp4"}],
    "m.file": {"url": "mxc://example.org/clip", "mimetype": "video/mp4"},
    "m.video_details": {"width": 320, "height": 240, "duration": 3},
    "m.image_details": {"width": 320, "height": 240}
}}"#;

#[test]
fn chain_video_file_text() {
    let examples = msc_canonical();
    let v08 = &examples.iter().find(|(n, _)| n == "V08").unwrap().1;
    let no_video = Capabilities::knowing(["m.message", "m.file", "m.image", "m.audio"]);
    assert_eq!(brief(&render(v08, &everything())), "rendered m.video");
    assert_eq!(brief(&render(v08, &no_video)), R_FILE);
    assert_eq!(brief(&render(v08, &text_only())), R_MSG);

    // Never an image for a video mimetype, even with image details present.
    let clip = event(CLIP);
    assert_eq!(brief(&render(&clip, &everything())), "rendered m.video");
    let r = render(&clip, &no_video);
    assert_eq!(brief(&r), R_FILE);
    let image = r.attempts.iter().find(|a| a.schema == "m.image").unwrap();
    let why = image.ruled_out.as_ref().unwrap();
    assert_eq!(why.block.as_deref(), Some("m.file"));
    assert_eq!(why.reason, "the file's mimetype video/mp4 is not image/*");
    // A client that cannot play the video's format gets the file.
    let r = render(&clip, &everything().mimetypes(["video/webm", "image/*"]));
    assert_eq!(brief(&r), R_FILE);
    assert!(
        r.attempts[0]
            .ruled_out
            .as_ref()
            .unwrap()
            .reason
            .contains("does not understand the file's mimetype video/mp4")
    );
}

#[test]
fn chain_image_file_text() {
    let examples = msc_canonical();
    let v07 = &examples.iter().find(|(n, _)| n == "V07").unwrap().1;
    assert_eq!(brief(&render(v07, &everything())), "rendered m.image");
    assert_eq!(
        brief(&render(
            v07,
            &Capabilities::knowing(["m.file", "m.message"])
        )),
        R_FILE
    );
    assert_eq!(brief(&render(v07, &text_only())), R_MSG);
    // An unknown type is an image only with m.image_details; without, a file.
    let plain = event(
        r#"{"type": "org.example.upload", "content": {
            "m.text": [{"body": "cat.png"}],
            "m.file": {"url": "mxc://example.org/cat", "mimetype": "image/png"}
        }}"#,
    );
    let r = render(&plain, &everything());
    assert_eq!(brief(&r), R_FILE);
    let image = r.attempts.iter().find(|a| a.schema == "m.image").unwrap();
    assert_eq!(
        image.ruled_out.as_ref().unwrap().reason,
        "m.image_details is missing"
    );
}

#[test]
fn chain_audio_file_text() {
    let examples = msc_canonical();
    let v09 = &examples.iter().find(|(n, _)| n == "V09").unwrap().1;
    assert_eq!(brief(&render(v09, &media_not_voice())), "rendered m.audio");
    assert_eq!(brief(&render(v09, &file_only())), R_FILE);
    assert_eq!(brief(&render(v09, &text_only())), R_MSG);
}

#[test]
fn chain_voice_audio_file_text() {
    let (_, json, _) = HAND_MADE.iter().find(|(_, _, r)| r.name == "V10").unwrap();
    let voice = event(json);
    assert_eq!(brief(&render(&voice, &everything())), "rendered m.voice");
    assert_eq!(
        brief(&render(&voice, &media_not_voice())),
        "rendered m.audio"
    );
    assert_eq!(
        brief(&render(
            &voice,
            &Capabilities::knowing(["m.file", "m.message"])
        )),
        R_FILE
    );
    assert_eq!(brief(&render(&voice, &text_only())), R_MSG);

    // Voice needs a waveform and an audio mimetype; without them, audio.
    let no_waveform = event(&json.replace(r#", "waveform": [0, 128, 256]"#, ""));
    let r = render(&no_waveform, &everything());
    assert_eq!(brief(&r), "rendered m.audio");
    assert_eq!(
        r.attempts[0].ruled_out.as_ref().unwrap().reason,
        "m.audio_details has no waveform or org.matrix.msc3246.waveform (m.voice needs it)"
    );
    let no_mimetype = event(&json.replace(r#""mimetype": "audio/ogg", "#, ""));
    let r = render(&no_mimetype, &everything());
    assert_eq!(brief(&r), "rendered m.audio");
    assert!(
        r.attempts[0]
            .ruled_out
            .as_ref()
            .unwrap()
            .reason
            .contains("no mimetype")
    );
    // MSC3245's own example: a waveform value of 1024 is out of the stable range. It used to
    // void the audio details, so that the voice message fell back to a file with nothing in
    // `skipped`; one value out of range is clamped for display and reported instead.
    let out_of_range = event(&json.replace("[0, 128, 256]", "[0, 256, 1024]"));
    let r = render(&out_of_range, &everything());
    assert_eq!(brief(&r), "rendered m.voice");
    assert_eq!(r.media.clone().unwrap().waveform, Some(vec![0, 256, 256]));
    assert_eq!(r.skipped.len(), 1, "{r:#?}");
    assert_eq!(
        r.skipped[0].path,
        r#"content["m.audio_details"].waveform[2]"#
    );
    assert!(r.skipped[0].reason.contains("0..=256"), "{r:#?}");
    assert!(r.skipped[0].reason.contains("clamped"), "{r:#?}");
}

#[test]
fn chain_poll_text_and_response_hidden() {
    let examples = msc_canonical();
    let get = |name: &str| &examples.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(
        brief(&render(get("V13"), &everything())),
        "rendered m.poll.start"
    );
    assert_eq!(brief(&render(get("V13"), &text_only())), R_MSG);
    // Responses are hidden whatever the client knows, even nothing at all.
    for name in ["V14", "V17"] {
        for caps in [everything(), text_only(), Capabilities::new()] {
            let r = render(get(name), &caps);
            assert_eq!(r.outcome, Outcome::Hidden, "{name}");
            assert!(r.attempts.is_empty());
        }
    }
}

#[test]
fn state_event_with_text_is_not_a_message() {
    let notice = event(
        r#"{"type": "org.example.notice_board", "state_key": "", "content": {
            "m.text": [{"body": "Pay 100 EUR to this account"}]
        }}"#,
    );
    for (_, caps) in profiles() {
        let r = render(&notice, &caps);
        assert_eq!(r.outcome, Outcome::State);
        assert_eq!(r.rendered_as, None);
        assert_eq!(r.text, "");
        assert!(r.attempts.is_empty());
    }
    // A state_key makes even a known message type a state event.
    let sneaky =
        event(r#"{"type": "m.message", "state_key": "", "content": {"m.text": [{"body": "x"}]}}"#);
    assert_eq!(render(&sneaky, &everything()).outcome, Outcome::State);
}

#[test]
fn unknown_mixin_is_ignored() {
    let e = event(
        r#"{"type": "m.message", "content": {
            "m.text": [{"body": "hello"}],
            "org.example.mixin.sparkles": true,
            "m.mentions": {"user_ids": ["@bob:example.org"]}
        }}"#,
    );
    let r = render(&e, &everything());
    assert_eq!(brief(&r), R_MSG);
    assert_eq!(r.text, "hello");
    assert_eq!(r.ignored.len(), 1);
    assert_eq!(r.ignored[0].name, "org.example.mixin.sparkles");
    assert_eq!(r.ignored[0].reason, "unknown block");
    // Known mixins apply.
    assert_eq!(r.mentions.unwrap().user_ids, ["@bob:example.org"]);
}

#[test]
fn fallback_order_is_configurable() {
    let examples = msc_canonical();
    let v07 = &examples.iter().find(|(n, _)| n == "V07").unwrap().1;
    // The image's type is unknown to this client; its own order puts text before files.
    let caps = Capabilities::knowing(["m.file", "m.message"]).order(["m.message", "m.file"]);
    let r = render(v07, &caps);
    assert_eq!(brief(&r), R_MSG);
    assert_eq!(r.attempts.len(), 1);
    // An order naming nothing the client knows renders nothing.
    let r = render(v07, &Capabilities::knowing(["m.file"]).order(["m.message"]));
    assert_eq!(r.outcome, Outcome::Unrenderable);
    // State and hidden types are never fallbacks, even when listed.
    let caps = Capabilities::knowing(["m.room.topic", "m.poll.response"])
        .order(["m.room.topic", "m.poll.response"]);
    let r = render(v07, &caps);
    assert_eq!(r.outcome, Outcome::Unrenderable);
    assert!(r.attempts.is_empty());
}
