//! `m.caption`: text shown above or below media (MSC3551).

use crate::blocks::text::{read_text_wrapper, text_wrapper_value};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, TextBlock, Value, ValueRef};

/// `m.caption`: a message placed above or below the rendered media, or shown as a tooltip on
/// stickers. It wraps a nested `m.text` block, which is required.
///
/// The nested text is read under `m.text` or `org.matrix.msc1767.text` (in the unstable
/// string form too), and always written as `m.text`.
///
/// ```
/// use exev::{Block, CaptionBlock, TextBlock};
///
/// let caption = CaptionBlock::new(TextBlock::plain("Look at this cool Matrix logo"));
/// let v = caption.to_value();
/// assert!(v.get("m.text").is_some());
/// let back = CaptionBlock::from_value(&v).unwrap();
/// assert_eq!(back.text.plain_text(), Some("Look at this cool Matrix logo"));
/// assert_eq!(back, caption);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptionBlock {
    /// The caption's text.
    pub text: TextBlock,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl CaptionBlock {
    /// A caption of `text`.
    pub fn new(text: TextBlock) -> CaptionBlock {
        CaptionBlock {
            text,
            extra: Object::new(),
        }
    }

    /// A caption with one plain-text representation.
    pub fn plain(body: impl Into<String>) -> CaptionBlock {
        CaptionBlock::new(TextBlock::plain(body))
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> CaptionBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// Reads an `m.caption` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<CaptionBlock, BlockError> {
        let (text, extra) = read_text_wrapper(value, path)?;
        Ok(CaptionBlock { text, extra })
    }
}

impl Block for CaptionBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Caption.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<CaptionBlock, BlockError> {
        CaptionBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        text_wrapper_value(&self.text, &self.extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3551_shape() {
        let v = json(r#"{"m.text": [{"body": "Look at this cool Matrix logo"}]}"#);
        let c = CaptionBlock::from_value(&v).unwrap();
        assert_eq!(c.text.plain_text(), Some("Look at this cool Matrix logo"));
        assert!(c.extra.is_empty());
        assert_eq!(c.to_value(), v);
    }

    #[test]
    fn reads_the_unstable_nested_text() {
        let v = json(r#"{"org.matrix.msc1767.text": "a caption"}"#);
        let c = CaptionBlock::read("org.matrix.msc1767.caption", ValueRef::from(&v)).unwrap();
        assert_eq!(c.text.plain_text(), Some("a caption"));
        assert_eq!(c.to_value(), json(r#"{"m.text": [{"body": "a caption"}]}"#));
    }

    #[test]
    fn round_trips() {
        let c = CaptionBlock::new(TextBlock::plain("plain").with_html("<b>html</b>"))
            .with_extra("org.example.position", Value::from("below"));
        assert_eq!(CaptionBlock::from_value(&c.to_value()).unwrap(), c);
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"m.text": [{"body": "x"}], "org.example.flag": true}"#);
        let c = CaptionBlock::from_value(&v).unwrap();
        assert_eq!(c.extra.get("org.example.flag"), Some(&Value::Bool(true)));
        assert_eq!(c.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = CaptionBlock::from_value(&json(r#"{"body": "x"}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `m.text`");
        let e = CaptionBlock::from_value(&json(r#"{"m.text": 5}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"["m.text"]: expected an array of text representations, found integer"#
        );
        let e = CaptionBlock::from_value(&json(r#"[]"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: expected an object, found array");
    }
}
