//! The conformance suite of every format: written once ([`suite`]), run for JSON, CBOR and
//! Protobuf (the `every_format` modules below); what is each format's own ([`json`],
//! [`cbor`], [`proto`]); the contract a caller writes generic code against ([`contract`]);
//! and the parallel stream converter ([`convert`]).
//!
//! Expected values come from outside the codec under test: the external vectors read with
//! `serde_json` or `minicbor`, events built in the model, and the oracles' properties.

// Tests state what must hold and stop at the first thing that does not; byte fixtures are
// built by truncating casts on purpose.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    // The memory measurement reports from a child process, and figures for people.
    clippy::print_stdout,
    clippy::print_stderr
)]

mod cbor;
mod common;
mod contract;
mod convert;
mod json;
mod proto;
mod suite;

/// Runs each function of [`suite`] as a test of each format: `every_format::json::size_limit`
/// and so on.
macro_rules! every_format {
    ($($test:ident),* $(,)?) => {
        mod every_format {
            mod json {
                $(#[test] fn $test() { crate::suite::$test(exev_codec::Format::Json) })*
            }
            mod cbor {
                $(#[test] fn $test() { crate::suite::$test(exev_codec::Format::Cbor) })*
            }
            mod proto {
                $(#[test] fn $test() { crate::suite::$test(exev_codec::Format::Proto) })*
            }
        }
    };
}

every_format!(
    msc_examples_round_trip,
    generated_events_round_trip,
    lossless_for_everything_the_model_keeps,
    size_limit,
    depth_limit,
    string_limit,
    element_limit,
    stream_size_limit_per_event,
    truncation_at_every_prefix,
    truncated_streams,
    hostile_length_prefixes,
    decoding_allocates_little,
    memory_child,
    depth_bombs,
    deepest_events_encode_on_a_small_stack,
    random_and_mutated_bytes,
    streams_round_trip,
    stream_errors_stop_at_the_event,
);

/// Every chain of two formats keeps the canonical JSON of the MSC examples and of generated
/// events, lenient numbers included.
#[test]
fn every_chain_of_formats_keeps_the_canonical_json() {
    let mut events: Vec<exev::Event> = common::msc_events().into_iter().map(|(_, e)| e).collect();
    events.extend(common::generated_events(500, false));
    events.extend(common::generated_events(200, true));
    for (i, e) in events.iter().enumerate() {
        if let Err(bug) = exev_codec::oracle::chains(e) {
            panic!("event {i}: {bug}");
        }
    }
}
