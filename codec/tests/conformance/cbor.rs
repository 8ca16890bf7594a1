//! What is CBOR's own: RFC 8949 Appendix A and F.1 and the §4.2.1 key order (the vector files
//! read with `serde_json`), the CBOR WG test vectors (read with `minicbor`), interoperation with
//! `minicbor` both ways, indefinite lengths, and the strict-deterministic mode.

use exev::{Event, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Value};
use exev_codec::{
    Category, ErrorKind, MAX_DEPTH_CEILING, NumberPolicy, Options, Position, cbor, json,
};
use proptest::prelude::*;

use crate::common::{from_serde, hex, on_small_stack, to_hex, vector_json, vectors};

fn strict() -> Options {
    Options::default().max_depth(MAX_DEPTH_CEILING)
}

fn lenient() -> Options {
    strict().numbers(NumberPolicy::Lenient)
}

fn deterministic() -> Options {
    strict().deterministic(true)
}

/// How an Appendix A row must come out.
#[derive(Debug, PartialEq)]
enum Expect {
    /// A value of the data model.
    InModel,
    /// An integer beyond ±(2^53 - 1): refused, or kept as a Number when lenient.
    BigInteger,
    /// A finite float: refused, or kept as a Number when lenient.
    Float,
    /// Outside the model in every mode (tags, byte strings, simple values, NaN, ±Infinity,
    /// integer keys).
    Refused,
}

#[test]
fn rfc8949_appendix_a() {
    // Read with serde_json, not with the codec under test. serde_json holds integers past
    // 64 bits only as floats: for those rows the diagnostic notation, an exact decimal, is
    // the expected value.
    let rows = vector_json("cbor/rfc8949-appendix-a.json");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 81);
    let mut tally = std::collections::BTreeMap::<String, usize>::new();
    for row in rows {
        let hex_str = row["hex"].as_str().unwrap();
        let diagnostic = row["diagnostic"].as_str().unwrap();
        let roundtrip = row["roundtrip"] == serde_json::Value::Bool(true);
        let bytes = hex(hex_str);
        let decoded = row.get("decoded").map(|d| match from_serde(d) {
            Value::Number(_) if diagnostic.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                Value::Number(Number::from_literal(diagnostic).unwrap())
            }
            other => other,
        });
        let decoded = decoded.as_ref();
        let first = bytes[0];
        let finite = diagnostic.parse::<f64>().is_ok_and(f64::is_finite);
        let expect = if (0xf9..=0xfb).contains(&first) && finite {
            Expect::Float
        } else if first >> 5 == 6 || decoded.is_none() || (0xf9..=0xfb).contains(&first) {
            Expect::Refused
        } else if decoded.unwrap().is_canonical() {
            Expect::InModel
        } else {
            Expect::BigInteger
        };
        *tally.entry(format!("{expect:?}")).or_default() += 1;
        let strict_result = cbor::value_from_slice(&bytes, &strict());
        let lenient_result = cbor::value_from_slice(&bytes, &lenient());
        match expect {
            Expect::InModel => {
                let value = strict_result.unwrap_or_else(|e| panic!("{diagnostic}: {e}"));
                assert_eq!(&value, decoded.unwrap(), "{diagnostic}");
                let encoded = cbor::value_to_vec(&value).unwrap();
                if roundtrip {
                    assert_eq!(to_hex(&encoded), hex_str, "{diagnostic}");
                    assert!(cbor::value_from_slice(&bytes, &deterministic()).is_ok());
                } else {
                    // Indefinite lengths: accepted, but not in strict-deterministic mode.
                    let e = cbor::value_from_slice(&bytes, &deterministic()).unwrap_err();
                    assert!(
                        matches!(e.kind(), ErrorKind::NotDeterministic(_)),
                        "{diagnostic}: {e}"
                    );
                }
            }
            Expect::BigInteger => {
                let e = strict_result.unwrap_err();
                assert!(
                    matches!(e.kind(), ErrorKind::IntegerOutOfRange(_)),
                    "{diagnostic}: {e}"
                );
                let kept = lenient_result.unwrap();
                assert_eq!(&kept, decoded.unwrap(), "{diagnostic}");
                assert_eq!(to_hex(&cbor::value_to_vec(&kept).unwrap()), hex_str);
            }
            Expect::Float => {
                let e = strict_result.unwrap_err();
                assert_eq!(e.category(), Category::DataModel, "{diagnostic}: {e}");
                assert!(e.to_string().contains("float"), "{e}");
                let Value::Number(n) = lenient_result.unwrap() else {
                    panic!("{diagnostic}: not a number")
                };
                let want = diagnostic.parse::<f64>().unwrap();
                assert_eq!(
                    n.as_f64().unwrap().to_bits(),
                    want.to_bits(),
                    "{diagnostic}"
                );
                // The literal reads back as the same float, and encodes to the same bytes.
                let again = cbor::value_to_vec(&Value::Number(n.clone())).unwrap();
                assert_eq!(to_hex(&again), hex_str, "{diagnostic} as {n}");
            }
            Expect::Refused => {
                for result in [strict_result, lenient_result] {
                    let e = result.unwrap_err();
                    assert_eq!(e.category(), Category::DataModel, "{diagnostic}: {e}");
                    assert!(e.position().is_some(), "{diagnostic}: {e}");
                }
            }
        }
    }
    let counts: Vec<(String, usize)> = tally.into_iter().collect();
    assert_eq!(
        counts,
        [
            ("BigInteger".to_owned(), 2),
            ("Float".to_owned(), 13),
            ("InModel".to_owned(), 42),
            ("Refused".to_owned(), 24)
        ]
    );
}

