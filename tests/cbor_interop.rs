//! The CBOR codec against an independent implementation (minicbor), by property tests: what
//! we encode, minicbor decodes to the same value; what minicbor encodes deterministically, we
//! decode (in strict-deterministic mode) to the same value and encode to the same bytes.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev::{Event, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Value};
use exev_codec::{NumberPolicy, Options, cbor, json};
use proptest::prelude::*;

/// Integers with their edges (the data model's bounds and CBOR's width boundaries) favoured.
fn integer() -> impl Strategy<Value = i64> {
    prop_oneof![
        MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER,
        prop::sample::select(vec![
            0,
            -1,
            23,
            24,
            -24,
            -25,
            255,
            256,
            -256,
            -257,
            65_535,
            65_536,
            4_294_967_295,
            4_294_967_296,
            -4_294_967_297,
            MAX_SAFE_INTEGER,
            MIN_SAFE_INTEGER,
        ]),
    ]
}

/// Text with the Unicode edges: ASCII, controls, multi-byte and astral characters, and
/// lengths around the head-width boundaries (23/24 bytes).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,30}",
        "[\u{0}-\u{1f}\"\\\\é😀\u{2028}\u{fffd}]{0,8}",
        (20usize..30).prop_map(|n| "k".repeat(n)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        integer().prop_map(Value::Integer),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..8).prop_map(Value::Object),
        ]
    })
}

fn event() -> impl Strategy<Value = Event> {
    (
        text(),
        prop::collection::btree_map(text(), value(), 0..6),
        prop::collection::btree_map(text(), value(), 0..4),
    )
        .prop_map(|(event_type, content, other)| {
            let mut object: Object = other;
            object.insert("type".into(), Value::String(event_type));
            object.insert("content".into(), Value::Object(content));
            Event::from_value(Value::Object(object)).unwrap()
        })
}

