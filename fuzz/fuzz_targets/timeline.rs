//! Rooms of generated events folded into a timeline: it never panics, its items do not
//! depend on the order relations arrive in, and what must hold of any timeline holds
//! (`exev_registry::check_timeline`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(bug) = exev_registry::check_timeline_bytes(data) {
        panic!("{bug}");
    }
});
