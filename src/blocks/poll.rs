//! `m.poll`: a poll's question and answers (MSC3381), and the unstable
//! `org.matrix.msc3381.poll.start` shape clients still send.

use crate::blocks::fields::{Fields, ObjectWriter, read_uint_in, uint_value, wrong_type};
use crate::blocks::text::required_nested_text;
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, TextBlock, Value, ValueRef};

/// The unstable block name, whose shape differs from the stable one.
const UNSTABLE_NAME: &str = "org.matrix.msc3381.poll.start";
/// The unstable spelling of `m.disclosed`.
const UNSTABLE_DISCLOSED: &str = "org.matrix.msc3381.poll.disclosed";
/// The unstable spelling of `m.undisclosed`.
const UNSTABLE_UNDISCLOSED: &str = "org.matrix.msc3381.poll.undisclosed";

/// How a poll shows its results, as [`PollBlock::kind`] reads it.
///
/// MSC3381 tells clients that do not understand a poll's `kind` to treat it as undisclosed, so
/// every kind other than `m.disclosed` reads as [`PollKind::Undisclosed`]; the kind as sent
/// stays in [`PollBlock`]'s `kind` field.
///
/// ```
/// use exev::PollKind;
///
/// assert_eq!(PollKind::from_name("org.matrix.msc3381.poll.disclosed"), Some(PollKind::Disclosed));
/// assert_eq!(PollKind::from_name("org.example.ranked"), None);
/// assert_eq!(PollKind::Undisclosed.as_str(), "m.undisclosed");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum PollKind {
    /// `m.disclosed`: voters see the results while the poll is open.
    Disclosed,
    /// `m.undisclosed` (the default): results are shown only once the poll has ended.
    #[default]
    Undisclosed,
}

impl PollKind {
    /// The stable name: `m.disclosed` or `m.undisclosed`.
    pub fn as_str(self) -> &'static str {
        match self {
            PollKind::Disclosed => "m.disclosed",
            PollKind::Undisclosed => "m.undisclosed",
        }
    }

    /// The kind named `name`, under its stable or unstable (`org.matrix.msc3381.poll.*`)
    /// spelling; `None` for kinds this crate does not know.
    pub fn from_name(name: &str) -> Option<PollKind> {
        match name {
            "m.disclosed" | UNSTABLE_DISCLOSED => Some(PollKind::Disclosed),
            "m.undisclosed" | UNSTABLE_UNDISCLOSED => Some(PollKind::Undisclosed),
            _ => None,
        }
    }
}

/// `m.poll`: a poll's question, its answers in display order, how many answers a voter may
/// pick, and whether results show while it is open.
///
/// Reads the stable shape, where answers have an `m.id` and every text is a nested `m.text`
/// array, and, under the name `org.matrix.msc3381.poll.start`, the unstable shape, where answers
/// have an `id`, texts are `org.matrix.msc1767.text` strings (arrays are accepted too), and kinds
/// are spelled `org.matrix.msc3381.poll.disclosed` / `undisclosed`. [`Block::to_value`] writes
/// the stable shape, translating the unstable spellings of the two known kinds.
///
/// All answers are kept; MSC3381's limit of 20 applies when showing the poll
/// ([`PollBlock::answers_for_display`]).
///
/// ```
/// use exev::{Block, PollAnswer, PollBlock, PollKind, TextBlock};
///
/// let poll = PollBlock::new(
///     TextBlock::plain("What should we order for the party?"),
///     vec![PollAnswer::plain("pizza", "Pizza 🍕"), PollAnswer::plain("poutine", "Poutine 🍟")],
/// )
/// .with_kind(PollKind::Disclosed);
/// assert_eq!(poll.kind(), PollKind::Disclosed);
/// assert_eq!(poll.max_selections(), 1);
/// assert_eq!(poll.answer("poutine").and_then(|a| a.text.plain_text()), Some("Poutine 🍟"));
/// assert_eq!(PollBlock::from_value(&poll.to_value()).unwrap(), poll);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollBlock {
    /// The kind as sent (a namespaced string; the unstable spellings of the two known kinds
    /// read as their stable names); [`PollBlock::kind`] interprets it.
    pub kind: Option<String>,
    /// The most answers a voter may pick, as sent (at least 1); [`PollBlock::max_selections`]
    /// applies the default.
    pub max_selections: Option<u64>,
    /// The question.
    pub question: PollQuestion,
    /// The answers, in the order to show them; may hold more than the 20 MSC3381 shows.
    pub answers: Vec<PollAnswer>,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

