//! The built-in event types and the blocks their schemas name.

use exev::{Content, KnownBlock};

/// One event type's schema: its names and the blocks it requires and allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventType {
    /// The stable name.
    pub name: &'static str,
    /// The unstable names it is also sent under.
    pub unstable_names: &'static [&'static str],
    /// Blocks that must be present (under any of their names).
    pub required: &'static [KnownBlock],
    /// Blocks the schema allows besides the required ones; mixins are allowed everywhere.
    pub optional: &'static [KnownBlock],
    /// Whether events of this type are state events.
    pub state: bool,
}

use KnownBlock as B;

const MEDIA: &[KnownBlock] = &[B::Caption];

/// Every built-in event type, from MSC1767 and its family (digest §3, §4, §4.8-4.10).
pub const BUILT_IN_EVENT_TYPES: &[EventType] = &[
    EventType {
        name: "m.message",
        unstable_names: &["org.matrix.msc1767.message"],
        required: &[B::Text],
        optional: &[],
        state: false,
    },
    EventType {
        name: "m.emote",
        unstable_names: &["org.matrix.msc1767.emote"],
        required: &[B::Text],
        optional: &[],
        state: false,
    },
    EventType {
        name: "m.file",
        unstable_names: &["org.matrix.msc1767.file"],
        required: &[B::Text, B::File],
        optional: MEDIA,
        state: false,
    },
    EventType {
        name: "m.image",
        unstable_names: &["org.matrix.msc1767.image"],
        required: &[B::Text, B::File],
        optional: &[B::ImageDetails, B::Thumbnail, B::Caption, B::AltText],
        state: false,
    },
    EventType {
        name: "m.video",
        unstable_names: &["org.matrix.msc1767.video"],
        required: &[B::Text, B::File],
        optional: &[B::VideoDetails, B::Thumbnail, B::Caption],
        state: false,
    },
    EventType {
        name: "m.audio",
        unstable_names: &["org.matrix.msc1767.audio"],
        required: &[B::Text, B::File],
        optional: &[B::AudioDetails, B::Caption],
        state: false,
    },
    EventType {
        name: "m.voice",
        unstable_names: &["org.matrix.msc3245.voice.v2"],
        required: &[B::Text, B::File, B::AudioDetails],
        optional: MEDIA,
        state: false,
    },
    EventType {
        name: "m.location",
        unstable_names: &["org.matrix.msc3488.location"],
        required: &[B::Location],
        optional: &[B::Text, B::Asset, B::Ts],
        state: false,
    },
    EventType {
        name: "m.beacon_info",
        unstable_names: &["org.matrix.msc3672.beacon_info"],
        required: &[B::Ts],
        optional: &[B::Asset],
        state: true,
    },
    EventType {
        name: "m.beacon",
        unstable_names: &["org.matrix.msc3672.beacon"],
        required: &[B::RelatesTo, B::Location, B::Ts],
        optional: &[],
        state: false,
    },
    EventType {
        name: "m.poll.start",
        unstable_names: &["org.matrix.msc3381.poll.start"],
        required: &[B::Text, B::Poll],
        optional: &[],
        state: false,
    },
    EventType {
        name: "m.poll.response",
        unstable_names: &["org.matrix.msc3381.poll.response"],
        required: &[B::RelatesTo, B::Selections],
        optional: &[],
        state: false,
    },
    EventType {
        name: "m.poll.end",
        unstable_names: &["org.matrix.msc3381.poll.end"],
        required: &[B::RelatesTo, B::Text],
        optional: &[B::PollResults],
        state: false,
    },
    EventType {
        name: "m.room.topic",
        unstable_names: &[],
        required: &[],
        optional: &[B::Topic],
        state: true,
    },
    EventType {
        name: "m.encrypted",
        unstable_names: &["org.matrix.msc1767.encrypted"],
        required: &[B::Encrypted],
        optional: &[],
        state: false,
    },
];

/// The built-in event type sent as `name` (stable or unstable).
pub fn event_type(name: &str) -> Option<&'static EventType> {
    BUILT_IN_EVENT_TYPES
        .iter()
        .find(|t| t.name == name || t.unstable_names.contains(&name))
}

/// The required blocks of `event_type` that `content` lacks under every name.
pub fn missing_required(event_type: &EventType, content: &Content) -> Vec<KnownBlock> {
    event_type
        .required
        .iter()
        .copied()
        .filter(|block| !content.has(*block))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_known_to_the_model_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for t in BUILT_IN_EVENT_TYPES {
            for name in std::iter::once(&t.name).chain(t.unstable_names) {
                assert!(seen.insert(*name), "{name} twice");
                assert_eq!(
                    exev::stable_event_type(name).map(|(stable, _)| stable),
                    Some(t.name),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn missing_blocks_are_found_under_any_name() {
        let image = event_type("m.image").unwrap();
        let mut content = Content::new();
        content.insert_raw("org.matrix.msc1767.text", exev::Value::from("x"));
        assert_eq!(missing_required(image, &content), vec![KnownBlock::File]);
        content.insert_raw("m.file", exev::Value::Null);
        assert!(missing_required(image, &content).is_empty());
    }

    #[test]
    fn state_types() {
        let state: Vec<_> = BUILT_IN_EVENT_TYPES
            .iter()
            .filter(|t| t.state)
            .map(|t| t.name)
            .collect();
        assert_eq!(state, ["m.beacon_info", "m.room.topic"]);
    }
}
