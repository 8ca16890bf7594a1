//! What is JSON's own: the spec's canonical-JSON examples, `JSONTestSuite` (checked against
//! `serde_json`, an independent reader), the data-model rules decided at the byte (numbers
//! written as integers, lone surrogates, duplicate keys) with line and column, lenient
//! literals, and NDJSON's lines.

use exev::Value;
use exev_codec::{Category, ErrorKind, Format, NumberPolicy, Options, Position, json};

use crate::common::{from_serde, on_small_stack, vector_json, vectors};
use crate::suite::check_error;

fn lenient() -> Options {
    Options::default().numbers(NumberPolicy::Lenient)
}

#[test]
fn spec_canonical_json_examples() {
    // The expected outputs are read with serde_json, not with the codec under test.
    let doc = vector_json("json/matrix-canonical-json.json");
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 10);
    for case in cases {
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let value = json::value_from_slice(input.as_bytes(), &Options::default())
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            String::from_utf8(json::value_to_vec(&value).unwrap()).unwrap(),
            expected,
            "{input}"
        );
        let independent: serde_json::Value = serde_json::from_str(input).unwrap();
        assert_eq!(value, from_serde(&independent), "{input}");
    }
}

fn suite_files(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = vectors().join("json/JSONTestSuite/test_parsing");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn json_test_suite_must_accept() {
    let files = suite_files("y_");
    assert_eq!(files.len(), 95);
    let mut compared = 0;
    for (name, bytes) in files {
        // Every y_ file is well-formed: strict decoding accepts it, then reads the same value
        // as serde_json, or refuses it only for the data model (floats, big integers,
        // duplicate keys), never for syntax.
        match json::value_from_slice(&bytes, &Options::default()) {
            Ok(value) => {
                let independent: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(value, from_serde(&independent), "{name}");
                compared += 1;
            }
            Err(e) => {
                assert_eq!(e.category(), Category::DataModel, "{name}: {e}");
                let kept = json::value_from_slice(&bytes, &lenient());
                let duplicate = matches!(e.kind(), ErrorKind::DuplicateKey(_));
                assert!(
                    kept.is_ok() || duplicate,
                    "{name}: lenient also fails: {kept:?}"
                );
            }
        }
    }
    assert!(compared > 70, "{compared} compared with serde_json");
}

#[test]
fn json_test_suite_must_reject() {
    let files = suite_files("n_");
    assert_eq!(files.len(), 188);
    let results = on_small_stack(move || {
        files
            .into_iter()
            .map(|(name, bytes)| {
                let strict = json::value_from_slice(&bytes, &Options::default());
                let lenient = json::value_from_slice(&bytes, &lenient());
                (name, strict.err(), lenient.is_err())
            })
            .collect::<Vec<_>>()
    });
    for (name, strict, lenient_rejected) in results {
        let err = strict.unwrap_or_else(|| panic!("{name} was accepted"));
        assert!(lenient_rejected, "{name} was accepted leniently");
        check_error(Format::Json, &err);
    }
}

/// What exev decides for each implementation-defined `i_` file, by name: every file has
/// its one expected outcome, and a file the table does not name fails the test.
#[test]
fn json_test_suite_implementation_defined() {
    #[derive(Debug, PartialEq)]
    enum Expected {
        /// A number outside the data model: refused strictly, kept leniently.
        OutOfRange,
        NotAnInteger,
        /// A `\u` escape of half a surrogate pair.
        LoneSurrogate,
        InvalidUtf8,
        /// Not UTF-8 JSON text at all (UTF-16).
        Syntax,
        /// 500 levels: past the default depth, within the ceiling.
        TooDeep,
        ByteOrderMark,
    }
    use Expected::*;
    let table: &[(&str, Expected)] = &[
        ("i_number_double_huge_neg_exp.json", NotAnInteger),
        ("i_number_huge_exp.json", OutOfRange),
        ("i_number_neg_int_huge_exp.json", OutOfRange),
        ("i_number_pos_double_huge_exp.json", OutOfRange),
        ("i_number_real_neg_overflow.json", OutOfRange),
        ("i_number_real_pos_overflow.json", OutOfRange),
        ("i_number_real_underflow.json", NotAnInteger),
        ("i_number_too_big_neg_int.json", OutOfRange),
        ("i_number_too_big_pos_int.json", OutOfRange),
        ("i_number_very_big_negative_int.json", OutOfRange),
        ("i_object_key_lone_2nd_surrogate.json", LoneSurrogate),
        ("i_string_1st_surrogate_but_2nd_missing.json", LoneSurrogate),
        (
            "i_string_1st_valid_surrogate_2nd_invalid.json",
            LoneSurrogate,
        ),
        ("i_string_UTF-16LE_with_BOM.json", Syntax),
        ("i_string_UTF-8_invalid_sequence.json", InvalidUtf8),
        ("i_string_UTF8_surrogate_U+D800.json", InvalidUtf8),
        (
            "i_string_incomplete_surrogate_and_escape_valid.json",
            LoneSurrogate,
        ),
        ("i_string_incomplete_surrogate_pair.json", LoneSurrogate),
        (
            "i_string_incomplete_surrogates_escape_valid.json",
            LoneSurrogate,
        ),
        ("i_string_invalid_lonely_surrogate.json", LoneSurrogate),
        ("i_string_invalid_surrogate.json", LoneSurrogate),
        ("i_string_invalid_utf-8.json", InvalidUtf8),
        ("i_string_inverted_surrogates_U+1D11E.json", LoneSurrogate),
        ("i_string_iso_latin_1.json", InvalidUtf8),
        ("i_string_lone_second_surrogate.json", LoneSurrogate),
        ("i_string_lone_utf8_continuation_byte.json", InvalidUtf8),
        ("i_string_not_in_unicode_range.json", InvalidUtf8),
        ("i_string_overlong_sequence_2_bytes.json", InvalidUtf8),
        ("i_string_overlong_sequence_6_bytes.json", InvalidUtf8),
        ("i_string_overlong_sequence_6_bytes_null.json", InvalidUtf8),
        ("i_string_truncated-utf-8.json", InvalidUtf8),
        ("i_string_utf16BE_no_BOM.json", Syntax),
        ("i_string_utf16LE_no_BOM.json", Syntax),
        ("i_structure_500_nested_arrays.json", TooDeep),
        ("i_structure_UTF-8_BOM_empty_object.json", ByteOrderMark),
    ];
    let files = suite_files("i_");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let listed: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, listed, "the i_ files and the table differ");
    for ((name, bytes), (_, expected)) in files.iter().zip(table) {
        let e = json::value_from_slice(bytes, &Options::default())
            .expect_err("every i_ file is refused strictly");
        check_error(Format::Json, &e);
        let found = match e.kind() {
            ErrorKind::IntegerOutOfRange(_) => OutOfRange,
            ErrorKind::NotAnInteger(_) => NotAnInteger,
            ErrorKind::LoneSurrogate(_) => LoneSurrogate,
            ErrorKind::InvalidUtf8 => InvalidUtf8,
            ErrorKind::Syntax(_) => Syntax,
            ErrorKind::TooDeep { limit: 64 } => TooDeep,
            ErrorKind::ByteOrderMark => ByteOrderMark,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(&found, expected, "{name}: {e}");
        let kept = json::value_from_slice(bytes, &lenient());
        let deep = Options::default().max_depth(exev_codec::MAX_DEPTH_CEILING);
        match expected {
            OutOfRange | NotAnInteger => assert!(kept.is_ok(), "{name}: {kept:?}"),
            TooDeep => assert!(json::value_from_slice(bytes, &deep).is_ok(), "{name}"),
            _ => assert!(kept.is_err(), "{name} accepted leniently"),
        }
    }
}

fn block(value: &str) -> String {
    format!(r#"{{"type":"org.example.t","content":{{"org.example.b":{value}}}}}"#)
}

#[test]
fn numbers_that_are_integers_read_as_integers_and_others_are_refused_at_their_byte() {
    for (ok, expected) in [
        ("9007199254740991", 9_007_199_254_740_991),
        ("-9007199254740991", -9_007_199_254_740_991),
        ("-0", 0),
        ("1e10", 10_000_000_000),
        ("2.0", 2),
        ("1E+2", 100),
        ("0.5e1", 5),
    ] {
        let e = json::from_slice(block(ok).as_bytes()).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(
            e.content().get_raw("org.example.b"),
            Some(&Value::Integer(expected))
        );
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
        let e = json::from_slice(block(bad).as_bytes()).unwrap_err();
        assert_eq!(e.kind(), &kind, "{bad}");
        assert_eq!(e.category(), Category::DataModel);
        assert_eq!(e.path().to_string(), r#"content["org.example.b"]"#);
        let at = block(bad).find(bad).unwrap();
        assert_eq!(e.position().unwrap().offset(), at, "{bad}: {e}");
    }
}

#[test]
fn lenient_numbers_are_kept_verbatim() {
    for literal in [
        "1.5",
        "1.50",
        "9007199254740992",
        "-1e400",
        "123456789012345678901234567890",
    ] {
        let event = json::from_slice_with(block(literal).as_bytes(), &lenient()).unwrap();
        let canonical =
            format!(r#"{{"content":{{"org.example.b":{literal}}},"type":"org.example.t"}}"#);
        assert_eq!(
            json::to_vec(&event).unwrap(),
            canonical.as_bytes(),
            "{literal}"
        );
        assert!(!event.to_value().is_canonical());
    }
}

#[test]
fn escapes_count_by_what_they_decode_to() {
    let options = Options::default().max_string_bytes(100);
    // Fifty `\u00e9` are 300 bytes of input, 100 of string.
    let at = block(&format!("\"{}\"", "\\u00e9".repeat(50)));
    assert!(json::from_slice_with(at.as_bytes(), &options).is_ok());
    let past = block(&format!("\"{}\"", "\\u00e9".repeat(51)));
    let e = json::from_slice_with(past.as_bytes(), &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::StringTooLong { limit: 100 });
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
        (br#"{"type":"m.message","content":{"a":"\ud800"}}"#, "lone surrogate \\ud800", "content.a", (1, 37)),
        (br#"{"type":"m.message","content":{"a":"\udc00\ud800"}}"#, "lone surrogate \\udc00", "content.a", (1, 37)),
        (b"{\"type\":\"m.message\",\"content\":{\"a\":\"\xff\"}}", "invalid UTF-8", "content.a", (1, 37)),
        (b"{\"type\":\"m.message\",\"content\":{}} x", "trailing data after the event", "$", (1, 35)),
        (b"{\"type\":\"m.message\",\"content\":{\"a\":\"\t\"}}", "raw control character U+0009", "content.a", (1, 37)),
        (b"{\"type\":\"m.message\",\"content\":{\"a\":[1,]}}", "expected a value, found `]`", "content.a[1]", (1, 39)),
        (b"{\"type\":1,\"content\":{}}", "`type` must be a string", "type", (1, 9)),
        (b"{\"content\":{}}", "an event needs a `type` member", "type", (1, 14)),
        (b"{\"type\":\"x\",\"content\":[]}", "`content` must be an object", "content", (1, 23)),
        (b"[]", "an event must be a JSON object", "$", (1, 1)),
        (b"", "unexpected end of input", "$", (1, 1)),
        (b"\xEF\xBB\xBF{}", "byte-order mark", "$", (1, 1)),
        (b"{\"type\":\"x\",\"content\":{\"a\":tru}}", "expected a value, found `t`", "content.a", (1, 28)),
        (r#"{"type":"a","content":{},"type":"b"}"#.as_bytes(), "duplicate key \"type\"", "type", (1, 26)),
        (r#"{"content":{},"type":"a","content":{}}"#.as_bytes(), "duplicate key \"content\"", "content", (1, 26)),
    ];
    for (input, message, path, (line, column)) in cases {
        let e = json::from_slice(input).expect_err("must be refused");
        check_error(Format::Json, &e);
        let shown = e.to_string();
        assert!(shown.contains(message), "{shown}");
        assert_eq!(e.path().to_string(), *path, "{shown}");
        assert!(
            matches!(e.position(), Some(Position::Text { line: l, column: c, .. }) if (l, c) == (*line, *column)),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("line {line}, column {column}")),
            "{shown}"
        );
    }
}

#[test]
fn ndjson_lines() {
    // Blank and whitespace-only lines are skipped, `\r\n` ends a line, the last line may end
    // without a newline, and errors are at the stream's line and column.
    let stream = b"{\"type\":\"a\",\"content\":{}}\n\n  \t\n{ \"content\":{}, \"type\":\"b\" }\r\n{\"type\":\"c\",\"content\":{}}";
    let types: Vec<String> = json::StreamReader::new(&stream[..])
        .map(|e| e.unwrap().event_type().to_owned())
        .collect();
    assert_eq!(types, ["a", "b", "c"]);
    let bad = b"{\"type\":\"a\",\"content\":{}}\n\n{\"type\":\"b\",\"content\":{\"n\":1.5}}\n";
    let results: Vec<_> = json::StreamReader::new(&bad[..]).collect();
    let e = results[1].as_ref().unwrap_err();
    let offset = bad.windows(3).position(|w| w == b"1.5").unwrap();
    let line_start = bad[..offset].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let column = offset - line_start + 1;
    assert_eq!(
        e.position(),
        Some(Position::Text {
            line: 3,
            column,
            offset
        })
    );
    assert_eq!(
        e.to_string(),
        format!(
            "number 1.5 is not an integer: canonical JSON allows integers only at content.n \
             (line 3, column {column}, byte {offset})"
        )
    );
    // A line at the size limit, and one past it (its `\r` aside).
    let line = |n: usize| block(&format!("\"{}\"", "a".repeat(n)));
    let base = line(0).len();
    let at = format!("{}\r\n", line(100 - base));
    let options = Options::default().max_bytes(100);
    assert!(json::StreamReader::with_options(at.as_bytes(), options.clone()).all(|e| e.is_ok()));
    let past = format!("{}\r\n", line(101 - base));
    let e = json::StreamReader::with_options(past.as_bytes(), options)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::TooLarge {
            size: 101,
            limit: 100
        }
    );
    assert!(matches!(
        e.position(),
        Some(Position::Text {
            line: 1,
            offset: 100,
            ..
        })
    ));
}

#[test]
fn pretty_output_is_the_same_event() {
    for (name, event) in crate::common::msc_events() {
        let pretty = json::to_vec_pretty(&event).unwrap();
        assert!(pretty.contains(&b'\n'), "{name}");
        assert_eq!(json::from_slice(&pretty).unwrap(), event, "{name}");
    }
}

/// Duplicate keys in objects past the one-by-one check, nested and side by side.
#[test]
fn duplicate_keys_past_the_linear_check() {
    crate::common::check_duplicate_keys("json", crate::common::members_json, |bytes| {
        json::value_from_slice(bytes, &Options::default())
    });
}
