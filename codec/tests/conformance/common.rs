//! What the suite's parts share: the external vectors, the events every format is tried on,
//! readers that misbehave on purpose, and an independent reader of expected values.

use std::path::PathBuf;

use exev::generate::{Generator, SplitMix64};
use exev::{Event, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Value};
use exev_codec::json;

/// The external test vectors: `$EXEV_VECTORS`, or `../shared/vectors` beside the repository.
/// Missing vectors fail the test rather than skip it.
pub(crate) fn vectors() -> PathBuf {
    let dir = std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "test vectors not found at {} (set EXEV_VECTORS)",
        dir.display()
    );
    dir
}

/// A vector file's bytes.
pub(crate) fn vector(path: &str) -> Vec<u8> {
    std::fs::read(vectors().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `msc/Vnn.canonical.json`, sorted, as (name, bytes without the final newline).
pub(crate) fn msc_canonical() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(vectors().join("msc"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".canonical.json"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".canonical.json", "");
            let bytes = std::fs::read(&p).unwrap();
            (name, bytes.strip_suffix(b"\n").unwrap_or(&bytes).to_vec())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 28, "{} MSC examples", out.len());
    out
}

/// The MSC examples as events, read by `serde_json` (an independent reader) and checked equal
/// to what exev's JSON decoder reads, so that no format's test trusts the decoder it tests.
pub(crate) fn msc_events() -> Vec<(String, Event)> {
    msc_canonical()
        .into_iter()
        .map(|(name, bytes)| {
            let event = json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            let independent: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(event.to_value(), from_serde(&independent), "{name}");
            (name, event)
        })
        .collect()
}

/// The benchmark's corpus: realistic client events.
#[allow(dead_code, unreachable_pub)]
#[path = "../../benches/corpus.rs"]
mod corpus;

/// `n` realistic client events (the benchmark corpus).
pub(crate) fn corpus_events(n: usize) -> Vec<Event> {
    corpus::events(n)
        .iter()
        .map(|bytes| json::from_slice(bytes).unwrap())
        .collect()
}

/// `n` generated events from a fixed seed (with lenient numbers now and then if asked):
/// every built-in block valid and malformed, unknown ones, Unicode edges, deep chains.
pub(crate) fn generated_events(n: u64, lenient: bool) -> Vec<Event> {
    (0..n)
        .map(|i| {
            let bytes = SplitMix64::new(0x1767 ^ i.wrapping_mul(0xA24B_AED4_963E_E407)).bytes(2048);
            let mut generator = Generator::new(&bytes);
            if lenient {
                generator.with_lenient_numbers().event()
            } else {
                generator.event()
            }
        })
        .collect()
}

/// An event from its canonical JSON text.
pub(crate) fn event(text: &str) -> Event {
    json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// An event of type `org.example.t` whose one block, `org.example.b`, is `value`.
pub(crate) fn event_with(value: Value) -> Event {
    let mut content = Object::new();
    content.insert("org.example.b".to_owned(), value);
    Event::new("org.example.t", exev::Content::from_object(content))
}

/// Runs `f` on a thread with the 2 MiB stack `cargo test` gives each test (libFuzzer and
/// the main thread have more), so that a stack overflow would show here.
pub(crate) fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// A reader that hands out one byte per read, to find framing that assumes whole reads.
pub(crate) struct Trickle<'a>(pub(crate) &'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&b, rest)), Some(slot)) => {
                *slot = b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

/// A reader of `len` bytes of `fill` after `head`, counting how many were read, for showing
/// that a stream reader refuses what is too large without reading it.
pub(crate) struct Counting {
    head: Vec<u8>,
    fill: u8,
    len: usize,
    pub(crate) read: usize,
}

impl Counting {
    pub(crate) fn new(head: &[u8], fill: u8, len: usize) -> Counting {
        Counting {
            head: head.to_vec(),
            fill,
            len,
            read: 0,
        }
    }
}

impl std::io::Read for &mut Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.len - self.read);
        for (i, slot) in buf.iter_mut().take(n).enumerate() {
            *slot = self.head.get(self.read + i).copied().unwrap_or(self.fill);
        }
        self.read += n;
        Ok(n)
    }
}

/// `serde_json`'s reading of a value in exev's model: integers in range as integers (also when
/// written `1e10` or `-0`, which `serde_json` reads as floats), other numbers as their shortest
/// literal, which is exact only for what `serde_json` holds exactly.
pub(crate) fn from_serde(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n
                .as_i64()
                .filter(|i| (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(i))
            {
                return Value::Integer(i);
            }
            match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64 => {
                    Value::Integer(f as i64)
                }
                _ => Value::Number(Number::from_literal(&n.to_string()).unwrap()),
            }
        }
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(from_serde).collect()),
        serde_json::Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_serde(v)))
                .collect(),
        ),
    }
}

