//! [`Content`]: an event's content blocks, kept as sent, read typed on demand.

use std::sync::Arc;

use crate::lazy_object::LazyObject;
use crate::tape::{At, Tape};
use crate::{
    AnyBlock, Block, BlockError, KnownBlock, NameStatus, Object, ObjectRef, Path, TextBlock, Value,
    ValueRef,
};

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
#[derive(Clone, Default)]
pub struct Content {
    blocks: LazyObject,
}

impl PartialEq for Content {
    fn eq(&self, other: &Content) -> bool {
        self.as_object() == other.as_object()
    }
}

impl Eq for Content {}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content")
            .field("blocks", self.as_object())
            .finish()
    }
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
        Content {
            blocks: LazyObject::from_object(blocks),
        }
    }

    /// Content made of the members of the object at `at` on `tape`, which a decoder wrote
    /// after checking them; nothing is built until it is read.
    #[doc(hidden)]
    pub fn from_tape(tape: Arc<Tape>, at: At) -> Content {
        Content {
            blocks: LazyObject::from_tape(tape, at, &[]),
        }
    }

    /// Whether the blocks are still only in their decoded form, none built as a [`Value`]: for
    /// tests that a reader (the renderer, say) reads them in place. Not part of the API.
    #[doc(hidden)]
    pub fn is_unbuilt(&self) -> bool {
        self.blocks.is_unbuilt()
    }

    /// The blocks by name (built from the decoded form the first time, then kept).
    pub fn as_object(&self) -> &Object {
        self.blocks.as_object()
    }

    /// The blocks by name, mutably (the decoded form is built and let go).
    pub fn as_object_mut(&mut self) -> &mut Object {
        self.blocks.as_object_mut()
    }

    /// The blocks by name, by value.
    pub fn into_object(self) -> Object {
        self.blocks.into_object()
    }

    /// The number of blocks.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Whether there is no block.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The raw value under `name`.
    pub fn get_raw(&self, name: &str) -> Option<&Value> {
        self.as_object().get(name)
    }

    /// The blocks, borrowed where they lie: nothing is built for a decoded event.
    pub fn as_object_ref(&self) -> ObjectRef<'_> {
        self.blocks.as_ref()
    }

    /// The raw value under `name`, borrowed where it lies: nothing is built for a decoded
    /// event (unlike [`Content::get_raw`], which builds every block's value the first time).
    pub fn get_ref(&self, name: &str) -> Option<ValueRef<'_>> {
        self.as_object_ref().get(name)
    }

    /// Sets the raw value under `name`, returning the one it replaces.
    pub fn insert_raw(&mut self, name: impl Into<String>, value: Value) -> Option<Value> {
        self.as_object_mut().insert(name.into(), value)
    }

    /// Removes the block under `name`.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.as_object_mut().remove(name)
    }

    /// The first of `names` present, without materialising anything when the blocks are
    /// still in their decoded form.
    fn locate(&self, names: &'static [(&'static str, NameStatus)]) -> Option<(&str, ValueRef<'_>)> {
        let blocks = self.as_object_ref();
        names
            .iter()
            .find_map(|(name, _)| blocks.get_key_value(name))
    }

    /// The name and value a built-in block is read from, as [`Content::find`] finds them, but
    /// read where the value lies: nothing is built for a decoded event.
    pub fn find_ref(&self, block: KnownBlock) -> Option<(&str, ValueRef<'_>)> {
        self.locate(block.name_table())
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
        let blocks = self.as_object();
        names.iter().find_map(|(name, status)| {
            blocks
                .get_key_value(*name)
                .map(|(k, v)| (k.as_str(), *status, v))
        })
    }

    /// Whether a built-in block is present under any of its names.
    pub fn has(&self, block: KnownBlock) -> bool {
        self.locate(block.name_table()).is_some()
    }

    /// Reads block `B` typed, or `None` when it is absent under every name.
    ///
    /// Errors carry a path from the event root, e.g. `content["m.file"].size`.
    pub fn get<B: Block>(&self) -> Option<Result<B, BlockError>> {
        let (name, value) = self.locate(B::NAMES)?;
        Some(B::read(name, value).map_err(|e| e.within(&block_path(name))))
    }

    /// Writes block `B` under its stable name, replacing what was there under that name.
    pub fn set<B: Block>(&mut self, block: &B) {
        self.as_object_mut()
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
        let read = self.get_ref(name)?.deserialize();
        Some(read.map_err(|e| e.within(&block_path(name))))
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
        self.as_object_mut().insert(name.into(), value);
        Ok(())
    }

    /// Reads the event's text, applying the MSC1767 v1 rule that pairs the string forms of
    /// `org.matrix.msc1767.text` (plain) and `org.matrix.msc1767.html` into one block.
    pub fn text(&self) -> Option<Result<TextBlock, BlockError>> {
        let (name, value) = self.locate(KnownBlock::Text.name_table())?;
        let block = TextBlock::read(name, value).map_err(|e| e.within(&block_path(name)));
        if name == "org.matrix.msc1767.text"
            && value.as_str().is_some()
            && let Some(html) = self
                .get_ref("org.matrix.msc1767.html")
                .and_then(ValueRef::as_str)
        {
            return Some(block.map(|plain| plain.with_html(html)));
        }
        Some(block)
    }

    /// Whether the `m.automated` mixin is `true`; any other value counts as `false` (MSC3955).
    pub fn is_automated(&self) -> bool {
        self.locate(KnownBlock::Automated.name_table())
            .is_some_and(|(_, v)| v.as_bool() == Some(true))
    }

    /// Every built-in block present, read typed: its name and the block, or the error reading
    /// it (with a path from the event root, as [`Content::get`]'s), in the order the blocks
    /// are held (as sent, for a decoded event; by name, for content built as values). Blocks
    /// another name of theirs shadows ([`BlockEntry::shadowed`]) are left out, so this is what
    /// a renderer reads; unknown blocks are left as they lie, and nothing is built for them.
    pub fn known_blocks(&self) -> impl Iterator<Item = (&str, Result<AnyBlock, BlockError>)> {
        /// How many members' lookups are kept from the first pass for the second: content
        /// has a handful of blocks, and past these the second pass looks names up again.
        const REMEMBERED: usize = 16;
        let blocks = self.as_object_ref();
        // The rank of the name each built-in block present is read under (the lowest), found
        // in one pass rather than by looking up each block's other names.
        let mut read_under = [usize::MAX; KnownBlock::ALL.len()];
        let mut looked_up = [None; REMEMBERED];
        for (i, (name, _)) in blocks.iter_as_held().enumerate() {
            let known = KnownBlock::lookup(name);
            if let Some(slot) = looked_up.get_mut(i) {
                *slot = known;
            }
            if let Some((block, _, rank)) = known
                && let Some(best) = read_under.get_mut(block as usize)
            {
                *best = (*best).min(rank);
            }
        }
        let mut i = 0;
        blocks.iter_as_held().filter_map(move |(name, value)| {
            let known = match looked_up.get(i) {
                Some(known) => *known,
                None => KnownBlock::lookup(name),
            };
            i += 1;
            let (block, _, rank) = known?;
            if read_under.get(block as usize) != Some(&rank) {
                return None;
            }
            let read = AnyBlock::read(block, name, value).map_err(|e| e.within(&block_path(name)));
            Some((name, read))
        })
    }

    /// Every block with what is known about it, in key order.
    pub fn blocks(&self) -> impl Iterator<Item = BlockEntry<'_>> {
        self.as_object().iter().map(|(name, value)| {
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
        Content::from_object(blocks)
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

    /// Content on a tape: every read agrees with the same content as values, typed reads
    /// leave the values unbuilt, and mutation moves it to values.
    #[test]
    fn taped_content_reads_as_its_values() {
        let values = content(&[
            ("org.matrix.msc1767.text", "Hello".into()),
            ("org.matrix.msc1767.html", "<b>Hello</b>".into()),
            ("m.file", Value::from(1)),
            ("m.automated", Value::Bool(true)),
        ]);
        let mut builder = crate::tape::TapeBuilder::new();
        builder
            .value(&Value::Object(values.as_object().clone()))
            .unwrap();
        let tape = Arc::new(builder.finish().unwrap());
        let taped = Content::from_tape(tape, 0);
        assert_eq!(taped.len(), 4);
        assert_eq!(taped.text(), values.text());
        assert_eq!(
            taped.get::<crate::FileBlock>(),
            values.get::<crate::FileBlock>()
        );
        assert_eq!(taped.is_automated(), values.is_automated());
        assert_eq!(
            taped.get_as::<Value>("m.file"),
            values.get_as::<Value>("m.file")
        );
        assert!(taped.has(KnownBlock::File));
        let (name, value) = taped.find_ref(KnownBlock::Text).unwrap();
        assert_eq!(
            (name, value.as_str()),
            ("org.matrix.msc1767.text", Some("Hello"))
        );
        assert_eq!(
            values.find(KnownBlock::Text).map(|(name, ..)| name),
            Some(name)
        );
        assert!(taped.find_ref(KnownBlock::Poll).is_none());
        assert!(taped.blocks.is_unbuilt(), "a typed read built the values");
        assert_eq!(taped, values);
        assert_eq!(format!("{taped:?}"), format!("{values:?}"));
        assert_eq!(taped.blocks().count(), 4);
        let mut changed = taped.clone();
        changed.remove("m.automated");
        assert!(!changed.blocks.is_unbuilt());
        assert!(!changed.is_automated());
        assert_eq!(taped.into_object(), values.into_object());
    }

    #[test]
    fn automated_only_when_true() {
        assert!(content(&[("m.automated", Value::Bool(true))]).is_automated());
        assert!(content(&[("org.matrix.msc1767.automated", Value::Bool(true))]).is_automated());
        assert!(!content(&[("m.automated", "true".into())]).is_automated());
        assert!(!content(&[]).is_automated());
    }
}
