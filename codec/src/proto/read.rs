//! The Protobuf decoder: one pass over the wire bytes of an `exev.v1.Event`, straight into the
//! model, with the byte offset of whatever is wrong.
//!
//! Built for speed where the model lets it: the event is built from its parts (never a map
//! holding `type` and `content` to be taken out again), fields are read inline so they stay
//! in registers, and a generic object in the order exev writes it (the marker, its items, its
//! keys) is read item by item with each key found by a second cursor, gathering nothing.
//!
//! It reads the wire format with the schema's field numbers (the same `.proto` prost's code is
//! generated from, which encodes; the tests decode with prost's code too and compare). Reading
//! directly, rather than through prost's generated structs, means no intermediate messages to
//! allocate and free, exact offsets in errors, and allocation bounded by the input: nothing is
//! reserved from a length the input declares before the bytes are there.
//!
//! Beyond the wire format it enforces what the JSON decoder enforces (the data model and the
//! [`Options`] limits) and the schema's rules (see `value.proto`, `event.proto`). Two rules are
//! stricter than Protobuf's merging: a singular field (or a oneof) given twice is an error, not
//! "last one wins" or a merge, and so is a key given twice in a map, as duplicate keys are in
//! JSON. Unknown fields are skipped; groups (wire types 3 and 4), unused by proto3, are errors.

use exev::{
    Content, Event, EventError, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Segment, Value,
};

use super::names;
pub(crate) use crate::failure::Failure;
use crate::failure::span;
use crate::{ErrorKind, NumberPolicy, Options};

type Parsed<T> = Result<T, Failure>;

/// A field's payload by wire type (fixed-width payloads are skipped: exev.v1 has none).
#[derive(Clone, Copy)]
enum Wire<'a> {
    Varint(u64),
    Fixed,
    Len(&'a [u8]),
}

/// One field of a message: its number, where its key starts, its payload and where that
/// starts.
#[derive(Clone, Copy)]
struct Field<'a> {
    number: u64,
    at: usize,
    wire: Wire<'a>,
    data_at: usize,
}

impl<'a> Field<'a> {
    fn wrong_wire(&self, what: &str, expected: &str) -> Failure {
        let found = match self.wire {
            Wire::Varint(_) => "a varint",
            Wire::Fixed => "a fixed-width value",
            Wire::Len(_) => "length-delimited bytes",
        };
        Failure::syntax(
            self.at,
            format!(
                "{what} (field {}) must be {expected}, found {found}",
                self.number
            ),
        )
    }

    fn varint(&self, what: &str) -> Parsed<u64> {
        match self.wire {
            Wire::Varint(v) => Ok(v),
            _ => Err(self.wrong_wire(what, "a varint")),
        }
    }

    fn bytes(&self, what: &str) -> Parsed<&'a [u8]> {
        match self.wire {
            Wire::Len(b) => Ok(b),
            _ => Err(self.wrong_wire(what, "length-delimited")),
        }
    }

    fn twice(&self, what: &str) -> Failure {
        Failure::syntax(
            self.at,
            format!(
                "{what} (field {}) given twice: exev reads each singular field once",
                self.number
            ),
        )
    }
}

/// The fields of one message, in order.
struct Fields<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Fields<'a> {
    /// The fields of the message `bytes`, which start at absolute offset `base`.
    fn new(bytes: &'a [u8], base: usize) -> Fields<'a> {
        Fields {
            bytes,
            pos: 0,
            base,
        }
    }

    #[inline]
    fn varint(&mut self) -> Parsed<u64> {
        // Most varints here (keys, lengths, small integers) are one byte.
        if let Some(&b) = self.bytes.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            return Ok(u64::from(b));
        }
        self.varint_slow()
    }

    #[cold]
    fn varint_slow(&mut self) -> Parsed<u64> {
        let start = self.base + self.pos;
        let mut value: u64 = 0;
        for i in 0..10 {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(Failure::new(
                    self.base + self.pos,
                    ErrorKind::UnexpectedEnd {
                        expected: "the rest of a varint",
                    },
                ));
            };
            self.pos += 1;
            // The tenth byte may only hold the top bit of a u64.
            if i == 9 && b > 1 {
                break;
            }
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Failure::syntax(start, "over-long varint"))
    }

    fn skip(&mut self, n: usize) -> Parsed<()> {
        if self.bytes.len() - self.pos < n {
            return Err(Failure::new(
                self.base + self.bytes.len(),
                ErrorKind::UnexpectedEnd {
                    expected: "the rest of a fixed-width value",
                },
            ));
        }
        self.pos += n;
        Ok(())
    }

    // Inlined so that the field stays in registers: returned through memory, its reload
    // stalled on store forwarding and cost more than the reading itself.
    #[inline(always)]
    fn next_field(&mut self) -> Parsed<Option<Field<'a>>> {
        if self.pos >= self.bytes.len() {
            return Ok(None);
        }
        let at = self.base + self.pos;
        let key = self.varint()?;
        let number = key >> 3;
        if number == 0 || number > (1 << 29) - 1 {
            return Err(Failure::syntax(
                at,
                format!("invalid field number {number}"),
            ));
        }
        let wire = match key & 7 {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.skip(8)?;
                Wire::Fixed
            }
            5 => {
                self.skip(4)?;
                Wire::Fixed
            }
            2 => {
                let len_at = self.base + self.pos;
                let len = self.varint()?;
                let rest = self.bytes.len() - self.pos;
                let len = usize::try_from(len).unwrap_or(usize::MAX);
                if len > rest {
                    return Err(Failure::new(
                        len_at,
                        ErrorKind::UnexpectedEnd {
                            expected: "as many bytes as the length says",
                        },
                    ));
                }
                let start = self.pos;
                self.pos += len;
                let data_at = self.base + start;
                let data = span(self.bytes, start..self.pos)?;
                return Ok(Some(Field {
                    number,
                    at,
                    wire: Wire::Len(data),
                    data_at,
                }));
            }
            3 | 4 => {
                return Err(Failure::syntax(
                    at,
                    "a group (wire type 3 or 4): exev.v1 has none",
                ));
            }
            w => return Err(Failure::syntax(at, format!("invalid wire type {w}"))),
        };
        Ok(Some(Field {
            number,
            at,
            wire,
            data_at: self.base + self.pos,
        }))
    }
}

