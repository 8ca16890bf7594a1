//! What is Protobuf's own: the wire format's errors at their byte, duplicate fields and keys,
//! the nesting other runtimes can read, and which blocks ride as typed messages. (Reading
//! what protoc and rust-protobuf write, and being read by them, is `proto-interop`'s.)

use exev::Event;
use exev_codec::oracle::{self, Verdict};
use exev_codec::{Category, ErrorKind, Format, Options, Position, proto};

use crate::common::{event, msc_events, on_small_stack};
use crate::suite::check_error;

/// A minimal event message: `custom_type` "m.x", then `extra` bytes appended.
fn message(extra: &[u8]) -> Vec<u8> {
    let mut m = vec![0x12, 0x03, b'm', b'.', b'x'];
    m.extend_from_slice(extra);
    m
}

fn rejected(bytes: &[u8]) -> exev_codec::Error {
    let err = proto::from_slice(bytes).expect_err("must be rejected");
    check_error(Format::Proto, &err);
    err
}

#[test]
fn malformed_wire_data_is_an_error_at_its_byte() {
    assert!(proto::from_slice(&message(&[])).is_ok());
    // Wrong wire type: `content` (field 3) as a varint.
    let e = rejected(&message(&[0x18, 0x01]));
    assert_eq!(e.category(), Category::Syntax, "{e}");
    assert_eq!(e.position(), Some(Position::Binary { offset: 5 }));
    // Invalid UTF-8 in a string.
    let e = rejected(&[0x12, 0x02, 0xC3, 0x28]);
    assert_eq!(e.kind(), &ErrorKind::InvalidUtf8);
    assert_eq!(e.position(), Some(Position::Binary { offset: 2 }));
    assert_eq!(e.path().to_string(), "type");
    // Over-long varint (11 continuation bytes) as a key and as a value.
    rejected(&[0xff; 11]);
    rejected(&message(&[
        0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]));
    // A huge length inside the message: truncated, at the length, nothing allocated.
    let e = rejected(&message(&[
        0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ]));
    assert_eq!(e.category(), Category::Eof, "{e}");
    assert_eq!(e.position(), Some(Position::Binary { offset: 6 }));
    // The schema's rules: a Value with no kind, an unknown BlockName, no type.
    let e = rejected(&message(&[0x1a, 0x05, 0x12, 0x01, b'n', 0x1a, 0x00]));
    assert_eq!(
        e.to_string(),
        "a Value with no kind set at content.n (byte 12)"
    );
    let e = rejected(&message(&[0x1a, 0x04, 0x08, 0x7f, 0x60, 0x01]));
    assert!(e.to_string().contains("BlockName"), "{e}");
    assert_eq!(e.position(), Some(Position::Binary { offset: 7 }));
    let e = rejected(&[0x1a, 0x00]);
    assert_eq!(e.to_string(), "a Block without a name at content (byte 2)");
    let e = rejected(&[]);
    assert_eq!(e.to_string(), "an Event without a type at $ (byte 0)");
    // A singular field given twice.
    let e = rejected(&message(&[0x2a, 0x01, b'a', 0x2a, 0x01, b'b']));
    assert!(e.to_string().contains("given twice"), "{e}");
    assert_eq!(e.position(), Some(Position::Binary { offset: 8 }));
    // Groups and the invalid wire types 6 and 7.
    for key in [0x7b, 0x7c, 0x7e, 0x7f] {
        rejected(&message(&[key, 0x00]));
    }
}

#[test]
fn duplicates_are_refused() {
    // Two blocks named "m.ts" (BlockName 30), each `ts` 1.
    let block = [0x1a, 0x05, 0x08, 0x1e, 0x88, 0x01, 0x02];
    let mut bytes = message(&block);
    assert!(proto::from_slice(&bytes).is_ok());
    bytes.extend_from_slice(&block);
    let e = rejected(&bytes);
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey("m.ts".into()));
    assert_eq!(e.path().to_string(), r#"content["m.ts"]"#);
    assert_eq!(e.position(), Some(Position::Binary { offset: 12 }));
    // Duplicate keys in a generic object.
    let object = [
        0x1a, 0x15, 0x12, 0x01, b'o', 0x1a, 0x10, 0x32, 0x00, 0x42, 0x02, 0x08, 0x00, 0x42, 0x02,
        0x08, 0x00, 0x4a, 0x01, b'k', 0x4a, 0x01, b'k',
    ];
    let e = rejected(&message(&object));
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey("k".into()));
    // `Event.other` (field 15) holding a member named `type` or `content`, built by hand as
    // exev never writes one.
    let base = proto::to_vec(&event(r#"{"type":"m.x","content":{}}"#)).unwrap();
    for key in ["type", "content"] {
        let mut member = vec![0x0a, u8::try_from(key.len()).unwrap()];
        member.extend_from_slice(key.as_bytes());
        member.extend_from_slice(&[0x12, 0x02, 0x18, 0x02]);
        let mut bytes = base.clone();
        bytes.push(15 << 3 | 2);
        bytes.push(u8::try_from(member.len()).unwrap());
        bytes.extend_from_slice(&member);
        let e = rejected(&bytes);
        assert_eq!(e.kind(), &ErrorKind::DuplicateKey(key.into()), "{key}");
        assert_eq!(e.path().to_string(), key);
    }
}

/// The body field of each content block in an `exev.v1.Event` message, read off the wire:
/// (block name as written, body field number).
fn block_bodies(bytes: &[u8]) -> Vec<u64> {
    fn varint(bytes: &[u8], at: &mut usize) -> u64 {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = bytes[*at];
            *at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
        }
        value
    }
    /// The fields of a message: (number, the bytes of a length-delimited one).
    fn fields(bytes: &[u8]) -> Vec<(u64, &[u8])> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let key = varint(bytes, &mut at);
            match key & 7 {
                0 => {
                    varint(bytes, &mut at);
                    out.push((key >> 3, &bytes[at..at]));
                }
                2 => {
                    let len = usize::try_from(varint(bytes, &mut at)).unwrap();
                    out.push((key >> 3, &bytes[at..at + len]));
                    at += len;
                }
                w => panic!("wire type {w}"),
            }
        }
        out
    }
    fields(bytes)
        .into_iter()
        .filter(|(n, _)| *n == 3)
        .map(|(_, block)| {
            fields(block)
                .into_iter()
                .map(|(n, _)| n)
                .find(|n| *n >= 3)
                .unwrap()
        })
        .collect()
}