#[test]
fn rfc8949_appendix_f1_not_well_formed() {
    let doc = vector_json("cbor/rfc8949-appendix-f1-not-well-formed.json");
    let mut seen = 0;
    for group in doc["groups"].as_array().unwrap() {
        let category = group["category"].as_str().unwrap();
        for example in group["examples"].as_array().unwrap() {
            let bytes = hex(example.as_str().unwrap());
            for options in [strict(), lenient(), deterministic()] {
                let e = cbor::value_from_slice(&bytes, &options)
                    .expect_err("not well-formed input must be rejected");
                // Reported as ill-formed, whatever data-model problem comes first: as
                // truncated where the input ends before an item does.
                let truncated = category.starts_with("End of input")
                    || category.contains("short data")
                    || category.contains("not closed")
                    || category.contains("not followed");
                let expected = if truncated {
                    Category::Eof
                } else {
                    Category::Syntax
                };
                assert_eq!(e.category(), expected, "{category} {example:?}: {e}");
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 94);
}

#[test]
fn rfc8949_text_key_order() {
    // §4.2.1 sorts by the encoded key: "z" (617a) before "aa" (626161), unlike canonical JSON.
    let doc = vector_json("cbor/rfc8949-4.2.1-key-order.json");
    let keys: Vec<&str> = doc["rfc_sorted_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["hex"].as_str().unwrap())
        .filter(|h| h.starts_with('6'))
        .collect();
    assert_eq!(keys, ["617a", "626161"]);
    let value: Value = [
        ("aa".to_owned(), Value::from(1)),
        ("z".to_owned(), Value::from(2)),
    ]
    .into_iter()
    .collect();
    let encoded = cbor::value_to_vec(&value).unwrap();
    assert_eq!(to_hex(&encoded), "a2617a02626161 01".replace(' ', ""));
    assert_eq!(json::value_to_vec(&value).unwrap(), br#"{"aa":1,"z":2}"#);
    // The other order is well-formed but not deterministic.
    let swapped = hex("a2626161 01 617a02");
    assert_eq!(cbor::value_from_slice(&swapped, &strict()).unwrap(), value);
    let e = cbor::value_from_slice(&swapped, &deterministic()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "not deterministic CBOR: breaks the rule \"map keys sorted bytewise by their encoded \
         form (RFC 8949 §4.2.1)\" at z (byte 5)"
    );
}

/// A generic CBOR item, as the harness reads the vector files: with `minicbor`, an independent
/// decoder (`ciborium` cannot read the simple values some of them hold).
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Int(i128),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Item>),
    Map(Vec<(Item, Item)>),
    Tag(u64, Box<Item>),
    Float(f64),
    Bool(bool),
    Null,
    Undefined,
    Simple(u8),
}

impl Item {
    fn read(d: &mut minicbor::Decoder<'_>) -> Item {
        use minicbor::data::Type as T;
        let t = d.datatype().unwrap();
        match t {
            T::Bool => Item::Bool(d.bool().unwrap()),
            T::Null => {
                d.null().unwrap();
                Item::Null
            }
            T::Undefined => {
                d.undefined().unwrap();
                Item::Undefined
            }
            T::U8 | T::U16 | T::U32 | T::U64 | T::I8 | T::I16 | T::I32 | T::I64 | T::Int => {
                Item::Int(i128::from(d.int().unwrap()))
            }
            T::F16 | T::F32 | T::F64 => Item::Float(d.f64().unwrap()),
            T::Simple => Item::Simple(d.simple().unwrap()),
            T::Bytes | T::BytesIndef => Item::Bytes(
                d.bytes_iter()
                    .unwrap()
                    .flat_map(|c| c.unwrap().to_vec())
                    .collect(),
            ),
            T::String | T::StringIndef => {
                Item::Text(d.str_iter().unwrap().map(|c| c.unwrap()).collect())
            }
            T::Array | T::ArrayIndef => {
                let n = d.array().unwrap();
                let mut items = Vec::new();
                while Item::more(d, n, items.len()) {
                    items.push(Item::read(d));
                }
                Item::Array(items)
            }
            T::Map | T::MapIndef => {
                let n = d.map().unwrap();
                let mut pairs = Vec::new();
                while Item::more(d, n, pairs.len()) {
                    let k = Item::read(d);
                    pairs.push((k, Item::read(d)));
                }
                Item::Map(pairs)
            }
            T::Tag => {
                let tag = d.tag().unwrap().as_u64();
                Item::Tag(tag, Box::new(Item::read(d)))
            }
            other => panic!("unexpected {other:?} in a vector file"),
        }
    }

    /// Whether a container of `n` entries (None: indefinite) has more after `read` of them;
    /// consumes the break of an indefinite one.
    fn more(d: &mut minicbor::Decoder<'_>, n: Option<u64>, read: usize) -> bool {
        match n {
            Some(n) => (read as u64) < n,
            None if d.datatype().unwrap() == minicbor::data::Type::Break => {
                d.set_position(d.position() + 1);
                false
            }
            None => true,
        }
    }

    fn has_tag(&self) -> bool {
        match self {
            Item::Tag(..) => true,
            Item::Array(items) => items.iter().any(Item::has_tag),
            Item::Map(pairs) => pairs.iter().any(|(k, v)| k.has_tag() || v.has_tag()),
            _ => false,
        }
    }

    fn field(&self, name: &str) -> Option<&Item> {
        let Item::Map(pairs) = self else { return None };
        pairs
            .iter()
            .find(|(k, _)| *k == Item::Text(name.to_owned()))
            .map(|(_, v)| v)
    }

    /// This item as a value of the data model, when it is one.
    fn in_model(&self) -> Option<Value> {
        Some(match self {
            Item::Int(i) => Value::Integer(
                i64::try_from(*i)
                    .ok()
                    .filter(|i| i.abs() <= MAX_SAFE_INTEGER)?,
            ),
            Item::Text(s) => Value::String(s.clone()),
            Item::Bool(b) => Value::Bool(*b),
            Item::Null => Value::Null,
            Item::Array(items) => {
                Value::Array(items.iter().map(Item::in_model).collect::<Option<_>>()?)
            }
            Item::Map(pairs) => {
                let mut object = Object::new();
                for (k, v) in pairs {
                    let Item::Text(key) = k else { return None };
                    if object.insert(key.clone(), v.in_model()?).is_some() {
                        return None;
                    }
                }
                Value::Object(object)
            }
            _ => return None,
        })
    }
}

/// One test of the CBOR WG vectors.
struct WgTest {
    file: String,
    description: String,
    encoded: Vec<u8>,
    decoded: Option<Item>,
    roundtrip: bool,
    fail: bool,
}

fn wg_tests() -> Vec<WgTest> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "cbor") {
                out.push(path);
            }
        }
    }
    let root = vectors().join("cbor/cbor-wg-test-vectors/tests");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut tests = Vec::new();
    for path in files {
        let file = path.strip_prefix(&root).unwrap().display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let doc = Item::read(&mut minicbor::Decoder::new(&bytes));
        let flag = |item: &Item, name: &str| item.field(name) == Some(&Item::Bool(true));
        let file_fail = flag(&doc, "fail");
        let Some(Item::Array(cases)) = doc.field("tests") else {
            panic!("{file}: no tests")
        };
        for case in cases {
            let Some(Item::Bytes(encoded)) = case.field("encoded") else {
                panic!("{file}: no encoded")
            };
            tests.push(WgTest {
                file: file.clone(),
                description: match case.field("description") {
                    Some(Item::Text(s)) => s.clone(),
                    _ => String::new(),
                },
                encoded: encoded.clone(),
                decoded: case.field("decoded").cloned(),
                roundtrip: case.field("roundtrip") != Some(&Item::Bool(false)),
                fail: file_fail || flag(case, "fail"),
            });
        }
    }
    tests
}

