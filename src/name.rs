//! Names: the built-in content blocks and event types, their stable `m.*` names and the
//! unstable and obsolete aliases they are still sent under (MSC1767 digest §5.3).

use std::fmt;
use std::sync::OnceLock;

use crate::tape::fingerprint;

/// How a name relates to the stable specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NameStatus {
    /// The stable `m.*` name.
    Stable,
    /// An unstable (`org.matrix.mscNNNN.*`) name of the current shape or a deployed older one.
    Unstable,
    /// A name the proposals have since dropped (`m.markup`, the v1 `m.message` block, ...),
    /// still read because it is still sent.
    Obsolete,
}

impl NameStatus {
    /// `"stable"`, `"unstable"` or `"obsolete"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NameStatus::Stable => "stable",
            NameStatus::Unstable => "unstable",
            NameStatus::Obsolete => "obsolete",
        }
    }
}

impl fmt::Display for NameStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A content block of the built-in table (digest §4.1), whatever name it was sent under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum KnownBlock {
    /// `m.text`: text in one or more mimetypes (MSC1767).
    Text,
    /// `m.file`: a file reference (MSC3551).
    File,
    /// `m.caption`: text shown with media (MSC3551).
    Caption,
    /// `m.image_details`: pixel dimensions and the sticker flag (MSC3552).
    ImageDetails,
    /// `m.thumbnail`: preview images (MSC3552).
    Thumbnail,
    /// `m.alt_text`: accessibility text for an image (MSC3552).
    AltText,
    /// `m.video_details`: dimensions and duration of a video (MSC3553).
    VideoDetails,
    /// `m.audio_details`: duration and waveform of audio (MSC3927, MSC3246).
    AudioDetails,
    /// `m.automated`: the mixin marking automated events (MSC3955).
    Automated,
    /// `m.location`: a geo URI (MSC3488).
    Location,
    /// `m.asset`: what a location is of (MSC3488).
    Asset,
    /// `m.ts`: a timestamp in milliseconds (MSC3488).
    Ts,
    /// `m.topic`: a room topic (MSC3765, in the spec since v1.15).
    Topic,
    /// `m.poll`: a poll's question and answers (MSC3381).
    Poll,
    /// `m.selections`: the answers a poll response picks (MSC3381).
    Selections,
    /// `m.poll.results`: a poll's final tally (MSC3381).
    PollResults,
    /// `m.relates_to`: a relation to another event (spec; a possible mixin).
    RelatesTo,
    /// `m.mentions`: who the event mentions (spec; a mixin under MSC4053).
    Mentions,
    /// `m.encrypted`: an encrypted payload (MSC3956, draft).
    Encrypted,
}

