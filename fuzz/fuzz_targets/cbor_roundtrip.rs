//! Structured events (from `arbitrary`) through the CBOR encoder and decoder: every one
//! round-trips (`exev_codec::oracle::round_trip`).
#![no_main]

use exev_codec::Format;
use exev_codec::oracle::Verdict;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|event: exev::Event| {
    match exev_codec::oracle::round_trip(Format::Cbor, &event) {
        Ok(Verdict::Accepted) => {}
        other => panic!("{other:?}"),
    }
});
