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
            assert_eq!(json::to_vec(&event), bytes, "{name} is canonical");
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
