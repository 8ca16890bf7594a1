//! The JSON codec against external material: the MSC examples, the spec's canonical-JSON
//! examples and `JSONTestSuite`.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use exev::Value;
use exev_codec::{Category, NumberPolicy, Options, json};

#[test]
fn every_msc_example_round_trips_to_the_same_bytes() {
    for (name, bytes) in common::msc_canonical() {
        let canonical = common::trim_newline(&bytes);
        let event = json::from_slice(canonical).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&json::to_vec(&event)),
            String::from_utf8_lossy(canonical),
            "{name}"
        );
        // The pretty form reads back to the same event.
        let pretty = json::to_vec_pretty(&event);
        assert_eq!(json::from_slice(&pretty).unwrap(), event, "{name}");
    }
}

#[test]
fn spec_canonical_json_examples() {
    let file = std::fs::read(common::vectors().join("json/matrix-canonical-json.json")).unwrap();
    let doc = json::value_from_slice(&file, &Options::default().max_bytes(1 << 20)).unwrap();
    let cases = doc.get("cases").and_then(Value::as_array).unwrap();
    assert_eq!(cases.len(), 10);
    for case in cases {
        let input = case.get("input").and_then(Value::as_str).unwrap();
        let expected = case.get("expected").and_then(Value::as_str).unwrap();
        let value = json::value_from_slice(input.as_bytes(), &Options::default())
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            String::from_utf8(json::value_to_vec(&value)).unwrap(),
            expected,
            "{input}"
        );
    }
}

fn suite_files(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = common::vectors().join("json/JSONTestSuite/test_parsing");
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

/// Runs `f` on a thread with the 2 MiB stack `cargo test` gives each test, so a stack
/// overflow would show here too.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn json_test_suite_must_accept() {
    let files = suite_files("y_");
    assert_eq!(files.len(), 95);
    let lenient = Options::default().numbers(NumberPolicy::Lenient);
    for (name, bytes) in files {
        // Every y_ file is well-formed JSON: strict decoding accepts it or refuses it only
        // for the data model (floats, big integers, duplicate keys), never for syntax.
        match json::value_from_slice(&bytes, &Options::default()) {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.category(), Category::DataModel, "{name}: {e}");
                let kept = json::value_from_slice(&bytes, &lenient);
                let duplicate = matches!(e.kind(), exev_codec::ErrorKind::DuplicateKey(_));
                assert!(
                    kept.is_ok() || duplicate,
                    "{name}: lenient also fails: {kept:?}"
                );
            }
        }
    }
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
                let lenient = json::value_from_slice(
                    &bytes,
                    &Options::default().numbers(NumberPolicy::Lenient),
                );
                (name, strict.is_err() && lenient.is_err(), strict.err())
            })
            .collect::<Vec<_>>()
    });
    for (name, rejected, err) in results {
        assert!(rejected, "{name} was accepted");
        let err = err.unwrap();
        assert!(err.position().is_some(), "{name}: no position in {err}");
        assert!(!err.to_string().contains('\n'), "{name}: {err}");
    }
}

#[test]
fn json_test_suite_implementation_defined() {
    // Recorded behaviour for the i_ files: numbers beyond the data model are refused as such,
    // invalid UTF-8 and lone surrogates are refused, nothing panics.
    for (name, bytes) in suite_files("i_") {
        let result = json::value_from_slice(&bytes, &Options::default());
        if let Err(e) = &result {
            assert!(
                matches!(
                    e.category(),
                    Category::DataModel | Category::Syntax | Category::Limit
                ),
                "{name}: {e}"
            );
        }
        if name.contains("surrogate") || name.contains("invalid_utf") || name.contains("UTF-16") {
            assert!(result.is_err(), "{name} accepted");
        }
    }
}
