//! # exev-codec: encodings of Matrix extensible events
//!
//! Codecs between the [`exev`] model and bytes, all sharing one [`Options`] struct of limits
//! and policies and one [`Error`] type that says what is wrong, where in the input (line and
//! column for text, byte offset for binary) and where in the event (a [`exev::Path`]).
//!
//! - [`json`]: Matrix canonical JSON, strict about the data model by default; NDJSON streams.
//! - [`cbor`]: CBOR, written deterministically (RFC 8949 §4.2.1); CBOR sequences.
//! - [`proto`]: Protobuf, on the published schema `schemas/proto/exev/v1/*.proto`;
//!   length-delimited streams.
//!
//! Every module has the same shape, as `serde_json` and ciborium do: `from_slice`,
//! `from_slice_with`, `from_reader`, `from_reader_with`, `to_vec`, `to_writer`, and a
//! `StreamReader` and `StreamWriter`. [`Format`] has the same as methods (and [`Format::detect`]),
//! so code written once runs on every format:
//!
//! ```
//! use exev_codec::{Category, Format, json};
//!
//! let event = json::from_str(r#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]}}"#)?;
//! for format in Format::ALL {
//!     let bytes = format.to_vec(&event)?;
//!     assert_eq!(Format::detect(&bytes), Some(format));
//!     assert_eq!(format.from_slice(&bytes)?, event);
//!     let cut = format.from_slice(&bytes[..bytes.len() - 1]).unwrap_err();
//!     assert_eq!(cut.category(), Category::Eof);
//! }
//! # Ok::<(), exev_codec::Error>(())
//! ```
//!
//! With the feature `parallel`, [`convert::StreamConverter`] converts streams on every core.
//! Where the contract follows `serde_json`, ciborium and prost, and where it differs and why, is in
//! the project's `ARCHITECTURE.md` ("Codec contract").
//!
//! ```
//! use exev_codec::json;
//!
//! let bytes = br#"{"type":"m.emote","content":{"m.text":[{"body":"says hi"}],"m.automated":true}}"#;
//! let event = json::from_slice(bytes)?;
//! assert!(event.content().is_automated());
//!
//! // Errors are one line, with the position and the path into the event.
//! let err = json::from_slice(br#"{"type":"m.emote","content":{"n":1.5}}"#).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "number 1.5 is not an integer: canonical JSON allows integers only \
//!      at content.n (line 1, column 34, byte 33)"
//! );
//! # Ok::<(), exev_codec::Error>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod cbor;
#[cfg(feature = "parallel")]
#[cfg_attr(docsrs, doc(cfg(feature = "parallel")))]
pub mod convert;
mod error;
mod failure;
mod format;
pub mod json;
mod keys;
mod options;
pub mod oracle;
pub mod proto;
mod stream;
mod typed;

pub use error::{Category, Error, ErrorKind, Position};
pub use format::{Format, UnknownFormat, read_limited};
pub use options::{
    DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_STRING_BYTES,
    MAX_DEPTH_CEILING, NumberPolicy, Options,
};
pub use stream::{StreamReader, StreamWriter};
