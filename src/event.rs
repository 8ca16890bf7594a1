//! [`Event`]: an event's type, its content blocks, and every other top-level member.

use std::sync::Arc;

use crate::lazy_object::LazyObject;
use crate::tape::{At, Tape};
use crate::{
    Content, EventError, NameStatus, Object, ObjectRef, Value, ValueRef, stable_event_type,
};

/// An event: its `type`, its [`Content`], and every other top-level member (`sender`,
/// `state_key`, `unsigned`, `signatures`, ...) kept as sent.
///
/// ```
/// use exev::{Event, Content, TextBlock, Value};
///
/// let mut content = Content::new();
/// content.set(&TextBlock::plain("says hi"));
/// let mut event = Event::new("m.emote", content);
/// event.set_field("sender", Value::from("@alice:example.org"));
/// assert_eq!(event.sender(), Some("@alice:example.org"));
/// assert!(!event.is_state());
/// let back = Event::from_value(event.to_value()).unwrap();
/// assert_eq!(back, event);
/// ```
#[derive(Clone, Default)]
pub struct Event {
    event_type: String,
    content: Content,
    /// Kept where a decoder left them, like the content, until asked for as values.
    other: LazyObject,
}

impl PartialEq for Event {
    fn eq(&self, other: &Event) -> bool {
        self.event_type == other.event_type
            && self.content == other.content
            && self.other() == other.other()
    }
}

impl Eq for Event {}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("event_type", &self.event_type)
            .field("content", &self.content)
            .field("other", self.other())
            .finish()
    }
}

impl Event {
    /// An event of type `event_type` with `content` and no other member.
    pub fn new(event_type: impl Into<String>, content: Content) -> Event {
        Event {
            event_type: event_type.into(),
            content,
            other: LazyObject::default(),
        }
    }

    /// An event from its parts: its type, its content, and its other top-level members.
    ///
    /// Decoders that read the parts separately use this to build the event without putting
    /// `type` and `content` among the members and taking them out again.
    ///
    /// ```
    /// use exev::{Content, Event, EventError, Object, Value};
    ///
    /// let mut other = Object::new();
    /// other.insert("sender".to_owned(), Value::from("@alice:example.org"));
    /// let event = Event::from_parts("m.message".to_owned(), Content::new(), other.clone())?;
    /// assert_eq!(event.sender(), Some("@alice:example.org"));
    ///
    /// other.insert("content".to_owned(), Value::from(1));
    /// let err = Event::from_parts("m.message".to_owned(), Content::new(), other).unwrap_err();
    /// assert_eq!(err, EventError::Duplicate("content"));
    /// # Ok::<(), EventError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`EventError::Duplicate`] when `other` has a member `type` or `content`.
    pub fn from_parts(
        event_type: String,
        content: Content,
        other: Object,
    ) -> Result<Event, EventError> {
        for field in ["type", "content"] {
            if other.contains_key(field) {
                return Err(EventError::Duplicate(field));
            }
        }
        Ok(Event {
            event_type,
            content,
            other: LazyObject::from_object(other),
        })
    }

    /// The event from a value: an object with a string `type` and an object `content`.
    ///
    /// # Errors
    ///
    /// An [`EventError`] when the value is not an object, or `type` or `content` is missing
    /// or of the wrong type.
    pub fn from_value(value: Value) -> Result<Event, EventError> {
        match value {
            Value::Object(object) => Event::from_object(object),
            other => Err(EventError::NotAnObject {
                found: other.kind(),
            }),
        }
    }

    /// The event from an object's members (see [`Event::from_value`]).
    ///
    /// # Errors
    ///
    /// As [`Event::from_value`].
    pub fn from_object(mut object: Object) -> Result<Event, EventError> {
        let event_type = object.remove("type");
        let content = object.remove("content");
        Event::from_members(event_type, content, object)
    }

    /// The event from the values of its `type` and `content` members, as found (`None` when
    /// absent), and its other members.
    ///
    /// Decoders that set `type` and `content` aside while reading use this; it applies the
    /// rules of [`Event::from_value`].
    ///
    /// ```
    /// use exev::{Event, EventError, Object, Value};
    ///
    /// let content = Some(Value::Object(Object::new()));
    /// let event = Event::from_members(Some(Value::from("m.notice")), content.clone(), Object::new())?;
    /// assert_eq!(event.event_type(), "m.notice");
    /// let err = Event::from_members(None, content, Object::new()).unwrap_err();
    /// assert_eq!(err, EventError::Missing("type"));
    /// # Ok::<(), EventError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Event::from_value`], checking `type` before `content`, and as
    /// [`Event::from_parts`].
    pub fn from_members(
        event_type: Option<Value>,
        content: Option<Value>,
        other: Object,
    ) -> Result<Event, EventError> {
        check_type_and_content(
            event_type.as_ref().map(ValueRef::from),
            content.as_ref().map(ValueRef::from),
        )?;
        let (Some(Value::String(event_type)), Some(Value::Object(blocks))) = (event_type, content)
        else {
            // Checked just above.
            return Err(EventError::Missing("type"));
        };
        Event::from_parts(event_type, Content::from_object(blocks), other)
    }

