//! The timeline over the spec's own examples: edits, threads, reactions, redactions, replies
//! and polls, each as a client folds them, in any arrival order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{event, msc_canonical, vectors};
use exev::{Event, Value};
use exev_registry::{Capabilities, Pushed, Registry, Timeline, TimelineItem};

fn timeline() -> Timeline {
    let registry = Registry::built_in();
    Timeline::new(Capabilities::everything(&registry), registry)
}

fn fold(events: &[Event]) -> Timeline {
    let mut t = timeline();
    for e in events {
        t.push(e.clone());
    }
    t
}

/// The spec's example event `name` (`matrix-spec/events/NAME.json`).
fn spec_event(name: &str) -> Event {
    let bytes = std::fs::read(vectors().join(format!("matrix-spec/events/{name}.json"))).unwrap();
    exev_codec::json::from_slice(&bytes).unwrap()
}

fn with(mut e: Event, field: &str, value: impl Into<Value>) -> Event {
    e.set_field(field, value.into());
    e
}

fn message(id: &str, sender: &str, ts: i64, body: &str) -> Event {
    event(&format!(
        r#"{{"type": "m.room.message", "event_id": "{id}", "sender": "{sender}", "origin_server_ts": {ts},
            "content": {{"msgtype": "m.text", "body": "{body}"}}}}"#
    ))
}

fn edit(id: &str, sender: &str, ts: i64, target: &str, body: &str) -> Event {
    event(&format!(
        r#"{{"type": "m.room.message", "event_id": "{id}", "sender": "{sender}", "origin_server_ts": {ts},
            "content": {{"msgtype": "m.text", "body": "* {body}",
                "m.new_content": {{"msgtype": "m.text", "body": "{body}"}},
                "m.relates_to": {{"rel_type": "m.replace", "event_id": "{target}"}}}}}}"#
    ))
}

fn only(t: &Timeline) -> &TimelineItem {
    assert_eq!(t.items().len(), 1, "{:#?}", t.items());
    &t.items()[0]
}

#[test]
fn an_edit_shows_its_new_text_in_either_order() {
    let original = message("$o", "@alice:example.org", 1, "Hello wrold");
    let fix = edit("$e", "@alice:example.org", 2, "$o", "Hello world");
    for events in [
        [original.clone(), fix.clone()],
        [fix.clone(), original.clone()],
    ] {
        let t = fold(&events);
        let item = only(&t);
        assert_eq!(item.event_id.as_deref(), Some("$o"));
        assert_eq!(
            item.rendering.text, "Hello world",
            "the * fallback is never shown"
        );
        assert!(item.edited);
        assert_eq!(item.latest_edit.as_deref(), Some("$e"));
        let v = item.to_value();
        assert_eq!(v.get("edited"), Some(&Value::Bool(true)));
        assert_eq!(v.get("text"), Some(&Value::from("Hello world")));
        assert_eq!(t.pending(), 0);
    }
    // The edit alone waits for its original.
    let mut t = timeline();
    assert_eq!(
        t.push(fix),
        Pushed::Pending {
            target: "$o".to_owned()
        }
    );
    assert_eq!(t.pending(), 1);
    assert!(t.items().is_empty());
    assert_eq!(t.push(original), Pushed::Item(0));
    assert_eq!(t.pending(), 0);
}

#[test]
fn the_latest_valid_edit_wins_and_others_are_ignored() {
    let original = message("$o", "@alice:example.org", 1, "one");
    let events = [
        original,
        edit("$e3", "@alice:example.org", 30, "$o", "three"),
        edit("$e2", "@alice:example.org", 20, "$o", "two"),
        // Another sender cannot edit Alice's message, even later.
        edit("$mallory", "@mallory:example.org", 40, "$o", "pwned"),
        // An edit of an edit is no edit.
        edit("$e4", "@alice:example.org", 50, "$e3", "four"),
    ];
    let t = fold(&events);
    let item = only(&t);
    assert_eq!(item.rendering.text, "three");
    assert_eq!(item.latest_edit.as_deref(), Some("$e3"));

    // An edit by another sender alone changes nothing.
    let t = fold(&[
        message("$o", "@alice:example.org", 1, "mine"),
        edit("$m", "@mallory:example.org", 2, "$o", "theirs"),
    ]);
    let item = only(&t);
    assert_eq!(item.rendering.text, "mine");
    assert!(!item.edited);

    // Equal timestamps: the lexicographically largest event id wins (spec).
    let t = fold(&[
        message("$o", "@a:b", 1, "x"),
        edit("$b", "@a:b", 5, "$o", "from b"),
        edit("$a", "@a:b", 5, "$o", "from a"),
    ]);
    assert_eq!(only(&t).rendering.text, "from b");
}

