//! CBOR (RFC 8949): decoding into the model, and deterministic encoding.
//!
//! **Encoding** is deterministic per RFC 8949 §4.2.1: every integer, length and float in its
//! shortest form, definite lengths only, and map keys sorted bytewise by their encoded form
//! (for text keys: shorter first, then bytewise, which is not canonical JSON's order). Equal
//! events always give equal bytes, and encoding the decoded form of deterministic input gives
//! the input back byte for byte.
//!
//! **Decoding** accepts any well-formed CBOR whose items lie in the data model: indefinite
//! lengths and non-shortest arguments included. Everything else is an [`Error`] with its byte
//! offset ([`Position::Binary`]) and path: byte strings, tags, floats, `undefined` and other
//! simple values, map keys that are not text, duplicate keys, invalid UTF-8, integers outside
//! ±(2^53 - 1), truncated input and trailing bytes. Ill-formed input is always reported as
//! such, even when a data-model problem comes earlier in it. With
//! [`Options::deterministic`](crate::Options::deterministic) the decoder also rejects input
//! that is not deterministic, naming the rule it breaks
//! ([`crate::ErrorKind::NotDeterministic`]).
//!
//! **Numbers outside the model.** With [`NumberPolicy::Lenient`](crate::NumberPolicy::Lenient),
//! integers beyond ±(2^53 - 1) are kept as an [`exev::Number`] holding their decimal literal,
//! and finite floats as the shortest literal that reads back as the same binary64 value
//! (`1.5`, `1e300`, `-0.0`); NaN and the infinities have no literal and stay errors. The
//! encoder writes a [`exev::Number`] as a CBOR integer when its literal is an integer in
//! [-2^64, 2^64 - 1]; otherwise as a float, in the shortest width that holds it, when the
//! literal denotes exactly the decimal of the shortest form of its nearest binary64 value
//! (`1.5`, `1.50`, `1.1`); anything else (`18446744073709551616`, `1.000000000000000005`) is
//! refused with [`crate::ErrorKind::Unencodable`] rather than
//! rounded. So every number a lenient decode produces encodes back to the same bytes.
//!
//! **Limits** are those of [`Options`], as for JSON: input size, depth (the event map is
//! depth 1), string length and elements per container. A length prefix is never believed
//! before the bytes are there: one larger than the rest of the input is an end-of-input error
//! at once, with nothing allocated for it.
//!
//! **Sequences** (RFC 8742, items back to back) are the streams: [`StreamReader`] reads them
//! from any reader (a slice included), [`StreamWriter`] writes them.
//!
//! The functions have the shape of [`crate::json`]'s and [`crate::proto`]'s (and of
//! `ciborium`'s `from_reader`/`into_writer` where they meet); diagnostic notation
//! ([`to_diag`]) and the `value_*` forms are additions.
//!
//! **Implementation.** The encoder writes its item heads with `ciborium_ll::Encoder`. The
//! decoder reads heads from the slice itself, without recursion: `ciborium_ll::Decoder` goes
//! through a reader for every byte and does not say how wide an argument was, which the
//! deterministic checks need. In `codec/benches/codecs.rs` a decoder into the same model on
//! `ciborium_ll::Decoder`, with none of the checks, takes about twice as long as this one, and
//! ciborium's own decoder to `ciborium::Value` about 1.5 to 2 times.
//!
//! ```
//! use exev_codec::{Options, cbor, json};
//!
//! let event = json::from_str(r#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]}}"#)?;
//! let bytes = cbor::to_vec(&event)?;
//! // The map's keys: "type" (4 bytes) sorts before "content" (7 bytes).
//! assert_eq!(bytes[..6], [0xa2, 0x64, b't', b'y', b'p', b'e']);
//! assert_eq!(cbor::from_slice(&bytes)?, event);
//! assert_eq!(
//!     cbor::to_diag(&event)?,
//!     r#"{"type": "m.message", "content": {"m.text": [{"body": "hi"}]}}"#
//! );
//!
//! // Errors give the byte offset and the path: here a float at content.n.
//! let bad = [0xa2, 0x64, b't', b'y', b'p', b'e', 0x61, b'x',
//!            0x67, b'c', b'o', b'n', b't', b'e', b'n', b't', 0xa1, 0x61, b'n', 0xf9, 0x3e, 0x00];
//! let err = cbor::from_slice(&bad).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "the float 1.5 is outside the canonical-JSON data model at content.n (byte 19)"
//! );
//!
//! // Strict-deterministic decoding names the rule broken: here a non-shortest length.
//! let loose = [0xa2, 0x64, b't', b'y', b'p', b'e', 0x61, b'x',
//!              0x67, b'c', b'o', b'n', b't', b'e', b'n', b't', 0xb8, 0x00];
//! assert!(cbor::from_slice(&loose).is_ok());
//! let err = cbor::from_slice_with(&loose, &Options::default().deterministic(true)).unwrap_err();
//! assert!(err.to_string().contains("shortest form"), "{err}");
//! # Ok::<(), exev_codec::Error>(())
//! ```

