//! `m.relates_to`: a relation to another event (spec relations; a possible mixin).

use crate::blocks::fields::{Fields, ObjectWriter};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// The key of the reply member.
const IN_REPLY_TO: &str = "m.in_reply_to";

/// `m.relates_to`: how an event relates to another one, as the spec's relations define it: a
/// `rel_type` with the target `event_id` (an edit, a reference, a thread), a reply
/// (`m.in_reply_to`), or both.
///
/// When `rel_type` is present, `event_id` is required. The `m.in_reply_to` object needs an
/// `event_id`; its other members are kept in [`RelatesToBlock::in_reply_to_extra`]. The `key`
/// of annotations (reactions) and the `is_falling_back` flag of threads are typed; other
/// members of the block are kept in [`RelatesToBlock::extra`].
///
/// ```
/// use exev::{Block, RelatesToBlock};
///
/// // An edit that is also a reply (MSC3644).
/// let rel = RelatesToBlock::replacement("$original").with_reply_to("$context");
/// assert!(rel.is_replacement());
/// assert_eq!(rel.reply_to(), Some("$context"));
/// assert_eq!(RelatesToBlock::from_value(&rel.to_value()).unwrap(), rel);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelatesToBlock {
    /// The relation type, e.g. `m.replace`, `m.reference`, `m.thread`.
    pub rel_type: Option<String>,
    /// The event the relation points at.
    pub event_id: Option<String>,
    /// The event replied to (`m.in_reply_to.event_id`).
    pub in_reply_to: Option<String>,
    /// The annotation applied, for `m.annotation` relations: a reaction's emoji, say.
    pub key: Option<String>,
    /// For `m.thread` relations: whether `m.in_reply_to` is only the fallback for clients
    /// without threads (`true`), rather than a reply within the thread. Absent means `false`.
    pub is_falling_back: Option<bool>,
    /// Members of `m.in_reply_to` other than `event_id`, kept as sent. Written only when
    /// `in_reply_to` is set.
    pub in_reply_to_extra: Object,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl RelatesToBlock {
    /// The relation type of edits.
    pub const REPLACE: &'static str = "m.replace";
    /// The relation type of references (poll responses and ends, beacons).
    pub const REFERENCE: &'static str = "m.reference";
    /// The relation type of threads.
    pub const THREAD: &'static str = "m.thread";
    /// The relation type of annotations (reactions).
    pub const ANNOTATION: &'static str = "m.annotation";

    /// A relation of type `rel_type` to `event_id`.
    pub fn new(rel_type: impl Into<String>, event_id: impl Into<String>) -> RelatesToBlock {
        RelatesToBlock {
            rel_type: Some(rel_type.into()),
            event_id: Some(event_id.into()),
            ..RelatesToBlock::default()
        }
    }

    /// An `m.reference` to `event_id`.
    pub fn reference(event_id: impl Into<String>) -> RelatesToBlock {
        RelatesToBlock::new(RelatesToBlock::REFERENCE, event_id)
    }

    /// An `m.replace` (edit) of `event_id`.
    pub fn replacement(event_id: impl Into<String>) -> RelatesToBlock {
        RelatesToBlock::new(RelatesToBlock::REPLACE, event_id)
    }

    /// An `m.annotation` of `event_id` with `key` (a reaction).
    pub fn annotation(event_id: impl Into<String>, key: impl Into<String>) -> RelatesToBlock {
        RelatesToBlock {
            key: Some(key.into()),
            ..RelatesToBlock::new(RelatesToBlock::ANNOTATION, event_id)
        }
    }

    /// An `m.thread` relation to the thread root `root`.
    pub fn thread(root: impl Into<String>) -> RelatesToBlock {
        RelatesToBlock::new(RelatesToBlock::THREAD, root)
    }

    /// Sets the thread's `is_falling_back` flag.
    #[must_use]
    pub fn falling_back(mut self, is_falling_back: bool) -> RelatesToBlock {
        self.is_falling_back = Some(is_falling_back);
        self
    }

    /// A reply to `event_id`, with no other relation.
    pub fn reply(event_id: impl Into<String>) -> RelatesToBlock {
        RelatesToBlock::default().with_reply_to(event_id)
    }

    /// Sets the event replied to.
    #[must_use]
    pub fn with_reply_to(mut self, event_id: impl Into<String>) -> RelatesToBlock {
        self.in_reply_to = Some(event_id.into());
        self
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> RelatesToBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// Whether this is an edit (`rel_type` `m.replace`).
    pub fn is_replacement(&self) -> bool {
        self.rel_type.as_deref() == Some(RelatesToBlock::REPLACE)
    }

    /// Whether this is a reference (`rel_type` `m.reference`).
    pub fn is_reference(&self) -> bool {
        self.rel_type.as_deref() == Some(RelatesToBlock::REFERENCE)
    }

    /// Whether this is a thread relation (`rel_type` `m.thread`).
    pub fn is_thread(&self) -> bool {
        self.rel_type.as_deref() == Some(RelatesToBlock::THREAD)
    }

    /// Whether this is an annotation (`rel_type` `m.annotation`).
    pub fn is_annotation(&self) -> bool {
        self.rel_type.as_deref() == Some(RelatesToBlock::ANNOTATION)
    }

    /// The event replied to, if this is a reply.
    pub fn reply_to(&self) -> Option<&str> {
        self.in_reply_to.as_deref()
    }

    /// The event this one really replies to: `m.in_reply_to`, unless it is only a thread's
    /// fallback for clients without threads (`is_falling_back` is `true` on an `m.thread`
    /// relation; the spec's "Replies within threads").
    pub fn replying_to(&self) -> Option<&str> {
        let fallback = self.is_thread() && self.is_falling_back == Some(true);
        self.reply_to().filter(|_| !fallback)
    }

    /// The thread root, for `m.thread` relations.
    pub fn thread_root(&self) -> Option<&str> {
        self.event_id.as_deref().filter(|_| self.is_thread())
    }

    /// Reads an `m.relates_to` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<RelatesToBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let rel_type = fields.string("rel_type")?;
        let event_id = fields.string("event_id")?;
        if rel_type.is_some() && event_id.is_none() {
            return Err(fields.missing("event_id"));
        }
        let (in_reply_to, in_reply_to_extra) = match fields.take(IN_REPLY_TO) {
            Some(reply) => fields.at(IN_REPLY_TO, |p| {
                let mut reply_fields = Fields::new(reply, p)?;
                let id = reply_fields.required_string("event_id")?;
                Ok((Some(id), reply_fields.rest()))
            })?,
            None => (None, Object::new()),
        };
        let key = fields.string("key")?;
        let is_falling_back = fields.boolean("is_falling_back")?;
        Ok(RelatesToBlock {
            rel_type,
            event_id,
            in_reply_to,
            key,
            is_falling_back,
            in_reply_to_extra,
            extra: fields.rest(),
        })
    }
}

