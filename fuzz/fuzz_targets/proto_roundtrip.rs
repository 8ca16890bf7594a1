//! Structured events (from `arbitrary`) through the Protobuf encoder and decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|event: exev::Event| {
    if let Err(bug) = exev_codec::oracle::proto_event(&event) {
        panic!("{bug}");
    }
});
