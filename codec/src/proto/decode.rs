//! The reference decoder for the tests: prost's generated code decodes the wire messages,
//! then this converts them to the model with the same checks as the direct decoder
//! (`read.rs`), so that the two can be compared on any input.

use exev::{Event, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Path, Segment, Value};

use super::names;
use super::wire::{self, block::Body, value::Kind};
use crate::{Error, ErrorKind, NumberPolicy, Options, Position};

/// A decoding failure: what is wrong and the path to it, collected innermost first while the
/// failure travels out. The position is added at the top, where the offset is known.
pub(crate) struct Failure {
    kind: ErrorKind,
    reversed_path: Vec<Segment>,
}

impl Failure {
    pub(crate) fn new(kind: ErrorKind) -> Failure {
        Failure {
            kind,
            reversed_path: Vec::new(),
        }
    }

    fn syntax(what: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::Syntax(what.into()))
    }

    fn at(mut self, segment: Segment) -> Failure {
        self.reversed_path.push(segment);
        self
    }

    fn key(self, key: &str) -> Failure {
        self.at(Segment::Key(key.to_owned()))
    }

    /// The finished error, at byte `offset`.
    pub(crate) fn into_error(self, offset: usize) -> Error {
        let mut path = Path::root();
        for segment in self.reversed_path.into_iter().rev() {
            path = match segment {
                Segment::Key(k) => path.key(k),
                Segment::Index(i) => path.index(i),
                _ => path,
            };
        }
        Error::new(self.kind, Some(Position::Binary { offset }), path)
    }
}

type Parsed<T> = Result<T, Failure>;

