//! JSON: decoding into the model, and encoding as Matrix canonical JSON.
//!
//! Decoding is strict by default: everything outside the canonical-JSON data model is an error
//! with its line, column, byte offset and path, namely numbers with a fraction, integers
//! outside ±(2^53 - 1), duplicate keys, lone surrogates, invalid UTF-8, raw control characters
//! in strings and trailing data. A number that is exactly an integer in range, however it is
//! written (`1e10`, `-0`, `2.0`), reads as that integer. [`NumberPolicy::Lenient`](crate::NumberPolicy::Lenient) keeps
//! out-of-model numbers verbatim instead.
//!
//! Encoding writes canonical JSON: keys sorted by code point, no insignificant whitespace,
//! integers in plain decimal, UTF-8 unescaped but for `"`, `\` and control characters.
//! Streams are NDJSON: one event a line ([`StreamReader`], [`StreamWriter`]).
//!
//! The functions are `serde_json`'s, for [`exev::Event`]: [`from_slice`], [`from_str`],
//! [`from_reader`], [`to_vec`], [`to_vec_pretty`], [`to_string`], [`to_writer`], and the same
//! shape as [`crate::cbor`] and [`crate::proto`]. Unlike `serde_json`, every function that
//! decodes takes its limits from [`Options`] (`*_with`) and refuses input past them, and
//! encoding returns a `Result` in every format (a value the model may grow that an encoder
//! does not know is refused, never written as something else).
//!
//! ```
//! use exev_codec::json;
//!
//! let event = json::from_str(r#"{"type": "m.message", "content": {"m.text": [{"body": "hi"}]}}"#)?;
//! assert_eq!(event.content().text().unwrap().unwrap().plain_text(), Some("hi"));
//! assert_eq!(
//!     json::to_vec(&event)?,
//!     br#"{"content":{"m.text":[{"body":"hi"}]},"type":"m.message"}"#
//! );
//! # Ok::<(), exev_codec::Error>(())
//! ```

mod read;
mod scan;
mod write;

use std::io::{Read, Write};

use exev::{Event, Value};

use crate::failure::{TopLevel, tape_into_event};
use crate::format::read_at_most;
use crate::stream::{Split, format_streams};
use crate::{Error, Format, Options, Position};

format_streams!(
    json,
    Format::Json,
    "an NDJSON stream (one JSON event a line)"
);

/// Decodes one event with the default [`Options`].
///
/// # Errors
///
/// An [`Error`] naming what is wrong and where, when the bytes are not one JSON event within
/// the data model and the limits.
///
/// ```
/// use exev_codec::json;
///
/// let event = json::from_slice(br#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]}}"#)?;
/// assert_eq!(event.event_type(), "m.message");
/// assert!(json::from_slice(br#"{"type":"m.message","content":{"n":1.5}}"#).is_err());
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn from_slice(bytes: &[u8]) -> Result<Event, Error> {
    from_slice_with(bytes, &Options::default())
}

/// Decodes one event from a string with the default [`Options`].
///
/// # Errors
///
/// As [`from_slice`].
///
/// ```
/// let event = exev_codec::json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// assert!(event.content().is_empty());
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn from_str(text: &str) -> Result<Event, Error> {
    from_slice(text.as_bytes())
}

/// Decodes one event with `options`.
///
/// # Errors
///
/// As [`from_slice`].
///
/// ```
/// use exev_codec::{NumberPolicy, Options, json};
///
/// let lenient = Options::default().numbers(NumberPolicy::Lenient);
/// let event = json::from_slice_with(br#"{"type":"m.x","content":{"n":1.5}}"#, &lenient)?;
/// assert_eq!(json::to_vec(&event)?, br#"{"content":{"n":1.5},"type":"m.x"}"#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error> {
    let mut top = TopLevel::default();
    let tape = read::Reader::new(bytes, options)
        .document(&mut top)
        .map_err(|f| f.into_error(|o| Position::in_text(bytes, o)))?;
    tape_into_event(tape, &top, |o| Position::in_text(bytes, o))
}

/// Decodes any one JSON value (not necessarily an event) with `options`.
///
/// # Errors
///
/// As [`from_slice`], less the event-shape checks.
///
/// ```
/// use exev_codec::{Options, json};
///
/// let value = json::value_from_slice(b"[1, {\"a\": null}]", &Options::default())?;
/// assert_eq!(json::value_to_vec(&value)?, br#"[1,{"a":null}]"#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn value_from_slice(bytes: &[u8], options: &Options) -> Result<Value, Error> {
    let tape = read::Reader::new(bytes, options)
        .document(&mut TopLevel::default())
        .map_err(|f| f.into_error(|o| Position::in_text(bytes, o)))?;
    Ok(tape.value(tape.root()))
}

