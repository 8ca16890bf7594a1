//! The Protobuf decoder: one pass over the wire bytes of an `exev.v1.Event` that writes a
//! [`Tape`], as the JSON and CBOR decoders do (values are built from it only when read), with
//! the byte offset of whatever is wrong.
//!
//! The tape is written in reading order, but Protobuf lets the parts of one value come apart:
//! a repeated field's elements (an event's blocks, a poll's answers, an encrypted file's key
//! members and hashes) may be interleaved with other fields, a generic `Value`'s items may
//! come before its kind and its keys. Every runtime writes them in one run, kind first, so
//! that is the path taken: a repeated field's container is opened where its first element is
//! and closed at the next field; when the elements do not come in one run (found by a scan of
//! the message's field keys, or for an event's blocks when a block comes after the container
//! was closed, which reads the event again) they go to a tape of their own, copied in when
//! the message ends ([`TapeBuilder::copy_value`]). Either way every check happens where and in
//! the order it did when this decoder built values, so errors and their offsets are the same.
//!
//! Built for speed where the model lets it: fields are read inline so they stay in registers,
//! strings are checked and copied once (onto the tape), a generic object in the order exev
//! writes it (the marker, its items, its keys) is read item by item with each key found by a
//! second cursor, and a typed block's own keys stay out of the duplicate check's set (each is
//! read once; only the `extra` members are checked against them).
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

#[cfg(test)]
use exev::Object;
use exev::tape::{At, Tape, TapeBuilder, TapeFull, TextSpan};
use exev::{MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Segment, Value};

use super::names;
pub(crate) use crate::failure::Failure;
use crate::failure::span;
use crate::keys::{ObjectKeys, OpenKeys};
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

/// The key `key` given twice, the second time at `at`.
#[cold]
fn duplicate(key: &str, at: usize) -> Failure {
    Failure::new(at, ErrorKind::DuplicateKey(key.to_owned())).key(key)
}

impl Kind {
    /// The member this typed field is read as, if it is one member.
    fn key(self) -> Option<&'static str> {
        match self {
            Kind::Str(k)
            | Kind::Int(k)
            | Kind::Bool(k)
            | Kind::Text(k)
            | Kind::Obj(k, _)
            | Kind::Strings(k)
            | Kind::Integers(k) => Some(k),
            Kind::Encryption | Kind::Answers | Kind::Counts => None,
        }
    }
}

/// Where decoded values go: a tape, and the duplicate-key check over its open objects.
struct Out {
    tape: TapeBuilder,
    keys: OpenKeys,
}

/// An object being written on an [`Out`]: its member count, for the element limit, and its
/// keys, for the duplicate check.
struct Members {
    keys: ObjectKeys,
    count: usize,
}

/// A tape past `u32::MAX` tokens or bytes of text (which the size limits keep far off):
/// refused as too large an input.
#[cold]
fn full(_: TapeFull) -> Failure {
    Failure::tape_full(0, u32::MAX as usize)
}

impl Out {
    /// The tape of a whole event of `input_len` bytes, its strings checked all at once when
    /// `defer_utf8` ([`TapeBuilder::for_unchecked_text`]).
    fn for_event(input_len: usize, defer_utf8: bool) -> Out {
        // The tape's text holds what the wire interns or leaves out (event type and block
        // names, the keys of the event's and typed blocks' fields): 1.15-1.37 times the input
        // on average over the test and bench corpora (up to 3.7 for small events, whose fixed
        // keys weigh most), which half again and 128 bytes cover; a value with its key takes
        // about 7 bytes.
        let text_len = input_len + input_len / 2 + 128;
        Out {
            tape: if defer_utf8 {
                TapeBuilder::for_unchecked_text(text_len, 6)
            } else {
                TapeBuilder::for_input(text_len, 6)
            },
            keys: OpenKeys::default(),
        }
    }

    /// A tape of its own for the parts of a value that come out of order, copied in later;
    /// its strings checked all at once when `defer_utf8`.
    fn apart(defer_utf8: bool) -> Out {
        Out {
            tape: if defer_utf8 {
                TapeBuilder::for_unchecked_text(0, 6)
            } else {
                TapeBuilder::new()
            },
            keys: OpenKeys::default(),
        }
    }

    fn string(&mut self, s: &str) -> Parsed<TextSpan> {
        self.tape.string(s).map_err(full)
    }

    /// A string value read by [`Reader::text_value`].
    fn text(&mut self, text: Text<'_>) -> Parsed<TextSpan> {
        match text {
            Text::Checked(s) => self.tape.string(s),
            Text::Unchecked(bytes) => self.tape.unchecked_string(bytes),
        }
        .map_err(full)
    }

    fn scalar(&mut self, value: &Value) -> Parsed<()> {
        self.tape.value(value).map_err(full)
    }

    fn begin_array(&mut self) -> Parsed<()> {
        self.tape.begin_array().map_err(full)
    }

    fn end_array(&mut self) -> Parsed<()> {
        self.tape.end_array().map_err(full)
    }

    fn begin_object(&mut self) -> Parsed<Members> {
        self.tape.begin_object().map_err(full)?;
        Ok(Members {
            keys: self.keys.open(),
            count: 0,
        })
    }

    fn end_object(&mut self, m: &Members) -> Parsed<()> {
        self.keys.close(&m.keys);
        self.tape.end_object().map_err(full)
    }

    fn copy(&mut self, from: &Tape, at: At) -> Parsed<At> {
        self.tape.copy_value(from, at).map_err(full)
    }

    /// The tape, every container closed.
    fn finish(self) -> Parsed<Tape> {
        self.tape.finish().map_err(full)
    }
}

/// Whether the fields numbered `number` of the message `bytes` come one after another (or
/// not at all), so that what they make can be written where the first one is. Anything the
/// scan cannot read says no: the decoder then reports it where it is.
fn one_run(bytes: &[u8], number: u64) -> bool {
    let mut fields = Fields::new(bytes, 0);
    let (mut seen, mut ended) = (false, false);
    loop {
        match fields.next_field() {
            Ok(Some(f)) if f.number == number => {
                if ended {
                    return false;
                }
                seen = true;
            }
            Ok(Some(_)) => ended = seen,
            Ok(None) => return true,
            Err(_) => return false,
        }
    }
}