mod diag;
pub mod head;
mod read;
mod write;

use std::io::{Read, Write};

use exev::{Event, Value};

use crate::failure::{TopLevel, tape_into_event};
use crate::format::read_at_most;
use crate::stream::{Split, format_streams};
use crate::{Error, Format, Options, Position};

format_streams!(cbor, Format::Cbor, "a CBOR sequence (RFC 8742)");

/// Decodes one event with the default [`Options`].
///
/// # Errors
///
/// An [`Error`] naming what is wrong and where, when the bytes are not exactly one CBOR item
/// that is an event within the data model and the limits.
///
/// ```
/// use exev_codec::{cbor, json};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// assert_eq!(cbor::from_slice(&cbor::to_vec(&event)?)?, event);
/// assert!(cbor::from_slice(&[0xa0, 0x00]).is_err());
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
/// use exev_codec::{Options, cbor};
///
/// // {"type": "m.x", "content": {}} with a non-shortest map length: well-formed, but not
/// // deterministic.
/// let loose = [0xb8, 0x02, 0x64, b't', b'y', b'p', b'e', 0x63, b'm', b'.', b'x',
///              0x67, b'c', b'o', b'n', b't', b'e', b'n', b't', 0xa0];
/// assert!(cbor::from_slice_with(&loose, &Options::default()).is_ok());
/// assert!(cbor::from_slice_with(&loose, &Options::default().deterministic(true)).is_err());
/// ```
pub fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error> {
    let (tape, top, _) = read::decode(bytes, options, true, TopLevel::default())
        .map_err(|f| f.into_error(|offset| Position::Binary { offset }))?;
    tape_into_event(tape, &top, |offset| Position::Binary { offset })
}

/// Decodes any one CBOR item (not necessarily an event) with `options`.
///
/// # Errors
///
/// As [`from_slice`], less the event-shape checks.
///
/// ```
/// use exev_codec::{Options, cbor};
///
/// let value = cbor::value_from_slice(&[0x82, 0x01, 0x61, b'a'], &Options::default())?;
/// assert_eq!(value, exev::Value::from(vec![exev::Value::from(1), exev::Value::from("a")]));
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn value_from_slice(bytes: &[u8], options: &Options) -> Result<Value, Error> {
    read::decode(bytes, options, true, TopLevel::default())
        .map(|(tape, _, _)| tape.value(tape.root()))
        .map_err(|f| f.into_error(|offset| Position::Binary { offset }))
}

crate::typed::typed_readers!(
    "CBOR",
    r##"// {"percent": 40}
let level: Level = exev_codec::cbor::from_slice_as(b"\xa1\x67percent\x18\x28")?;
assert_eq!(level.percent, 40);
// A byte string is outside the data model, whatever the type asks for.
let err = exev_codec::cbor::from_slice_as::<Level>(b"\xa1\x67percent\x40").err().unwrap();
assert_eq!(err.category(), exev_codec::Category::DataModel);"##
);

/// Reads at most the default [`Options::max_bytes`] from `reader` and decodes one event.
///
/// # Errors
///
/// As [`from_slice`], and the reader's I/O errors; input past the size limit is refused
/// without reading all of it.
///
/// ```
/// use exev_codec::{cbor, json};
///
/// let bytes = cbor::to_vec(&json::from_str(r#"{"type":"m.x","content":{}}"#)?)?;
/// assert_eq!(cbor::from_reader(&bytes[..])?.event_type(), "m.x");
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
/// use exev_codec::{Category, Options, cbor, json};
///
/// let bytes = cbor::to_vec(&json::from_str(r#"{"type":"m.x","content":{}}"#)?)?;
/// let err = cbor::from_reader_with(&bytes[..], &Options::default().max_bytes(4)).unwrap_err();
/// assert_eq!(err.category(), Category::Limit);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn from_reader_with<R: Read>(reader: R, options: &Options) -> Result<Event, Error> {
    from_slice_with(&read_at_most(reader, options.max_bytes)?, options)
}