/// The decoder's limits and policies.
pub(crate) struct Decoder<'a> {
    options: &'a Options,
    max_depth: usize,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(options: &'a Options) -> Decoder<'a> {
        Decoder {
            options,
            max_depth: options.effective_max_depth().min(super::MAX_WIRE_DEPTH),
        }
    }

    /// Entering a container at nesting `level` (the event object is level 1).
    fn enter(&self, level: usize) -> Parsed<()> {
        if level > self.max_depth {
            Err(Failure::new(ErrorKind::TooDeep {
                limit: self.max_depth,
            }))
        } else {
            Ok(())
        }
    }

    fn elements(&self, count: usize) -> Parsed<()> {
        if count > self.options.max_elements {
            Err(Failure::new(ErrorKind::TooManyElements {
                limit: self.options.max_elements,
            }))
        } else {
            Ok(())
        }
    }

    fn string(&self, s: String) -> Parsed<String> {
        if s.len() > self.options.max_string_bytes {
            Err(Failure::new(ErrorKind::StringTooLong {
                limit: self.options.max_string_bytes,
            }))
        } else {
            Ok(s)
        }
    }

    fn integer(&self, i: i64) -> Parsed<Value> {
        if (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) {
            Ok(Value::Integer(i))
        } else if self.options.numbers == NumberPolicy::Lenient {
            Ok(Number::from_literal(&i.to_string()).map_or(Value::Null, Value::Number))
        } else {
            Err(Failure::new(ErrorKind::IntegerOutOfRange(i.to_string())))
        }
    }

    fn number(&self, literal: String) -> Parsed<Value> {
        if self.options.numbers == NumberPolicy::Lenient {
            return Number::from_literal(&literal)
                .map(Value::Number)
                .ok_or_else(|| Failure::syntax(format!("invalid number literal {literal:?}")));
        }
        if Number::from_literal(&literal).is_none() {
            return Err(Failure::syntax(format!(
                "invalid number literal {literal:?}"
            )));
        }
        if literal.contains(['.', 'e', 'E']) {
            Err(Failure::new(ErrorKind::NotAnInteger(literal)))
        } else {
            Err(Failure::new(ErrorKind::IntegerOutOfRange(literal)))
        }
    }

    /// The event of a wire message.
    pub(crate) fn event(&self, e: wire::Event) -> Parsed<Event> {
        self.enter(1)?;
        let wire::Event {
            r#type,
            content,
            event_id,
            sender,
            room_id,
            origin_server_ts,
            state_key,
            unsigned,
            other,
        } = e;
        let event_type = match r#type {
            Some(wire::event::Type::KnownType(n)) => names::event_type_name(n)
                .ok_or_else(|| {
                    Failure::syntax(format!(
                        "unknown EventType number {n} (from a newer schema?)"
                    ))
                    .key("type")
                })?
                .to_owned(),
            Some(wire::event::Type::CustomType(s)) => self.string(s).map_err(|f| f.key("type"))?,
            None => return Err(Failure::syntax("an Event without a type")),
        };
        let mut top = Members::new(self, 1);
        top.put("type", Value::String(event_type));
        let blocks = self.content(content).map_err(|f| f.key("content"))?;
        top.put("content", Value::Object(blocks));
        top.string("event_id", event_id)?;
        top.string("sender", sender)?;
        top.string("room_id", room_id)?;
        top.integer("origin_server_ts", origin_server_ts)?;
        top.string("state_key", state_key)?;
        if let Some(u) = unsigned {
            let mut m = Members::new(self, 2);
            m.integer("age", u.age)?;
            m.string("transaction_id", u.transaction_id)?;
            let u = m.finish(u.extra).map_err(|f| f.key("unsigned"))?;
            top.put("unsigned", u);
        }
        let object = match top.finish(other)? {
            Value::Object(o) => o,
            _ => Object::new(),
        };
        Event::from_object(object).map_err(|e| Failure::new(ErrorKind::Event(e)))
    }

    fn content(&self, blocks: Vec<wire::Block>) -> Parsed<Object> {
        self.enter(2)?;
        self.elements(blocks.len())?;
        let mut out = Object::new();
        for b in blocks {
            let name = match b.name {
                Some(wire::block::Name::KnownName(n)) => names::block_name(n)
                    .ok_or_else(|| {
                        Failure::syntax(format!(
                            "unknown BlockName number {n} (from a newer schema?)"
                        ))
                    })?
                    .to_owned(),
                Some(wire::block::Name::CustomName(s)) => self.string(s)?,
                None => return Err(Failure::syntax("a Block without a name")),
            };
            if out.contains_key(&name) {
                return Err(Failure::new(ErrorKind::DuplicateKey(name.clone())).key(&name));
            }
            let value = match b.body {
                Some(body) => self.body(body, 3),
                None => Err(Failure::syntax("a Block without a body")),
            }
            .map_err(|f| f.key(&name))?;
            out.insert(name, value);
        }
        Ok(out)
    }

    /// A block's value, the block at nesting `level`.
    fn body(&self, body: Body, level: usize) -> Parsed<Value> {
        match body {
            Body::Value(v) => self.value(v, level),
            Body::Text(t) => self.text(t, level),
            Body::File(f) => self.file(*f, level),
            Body::Caption(c) => self.text_holder(c.text, c.extra, level),
            Body::AltText(c) => self.text_holder(c.text, c.extra, level),
            Body::Topic(c) => self.text_holder(c.text, c.extra, level),
            Body::ImageDetails(d) => self.image_details(d, level),
            Body::Thumbnail(t) => {
                self.enter(level)?;
                self.elements(t.images.len())?;
                let mut out = Vec::with_capacity(t.images.len());
                for (i, image) in t.images.into_iter().enumerate() {
                    let mut m = Members::new(self, level + 1);
                    if let Some(f) = image.file {
                        let f = self.file(f, level + 2).map_err(|e| e.key("m.file"))?;
                        m.put("m.file", f);
                    }
                    if let Some(d) = image.image_details {
                        let d = self
                            .image_details(d, level + 2)
                            .map_err(|e| e.key("m.image_details"))?;
                        m.put("m.image_details", d);
                    }
                    out.push(m.finish(image.extra).map_err(|e| e.at(Segment::Index(i)))?);
                }
                Ok(Value::Array(out))
            }
            Body::VideoDetails(d) => {
                let mut m = Members::new(self, level);
                m.integer("width", d.width)?;
                m.integer("height", d.height)?;
                m.integer("duration", d.duration)?;
                m.finish(d.extra)
            }
            Body::AudioDetails(d) => {
                let mut m = Members::new(self, level);
                m.integer("duration", d.duration)?;
                if let Some(w) = d.waveform {
                    let w = self
                        .integers(w.values, level + 1)
                        .map_err(|f| f.key("waveform"))?;
                    m.put("waveform", w);
                }
                if let Some(w) = d.unstable_waveform {
                    let key = "org.matrix.msc3246.waveform";
                    let w = self.integers(w.values, level + 1).map_err(|f| f.key(key))?;
                    m.put(key, w);
                }
                m.finish(d.extra)
            }
            Body::Automated(b) => Ok(Value::Bool(b)),
            Body::Location(l) => {
                let mut m = Members::new(self, level);
                m.string("uri", l.uri)?;
                m.string("description", l.description)?;
                m.integer("zoom_level", l.zoom_level)?;
                m.finish(l.extra)
            }
            Body::Mentions(x) => {
                let mut m = Members::new(self, level);
                if let Some(ids) = x.user_ids {
                    let ids = self
                        .strings(ids.values, level + 1)
                        .map_err(|f| f.key("user_ids"))?;
                    m.put("user_ids", ids);
                }
                m.boolean("room", x.room);
                m.finish(x.extra)
            }
            Body::RelatesTo(r) => {
                let mut m = Members::new(self, level);
                m.string("rel_type", r.rel_type)?;
                m.string("event_id", r.event_id)?;
                m.string("key", r.key)?;
                m.boolean("is_falling_back", r.is_falling_back);
                if let Some(reply) = r.in_reply_to {
                    let mut inner = Members::new(self, level + 1);
                    inner.string("event_id", reply.event_id)?;
                    let reply = inner
                        .finish(reply.extra)
                        .map_err(|f| f.key("m.in_reply_to"))?;
                    m.put("m.in_reply_to", reply);
                }
                m.finish(r.extra)
            }
            Body::Asset(a) => {
                let mut m = Members::new(self, level);
                m.string("type", a.r#type)?;
                m.finish(a.extra)
            }
            Body::Ts(i) => self.integer(i),
            Body::Poll(p) => self.poll(*p, level),
            Body::Selections(s) => self.strings(s.values, level),
            Body::PollResults(r) => {
                let mut m = Members::new(self, level);
                for (key, count) in r.counts {
                    let key = self.string(key)?;
                    let count = self.integer(count).map_err(|f| f.key(&key))?;
                    m.put_owned(key, count);
                }
                m.finish(r.extra)
            }
            Body::Encrypted(x) => {
                let mut m = Members::new(self, level);
                m.string("algorithm", x.algorithm)?;
                m.string("ciphertext", x.ciphertext)?;
                m.string("sender_key", x.sender_key)?;
                m.string("device_id", x.device_id)?;
                m.string("session_id", x.session_id)?;
                m.finish(x.extra)
            }
        }
    }

    /// `m.text` at nesting `level`.
    fn text(&self, t: wire::Text, level: usize) -> Parsed<Value> {
        self.enter(level)?;
        self.elements(t.representations.len())?;
        let mut out = Vec::with_capacity(t.representations.len());
        for (i, r) in t.representations.into_iter().enumerate() {
            let mut m = Members::new(self, level + 1);
            let built = m
                .string("body", r.body)
                .and_then(|()| m.string("mimetype", r.mimetype))
                .and_then(|()| m.string("lang", r.lang))
                .and_then(|()| m.finish(r.extra));
            out.push(built.map_err(|f| f.at(Segment::Index(i)))?);
        }
        Ok(Value::Array(out))
    }

    fn text_holder(
        &self,
        text: Option<wire::Text>,
        extra: Vec<wire::Member>,
        level: usize,
    ) -> Parsed<Value> {
        let mut m = Members::new(self, level);
        if let Some(t) = text {
            let t = self.text(t, level + 1).map_err(|f| f.key("m.text"))?;
            m.put("m.text", t);
        }
        m.finish(extra)
    }

    fn file(&self, f: wire::File, level: usize) -> Parsed<Value> {
        let mut m = Members::new(self, level);
        m.string("url", f.url)?;
        m.string("name", f.name)?;
        m.string("mimetype", f.mimetype)?;
        m.integer("size", f.size)?;
        if let Some(e) = f.encryption {
            let key = Members::new(self, level + 1)
                .finish(e.key)
                .map_err(|f| f.key("key"))?;
            m.put("key", key);
            m.string("iv", Some(e.iv))?;
            let mut hashes = Members::new(self, level + 1);
            for (algorithm, hash) in e.hashes {
                let algorithm = self.string(algorithm).map_err(|f| f.key("hashes"))?;
                let hash = self
                    .string(hash)
                    .map_err(|f| f.key(&algorithm).key("hashes"))?;
                hashes.put_owned(algorithm, Value::String(hash));
            }
            let hashes = hashes.finish(Vec::new()).map_err(|f| f.key("hashes"))?;
            m.put("hashes", hashes);
            m.string("v", Some(e.v))?;
        }
        m.finish(f.extra)
    }

    fn image_details(&self, d: wire::ImageDetails, level: usize) -> Parsed<Value> {
        let mut m = Members::new(self, level);
        m.integer("width", d.width)?;
        m.integer("height", d.height)?;
        m.boolean("m.sticker", d.sticker);
        m.finish(d.extra)
    }

    fn poll(&self, p: wire::Poll, level: usize) -> Parsed<Value> {
        let mut m = Members::new(self, level);
        m.string("kind", p.kind)?;
        m.integer("max_selections", p.max_selections)?;
        if let Some(q) = p.question {
            let q = self
                .text_holder(q.text, q.extra, level + 1)
                .map_err(|f| f.key("question"))?;
            m.put("question", q);
        }
        let answers = (|| {
            self.enter(level + 1)?;
            self.elements(p.answers.len())?;
            let mut out = Vec::with_capacity(p.answers.len());
            for (i, a) in p.answers.into_iter().enumerate() {
                let mut am = Members::new(self, level + 2);
                let built = am.string("m.id", a.id).and_then(|()| {
                    if let Some(t) = a.text {
                        let t = self.text(t, level + 3).map_err(|f| f.key("m.text"))?;
                        am.put("m.text", t);
                    }
                    am.finish(a.extra)
                });
                out.push(built.map_err(|f| f.at(Segment::Index(i)))?);
            }
            Ok(Value::Array(out))
        })()
        .map_err(|f: Failure| f.key("answers"))?;
        m.put("answers", answers);
        m.finish(p.extra)
    }

    fn strings(&self, values: Vec<String>, level: usize) -> Parsed<Value> {
        self.enter(level)?;
        self.elements(values.len())?;
        values
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                self.string(s)
                    .map(Value::String)
                    .map_err(|f| f.at(Segment::Index(i)))
            })
            .collect::<Parsed<Vec<Value>>>()
            .map(Value::Array)
    }

    fn integers(&self, values: Vec<i64>, level: usize) -> Parsed<Value> {
        self.enter(level)?;
        self.elements(values.len())?;
        values
            .into_iter()
            .enumerate()
            .map(|(i, n)| self.integer(n).map_err(|f| f.at(Segment::Index(i))))
            .collect::<Parsed<Vec<Value>>>()
            .map(Value::Array)
    }

    /// A generic value; containers are at nesting `level`.
    pub(crate) fn value(&self, v: wire::Value, level: usize) -> Parsed<Value> {
        let wire::Value { kind, items, keys } = v;
        let scalar = |value: Parsed<Value>| {
            if items.is_empty() && keys.is_empty() {
                value
            } else {
                Err(Failure::syntax(
                    "a scalar Value with items or keys (only arrays and objects have them)",
                ))
            }
        };
        match kind {
            None => Err(Failure::syntax("a Value with no kind set")),
            Some(Kind::NullValue(0)) => scalar(Ok(Value::Null)),
            Some(Kind::NullValue(n)) => Err(Failure::syntax(format!(
                "NullValue {n}: the only NullValue is 0"
            ))),
            Some(Kind::BoolValue(b)) => scalar(Ok(Value::Bool(b))),
            Some(Kind::IntegerValue(i)) => scalar(self.integer(i)),
            Some(Kind::StringValue(s)) => scalar(self.string(s).map(Value::String)),
            Some(Kind::NumberLiteral(s)) => scalar(self.number(s)),
            Some(Kind::ArrayValue(_)) => {
                if !keys.is_empty() {
                    return Err(Failure::syntax("an array Value with keys"));
                }
                self.enter(level)?;
                self.elements(items.len())?;
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    out.push(
                        self.value(item, level + 1)
                            .map_err(|f| f.at(Segment::Index(i)))?,
                    );
                }
                Ok(Value::Array(out))
            }
            Some(Kind::ObjectValue(_)) => {
                if keys.len() != items.len() {
                    return Err(Failure::syntax(format!(
                        "an object Value with {} keys and {} items",
                        keys.len(),
                        items.len()
                    )));
                }
                self.enter(level)?;
                self.elements(items.len())?;
                let mut out = Object::new();
                for (key, item) in keys.into_iter().zip(items) {
                    let key = self.string(key)?;
                    if out.contains_key(&key) {
                        return Err(Failure::new(ErrorKind::DuplicateKey(key.clone())).key(&key));
                    }
                    let item = self.value(item, level + 1).map_err(|f| f.key(&key))?;
                    out.insert(key, item);
                }
                Ok(Value::Object(out))
            }
        }
    }
}

