//! [`Capabilities`]: what a client can render.

use std::collections::BTreeSet;

use crate::{EventTypeDef, Registry};

/// How the room an event is in supports extensible events, which decides whether legacy
/// events and extensible events' blocks render (MSC1767 §"Room version", MSC4460).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RoomSupport {
    /// Both kinds, as a client that does not know the room version renders them: legacy
    /// events from their legacy fields (or a consistent hybrid's blocks), extensible events
    /// from their blocks.
    #[default]
    Mixed,
    /// Today's room versions, under MSC4460's rules: legacy events as in `Mixed`; the stable
    /// text, file, image, video, audio and notice blocks of other event types are not rendered
    /// (polls and room topics may use theirs; unstable names still render).
    Legacy,
    /// A room version with extensible events (MSC1767): `m.room.message` and `m.sticker` are
    /// deprecated there and unrenderable by force.
    Extensible,
}

impl RoomSupport {
    /// `"mixed"`, `"legacy"` or `"extensible"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoomSupport::Mixed => "mixed",
            RoomSupport::Legacy => "legacy",
            RoomSupport::Extensible => "extensible",
        }
    }
}

impl std::fmt::Display for RoomSupport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a client can render: the event types it knows, the mimetypes it understands, the
/// languages its user prefers, how its room supports extensible events, and optionally its
/// own order for trying schemas on events of types it does not know.
///
/// ```
/// use exev_registry::{Capabilities, Registry};
///
/// let registry = Registry::built_in();
/// let caps = Capabilities::knowing(["m.message", "m.image"]).mimetypes(["image/*"]);
/// assert!(caps.knows(registry.event_type("org.matrix.msc1767.image").unwrap()));
/// assert!(!caps.knows(registry.event_type("m.video").unwrap()));
/// assert!(caps.understands("image/png; charset=binary"));
/// assert!(!caps.understands("video/mp4"));
/// assert!(Capabilities::everything(&registry).understands("video/mp4"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    known: BTreeSet<String>,
    mimetypes: Option<BTreeSet<String>>,
    order: Option<Vec<String>>,
    languages: Vec<String>,
    room: RoomSupport,
}

/// A mimetype without parameters, trimmed and in lower case.
fn essence(mimetype: &str) -> String {
    exev::mimetype_essence(mimetype).to_ascii_lowercase()
}

/// The language a representation is in when it names none (MSC3554: "By default, messages
/// are assumed to be sent in English").
pub const DEFAULT_LANGUAGE: &str = "en";

/// Whether the language tag `tag` answers the preference `range` (BCP 47 tags, compared
/// without regard to case): the same tag, or one a prefix of the other at a subtag boundary
/// (`fr` answers `fr-CA` and the other way round).
pub(crate) fn language_matches(range: &str, tag: &str) -> bool {
    let (range, tag) = (range.trim(), tag.trim());
    let prefix = |long: &str, short: &str| {
        long.len() > short.len()
            && long
                .get(..short.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(short))
            && long.as_bytes().get(short.len()) == Some(&b'-')
    };
    !range.is_empty()
        && (range.eq_ignore_ascii_case(tag) || prefix(tag, range) || prefix(range, tag))
}

/// Whether `mimetype` matches `pattern`: equal, `type/*` for every subtype, or `*/*`.
pub(crate) fn mimetype_matches(pattern: &str, mimetype: &str) -> bool {
    let pattern = essence(pattern);
    let mimetype = essence(mimetype);
    if pattern == "*/*" || pattern == "*" {
        return true;
    }
    match pattern.strip_suffix("/*") {
        Some(top) => mimetype.split_once('/').is_some_and(|(t, _)| t == top),
        None => pattern == mimetype,
    }
}

impl Capabilities {
    /// A client that knows no event type and understands every mimetype.
    pub fn new() -> Capabilities {
        Capabilities::default()
    }

    /// A client that knows these event types (by any of their names) and understands every
    /// mimetype.
    pub fn knowing<S: Into<String>>(types: impl IntoIterator<Item = S>) -> Capabilities {
        Capabilities {
            known: types.into_iter().map(Into::into).collect(),
            ..Capabilities::default()
        }
    }

    /// A client that knows every event type of `registry` and understands every mimetype.
    pub fn everything(registry: &Registry) -> Capabilities {
        Capabilities::knowing(registry.event_types().map(|t| t.name.clone()))
    }

    /// This client, also knowing `event_type`.
    #[must_use]
    pub fn know(mut self, event_type: impl Into<String>) -> Capabilities {
        self.known.insert(event_type.into());
        self
    }

    /// This client, understanding only these mimetypes (`type/*` patterns allowed): media
    /// schemas whose file it does not understand are ruled out, and thumbnails and text
    /// representations are picked among these.
    #[must_use]
    pub fn mimetypes<S: AsRef<str>>(
        mut self,
        mimetypes: impl IntoIterator<Item = S>,
    ) -> Capabilities {
        self.mimetypes = Some(mimetypes.into_iter().map(|m| essence(m.as_ref())).collect());
        self
    }

