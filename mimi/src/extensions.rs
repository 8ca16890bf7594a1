//! `mimiExtensions`: a map from integer or text keys to any CBOR item (§4.3), kept as the
//! encoded item so that it is written back byte for byte.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use exev::Path;
use exev_codec::cbor::head;

use crate::error::{Error, ErrorKind};
use crate::rules;

/// The largest integer key (§6.2): 2^53 - 1, the same bound as Matrix canonical JSON.
pub const MAX_INTEGER_KEY: i64 = exev::MAX_SAFE_INTEGER;

/// The most octets a text key may have (§4.3).
pub const MAX_TEXT_KEY_BYTES: usize = 255;

/// The key of one extension: an integer (positive keys are registered with IANA, 1 being
/// `senderUri` and 2 `roomUri`; negative ones are private) or a text string (private).
///
/// Keys order as their deterministic encodings do (RFC 8949 §4.2.1), which is the order the
/// map is written in: non-negative integers by value, then negative integers from -1 down,
/// then text by length and then bytewise.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExtensionKey {
    /// An integer key.
    Int(i64),
    /// A text key.
    Text(String),
}

impl ExtensionKey {
    /// `senderUri`: the URI of the sending user.
    pub const SENDER_URI: ExtensionKey = ExtensionKey::Int(1);
    /// `roomUri`: the URI of the room.
    pub const ROOM_URI: ExtensionKey = ExtensionKey::Int(2);

    /// The key's place in the encoded order: major type, then argument or length, then the
    /// text bytes.
    fn order_key(&self) -> (u8, u64, &[u8]) {
        match self {
            ExtensionKey::Int(n) if *n >= 0 => (0, n.unsigned_abs(), &[]),
            // -1 - n, the argument of major type 1.
            ExtensionKey::Int(n) => (1, (!*n).unsigned_abs(), &[]),
            ExtensionKey::Text(s) => (3, s.len() as u64, s.as_bytes()),
        }
    }

    /// Checks the key against §4.3 and §6.2; `Err` names the rule broken.
    pub(crate) fn check(&self) -> Result<(), (&'static str, String)> {
        match self {
            ExtensionKey::Int(n) if n.unsigned_abs() > MAX_INTEGER_KEY.unsigned_abs() => {
                Err((rules::INTEGER_KEY, format!("the integer {n}")))
            }
            ExtensionKey::Text(s) if s.is_empty() || s.len() > MAX_TEXT_KEY_BYTES => Err((
                rules::EXTENSION_KEY,
                format!("a text key of {} octets", s.len()),
            )),
            _ => Ok(()),
        }
    }

    /// Appends the key's deterministic encoding.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        match self {
            ExtensionKey::Int(n) if *n >= 0 => head::write_head(out, 0, n.unsigned_abs()),
            ExtensionKey::Int(n) => head::write_head(out, 1, (!*n).unsigned_abs()),
            ExtensionKey::Text(s) => {
                head::write_head(out, 3, s.len() as u64);
                out.extend_from_slice(s.as_bytes());
            }
        }
    }

    /// Where the extension is in a message: `mimiExtensions[1]` for an unsigned key,
    /// `mimiExtensions["-7"]`, `mimiExtensions["org.example.x"]`.
    pub(crate) fn path(&self) -> Path {
        let extensions = Path::root().key("mimiExtensions");
        match self {
            ExtensionKey::Int(n) if *n >= 0 => match usize::try_from(*n) {
                Ok(i) => extensions.index(i),
                Err(_) => extensions.key(self.to_string()),
            },
            _ => extensions.key(self.to_string()),
        }
    }
}

impl fmt::Display for ExtensionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtensionKey::Int(n) => write!(f, "{n}"),
            ExtensionKey::Text(s) => write!(f, "{s}"),
        }
    }
}

