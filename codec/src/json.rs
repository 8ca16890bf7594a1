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
//!
//! ```
//! use exev_codec::json;
//!
//! let event = json::from_str(r#"{"type": "m.message", "content": {"m.text": [{"body": "hi"}]}}"#)?;
//! assert_eq!(event.content().text().unwrap().unwrap().plain_text(), Some("hi"));
//! assert_eq!(
//!     json::to_vec(&event),
//!     br#"{"content":{"m.text":[{"body":"hi"}]},"type":"m.message"}"#
//! );
//! # Ok::<(), exev_codec::Error>(())
//! ```

mod read;
mod scan;
mod write;

use std::io::{Read, Write};

use exev::{Event, Path, Value};

use crate::failure::{TopLevel, parts_into_event};
use crate::{Error, ErrorKind, Options, Position};

/// Decodes one event with the default [`Options`].
///
/// # Errors
///
/// An [`Error`] naming what is wrong and where, when the bytes are not one JSON event within
/// the data model and the limits.
pub fn from_slice(bytes: &[u8]) -> Result<Event, Error> {
    from_slice_with(bytes, &Options::default())
}

/// Decodes one event from a string with the default [`Options`].
///
/// # Errors
///
/// As [`from_slice`].
pub fn from_str(text: &str) -> Result<Event, Error> {
    from_slice(text.as_bytes())
}

/// Decodes one event with `options`.
///
/// # Errors
///
/// As [`from_slice`].
pub fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error> {
    let mut top = TopLevel::capturing();
    let value = read::Reader::new(bytes, options)
        .document(&mut top)
        .map_err(|f| f.into_error(|o| Position::in_text(bytes, o)))?;
    parts_into_event(value, top, |o| Position::in_text(bytes, o))
}

/// Decodes any one JSON value (not necessarily an event) with `options`.
///
/// # Errors
///
/// As [`from_slice`], less the event-shape checks.
pub fn value_from_slice(bytes: &[u8], options: &Options) -> Result<Value, Error> {
    read::Reader::new(bytes, options)
        .document(&mut TopLevel::default())
        .map_err(|f| f.into_error(|o| Position::in_text(bytes, o)))
}

/// Reads at most `options.max_bytes` bytes from `reader` and decodes one event.
///
/// # Errors
///
/// As [`from_slice`], plus I/O errors; input past the size limit is refused without reading
/// all of it.
pub fn from_reader<R: Read>(reader: R, options: &Options) -> Result<Event, Error> {
    let bytes = read_limited(reader, options.max_bytes)?;
    from_slice_with(&bytes, options)
}

/// Reads everything from `reader`, refusing more than `limit` bytes without buffering past
/// `limit + 1`.
pub(crate) fn read_limited<R: Read>(reader: R, limit: usize) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(Error::new(
            ErrorKind::TooLarge {
                size: bytes.len(),
                limit,
            },
            Some(Position::Binary { offset: limit }),
            Path::root(),
        ));
    }
    Ok(bytes)
}

/// Encodes an event as canonical JSON.
///
/// Lenient [`exev::Number`]s, which lie outside canonical JSON, are written as their literal;
/// [`Value::is_canonical`] tells whether an event has any.
pub fn to_vec(event: &Event) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_event(event, &mut out, false);
    out
}

/// Encodes an event as indented JSON with sorted keys, for people.
pub fn to_vec_pretty(event: &Event) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    write_event(event, &mut out, true);
    out
}

/// Writes an event as canonical JSON to `writer`.
///
/// # Errors
///
/// The writer's I/O errors.
pub fn to_writer<W: Write>(mut writer: W, event: &Event) -> std::io::Result<()> {
    writer.write_all(&to_vec(event))
}

/// Encodes any value as canonical JSON.
pub fn value_to_vec(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write::canonical(value, &mut out);
    out
}

/// Encodes any value as indented JSON with sorted keys.
pub fn value_to_vec_pretty(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write::pretty(value, 0, &mut out);
    out
}

fn write_event(event: &Event, out: &mut Vec<u8>, indent: bool) {
    let members = write::event_members(event);
    if indent {
        write::pretty_members(&members, 0, out);
    } else {
        write::canonical_members(&members, out);
    }
}
