//! `m.text`: an ordered list of representations of one piece of text (MSC1767).

use crate::blocks::fields::{Fields, ObjectWriter, wrong_type};
use crate::{
    ArrayRef, Block, BlockError, KnownBlock, NameStatus, Object, Path, RefShape, Value, ValueRef,
};

/// The mimetype a representation has when it names none.
pub const DEFAULT_MIMETYPE: &str = "text/plain";

/// `m.text`: the same text in one or more mimetypes, most preferred first.
///
/// Invalid representations (not an object, no string `body`) do not fail the block: MSC1767
/// says renderers skip them, so they are kept aside in [`TextBlock::skipped`] and written back
/// in place by [`Block::to_value`].
///
/// Reads the stable array form, the unstable `org.matrix.msc1767.text` in both its array form
/// and the string form polls, voice messages and locations still send, and the obsolete
/// `m.markup` and v1 `m.message` arrays and `m.html` string.
///
/// ```
/// use exev::{Block, TextBlock};
///
/// let text = TextBlock::plain("Hello world").with_html("<i>Hello world</i>");
/// assert_eq!(text.plain_text(), Some("Hello world"));
/// assert_eq!(text.html(), Some("<i>Hello world</i>"));
/// let back = TextBlock::from_value(&text.to_value()).unwrap();
/// assert_eq!(back, text);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextBlock {
    /// The valid representations, in the order sent.
    pub representations: Vec<TextRepresentation>,
    /// Representations renderers must skip, with their position in the original array.
    pub skipped: Vec<SkippedRepresentation>,
}

/// One representation of a [`TextBlock`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextRepresentation {
    /// The text itself.
    pub body: String,
    /// The mimetype as sent; `None` means [`DEFAULT_MIMETYPE`].
    pub mimetype: Option<String>,
    /// The BCP 47 language tag (MSC3554 `lang`, or its unstable `org.matrix.msc3554.lang`).
    pub lang: Option<String>,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

/// A representation a renderer must skip, kept so that nothing is lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedRepresentation {
    /// Its index in the array as sent.
    pub index: usize,
    /// The element as sent.
    pub value: Value,
    /// Why it is invalid.
    pub error: BlockError,
}

impl TextRepresentation {
    /// A representation of `body` in `mimetype`.
    pub fn new(body: impl Into<String>, mimetype: Option<&str>) -> TextRepresentation {
        TextRepresentation {
            body: body.into(),
            mimetype: mimetype.map(str::to_owned),
            ..TextRepresentation::default()
        }
    }

    /// The mimetype, [`DEFAULT_MIMETYPE`] when none was sent.
    pub fn mimetype(&self) -> &str {
        self.mimetype.as_deref().unwrap_or(DEFAULT_MIMETYPE)
    }

    /// Whether the representation is in `mimetype`, parameters aside ([`crate::same_mimetype`]).
    pub fn is(&self, mimetype: &str) -> bool {
        crate::same_mimetype(self.mimetype(), mimetype)
    }

    /// Sets the language tag.
    #[must_use]
    pub fn with_lang(mut self, lang: impl Into<String>) -> TextRepresentation {
        self.lang = Some(lang.into());
        self
    }

    fn read(value: ValueRef<'_>, path: &Path) -> Result<TextRepresentation, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let body = fields.required_string("body")?;
        let mimetype = fields.string("mimetype")?;
        let lang = match fields.take_first(&["lang", "org.matrix.msc3554.lang"]) {
            Some((key, v)) => Some(fields.at(key, |p| crate::blocks::fields::read_string(v, p))?),
            None => None,
        };
        Ok(TextRepresentation {
            body,
            mimetype,
            lang,
            extra: fields.rest(),
        })
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("body", self.body.as_str())
            .set_opt("mimetype", self.mimetype.as_deref())
            .set_opt("lang", self.lang.as_deref())
            .finish()
    }
}

impl TextBlock {
    /// A block with one plain-text representation (no explicit mimetype, as MSC examples do).
    pub fn plain(body: impl Into<String>) -> TextBlock {
        TextBlock {
            representations: vec![TextRepresentation::new(body, None)],
            skipped: Vec::new(),
        }
    }

    /// This block with an HTML representation put first, so renderers that understand HTML
    /// pick it.
    #[must_use]
    pub fn with_html(mut self, html: impl Into<String>) -> TextBlock {
        self.representations
            .insert(0, TextRepresentation::new(html, Some("text/html")));
        self
    }

    /// This block with `representation` added at the end.
    #[must_use]
    pub fn with(mut self, representation: TextRepresentation) -> TextBlock {
        self.representations.push(representation);
        self
    }

