//! The `exev` command as scripts use it: outputs, exit statuses and one-line errors.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use exev::Value;
use exev_codec::{Options, json};

fn exev(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exev"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("exev runs");
    let mut input = child.stdin.take().unwrap();
    // The command may exit before reading everything (a size limit); that is fine.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

fn vectors() -> PathBuf {
    std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    )
}

fn msc_examples() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(vectors().join("msc"))
        .expect("the MSC vectors are in ../shared/vectors/msc")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".canonical.json"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".canonical.json", "");
            (name, p)
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 28);
    files
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn convert_gives_back_every_msc_example_byte_for_byte() {
    for (name, path) in msc_examples() {
        let out = exev(&["convert", "--to", "json", path.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(out.stdout, std::fs::read(&path).unwrap(), "{name}");
    }
}

/// The MSC examples whose known blocks do not read typed, each for a discrepancy in the MSC
/// text that the digest documents.
const DOCUMENTED_DISCREPANCIES: &[(&str, &str, &str)] = &[
    // Digest §4.8: MSC3488's examples still use the old v1 string `m.text`.
    ("V20", "m.text", "obsolete MSC1767 v1 string form"),
    ("V21", "m.text", "obsolete MSC1767 v1 string form"),
    // Digest §2.11 / §8.3: MSC3644 was written against the v1 shape (string `m.text`).
    ("V27", "m.text", "obsolete MSC1767 v1 string form"),
    ("V28", "m.text", "obsolete MSC1767 v1 string form"),
];

#[test]
fn inspect_reads_every_known_block_of_the_msc_examples() {
    for (name, path) in msc_examples() {
        let out = exev(
            &["inspect", "--format", "json", path.to_str().unwrap()],
            b"",
        );
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let report = json::value_from_slice(&out.stdout, &Options::default()).unwrap();
        let blocks = report.get("blocks").and_then(Value::as_array).unwrap();
        for block in blocks {
            let block_name = block.get("name").and_then(Value::as_str).unwrap();
            match block.get("typed").and_then(Value::as_str) {
                None => assert_eq!(block.get("known"), Some(&Value::Bool(false))),
                Some("ok") => {}
                Some(_) => {
                    let error = block.get("error").and_then(Value::as_str).unwrap();
                    let documented = DOCUMENTED_DISCREPANCIES.iter().any(|(v, b, reason)| {
                        *v == name && *b == block_name && error.contains(reason)
                    });
                    assert!(
                        documented,
                        "{name} {block_name}: undocumented failure: {error}"
                    );
                }
            }
        }
    }
    // And each documented discrepancy really is seen.
    for (v, block, reason) in DOCUMENTED_DISCREPANCIES {
        let path = vectors().join(format!("msc/{v}.canonical.json"));
        let out = exev(&["inspect", path.to_str().unwrap()], b"");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(block))
            .unwrap();
        assert!(
            line.contains("error") && line.contains(reason),
            "{v}: {line}"
        );
    }
}

#[test]
fn bad_input_exits_1_with_one_line_naming_the_problem_and_where() {
    let cases: &[(&[u8], &str)] = &[
        (
            br#"{"type":"m.message","content":{"a":1.5}}"#,
            "number 1.5 is not an integer: canonical JSON allows integers only at content.a (line 1, column 36, byte 35)",
        ),
        (
            br#"{"type":"m.message","content":{"a":1,"a":2}}"#,
            "duplicate key \"a\" at content.a (line 1, column 38, byte 37)",
        ),
        (
            br#"{"type":"m.message","content":{"a":9007199254740992}}"#,
            "outside the canonical-JSON range",
        ),
        (
            br#"{"type":"m.message","content":{"a":"\udead"}}"#,
            "lone surrogate \\udead",
        ),
        (
            b"{\"type\":\"m.message\",\"content\":{\"a\":\"\xc3\x28\"}}",
            "invalid UTF-8 at content.a",
        ),
        (
            br#"{"type":"m.message","content":{}}{}"#,
            "trailing data after the event at $ (line 1, column 34, byte 33)",
        ),
        (
            br#"{"type":"m.message"}"#,
            "an event needs a `content` member",
        ),
    ];
    for (input, message) in cases {
        for command in ["convert", "inspect"] {
            let out = exev(&[command], input);
            assert_eq!(out.status.code(), Some(1), "{command} {message}");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.starts_with("exev: error: <stdin>: "), "{err}");
            assert!(err.contains(message), "{command}: {err} lacks {message}");
            assert!(out.stdout.is_empty());
        }
    }
}

