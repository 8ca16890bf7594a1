//! Protobuf: the published schema `schemas/proto/exev/v1/*.proto` (package `exev.v1`), on
//! [prost].
//!
//! The functions have the shape of [`crate::json`]'s and [`crate::cbor`]'s; streams are
//! length-delimited (each message after its length as a varint, as prost's
//! `encode_length_delimited` writes them): [`StreamReader`], [`StreamWriter`]. Unlike prost,
//! decoding refuses what lies outside the data model and the [`Options`] limits, and its
//! errors say where.
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
//! a test). Decoding reads the wire format directly onto the tape the event's content is read
//! from on demand, as the JSON and CBOR decoders do, in one pass (a generic object's keys are
//! found by a second cursor over the same bytes; the tests check the decoder against prost's
//! generated one): no intermediate messages, allocation bounded by the input, and errors with
//! the exact byte offset ([`Position::Binary`]) and the path in the event. It checks what the
//! JSON decoder checks: the [`Options`] limits (size, depth, string length, element count),
//! integers in ±(2^53 - 1) (unless lenient), no duplicate keys, and the schema's rules;
//! strings are UTF-8 by Protobuf's own rule. Errors are at:
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
//! let bytes = proto::to_vec(&event)?;
//! assert!(bytes.len() < json::to_vec(&event)?.len());
//! assert_eq!(proto::from_slice(&bytes)?, event);
//!
//! // Cut short: the error is at the length that runs past the end.
//! let err = proto::from_slice(&bytes[..bytes.len() - 1]).unwrap_err();
//! assert_eq!(err.category(), exev_codec::Category::Eof);
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

use exev::{Event, Value};
use prost::Message as _;

use crate::failure::{TopLevel, tape_into_event};
use crate::format::read_at_most;
use crate::stream::{Split, format_streams};
use crate::{Error, ErrorKind, Format, Options, Position};

format_streams!(
    proto,
    Format::Proto,
    "a length-delimited Protobuf stream (each message after its length as a varint)"
);

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
///
/// ```
/// use exev_codec::proto;
///
/// // Field 2 (custom_type), 3 bytes: "m.x".
/// let event = proto::from_slice(b"\x12\x03m.x")?;
/// assert_eq!(event.event_type(), "m.x");
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn from_slice(bytes: &[u8]) -> Result<Event, Error> {
    from_slice_with(bytes, &Options::default())
}

/// Decodes one event with `options`.
///
/// # Errors
///
/// As [`from_slice`].
///
/// ```
/// use exev_codec::{Category, Options, proto};
///
/// let err = proto::from_slice_with(b"\x12\x03m.x", &Options::default().max_bytes(4)).unwrap_err();
/// assert_eq!(err.category(), Category::Limit);
/// ```
pub fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error> {
    if bytes.len() > options.max_bytes {
        return Err(crate::error::too_large(
            bytes.len(),
            options.max_bytes,
            options.max_bytes,
        ));
    }
    let position = |offset| Position::Binary { offset };
    // String values are checked as UTF-8 all at once; on any failure the input is read again
    // with each string checked as it comes, so that the failure reported is the first one,
    // where it is, exactly as if every string had been checked in turn.
    let tape = read::Reader::new(options, true)
        .event(bytes, 0)
        .or_else(|_| read::Reader::new(options, false).event(bytes, 0))
        .map_err(|f| f.into_error(position))?;
    // The decoder has checked the event's shape: what is left to place cannot fail.
    tape_into_event(tape, &TopLevel::default(), position)
}

/// Reads at most the default [`Options::max_bytes`] from `reader` and decodes one event.
///
/// # Errors
///
/// As [`from_slice`], and the reader's I/O errors; input past the size limit is refused
/// without reading all of it.
///
/// ```
/// let event = exev_codec::proto::from_reader(&b"\x12\x03m.x"[..])?;
/// assert_eq!(event.event_type(), "m.x");
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn from_reader<R: Read>(reader: R) -> Result<Event, Error> {
    from_reader_with(reader, &Options::default())
}