impl Block for RelatesToBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::RelatesTo.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<RelatesToBlock, BlockError> {
        RelatesToBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        let mut w = ObjectWriter::new(&self.extra);
        w.set_opt("rel_type", self.rel_type.as_deref())
            .set_opt("event_id", self.event_id.as_deref())
            .set_opt("key", self.key.as_deref())
            .set_opt("is_falling_back", self.is_falling_back);
        if let Some(id) = &self.in_reply_to {
            let reply = ObjectWriter::new(&self.in_reply_to_extra)
                .set("event_id", id.as_str())
                .finish();
            w.set(IN_REPLY_TO, reply);
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_a_reference() {
        // V14 and V15.
        let v = json(r#"{"event_id": "$poll_start_event_id", "rel_type": "m.reference"}"#);
        let r = RelatesToBlock::from_value(&v).unwrap();
        assert!(r.is_reference());
        assert!(!r.is_replacement());
        assert_eq!(r.event_id.as_deref(), Some("$poll_start_event_id"));
        assert_eq!(r.reply_to(), None);
        assert_eq!(r.to_value(), v);
        assert_eq!(r, RelatesToBlock::reference("$poll_start_event_id"));
    }

    #[test]
    fn reads_an_edit_and_a_reply() {
        // V27 and V28.
        let v = json(r#"{"event_id": "$original", "rel_type": "m.replace"}"#);
        assert!(RelatesToBlock::from_value(&v).unwrap().is_replacement());
        let v = json(
            r#"{"event_id": "$original", "m.in_reply_to": {"event_id": "$context"},
                "rel_type": "m.replace"}"#,
        );
        let r = RelatesToBlock::from_value(&v).unwrap();
        assert!(r.is_replacement());
        assert_eq!(r.reply_to(), Some("$context"));
        assert_eq!(r.to_value(), v);
        let v = json(r#"{"m.in_reply_to": {"event_id": "$e"}}"#);
        let r = RelatesToBlock::from_value(&v).unwrap();
        assert_eq!(r, RelatesToBlock::reply("$e"));
        assert_eq!(r.rel_type, None);
    }

    #[test]
    fn round_trips() {
        for r in [
            RelatesToBlock::default(),
            RelatesToBlock::thread("$root")
                .with_reply_to("$last")
                .falling_back(true)
                .with_extra("org.example.x", Value::Bool(true)),
            RelatesToBlock::annotation("$e", "👍"),
            RelatesToBlock::reply("$e"),
        ] {
            assert_eq!(RelatesToBlock::from_value(&r.to_value()).unwrap(), r);
        }
    }

    #[test]
    fn unknown_members_survive_also_inside_the_reply() {
        let v = json(
            r#"{"rel_type": "m.annotation", "event_id": "$e", "key": "👍",
                "m.in_reply_to": {"event_id": "$r", "org.example.quote": "hi"}}"#,
        );
        let r = RelatesToBlock::from_value(&v).unwrap();
        assert_eq!(r.key.as_deref(), Some("👍"));
        assert!(r.is_annotation());
        assert!(r.extra.is_empty());
        assert_eq!(
            r.in_reply_to_extra.get("org.example.quote"),
            Some(&Value::from("hi"))
        );
        assert_eq!(r.to_value(), v);
    }

    #[test]
    fn threads_and_their_fallback_replies() {
        // The spec's "Fallback for unthreaded clients".
        let v = json(
            r#"{"rel_type": "m.thread", "event_id": "$root",
                "m.in_reply_to": {"event_id": "$target"}, "is_falling_back": true}"#,
        );
        let r = RelatesToBlock::from_value(&v).unwrap();
        assert_eq!(r.thread_root(), Some("$root"));
        assert_eq!(r.reply_to(), Some("$target"));
        assert_eq!(r.replying_to(), None);
        assert_eq!(r.to_value(), v);
        // A reply within the thread: the flag is false or absent.
        let r = RelatesToBlock::thread("$root").with_reply_to("$t");
        assert_eq!(r.replying_to(), Some("$t"));
        assert_eq!(r.falling_back(false).replying_to(), Some("$t"));
        assert_eq!(RelatesToBlock::reply("$x").thread_root(), None);
        let e = RelatesToBlock::from_value(&json(
            r#"{"rel_type": "m.thread", "event_id": "$r", "is_falling_back": "yes"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "is_falling_back: expected a boolean, found string"
        );
    }

    #[test]
    fn errors_have_paths() {
        let e = RelatesToBlock::from_value(&json(r#"{"rel_type": "m.replace"}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `event_id`");
        let e = RelatesToBlock::from_value(&json(r#"{"m.in_reply_to": {}}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"["m.in_reply_to"]: missing required field `event_id`"#
        );
        let e =
            RelatesToBlock::from_value(&json(r#"{"m.in_reply_to": {"event_id": 1}}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"["m.in_reply_to"].event_id: expected a string, found integer"#
        );
        let e = RelatesToBlock::from_value(&json(r#"{"m.in_reply_to": "$e"}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"["m.in_reply_to"]: expected an object, found string"#
        );
        let e = RelatesToBlock::from_value(&json(r#"{"event_id": ["$e"]}"#)).unwrap_err();
        assert_eq!(e.to_string(), "event_id: expected a string, found array");
    }
}