    /// This client, trying these event types (by any name) in this order for events of types
    /// it does not know, instead of the registry's order.
    #[must_use]
    pub fn order<S: Into<String>>(mut self, order: impl IntoIterator<Item = S>) -> Capabilities {
        self.order = Some(order.into_iter().map(Into::into).collect());
        self
    }

    /// This client, whose user prefers these languages (BCP 47 tags, most preferred first):
    /// among the text representations it understands, the best-matching `lang` wins
    /// (MSC3554; a representation without `lang` is English).
    #[must_use]
    pub fn languages<S: AsRef<str>>(
        mut self,
        languages: impl IntoIterator<Item = S>,
    ) -> Capabilities {
        self.languages = languages
            .into_iter()
            .map(|l| l.as_ref().trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        self
    }

    /// This client, in a room with this support for extensible events.
    #[must_use]
    pub fn room_support(mut self, room: RoomSupport) -> Capabilities {
        self.room = room;
        self
    }

    /// The preferred languages, most preferred first (none: the sender's order decides).
    pub fn preferred_languages(&self) -> &[String] {
        &self.languages
    }

    /// How the room supports extensible events.
    pub fn room(&self) -> RoomSupport {
        self.room
    }

    /// How well a representation in `lang` (absent: English) suits the user: the position of
    /// the first preferred language it answers, or `None`.
    pub(crate) fn language_rank(&self, lang: Option<&str>) -> Option<usize> {
        let lang = lang.unwrap_or(DEFAULT_LANGUAGE);
        self.languages
            .iter()
            .position(|range| language_matches(range, lang))
    }

    /// The event type names given.
    pub fn known_types(&self) -> &BTreeSet<String> {
        &self.known
    }

    /// The mimetypes given, or `None` for every mimetype.
    pub fn understood_mimetypes(&self) -> Option<&BTreeSet<String>> {
        self.mimetypes.as_ref()
    }

    /// The client's own fallback order, if it has one.
    pub fn fallback_order(&self) -> Option<&[String]> {
        self.order.as_deref()
    }

    /// Whether the client knows `event_type` under any of its names.
    pub fn knows(&self, event_type: &EventTypeDef) -> bool {
        event_type
            .names()
            .any(|(name, _)| self.known.contains(name))
    }

    /// Whether the client understands `mimetype` (parameters ignored).
    pub fn understands(&self, mimetype: &str) -> bool {
        match &self.mimetypes {
            None => true,
            Some(patterns) => patterns.iter().any(|p| mimetype_matches(p, mimetype)),
        }
    }

    /// Whether the client named `mimetype` (or a pattern covering it) itself, rather than
    /// understanding everything by default.
    pub(crate) fn names_mimetype(&self, mimetype: &str) -> bool {
        self.mimetypes
            .as_ref()
            .is_some_and(|patterns| patterns.iter().any(|p| mimetype_matches(p, mimetype)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_patterns() {
        assert!(mimetype_matches("image/*", "IMAGE/PNG"));
        assert!(mimetype_matches("audio/ogg", "audio/ogg; codecs=opus"));
        assert!(mimetype_matches("*/*", "application/pdf"));
        assert!(!mimetype_matches("image/*", "video/mp4"));
        assert!(!mimetype_matches("image/*", "image"));
        assert!(!mimetype_matches("audio/ogg", "audio/mpeg"));
    }

    #[test]
    fn language_ranges() {
        assert!(language_matches("fr", "fr"));
        assert!(language_matches("FR", "fr-CA"));
        assert!(language_matches("fr-CA", "fr"));
        assert!(!language_matches("fr", "fra"));
        assert!(!language_matches("en", "fr"));
        assert!(!language_matches("", "en"));
        let caps = Capabilities::new().languages(["de", "fr"]);
        assert_eq!(caps.language_rank(Some("fr-BE")), Some(1));
        assert_eq!(caps.language_rank(None), None);
        assert_eq!(
            Capabilities::new().languages(["en"]).language_rank(None),
            Some(0)
        );
        assert_eq!(Capabilities::new().room(), RoomSupport::Mixed);
    }

    #[test]
    fn knows_by_any_name() {
        let registry = Registry::built_in();
        let poll = registry.event_type("m.poll.start").unwrap();
        assert!(Capabilities::knowing(["org.matrix.msc3381.poll.start"]).knows(poll));
        assert!(!Capabilities::new().knows(poll));
        assert!(Capabilities::new().know("m.poll.start").knows(poll));
        assert!(!Capabilities::new().names_mimetype("text/markdown"));
        assert!(
            Capabilities::new()
                .mimetypes(["text/*"])
                .names_mimetype("text/markdown")
        );
    }
}