/// Reads at most `options.max_bytes` from `reader` and decodes one event with `options`.
///
/// # Errors
///
/// As [`from_reader`].
///
/// ```
/// use exev_codec::{Options, proto};
///
/// let event = proto::from_reader_with(&b"\x12\x03m.x"[..], &Options::default().max_bytes(5))?;
/// assert_eq!(event.event_type(), "m.x");
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn from_reader_with<R: Read>(reader: R, options: &Options) -> Result<Event, Error> {
    from_slice_with(&read_at_most(reader, options.max_bytes)?, options)
}

/// Encodes an event as an `exev.v1.Event` message.
///
/// # Errors
///
/// [`ErrorKind::Unencodable`] only for a kind of [`Value`] this codec does not know (the enum
/// is non-exhaustive): every event of today's model encodes.
///
/// ```
/// use exev_codec::{json, proto};
///
/// let event = json::from_str(r#"{"type":"org.example.x","content":{}}"#)?;
/// assert_eq!(proto::to_vec(&event)?, b"\x12\x0dorg.example.x");
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_vec(event: &Event) -> Result<Vec<u8>, Error> {
    Ok(encode::event(event)?.encode_to_vec())
}

/// Writes an event as an `exev.v1.Event` message to `writer`.
///
/// # Errors
///
/// As [`to_vec`], and the writer's I/O errors.
///
/// ```
/// use exev_codec::{json, proto};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// let mut out = Vec::new();
/// proto::to_writer(&mut out, &event)?;
/// assert_eq!(proto::from_slice(&out)?, event);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_writer<W: Write>(mut writer: W, event: &Event) -> Result<(), Error> {
    writer.write_all(&to_vec(event)?).map_err(|e| Error::io(&e))
}

/// Encodes an event for a stream: its length as a varint, then the message (one event of what
/// [`StreamWriter`] writes).
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// use exev_codec::{json, proto};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// let framed = proto::to_vec_delimited(&event)?;
/// assert_eq!(usize::from(framed[0]), framed.len() - 1);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_vec_delimited(event: &Event) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    encode_delimited_into(event, &mut out)?;
    Ok(out)
}

/// Appends an event's length-delimited message to `out`.
pub(crate) fn encode_delimited_into(event: &Event, out: &mut Vec<u8>) -> Result<(), Error> {
    encode::event(event)?
        .encode_length_delimited(out)
        .map_err(|_| Error::internal(out.len(), "a Vec refused to grow"))
}

/// Whether the block `name` with `value` is encoded as a typed message (rather than as a
/// generic `Value`): `name` is a built-in block's, `value` reads typed without error, and the
/// typed reading writes back exactly `value`.
///
/// ```
/// use exev::{Block, TextBlock, Value};
///
/// let text = TextBlock::plain("hi").to_value();
/// assert!(exev_codec::proto::is_typed("m.text", &text));
/// assert!(!exev_codec::proto::is_typed("m.text", &Value::from("hi")));
/// ```
pub fn is_typed(name: &str, value: &Value) -> bool {
    matches!(encode::typed_body(name, value), Ok(Some(_)))
}