/// Reads one item with minicbor into the data model (lenient numbers kept as literals).
fn from_minicbor(d: &mut minicbor::Decoder<'_>) -> Value {
    use minicbor::data::Type as T;
    match d.datatype().unwrap() {
        T::Null => {
            d.null().unwrap();
            Value::Null
        }
        T::Bool => Value::Bool(d.bool().unwrap()),
        T::U8 | T::U16 | T::U32 | T::U64 | T::I8 | T::I16 | T::I32 | T::I64 | T::Int => {
            let i = i128::from(d.int().unwrap());
            match i64::try_from(i) {
                Ok(i) if (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) => Value::Integer(i),
                _ => Value::Number(Number::from_literal(&i.to_string()).unwrap()),
            }
        }
        T::F16 | T::F32 | T::F64 => {
            let f = d.f64().unwrap();
            Value::Number(Number::from_literal(&format!("{f:?}")).unwrap())
        }
        T::String => Value::String(d.str().unwrap().to_owned()),
        T::Array => {
            let n = d.array().unwrap().unwrap();
            Value::Array((0..n).map(|_| from_minicbor(d)).collect())
        }
        T::Map => {
            let n = d.map().unwrap().unwrap();
            let mut object = Object::new();
            for _ in 0..n {
                let key = d.str().unwrap().to_owned();
                assert!(object.insert(key, from_minicbor(d)).is_none());
            }
            Value::Object(object)
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// Encodes a value with minicbor, deterministically: minicbor writes the shortest heads, and
/// map entries are sorted here by their encoded keys.
fn to_minicbor(v: &Value, e: &mut minicbor::Encoder<&mut Vec<u8>>) {
    match v {
        Value::Null => {
            e.null().unwrap();
        }
        Value::Bool(b) => {
            e.bool(*b).unwrap();
        }
        Value::Integer(i) => {
            e.i64(*i).unwrap();
        }
        Value::Number(n) => {
            e.f64(n.as_f64().unwrap()).unwrap();
        }
        Value::String(s) => {
            e.str(s).unwrap();
        }
        Value::Array(items) => {
            e.array(items.len() as u64).unwrap();
            for item in items {
                to_minicbor(item, e);
            }
        }
        Value::Object(members) => {
            let mut entries: Vec<(Vec<u8>, Vec<u8>)> = members
                .iter()
                .map(|(k, v)| {
                    let mut key = Vec::new();
                    minicbor::Encoder::new(&mut key).str(k).unwrap();
                    let mut value = Vec::new();
                    to_minicbor(v, &mut minicbor::Encoder::new(&mut value));
                    (key, value)
                })
                .collect();
            entries.sort();
            e.map(entries.len() as u64).unwrap();
            for (k, v) in entries {
                e.writer_mut().extend_from_slice(&k);
                e.writer_mut().extend_from_slice(&v);
            }
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn minicbor_bytes(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    to_minicbor(v, &mut minicbor::Encoder::new(&mut out));
    out
}

fn deterministic() -> Options {
    Options::default().deterministic(true).max_bytes(1 << 22)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn minicbor_reads_what_we_write(v in value()) {
        let ours = cbor::value_to_vec(&v).unwrap();
        let mut d = minicbor::Decoder::new(&ours);
        prop_assert_eq!(from_minicbor(&mut d), v.clone());
        prop_assert_eq!(d.position(), ours.len());
        // And our bytes are what a deterministic minicbor encoding gives.
        prop_assert_eq!(&ours, &minicbor_bytes(&v));
    }

    #[test]
    fn we_read_what_minicbor_writes(v in value()) {
        let theirs = minicbor_bytes(&v);
        let ours = cbor::value_from_slice(&theirs, &deterministic()).unwrap();
        prop_assert_eq!(&ours, &v);
        prop_assert_eq!(cbor::value_to_vec(&ours).unwrap(), theirs);
    }

    #[test]
    fn events_round_trip_through_every_chain(e in event()) {
        let bytes = cbor::to_vec(&e).unwrap();
        let back = cbor::from_slice_with(&bytes, &deterministic()).unwrap();
        prop_assert_eq!(&back, &e);
        // JSON -> CBOR -> JSON gives the same canonical JSON, and equal events equal bytes.
        let canonical = json::to_vec(&e);
        let via_json = json::from_slice_with(&canonical, &deterministic()).unwrap();
        prop_assert_eq!(cbor::to_vec(&via_json).unwrap(), bytes.clone());
        prop_assert_eq!(json::to_vec(&back), canonical);
        // The event's map is the value's map.
        prop_assert_eq!(cbor::value_to_vec(&e.to_value()).unwrap(), bytes);
    }

    #[test]
    fn lenient_floats_and_big_integers_interoperate(
        f in any::<f64>().prop_filter("finite", |f| f.is_finite()),
        u in (1u64 << 53)..=u64::MAX,
        n in 1u64 << 53..=u64::MAX,
    ) {
        let literal = format!("{f:?}");
        let values = [
            Value::Number(Number::from_literal(&literal).unwrap()),
            Value::Number(Number::from_literal(&u.to_string()).unwrap()),
            Value::Number(Number::from_literal(&format!("-{}", u128::from(n) + 1)).unwrap()),
        ];
        let lenient = deterministic().numbers(NumberPolicy::Lenient);
        for v in values {
            let ours = cbor::value_to_vec(&v).unwrap();
            // Strict decoding refuses it; lenient, deterministic decoding gives it back.
            prop_assert!(cbor::value_from_slice(&ours, &Options::default()).is_err());
            prop_assert_eq!(&cbor::value_from_slice(&ours, &lenient).unwrap(), &v);
            let mut d = minicbor::Decoder::new(&ours);
            prop_assert_eq!(from_minicbor(&mut d), v.clone());
        }
        // minicbor writes floats at full width; ours are the shortest exact width.
        let mut theirs = Vec::new();
        minicbor::Encoder::new(&mut theirs).f64(f).unwrap();
        let read = cbor::value_from_slice(&theirs, &Options::default().numbers(NumberPolicy::Lenient));
        let Ok(Value::Number(n)) = read else { panic!("{read:?}") };
        prop_assert_eq!(n.as_f64().unwrap().to_bits(), f.to_bits());
    }
}