    /// The first representation whose mimetype is `mimetype`, compared by type and subtype
    /// ([`crate::same_mimetype`]): `text/plain; charset=utf-8` is `text/plain`.
    pub fn find(&self, mimetype: &str) -> Option<&TextRepresentation> {
        self.representations.iter().find(|r| r.is(mimetype))
    }

    /// The plain text: the first representation with no mimetype or `text/plain` (with any
    /// parameters; the rule push rules use).
    pub fn plain_text(&self) -> Option<&str> {
        self.find(DEFAULT_MIMETYPE).map(|r| r.body.as_str())
    }

    /// The first HTML representation.
    pub fn html(&self) -> Option<&str> {
        self.find("text/html").map(|r| r.body.as_str())
    }

    /// The body, when the block is one plain-text representation and nothing else (no
    /// language, no other member, nothing skipped): all that the v1 string form of the text
    /// (`org.matrix.msc1767.text` in unstable polls and voice messages) can say.
    ///
    /// ```
    /// use exev::TextBlock;
    ///
    /// assert_eq!(TextBlock::plain("hi").as_plain_string(), Some("hi"));
    /// assert_eq!(TextBlock::plain("hi").with_html("<b>hi</b>").as_plain_string(), None);
    /// ```
    pub fn as_plain_string(&self) -> Option<&str> {
        match (self.representations.as_slice(), self.skipped.is_empty()) {
            ([rep], true)
                if rep.is(DEFAULT_MIMETYPE) && rep.lang.is_none() && rep.extra.is_empty() =>
            {
                Some(rep.body.as_str())
            }
            _ => None,
        }
    }

    /// Whether there is no valid representation at all.
    pub fn is_empty(&self) -> bool {
        self.representations.is_empty()
    }

    /// Reads the array form.
    fn read_array(items: ArrayRef<'_>, path: &Path) -> TextBlock {
        let mut block = TextBlock::default();
        for (index, item) in items.iter().enumerate() {
            match crate::blocks::fields::at_index(path, index, |p| {
                TextRepresentation::read(item, p)
            }) {
                Ok(r) => block.representations.push(r),
                Err(error) => block.skipped.push(SkippedRepresentation {
                    index,
                    value: item.to_value(),
                    error,
                }),
            }
        }
        block
    }

    /// Reads a text block's value as sent under `name`; paths in errors start at the value.
    pub(crate) fn read_at(
        name: &str,
        value: ValueRef<'_>,
        path: &Path,
    ) -> Result<TextBlock, BlockError> {
        match (name, value.shape()) {
            (_, RefShape::Array(items))
                if name != "m.html" && name != "org.matrix.msc1767.html" =>
            {
                Ok(TextBlock::read_array(items, path))
            }
            // The string forms of MSC1767 v1: plain text, or HTML under the `html` names.
            ("org.matrix.msc1767.text", RefShape::String(s)) => Ok(TextBlock::plain(s)),
            ("m.html" | "org.matrix.msc1767.html", RefShape::String(s)) => {
                Ok(TextBlock::default().with_html(s))
            }
            ("m.text", RefShape::String(_)) => Err(BlockError::new(
                path.clone(),
                crate::BlockErrorKind::Invalid(
                    "expected an array of text representations, found a string \
                     (the obsolete MSC1767 v1 string form, only read under org.matrix.msc1767.text)"
                        .to_owned(),
                ),
            )),
            ("m.html" | "org.matrix.msc1767.html", _) => {
                Err(wrong_type(path.clone(), "an HTML string", value))
            }
            ("org.matrix.msc1767.text", _) => Err(wrong_type(
                path.clone(),
                "an array of text representations or a string",
                value,
            )),
            (_, _) => Err(wrong_type(
                path.clone(),
                "an array of text representations",
                value,
            )),
        }
    }
}

impl Block for TextBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Text.name_table();

    fn read(name: &str, value: ValueRef<'_>) -> Result<TextBlock, BlockError> {
        TextBlock::read_at(name, value, &Path::root())
    }

    fn to_value(&self) -> Value {
        let total = self.representations.len() + self.skipped.len();
        let mut out = Vec::with_capacity(total);
        let mut valid = self.representations.iter();
        let mut skipped = self.skipped.iter().peekable();
        for index in 0..total {
            match skipped.peek() {
                Some(s) if s.index == index => {
                    out.push(s.value.clone());
                    skipped.next();
                }
                _ => match valid.next() {
                    Some(r) => out.push(r.to_value()),
                    // Skipped entries whose indices lie past the end go last, in order.
                    None => out.extend(skipped.next().map(|s| s.value.clone())),
                },
            }
        }
        Value::Array(out)
    }
}

/// Reads the `m.text` block nested in a wrapper block (`m.caption`, `m.alt_text`, `m.topic`,
/// poll questions and answers), under its stable or unstable name.
pub(crate) fn nested_text(fields: &mut Fields<'_>) -> Result<Option<TextBlock>, BlockError> {
    match fields.take_first(&["m.text", "org.matrix.msc1767.text"]) {
        Some((name, v)) => fields
            .at(name, |p| TextBlock::read_at(name, v, p))
            .map(Some),
        None => Ok(None),
    }
}

