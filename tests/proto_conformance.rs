//! The Protobuf codec over the external vectors and hostile input: every MSC example goes
//! JSON → Protobuf → JSON to identical canonical JSON, and no input (truncations, wrong wire
//! types, invalid UTF-8, over-long varints, huge lengths, deep nesting, random bytes up to
//! 1 MiB) panics or is accepted when it should not be; every error has a byte offset.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    // Varints and random bytes are built by truncating casts on purpose.
    clippy::cast_possible_truncation
)]

mod common;

use exev::generate::SplitMix64;
use exev::{KnownBlock, Value};
use exev_codec::oracle::{self, Verdict};
use exev_codec::{Category, ErrorKind, Options, Position, json, proto};

fn msc_events() -> Vec<(String, exev::Event)> {
    common::msc_canonical()
        .into_iter()
        .map(|(name, bytes)| {
            let event = json::from_slice(common::trim_newline(&bytes))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, event)
        })
        .collect()
}

#[test]
fn every_msc_example_round_trips_to_identical_canonical_json() {
    for (name, bytes) in common::msc_canonical() {
        let canonical = common::trim_newline(&bytes);
        let event = json::from_slice(canonical).unwrap();
        let wire = proto::to_vec(&event);
        let back = proto::from_slice(&wire).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(json::to_vec(&back), canonical, "{name}");
        assert_eq!(proto::to_vec(&back), wire, "{name}: deterministic");
        assert!(
            matches!(oracle::proto(&wire), Ok(Verdict::Accepted)),
            "{name}"
        );
    }
}

#[test]
fn msc_examples_carry_their_stable_shaped_blocks_typed() {
    let mut typed = 0;
    let mut generic = 0;
    for (name, event) in msc_events() {
        for entry in event.content().blocks() {
            if proto::is_typed(entry.name, entry.value) {
                typed += 1;
                // Typed means: a built-in block that reads typed and writes back the same value.
                let (kind, _) = KnownBlock::from_name(entry.name).unwrap();
                let read = exev::AnyBlock::read(kind, entry.name, entry.value).unwrap();
                assert_eq!(&read.to_value(), entry.value, "{name} {}", entry.name);
            } else {
                generic += 1;
            }
        }
    }
    eprintln!("MSC examples: {typed} blocks typed, {generic} generic");
    assert!(typed > 40, "{typed} typed, {generic} generic");
}

#[test]
fn lossless_for_everything_the_model_keeps() {
    let cases = [
        // Unknown event type, unknown block, unknown members in known blocks.
        r#"{"content":{"m.file":{"org.x":{"deep":[1,2,{"a":null}]},"url":"mxc://a/b"},"m.text":[{"body":"a","x":[]}],"org.example.custom":{"n":-9007199254740991}},"type":"org.example.thing"}"#,
        // Malformed known blocks.
        r#"{"content":{"m.file":{"size":"12","url":5},"m.image_details":{"height":1},"m.poll":{"answers":[{"m.id":3}]},"m.text":"plain","m.ts":"now"},"type":"m.image"}"#,
        // Unstable and obsolete names, stable+unstable pairs, older shapes.
        r#"{"content":{"m.text":[{"body":"s"}],"org.matrix.msc1767.audio":{"duration":2500,"waveform":[1024]},"org.matrix.msc1767.html":"<b>h</b>","org.matrix.msc1767.text":"u","org.matrix.msc3381.poll.start":{"answers":[{"id":"p","org.matrix.msc1767.text":"P"}],"kind":"org.matrix.msc3381.poll.disclosed","question":{"org.matrix.msc1767.text":"Q"}}},"type":"org.matrix.msc3381.poll.start"}"#,
        // Every JSON type at the top level and in unsigned; a type that clashes with nothing.
        r#"{"content":{},"event_id":7,"origin_server_ts":1,"room_id":null,"sender":"@a:b","state_key":"","type":"m.room.topic","unsigned":{"age":"old","transaction_id":"t","x":true}}"#,
        // Empty strings, empty containers, Unicode.
        r#"{"content":{"":{"":""},"m.mentions":{},"m.selections":[],"m.text":[],"m.thumbnail":[],"😀":["é","\u0000"]},"type":""}"#,
        // Encrypted file members, poll results, relations.
        r#"{"content":{"m.file":{"hashes":{"sha256":"h"},"iv":"i","key":{"k":"x","kty":"oct"},"url":"mxc://a/b","v":"v2"},"m.poll.results":{"a":1,"b":"x"},"m.relates_to":{"is_falling_back":true,"m.in_reply_to":{"event_id":"$e","x":1},"rel_type":"m.thread"}},"type":"m.file"}"#,
    ];
    for case in cases {
        let event = json::from_str(case).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(String::from_utf8(json::to_vec(&event)).unwrap(), case);
        let back = proto::from_slice(&proto::to_vec(&event)).unwrap();
        assert_eq!(String::from_utf8(json::to_vec(&back)).unwrap(), case);
        oracle::proto_event(&event).unwrap();
    }
}