/// A vector file that is JSON, read by `serde_json` (not by the codec under test).
pub(crate) fn vector_json(path: &str) -> serde_json::Value {
    serde_json::from_slice(&vector(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Bytes from hex.
pub(crate) fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    assert!(s.len().is_multiple_of(2), "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Hex from bytes.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `n` as a varint.
pub(crate) fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A member of the duplicate-key fixtures: a key with `0`, or with an object of members.
pub(crate) enum Member {
    Zero(String),
    Object(String, Vec<Member>),
}

/// `prefix0` … `prefix{n-1}`, each with `0`.
pub(crate) fn zeros(prefix: &str, n: usize) -> Vec<Member> {
    (0..n)
        .map(|i| Member::Zero(format!("{prefix}{i}")))
        .collect()
}

/// Objects past the 32 keys the decoders compare one by one (where they go into a set), as
/// deep as two, with the key a decoder must refuse as a duplicate, or `None`. Sets and
/// one-by-one checks are mixed: a large object in a large one, siblings, a small one in a
/// large one, and keys of an inner object repeated in the outer one after it closes.
pub(crate) fn duplicate_key_cases() -> Vec<(&'static str, Vec<Member>, Option<&'static str>)> {
    let big = |prefix: &str, extra: &[&str]| {
        let mut members = zeros(prefix, 40);
        members.extend(extra.iter().map(|k| Member::Zero((*k).to_owned())));
        members
    };
    let outer = |inner: Vec<Member>, after: &[&str]| {
        let mut members = zeros("a", 40);
        members.push(Member::Object("inner".to_owned(), inner));
        members.extend(after.iter().map(|k| Member::Zero((*k).to_owned())));
        members
    };
    let siblings = |after: &[&str]| {
        let mut members = zeros("a", 40);
        members.push(Member::Object("i1".to_owned(), big("b", &[])));
        members.push(Member::Object("i2".to_owned(), big("b", &[])));
        members.extend(after.iter().map(|k| Member::Zero((*k).to_owned())));
        members
    };
    let small = || vec![Member::Zero("a5".to_owned()), Member::Zero("x".to_owned())];
    vec![
        (
            "a large object in a large one",
            outer(big("b", &[]), &[]),
            None,
        ),
        (
            "a duplicate in the inner set",
            outer(big("b", &["b5"]), &[]),
            Some("b5"),
        ),
        (
            "a duplicate in the outer set after the inner",
            outer(big("b", &[]), &["a5"]),
            Some("a5"),
        ),
        (
            "an inner key in the outer after the inner",
            outer(big("b", &[]), &["b5"]),
            None,
        ),
        (
            "an outer key in a small inner object",
            outer(small(), &["y"]),
            None,
        ),
        (
            "then an outer duplicate",
            outer(small(), &["a0"]),
            Some("a0"),
        ),
        (
            "an inner key again in the small one",
            outer(small(), &["x"]),
            None,
        ),
        ("two large siblings", siblings(&[]), None),
        ("a sibling's name again", siblings(&["i1"]), Some("i1")),
        (
            "a small object's duplicate",
            vec![Member::Zero("k".into()), Member::Zero("k".into())],
            Some("k"),
        ),
    ]
}

/// The members as a JSON object.
pub(crate) fn members_json(members: &[Member]) -> Vec<u8> {
    let mut out = vec![b'{'];
    for (i, member) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match member {
            Member::Zero(k) => out.extend_from_slice(format!("\"{k}\":0").as_bytes()),
            Member::Object(k, inner) => {
                out.extend_from_slice(format!("\"{k}\":").as_bytes());
                out.extend(members_json(inner));
            }
        }
    }
    out.push(b'}');
    out
}

/// The members as a CBOR map (keys shorter than 24 bytes, fewer than 256 members).
pub(crate) fn members_cbor(members: &[Member]) -> Vec<u8> {
    let head = |major: u8, n: usize| match n {
        0..24 => vec![major << 5 | n as u8],
        24..256 => vec![major << 5 | 24, n as u8],
        _ => panic!("a fixture too large"),
    };
    let mut out = head(5, members.len());
    for member in members {
        let (k, value) = match member {
            Member::Zero(k) => (k, vec![0x00]),
            Member::Object(k, inner) => (k, members_cbor(inner)),
        };
        out.extend(head(3, k.len()));
        out.extend_from_slice(k.as_bytes());
        out.extend(value);
    }
    out
}

/// Checks each of [`duplicate_key_cases`] through `decode`: the duplicate refused by name, or
/// the object read with every member.
pub(crate) fn check_duplicate_keys(
    format: &str,
    encode: fn(&[Member]) -> Vec<u8>,
    decode: impl Fn(&[u8]) -> Result<Value, exev_codec::Error>,
) {
    let count = |members: &[Member]| -> usize {
        members
            .iter()
            .map(|m| match m {
                Member::Zero(_) => 1,
                Member::Object(_, inner) => 1 + inner.len(),
            })
            .sum()
    };
    for (name, members, duplicate) in duplicate_key_cases() {
        let result = decode(&encode(&members));
        match duplicate {
            Some(key) => {
                let e = result.expect_err(name);
                assert_eq!(
                    e.kind(),
                    &exev_codec::ErrorKind::DuplicateKey(key.to_owned()),
                    "{format}: {name}: {e}"
                );
            }
            None => {
                let value = result.unwrap_or_else(|e| panic!("{format}: {name}: {e}"));
                let Value::Object(object) = &value else {
                    panic!("{format}: {name}: {value:?}")
                };
                let read: usize = object
                    .values()
                    .map(|v| match v {
                        Value::Object(inner) => 1 + inner.len(),
                        _ => 1,
                    })
                    .sum();
                assert_eq!(read, count(&members), "{format}: {name}");
            }
        }
    }
}