#[test]
fn an_edit_keeps_the_originals_relation() {
    // The spec's "Edits of replies": the edit has no m.in_reply_to; the original's is kept.
    let reply = event(
        r#"{"type": "m.room.message", "event_id": "$r", "sender": "@a:b", "origin_server_ts": 2,
            "content": {"msgtype": "m.text", "body": "> <@c:d> question\n\nanswer",
                        "m.relates_to": {"m.in_reply_to": {"event_id": "$q"}}}}"#,
    );
    let t = fold(&[reply, edit("$e", "@a:b", 3, "$r", "better answer")]);
    let item = only(&t);
    assert_eq!(item.rendering.text, "better answer");
    assert_eq!(item.in_reply_to.as_deref(), Some("$q"));
}

#[test]
fn a_replys_fallback_is_stripped() {
    // The spec's fallback format for m.text replies.
    let reply = event(
        r#"{"type": "m.room.message", "event_id": "$r", "sender": "@bob:example.org", "origin_server_ts": 2,
            "content": {"msgtype": "m.text",
                "body": "> <@alice:example.org> This is the original body\n\nThis is where the reply goes",
                "format": "org.matrix.custom.html",
                "formatted_body": "<mx-reply><blockquote><a href=\"https://matrix.to/#/!somewhere:example.org/$event:example.org\">In reply to</a> <a href=\"https://matrix.to/#/@alice:example.org\">@alice:example.org</a><br />This is the original body</blockquote></mx-reply>This is where the reply goes.",
                "m.relates_to": {"m.in_reply_to": {"event_id": "$event:example.org"}}}}"#,
    );
    let t = fold(&[
        message(
            "$event:example.org",
            "@alice:example.org",
            1,
            "This is the original body",
        ),
        reply,
    ]);
    let item = &t.items()[1];
    assert_eq!(item.rendering.text, "This is where the reply goes");
    assert_eq!(
        item.rendering.html.as_deref(),
        Some("This is where the reply goes.")
    );
    assert_eq!(item.in_reply_to.as_deref(), Some("$event:example.org"));
    assert!(
        item.rendering
            .text_source
            .as_ref()
            .unwrap()
            .reply_fallback_stripped
    );
}

#[test]
fn the_specs_threading_example_gives_thread_roots() {
    // The spec's worked example (client-server API, "Threading").
    let events = [
        event(
            r#"{"type": "m.room.message", "event_id": "$alice_hello", "sender": "@alice:example.org",
                "content": {"msgtype": "m.text", "body": "Hello world! How are you?"}}"#,
        ),
        event(
            r#"{"type": "m.room.message", "event_id": "$bob_hello", "sender": "@bob:example.org",
                "content": {"m.relates_to": {"rel_type": "m.thread", "event_id": "$alice_hello"},
                            "msgtype": "m.text", "body": "I'm doing okay, thank you! How about yourself?"}}"#,
        ),
        event(
            r#"{"type": "m.room.message", "event_id": "$alice_reply", "sender": "@alice:example.org",
                "content": {"m.relates_to": {"rel_type": "m.thread", "event_id": "$alice_hello"},
                            "msgtype": "m.text", "body": "I'm doing great! Thanks for asking."}}"#,
        ),
    ];
    let t = fold(&events);
    let roots: Vec<Option<&str>> = t.items().iter().map(|i| i.thread_root.as_deref()).collect();
    assert_eq!(roots, [None, Some("$alice_hello"), Some("$alice_hello")]);
    let summary = t.item("$alice_hello").unwrap().thread.clone().unwrap();
    assert_eq!(summary.count, 2);
    assert!(summary.latest.is_some());
    // The fallback for unthreaded clients is no reply.
    let fallback = event(
        r#"{"type": "m.room.message", "event_id": "$f", "sender": "@bob:example.org",
            "content": {"msgtype": "m.text", "body": "threaded",
                "m.relates_to": {"rel_type": "m.thread", "event_id": "$alice_hello",
                    "m.in_reply_to": {"event_id": "$alice_reply"}, "is_falling_back": true}}}"#,
    );
    let mut t = fold(&events);
    t.push(fallback);
    let item = t.item("$f").unwrap();
    assert_eq!(item.thread_root.as_deref(), Some("$alice_hello"));
    assert_eq!(item.in_reply_to, None);
}