/// The question of a [`PollBlock`]: an object with a nested `m.text`.
///
/// ```
/// use exev::{PollQuestion, TextBlock};
///
/// let q = PollQuestion::from(TextBlock::plain("Lunch?"));
/// assert_eq!(q.text.plain_text(), Some("Lunch?"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollQuestion {
    /// The question's text.
    pub text: TextBlock,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

/// One answer of a [`PollBlock`]: an opaque `m.id` (`id` in the unstable shape) that votes
/// refer to, and a nested `m.text`.
///
/// ```
/// use exev::PollAnswer;
///
/// let a = PollAnswer::plain("pizza", "Pizza 🍕");
/// assert_eq!((a.id.as_str(), a.text.plain_text()), ("pizza", Some("Pizza 🍕")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollAnswer {
    /// The answer's identifier.
    pub id: String,
    /// The answer's text.
    pub text: TextBlock,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl PollQuestion {
    /// A question of `text`.
    pub fn new(text: TextBlock) -> PollQuestion {
        PollQuestion {
            text,
            extra: Object::new(),
        }
    }

    /// Sets an extra member `key` of the question.
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> PollQuestion {
        self.extra.insert(key.into(), value);
        self
    }

    fn read_at(value: ValueRef<'_>, path: &Path) -> Result<PollQuestion, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let text = required_nested_text(&mut fields)?;
        Ok(PollQuestion {
            text,
            extra: fields.rest(),
        })
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("m.text", self.text.to_value())
            .finish()
    }
}

impl From<TextBlock> for PollQuestion {
    fn from(text: TextBlock) -> PollQuestion {
        PollQuestion::new(text)
    }
}

impl PollAnswer {
    /// An answer `id` showing `text`.
    pub fn new(id: impl Into<String>, text: TextBlock) -> PollAnswer {
        PollAnswer {
            id: id.into(),
            text,
            extra: Object::new(),
        }
    }

    /// An answer `id` with one plain-text representation.
    pub fn plain(id: impl Into<String>, body: impl Into<String>) -> PollAnswer {
        PollAnswer::new(id, TextBlock::plain(body))
    }

    /// Sets an extra member `key` of the answer.
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> PollAnswer {
        self.extra.insert(key.into(), value);
        self
    }

    fn read_at(
        value: ValueRef<'_>,
        path: &Path,
        id_key: &'static str,
    ) -> Result<PollAnswer, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let id = fields.required_string(id_key)?;
        let text = required_nested_text(&mut fields)?;
        Ok(PollAnswer {
            id,
            text,
            extra: fields.rest(),
        })
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("m.id", self.id.as_str())
            .set("m.text", self.text.to_value())
            .finish()
    }
}

impl PollBlock {
    /// The most answers MSC3381 shows; the rest are kept but not shown.
    pub const MAX_ANSWERS: usize = 20;

    /// A poll asking `question` with `answers`, of the default kind and selection count.
    pub fn new(question: impl Into<PollQuestion>, answers: Vec<PollAnswer>) -> PollBlock {
        PollBlock {
            question: question.into(),
            answers,
            ..PollBlock::default()
        }
    }

    /// This poll with `answer` added at the end.
    #[must_use]
    pub fn with_answer(mut self, answer: PollAnswer) -> PollBlock {
        self.answers.push(answer);
        self
    }

