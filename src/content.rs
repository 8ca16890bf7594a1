//! [`Content`]: an event's content blocks, kept as sent, read typed on demand.

use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, TextBlock, Value};

/// An event's `content`: every top-level key is a content block (MSC1767).
///
/// Blocks are kept exactly as sent, whether known or not, valid or not, so re-encoding loses
/// nothing. Typed access reads a known block under whichever name it was sent; when both the
/// stable and an unstable name are present the stable one is read, and both are kept.
///
/// ```
/// use exev::{Content, FileBlock, TextBlock};
///
/// let mut content = Content::new();
/// content.set(&TextBlock::plain("matrix.pdf"));
/// content.set(&FileBlock::new("mxc://example.org/abcd").name("matrix.pdf"));
/// let file: FileBlock = content.get().unwrap().unwrap();
/// assert_eq!(file.name.as_deref(), Some("matrix.pdf"));
/// assert_eq!(content.text().unwrap().unwrap().plain_text(), Some("matrix.pdf"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Content {
    blocks: Object,
}

/// One block of a [`Content`], as [`Content::blocks`] lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockEntry<'a> {
    /// The key it was sent under.
    pub name: &'a str,
    /// Its value as sent.
    pub value: &'a Value,
    /// The built-in block it is, and the status of its name; `None` for blocks this crate does
    /// not know.
    pub known: Option<(KnownBlock, NameStatus)>,
    /// Whether typed reading uses another name for this block instead (a stable name is also
    /// present, say): this entry is kept but not read.
    pub shadowed: bool,
}

impl Content {
    /// Empty content.
    pub fn new() -> Content {
        Content::default()
    }

    /// Content made of these blocks.
    pub fn from_object(blocks: Object) -> Content {
        Content { blocks }
    }

    /// The blocks by name.
    pub fn as_object(&self) -> &Object {
        &self.blocks
    }

    /// The blocks by name, mutably.
    pub fn as_object_mut(&mut self) -> &mut Object {
        &mut self.blocks
    }

    /// The blocks by name, by value.
    pub fn into_object(self) -> Object {
        self.blocks
    }

    /// The number of blocks.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Whether there is no block.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The raw value under `name`.
    pub fn get_raw(&self, name: &str) -> Option<&Value> {
        self.blocks.get(name)
    }

    /// Sets the raw value under `name`, returning the one it replaces.
    pub fn insert_raw(&mut self, name: impl Into<String>, value: Value) -> Option<Value> {
        self.blocks.insert(name.into(), value)
    }

