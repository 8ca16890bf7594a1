//! `m.poll.results`: a poll's tally as its creator closed it (MSC3381).

use std::collections::BTreeMap;

use crate::blocks::fields::{read_uint, uint_value, wrong_type};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// `m.poll.results`: the number of votes per answer identifier, sent on `m.poll.end`.
///
/// MSC3381 calls this an untrusted placeholder: clients count the votes themselves. Every
/// member is an answer identifier mapped to a non-negative integer.
///
/// ```
/// use exev::{Block, PollResultsBlock};
///
/// let results = PollResultsBlock::new().with("pizza", 5).with("poutine", 8);
/// assert_eq!(results.total(), 13);
/// assert_eq!(results.top(), vec!["poutine"]);
/// assert_eq!(PollResultsBlock::from_value(&results.to_value()).unwrap(), results);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PollResultsBlock(pub BTreeMap<String, u64>);

impl PollResultsBlock {
    /// An empty tally.
    pub fn new() -> PollResultsBlock {
        PollResultsBlock::default()
    }

    /// This tally with `count` votes for the answer `id`.
    #[must_use]
    pub fn with(mut self, id: impl Into<String>, count: u64) -> PollResultsBlock {
        self.0.insert(id.into(), count);
        self
    }

    /// The votes for the answer `id`, if it is in the tally.
    pub fn get(&self, id: &str) -> Option<u64> {
        self.0.get(id).copied()
    }

    /// The number of votes in all (saturating).
    pub fn total(&self) -> u64 {
        self.0.values().fold(0, |sum, n| sum.saturating_add(*n))
    }

    /// The answers with the most votes, in identifier order; empty when nobody voted.
    pub fn top(&self) -> Vec<&str> {
        let most = self.0.values().copied().max().unwrap_or(0);
        if most == 0 {
            return Vec::new();
        }
        self.0
            .iter()
            .filter(|(_, n)| **n == most)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Reads an `m.poll.results` value; paths in errors start at `path`.
    pub(crate) fn read_at(
        value: ValueRef<'_>,
        path: &Path,
    ) -> Result<PollResultsBlock, BlockError> {
        let object = value
            .as_object()
            .ok_or_else(|| wrong_type(path.clone(), "an object of vote counts", value))?;
        object
            .iter()
            .map(|(id, count)| Ok((id.to_owned(), read_uint(count, &path.clone().key(id))?)))
            .collect::<Result<BTreeMap<_, _>, BlockError>>()
            .map(PollResultsBlock)
    }
}

impl Block for PollResultsBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::PollResults.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<PollResultsBlock, BlockError> {
        PollResultsBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(id, n)| (id.clone(), uint_value(*n)))
                .collect::<Object>(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3381_shape() {
        // V15.
        let v = json(r#"{"italian": 7, "pizza": 5, "poutine": 8, "wings": 6}"#);
        let r = PollResultsBlock::from_value(&v).unwrap();
        assert_eq!(r.get("poutine"), Some(8));
        assert_eq!(r.get("sushi"), None);
        assert_eq!(r.total(), 26);
        assert_eq!(r.top(), vec!["poutine"]);
        assert_eq!(r.to_value(), v);
    }

    #[test]
    fn round_trips() {
        for r in [
            PollResultsBlock::new(),
            PollResultsBlock::new()
                .with("a", 0)
                .with("b", 3)
                .with("c", 3),
        ] {
            assert_eq!(PollResultsBlock::from_value(&r.to_value()).unwrap(), r);
        }
        assert_eq!(
            PollResultsBlock::new().with("a", 3).with("b", 3).top(),
            vec!["a", "b"]
        );
        assert!(PollResultsBlock::new().with("a", 0).top().is_empty());
    }

    #[test]
    fn errors_have_paths() {
        let e = PollResultsBlock::from_value(&json(r#"{"pizza": -1}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pizza: -1 is outside the allowed range 0 or more"
        );
        let e = PollResultsBlock::from_value(&json(r#"{"m.pizza": "5"}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"["m.pizza"]: expected a non-negative integer, found string"#
        );
        let e = PollResultsBlock::from_value(&json(r#"[]"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$: expected an object of vote counts, found array"
        );
    }
}