/// `is_typed` says what the encoder does: a block it calls typed is written with a typed
/// body (any `Block.body` field but the generic `value`, field 3), and every other block
/// with the generic one, as the wire shows; the MSC examples carry most blocks typed.
#[test]
fn is_typed_says_how_a_block_is_written() {
    let (mut typed, mut generic) = (0, 0);
    let mut events: Vec<Event> = msc_events().into_iter().map(|(_, e)| e).collect();
    events.extend(crate::common::generated_events(300, false));
    for e in &events {
        let bodies = block_bodies(&proto::to_vec(e).unwrap());
        assert_eq!(bodies.len(), e.content().len());
        // Blocks are written in the order of their names.
        for (entry, body) in e.content().blocks().zip(bodies) {
            let is_typed = proto::is_typed(entry.name, entry.value);
            assert_eq!(
                is_typed,
                body != 3,
                "{} written with body field {body}",
                entry.name
            );
            if is_typed {
                typed += 1;
            } else {
                generic += 1;
            }
        }
    }
    eprintln!("{typed} blocks typed, {generic} generic");
    assert!(
        typed > 300 && generic > 100,
        "{typed} typed, {generic} generic"
    );
}

/// Protobuf runtimes read 100 levels or so: the decoder refuses more than
/// `proto::MAX_WIRE_DEPTH`, at that limit, whatever the options ask; the oracle accepts the
/// refusal of a deeper event as documented, and only that refusal.
#[test]
fn nesting_stops_where_other_runtimes_stop() {
    on_small_stack(|| {
        let depth = |d: usize| {
            let mut v = exev::Value::Array(Vec::new());
            for _ in 3..d {
                v = exev::Value::Array(vec![v]);
            }
            crate::common::event_with(v)
        };
        let options = Options::default().max_depth(512).max_bytes(1 << 20);
        let at = depth(proto::MAX_WIRE_DEPTH);
        let bytes = proto::to_vec(&at).unwrap();
        assert_eq!(proto::from_slice_with(&bytes, &options).unwrap(), at);
        assert!(matches!(
            oracle::round_trip(Format::Proto, &at),
            Ok(Verdict::Accepted)
        ));
        let past = depth(proto::MAX_WIRE_DEPTH + 1);
        let e = proto::from_slice_with(&proto::to_vec(&past).unwrap(), &options).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::TooDeep {
                limit: proto::MAX_WIRE_DEPTH
            }
        );
        match oracle::round_trip(Format::Proto, &past) {
            Ok(Verdict::Rejected(e)) => {
                assert_eq!(
                    e.kind(),
                    &ErrorKind::TooDeep {
                        limit: proto::MAX_WIRE_DEPTH
                    }
                );
            }
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn integers_are_exact_and_lenient_numbers_travel_as_literals() {
    let e =
        event(r#"{"type":"m.x","content":{"m.ts":9007199254740991,"n":[-9007199254740991,0,-1]}}"#);
    assert_eq!(proto::from_slice(&proto::to_vec(&e).unwrap()).unwrap(), e);
    let lenient = Options::default().numbers(exev_codec::NumberPolicy::Lenient);
    let e = exev_codec::json::from_slice_with(
        br#"{"type":"m.x","content":{"f":1.50,"b":9007199254740993}}"#,
        &lenient,
    )
    .unwrap();
    let wire = proto::to_vec(&e).unwrap();
    assert_eq!(proto::from_slice_with(&wire, &lenient).unwrap(), e);
    let err = proto::from_slice(&wire).unwrap_err();
    assert_eq!(err.category(), Category::DataModel);
    assert!(err.path().to_string().starts_with("content"), "{err}");
}

#[test]
fn msc_examples_are_smaller_than_canonical_json() {
    for (name, e) in msc_events() {
        let wire = proto::to_vec(&e).unwrap();
        assert!(
            wire.len() < exev_codec::json::to_vec(&e).unwrap().len(),
            "{name}"
        );
    }
}
