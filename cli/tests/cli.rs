//! The `exev` command as scripts use it: outputs, exit statuses and one-line errors.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::exev;
use std::path::PathBuf;
use std::process::Output;

use exev::Value;
use exev_codec::{Options, json};

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
        for command in ["convert", "inspect", "render"] {
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
        // --registry needs its directory; registry needs a subcommand.
        &["render", "--registry"][..],
        &["registry"][..],
        &["render", "--format", "yaml"][..],
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
            &["render", "--format", "json"][..],
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
        "decodes to the same event: yes",
        "5 events, ",
        // Every encoding gives the event back.
        "org.example.temperature     240    200       196  yes",
        // Fallbacks: the image for a client that knows files but not images.
        "a client that knows m.message and m.file rendered as m.file",
        // Legacy, hybrid, and the hybrid that lies.
        "extensible back to legacy gives the message: yes",
        "Transfer DENIED",
        // The timeline: edited, reactions counted, redaction, the latest vote per voter.
        "$1 @alice:example.org m.message: Lunch at 12:30? (edited) [👍 2]",
        "(reply to $1)",
        "unrenderable:  (redacted)",
        "Pizza: 2 votes; Sushi: 0 votes",
        // MIMI, built, mapped, back byte for byte, and folded with its reaction.
        "event to MIMI gives the same bytes: yes",
        "m.message: Release 2.0 is out! [🎉 1]",
        // Strict decoding, with positions.
        "(line 1, column 44, byte 43)",
        "[eof] unexpected end of input",
    ] {
        assert!(text.contains(expected), "demo output lacks {expected:?}");
    }
    assert!(!text.contains(": NO"), "a check of the tour did not hold");
    let summary = text.lines().last().unwrap();
    let (run, held) = summary
        .strip_prefix("summary: ")
        .and_then(|s| s.split_once(" checks, "))
        .unwrap();
    assert_eq!(held, format!("{run} held"), "{summary}");
}

