//! The CBOR codec against external material: the MSC examples, RFC 8949 Appendix A and F.1,
//! the §4.2.1 key order, and the CBOR WG test vectors (read with minicbor, an independent
//! decoder, so that the harness does not trust the codec it tests).

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use exev::Value;
use exev_codec::{Category, ErrorKind, MAX_DEPTH_CEILING, NumberPolicy, Options, cbor, json};

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn strict() -> Options {
    Options::default().max_depth(MAX_DEPTH_CEILING)
}

fn lenient() -> Options {
    strict().numbers(NumberPolicy::Lenient)
}

fn deterministic() -> Options {
    strict().deterministic(true)
}

/// A vectors file read as JSON, big numbers kept verbatim.
fn vectors_json(path: &str) -> Value {
    let bytes = std::fs::read(common::vectors().join(path)).unwrap();
    json::value_from_slice(
        &bytes,
        &Options::default()
            .max_bytes(1 << 24)
            .numbers(NumberPolicy::Lenient),
    )
    .unwrap()
}

#[test]
fn every_msc_example_round_trips_through_deterministic_cbor() {
    for (name, bytes) in common::msc_canonical() {
        let canonical = common::trim_newline(&bytes);
        let event = json::from_slice(canonical).unwrap();
        let encoded = cbor::to_vec(&event).unwrap();
        // Deterministic: the strict-deterministic decoder accepts it, and re-encoding the
        // decoded event gives the same bytes.
        let decoded = cbor::from_slice_with(&encoded, &Options::default().deterministic(true))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded, event, "{name}");
        assert_eq!(cbor::to_vec(&decoded).unwrap(), encoded, "{name}");
        assert_eq!(
            String::from_utf8_lossy(&json::to_vec(&decoded)),
            String::from_utf8_lossy(canonical),
            "{name}"
        );
        // Smaller than canonical JSON, and the diagnostic notation names every block.
        assert!(encoded.len() < canonical.len(), "{name}");
        let diag = cbor::to_diag(&event).unwrap();
        for block in event.content().as_object().keys() {
            assert!(diag.contains(&format!("\"{block}\": ")), "{name}: {block}");
        }
    }
}

#[test]
fn every_strict_prefix_of_an_msc_example_ends_early() {
    for (name, bytes) in common::msc_canonical() {
        let event = json::from_slice(common::trim_newline(&bytes)).unwrap();
        let encoded = cbor::to_vec(&event).unwrap();
        for cut in 0..encoded.len() {
            let e = cbor::from_slice(&encoded[..cut]).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::UnexpectedEnd { .. }),
                "{name} cut at {cut}: {e}"
            );
            assert_eq!(e.position().unwrap().offset(), cut, "{name} cut at {cut}");
        }
    }
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
    let rows = vectors_json("cbor/rfc8949-appendix-a.json");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 81);
    let mut tally = std::collections::BTreeMap::<String, usize>::new();
    for row in rows {
        let hex_str = row.get("hex").and_then(Value::as_str).unwrap();
        let diagnostic = row.get("diagnostic").and_then(Value::as_str).unwrap();
        let roundtrip = row.get("roundtrip") == Some(&Value::Bool(true));
        let bytes = hex(hex_str);
        let decoded = row.get("decoded");
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
    let doc = vectors_json("cbor/rfc8949-appendix-f1-not-well-formed.json");
    let mut seen = 0;
    for group in doc.get("groups").and_then(Value::as_array).unwrap() {
        let category = group.get("category").and_then(Value::as_str).unwrap();
        for example in group.get("examples").and_then(Value::as_array).unwrap() {
            let bytes = hex(example.as_str().unwrap());
            for options in [strict(), lenient(), deterministic()] {
                let e = cbor::value_from_slice(&bytes, &options)
                    .expect_err("not well-formed input must be rejected");
                // Reported as ill-formed, whatever data-model problem comes first.
                assert_eq!(
                    e.category(),
                    Category::Syntax,
                    "{category} {example:?}: {e}"
                );
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 94);
}

#[test]
fn rfc8949_text_key_order() {
    // §4.2.1 sorts by the encoded key: "z" (617a) before "aa" (626161), unlike canonical JSON.
    let doc = vectors_json("cbor/rfc8949-4.2.1-key-order.json");
    let keys: Vec<&str> = doc
        .get("rfc_sorted_keys")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|k| k.get("hex").and_then(Value::as_str).unwrap())
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
    assert_eq!(json::value_to_vec(&value), br#"{"aa":1,"z":2}"#);
    // The other order is well-formed but not deterministic.
    let swapped = hex("a2626161 01 617a02".replace(' ', "").as_str());
    assert_eq!(cbor::value_from_slice(&swapped, &strict()).unwrap(), value);
    let e = cbor::value_from_slice(&swapped, &deterministic()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "not deterministic CBOR: breaks the rule \"map keys sorted bytewise by their encoded \
         form (RFC 8949 §4.2.1)\" at z (byte 5)"
    );
}

/// A generic CBOR item, as the harness reads the vector files: with minicbor, an independent
/// decoder (ciborium cannot read the simple values some of them hold).
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
                    .filter(|i| i.abs() <= exev::MAX_SAFE_INTEGER)?,
            ),
            Item::Text(s) => Value::String(s.clone()),
            Item::Bool(b) => Value::Bool(*b),
            Item::Null => Value::Null,
            Item::Array(items) => {
                Value::Array(items.iter().map(Item::in_model).collect::<Option<_>>()?)
            }
            Item::Map(pairs) => {
                let mut object = exev::Object::new();
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
    let root = common::vectors().join("cbor/cbor-wg-test-vectors/tests");
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