    /// Sets the kind (under its stable name).
    #[must_use]
    pub fn with_kind(mut self, kind: PollKind) -> PollBlock {
        self.kind = Some(kind.as_str().to_owned());
        self
    }

    /// Sets how many answers a voter may pick; 0 makes the block invalid.
    #[must_use]
    pub fn with_max_selections(mut self, max_selections: u64) -> PollBlock {
        self.max_selections = Some(max_selections);
        self
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> PollBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// How the poll shows results: [`PollKind::Disclosed`] only for `m.disclosed` (or its
    /// unstable spelling); absent and unknown kinds are undisclosed, as MSC3381 says.
    pub fn kind(&self) -> PollKind {
        self.kind
            .as_deref()
            .and_then(PollKind::from_name)
            .unwrap_or(PollKind::Undisclosed)
    }

    /// Whether results show while the poll is open.
    pub fn is_disclosed(&self) -> bool {
        self.kind() == PollKind::Disclosed
    }

    /// The most answers a voter may pick: `max_selections`, 1 when absent.
    pub fn max_selections(&self) -> u64 {
        self.max_selections.unwrap_or(1)
    }

    /// The answers to show: the first [`PollBlock::MAX_ANSWERS`] (MSC3381 truncates there).
    pub fn answers_for_display(&self) -> &[PollAnswer] {
        let shown = self.answers.len().min(PollBlock::MAX_ANSWERS);
        self.answers.get(..shown).unwrap_or_default()
    }

    /// The first answer with the identifier `id`, among all answers.
    pub fn answer(&self, id: &str) -> Option<&PollAnswer> {
        self.answers.iter().find(|a| a.id == id)
    }

    /// Reads a poll value as sent under `name`; paths in errors start at `path`.
    pub(crate) fn read_at(
        name: &str,
        value: ValueRef<'_>,
        path: &Path,
    ) -> Result<PollBlock, BlockError> {
        let id_key = if name == UNSTABLE_NAME { "id" } else { "m.id" };
        let mut fields = Fields::new(value, path)?;
        // The unstable shape spells the known kinds its own way: the typed poll is the same.
        let kind = fields.string("kind")?.map(|k| match k.as_str() {
            UNSTABLE_DISCLOSED if name == UNSTABLE_NAME => PollKind::Disclosed.as_str().to_owned(),
            UNSTABLE_UNDISCLOSED if name == UNSTABLE_NAME => {
                PollKind::Undisclosed.as_str().to_owned()
            }
            _ => k,
        });
        let max_selections = fields.optional("max_selections", |v, p| {
            read_uint_in(v, p, 1, u64::MAX, "1 or more")
        })?;
        let question = fields.required("question", PollQuestion::read_at)?;
        let answers = fields.required("answers", |v, p| read_answers(v, p, id_key))?;
        Ok(PollBlock {
            kind,
            max_selections,
            question,
            answers,
            extra: fields.rest(),
        })
    }
}

impl PollBlock {
    /// The poll in the unstable shape clients deployed before MSC3381 was accepted (and read
    /// today), for the name `org.matrix.msc3381.poll.start`: answers with `id`, texts as
    /// `org.matrix.msc1767.text` strings, kinds spelled `org.matrix.msc3381.poll.*`; or `None`
    /// when a text is more than one plain representation, which a string cannot say.
    ///
    /// ```
    /// use exev::{Block, PollAnswer, PollBlock, PollKind, TextBlock, ValueRef};
    ///
    /// let poll = PollBlock::new(TextBlock::plain("Lunch?"), vec![PollAnswer::plain("a", "Pizza")])
    ///     .with_kind(PollKind::Disclosed);
    /// let unstable = poll.unstable_value().unwrap();
    /// assert_eq!(
    ///     unstable.get("kind").and_then(|k| k.as_str()),
    ///     Some("org.matrix.msc3381.poll.disclosed")
    /// );
    /// assert_eq!(PollBlock::read("org.matrix.msc3381.poll.start", ValueRef::from(&unstable)).unwrap(), poll);
    /// assert!(PollBlock::new(TextBlock::plain("q").with_html("<b>q</b>"), vec![]).unstable_value().is_none());
    /// ```
    pub fn unstable_value(&self) -> Option<Value> {
        let text = |t: &TextBlock| t.as_plain_string().map(Value::from);
        let kind = self.kind.as_deref().map(|k| match PollKind::from_name(k) {
            Some(PollKind::Disclosed) => UNSTABLE_DISCLOSED,
            Some(PollKind::Undisclosed) => UNSTABLE_UNDISCLOSED,
            None => k,
        });
        let question = ObjectWriter::new(&self.question.extra)
            .set(UNSTABLE_TEXT, text(&self.question.text)?)
            .finish();
        let answers = self
            .answers
            .iter()
            .map(|a| {
                Some(
                    ObjectWriter::new(&a.extra)
                        .set("id", a.id.as_str())
                        .set(UNSTABLE_TEXT, text(&a.text)?)
                        .finish(),
                )
            })
            .collect::<Option<Vec<Value>>>()?;
        Some(
            ObjectWriter::new(&self.extra)
                .set_opt("kind", kind)
                .set_opt("max_selections", self.max_selections.map(uint_value))
                .set("question", question)
                .set("answers", Value::Array(answers))
                .finish(),
        )
    }
}

/// The unstable name of text in the unstable poll shape.
const UNSTABLE_TEXT: &str = "org.matrix.msc1767.text";

fn read_answers(
    value: ValueRef<'_>,
    path: &Path,
    id_key: &'static str,
) -> Result<Vec<PollAnswer>, BlockError> {
    let items = value
        .as_array()
        .ok_or_else(|| wrong_type(path.clone(), "an array of answers", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            crate::blocks::fields::at_index(path, i, |p| PollAnswer::read_at(item, p, id_key))
        })
        .collect()
}

impl Block for PollBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Poll.name_table();

