//! [`Format`]: the three encodings as a value, so that one piece of code serves them all, and
//! the detection of which one some bytes are in.

use std::fmt;
use std::io::{Read, Write};
use std::str::FromStr;

use exev::Event;

use crate::{Error, MAX_DEPTH_CEILING, Options, StreamReader, StreamWriter, cbor, json, proto};

/// One of the encodings: [`json`], [`cbor`] or [`proto`]. Each method does what the function
/// of the same name in that format's module does, so code written once over a `Format` runs
/// on all three.
///
/// ```
/// use exev_codec::{Format, json};
///
/// let event = json::from_str(r#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]}}"#)?;
/// for format in Format::ALL {
///     let bytes = format.to_vec(&event)?;
///     assert_eq!(Format::detect(&bytes), Some(format));
///     assert_eq!(format.from_slice(&bytes)?, event);
/// }
/// # Ok::<(), exev_codec::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Format {
    /// JSON ([`json`]): canonical JSON out; NDJSON for streams.
    Json,
    /// CBOR ([`cbor`]): deterministic CBOR out; CBOR sequences (RFC 8742) for streams.
    Cbor,
    /// Protobuf ([`proto`]): `exev.v1.Event` messages; length-delimited for streams.
    Proto,
}

/// The first bytes of a JSON text: whitespace, `{`, or a byte-order mark (refused by the JSON
/// decoder, which then says so).
fn starts_like_json(first: u8) -> bool {
    matches!(first, b'{' | b' ' | b'\t' | b'\n' | b'\r' | 0xEF)
}

/// The head of a CBOR map (major type 5), definite or indefinite.
fn starts_like_cbor_map(first: u8) -> bool {
    (0xA0..=0xBF).contains(&first)
}

/// The key bytes (`field << 3 | wire type`) of `exev.v1.Event`'s fields 1 to 9 and 15 with
/// their wire types. exev writes field 1 or 2 (the type) first; other encoders may start with
/// any field. None of them is JSON whitespace, `{` or a CBOR map head.
const PROTO_EVENT_KEYS: [u8; 10] = [0x08, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x38, 0x42, 0x4a, 0x7a];

impl Format {
    /// Every format, in the order of the enum.
    pub const ALL: [Format; 3] = [Format::Json, Format::Cbor, Format::Proto];