#[test]
fn cbor_wg_test_vectors() {
    // The harness reads the vectors recursively, and some nest deeply: give it room.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(check_wg_test_vectors)
        .unwrap()
        .join()
        .unwrap();
}

fn check_wg_test_vectors() {
    let tests = wg_tests();
    assert_eq!(tests.len(), 1381);
    let (mut failing, mut in_model_count, mut outside, mut loose) = (0, 0, 0, 0);
    let mut preferred_floats = 0;
    for t in &tests {
        let name = format!("{} / {} ({})", t.file, t.description, to_hex(&t.encoded));
        let results = [
            cbor::value_from_slice(&t.encoded, &strict()),
            cbor::value_from_slice(&t.encoded, &lenient()),
            cbor::value_from_slice(&t.encoded, &deterministic()),
            cbor::value_from_slice(&t.encoded, &deterministic().numbers(NumberPolicy::Lenient)),
        ];
        if t.fail {
            failing += 1;
            for r in &results {
                assert!(r.is_err(), "{name}: a failing case was accepted");
            }
            continue;
        }
        if !t.roundtrip {
            loose += 1;
            assert!(
                results[2].is_err(),
                "{name}: not deterministic, yet accepted"
            );
            // Leniently, a few floats are marked `roundtrip: false` only because their EDN
            // decimal loses precision ("f16: Largest subnormal"): their encoding is the
            // preferred one, so the deterministic decoder must accept them, and re-encoding
            // gives the same bytes. Everything else is refused.
            if let Ok(kept) = &results[3] {
                assert!(matches!(t.decoded, Some(Item::Float(_))), "{name}");
                assert_eq!(cbor::value_to_vec(kept).unwrap(), t.encoded, "{name}");
                preferred_floats += 1;
            }
        }
        // Bignums (tags 2 and 3) decoding to small integers are still tags, which the data
        // model does not have.
        let tagged = Item::read(&mut minicbor::Decoder::new(&t.encoded)).has_tag();
        match t
            .decoded
            .as_ref()
            .filter(|_| !tagged)
            .and_then(Item::in_model)
        {
            Some(expected) => {
                in_model_count += 1;
                let value = results[0]
                    .as_ref()
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(value, &expected, "{name}");
                assert_eq!(results[1].as_ref().unwrap(), &expected, "{name}");
                if let Ok(value) = &results[2] {
                    // Whatever the deterministic decoder accepts re-encodes byte for byte.
                    assert_eq!(cbor::value_to_vec(value).unwrap(), t.encoded, "{name}");
                }
            }
            None => {
                outside += 1;
                let e = results[0].as_ref().unwrap_err();
                assert!(
                    matches!(e.category(), Category::DataModel | Category::Limit),
                    "{name}: {e}"
                );
                // Floats that are finite are kept leniently, with their exact value.
                if let Some(Item::Float(f)) = &t.decoded
                    && f.is_finite()
                {
                    let Ok(Value::Number(n)) = &results[1] else {
                        panic!("{name}: {:?}", results[1])
                    };
                    assert_eq!(n.as_f64().unwrap().to_bits(), f.to_bits(), "{name}");
                    if t.roundtrip {
                        let again = cbor::value_to_vec(&results[1].clone().unwrap());
                        assert_eq!(again.unwrap(), t.encoded, "{name}");
                    }
                }
            }
        }
    }
    assert_eq!(failing + in_model_count + outside, tests.len());
    // 47 failing cases, 290 in the model, 1044 outside it (floats, tags, byte strings, big
    // integers, ...); 641 not deterministic, of which 2 floats are in fact preferred.
    assert_eq!(
        (failing, in_model_count, outside, loose, preferred_floats),
        (47, 290, 1044, 641, 2)
    );
}

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

