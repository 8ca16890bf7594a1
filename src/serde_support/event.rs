//! `Serialize` and `Deserialize` for [`Event`] and [`Content`]: the event's JSON object, with
//! `type` and `content` among the other members in key order.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::value::{insert_new, serialize_object, visit_object};
use crate::{Content, Event, Object, Value};

impl Serialize for Content {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_object(self.as_object(), serializer)
    }
}

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Content, D::Error> {
        struct ContentVisitor;
        impl<'de> Visitor<'de> for ContentVisitor {
            type Value = Content;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of content blocks")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Content, A::Error> {
                visit_object(map).map(Content::from_object)
            }
        }
        deserializer.deserialize_map(ContentVisitor)
    }
}

/// One of the members an [`Event`] keeps apart from the others.
enum Own {
    Content,
    Type,
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // `content` and `type` go where key order puts them, as canonical JSON writes them.
        let mut own = [("content", Own::Content), ("type", Own::Type)]
            .into_iter()
            .peekable();
        let mut map = serializer.serialize_map(Some(self.other().len() + 2))?;
        let write_own = |map: &mut S::SerializeMap, which: Own| match which {
            Own::Content => map.serialize_entry("content", self.content()),
            Own::Type => map.serialize_entry("type", self.event_type()),
        };
        for (key, value) in self.other() {
            while let Some((_, which)) = own.next_if(|(name, _)| *name < key.as_str()) {
                write_own(&mut map, which)?;
            }
            map.serialize_entry(key, value)?;
        }
        for (_, which) in own {
            write_own(&mut map, which)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Event {
    /// Reads an event as [`Event::from_value`] does, refusing a key given twice.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        struct EventVisitor;
        impl<'de> Visitor<'de> for EventVisitor {
            type Value = Event;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event: an object with a string `type` and an object `content`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
                let mut event_type = None;
                let mut content = None;
                let mut other = Object::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<Value>()?;
                    let slot = match key.as_str() {
                        "type" => &mut event_type,
                        "content" => &mut content,
                        _ => match insert_new(&mut other, key, value) {
                            None => continue,
                            Some(key) => {
                                return Err(de::Error::custom(format_args!(
                                    "duplicate key {key:?}"
                                )));
                            }
                        },
                    };
                    if slot.replace(value).is_some() {
                        return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
                    }
                }
                Event::from_members(event_type, content, other).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_map(EventVisitor)
    }
}
