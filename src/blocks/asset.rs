//! `m.asset`: what a location is of (MSC3488).

use crate::blocks::fields::{Fields, ObjectWriter};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// `m.asset`: what a shared location describes, as a namespaced `type`. MSC3488 defines
/// [`AssetBlock::SELF`], the sender's own position; `m.pin` (a dropped pin) is used by clients
/// but appears in no MSC.
///
/// MSC3488 says a location without `m.asset` is rendered as `m.self`, and one with an unknown
/// type as a generic location; [`AssetBlock::default`] is therefore the `m.self` asset.
///
/// ```
/// use exev::{AssetBlock, Block};
///
/// let asset = AssetBlock::new(AssetBlock::SELF);
/// assert!(asset.is_self());
/// assert_eq!(asset.to_value().get("type").and_then(|t| t.as_str()), Some("m.self"));
/// assert_eq!(AssetBlock::from_value(&asset.to_value()).unwrap(), asset);
/// assert_eq!(AssetBlock::default(), asset);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetBlock {
    /// The asset type (the JSON member `type`), e.g. `m.self`.
    pub asset_type: String,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl Default for AssetBlock {
    /// The `m.self` asset, which a location without `m.asset` stands for.
    fn default() -> AssetBlock {
        AssetBlock::new(AssetBlock::SELF)
    }
}

impl AssetBlock {
    /// The asset type for the sender's own location.
    pub const SELF: &'static str = "m.self";

    /// An asset of type `asset_type`.
    pub fn new(asset_type: impl Into<String>) -> AssetBlock {
        AssetBlock {
            asset_type: asset_type.into(),
            extra: Object::new(),
        }
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> AssetBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// Whether the asset is the sender's own location ([`AssetBlock::SELF`]).
    pub fn is_self(&self) -> bool {
        self.asset_type == AssetBlock::SELF
    }

    /// Reads an `m.asset` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<AssetBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let asset_type = fields.required_string("type")?;
        Ok(AssetBlock {
            asset_type,
            extra: fields.rest(),
        })
    }
}

impl Block for AssetBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Asset.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<AssetBlock, BlockError> {
        AssetBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("type", self.asset_type.as_str())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3488_shape() {
        let v = json(r#"{"type": "m.self"}"#);
        let a = AssetBlock::from_value(&v).unwrap();
        assert!(a.is_self());
        assert_eq!(a.to_value(), v);
        let a = AssetBlock::read(
            "org.matrix.msc3488.asset",
            ValueRef::from(&json(r#"{"type": "m.pin"}"#)),
        )
        .unwrap();
        assert_eq!(a.asset_type, "m.pin");
        assert!(!a.is_self());
    }

    #[test]
    fn round_trips() {
        let a = AssetBlock::new("org.example.vehicle").with_extra("org.example.id", Value::from(7));
        assert_eq!(AssetBlock::from_value(&a.to_value()).unwrap(), a);
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"type": "m.self", "org.example.icon": "car"}"#);
        let a = AssetBlock::from_value(&v).unwrap();
        assert_eq!(a.extra.get("org.example.icon"), Some(&Value::from("car")));
        assert_eq!(a.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = AssetBlock::from_value(&json(r#"{}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `type`");
        let e = AssetBlock::from_value(&json(r#"{"type": 1}"#)).unwrap_err();
        assert_eq!(e.to_string(), "type: expected a string, found integer");
    }
}