/// Reads one item with `minicbor` into the data model (lenient numbers kept as literals).
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

/// Encodes a value with `minicbor`, deterministically: `minicbor` writes the shortest heads, and
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

fn deterministic_generous() -> Options {
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
        let ours = cbor::value_from_slice(&theirs, &deterministic_generous()).unwrap();
        prop_assert_eq!(&ours, &v);
        prop_assert_eq!(cbor::value_to_vec(&ours).unwrap(), theirs);
    }

    #[test]
    fn events_round_trip_through_every_chain(e in event()) {
        let bytes = cbor::to_vec(&e).unwrap();
        let back = cbor::from_slice_with(&bytes, &deterministic_generous()).unwrap();
        prop_assert_eq!(&back, &e);
        // JSON -> CBOR -> JSON gives the same canonical JSON, and equal events equal bytes.
        let canonical = json::to_vec(&e).unwrap();
        let via_json = json::from_slice_with(&canonical, &deterministic_generous()).unwrap();
        prop_assert_eq!(cbor::to_vec(&via_json).unwrap(), bytes.clone());
        prop_assert_eq!(json::to_vec(&back).unwrap(), canonical);
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
        let lenient = deterministic_generous().numbers(NumberPolicy::Lenient);
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

/// Indefinite lengths are counted as they come, chunks of an indefinite string count
/// together, and an indefinite-length event map counts `type` and `content` as members.
#[test]
fn indefinite_lengths_are_held_to_the_limits_as_they_come() {
    let options = Options::default().max_elements(3);
    let e = cbor::value_from_slice(&[0x9f, 1, 2, 3, 4, 0xff], &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });
    assert_eq!(e.position().unwrap().offset(), 4);
    let strings = Options::default().max_string_bytes(100);
    let mut chunked = vec![0x7f];
    for _ in 0..11 {
        chunked.push(0x6a);
        chunked.extend_from_slice(b"0123456789");
    }
    chunked.push(0xff);
    let e = cbor::value_from_slice(&chunked, &strings).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::StringTooLong { limit: 100 });
    assert_eq!(e.position().unwrap().offset(), 0);
    // {_ "type": "m.x", "content": {}, ...others}
    let indefinite = |others: usize| {
        let mut out = vec![0xbf];
        out.extend_from_slice(&[0x64, b't', b'y', b'p', b'e', 0x63, b'm', b'.', b'x']);
        out.extend_from_slice(&[0x67, b'c', b'o', b'n', b't', b'e', b'n', b't', 0xa0]);
        for i in 0..others {
            out.extend_from_slice(&[0x61, b'a' + u8::try_from(i).unwrap(), 0x01]);
        }
        out.push(0xff);
        out
    };
    let event = cbor::from_slice_with(&indefinite(1), &options).unwrap();
    assert_eq!(event.field("a"), Some(&Value::Integer(1)));
    let e = cbor::from_slice_with(&indefinite(2), &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });
    // At the fourth key: after the head, `type` (9 bytes), `content` (9) and `a` (3).
    assert_eq!(e.position(), Some(Position::Binary { offset: 22 }));
}