    /// Removes the block under `name`.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.blocks.remove(name)
    }

    /// The name, name status and value a built-in block is read from: the first of its names
    /// present, stable first.
    pub fn find(&self, block: KnownBlock) -> Option<(&str, NameStatus, &Value)> {
        self.find_named(block.name_table())
    }

    /// The name, name status and value of the first of `names` present (a [`Block::NAMES`]).
    pub fn find_named(
        &self,
        names: &'static [(&'static str, NameStatus)],
    ) -> Option<(&str, NameStatus, &Value)> {
        names.iter().find_map(|(name, status)| {
            self.blocks
                .get_key_value(*name)
                .map(|(k, v)| (k.as_str(), *status, v))
        })
    }

    /// Whether a built-in block is present under any of its names.
    pub fn has(&self, block: KnownBlock) -> bool {
        self.find(block).is_some()
    }

    /// Reads block `B` typed, or `None` when it is absent under every name.
    ///
    /// Errors carry a path from the event root, e.g. `content["m.file"].size`.
    pub fn get<B: Block>(&self) -> Option<Result<B, BlockError>> {
        let (name, _, value) = self.find_named(B::NAMES)?;
        Some(B::read(name, value).map_err(|e| e.within(&block_path(name))))
    }

    /// Writes block `B` under its stable name, replacing what was there under that name.
    pub fn set<B: Block>(&mut self, block: &B) {
        self.blocks
            .insert(B::stable_name().to_owned(), block.to_value());
    }

    /// Reads the block under `name` as any serde type, or `None` when it is absent: the way
    /// to read a third-party block typed without implementing [`Block`].
    ///
    /// Errors carry a path from the event root, as [`Content::get`]'s do.
    ///
    /// ```
    /// use exev::{Content, Value};
    /// use serde::Deserialize;
    ///
    /// #[derive(Debug, Deserialize, PartialEq)]
    /// struct Probe {
    ///     value: i64,
    /// }
    ///
    /// let mut content = Content::new();
    /// content.insert_raw("org.example.probe", [("value".to_owned(), Value::from(7))].into_iter().collect());
    /// assert_eq!(content.get_as::<Probe>("org.example.probe"), Some(Ok(Probe { value: 7 })));
    ///
    /// content.insert_raw("org.example.probe", Value::from("seven"));
    /// let err = content.get_as::<Probe>("org.example.probe").unwrap().unwrap_err();
    /// assert_eq!(err.to_string(), r#"content["org.example.probe"]: expected struct Probe, found string"#);
    /// assert!(content.get_as::<Probe>("org.example.absent").is_none());
    /// ```
    #[cfg(feature = "serde")]
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn get_as<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Option<Result<T, BlockError>> {
        let value = self.blocks.get(name)?;
        Some(crate::from_value(value).map_err(|e| e.within(&block_path(name))))
    }

    /// Writes any serde type as the block `name`, replacing what was there under that name.
    ///
    /// ```
    /// use exev::{Content, Value};
    /// use serde::Serialize;
    ///
    /// #[derive(Serialize)]
    /// struct Probe {
    ///     value: i64,
    /// }
    ///
    /// let mut content = Content::new();
    /// content.set_as("org.example.probe", &Probe { value: 7 })?;
    /// assert_eq!(content.get_raw("org.example.probe").and_then(|v| v.get("value")), Some(&Value::from(7)));
    /// # Ok::<(), exev::ValueError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`crate::ValueError`] when `block` has no value in the canonical-JSON data model (a
    /// float, an integer out of range, a map key that is not a string); the content is then
    /// unchanged.
    #[cfg(feature = "serde")]
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn set_as<T: serde::Serialize + ?Sized>(
        &mut self,
        name: impl Into<String>,
        block: &T,
    ) -> Result<(), crate::ValueError> {
        let value = crate::to_value(block)?;
        self.blocks.insert(name.into(), value);
        Ok(())
    }

    /// Reads the event's text, applying the MSC1767 v1 rule that pairs the string forms of
    /// `org.matrix.msc1767.text` (plain) and `org.matrix.msc1767.html` into one block.
    pub fn text(&self) -> Option<Result<TextBlock, BlockError>> {
        let (name, _, value) = self.find(KnownBlock::Text)?;
        let block = TextBlock::read(name, value).map_err(|e| e.within(&block_path(name)));
        if name == "org.matrix.msc1767.text"
            && value.as_str().is_some()
            && let Some(html) = self
                .blocks
                .get("org.matrix.msc1767.html")
                .and_then(Value::as_str)
        {
            return Some(block.map(|plain| plain.with_html(html)));
        }
        Some(block)
    }

    /// Whether the `m.automated` mixin is `true`; any other value counts as `false` (MSC3955).
    pub fn is_automated(&self) -> bool {
        self.find(KnownBlock::Automated)
            .is_some_and(|(_, _, v)| v.as_bool() == Some(true))
    }

    /// Every block with what is known about it, in key order.
    pub fn blocks(&self) -> impl Iterator<Item = BlockEntry<'_>> {
        self.blocks.iter().map(|(name, value)| {
            let known = KnownBlock::from_name(name);
            // A stable name is always the one read; another name only when nothing before it is.
            let shadowed = known.is_some_and(|(block, status)| {
                status != NameStatus::Stable
                    && self.find(block).is_some_and(|(read, _, _)| read != name)
            });
            BlockEntry {
                name,
                value,
                known,
                shadowed,
            }
        })
    }
}

/// The path of the content block `name`: `content["name"]`.
pub fn block_path(name: &str) -> Path {
    Path::root().key("content").key(name)
}

impl From<Object> for Content {
    fn from(blocks: Object) -> Content {
        Content { blocks }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(pairs: &[(&str, Value)]) -> Content {
        Content::from_object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn text(body: &str) -> Value {
        Value::Array(vec![
            [("body".to_owned(), Value::from(body))]
                .into_iter()
                .collect(),
        ])
    }

    #[test]
    fn stable_wins_and_both_are_kept() {
        let c = content(&[
            ("m.text", text("stable")),
            ("org.matrix.msc1767.text", text("unstable")),
        ]);
        assert_eq!(c.text().unwrap().unwrap().plain_text(), Some("stable"));
        assert_eq!(c.len(), 2);
        let entries: Vec<_> = c.blocks().collect();
        assert!(!entries[0].shadowed);
        assert!(entries[1].shadowed);
    }

    #[test]
    fn v1_string_pair_reads_as_html_and_plain() {
        let c = content(&[
            ("org.matrix.msc1767.text", "Hello World".into()),
            ("org.matrix.msc1767.html", "<b>Hello</b> World".into()),
        ]);
        let t = c.text().unwrap().unwrap();
        assert_eq!(t.html(), Some("<b>Hello</b> World"));
        assert_eq!(t.plain_text(), Some("Hello World"));
    }

    #[test]
    fn typed_errors_have_event_paths() {
        let c = content(&[("m.file", Value::from(1))]);
        let e = c.get::<crate::FileBlock>().unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"content["m.file"]: expected an object, found integer"#
        );
    }

    #[test]
    fn automated_only_when_true() {
        assert!(content(&[("m.automated", Value::Bool(true))]).is_automated());
        assert!(content(&[("org.matrix.msc1767.automated", Value::Bool(true))]).is_automated());
        assert!(!content(&[("m.automated", "true".into())]).is_automated());
        assert!(!content(&[]).is_automated());
    }
}
