//! The top level of an event in every codec: `type` and `content` are read aside from the
//! other members (so the event is built without taking them out of a map again), yet they
//! count as members for the element limit, a second one is a duplicate key, and the errors
//! about them stay where they were.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev::{Event, Value};
use exev_codec::{ErrorKind, Options, Position, cbor, json, proto};

/// The JSON text of an event with `n` other top-level members.
fn with_members(n: usize) -> String {
    let members: String = (0..n).map(|i| format!(",\"k{i}\":{i}")).collect();
    format!(r#"{{"type":"m.x","content":{{"m.text":[{{"body":"hi"}}]}}{members}}}"#)
}

#[test]
fn type_and_content_count_toward_the_element_limit_in_every_codec() {
    // `type`, `content` and one more member: three at the limit, four one past it.
    let options = Options::default().max_elements(3);
    let at_limit = with_members(1);
    let past = with_members(2);
    let event = json::from_str(&at_limit).unwrap();
    let past_event = json::from_str(&past).unwrap();

    assert_eq!(
        json::from_slice_with(at_limit.as_bytes(), &options).unwrap(),
        event
    );
    let e = json::from_slice_with(past.as_bytes(), &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });

    let cbor_at = cbor::to_vec(&event).unwrap();
    let cbor_past = cbor::to_vec(&past_event).unwrap();
    assert_eq!(cbor::from_slice_with(&cbor_at, &options).unwrap(), event);
    let e = cbor::from_slice_with(&cbor_past, &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });

    let proto_at = proto::to_vec(&event);
    let proto_past = proto::to_vec(&past_event);
    assert_eq!(proto::from_slice_with(&proto_at, &options).unwrap(), event);
    let e = proto::from_slice_with(&proto_past, &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });
}

/// An indefinite-length CBOR map of `type`, `content` and `others` more members.
fn indefinite_cbor_event(others: usize) -> Vec<u8> {
    let mut out = vec![0xbf];
    // "type": "m.x"
    out.extend_from_slice(&[0x64, b't', b'y', b'p', b'e', 0x63, b'm', b'.', b'x']);
    // "content": {}
    out.extend_from_slice(&[0x67, b'c', b'o', b'n', b't', b'e', b'n', b't', 0xa0]);
    for i in 0..others {
        out.extend_from_slice(&[0x61, b'a' + u8::try_from(i).unwrap(), 0x01]);
    }
    out.push(0xff);
    out
}

#[test]
fn cbor_indefinite_maps_count_type_and_content_as_they_come() {
    let options = Options::default().max_elements(3);
    let event = cbor::from_slice_with(&indefinite_cbor_event(1), &options).unwrap();
    assert_eq!(event.event_type(), "m.x");
    assert_eq!(event.field("a"), Some(&Value::Integer(1)));
    let past = indefinite_cbor_event(2);
    let e = cbor::from_slice_with(&past, &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });
    // At the fourth key: after the head, `type` (9 bytes), `content` (9) and `a` (3).
    assert_eq!(e.position(), Some(Position::Binary { offset: 22 }));
}

#[test]
fn a_second_type_or_content_is_a_duplicate_key() {
    for (text, key, column) in [
        (r#"{"type":"a","content":{},"type":"b"}"#, "type", 26),
        (r#"{"content":{},"type":"a","content":{}}"#, "content", 26),
    ] {
        let e = json::from_str(text).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::DuplicateKey(key.into()), "{text}");
        assert_eq!(e.path().to_string(), key);
        assert!(
            matches!(e.position(), Some(Position::Text { column: c, .. }) if c == column),
            "{text}: {e}"
        );
    }
    // CBOR: {"type": "a", "content": {}, "type": "b"}; the second key is at byte 20.
    let mut bytes = vec![0xa3, 0x64, b't', b'y', b'p', b'e', 0x61, b'a'];
    bytes.extend_from_slice(&[0x67, b'c', b'o', b'n', b't', b'e', b'n', b't', 0xa0]);
    bytes.extend_from_slice(&[0x64, b't', b'y', b'p', b'e', 0x61, b'b']);
    let e = cbor::from_slice(&bytes).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey("type".into()));
    assert_eq!(e.path().to_string(), "type");
    assert_eq!(e.position(), Some(Position::Binary { offset: 17 }));
}

#[test]
fn other_members_may_not_be_named_type_or_content_in_protobuf() {
    // `Event.members` (field 15) carrying a member `type` or `content`: built by hand, as
    // exev never writes one.
    let event = json::from_str(r#"{"type":"m.x","content":{}}"#).unwrap();
    let base = proto::to_vec(&event);
    for key in ["type", "content"] {
        let mut member = vec![0x0a, u8::try_from(key.len()).unwrap()];
        member.extend_from_slice(key.as_bytes());
        // value: Value { integer_value: 1 } (zigzag 2)
        member.extend_from_slice(&[0x12, 0x02, 0x18, 0x02]);
        let mut bytes = base.clone();
        bytes.push(15 << 3 | 2);
        bytes.push(u8::try_from(member.len()).unwrap());
        bytes.extend_from_slice(&member);
        let e = proto::from_slice(&bytes).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::DuplicateKey(key.into()), "{key}");
        assert_eq!(e.path().to_string(), key);
    }
}

#[test]
fn event_shape_errors_are_unchanged_in_cbor() {
    let encode = |text: &str| {
        cbor::value_to_vec(&json::value_from_slice(text.as_bytes(), &Options::default()).unwrap())
            .unwrap()
    };
    for (text, message) in [
        (
            r#"{"type":1,"content":{}}"#,
            "`type` must be a string, found integer",
        ),
        (r#"{"content":{}}"#, "an event needs a `type` member"),
        (r#"{"type":"x"}"#, "an event needs a `content` member"),
        (
            r#"{"type":"x","content":[]}"#,
            "`content` must be an object, found array",
        ),
        (r#"[]"#, "an event must be a JSON object, found array"),
    ] {
        let e = cbor::from_slice(&encode(text)).unwrap_err();
        assert!(e.to_string().contains(message), "{text}: {e}");
        let e = json::from_str(text).unwrap_err();
        assert!(e.to_string().contains(message), "{text}: {e}");
    }
}

#[test]
fn from_parts_refuses_type_or_content_among_the_other_members() {
    let mut other = exev::Object::new();
    other.insert("type".to_owned(), Value::from("m.y"));
    let e = Event::from_parts("m.x".to_owned(), exev::Content::new(), other).unwrap_err();
    assert_eq!(e, exev::EventError::Duplicate("type"));
    assert_eq!(e.path().to_string(), "type");
    assert_eq!(
        e.to_string(),
        "`type` given twice: as the event's own and as another member"
    );
}
