//! [`Capabilities`]: what a client can render.

use std::collections::BTreeSet;

use crate::{EventTypeDef, Registry};

/// What a client can render: the event types it knows, the mimetypes it understands, and
/// optionally its own order for trying schemas on events of types it does not know.
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
}

/// A mimetype without parameters, trimmed and in lower case.
fn essence(mimetype: &str) -> String {
    mimetype
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
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