#[test]
fn integers_are_exact_and_strictness_matches_json() {
    let event = json::from_str(
        r#"{"type":"m.x","content":{"m.ts":9007199254740991,"n":[-9007199254740991,0,-1]}}"#,
    )
    .unwrap();
    assert_eq!(proto::from_slice(&proto::to_vec(&event)).unwrap(), event);
    // Lenient numbers travel as their literal; strict decoding refuses them.
    let lenient = Options::default().numbers(exev_codec::NumberPolicy::Lenient);
    let event = json::from_slice_with(
        br#"{"type":"m.x","content":{"f":1.5,"b":9007199254740993}}"#,
        &lenient,
    )
    .unwrap();
    let wire = proto::to_vec(&event);
    assert_eq!(proto::from_slice_with(&wire, &lenient).unwrap(), event);
    let err = proto::from_slice(&wire).unwrap_err();
    assert_eq!(err.category(), Category::DataModel);
    assert!(err.path().to_string().starts_with("content"), "{err}");
}

/// A minimal event message: `custom_type` "m.x", then `extra` bytes appended.
fn message(extra: &[u8]) -> Vec<u8> {
    let mut m = vec![0x12, 0x03, b'm', b'.', b'x'];
    m.extend_from_slice(extra);
    m
}

fn rejected(bytes: &[u8]) -> exev_codec::Error {
    let err = proto::from_slice(bytes).expect_err("must be rejected");
    assert!(err.position().is_some(), "{err}");
    assert!(!err.to_string().contains('\n'));
    err
}

#[test]
fn malformed_wire_data_is_an_error_with_an_offset() {
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
    // Over-long varint (11 continuation bytes) as a tag and as a value.
    rejected(&[0xff; 11]);
    rejected(&message(&[
        0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]));
    // Huge length prefix inside the message: truncated, no allocation.
    let e = rejected(&message(&[
        0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ]));
    assert!(matches!(e.kind(), ErrorKind::UnexpectedEnd { .. }), "{e}");
    assert_eq!(e.position(), Some(Position::Binary { offset: 6 }));
    // Schema rules: a Value with no kind, an unknown BlockName, an event without a type.
    let e = rejected(&message(&[0x1a, 0x05, 0x12, 0x01, b'n', 0x1a, 0x00]));
    assert_eq!(
        e.to_string(),
        r#"a Value with no kind set at content.n (byte 12)"#
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
}

#[test]
fn truncations_of_valid_encodings_are_errors_never_panics() {
    for (name, event) in msc_events() {
        let wire = proto::to_vec(&event);
        for end in 0..wire.len() {
            // A prefix may happen to be a valid, shorter event; if not, it is an error.
            match oracle::proto(&wire[..end]) {
                Ok(_) => {}
                Err(bug) => panic!("{name}[..{end}]: {bug}"),
            }
        }
        let delimited = proto::to_vec_delimited(&event);
        for end in 1..delimited.len() {
            let mut s = proto::StreamReader::new(&delimited[..end], Options::default());
            let err = s.next_event().expect_err("a cut message");
            assert!(err.position().is_some());
        }
    }
}

/// `depth` nested arrays as a generic block, one level of messages each.
fn nested(depth: usize) -> Vec<u8> {
    // Value { array_value {}, items: [inner] }, innermost Value { null_value: 0 }.
    let mut v = vec![0x08, 0x00];
    for _ in 0..depth {
        let mut outer = vec![0x2a, 0x00, 0x42];
        push_varint(&mut outer, v.len() as u64);
        outer.extend_from_slice(&v);
        v = outer;
    }
    let mut block = vec![0x12, 0x01, b'x', 0x1a];
    push_varint(&mut block, v.len() as u64);
    block.extend_from_slice(&v);
    let mut extra = vec![0x1a];
    push_varint(&mut extra, block.len() as u64);
    extra.extend_from_slice(&block);
    message(&extra)
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

#[test]
fn depth_limits() {
    // The block value is level 3: 62 arrays reach the default limit of 64, 63 pass it.
    assert!(proto::from_slice(&nested(62)).is_ok());
    let e = rejected(&nested(63));
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 64 });
    // Past prost's recursion limit, and far past it, in a 2 MiB thread: an error.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let options = Options::default().max_depth(512).max_bytes(1 << 20);
            // `nested(n)` is JSON depth n + 2.
            let ok = proto::from_slice_with(&nested(proto::MAX_WIRE_DEPTH - 2), &options);
            assert!(ok.is_ok(), "{ok:?}");
            for depth in [proto::MAX_WIRE_DEPTH, 200, 100_000] {
                let e = proto::from_slice_with(&nested(depth), &options).unwrap_err();
                assert_eq!(e.category(), Category::Limit, "{depth}: {e}");
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn limits_are_enforced_at_the_limit_and_one_past_it() {
    let event = json::from_str(
        r#"{"type":"m.x","content":{"m.text":[{"body":"abcd"}],"s":["abcd","ef"],"o":{"a":1,"b":2,"c":3}}}"#,
    )
    .unwrap();
    let wire = proto::to_vec(&event);
    let ok = |o: Options| proto::from_slice_with(&wire, &o);
    assert!(ok(Options::default().max_bytes(wire.len())).is_ok());
    let e = ok(Options::default().max_bytes(wire.len() - 1)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TooLarge { .. }));
    assert_eq!(
        e.position(),
        Some(Position::Binary {
            offset: wire.len() - 1
        })
    );
    assert!(ok(Options::default().max_string_bytes(4)).is_ok());
    let e = ok(Options::default().max_string_bytes(3)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::StringTooLong { limit: 3 });
    assert!(ok(Options::default().max_elements(3)).is_ok());
    let e = ok(Options::default().max_elements(2)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 2 });
    // Depth: the text representation objects are level 4.
    assert!(ok(Options::default().max_depth(4)).is_ok());
    let e = ok(Options::default().max_depth(3)).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 3 });
    assert_eq!(e.path().to_string(), r#"content["m.text"][0]"#);
}

