//! The one table of legacy message types: each `msgtype` of `m.room.message` with the
//! extensible event type it reads as, the blocks its fields carry, and the blocks MSC4460
//! lets its hybrid form carry.

/// The details block a media msgtype's `info` fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Details {
    /// No details block.
    None,
    /// `m.image_details` from `info.w`, `info.h`.
    Image,
    /// `m.video_details` from `info.w`, `info.h`, `info.duration`.
    Video,
    /// `m.audio_details` from `info.duration`.
    Audio,
}

/// One legacy message type.
#[derive(Debug)]
pub(crate) struct Msgtype {
    /// The `msgtype`.
    pub(crate) name: &'static str,
    /// The extensible event type it reads as.
    pub(crate) event_type: &'static str,
    /// Whether it is a file upload: `url` or `file`, `filename`, `info.mimetype`, `info.size`.
    pub(crate) media: bool,
    /// The details block `info` fills.
    pub(crate) details: Details,
    /// Whether `info.thumbnail_*` describes a thumbnail.
    pub(crate) thumbnail: bool,
    /// The blocks MSC4460 lets the hybrid form carry (its table, with `m.caption` for media
    /// as its footnote allows).
    pub(crate) hybrid_blocks: &'static [&'static str],
}

/// Every msgtype of the spec that has an extensible counterpart (client-server API,
/// `m.room.message` msgtypes; MSC4460's table). Other msgtypes (`m.server_notice`,
/// `m.key.verification.request`, custom ones) read as [`OTHER`].
const MSGTYPES: &[Msgtype] = &[
    Msgtype {
        name: "m.text",
        event_type: "m.message",
        media: false,
        details: Details::None,
        thumbnail: false,
        hybrid_blocks: &["m.text"],
    },
    Msgtype {
        name: "m.notice",
        event_type: "m.message",
        media: false,
        details: Details::None,
        thumbnail: false,
        hybrid_blocks: &["m.text", "m.automated"],
    },
    Msgtype {
        name: "m.emote",
        event_type: "m.emote",
        media: false,
        details: Details::None,
        thumbnail: false,
        hybrid_blocks: &["m.text"],
    },
    Msgtype {
        name: "m.image",
        event_type: "m.image",
        media: true,
        details: Details::Image,
        thumbnail: true,
        hybrid_blocks: IMAGE_BLOCKS,
    },
    Msgtype {
        name: "m.file",
        event_type: "m.file",
        media: true,
        details: Details::None,
        thumbnail: true,
        hybrid_blocks: &["m.text", "m.file", "m.caption"],
    },
    Msgtype {
        name: "m.audio",
        event_type: "m.audio",
        media: true,
        details: Details::Audio,
        thumbnail: false,
        hybrid_blocks: &["m.text", "m.file", "m.audio_details", "m.caption"],
    },
    Msgtype {
        name: "m.video",
        event_type: "m.video",
        media: true,
        details: Details::Video,
        thumbnail: true,
        hybrid_blocks: &[
            "m.text",
            "m.file",
            "m.video_details",
            "m.thumbnail",
            "m.caption",
        ],
    },
    Msgtype {
        name: "m.location",
        event_type: "m.location",
        media: false,
        details: Details::None,
        thumbnail: true,
        hybrid_blocks: &["m.text"],
    },
];

/// Msgtypes with no extensible counterpart: a message, by its `body`, with its own fields
/// kept; MSC4460 allows no block on them.
pub(crate) const OTHER: Msgtype = Msgtype {
    name: "",
    event_type: "m.message",
    media: false,
    details: Details::None,
    thumbnail: false,
    hybrid_blocks: &[],
};

/// The blocks of an image, which MSC4460 hybrids of `m.image` and `m.sticker` carry.
const IMAGE_BLOCKS: &[&str] = &[
    "m.text",
    "m.file",
    "m.image_details",
    "m.thumbnail",
    "m.caption",
];

/// The `m.sticker` event: an image (MSC3552: a sticker is `m.image` with `m.sticker` in its
/// details), with the blocks of `msgtype` `m.image` (MSC4460).
pub(crate) const STICKER: Msgtype = Msgtype {
    name: "",
    event_type: "m.image",
    media: true,
    details: Details::Image,
    thumbnail: true,
    hybrid_blocks: IMAGE_BLOCKS,
};

/// The voice marker of MSC3245 v1 on `msgtype` `m.audio`, as written.
pub(crate) const VOICE_MARKER: &str = "org.matrix.msc3245.voice";

/// The voice marker's older name (MSC3245: "there are wild events using
/// `org.matrix.msc2516.voice`").
pub(crate) const OLD_VOICE_MARKER: &str = "org.matrix.msc2516.voice";

/// Every name the voice marker is read under.
pub(crate) const VOICE_MARKERS: &[&str] = &[VOICE_MARKER, OLD_VOICE_MARKER];

/// The v1 audio block voice messages carry beside their legacy fields (MSC3245 v1).
pub(crate) const V1_AUDIO: &str = "org.matrix.msc1767.audio";

/// The legacy message type `msgtype`: its entry, or [`OTHER`].
pub(crate) fn by_msgtype(msgtype: &str) -> &'static Msgtype {
    MSGTYPES
        .iter()
        .find(|m| m.name == msgtype)
        .unwrap_or(&OTHER)
}

/// The msgtype an extensible event type writes as, for the types that have one (`m.voice` is
/// `m.audio` with the voice marker; `m.message` is `m.text`, or `m.notice` when automated).
pub(crate) fn for_event_type(event_type: &str) -> Option<&'static Msgtype> {
    match event_type {
        "m.voice" => Some(by_msgtype("m.audio")),
        other => MSGTYPES.iter().find(|m| m.event_type == other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_msgtype_and_the_hybrid_blocks_are_known() {
        let mut names: Vec<&str> = MSGTYPES.iter().map(|m| m.name).collect();
        names.dedup();
        assert_eq!(names.len(), MSGTYPES.len());
        for m in MSGTYPES.iter().chain([&OTHER, &STICKER]) {
            for block in m.hybrid_blocks {
                let known = crate::KnownBlock::from_name(block);
                assert!(
                    matches!(known, Some((_, crate::NameStatus::Stable))),
                    "{block}"
                );
            }
            assert!(crate::stable_event_type(m.event_type).is_some());
        }
        assert_eq!(by_msgtype("m.server_notice").event_type, "m.message");
        assert_eq!(for_event_type("m.message").map(|m| m.name), Some("m.text"));
        assert_eq!(for_event_type("m.voice").map(|m| m.name), Some("m.audio"));
        assert!(for_event_type("m.poll.start").is_none());
    }
}
