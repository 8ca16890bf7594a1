//! [`MimiContent`]: the 7-item top level of a message (§4.1), and [`MessageId`].

use std::fmt;

use crate::{Extensions, NestedPart};

/// A message ID (§3.3): the hash algorithm's IANA named-information id (1 = sha-256), then
/// 31 octets of the hash.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(pub [u8; 32]);

impl MessageId {
    /// The hash algorithm byte (1 for SHA-256).
    pub fn hash_alg(&self) -> u8 {
        self.0[0]
    }

    /// Lowercase hex, 64 digits.
    pub fn to_hex(&self) -> String {
        crate::hex::encode(&self.0)
    }

    /// The ID from 64 hex digits.
    pub fn from_hex(hex: &str) -> Option<MessageId> {
        let bytes = crate::hex::decode(hex)?;
        Some(MessageId(bytes.try_into().ok()?))
    }
}

impl fmt::Debug for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MessageId({})", self.to_hex())
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// When a message expires (§4.1): `time` seconds after it is read (`relative`), or at
/// `time` seconds since the UNIX epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Expiration {
    /// Whether `time` counts from when the message is read.
    pub relative: bool,
    /// Seconds.
    pub time: u32,
}

/// One MIMI content message (draft-ietf-mimi-content-08 §4): its behaviour fields and its
/// body, in the order they are encoded.
///
/// ```
/// use exev_mimi::{MimiContent, NestedPart};
///
/// let mut message = MimiContent::new([7; 16], NestedPart::text("text/plain;charset=utf-8", "hi"));
/// message.extensions.set_sender_uri("mimi://example.com/u/alice")?;
/// message.extensions.set_room_uri("mimi://example.com/r/team")?;
/// let bytes = exev_mimi::to_vec(&message)?;
/// assert_eq!(exev_mimi::from_slice(&bytes)?, message);
/// assert_eq!(message.message_id()?.hash_alg(), 1);
/// # Ok::<(), exev_mimi::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MimiContent {
    /// 16 random octets, unique per message.
    pub salt: [u8; 16],
    /// The message this one edits, deletes or adjusts (the first version of it).
    pub replaces: Option<MessageId>,
    /// An opaque topic; empty for none.
    pub topic_id: Vec<u8>,
    /// When the message expires.
    pub expires: Option<Expiration>,
    /// The message this one replies to (a specific version).
    pub in_reply_to: Option<MessageId>,
    /// The extensions, `senderUri` and `roomUri` among them.
    pub extensions: Extensions,
    /// The body.
    pub body: NestedPart,
}

impl MimiContent {
    /// A message with `salt` and `body`, and every other field empty.
    pub fn new(salt: [u8; 16], body: NestedPart) -> MimiContent {
        MimiContent {
            salt,
            replaces: None,
            topic_id: Vec::new(),
            expires: None,
            in_reply_to: None,
            extensions: Extensions::new(),
            body,
        }
    }

    /// This message replying to `id`.
    #[must_use]
    pub fn in_reply_to(mut self, id: MessageId) -> MimiContent {
        self.in_reply_to = Some(id);
        self
    }

    /// This message replacing `id`.
    #[must_use]
    pub fn replacing(mut self, id: MessageId) -> MimiContent {
        self.replaces = Some(id);
        self
    }

    /// This message in topic `topic_id`.
    #[must_use]
    pub fn in_topic(mut self, topic_id: impl Into<Vec<u8>>) -> MimiContent {
        self.topic_id = topic_id.into();
        self
    }

    /// This message expiring as `expires` says.
    #[must_use]
    pub fn expiring(mut self, expires: Expiration) -> MimiContent {
        self.expires = Some(expires);
        self
    }

    /// The message ID (§3.3) of this message's encoding, with the sender and room URIs of
    /// its extensions (empty when absent).
    ///
    /// # Errors
    ///
    /// As [`crate::to_vec`], or when a URI is longer than 65535 octets.
    pub fn message_id(&self) -> Result<MessageId, crate::Error> {
        let bytes = crate::to_vec(self)?;
        crate::message_id::compute(
            &bytes,
            self.extensions.sender_uri().unwrap_or_default(),
            self.extensions.room_uri().unwrap_or_default(),
            &self.salt,
        )
    }
}
