//! Hostile CBOR: huge length prefixes, deep nesting, truncation and trailing bytes, and the
//! limits of [`Options`] at the limit and one past it.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev_codec::{Category, ErrorKind, MAX_DEPTH_CEILING, Options, cbor, json};

/// Runs `f` on a thread with the 2 MiB stack `cargo test` gives each test.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn depth_ceiling_on_a_small_stack() {
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
            // The encoders recurse: they too hold at the ceiling on a small stack.
            let encoded = cbor::value_to_vec(&value).unwrap();
            assert_eq!(
                encoded,
                [&[0x81; MAX_DEPTH_CEILING - 1][..], &[0x80]].concat()
            );
            assert!(cbor::value_to_diag(&value).unwrap().starts_with("[[[["));
            assert!(json::value_to_vec(&value).starts_with(b"[[[["));
        }
    });
}

fn generous() -> Options {
    Options::default()
        .max_bytes(1 << 22)
        .max_depth(MAX_DEPTH_CEILING)
        .max_string_bytes(1 << 22)
        .max_elements(1 << 22)
}

/// The CBOR of the event whose one block is the JSON `block`.
fn event_with(block: &str) -> Vec<u8> {
    let text = format!(r#"{{"type":"org.example.t","content":{{"org.example.b":{block}}}}}"#);
    let event = json::from_slice_with(text.as_bytes(), &generous()).unwrap();
    cbor::to_vec(&event).unwrap()
}

fn err(input: &[u8], options: &Options) -> exev_codec::Error {
    cbor::from_slice_with(input, options).expect_err("must be rejected")
}

#[test]
fn size_limit() {
    let padded = |n: usize| event_with(&format!("\"{}\"", "a".repeat(n)));
    let n = (60_000..66_000)
        .find(|&n| padded(n).len() == 65_536)
        .unwrap();
    assert!(cbor::from_slice(&padded(n)).is_ok());
    let past = padded(n + 1);
    assert_eq!(past.len(), 65_537);
    let e = err(&past, &Options::default());
    assert_eq!(
        e.kind(),
        &ErrorKind::TooLarge {
            size: 65_537,
            limit: 65_536
        }
    );
    assert_eq!(e.category(), Category::Limit);
    assert!(cbor::from_slice_with(&past, &Options::default().max_bytes(65_537)).is_ok());
}

#[test]
fn depth_limit() {
    // The event map is level 1 and content level 2: the block adds depth - 2 arrays.
    let nested = |depth: usize| {
        let arrays = depth - 2;
        event_with(&format!("{}{}", "[".repeat(arrays), "]".repeat(arrays)))
    };
    assert!(cbor::from_slice(&nested(64)).is_ok());
    let e = err(&nested(65), &Options::default());
    assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: 64 });
    assert!(
        e.path()
            .to_string()
            .starts_with(r#"content["org.example.b"][0][0]"#),
        "{e}"
    );
    let small = Options::default().max_depth(10);
    assert!(cbor::from_slice_with(&nested(10), &small).is_ok());
    assert!(cbor::from_slice_with(&nested(11), &small).is_err());
}

#[test]
fn string_limit() {
    let options = Options::default().max_string_bytes(100);
    assert!(
        cbor::from_slice_with(&event_with(&format!("\"{}\"", "é".repeat(50))), &options).is_ok()
    );
    let e = err(&event_with(&format!("\"{}a\"", "é".repeat(50))), &options);
    assert_eq!(e.kind(), &ErrorKind::StringTooLong { limit: 100 });
    assert_eq!(e.path().to_string(), r#"content["org.example.b"]"#);
    // Keys are strings too; chunks of an indefinite string count together.
    let key = |n: usize| event_with(&format!(r#"{{"{}":1}}"#, "k".repeat(n)));
    assert!(cbor::from_slice_with(&key(100), &options).is_ok());
    assert!(cbor::from_slice_with(&key(101), &options).is_err());
    let mut chunked = vec![0x7f];
    for _ in 0..11 {
        chunked.push(0x6a);
        chunked.extend_from_slice(b"0123456789");
    }
    chunked.push(0xff);
    let e = cbor::value_from_slice(&chunked, &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::StringTooLong { limit: 100 });
    assert_eq!(e.position().unwrap().offset(), 0);
}

#[test]
fn element_limit() {
    let array = |n: usize| event_with(&format!("[{}]", vec!["0"; n].join(",")));
    assert!(cbor::from_slice(&array(16_384)).is_ok());
    let e = err(&array(16_385), &Options::default());
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 16_384 });
    let options = Options::default().max_elements(3);
    let object = |n: usize| {
        let members: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
        event_with(&format!("{{{}}}", members.join(",")))
    };
    assert!(cbor::from_slice_with(&object(3), &options).is_ok());
    let e = err(&object(4), &options);
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });
    // Indefinite lengths are counted as they come.
    let e = cbor::value_from_slice(&[0x9f, 1, 2, 3, 4, 0xff], &options).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::TooManyElements { limit: 3 });
    assert_eq!(e.position().unwrap().offset(), 4);
}

