//! `m.image_details`: an image's size in pixels and whether it is a sticker (MSC3552).

use crate::blocks::fields::{Fields, ObjectWriter, read_bool, uint_value};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// `m.image_details`: the width and height of an image in pixels (both required), and the
/// `m.sticker` flag that asks clients to render the image as a sticker.
///
/// Marks an event as renderable as an image, and is required inside every `m.thumbnail`
/// entry. The sticker flag is read under `m.sticker` or `org.matrix.msc1767.sticker` (stable
/// first) and written as `m.sticker`, only when it is `true` (its default is `false`).
///
/// ```
/// use exev::{Block, ImageDetailsBlock};
///
/// let details = ImageDetailsBlock::new(640, 480).sticker(true);
/// let v = details.to_value();
/// assert_eq!(v.get("m.sticker").and_then(|s| s.as_bool()), Some(true));
/// assert_eq!(ImageDetailsBlock::from_value(&v).unwrap(), details);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageDetailsBlock {
    /// The width in pixels.
    pub width: u64,
    /// The height in pixels.
    pub height: u64,
    /// Whether the image is a sticker (`m.sticker`, default `false`).
    pub sticker: bool,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl ImageDetailsBlock {
    /// Details of a `width` by `height` image that is not a sticker.
    pub fn new(width: u64, height: u64) -> ImageDetailsBlock {
        ImageDetailsBlock {
            width,
            height,
            ..ImageDetailsBlock::default()
        }
    }

    /// Sets whether the image is a sticker.
    #[must_use]
    pub fn sticker(mut self, sticker: bool) -> ImageDetailsBlock {
        self.sticker = sticker;
        self
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> ImageDetailsBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// The number of pixels, `width * height` (saturating).
    pub fn pixels(&self) -> u64 {
        self.width.saturating_mul(self.height)
    }

    /// Reads an `m.image_details` value; paths in errors start at `path`.
    pub(crate) fn read_at(
        value: ValueRef<'_>,
        path: &Path,
    ) -> Result<ImageDetailsBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let width = fields.required_uint("width")?;
        let height = fields.required_uint("height")?;
        let sticker = match fields.take_first(&["m.sticker", "org.matrix.msc1767.sticker"]) {
            Some((key, v)) => fields.at(key, |p| read_bool(v, p))?,
            None => false,
        };
        Ok(ImageDetailsBlock {
            width,
            height,
            sticker,
            extra: fields.rest(),
        })
    }
}

impl Block for ImageDetailsBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::ImageDetails.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<ImageDetailsBlock, BlockError> {
        ImageDetailsBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        let mut w = ObjectWriter::new(&self.extra);
        w.set("width", uint_value(self.width))
            .set("height", uint_value(self.height));
        if self.sticker {
            w.set("m.sticker", true);
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3552_shape() {
        let v = json(r#"{"height": 480, "width": 640}"#);
        let d = ImageDetailsBlock::from_value(&v).unwrap();
        assert_eq!((d.width, d.height, d.sticker), (640, 480, false));
        assert_eq!(d.pixels(), 307_200);
        assert_eq!(d.to_value(), v);
    }

    #[test]
    fn sticker_under_either_name() {
        let v = json(r#"{"height": 1, "width": 1, "m.sticker": true}"#);
        assert!(ImageDetailsBlock::from_value(&v).unwrap().sticker);
        let v = json(r#"{"height": 1, "width": 1, "org.matrix.msc1767.sticker": true}"#);
        let d = ImageDetailsBlock::read("org.matrix.msc1767.image_details", ValueRef::from(&v))
            .unwrap();
        assert!(d.sticker);
        assert!(d.extra.is_empty());
        assert_eq!(
            d.to_value(),
            json(r#"{"height": 1, "width": 1, "m.sticker": true}"#)
        );
        // The stable name wins when both are present.
        let v = json(
            r#"{"height": 1, "width": 1, "m.sticker": false, "org.matrix.msc1767.sticker": true}"#,
        );
        assert!(!ImageDetailsBlock::from_value(&v).unwrap().sticker);
    }

    #[test]
    fn round_trips() {
        let d = ImageDetailsBlock::new(160, 120)
            .sticker(true)
            .with_extra("org.example.colour_space", Value::from("srgb"));
        assert_eq!(ImageDetailsBlock::from_value(&d.to_value()).unwrap(), d);
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"height": 2, "width": 3, "org.example.dpi": 72}"#);
        let d = ImageDetailsBlock::from_value(&v).unwrap();
        assert_eq!(d.extra.get("org.example.dpi"), Some(&Value::from(72)));
        assert_eq!(d.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = ImageDetailsBlock::from_value(&json(r#"{"width": 640}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `height`");
        let e =
            ImageDetailsBlock::from_value(&json(r#"{"width": "640", "height": 1}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "width: expected a non-negative integer, found string"
        );
        let e = ImageDetailsBlock::from_value(&json(r#"{"width": -1, "height": 1}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "width: -1 is outside the allowed range 0 or more"
        );
        let e = ImageDetailsBlock::from_value(&json(
            r#"{"width": 1, "height": 1, "m.sticker": "yes"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"["m.sticker"]: expected a boolean, found string"#
        );
        assert!(matches!(e.kind(), crate::BlockErrorKind::WrongType { .. }));
    }
}
