//! # exev-mimi: IETF MIMI content and its mapping to Matrix extensible events
//!
//! [draft-ietf-mimi-content-08](https://datatracker.ietf.org/doc/draft-ietf-mimi-content/)
//! is the message format end-to-end encrypted messengers exchange under the IETF's MIMI
//! (More Instant Messaging Interoperability). This crate has:
//!
//! - **the model**: [`MimiContent`] (salt, replaces, topicId, expires, inReplyTo,
//!   extensions, body), [`NestedPart`] with its [`Disposition`], language and [`Part`]
//!   (null, single, external, multi with [`PartSemantics`]), [`Extensions`] with integer and
//!   text keys, [`MessageId`]; builders and typed access;
//! - **its codec**, with the shapes of every exev codec ([`from_slice`], [`from_slice_with`],
//!   [`from_reader`], [`from_reader_with`], [`to_vec`], [`to_writer`], [`StreamReader`],
//!   [`StreamWriter`]): output in the draft's deterministic CBOR, byte for byte; input that
//!   breaks a rule refused with the rule, the byte offset and a path such as
//!   `nestedPart.parts[2].contentType`; the draft's depth and part limits and the size and
//!   element limits of `exev_codec::Options`; built on `exev_codec::cbor::head`, the
//!   project's CBOR primitives;
//! - **message IDs** per §3.3 ([`message_id_of`], [`MimiContent::message_id`]);
//! - **the mapping** to and from [`exev::Event`] ([`mapping`], table in `MAPPING.md`),
//!   lossless both ways: what MIMI has and Matrix lacks rides in the block
//!   [`mapping::CARRIER_BLOCK`];
//! - [`detect`] (for `--from auto`) and [`to_diag`] (CBOR diagnostic notation).
//!
//! ```
//! use exev_mimi::{MimiContent, NestedPart, mapping};
//!
//! let mut message = MimiContent::new(
//!     [0x5e; 16],
//!     NestedPart::text("text/markdown;variant=GFM-MIMI", "Hi everyone, we just shipped __2.0__!"),
//! );
//! message.extensions.set_sender_uri("mimi://example.com/u/alice-smith")?;
//! let bytes = exev_mimi::to_vec(&message)?;
//! assert!(exev_mimi::detect(&bytes));
//! assert_eq!(exev_mimi::from_slice(&bytes)?, message);
//!
//! // To an extensible event and back, byte for byte.
//! let event = mapping::to_event(&message);
//! assert_eq!(event.event_type(), "m.message");
//! assert_eq!(event.sender(), Some("mimi://example.com/u/alice-smith"));
//! let text = event.content().text().unwrap()?;
//! assert_eq!(text.representations[0].mimetype(), "text/markdown;variant=GFM-MIMI");
//! let back = mapping::to_mimi(&event, [0; 16])?;
//! assert_eq!(exev_mimi::to_vec(&back)?, bytes);
//!
//! // Bad input: the rule, the byte and the path.
//! let mut broken = bytes.clone();
//! broken[1] = 0x4f; // the salt announced as 15 octets
//! let err = exev_mimi::from_slice(&broken).unwrap_err();
//! assert_eq!(err.category(), exev_mimi::Category::Schema);
//! assert!(err.to_string().starts_with("expected salt: bstr .size 16, found 15 octets at salt (byte 1)"), "{err}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod content;
mod decode;
mod diag;
mod encode;
mod error;
mod extensions;
pub mod generate;
mod hex;
pub mod mapping;
mod message_id;
pub mod oracle;
mod part;
pub mod rules;
mod stream;

use std::io::{Read, Write};

pub use content::{Expiration, MessageId, MimiContent};
pub use decode::{MAX_EXTENSION_DEPTH, MAX_PART_DEPTH, MAX_PARTS, MAX_TOPIC_ID_BYTES};
pub use diag::to_diag;
pub use error::{Category, Error, ErrorKind};
pub use exev_codec::Options;
pub use extensions::{ExtensionKey, Extensions, MAX_INTEGER_KEY, MAX_TEXT_KEY_BYTES};
pub use message_id::{SHA_256, compute as message_id, message_id_of};
pub use part::{Disposition, ExternalPart, MultiPart, NestedPart, Part, PartSemantics, SinglePart};
pub use stream::{StreamReader, StreamWriter};

/// The media type of MIMI content (§8.1).
pub const MEDIA_TYPE: &str = "application/mimi-content";

/// Decodes one message with the default [`Options`].
///
/// # Errors
///
/// An [`Error`] naming the rule broken, the byte offset and the path, when the bytes are not
/// exactly one message in the draft's deterministic encoding within the limits.
pub fn from_slice(bytes: &[u8]) -> Result<MimiContent, Error> {
    from_slice_with(bytes, &Options::default())
}

/// Decodes one message with `options`: its size, string and element limits apply, and its
/// depth limit when it is lower than the draft's (the draft's limits always apply).
/// Decoding is always strict: `options.deterministic` and `options.numbers` play no part.
///
/// # Errors
///
/// As [`from_slice`].
pub fn from_slice_with(bytes: &[u8], options: &Options) -> Result<MimiContent, Error> {
    decode::Reader::new(bytes, options).message()
}

/// Reads at most `max_bytes` (plus one) from `reader` and decodes one message.
///
/// # Errors
///
/// As [`from_slice`], plus I/O errors.
pub fn from_reader<R: Read>(reader: R) -> Result<MimiContent, Error> {
    from_reader_with(reader, &Options::default())
}

/// [`from_reader`] with `options`.
///
/// # Errors
///
/// As [`from_slice`], plus I/O errors; input past the size limit is refused without reading
/// all of it.
pub fn from_reader_with<R: Read>(reader: R, options: &Options) -> Result<MimiContent, Error> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(options.max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    reader.take(cap).read_to_end(&mut bytes)?;
    from_slice_with(&bytes, options)
}

/// Encodes a message in the draft's deterministic CBOR.
///
/// # Errors
///
/// A [`Category::Schema`] or [`Category::Limit`] error, with its path, for a model the types
/// allow but the draft does not: a MultiPart of fewer than 2 parts, NestedParts deeper than
/// 4 levels, more than 1024 parts, a topicId over 4096 octets.
pub fn to_vec(message: &MimiContent) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(256);
    encode::message(message, &mut out)?;
    Ok(out)
}

/// Writes a message to `writer`; once per message, it writes a CBOR sequence (RFC 8742).
///
/// # Errors
///
/// As [`to_vec`], and the writer's I/O errors.
pub fn to_writer<W: Write>(mut writer: W, message: &MimiContent) -> Result<(), Error> {
    writer.write_all(&to_vec(message)?)?;
    Ok(())
}

/// Whether `bytes` start like MIMI content rather than a CBOR event: an array of 7 items
/// whose first item is a byte string of 16 octets (the salt). An event in CBOR is a map.
///
/// ```
/// assert!(exev_mimi::detect(&[0x87, 0x50]));
/// assert!(!exev_mimi::detect(&[0xa2, 0x64])); // a CBOR map: an event
/// assert!(!exev_mimi::detect(br#"{"type":"m.message"}"#));
/// ```
pub fn detect(bytes: &[u8]) -> bool {
    use exev_codec::cbor::head::read_head;
    let Ok((array, next)) = read_head(bytes, 0) else {
        return false;
    };
    let Ok((salt, _)) = read_head(bytes, next) else {
        return false;
    };
    (array.major, array.arg, salt.major, salt.arg) == (4, 7, 2, 16)
}