#[test]
fn the_specs_reaction_is_counted_on_its_target() {
    let reaction = spec_event("m.reaction");
    let target = message("$some_event_id", "@alice:example.org", 1, "react to me");
    for events in [
        [target.clone(), reaction.clone()],
        [reaction.clone(), target.clone()],
    ] {
        let t = fold(&events);
        let item = only(&t);
        assert_eq!(item.reactions["👍"].count(), 1);
        assert!(
            item.reactions["👍"]
                .senders
                .contains("@example:example.org")
        );
        assert_eq!(
            item.to_value().get("reactions"),
            Some(&event_value(r#"{"👍": 1}"#))
        );
    }
    // The same sender twice counts once; another sender counts; a redacted one does not.
    let again = with(reaction.clone(), "event_id", "$again");
    let other = with(
        with(reaction.clone(), "event_id", "$other"),
        "sender",
        "@bob:example.org",
    );
    let gone = with(
        with(reaction, "event_id", "$gone"),
        "sender",
        "@carol:example.org",
    );
    let redaction = event(
        r#"{"type": "m.room.redaction", "event_id": "$red", "sender": "@carol:example.org",
            "content": {"redacts": "$gone"}}"#,
    );
    let t = fold(&[target, again, other, gone, redaction]);
    assert_eq!(only(&t).reactions["👍"].count(), 2);
}

fn event_value(json: &str) -> Value {
    exev_codec::json::value_from_slice(json.as_bytes(), &exev_codec::Options::default()).unwrap()
}

#[test]
fn the_specs_redaction_hides_its_target() {
    let redaction = spec_event("m.room.redaction");
    let target = message(
        "$fukweghifu23:localhost",
        "@example:example.org",
        1,
        "spam spam spam",
    );
    let reaction = event(
        r#"{"type": "m.reaction", "event_id": "$r", "sender": "@b:c",
            "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$fukweghifu23:localhost", "key": "👍"}}}"#,
    );
    for events in [
        vec![target.clone(), reaction.clone(), redaction.clone()],
        vec![redaction.clone(), target.clone(), reaction.clone()],
    ] {
        let t = fold(&events);
        let item = only(&t);
        assert!(item.redacted);
        assert_eq!(
            item.redacted_by.as_deref(),
            Some("$143273582443PhrSn:example.org")
        );
        assert_eq!(item.rendering.text, "");
        assert!(
            item.reactions.is_empty(),
            "reactions go with the redacted event"
        );
        assert!(!item.edited);
    }
    // Room versions before 11 send `redacts` at the top level.
    let old = event(
        r#"{"type": "m.room.redaction", "event_id": "$x", "redacts": "$fukweghifu23:localhost", "content": {}}"#,
    );
    assert!(only(&fold(&[target, old])).redacted);
}

