//! `m.alt_text`: accessibility text for an image (MSC3552).

use crate::blocks::text::{read_text_wrapper, text_wrapper_value};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, TextBlock, Value, ValueRef};

/// `m.alt_text`: the text that describes an image to those who cannot see it, used as the
/// HTML `alt` attribute. It wraps a nested `m.text` block, which is required.
///
/// MSC3552 asks senders for a plain-text body only, and tells clients to assume there is no
/// alt text when no plain-text representation is present: [`AltTextBlock::plain_text`] applies
/// that rule.
///
/// ```
/// use exev::{AltTextBlock, Block};
///
/// let alt = AltTextBlock::plain("matrix logo");
/// assert_eq!(alt.plain_text(), Some("matrix logo"));
/// assert_eq!(AltTextBlock::from_value(&alt.to_value()).unwrap(), alt);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AltTextBlock {
    /// The alternative text.
    pub text: TextBlock,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl AltTextBlock {
    /// Alt text of `text`.
    pub fn new(text: TextBlock) -> AltTextBlock {
        AltTextBlock {
            text,
            extra: Object::new(),
        }
    }

    /// Alt text with one plain-text representation, as MSC3552 recommends.
    pub fn plain(body: impl Into<String>) -> AltTextBlock {
        AltTextBlock::new(TextBlock::plain(body))
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> AltTextBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// The plain-text alt text, or `None` when there is no plain-text representation (which
    /// MSC3552 says to treat as no alt text at all).
    pub fn plain_text(&self) -> Option<&str> {
        self.text.plain_text()
    }

    /// Reads an `m.alt_text` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<AltTextBlock, BlockError> {
        let (text, extra) = read_text_wrapper(value, path)?;
        Ok(AltTextBlock { text, extra })
    }
}

impl Block for AltTextBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::AltText.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<AltTextBlock, BlockError> {
        AltTextBlock::read_at(value, &Path::root())
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
    fn reads_the_msc3552_shape() {
        let v = json(r#"{"m.text": [{"body": "matrix logo"}]}"#);
        let a = AltTextBlock::from_value(&v).unwrap();
        assert_eq!(a.plain_text(), Some("matrix logo"));
        assert_eq!(a.to_value(), v);
    }

    #[test]
    fn html_only_means_no_alt_text() {
        let v = json(r#"{"m.text": [{"body": "<b>logo</b>", "mimetype": "text/html"}]}"#);
        let a = AltTextBlock::read("org.matrix.msc1767.alt_text", ValueRef::from(&v)).unwrap();
        assert_eq!(a.plain_text(), None);
        assert_eq!(a.text.html(), Some("<b>logo</b>"));
    }

    #[test]
    fn round_trips() {
        let a = AltTextBlock::plain("a cat").with_extra("org.example.x", Value::from(1));
        assert_eq!(AltTextBlock::from_value(&a.to_value()).unwrap(), a);
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"m.text": [{"body": "x"}], "org.example.lang_hint": "en"}"#);
        let a = AltTextBlock::from_value(&v).unwrap();
        assert_eq!(a.extra.len(), 1);
        assert_eq!(a.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = AltTextBlock::from_value(&json(r#"{}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `m.text`");
        let e = AltTextBlock::from_value(&json(r#""matrix logo""#)).unwrap_err();
        assert_eq!(e.to_string(), "$: expected an object, found string");
    }
}
