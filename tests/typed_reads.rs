//! Typed reads of a decoded event, which read the blocks where the decoder left them, give what
//! they give on the same content built as values: every block, its errors and their paths, in
//! every format, and with members sent out of key order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use exev::generate::Generator;
use exev::{AnyBlock, BlockError, Content, Event, Value};
use exev_codec::{cbor, json, proto};
use proptest::prelude::*;

/// Every known block of some content read typed, by name.
type Typed = Vec<(String, Result<AnyBlock, BlockError>)>;

/// Every known block of `content` read typed, by name (sorted: blocks come in the order held,
/// which is the order sent).
fn typed(content: &Content) -> Typed {
    let mut typed: Typed = content
        .known_blocks()
        .map(|(name, read)| (name.to_owned(), read))
        .collect();
    typed.sort_by(|(a, _), (b, _)| a.cmp(b));
    typed
}

/// The event's typed reads on its decoded content, and on the same content as values.
fn both(event: &Event) -> (Typed, Typed) {
    let decoded = typed(event.content());
    let values = typed(&Content::from_object(event.content().as_object().clone()));
    (decoded, values)
}

/// JSON text of `value` with every object's members in reverse key order (as a client that
/// does not sort may send them).
fn reversed_json(value: &Value, out: &mut String) {
    match value {
        Value::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().rev().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(
                    &String::from_utf8(json::value_to_vec(&Value::from(k.as_str())).unwrap())
                        .unwrap(),
                );
                out.push(':');
                reversed_json(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                reversed_json(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&String::from_utf8(json::value_to_vec(other).unwrap()).unwrap()),
    }
}

fn check(event: &Event) -> Result<(), TestCaseError> {
    let encodings = [
        ("json", json::from_slice(&json::to_vec(event).unwrap())),
        ("cbor", cbor::from_slice(&cbor::to_vec(event).unwrap())),
        ("proto", proto::from_slice(&proto::to_vec(event).unwrap())),
        ("json, reversed keys", {
            let mut text = String::new();
            reversed_json(&event.to_value(), &mut text);
            json::from_slice(text.as_bytes())
        }),
    ];
    let want = typed(event.content());
    for (format, decoded) in encodings {
        let decoded = decoded.unwrap();
        let (on_decoded, on_values) = both(&decoded);
        prop_assert_eq!(&on_decoded, &on_values, "{}", format);
        prop_assert_eq!(&on_decoded, &want, "{}", format);
    }
    Ok(())
}

#[test]
fn every_msc_example_reads_alike_decoded_and_as_values() {
    let mut blocks = 0;
    for (name, bytes) in common::msc_canonical() {
        let event = json::from_slice(&bytes).unwrap();
        blocks += event.content().known_blocks().count();
        check(&event).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert!(
        blocks >= 28,
        "only {blocks} known blocks in the MSC examples"
    );
}

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn generated_events_read_alike_decoded_and_as_values(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096)
    ) {
        check(&Generator::new(&bytes).event())?;
    }
}