/// What a typed field of an object-shaped block message holds.
#[derive(Clone, Copy)]
enum Kind {
    /// An `optional string`: the member `key` with a string value.
    Str(&'static str),
    /// An `optional int64`: an integer.
    Int(&'static str),
    /// An `optional bool`: a boolean.
    Bool(&'static str),
    /// A `Text` message: the `m.text` array.
    Text(&'static str),
    /// An object-shaped message with this layout.
    Obj(&'static str, &'static [(u64, Kind)]),
    /// A `Strings` message: an array of strings.
    Strings(&'static str),
    /// An `Integers` message: an array of integers.
    Integers(&'static str),
    /// `File.encryption`: the members `key`, `iv`, `hashes` and `v`.
    Encryption,
    /// `Poll.answers`: repeated, always present as an array.
    Answers,
    /// `PollResults.counts`: map entries, each a member with an integer value.
    Counts,
}

/// The typed fields of each object-shaped message (field 100, `extra`, is in all of them).
const TEXT_REPRESENTATION: &[(u64, Kind)] = &[
    (1, Kind::Str("body")),
    (2, Kind::Str("mimetype")),
    (3, Kind::Str("lang")),
];
const FILE: &[(u64, Kind)] = &[
    (1, Kind::Str("url")),
    (2, Kind::Str("name")),
    (3, Kind::Str("mimetype")),
    (4, Kind::Int("size")),
    (5, Kind::Encryption),
];
const TEXT_HOLDER: &[(u64, Kind)] = &[(1, Kind::Text("m.text"))];
const IMAGE_DETAILS: &[(u64, Kind)] = &[
    (1, Kind::Int("width")),
    (2, Kind::Int("height")),
    (3, Kind::Bool("m.sticker")),
];
const THUMBNAIL_IMAGE: &[(u64, Kind)] = &[
    (1, Kind::Obj("m.file", FILE)),
    (2, Kind::Obj("m.image_details", IMAGE_DETAILS)),
];
const VIDEO_DETAILS: &[(u64, Kind)] = &[
    (1, Kind::Int("width")),
    (2, Kind::Int("height")),
    (3, Kind::Int("duration")),
];
const AUDIO_DETAILS: &[(u64, Kind)] = &[
    (1, Kind::Int("duration")),
    (2, Kind::Integers("waveform")),
    (3, Kind::Integers("org.matrix.msc3246.waveform")),
];
const LOCATION: &[(u64, Kind)] = &[
    (1, Kind::Str("uri")),
    (2, Kind::Str("description")),
    (3, Kind::Int("zoom_level")),
];
const MENTIONS: &[(u64, Kind)] = &[(1, Kind::Strings("user_ids")), (2, Kind::Bool("room"))];
const IN_REPLY_TO: &[(u64, Kind)] = &[(1, Kind::Str("event_id"))];
const RELATES_TO: &[(u64, Kind)] = &[
    (1, Kind::Str("rel_type")),
    (2, Kind::Str("event_id")),
    (3, Kind::Obj("m.in_reply_to", IN_REPLY_TO)),
    (4, Kind::Str("key")),
    (5, Kind::Bool("is_falling_back")),
];
const ASSET: &[(u64, Kind)] = &[(1, Kind::Str("type"))];
const POLL: &[(u64, Kind)] = &[
    (1, Kind::Str("kind")),
    (2, Kind::Int("max_selections")),
    (3, Kind::Obj("question", TEXT_HOLDER)),
    (4, Kind::Answers),
];
const POLL_ANSWER: &[(u64, Kind)] = &[(1, Kind::Str("m.id")), (2, Kind::Text("m.text"))];
const POLL_RESULTS: &[(u64, Kind)] = &[(1, Kind::Counts)];
const ENCRYPTED: &[(u64, Kind)] = &[
    (1, Kind::Str("algorithm")),
    (2, Kind::Str("ciphertext")),
    (3, Kind::Str("sender_key")),
    (4, Kind::Str("device_id")),
    (5, Kind::Str("session_id")),
];
const UNSIGNED: &[(u64, Kind)] = &[(1, Kind::Int("age")), (2, Kind::Str("transaction_id"))];

/// The field number of `extra` in every object-shaped message.
const EXTRA: u64 = 100;

/// The field numbers of the schema's messages that the decoder reads by number (the
/// object-shaped blocks' are in their layouts above). The test
/// `field_numbers_are_the_schemas` checks each one, and each layout, against
/// `schemas/proto/exev/v1/*.proto`, the one source of them.
mod field {
    pub(super) const EVENT_KNOWN_TYPE: u64 = 1;
    pub(super) const EVENT_CUSTOM_TYPE: u64 = 2;
    pub(super) const EVENT_CONTENT: u64 = 3;
    pub(super) const EVENT_EVENT_ID: u64 = 4;
    pub(super) const EVENT_SENDER: u64 = 5;
    pub(super) const EVENT_ROOM_ID: u64 = 6;
    pub(super) const EVENT_ORIGIN_SERVER_TS: u64 = 7;
    pub(super) const EVENT_STATE_KEY: u64 = 8;
    pub(super) const EVENT_UNSIGNED: u64 = 9;
    pub(super) const EVENT_OTHER: u64 = 15;
    pub(super) const BLOCK_KNOWN_NAME: u64 = 1;
    pub(super) const BLOCK_CUSTOM_NAME: u64 = 2;
    pub(super) const BLOCK_VALUE: u64 = 3;
    pub(super) const BLOCK_TEXT: u64 = 4;
    pub(super) const BLOCK_FILE: u64 = 5;
    pub(super) const BLOCK_CAPTION: u64 = 6;
    pub(super) const BLOCK_IMAGE_DETAILS: u64 = 7;
    pub(super) const BLOCK_THUMBNAIL: u64 = 8;
    pub(super) const BLOCK_ALT_TEXT: u64 = 9;
    pub(super) const BLOCK_VIDEO_DETAILS: u64 = 10;
    pub(super) const BLOCK_AUDIO_DETAILS: u64 = 11;
    pub(super) const BLOCK_AUTOMATED: u64 = 12;
    pub(super) const BLOCK_LOCATION: u64 = 13;
    pub(super) const BLOCK_MENTIONS: u64 = 14;
    pub(super) const BLOCK_RELATES_TO: u64 = 15;
    pub(super) const BLOCK_ASSET: u64 = 16;
    pub(super) const BLOCK_TS: u64 = 17;
    pub(super) const BLOCK_TOPIC: u64 = 18;
    pub(super) const BLOCK_POLL: u64 = 19;
    pub(super) const BLOCK_SELECTIONS: u64 = 20;
    pub(super) const BLOCK_POLL_RESULTS: u64 = 21;
    pub(super) const BLOCK_ENCRYPTED: u64 = 22;
    pub(super) const MEMBER_KEY: u64 = 1;
    pub(super) const MEMBER_VALUE: u64 = 2;
    pub(super) const VALUE_NULL: u64 = 1;
    pub(super) const VALUE_BOOL: u64 = 2;
    pub(super) const VALUE_INTEGER: u64 = 3;
    pub(super) const VALUE_STRING: u64 = 4;
    pub(super) const VALUE_ARRAY: u64 = 5;
    pub(super) const VALUE_OBJECT: u64 = 6;
    pub(super) const VALUE_NUMBER_LITERAL: u64 = 7;
    pub(super) const VALUE_ITEMS: u64 = 8;
    pub(super) const VALUE_KEYS: u64 = 9;
    pub(super) const ENCRYPTED_FILE_KEY: u64 = 1;
    pub(super) const ENCRYPTED_FILE_IV: u64 = 2;
    pub(super) const ENCRYPTED_FILE_HASHES: u64 = 3;
    pub(super) const ENCRYPTED_FILE_V: u64 = 4;
    /// The element field of the array messages: `Text.representations`, `Thumbnail.images`,
    /// `Selections.values`, `Strings.values`, `Integers.values`.
    pub(super) const ELEMENTS: u64 = 1;
    /// A map entry's key and value (fixed by the Protobuf language for every `map<K, V>`).
    pub(super) const MAP_KEY: u64 = 1;
    pub(super) const MAP_VALUE: u64 = 2;
}

/// The key byte of `Value.object_value` (length-delimited), which exev writes first in an
/// object, with length 0: `(6 << 3) | 2`.
const OBJECT_MARKER_KEY: u8 = 0x32;

/// An object being read, its keys checked for duplicates as they come.
struct Members {
    members: Object,
}

impl Members {
    fn new() -> Members {
        Members {
            members: Object::new(),
        }
    }

    fn finish(self) -> Parsed<Object> {
        Ok(self.members)
    }
}

/// The decoder's limits and policies.
pub(crate) struct Reader<'o> {
    options: &'o Options,
    max_depth: usize,
}

impl<'o> Reader<'o> {
    pub(crate) fn new(options: &'o Options) -> Reader<'o> {
        Reader {
            options,
            max_depth: options.effective_max_depth().min(super::MAX_WIRE_DEPTH),
        }
    }

    /// Entering a container at nesting `level` (the event object is level 1).
    fn enter(&self, level: usize, at: usize) -> Parsed<()> {
        if level > self.max_depth {
            Err(Failure::new(
                at,
                ErrorKind::TooDeep {
                    limit: self.max_depth,
                },
            ))
        } else {
            Ok(())
        }
    }

    /// Refuses one more element when `count` are already there and that is the limit.
    fn one_more(&self, count: usize, at: usize) -> Parsed<()> {
        if count >= self.options.max_elements {
            Err(Failure::new(
                at,
                ErrorKind::TooManyElements {
                    limit: self.options.max_elements,
                },
            ))
        } else {
            Ok(())
        }
    }

    fn push(&self, m: &mut Members, key: String, value: Value, at: usize) -> Parsed<()> {
        self.one_more(m.members.len(), at)?;
        match m.members.entry(key) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(value);
                Ok(())
            }
            std::collections::btree_map::Entry::Occupied(slot) => {
                let key = slot.key().clone();
                Err(Failure::new(at, ErrorKind::DuplicateKey(key.clone())).key(&key))
            }
        }
    }

    fn string(&self, f: &Field<'_>, what: &str) -> Parsed<String> {
        let bytes = f.bytes(what)?;
        if bytes.len() > self.options.max_string_bytes {
            return Err(Failure::new(
                f.data_at,
                ErrorKind::StringTooLong {
                    limit: self.options.max_string_bytes,
                },
            ));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => Err(Failure::new(
                f.data_at + e.valid_up_to(),
                ErrorKind::InvalidUtf8,
            )),
        }
    }

    fn integer(&self, i: i64, at: usize) -> Parsed<Value> {
        if (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) {
            Ok(Value::Integer(i))
        } else if self.options.numbers == NumberPolicy::Lenient {
            Ok(Number::from_literal(&i.to_string()).map_or(Value::Null, Value::Number))
        } else {
            Err(Failure::new(
                at,
                ErrorKind::IntegerOutOfRange(i.to_string()),
            ))
        }
    }

    fn number(&self, literal: String, at: usize) -> Parsed<Value> {
        let Some(number) = Number::from_literal(&literal) else {
            return Err(Failure::syntax(
                at,
                format!("invalid number literal {literal:?}"),
            ));
        };
        if self.options.numbers == NumberPolicy::Lenient {
            Ok(Value::Number(number))
        } else if literal.contains(['.', 'e', 'E']) {
            Err(Failure::new(at, ErrorKind::NotAnInteger(literal)))
        } else {
            Err(Failure::new(at, ErrorKind::IntegerOutOfRange(literal)))
        }
    }

    /// The event whose message is `bytes`, starting at absolute offset `base`.
    pub(crate) fn event(&self, bytes: &[u8], base: usize) -> Parsed<Event> {
        self.enter(1, base)?;
        let mut event_type: Option<(String, usize)> = None;
        let mut blocks = Members::new();
        let mut top = Members::new();
        let mut seen = 0u32;
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            match f.number {
                field::EVENT_KNOWN_TYPE | field::EVENT_CUSTOM_TYPE => {
                    if event_type.is_some() {
                        return Err(f.twice("Event.type"));
                    }
                    let name = if f.number == field::EVENT_KNOWN_TYPE {
                        let n = f.varint("Event.known_type")?;
                        i32::try_from(n)
                            .ok()
                            .and_then(names::event_type_name)
                            .map(str::to_owned)
                            .ok_or_else(|| {
                                Failure::syntax(
                                    f.at,
                                    format!("unknown EventType number {n} (from a newer schema?)"),
                                )
                                .key("type")
                            })?
                    } else {
                        self.string(&f, "Event.custom_type")
                            .map_err(|e| e.key("type"))?
                    };
                    event_type = Some((name, f.at));
                }
                field::EVENT_CONTENT => {
                    self.enter(2, f.at)?;
                    let (name, value) = self
                        .block(f.bytes("Event.content")?, f.data_at)
                        .map_err(|e| e.key("content"))?;
                    self.push(&mut blocks, name, value, f.at)
                        .map_err(|e| e.key("content"))?;
                }
                field::EVENT_EVENT_ID..=field::EVENT_UNSIGNED => {
                    let bit = 1u32 << f.number;
                    if seen & bit != 0 {
                        return Err(f.twice("an Event field"));
                    }
                    seen |= bit;
                    let (key, value) = match f.number {
                        field::EVENT_EVENT_ID => (
                            "event_id",
                            Value::String(self.string(&f, "Event.event_id")?),
                        ),
                        field::EVENT_SENDER => {
                            ("sender", Value::String(self.string(&f, "Event.sender")?))
                        }
                        field::EVENT_ROOM_ID => {
                            ("room_id", Value::String(self.string(&f, "Event.room_id")?))
                        }
                        field::EVENT_ORIGIN_SERVER_TS => {
                            #[allow(clippy::cast_possible_wrap)]
                            let i = f.varint("Event.origin_server_ts")? as i64;
                            let v = self
                                .integer(i, f.at)
                                .map_err(|e| e.key("origin_server_ts"))?;
                            ("origin_server_ts", v)
                        }
                        field::EVENT_STATE_KEY => (
                            "state_key",
                            Value::String(self.string(&f, "Event.state_key")?),
                        ),
                        _ => {
                            let v = self
                                .object(UNSIGNED, f.bytes("Event.unsigned")?, f.data_at, 2)
                                .map_err(|e| e.key("unsigned"))?;
                            ("unsigned", v)
                        }
                    };
                    self.push(&mut top, key.to_owned(), value, f.at)?;
                }
                field::EVENT_OTHER => {
                    let (key, value) = self.member(&f, 2)?;
                    self.push(&mut top, key, value, f.at)?;
                }
                _ => {}
            }
        }
        let Some((event_type, type_at)) = event_type else {
            return Err(Failure::syntax(base, "an Event without a type"));
        };
        let content = blocks.finish().map_err(|e| e.key("content"))?;
        let other = top.finish()?;
        // `type` and `content` count as members of the event object, as they do in JSON.
        self.one_more(other.len(), type_at)?;
        self.one_more(other.len() + 1, base)?;
        Event::from_parts(event_type, Content::from_object(content), other).map_err(|e| {
            // Only a member `type` or `content` among the others (field 15) fails here: a
            // duplicate key, at the event type for `type`.
            let (field, at) = match e {
                EventError::Duplicate("type") => ("type", type_at),
                EventError::Duplicate(field) => (field, base),
                _ => return Failure::new(base, ErrorKind::Event(e)),
            };
            Failure::new(at, ErrorKind::DuplicateKey(field.to_owned())).key(field)
        })
    }

    /// A `Block` message: its name and value (at level 3).
    fn block(&self, bytes: &[u8], base: usize) -> Parsed<(String, Value)> {
        let mut name: Option<String> = None;
        let mut body: Option<Field<'_>> = None;
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            match f.number {
                field::BLOCK_KNOWN_NAME | field::BLOCK_CUSTOM_NAME => {
                    if name.is_some() {
                        return Err(f.twice("Block.name"));
                    }
                    name = Some(if f.number == field::BLOCK_KNOWN_NAME {
                        let n = f.varint("Block.known_name")?;
                        i32::try_from(n)
                            .ok()
                            .and_then(names::block_name)
                            .map(str::to_owned)
                            .ok_or_else(|| {
                                Failure::syntax(
                                    f.at,
                                    format!("unknown BlockName number {n} (from a newer schema?)"),
                                )
                            })?
                    } else {
                        self.string(&f, "Block.custom_name")?
                    });
                }
                field::BLOCK_VALUE..=field::BLOCK_ENCRYPTED => {
                    if body.is_some() {
                        return Err(f.twice("Block.body"));
                    }
                    body = Some(f);
                }
                _ => {}
            }
        }
        let Some(name) = name else {
            return Err(Failure::syntax(base, "a Block without a name"));
        };
        let Some(body) = body else {
            return Err(Failure::syntax(base, "a Block without a body").key(&name));
        };
        let value = self.body(&body, 3).map_err(|e| e.key(&name))?;
        Ok((name, value))
    }

    /// A block's value from its `Block.body` field, the block at nesting `level`.
    fn body(&self, f: &Field<'_>, level: usize) -> Parsed<Value> {
        let at = f.data_at;
        let obj = |layout: &'static [(u64, Kind)]| -> Parsed<Value> {
            self.object(layout, f.bytes("a Block body")?, at, level)
        };
        match f.number {
            field::BLOCK_VALUE => self.value(f.bytes("Block.value")?, at, level),
            field::BLOCK_TEXT => self.text(f.bytes("Block.text")?, at, level),
            field::BLOCK_FILE => obj(FILE),
            field::BLOCK_CAPTION | field::BLOCK_ALT_TEXT | field::BLOCK_TOPIC => obj(TEXT_HOLDER),
            field::BLOCK_IMAGE_DETAILS => obj(IMAGE_DETAILS),
            field::BLOCK_THUMBNAIL => {
                self.array_of(f.bytes("Block.thumbnail")?, at, level, |r, f, level| {
                    r.object(
                        THUMBNAIL_IMAGE,
                        f.bytes("Thumbnail.images")?,
                        f.data_at,
                        level,
                    )
                })
            }
            field::BLOCK_VIDEO_DETAILS => obj(VIDEO_DETAILS),
            field::BLOCK_AUDIO_DETAILS => obj(AUDIO_DETAILS),
            field::BLOCK_AUTOMATED => Ok(Value::Bool(f.varint("Block.automated")? != 0)),
            field::BLOCK_LOCATION => obj(LOCATION),
            field::BLOCK_MENTIONS => obj(MENTIONS),
            field::BLOCK_RELATES_TO => obj(RELATES_TO),
            field::BLOCK_ASSET => obj(ASSET),
            #[allow(clippy::cast_possible_wrap)]
            field::BLOCK_TS => self.integer(f.varint("Block.ts")? as i64, f.at),
            field::BLOCK_POLL => obj(POLL),
            field::BLOCK_SELECTIONS => {
                self.array_of(f.bytes("Block.selections")?, at, level, |r, f, _| {
                    r.string(f, "Selections.values").map(Value::String)
                })
            }
            field::BLOCK_POLL_RESULTS => obj(POLL_RESULTS),
            _ => obj(ENCRYPTED),
        }
    }

    /// An array from the repeated field 1 of the message `bytes`: `Text`, `Thumbnail`,
    /// `Selections`, `Strings`. Other fields are skipped.
    fn array_of(
        &self,
        bytes: &[u8],
        base: usize,
        level: usize,
        element: impl Fn(&Self, &Field<'_>, usize) -> Parsed<Value>,
    ) -> Parsed<Value> {
        self.enter(level, base)?;
        let mut out = Vec::new();
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            if f.number == field::ELEMENTS {
                self.one_more(out.len(), f.at)?;
                let index = out.len();
                out.push(element(self, &f, level + 1).map_err(|e| e.at(Segment::Index(index)))?);
            }
        }
        Ok(Value::Array(out))
    }

    /// `m.text` from a `Text` message.
    fn text(&self, bytes: &[u8], base: usize, level: usize) -> Parsed<Value> {
        self.array_of(bytes, base, level, |r, f, level| {
            r.object(
                TEXT_REPRESENTATION,
                f.bytes("Text.representations")?,
                f.data_at,
                level,
            )
        })
    }

    /// An `Integers` message: field 1, packed or not.
    fn integers(&self, bytes: &[u8], base: usize, level: usize) -> Parsed<Value> {
        self.enter(level, base)?;
        let mut out = Vec::new();
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            if f.number != field::ELEMENTS {
                continue;
            }
            match f.wire {
                Wire::Varint(v) => {
                    self.one_more(out.len(), f.at)?;
                    let index = out.len();
                    #[allow(clippy::cast_possible_wrap)]
                    out.push(
                        self.integer(v as i64, f.at)
                            .map_err(|e| e.at(Segment::Index(index)))?,
                    );
                }
                Wire::Len(packed) => {
                    let mut values = Fields::new(packed, f.data_at);
                    while values.pos < packed.len() {
                        let at = values.base + values.pos;
                        let v = values.varint()?;
                        self.one_more(out.len(), at)?;
                        let index = out.len();
                        #[allow(clippy::cast_possible_wrap)]
                        out.push(
                            self.integer(v as i64, at)
                                .map_err(|e| e.at(Segment::Index(index)))?,
                        );
                    }
                }
                Wire::Fixed => return Err(f.wrong_wire("Integers.values", "varints")),
            }
        }
        Ok(Value::Array(out))
    }

