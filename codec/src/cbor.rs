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
//! ([`ErrorKind::NotDeterministic`]).
//!
//! **Numbers outside the model.** With [`NumberPolicy::Lenient`](crate::NumberPolicy::Lenient),
//! integers beyond ±(2^53 - 1) are kept as an [`exev::Number`] holding their decimal literal,
//! and finite floats as the shortest literal that reads back as the same binary64 value
//! (`1.5`, `1e300`, `-0.0`); NaN and the infinities have no literal and stay errors. The
//! encoder writes a [`exev::Number`] as a CBOR integer when its literal is an integer in
//! [-2^64, 2^64 - 1]; otherwise as a float, in the shortest width that holds it, when the
//! literal denotes exactly the decimal of the shortest form of its nearest binary64 value
//! (`1.5`, `1.50`, `1.1`); anything else (`18446744073709551616`, `1.000000000000000005`) is
//! refused with [`ErrorKind::Unencodable`] rather than
//! rounded. So every number a lenient decode produces encodes back to the same bytes.
//!
//! **Limits** are those of [`Options`], as for JSON: input size, depth (the event map is
//! depth 1), string length and elements per container. A length prefix is never believed
//! before the bytes are there: one larger than the rest of the input is an end-of-input error
//! at once, with nothing allocated for it.
//!
//! **Sequences** (RFC 8742, items back to back) are read with [`sequence_from_slice`] and
//! [`SequenceReader`], and written by calling [`to_writer`] once per event.
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

use crate::failure::{TopLevel, parts_into_event};
use crate::{Error, ErrorKind, Options, Position};

/// Decodes one event with the default [`Options`].
///
/// # Errors
///
/// An [`Error`] naming what is wrong and where, when the bytes are not exactly one CBOR item
/// that is an event within the data model and the limits.
pub fn from_slice(bytes: &[u8]) -> Result<Event, Error> {
    from_slice_with(bytes, &Options::default())
}

/// Decodes one event with `options`.
///
/// # Errors
///
/// As [`from_slice`].
pub fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error> {
    let (value, top, _) = read::decode(bytes, options, true, TopLevel::capturing())
        .map_err(|f| f.into_error(|offset| Position::Binary { offset }))?;
    to_event(value, top, 0)
}

/// Decodes any one CBOR item (not necessarily an event) with `options`.
///
/// # Errors
///
/// As [`from_slice`], less the event-shape checks.
pub fn value_from_slice(bytes: &[u8], options: &Options) -> Result<Value, Error> {
    read::decode(bytes, options, true, TopLevel::default())
        .map(|(value, _, _)| value)
        .map_err(|f| f.into_error(|offset| Position::Binary { offset }))
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

/// The event of a decoded value, or an error placed where the offending member is; `base` is
/// the offset of the item in a longer input.
fn to_event(value: Value, top: TopLevel, base: usize) -> Result<Event, Error> {
    parts_into_event(value, top, |o| Position::Binary {
        offset: base.saturating_add(o),
    })
}

/// Encodes an event deterministically (RFC 8949 §4.2.1).
///
/// # Errors
///
/// [`ErrorKind::Unencodable`], with its path, for a lenient
/// [`exev::Number`] that has no exact CBOR form (see the module docs). Events within the data
/// model always encode.
pub fn to_vec(event: &Event) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(256);
    write::Writer::new(&mut out)
        .event(event)
        .map_err(write::Unwritable::into_error)?;
    Ok(out)
}

/// Writes an event deterministically to `writer`; calling it once per event writes a CBOR
/// sequence (RFC 8742).
///
/// # Errors
///
/// As [`to_vec`], and the writer's I/O errors.
pub fn to_writer<W: Write>(mut writer: W, event: &Event) -> Result<(), Error> {
    writer.write_all(&to_vec(event)?)?;
    Ok(())
}

/// Encodes any value deterministically.
///
/// # Errors
///
/// As [`to_vec`].
pub fn value_to_vec(value: &Value) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write::Writer::new(&mut out)
        .value(value)
        .map_err(write::Unwritable::into_error)?;
    Ok(out)
}

/// The diagnostic notation (RFC 8949 §8) of an event's deterministic encoding, on one line:
/// `{"type": "m.message", "content": {...}}`, keys in encoding order.
///
/// # Errors
///
/// As [`to_vec`].
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
pub fn value_to_diag(value: &Value) -> Result<String, Error> {
    let mut out = String::new();
    diag::value(value, &mut out)?;
    Ok(out)
}

/// The events of a CBOR sequence (RFC 8742) held in a slice, one by one; see
/// [`sequence_from_slice`].
#[derive(Debug)]
pub struct SliceSequence<'a> {
    bytes: &'a [u8],
    pos: usize,
    options: Options,
    failed: bool,
}

/// Iterates over the events of a CBOR sequence in `bytes`. Each event is held to `options`
/// on its own (`max_bytes` applies per event); error positions count from the start of
/// `bytes`. Iteration ends after the first error, since the items after it cannot be found.
///
/// ```
/// use exev_codec::{Options, cbor, json};
///
/// let a = json::from_str(r#"{"type":"a","content":{}}"#)?;
/// let b = json::from_str(r#"{"type":"b","content":{"x":1}}"#)?;
/// let mut seq = cbor::to_vec(&a)?;
/// seq.extend(cbor::to_vec(&b)?);
/// let events: Vec<_> = cbor::sequence_from_slice(&seq, &Options::default())
///     .collect::<Result<_, _>>()?;
/// assert_eq!(events, [a, b]);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn sequence_from_slice<'a>(bytes: &'a [u8], options: &Options) -> SliceSequence<'a> {
    SliceSequence {
        bytes,
        pos: 0,
        options: options.clone(),
        failed: false,
    }
}

