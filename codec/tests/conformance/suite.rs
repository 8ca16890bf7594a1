//! The suite, written once: every function takes a [`Format`] and states what must hold of
//! it, through the contract's functions only (`Format`'s methods, the streams, the oracle),
//! so that it judges any implementation. `main.rs` runs each function for every format.
//!
//! What a format must be given as bytes it cannot be asked to encode (bombs deeper than the
//! model holds, length prefixes that lie) comes from the fixtures at the end, one `match` on
//! the format each; everything else is built in the model and encoded.

use exev::{Event, Object, Value};
use exev_codec::oracle::{self, Verdict};
use exev_codec::{
    Category, Error, ErrorKind, Format, MAX_DEPTH_CEILING, NumberPolicy, Options, json,
};

use crate::common::{
    Counting, Trickle, corpus_events, event, event_with, generated_events, msc_canonical,
    msc_events, on_small_stack, push_varint,
};

/// What every error must be: one line, with a position, never internal; truncation converts
/// into an `io::Error` of kind `UnexpectedEof`.
pub(crate) fn check_error(format: Format, e: &Error) {
    assert!(e.position().is_some(), "{format}: no position in {e}");
    assert!(!e.to_string().contains('\n'), "{format}: {e}");
    assert_ne!(e.category(), Category::Internal, "{format}: {e}");
    let io: std::io::Error = e.clone().into();
    let expected = match e.category() {
        Category::Eof => std::io::ErrorKind::UnexpectedEof,
        _ => std::io::ErrorKind::InvalidData,
    };
    assert_eq!(io.kind(), expected, "{format}: {e}");
}

/// Whether a format's encoding shows where an event ends (JSON's closing brace, CBOR's
/// counted items), so that every strict prefix is truncated input; a Protobuf message has no
/// end marker, and a prefix cut between two fields is a shorter message.
fn self_delimiting(format: Format) -> bool {
    format != Format::Proto
}

/// Whether lenient numbers keep their exact literal through the format (CBOR keeps their
/// value, and refuses a number that has no exact CBOR form).
fn keeps_number_literals(format: Format) -> bool {
    format != Format::Cbor
}

/// The encoding of `event`.
fn encode(format: Format, event: &Event) -> Vec<u8> {
    format
        .to_vec(event)
        .unwrap_or_else(|e| panic!("{format}: {e}"))
}

/// The expected error of `bytes` under `options`.
fn refused(format: Format, bytes: &[u8], options: &Options) -> Error {
    let e = format
        .from_slice_with(bytes, options)
        .expect_err("must be refused");
    check_error(format, &e);
    e
}

// ---------------------------------------------------------------------------------------
// Round trips.

/// Every MSC example, read from its canonical JSON (checked against `serde_json`), encodes in
/// the format, is detected as it, decodes to the same event and the same canonical JSON, and
/// re-encodes to the same bytes; the oracle finds nothing.
pub(crate) fn msc_examples_round_trip(format: Format) {
    let canonical = msc_canonical();
    for ((name, event), (_, text)) in msc_events().into_iter().zip(&canonical) {
        let bytes = encode(format, &event);
        assert_eq!(Format::detect(&bytes), Some(format), "{name}");
        let back = format
            .from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{format} {name}: {e}"));
        assert_eq!(back, event, "{format} {name}");
        assert_eq!(&json::to_vec(&back).unwrap(), text, "{format} {name}");
        assert_eq!(
            encode(format, &back),
            bytes,
            "{format} {name}: deterministic"
        );
        match oracle::decode(format, &bytes) {
            Ok(Verdict::Accepted) => {}
            other => panic!("{format} {name}: {other:?}"),
        }
    }
}

/// Generated events (every built-in block valid and malformed, unknown blocks, Unicode
/// edges, deep chains) round-trip; so do events with lenient numbers, which only a format
/// that keeps values rather than literals may refuse, and only as unencodable.
pub(crate) fn generated_events_round_trip(format: Format) {
    for (i, e) in generated_events(1_500, false).iter().enumerate() {
        match oracle::round_trip(format, e) {
            Ok(Verdict::Accepted) => {}
            other => panic!("{format} event {i}: {other:?}"),
        }
    }
    let (mut accepted, mut rejected) = (0, 0);
    for (i, e) in generated_events(600, true).iter().enumerate() {
        match oracle::round_trip(format, e) {
            Ok(Verdict::Accepted) => accepted += 1,
            Ok(Verdict::Rejected(err))
                if !keeps_number_literals(format)
                    && matches!(err.kind(), ErrorKind::Unencodable(_)) =>
            {
                rejected += 1;
            }
            other => panic!("{format} lenient event {i}: {other:?}"),
        }
    }
    assert!(accepted > 400, "{format}: {accepted} accepted");
    if !keeps_number_literals(format) {
        assert!(
            rejected > 0,
            "{format}: a number with no exact form was not tried"
        );
    }
}

