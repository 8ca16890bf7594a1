//! The residue ([`super::RESIDUE_EXTENSION`]): what an event has that the MIMI message it
//! maps to does not give back, as the canonical JSON of
//!
//! ```text
//! {"type": "<event type>",            when it differs
//!  "content": {"<block>": <value>},   blocks that differ or are missing
//!  "absent": ["<block>"],             blocks the message gives that the event lacks
//!  "fields": {"<member>": <value>},   top-level members that differ or are missing
//!  "absent_fields": ["<member>"]}     top-level members the event lacks
//! ```
//!
//! in a byte string. A residue is applied only when the message it came in is exactly what
//! the resulting event maps back to; any other value under that key is an extension like
//! any other, carried in the carrier block.

use exev::{Event, Object, Value};
use exev_codec::cbor::head;

use super::{CARRIER_BLOCK, Mapper, RESIDUE_EXTENSION, Resolver, compose, project};
use crate::{ExtensionKey, MimiContent};

/// The difference between an event and what its message maps back to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Residue {
    event_type: Option<String>,
    content: Object,
    absent: Vec<String>,
    fields: Object,
    absent_fields: Vec<String>,
}

/// What `event` has that `projected` lacks, the carrier block aside.
pub(crate) fn diff(event: &Event, projected: &Event) -> Residue {
    let mut r = Residue::default();
    if event.event_type() != projected.event_type() {
        r.event_type = Some(event.event_type().to_owned());
    }
    let (ours, theirs) = (event.content().as_object(), projected.content().as_object());
    for (name, value) in ours {
        if name != CARRIER_BLOCK && theirs.get(name) != Some(value) {
            r.content.insert(name.clone(), value.clone());
        }
    }
    r.absent = theirs
        .keys()
        .filter(|k| *k != CARRIER_BLOCK && !ours.contains_key(*k))
        .cloned()
        .collect();
    for (name, value) in event.other() {
        if projected.field(name) != Some(value) {
            r.fields.insert(name.clone(), value.clone());
        }
    }
    r.absent_fields = projected
        .other()
        .keys()
        .filter(|k| event.field(k).is_none())
        .cloned()
        .collect();
    r
}

fn names(list: &[String]) -> Value {
    Value::Array(list.iter().map(|s| Value::from(s.as_str())).collect())
}

impl Residue {
    /// This residue without the top-level member `name`.
    pub(crate) fn without_field(&self, name: &str) -> Residue {
        let mut r = self.clone();
        r.fields.remove(name);
        r
    }

    fn is_empty(&self) -> bool {
        self == &Residue::default()
    }

    /// Its canonical JSON, or `None` when there is no difference; an error for a value the
    /// JSON encoder cannot write.
    pub(crate) fn to_bytes(&self) -> Result<Option<Vec<u8>>, exev_codec::Error> {
        if self.is_empty() {
            return Ok(None);
        }
        let mut o = Object::new();
        if let Some(t) = &self.event_type {
            o.insert("type".to_owned(), Value::from(t.as_str()));
        }
        if !self.content.is_empty() {
            o.insert("content".to_owned(), Value::Object(self.content.clone()));
        }
        if !self.absent.is_empty() {
            o.insert("absent".to_owned(), names(&self.absent));
        }
        if !self.fields.is_empty() {
            o.insert("fields".to_owned(), Value::Object(self.fields.clone()));
        }
        if !self.absent_fields.is_empty() {
            o.insert("absent_fields".to_owned(), names(&self.absent_fields));
        }
        exev_codec::json::value_to_vec(&Value::Object(o)).map(Some)
    }

    /// The residue in an extension's encoded value, if it is one.
    fn from_extension(raw: &[u8]) -> Option<Residue> {
        let (h, start) = head::read_head(raw, 0).ok()?;
        if h.major != 2 {
            return None;
        }
        let json = raw.get(start..)?;
        let value =
            exev_codec::json::value_from_slice(json, &exev_codec::Options::default()).ok()?;
        let o = value.as_object()?;
        let strings = |v: Option<&Value>| -> Option<Vec<String>> {
            match v {
                None => Some(Vec::new()),
                Some(v) => v
                    .as_array()?
                    .iter()
                    .map(|s| s.as_str().map(str::to_owned))
                    .collect(),
            }
        };
        let object = |v: Option<&Value>| -> Option<Object> {
            match v {
                None => Some(Object::new()),
                Some(v) => v.as_object().cloned(),
            }
        };
        let known = ["type", "content", "absent", "fields", "absent_fields"];
        if o.keys().any(|k| !known.contains(&k.as_str())) {
            return None;
        }
        Some(Residue {
            event_type: match o.get("type") {
                None => None,
                Some(t) => Some(t.as_str()?.to_owned()),
            },
            content: object(o.get("content"))?,
            absent: strings(o.get("absent"))?,
            fields: object(o.get("fields"))?,
            absent_fields: strings(o.get("absent_fields"))?,
        })
    }

    /// `projected` with the differences put back.
    fn apply(&self, projected: &Event) -> Option<Event> {
        let mut content = projected.content().as_object().clone();
        for name in &self.absent {
            content.remove(name);
        }
        for (name, value) in &self.content {
            content.insert(name.clone(), value.clone());
        }
        let mut other = projected.other().clone();
        for name in &self.absent_fields {
            other.remove(name);
        }
        for (name, value) in &self.fields {
            other.insert(name.clone(), value.clone());
        }
        let event_type = self
            .event_type
            .clone()
            .unwrap_or_else(|| projected.event_type().to_owned());
        Event::from_parts(event_type, content.into(), other).ok()
    }
}

/// MIMI → event: the projection, with the residue applied when the message carries one that
/// maps back to exactly this message, and the event ID when asked for.
pub(crate) fn to_event<R: Resolver>(mapper: &Mapper<R>, m: &MimiContent) -> Event {
    let resolver = mapper.resolver();
    let key = ExtensionKey::Text(RESIDUE_EXTENSION.to_owned());
    let restored = m
        .extensions
        .get(&key)
        .and_then(Residue::from_extension)
        .and_then(|r| r.apply(&project::project(resolver, m, true, true)))
        .filter(|e| compose::to_mimi(mapper, e, m.salt).as_ref() == Ok(m));
    let mut event = restored.unwrap_or_else(|| project::project(resolver, m, false, true));
    if mapper.event_ids
        && event.event_id().is_none()
        && let Ok(id) = m.message_id()
    {
        event.set_field("event_id", Value::from(resolver.event_id(&id)));
    }
    event
}