    /// The event of the value at `root` on `tape`, which a decoder wrote after checking it:
    /// the rules and errors of [`Event::from_value`], with the content and the other members
    /// left on the tape until they are read.
    ///
    /// # Errors
    ///
    /// As [`Event::from_value`].
    #[doc(hidden)]
    pub fn from_tape(tape: Arc<Tape>, root: At) -> Result<Event, EventError> {
        let Some(members) = ValueRef::taped(&tape, root).as_object() else {
            return Err(EventError::NotAnObject {
                found: ValueRef::taped(&tape, root).kind(),
            });
        };
        let (event_type, content) =
            check_type_and_content(members.get("type"), members.get("content"))?;
        let content = match content.place() {
            Some(at) => Content::from_tape(Arc::clone(&tape), at),
            None => Content::from_object(content.to_object()),
        };
        Ok(Event {
            event_type: event_type.to_owned(),
            content,
            other: LazyObject::from_tape(Arc::clone(&tape), root, &["type", "content"]),
        })
    }

    /// The event as a value, `type` and `content` among the other members.
    pub fn to_value(&self) -> Value {
        self.clone().into_value()
    }

    /// The event as a value, consuming it.
    pub fn into_value(self) -> Value {
        let mut object = self.other.into_object();
        object.insert("type".to_owned(), Value::String(self.event_type));
        object.insert(
            "content".to_owned(),
            Value::Object(self.content.into_object()),
        );
        Value::Object(object)
    }

    /// The event type as sent.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// Sets the event type.
    pub fn set_event_type(&mut self, event_type: impl Into<String>) {
        self.event_type = event_type.into();
    }

    /// The stable name of the event type and the status of the name sent, for built-in types.
    pub fn known_type(&self) -> Option<(&'static str, NameStatus)> {
        stable_event_type(&self.event_type)
    }

    /// The content blocks.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// The content blocks, mutably.
    pub fn content_mut(&mut self) -> &mut Content {
        &mut self.content
    }

    /// Every top-level member other than `type` and `content`.
    pub fn other(&self) -> &Object {
        self.other.as_object()
    }

    /// Every top-level member other than `type` and `content`, borrowed where they lie:
    /// nothing is built for a decoded event (unlike [`Event::other`]).
    pub fn other_ref(&self) -> ObjectRef<'_> {
        self.other.as_ref()
    }

    /// A top-level member other than `type` and `content`.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.other().get(name)
    }

    /// A top-level member other than `type` and `content`, borrowed where it lies (see
    /// [`Event::other_ref`]).
    pub fn field_ref(&self, name: &str) -> Option<ValueRef<'_>> {
        self.other.as_ref().get(name)
    }

    /// Sets a top-level member other than `type` and `content`; those two are set with
    /// [`Event::set_event_type`] and [`Event::content_mut`], so names `type` and `content`
    /// are refused and `false` returned.
    pub fn set_field(&mut self, name: impl Into<String>, value: Value) -> bool {
        let name = name.into();
        if name == "type" || name == "content" {
            return false;
        }
        self.other.as_object_mut().insert(name, value);
        true
    }

    /// The `state_key`, present on state events.
    pub fn state_key(&self) -> Option<&str> {
        self.field_ref("state_key").and_then(ValueRef::as_str)
    }

    /// Whether this is a state event (it has a string `state_key`).
    pub fn is_state(&self) -> bool {
        self.state_key().is_some()
    }

    /// The `sender`.
    pub fn sender(&self) -> Option<&str> {
        self.field_ref("sender").and_then(ValueRef::as_str)
    }

    /// The `event_id`.
    pub fn event_id(&self) -> Option<&str> {
        self.field_ref("event_id").and_then(ValueRef::as_str)
    }

    /// The `room_id`.
    pub fn room_id(&self) -> Option<&str> {
        self.field_ref("room_id").and_then(ValueRef::as_str)
    }

    /// The `origin_server_ts`, in milliseconds since the Unix epoch.
    pub fn origin_server_ts(&self) -> Option<i64> {
        self.field_ref("origin_server_ts")
            .and_then(ValueRef::as_i64)
    }
}

/// The rules an event's `type` and `content` follow, in the order they are checked: the type
/// and the content they give.
fn check_type_and_content<'v>(
    event_type: Option<ValueRef<'v>>,
    content: Option<ValueRef<'v>>,
) -> Result<(&'v str, ObjectRef<'v>), EventError> {
    let event_type = match event_type {
        Some(t) => t.as_str().ok_or(EventError::WrongType {
            field: "type",
            expected: "a string",
            found: t.kind(),
        })?,
        None => return Err(EventError::Missing("type")),
    };
    match content.map(|c| (c, c.as_object())) {
        Some((_, Some(blocks))) => Ok((event_type, blocks)),
        Some((c, None)) => Err(EventError::WrongType {
            field: "content",
            expected: "an object",
            found: c.kind(),
        }),
        None => Err(EventError::Missing("content")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(pairs: &[(&str, Value)]) -> Value {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn shape_errors() {
        assert_eq!(
            Event::from_value(Value::from(1)).unwrap_err().to_string(),
            "an event must be a JSON object, found integer"
        );
        let e = Event::from_value(object(&[("content", object(&[]))])).unwrap_err();
        assert_eq!(e, EventError::Missing("type"));
        let e = Event::from_value(object(&[("type", Value::from(1))])).unwrap_err();
        assert_eq!(e.path().to_string(), "type");
        let e = Event::from_value(object(&[("type", "m.x".into()), ("content", Value::Null)]))
            .unwrap_err();
        assert_eq!(e.to_string(), "`content` must be an object, found null");
    }

    #[test]
    fn other_members_are_kept() {
        let v = object(&[
            ("type", "m.beacon_info".into()),
            ("content", object(&[])),
            ("state_key", "@a:b".into()),
            ("unsigned", object(&[("age", Value::from(5))])),
        ]);
        let e = Event::from_value(v.clone()).unwrap();
        assert!(e.is_state());
        assert!(!e.clone().set_field("type", Value::Null));
        assert_eq!(e.into_value(), v);
    }
}