    /// The name the command line uses: `"json"`, `"cbor"` or `"proto"`.
    ///
    /// ```
    /// use exev_codec::Format;
    ///
    /// assert_eq!(Format::Proto.name(), "proto");
    /// assert_eq!("proto".parse::<Format>(), Ok(Format::Proto));
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Cbor => "cbor",
            Format::Proto => "proto",
        }
    }

    /// The format one event's bytes are in, from their first byte: JSON text starts with
    /// whitespace or `{`, CBOR with a map head (0xa0 to 0xbf), Protobuf with the key of an
    /// `exev.v1.Event` field. `None` for anything else (and for no bytes), where a caller may
    /// best fall back to JSON, whose errors describe any start.
    ///
    /// ```
    /// use exev_codec::Format;
    ///
    /// assert_eq!(Format::detect(b" {\"type\":\"m.x\",\"content\":{}}"), Some(Format::Json));
    /// assert_eq!(Format::detect(&[0xa2, 0x64]), Some(Format::Cbor));
    /// assert_eq!(Format::detect(b"\x12\x03m.x"), Some(Format::Proto));
    /// assert_eq!(Format::detect(b"[]"), None);
    /// ```
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        let &first = bytes.first()?;
        if starts_like_json(first) {
            Some(Format::Json)
        } else if starts_like_cbor_map(first) {
            Some(Format::Cbor)
        } else if PROTO_EVENT_KEYS.contains(&first) {
            Some(Format::Proto)
        } else {
            None
        }
    }

    /// The format a stream is in, from its first bytes: NDJSON or a CBOR sequence, told apart
    /// as [`Format::detect`] tells them. A length-delimited Protobuf stream starts with a
    /// length, which can be any byte, so it is never detected: name it.
    ///
    /// ```
    /// use exev_codec::Format;
    ///
    /// assert_eq!(Format::detect_stream(b"{\"type\":\"a\",\"content\":{}}\n"), Some(Format::Json));
    /// assert_eq!(Format::detect_stream(&[0xa2]), Some(Format::Cbor));
    /// assert_eq!(Format::detect_stream(&[0x05, 0x12]), None);
    /// ```
    pub fn detect_stream(bytes: &[u8]) -> Option<Format> {
        match Format::detect(bytes) {
            Some(Format::Proto) | None => None,
            found => found,
        }
    }

    /// The deepest nesting this format decodes, the event object being level 1, whatever
    /// [`Options::max_depth`] allows: [`MAX_DEPTH_CEILING`], and for Protobuf
    /// [`proto::MAX_WIRE_DEPTH`], which other Protobuf runtimes can read.
    ///
    /// ```
    /// use exev_codec::{Format, MAX_DEPTH_CEILING, proto};
    ///
    /// assert_eq!(Format::Json.depth_ceiling(), MAX_DEPTH_CEILING);
    /// assert_eq!(Format::Proto.depth_ceiling(), proto::MAX_WIRE_DEPTH);
    /// ```
    pub fn depth_ceiling(self) -> usize {
        match self {
            Format::Json | Format::Cbor => MAX_DEPTH_CEILING,
            Format::Proto => proto::MAX_WIRE_DEPTH,
        }
    }

    /// Whether the decoder enforces [`Options::deterministic`] (CBOR's RFC 8949 §4.2.1 rules);
    /// the others decode the same with or without it.
    pub(crate) fn checks_determinism(self) -> bool {
        matches!(self, Format::Cbor)
    }

    /// Decodes one event with the default [`Options`], as [`json::from_slice`],
    /// [`cbor::from_slice`] or [`proto::from_slice`].
    ///
    /// # Errors
    ///
    /// An [`Error`] naming what is wrong and where.
    ///
    /// ```
    /// use exev_codec::Format;
    ///
    /// let event = Format::Json.from_slice(br#"{"type":"m.x","content":{}}"#)?;
    /// assert_eq!(event.event_type(), "m.x");
    /// # Ok::<(), exev_codec::Error>(())
    /// ```
    pub fn from_slice(self, bytes: &[u8]) -> Result<Event, Error> {
        self.from_slice_with(bytes, &Options::default())
    }

    /// Decodes one event with `options`.
    ///
    /// # Errors
    ///
    /// As [`Format::from_slice`].
    ///
    /// ```
    /// use exev_codec::{Category, Format, Options};
    ///
    /// let bytes = Format::Cbor.to_vec(&Format::Json.from_slice(br#"{"type":"m.x","content":{}}"#)?)?;
    /// let err = Format::Cbor.from_slice_with(&bytes, &Options::default().max_bytes(4)).unwrap_err();
    /// assert_eq!(err.category(), Category::Limit);
    /// # Ok::<(), exev_codec::Error>(())
    /// ```
    pub fn from_slice_with(self, bytes: &[u8], options: &Options) -> Result<Event, Error> {
        match self {
            Format::Json => json::from_slice_with(bytes, options),
            Format::Cbor => cbor::from_slice_with(bytes, options),
            Format::Proto => proto::from_slice_with(bytes, options),
        }
    }

    /// Reads at most [`Options::max_bytes`] (the default, 65536) from `reader` and decodes one
    /// event.
    ///
    /// # Errors
    ///
    /// As [`Format::from_slice`], and the reader's I/O errors; input past the size limit is
    /// refused without reading all of it.
    ///
    /// ```
    /// use exev_codec::Format;
    ///
    /// let event = Format::Json.from_reader(&br#"{"type":"m.x","content":{}}"#[..])?;
    /// assert_eq!(event.event_type(), "m.x");
    /// # Ok::<(), exev_codec::Error>(())
    /// ```
    pub fn from_reader<R: Read>(self, reader: R) -> Result<Event, Error> {
        self.from_reader_with(reader, &Options::default())
    }

    /// Reads at most `options.max_bytes` from `reader` and decodes one event with `options`.
    ///
    /// # Errors
    ///
    /// As [`Format::from_reader`].
    ///
    /// ```
    /// use exev_codec::{Category, Format, Options};
    ///
    /// let big = format!(r#"{{"type":"m.x","content":{{"a":"{}"}}}}"#, "a".repeat(100));
    /// let err = Format::Json
    ///     .from_reader_with(big.as_bytes(), &Options::default().max_bytes(64))
    ///     .unwrap_err();
    /// assert_eq!(err.category(), Category::Limit);
    /// ```
    pub fn from_reader_with<R: Read>(self, reader: R, options: &Options) -> Result<Event, Error> {
        let bytes = read_at_most(reader, options.max_bytes)?;
        self.from_slice_with(&bytes, options)
    }

    /// Encodes an event: canonical JSON, deterministic CBOR or an `exev.v1.Event` message.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Unencodable`], with its path, for a value the format cannot write
    /// exactly (a lenient number CBOR has no exact form for).
    ///
    /// ```
    /// use exev_codec::{Format, json};
    ///
    /// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
    /// assert_eq!(Format::Json.to_vec(&event)?, br#"{"content":{},"type":"m.x"}"#);
    /// # Ok::<(), exev_codec::Error>(())
    /// ```
    pub fn to_vec(self, event: &Event) -> Result<Vec<u8>, Error> {
        match self {
            Format::Json => json::to_vec(event),
            Format::Cbor => cbor::to_vec(event),
            Format::Proto => proto::to_vec(event),
        }
    }

    /// Writes an event to `writer`, as [`Format::to_vec`] encodes it.
    ///
    /// # Errors
    ///
    /// As [`Format::to_vec`], and the writer's I/O errors.
    ///
    /// ```
    /// use exev_codec::{Format, json};
    ///
    /// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
    /// let mut out = Vec::new();
    /// Format::Proto.to_writer(&mut out, &event)?;
    /// assert_eq!(Format::Proto.from_slice(&out)?, event);
    /// # Ok::<(), exev_codec::Error>(())
    /// ```
    pub fn to_writer<W: Write>(self, mut writer: W, event: &Event) -> Result<(), Error> {
        let bytes = self.to_vec(event)?;
        writer.write_all(&bytes).map_err(|e| Error::io(&e))
    }

    /// A reader of the events of a stream in this format (NDJSON, a CBOR sequence or
    /// length-delimited Protobuf), each held to the default [`Options`].
    ///
    /// ```
    /// use exev_codec::{Format, json};
    ///
    /// let events = Format::Json.stream_reader(&b"{\"type\":\"a\",\"content\":{}}\n\n{\"type\":\"b\",\"content\":{}}\n"[..])
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(events.len(), 2);
    /// # Ok::<(), exev_codec::Error>(())
    /// ```
    pub fn stream_reader<R: Read>(self, reader: R) -> StreamReader<R> {
        StreamReader::new(self, reader, Options::default())
    }

    /// A reader of the events of a stream in this format, each held to `options`.
    ///
    /// ```
    /// use exev_codec::{Category, Format, Options};
    ///
    /// let mut events = Format::Json.stream_reader_with(&b"{\"type\":\"a\",\"content\":{\"n\":1.5}}\n"[..], Options::default());
    /// assert_eq!(events.next().unwrap().unwrap_err().category(), Category::DataModel);
    /// assert!(events.next().is_none());
    /// ```
    pub fn stream_reader_with<R: Read>(self, reader: R, options: Options) -> StreamReader<R> {
        StreamReader::new(self, reader, options)
    }

    /// A writer of a stream in this format.
    ///
    /// ```
    /// use exev_codec::{Format, json};
    ///
    /// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
    /// let mut stream = Format::Cbor.stream_writer(Vec::new());
    /// stream.write(&event)?;
    /// stream.write(&event)?;
    /// let bytes = stream.finish()?;
    /// assert_eq!(Format::Cbor.stream_reader(&bytes[..]).count(), 2);
    /// # Ok::<(), exev_codec::Error>(())
    /// ```
    pub fn stream_writer<W: Write>(self, writer: W) -> StreamWriter<W> {
        StreamWriter::new(self, writer)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Format`] name that is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format {:?} (expected json, cbor or proto)",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// Reads everything from `reader`, but never more than `limit + 1` bytes, so that input past
/// the limit shows as one byte too many without being buffered.
pub(crate) fn read_at_most<R: Read>(reader: R, limit: usize) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(&e))?;
    Ok(bytes)
}

/// Reads one event's bytes from `reader`: at most [`Options::max_bytes`], refusing more with
/// [`crate::ErrorKind::TooLarge`] before buffering past the limit. What a caller needs to
/// [`Format::detect`] the format before decoding.
///
/// # Errors
///
/// [`crate::ErrorKind::TooLarge`] at the limit for more input than it allows, and the reader's
/// I/O errors.
///
/// ```
/// use exev_codec::{Format, Options, read_limited};
///
/// let input = &br#"{"type":"m.x","content":{}}"#[..];
/// let bytes = read_limited(input, &Options::default())?;
/// let format = Format::detect(&bytes).unwrap_or(Format::Json);
/// assert_eq!(format.from_slice(&bytes)?.event_type(), "m.x");
/// assert!(read_limited(input, &Options::default().max_bytes(8)).is_err());
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn read_limited<R: Read>(reader: R, options: &Options) -> Result<Vec<u8>, Error> {
    let bytes = read_at_most(reader, options.max_bytes)?;
    if bytes.len() > options.max_bytes {
        return Err(crate::error::too_large(
            bytes.len(),
            options.max_bytes,
            options.max_bytes,
        ));
    }
    Ok(bytes)
}