/// The ceiling holds for definite and indefinite arrays alike, and the encoders hold at it
/// on a small stack.
#[test]
fn depth_ceiling_with_definite_and_indefinite_arrays() {
    on_small_stack(|| {
        for head in [0x81u8, 0x9f] {
            let mut bytes = vec![head; MAX_DEPTH_CEILING];
            bytes.push(0x80);
            if head == 0x9f {
                bytes.extend(std::iter::repeat_n(0xff, MAX_DEPTH_CEILING));
            }
            let options = Options::default().max_depth(MAX_DEPTH_CEILING);
            let e = cbor::value_from_slice(&bytes, &options).unwrap_err();
            assert_eq!(
                e.kind(),
                &ErrorKind::TooDeep {
                    limit: MAX_DEPTH_CEILING
                }
            );
            let ok = &bytes[1..bytes.len() - usize::from(head == 0x9f)];
            let value = cbor::value_from_slice(ok, &options).unwrap();
            assert_eq!(value.depth(), MAX_DEPTH_CEILING);
            let encoded = cbor::value_to_vec(&value).unwrap();
            assert_eq!(
                encoded,
                [&[0x81; MAX_DEPTH_CEILING - 1][..], &[0x80]].concat()
            );
            assert!(cbor::value_to_diag(&value).unwrap().starts_with("[[[["));
        }
    });
}