/// Length-delimited framing: the message after the varint length at the start of `pending`,
/// refused before it is read when the length is past the size limit.
pub(crate) fn split(pending: &[u8], eof: bool, options: &Options) -> Result<Split, Error> {
    let mut len: u64 = 0;
    let mut prefix = None;
    for (i, &b) in pending.iter().take(MAX_VARINT_BYTES).enumerate() {
        // The tenth byte may only hold the top bit of a u64.
        if i == MAX_VARINT_BYTES - 1 && b > 1 {
            break;
        }
        len |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            prefix = Some(i + 1);
            break;
        }
    }
    let Some(prefix) = prefix else {
        if pending.len() >= MAX_VARINT_BYTES {
            return Err(Error::new(
                ErrorKind::Syntax("over-long varint in a length prefix".into()),
                Some(Position::Binary { offset: 0 }),
                exev::Path::root(),
            ));
        }
        if eof {
            return Err(end(pending.len(), "the rest of a length prefix"));
        }
        return Ok(Split::More { scanned: 0 });
    };
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > options.max_bytes {
        return Err(crate::error::too_large(len, options.max_bytes, 0));
    }
    if pending.len() - prefix >= len {
        Ok(Split::Frame {
            start: prefix,
            end: prefix + len,
            next: prefix + len,
        })
    } else if eof {
        Err(end(
            pending.len(),
            "the rest of a message (its length prefix says more)",
        ))
    } else {
        Ok(Split::More { scanned: 0 })
    }
}

/// The input ended at `offset` where `expected` was needed.
fn end(offset: usize, expected: &'static str) -> Error {
    Error::new(
        ErrorKind::UnexpectedEnd { expected },
        Some(Position::Binary { offset }),
        exev::Path::root(),
    )
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
        let bytes = to_vec(&e).unwrap();
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
    fn delimited_stream_errors_are_at_their_offsets() {
        let e = event(r#"{"type":"m.a","content":{}}"#);
        let one = to_vec_delimited(&e).unwrap();
        let mut bytes = one.clone();
        bytes.extend(&one[..one.len() - 1]);
        let mut s = StreamReader::new(&bytes[..]);
        assert_eq!(s.next().unwrap().unwrap(), e);
        let err = s.next().unwrap().unwrap_err();
        assert_eq!(
            err.position(),
            Some(Position::Binary {
                offset: bytes.len()
            })
        );
        // A huge length is refused before reading, at the prefix.
        let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
        let err = StreamReader::new(&huge[..]).next().unwrap().unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::TooLarge { .. }));
        assert_eq!(err.position(), Some(Position::Binary { offset: 0 }));
        let overlong = [0xff; 11];
        let err = StreamReader::new(&overlong[..])
            .next()
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("over-long varint"), "{err}");
    }

    /// proto3 leaves an empty singular string off the wire, so prost's own code writes
    /// `Member.key`, `EncryptedFile.iv` and `EncryptedFile.v` not at all when they are "": the
    /// decoder must read them back as "" (the branches that read an absent one).
    #[test]
    fn absent_proto3_strings_read_as_empty() {
        let e = event(
            r#"{"type":"m.x","content":{"m.file":{"url":"mxc://a/b","key":{"kty":"oct","alg":"A256CTR","k":"k","ext":true},"iv":"","hashes":{"sha256":"h"},"v":""},"o":{"":2}},"":3}"#,
        );
        let wire = encode::event(&e).unwrap();
        let file = wire
            .content
            .iter()
            .find_map(|b| match &b.body {
                Some(wire::block::Body::File(f)) => Some(f),
                _ => None,
            })
            .unwrap();
        let encryption = file.encryption.as_ref().unwrap();
        assert!(encryption.iv.is_empty() && encryption.v.is_empty());
        let bytes = to_vec(&e).unwrap();
        // prost writes no key field (0x0a) for the `""` members: the `Event.other` member is
        // `7a 04 12 02 18 06` (field 15, then only its value).
        assert!(
            bytes.windows(4).any(|w| w == [0x7a, 0x04, 0x12, 0x02]),
            "{bytes:02x?}"
        );
        assert_eq!(from_slice(&bytes).unwrap(), e);
        // Built by hand: a `Poll` message with no answers at all reads as `"answers": []`.
        let poll = event(r#"{"type":"m.x","content":{"m.poll":{"answers":[]}}}"#);
        assert_eq!(from_slice(&to_vec(&poll).unwrap()).unwrap(), poll);
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
            let bytes = to_vec(&e).unwrap();
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
