//! Properties over generated events, for every codec present: decode(encode(e)) == e, the
//! canonical output is idempotent, and what the codecs accept they keep.
//!
//! `cargo test` runs a few hundred cases per property; CI raises it with `PROPTEST_CASES`.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev::Event;
use exev::generate::Generator;
use exev_codec::{json, oracle};
use proptest::prelude::*;

fn events() -> impl Strategy<Value = Event> {
    proptest::collection::vec(any::<u8>(), 0..4096).prop_map(|bytes| Generator::new(&bytes).event())
}

fn config() -> ProptestConfig {
    // PROPTEST_CASES overrides this default (proptest reads it).
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(300),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_round_trips(event in events()) {
        oracle::json_event(&event).map_err(|b| TestCaseError::fail(b.to_string()))?;
    }

    #[test]
    fn generated_events_fit_the_default_limits(event in events()) {
        let bytes = json::to_vec(&event);
        prop_assert!(bytes.len() <= exev_codec::DEFAULT_MAX_BYTES, "{} bytes", bytes.len());
        prop_assert_eq!(json::from_slice(&bytes).unwrap(), event);
    }

    #[test]
    fn json_oracle_never_finds_a_bug_in_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        oracle::json(&bytes).map_err(|b| TestCaseError::fail(b.to_string()))?;
    }

    #[test]
    fn json_oracle_on_mutated_canonical_events(event in events(), at in any::<usize>(), byte in any::<u8>()) {
        // One byte changed in a valid encoding: rejected or accepted, never a bug or a panic.
        let mut bytes = json::to_vec(&event);
        let i = at % bytes.len();
        bytes[i] = byte;
        oracle::json(&bytes).map_err(|b| TestCaseError::fail(b.to_string()))?;
    }
}
