//! The CLI on MIMI content: `--from mimi` / `--to mimi` on convert, render and inspect,
//! `--from auto`, `--to cbor-diag` of its bytes, and hostile input (exit 1, one line).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::exev;

fn vectors() -> PathBuf {
    std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    )
}

/// The 14 example messages, by name.
fn examples() -> Vec<(String, Vec<u8>)> {
    let names = [
        "original",
        "reply",
        "reaction",
        "mention",
        "mention-html",
        "edit",
        "delete",
        "unlike",
        "expiring",
        "attachment",
        "conferencing",
        "multipart-1",
        "multipart-2",
        "multipart-3",
    ];
    names
        .iter()
        .map(|n| {
            let path = vectors().join(format!("mimi-content/examples/{n}.cbor"));
            ((*n).to_owned(), std::fs::read(path).unwrap())
        })
        .collect()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_example_converts_to_json_and_back_byte_for_byte_with_auto_detection() {
    for (name, bytes) in examples() {
        let json = exev(&["convert", "--to", "json"], &bytes);
        assert!(json.status.success(), "{name}: {}", stderr(&json));
        let back = exev(&["convert", "--from", "json", "--to", "mimi"], &json.stdout);
        assert!(back.status.success(), "{name}: {}", stderr(&back));
        assert_eq!(back.stdout, bytes, "{name}");
        let direct = exev(&["convert", "--from", "mimi", "--to", "mimi"], &bytes);
        assert_eq!(direct.stdout, bytes, "{name}");
    }
}

#[test]
fn events_convert_to_mimi_with_a_fresh_salt_and_come_back() {
    let v01 = std::fs::read(vectors().join("msc/V01.canonical.json")).unwrap();
    let a = exev(&["convert", "--to", "mimi"], &v01);
    let b = exev(&["convert", "--to", "mimi"], &v01);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!((a.stdout[0], a.stdout[1]), (0x87, 0x50));
    assert_ne!(
        a.stdout[2..18],
        b.stdout[2..18],
        "each message gets its own random salt"
    );
    let back = exev(&["convert", "--to", "json"], &a.stdout);
    let event: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    assert_eq!(event["type"], "m.message");
    assert_eq!(event["content"]["m.text"][0]["body"], "<i>Hello world</i>");
    assert!(event["content"]["io.exev.mimi"]["salt"].is_string());
}

#[test]
fn render_shows_what_a_mimi_client_would() {
    let expected = [
        // GFM-MIMI rendered, as a MIMI client shows it (HTML collapses the double space).
        (
            "original",
            "Hi everyone, we just shipped release 2.0. Good work!",
        ),
        (
            "mention-html",
            "Kudos to @Alice Smith for making the release happen!",
        ),
        (
            "conferencing",
            "Join the Foo 118 conference https://example.com/join/12345",
        ),
        ("multipart-1", "Welcome!"),
        ("multipart-2", "❤\n🥳\n🤞"),
    ];
    let all = examples();
    for (name, text) in expected {
        let bytes = &all.iter().find(|(n, _)| n == name).unwrap().1;
        let out = exev(&["render", "--from", "mimi"], bytes);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(stdout(&out).trim_end_matches('\n'), text, "{name}");
    }
    // An edit, a reaction, a delete and an unlike act on another message: alone they are
    // hidden, saying what they do (the edit with its new content), and a timeline applies them.
    for (name, new_text) in [
        ("edit", Some("Right on! Congratulations y'all!")),
        ("reaction", None),
        ("delete", None),
        ("unlike", None),
    ] {
        let bytes = &all.iter().find(|(n, _)| n == name).unwrap().1;
        let out = exev(&["render", "--format", "json"], bytes);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["outcome"], "hidden", "{name}: {r}");
        assert_eq!(r["text"], "", "{name}: {r}");
        assert_eq!(r["new_content"]["text"].as_str(), new_text, "{name}: {r}");
    }
    // chooseOne picks by the client's mimetypes: a client without HTML gets text from it.
    let bytes = &all.iter().find(|(n, _)| n == "multipart-3").unwrap().1;
    let out = exev(&["render", "--format", "json"], bytes);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["outcome"], "rendered");
    assert!(r["text"].as_str().unwrap().starts_with("Welcome!"), "{r}");
    assert!(
        r["html"].as_str().unwrap().contains("<h1>Welcome!</h1>"),
        "{r}"
    );
}

#[test]
fn inspect_shows_the_part_tree_the_message_id_and_the_sizes() {
    let all = examples();
    let bytes = &all.iter().find(|(n, _)| n == "multipart-3").unwrap().1;
    let out = exev(&["inspect", "--format", "json"], bytes);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(vectors().join("mimi-content/manifest.json")).unwrap(),
    )
    .unwrap();
    let entry = manifest["examples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "multipart-3")
        .unwrap();
    assert_eq!(r["message_id"], entry["message_id_recomputed"]);
    assert_eq!(r["parts"].as_array().unwrap().len(), 11);
    assert_eq!(r["parts"][10]["depth"], 3);
    assert_eq!(r["parts"][10]["content_type"], "image/png");
    for size in ["mimi", "json", "cbor", "proto"] {
        assert!(r["sizes"][size].as_u64().unwrap() > 0, "{size}: {r}");
    }
    assert_eq!(r["sizes"]["mimi"], 716);
    let text = exev(&["inspect"], bytes);
    let text = stdout(&text);
    assert!(
        text.contains(&format!(
            "message_id {}",
            entry["message_id_recomputed"].as_str().unwrap()
        )),
        "{text}"
    );
    assert!(text.contains("parts    11 (depth 4)"), "{text}");
    assert!(text.contains("canonical JSON"), "{text}");
}