    /// An object-shaped message with the typed fields `layout` and `extra` (field 100).
    fn object(
        &self,
        layout: &'static [(u64, Kind)],
        bytes: &[u8],
        base: usize,
        level: usize,
    ) -> Parsed<Value> {
        self.enter(level, base)?;
        let mut m = Members::new();
        let mut seen = 0u32;
        let mut answers: Option<Vec<Value>> = None;
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            if f.number == EXTRA {
                let (key, value) = self.member(&f, level + 1)?;
                self.push(&mut m, key, value, f.at)?;
                continue;
            }
            // Every layout numbers its fields 1, 2, 3, ... (checked by a test).
            let index = usize::try_from(f.number.wrapping_sub(1)).unwrap_or(usize::MAX);
            let Some(&(_, kind)) = layout.get(index) else {
                continue;
            };
            match kind {
                Kind::Answers => {
                    let list = answers.get_or_insert_with(Vec::new);
                    self.enter(level + 1, f.at).map_err(|e| e.key("answers"))?;
                    self.one_more(list.len(), f.at)
                        .map_err(|e| e.key("answers"))?;
                    let i = list.len();
                    let answer = self
                        .object(POLL_ANSWER, f.bytes("Poll.answers")?, f.data_at, level + 2)
                        .map_err(|e| e.at(Segment::Index(i)).key("answers"))?;
                    list.push(answer);
                    continue;
                }
                Kind::Counts => {
                    let (key, count) = self.count_entry(&f)?;
                    self.push(&mut m, key, count, f.at)?;
                    continue;
                }
                _ => {}
            }
            let bit = 1u32 << index;
            if seen & bit != 0 {
                return Err(f.twice("a typed block field"));
            }
            seen |= bit;
            let (key, value) = match kind {
                Kind::Str(key) => (
                    key,
                    Value::String(self.string(&f, key).map_err(|e| e.key(key))?),
                ),
                #[allow(clippy::cast_possible_wrap)]
                Kind::Int(key) => (
                    key,
                    self.integer(f.varint(key)? as i64, f.at)
                        .map_err(|e| e.key(key))?,
                ),
                Kind::Bool(key) => (key, Value::Bool(f.varint(key)? != 0)),
                Kind::Text(key) => (
                    key,
                    self.text(f.bytes(key)?, f.data_at, level + 1)
                        .map_err(|e| e.key(key))?,
                ),
                Kind::Obj(key, inner) => (
                    key,
                    self.object(inner, f.bytes(key)?, f.data_at, level + 1)
                        .map_err(|e| e.key(key))?,
                ),
                Kind::Strings(key) => (
                    key,
                    self.array_of(f.bytes(key)?, f.data_at, level + 1, |r, f, _| {
                        r.string(f, "Strings.values").map(Value::String)
                    })
                    .map_err(|e| e.key(key))?,
                ),
                Kind::Integers(key) => (
                    key,
                    self.integers(f.bytes(key)?, f.data_at, level + 1)
                        .map_err(|e| e.key(key))?,
                ),
                Kind::Encryption => {
                    self.encryption(&mut m, f.bytes("File.encryption")?, f.data_at, level)?;
                    continue;
                }
                Kind::Answers | Kind::Counts => continue,
            };
            self.push(&mut m, key.to_owned(), value, f.at)?;
        }
        // Only `Poll` has answers (its last field), and its `answers` member is there even
        // when empty.
        if matches!(layout.last(), Some((_, Kind::Answers))) {
            self.enter(level + 1, base).map_err(|e| e.key("answers"))?;
            // A repeated field written with no element is absent on the wire: no answers.
            let list = answers.unwrap_or_default();
            self.push(&mut m, "answers".to_owned(), Value::Array(list), base)?;
        }
        m.finish().map(Value::Object)
    }

    /// A `PollResults.counts` map entry: a key and an integer.
    fn count_entry(&self, f: &Field<'_>) -> Parsed<(String, Value)> {
        let mut key = String::new();
        let mut count = (0i64, f.at);
        let mut fields = Fields::new(f.bytes("PollResults.counts")?, f.data_at);
        while let Some(e) = fields.next_field()? {
            match e.number {
                field::MAP_KEY => key = self.string(&e, "a map key")?,
                #[allow(clippy::cast_possible_wrap)]
                field::MAP_VALUE => count = (e.varint("a map value")? as i64, e.at),
                _ => {}
            }
        }
        let value = self.integer(count.0, count.1).map_err(|e| e.key(&key))?;
        Ok((key, value))
    }

    /// `File.encryption`: adds `key`, `iv`, `hashes` and `v` to the file's members.
    fn encryption(&self, m: &mut Members, bytes: &[u8], base: usize, level: usize) -> Parsed<()> {
        let mut key = Members::new();
        let mut hashes = Members::new();
        let mut iv: Option<String> = None;
        let mut v: Option<String> = None;
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            match f.number {
                field::ENCRYPTED_FILE_KEY => {
                    let (k, value) = self.member(&f, level + 2).map_err(|e| e.key("key"))?;
                    self.push(&mut key, k, value, f.at)
                        .map_err(|e| e.key("key"))?;
                }
                field::ENCRYPTED_FILE_IV | field::ENCRYPTED_FILE_V => {
                    let slot = if f.number == field::ENCRYPTED_FILE_IV {
                        &mut iv
                    } else {
                        &mut v
                    };
                    if slot.is_some() {
                        return Err(f.twice("EncryptedFile.iv or v"));
                    }
                    *slot = Some(self.string(&f, "EncryptedFile.iv or v")?);
                }
                field::ENCRYPTED_FILE_HASHES => {
                    let mut algorithm = String::new();
                    let mut hash = String::new();
                    let mut entry = Fields::new(f.bytes("EncryptedFile.hashes")?, f.data_at);
                    while let Some(e) = entry.next_field()? {
                        match e.number {
                            field::MAP_KEY => algorithm = self.string(&e, "a map key")?,
                            field::MAP_VALUE => hash = self.string(&e, "a map value")?,
                            _ => {}
                        }
                    }
                    self.push(&mut hashes, algorithm, Value::String(hash), f.at)
                        .map_err(|e| e.key("hashes"))?;
                }
                _ => {}
            }
        }
        self.enter(level + 1, base)?;
        let key = key.finish().map_err(|e| e.key("key"))?;
        let hashes = hashes.finish().map_err(|e| e.key("hashes"))?;
        self.push(m, "key".to_owned(), Value::Object(key), base)?;
        // `iv` and `v` are proto3 singular strings: prost, like every runtime, leaves an
        // empty one off the wire, so absent reads as "" (proto3's default), not as missing.
        let (iv, v) = (iv.unwrap_or_default(), v.unwrap_or_default());
        self.push(m, "iv".to_owned(), Value::String(iv), base)?;
        self.push(m, "hashes".to_owned(), Value::Object(hashes), base)?;
        self.push(m, "v".to_owned(), Value::String(v), base)
    }

    /// A `Member` message: its key and its value (containers at `level`).
    fn member(&self, f: &Field<'_>, level: usize) -> Parsed<(String, Value)> {
        let mut key: Option<String> = None;
        let mut value: Option<Field<'_>> = None;
        let mut fields = Fields::new(f.bytes("Member")?, f.data_at);
        while let Some(e) = fields.next_field()? {
            match e.number {
                field::MEMBER_KEY => {
                    if key.is_some() {
                        return Err(e.twice("Member.key"));
                    }
                    key = Some(self.string(&e, "Member.key")?);
                }
                field::MEMBER_VALUE => {
                    if value.is_some() {
                        return Err(e.twice("Member.value"));
                    }
                    value = Some(e);
                }
                _ => {}
            }
        }
        // `Member.key` is a proto3 singular string: an empty key is left off the wire (prost
        // writes `{"": 1}` so), and absent reads as "", proto3's default.
        let key = key.unwrap_or_default();
        let Some(value) = value else {
            return Err(Failure::syntax(f.at, "a Member without a value").key(&key));
        };
        let value = self
            .value(value.bytes("Member.value")?, value.data_at, level)
            .map_err(|e| e.key(&key))?;
        Ok((key, value))
    }

    /// A generic `Value` message; if it is a container, it is at nesting `level`.
    fn value(&self, bytes: &[u8], base: usize, level: usize) -> Parsed<Value> {
        // How exev writes an object: the empty `object_value` marker first.
        if let [OBJECT_MARKER_KEY, 0x00, rest @ ..] = bytes {
            return self.object_value(rest, base + 2, base, level);
        }
        self.any_value(bytes, base, level)
    }

    /// The fields after the leading `object_value` marker of the `Value` message at `base`:
    /// each item is read with its key, found by a second cursor over the `keys`, so nothing
    /// is gathered before it goes into the object.
    fn object_value(&self, rest: &[u8], at: usize, base: usize, level: usize) -> Parsed<Value> {
        let mut m = Members::new();
        let mut keys = Fields::new(rest, at);
        let mut next_key = || -> Parsed<Option<Field<'_>>> {
            while let Some(k) = keys.next_field()? {
                if k.number == field::VALUE_KEYS {
                    return Ok(Some(k));
                }
            }
            Ok(None)
        };
        let mut fields = Fields::new(rest, at);
        let mut count = 0usize;
        while let Some(f) = fields.next_field()? {
            match f.number {
                field::VALUE_NULL..=field::VALUE_NUMBER_LITERAL => {
                    return Err(f.twice("Value.kind"));
                }
                field::VALUE_ITEMS => {
                    if count == 0 {
                        self.enter(level, f.at)?;
                    }
                    self.one_more(count, f.at)?;
                    let Some(k) = next_key()? else {
                        return Err(self.unpaired(rest, at, base));
                    };
                    let key = self.string(&k, "Value.keys")?;
                    let item = self
                        .value(f.bytes("Value.items")?, f.data_at, level + 1)
                        .map_err(|e| e.key(&key))?;
                    self.push(&mut m, key, item, k.at)?;
                    count += 1;
                }
                _ => {}
            }
        }
        if next_key()?.is_some() {
            return Err(self.unpaired(rest, at, base));
        }
        self.enter(level, base)?;
        m.finish().map(Value::Object)
    }

    /// The error for an object `Value` (its fields after the marker `rest`, at `at`) whose
    /// keys and items differ in number.
    #[cold]
    fn unpaired(&self, rest: &[u8], at: usize, base: usize) -> Failure {
        let (mut keys, mut items) = (0usize, 0usize);
        let mut fields = Fields::new(rest, at);
        while let Ok(Some(f)) = fields.next_field() {
            match f.number {
                field::VALUE_ITEMS => items += 1,
                field::VALUE_KEYS => keys += 1,
                _ => {}
            }
        }
        Failure::syntax(
            base,
            format!("an object Value with {keys} keys and {items} items"),
        )
    }

    /// A generic `Value` message in any field order.
    fn any_value(&self, bytes: &[u8], base: usize, level: usize) -> Parsed<Value> {
        let mut scalar: Option<Value> = None;
        // 0: not a container (yet), 1: array, 2: object.
        let mut container = 0u8;
        let mut items: Vec<Value> = Vec::new();
        let mut keys: Vec<(String, usize)> = Vec::new();
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            match f.number {
                field::VALUE_NULL..=field::VALUE_NUMBER_LITERAL => {
                    if scalar.is_some() || container != 0 {
                        return Err(f.twice("Value.kind"));
                    }
                    match f.number {
                        field::VALUE_NULL => {
                            let n = f.varint("Value.null_value")?;
                            if n != 0 {
                                return Err(Failure::syntax(
                                    f.at,
                                    format!("NullValue {n}: the only NullValue is 0"),
                                ));
                            }
                            scalar = Some(Value::Null);
                        }
                        field::VALUE_BOOL => {
                            scalar = Some(Value::Bool(f.varint("Value.bool_value")? != 0))
                        }
                        field::VALUE_INTEGER => {
                            let z = f.varint("Value.integer_value")?;
                            // Zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ...
                            #[allow(clippy::cast_possible_wrap)]
                            let i = ((z >> 1) as i64) ^ -((z & 1) as i64);
                            scalar = Some(self.integer(i, f.at)?);
                        }
                        field::VALUE_STRING => {
                            scalar = Some(Value::String(self.string(&f, "Value.string_value")?));
                        }
                        field::VALUE_ARRAY | field::VALUE_OBJECT => {
                            // The marker messages have no fields, but what they hold must
                            // still be well-formed.
                            let marker = f.bytes("Value.array_value or object_value")?;
                            let mut inner = Fields::new(marker, f.data_at);
                            while inner.next_field()?.is_some() {}
                            container = if f.number == field::VALUE_ARRAY { 1 } else { 2 };
                        }
                        _ => {
                            let literal = self.string(&f, "Value.number_literal")?;
                            scalar = Some(self.number(literal, f.at)?);
                        }
                    }
                }
                field::VALUE_ITEMS => {
                    if items.is_empty() {
                        self.enter(level, f.at)?;
                    }
                    self.one_more(items.len(), f.at)?;
                    let index = items.len();
                    let item = self
                        .value(f.bytes("Value.items")?, f.data_at, level + 1)
                        .map_err(|e| e.at(member_segment(bytes, base, index)))?;
                    items.push(item);
                }
                field::VALUE_KEYS => {
                    self.one_more(keys.len(), f.at)?;
                    keys.push((self.string(&f, "Value.keys")?, f.at));
                }
                _ => {}
            }
        }
        match (scalar, container) {
            (Some(value), _) if items.is_empty() && keys.is_empty() => Ok(value),
            (Some(_), _) => Err(Failure::syntax(
                base,
                "a scalar Value with items or keys (only arrays and objects have them)",
            )),
            (None, 1) if keys.is_empty() => {
                self.enter(level, base)?;
                Ok(Value::Array(items))
            }
            (None, 1) => Err(Failure::syntax(base, "an array Value with keys")),
            (None, 2) if keys.len() == items.len() => {
                self.enter(level, base)?;
                let mut m = Members::new();
                for ((key, at), item) in keys.into_iter().zip(items) {
                    self.push(&mut m, key, item, at)?;
                }
                m.finish().map(Value::Object)
            }
            (None, 2) => Err(Failure::syntax(
                base,
                format!(
                    "an object Value with {} keys and {} items",
                    keys.len(),
                    items.len()
                ),
            )),
            _ => Err(Failure::syntax(base, "a Value with no kind set")),
        }
    }
}