/// A member that gathers the elements of a repeated field (`Poll.answers`, the key and the
/// hashes of `File.encryption`): written in place, where its first element comes, when its
/// elements come in one run (as every Protobuf runtime writes them), else on a tape of its
/// own and copied in when the message ends.
struct Group {
    key: &'static str,
    /// An object of entries, or an array.
    object: bool,
    /// Whether the elements come in one run.
    run: bool,
    state: GroupState,
}

enum GroupState {
    Absent,
    /// Written in place: the member's key, and whether the container is still open.
    InPlace(TextSpan, Option<Members>),
    /// On its own tape (boxed: groups are moved about, and this is the rare case).
    Apart(Box<Out>, Members),
}

impl Group {
    fn new(key: &'static str, object: bool, run: bool) -> Group {
        Group {
            key,
            object,
            run,
            state: GroupState::Absent,
        }
    }

    fn begin(&self, out: &mut Out) -> Parsed<Members> {
        if self.object {
            out.begin_object()
        } else {
            out.begin_array()?;
            Ok(Members {
                keys: out.keys.open(),
                count: 0,
            })
        }
    }

    fn end(&self, out: &mut Out, m: &Members) -> Parsed<()> {
        if self.object {
            out.end_object(m)
        } else {
            out.end_array()
        }
    }

    /// Where the next element goes, opening the container at the first.
    fn target<'x>(&'x mut self, main: &'x mut Out) -> Parsed<(&'x mut Out, &'x mut Members)> {
        if matches!(self.state, GroupState::Absent) {
            self.state = if self.run {
                let key = main.string(self.key)?;
                GroupState::InPlace(key, Some(self.begin(main)?))
            } else {
                let mut apart = Out::apart(main.tape.checks_text_when_finished());
                let m = self.begin(&mut apart)?;
                GroupState::Apart(Box::new(apart), m)
            };
        }
        match &mut self.state {
            GroupState::InPlace(_, Some(m)) => Ok((main, m)),
            GroupState::Apart(out, m) => Ok((out.as_mut(), m)),
            _ => Err(Failure::internal(0, "a repeated field's run written twice")),
        }
    }

    /// Whether the container was written in place and closed: another element cannot join it.
    fn paused(&self) -> bool {
        matches!(self.state, GroupState::InPlace(_, None))
    }

    /// Closes the container written in place, before another member is written.
    fn pause(&mut self, main: &mut Out) -> Parsed<()> {
        if let GroupState::InPlace(key, m) = &mut self.state
            && let Some(m) = m.take()
        {
            let key = *key;
            self.end(main, &m)?;
            self.state = GroupState::InPlace(key, None);
        }
        Ok(())
    }

    /// The member written (empty when no element came), its key's span.
    fn finish(mut self, main: &mut Out) -> Parsed<TextSpan> {
        self.pause(main)?;
        match std::mem::replace(&mut self.state, GroupState::Absent) {
            GroupState::InPlace(key, _) => Ok(key),
            GroupState::Absent => {
                let key = main.string(self.key)?;
                let m = self.begin(main)?;
                self.end(main, &m)?;
                Ok(key)
            }
            GroupState::Apart(mut out, m) => {
                self.end(&mut out, &m)?;
                let tape = (*out).finish()?;
                let key = main.string(self.key)?;
                main.copy(&tape, tape.root())?;
                Ok(key)
            }
        }
    }
}

/// Where an event's members other than `content` go: on the event's tape when `content`'s
/// blocks come in one run, else on a tape of their own, copied in at the end.
enum Others {
    InPlace,
    Apart(Out),
}

/// The scalar of a generic `Value`, written once the message has been read.
enum Scalar<'a> {
    Value(Value),
    String(Text<'a>),
}

/// A string field's value: checked as UTF-8, or left for the tape's one check of its whole
/// text ([`Reader::text_value`]).
#[derive(Clone, Copy)]
enum Text<'a> {
    Checked(&'a str),
    Unchecked(&'a [u8]),
}

impl<'a> Text<'a> {
    /// The string for an error's path. A string left unchecked that is not UTF-8 gives the
    /// empty string: a failure met while deferring is never reported, the input being read
    /// again with every string checked.
    fn for_path(self) -> &'a str {
        match self {
            Text::Checked(s) => s,
            Text::Unchecked(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
        }
    }
}

/// The decoder's limits and policies.
pub(crate) struct Reader<'o> {
    options: &'o Options,
    max_depth: usize,
    /// Whether string values are checked as UTF-8 all at once, when the tape is finished,
    /// rather than one by one ([`TapeBuilder::for_unchecked_text`]); a caller meeting any
    /// failure so reads again without.
    defer_utf8: bool,
}

impl<'o> Reader<'o> {
    pub(crate) fn new(options: &'o Options, defer_utf8: bool) -> Reader<'o> {
        Reader {
            options,
            max_depth: options.effective_max_depth().min(super::MAX_WIRE_DEPTH),
            defer_utf8,
        }
    }

    /// A tape of its own for the parts of a value that come out of order.
    fn apart(&self) -> Out {
        Out::apart(self.defer_utf8)
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

    /// Counts the member `key`, its value just written on `out`, in the object `m`: refused
    /// past the element limit or when `m` has the key already, at `at`.
    fn push(&self, out: &mut Out, m: &mut Members, key: TextSpan, at: usize) -> Parsed<()> {
        self.one_more(m.count, at)?;
        if !out.keys.insert(&mut m.keys, &out.tape, key) {
            return Err(duplicate(out.tape.text_of(key), at));
        }
        m.count += 1;
        Ok(())
    }

    /// A string value, checked as UTF-8 now or, when deferring, with the tape's whole text.
    fn text_value<'a>(&self, f: &Field<'a>, what: &str) -> Parsed<Text<'a>> {
        if self.defer_utf8 {
            self.string_bytes(f, what).map(Text::Unchecked)
        } else {
            self.string(f, what).map(Text::Checked)
        }
    }

