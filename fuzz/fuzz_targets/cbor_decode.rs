//! Arbitrary bytes into the CBOR decoder: rejected or round-tripped (and strict-deterministic
//! mode agrees with re-encoding), never a bug or a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(bug) = exev_codec::oracle::cbor(data) {
        panic!("{bug}");
    }
});