/// A second `type` is a duplicate key at its byte; the event-shape errors say what JSON says.
#[test]
fn event_shape_errors() {
    // {"type": "a", "content": {}, "type": "b"}; the second key is at byte 17.
    let mut bytes = vec![0xa3, 0x64, b't', b'y', b'p', b'e', 0x61, b'a'];
    bytes.extend_from_slice(&[0x67, b'c', b'o', b'n', b't', b'e', b'n', b't', 0xa0]);
    bytes.extend_from_slice(&[0x64, b't', b'y', b'p', b'e', 0x61, b'b']);
    let e = cbor::from_slice(&bytes).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::DuplicateKey("type".into()));
    assert_eq!(e.path().to_string(), "type");
    assert_eq!(e.position(), Some(Position::Binary { offset: 17 }));
    let encode = |text: &str| {
        cbor::value_to_vec(&json::value_from_slice(text.as_bytes(), &Options::default()).unwrap())
            .unwrap()
    };
    for (text, message) in [
        (
            r#"{"type":1,"content":{}}"#,
            "`type` must be a string, found integer",
        ),
        (r#"{"content":{}}"#, "an event needs a `type` member"),
        (r#"{"type":"x"}"#, "an event needs a `content` member"),
        (
            r#"{"type":"x","content":[]}"#,
            "`content` must be an object, found array",
        ),
        (r#"[]"#, "an event must be a JSON object, found array"),
    ] {
        let e = cbor::from_slice(&encode(text)).unwrap_err();
        assert!(e.to_string().contains(message), "{text}: {e}");
        let e = json::from_str(text).unwrap_err();
        assert!(e.to_string().contains(message), "{text}: {e}");
    }
}

/// Deterministic CBOR is smaller than canonical JSON, and its diagnostic notation names every
/// block of the MSC examples.
#[test]
fn msc_examples_are_smaller_and_diagnosable() {
    for (name, event) in crate::common::msc_events() {
        let encoded = cbor::to_vec(&event).unwrap();
        assert!(
            encoded.len() < json::to_vec(&event).unwrap().len(),
            "{name}"
        );
        let diag = cbor::to_diag(&event).unwrap();
        for block in event.content().as_object().keys() {
            assert!(diag.contains(&format!("\"{block}\": ")), "{name}: {block}");
        }
        let strict = Options::default().deterministic(true);
        assert_eq!(
            cbor::from_slice_with(&encoded, &strict).unwrap(),
            event,
            "{name}"
        );
    }
}

/// Duplicate keys in maps past the one-by-one check, nested and side by side.
#[test]
fn duplicate_keys_past_the_linear_check() {
    crate::common::check_duplicate_keys("cbor", crate::common::members_cbor, |bytes| {
        cbor::value_from_slice(bytes, &Options::default())
    });
}
