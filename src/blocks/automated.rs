//! `m.automated`: the mixin marking events sent by automation (MSC3955).

use crate::blocks::fields::wrong_type;
use crate::{Block, BlockError, KnownBlock, Path, Value};

/// `m.automated`: a boolean mixin, meaningful on any event type, saying that the event was
/// sent by automation (a bot, a bridge notice) rather than typed by a person. Clients may
/// render such events differently, with reduced opacity say.
///
/// Typed reading is strict: a value other than a boolean is a wrong-type error, so that
/// validation reports it. [`crate::Content::is_automated`] applies MSC3955's lenient rule
/// instead, where any other value counts as `false`.
///
/// ```
/// use exev::{AutomatedBlock, Block, Value};
///
/// assert_eq!(AutomatedBlock::from_value(&Value::Bool(true)).unwrap(), AutomatedBlock(true));
/// assert!(AutomatedBlock::from_value(&Value::from("true")).is_err());
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

    /// Reads an `m.automated` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: &Value, path: &Path) -> Result<AutomatedBlock, BlockError> {
        value
            .as_bool()
            .map(AutomatedBlock)
            .ok_or_else(|| wrong_type(path.clone(), "a boolean", value))
    }
}

impl Block for AutomatedBlock {
    const KIND: KnownBlock = KnownBlock::Automated;

    fn read(_name: &str, value: &Value) -> Result<AutomatedBlock, BlockError> {
        AutomatedBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        Value::Bool(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;
    use crate::{BlockErrorKind, Content};

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
        let a = AutomatedBlock::read("org.matrix.msc1767.automated", &json("true")).unwrap();
        assert_eq!(a, AutomatedBlock(true));
    }

    #[test]
    fn round_trips() {
        for a in [AutomatedBlock(true), AutomatedBlock(false)] {
            assert_eq!(AutomatedBlock::from_value(&a.to_value()).unwrap(), a);
        }
    }

    #[test]
    fn non_booleans_are_wrong_type_but_not_automated() {
        let e = AutomatedBlock::from_value(&json(r#""true""#)).unwrap_err();
        assert_eq!(e.to_string(), "$: expected a boolean, found string");
        assert!(matches!(e.kind(), BlockErrorKind::WrongType { .. }));
        let mut content = Content::new();
        content.insert_raw("m.automated", json("1"));
        assert!(!content.is_automated());
        let e = content.get::<AutomatedBlock>().unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"content["m.automated"]: expected a boolean, found integer"#
        );
    }
}
