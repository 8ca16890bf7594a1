//! `m.topic`: a room topic in one or more mimetypes (MSC3765, in the spec since v1.15).

use crate::blocks::text::{read_text_wrapper, text_wrapper_value};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, TextBlock, Value, ValueRef};

/// `m.topic`: the rich topic of an `m.room.topic` state event. It wraps a nested `m.text`
/// block, so that clients do not mistake the topic for a timeline message.
///
/// Read under `m.topic` and the unstable `org.matrix.msc3765.topic`. The spec recommends a
/// plain-text representation, which servers use for the room directory
/// ([`TopicBlock::plain_text`]).
///
/// ```
/// use exev::{Block, TextBlock, TopicBlock};
///
/// let topic = TopicBlock::new(
///     TextBlock::plain("All about **pizza**").with_html("All about <b>pizza</b>"),
/// );
/// assert_eq!(topic.plain_text(), Some("All about **pizza**"));
/// assert_eq!(TopicBlock::from_value(&topic.to_value()).unwrap(), topic);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopicBlock {
    /// The topic's text.
    pub text: TextBlock,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl TopicBlock {
    /// A topic of `text`.
    pub fn new(text: TextBlock) -> TopicBlock {
        TopicBlock {
            text,
            extra: Object::new(),
        }
    }

    /// A topic with one plain-text representation.
    pub fn plain(body: impl Into<String>) -> TopicBlock {
        TopicBlock::new(TextBlock::plain(body))
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> TopicBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// The plain-text topic, as the room directory shows it.
    pub fn plain_text(&self) -> Option<&str> {
        self.text.plain_text()
    }

    /// Reads an `m.topic` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<TopicBlock, BlockError> {
        let (text, extra) = read_text_wrapper(value, path)?;
        Ok(TopicBlock { text, extra })
    }
}

impl Block for TopicBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Topic.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<TopicBlock, BlockError> {
        TopicBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        text_wrapper_value(&self.text, &self.extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    /// The `m.topic` of the MSC3765 example (V26).
    const V26: &str = r#"{
        "m.text": [
            {
                "mimetype": "text/html",
                "body": "All about <b>pizza</b> | <a href=\"https://recipes.pizza.net\">Recipes</a>"
            },
            {"body": "All about **pizza** | [Recipes](https://recipes.pizza.net)"}
        ]
    }"#;

    #[test]
    fn reads_the_msc3765_shape() {
        let v = json(V26);
        let t = TopicBlock::from_value(&v).unwrap();
        assert_eq!(
            t.plain_text(),
            Some("All about **pizza** | [Recipes](https://recipes.pizza.net)")
        );
        assert!(
            t.text
                .html()
                .is_some_and(|h| h.starts_with("All about <b>"))
        );
        assert_eq!(t.to_value(), v);
    }

    #[test]
    fn reads_the_unstable_name() {
        let v = json(r#"{"m.text": [{"body": "pizza"}]}"#);
        let t = TopicBlock::read("org.matrix.msc3765.topic", ValueRef::from(&v)).unwrap();
        assert_eq!(t.plain_text(), Some("pizza"));
    }

    #[test]
    fn round_trips() {
        let t = TopicBlock::plain("topic").with_extra("org.example.x", Value::Null);
        assert_eq!(TopicBlock::from_value(&t.to_value()).unwrap(), t);
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"m.text": [{"body": "x"}], "org.example.set_by": "@a:b"}"#);
        let t = TopicBlock::from_value(&v).unwrap();
        assert_eq!(
            t.extra.get("org.example.set_by"),
            Some(&Value::from("@a:b"))
        );
        assert_eq!(t.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = TopicBlock::from_value(&json(r#"{"topic": "x"}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `m.text`");
        let e = TopicBlock::from_value(&json(r#"{"m.text": "pizza"}"#)).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(r#"["m.text"]: expected an array"#),
            "{e}"
        );
    }
}