impl KnownBlock {
    /// Every name this block is read under with its status, in the order they are tried: the
    /// stable name first, then unstable, then obsolete names. This is the one table of block
    /// names; typed blocks take their [`crate::Block::NAMES`] from it.
    pub const fn name_table(self) -> &'static [(&'static str, NameStatus)] {
        match self {
            KnownBlock::Text => &[
                ("m.text", NameStatus::Stable),
                ("org.matrix.msc1767.text", NameStatus::Unstable),
                ("m.markup", NameStatus::Obsolete),
                ("org.matrix.msc1767.markup", NameStatus::Obsolete),
                ("m.message", NameStatus::Obsolete),
                ("org.matrix.msc1767.message", NameStatus::Obsolete),
                ("m.html", NameStatus::Obsolete),
                ("org.matrix.msc1767.html", NameStatus::Obsolete),
            ],
            KnownBlock::File => &[
                ("m.file", NameStatus::Stable),
                ("org.matrix.msc1767.file", NameStatus::Unstable),
            ],
            KnownBlock::Caption => &[
                ("m.caption", NameStatus::Stable),
                ("org.matrix.msc1767.caption", NameStatus::Unstable),
            ],
            KnownBlock::ImageDetails => &[
                ("m.image_details", NameStatus::Stable),
                ("org.matrix.msc1767.image_details", NameStatus::Unstable),
            ],
            KnownBlock::Thumbnail => &[
                ("m.thumbnail", NameStatus::Stable),
                ("org.matrix.msc1767.thumbnail", NameStatus::Unstable),
            ],
            KnownBlock::AltText => &[
                ("m.alt_text", NameStatus::Stable),
                ("org.matrix.msc1767.alt_text", NameStatus::Unstable),
            ],
            KnownBlock::VideoDetails => &[
                ("m.video_details", NameStatus::Stable),
                ("org.matrix.msc1767.video_details", NameStatus::Unstable),
            ],
            KnownBlock::AudioDetails => &[
                ("m.audio_details", NameStatus::Stable),
                ("org.matrix.msc1767.audio_details", NameStatus::Unstable),
                // The v1 audio block Element still sends on voice messages: duration in ms.
                ("org.matrix.msc1767.audio", NameStatus::Obsolete),
            ],
            KnownBlock::Automated => &[
                ("m.automated", NameStatus::Stable),
                ("org.matrix.msc1767.automated", NameStatus::Unstable),
            ],
            KnownBlock::Location => &[
                ("m.location", NameStatus::Stable),
                ("org.matrix.msc3488.location", NameStatus::Unstable),
            ],
            KnownBlock::Asset => &[
                ("m.asset", NameStatus::Stable),
                ("org.matrix.msc3488.asset", NameStatus::Unstable),
            ],
            KnownBlock::Ts => &[
                ("m.ts", NameStatus::Stable),
                ("org.matrix.msc3488.ts", NameStatus::Unstable),
            ],
            KnownBlock::Topic => &[
                ("m.topic", NameStatus::Stable),
                ("org.matrix.msc3765.topic", NameStatus::Unstable),
            ],
            KnownBlock::Poll => &[
                ("m.poll", NameStatus::Stable),
                ("org.matrix.msc3381.poll.start", NameStatus::Unstable),
            ],
            KnownBlock::Selections => &[
                ("m.selections", NameStatus::Stable),
                ("org.matrix.msc3381.poll.response", NameStatus::Unstable),
            ],
            KnownBlock::PollResults => &[("m.poll.results", NameStatus::Stable)],
            KnownBlock::RelatesTo => &[("m.relates_to", NameStatus::Stable)],
            KnownBlock::Mentions => &[("m.mentions", NameStatus::Stable)],
            KnownBlock::Encrypted => &[
                ("m.encrypted", NameStatus::Stable),
                ("org.matrix.msc1767.encrypted", NameStatus::Unstable),
            ],
        }
    }
}

impl KnownBlock {
    /// Every built-in block, in table order.
    pub const ALL: [KnownBlock; 19] = [
        KnownBlock::Text,
        KnownBlock::File,
        KnownBlock::Caption,
        KnownBlock::ImageDetails,
        KnownBlock::Thumbnail,
        KnownBlock::AltText,
        KnownBlock::VideoDetails,
        KnownBlock::AudioDetails,
        KnownBlock::Automated,
        KnownBlock::Location,
        KnownBlock::Asset,
        KnownBlock::Ts,
        KnownBlock::Topic,
        KnownBlock::Poll,
        KnownBlock::Selections,
        KnownBlock::PollResults,
        KnownBlock::RelatesTo,
        KnownBlock::Mentions,
        KnownBlock::Encrypted,
    ];