impl Ord for ExtensionKey {
    fn cmp(&self, other: &ExtensionKey) -> Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

impl PartialOrd for ExtensionKey {
    fn partial_cmp(&self, other: &ExtensionKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<i64> for ExtensionKey {
    fn from(n: i64) -> ExtensionKey {
        ExtensionKey::Int(n)
    }
}

impl From<&str> for ExtensionKey {
    fn from(s: &str) -> ExtensionKey {
        ExtensionKey::Text(s.to_owned())
    }
}

/// The extensions of a message: each key once, each value one deterministic CBOR item
/// within the draft's rules (checked when it is put in), in encoded-key order.
///
/// ```
/// use exev_mimi::{ExtensionKey, Extensions};
///
/// let mut ext = Extensions::new();
/// ext.set_sender_uri("mimi://example.com/u/alice-smith")?;
/// ext.insert_raw(ExtensionKey::from("org.example.flag"), vec![0xf5])?; // true
/// ext.insert_raw(ExtensionKey::from(-7), vec![0x82, 0x01, 0x02])?; // [1, 2]
/// assert_eq!(ext.sender_uri(), Some("mimi://example.com/u/alice-smith"));
/// let keys: Vec<String> = ext.iter().map(|(k, _)| k.to_string()).collect();
/// assert_eq!(keys, ["1", "-7", "org.example.flag"]);
///
/// // Not one deterministic item: refused, with the rule.
/// let err = ext.insert_raw(ExtensionKey::from(9), vec![0x18, 0x01]).unwrap_err();
/// assert!(err.to_string().contains("shortest form"), "{err}");
/// # Ok::<(), exev_mimi::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extensions {
    map: BTreeMap<ExtensionKey, Vec<u8>>,
}

impl Extensions {
    /// No extensions.
    pub fn new() -> Extensions {
        Extensions::default()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The keys and encoded values, in encoded-key order.
    pub fn iter(&self) -> impl Iterator<Item = (&ExtensionKey, &[u8])> {
        self.map.iter().map(|(k, v)| (k, v.as_slice()))
    }

    /// The encoded value under `key`.
    pub fn get(&self, key: &ExtensionKey) -> Option<&[u8]> {
        self.map.get(key).map(Vec::as_slice)
    }

    /// The value under `key` when it is a text string.
    pub fn get_text(&self, key: &ExtensionKey) -> Option<&str> {
        text_item(self.get(key)?)
    }

    /// `senderUri` (1), when present.
    pub fn sender_uri(&self) -> Option<&str> {
        self.get_text(&ExtensionKey::SENDER_URI)
    }

    /// `roomUri` (2), when present.
    pub fn room_uri(&self) -> Option<&str> {
        self.get_text(&ExtensionKey::ROOM_URI)
    }

    /// Sets `senderUri`.
    ///
    /// # Errors
    ///
    /// As [`Extensions::insert_text`].
    pub fn set_sender_uri(&mut self, uri: &str) -> Result<(), Error> {
        self.insert_text(ExtensionKey::SENDER_URI, uri).map(drop)
    }

    /// Sets `roomUri`.
    ///
    /// # Errors
    ///
    /// As [`Extensions::insert_text`].
    pub fn set_room_uri(&mut self, uri: &str) -> Result<(), Error> {
        self.insert_text(ExtensionKey::ROOM_URI, uri).map(drop)
    }

    /// Puts a text value under `key`; returns the encoded value it replaces.
    ///
    /// # Errors
    ///
    /// A [`crate::Category::Schema`] error when the key breaks §4.3 or §6.2.
    pub fn insert_text(&mut self, key: ExtensionKey, text: &str) -> Result<Option<Vec<u8>>, Error> {
        key.check().map_err(|(rule, found)| {
            Error::new(ErrorKind::Schema { rule, found }, None, key.path())
        })?;
        let limit = exev_codec::DEFAULT_MAX_STRING_BYTES;
        if text.len() > limit {
            let rule = rules::LIMIT_STRING;
            return Err(Error::new(
                ErrorKind::Limit { rule, limit },
                None,
                key.path(),
            ));
        }
        // A text string is one item of the data model whatever it holds: no item check.
        let mut raw = Vec::with_capacity(text.len() + 9);
        head::write_head(&mut raw, 3, text.len() as u64);
        raw.extend_from_slice(text.as_bytes());
        Ok(self.map.insert(key, raw))
    }

    /// Puts an encoded item under `key`; returns the encoded value it replaces.
    ///
    /// # Errors
    ///
    /// An [`Error`] naming the rule when the key breaks §4.3 or §6.2, `raw` is not exactly
    /// one well-formed item in deterministic encoding within the draft's data model and
    /// depth (§6), or the key is `senderUri` or `roomUri` and the value is not text.
    pub fn insert_raw(
        &mut self,
        key: ExtensionKey,
        raw: Vec<u8>,
    ) -> Result<Option<Vec<u8>>, Error> {
        let path = key.path();
        key.check().map_err(|(rule, found)| {
            Error::new(ErrorKind::Schema { rule, found }, None, path.clone())
        })?;
        crate::decode::check_item(&raw, &exev_codec::Options::default())
            .map_err(|e| e.within(&path))?;
        check_known_value(&key, &raw)
            .map_err(|(rule, found)| Error::new(ErrorKind::Schema { rule, found }, None, path))?;
        Ok(self.map.insert(key, raw))
    }

    /// Puts an item already checked by the decoder.
    pub(crate) fn insert_checked(&mut self, key: ExtensionKey, raw: Vec<u8>) {
        self.map.insert(key, raw);
    }

    /// Takes the value under `key` out.
    pub fn remove(&mut self, key: &ExtensionKey) -> Option<Vec<u8>> {
        self.map.remove(key)
    }
}

/// The registered extensions' value rules: `senderUri` and `roomUri` are text.
pub(crate) fn check_known_value(
    key: &ExtensionKey,
    raw: &[u8],
) -> Result<(), (&'static str, String)> {
    let rule = match key {
        ExtensionKey::Int(1) => rules::SENDER_URI,
        ExtensionKey::Int(2) => rules::ROOM_URI,
        _ => return Ok(()),
    };
    match head::read_head(raw, 0) {
        Ok((h, _)) if h.major == 3 => Ok(()),
        Ok((h, _)) => Err((rule, head::type_name(h).to_owned())),
        Err(e) => Err((rule, e.to_string())),
    }
}

/// The text of an encoded text-string item (already checked: definite, UTF-8).
pub(crate) fn text_item(raw: &[u8]) -> Option<&str> {
    let (h, start) = head::read_head(raw, 0).ok()?;
    if h.major != 3 {
        return None;
    }
    std::str::from_utf8(raw.get(start..)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_their_encodings() {
        let mut keys = [
            ExtensionKey::from("aa"),
            ExtensionKey::from(-1),
            ExtensionKey::from(100),
            ExtensionKey::from("z"),
            ExtensionKey::from(10),
            ExtensionKey::from(-300),
            ExtensionKey::from(24),
        ];
        keys.sort();
        let mut encoded: Vec<Vec<u8>> = keys
            .iter()
            .map(|k| {
                let mut out = Vec::new();
                k.encode(&mut out);
                out
            })
            .collect();
        let in_order = encoded.clone();
        encoded.sort();
        assert_eq!(encoded, in_order);
        assert_eq!(keys.first(), Some(&ExtensionKey::Int(10)));
    }

    #[test]
    fn key_limits() {
        assert!(ExtensionKey::Int(MAX_INTEGER_KEY).check().is_ok());
        assert!(ExtensionKey::Int(-MAX_INTEGER_KEY).check().is_ok());
        assert!(ExtensionKey::Int(MAX_INTEGER_KEY + 1).check().is_err());
        assert!(ExtensionKey::Int(-MAX_INTEGER_KEY - 1).check().is_err());
        assert!(ExtensionKey::Text("x".repeat(255)).check().is_ok());
        assert!(ExtensionKey::Text("x".repeat(256)).check().is_err());
        assert!(ExtensionKey::Text(String::new()).check().is_err());
    }
}
