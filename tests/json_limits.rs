//! Every limit of the JSON decoder at the limit and one past it, and every strict-mode
//! rejection with its message, position and path.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev_codec::{Category, ErrorKind, NumberPolicy, Options, Position, json};

fn event_with(block: &str) -> String {
    format!(r#"{{"type":"org.example.t","content":{{"org.example.b":{block}}}}}"#)
}

fn err(input: &[u8], options: &Options) -> exev_codec::Error {
    json::from_slice_with(input, options).expect_err("must be rejected")
}

#[test]
fn size_limit() {
    let base = event_with(r#""""#);
    let pad = |n: usize| event_with(&format!("\"{}\"", "a".repeat(n)));
    let at = pad(65_536 - base.len());
    assert_eq!(at.len(), 65_536);
    assert!(json::from_slice(at.as_bytes()).is_ok());
    let past = pad(65_537 - base.len());
    let e = err(past.as_bytes(), &Options::default());
    assert_eq!(
        e.kind(),
        &ErrorKind::TooLarge {
            size: 65_537,
            limit: 65_536
        }
    );
    assert_eq!(e.category(), Category::Limit);
    // The limit is configurable.
    assert!(json::from_slice_with(past.as_bytes(), &Options::default().max_bytes(65_537)).is_ok());
}

fn nested(depth: usize) -> String {
    // The event object is level 1 and content level 2: the block adds depth - 2 arrays.
    let arrays = depth - 2;
    event_with(&format!("{}{}", "[".repeat(arrays), "]".repeat(arrays)))
}

#[test]
fn depth_limit() {
    assert!(json::from_slice(nested(64).as_bytes()).is_ok());
    let e = err(nested(65).as_bytes(), &Options::default());
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 64 });
    assert!(
        e.path()
            .to_string()
            .starts_with(r#"content["org.example.b"][0][0]"#),
        "{e}"
    );
    let small = Options::default().max_depth(10);
    assert!(json::from_slice_with(nested(10).as_bytes(), &small).is_ok());
    assert!(json::from_slice_with(nested(11).as_bytes(), &small).is_err());
}

#[test]
fn depth_ceiling_holds_against_a_deep_bomb() {
    let options = Options::default().max_depth(usize::MAX).max_bytes(1 << 21);
    assert_eq!(options.max_depth, exev_codec::MAX_DEPTH_CEILING);
    let bomb = "[".repeat(1 << 20);
    let result = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || json::value_from_slice(bomb.as_bytes(), &options).map(|_| ()))
        .unwrap()
        .join()
        .unwrap();
    let e = result.unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 512 });
}

#[test]
fn string_limit() {
    let options = Options::default().max_string_bytes(100);
    let at = event_with(&format!("\"{}\"", "é".repeat(50)));
    assert!(json::from_slice_with(at.as_bytes(), &options).is_ok());
    let past = event_with(&format!("\"{}a\"", "é".repeat(50)));
    let e = err(past.as_bytes(), &options);
    assert_eq!(e.kind(), &ErrorKind::StringTooLong { limit: 100 });
    assert_eq!(e.path().to_string(), r#"content["org.example.b"]"#);
    // Escapes count by what they decode to, and keys are strings too.
    let escaped = event_with(&format!("\"{}\"", "\\u00e9".repeat(51)));
    assert!(json::from_slice_with(escaped.as_bytes(), &options).is_err());
    let long_key = format!(r#"{{"type":"t","content":{{"{}":1}}}}"#, "k".repeat(101));
    assert!(json::from_slice_with(long_key.as_bytes(), &options).is_err());
    let key_at_limit = format!(r#"{{"type":"t","content":{{"{}":1}}}}"#, "k".repeat(100));
    assert!(json::from_slice_with(key_at_limit.as_bytes(), &options).is_ok());
}

#[test]
fn element_limit() {
    let array = |n: usize| event_with(&format!("[{}]", vec!["0"; n].join(",")));
    assert!(json::from_slice(array(16_384).as_bytes()).is_ok());
    let e = err(array(16_385).as_bytes(), &Options::default());
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 16_384 });
    let options = Options::default().max_elements(3);
    let object = |n: usize| {
        let members: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
        event_with(&format!("{{{}}}", members.join(",")))
    };
    assert!(json::from_slice_with(object(3).as_bytes(), &options).is_ok());
    let e = err(object(4).as_bytes(), &options);
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });
}