    /// The stable name, e.g. `"m.image_details"`.
    pub fn stable_name(self) -> &'static str {
        self.names().next().map_or("", |(name, _)| name)
    }

    /// Every name this block is read under with its status, stable first, in reading order.
    pub fn names(self) -> impl Iterator<Item = (&'static str, NameStatus)> {
        self.name_table().iter().copied()
    }

    /// The preferred unstable name, if the block has one.
    pub fn unstable_name(self) -> Option<&'static str> {
        self.names()
            .find(|(_, status)| *status == NameStatus::Unstable)
            .map(|(name, _)| name)
    }

    /// The block a name belongs to, with the status of that name.
    ///
    /// ```
    /// use exev::{KnownBlock, NameStatus};
    ///
    /// assert_eq!(
    ///     KnownBlock::from_name("org.matrix.msc1767.file"),
    ///     Some((KnownBlock::File, NameStatus::Unstable))
    /// );
    /// assert_eq!(KnownBlock::from_name("org.example.probe_value"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<(KnownBlock, NameStatus)> {
        KnownBlock::lookup(name).map(|(block, status, _)| (block, status))
    }

    /// The built-in block `name` is a name of, its status, and its rank among the block's
    /// names (0 for the stable one: the lowest rank present is the one read).
    pub(crate) fn lookup(name: &str) -> Option<(KnownBlock, NameStatus, usize)> {
        type Entry = (u64, &'static str, KnownBlock, NameStatus, usize);
        /// Slots of the open-addressed table of names, one per value of a byte: over four
        /// times the names, so that a probe is one or two slots.
        const SLOTS: usize = 256;
        fn slot(print: u64) -> usize {
            // The top byte of a multiplicative hash of the fingerprint.
            usize::from(print.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes()[0])
        }
        // Every name of every block by its fingerprint, in a table built once: a typed read
        // of each block asks, and a probe by a word costs a fraction of a search over text.
        static BY_NAME: OnceLock<Vec<Option<Entry>>> = OnceLock::new();
        // Every built-in name is `m.*` or `org.matrix.*`: most custom blocks stop here.
        if !(name.starts_with("m.") || name.starts_with("org.matrix.")) {
            return None;
        }
        let by_name = BY_NAME.get_or_init(|| {
            let mut table = vec![None; SLOTS];
            for block in KnownBlock::ALL {
                for (rank, (n, status)) in block.names().enumerate() {
                    let print = fingerprint(n);
                    let free = (0..SLOTS)
                        .map(|i| (slot(print) + i) % SLOTS)
                        .find(|&i| table.get(i).is_some_and(Option::is_none));
                    if let Some(entry) = free.and_then(|i| table.get_mut(i)) {
                        *entry = Some((print, n, block, status, rank));
                    }
                }
            }
            table
        });
        let print = fingerprint(name);
        let first = slot(print);
        (0..SLOTS)
            .map(|i| by_name.get((first + i) % SLOTS).copied().flatten())
            .take_while(Option::is_some)
            .flatten()
            .find(|(p, n, ..)| *p == print && *n == name)
            .map(|(_, _, block, status, rank)| (block, status, rank))
    }

    /// Whether the block is a mixin: meaningful on any event type.
    pub fn is_mixin(self) -> bool {
        matches!(
            self,
            KnownBlock::Automated | KnownBlock::Mentions | KnownBlock::RelatesTo
        )
    }
}

impl fmt::Display for KnownBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.stable_name())
    }
}

/// Event types of the extensible-events family with the aliases they are sent under.
#[rustfmt::skip]
const EVENT_TYPE_NAMES: &[(&str, &str, NameStatus)] = &[
    ("m.message", "m.message", NameStatus::Stable),
    (
        "m.message",
        "org.matrix.msc1767.message",
        NameStatus::Unstable,
    ),
    ("m.emote", "m.emote", NameStatus::Stable),
    ("m.emote", "org.matrix.msc1767.emote", NameStatus::Unstable),
    ("m.file", "m.file", NameStatus::Stable),
    ("m.file", "org.matrix.msc1767.file", NameStatus::Unstable),
    ("m.image", "m.image", NameStatus::Stable),
    ("m.image", "org.matrix.msc1767.image", NameStatus::Unstable),
    ("m.video", "m.video", NameStatus::Stable),
    ("m.video", "org.matrix.msc1767.video", NameStatus::Unstable),
    ("m.audio", "m.audio", NameStatus::Stable),
    ("m.audio", "org.matrix.msc1767.audio", NameStatus::Unstable),
    ("m.voice", "m.voice", NameStatus::Stable),
    (
        "m.voice",
        "org.matrix.msc3245.voice.v2",
        NameStatus::Unstable,
    ),
    ("m.encrypted", "m.encrypted", NameStatus::Stable),
    (
        "m.encrypted",
        "org.matrix.msc1767.encrypted",
        NameStatus::Unstable,
    ),
    ("m.location", "m.location", NameStatus::Stable),
    (
        "m.location",
        "org.matrix.msc3488.location",
        NameStatus::Unstable,
    ),
    ("m.beacon_info", "m.beacon_info", NameStatus::Stable),
    (
        "m.beacon_info",
        "org.matrix.msc3672.beacon_info",
        NameStatus::Unstable,
    ),
    ("m.beacon", "m.beacon", NameStatus::Stable),
    (
        "m.beacon",
        "org.matrix.msc3672.beacon",
        NameStatus::Unstable,
    ),
    ("m.poll.start", "m.poll.start", NameStatus::Stable),
    (
        "m.poll.start",
        "org.matrix.msc3381.poll.start",
        NameStatus::Unstable,
    ),
    ("m.poll.response", "m.poll.response", NameStatus::Stable),
    (
        "m.poll.response",
        "org.matrix.msc3381.poll.response",
        NameStatus::Unstable,
    ),
    ("m.poll.end", "m.poll.end", NameStatus::Stable),
    (
        "m.poll.end",
        "org.matrix.msc3381.poll.end",
        NameStatus::Unstable,
    ),
    ("m.room.topic", "m.room.topic", NameStatus::Stable),
];

