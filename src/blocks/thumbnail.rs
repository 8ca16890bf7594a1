//! `m.thumbnail`: preview images of an image or a video (MSC3552).

use crate::blocks::fields::{Fields, ObjectWriter, wrong_type};
use crate::{
    Block, BlockError, BlockErrorKind, EncryptedFile, FileBlock, ImageDetailsBlock, KnownBlock,
    NameStatus, Object, Path, Value, ValueRef,
};

/// `m.thumbnail`: an array of (usually smaller) versions of an image, or poster images of a
/// video.
///
/// MSC3552 says the array is not ordered, though senders are encouraged to put smaller images
/// first, and several formats may share the same dimensions: clients choose by what they can
/// show and by size, which [`ThumbnailBlock::best`] does. A malformed entry fails the block,
/// with the entry's index in the error's path.
///
/// ```
/// use exev::{Block, Thumbnail, ThumbnailBlock};
///
/// let block = ThumbnailBlock::new()
///     .with(Thumbnail::new("mxc://example.org/big", "image/webp", 320, 240).size(4000))
///     .with(Thumbnail::new("mxc://example.org/small", "image/jpeg", 160, 120).size(123));
/// let best = block.best(|mimetype| mimetype == "image/jpeg" || mimetype == "image/webp");
/// assert_eq!(best.map(|t| t.file.url.as_str()), Some("mxc://example.org/small"));
/// assert_eq!(ThumbnailBlock::from_value(&block.to_value()).unwrap(), block);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThumbnailBlock {
    /// The thumbnails, in the order sent.
    pub thumbnails: Vec<Thumbnail>,
}

/// One entry of a [`ThumbnailBlock`]: a nested `m.file`, whose `mimetype` is required here
/// and `name` optional, and a nested `m.image_details`.
///
/// Both nested blocks are read under their stable or unstable (`org.matrix.msc1767.*`) names
/// and written under the stable ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Thumbnail {
    /// The thumbnail's file. Its `mimetype` is always present in a thumbnail that was read.
    pub file: FileBlock,
    /// The thumbnail's dimensions.
    pub image_details: ImageDetailsBlock,
    /// Members of the entry this crate does not know, kept as sent.
    pub extra: Object,
}

impl Thumbnail {
    /// A thumbnail at `url` in `mimetype`, `width` by `height` pixels: every field a thumbnail
    /// requires.
    pub fn new(
        url: impl Into<String>,
        mimetype: impl Into<String>,
        width: u64,
        height: u64,
    ) -> Thumbnail {
        Thumbnail::from_parts(
            FileBlock::new(url).mimetype(mimetype),
            ImageDetailsBlock::new(width, height),
        )
    }

    /// A thumbnail of these nested blocks. `file` needs a mimetype to be read back.
    pub fn from_parts(file: FileBlock, image_details: ImageDetailsBlock) -> Thumbnail {
        Thumbnail {
            file,
            image_details,
            extra: Object::new(),
        }
    }

    /// Sets the file's size in bytes.
    #[must_use]
    pub fn size(mut self, size: u64) -> Thumbnail {
        self.file.size = Some(size);
        self
    }

    /// Sets the file's name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Thumbnail {
        self.file.name = Some(name.into());
        self
    }

    /// Sets the file's decryption information.
    #[must_use]
    pub fn encrypted(mut self, encryption: EncryptedFile) -> Thumbnail {
        self.file.encryption = Some(encryption);
        self
    }

    /// Sets an extra member `key` of the entry.
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> Thumbnail {
        self.extra.insert(key.into(), value);
        self
    }

    /// The file's mimetype.
    pub fn mimetype(&self) -> Option<&str> {
        self.file.mimetype.as_deref()
    }

    /// Reads one entry; paths in errors start at `path` (the entry's index).
    fn read_at(value: ValueRef<'_>, path: &Path) -> Result<Thumbnail, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let file = match fields.take_first(&["m.file", "org.matrix.msc1767.file"]) {
            Some((key, v)) => fields.at(key, |p| {
                let file = FileBlock::read_at(v, p)?;
                if file.mimetype.is_none() {
                    return Err(BlockError::new(
                        p.clone(),
                        BlockErrorKind::MissingField("mimetype"),
                    ));
                }
                Ok(file)
            })?,
            None => return Err(fields.missing("m.file")),
        };
        let image_details =
            match fields.take_first(&["m.image_details", "org.matrix.msc1767.image_details"]) {
                Some((key, v)) => fields.at(key, |p| ImageDetailsBlock::read_at(v, p))?,
                None => return Err(fields.missing("m.image_details")),
            };
        Ok(Thumbnail {
            file,
            image_details,
            extra: fields.rest(),
        })
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("m.file", self.file.to_value())
            .set("m.image_details", self.image_details.to_value())
            .finish()
    }
}

impl ThumbnailBlock {
    /// A block with no thumbnail yet.
    pub fn new() -> ThumbnailBlock {
        ThumbnailBlock::default()
    }

    /// This block with `thumbnail` added at the end.
    #[must_use]
    pub fn with(mut self, thumbnail: Thumbnail) -> ThumbnailBlock {
        self.thumbnails.push(thumbnail);
        self
    }

    /// The smallest thumbnail whose mimetype `accept` takes: by size in bytes (unknown sizes
    /// last), then by pixels, then the first sent.
    pub fn best(&self, accept: impl Fn(&str) -> bool) -> Option<&Thumbnail> {
        self.thumbnails
            .iter()
            .filter(|t| t.mimetype().is_some_and(&accept))
            .min_by_key(|t| (t.file.size.unwrap_or(u64::MAX), t.image_details.pixels()))
    }

