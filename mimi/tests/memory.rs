//! Memory on hostile MIMI content: length prefixes up to 2^64 - 1 allocate nothing.
//! Measured as the growth of the process's peak resident memory (Linux `VmHWM`), in a test
//! binary of its own with one test, so nothing else allocates meanwhile.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The peak resident memory of the process, in bytes.
#[cfg(target_os = "linux")]
fn peak() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// A message cut after a head that announces `arg` of major type `major` at the field the
/// prefix `before` leads to.
fn announcing(before: &[u8], major: u8, arg: u64) -> Vec<u8> {
    let mut out = before.to_vec();
    exev_codec::cbor::head::write_head(&mut out, major, arg);
    out.extend_from_slice(&[0u8; 64]);
    out
}

#[cfg(target_os = "linux")]
#[test]
fn huge_length_prefixes_allocate_nothing() {
    let mut salt_prefix = vec![0x87];
    let mut body_prefix = vec![0x87, 0x50];
    body_prefix.extend_from_slice(&[0; 16]);
    body_prefix.extend_from_slice(&[0xf6, 0x40, 0xf6, 0xf6, 0xa0]);
    let mut ext_prefix = body_prefix.clone();
    ext_prefix.pop();
    let mut multi_prefix = body_prefix.clone();
    multi_prefix.extend_from_slice(&[0x85, 0x01, 0x60, 0x03, 0x02]);
    let mut content_prefix = body_prefix.clone();
    content_prefix.extend_from_slice(&[0x85, 0x01, 0x60, 0x01, 0x60]);
    let mut language_prefix = body_prefix.clone();
    language_prefix.extend_from_slice(&[0x85, 0x01]);
    let mut inputs = Vec::new();
    for arg in [u64::from(u32::MAX), 1 << 40, u64::MAX] {
        inputs.push(announcing(&salt_prefix, 2, arg));
        inputs.push(announcing(&ext_prefix, 5, arg));
        inputs.push(announcing(&multi_prefix, 4, arg));
        inputs.push(announcing(&content_prefix, 2, arg));
        inputs.push(announcing(&language_prefix, 3, arg));
    }
    salt_prefix.clear();
    let before = peak();
    for input in &inputs {
        for _ in 0..100 {
            let e = exev_mimi::from_slice(input).unwrap_err();
            assert_eq!(e.category(), exev_mimi::Category::Eof, "{e}");
        }
    }
    let growth = peak().saturating_sub(before);
    assert!(growth < 1 << 20, "peak memory grew by {growth} bytes");
}