impl Iterator for SliceSequence<'_> {
    type Item = Result<Event, Error>;

    fn next(&mut self) -> Option<Result<Event, Error>> {
        if self.failed || self.pos >= self.bytes.len() {
            return None;
        }
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let result = decode_item(rest, &self.options, self.pos);
        match result {
            Ok((event, len)) => {
                self.pos += len;
                Some(Ok(event))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Decodes the item at the start of `rest` (at `base` in the whole input); returns the event
/// and the item's length.
fn decode_item(rest: &[u8], options: &Options, base: usize) -> Result<(Event, usize), Error> {
    let limit = options.max_bytes;
    let window = rest.get(..limit).unwrap_or(rest);
    match read::decode(window, options, false, TopLevel::capturing()) {
        Ok((value, top, len)) => Ok((to_event(value, top, base)?, len)),
        Err(f) => {
            let e = f.into_error(|o| Position::Binary {
                offset: base.saturating_add(o),
            });
            if window.len() < rest.len() && matches!(e.kind(), ErrorKind::UnexpectedEnd { .. }) {
                Err(too_large(limit, base))
            } else {
                Err(e)
            }
        }
    }
}

fn too_large(limit: usize, base: usize) -> Error {
    Error::new(
        ErrorKind::TooLarge {
            size: limit.saturating_add(1),
            limit,
        },
        Some(Position::Binary {
            offset: base.saturating_add(limit),
        }),
        exev::Path::root(),
    )
}

/// The events of a CBOR sequence (RFC 8742) read from an [`std::io::Read`], one by one.
///
/// It buffers at most one event past [`Options::max_bytes`](crate::Options::max_bytes) (plus
/// one read's worth) at a time. Error positions count from the start of the stream; iteration
/// ends after the first error.
///
/// ```
/// use exev_codec::{Options, cbor, json};
///
/// let a = json::from_str(r#"{"type":"a","content":{}}"#)?;
/// let mut stream = Vec::new();
/// cbor::to_writer(&mut stream, &a)?;
/// cbor::to_writer(&mut stream, &a)?;
/// let reader = cbor::SequenceReader::new(stream.as_slice(), Options::default());
/// assert_eq!(reader.count(), 2);
/// # Ok::<(), exev_codec::Error>(())
/// ```
#[derive(Debug)]
pub struct SequenceReader<R> {
    reader: R,
    options: Options,
    buffer: Vec<u8>,
    /// Where in `buffer` the next item starts.
    start: usize,
    /// The stream offset of `buffer[0]`.
    base: usize,
    eof: bool,
    failed: bool,
}

/// How much one read asks for.
const READ_CHUNK: usize = 16 * 1024;

impl<R: Read> SequenceReader<R> {
    /// A reader of the events in `reader`, each held to `options`.
    pub fn new(reader: R, options: Options) -> SequenceReader<R> {
        SequenceReader {
            reader,
            options,
            buffer: Vec::new(),
            start: 0,
            base: 0,
            eof: false,
            failed: false,
        }
    }

    /// Reads once more into the buffer; notes the end of the stream.
    fn fill(&mut self) -> Result<(), Error> {
        let old = self.buffer.len();
        self.buffer.resize(old + READ_CHUNK, 0);
        let read = loop {
            match self
                .reader
                .read(self.buffer.get_mut(old..).unwrap_or_default())
            {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buffer.truncate(old);
                    return Err(e.into());
                }
            }
        };
        self.buffer.truncate(old + read);
        if read == 0 {
            self.eof = true;
        }
        Ok(())
    }

    fn next_event(&mut self) -> Option<Result<Event, Error>> {
        let max_depth = self.options.effective_max_depth();
        loop {
            let pending = self.buffer.get(self.start..).unwrap_or_default();
            if pending.is_empty() && self.eof {
                return None;
            }
            let base = self.base + self.start;
            if !pending.is_empty() {
                match read::skip_item(pending, 0, max_depth) {
                    Ok(end) => {
                        let item = pending.get(..end).unwrap_or_default();
                        let result = decode_item(item, &self.options, base);
                        self.start += end;
                        return Some(result.map(|(event, _)| event));
                    }
                    Err(f) => {
                        let e = f.into_error(|o| Position::Binary {
                            offset: base.saturating_add(o),
                        });
                        let incomplete = matches!(e.kind(), ErrorKind::UnexpectedEnd { .. });
                        if !incomplete || self.eof {
                            // The full decoder says the same with the path to the problem.
                            let detailed = decode_item(pending, &self.options, base);
                            return Some(Err(detailed.err().unwrap_or(e)));
                        }
                        if pending.len() > self.options.max_bytes {
                            return Some(Err(too_large(self.options.max_bytes, base)));
                        }
                    }
                }
            }
            // Drop the items already read, then read more.
            self.buffer.drain(..self.start);
            self.base += self.start;
            self.start = 0;
            if let Err(e) = self.fill() {
                return Some(Err(e));
            }
        }
    }
}

impl<R: Read> Iterator for SequenceReader<R> {
    type Item = Result<Event, Error>;

    fn next(&mut self) -> Option<Result<Event, Error>> {
        if self.failed {
            return None;
        }
        let next = self.next_event();
        if matches!(next, Some(Err(_))) {
            self.failed = true;
        }
        next
    }
}
