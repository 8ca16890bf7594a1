//! Properties of every format over generated events and arbitrary bytes: the round trip
//! holds (lenient numbers included), every chain of two formats keeps the canonical JSON,
//! the oracles find no bug in random or mutated input, streams read back what was written;
//! and Protobuf's size stays near canonical JSON's.
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
use exev::generate::strategy::{events, lenient_events};
use exev_codec::oracle::{self, Verdict};
use exev_codec::{ErrorKind, Format, json, proto};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    // PROPTEST_CASES overrides this default (proptest reads it).
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(200),
        ..ProptestConfig::default()
    }
}

fn fail(bug: oracle::Bug) -> TestCaseError {
    TestCaseError::fail(bug.to_string())
}

fn formats() -> impl Strategy<Value = Format> {
    prop::sample::select(Format::ALL.to_vec())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_format_round_trips(event in events()) {
        for format in Format::ALL {
            match oracle::round_trip(format, &event).map_err(fail)? {
                Verdict::Accepted => {}
                other => prop_assert!(false, "{format}: {other:?}"),
            }
        }
    }

    #[test]
    fn lenient_numbers_round_trip(event in lenient_events()) {
        // JSON and Protobuf keep every literal; CBOR keeps every value, refusing only a
        // number with no exact CBOR form.
        for format in Format::ALL {
            match oracle::round_trip(format, &event).map_err(fail)? {
                Verdict::Accepted => {}
                Verdict::Rejected(e) => prop_assert!(
                    format == Format::Cbor && matches!(e.kind(), ErrorKind::Unencodable(_)),
                    "{format} rejected: {e}"
                ),
                other => prop_assert!(false, "{format}: {other:?}"),
            }
        }
    }

    #[test]
    fn every_chain_of_formats_keeps_the_canonical_json(event in events(), lenient in lenient_events()) {
        oracle::chains(&event).map_err(fail)?;
        oracle::chains(&lenient).map_err(fail)?;
    }

    #[test]
    fn generated_events_fit_the_default_limits(event in events()) {
        for format in Format::ALL {
            let bytes = format.to_vec(&event).unwrap();
            prop_assert_eq!(&format.from_slice(&bytes).unwrap(), &event, "{}", format);
        }
    }

    #[test]
    fn the_oracles_find_no_bug_in_arbitrary_bytes(format in formats(), bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        oracle::decode(format, &bytes).map_err(fail)?;
    }

    #[test]
    fn the_oracles_find_no_bug_in_mutated_or_cut_encodings(
        format in formats(),
        event in events(),
        at in any::<usize>(),
        byte in any::<u8>(),
        cut in any::<usize>(),
    ) {
        let whole = format.to_vec(&event).unwrap();
        let mut bytes = whole.clone();
        let i = at % bytes.len();
        bytes[i] = byte;
        oracle::decode(format, &bytes).map_err(fail)?;
        oracle::decode(format, &whole[..cut % (whole.len() + 1)]).map_err(fail)?;
    }

    #[test]
    fn streams_read_back_what_was_written(format in formats(), stream in proptest::collection::vec(events(), 0..8)) {
        let mut writer = format.stream_writer(Vec::new());
        for e in &stream {
            writer.write(e).unwrap();
        }
        let bytes = writer.finish().unwrap();
        let back: Vec<Event> = format.stream_reader(&bytes[..]).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(back, stream);
    }

    /// Each level of nesting costs Protobuf at most three times canonical JSON's two brackets
    /// (a container marker, a field key and a length), and every scalar and key at most a
    /// few bytes more, so no event, however deep, takes more than three times its canonical
    /// JSON in Protobuf.
    #[test]
    fn proto_is_at_most_three_times_canonical_json(event in events()) {
        let p = proto::to_vec(&event).unwrap().len();
        let j = json::to_vec(&event).unwrap().len();
        prop_assert!(p <= 3 * j, "{} bytes of Protobuf for {} of JSON", p, j);
    }

    /// For events nested as Matrix sends them (16 levels or fewer), key strings become short
    /// tags and Protobuf stays within a quarter (and 16 bytes) of canonical JSON; deep chains
    /// of one-member containers, which the generator makes on purpose, cost more per level
    /// (the property above bounds them).
    #[test]
    fn proto_is_near_canonical_json_for_events_nested_16_levels_or_fewer(event in events()) {
        prop_assume!(event.to_value().depth() <= 16);
        let p = proto::to_vec(&event).unwrap().len();
        let j = json::to_vec(&event).unwrap().len();
        prop_assert!(p <= j + j / 4 + 16, "{} bytes of Protobuf for {} of JSON", p, j);
    }
}
