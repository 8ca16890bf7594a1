//! Protobuf: the published schema `schemas/proto/exev/v1/*.proto` (package `exev.v1`), on
//! [prost].
//!
//! The encoding is lossless: [`from_slice`] of [`to_vec`] gives back the same [`Event`] for
//! every event of the data model: unknown event types and blocks, unknown members of known
//! blocks, malformed known blocks, unstable and obsolete names, both names of a stable and
//! unstable pair. It is deterministic: equal events give equal bytes (blocks and members in
//! code-point order of their keys).
//!
//! How blocks travel: a block whose value is in the stable shape of a built-in block (it reads
//! typed without error and the typed reading writes back the same value) is a typed message
//! (`Text`, `File`, `Poll`, ...), whose `extra` field keeps the members it does not model;
//! everything else is a generic `Value` (64-bit integers, never doubles). The key a block was
//! sent under is kept either way, as an interned `BlockName` number for the built-in names.
//! [`is_typed`] tells which way a block goes.
//!
//! Encoding uses the code prost-build generates from the schema (committed, checked fresh by
//! a test). Decoding reads the wire format directly into the model, in one pass (a generic
//! object's keys are found by a second cursor over the same bytes; the tests check the
//! decoder against prost's generated one): no intermediate messages, allocation bounded
//! by the input, and errors with the exact byte offset ([`Position::Binary`]) and the path in
//! the event. It checks what the JSON decoder checks: the [`Options`] limits (size, depth,
//! string length, element count), integers in ±(2^53 - 1) (unless lenient), no duplicate keys,
//! and the schema's rules; strings are UTF-8 by Protobuf's own rule. Errors are at:
//! - the byte that is wrong: a truncated varint or length, an over-long varint (its first
//!   byte), a wrong wire type or a singular field given twice (the field's key), invalid UTF-8
//!   (the first invalid byte), a string over the limit (its first byte), an integer out of
//!   range, an element past the limit;
//! - the start of the message, for rules about a message as a whole (a `Value` with no kind,
//!   an object whose keys and items differ in number, a `Block` without a name);
//! - `max_bytes` for input over [`Options::max_bytes`], refused before decoding; a stream's
//!   length prefix is checked where it is, before its message is read.
//!
//! Stricter than Protobuf's merging rules, as the data model asks: a singular field (or oneof)
//! given twice, and a key given twice in a map or object, are errors rather than "last one
//! wins". Unknown fields are skipped (so the schema can grow); groups, which proto3 does not
//! use, are errors.
//!
//! Nesting is limited to [`MAX_WIRE_DEPTH`] levels, whatever [`Options::max_depth`] allows
//! beyond it (the default, 64, is below it), so that what exev writes other Protobuf runtimes
//! can read.
//!
//! ```
//! use exev_codec::{json, proto};
//!
//! let event = json::from_str(r#"{"type":"m.message","content":{"m.text":[{"body":"hi"}],
//!     "org.example.custom":{"n":1}},"sender":"@a:example.org"}"#)?;
//! let bytes = proto::to_vec(&event);
//! assert!(bytes.len() < json::to_vec(&event).len());
//! assert_eq!(proto::from_slice(&bytes)?, event);
//!
//! // Cut short: the error is at the length that runs past the end.
//! let err = proto::from_slice(&bytes[..bytes.len() - 1]).unwrap_err();
//! assert_eq!(err.category(), exev_codec::Category::Syntax);
//! assert!(matches!(err.position(), Some(exev_codec::Position::Binary { offset }) if offset > 0));
//! # Ok::<(), exev_codec::Error>(())
//! ```

/// The reference decoder (prost's generated code, then a conversion), for the tests.
#[cfg(test)]
#[allow(dead_code)]
mod decode;
mod encode;
mod names;
mod read;

use std::io::{Read, Write};

use exev::{Event, Path, Value};
use prost::Message as _;

use crate::{Error, ErrorKind, Options, Position};

/// The code prost-build generates from the schema, committed (see `proto-interop`'s
/// `generated_is_fresh` test, which checks it is fresh).
#[allow(
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    clippy::all,
    clippy::pedantic,
    clippy::doc_markdown,
    clippy::cast_possible_truncation
)]
mod wire {
    include!("proto/exev.v1.rs");
}