#[test]
fn random_bytes_and_mutations_never_panic() {
    let mut rng = SplitMix64::new(0x0070_7274);
    let valid: Vec<Vec<u8>> = msc_events().iter().map(|(_, e)| proto::to_vec(e)).collect();
    for round in 0..20_000 {
        let bytes: Vec<u8> = if round % 2 == 0 {
            let len = rng.below(300) as usize;
            (0..len).map(|_| rng.next_u64() as u8).collect()
        } else {
            let mut b = valid[rng.below(valid.len() as u64) as usize].clone();
            for _ in 0..=rng.below(3) {
                let i = rng.below(b.len() as u64) as usize;
                b[i] = rng.next_u64() as u8;
            }
            b
        };
        if let Err(bug) = oracle::proto(&bytes) {
            panic!("{bytes:02x?}: {bug}");
        }
    }
    // Large inputs up to 1 MiB, with the size limit raised to let them in.
    let options = Options::default().max_bytes(1 << 20);
    for len in [1 << 16, 1 << 18, 1 << 20] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        let _ = proto::from_slice_with(&bytes, &options);
        // A message repeated to fill the size: accepted or refused, never a panic.
        let one = proto::to_vec(&msc_events()[0].1);
        let many: Vec<u8> = one.iter().copied().cycle().take(len).collect();
        let _ = proto::from_slice_with(&many, &options);
    }
    assert!(proto::from_slice(&vec![0u8; (1 << 20) + 1]).is_err());
}

#[test]
fn auto_detection_bytes_are_disjoint_from_json_and_cbor() {
    for (_, event) in msc_events() {
        assert!(proto::looks_like_event(&proto::to_vec(&event)));
        assert!(!proto::looks_like_event(&json::to_vec(&event)));
    }
    for b in [b'{', b' ', b'\t', b'\n', b'\r', b'['] {
        assert!(!proto::looks_like_event(&[b]));
    }
    for b in 0xa0..=0xbf {
        assert!(!proto::looks_like_event(&[b]));
    }
    let _ = Value::Null;
}

#[test]
fn encoding_the_deepest_events_the_model_allows_does_not_overflow_the_stack() {
    // JSON accepts up to MAX_DEPTH_CEILING (512) levels when asked; Protobuf encodes such an
    // event on a 2 MiB test thread, and its decoder refuses it past MAX_WIRE_DEPTH.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let depth = exev_codec::MAX_DEPTH_CEILING - 2;
            let text = format!(
                r#"{{"type":"x","content":{{"x":{}{}}}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let options = Options::default().max_depth(exev_codec::MAX_DEPTH_CEILING);
            let event = json::from_slice_with(text.as_bytes(), &options).unwrap();
            let wire = proto::to_vec(&event);
            let e = proto::from_slice_with(&wire, &options.max_bytes(1 << 20)).unwrap_err();
            assert_eq!(
                e.kind(),
                &ErrorKind::TooDeep {
                    limit: proto::MAX_WIRE_DEPTH
                }
            );
            assert!(oracle::proto_event(&event).is_ok());
        })
        .unwrap()
        .join()
        .unwrap();
}