    fn read(name: &str, value: ValueRef<'_>) -> Result<PollBlock, BlockError> {
        PollBlock::read_at(name, value, &Path::root())
    }

    fn to_value(&self) -> Value {
        let kind = self.kind.as_deref().map(|k| match k {
            UNSTABLE_DISCLOSED => PollKind::Disclosed.as_str(),
            UNSTABLE_UNDISCLOSED => PollKind::Undisclosed.as_str(),
            other => other,
        });
        ObjectWriter::new(&self.extra)
            .set_opt("kind", kind)
            .set_opt("max_selections", self.max_selections.map(uint_value))
            .set("question", self.question.to_value())
            .set(
                "answers",
                Value::Array(self.answers.iter().map(PollAnswer::to_value).collect()),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    /// The `m.poll` of the MSC3381 example (V13).
    const V13: &str = r#"{
        "answers": [
            {"m.id": "pizza", "m.text": [{"body": "Pizza 🍕"}]},
            {"m.id": "poutine", "m.text": [{"body": "Poutine 🍟"}]},
            {"m.id": "italian", "m.text": [{"body": "Italian 🍝"}]},
            {"m.id": "wings", "m.text": [{"body": "Wings 🔥"}]}
        ],
        "kind": "m.disclosed",
        "max_selections": 1,
        "question": {"m.text": [{"body": "What should we order for the party?"}]}
    }"#;

    /// The unstable `org.matrix.msc3381.poll.start` of the MSC3381 example (V16).
    const V16: &str = r#"{
        "answers": [
            {"id": "pizza", "org.matrix.msc1767.text": "Pizza 🍕"},
            {"id": "poutine", "org.matrix.msc1767.text": "Poutine 🍟"},
            {"id": "italian", "org.matrix.msc1767.text": "Italian 🍝"},
            {"id": "wings", "org.matrix.msc1767.text": "Wings 🔥"}
        ],
        "kind": "org.matrix.msc3381.poll.disclosed",
        "max_selections": 1,
        "question": {"org.matrix.msc1767.text": "What should we order for the party?"}
    }"#;

