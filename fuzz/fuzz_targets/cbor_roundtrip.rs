//! Structured events (from `arbitrary`) through the deterministic CBOR encoder and decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|event: exev::Event| {
    if let Err(bug) = exev_codec::oracle::cbor_event(&event) {
        panic!("{bug}");
    }
});