/// Everything the model keeps, kept: unknown types and blocks, unknown members of known
/// blocks, malformed known blocks, unstable and obsolete names side by side, every JSON type
/// at the top level, empty strings and containers, Unicode edges.
pub(crate) fn lossless_for_everything_the_model_keeps(format: Format) {
    let cases = [
        r#"{"content":{"m.file":{"org.x":{"deep":[1,2,{"a":null}]},"url":"mxc://a/b"},"m.text":[{"body":"a","x":[]}],"org.example.custom":{"n":-9007199254740991}},"type":"org.example.thing"}"#,
        r#"{"content":{"m.file":{"size":"12","url":5},"m.image_details":{"height":1},"m.poll":{"answers":[{"m.id":3}]},"m.text":"plain","m.ts":"now"},"type":"m.image"}"#,
        r#"{"content":{"m.text":[{"body":"s"}],"org.matrix.msc1767.audio":{"duration":2500,"waveform":[1024]},"org.matrix.msc1767.html":"<b>h</b>","org.matrix.msc1767.text":"u","org.matrix.msc3381.poll.start":{"answers":[{"id":"p","org.matrix.msc1767.text":"P"}],"kind":"org.matrix.msc3381.poll.disclosed","question":{"org.matrix.msc1767.text":"Q"}}},"type":"org.matrix.msc3381.poll.start"}"#,
        r#"{"content":{},"event_id":7,"origin_server_ts":1,"room_id":null,"sender":"@a:b","state_key":"","type":"m.room.topic","unsigned":{"age":"old","transaction_id":"t","x":true}}"#,
        r#"{"content":{"":{"":""},"m.mentions":{},"m.selections":[],"m.text":[],"m.thumbnail":[],"😀":["é","\u0000"]},"type":""}"#,
        r#"{"content":{"m.file":{"hashes":{"sha256":"h"},"iv":"i","key":{"k":"x","kty":"oct"},"url":"mxc://a/b","v":"v2"},"m.poll.results":{"a":1,"b":"x"},"m.relates_to":{"is_falling_back":true,"m.in_reply_to":{"event_id":"$e","x":1},"rel_type":"m.thread"}},"type":"m.file"}"#,
        "{\"content\":{\"a\":\"\\u0000\\u001f\u{2028}\u{1F600}e\u{301}\"},\"type\":\"x\"}",
    ];
    for case in cases {
        let e = event(case);
        let back = format.from_slice(&encode(format, &e)).unwrap();
        assert_eq!(
            String::from_utf8(json::to_vec(&back).unwrap()).unwrap(),
            case,
            "{format}"
        );
        assert!(matches!(
            oracle::round_trip(format, &e),
            Ok(Verdict::Accepted)
        ));
    }
}

// ---------------------------------------------------------------------------------------
// Limits, each at the limit and one past it.

/// An event whose encoding is exactly `size` bytes: one string block, padded.
fn event_of_size(format: Format, size: usize) -> Event {
    let build = |pad: usize, extra: usize| {
        let mut e = event_with(Value::String("a".repeat(pad)));
        if extra > 0 {
            e.content_mut()
                .insert_raw("x", Value::String("b".repeat(extra - 1)));
        }
        e
    };
    for extra in 0..8 {
        for pad in (size.saturating_sub(200)..=size).rev() {
            let e = build(pad, extra);
            if encode(format, &e).len() == size {
                return e;
            }
        }
    }
    panic!("{format}: no event of {size} bytes");
}

/// The size limit: 65536 bytes by default and as configured, exactly at it and one past,
/// from a slice and from a reader (which stops reading one byte past the limit).
pub(crate) fn size_limit(format: Format) {
    let at = encode(format, &event_of_size(format, 65_536));
    assert!(format.from_slice(&at).is_ok(), "{format}");
    let past = encode(format, &event_of_size(format, 65_537));
    let e = refused(format, &past, &Options::default());
    assert_eq!(
        e.kind(),
        &ErrorKind::TooLarge {
            size: 65_537,
            limit: 65_536
        },
        "{format}"
    );
    assert_eq!(e.category(), Category::Limit);
    assert_eq!(e.position().unwrap().offset(), 65_536, "{format}");
    assert!(
        format
            .from_slice_with(&past, &Options::default().max_bytes(65_537))
            .is_ok()
    );
    // Configured, and through a reader that holds more than the limit.
    let small = encode(format, &event_of_size(format, 300));
    assert!(
        format
            .from_reader_with(&small[..], &Options::default().max_bytes(300))
            .is_ok()
    );
    let e = format
        .from_reader_with(&small[..], &Options::default().max_bytes(299))
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::TooLarge {
            size: 300,
            limit: 299
        },
        "{format}"
    );
    let mut huge = Counting::new(&small, b' ', 1 << 24);
    let e = format
        .from_reader_with(&mut huge, &Options::default())
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::TooLarge { limit: 65_536, .. }),
        "{format}: {e}"
    );
    assert_eq!(huge.read, 65_537, "{format}: read past the limit");
}