crate::typed::typed_readers!(
    "JSON",
    r##"let level: Level = exev_codec::json::from_slice_as(br#"{"percent": 40}"#)?;
assert_eq!(level.percent, 40);
let err = exev_codec::json::from_slice_as::<Level>(br#"{"percent": 1.5}"#).err().unwrap();
assert_eq!(
    err.to_string(),
    "number 1.5 is not an integer: canonical JSON allows integers only at percent (line 1, column 13, byte 12)"
);
let err = exev_codec::json::from_slice_as::<Level>(br#"{"percent": 400}"#).err().unwrap();
assert_eq!(err.category(), exev_codec::Category::Shape);
assert_eq!(err.to_string(), "expected u8, found integer `400` at percent");"##
);

/// Reads at most the default [`Options::max_bytes`] from `reader` and decodes one event.
///
/// # Errors
///
/// As [`from_slice`], and the reader's I/O errors; input past the size limit is refused
/// without reading all of it.
///
/// ```
/// let event = exev_codec::json::from_reader(&br#"{"type":"m.x","content":{}}"#[..])?;
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
/// use exev_codec::{ErrorKind, Options, json};
///
/// let input = &br#"{"type":"m.x","content":{}}"#[..];
/// let err = json::from_reader_with(input, &Options::default().max_bytes(10)).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::TooLarge { limit: 10, .. }));
/// ```
pub fn from_reader_with<R: Read>(reader: R, options: &Options) -> Result<Event, Error> {
    from_slice_with(&read_at_most(reader, options.max_bytes)?, options)
}

/// Encodes an event as canonical JSON.
///
/// Lenient [`exev::Number`]s, which lie outside canonical JSON, are written as their literal;
/// [`Value::is_canonical`] tells whether an event has any.
///
/// # Errors
///
/// [`crate::ErrorKind::Unencodable`] only for a kind of [`Value`] this codec does not know
/// (the enum is non-exhaustive): every event of today's model encodes.
///
/// ```
/// use exev_codec::json;
///
/// let event = json::from_str(r#"{ "type": "m.x", "content": { "b": 1, "a": [] } }"#)?;
/// assert_eq!(json::to_vec(&event)?, br#"{"content":{"a":[],"b":1},"type":"m.x"}"#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_vec(event: &Event) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(256);
    encode_into(event, &mut out)?;
    Ok(out)
}

/// Encodes an event as canonical JSON, in a `String`.
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// let event = exev_codec::json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// assert_eq!(exev_codec::json::to_string(&event)?, r#"{"content":{},"type":"m.x"}"#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_string(event: &Event) -> Result<String, Error> {
    String::from_utf8(to_vec(event)?)
        .map_err(|_| Error::internal(0, "the JSON encoder wrote invalid UTF-8"))
}

/// Encodes an event as indented JSON with sorted keys, for people.
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// let event = exev_codec::json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// assert_eq!(
///     exev_codec::json::to_vec_pretty(&event)?,
///     b"{\n  \"content\": {},\n  \"type\": \"m.x\"\n}"
/// );
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_vec_pretty(event: &Event) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(512);
    write::pretty_members(&write::event_members(event), 0, &mut out)?;
    Ok(out)
}

/// Writes an event as canonical JSON to `writer`.
///
/// # Errors
///
/// As [`to_vec`], and the writer's I/O errors.
///
/// ```
/// let event = exev_codec::json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// let mut out = Vec::new();
/// exev_codec::json::to_writer(&mut out, &event)?;
/// assert_eq!(out, br#"{"content":{},"type":"m.x"}"#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_writer<W: Write>(mut writer: W, event: &Event) -> Result<(), Error> {
    writer.write_all(&to_vec(event)?).map_err(|e| Error::io(&e))
}

/// Appends an event's canonical JSON to `out`.
pub(crate) fn encode_into(event: &Event, out: &mut Vec<u8>) -> Result<(), Error> {
    Ok(write::canonical_members(&write::event_members(event), out)?)
}

/// Encodes any value as canonical JSON.
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// let value = exev::Value::from(vec![exev::Value::from(1), exev::Value::from("a")]);
/// assert_eq!(exev_codec::json::value_to_vec(&value)?, br#"[1,"a"]"#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn value_to_vec(value: &Value) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write::canonical(value, &mut out)?;
    Ok(out)
}

/// Encodes any value as indented JSON with sorted keys.
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// let value = exev::Value::from(vec![exev::Value::from(1)]);
/// assert_eq!(exev_codec::json::value_to_vec_pretty(&value)?, b"[\n  1\n]");
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn value_to_vec_pretty(value: &Value) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write::pretty(value, 0, &mut out)?;
    Ok(out)
}

/// NDJSON framing: the next line of `pending` (its first `scanned` bytes hold no newline),
/// without its line end; a line of whitespace is skipped.
pub(crate) fn split(
    pending: &[u8],
    scanned: usize,
    eof: bool,
    options: &Options,
) -> Result<Split, Error> {
    let limit = options.max_bytes;
    let newline = pending
        .get(scanned..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
        .map(|i| scanned + i);
    let (line, next) = match newline {
        Some(at) => (pending.get(..at), at + 1),
        // The last line may end without a newline.
        None if eof => (Some(pending), pending.len()),
        // A line end may still come, but the line is past the limit already (one more byte
        // is allowed for a `\r`).
        None if pending.len() > limit.saturating_add(1) => {
            return Err(line_too_large(pending, pending.len(), limit));
        }
        None => {
            return Ok(Split::More {
                scanned: pending.len(),
            });
        }
    };
    let line = line.ok_or_else(|| Error::internal(0, "a line end past the bytes read"))?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() > limit {
        return Err(line_too_large(line, line.len(), limit));
    }
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(Split::Skip { next });
    }
    Ok(Split::Frame {
        start: 0,
        end: line.len(),
        next,
    })
}

/// A line of `size` bytes (or more) past the size limit, refused where the limit is.
fn line_too_large(line: &[u8], size: usize, limit: usize) -> Error {
    crate::failure::Failure::new(limit, crate::ErrorKind::TooLarge { size, limit })
        .into_error(|o| Position::in_text(line, o))
}
