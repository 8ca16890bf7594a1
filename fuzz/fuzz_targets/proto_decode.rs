//! Arbitrary bytes into the Protobuf decoder: rejected with a one-line error and a position, or
//! accepted and round-tripped, never a bug or a crash (`exev_codec::oracle::decode`).
#![no_main]

use exev_codec::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(bug) = exev_codec::oracle::decode(Format::Proto, data) {
        panic!("{bug}");
    }
});