/// The path segment of item `index` of the `Value` message `bytes`: its key when the value
/// is an object whose keys can be read, else its index. Only called on the error path.
fn member_segment(bytes: &[u8], base: usize, index: usize) -> Segment {
    let mut object = false;
    let mut keys = Vec::new();
    let mut fields = Fields::new(bytes, base);
    while let Ok(Some(f)) = fields.next_field() {
        match (f.number, f.wire) {
            (field::VALUE_OBJECT, _) => object = true,
            (field::VALUE_KEYS, Wire::Len(k)) => keys.push(k),
            _ => {}
        }
    }
    match keys.get(index).map(|k| std::str::from_utf8(k)) {
        Some(Ok(key)) if object => Segment::Key(key.to_owned()),
        _ => Segment::Index(index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_numbers_its_fields_from_one() {
        for layout in [
            TEXT_REPRESENTATION,
            FILE,
            TEXT_HOLDER,
            IMAGE_DETAILS,
            THUMBNAIL_IMAGE,
            VIDEO_DETAILS,
            AUDIO_DETAILS,
            LOCATION,
            MENTIONS,
            IN_REPLY_TO,
            RELATES_TO,
            ASSET,
            POLL,
            POLL_ANSWER,
            POLL_RESULTS,
            ENCRYPTED,
            UNSIGNED,
        ] {
            for (i, (number, _)) in layout.iter().enumerate() {
                assert_eq!(*number, i as u64 + 1);
            }
            // `extra` is past them all, and only `Poll` has answers, as its last field.
            assert!((layout.len() as u64) < EXTRA);
            let answers = layout.iter().position(|(_, k)| matches!(k, Kind::Answers));
            assert!(answers.is_none() || answers == Some(layout.len() - 1));
        }
    }

    /// One field of a message of the schema: its name, number, and the JSON key its comment
    /// names first (`// "url": ...`), if any; whether it is in a `oneof`.
    struct SchemaField {
        name: String,
        number: u64,
        key: Option<String>,
        oneof: Option<String>,
    }

    /// The messages of `schemas/proto/exev/v1/*.proto` and their fields, read from the text
    /// (the files follow one layout: a comment, then a field, one a line).
    fn schema() -> std::collections::BTreeMap<String, Vec<SchemaField>> {
        let text = [
            include_str!("../../../schemas/proto/exev/v1/event.proto"),
            include_str!("../../../schemas/proto/exev/v1/blocks.proto"),
            include_str!("../../../schemas/proto/exev/v1/value.proto"),
        ]
        .concat();
        let mut messages = std::collections::BTreeMap::<String, Vec<SchemaField>>::new();
        let (mut message, mut oneof, mut key) = (None::<String>, None::<String>, None::<String>);
        for line in text.lines().map(str::trim) {
            if let Some(comment) = line.strip_prefix("//") {
                // The key is quoted first thing: "url" in blocks.proto, `age` in event.proto.
                let comment = comment.trim_start();
                if key.is_none()
                    && let Some(quote) = comment.chars().next().filter(|c| *c == '"' || *c == '`')
                {
                    key = comment.split(quote).nth(1).map(str::to_owned);
                }
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["message", name, "{"] => message = Some((*name).to_owned()),
                ["oneof", name, "{"] => oneof = Some((*name).to_owned()),
                ["}"] if oneof.is_some() => oneof = None,
                ["}"] => message = None,
                [.., name, "=", number] if message.is_some() && number.ends_with(';') => {
                    let field = SchemaField {
                        name: (*name).to_owned(),
                        number: number.trim_end_matches(';').parse().unwrap(),
                        key: key.take(),
                        oneof: oneof.clone(),
                    };
                    messages
                        .entry(message.clone().unwrap())
                        .or_default()
                        .push(field);
                }
                _ => {}
            }
            key = None;
        }
        messages
    }

    fn number_of(
        schema: &std::collections::BTreeMap<String, Vec<SchemaField>>,
        message: &str,
        name: &str,
    ) -> u64 {
        schema[message]
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{message}.{name} is not in the schema"))
            .number
    }

    /// Every field number the decoder uses is the schema's: the consts in `field`, the
    /// layouts (matched by the JSON key each field's comment names), `extra` and the
    /// `object_value` marker. Change a number in read.rs, or in the schema, and this fails.
    #[test]
    fn field_numbers_are_the_schemas() {
        let schema = schema();
        let consts: &[(&str, &str, u64)] = &[
            ("Event", "known_type", field::EVENT_KNOWN_TYPE),
            ("Event", "custom_type", field::EVENT_CUSTOM_TYPE),
            ("Event", "content", field::EVENT_CONTENT),
            ("Event", "event_id", field::EVENT_EVENT_ID),
            ("Event", "sender", field::EVENT_SENDER),
            ("Event", "room_id", field::EVENT_ROOM_ID),
            ("Event", "origin_server_ts", field::EVENT_ORIGIN_SERVER_TS),
            ("Event", "state_key", field::EVENT_STATE_KEY),
            ("Event", "unsigned", field::EVENT_UNSIGNED),
            ("Event", "other", field::EVENT_OTHER),
            ("Block", "known_name", field::BLOCK_KNOWN_NAME),
            ("Block", "custom_name", field::BLOCK_CUSTOM_NAME),
            ("Block", "value", field::BLOCK_VALUE),
            ("Block", "text", field::BLOCK_TEXT),
            ("Block", "file", field::BLOCK_FILE),
            ("Block", "caption", field::BLOCK_CAPTION),
            ("Block", "image_details", field::BLOCK_IMAGE_DETAILS),
            ("Block", "thumbnail", field::BLOCK_THUMBNAIL),
            ("Block", "alt_text", field::BLOCK_ALT_TEXT),
            ("Block", "video_details", field::BLOCK_VIDEO_DETAILS),
            ("Block", "audio_details", field::BLOCK_AUDIO_DETAILS),
            ("Block", "automated", field::BLOCK_AUTOMATED),
            ("Block", "location", field::BLOCK_LOCATION),
            ("Block", "mentions", field::BLOCK_MENTIONS),
            ("Block", "relates_to", field::BLOCK_RELATES_TO),
            ("Block", "asset", field::BLOCK_ASSET),
            ("Block", "ts", field::BLOCK_TS),
            ("Block", "topic", field::BLOCK_TOPIC),
            ("Block", "poll", field::BLOCK_POLL),
            ("Block", "selections", field::BLOCK_SELECTIONS),
            ("Block", "poll_results", field::BLOCK_POLL_RESULTS),
            ("Block", "encrypted", field::BLOCK_ENCRYPTED),
            ("Member", "key", field::MEMBER_KEY),
            ("Member", "value", field::MEMBER_VALUE),
            ("Value", "null_value", field::VALUE_NULL),
            ("Value", "bool_value", field::VALUE_BOOL),
            ("Value", "integer_value", field::VALUE_INTEGER),
            ("Value", "string_value", field::VALUE_STRING),
            ("Value", "array_value", field::VALUE_ARRAY),
            ("Value", "object_value", field::VALUE_OBJECT),
            ("Value", "number_literal", field::VALUE_NUMBER_LITERAL),
            ("Value", "items", field::VALUE_ITEMS),
            ("Value", "keys", field::VALUE_KEYS),
            ("EncryptedFile", "key", field::ENCRYPTED_FILE_KEY),
            ("EncryptedFile", "iv", field::ENCRYPTED_FILE_IV),
            ("EncryptedFile", "hashes", field::ENCRYPTED_FILE_HASHES),
            ("EncryptedFile", "v", field::ENCRYPTED_FILE_V),
            ("Text", "representations", field::ELEMENTS),
            ("Thumbnail", "images", field::ELEMENTS),
            ("Selections", "values", field::ELEMENTS),
            ("Strings", "values", field::ELEMENTS),
            ("Integers", "values", field::ELEMENTS),
        ];
        for &(message, name, number) in consts {
            assert_eq!(
                number_of(&schema, message, name),
                number,
                "{message}.{name}"
            );
        }
        // The ranges the decoder matches are exactly the schema's: the event's typed members,
        // the block body's oneof, the value kind's oneof.
        let in_oneof = |message: &str, oneof: &str| -> Vec<u64> {
            schema[message]
                .iter()
                .filter(|f| f.oneof.as_deref() == Some(oneof))
                .map(|f| f.number)
                .collect()
        };
        assert_eq!(
            in_oneof("Block", "body"),
            (field::BLOCK_VALUE..=field::BLOCK_ENCRYPTED).collect::<Vec<_>>()
        );
        assert_eq!(
            in_oneof("Value", "kind"),
            (field::VALUE_NULL..=field::VALUE_NUMBER_LITERAL).collect::<Vec<_>>()
        );
        let typed: Vec<u64> = schema["Event"]
            .iter()
            .map(|f| f.number)
            .filter(|n| ![1, 2, 3, field::EVENT_OTHER].contains(n))
            .collect();
        assert_eq!(
            typed,
            (field::EVENT_EVENT_ID..=field::EVENT_UNSIGNED).collect::<Vec<_>>()
        );
        assert_eq!(u64::from(OBJECT_MARKER_KEY), field::VALUE_OBJECT << 3 | 2);
        // Each object-shaped message: its layout names each field by number and JSON key,
        // and every field but `extra` is in it.
        let layouts: &[(&str, &[(u64, Kind)])] = &[
            ("TextRepresentation", TEXT_REPRESENTATION),
            ("File", FILE),
            ("Caption", TEXT_HOLDER),
            ("AltText", TEXT_HOLDER),
            ("Topic", TEXT_HOLDER),
            ("PollQuestion", TEXT_HOLDER),
            ("ImageDetails", IMAGE_DETAILS),
            ("ThumbnailImage", THUMBNAIL_IMAGE),
            ("VideoDetails", VIDEO_DETAILS),
            ("AudioDetails", AUDIO_DETAILS),
            ("Location", LOCATION),
            ("Mentions", MENTIONS),
            ("InReplyTo", IN_REPLY_TO),
            ("RelatesTo", RELATES_TO),
            ("Asset", ASSET),
            ("Poll", POLL),
            ("PollAnswer", POLL_ANSWER),
            ("PollResults", POLL_RESULTS),
            ("Encrypted", ENCRYPTED),
            ("Unsigned", UNSIGNED),
        ];
        for &(message, layout) in layouts {
            let fields = &schema[message];
            for &(number, kind) in layout {
                let field = fields
                    .iter()
                    .find(|f| f.number == number)
                    .unwrap_or_else(|| panic!("{message}: no field {number}"));
                let key = match kind {
                    Kind::Str(k)
                    | Kind::Int(k)
                    | Kind::Bool(k)
                    | Kind::Text(k)
                    | Kind::Obj(k, _)
                    | Kind::Strings(k)
                    | Kind::Integers(k) => Some(k),
                    Kind::Encryption => Some("key"),
                    Kind::Answers => Some("answers"),
                    Kind::Counts => None,
                };
                assert_eq!(field.key.as_deref(), key, "{message}.{}", field.name);
            }
            for field in fields {
                let in_layout = layout.iter().any(|&(n, _)| n == field.number);
                if field.name == "extra" {
                    assert_eq!(field.number, EXTRA, "{message}.extra");
                } else {
                    assert!(in_layout, "{message}.{} is not in its layout", field.name);
                }
            }
        }
        assert_eq!(number_of(&schema, "File", "encryption"), 5);
    }

    fn value(bytes: &[u8]) -> Parsed<Value> {
        Reader::new(&Options::default()).value(bytes, 0, 1)
    }

    /// `Value` fields: the object marker, two items (1 and true), two keys ("a", "b").
    const MARKER: &[u8] = &[0x32, 0x00];
    const ITEMS: &[u8] = &[0x42, 0x02, 0x18, 0x02, 0x42, 0x02, 0x10, 0x01];
    const KEYS: &[u8] = &[0x4a, 0x01, b'a', 0x4a, 0x01, b'b'];

    #[test]
    fn an_object_value_reads_the_same_in_any_field_order() {
        let expected = Value::Object(Object::from([
            ("a".to_owned(), Value::Integer(1)),
            ("b".to_owned(), Value::Bool(true)),
        ]));
        let interleaved = [MARKER, &KEYS[..3], &ITEMS[..4], &KEYS[3..], &ITEMS[4..]].concat();
        for bytes in [
            [MARKER, ITEMS, KEYS].concat(),
            [ITEMS, KEYS, MARKER].concat(),
            [KEYS, MARKER, ITEMS].concat(),
            interleaved,
        ] {
            assert_eq!(value(&bytes).ok(), Some(expected.clone()), "{bytes:02x?}");
        }
    }

    #[test]
    fn an_object_value_with_unpaired_keys_or_items_is_refused_at_its_start() {
        for (bytes, counts) in [
            ([MARKER, ITEMS, &KEYS[..3]].concat(), "1 keys and 2 items"),
            ([MARKER, &ITEMS[..4], KEYS].concat(), "2 keys and 1 items"),
            ([&KEYS[..3], MARKER, ITEMS].concat(), "1 keys and 2 items"),
        ] {
            let failure = value(&bytes).unwrap_err();
            let error = failure.into_error(|offset| crate::Position::Binary { offset });
            assert!(error.to_string().contains(counts), "{error}");
            assert_eq!(
                error.position(),
                Some(crate::Position::Binary { offset: 0 })
            );
        }
    }

    #[test]
    fn an_object_value_names_the_member_at_fault() {
        // The second item is a `Value` with no kind.
        let bytes = [MARKER, &ITEMS[..4], &[0x42, 0x00], KEYS].concat();
        let error = value(&bytes)
            .unwrap_err()
            .into_error(|offset| crate::Position::Binary { offset });
        assert_eq!(error.path().to_string(), "b");
        assert!(error.to_string().contains("no kind"), "{error}");
        // A key given twice, at the second key.
        let bytes = [MARKER, ITEMS, &KEYS[..3], &KEYS[..3]].concat();
        let error = value(&bytes)
            .unwrap_err()
            .into_error(|offset| crate::Position::Binary { offset });
        assert_eq!(error.kind(), &ErrorKind::DuplicateKey("a".into()));
        assert_eq!(
            error.position(),
            Some(crate::Position::Binary {
                offset: MARKER.len() + ITEMS.len() + 3
            })
        );
    }
}
