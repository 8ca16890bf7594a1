//! `m.encrypted`: an encrypted payload (MSC3956, a draft).

use crate::blocks::fields::{Fields, ObjectWriter};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// `m.encrypted`: the content of today's `m.room.encrypted` events, carried as a block of the
/// `m.encrypted` event type. Only `algorithm` is typed; everything else (`ciphertext`,
/// `session_id`, `sender_key`, `device_id`, ...) depends on the algorithm and is kept in
/// `extra`, with accessors for the common members.
///
/// MSC3956 is a draft, opposed in review, and forbids a plaintext fallback: treat this block as
/// an opaque payload to hand to the crypto layer.
///
/// ```
/// use exev::{Block, EncryptedBlock, Value};
///
/// let block = EncryptedBlock::new("m.megolm.v1.aes-sha2")
///     .with_ciphertext(Value::from("AwgAEn..."))
///     .with_session_id("abc");
/// assert_eq!(block.session_id(), Some("abc"));
/// assert_eq!(block.ciphertext().and_then(|c| c.as_str()), Some("AwgAEn..."));
/// assert_eq!(EncryptedBlock::from_value(&block.to_value()).unwrap(), block);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncryptedBlock {
    /// The encryption algorithm, e.g. `m.megolm.v1.aes-sha2`.
    pub algorithm: String,
    /// Every other member, as sent: the ciphertext and the algorithm's own fields.
    pub extra: Object,
}

impl EncryptedBlock {
    /// A payload encrypted with `algorithm`, with no other member yet.
    pub fn new(algorithm: impl Into<String>) -> EncryptedBlock {
        EncryptedBlock {
            algorithm: algorithm.into(),
            extra: Object::new(),
        }
    }

    /// Sets the `ciphertext` member: a string for Megolm, an object by recipient key for Olm.
    #[must_use]
    pub fn with_ciphertext(self, ciphertext: Value) -> EncryptedBlock {
        self.with_extra("ciphertext", ciphertext)
    }

    /// Sets the `session_id` member (Megolm).
    #[must_use]
    pub fn with_session_id(self, session_id: impl Into<String>) -> EncryptedBlock {
        self.with_extra("session_id", Value::String(session_id.into()))
    }

    /// Sets the member `key` of the payload.
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> EncryptedBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// The `ciphertext` member, whatever its type.
    pub fn ciphertext(&self) -> Option<&Value> {
        self.extra.get("ciphertext")
    }

    /// The `session_id` member, if it is a string.
    pub fn session_id(&self) -> Option<&str> {
        self.extra.get("session_id").and_then(Value::as_str)
    }

    /// The `sender_key` member, if it is a string.
    pub fn sender_key(&self) -> Option<&str> {
        self.extra.get("sender_key").and_then(Value::as_str)
    }

    /// The `device_id` member, if it is a string.
    pub fn device_id(&self) -> Option<&str> {
        self.extra.get("device_id").and_then(Value::as_str)
    }

    /// Reads an `m.encrypted` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<EncryptedBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let algorithm = fields.required_string("algorithm")?;
        Ok(EncryptedBlock {
            algorithm,
            extra: fields.rest(),
        })
    }
}

impl Block for EncryptedBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Encrypted.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<EncryptedBlock, BlockError> {
        EncryptedBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("algorithm", self.algorithm.as_str())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    /// The block of the MSC3956 example (V11).
    const V11: &str = r#"{
        "algorithm": "m.megolm.v1.aes-sha2",
        "ciphertext": "<encrypted_payload_base_64>",
        "device_id": "<sender_device_id>",
        "sender_key": "<sender_curve25519_key>",
        "session_id": "<outbound_group_session_id>"
    }"#;

    #[test]
    fn reads_the_msc3956_shape() {
        let v = json(V11);
        let b = EncryptedBlock::from_value(&v).unwrap();
        assert_eq!(b.algorithm, "m.megolm.v1.aes-sha2");
        assert_eq!(
            b.ciphertext(),
            Some(&Value::from("<encrypted_payload_base_64>"))
        );
        assert_eq!(b.session_id(), Some("<outbound_group_session_id>"));
        assert_eq!(b.sender_key(), Some("<sender_curve25519_key>"));
        assert_eq!(b.device_id(), Some("<sender_device_id>"));
        assert_eq!(b.extra.len(), 4);
        assert_eq!(b.to_value(), v);
        let b = EncryptedBlock::read("org.matrix.msc1767.encrypted", ValueRef::from(&v)).unwrap();
        assert_eq!(b.algorithm, "m.megolm.v1.aes-sha2");
    }

    #[test]
    fn olm_ciphertext_is_an_object() {
        let v = json(
            r#"{"algorithm": "m.olm.v1.curve25519-aes-sha2",
                "ciphertext": {"key": {"type": 0, "body": "..."}}, "sender_key": "k"}"#,
        );
        let b = EncryptedBlock::from_value(&v).unwrap();
        assert!(b.ciphertext().and_then(Value::as_object).is_some());
        assert_eq!(b.session_id(), None);
        assert_eq!(b.to_value(), v);
    }

    #[test]
    fn round_trips() {
        let b = EncryptedBlock::new("m.megolm.v1.aes-sha2")
            .with_ciphertext(Value::from("c"))
            .with_session_id("s")
            .with_extra("device_id", Value::from("D"));
        assert_eq!(EncryptedBlock::from_value(&b.to_value()).unwrap(), b);
    }

    #[test]
    fn errors_have_paths() {
        let e = EncryptedBlock::from_value(&json(r#"{"ciphertext": "c"}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `algorithm`");
        let e = EncryptedBlock::from_value(&json(r#"{"algorithm": null}"#)).unwrap_err();
        assert_eq!(e.to_string(), "algorithm: expected a string, found null");
    }
}