#[test]
fn truncated_and_trailing() {
    let event = event_with(r#"{"a":[1,"two",null]}"#);
    let mut trailing = event.clone();
    trailing.push(0x00);
    let e = err(&trailing, &Options::default());
    assert_eq!(e.kind(), &ErrorKind::TrailingData);
    assert_eq!(e.position().unwrap().offset(), event.len());
    for cut in 0..event.len() {
        let e = err(&event[..cut], &Options::default());
        assert!(
            matches!(e.kind(), ErrorKind::UnexpectedEnd { .. }),
            "{cut}: {e}"
        );
        assert_eq!(e.category(), Category::Syntax);
    }
}

/// The benchmark's corpus: realistic client events.
#[allow(dead_code, unreachable_pub)]
#[path = "../codec/benches/corpus.rs"]
mod corpus;

#[test]
fn every_strict_prefix_of_the_corpus_ends_early() {
    for (i, json_bytes) in corpus::events(200).iter().enumerate() {
        let event = json::from_slice(json_bytes).unwrap();
        let encoded = cbor::to_vec(&event).unwrap();
        assert_eq!(cbor::from_slice(&encoded).unwrap(), event, "event {i}");
        for cut in 0..encoded.len() {
            let e = cbor::from_slice(&encoded[..cut]).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::UnexpectedEnd { .. }),
                "event {i} cut at {cut}: {e}"
            );
        }
    }
}

/// The names of the hostile inputs, each made by [`hostile`].
const HOSTILE: &[&str] = &[
    "text of 2^32 bytes",
    "text of 2^63 bytes",
    "bytes of 2^64-1",
    "array of 2^32-1",
    "map of 2^64-1",
    "array of 1M zeros",
    "text just too long",
    "deep arrays",
    "deep indefinite arrays",
    "deep maps",
    "deep tags",
    "indefinite text of empty chunks",
    "breaks",
    "zeros",
    "random",
    // Not hostile: the worst honest case, one value per input byte, to show that the
    // memory measurement sees real allocations.
    "array of 500k zeros",
];

/// A hostile input of up to 1 MiB.
fn hostile(name: &str) -> Vec<u8> {
    let mib = 1 << 20;
    let then_zeros = |head: &[u8], len: usize| {
        let mut v = head.to_vec();
        v.resize(len, 0);
        v
    };
    match name {
        "text of 2^32 bytes" => vec![0x7a, 0xff, 0xff, 0xff, 0xff, b'a'],
        "text of 2^63 bytes" => vec![0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, b'a'],
        "bytes of 2^64-1" => vec![0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        "array of 2^32-1" => then_zeros(&[0x9a, 0xff, 0xff, 0xff, 0xff], mib),
        "map of 2^64-1" => vec![0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x60],
        "array of 1M zeros" => then_zeros(&[0x9a, 0x00, 0x10, 0x00, 0x00], mib),
        "text just too long" => then_zeros(&[0x7a, 0x00, 0x10, 0x00, 0x00], mib),
        "deep arrays" => vec![0x81; mib],
        "deep indefinite arrays" => vec![0x9f; mib],
        "deep maps" => [0xa1, 0x61, b'a'].repeat(mib / 3),
        "deep tags" => vec![0xc6; mib],
        "indefinite text of empty chunks" => {
            let mut v = vec![0x7f];
            v.resize(mib - 1, 0x60);
            v.push(0xff);
            v
        }
        "breaks" => vec![0xff; mib],
        "zeros" => vec![0x00; mib],
        "random" => {
            let mut seed = 0x1767_u64;
            (0..mib)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (seed >> 56) as u8
                })
                .collect()
        }
        "array of 500k zeros" => then_zeros(&[0x9a, 0x00, 0x07, 0xa1, 0x20], 500_005),
        _ => panic!("no hostile input {name}"),
    }
}

fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    HOSTILE.iter().map(|&name| (name, hostile(name))).collect()
}