/// The stable name of a built-in event type sent as `name`, with the status of `name`.
///
/// ```
/// use exev::{stable_event_type, NameStatus};
///
/// assert_eq!(
///     stable_event_type("org.matrix.msc3245.voice.v2"),
///     Some(("m.voice", NameStatus::Unstable))
/// );
/// assert_eq!(stable_event_type("org.example.temperature"), None);
/// ```
pub fn stable_event_type(name: &str) -> Option<(&'static str, NameStatus)> {
    EVENT_TYPE_NAMES
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(stable, _, status)| (*stable, *status))
}

/// Every name a built-in event type of the extensible-events family is sent under, as
/// (stable name, name, status of the name), stable names first: the one table the other
/// crates' name tables are checked against (or derived from).
///
/// ```
/// use exev::{NameStatus, event_type_names};
///
/// assert!(event_type_names().any(|(stable, name, status)| {
///     (stable, name, status) == ("m.voice", "org.matrix.msc3245.voice.v2", NameStatus::Unstable)
/// }));
/// assert_eq!(event_type_names().filter(|(_, _, s)| *s == NameStatus::Stable).count(), 15);
/// ```
pub fn event_type_names() -> impl Iterator<Item = (&'static str, &'static str, NameStatus)> {
    EVENT_TYPE_NAMES.iter().copied()
}

/// The first unstable name of the built-in event type `stable`.
pub(crate) fn unstable_event_type(stable: &str) -> Option<&'static str> {
    EVENT_TYPE_NAMES
        .iter()
        .find(|(s, _, status)| *s == stable && *status == NameStatus::Unstable)
        .map(|(_, name, _)| *name)
}

/// Whether `name` follows the Common Namespaced Identifier Grammar (spec appendices): 1 to 255
/// characters, `[a-z]` first, then only `[a-z0-9._-]`.
///
/// ```
/// assert!(exev::is_namespaced_identifier("org.example.probe_value"));
/// assert!(!exev::is_namespaced_identifier("Org.Example"));
/// ```
pub fn is_namespaced_identifier(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=255).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_has_one_stable_name_first() {
        for block in KnownBlock::ALL {
            let names: Vec<_> = block.names().collect();
            assert_eq!(
                names.first().map(|n| n.1),
                Some(NameStatus::Stable),
                "{block:?}"
            );
            assert_eq!(
                names.iter().filter(|n| n.1 == NameStatus::Stable).count(),
                1,
                "{block:?}"
            );
            assert!(block.stable_name().starts_with("m."));
        }
    }

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (name, _) in KnownBlock::ALL.into_iter().flat_map(KnownBlock::names) {
            assert!(seen.insert(name), "{name} twice");
            assert!(is_namespaced_identifier(name), "{name}");
        }
    }

    /// Every name of the table finds its block, status and rank; a name that shares its
    /// namespace, length and last eight bytes with one of them, or a prefix, finds nothing.
    #[test]
    fn every_name_looks_up_to_its_block() {
        for block in KnownBlock::ALL {
            for (rank, (name, status)) in block.names().enumerate() {
                assert_eq!(
                    KnownBlock::lookup(name),
                    Some((block, status, rank)),
                    "{name}"
                );
                // The same namespace, length and (for long names) last eight bytes.
                let mut near = name.to_owned();
                near.replace_range(2..3, "X");
                assert_eq!(KnownBlock::lookup(&near), None, "{near}");
                assert_eq!(KnownBlock::lookup(&name[..name.len() - 1]), None, "{name}");
            }
        }
        assert_eq!(KnownBlock::lookup("m.textt"), None);
        assert_eq!(KnownBlock::lookup("x.m.text"), None);
    }

    #[test]
    fn identifier_grammar() {
        assert!(is_namespaced_identifier("m.text"));
        assert!(is_namespaced_identifier(&"a".repeat(255)));
        assert!(!is_namespaced_identifier(&"a".repeat(256)));
        assert!(!is_namespaced_identifier(""));
        assert!(!is_namespaced_identifier("1abc"));
        assert!(!is_namespaced_identifier("m.Text"));
        assert!(!is_namespaced_identifier("m text"));
    }
}