#[test]
fn gen_is_deterministic_and_its_hostile_share_is_refused() {
    let args = ["gen", "--count", "1000", "--seed", "1", "--hostile", "25"];
    let first = exev(&args, b"");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(
        first.stdout,
        exev(&args, b"").stdout,
        "same seed, same bytes"
    );
    assert_ne!(
        first.stdout,
        exev(
            &["gen", "--count", "1000", "--seed", "2", "--hostile", "25"],
            b""
        )
        .stdout
    );
    // Event i does not depend on the count.
    let ten = exev(
        &["gen", "--count", "10", "--seed", "1", "--hostile", "25"],
        b"",
    );
    assert!(first.stdout.starts_with(&ten.stdout));

    let dir = std::env::temp_dir().join(format!("exev-gen-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = exev(
        &[
            "gen",
            "--count",
            "1000",
            "--seed",
            "1",
            "--hostile",
            "25",
            "--out",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (mut valid, mut hostile) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let decoded = json::from_slice(&bytes);
        if name.contains("-valid.") {
            valid += 1;
            let event = decoded.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(json::to_vec(&event).unwrap(), bytes, "{name} is canonical");
        } else {
            hostile += 1;
            let err = decoded.expect_err(&name);
            assert!(err.position().is_some(), "{name}: {err}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(valid + hostile, 1000);
    assert!(
        (150..350).contains(&hostile),
        "{hostile} hostile of 1000 at 25 %"
    );
    // The stream form is refused as a whole at its first hostile line, with the line number.
    let out = exev(&["convert", "--stream"], &first.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("exev: error: <stdin>:"),
        "{}",
        stderr(&out)
    );
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
fn names_profiles() {
    let v16 = vectors().join("msc/V16.canonical.json");
    let out = exev(
        &["convert", "--names", "stable", v16.to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let event = json::from_slice(out.stdout.trim_ascii_end()).unwrap();
    assert_eq!(event.event_type(), "m.poll.start");
    assert!(event.content().get_raw("m.poll").is_some());
    assert!(event.content().get_raw("m.text").is_some());

    let v07 = vectors().join("msc/V07.canonical.json");
    let out = exev(
        &["convert", "--names", "unstable", v07.to_str().unwrap()],
        b"",
    );
    let unstable = json::from_slice(out.stdout.trim_ascii_end()).unwrap();
    assert_eq!(unstable.event_type(), "org.matrix.msc1767.image");
    assert!(
        unstable
            .content()
            .as_object()
            .keys()
            .all(|k| k.starts_with("org.matrix.msc1767."))
    );
    // Back to stable gives the original event.
    let back = exev(&["convert", "--names", "stable", "-"], &out.stdout);
    assert_eq!(back.stdout, std::fs::read(&v07).unwrap());
    // keep is the default and changes nothing.
    let kept = exev(&["convert", "--names", "keep", v16.to_str().unwrap()], b"");
    assert_eq!(kept.stdout, std::fs::read(&v16).unwrap());
}

/// What `exev render` gives for every MSC example, for a client that knows every built-in
/// type (the default) and for one that knows only `m.message`.
const RENDER_OUTCOMES: &[(&str, &str, &str)] = &[
    ("V01", "rendered m.message", "rendered m.message"),
    ("V02", "rendered m.message", "rendered m.message"),
    ("V03", "rendered m.message", "rendered m.message"),
    ("V04", "rendered m.emote", "rendered m.message"),
    ("V05", "rendered m.emote", "rendered m.message"),
    ("V06", "rendered m.file", "rendered m.message"),
    ("V07", "rendered m.image", "rendered m.message"),
    ("V08", "rendered m.video", "rendered m.message"),
    ("V09", "rendered m.audio", "rendered m.message"),
    ("V11", "encrypted m.encrypted", "encrypted m.encrypted"),
    ("V12", "rendered m.message", "rendered m.message"),
    ("V13", "rendered m.poll.start", "rendered m.message"),
    ("V14", "hidden m.poll.response", "hidden m.poll.response"),
    ("V15", "rendered m.poll.end", "rendered m.message"),
    ("V16", "rendered m.poll.start", "rendered m.message"),
    ("V17", "hidden m.poll.response", "hidden m.poll.response"),
    ("V18", "rendered m.poll.end", "rendered m.message"),
    ("V20", "rendered m.location", "unrenderable"),
    ("V21", "rendered m.location", "rendered m.message"),
    ("V22", "state m.beacon_info", "state m.beacon_info"),
    ("V23", "rendered m.beacon", "unrenderable"),
    ("V24", "state m.beacon_info", "state m.beacon_info"),
    ("V25", "rendered m.beacon", "unrenderable"),
    ("V27", "hidden m.message", "hidden m.message"),
    ("V28", "hidden m.message", "hidden m.message"),
    ("V29", "rendered m.message", "rendered m.message"),
    ("V30", "rendered m.message", "rendered m.message"),
    ("V31", "rendered m.message", "rendered m.message"),
];

fn render_json(args: &[&str], stdin: &[u8]) -> Value {
    let mut all = vec!["render", "--format", "json"];
    all.extend_from_slice(args);
    let out = exev(&all, stdin);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    assert!(out.stderr.is_empty());
    json::value_from_slice(&out.stdout, &Options::default()).unwrap()
}

fn brief(rendering: &Value) -> String {
    let outcome = rendering.get("outcome").and_then(Value::as_str).unwrap();
    match rendering.get("as").and_then(Value::as_str) {
        Some(schema) => format!("{outcome} {schema}"),
        None => outcome.to_owned(),
    }
}

#[test]
fn render_every_msc_example() {
    let examples = msc_examples();
    assert_eq!(examples.len(), RENDER_OUTCOMES.len());
    for ((name, path), (v, everything, text_only)) in examples.iter().zip(RENDER_OUTCOMES) {
        assert_eq!(name, v);
        let path = path.to_str().unwrap();
        let r = render_json(&[path], b"");
        assert_eq!(brief(&r), *everything, "{name}");
        // The members scripts rely on, with their types.
        assert!(r.get("text").and_then(Value::as_str).is_some(), "{name}");
        assert!(
            matches!(r.get("html"), Some(Value::Null | Value::String(_))),
            "{name}"
        );
        assert!(
            r.get("automated").and_then(Value::as_bool).is_some(),
            "{name}"
        );
        assert!(
            matches!(r.get("as"), Some(Value::Null | Value::String(_))),
            "{name}"
        );
        let r = render_json(&["--know", "m.message", path], b"");
        assert_eq!(brief(&r), *text_only, "{name} for a text-only client");
    }
}

#[test]
fn render_text_html_and_capabilities() {
    let v01 = vectors().join("msc/V01.canonical.json");
    let v01 = v01.to_str().unwrap();
    let text = exev(&["render", v01], b"");
    assert_eq!(
        (text.status.code(), text.stdout),
        (Some(0), b"Hello world\n".to_vec())
    );
    let html = exev(&["render", "--format", "html", v01], b"");
    assert_eq!(html.stdout, b"<i>Hello world</i>\n");
    // Without HTML, --format html gives the text escaped.
    let out = exev(
        &["render", "--format", "html", "-"],
        br#"{"type":"m.message","content":{"m.text":[{"body":"a < b"}]}}"#,
    );
    assert_eq!(out.stdout, b"a &lt; b\n");

    // V08 for a client that cannot play MP4: the file, and why.
    let v08 = vectors().join("msc/V08.canonical.json");
    let r = render_json(
        &["--mimetypes", "video/webm,image/*", v08.to_str().unwrap()],
        b"",
    );
    assert_eq!(brief(&r), "rendered m.file");
    let attempts = r.get("attempts").and_then(Value::as_array).unwrap();
    let video = &attempts[0];
    assert_eq!(video.get("schema").and_then(Value::as_str), Some("m.video"));
    assert_eq!(video.get("matched"), Some(&Value::Bool(false)));
    assert_eq!(video.get("block").and_then(Value::as_str), Some("m.file"));
    assert!(
        video
            .get("reason")
            .and_then(Value::as_str)
            .unwrap()
            .contains("does not understand the file's mimetype video/mp4")
    );
    // A client that knows nothing renders nothing, and still exits 0.
    let r = render_json(&["--know", "", v08.to_str().unwrap()], b"");
    assert_eq!(brief(&r), "unrenderable");
    // The automated flag of V05.
    let v05 = vectors().join("msc/V05.canonical.json");
    let r = render_json(&[v05.to_str().unwrap()], b"");
    assert_eq!(r.get("automated"), Some(&Value::Bool(true)));
}

#[test]
fn render_says_what_it_skipped() {
    let event = br#"{"type":"m.image","content":{
        "m.text":[{"body":"cat.png"},{"mimetype":"text/html"}],
        "m.file":{"url":"mxc://example.org/cat","mimetype":"image/png"},
        "m.thumbnail":[{"m.file":{"url":"mxc://example.org/t"}}],
        "m.caption":{"m.text":"a string"},
        "org.example.sparkles":true
    }}"#;
    let r = render_json(&[], event);
    assert_eq!(brief(&r), "rendered m.image");
    assert_eq!(r.get("text").and_then(Value::as_str), Some("cat.png"));
    let skipped: Vec<&str> = r
        .get("skipped")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|s| s.get("path").and_then(Value::as_str).unwrap())
        .collect();
    assert_eq!(
        skipped,
        [
            r#"content["m.thumbnail"][0]["m.file"]"#,
            r#"content["m.caption"]["m.text"]"#,
            r#"content["m.text"][1]"#,
        ]
    );
    let ignored = r.get("ignored").and_then(Value::as_array).unwrap();
    assert_eq!(ignored.len(), 1);
    assert_eq!(
        ignored[0].get("name").and_then(Value::as_str),
        Some("org.example.sparkles")
    );
    let media = r.get("media").unwrap();
    assert_eq!(media.get("thumbnail"), Some(&Value::Null));
    assert_eq!(media.get("caption"), Some(&Value::Null));
}

#[test]
fn inspect_shows_the_rendering() {
    let v07 = vectors().join("msc/V07.canonical.json");
    let out = exev(&["inspect", v07.to_str().unwrap()], b"");
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("render ")).unwrap();
    assert_eq!(
        line,
        r#"render   rendered as m.image: "matrix.png (12 KB) https://example.org/_…""#
    );
    let v14 = vectors().join("msc/V14.canonical.json");
    let out = exev(&["inspect", "--format", "json", v14.to_str().unwrap()], b"");
    let report = json::value_from_slice(&out.stdout, &Options::default()).unwrap();
    let rendering = report.get("rendering").unwrap();
    assert_eq!(brief(rendering), "hidden m.poll.response");
    assert_eq!(rendering.get("text").and_then(Value::as_str), Some(""));
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

#[test]
fn protobuf_both_ways_single_and_streamed() {
    let mut all = Vec::new();
    for (name, path) in msc_examples() {
        let canonical = std::fs::read(&path).unwrap();
        let out = exev(&["convert", "--to", "proto", path.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let wire = out.stdout;
        assert_eq!(
            exev_codec::proto::from_slice(&wire).unwrap(),
            json::from_slice(canonical.trim_ascii_end()).unwrap()
        );
        // Back to JSON, named and detected.
        for from in ["proto", "auto"] {
            let out = exev(&["convert", "--from", from, "--to", "json"], &wire);
            assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
            assert_eq!(out.stdout, canonical, "{name} --from {from}");
        }
        all.extend_from_slice(&canonical);
    }
    // NDJSON in, length-delimited Protobuf out, and back.
    let out = exev(&["convert", "--stream", "--to", "proto"], &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let back = exev(
        &["convert", "--stream", "--from", "proto", "--to", "json"],
        &out.stdout,
    );
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert_eq!(back.stdout, all);
    // A stream cut short: exit 1, one line with the event's number and the byte offset.
    let cut = &out.stdout[..out.stdout.len() - 3];
    let bad = exev(&["convert", "--stream", "--from", "proto"], cut);
    assert_eq!(bad.status.code(), Some(1));
    let err = stderr(&bad);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("<stdin>:28") && err.contains("byte "), "{err}");
}

#[test]
fn protobuf_errors_and_inspect_sizes() {
    // Malformed Protobuf: exit 1, one line with a byte offset.
    let out = exev(&["convert", "--from", "proto"], b"\x12\x09m.x");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("(byte 1)"), "{err}");
    let out = exev(
        &["inspect", "--format", "json"],
        br#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]}}"#,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json::value_from_slice(&out.stdout, &Options::default()).unwrap();
    let sizes = report.get("sizes").unwrap();
    assert_eq!(sizes.get("json").and_then(Value::as_i64), Some(57));
    assert!(sizes.get("proto").and_then(Value::as_i64).unwrap() < 20);
    let out = exev(
        &["inspect"],
        br#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]}}"#,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("; Protobuf "), "{text}");
}

#[test]
fn gen_in_cbor_and_protobuf() {
    for (to, decode) in [
        (
            "cbor",
            exev_codec::cbor::from_slice as fn(&[u8]) -> Result<exev::Event, exev_codec::Error>,
        ),
        ("proto", exev_codec::proto::from_slice),
    ] {
        let args = [
            "gen",
            "--count",
            "1000",
            "--seed",
            "1",
            "--to",
            to,
            "--hostile",
            "25",
        ];
        let first = exev(&args, b"");
        assert_eq!(first.status.code(), Some(0), "{to}: {}", stderr(&first));
        assert_eq!(
            first.stdout,
            exev(&args, b"").stdout,
            "{to}: same seed, same bytes"
        );
        let dir = std::env::temp_dir().join(format!("exev-gen-{to}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut out_args = args.to_vec();
        out_args.extend_from_slice(&["--out", dir.to_str().unwrap()]);
        assert_eq!(exev(&out_args, b"").status.code(), Some(0));
        let (mut valid, mut hostile) = (0, 0);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).unwrap();
            if name.contains("-valid.") {
                valid += 1;
                decode(&bytes).unwrap_or_else(|e| panic!("{to} {name}: {e}"));
            } else {
                hostile += 1;
                let err = decode(&bytes).expect_err(&name);
                assert!(err.position().is_some(), "{name}: {err}");
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(valid + hostile, 1000, "{to}");
        assert!((150..350).contains(&hostile), "{to}: {hostile} hostile");
    }
    // Without a hostile share, the streams are read back whole.
    for (to, from) in [("cbor", "cbor"), ("proto", "proto")] {
        let out = exev(&["gen", "--count", "200", "--seed", "7", "--to", to], b"");
        let back = exev(&["convert", "--stream", "--from", from], &out.stdout);
        assert_eq!(back.status.code(), Some(0), "{to}: {}", stderr(&back));
        assert_eq!(
            back.stdout.iter().filter(|&&b| b == b'\n').count(),
            200,
            "{to}"
        );
    }
}

/// `--stream --jobs N` writes the same bytes whatever N, in input order, in every format;
/// with stderr a pipe, no progress bar is drawn (stderr stays empty).
#[test]
fn stream_conversion_is_the_same_whatever_the_jobs() {
    let ndjson = exev(&["gen", "--count", "3000", "--seed", "13"], b"").stdout;
    for (to, from) in [("json", "json"), ("cbor", "cbor"), ("proto", "proto")] {
        let one = exev(&["convert", "--stream", "--jobs", "1", "--to", to], &ndjson);
        assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
        assert!(one.stderr.is_empty(), "{}", stderr(&one));
        for jobs in ["2", "3"] {
            let many = exev(
                &["convert", "--stream", "--jobs", jobs, "--to", to],
                &ndjson,
            );
            assert_eq!(many.status.code(), Some(0), "{}", stderr(&many));
            assert!(
                many.stderr.is_empty(),
                "progress drawn into a pipe: {}",
                stderr(&many)
            );
            assert!(
                many.stdout == one.stdout,
                "--to {to} --jobs {jobs} differs from --jobs 1"
            );
        }
        // And back, on every core by default.
        let back = exev(&["convert", "--stream", "--from", from], &one.stdout);
        assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
        assert!(back.stdout == ndjson, "{to} and back");
    }
    // A bad event stops the output after the events before it, whatever the jobs.
    let lines: Vec<&[u8]> = ndjson.split_inclusive(|&b| b == b'\n').collect();
    let mut broken = lines[..2000].concat();
    broken.extend_from_slice(b"{\"type\":\"x\",\"content\":{\"n\":1.5}}\n");
    broken.extend_from_slice(&lines[2000..].concat());
    for jobs in ["1", "2"] {
        let out = exev(&["convert", "--stream", "--jobs", jobs], &broken);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout == lines[..2000].concat(), "--jobs {jobs}");
        assert!(
            stderr(&out).starts_with("exev: error: <stdin>:2001: number 1.5"),
            "{}",
            stderr(&out)
        );
    }
}
