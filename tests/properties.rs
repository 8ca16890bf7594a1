//! Properties across crates over generated events: rendering never panics and does not
//! depend on the format an event came through. (Each codec's own properties are in
//! `codec/tests/properties.rs`.)
//!
//! `cargo test` runs a few hundred cases per property; CI raises it with `PROPTEST_CASES`.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use exev::Event;
use exev::generate::Generator;
use exev_codec::{Format, json};
use exev_registry::{Capabilities, Registry};
use proptest::prelude::*;

fn events() -> impl Strategy<Value = Event> {
    proptest::collection::vec(any::<u8>(), 0..4096).prop_map(|bytes| Generator::new(&bytes).event())
}

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn rendering_is_the_same_whichever_format_the_event_came_through(event in events()) {
        let registry = Registry::built_in();
        let clients = [Capabilities::everything(&registry), Capabilities::knowing(["m.message"])];
        for caps in &clients {
            let direct = exev_registry::render(&event, caps, &registry);
            for format in Format::ALL {
                let via = format.from_slice(&format.to_vec(&event).unwrap()).unwrap();
                prop_assert_eq!(&exev_registry::render(&via, caps, &registry), &direct, "{}", format);
            }
        }
    }
}

fn legacy_events() -> impl Strategy<Value = Event> {
    proptest::collection::vec(any::<u8>(), 0..4096)
        .prop_map(|bytes| Generator::new(&bytes).legacy_event())
}

/// A generated room and bytes saying where each of its hidden relations (edits, reactions,
/// redactions, votes) arrives instead.
fn rooms() -> impl Strategy<Value = (Vec<Event>, Vec<u8>)> {
    (
        proptest::collection::vec(any::<u8>(), 0..4096),
        proptest::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(bytes, moves)| (Generator::new(&bytes).room(), moves))
}

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn legacy_to_extensible_to_legacy_is_the_identity(event in legacy_events()) {
        let extensible = exev::legacy::to_extensible(&event)
            .map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&json::to_vec(&event).unwrap()))))?;
        prop_assert!(!exev::legacy::is_legacy(&extensible), "not converted: {:?}", extensible);
        let back = exev::legacy::to_legacy(&extensible).unwrap();
        prop_assert_eq!(json::to_vec(&back).unwrap(), json::to_vec(&event).unwrap());
        // And its hybrid form is consistent, with the event as its legacy part.
        let hybrid = exev::legacy::to_hybrid(&event).unwrap();
        prop_assert!(!matches!(exev::legacy::check_hybrid(&hybrid), exev::legacy::HybridCheck::Mismatched(_)));
        prop_assert_eq!(exev::legacy::to_legacy(&hybrid).unwrap(), event);
    }

    #[test]
    fn timeline_items_do_not_depend_on_when_relations_arrive((room, moves) in rooms()) {
        exev_registry::check_timeline(&room, &moves).map_err(TestCaseError::fail)?;
    }
}