/// The deepest nesting this codec decodes, the event object being level 1, whatever
/// [`Options::max_depth`] allows.
///
/// Protobuf runtimes refuse messages nested past about 100 (prost: 101 levels, its recursion
/// limit of 100 below the top-level message). Each level of JSON nesting is one level of
/// messages here, plus at most two more along any path (a `Member` of an `extra` field or of
/// `Event.other`, and the scalar `Value` at the bottom), so every event this codec accepts,
/// other runtimes can read too.
pub const MAX_WIRE_DEPTH: usize = 99;

/// The most bytes a varint takes.
const MAX_VARINT_BYTES: usize = 10;

/// Decodes one event with the default [`Options`].
///
/// # Errors
///
/// An [`Error`] naming what is wrong, at a byte offset (see the [module docs](self)), when the
/// bytes are not one `exev.v1.Event` within the data model and the limits.
pub fn from_slice(bytes: &[u8]) -> Result<Event, Error> {
    from_slice_with(bytes, &Options::default())
}

/// Decodes one event with `options`.
///
/// # Errors
///
/// As [`from_slice`].
pub fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error> {
    if bytes.len() > options.max_bytes {
        return Err(too_large(bytes.len(), options.max_bytes, options.max_bytes));
    }
    decode_at(bytes, options, 0)
}

/// Decodes the message `bytes`, which starts at `offset` in the input.
fn decode_at(bytes: &[u8], options: &Options, offset: usize) -> Result<Event, Error> {
    read::Reader::new(options)
        .event(bytes, offset)
        .map_err(|f| f.into_error(|offset| Position::Binary { offset }))
}

fn too_large(size: usize, limit: usize, offset: usize) -> Error {
    Error::new(
        ErrorKind::TooLarge { size, limit },
        Some(Position::Binary { offset }),
        Path::root(),
    )
}

/// Reads at most `options.max_bytes` bytes from `reader` and decodes one event.
///
/// # Errors
///
/// As [`from_slice`], plus I/O errors; input past the size limit is refused without reading
/// all of it.
pub fn from_reader<R: Read>(reader: R, options: &Options) -> Result<Event, Error> {
    let bytes = crate::json::read_limited(reader, options.max_bytes)?;
    from_slice_with(&bytes, options)
}

/// Encodes an event as an `exev.v1.Event` message.
pub fn to_vec(event: &Event) -> Vec<u8> {
    encode::event(event).encode_to_vec()
}

/// Writes an event as an `exev.v1.Event` message to `writer`.
///
/// # Errors
///
/// The writer's I/O errors.
pub fn to_writer<W: Write>(mut writer: W, event: &Event) -> std::io::Result<()> {
    writer.write_all(&to_vec(event))
}

/// Encodes an event for a stream: its length as a varint, then the message.
pub fn to_vec_delimited(event: &Event) -> Vec<u8> {
    encode::event(event).encode_length_delimited_to_vec()
}

/// Writes an event to a stream: its length as a varint, then the message.
///
/// # Errors
///
/// The writer's I/O errors.
pub fn write_delimited<W: Write>(mut writer: W, event: &Event) -> std::io::Result<()> {
    writer.write_all(&to_vec_delimited(event))
}

/// Whether the block `name` with `value` is encoded as a typed message (rather than as a
/// generic `Value`): `name` is a built-in block's, `value` reads typed without error, and the
/// typed reading writes back exactly `value`.
pub fn is_typed(name: &str, value: &Value) -> bool {
    encode::typed_body(name, value).is_some()
}

/// Whether `bytes` start like an `exev.v1.Event` message and not like JSON or CBOR: the first
/// byte is the tag of one of `Event`'s fields with its wire type. exev's encoder always starts
/// with field 1 or 2 (the type); other encoders may order fields differently. No JSON text
/// (`{`, whitespace) and no CBOR map (`0xa0`..`0xbf`) starts with one of these bytes.
pub fn looks_like_event(bytes: &[u8]) -> bool {
    // (field << 3) | wire type, for fields 1 to 9 and 15.
    const TAGS: [u8; 10] = [0x08, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x38, 0x42, 0x4a, 0x7a];
    bytes.first().is_some_and(|b| TAGS.contains(b))
}

