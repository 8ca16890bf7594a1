//! `exev timeline --format json`: a room's events as NDJSON in, one item a line out, for each
//! case the timeline must get right.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use common::exev;
use exev::Value;
use exev_codec::{Options, json};

fn vectors() -> PathBuf {
    std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    )
}

/// One line of NDJSON: a vector file in canonical JSON, with members set.
fn line_of(path: PathBuf, set: &[(&str, Value)]) -> String {
    let mut e = json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    for (k, v) in set {
        e.set_field(*k, v.clone());
    }
    String::from_utf8(json::to_vec(&e).unwrap()).unwrap()
}

/// The items `exev timeline --format json` prints for `lines`.
fn timeline(lines: &[String]) -> Vec<Value> {
    let input = lines.join("\n") + "\n";
    let out = exev(&["timeline", "--format", "json"], input.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| json::value_from_slice(l.as_bytes(), &Options::default()).unwrap())
        .collect()
}

fn get<'v>(item: &'v Value, key: &str) -> &'v Value {
    item.get(key)
        .unwrap_or_else(|| panic!("no {key} in {item:?}"))
}

fn message(id: &str, sender: &str, ts: i64, body: &str) -> String {
    format!(
        r#"{{"type":"m.room.message","event_id":"{id}","sender":"{sender}","origin_server_ts":{ts},"content":{{"msgtype":"m.text","body":"{body}"}}}}"#
    )
}

fn edit(id: &str, sender: &str, ts: i64, target: &str, body: &str) -> String {
    format!(
        r#"{{"type":"m.room.message","event_id":"{id}","sender":"{sender}","origin_server_ts":{ts},"content":{{"msgtype":"m.text","body":"* {body}","m.new_content":{{"msgtype":"m.text","body":"{body}"}},"m.relates_to":{{"rel_type":"m.replace","event_id":"{target}"}}}}}}"#
    )
}

#[test]
fn every_promised_member_is_there() {
    let items = timeline(&[message("$a", "@a:b", 1, "hi")]);
    for key in [
        "event_id",
        "sender",
        "outcome",
        "as",
        "text",
        "html",
        "edited",
        "reactions",
        "redacted",
        "in_reply_to",
        "thread_root",
        "poll",
    ] {
        get(&items[0], key);
    }
}

#[test]
fn an_edit_gives_one_edited_item_in_either_order() {
    let original = message("$o", "@alice:example.org", 1, "Hello wrold");
    let fix = edit("$e", "@alice:example.org", 2, "$o", "Hello world");
    for lines in [[original.clone(), fix.clone()], [fix, original]] {
        let items = timeline(&lines);
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(get(&items[0], "text"), &Value::from("Hello world"));
        assert_eq!(get(&items[0], "edited"), &Value::Bool(true));
        assert_eq!(get(&items[0], "event_id"), &Value::from("$o"));
    }
}

#[test]
fn an_edit_by_another_sender_is_ignored() {
    let items = timeline(&[
        message("$o", "@alice:example.org", 1, "mine"),
        edit("$e", "@mallory:example.org", 2, "$o", "theirs"),
    ]);
    assert_eq!(items.len(), 1);
    assert_eq!(get(&items[0], "text"), &Value::from("mine"));
    assert_eq!(get(&items[0], "edited"), &Value::Bool(false));
}

#[test]
fn the_specs_threading_example_gives_thread_roots() {
    let items = timeline(&[
        r#"{"type":"m.room.message","event_id":"$alice_hello","sender":"@alice:example.org","content":{"msgtype":"m.text","body":"Hello world! How are you?"}}"#.to_owned(),
        r#"{"type":"m.room.message","event_id":"$bob_hello","sender":"@bob:example.org","content":{"m.relates_to":{"rel_type":"m.thread","event_id":"$alice_hello"},"msgtype":"m.text","body":"I'm doing okay, thank you! How about yourself?"}}"#.to_owned(),
        r#"{"type":"m.room.message","event_id":"$alice_reply","sender":"@alice:example.org","content":{"m.relates_to":{"rel_type":"m.thread","event_id":"$alice_hello"},"msgtype":"m.text","body":"I'm doing great! Thanks for asking."}}"#.to_owned(),
    ]);
    let roots: Vec<&Value> = items.iter().map(|i| get(i, "thread_root")).collect();
    assert_eq!(
        roots,
        [
            &Value::Null,
            &Value::from("$alice_hello"),
            &Value::from("$alice_hello")
        ]
    );
    assert_eq!(get(get(&items[0], "thread"), "count"), &Value::from(2));
}