#[test]
fn cbor_diag_prints_the_messages_own_bytes() {
    let all = examples();
    let bytes = &all.iter().find(|(n, _)| n == "delete").unwrap().1;
    let out = exev(&["convert", "--to", "cbor-diag"], bytes);
    assert!(out.status.success(), "{}", stderr(&out));
    let diag = stdout(&out);
    assert!(
        diag.starts_with("[h'0a590d73b2c7761c39168be5ebf7f2e6', h'0153"),
        "{diag}"
    );
    assert!(diag.trim_end().ends_with("[1, \"\", 0]]"), "{diag}");
}

#[test]
fn streams_of_messages() {
    let all = examples();
    let stream: Vec<u8> = all.iter().flat_map(|(_, b)| b.clone()).collect();
    let out = exev(&["convert", "--stream", "--to", "json"], &stream);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 14);
    let back = exev(
        &["convert", "--stream", "--from", "json", "--to", "mimi"],
        &out.stdout,
    );
    assert_eq!(back.stdout, stream);
}

fn assert_refused_in_one_line(args: &[&str], input: &[u8], what: &str) -> String {
    let out = exev(args, input);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert_eq!(err.lines().count(), 1, "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    err
}

#[test]
fn hostile_mimi_exits_1_with_one_line() {
    let original = examples().into_iter().next().unwrap().1;
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for len in [2, 18, 60, original.len() - 1] {
        cases.push((format!("a prefix of {len} bytes"), original[..len].to_vec()));
    }
    let mut wide = vec![0x87, 0x58, 0x10];
    wide.extend_from_slice(&original[2..]);
    cases.push(("a non-preferred head".into(), wide));
    let mut indefinite = vec![0x9f];
    indefinite.extend_from_slice(&original[1..]);
    indefinite.push(0xff);
    cases.push(("an indefinite array".into(), indefinite));
    let mut deep = vec![0x87, 0x50];
    deep.extend_from_slice(&[0; 16]);
    deep.extend_from_slice(&[0xf6, 0x40, 0xf6, 0xf6, 0xa0]);
    for _ in 0..4 {
        deep.extend_from_slice(&[0x85, 0x01, 0x60, 0x03, 0x00, 0x82]);
    }
    for _ in 0..5 {
        deep.extend_from_slice(&[0x83, 0x01, 0x60, 0x00]);
    }
    cases.push(("parts 5 deep".into(), deep));
    let mut huge = vec![0x87, 0x5b];
    huge.extend_from_slice(&[0xff; 8]);
    cases.push(("a salt of 2^64 - 1 octets".into(), huge));
    for (what, input) in &cases {
        for args in [
            &["convert", "--from", "mimi"][..],
            &["render", "--from", "mimi"][..],
            &["inspect", "--from", "mimi"][..],
            &["convert", "--from", "mimi", "--to", "cbor-diag"][..],
        ] {
            assert_refused_in_one_line(args, input, what);
        }
    }
    let err =
        assert_refused_in_one_line(&["convert", "--from", "mimi"], &cases[4].1, "non-preferred");
    assert!(
        err.contains("shortest form") && err.contains("at salt (byte 1)"),
        "{err}"
    );
    let err = assert_refused_in_one_line(
        &["convert", "--from", "mimi", "--error-format", "json"],
        &cases[6].1,
        "deep",
    );
    let e: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(e["error"]["category"], "limit");
    assert_eq!(
        e["error"]["path"],
        "nestedPart.parts[0].parts[0].parts[0].parts[0]"
    );
    assert_eq!(
        e["error"]["rule"],
        "NestedParts nest at most 4 levels (§6.3)"
    );
}

#[test]
fn events_mimi_cannot_carry_exit_1() {
    let state = br#"{"type":"m.room.topic","state_key":"","content":{"m.topic":[{"body":"x"}]}}"#;
    let err = assert_refused_in_one_line(&["convert", "--to", "mimi"], state, "state");
    assert!(err.contains("state event"), "{err}");
}

/// The items `exev timeline --format json` prints for a CBOR sequence of the named messages.
fn timeline_of(names: &[&str], from: &str) -> Vec<serde_json::Value> {
    let all = examples();
    let mut stream = Vec::new();
    for name in names {
        let (_, bytes) = all.iter().find(|(n, _)| n == name).unwrap();
        stream.extend_from_slice(bytes);
    }
    let out = exev(&["timeline", "--from", from, "--format", "json"], &stream);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn mimi_replies_reactions_edits_and_deletes_feed_the_timeline() {
    let original = format!(
        "${}",
        "017ce54837404c3696e0c747b985cb172716d0ed0a3d249ca63ace7d82a096f4"
    );
    for from in ["mimi", "auto"] {
        // The reaction counts on its target, the edit replaces the reply's text, and the
        // reply names its target: two items, neither relation shown on its own.
        let items = timeline_of(&["original", "reply", "reaction", "edit"], from);
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0]["event_id"], original.as_str());
        assert_eq!(items[0]["reactions"], serde_json::json!({"❤": 1}));
        assert_eq!(items[1]["in_reply_to"], original.as_str());
        assert_eq!(items[1]["edited"], true);
        assert_eq!(items[1]["text"], "Right on! Congratulations y'all!");

        // The delete retracts the reply, the unlike the reaction.
        let items = timeline_of(
            &["original", "reply", "reaction", "edit", "delete", "unlike"],
            from,
        );
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0]["reactions"], serde_json::json!({}));
        assert_eq!(items[1]["redacted"], true);
        assert_eq!(items[1]["text"], "");
    }
}