/// Encodes an event deterministically (RFC 8949 §4.2.1).
///
/// # Errors
///
/// [`crate::ErrorKind::Unencodable`], with its path, for a lenient
/// [`exev::Number`] that has no exact CBOR form (see the module docs). Events within the data
/// model always encode.
///
/// ```
/// use exev_codec::{NumberPolicy, Options, cbor, json};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// assert_eq!(cbor::to_vec(&event)?[0], 0xa2);
/// let lenient = Options::default().numbers(NumberPolicy::Lenient);
/// let huge = json::from_slice_with(br#"{"type":"m.x","content":{"n":1e400}}"#, &lenient)?;
/// assert_eq!(cbor::to_vec(&huge).unwrap_err().path().to_string(), "content.n");
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_vec(event: &Event) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(256);
    encode_into(event, &mut out)?;
    Ok(out)
}

/// Writes an event deterministically to `writer`.
///
/// # Errors
///
/// As [`to_vec`], and the writer's I/O errors.
///
/// ```
/// use exev_codec::{cbor, json};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// let mut out = Vec::new();
/// cbor::to_writer(&mut out, &event)?;
/// assert_eq!(out, cbor::to_vec(&event)?);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_writer<W: Write>(mut writer: W, event: &Event) -> Result<(), Error> {
    writer.write_all(&to_vec(event)?).map_err(|e| Error::io(&e))
}

/// Appends an event's deterministic encoding to `out`.
pub(crate) fn encode_into(event: &Event, out: &mut Vec<u8>) -> Result<(), Error> {
    Ok(write::Writer::new(out).event(event)?)
}

/// Encodes any value deterministically.
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// let value = exev::Value::from(vec![exev::Value::from(1)]);
/// assert_eq!(exev_codec::cbor::value_to_vec(&value)?, [0x81, 0x01]);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn value_to_vec(value: &Value) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write::Writer::new(&mut out).value(value)?;
    Ok(out)
}

/// The diagnostic notation (RFC 8949 §8) of an event's deterministic encoding, on one line:
/// `{"type": "m.message", "content": {...}}`, keys in encoding order.
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// use exev_codec::{cbor, json};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{"n":[1]}}"#)?;
/// assert_eq!(cbor::to_diag(&event)?, r#"{"type": "m.x", "content": {"n": [1]}}"#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn to_diag(event: &Event) -> Result<String, Error> {
    let mut out = String::new();
    diag::event(event, &mut out)?;
    Ok(out)
}

/// The diagnostic notation of any value's deterministic encoding.
///
/// # Errors
///
/// As [`to_vec`].
///
/// ```
/// assert_eq!(exev_codec::cbor::value_to_diag(&exev::Value::from("a"))?, r#""a""#);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn value_to_diag(value: &Value) -> Result<String, Error> {
    let mut out = String::new();
    diag::value(value, &mut out)?;
    Ok(out)
}

/// CBOR-sequence framing: the item at the start of `pending`, found by a well-formedness
/// walk that builds nothing. An item that cannot be complete is decoded for its error (with
/// the path to it); one past the size limit is refused once more than the limit is there.
pub(crate) fn split(pending: &[u8], eof: bool, options: &Options) -> Result<Split, Error> {
    let limit = options.max_bytes;
    match read::skip_item(pending, 0, options.effective_max_depth()) {
        Ok(end) if end > limit => Err(crate::error::too_large(end, limit, limit)),
        Ok(end) => Ok(Split::Frame {
            start: 0,
            end,
            next: end,
        }),
        Err(f) if f.is_end() && pending.len() > limit => {
            Err(crate::error::too_large(pending.len(), limit, limit))
        }
        Err(f) if f.is_end() && !eof => Ok(Split::More { scanned: 0 }),
        Err(f) => {
            // The full decoder says the same, with the path to the problem; within the size
            // limit, so that running out of the window means the item is too large.
            let window = pending.get(..limit).unwrap_or(pending);
            Err(
                match read::decode(window, options, false, TopLevel::default()) {
                    Err(g) if g.is_end() && window.len() < pending.len() => {
                        crate::error::too_large(limit.saturating_add(1), limit, limit)
                    }
                    Err(g) => g.into_error(|offset| Position::Binary { offset }),
                    Ok(_) => f.into_error(|offset| Position::Binary { offset }),
                },
            )
        }
    }
}

/// The literal a lenient number has after a trip through CBOR: the integer or the shortest
/// float literal it is written as (see the module docs); `None` when it has no exact form.
pub(crate) fn number_normal_form(number: &exev::Number) -> Option<String> {
    Some(match write::number_form(number)? {
        write::NumberForm::Unsigned(u) => u.to_string(),
        write::NumberForm::Negative(u) => format!("-{}", u128::from(u) + 1),
        write::NumberForm::Float(f) => read::float_literal(f),
    })
}