#[test]
fn votes_count_each_senders_latest() {
    let examples = msc_canonical();
    let get = |name: &str| examples.iter().find(|(n, _)| n == name).unwrap().1.clone();
    // V13's poll, started by Alice; V14-style votes: Bob twice, Carol once.
    let start = with(
        with(get("V13"), "event_id", "$poll_start_event_id"),
        "origin_server_ts",
        1,
    );
    let vote = |id: &str, sender: &str, ts: i64, answer: &str| {
        let mut v = get("V14");
        v.set_field("event_id", Value::from(id));
        v.set_field("sender", Value::from(sender));
        v.set_field("origin_server_ts", Value::Integer(ts));
        v.content_mut()
            .insert_raw("m.selections", Value::Array(vec![Value::from(answer)]));
        v
    };
    let events = [
        start.clone(),
        vote("$v1", "@bob:example.org", 10, "pizza"),
        vote("$v2", "@carol:example.org", 11, "poutine"),
        vote("$v3", "@bob:example.org", 12, "poutine"),
    ];
    let mut reversed = events.clone();
    reversed.reverse();
    for order in [events.to_vec(), reversed.to_vec()] {
        let t = fold(&order);
        let item = only(&t);
        let poll = item.poll.as_ref().unwrap();
        assert_eq!(poll.votes("poutine"), 2);
        assert_eq!(poll.votes("pizza"), 0, "Bob's first vote was replaced");
        assert_eq!(poll.voters, 2);
        assert!(!poll.closed);
        assert!(poll.results_text().contains("Poutine 🍟: 2 votes"));
        assert_eq!(
            item.to_value().get("poll").and_then(|p| p.get("answers")),
            Some(&event_value(
                r#"{"italian": 0, "pizza": 0, "poutine": 2, "wings": 0}"#
            ))
        );
    }
    // V15's end, from the poll's sender, closes it: later votes do not count; an end from
    // someone else does not close it.
    let end = with(
        with(with(get("V15"), "event_id", "$end"), "origin_server_ts", 13),
        "sender",
        "@alice:example.org",
    );
    let fake_end = with(
        with(end.clone(), "event_id", "$fake"),
        "sender",
        "@bob:example.org",
    );
    let late = vote("$v4", "@carol:example.org", 14, "wings");
    let t = fold(&[events.to_vec(), vec![fake_end.clone(), late.clone()]].concat());
    assert!(
        !t.item("$poll_start_event_id")
            .unwrap()
            .poll
            .as_ref()
            .unwrap()
            .closed
    );
    let t = fold(&[events.to_vec(), vec![end, fake_end, late]].concat());
    let poll = t
        .item("$poll_start_event_id")
        .unwrap()
        .poll
        .clone()
        .unwrap();
    assert!(poll.closed);
    assert_eq!(poll.closed_by.as_deref(), Some("$end"));
    assert_eq!((poll.votes("poutine"), poll.votes("wings")), (2, 0));
    // A spoiled vote (an unknown answer) counts for nothing, and replaces the earlier one.
    let t = fold(
        &[
            events.to_vec(),
            vec![vote("$v5", "@bob:example.org", 13, "sushi")],
        ]
        .concat(),
    );
    let poll = t
        .item("$poll_start_event_id")
        .unwrap()
        .poll
        .clone()
        .unwrap();
    assert_eq!((poll.votes("poutine"), poll.spoiled), (1, 1));
}

#[test]
fn hidden_events_are_not_items_and_duplicates_are_ignored() {
    let mut t = timeline();
    let m = message("$m", "@a:b", 1, "hi");
    assert_eq!(t.push(m.clone()), Pushed::Item(0));
    assert_eq!(t.push(m), Pushed::Duplicate);
    let response = msc_canonical()
        .into_iter()
        .find(|(n, _)| n == "V14")
        .unwrap()
        .1;
    assert!(matches!(t.push(response), Pushed::Pending { .. }));
    assert_eq!(t.items().len(), 1);
}

#[test]
fn encrypted_events_wait_for_decryption() {
    let encrypted = spec_event("m.room.encrypted+megolm");
    let mut t = timeline();
    t.push(encrypted.clone());
    assert_eq!(
        only(&t).rendering.outcome,
        exev_registry::Outcome::Encrypted
    );
    // The client decrypts it and pushes the event again, decrypted.
    let mut decrypted = message(
        "$143273582443PhrSn:example.org",
        "@example:example.org",
        1,
        "secret",
    );
    decrypted.set_field("room_id", Value::from("!jEsUZKDJdhlrceRyVU:example.org"));
    assert_eq!(t.push(decrypted), Pushed::Decrypted);
    assert_eq!(only(&t).rendering.text, "secret");
}

#[test]
fn redacting_an_edit_reverts_it_and_encrypted_edits_mark_encrypted_originals() {
    let original = message("$o", "@a:b", 1, "first");
    let e1 = edit("$e1", "@a:b", 2, "$o", "second");
    let e2 = edit("$e2", "@a:b", 3, "$o", "third");
    let undo = event(
        r#"{"type": "m.room.redaction", "event_id": "$u", "sender": "@a:b", "content": {"redacts": "$e2"}}"#,
    );
    let t = fold(&[original, e1, e2, undo]);
    let item = only(&t);
    assert_eq!(item.rendering.text, "second");
    assert_eq!(item.latest_edit.as_deref(), Some("$e1"));

    // The spec's "Editing encrypted events": the relation in the clear, the rest encrypted.
    let original = with(spec_event("m.room.encrypted+megolm"), "event_id", "$enc");
    let encrypted_edit = event(
        r#"{"type": "m.room.encrypted", "event_id": "$ee", "sender": "@example:example.org", "origin_server_ts": 2,
            "content": {"m.relates_to": {"rel_type": "m.replace", "event_id": "$enc"},
                        "algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "..."}}"#,
    );
    let t = fold(&[original, encrypted_edit]);
    let item = only(&t);
    assert!(item.edited);
    assert_eq!(item.rendering.outcome, exev_registry::Outcome::Encrypted);
}
