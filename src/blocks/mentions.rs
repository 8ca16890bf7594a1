//! `m.mentions`: who an event mentions, for push rules (spec; a mixin under MSC4053).

use crate::blocks::fields::{Fields, ObjectWriter, read_string_array, string_array_value};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// `m.mentions`: the users an event mentions and whether it mentions the whole room
/// (`@room`). Both members are optional; an empty block mentions nobody.
///
/// ```
/// use exev::{Block, MentionsBlock};
///
/// let mentions = MentionsBlock::new().user("@alice:example.org").room(true);
/// assert!(mentions.mentions_user("@alice:example.org"));
/// assert!(mentions.mentions_room());
/// assert_eq!(MentionsBlock::from_value(&mentions.to_value()).unwrap(), mentions);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MentionsBlock {
    /// The Matrix user IDs mentioned, as sent.
    pub user_ids: Option<Vec<String>>,
    /// Whether the whole room is mentioned.
    pub room: Option<bool>,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl MentionsBlock {
    /// A block that mentions nobody.
    pub fn new() -> MentionsBlock {
        MentionsBlock::default()
    }

    /// Adds the user `user_id` to the mentioned users.
    #[must_use]
    pub fn user(mut self, user_id: impl Into<String>) -> MentionsBlock {
        self.user_ids
            .get_or_insert_with(Vec::new)
            .push(user_id.into());
        self
    }

    /// Sets the list of mentioned users.
    #[must_use]
    pub fn user_ids(mut self, user_ids: Vec<String>) -> MentionsBlock {
        self.user_ids = Some(user_ids);
        self
    }

    /// Sets whether the whole room is mentioned.
    #[must_use]
    pub fn room(mut self, room: bool) -> MentionsBlock {
        self.room = Some(room);
        self
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> MentionsBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// Whether `user_id` is among the mentioned users.
    pub fn mentions_user(&self, user_id: &str) -> bool {
        self.user_ids
            .as_ref()
            .is_some_and(|ids| ids.iter().any(|id| id == user_id))
    }

    /// Whether the whole room is mentioned (`room` is `true`).
    pub fn mentions_room(&self) -> bool {
        self.room == Some(true)
    }

    /// Reads an `m.mentions` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<MentionsBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let user_ids = fields.optional("user_ids", read_string_array)?;
        let room = fields.boolean("room")?;
        Ok(MentionsBlock {
            user_ids,
            room,
            extra: fields.rest(),
        })
    }
}

impl Block for MentionsBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Mentions.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<MentionsBlock, BlockError> {
        MentionsBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set_opt("user_ids", self.user_ids.as_deref().map(string_array_value))
            .set_opt("room", self.room)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_spec_shape() {
        let v = json(r#"{"user_ids": ["@alice:example.org", "@bob:example.org"]}"#);
        let m = MentionsBlock::from_value(&v).unwrap();
        assert!(m.mentions_user("@bob:example.org"));
        assert!(!m.mentions_user("@carol:example.org"));
        assert!(!m.mentions_room());
        assert_eq!(m.to_value(), v);
        let m = MentionsBlock::from_value(&json(r#"{"room": true}"#)).unwrap();
        assert!(m.mentions_room());
        assert_eq!(m.user_ids, None);
        let m = MentionsBlock::from_value(&json("{}")).unwrap();
        assert_eq!(m, MentionsBlock::new());
    }

    #[test]
    fn round_trips() {
        for m in [
            MentionsBlock::new(),
            MentionsBlock::new().user_ids(Vec::new()).room(false),
            MentionsBlock::new()
                .user("@a:b")
                .user("@c:d")
                .with_extra("org.example.x", Value::Null),
        ] {
            assert_eq!(MentionsBlock::from_value(&m.to_value()).unwrap(), m);
        }
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"room": false, "org.example.roles": ["admin"]}"#);
        let m = MentionsBlock::from_value(&v).unwrap();
        assert_eq!(m.extra.len(), 1);
        assert_eq!(m.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = MentionsBlock::from_value(&json(r#"{"user_ids": ["@a:b", 7]}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "user_ids[1]: expected a string, found integer"
        );
        let e = MentionsBlock::from_value(&json(r#"{"user_ids": "@a:b"}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "user_ids: expected an array of strings, found string"
        );
        let e = MentionsBlock::from_value(&json(r#"{"room": "yes"}"#)).unwrap_err();
        assert_eq!(e.to_string(), "room: expected a boolean, found string");
    }
}
