//! # exev-codec: encodings of Matrix extensible events
//!
//! Codecs between the [`exev`] model and bytes, all sharing one [`Options`] struct of limits
//! and policies and one [`Error`] type that says what is wrong, where in the input (line and
//! column for text, byte offset for binary) and where in the event (a [`exev::Path`]).
//!
//! - [`json`]: Matrix canonical JSON, strict about the data model by default.
//! - [`cbor`]: CBOR, written deterministically (RFC 8949 §4.2.1), with CBOR sequences.
//! - [`proto`]: Protobuf, on the published schema `schemas/proto/exev/v1/*.proto`.
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
mod options;
pub mod oracle;
pub mod proto;
mod stream;

pub use error::{Category, Error, ErrorKind, Position};
pub use format::{Format, UnknownFormat, read_limited};
pub use options::{
    DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_STRING_BYTES,
    MAX_DEPTH_CEILING, NumberPolicy, Options,
};
pub use stream::{StreamReader, StreamWriter};