#[test]
fn hostile_inputs_are_refused_on_a_small_stack() {
    on_small_stack(|| {
        for options in [
            Options::default(),
            generous(),
            generous().deterministic(true),
        ] {
            for (name, input) in hostile_inputs() {
                if name.starts_with("array of 500k") {
                    continue;
                }
                let e = cbor::from_slice_with(&input, &options).unwrap_err();
                assert!(e.position().is_some(), "{name}: {e}");
                assert!(!e.to_string().contains('\n'));
                let mut n = 0;
                for item in cbor::sequence_from_slice(&input, &options) {
                    n += 1;
                    if item.is_err() {
                        break;
                    }
                }
                assert!(n >= 1, "{name}");
                let reader = cbor::SequenceReader::new(input.as_slice(), options.clone());
                assert!(reader.last().unwrap().is_err(), "{name}");
            }
        }
        // Tiny inputs claiming huge sizes fail as truncated, at the end of the input.
        for (name, input) in &hostile_inputs()[..5] {
            let e = cbor::value_from_slice(input, &generous()).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::UnexpectedEnd { .. }),
                "{name}: {e}"
            );
        }
    });
}

/// Peak resident memory of this process, in bytes (Linux). A reservation never touched does
/// not count, but one too large to make aborts the child, which fails the test.
fn vm_peak() -> Option<usize> {
    memory("VmHWM:")
}

/// Resident memory of this process now, in bytes (Linux).
fn vm_now() -> Option<usize> {
    memory("VmRSS:")
}

fn memory(field: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Run in a child process by [`hostile_inputs_allocate_little`]: decodes one hostile input
/// and prints how far the peak of resident memory rose above the memory in use before.
#[test]
fn hostile_input_child() {
    let Ok(which) = std::env::var("EXEV_HOSTILE_INPUT") else {
        return;
    };
    let input = hostile(HOSTILE[which.parse::<usize>().unwrap()]);
    let before = vm_now().unwrap();
    let _ = std::hint::black_box(cbor::value_from_slice(&input, &generous()));
    let after = vm_peak().unwrap();
    println!("\nGROWTH {}", after.saturating_sub(before));
}

#[test]
fn hostile_inputs_allocate_little() {
    if vm_peak().is_none() {
        return; // Not Linux: nothing to measure with.
    }
    for (i, (name, input)) in hostile_inputs().iter().enumerate() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "hostile_input_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("EXEV_HOSTILE_INPUT", i.to_string())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let growth: usize = stdout
            .split("GROWTH ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("{name}: {stdout}"))
            .parse()
            .unwrap();
        // Generous limits, so the decoder works through the whole input. Hostile input
        // grows memory by little, never near what a length prefix claims; an honest array of
        // one-byte items costs a Value (32 bytes) per input byte, the worst case there is.
        let factor = if name.starts_with("array of 500k") {
            40
        } else {
            4
        };
        let bound = factor * input.len() + (1 << 20);
        assert!(
            growth <= bound,
            "{name}: grew {growth} bytes for {} of input",
            input.len()
        );
        println!("{name}: {} bytes in, peak grew {growth}", input.len());
    }
}

/// A reader that hands out one byte per read.
struct Trickle<'a>(&'a [u8]);

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

#[test]
fn sequences_from_slices_and_trickling_readers() {
    let events: Vec<exev::Event> = corpus::events(40)
        .iter()
        .map(|b| json::from_slice(b).unwrap())
        .collect();
    let mut stream = Vec::new();
    for e in &events {
        cbor::to_writer(&mut stream, e).unwrap();
    }
    let from_slice: Vec<_> = cbor::sequence_from_slice(&stream, &Options::default())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(from_slice, events);
    let trickled: Vec<_> = cbor::SequenceReader::new(Trickle(&stream), Options::default())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(trickled, events);
    // An error in item 3 stops the sequence there, at its offset in the whole stream.
    let third = cbor::to_vec(&events[0]).unwrap().len() + cbor::to_vec(&events[1]).unwrap().len();
    let mut broken = stream.clone();
    broken[third] = 0x1c; // a reserved head byte
    for results in [
        cbor::sequence_from_slice(&broken, &Options::default()).collect::<Vec<_>>(),
        cbor::SequenceReader::new(Trickle(&broken), Options::default()).collect(),
    ] {
        assert_eq!(results.len(), 3);
        let e = results[2].as_ref().unwrap_err();
        assert_eq!(e.position().unwrap().offset(), third, "{e}");
        assert_eq!(e.category(), Category::Syntax);
    }
    // An item past the size limit is refused without reading it all.
    let small = Options::default().max_bytes(100);
    let big = &stream;
    let mut reader = cbor::SequenceReader::new(big.as_slice(), small.clone());
    let e = reader.next().unwrap().unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::TooLarge { limit: 100, .. }),
        "{e}"
    );
    let e = cbor::sequence_from_slice(big, &small)
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::TooLarge { limit: 100, .. }),
        "{e}"
    );
}
