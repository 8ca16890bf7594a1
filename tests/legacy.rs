//! Legacy and hybrid events over the spec's own examples (`matrix-spec/events`): every
//! `m.room.message` msgtype and `m.sticker` converts to its extensible form and back to the
//! same canonical JSON, and its hybrid form is consistent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use exev::legacy::{self, HybridCheck, Shape};
use exev_codec::json;

#[test]
fn every_spec_message_converts_to_extensible_and_back() {
    let messages = common::spec_messages();
    assert_eq!(messages.len(), 11);
    for (name, event) in &messages {
        let extensible = legacy::to_extensible(event).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !legacy::is_legacy(&extensible),
            "{name}: still legacy: {}",
            String::from_utf8_lossy(&json::to_vec(&extensible).unwrap())
        );
        let back = legacy::to_legacy(&extensible).unwrap();
        assert_eq!(
            json::to_vec(&back).unwrap(),
            json::to_vec(event).unwrap(),
            "{name}"
        );
        println!(
            "{name}\n  {}",
            String::from_utf8_lossy(&json::to_vec(&extensible).unwrap())
        );
    }
}

#[test]
fn every_spec_message_has_a_consistent_hybrid_form() {
    for (name, event) in common::spec_messages() {
        let hybrid = Shape::Hybrid.apply(&event).unwrap();
        let check = legacy::check_hybrid(&hybrid);
        assert!(
            matches!(check, HybridCheck::Consistent | HybridCheck::NotHybrid),
            "{name}: {check:?}"
        );
        // The hybrid's legacy part is the event, and it reads the same both ways.
        assert_eq!(legacy::to_legacy(&hybrid).unwrap(), event, "{name}");
        assert_eq!(
            legacy::view(&hybrid)
                .unwrap()
                .event
                .content()
                .text()
                .map(|t| t.unwrap()),
            legacy::view(&event)
                .unwrap()
                .event
                .content()
                .text()
                .map(|t| t.unwrap()),
            "{name}"
        );
        println!(
            "{name}\n  {}",
            String::from_utf8_lossy(&json::to_vec(&hybrid).unwrap())
        );
    }
}