#[test]
fn error_format_json_is_one_object() {
    let out = exev(
        &["--error-format", "json", "convert", "-"],
        br#"{"type":"x","content":{"m.text":[{"body":"a","body":"b"}]}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1);
    let v = json::value_from_slice(err.trim_end().as_bytes(), &Options::default()).unwrap();
    let e = v.get("error").unwrap();
    assert_eq!(
        e.get("category").and_then(Value::as_str),
        Some("data-model")
    );
    assert_eq!(
        e.get("path").and_then(Value::as_str),
        Some(r#"content["m.text"][0].body"#)
    );
    assert_eq!(
        e.get("pointer").and_then(Value::as_str),
        Some("/content/m.text/0/body")
    );
    assert_eq!(e.get("line"), Some(&Value::Integer(1)));
    assert_eq!(e.get("column"), Some(&Value::Integer(46)));
    assert_eq!(e.get("source").and_then(Value::as_str), Some("<stdin>"));
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["convert", "--to", "yaml"][..],
        &["frobnicate"][..],
        &["convert", "--no-such-flag"][..],
        &[][..],
    ] {
        let out = exev(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = exev(&["convert", "/no/such/file.json"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/no/such/file.json"));
}

#[test]
fn pretty_and_stream() {
    let out = exev(
        &["convert", "--pretty"],
        br#"{"type":"m.emote","content":{"m.text":[{"body":"hi"}]}}"#,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\n  \"content\": {\n    \"m.text\": [\n      {\n        \"body\": \"hi\"\n      }\n    ]\n  },\n  \"type\": \"m.emote\"\n}\n"
    );
    let stream =
        b"{\"type\":\"a\",\"content\":{}}\n\n{ \"content\":{\"x\":1}, \"type\":\"b\" }\r\n";
    let out = exev(&["convert", "--stream"], stream);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        out.stdout,
        b"{\"content\":{},\"type\":\"a\"}\n{\"content\":{\"x\":1},\"type\":\"b\"}\n"
    );
    // An error in a stream names the line.
    let out = exev(
        &["convert", "--stream"],
        b"{\"type\":\"a\",\"content\":{}}\n{\"type\":1}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("<stdin>:2: "), "{}", stderr(&out));
}

#[test]
fn lenient_keeps_out_of_model_numbers() {
    let input = br#"{"type":"x","content":{"f":1.5,"big":18446744073709551616}}"#;
    assert_eq!(exev(&["convert"], input).status.code(), Some(1));
    let out = exev(&["convert", "--lenient"], input);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        b"{\"content\":{\"big\":18446744073709551616,\"f\":1.5},\"type\":\"x\"}\n"
    );
}

/// Hostile inputs of up to 1 MiB: every command refuses them with status 1 and one line,
/// never a panic (status 101) or a signal.
#[test]
fn hostile_inputs_are_refused_cleanly() {
    let mib = 1 << 20;
    let mut inputs: Vec<(&str, Vec<u8>)> = vec![
        ("deep arrays", "[".repeat(mib).into_bytes()),
        ("deep objects", "{\"a\":".repeat(mib / 5).into_bytes()),
        (
            "huge string",
            format!("\"{}\"", "a".repeat(mib - 2)).into_bytes(),
        ),
        ("huge number", "9".repeat(mib).into_bytes()),
        ("nul bytes", vec![0u8; mib]),
        ("high bytes", vec![0xFFu8; mib]),
        ("escapes", "\"\\u".repeat(mib / 3).into_bytes()),
        ("deep event at 64 KiB", {
            let mut s = String::from(r#"{"type":"x","content":{"a":"#);
            s.push_str(&"[".repeat(65_536 - s.len()));
            s.into_bytes()
        }),
    ];
    let mut seed = 0x1767u64;
    let random: Vec<u8> = (0..mib)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 56) as u8
        })
        .collect();
    inputs.push(("random bytes", random));
    for (what, input) in &inputs {
        for command in [
            &["convert"][..],
            &["inspect"][..],
            &["convert", "--stream"][..],
        ] {
            let out = exev(command, input);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{what} via {command:?}: {}",
                stderr(&out)
            );
            assert_eq!(stderr(&out).lines().count(), 1, "{what}: {}", stderr(&out));
        }
    }
}

#[test]
fn demo_runs_the_tour() {
    let out = exev(&["demo"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "m.message (built-in, stable name)",
        "m.poll.start",
        "org.example.temperature (not built in)",
        "m.thumbnail",
        r#"error: content["m.file"]: missing required field `url`"#,
        "decodes to the same event",
        "summary: 5 events",
    ] {
        assert!(text.contains(expected), "demo output lacks {expected:?}");
    }
    assert!(!text.contains("DIFFERENT"));
}

#[test]
fn cbor_round_trips_every_msc_example() {
    for (name, path) in msc_examples() {
        let out = exev(&["convert", "--to", "cbor", path.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let cbor = out.stdout;
        // Raw bytes, no newline: exactly the library's deterministic encoding.
        let event = json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(cbor, exev_codec::cbor::to_vec(&event).unwrap(), "{name}");
        for from in [&["--from", "cbor"][..], &["--from", "auto"][..], &[][..]] {
            let mut args = vec!["convert", "--to", "json"];
            args.extend_from_slice(from);
            let back = exev(&args, &cbor);
            assert_eq!(back.status.code(), Some(0), "{name}: {}", stderr(&back));
            assert_eq!(back.stdout, std::fs::read(&path).unwrap(), "{name}");
        }
        // CBOR to CBOR is the identity on deterministic input.
        let again = exev(&["convert", "--from", "cbor", "--to", "cbor"], &cbor);
        assert_eq!(again.stdout, cbor, "{name}");
    }
}

#[test]
fn cbor_diagnostic_notation() {
    let out = exev(
        &["convert", "--to", "cbor-diag"],
        br#"{"type":"m.emote","content":{"m.text":[{"body":"hi \"there\""}],"zz":[1,-2,null,true],"aaa":{}}}"#,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"type\": \"m.emote\", \"content\": {\"zz\": [1, -2, null, true], \"aaa\": {}, \
         \"m.text\": [{\"body\": \"hi \\\"there\\\"\"}]}}\n"
    );
    // Lenient numbers show as what CBOR carries: integers and floats.
    let out = exev(
        &["convert", "--lenient", "--to", "cbor-diag"],
        br#"{"type":"x","content":{"f":1.5,"big":18446744073709551615,"e":1e300}}"#,
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"type\": \"x\", \"content\": {\"e\": 1.0e+300, \"f\": 1.5, \"big\": 18446744073709551615}}\n"
    );
}

#[test]
fn cbor_streams_are_sequences() {
    let ndjson = b"{\"type\":\"a\",\"content\":{}}\n{\"type\":\"b\",\"content\":{\"x\":[1]}}\n";
    let out = exev(&["convert", "--stream", "--to", "cbor"], ndjson);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut expected = Vec::new();
    for line in ndjson.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        expected.extend(exev_codec::cbor::to_vec(&json::from_slice(line).unwrap()).unwrap());
    }
    assert_eq!(out.stdout, expected);
    for from in ["auto", "cbor"] {
        let back = exev(&["convert", "--stream", "--from", from], &out.stdout);
        assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
        assert_eq!(
            back.stdout,
            b"{\"content\":{},\"type\":\"a\"}\n{\"content\":{\"x\":[1]},\"type\":\"b\"}\n"
        );
    }
    // An error names the item and the byte offset in the stream.
    let mut broken = out.stdout.clone();
    broken.pop();
    let back = exev(&["convert", "--stream", "--from", "cbor"], &broken);
    assert_eq!(back.status.code(), Some(1));
    assert_eq!(back.stdout, b"{\"content\":{},\"type\":\"a\"}\n");
    assert_eq!(
        stderr(&back),
        format!(
            "exev: error: <stdin>#2: unexpected end of input, expected the rest of a container \
             at content.x (byte {})\n",
            broken.len()
        )
    );
}

#[test]
fn bad_cbor_exits_1_with_one_line_naming_the_problem_and_where() {
    // {"type": "x", "content": {...}} with the content map below.
    let event = |content: &[u8]| {
        let mut v = b"\xa2\x64type\x61x\x67content".to_vec();
        v.extend_from_slice(content);
        v
    };
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            event(b"\xa1\x61n\xf9\x3e\x00"),
            "the float 1.5 is outside the canonical-JSON data model at content.n (byte 19)",
        ),
        (
            event(b"\xa1\x61b\x42\x01\x02"),
            "a byte string is outside the canonical-JSON data model at content.b (byte 19)",
        ),
        (
            event(b"\xa2\x61a\x01\x61a\x02"),
            "duplicate key \"a\" at content.a (byte 20)",
        ),
        (
            event(b"\xa1\x01\x02"),
            "a map key that is an unsigned integer (keys must be text strings) is outside the \
             canonical-JSON data model at content (byte 17)",
        ),
        (
            event(b"\xa1\x61t\x81\xc1\x00"),
            "tag 1 is outside the canonical-JSON data model at content.t[0] (byte 20)",
        ),
        (
            event(b"\xa1\x61s\x62\xc3\x28"),
            "invalid UTF-8 at content.s (byte 20)",
        ),
        (
            event(b"\xa1\x61s\x7a\xff\xff\xff\xff"),
            "unexpected end of input, expected the rest of a text string at content.s (byte 24)",
        ),
        (
            event(b"\xa0\x00"),
            "trailing data after the event at $ (byte 17)",
        ),
        (
            b"\xa1\x64type\x61x".to_vec(),
            "not an event: an event needs a `content` member at content (byte 0)",
        ),
    ];
    for (input, message) in &cases {
        for command in [
            &["convert"][..],
            &["convert", "--from", "cbor"],
            &["inspect"],
        ] {
            let out = exev(command, input);
            assert_eq!(out.status.code(), Some(1), "{command:?} {message}");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{err}");
            assert_eq!(
                err,
                format!("exev: error: <stdin>: {message}\n"),
                "{command:?}"
            );
            assert!(out.stdout.is_empty());
        }
    }
    // As JSON: the byte offset, no line or column.
    let out = exev(
        &["--error-format", "json", "convert"],
        &event(b"\xa1\x61n\xf9\x3e\x00"),
    );
    let v =
        json::value_from_slice(stderr(&out).trim_end().as_bytes(), &Options::default()).unwrap();
    let e = v.get("error").unwrap();
    assert_eq!(e.get("offset"), Some(&Value::Integer(19)));
    assert_eq!(e.get("line"), None);
    assert_eq!(e.get("path").and_then(Value::as_str), Some("content.n"));
    assert_eq!(
        e.get("category").and_then(Value::as_str),
        Some("data-model")
    );
}

#[test]
fn hostile_cbor_is_refused_cleanly() {
    let mib = 1 << 20;
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("deep maps", [0xa1, 0x61, b'a'].repeat(mib / 3)),
        ("deep indefinite maps", [0xbf, 0x61, b'a'].repeat(mib / 3)),
        (
            "huge text",
            vec![0xa1, 0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ),
        (
            "huge map",
            vec![0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ),
        ("maps of breaks", [0xbf, 0xff].repeat(mib / 2)),
        ("empty maps", vec![0xa0; mib]),
    ];
    for (what, input) in &inputs {
        for command in [
            &["convert"][..],
            &["convert", "--from", "cbor", "--to", "cbor"][..],
            &["inspect"][..],
            &["convert", "--stream"][..],
            &["convert", "--stream", "--from", "cbor", "--to", "cbor-diag"][..],
        ] {
            let out = exev(command, input);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{what} via {command:?}: {}",
                stderr(&out)
            );
            assert_eq!(stderr(&out).lines().count(), 1, "{what}: {}", stderr(&out));
        }
    }
}
