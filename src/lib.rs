//! # exev: Matrix extensible events (MSC1767)
//!
//! The event model: an [`Event`] is a `type`, a [`Content`] of content blocks, and every other
//! top-level member, all kept exactly as sent. Values follow the Matrix canonical-JSON data
//! model ([`Value`]). Every block of the built-in table has a typed form ([`TextBlock`],
//! [`FileBlock`], ...) read on demand, under its stable `m.*` name or any unstable or obsolete
//! alias it is still sent under ([`KnownBlock::names`]); [`AnyBlock`] holds any of them.
//!
//! Today's legacy events (`m.room.message` of every msgtype, `m.sticker`, `m.room.encrypted`)
//! convert to their extensible form and back, losslessly, and to MSC4460's hybrid form
//! ([`legacy`]). Relations are typed: an edit's new content ([`Event::replacement`],
//! [`Replacement`]), what a redaction removes ([`Event::redacts`], [`Event::redacted`]), a
//! reply's fallback ([`strip_reply_fallback`]).
//!
//! This crate holds no codec: `exev-codec` reads and writes JSON (and more), and
//! `exev-registry` decides how to render events a client does not know and folds a room's
//! events into a timeline.
//!
//! ```
//! use exev::{Block, Content, Event, FileBlock, TextBlock};
//!
//! let mut content = Content::new();
//! content.set(&TextBlock::plain("matrix.pdf (12 KB)"));
//! content.set(&FileBlock::new("mxc://example.org/abcd1234").name("matrix.pdf").size(12345));
//! let event = Event::new("m.file", content);
//!
//! // Typed access reads the block whatever name it came under; errors have a path.
//! let file: FileBlock = event.content().get().unwrap()?;
//! assert_eq!(file.size, Some(12345));
//! assert_eq!(event.content().text().unwrap()?.plain_text(), Some("matrix.pdf (12 KB)"));
//! # Ok::<(), exev::BlockError>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod blocks;
mod content;
mod error;
mod event;
pub mod generate;
mod lazy_object;
pub mod legacy;
mod mimetype;
mod name;
mod naming;
mod path;
mod relations;
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
pub mod schema;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
mod serde_support;
#[doc(hidden)]
pub mod tape;
mod value;
mod value_ref;

pub use blocks::{
    AltTextBlock, AnyBlock, AssetBlock, AudioDetailsBlock, AutomatedBlock, Block, CaptionBlock,
    DEFAULT_MIMETYPE, DurationUnit, EncryptedBlock, EncryptedFile, FileBlock, ImageDetailsBlock,
    LocationBlock, MentionsBlock, PollAnswer, PollBlock, PollKind, PollQuestion, PollResultsBlock,
    RelatesToBlock, SelectionsBlock, SkippedRepresentation, TextBlock, TextRepresentation,
    Thumbnail, ThumbnailBlock, TopicBlock, TsBlock, VideoDetailsBlock,
};
pub use content::{BlockEntry, Content, block_path};
pub use error::{BlockError, BlockErrorKind, EventError, ValueError};
pub use event::Event;
pub use mimetype::{mimetype_essence, same_mimetype};
pub use name::{
    KnownBlock, NameStatus, event_type_names, is_namespaced_identifier, stable_event_type,
};
pub use naming::NamingProfile;
pub use path::{Path, Segment};
pub use relations::{NEW_CONTENT, Replacement, ReplacementForm, strip_reply_fallback};
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use serde_support::{from_value, to_value};
pub use value::{MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Value};
pub use value_ref::{ArrayElements, ArrayRef, ObjectMembers, ObjectRef, RefShape, ValueRef};

// The README's library example is compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
