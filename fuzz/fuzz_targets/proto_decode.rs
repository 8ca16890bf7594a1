//! Arbitrary bytes into the Protobuf decoder: rejected or round-tripped, never a bug or a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(bug) = exev_codec::oracle::proto(data) {
        panic!("{bug}");
    }
});
