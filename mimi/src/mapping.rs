//! The mapping between MIMI content and Matrix extensible events, both ways, lossless; the
//! table of every field is `MAPPING.md` in this crate.
//!
//! - [`to_event`]: a message as the [`Event`] a Matrix client would have sent: text parts as
//!   `m.text` representations, an external part as `m.file` (with `m.caption`), `inReplyTo`
//!   as `m.in_reply_to`, `replaces` as an `m.replace` edit, a delete or unlike as an
//!   `m.room.redaction`, a reaction as `m.reaction` with an `m.annotation` key, links to
//!   users as `m.mentions`, the sender and room URIs as `sender` and `room_id`. What MIMI has
//!   and Matrix lacks (the salt, the part tree's details, dispositions, inline binary
//!   parts, `topicId`, `expires`, other extensions) rides in the block [`CARRIER_BLOCK`].
//! - [`to_mimi`]: an event as MIMI content. What MIMI cannot say (an event type it has no
//!   counterpart for, Matrix-only blocks, a fallback text) rides in the extension
//!   [`RESIDUE_EXTENSION`], so that the event comes back whole.
//!
//! MIMI → event → MIMI gives the same bytes for every message; event → MIMI → event gives
//! the same event plus the carrier block for every event the mapping covers (every event
//! but state events and encrypted ones, which have no MIMI content to show).
//!
//! IDs are in different namespaces: a [`Resolver`] maps MIMI message IDs to Matrix event IDs
//! and back, and MIMI user and room URIs to Matrix IDs; [`CarryIds`], the default, carries
//! them as they are (`$` and the message ID in hex; URIs unchanged).
//!
//! ```
//! use exev_mimi::mapping::{self, CARRIER_BLOCK};
//!
//! let event = exev_codec::json::from_str(
//!     r#"{"type":"m.emote","content":{"m.text":[{"body":"says hi"}]}}"#,
//! )?;
//! let message = mapping::to_mimi(&event, [9; 16])?;
//! assert_eq!(message.body.part.kind_name(), "SinglePart");
//! let back = mapping::to_event(&message);
//! assert_eq!(back.event_type(), "m.emote");
//! let mut without_carrier = back.clone();
//! without_carrier.content_mut().remove(CARRIER_BLOCK);
//! assert_eq!(without_carrier, event);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod carrier;
mod compose;
mod markdown;
mod project;
mod residue;

use std::fmt;

use exev::{Event, Path};

use crate::{MessageId, MimiContent};

/// The content block that carries what MIMI has and Matrix lacks (its layout is in
/// `MAPPING.md`).
pub const CARRIER_BLOCK: &str = "io.exev.mimi";

/// The MIMI extension (a private-use text key, §4.3) that carries what an event has and
/// MIMI lacks: a byte string holding the canonical JSON of the difference between the event
/// and what the message alone maps back to.
pub const RESIDUE_EXTENSION: &str = "io.exev.matrix";

/// The private-use AEAD identifier (RFC 5116 §6: 32768 to 65535) this crate gives Matrix's
/// encrypted attachments (AES-256-CTR, `EncryptedFile` v2), so that an encrypted `m.file`
/// maps to an `ExternalPart` with its key, IV and SHA-256 hash.
pub const ENC_ALG_MATRIX_A256CTR: u16 = 32768;

/// MIMI's mandatory plain text type (§7.1): a Matrix representation without a mimetype.
pub const TEXT_PLAIN_UTF8: &str = "text/plain;charset=utf-8";

/// Maps IDs between MIMI and Matrix, which name messages, users and rooms differently.
///
/// Implementations should be bijective where they answer, so that both directions of the
/// mapping agree; an ID one direction cannot map is carried as it is where the format
/// allows, and refused where it does not (a relation's target must be a MIMI message ID).
pub trait Resolver {
    /// The Matrix event ID of a MIMI message.
    fn event_id(&self, id: &MessageId) -> String;
    /// The MIMI message ID of a Matrix event, if it has one.
    fn message_id(&self, event_id: &str) -> Option<MessageId>;
    /// The Matrix user ID of a MIMI user URI.
    fn user_id(&self, uri: &str) -> String {
        uri.to_owned()
    }
    /// The MIMI user URI of a Matrix user ID.
    fn user_uri(&self, user_id: &str) -> Option<String> {
        Some(user_id.to_owned())
    }
    /// The Matrix room ID of a MIMI room URI.
    fn room_id(&self, uri: &str) -> String {
        uri.to_owned()
    }
    /// The MIMI room URI of a Matrix room ID.
    fn room_uri(&self, room_id: &str) -> Option<String> {
        Some(room_id.to_owned())
    }
    /// Whether a link target in a message's text mentions a user, and which Matrix user:
    /// by default a `mimi:` URI whose path is under `/u/`, as the draft's examples have.
    fn mentioned_user(&self, link: &str) -> Option<String> {
        let rest = link.strip_prefix("mimi://")?;
        let path = rest.split_once('/').map(|(_, p)| p)?;
        path.starts_with("u/").then(|| self.user_id(link))
    }
}