    #[test]
    fn reads_the_stable_shape() {
        let v = json(V13);
        let p = PollBlock::from_value(&v).unwrap();
        assert_eq!(p.kind(), PollKind::Disclosed);
        assert_eq!(p.max_selections(), 1);
        assert_eq!(
            p.question.text.plain_text(),
            Some("What should we order for the party?")
        );
        let ids: Vec<_> = p.answers.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["pizza", "poutine", "italian", "wings"]);
        assert_eq!(p.answers[3].text.plain_text(), Some("Wings 🔥"));
        assert_eq!(p.to_value(), v);
    }

    #[test]
    fn the_unstable_shape_is_the_same_typed_poll() {
        let stable = PollBlock::from_value(&json(V13)).unwrap();
        let unstable = PollBlock::read(UNSTABLE_NAME, ValueRef::from(&json(V16))).unwrap();
        assert_eq!(stable, unstable);
        assert_eq!(stable.unstable_value(), Some(json(V16)));
        // A kind exev does not know keeps its spelling both ways.
        let custom = stable.clone().with_kind(PollKind::Undisclosed);
        let mut custom_kind = custom.clone();
        custom_kind.kind = Some("org.example.ranked".to_owned());
        let back = PollBlock::read(
            UNSTABLE_NAME,
            ValueRef::from(&custom_kind.unstable_value().unwrap()),
        )
        .unwrap();
        assert_eq!(back, custom_kind);
        assert_eq!(
            PollBlock::read(
                UNSTABLE_NAME,
                ValueRef::from(&custom.unstable_value().unwrap())
            )
            .unwrap(),
            custom
        );
    }

    #[test]
    fn reads_the_unstable_shape_and_writes_the_stable_one() {
        let p = PollBlock::read(UNSTABLE_NAME, ValueRef::from(&json(V16))).unwrap();
        assert_eq!(p.kind.as_deref(), Some("m.disclosed"));
        assert!(p.is_disclosed());
        assert_eq!(
            p.answer("italian").and_then(|a| a.text.plain_text()),
            Some("Italian 🍝")
        );
        assert!(p.answers.iter().all(|a| a.extra.is_empty()));
        assert_eq!(p.to_value(), json(V13));
        // Arrays are accepted in the unstable shape too.
        let v = json(
            r#"{"question": {"org.matrix.msc1767.text": [{"body": "Q"}]},
                "answers": [{"id": "a", "org.matrix.msc1767.text": [{"body": "A"}]}]}"#,
        );
        let p = PollBlock::read(UNSTABLE_NAME, ValueRef::from(&v)).unwrap();
        assert_eq!(p.answers[0].text.plain_text(), Some("A"));
        // The stable shape's `m.id` is not the unstable `id`.
        let e = PollBlock::read(UNSTABLE_NAME, ValueRef::from(&json(V13))).unwrap_err();
        assert_eq!(e.to_string(), "answers[0]: missing required field `id`");
    }

    #[test]
    fn kinds() {
        let poll = |kind: &str| {
            let mut p = PollBlock::new(TextBlock::plain("q"), Vec::new());
            p.kind = Some(kind.to_owned());
            p
        };
        assert_eq!(PollBlock::default().kind(), PollKind::Undisclosed);
        assert_eq!(poll("m.undisclosed").kind(), PollKind::Undisclosed);
        assert_eq!(poll(UNSTABLE_UNDISCLOSED).kind(), PollKind::Undisclosed);
        let custom = poll("org.example.ranked");
        assert_eq!(custom.kind(), PollKind::Undisclosed);
        assert_eq!(custom.kind.as_deref(), Some("org.example.ranked"));
        assert_eq!(
            custom.to_value().get("kind"),
            Some(&Value::from("org.example.ranked"))
        );
    }

    #[test]
    fn max_selections_limits() {
        let with = |n: i32| {
            json(&format!(
                r#"{{"max_selections": {n}, "question": {{"m.text": [{{"body": "q"}}]}}, "answers": []}}"#
            ))
        };
        assert_eq!(PollBlock::from_value(&with(1)).unwrap().max_selections(), 1);
        assert_eq!(PollBlock::from_value(&with(3)).unwrap().max_selections(), 3);
        let e = PollBlock::from_value(&with(0)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "max_selections: 0 is outside the allowed range 1 or more"
        );
        assert!(matches!(e.kind(), crate::BlockErrorKind::OutOfRange { .. }));
        let e = PollBlock::from_value(&with(-2)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "max_selections: -2 is outside the allowed range 1 or more"
        );
    }

    #[test]
    fn answers_beyond_twenty_are_kept_but_not_shown() {
        let answers = |n: usize| {
            (0..n)
                .map(|i| PollAnswer::plain(format!("a{i}"), "x"))
                .collect()
        };
        let p = PollBlock::new(TextBlock::plain("q"), answers(20));
        assert_eq!(p.answers_for_display().len(), 20);
        let p = PollBlock::new(TextBlock::plain("q"), answers(21));
        let back = PollBlock::from_value(&p.to_value()).unwrap();
        assert_eq!(back.answers.len(), 21);
        assert_eq!(back.answers_for_display().len(), 20);
        assert_eq!(
            back.answers_for_display().last().map(|a| a.id.as_str()),
            Some("a19")
        );
        assert!(
            PollBlock::new(TextBlock::plain("q"), answers(0))
                .answers_for_display()
                .is_empty()
        );
    }

    #[test]
    fn round_trips() {
        let p = PollBlock::new(
            PollQuestion::new(TextBlock::plain("q").with_html("<b>q</b>"))
                .with_extra("org.example.q", Value::from(1)),
            vec![PollAnswer::plain("a", "A").with_extra("org.example.a", Value::Null)],
        )
        .with_answer(PollAnswer::plain("b", "B"))
        .with_kind(PollKind::Undisclosed)
        .with_max_selections(2)
        .with_extra("org.example.p", Value::Bool(false));
        assert_eq!(PollBlock::from_value(&p.to_value()).unwrap(), p);
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(
            r#"{"question": {"m.text": [{"body": "q"}], "org.example.q": 1},
                "answers": [{"m.id": "a", "m.text": [{"body": "A"}], "org.example.emoji": "🍕"}],
                "org.example.deadline": 1700000000000}"#,
        );
        let p = PollBlock::from_value(&v).unwrap();
        assert_eq!(p.extra.len(), 1);
        assert_eq!(p.question.extra.len(), 1);
        assert_eq!(p.answers[0].extra.len(), 1);
        assert_eq!(p.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = PollBlock::from_value(&json(r#"{"answers": []}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `question`");
        let e = PollBlock::from_value(&json(r#"{"question": {}, "answers": []}"#)).unwrap_err();
        assert_eq!(e.to_string(), "question: missing required field `m.text`");
        let e = PollBlock::from_value(&json(
            r#"{"question": {"m.text": []}, "answers": [
                {"m.id": "a", "m.text": []}, {"m.id": 2, "m.text": []}]}"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"answers[1]["m.id"]: expected a string, found integer"#
        );
        let e = PollBlock::from_value(&json(
            r#"{"question": {"m.text": []}, "answers": [{"m.id": "a"}]}"#,
        ))
        .unwrap_err();
        assert_eq!(e.to_string(), "answers[0]: missing required field `m.text`");
        let e = PollBlock::from_value(&json(r#"{"question": {"m.text": []}, "answers": {}}"#))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "answers: expected an array of answers, found object"
        );
        let e = PollBlock::from_value(&json(
            r#"{"question": {"m.text": []}, "answers": [], "kind": 1}"#,
        ))
        .unwrap_err();
        assert_eq!(e.to_string(), "kind: expected a string, found integer");
    }
}
