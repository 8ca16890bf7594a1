//! Hostile CBOR: huge length prefixes, deep nesting, truncation and trailing bytes, and the
//! limits of [`Options`] at the limit and one past it.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev_codec::{Category, ErrorKind, MAX_DEPTH_CEILING, Options, cbor};

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
            assert_eq!(e.kind(), &ErrorKind::TooDeep { limit: MAX_DEPTH_CEILING });
            let ok = &bytes[1..bytes.len() - usize::from(head == 0x9f)];
            assert!(cbor::value_from_slice(ok, &options).is_ok());
        }
    });
}
