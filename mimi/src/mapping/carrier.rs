//! The carrier block ([`super::CARRIER_BLOCK`]): what a MIMI message has and its event lacks,
//! as JSON with byte strings in unpadded base64 (Matrix's convention for binary data).
//!
//! ```text
//! "io.exev.mimi": {
//!   "salt": "<base64>",                                   always
//!   "topic_id": "<base64>",                               when not empty
//!   "expires": {"relative": false, "time": 1644390004},   when present
//!   "extensions": [{"key": 3 or "text", "value": "<base64 of the CBOR item>"}, ...],
//!                                                          other than senderUri and roomUri
//!   "body": "<base64 of the NestedPart's CBOR>"           when the event's blocks alone
//!                                                          would not give the body back
//! }
//! ```
//!
//! The body is the part tree in the message's own encoding: exact, a fraction of the size of a
//! JSON rendering of it, and read back with the same decoder and the same rules.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use exev::{Object, Path, Value};

use super::{MappingError, MappingErrorKind};
use crate::{Expiration, ExtensionKey, NestedPart};

/// Unpadded standard base64.
pub(crate) fn b64(bytes: &[u8]) -> String {
    STANDARD_NO_PAD.encode(bytes)
}

/// The bytes of unpadded standard base64, only when it is in canonical form: these engines
/// refuse padding and nonzero trailing bits, so each byte string has one accepted text.
pub(crate) fn unb64(text: &str) -> Option<Vec<u8>> {
    STANDARD_NO_PAD.decode(text).ok()
}

/// Unpadded URL-safe base64 (a JSON Web Key's `k`).
pub(crate) fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The bytes of unpadded URL-safe base64, only when it is in canonical form.
pub(crate) fn unb64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// What the carrier block holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Carrier {
    pub(crate) salt: Option<[u8; 16]>,
    pub(crate) topic_id: Vec<u8>,
    pub(crate) expires: Option<Expiration>,
    pub(crate) extensions: Vec<(ExtensionKey, Vec<u8>)>,
    pub(crate) body: Option<NestedPart>,
}

fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl Carrier {
    /// The block's value.
    pub(crate) fn to_value(&self) -> Value {
        let mut members: Vec<(&str, Value)> = Vec::new();
        if let Some(salt) = &self.salt {
            members.push(("salt", Value::from(b64(salt))));
        }
        if !self.topic_id.is_empty() {
            members.push(("topic_id", Value::from(b64(&self.topic_id))));
        }
        if let Some(e) = &self.expires {
            members.push((
                "expires",
                object(vec![
                    ("relative", Value::Bool(e.relative)),
                    ("time", Value::from(e.time)),
                ]),
            ));
        }
        if !self.extensions.is_empty() {
            let list = self
                .extensions
                .iter()
                .map(|(key, raw)| {
                    let key = match key {
                        ExtensionKey::Int(n) => Value::Integer(*n),
                        ExtensionKey::Text(s) => Value::from(s.as_str()),
                    };
                    object(vec![("key", key), ("value", Value::from(b64(raw)))])
                })
                .collect();
            members.push(("extensions", Value::Array(list)));
        }
        if let Some(body) = &self.body {
            members.push(("body", Value::from(b64(&crate::encode::part_bytes(body)))));
        }
        object(members)
    }

    /// Reads the block's value; `path` is where it is in the event.
    pub(crate) fn read(value: &Value, path: &Path) -> Result<Carrier, MappingError> {
        let o = as_object(value, path)?;
        let mut carrier = Carrier::default();
        if let Some(v) = o.get("salt") {
            let p = path.clone().key("salt");
            let bytes = read_b64(v, &p)?;
            carrier.salt = Some(
                bytes
                    .try_into()
                    .map_err(|_| bad(&p, "a salt of 16 octets"))?,
            );
        }
        if let Some(v) = o.get("topic_id") {
            carrier.topic_id = read_b64(v, &path.clone().key("topic_id"))?;
        }
        if let Some(v) = o.get("expires") {
            let p = path.clone().key("expires");
            let e = as_object(v, &p)?;
            let relative = e
                .get("relative")
                .and_then(Value::as_bool)
                .ok_or_else(|| bad(&p.clone().key("relative"), "a boolean"))?;
            let time = e
                .get("time")
                .and_then(Value::as_i64)
                .and_then(|t| u32::try_from(t).ok())
                .ok_or_else(|| bad(&p.clone().key("time"), "an integer 0..2^32-1"))?;
            carrier.expires = Some(Expiration { relative, time });
        }
        if let Some(v) = o.get("extensions") {
            let p = path.clone().key("extensions");
            let list = v.as_array().ok_or_else(|| bad(&p, "an array"))?;
            for (i, item) in list.iter().enumerate() {
                let ip = p.clone().index(i);
                let e = as_object(item, &ip)?;
                let key = match e.get("key") {
                    Some(Value::Integer(n)) => ExtensionKey::Int(*n),
                    Some(Value::String(s)) => ExtensionKey::Text(s.clone()),
                    _ => return Err(bad(&ip.clone().key("key"), "an integer or a string")),
                };
                let raw = read_b64(
                    e.get("value").unwrap_or(&Value::Null),
                    &ip.clone().key("value"),
                )?;
                carrier.extensions.push((key, raw));
            }
        }
        if let Some(v) = o.get("body") {
            let p = path.clone().key("body");
            let bytes = read_b64(v, &p)?;
            let body = crate::decode::part_from_slice(&bytes).map_err(|e| {
                MappingError::new(MappingErrorKind::Carrier(e.to_string()), p.clone())
            })?;
            carrier.body = Some(body);
        }
        Ok(carrier)
    }
}

fn bad(path: &Path, expected: &str) -> MappingError {
    MappingError::new(
        MappingErrorKind::Carrier(format!("expected {expected}")),
        path.clone(),
    )
}

fn as_object<'v>(value: &'v Value, path: &Path) -> Result<&'v Object, MappingError> {
    value.as_object().ok_or_else(|| bad(path, "an object"))
}

fn read_b64(value: &Value, path: &Path) -> Result<Vec<u8>, MappingError> {
    value
        .as_str()
        .and_then(unb64)
        .ok_or_else(|| bad(path, "unpadded base64"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_base64_is_read() {
        assert_eq!(unb64("AAE"), Some(vec![0, 1]));
        // Padding, and trailing bits that are not zero, give a second text for the bytes.
        assert_eq!(unb64("AAE="), None);
        assert_eq!(unb64("AAF"), None);
        assert_eq!(unb64url("_-8"), Some(vec![0xff, 0xef]));
        assert_eq!(unb64url("_-9"), None);
        for bytes in [&b""[..], b"\x00", b"\x00\x01", b"\xff\xfe\xfd"] {
            assert_eq!(unb64(&b64(bytes)).as_deref(), Some(bytes));
            assert_eq!(unb64url(&b64url(bytes)).as_deref(), Some(bytes));
        }
    }
}
