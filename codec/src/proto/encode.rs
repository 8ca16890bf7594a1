//! From the model to the wire messages.
//!
//! Every mapping here is lossless by construction: a member goes to a typed field only when its
//! key and JSON type are the field's, and everything else goes to `extra`, so the decoder
//! rebuilds the same object. Whether a block is typed at all is decided by [`typed_body`].

use exev::blocks::AnyBlock;
use exev::{Event, KnownBlock, Object, Value};

use super::names;
use super::wire::{self, block::Body};
use crate::failure::Unwritable;

/// A message built, or the value it cannot hold.
type Built<T> = Result<T, Unwritable>;

/// The wire message of an event.
pub(crate) fn event(event: &Event) -> Built<wire::Event> {
    let mut out = wire::Event {
        r#type: Some(match names::event_type_number(event.event_type()) {
            Some(n) => wire::event::Type::KnownType(n),
            None => wire::event::Type::CustomType(event.event_type().to_owned()),
        }),
        content: event
            .content()
            .as_object()
            .iter()
            .map(|(name, value)| block(name, value).map_err(|u| u.key(name).key("content")))
            .collect::<Built<_>>()?,
        ..wire::Event::default()
    };
    for (key, value) in event.other() {
        match (key.as_str(), value) {
            ("event_id", Value::String(s)) => out.event_id = Some(s.clone()),
            ("sender", Value::String(s)) => out.sender = Some(s.clone()),
            ("room_id", Value::String(s)) => out.room_id = Some(s.clone()),
            ("origin_server_ts", Value::Integer(i)) => out.origin_server_ts = Some(*i),
            ("state_key", Value::String(s)) => out.state_key = Some(s.clone()),
            ("unsigned", Value::Object(o)) => {
                out.unsigned = Some(unsigned(o).map_err(|u| u.key(key))?);
            }
            _ => out.other.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn unsigned(o: &Object) -> Built<wire::Unsigned> {
    let mut out = wire::Unsigned::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("age", Value::Integer(i)) => out.age = Some(*i),
            ("transaction_id", Value::String(s)) => out.transaction_id = Some(s.clone()),
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

/// The wire message of the block `name`.
pub(crate) fn block(name: &str, value: &Value) -> Built<wire::Block> {
    let body = match typed_body(name, value)? {
        Some(body) => body,
        None => Body::Value(self::value(value)?),
    };
    Ok(wire::Block {
        name: Some(match names::block_number(name) {
            Some(n) => wire::block::Name::KnownName(n),
            None => wire::block::Name::CustomName(name.to_owned()),
        }),
        body: Some(body),
    })
}

/// The typed body for a block, when it has one: the name is a built-in block's, the value
/// reads typed without error, the typed reading writes back exactly this value (so the value
/// is in the block's stable shape, whatever name it came under), and its shape fits the typed
/// message. `Ok(None)` when it has none (it goes generic); an error for a value no message can
/// hold.
pub(crate) fn typed_body(name: &str, value: &Value) -> Built<Option<Body>> {
    let Some((kind, _)) = KnownBlock::from_name(name) else {
        return Ok(None);
    };
    match AnyBlock::read(kind, name, value) {
        Ok(typed) if typed.to_value() == *value => shaped_body(kind, value),
        _ => Ok(None),
    }
}

/// The typed body of `value` as block `kind`, when its JSON shape fits the message.
fn shaped_body(kind: KnownBlock, value: &Value) -> Built<Option<Body>> {
    Ok(Some(match (kind, value) {
        (KnownBlock::Text, Value::Array(a)) => match text(a)? {
            Some(t) => Body::Text(t),
            None => return Ok(None),
        },
        (KnownBlock::File, Value::Object(o)) => Body::File(Box::new(file(o)?)),
        (KnownBlock::Caption, Value::Object(o)) => {
            let (text, extra) = text_holder(o)?;
            Body::Caption(wire::Caption { text, extra })
        }
        (KnownBlock::AltText, Value::Object(o)) => {
            let (text, extra) = text_holder(o)?;
            Body::AltText(wire::AltText { text, extra })
        }
        (KnownBlock::Topic, Value::Object(o)) => {
            let (text, extra) = text_holder(o)?;
            Body::Topic(wire::Topic { text, extra })
        }
        (KnownBlock::ImageDetails, Value::Object(o)) => Body::ImageDetails(image_details(o)?),
        (KnownBlock::Thumbnail, Value::Array(a)) => {
            let mut images = Vec::with_capacity(a.len());
            for v in a {
                let Some(o) = v.as_object() else {
                    return Ok(None);
                };
                images.push(thumbnail_image(o)?);
            }
            Body::Thumbnail(wire::Thumbnail { images })
        }
        (KnownBlock::VideoDetails, Value::Object(o)) => {
            Body::VideoDetails(Box::new(video_details(o)?))
        }
        (KnownBlock::AudioDetails, Value::Object(o)) => {
            Body::AudioDetails(Box::new(audio_details(o)?))
        }
        (KnownBlock::Automated, Value::Bool(b)) => Body::Automated(*b),
        (KnownBlock::Location, Value::Object(o)) => Body::Location(Box::new(location(o)?)),
        (KnownBlock::Asset, Value::Object(o)) => Body::Asset(asset(o)?),
        (KnownBlock::Ts, Value::Integer(i)) => Body::Ts(*i),
        (KnownBlock::Poll, Value::Object(o)) => match poll(o)? {
            Some(p) => Body::Poll(Box::new(p)),
            None => return Ok(None),
        },
        (KnownBlock::Selections, Value::Array(a)) => match strings(a) {
            Some(values) => Body::Selections(wire::Selections { values }),
            None => return Ok(None),
        },
        (KnownBlock::PollResults, Value::Object(o)) => Body::PollResults(poll_results(o)?),
        (KnownBlock::RelatesTo, Value::Object(o)) => Body::RelatesTo(Box::new(relates_to(o)?)),
        (KnownBlock::Mentions, Value::Object(o)) => Body::Mentions(mentions(o)?),
        (KnownBlock::Encrypted, Value::Object(o)) => Body::Encrypted(Box::new(encrypted(o)?)),
        _ => return Ok(None),
    }))
}

/// `m.text`: every element must be an object, else `None`.
fn text(a: &[Value]) -> Built<Option<wire::Text>> {
    let mut representations = Vec::with_capacity(a.len());
    for v in a {
        let Some(o) = v.as_object() else {
            return Ok(None);
        };
        let mut r = wire::TextRepresentation::default();
        for (key, value) in o {
            match (key.as_str(), value) {
                ("body", Value::String(s)) => r.body = Some(s.clone()),
                ("mimetype", Value::String(s)) => r.mimetype = Some(s.clone()),
                ("lang", Value::String(s)) => r.lang = Some(s.clone()),
                _ => r.extra.push(member(key, value)?),
            }
        }
        representations.push(r);
    }
    Ok(Some(wire::Text { representations }))
}

/// An object whose `m.text` member is a text block: `m.caption`, `m.alt_text`, `m.topic`, a
/// poll question.
fn text_holder(o: &Object) -> Built<(Option<wire::Text>, Vec<wire::Member>)> {
    let mut text = None;
    let mut extra = Vec::new();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("m.text", Value::Array(a)) if text.is_none() => match self::text(a)? {
                Some(t) => text = Some(t),
                None => extra.push(member(key, value)?),
            },
            _ => extra.push(member(key, value)?),
        }
    }
    Ok((text, extra))
}

fn file(o: &Object) -> Built<wire::File> {
    let mut out = wire::File::default();
    let encryption = encrypted_file(o)?;
    let encrypted = encryption.is_some();
    out.encryption = encryption;
    for (key, value) in o {
        match (key.as_str(), value) {
            ("url", Value::String(s)) => out.url = Some(s.clone()),
            ("name", Value::String(s)) => out.name = Some(s.clone()),
            ("mimetype", Value::String(s)) => out.mimetype = Some(s.clone()),
            ("size", Value::Integer(i)) => out.size = Some(*i),
            ("key" | "iv" | "hashes" | "v", _) if encrypted => {}
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

/// The `EncryptedFile` members, when all four are there with their types.
fn encrypted_file(o: &Object) -> Built<Option<Box<wire::EncryptedFile>>> {
    let found = || {
        let key = o.get("key")?.as_object()?;
        let iv = o.get("iv")?.as_str()?;
        let v = o.get("v")?.as_str()?;
        let hashes = o
            .get("hashes")?
            .as_object()?
            .iter()
            .map(|(k, h)| h.as_str().map(|h| (k.clone(), h.to_owned())))
            .collect::<Option<_>>()?;
        Some((key, iv, v, hashes))
    };
    let Some((key, iv, v, hashes)) = found() else {
        return Ok(None);
    };
    Ok(Some(Box::new(wire::EncryptedFile {
        key: members(key).map_err(|u| u.key("key"))?,
        iv: iv.to_owned(),
        hashes,
        v: v.to_owned(),
    })))
}

fn image_details(o: &Object) -> Built<wire::ImageDetails> {
    let mut out = wire::ImageDetails::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("width", Value::Integer(i)) => out.width = Some(*i),
            ("height", Value::Integer(i)) => out.height = Some(*i),
            ("m.sticker", Value::Bool(b)) => out.sticker = Some(*b),
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn thumbnail_image(o: &Object) -> Built<wire::ThumbnailImage> {
    let mut out = wire::ThumbnailImage::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("m.file", Value::Object(f)) => out.file = Some(file(f).map_err(|u| u.key(key))?),
            ("m.image_details", Value::Object(d)) => {
                out.image_details = Some(image_details(d).map_err(|u| u.key(key))?);
            }
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn video_details(o: &Object) -> Built<wire::VideoDetails> {
    let mut out = wire::VideoDetails::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("width", Value::Integer(i)) => out.width = Some(*i),
            ("height", Value::Integer(i)) => out.height = Some(*i),
            ("duration", Value::Integer(i)) => out.duration = Some(*i),
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn audio_details(o: &Object) -> Built<wire::AudioDetails> {
    let mut out = wire::AudioDetails::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("duration", Value::Integer(i)) => out.duration = Some(*i),
            ("waveform", Value::Array(a)) if integers(a).is_some() => {
                out.waveform = integers(a).map(|values| wire::Integers { values });
            }
            ("org.matrix.msc3246.waveform", Value::Array(a)) if integers(a).is_some() => {
                out.unstable_waveform = integers(a).map(|values| wire::Integers { values });
            }
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn location(o: &Object) -> Built<wire::Location> {
    let mut out = wire::Location::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("uri", Value::String(s)) => out.uri = Some(s.clone()),
            ("description", Value::String(s)) => out.description = Some(s.clone()),
            ("zoom_level", Value::Integer(i)) => out.zoom_level = Some(*i),
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn asset(o: &Object) -> Built<wire::Asset> {
    let mut out = wire::Asset::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("type", Value::String(s)) => out.r#type = Some(s.clone()),
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

/// `m.poll`: `answers` must be present, an array of objects, else `None`.
fn poll(o: &Object) -> Built<Option<wire::Poll>> {
    let mut out = wire::Poll::default();
    let mut answers = false;
    for (key, value) in o {
        match (key.as_str(), value) {
            ("kind", Value::String(s)) => out.kind = Some(s.clone()),
            ("max_selections", Value::Integer(i)) => out.max_selections = Some(*i),
            ("question", Value::Object(q)) => {
                let (text, extra) = text_holder(q).map_err(|u| u.key(key))?;
                out.question = Some(wire::PollQuestion { text, extra });
            }
            ("answers", Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    let Some(answer) = v.as_object() else {
                        return Ok(None);
                    };
                    let answer =
                        poll_answer(answer).map_err(|u| u.at(exev::Segment::Index(i)).key(key))?;
                    out.answers.push(answer);
                }
                answers = true;
            }
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(answers.then_some(out))
}

fn poll_answer(o: &Object) -> Built<wire::PollAnswer> {
    let mut out = wire::PollAnswer::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("m.id", Value::String(s)) => out.id = Some(s.clone()),
            ("m.text", Value::Array(a)) if out.text.is_none() && text(a)?.is_some() => {
                out.text = text(a)?;
            }
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn poll_results(o: &Object) -> Built<wire::PollResults> {
    let mut out = wire::PollResults::default();
    for (key, value) in o {
        match value {
            Value::Integer(i) => {
                out.counts.insert(key.clone(), *i);
            }
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn relates_to(o: &Object) -> Built<wire::RelatesTo> {
    let mut out = wire::RelatesTo::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("rel_type", Value::String(s)) => out.rel_type = Some(s.clone()),
            ("event_id", Value::String(s)) => out.event_id = Some(s.clone()),
            ("key", Value::String(s)) => out.key = Some(s.clone()),
            ("is_falling_back", Value::Bool(b)) => out.is_falling_back = Some(*b),
            ("m.in_reply_to", Value::Object(r)) => {
                let mut reply = wire::InReplyTo::default();
                for (key, value) in r {
                    match (key.as_str(), value) {
                        ("event_id", Value::String(s)) => reply.event_id = Some(s.clone()),
                        _ => reply.extra.push(member(key, value)?),
                    }
                }
                out.in_reply_to = Some(reply);
            }
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn mentions(o: &Object) -> Built<wire::Mentions> {
    let mut out = wire::Mentions::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("user_ids", Value::Array(a)) if strings(a).is_some() => {
                out.user_ids = strings(a).map(|values| wire::Strings { values });
            }
            ("room", Value::Bool(b)) => out.room = Some(*b),
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn encrypted(o: &Object) -> Built<wire::Encrypted> {
    let mut out = wire::Encrypted::default();
    for (key, value) in o {
        match (key.as_str(), value) {
            ("algorithm", Value::String(s)) => out.algorithm = Some(s.clone()),
            ("ciphertext", Value::String(s)) => out.ciphertext = Some(s.clone()),
            ("sender_key", Value::String(s)) => out.sender_key = Some(s.clone()),
            ("device_id", Value::String(s)) => out.device_id = Some(s.clone()),
            ("session_id", Value::String(s)) => out.session_id = Some(s.clone()),
            _ => out.extra.push(member(key, value)?),
        }
    }
    Ok(out)
}

fn strings(a: &[Value]) -> Option<Vec<String>> {
    a.iter().map(|v| v.as_str().map(str::to_owned)).collect()
}

fn integers(a: &[Value]) -> Option<Vec<i64>> {
    a.iter().map(Value::as_i64).collect()
}

fn member(key: &str, value: &Value) -> Built<wire::Member> {
    Ok(wire::Member {
        key: key.to_owned(),
        value: Some(self::value(value).map_err(|u| u.key(key))?),
    })
}

fn members(o: &Object) -> Built<Vec<wire::Member>> {
    o.iter().map(|(k, v)| member(k, v)).collect()
}

/// The generic wire value.
pub(crate) fn value(value: &Value) -> Built<wire::Value> {
    use wire::value::Kind;
    let null = || Kind::NullValue(wire::NullValue::NullValue as i32);
    let (kind, items, keys) = match value {
        Value::Null => (null(), vec![], vec![]),
        Value::Bool(b) => (Kind::BoolValue(*b), vec![], vec![]),
        Value::Integer(i) => (Kind::IntegerValue(*i), vec![], vec![]),
        Value::Number(n) => (Kind::NumberLiteral(n.as_str().to_owned()), vec![], vec![]),
        Value::String(s) => (Kind::StringValue(s.clone()), vec![], vec![]),
        // Loops rather than iterator adapters: one stack frame a level, so that the deepest
        // events the model holds encode on a small stack.
        Value::Array(a) => {
            let mut items = Vec::with_capacity(a.len());
            for (i, v) in a.iter().enumerate() {
                items.push(self::value(v).map_err(|u| u.at(exev::Segment::Index(i)))?);
            }
            (Kind::ArrayValue(wire::Array {}), items, vec![])
        }
        Value::Object(o) => {
            let mut items = Vec::with_capacity(o.len());
            for (k, v) in o {
                items.push(self::value(v).map_err(|u| u.key(k))?);
            }
            (
                Kind::ObjectValue(wire::Object {}),
                items,
                o.keys().cloned().collect(),
            )
        }
        // Value is non-exhaustive; a kind added later is refused until taught here, never
        // written as something else.
        other => return Err(Unwritable::unknown_kind(other)),
    };
    Ok(wire::Value {
        kind: Some(kind),
        items,
        keys,
    })
}