/// Reads the `m.text` block nested in a wrapper block, or a missing-field error for `m.text`.
pub(crate) fn required_nested_text(fields: &mut Fields<'_>) -> Result<TextBlock, BlockError> {
    match nested_text(fields)? {
        Some(text) => Ok(text),
        None => Err(fields.missing("m.text")),
    }
}

/// Reads a wrapper block (`m.caption`, `m.alt_text`, `m.topic`): an object holding a required
/// nested `m.text`, and the members it does not know.
pub(crate) fn read_text_wrapper(
    value: ValueRef<'_>,
    path: &Path,
) -> Result<(TextBlock, Object), BlockError> {
    let mut fields = Fields::new(value, path)?;
    let text = required_nested_text(&mut fields)?;
    Ok((text, fields.rest()))
}

/// Writes a wrapper block: `{"m.text": [...]}` with the kept members.
pub(crate) fn text_wrapper_value(text: &TextBlock, extra: &Object) -> Value {
    ObjectWriter::new(extra)
        .set("m.text", text.to_value())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn mimetypes_compare_without_parameters() {
        let text = TextBlock::default()
            .with(TextRepresentation::new(
                "<b>hi</b>",
                Some("text/html; charset=utf-8"),
            ))
            .with(TextRepresentation::new(
                "hi",
                Some("TEXT/PLAIN;charset=utf-8"),
            ));
        assert_eq!(text.html(), Some("<b>hi</b>"));
        assert_eq!(text.plain_text(), Some("hi"));
        assert_eq!(text.find("text/markdown"), None);
    }

    #[test]
    fn invalid_representations_are_skipped_and_kept_in_place() {
        let v = Value::Array(vec![
            Value::from(3),
            obj(&[("body", "hi".into())]),
            obj(&[("mimetype", "text/html".into())]),
            obj(&[
                ("body", "<b>x</b>".into()),
                ("mimetype", "text/html".into()),
            ]),
        ]);
        let t = TextBlock::from_value(&v).unwrap();
        assert_eq!(t.representations.len(), 2);
        assert_eq!(t.skipped.len(), 2);
        assert_eq!(t.skipped[0].index, 0);
        assert_eq!(
            t.skipped[1].error.to_string(),
            "[2]: missing required field `body`"
        );
        assert_eq!(t.to_value(), v);
        assert_eq!(t.plain_text(), Some("hi"));
        assert_eq!(t.html(), Some("<b>x</b>"));
    }

    #[test]
    fn string_forms_by_name() {
        let s = Value::from("hello");
        assert_eq!(
            TextBlock::read("org.matrix.msc1767.text", ValueRef::from(&s))
                .unwrap()
                .plain_text(),
            Some("hello")
        );
        assert_eq!(
            TextBlock::read("org.matrix.msc1767.html", ValueRef::from(&s))
                .unwrap()
                .html(),
            Some("hello")
        );
        let err = TextBlock::read("m.text", ValueRef::from(&s)).unwrap_err();
        assert!(
            err.to_string().contains("obsolete MSC1767 v1 string form"),
            "{err}"
        );
        let err = TextBlock::read("m.text", ValueRef::from(&Value::from(1))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "$: expected an array of text representations, found integer"
        );
    }

    #[test]
    fn mimetype_parameters_do_not_hide_plain_text() {
        // `--mimetypes text/markdown` used to return the markdown source as the plain text.
        let v = Value::Array(vec![
            obj(&[
                ("body", "**hi**".into()),
                ("mimetype", "text/markdown".into()),
            ]),
            obj(&[
                ("body", "hi".into()),
                ("mimetype", "text/plain; charset=utf-8".into()),
            ]),
            obj(&[
                ("body", "<b>hi</b>".into()),
                ("mimetype", "TEXT/HTML".into()),
            ]),
        ]);
        let t = TextBlock::from_value(&v).unwrap();
        assert_eq!(t.plain_text(), Some("hi"));
        assert_eq!(t.html(), Some("<b>hi</b>"));
        assert!(t.representations[1].is("text/plain"));
    }

    #[test]
    fn unknown_fields_and_unstable_lang_survive() {
        let v = Value::Array(vec![obj(&[
            ("body", "Je suis".into()),
            ("org.matrix.msc3554.lang", "fr".into()),
            ("x.custom", Value::Bool(true)),
        ])]);
        let t = TextBlock::from_value(&v).unwrap();
        assert_eq!(t.representations[0].lang.as_deref(), Some("fr"));
        assert_eq!(t.representations[0].extra.len(), 1);
    }
}
