//! `m.selections`: the answers a poll response picks (MSC3381), and the unstable
//! `org.matrix.msc3381.poll.response` shape.

use crate::blocks::fields::{Fields, read_string_array, string_array_value};
use crate::{Block, BlockError, KnownBlock, NameStatus, Path, PollBlock, Value, ValueRef};

/// The unstable block name, whose value wraps the array in `{"answers": [...]}`.
const UNSTABLE_NAME: &str = "org.matrix.msc3381.poll.response";

/// `m.selections`: the answer identifiers a voter picked, as sent. An empty array withdraws
/// the vote.
///
/// The stable value is an array of strings. Under `org.matrix.msc3381.poll.response` it is an
/// object whose `answers` member holds that array; its other members are not kept. Written
/// as the stable array.
///
/// ```
/// use exev::{Block, PollAnswer, PollBlock, SelectionsBlock, TextBlock};
///
/// let poll = PollBlock::new(
///     TextBlock::plain("Lunch?"),
///     vec![PollAnswer::plain("pizza", "Pizza"), PollAnswer::plain("poutine", "Poutine")],
/// );
/// let vote = SelectionsBlock::new(vec!["poutine".to_owned()]);
/// assert_eq!(vote.vote_for(&poll), Some(vec!["poutine"]));
/// assert_eq!(SelectionsBlock::from_value(&vote.to_value()).unwrap(), vote);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SelectionsBlock(pub Vec<String>);

impl SelectionsBlock {
    /// A response picking `answers`.
    pub fn new(answers: Vec<String>) -> SelectionsBlock {
        SelectionsBlock(answers)
    }

    /// This response with the answer `id` added at the end.
    #[must_use]
    pub fn with(mut self, id: impl Into<String>) -> SelectionsBlock {
        self.0.push(id.into());
        self
    }

    /// The answer identifiers, as sent.
    pub fn answers(&self) -> &[String] {
        &self.0
    }

    /// Whether no answer is picked, which withdraws an earlier vote.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The answers this response counts for in `poll`, by MSC3381's rules: only the first
    /// `max_selections` are considered, duplicates count once, and if any considered answer is
    /// not one of the poll's shown answers ([`PollBlock::answers_for_display`]) the vote is
    /// spoiled (`None`). An empty result withdraws the vote.
    pub fn vote_for(&self, poll: &PollBlock) -> Option<Vec<&str>> {
        let shown = poll.answers_for_display();
        let considered = usize::try_from(poll.max_selections()).unwrap_or(usize::MAX);
        let mut picked: Vec<&str> = Vec::new();
        for id in self.0.iter().take(considered) {
            if !shown.iter().any(|a| a.id == *id) {
                return None;
            }
            if !picked.contains(&id.as_str()) {
                picked.push(id);
            }
        }
        Some(picked)
    }

    /// Reads a selections value as sent under `name`; paths in errors start at `path`.
    pub(crate) fn read_at(
        name: &str,
        value: ValueRef<'_>,
        path: &Path,
    ) -> Result<SelectionsBlock, BlockError> {
        if name == UNSTABLE_NAME {
            let mut fields = Fields::new(value, path)?;
            fields
                .required("answers", read_string_array)
                .map(SelectionsBlock)
        } else {
            read_string_array(value, path).map(SelectionsBlock)
        }
    }
}

impl SelectionsBlock {
    /// The response in the unstable shape, for the name `org.matrix.msc3381.poll.response`:
    /// `{"answers": [...]}`.
    pub fn unstable_value(&self) -> Value {
        [("answers".to_owned(), string_array_value(&self.0))]
            .into_iter()
            .collect()
    }
}

impl From<Vec<String>> for SelectionsBlock {
    fn from(answers: Vec<String>) -> SelectionsBlock {
        SelectionsBlock(answers)
    }
}

impl Block for SelectionsBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Selections.name_table();

    fn read(name: &str, value: ValueRef<'_>) -> Result<SelectionsBlock, BlockError> {
        SelectionsBlock::read_at(name, value, &Path::root())
    }

    fn to_value(&self) -> Value {
        string_array_value(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;
    use crate::{PollAnswer, TextBlock};

    #[test]
    fn reads_the_stable_shape() {
        // V14.
        let v = json(r#"["poutine"]"#);
        let s = SelectionsBlock::from_value(&v).unwrap();
        assert_eq!(s.answers(), ["poutine"]);
        assert_eq!(s.to_value(), v);
        assert!(SelectionsBlock::from_value(&json("[]")).unwrap().is_empty());
    }

    #[test]
    fn reads_the_unstable_shape() {
        // V17.
        let s = SelectionsBlock::read(
            UNSTABLE_NAME,
            ValueRef::from(&json(r#"{"answers": ["pizza"]}"#)),
        )
        .unwrap();
        assert_eq!(s, SelectionsBlock::default().with("pizza"));
        assert_eq!(s.unstable_value(), json(r#"{"answers": ["pizza"]}"#));
        assert_eq!(s.to_value(), json(r#"["pizza"]"#));
    }

    #[test]
    fn round_trips() {
        for s in [
            SelectionsBlock::default(),
            SelectionsBlock::from(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()]),
        ] {
            assert_eq!(SelectionsBlock::from_value(&s.to_value()).unwrap(), s);
        }
    }

    #[test]
    fn errors_have_paths() {
        let e = SelectionsBlock::from_value(&json(r#"["a", 1]"#)).unwrap_err();
        assert_eq!(e.to_string(), "[1]: expected a string, found integer");
        let e = SelectionsBlock::from_value(&json(r#"{"answers": ["a"]}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$: expected an array of strings, found object"
        );
        let e =
            SelectionsBlock::read(UNSTABLE_NAME, ValueRef::from(&json(r#"["a"]"#))).unwrap_err();
        assert_eq!(e.to_string(), "$: expected an object, found array");
        let e = SelectionsBlock::read(
            UNSTABLE_NAME,
            ValueRef::from(&json(r#"{"answers": [null]}"#)),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "answers[0]: expected a string, found null");
        let e = SelectionsBlock::read(UNSTABLE_NAME, ValueRef::from(&json(r#"{}"#))).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `answers`");
    }

    #[test]
    fn votes_follow_msc3381() {
        let ids = ["a", "b", "c"];
        let poll = PollBlock::new(
            TextBlock::plain("q"),
            ids.iter().map(|id| PollAnswer::plain(*id, *id)).collect(),
        )
        .with_max_selections(2);
        let vote = |picks: &[&str]| {
            let selections = SelectionsBlock::new(picks.iter().map(|p| (*p).to_owned()).collect());
            selections
                .vote_for(&poll)
                .map(|ids| ids.into_iter().map(str::to_owned).collect::<Vec<_>>())
        };
        let counted = |ids: &[&str]| Some(ids.iter().map(|id| (*id).to_owned()).collect());
        assert_eq!(vote(&["a"]), counted(&["a"]));
        assert_eq!(vote(&["a", "a"]), counted(&["a"]));
        // Only the first `max_selections` count, so an unknown third pick does not spoil.
        assert_eq!(vote(&["b", "c", "zzz"]), counted(&["b", "c"]));
        assert_eq!(vote(&["a", "zzz"]), None);
        assert_eq!(vote(&[]), counted(&[]));
    }
}
