//! Memory on hostile Protobuf input: decoding never allocates more than a small multiple of the
//! input's size, whatever lengths the input declares. Measured as the growth of the process's
//! peak resident memory (Linux `VmHWM`, reset through `/proc/self/clear_refs`), in a test binary
//! of its own with one test, so nothing else allocates meanwhile.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    // Varints and random bytes are built by truncating casts on purpose.
    clippy::cast_possible_truncation
)]

use exev_codec::{Options, json, proto};

/// The peak resident memory since the last reset, in bytes, and the current one.
#[cfg(target_os = "linux")]
fn memory() -> (usize, usize) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| -> usize {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<usize>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A message of `len` bytes at most: one generic block holding an array of as many tiny
/// objects `{"": null}` as fit, the most allocation per input byte this schema allows.
fn many_small_objects(len: usize) -> Vec<u8> {
    // Value { object_value {}, items: [Value{null_value: 0}], keys: [""] }
    let object = [0x32, 0x00, 0x42, 0x02, 0x08, 0x00, 0x4a, 0x00];
    let mut array = vec![0x2a, 0x00];
    while array.len() + object.len() + 16 < len {
        array.push(0x42);
        push_varint(&mut array, object.len() as u64);
        array.extend_from_slice(&object);
    }
    let mut block = vec![0x12, 0x01, b'x', 0x1a];
    push_varint(&mut block, array.len() as u64);
    block.extend_from_slice(&array);
    let mut event = vec![0x12, 0x01, b'x', 0x1a];
    push_varint(&mut event, block.len() as u64);
    event.extend_from_slice(&block);
    event
}

/// The hostile inputs, by name, and the JSON text of the worst case for comparison.
fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut inputs: Vec<(&str, Vec<u8>)> = vec![
        ("many small objects", many_small_objects(1 << 20)),
        // A length prefix claiming 2^62 bytes.
        (
            "huge length",
            vec![
                0x12, 0x01, b'x', 0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f,
            ],
        ),
        ("zeros", vec![0u8; 1 << 20]),
    ];
    let event =
        json::from_str(r#"{"type":"m.x","content":{"m.text":[{"body":"a long enough body"}]}}"#)
            .unwrap();
    let one = proto::to_vec(&event);
    inputs.push((
        "repeated valid",
        one.iter().copied().cycle().take(1 << 20).collect(),
    ));
    // The JSON decoder on the worst case's shape: `{"type":"x","content":{"x":[{"":null},...]}}`.
    let mut text = String::from(r#"{"type":"x","content":{"x":["#);
    while text.len() < (1 << 20) - 32 {
        text.push_str(r#"{"":null},"#);
    }
    text.push_str(r#"{"":null}]}}"#);
    inputs.push(("JSON: many small objects", text.into_bytes()));
    inputs
}

/// Decodes one input, by name, and prints the growth of peak memory: run in a child process
/// per input, so that memory freed by one case cannot hide another's peak.
#[test]
#[cfg(target_os = "linux")]
fn memory_case() {
    let Ok(case) = std::env::var("EXEV_MEMORY_CASE") else {
        return;
    };
    let options = Options::default().max_bytes(2 << 20).max_elements(1 << 20);
    let (name, input) = inputs().into_iter().find(|(n, _)| *n == case).unwrap();
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let (_, before) = memory();
    let accepted = if name.starts_with("JSON") {
        json::from_slice_with(&input, &options).is_ok()
    } else {
        proto::from_slice_with(&input, &options).is_ok()
    };
    let (peak, _) = memory();
    println!(
        "MEMORY {} {} {accepted}",
        input.len(),
        peak.saturating_sub(before)
    );
}

#[test]
#[cfg(target_os = "linux")]
fn decoding_allocates_a_small_multiple_of_the_input() {
    if std::env::var_os("EXEV_MEMORY_CASE").is_some() {
        return;
    }
    let mut factors = Vec::new();
    for (name, _) in inputs() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "memory_case", "--nocapture", "--test-threads=1"])
            .env("EXEV_MEMORY_CASE", name)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("MEMORY ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("{name}: {stdout}"));
        let mut parts = line.split(' ');
        let len: usize = parts.next().unwrap().parse().unwrap();
        let grown: usize = parts.next().unwrap().parse().unwrap();
        let accepted = parts.next().unwrap();
        let factor = grown as f64 / len as f64;
        eprintln!(
            "{name}: {len} bytes in, peak grew {grown} bytes ({factor:.1}x), accepted {accepted}"
        );
        factors.push((name, factor));
        // The worst case is the model's own cost (a one-member object is a B-tree node), which
        // the JSON decoder pays as well; 1 MiB of slack for page granularity.
        assert!(
            grown <= 80 * len + (1 << 20),
            "{name}: {grown} bytes for {len} bytes of input"
        );
    }
    // No worse than the JSON decoder on the same shape, within a margin.
    let proto = factors
        .iter()
        .find(|(n, _)| *n == "many small objects")
        .unwrap()
        .1;
    let json = factors
        .iter()
        .find(|(n, _)| n.starts_with("JSON"))
        .unwrap()
        .1;
    assert!(
        proto <= json * 1.5 + 1.0,
        "Protobuf {proto:.1}x, JSON {json:.1}x"
    );
}
