//! `m.automated`: the mixin marking events sent by automation (MSC3955).

use crate::{Block, BlockError, KnownBlock, NameStatus, Value, ValueRef};

/// `m.automated`: a boolean mixin, meaningful on any event type, saying that the event was
/// sent by automation (a bot, a bridge notice) rather than typed by a person. Clients may
/// render such events differently, with reduced opacity say.
///
/// MSC3955 gives the rule for other values: "other value types should be treated as `false`
/// (ie: not present)". Typed reading follows it, so a value other than a boolean reads as
/// `AutomatedBlock(false)` rather than failing (and the published schema accepts any value);
/// [`AutomatedBlock::is_boolean`] tells a client or a linter that the value was not one. The
/// value as sent stays in the event; only a typed write puts `false` in its place.
///
/// ```
/// use exev::{AutomatedBlock, Block, Value};
///
/// assert_eq!(AutomatedBlock::from_value(&Value::Bool(true)).unwrap(), AutomatedBlock(true));
/// assert_eq!(AutomatedBlock::from_value(&Value::from("true")).unwrap(), AutomatedBlock(false));
/// assert!(!AutomatedBlock::is_boolean(&Value::from("true")));
/// assert_eq!(AutomatedBlock::new(true).to_value(), Value::Bool(true));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AutomatedBlock(pub bool);

impl AutomatedBlock {
    /// The block with this value.
    pub fn new(automated: bool) -> AutomatedBlock {
        AutomatedBlock(automated)
    }

    /// Whether the event is marked as automated.
    pub fn is_automated(self) -> bool {
        self.0
    }

    /// Whether `value` is a boolean, the type MSC3955 gives the block; any other value reads
    /// as `false`.
    pub fn is_boolean<'v>(value: impl Into<ValueRef<'v>>) -> bool {
        value.into().as_bool().is_some()
    }

    /// Reads an `m.automated` value: `true` only for `true` (MSC3955).
    pub(crate) fn read_value(value: ValueRef<'_>) -> AutomatedBlock {
        AutomatedBlock(value.as_bool() == Some(true))
    }
}

impl Block for AutomatedBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Automated.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<AutomatedBlock, BlockError> {
        Ok(AutomatedBlock::read_value(value))
    }

    fn to_value(&self) -> Value {
        Value::Bool(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Content;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3955_shape() {
        assert!(
            AutomatedBlock::from_value(&json("true"))
                .unwrap()
                .is_automated()
        );
        assert!(
            !AutomatedBlock::from_value(&json("false"))
                .unwrap()
                .is_automated()
        );
        let a = AutomatedBlock::read(
            "org.matrix.msc1767.automated",
            ValueRef::from(&json("true")),
        )
        .unwrap();
        assert_eq!(a, AutomatedBlock(true));
    }

    #[test]
    fn round_trips() {
        for a in [AutomatedBlock(true), AutomatedBlock(false)] {
            assert_eq!(AutomatedBlock::from_value(&a.to_value()).unwrap(), a);
        }
    }

    #[test]
    fn non_booleans_read_as_false_as_msc3955_says() {
        // `exev validate` used to call a non-boolean m.automated an error.
        for other in [r#""true""#, "1", "null", "{}", "[true]"] {
            let value = json(other);
            assert_eq!(
                AutomatedBlock::from_value(&value).unwrap(),
                AutomatedBlock(false)
            );
            assert!(!AutomatedBlock::is_boolean(&value));
            let mut content = Content::new();
            content.insert_raw("m.automated", value);
            assert!(!content.is_automated());
            assert_eq!(
                content.get::<AutomatedBlock>().unwrap().unwrap(),
                AutomatedBlock(false)
            );
        }
        assert!(AutomatedBlock::is_boolean(&json("false")));
    }
}
