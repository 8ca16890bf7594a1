//! Message IDs (draft-ietf-mimi-content-08 §3.3).
//!
//! ```text
//! hash_output = SHA-256( u16be(len senderUri) || senderUri || u16be(len roomUri) || roomUri
//!                        || mimiContent bytes || salt )
//! messageId   = 0x01 || hash_output[0..31]
//! ```
//!
//! The ID is a hash of the encoded bytes, which is why the encoding must be deterministic:
//! two encoders of the same message must give the same ID.

use exev::Path;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind};
use crate::{MessageId, rules};

/// The IANA named-information id of SHA-256, the first octet of every ID this computes.
pub const SHA_256: u8 = 1;

/// The message ID of the encoded message `content` sent by `sender_uri` in `room_uri`,
/// whose salt is `salt`.
///
/// # Errors
///
/// A [`crate::Category::Schema`] error when a URI is longer than 65535 octets (its length
/// prefix is 16 bits).
pub fn compute(
    content: &[u8],
    sender_uri: &str,
    room_uri: &str,
    salt: &[u8; 16],
) -> Result<MessageId, Error> {
    let mut hasher = Sha256::new();
    for (field, uri) in [("senderUri", sender_uri), ("roomUri", room_uri)] {
        let len = u16::try_from(uri.len()).map_err(|_| {
            Error::new(
                ErrorKind::Schema {
                    rule: rules::URI_LENGTH,
                    found: format!("{} octets", uri.len()),
                },
                None,
                Path::root().key(field),
            )
        })?;
        hasher.update(len.to_be_bytes());
        hasher.update(uri.as_bytes());
    }
    hasher.update(content);
    hasher.update(salt);
    let hash = hasher.finalize();
    let mut id = [0u8; 32];
    id[0] = SHA_256;
    for (slot, byte) in id.iter_mut().skip(1).zip(hash.iter()) {
        *slot = *byte;
    }
    Ok(MessageId(id))
}

/// The message ID of encoded MIMI content, with the sender and room URIs and the salt read
/// from it (URIs absent from its extensions count as empty).
///
/// ```
/// let bytes = std::fs::read(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/../../shared/vectors/mimi-content/examples/original.cbor"
/// ));
/// # let Ok(bytes) = bytes else { return Ok(()) };
/// let id = exev_mimi::message_id_of(&bytes)?;
/// assert_eq!(id.to_hex(), "017ce54837404c3696e0c747b985cb172716d0ed0a3d249ca63ace7d82a096f4");
/// # Ok::<(), exev_mimi::Error>(())
/// ```
///
/// # Errors
///
/// As [`crate::from_slice`] and [`compute`].
pub fn message_id_of(bytes: &[u8]) -> Result<MessageId, Error> {
    let m = crate::from_slice(bytes)?;
    compute(
        bytes,
        m.extensions.sender_uri().unwrap_or_default(),
        m.extensions.room_uri().unwrap_or_default(),
        &m.salt,
    )
}
