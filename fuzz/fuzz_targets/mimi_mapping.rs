//! The bytes as a generated MIMI message and as a generated event, each through the mapping
//! and back: the message's bytes and the event (plus its carrier block) come back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(bug) = exev_mimi::oracle::mapping(data) {
        panic!("{bug}");
    }
});
