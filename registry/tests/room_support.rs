//! The room's support for extensible events as a capability: mixed (the default), legacy
//! (today's room versions, MSC4460) and extensible (an MSC1767 room version).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{brief, event};
use exev_registry::{Capabilities, Registry, RoomSupport};

fn render(json: &str, room: RoomSupport) -> exev_registry::Rendering {
    let registry = Registry::built_in();
    registry.render(
        &event(json),
        &Capabilities::everything(&registry).room_support(room),
    )
}

const LEGACY: &str =
    r#"{"type": "m.room.message", "content": {"msgtype": "m.text", "body": "legacy"}}"#;
const STABLE: &str = r#"{"type": "m.message", "content": {"m.text": [{"body": "stable"}]}}"#;
const UNSTABLE: &str = r#"{"type": "org.matrix.msc1767.message", "content": {"org.matrix.msc1767.text": [{"body": "unstable"}]}}"#;
const POLL: &str = r#"{"type": "m.poll.start", "content": {"m.text": [{"body": "Lunch?"}],
    "m.poll": {"question": {"m.text": [{"body": "Lunch?"}]}, "answers": [{"m.id": "a", "m.text": [{"body": "Pizza"}]}]}}}"#;

#[test]
fn mixed_rooms_render_both_kinds() {
    for (json, text) in [
        (LEGACY, "legacy"),
        (STABLE, "stable"),
        (UNSTABLE, "unstable"),
    ] {
        let r = render(json, RoomSupport::Mixed);
        assert_eq!(brief(&r), "rendered m.message");
        assert_eq!(r.text, text);
    }
}

#[test]
fn legacy_rooms_render_legacy_events_and_unstable_blocks_only() {
    assert_eq!(
        brief(&render(LEGACY, RoomSupport::Legacy)),
        "rendered m.message"
    );
    assert_eq!(
        brief(&render(UNSTABLE, RoomSupport::Legacy)),
        "rendered m.message"
    );
    // MSC4460: stable text blocks are not rendered on other types outside extensible rooms.
    let r = render(STABLE, RoomSupport::Legacy);
    assert_eq!(brief(&r), "unrenderable");
    assert_eq!(r.ignored[0].name, "m.text");
    assert!(
        r.ignored[0].reason.contains("MSC4460"),
        "{}",
        r.ignored[0].reason
    );
    // Polls may use their blocks in any room version (MSC3381, MSC4460).
    assert_eq!(
        brief(&render(POLL, RoomSupport::Legacy)),
        "rendered m.poll.start"
    );
}

#[test]
fn extensible_rooms_treat_legacy_messages_as_unrenderable_by_force() {
    let r = render(LEGACY, RoomSupport::Extensible);
    assert_eq!(brief(&r), "unrenderable");
    assert!(r.reason.contains("by force"), "{}", r.reason);
    let sticker = r#"{"type": "m.sticker", "content": {"body": "Landing", "url": "mxc://a/b", "info": {"w": 1, "h": 1}}}"#;
    assert_eq!(
        brief(&render(sticker, RoomSupport::Extensible)),
        "unrenderable"
    );
    assert_eq!(
        brief(&render(STABLE, RoomSupport::Extensible)),
        "rendered m.message"
    );
}
