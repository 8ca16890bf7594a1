//! The renderer reads a decoded event's blocks where the decoder left them: rendering builds
//! none of their values, and renders exactly what it renders from the same blocks built as
//! values. Over every MSC example, for the four profiles of the tables and in both kinds of
//! room.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{msc_canonical, profiles, render};
use exev::legacy;
use exev_registry::{Capabilities, RoomSupport};

/// The profiles of the tables, each in a room with extensible events and in a legacy room.
fn clients() -> Vec<(String, Capabilities)> {
    profiles()
        .into_iter()
        .flat_map(|(name, caps)| {
            [RoomSupport::Extensible, RoomSupport::Legacy]
                .map(|room| (format!("{name}, {room}"), caps.clone().room_support(room)))
        })
        .collect()
}

#[test]
fn rendering_a_decoded_event_builds_none_of_its_blocks() {
    let examples = msc_canonical();
    let mut in_place = 0;
    for (name, decoded) in &examples {
        assert!(
            decoded.content().is_unbuilt(),
            "{name}: decoding built the blocks"
        );
        // Legacy events are read into their extensible form first, which builds them.
        let is_legacy = legacy::is_legacy(decoded);
        for (client, caps) in clients() {
            let event = decoded.clone();
            let rendering = render(&event, &caps);
            if !is_legacy {
                assert!(
                    event.content().is_unbuilt(),
                    "{name}, {client}: rendering built the blocks"
                );
            }
            let built = decoded.clone();
            built.content().as_object();
            assert!(!built.content().is_unbuilt());
            assert_eq!(
                rendering,
                render(&built, &caps),
                "{name}, {client}: the blocks read in place and built render differently"
            );
        }
        if !is_legacy {
            in_place += 1;
        }
    }
    // Most MSC examples are extensible events; the check above is not vacuous.
    assert!(
        in_place * 2 > examples.len(),
        "only {in_place} of {} examples are extensible events",
        examples.len()
    );
}