/// An object being rebuilt from a typed message: its typed fields, then its `extra` members,
/// gathered in a vector and sorted once (faster than inserting into the map one by one).
struct Members<'d, 'a> {
    decoder: &'d Decoder<'a>,
    level: usize,
    members: Vec<(String, Value)>,
}

impl<'d, 'a> Members<'d, 'a> {
    fn new(decoder: &'d Decoder<'a>, level: usize) -> Members<'d, 'a> {
        Members {
            decoder,
            level,
            members: Vec::new(),
        }
    }

    fn put(&mut self, key: &'static str, value: Value) {
        self.members.push((key.to_owned(), value));
    }

    fn put_owned(&mut self, key: String, value: Value) {
        self.members.push((key, value));
    }

    fn string(&mut self, key: &'static str, value: Option<String>) -> Parsed<()> {
        if let Some(s) = value {
            let s = self.decoder.string(s).map_err(|f| f.key(key))?;
            self.put(key, Value::String(s));
        }
        Ok(())
    }

    fn integer(&mut self, key: &'static str, value: Option<i64>) -> Parsed<()> {
        if let Some(i) = value {
            let i = self.decoder.integer(i).map_err(|f| f.key(key))?;
            self.put(key, i);
        }
        Ok(())
    }

    fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        if let Some(b) = value {
            self.put(key, Value::Bool(b));
        }
    }

    /// The object, with the `extra` members added: a key present twice is an error.
    fn finish(mut self, extra: Vec<wire::Member>) -> Parsed<Value> {
        self.decoder.enter(self.level)?;
        self.decoder
            .elements(self.members.len().saturating_add(extra.len()))?;
        self.members.reserve(extra.len());
        for m in extra {
            let key = self.decoder.string(m.key)?;
            let value = match m.value {
                Some(v) => self.decoder.value(v, self.level + 1),
                None => Err(Failure::syntax("a Member without a value")),
            }
            .map_err(|f| f.key(&key))?;
            self.members.push((key, value));
        }
        self.members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if let Some(key) = self.members.windows(2).find_map(|w| match w {
            [a, b] if a.0 == b.0 => Some(a.0.clone()),
            _ => None,
        }) {
            return Err(Failure::new(ErrorKind::DuplicateKey(key.clone())).key(&key));
        }
        Ok(Value::Object(self.members.into_iter().collect()))
    }
}
