//! Structured events (from `arbitrary`) through the JSON encoder and decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|event: exev::Event| {
    if let Err(bug) = exev_codec::oracle::json_event(&event) {
        panic!("{bug}");
    }
});