/// The default [`Resolver`]: MIMI message IDs become `$` and 64 lowercase hex digits, and
/// back; URIs stay as they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CarryIds;

impl Resolver for CarryIds {
    fn event_id(&self, id: &MessageId) -> String {
        format!("${}", id.to_hex())
    }

    fn message_id(&self, event_id: &str) -> Option<MessageId> {
        MessageId::from_hex(event_id.strip_prefix('$')?)
    }
}

/// A mapping with its [`Resolver`] and options.
///
/// ```
/// use exev_mimi::mapping::{CarryIds, Mapper};
/// use exev_mimi::{MimiContent, NestedPart};
///
/// let message = MimiContent::new([1; 16], NestedPart::text("text/plain;charset=utf-8", "hi"));
/// let event = Mapper::new(CarryIds).with_event_ids(true).to_event(&message);
/// assert_eq!(event.event_id(), Some(format!("${}", message.message_id()?).as_str()));
/// # Ok::<(), exev_mimi::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Mapper<R = CarryIds> {
    resolver: R,
    event_ids: bool,
}

impl<R: Resolver> Mapper<R> {
    /// A mapping through `resolver`, without event IDs.
    pub fn new(resolver: R) -> Mapper<R> {
        Mapper {
            resolver,
            event_ids: false,
        }
    }

    /// Whether [`Mapper::to_event`] gives each event the `event_id` of its message's ID (off
    /// by default). A timeline needs them to attach replies, reactions, edits and deletes.
    /// Going back, an `event_id` that is the message's own derived ID is not carried (MIMI
    /// derives IDs from the content); any other rides in the residue.
    #[must_use]
    pub fn with_event_ids(mut self, event_ids: bool) -> Mapper<R> {
        self.event_ids = event_ids;
        self
    }

    /// The resolver.
    pub fn resolver(&self) -> &R {
        &self.resolver
    }

    /// The event of a MIMI message (see the module docs).
    pub fn to_event(&self, message: &MimiContent) -> Event {
        residue::to_event(self, message)
    }

    /// The MIMI message of an event. `salt` is used when the event has no carrier block
    /// with one; it must be 16 cryptographically random octets (§9.2).
    ///
    /// # Errors
    ///
    /// A [`MappingError`] with its path for a state or encrypted event, an event with
    /// nothing MIMI can show (no `m.text`, `m.file`, reaction or redaction), a relation
    /// whose target the resolver cannot map to a message ID, or a malformed carrier block.
    pub fn to_mimi(&self, event: &Event, salt: [u8; 16]) -> Result<MimiContent, MappingError> {
        compose::to_mimi(self, event, salt)
    }
}

/// [`Mapper::to_event`] with [`CarryIds`] and no event IDs.
pub fn to_event(message: &MimiContent) -> Event {
    Mapper::new(CarryIds).to_event(message)
}

/// [`Mapper::to_mimi`] with [`CarryIds`].
///
/// # Errors
///
/// As [`Mapper::to_mimi`].
pub fn to_mimi(event: &Event, salt: [u8; 16]) -> Result<MimiContent, MappingError> {
    Mapper::new(CarryIds).to_mimi(event, salt)
}

/// Why an event cannot be mapped to MIMI content, and where in the event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingError {
    kind: MappingErrorKind,
    path: Path,
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MappingErrorKind {
    /// The event is of a kind MIMI content does not carry (a state event, an encrypted one),
    /// or has nothing MIMI can show.
    NotCovered(String),
    /// A relation's target has no MIMI message ID.
    UnresolvedEventId(String),
    /// The carrier block is malformed.
    Carrier(String),
    /// The message the event maps to cannot be written (too deep, too many parts).
    Mimi(crate::Error),
}

impl MappingError {
    pub(crate) fn new(kind: MappingErrorKind, path: Path) -> MappingError {
        MappingError { kind, path }
    }

    /// What is wrong.
    pub fn kind(&self) -> &MappingErrorKind {
        &self.kind
    }

    /// Where in the event.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            MappingErrorKind::NotCovered(what) => {
                write!(f, "not mappable to MIMI content: {what}")?
            }
            MappingErrorKind::UnresolvedEventId(id) => {
                write!(f, "the event ID {id} has no MIMI message ID")?;
            }
            MappingErrorKind::Carrier(what) => {
                write!(f, "malformed {CARRIER_BLOCK} block: {what}")?
            }
            MappingErrorKind::Mimi(e) => write!(f, "{e}")?,
        }
        if !self.path.is_root() {
            write!(f, " at {}", self.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for MappingError {}
