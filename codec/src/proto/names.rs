//! The interned names: `BlockName` and `EventType` numbers and the exact strings they stand for.

/// Defines the two-way lookup between a name and its enum number, from one table.
macro_rules! interned {
    ($number:ident, $name:ident, $all:ident, [$($n:literal => $s:literal,)*]) => {
        /// The enum number of `name`, if it is interned.
        pub(crate) fn $number(name: &str) -> Option<i32> {
            match name {
                $($s => Some($n),)*
                _ => None,
            }
        }

        /// The name enum number `n` stands for.
        pub(crate) fn $name(n: i32) -> Option<&'static str> {
            match n {
                $($n => Some($s),)*
                _ => None,
            }
        }

        /// Every interned (number, name) pair.
        #[cfg(test)]
        pub(crate) const $all: &[(i32, &str)] = &[$(($n, $s),)*];
    };
}

interned!(block_number, block_name, ALL_BLOCK_NAMES, [
    1 => "m.text",
    2 => "org.matrix.msc1767.text",
    3 => "m.markup",
    4 => "org.matrix.msc1767.markup",
    5 => "m.message",
    6 => "org.matrix.msc1767.message",
    7 => "m.html",
    8 => "org.matrix.msc1767.html",
    9 => "m.file",
    10 => "org.matrix.msc1767.file",
    11 => "m.caption",
    12 => "org.matrix.msc1767.caption",
    13 => "m.image_details",
    14 => "org.matrix.msc1767.image_details",
    15 => "m.thumbnail",
    16 => "org.matrix.msc1767.thumbnail",
    17 => "m.alt_text",
    18 => "org.matrix.msc1767.alt_text",
    19 => "m.video_details",
    20 => "org.matrix.msc1767.video_details",
    21 => "m.audio_details",
    22 => "org.matrix.msc1767.audio_details",
    23 => "org.matrix.msc1767.audio",
    24 => "m.automated",
    25 => "org.matrix.msc1767.automated",
    26 => "m.location",
    27 => "org.matrix.msc3488.location",
    28 => "m.asset",
    29 => "org.matrix.msc3488.asset",
    30 => "m.ts",
    31 => "org.matrix.msc3488.ts",
    32 => "m.topic",
    33 => "org.matrix.msc3765.topic",
    34 => "m.poll",
    35 => "org.matrix.msc3381.poll.start",
    36 => "m.selections",
    37 => "org.matrix.msc3381.poll.response",
    38 => "m.poll.results",
    39 => "m.relates_to",
    40 => "m.mentions",
    41 => "m.encrypted",
    42 => "org.matrix.msc1767.encrypted",
]);

interned!(event_type_number, event_type_name, ALL_EVENT_TYPES, [
    1 => "m.message",
    2 => "org.matrix.msc1767.message",
    3 => "m.emote",
    4 => "org.matrix.msc1767.emote",
    5 => "m.file",
    6 => "org.matrix.msc1767.file",
    7 => "m.image",
    8 => "org.matrix.msc1767.image",
    9 => "m.video",
    10 => "org.matrix.msc1767.video",
    11 => "m.audio",
    12 => "org.matrix.msc1767.audio",
    13 => "m.voice",
    14 => "org.matrix.msc3245.voice.v2",
    15 => "m.encrypted",
    16 => "org.matrix.msc1767.encrypted",
    17 => "m.location",
    18 => "org.matrix.msc3488.location",
    19 => "m.beacon_info",
    20 => "org.matrix.msc3672.beacon_info",
    21 => "m.beacon",
    22 => "org.matrix.msc3672.beacon",
    23 => "m.poll.start",
    24 => "org.matrix.msc3381.poll.start",
    25 => "m.poll.response",
    26 => "org.matrix.msc3381.poll.response",
    27 => "m.poll.end",
    28 => "org.matrix.msc3381.poll.end",
    29 => "m.room.topic",
    30 => "m.room.message",
    31 => "m.room.encrypted",
    32 => "m.reaction",
]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::wire;

    fn enum_name(prefix: &str, name: &str) -> String {
        format!("{prefix}{}", name.to_ascii_uppercase().replace('.', "_"))
    }

    #[test]
    fn tables_match_the_schema_enums() {
        for &(n, name) in ALL_BLOCK_NAMES {
            let e = wire::BlockName::try_from(n).unwrap();
            assert_eq!(e.as_str_name(), enum_name("BLOCK_NAME_", name), "{n}");
            assert_eq!(block_number(name), Some(n));
            assert_eq!(block_name(n), Some(name));
        }
        for &(n, name) in ALL_EVENT_TYPES {
            let e = wire::EventType::try_from(n).unwrap();
            assert_eq!(e.as_str_name(), enum_name("EVENT_TYPE_", name), "{n}");
            assert_eq!(event_type_number(name), Some(n));
            assert_eq!(event_type_name(n), Some(name));
        }
        // Every enum value but UNSPECIFIED is in a table.
        assert!(
            wire::BlockName::try_from(i32::try_from(ALL_BLOCK_NAMES.len()).unwrap() + 1).is_err()
        );
        assert!(
            wire::EventType::try_from(i32::try_from(ALL_EVENT_TYPES.len()).unwrap() + 1).is_err()
        );
    }

    /// Event types interned for the spec's room events, which the model's table of the
    /// extensible-events family does not list.
    const SPEC_EVENT_TYPES: &[&str] = &["m.room.message", "m.room.encrypted", "m.reaction"];

    /// The tables here hold the wire numbers; the names are the model's (`src/name.rs`),
    /// checked both ways: every name the model reads is interned, and every interned name
    /// is one the model reads (or one of the spec's room events).
    #[test]
    fn the_interned_names_are_the_models() {
        for block in exev::KnownBlock::ALL {
            for (name, _) in block.names() {
                assert!(block_number(name).is_some(), "block {name}");
            }
        }
        for &(_, name) in ALL_BLOCK_NAMES {
            assert!(exev::KnownBlock::from_name(name).is_some(), "block {name}");
        }
        for (_, name, _) in exev::event_type_names() {
            assert!(event_type_number(name).is_some(), "{name}");
        }
        for &(_, name) in ALL_EVENT_TYPES {
            assert!(
                exev::stable_event_type(name).is_some() || SPEC_EVENT_TYPES.contains(&name),
                "{name} is interned but the model does not know it"
            );
        }
    }
}