/// Reads length-delimited events (a varint length, then the message) from a reader, one at a
/// time, never buffering more than one message and refusing a length over
/// [`Options::max_bytes`] before reading it.
///
/// ```
/// use exev_codec::{json, proto, Options};
///
/// let a = json::from_str(r#"{"type":"m.a","content":{}}"#)?;
/// let b = json::from_str(r#"{"type":"m.b","content":{"m.ts":5}}"#)?;
/// let mut bytes = proto::to_vec_delimited(&a);
/// bytes.extend(proto::to_vec_delimited(&b));
/// let events: Vec<_> = proto::StreamReader::new(&bytes[..], Options::default())
///     .collect::<Result<_, _>>()?;
/// assert_eq!(events, [a, b]);
/// # Ok::<(), exev_codec::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamReader<R> {
    reader: R,
    options: Options,
    offset: usize,
    failed: bool,
}

impl<R: Read> StreamReader<R> {
    /// A stream over `reader`, decoding with `options`.
    pub fn new(reader: R, options: Options) -> StreamReader<R> {
        StreamReader {
            reader,
            options,
            offset: 0,
            failed: false,
        }
    }

    /// The offset of the next byte to read.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The next event, `Ok(None)` at a clean end of input (between messages).
    ///
    /// # Errors
    ///
    /// As [`from_slice`], at offsets in the whole stream; a length prefix that is over-long,
    /// truncated or over [`Options::max_bytes`], and a message cut short, are errors at their
    /// offset.
    pub fn next_event(&mut self) -> Result<Option<Event>, Error> {
        let start = self.offset;
        let Some(len) = self.length(start)? else {
            return Ok(None);
        };
        if len > self.options.max_bytes {
            return Err(too_large(len, self.options.max_bytes, start));
        }
        let mut message = Vec::new();
        let want = u64::try_from(len).unwrap_or(u64::MAX);
        (&mut self.reader).take(want).read_to_end(&mut message)?;
        let message_at = self.offset;
        self.offset += message.len();
        if message.len() < len {
            return Err(Error::new(
                ErrorKind::UnexpectedEnd {
                    expected: "the rest of a message (its length prefix says more)",
                },
                Some(Position::Binary {
                    offset: self.offset,
                }),
                Path::root(),
            ));
        }
        decode_at(&message, &self.options, message_at).map(Some)
    }

    /// Reads a varint length prefix; `None` at the end of input before its first byte.
    fn length(&mut self, start: usize) -> Result<Option<usize>, Error> {
        let mut value: u64 = 0;
        for i in 0..MAX_VARINT_BYTES {
            let mut byte = [0u8];
            let n = read_byte(&mut self.reader, &mut byte)?;
            if n == 0 {
                if i == 0 {
                    return Ok(None);
                }
                return Err(Error::new(
                    ErrorKind::UnexpectedEnd {
                        expected: "the rest of a length prefix",
                    },
                    Some(Position::Binary {
                        offset: self.offset,
                    }),
                    Path::root(),
                ));
            }
            self.offset += 1;
            let [b] = byte;
            // The tenth byte may only hold the top bit of a u64.
            if i == MAX_VARINT_BYTES - 1 && b > 1 {
                break;
            }
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(Some(usize::try_from(value).unwrap_or(usize::MAX)));
            }
        }
        Err(Error::new(
            ErrorKind::Syntax("over-long varint in a length prefix".into()),
            Some(Position::Binary { offset: start }),
            Path::root(),
        ))
    }
}

