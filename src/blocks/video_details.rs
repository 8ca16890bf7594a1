//! `m.video_details`: a video's size in pixels and its duration (MSC3553).

use crate::blocks::fields::{Fields, ObjectWriter, uint_value};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// `m.video_details`: the width and height of a video in pixels (both required) and its
/// duration in seconds (optional). Marks an event as renderable as a video.
///
/// ```
/// use exev::{Block, VideoDetailsBlock};
///
/// let details = VideoDetailsBlock::new(640, 480).duration(90);
/// let v = details.to_value();
/// assert_eq!(v.get("duration").and_then(|d| d.as_i64()), Some(90));
/// assert_eq!(VideoDetailsBlock::from_value(&v).unwrap(), details);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VideoDetailsBlock {
    /// The width in pixels.
    pub width: u64,
    /// The height in pixels.
    pub height: u64,
    /// The length of the video in seconds.
    pub duration: Option<u64>,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl VideoDetailsBlock {
    /// Details of a `width` by `height` video of unknown duration.
    pub fn new(width: u64, height: u64) -> VideoDetailsBlock {
        VideoDetailsBlock {
            width,
            height,
            ..VideoDetailsBlock::default()
        }
    }

    /// Sets the duration in seconds.
    #[must_use]
    pub fn duration(mut self, seconds: u64) -> VideoDetailsBlock {
        self.duration = Some(seconds);
        self
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> VideoDetailsBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// Reads an `m.video_details` value; paths in errors start at `path`.
    pub(crate) fn read_at(
        value: ValueRef<'_>,
        path: &Path,
    ) -> Result<VideoDetailsBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let width = fields.required_uint("width")?;
        let height = fields.required_uint("height")?;
        let duration = fields.uint("duration")?;
        Ok(VideoDetailsBlock {
            width,
            height,
            duration,
            extra: fields.rest(),
        })
    }
}

impl Block for VideoDetailsBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::VideoDetails.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<VideoDetailsBlock, BlockError> {
        VideoDetailsBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("width", uint_value(self.width))
            .set("height", uint_value(self.height))
            .set_opt("duration", self.duration.map(uint_value))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3553_shape() {
        let v = json(r#"{"duration": 90, "height": 480, "width": 640}"#);
        let d = VideoDetailsBlock::from_value(&v).unwrap();
        assert_eq!((d.width, d.height, d.duration), (640, 480, Some(90)));
        assert_eq!(d.to_value(), v);
        let d = VideoDetailsBlock::read("org.matrix.msc1767.video_details", ValueRef::from(&v))
            .unwrap();
        assert_eq!(d.duration, Some(90));
    }

    #[test]
    fn round_trips() {
        for d in [
            VideoDetailsBlock::new(1920, 1080),
            VideoDetailsBlock::new(1, 2)
                .duration(0)
                .with_extra("org.example.fps", Value::from(30)),
        ] {
            assert_eq!(VideoDetailsBlock::from_value(&d.to_value()).unwrap(), d);
        }
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"height": 2, "width": 3, "org.example.codec": "av1"}"#);
        let d = VideoDetailsBlock::from_value(&v).unwrap();
        assert_eq!(d.extra.get("org.example.codec"), Some(&Value::from("av1")));
        assert_eq!(d.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = VideoDetailsBlock::from_value(&json(r#"{"height": 480}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `width`");
        let e =
            VideoDetailsBlock::from_value(&json(r#"{"height": 1, "width": 1, "duration": 1.5}"#))
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "duration: 1.5 is outside the allowed range integers in [0, 2^53-1]"
        );
    }
}