#[test]
fn integer_bounds() {
    for ok in [
        "9007199254740991",
        "-9007199254740991",
        "-0",
        "1e10",
        "2.0",
        "1E+2",
    ] {
        assert!(json::from_slice(event_with(ok).as_bytes()).is_ok(), "{ok}");
    }
    for (bad, kind) in [
        (
            "9007199254740992",
            ErrorKind::IntegerOutOfRange("9007199254740992".into()),
        ),
        (
            "-9007199254740992",
            ErrorKind::IntegerOutOfRange("-9007199254740992".into()),
        ),
        ("1e16", ErrorKind::IntegerOutOfRange("1e16".into())),
        ("1.5", ErrorKind::NotAnInteger("1.5".into())),
        ("1e-1", ErrorKind::NotAnInteger("1e-1".into())),
    ] {
        let e = err(event_with(bad).as_bytes(), &Options::default());
        assert_eq!(e.kind(), &kind, "{bad}");
        assert_eq!(e.category(), Category::DataModel);
        assert_eq!(e.path().to_string(), r#"content["org.example.b"]"#);
    }
}

#[test]
fn lenient_numbers_are_kept_verbatim() {
    let lenient = Options::default().numbers(NumberPolicy::Lenient);
    for literal in [
        "1.5",
        "9007199254740992",
        "-1e400",
        "123456789012345678901234567890",
    ] {
        let input = event_with(literal);
        let event = json::from_slice_with(input.as_bytes(), &lenient).unwrap();
        let canonical =
            format!(r#"{{"content":{{"org.example.b":{literal}}},"type":"org.example.t"}}"#);
        assert_eq!(json::to_vec(&event), canonical.as_bytes(), "{literal}");
        assert!(!event.to_value().is_canonical());
    }
}

fn position_of(e: &exev_codec::Error) -> (usize, usize) {
    match e.position() {
        Some(Position::Text { line, column, .. }) => (line, column),
        other => panic!("no text position: {other:?}"),
    }
}

#[test]
fn bad_inputs_name_the_problem_and_where() {
    // (input, message, path, (line, column))
    type Case<'a> = (&'a [u8], &'a str, &'a str, (usize, usize));
    let cases: &[Case<'_>] = &[
        (
            b"{\"type\":\"m.message\",\n\"content\":{\"m.text\":[{\"body\":\"a\",\"body\":\"b\"}]}}",
            "duplicate key \"body\"",
            r#"content["m.text"][0].body"#,
            (2, 34),
        ),
        (
            br#"{"type":"m.message","content":{"a":"\ud800"}}"#,
            "lone surrogate \\ud800",
            "content.a",
            (1, 37),
        ),
        (
            br#"{"type":"m.message","content":{"a":"\udc00\ud800"}}"#,
            "lone surrogate \\udc00",
            "content.a",
            (1, 37),
        ),
        (
            b"{\"type\":\"m.message\",\"content\":{\"a\":\"\xff\"}}",
            "invalid UTF-8",
            "content.a",
            (1, 37),
        ),
        (
            b"{\"type\":\"m.message\",\"content\":{}} x",
            "trailing data after the event",
            "$",
            (1, 35),
        ),
        (
            b"{\"type\":\"m.message\",\"content\":{\"a\":\"\t\"}}",
            "raw control character U+0009",
            "content.a",
            (1, 37),
        ),
        (
            b"{\"type\":\"m.message\",\"content\":{\"a\":[1,]}}",
            "expected a value, found `]`",
            "content.a[1]",
            (1, 39),
        ),
        (b"{\"type\":1,\"content\":{}}", "`type` must be a string", "type", (1, 9)),
        (b"{\"content\":{}}", "an event needs a `type` member", "type", (1, 14)),
        (b"{\"type\":\"x\",\"content\":[]}", "`content` must be an object", "content", (1, 23)),
        (b"[]", "an event must be a JSON object", "$", (1, 1)),
        (b"", "unexpected end of input", "$", (1, 1)),
        (b"\xEF\xBB\xBF{}", "byte-order mark", "$", (1, 1)),
        (b"{\"type\":\"x\",\"content\":{\"a\":tru}}", "expected a value, found `t`", "content.a", (1, 28)),
    ];
    for (input, message, path, (line, column)) in cases {
        let e = err(input, &Options::default());
        let shown = e.to_string();
        assert!(shown.contains(message), "{shown}");
        assert_eq!(e.path().to_string(), *path, "{shown}");
        assert_eq!(position_of(&e), (*line, *column), "{shown}");
        assert!(!shown.contains('\n'));
        assert!(
            shown.contains(&format!("line {line}, column {column}")),
            "{shown}"
        );
    }
}