fn read_byte<R: Read>(reader: &mut R, byte: &mut [u8; 1]) -> std::io::Result<usize> {
    loop {
        match reader.read(byte) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

impl<R: Read> Iterator for StreamReader<R> {
    type Item = Result<Event, Error>;

    /// The next event; after the first error, `None`.
    fn next(&mut self) -> Option<Result<Event, Error>> {
        if self.failed {
            return None;
        }
        let next = self.next_event().transpose();
        if matches!(next, Some(Err(_))) {
            self.failed = true;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn event(text: &str) -> Event {
        json::from_str(text).unwrap()
    }

    #[test]
    fn typed_and_generic_blocks_round_trip() {
        let e = event(
            r#"{"type":"m.image","content":{"m.text":[{"body":"x","mimetype":"text/plain","org.x":1}],"m.file":{"url":"mxc://a/b","size":"12"},"org.matrix.msc1767.text":"old","org.example":{"a":[1,null,true,"s",{}]}},"unsigned":{"age":5,"x":[]},"origin_server_ts":"not an int"}"#,
        );
        let bytes = to_vec(&e);
        assert_eq!(from_slice(&bytes).unwrap(), e);
        assert!(is_typed("m.text", e.content().get_raw("m.text").unwrap()));
        // `size` as a string does not read typed: the block rides generic.
        assert!(!is_typed("m.file", e.content().get_raw("m.file").unwrap()));
        assert!(!is_typed(
            "org.matrix.msc1767.text",
            e.content().get_raw("org.matrix.msc1767.text").unwrap()
        ));
    }

    #[test]
    fn delimited_stream_offsets() {
        let e = event(r#"{"type":"m.a","content":{}}"#);
        let one = to_vec_delimited(&e);
        let mut bytes = one.clone();
        bytes.extend(&one[..one.len() - 1]);
        let mut s = StreamReader::new(&bytes[..], Options::default());
        assert_eq!(s.next_event().unwrap(), Some(e));
        let err = s.next_event().unwrap_err();
        assert_eq!(
            err.position(),
            Some(Position::Binary {
                offset: bytes.len()
            })
        );
        // A huge length is refused before reading, at the prefix.
        let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
        let err = StreamReader::new(&huge[..], Options::default())
            .next_event()
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::TooLarge { .. }));
        assert_eq!(err.position(), Some(Position::Binary { offset: 0 }));
        let overlong = [0xff; 11];
        let err = StreamReader::new(&overlong[..], Options::default())
            .next_event()
            .unwrap_err();
        assert!(err.to_string().contains("over-long varint"), "{err}");
    }

    /// The reference decoder: prost's generated code, then the conversion to the model.
    fn reference(bytes: &[u8], options: &Options) -> Result<Event, ()> {
        let message = wire::Event::decode(bytes).map_err(|_| ())?;
        decode::Decoder::new(options).event(message).map_err(|_| ())
    }

    #[test]
    fn the_direct_decoder_agrees_with_prost_generated_code() {
        let samples = [
            r#"{"type":"m.image","content":{"m.text":[{"body":"x","mimetype":"text/html","lang":"en","org.x":1}],"m.file":{"url":"mxc://a/b","size":12,"name":"n","mimetype":"image/png","key":{"k":"x"},"iv":"i","hashes":{"sha256":"h"},"v":"v2"},"m.image_details":{"width":1,"height":2,"m.sticker":true},"m.thumbnail":[{"m.file":{"url":"u","mimetype":"image/png"},"m.image_details":{"width":1,"height":1}}],"m.caption":{"m.text":[{"body":"c"}]},"m.alt_text":{"m.text":[{"body":"a"}]}},"unsigned":{"age":5,"x":[]},"origin_server_ts":17,"sender":"@a:b","event_id":"$e","room_id":"!r","state_key":""}"#,
            r#"{"type":"m.poll.start","content":{"m.poll":{"kind":"m.disclosed","max_selections":1,"question":{"m.text":[{"body":"q"}]},"answers":[{"m.id":"a","m.text":[{"body":"A"}]}]},"m.poll.results":{"a":1},"m.selections":["a"],"m.relates_to":{"rel_type":"m.reference","event_id":"$x","m.in_reply_to":{"event_id":"$y"},"key":"k","is_falling_back":false},"m.mentions":{"user_ids":["@a:b"],"room":true},"m.automated":true,"m.ts":5,"m.topic":{"m.text":[{"body":"t"}]},"m.asset":{"type":"m.self"},"m.location":{"uri":"geo:0,0","description":"d","zoom_level":3},"m.video_details":{"width":1,"height":2,"duration":3},"m.audio_details":{"duration":3,"waveform":[1,2,256]},"m.encrypted":{"algorithm":"m.megolm.v1.aes-sha2","ciphertext":"c","sender_key":"s","device_id":"d","session_id":"i"},"org.x":{"a":[1,-2,null,true,"s",{"b":{}}]}},"other":1}"#,
        ];
        let options = Options::default();
        let mut state = 0x1767_u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        for text in samples {
            let e = event(text);
            let bytes = to_vec(&e);
            assert_eq!(from_slice(&bytes).unwrap(), e);
            assert_eq!(reference(&bytes, &options).unwrap(), e);
            for _ in 0..100_000 {
                let mut b = bytes.clone();
                for _ in 0..=next() % 3 {
                    let len = b.len() as u64;
                    if let Some(byte) = b.get_mut(usize::try_from(next() % len).unwrap()) {
                        *byte = (next() & 0xff) as u8;
                    }
                }
                if let Ok(ours) = from_slice_with(&b, &options) {
                    // What the direct decoder accepts, prost's code accepts, the same.
                    assert_eq!(reference(&b, &options), Ok(ours), "{b:02x?}");
                }
            }
        }
    }
}