/// An event `depth` levels deep (the event object is level 1, `content` level 2): its block
/// is `depth - 2` nested arrays.
fn nested(depth: usize) -> Event {
    let mut v = Value::Array(Vec::new());
    for _ in 3..depth {
        v = Value::Array(vec![v]);
    }
    event_with(v)
}

/// The depth limit: 64 by default and as configured.
pub(crate) fn depth_limit(format: Format) {
    assert!(
        format.from_slice(&encode(format, &nested(64))).is_ok(),
        "{format}"
    );
    let e = refused(format, &encode(format, &nested(65)), &Options::default());
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 64 }, "{format}");
    assert!(
        e.path()
            .to_string()
            .starts_with(r#"content["org.example.b"][0][0]"#),
        "{format}: {e}"
    );
    let small = Options::default().max_depth(10);
    assert!(
        format
            .from_slice_with(&encode(format, &nested(10)), &small)
            .is_ok()
    );
    let e = refused(format, &encode(format, &nested(11)), &small);
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 10 }, "{format}");
    // The ceiling caps whatever is asked: the format's own.
    let ceiling = format.depth_ceiling();
    let asked = Options::default().max_depth(usize::MAX).max_bytes(1 << 20);
    let deep = on_small_stack(move || encode(format, &nested(ceiling)));
    assert!(format.from_slice_with(&deep, &asked).is_ok(), "{format}");
    let deeper = on_small_stack(move || encode(format, &nested(ceiling + 1)));
    let e = refused(format, &deeper, &asked);
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: ceiling }, "{format}");
}

/// The string limit, in UTF-8 bytes, for values, keys and the event type.
pub(crate) fn string_limit(format: Format) {
    let options = Options::default().max_string_bytes(100);
    let ok = |e: &Event| assert!(format.from_slice_with(&encode(format, e), &options).is_ok());
    let too_long = |e: &Event, path: &str| {
        let err = refused(format, &encode(format, e), &options);
        assert_eq!(
            err.kind(),
            &ErrorKind::StringTooLong { limit: 100 },
            "{format}"
        );
        assert_eq!(err.path().to_string(), path, "{format}: {err}");
    };
    ok(&event_with(Value::from("é".repeat(50))));
    too_long(
        &event_with(Value::from(format!("{}a", "é".repeat(50)))),
        r#"content["org.example.b"]"#,
    );
    let keyed = |n: usize| event_with([("k".repeat(n), Value::from(1))].into_iter().collect());
    ok(&keyed(100));
    let err = refused(format, &encode(format, &keyed(101)), &options);
    assert_eq!(
        err.kind(),
        &ErrorKind::StringTooLong { limit: 100 },
        "{format}"
    );
    let typed = |n: usize| Event::new("t".repeat(n), exev::Content::new());
    ok(&typed(100));
    too_long(&typed(101), "type");
}

