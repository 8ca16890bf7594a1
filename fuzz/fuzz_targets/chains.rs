//! Structured events through every chain of two codecs (JSON, CBOR, Protobuf): each ends with
//! the event's own canonical JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|event: exev::Event| {
    if let Err(bug) = exev_codec::oracle::chains(&event) {
        panic!("{bug}");
    }
});