#[test]
fn the_specs_reaction_is_counted_on_its_target() {
    let reaction = line_of(vectors().join("matrix-spec/events/m.reaction.json"), &[]);
    let items = timeline(&[
        message("$some_event_id", "@alice:example.org", 1, "react to me"),
        reaction,
    ]);
    assert_eq!(items.len(), 1);
    let reactions = get(&items[0], "reactions");
    assert_eq!(reactions.get("👍"), Some(&Value::from(1)));
}

#[test]
fn the_specs_redaction_hides_its_target() {
    let redaction = line_of(
        vectors().join("matrix-spec/events/m.room.redaction.json"),
        &[],
    );
    let items = timeline(&[
        message("$fukweghifu23:localhost", "@example:example.org", 1, "spam"),
        redaction,
    ]);
    assert_eq!(items.len(), 1);
    assert_eq!(get(&items[0], "redacted"), &Value::Bool(true));
    assert_eq!(get(&items[0], "text"), &Value::from(""));
}

#[test]
fn a_replys_fallback_is_stripped() {
    let items = timeline(&[
        message("$q", "@alice:example.org", 1, "Where?"),
        r#"{"type":"m.room.message","event_id":"$r","sender":"@bob:example.org","origin_server_ts":2,"content":{"msgtype":"m.text","body":"> <@alice:example.org> Where?\n\nHere.","m.relates_to":{"m.in_reply_to":{"event_id":"$q"}}}}"#.to_owned(),
    ]);
    assert_eq!(get(&items[1], "text"), &Value::from("Here."));
    assert_eq!(get(&items[1], "in_reply_to"), &Value::from("$q"));
}

#[test]
fn a_poll_tallies_each_senders_latest_vote() {
    let msc = vectors().join("msc");
    let start = line_of(
        msc.join("V13.canonical.json"),
        &[
            ("event_id", Value::from("$poll_start_event_id")),
            ("origin_server_ts", Value::from(1)),
        ],
    );
    let vote = |id: &str, sender: &str, ts: i32, answer: &str| {
        line_of(
            msc.join("V14.canonical.json"),
            &[
                ("event_id", Value::from(id)),
                ("sender", Value::from(sender)),
                ("origin_server_ts", Value::from(ts)),
            ],
        )
        .replace(r#"["poutine"]"#, &format!(r#"["{answer}"]"#))
    };
    let items = timeline(&[
        start,
        vote("$v1", "@bob:example.org", 10, "pizza"),
        vote("$v2", "@carol:example.org", 11, "poutine"),
        vote("$v3", "@bob:example.org", 12, "poutine"),
    ]);
    assert_eq!(items.len(), 1, "votes are not items");
    let poll = get(&items[0], "poll");
    assert_eq!(get(poll, "closed"), &Value::Bool(false));
    let answers = get(poll, "answers");
    assert_eq!(answers.get("poutine"), Some(&Value::from(2)));
    assert_eq!(answers.get("pizza"), Some(&Value::from(0)));
}

#[test]
fn text_output_and_bad_input() {
    let input = format!(
        "{}\n{}\n",
        message("$o", "@a:b", 1, "one"),
        edit("$e", "@a:b", 2, "$o", "two")
    );
    let out = exev(&["timeline"], input.as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "$o @a:b m.message: two (edited)\n"
    );
    let out = exev(&["timeline"], b"{\"type\": 1}\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:1"));
}