/// An event with `n` other top-level members besides `type` and `content`.
fn with_members(n: usize) -> Event {
    let mut e = event(r#"{"type":"m.x","content":{"m.text":[{"body":"hi"}]}}"#);
    for i in 0..n {
        e.set_field(format!("k{i}"), Value::Integer(i64::try_from(i).unwrap()));
    }
    e
}

/// The element limit: entries of an array, members of an object, and the event's own
/// members, where `type` and `content` count like any other.
pub(crate) fn element_limit(format: Format) {
    // The default limit, with room for the bytes (a Protobuf item takes four).
    let roomy = Options::default().max_bytes(1 << 20);
    let array = |n: usize| event_with(Value::Array(vec![Value::from(0); n]));
    let at = encode(format, &array(16_384));
    assert!(format.from_slice_with(&at, &roomy).is_ok(), "{format}");
    let e = refused(format, &encode(format, &array(16_385)), &roomy);
    assert_eq!(
        e.kind(),
        &ErrorKind::TooManyElements { limit: 16_384 },
        "{format}"
    );
    let options = Options::default().max_elements(3);
    let object = |n: usize| {
        event_with(Value::Object(
            (0..n)
                .map(|i| (format!("k{i}"), Value::from(1)))
                .collect::<Object>(),
        ))
    };
    assert!(
        format
            .from_slice_with(&encode(format, &object(3)), &options)
            .is_ok()
    );
    let e = refused(format, &encode(format, &object(4)), &options);
    assert_eq!(
        e.kind(),
        &ErrorKind::TooManyElements { limit: 3 },
        "{format}"
    );
    let at = with_members(1);
    assert_eq!(
        format
            .from_slice_with(&encode(format, &at), &options)
            .unwrap(),
        at
    );
    let e = refused(format, &encode(format, &with_members(2)), &options);
    assert_eq!(
        e.kind(),
        &ErrorKind::TooManyElements { limit: 3 },
        "{format}"
    );
}

/// In a stream, each event is held to the size limit on its own, at the limit and one past;
/// and an event far past it is refused without being read: the reader stops within a few
/// read chunks of the limit, whatever the event claims.
pub(crate) fn stream_size_limit_per_event(format: Format) {
    let first = event(r#"{"type":"m.a","content":{}}"#);
    let big = event_of_size(format, 300);
    let mut writer = format.stream_writer(Vec::new());
    for e in [&first, &big, &first] {
        writer.write(e).unwrap();
    }
    let stream = writer.finish().unwrap();
    let read = |limit: usize| {
        format
            .stream_reader_with(&stream[..], Options::default().max_bytes(limit))
            .collect::<Vec<_>>()
    };
    let at = read(300);
    assert_eq!(at.len(), 3, "{format}");
    assert!(at.iter().all(Result::is_ok), "{format}: {at:?}");
    let past = read(299);
    assert_eq!(past.len(), 2, "{format}: {past:?}");
    let e = past[1].as_ref().unwrap_err();
    check_error(format, e);
    assert!(
        matches!(e.kind(), ErrorKind::TooLarge { limit: 299, .. }),
        "{format}: {e}"
    );
    let second_at = encode(format, &first).len();
    assert!(e.position().unwrap().offset() >= second_at, "{format}: {e}");
    // 64 MiB claimed, or just there without an end.
    let (head, fill) = huge_frame(format);
    let mut input = Counting::new(&head, fill, 64 << 20);
    let e = format
        .stream_reader_with(&mut input, Options::default())
        .next()
        .unwrap()
        .unwrap_err();
    check_error(format, &e);
    assert_eq!(e.category(), Category::Limit, "{format}: {e}");
    assert!(
        input.read <= 65_536 + 4 * 65_536,
        "{format}: read {} bytes of a frame past the limit",
        input.read
    );
}

// ---------------------------------------------------------------------------------------
// Truncation.

/// Every strict prefix of an event's encoding is refused as truncated input, at the cut, for
/// formats that mark their end; a Protobuf prefix may be a shorter message (cut between
/// fields) or an event without a type, and is otherwise refused as truncated. The oracle
/// finds nothing in any prefix.
pub(crate) fn truncation_at_every_prefix(format: Format) {
    let mut events: Vec<Event> = msc_events().into_iter().map(|(_, e)| e).collect();
    events.extend(corpus_events(100));
    let (mut eof, mut other) = (0usize, 0usize);
    for (i, e) in events.iter().enumerate() {
        let bytes = encode(format, e);
        for cut in 0..bytes.len() {
            let prefix = &bytes[..cut];
            if let Err(bug) = oracle::decode(format, prefix) {
                panic!("{format} event {i} cut at {cut}: {bug}");
            }
            match format.from_slice(prefix) {
                Err(err) if err.category() == Category::Eof => {
                    check_error(format, &err);
                    let at = err.position().unwrap().offset();
                    if self_delimiting(format) {
                        assert_eq!(at, cut, "{format} event {i}: {err}");
                    } else {
                        assert!(at <= cut, "{format} event {i} cut at {cut}: {err}");
                    }
                    eof += 1;
                }
                Err(err) => {
                    assert!(
                        !self_delimiting(format),
                        "{format} event {i} at {cut}: {err}"
                    );
                    assert_eq!(err.path().to_string(), "$", "{format}: {err}");
                    other += 1;
                }
                Ok(shorter) => {
                    assert!(!self_delimiting(format), "{format} event {i} at {cut}");
                    assert_ne!(&shorter, e, "{format}");
                    other += 1;
                }
            }
        }
    }
    // Most cuts land inside a field even in Protobuf.
    assert!(eof > 10 * other, "{format}: {eof} truncated, {other} not");
}

/// In a stream, an event cut anywhere is truncated input, whatever the format: the events
/// before it are read, then an end-of-input error inside the cut event, then nothing.
pub(crate) fn truncated_streams(format: Format) {
    let first = event(r#"{"type":"m.a","content":{}}"#);
    for (name, second) in msc_events().into_iter().take(8) {
        let mut writer = format.stream_writer(Vec::new());
        writer.write(&first).unwrap();
        let start = writer.get_ref().len();
        writer.write(&second).unwrap();
        let stream = writer.finish().unwrap();
        // An NDJSON line without its newline is still whole at the end of the input.
        let end = if format == Format::Json {
            stream.len() - 1
        } else {
            stream.len()
        };
        for cut in start + 1..end {
            let mut events = format.stream_reader(&stream[..cut]);
            assert_eq!(events.next().unwrap().unwrap(), first, "{format} {name}");
            let err = events.next().unwrap().unwrap_err();
            check_error(format, &err);
            assert_eq!(
                err.category(),
                Category::Eof,
                "{format} {name} at {cut}: {err}"
            );
            let at = err.position().unwrap().offset();
            assert!(
                (start..=cut).contains(&at),
                "{format} {name} at {cut}: {err}"
            );
            assert!(events.next().is_none());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Hostile input.

/// Input whose length prefixes claim more than there is (or that never ends): refused as
/// truncated or too large, with a position, whatever the limits; read as a stream, too.
pub(crate) fn hostile_length_prefixes(format: Format) {
    let generous = Options::default()
        .max_bytes(1 << 22)
        .max_string_bytes(1 << 22)
        .max_elements(1 << 22);
    for (name, input) in hostile_prefixes(format) {
        for options in [Options::default(), generous.clone()] {
            let e = refused(format, &input, &options);
            assert!(
                matches!(e.category(), Category::Eof | Category::Limit),
                "{format} {name}: {e}"
            );
        }
        let frame = framed(format, &input);
        let first = format
            .stream_reader_with(&frame[..], generous.clone())
            .next()
            .unwrap();
        let e = first.expect_err(name);
        check_error(format, &e);
    }
}

/// Decodes the input in the file `EXEV_MEMORY_CASE` names and prints how far peak memory
/// rose: run in a child process per case by [`decoding_allocates_little`], which writes the
/// file, so that nothing else was allocated (and freed, yet still resident) before; it does
/// nothing otherwise.
pub(crate) fn memory_child(format: Format) {
    let Ok(case) = std::env::var("EXEV_MEMORY_CASE") else {
        return;
    };
    let Some((name, path)) = case.split_once(':') else {
        return;
    };
    if name != format.name() {
        return;
    }
    let input = std::fs::read(path).unwrap();
    // Run the decoder once first, so that faulting its code in is not counted.
    let warm = format
        .to_vec(&event(r#"{"type":"m.x","content":{"a":[1,"b",{}]}}"#))
        .unwrap();
    assert!(format.from_slice(&warm).is_ok());
    assert!(format.from_slice(&warm[..warm.len() - 1]).is_err());
    let options = Options::default()
        .max_bytes(4 << 20)
        .max_elements(1 << 22)
        .max_string_bytes(1 << 22)
        .max_depth(MAX_DEPTH_CEILING);
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = memory("VmRSS:");
    let accepted = std::hint::black_box(format.from_slice_with(&input, &options)).is_ok();
    let peak = memory("VmHWM:");
    println!("MEMORY {} {accepted}", peak.saturating_sub(before));
}

fn memory(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<usize>()
        .unwrap()
        * 1024
}

/// Decoding allocates little: hostile input (lengths that lie, deep nesting, floods of tiny
/// items) grows peak memory by a small multiple of its size at most, never by what it
/// claims; and the honest worst case, an event of many tiny objects, costs no more in this
/// format than decoding the same event from JSON (within half again and 1 MiB), which is
/// the model's own cost. Each case is measured in a child process of its own.
pub(crate) fn decoding_allocates_little(format: Format) {
    if std::fs::metadata("/proc/self/clear_refs").is_err() {
        return; // Not Linux: nothing to measure with.
    }
    let dir = std::env::temp_dir().join(format!("exev-memory-{}-{format}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let measure = |format: Format, index: usize, input: &[u8]| -> (usize, bool) {
        let path = dir.join(format!("{format}-{index}"));
        std::fs::write(&path, input).unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                &format!("every_format::{}::memory_child", format.name()),
                "--nocapture",
                "--test-threads=1",
            ])
            .env(
                "EXEV_MEMORY_CASE",
                format!("{}:{}", format.name(), path.display()),
            )
            .output()
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("MEMORY ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("{format} case {index}: {stdout}"));
        let (grown, accepted) = line.split_once(' ').unwrap();
        (grown.parse().unwrap(), accepted == "true")
    };
    let cases = memory_cases(format);
    for (index, (name, input, bound)) in cases.iter().enumerate() {
        let (grown, accepted) = measure(format, index, input);
        eprintln!(
            "{format} {name}: {} bytes in, peak grew {grown}, accepted {accepted}",
            input.len()
        );
        match bound {
            Bound::TimesInput(factor) => {
                assert!(!accepted, "{format} {name} was accepted");
                assert!(
                    grown <= factor * input.len() + (1 << 20),
                    "{format} {name}: grew {grown} for {} bytes",
                    input.len()
                );
            }
            Bound::AsJson => {
                assert!(accepted, "{format} {name} was refused");
                let json_cases = memory_cases(Format::Json);
                let (json_index, (_, json_input, _)) = json_cases
                    .iter()
                    .enumerate()
                    .find(|(_, (n, _, b))| n == name && matches!(b, Bound::AsJson))
                    .unwrap();
                let (json, _) = measure(Format::Json, json_index, json_input);
                assert!(
                    grown <= json + json / 2 + (1 << 20),
                    "{format} {name}: grew {grown}, JSON {json}"
                );
            }
        }
    }
}

/// A bound on what decoding one memory case may allocate.
enum Bound {
    /// Hostile input: at most this many times its size (and 1 MiB of slack).
    TimesInput(usize),
    /// The honest worst case: what decoding the same event from JSON costs.
    AsJson,
}

/// Inputs for the memory measurement: this format's hostile ones, and the honest worst case.
fn memory_cases(format: Format) -> Vec<(&'static str, Vec<u8>, Bound)> {
    let mut cases: Vec<(&'static str, Vec<u8>, Bound)> = hostile_prefixes(format)
        .into_iter()
        .map(|(name, input)| (name, input, Bound::TimesInput(4)))
        .collect();
    cases.push(("deep bomb", bomb(format, 1 << 18), Bound::TimesInput(4)));
    let objects = Value::Array(vec![
        [(String::new(), Value::Null)].into_iter().collect();
        100_000
    ]);
    cases.push((
        "many small objects",
        encode(format, &event_with(objects)),
        Bound::AsJson,
    ));
    cases
}

/// Depth bombs far past the limit, on a 2 MiB stack: refused as too deep, at the limit
/// asked for and at the format's ceiling when more is asked, never a stack overflow.
pub(crate) fn depth_bombs(format: Format) {
    on_small_stack(move || {
        let input = bomb(format, 1 << 20);
        let options = Options::default().max_bytes(1 << 24);
        let e = refused(format, &input, &options);
        assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 64 }, "{format}");
        let unbounded = options.max_depth(usize::MAX);
        let e = refused(format, &input, &unbounded);
        assert_eq!(
            e.kind(),
            &ErrorKind::TooDeep {
                limit: format.depth_ceiling()
            },
            "{format}"
        );
        let frame = framed(format, &input);
        let first = format
            .stream_reader_with(&frame[..], unbounded)
            .next()
            .unwrap();
        assert_eq!(
            first.unwrap_err().kind(),
            &ErrorKind::TooDeep {
                limit: format.depth_ceiling()
            },
            "{format}"
        );
    });
}

/// The deepest event the model holds (the ceiling, 512 levels) encodes in every format on a
/// 2 MiB stack; the format decodes it back when its ceiling allows, and otherwise refuses it
/// as too deep at its ceiling, which the oracle says and no other way.
pub(crate) fn deepest_events_encode_on_a_small_stack(format: Format) {
    on_small_stack(move || {
        let deepest = nested(MAX_DEPTH_CEILING);
        let bytes = encode(format, &deepest);
        let verdict = oracle::round_trip(format, &deepest).unwrap();
        if format.depth_ceiling() >= MAX_DEPTH_CEILING {
            assert!(
                matches!(verdict, Verdict::Accepted),
                "{format}: {verdict:?}"
            );
            let options = Options::default().max_depth(MAX_DEPTH_CEILING);
            assert_eq!(format.from_slice_with(&bytes, &options).unwrap(), deepest);
        } else {
            // Asked for all the model allows, the format refuses past its own ceiling.
            let asked = Options::default()
                .max_depth(MAX_DEPTH_CEILING)
                .max_bytes(1 << 20);
            let e = refused(format, &bytes, &asked);
            assert_eq!(
                e.kind(),
                &ErrorKind::TooDeep {
                    limit: format.depth_ceiling()
                },
                "{format}"
            );
            let Verdict::Rejected(e) = verdict else {
                panic!("{format}: accepted past its ceiling")
            };
            assert_eq!(
                e.kind(),
                &ErrorKind::TooDeep {
                    limit: format.depth_ceiling()
                },
                "{format}"
            );
        }
    });
}

/// Random bytes, and valid encodings with one to three bytes changed: rejected with a
/// proper error or accepted with every round-trip property, never a bug or a panic; large
/// inputs up to 1 MiB too.
pub(crate) fn random_and_mutated_bytes(format: Format) {
    let mut rng = exev::generate::SplitMix64::new(0x0070_7274 ^ format as u64);
    let valid: Vec<Vec<u8>> = msc_events()
        .iter()
        .map(|(_, e)| encode(format, e))
        .collect();
    on_small_stack(move || {
        for round in 0..10_000 {
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
            if let Err(bug) = oracle::decode(format, &bytes) {
                panic!("{format} {bytes:02x?}: {bug}");
            }
        }
        let options = Options::default().max_bytes(1 << 20);
        for len in [1 << 16, 1 << 18, 1 << 20] {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            if let Err(e) = format.from_slice_with(&bytes, &options) {
                check_error(format, &e);
            }
            let many: Vec<u8> = valid[0].iter().copied().cycle().take(len).collect();
            if let Err(e) = format.from_slice_with(&many, &options) {
                check_error(format, &e);
            }
        }
        let e = format.from_slice(&vec![0u8; (1 << 16) + 1]).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::TooLarge { .. }),
            "{format}: {e}"
        );
    });
}

// ---------------------------------------------------------------------------------------
// Streams.

/// Streams written then read back give the same events: from a slice, from a reader that
/// gives one byte a read, and the reader's offset after each event is where the next one
/// starts; an empty stream has no events.
pub(crate) fn streams_round_trip(format: Format) {
    let mut events = corpus_events(40);
    events.extend(generated_events(100, false));
    let mut writer = format.stream_writer(Vec::new());
    let mut ends = Vec::new();
    for e in &events {
        writer.write(e).unwrap();
        ends.push(writer.get_ref().len());
    }
    let stream = writer.finish().unwrap();
    let mut reader = format.stream_reader(&stream[..]);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(&reader.next().unwrap().unwrap(), e, "{format} event {i}");
        assert_eq!(reader.offset(), ends[i], "{format} event {i}");
    }
    assert!(reader.next().is_none());
    let trickled: Vec<Event> = format
        .stream_reader(Trickle(&stream))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(trickled, events, "{format}");
    assert_eq!(format.stream_reader(&b""[..]).count(), 0);
    // Lenient numbers, in a lenient stream.
    let lenient = Options::default().numbers(NumberPolicy::Lenient);
    let kept: Vec<Event> = generated_events(200, true)
        .into_iter()
        .filter(|e| format.to_vec(e).is_ok())
        .collect();
    let mut writer = format.stream_writer(Vec::new());
    for e in &kept {
        writer.write(e).unwrap();
    }
    let stream = writer.finish().unwrap();
    let back: Vec<Event> = format
        .stream_reader_with(&stream[..], lenient)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back.len(), kept.len(), "{format}");
    for (a, b) in back.iter().zip(&kept) {
        assert_eq!(
            format.to_vec(a).unwrap(),
            format.to_vec(b).unwrap(),
            "{format}"
        );
    }
}

/// An error in an event stops the stream there: the events before it are read, the error
/// is at its offset in the whole stream, and nothing follows, from a slice or a trickle.
pub(crate) fn stream_errors_stop_at_the_event(format: Format) {
    let events = corpus_events(5);
    let mut writer = format.stream_writer(Vec::new());
    let mut starts = Vec::new();
    for e in &events {
        starts.push(writer.get_ref().len());
        writer.write(e).unwrap();
    }
    let mut stream = writer.finish().unwrap();
    // The third event's first byte (after its length prefix, in Protobuf) made invalid.
    let third = starts[2] + prefix_len(format, &stream[starts[2]..]);
    stream[third] = bad_first_byte(format);
    for results in [
        format.stream_reader(&stream[..]).collect::<Vec<_>>(),
        format.stream_reader(Trickle(&stream)).collect(),
    ] {
        assert_eq!(results.len(), 3, "{format}");
        assert!(results[0].is_ok() && results[1].is_ok());
        let e = results[2].as_ref().unwrap_err();
        check_error(format, e);
        assert_eq!(e.position().unwrap().offset(), third, "{format}: {e}");
        assert_eq!(e.category(), Category::Syntax, "{format}: {e}");
    }
}

// ---------------------------------------------------------------------------------------
// Fixtures: what each format must be given as bytes.

/// One event's bytes as a frame of a stream: after its length, in Protobuf.
fn framed(format: Format, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if format == Format::Proto {
        push_varint(&mut out, bytes.len() as u64);
    }
    out.extend_from_slice(bytes);
    out
}

/// The length of the stream framing before an event's bytes (Protobuf's varint length).
fn prefix_len(format: Format, frame: &[u8]) -> usize {
    match format {
        Format::Proto => frame.iter().position(|b| b & 0x80 == 0).unwrap() + 1,
        _ => 0,
    }
}

/// A first byte no event of the format starts with: `]` in JSON, a reserved CBOR head, a
/// Protobuf key of field 0.
fn bad_first_byte(format: Format) -> u8 {
    match format {
        Format::Json => b']',
        Format::Cbor => 0x1c,
        _ => 0x07,
    }
}

/// The start of a frame far past the size limit, and the byte that fills it: a JSON line
/// that does not end, a CBOR text claiming 64 MiB, a Protobuf length of 64 MiB.
fn huge_frame(format: Format) -> (Vec<u8>, u8) {
    match format {
        Format::Json => (br#"{"type":"x","content":{"x":""#.to_vec(), b'a'),
        Format::Cbor => {
            let mut head = crate::common::hex("a2 6474797065 6178 67636f6e74656e74 a1 6178");
            head.extend_from_slice(&[0x7a, 0x04, 0x00, 0x00, 0x00]);
            (head, b'a')
        }
        _ => {
            let mut head = Vec::new();
            push_varint(&mut head, 64 << 20);
            head.extend_from_slice(b"\x12\x01x\x1a");
            (head, 0)
        }
    }
}

/// An event whose block is `arrays` nested arrays (so nested `arrays + 2` deep), written
/// byte by byte, as no encoder would be asked to: JSON and CBOR open every array and close
/// none (the decoder must stop before the end); Protobuf nests every message whole, its
/// lengths computed from the inside out.
fn bomb(format: Format, arrays: usize) -> Vec<u8> {
    match format {
        Format::Json => {
            let mut out = br#"{"type":"x","content":{"x":"#.to_vec();
            out.resize(out.len() + arrays, b'[');
            out
        }
        Format::Cbor => {
            let mut out = crate::common::hex("a2 6474797065 6178 67636f6e74656e74 a1 6178");
            out.resize(out.len() + arrays, 0x81);
            out
        }
        _ => {
            // Value { array_value {} }, then Value { array_value {}, items: [inner] } around.
            let varint_len = |n: usize| {
                let mut v = Vec::new();
                push_varint(&mut v, n as u64);
                v.len()
            };
            let mut lengths = vec![2usize];
            for _ in 1..arrays {
                let inner = *lengths.last().unwrap();
                lengths.push(3 + varint_len(inner) + inner);
            }
            let value_len = *lengths.last().unwrap();
            let block_len = 3 + 1 + varint_len(value_len) + value_len;
            let mut out = b"\x12\x01x\x1a".to_vec();
            push_varint(&mut out, block_len as u64);
            out.extend_from_slice(b"\x12\x01x\x1a");
            push_varint(&mut out, value_len as u64);
            for inner in lengths.iter().rev().skip(1) {
                out.extend_from_slice(&[0x2a, 0x00, 0x42]);
                push_varint(&mut out, *inner as u64);
            }
            out.extend_from_slice(&[0x2a, 0x00]);
            out
        }
    }
}

/// Input whose headers claim more than there is: lengths of strings, arrays and maps up to
/// 2^64 - 1 in CBOR, message lengths up to 2^62 in Protobuf; in JSON, which has no lengths,
/// a string and an array that never close.
fn hostile_prefixes(format: Format) -> Vec<(&'static str, Vec<u8>)> {
    let mib = 1 << 20;
    match format {
        Format::Json => {
            let mut string = br#"{"type":"x","content":{"x":""#.to_vec();
            string.resize(mib, b'a');
            let mut escapes = br#"{"type":"x","content":{"x":""#.to_vec();
            while escapes.len() < mib {
                escapes.extend_from_slice(b"\\u00e9");
            }
            vec![
                ("a string that never closes", string),
                ("escapes that never close", escapes),
            ]
        }
        Format::Cbor => {
            let event = crate::common::hex("a2 6474797065 6178 67636f6e74656e74 a1 6178");
            let with = |item: &[u8], fill: usize| {
                let mut v = event.clone();
                v.extend_from_slice(item);
                v.resize(v.len() + fill, 0);
                v
            };
            vec![
                (
                    "text of 2^32 bytes",
                    with(&[0x7a, 0xff, 0xff, 0xff, 0xff, b'a'], 0),
                ),
                (
                    "text of 2^63 bytes",
                    with(
                        &[0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, b'a'],
                        0,
                    ),
                ),
                (
                    "bytes of 2^64-1",
                    with(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0),
                ),
                (
                    "array of 2^32-1",
                    with(&[0x9a, 0xff, 0xff, 0xff, 0xff], mib),
                ),
                (
                    "map of 2^64-1",
                    with(
                        &[0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x60],
                        0,
                    ),
                ),
                (
                    "array of 1M zeros, cut short",
                    with(&[0x9a, 0x00, 0x10, 0x00, 0x00], mib / 2),
                ),
                (
                    "text just too long",
                    with(&[0x7a, 0x00, 0x10, 0x00, 0x00], mib - 64),
                ),
                ("event map of 2^32-1", {
                    let mut v = vec![0xba, 0xff, 0xff, 0xff, 0xff];
                    v.extend_from_slice(&event[1..]);
                    v
                }),
                ("indefinite text of empty chunks", {
                    let mut v = event.clone();
                    v.push(0x7f);
                    v.resize(mib, 0x60);
                    v
                }),
            ]
        }
        _ => {
            let huge = |n: u64| {
                let mut v = Vec::new();
                push_varint(&mut v, n);
                v
            };
            let with = |parts: &[&[u8]]| parts.concat();
            vec![
                (
                    "content of 2^62 bytes",
                    with(&[b"\x12\x01x\x1a", &huge(1 << 62)]),
                ),
                (
                    "type of 2^35 bytes",
                    with(&[b"\x12", &huge((1 << 35) - 1), b"m.x"]),
                ),
                (
                    "block value of 2^40 bytes",
                    with(&[
                        b"\x12\x01x\x1a\x0a\x12\x01b\x1a",
                        &huge(1 << 40),
                        b"\x08\x00",
                    ]),
                ),
                (
                    "member of 2^32 bytes, then 1 MiB",
                    with(&[b"\x12\x01x\x7a", &huge(1 << 32), &vec![0x08; mib]]),
                ),
            ]
        }
    }
}
