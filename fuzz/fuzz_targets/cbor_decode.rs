//! Arbitrary bytes into the CBOR decoder: rejected with a one-line error and a position, or
//! accepted and round-tripped, with strict-deterministic decoding accepting exactly the inputs
//! that re-encode to themselves; never a bug or a crash (`exev_codec::oracle::decode`).
#![no_main]

use exev_codec::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(bug) = exev_codec::oracle::decode(Format::Cbor, data) {
        panic!("{bug}");
    }
});