    /// A string field's bytes, within the length limit.
    fn string_bytes<'a>(&self, f: &Field<'a>, what: &str) -> Parsed<&'a [u8]> {
        let bytes = f.bytes(what)?;
        if bytes.len() > self.options.max_string_bytes {
            return Err(Failure::new(
                f.data_at,
                ErrorKind::StringTooLong {
                    limit: self.options.max_string_bytes,
                },
            ));
        }
        Ok(bytes)
    }

    /// A string field, checked as UTF-8.
    fn string<'a>(&self, f: &Field<'a>, what: &str) -> Parsed<&'a str> {
        let bytes = self.string_bytes(f, what)?;
        // With SIMD, cheaper than `std` on the longer strings; `std` again only to find
        // where a string that is not UTF-8 goes wrong.
        simdutf8::basic::from_utf8(bytes).or_else(|_| {
            std::str::from_utf8(bytes)
                .map_err(|e| Failure::new(f.data_at + e.valid_up_to(), ErrorKind::InvalidUtf8))
        })
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

    fn number(&self, literal: &str, at: usize) -> Parsed<Value> {
        let Some(number) = Number::from_literal(literal) else {
            return Err(Failure::syntax(
                at,
                format!("invalid number literal {literal:?}"),
            ));
        };
        if self.options.numbers == NumberPolicy::Lenient {
            Ok(Value::Number(number))
        } else if literal.contains(['.', 'e', 'E']) {
            Err(Failure::new(
                at,
                ErrorKind::NotAnInteger(literal.to_owned()),
            ))
        } else {
            Err(Failure::new(
                at,
                ErrorKind::IntegerOutOfRange(literal.to_owned()),
            ))
        }
    }

    /// The tape of the event whose message is `bytes`, starting at absolute offset `base`:
    /// an object of `content`, the other members and `type`.
    pub(crate) fn event(&self, bytes: &[u8], base: usize) -> Parsed<Tape> {
        match self.event_on(bytes, base, false)? {
            Some(tape) => Ok(tape),
            // Read again the same way, in the same order, so with the same first error if any.
            None => self
                .event_on(bytes, base, true)?
                .ok_or_else(|| Failure::internal(base, "an event's blocks read apart twice")),
        }
    }

    /// [`Reader::event`], the members other than `content` written on the event's tape, or
    /// `apart` on one of their own: `None` when they are on the event's tape and a block comes
    /// after them (which no Protobuf runtime writes), to be read again apart.
    fn event_on(&self, bytes: &[u8], base: usize, apart: bool) -> Parsed<Option<Tape>> {
        self.enter(1, base)?;
        let mut out = Out::for_event(bytes.len(), self.defer_utf8);
        let root = out.begin_object()?;
        // The members other than `type` and `content`, checked against those two once the
        // message is read (as `Event::from_parts` does), and where they are written.
        let (mut others, mut top, root) = if !apart {
            (Others::InPlace, root, None)
        } else {
            let mut apart = self.apart();
            let top = apart.begin_object()?;
            (Others::Apart(apart), top, Some(root))
        };
        let mut event_type: Option<(&str, usize)> = None;
        let mut content = Group::new("content", true, true);
        let (mut other_type, mut other_content) = (false, false);
        let mut seen = 0u32;
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            let to = match f.number {
                field::EVENT_KNOWN_TYPE | field::EVENT_CUSTOM_TYPE => {
                    if event_type.is_some() {
                        return Err(f.twice("Event.type"));
                    }
                    let name = if f.number == field::EVENT_KNOWN_TYPE {
                        let n = f.varint("Event.known_type")?;
                        i32::try_from(n)
                            .ok()
                            .and_then(names::event_type_name)
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
                    continue;
                }
                field::EVENT_CONTENT => {
                    self.enter(2, f.at)?;
                    if content.paused() {
                        return Ok(None);
                    }
                    let (to, blocks) = content.target(&mut out)?;
                    let name = self
                        .block(to, f.bytes("Event.content")?, f.data_at)
                        .map_err(|e| e.key("content"))?;
                    self.push(to, blocks, name, f.at)
                        .map_err(|e| e.key("content"))?;
                    continue;
                }
                field::EVENT_EVENT_ID..=field::EVENT_UNSIGNED | field::EVENT_OTHER => {
                    match &mut others {
                        Others::InPlace => {
                            content.pause(&mut out)?;
                            &mut out
                        }
                        Others::Apart(apart) => apart,
                    }
                }
                _ => continue,
            };
            let key = if f.number == field::EVENT_OTHER {
                self.member(to, &f, 2)?
            } else {
                let bit = 1u32 << f.number;
                if seen & bit != 0 {
                    return Err(f.twice("an Event field"));
                }
                seen |= bit;
                self.event_field(to, &f)?
            };
            match to.tape.bytes_of(key) {
                b"type" => other_type = true,
                b"content" => other_content = true,
                _ => {}
            }
            self.push(to, &mut top, key, f.at)?;
        }
        let Some((event_type, type_at)) = event_type else {
            return Err(Failure::syntax(base, "an Event without a type"));
        };
        // `type` and `content` count as members of the event object, as they do in JSON.
        self.one_more(top.count, type_at)?;
        self.one_more(top.count + 1, base)?;
        // Only a member `type` or `content` among the others (field 15) is a duplicate: at the
        // event type for `type`.
        if other_type {
            return Err(Failure::new(type_at, ErrorKind::DuplicateKey("type".into())).key("type"));
        }
        if other_content {
            return Err(
                Failure::new(base, ErrorKind::DuplicateKey("content".into())).key("content"),
            );
        }
        content.finish(&mut out)?;
        let root = match (others, root) {
            (Others::Apart(mut apart), Some(root)) => {
                apart.end_object(&top)?;
                let tape = apart.finish()?;
                // The members, each a key and a value.
                let mut at = tape.root() + 1;
                for _ in 0..top.count * 2 {
                    at = out.copy(&tape, at)?;
                }
                root
            }
            _ => top,
        };
        out.string("type")?;
        out.string(event_type)?;
        out.end_object(&root)?;
        out.finish().map(Some)
    }

    /// A typed member of the event (fields 4 to 9), written on `to`: its key's span.
    fn event_field(&self, to: &mut Out, f: &Field<'_>) -> Parsed<TextSpan> {
        let (key, what) = match f.number {
            field::EVENT_EVENT_ID => ("event_id", "Event.event_id"),
            field::EVENT_SENDER => ("sender", "Event.sender"),
            field::EVENT_ROOM_ID => ("room_id", "Event.room_id"),
            field::EVENT_STATE_KEY => ("state_key", "Event.state_key"),
            field::EVENT_ORIGIN_SERVER_TS => {
                #[allow(clippy::cast_possible_wrap)]
                let i = f.varint("Event.origin_server_ts")? as i64;
                let v = self
                    .integer(i, f.at)
                    .map_err(|e| e.key("origin_server_ts"))?;
                let key = to.string("origin_server_ts")?;
                to.scalar(&v)?;
                return Ok(key);
            }
            _ => {
                let key = to.string("unsigned")?;
                self.object(to, UNSIGNED, f.bytes("Event.unsigned")?, f.data_at, 2)
                    .map_err(|e| e.key("unsigned"))?;
                return Ok(key);
            }
        };
        let s = self.text_value(f, what)?;
        let key = to.string(key)?;
        to.text(s)?;
        Ok(key)
    }

    /// A `Block` message written on `out` as a member of the content: its name's span.
    fn block(&self, out: &mut Out, bytes: &[u8], base: usize) -> Parsed<TextSpan> {
        let mut name: Option<&str> = None;
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
            return Err(Failure::syntax(base, "a Block without a body").key(name));
        };
        let key = out.string(name)?;
        self.body(out, &body, 3).map_err(|e| e.key(name))?;
        Ok(key)
    }

    /// A block's value from its `Block.body` field, the block at nesting `level`.
    fn body(&self, out: &mut Out, f: &Field<'_>, level: usize) -> Parsed<()> {
        let at = f.data_at;
        let obj = |out: &mut Out, layout: &'static [(u64, Kind)]| -> Parsed<()> {
            self.object(out, layout, f.bytes("a Block body")?, at, level)
        };
        match f.number {
            field::BLOCK_VALUE => self.generic(out, f.bytes("Block.value")?, at, level),
            field::BLOCK_TEXT => self.text(out, f.bytes("Block.text")?, at, level),
            field::BLOCK_FILE => obj(out, FILE),
            field::BLOCK_CAPTION | field::BLOCK_ALT_TEXT | field::BLOCK_TOPIC => {
                obj(out, TEXT_HOLDER)
            }
            field::BLOCK_IMAGE_DETAILS => obj(out, IMAGE_DETAILS),
            field::BLOCK_THUMBNAIL => self.array_of(
                out,
                f.bytes("Block.thumbnail")?,
                at,
                level,
                |r, out, f, level| {
                    r.object(
                        out,
                        THUMBNAIL_IMAGE,
                        f.bytes("Thumbnail.images")?,
                        f.data_at,
                        level,
                    )
                },
            ),
            field::BLOCK_VIDEO_DETAILS => obj(out, VIDEO_DETAILS),
            field::BLOCK_AUDIO_DETAILS => obj(out, AUDIO_DETAILS),
            field::BLOCK_AUTOMATED => out.scalar(&Value::Bool(f.varint("Block.automated")? != 0)),
            field::BLOCK_LOCATION => obj(out, LOCATION),
            field::BLOCK_MENTIONS => obj(out, MENTIONS),
            field::BLOCK_RELATES_TO => obj(out, RELATES_TO),
            field::BLOCK_ASSET => obj(out, ASSET),
            #[allow(clippy::cast_possible_wrap)]
            field::BLOCK_TS => {
                let v = self.integer(f.varint("Block.ts")? as i64, f.at)?;
                out.scalar(&v)
            }
            field::BLOCK_POLL => obj(out, POLL),
            field::BLOCK_SELECTIONS => self.array_of(
                out,
                f.bytes("Block.selections")?,
                at,
                level,
                |r, out, f, _| out.string(r.string(f, "Selections.values")?).map(|_| ()),
            ),
            field::BLOCK_POLL_RESULTS => obj(out, POLL_RESULTS),
            _ => obj(out, ENCRYPTED),
        }
    }

    /// An array from the repeated field 1 of the message `bytes`: `Text`, `Thumbnail`,
    /// `Selections`, `Strings`. Other fields are skipped.
    fn array_of(
        &self,
        out: &mut Out,
        bytes: &[u8],
        base: usize,
        level: usize,
        element: impl Fn(&Self, &mut Out, &Field<'_>, usize) -> Parsed<()>,
    ) -> Parsed<()> {
        self.enter(level, base)?;
        out.begin_array()?;
        let mut count = 0usize;
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            if f.number == field::ELEMENTS {
                self.one_more(count, f.at)?;
                element(self, out, &f, level + 1).map_err(|e| e.at(Segment::Index(count)))?;
                count += 1;
            }
        }
        out.end_array()
    }

    /// `m.text` from a `Text` message.
    fn text(&self, out: &mut Out, bytes: &[u8], base: usize, level: usize) -> Parsed<()> {
        self.array_of(out, bytes, base, level, |r, out, f, level| {
            r.object(
                out,
                TEXT_REPRESENTATION,
                f.bytes("Text.representations")?,
                f.data_at,
                level,
            )
        })
    }

    /// An `Integers` message: field 1, packed or not.
    fn integers(&self, out: &mut Out, bytes: &[u8], base: usize, level: usize) -> Parsed<()> {
        self.enter(level, base)?;
        out.begin_array()?;
        let mut count = 0usize;
        let mut element = |out: &mut Out, v: u64, at: usize| -> Parsed<()> {
            self.one_more(count, at)?;
            #[allow(clippy::cast_possible_wrap)]
            let v = self
                .integer(v as i64, at)
                .map_err(|e| e.at(Segment::Index(count)))?;
            count += 1;
            out.scalar(&v)
        };
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            if f.number != field::ELEMENTS {
                continue;
            }
            match f.wire {
                Wire::Varint(v) => element(out, v, f.at)?,
                Wire::Len(packed) => {
                    let mut values = Fields::new(packed, f.data_at);
                    while values.pos < packed.len() {
                        let at = values.base + values.pos;
                        let v = values.varint()?;
                        element(out, v, at)?;
                    }
                }
                Wire::Fixed => return Err(f.wrong_wire("Integers.values", "varints")),
            }
        }
        out.end_array()
    }

    /// An object-shaped message with the typed fields `layout` and `extra` (field 100).
    fn object(
        &self,
        out: &mut Out,
        layout: &'static [(u64, Kind)],
        bytes: &[u8],
        base: usize,
        level: usize,
    ) -> Parsed<()> {
        self.enter(level, base)?;
        let mut m = out.begin_object()?;
        let mut seen = 0u32;
        // Only `Poll` has answers (its last field), and its `answers` member is there even
        // when empty.
        let has_answers = matches!(layout.last(), Some((_, Kind::Answers)));
        let mut answers = Group::new(
            "answers",
            false,
            has_answers && one_run(bytes, layout.len() as u64),
        );
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            // Every layout numbers its fields 1, 2, 3, ... (checked by a test).
            let index = usize::try_from(f.number.wrapping_sub(1)).unwrap_or(usize::MAX);
            let kind = match layout.get(index) {
                Some(&(_, Kind::Answers)) => {
                    self.enter(level + 1, f.at).map_err(|e| e.key("answers"))?;
                    let (to, list) = answers.target(out)?;
                    self.one_more(list.count, f.at)
                        .map_err(|e| e.key("answers"))?;
                    let i = list.count;
                    self.object(
                        to,
                        POLL_ANSWER,
                        f.bytes("Poll.answers")?,
                        f.data_at,
                        level + 2,
                    )
                    .map_err(|e| e.at(Segment::Index(i)).key("answers"))?;
                    list.count += 1;
                    continue;
                }
                Some(&(_, kind)) => Some(kind),
                None if f.number == EXTRA => None,
                None => continue,
            };
            answers.pause(out)?;
            let Some(kind) = kind.filter(|k| !matches!(k, Kind::Counts)) else {
                // An `extra` member or a count: checked against the typed members too, which
                // are not in the key set.
                let key = match kind {
                    None => self.member(out, &f, level + 1)?,
                    Some(_) => self.count_entry(out, &f)?,
                };
                self.push(out, &mut m, key, f.at)?;
                let text = out.tape.bytes_of(key);
                if layout.iter().enumerate().any(|(i, (_, k))| {
                    seen & (1 << i) != 0 && k.key().map(str::as_bytes) == Some(text)
                }) {
                    return Err(duplicate(out.tape.text_of(key), f.at));
                }
                continue;
            };
            let bit = 1u32 << index;
            if seen & bit != 0 {
                return Err(f.twice("a typed block field"));
            }
            seen |= bit;
            if let Kind::Encryption = kind {
                self.encryption(out, &mut m, f.bytes("File.encryption")?, f.data_at, level)?;
                continue;
            }
            let key = self.typed_member(out, kind, &f, level)?;
            // The typed fields' keys differ and each is read once (`seen`): they are checked
            // against the other members only, and kept out of the key set.
            self.one_more(m.count, f.at)?;
            if out
                .keys
                .contains(&m.keys, &out.tape, out.tape.bytes_of(key))
            {
                return Err(duplicate(out.tape.text_of(key), f.at));
            }
            m.count += 1;
        }
        if has_answers {
            self.enter(level + 1, base).map_err(|e| e.key("answers"))?;
            // A repeated field written with no element is absent on the wire: no answers.
            let key = answers.finish(out)?;
            self.push(out, &mut m, key, base)?;
        }
        out.end_object(&m)
    }

    /// A typed field of an object-shaped message, written on `out` with its key: the key's
    /// span.
    fn typed_member(
        &self,
        out: &mut Out,
        kind: Kind,
        f: &Field<'_>,
        level: usize,
    ) -> Parsed<TextSpan> {
        match kind {
            Kind::Str(key) => {
                let s = self.text_value(f, key).map_err(|e| e.key(key))?;
                let span = out.string(key)?;
                out.text(s)?;
                Ok(span)
            }
            #[allow(clippy::cast_possible_wrap)]
            Kind::Int(key) => {
                let v = self
                    .integer(f.varint(key)? as i64, f.at)
                    .map_err(|e| e.key(key))?;
                let span = out.string(key)?;
                out.scalar(&v)?;
                Ok(span)
            }
            Kind::Bool(key) => {
                let v = Value::Bool(f.varint(key)? != 0);
                let span = out.string(key)?;
                out.scalar(&v)?;
                Ok(span)
            }
            Kind::Text(key) => {
                let span = out.string(key)?;
                self.text(out, f.bytes(key)?, f.data_at, level + 1)
                    .map_err(|e| e.key(key))?;
                Ok(span)
            }
            Kind::Obj(key, inner) => {
                let span = out.string(key)?;
                self.object(out, inner, f.bytes(key)?, f.data_at, level + 1)
                    .map_err(|e| e.key(key))?;
                Ok(span)
            }
            Kind::Strings(key) => {
                let span = out.string(key)?;
                self.array_of(out, f.bytes(key)?, f.data_at, level + 1, |r, out, f, _| {
                    out.string(r.string(f, "Strings.values")?).map(|_| ())
                })
                .map_err(|e| e.key(key))?;
                Ok(span)
            }
            Kind::Integers(key) => {
                let span = out.string(key)?;
                self.integers(out, f.bytes(key)?, f.data_at, level + 1)
                    .map_err(|e| e.key(key))?;
                Ok(span)
            }
            Kind::Encryption | Kind::Answers | Kind::Counts => Err(Failure::internal(
                f.at,
                "a repeated or composite field read as a typed member",
            )),
        }
    }

    /// A `PollResults.counts` map entry written on `out`: a key and an integer.
    fn count_entry(&self, out: &mut Out, f: &Field<'_>) -> Parsed<TextSpan> {
        let mut key = "";
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
        let value = self.integer(count.0, count.1).map_err(|e| e.key(key))?;
        let span = out.string(key)?;
        out.scalar(&value)?;
        Ok(span)
    }

    /// `File.encryption`: adds `key`, `iv`, `hashes` and `v` to the file's members `m`.
    fn encryption(
        &self,
        out: &mut Out,
        m: &mut Members,
        bytes: &[u8],
        base: usize,
        level: usize,
    ) -> Parsed<()> {
        let mut key = Group::new("key", true, one_run(bytes, field::ENCRYPTED_FILE_KEY));
        let mut hashes = Group::new("hashes", true, one_run(bytes, field::ENCRYPTED_FILE_HASHES));
        let mut iv: Option<&str> = None;
        let mut v: Option<&str> = None;
        let mut fields = Fields::new(bytes, base);
        while let Some(f) = fields.next_field()? {
            match f.number {
                field::ENCRYPTED_FILE_KEY => {
                    hashes.pause(out)?;
                    let (to, members) = key.target(out)?;
                    let k = self.member(to, &f, level + 2).map_err(|e| e.key("key"))?;
                    self.push(to, members, k, f.at).map_err(|e| e.key("key"))?;
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
                    let mut algorithm = "";
                    let mut hash = "";
                    let mut entry = Fields::new(f.bytes("EncryptedFile.hashes")?, f.data_at);
                    while let Some(e) = entry.next_field()? {
                        match e.number {
                            field::MAP_KEY => algorithm = self.string(&e, "a map key")?,
                            field::MAP_VALUE => hash = self.string(&e, "a map value")?,
                            _ => {}
                        }
                    }
                    key.pause(out)?;
                    let (to, members) = hashes.target(out)?;
                    let k = to.string(algorithm)?;
                    to.string(hash)?;
                    self.push(to, members, k, f.at)
                        .map_err(|e| e.key("hashes"))?;
                }
                _ => {}
            }
        }
        // Both closed before anything else is written.
        key.pause(out)?;
        hashes.pause(out)?;
        self.enter(level + 1, base)?;
        let key = key.finish(out)?;
        self.push(out, m, key, base)?;
        // `iv` and `v` are proto3 singular strings: prost, like every runtime, leaves an
        // empty one off the wire, so absent reads as "" (proto3's default), not as missing.
        let span = out.string("iv")?;
        out.string(iv.unwrap_or_default())?;
        self.push(out, m, span, base)?;
        let hashes = hashes.finish(out)?;
        self.push(out, m, hashes, base)?;
        let span = out.string("v")?;
        out.string(v.unwrap_or_default())?;
        self.push(out, m, span, base)
    }

    /// A `Member` message written on `out` (containers at `level`): its key's span.
    fn member(&self, out: &mut Out, f: &Field<'_>, level: usize) -> Parsed<TextSpan> {
        let mut key: Option<Text<'_>> = None;
        let mut value: Option<Field<'_>> = None;
        let mut fields = Fields::new(f.bytes("Member")?, f.data_at);
        while let Some(e) = fields.next_field()? {
            match e.number {
                field::MEMBER_KEY => {
                    if key.is_some() {
                        return Err(e.twice("Member.key"));
                    }
                    key = Some(self.text_value(&e, "Member.key")?);
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
        let key = key.unwrap_or(Text::Checked(""));
        let Some(value) = value else {
            return Err(Failure::syntax(f.at, "a Member without a value").key(key.for_path()));
        };
        let span = out.text(key)?;
        self.generic(out, value.bytes("Member.value")?, value.data_at, level)
            .map_err(|e| e.key(key.for_path()))?;
        Ok(span)
    }

    /// The generic `Value` message `bytes` as a [`Value`] (for the tests).
    #[cfg(test)]
    fn value(&self, bytes: &[u8], base: usize, level: usize) -> Parsed<Value> {
        let mut out = self.apart();
        self.generic(&mut out, bytes, base, level)?;
        let tape = out.finish()?;
        Ok(tape.value(tape.root()))
    }

    /// A generic `Value` message written on `out`; if it is a container, it is at nesting
    /// `level`.
    fn generic(&self, out: &mut Out, bytes: &[u8], base: usize, level: usize) -> Parsed<()> {
        // How exev writes an object: the empty `object_value` marker first.
        if let [OBJECT_MARKER_KEY, 0x00, rest @ ..] = bytes {
            return self.object_value(out, rest, base + 2, base, level);
        }
        self.any_value(out, bytes, base, level)
    }

    /// The fields after the leading `object_value` marker of the `Value` message at `base`:
    /// each item is written after its key, found by a second cursor over the `keys`.
    fn object_value(
        &self,
        out: &mut Out,
        rest: &[u8],
        at: usize,
        base: usize,
        level: usize,
    ) -> Parsed<()> {
        let mut m = out.begin_object()?;
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
        while let Some(f) = fields.next_field()? {
            match f.number {
                field::VALUE_NULL..=field::VALUE_NUMBER_LITERAL => {
                    return Err(f.twice("Value.kind"));
                }
                field::VALUE_ITEMS => {
                    if m.count == 0 {
                        self.enter(level, f.at)?;
                    }
                    self.one_more(m.count, f.at)?;
                    let Some(k) = next_key()? else {
                        return Err(self.unpaired(rest, at, base));
                    };
                    let key = self.text_value(&k, "Value.keys")?;
                    let span = out.text(key)?;
                    self.generic(out, f.bytes("Value.items")?, f.data_at, level + 1)
                        .map_err(|e| e.key(key.for_path()))?;
                    self.push(out, &mut m, span, k.at)?;
                }
                _ => {}
            }
        }
        if next_key()?.is_some() {
            return Err(self.unpaired(rest, at, base));
        }
        self.enter(level, base)?;
        out.end_object(&m)
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

    /// A generic `Value` message in any field order. Its items are written in place when the
    /// array marker comes first (as exev and every runtime write an array), else on a tape
    /// of their own, to be paired with the keys that may come after them.
    fn any_value(&self, out: &mut Out, bytes: &[u8], base: usize, level: usize) -> Parsed<()> {
        let mut scalar: Option<Scalar<'_>> = None;
        // 0: not a container (yet), 1: array, 2: object.
        let mut container = 0u8;
        let mut in_place = false;
        let mut apart: Option<Out> = None;
        let mut items = 0usize;
        let mut keys: Vec<(&str, usize)> = Vec::new();
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
                            scalar = Some(Scalar::Value(Value::Null));
                        }
                        field::VALUE_BOOL => {
                            let b = f.varint("Value.bool_value")? != 0;
                            scalar = Some(Scalar::Value(Value::Bool(b)));
                        }
                        field::VALUE_INTEGER => {
                            let z = f.varint("Value.integer_value")?;
                            // Zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ...
                            #[allow(clippy::cast_possible_wrap)]
                            let i = ((z >> 1) as i64) ^ -((z & 1) as i64);
                            scalar = Some(Scalar::Value(self.integer(i, f.at)?));
                        }
                        field::VALUE_STRING => {
                            scalar =
                                Some(Scalar::String(self.text_value(&f, "Value.string_value")?));
                        }
                        field::VALUE_ARRAY | field::VALUE_OBJECT => {
                            // The marker messages have no fields, but what they hold must
                            // still be well-formed.
                            let marker = f.bytes("Value.array_value or object_value")?;
                            let mut inner = Fields::new(marker, f.data_at);
                            while inner.next_field()?.is_some() {}
                            container = if f.number == field::VALUE_ARRAY { 1 } else { 2 };
                            if container == 1 && items == 0 && keys.is_empty() {
                                out.begin_array()?;
                                in_place = true;
                            }
                        }
                        _ => {
                            let literal = self.string(&f, "Value.number_literal")?;
                            scalar = Some(Scalar::Value(self.number(literal, f.at)?));
                        }
                    }
                }
                field::VALUE_ITEMS => {
                    if items == 0 {
                        self.enter(level, f.at)?;
                    }
                    self.one_more(items, f.at)?;
                    let to = if in_place {
                        &mut *out
                    } else {
                        apart.get_or_insert_with(|| self.apart())
                    };
                    self.generic(to, f.bytes("Value.items")?, f.data_at, level + 1)
                        .map_err(|e| e.at(member_segment(bytes, base, items)))?;
                    items += 1;
                }
                field::VALUE_KEYS => {
                    self.one_more(keys.len(), f.at)?;
                    keys.push((self.string(&f, "Value.keys")?, f.at));
                }
                _ => {}
            }
        }
        match (scalar, container) {
            (Some(value), _) if items == 0 && keys.is_empty() => match value {
                Scalar::Value(v) => out.scalar(&v),
                Scalar::String(s) => out.text(s).map(|_| ()),
            },
            (Some(_), _) => Err(Failure::syntax(
                base,
                "a scalar Value with items or keys (only arrays and objects have them)",
            )),
            (None, 1) if keys.is_empty() => {
                self.enter(level, base)?;
                if !in_place {
                    out.begin_array()?;
                    let tape = apart.map(Out::finish).transpose()?.unwrap_or_default();
                    let mut at = tape.root();
                    for _ in 0..items {
                        at = out.copy(&tape, at)?;
                    }
                }
                out.end_array()
            }
            (None, 1) => Err(Failure::syntax(base, "an array Value with keys")),
            (None, 2) if keys.len() == items => {
                self.enter(level, base)?;
                let mut m = out.begin_object()?;
                let tape = apart.map(Out::finish).transpose()?.unwrap_or_default();
                let mut item = tape.root();
                for &(key, at) in &keys {
                    let span = out.string(key)?;
                    item = out.copy(&tape, item)?;
                    self.push(out, &mut m, span, at)?;
                }
                out.end_object(&m)
            }
            (None, 2) => Err(Failure::syntax(
                base,
                format!("an object Value with {} keys and {items} items", keys.len()),
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
        Reader::new(&Options::default(), false).value(bytes, 0, 1)
    }

    /// A message's fields, each as (its number, its bytes), in order.
    fn fields_of(bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
        let mut fields = Fields::new(bytes, 0);
        let (mut out, mut start) = (Vec::new(), 0);
        while let Some(f) = fields.next_field().unwrap() {
            out.push((f.number, bytes[start..fields.pos].to_vec()));
            start = fields.pos;
        }
        out
    }

    fn varint(mut n: u64, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push(u8::try_from(n & 0x7f).unwrap() | 0x80);
            n >>= 7;
        }
        out.push(u8::try_from(n).unwrap());
    }

    /// The length-delimited field `number` of `payload`.
    fn len_field(number: u64, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        varint(number << 3 | 2, &mut out);
        varint(payload.len() as u64, &mut out);
        out.extend(payload);
        out
    }

    /// The payload of a length-delimited field.
    fn payload(field: &[u8]) -> Vec<u8> {
        match Fields::new(field, 0).next_field().unwrap().unwrap().wire {
            Wire::Len(b) => b.to_vec(),
            _ => panic!("not length-delimited"),
        }
    }

    /// The message `bytes` with its fields in the order `order` gives (indices into them).
    fn reordered(bytes: &[u8], order: &[usize]) -> Vec<u8> {
        let fields = fields_of(bytes);
        assert_eq!(order.len(), fields.len());
        order.iter().flat_map(|&i| fields[i].1.clone()).collect()
    }

    fn event(text: &str) -> (exev::Event, Vec<u8>) {
        let e = crate::json::from_str(text).unwrap();
        let bytes = crate::proto::to_vec(&e).unwrap();
        (e, bytes)
    }

    /// The event `bytes` with the body of its block `index` replaced by `f(body)`.
    fn with_block_body(bytes: &[u8], index: usize, f: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
        let mut fields = fields_of(bytes);
        let (_, block) = fields
            .iter_mut()
            .filter(|(n, _)| *n == field::EVENT_CONTENT)
            .nth(index)
            .unwrap();
        let parts: Vec<u8> = fields_of(&payload(block))
            .into_iter()
            .flat_map(|(n, raw)| {
                if (field::BLOCK_VALUE..=field::BLOCK_ENCRYPTED).contains(&n) {
                    len_field(n, &f(&payload(&raw)))
                } else {
                    raw
                }
            })
            .collect();
        *block = len_field(field::EVENT_CONTENT, &parts);
        fields.into_iter().flat_map(|(_, raw)| raw).collect()
    }

    /// Parts of a value that Protobuf runtimes write in one run, when they come apart: the
    /// event's blocks among its other members, a poll's answers among its other fields, an
    /// encrypted file's key members and hashes among each other. They read as in one run.
    #[test]
    fn repeated_fields_read_alike_in_any_order() {
        let (e, bytes) = event(
            r#"{"type":"m.message","content":{"m.text":[{"body":"hi"}],"org.x":{"a":1},"m.automated":true},"sender":"@a:b","event_id":"$e","unsigned":{"age":1},"other":[1]}"#,
        );
        let fields = fields_of(&bytes);
        assert_eq!(
            fields.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [1, 3, 3, 3, 4, 5, 9, 15]
        );
        for order in [
            [4, 1, 5, 2, 0, 6, 3, 7],
            [1, 7, 2, 0, 3, 4, 5, 6],
            [4, 5, 6, 7, 1, 2, 3, 0],
        ] {
            let moved = reordered(&bytes, &order);
            assert_eq!(
                crate::proto::from_slice(&moved).ok(),
                Some(e.clone()),
                "{order:?}"
            );
        }
        // A block given twice after other members is still a duplicate, at its second field.
        let mut twice: Vec<u8> = [0, 1, 4, 2]
            .iter()
            .flat_map(|&i| fields[i].1.clone())
            .collect();
        let at = twice.len();
        twice.extend(&fields[1].1);
        let error = crate::proto::from_slice(&twice).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::DuplicateKey("m.automated".into()));
        assert_eq!(
            error.position(),
            Some(crate::Position::Binary { offset: at })
        );
        assert_eq!(error.path().to_string(), r#"content["m.automated"]"#);

        let (poll, bytes) = event(
            r#"{"type":"m.poll.start","content":{"m.poll":{"kind":"m.disclosed","max_selections":1,"question":{"m.text":[{"body":"q"}]},"answers":[{"m.id":"a","m.text":[{"body":"A"}]},{"m.id":"b","m.text":[{"body":"B"}]},{"m.id":"c","m.text":[]}],"org.x":1,"org.y":[2]}}}"#,
        );
        let moved = with_block_body(&bytes, 0, |body| {
            let numbers: Vec<u64> = fields_of(body).iter().map(|(n, _)| *n).collect();
            assert_eq!(numbers, [1, 2, 3, 4, 4, 4, 100, 100]);
            reordered(body, &[3, 6, 4, 0, 5, 7, 1, 2])
        });
        assert_ne!(moved, bytes);
        assert_eq!(crate::proto::from_slice(&moved).ok(), Some(poll));

        let (file, bytes) = event(
            r#"{"type":"m.file","content":{"m.file":{"url":"mxc://a/b","key":{"k":"x","alg":"A256CTR"},"iv":"i","hashes":{"sha256":"h","sha512":"g"},"v":"v2","org.x":1}}}"#,
        );
        let moved = with_block_body(&bytes, 0, |body| {
            fields_of(body)
                .into_iter()
                .flat_map(|(n, raw)| {
                    if n != 5 {
                        return raw;
                    }
                    let encryption = payload(&raw);
                    let numbers: Vec<u64> =
                        fields_of(&encryption).iter().map(|(n, _)| *n).collect();
                    assert_eq!(numbers, [1, 1, 2, 3, 3, 4]);
                    len_field(5, &reordered(&encryption, &[3, 0, 5, 4, 1, 2]))
                })
                .collect()
        });
        assert_ne!(moved, bytes);
        assert_eq!(crate::proto::from_slice(&moved).ok(), Some(file));
    }

    #[test]
    fn an_array_value_reads_the_same_with_its_marker_anywhere() {
        let expected = Value::Array(vec![Value::Integer(1), Value::Bool(true)]);
        let marker: &[u8] = &[0x2a, 0x00];
        for bytes in [
            [marker, ITEMS].concat(),
            [ITEMS, marker].concat(),
            [&ITEMS[..4], marker, &ITEMS[4..]].concat(),
        ] {
            assert_eq!(value(&bytes).ok(), Some(expected.clone()), "{bytes:02x?}");
        }
        // Keys make it an error, wherever they are.
        let error = value(&[ITEMS, marker, &KEYS[..3]].concat()).unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Syntax(s) if s.contains("array Value with keys"))
        );
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

    /// The event read with its strings checked all at once, and one by one.
    fn both_ways(bytes: &[u8]) -> (Parsed<Tape>, Parsed<Tape>) {
        let options = Options::default();
        (
            Reader::new(&options, true).event(bytes, 0),
            Reader::new(&options, false).event(bytes, 0),
        )
    }

    /// Strings of every kind the deferred check covers: a typed field's, the event's own, a
    /// generic value's, a member's key and an object's keys, non-ASCII among them.
    const STRINGS: &str = r#"{"type": "m.x", "sender": "@a:ex", "content": {
        "m.text": [{"body": "h\u00e9llo", "mimetype": "text/html"}],
        "org.example.probe": {"k\u00e9": ["v\u00e4", "w"], "": 1, "z": {"y": "x"}}}}"#;

    #[test]
    fn strings_checked_at_once_fail_exactly_when_checked_one_by_one() {
        let (_, bytes) = event(STRINGS);
        let (deferred, checked) = both_ways(&bytes);
        assert_eq!(deferred.unwrap(), checked.unwrap());
        // Every byte, in turn, made a continuation byte, a lead byte without its
        // continuation, and a byte never in UTF-8.
        let mut failures = 0;
        for i in 0..bytes.len() {
            for b in [0xa9, 0xc3, 0xff] {
                let mut bad = bytes.clone();
                bad[i] = b;
                let (deferred, checked) = both_ways(&bad);
                match (deferred, checked) {
                    (Ok(d), Ok(c)) => assert_eq!(d, c, "byte {i} as {b:#x}"),
                    (Err(_), Err(_)) => failures += 1,
                    (d, c) => panic!(
                        "byte {i} as {b:#x}: at once {:?}, one by one {:?}",
                        d.err(),
                        c.err()
                    ),
                }
                // What a caller gets is the one-by-one answer.
                let decoded =
                    crate::proto::from_slice(&bad).map(|e| crate::json::to_vec(&e).unwrap());
                let expected = Reader::new(&Options::default(), false).event(&bad, 0);
                assert_eq!(decoded.is_ok(), expected.is_ok(), "byte {i} as {b:#x}");
                if let (Err(got), Err(want)) = (decoded, expected) {
                    let want = want.into_error(|offset| crate::Position::Binary { offset });
                    assert_eq!(got.to_string(), want.to_string(), "byte {i} as {b:#x}");
                }
            }
        }
        assert!(
            failures > bytes.len(),
            "the sweep reached the strings ({failures} failures)"
        );
    }

    #[test]
    fn a_character_split_across_two_strings_is_refused() {
        // Two adjacent items of a generic array: "x" + c3, then a9 + "y". Together they would
        // be "xéy"; each alone is not UTF-8, and the first goes wrong at its c3.
        let (_, bytes) = event(r#"{"type": "m.x", "content": {"org.example.a": ["xA", "Ay"]}}"#);
        let at = |needle: &[u8]| bytes.windows(2).position(|w| w == needle).unwrap();
        let mut bad = bytes.clone();
        let (first, second) = (at(b"xA") + 1, at(b"Ay"));
        bad[first] = 0xc3;
        bad[second] = 0xa9;
        let (deferred, checked) = both_ways(&bad);
        assert!(deferred.is_err() && checked.is_err());
        let err = crate::proto::from_slice(&bad).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::InvalidUtf8);
        assert_eq!(
            err.position(),
            Some(crate::Position::Binary { offset: first })
        );
    }
}