    /// Whether there is no thumbnail.
    pub fn is_empty(&self) -> bool {
        self.thumbnails.is_empty()
    }

    /// Reads an `m.thumbnail` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<ThumbnailBlock, BlockError> {
        let items = value
            .as_array()
            .ok_or_else(|| wrong_type(path.clone(), "an array of thumbnails", value))?;
        let thumbnails = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                crate::blocks::fields::at_index(path, i, |p| Thumbnail::read_at(item, p))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ThumbnailBlock { thumbnails })
    }
}

impl From<Vec<Thumbnail>> for ThumbnailBlock {
    fn from(thumbnails: Vec<Thumbnail>) -> ThumbnailBlock {
        ThumbnailBlock { thumbnails }
    }
}

impl Block for ThumbnailBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Thumbnail.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<ThumbnailBlock, BlockError> {
        ThumbnailBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        Value::Array(self.thumbnails.iter().map(Thumbnail::to_value).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    /// The `m.thumbnail` of the MSC3552 example (V07).
    const V07: &str = r#"[{
        "m.file": {"mimetype": "image/jpeg", "size": 123, "url": "mxc://exmaple.org/efgh5678"},
        "m.image_details": {"height": 120, "width": 160}
    }]"#;

    #[test]
    fn reads_the_msc3552_shape() {
        let v = json(V07);
        let b = ThumbnailBlock::from_value(&v).unwrap();
        let t = &b.thumbnails[0];
        assert_eq!(t.mimetype(), Some("image/jpeg"));
        assert_eq!(t.file.size, Some(123));
        assert_eq!(t.file.name, None);
        assert_eq!((t.image_details.width, t.image_details.height), (160, 120));
        assert_eq!(b.to_value(), v);
    }

    #[test]
    fn reads_unstable_nested_names() {
        let v = json(
            r#"[{
                "org.matrix.msc1767.file": {"mimetype": "image/png", "url": "mxc://a/b"},
                "org.matrix.msc1767.image_details": {"height": 1, "width": 2}
            }]"#,
        );
        let b = ThumbnailBlock::read("org.matrix.msc1767.thumbnail", ValueRef::from(&v)).unwrap();
        assert_eq!(b.thumbnails[0].file.url, "mxc://a/b");
        assert!(b.thumbnails[0].extra.is_empty());
        assert!(b.to_value().as_array().unwrap()[0].get("m.file").is_some());
    }

    #[test]
    fn round_trips() {
        let b = ThumbnailBlock::new()
            .with(
                Thumbnail::new("mxc://a/1", "image/webp", 320, 240)
                    .size(4000)
                    .name("thumb.webp")
                    .with_extra("org.example.x", Value::from(1)),
            )
            .with(Thumbnail::new("mxc://a/2", "image/jpeg", 160, 120));
        assert_eq!(ThumbnailBlock::from_value(&b.to_value()).unwrap(), b);
        assert_eq!(
            ThumbnailBlock::from_value(&json("[]")).unwrap(),
            ThumbnailBlock::new()
        );
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(
            r#"[{
                "m.file": {"mimetype": "image/jpeg", "url": "u", "org.example.f": 1},
                "m.image_details": {"height": 1, "width": 1},
                "org.example.blurhash": "LEHV6nWB2yk8"
            }]"#,
        );
        let b = ThumbnailBlock::from_value(&v).unwrap();
        assert_eq!(b.thumbnails[0].extra.len(), 1);
        assert_eq!(b.thumbnails[0].file.extra.len(), 1);
        assert_eq!(b.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = ThumbnailBlock::from_value(&json(
            r#"[{"m.file": {"url": "u"}, "m.image_details": {"height": 1, "width": 1}}]"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"[0]["m.file"]: missing required field `mimetype`"#
        );
        let e = ThumbnailBlock::from_value(&json(
            r#"[{"m.file": {"url": "u", "mimetype": "image/png", "size": "1"},
                 "m.image_details": {"height": 1, "width": 1}}]"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"[0]["m.file"].size: expected a non-negative integer, found string"#
        );
        let e = ThumbnailBlock::from_value(&json(
            r#"[{"m.file": {"url": "u", "mimetype": "image/png"}, "m.image_details": {"height": 1, "width": 1}},
                {"m.file": {"url": "u", "mimetype": "image/png"}}]"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "[1]: missing required field `m.image_details`"
        );
        let e = ThumbnailBlock::from_value(&json(r#"[{"m.image_details": {}}]"#)).unwrap_err();
        assert_eq!(e.to_string(), "[0]: missing required field `m.file`");
        let e = ThumbnailBlock::from_value(&json(r#"{}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$: expected an array of thumbnails, found object"
        );
    }

    #[test]
    fn best_picks_smallest_accepted() {
        let b = ThumbnailBlock::from(vec![
            Thumbnail::new("mxc://a/webm", "video/webm", 10, 10).size(10),
            Thumbnail::new("mxc://a/unsized", "image/jpeg", 10, 10),
            Thumbnail::new("mxc://a/big", "image/jpeg", 100, 100).size(500),
            Thumbnail::new("mxc://a/same-size-more-pixels", "image/png", 200, 200).size(200),
            Thumbnail::new("mxc://a/same-size", "image/png", 20, 20).size(200),
        ]);
        let images = |m: &str| m.starts_with("image/");
        assert_eq!(
            b.best(images).map(|t| t.file.url.as_str()),
            Some("mxc://a/same-size")
        );
        let jpeg = |m: &str| m == "image/jpeg";
        assert_eq!(
            b.best(jpeg).map(|t| t.file.url.as_str()),
            Some("mxc://a/big")
        );
        assert!(b.best(|m| m == "image/gif").is_none());
    }
}
