//! Arbitrary bytes into the MIMI content decoder: refused in one line with an offset, or a
//! message that re-encodes to the same bytes and maps to an event and back to them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(bug) = exev_mimi::oracle::decode(data) {
        panic!("{bug}");
    }
});
