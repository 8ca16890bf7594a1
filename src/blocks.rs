//! Typed content blocks: one type per block of the built-in table (digest §4.1).
//!
//! Each type reads every name its block is sent under (see [`crate::KnownBlock::names`]),
//! keeps members it does not know in an `extra` map, and has builder methods for writing.
//! [`AnyBlock`] holds any of them, for code that walks an event's blocks.

mod alt_text;
mod asset;
mod audio_details;
mod automated;
mod caption;
mod encrypted;
pub(crate) mod fields;
mod file;
mod image_details;
mod location;
mod mentions;
mod poll;
mod poll_results;
mod relates_to;
mod selections;
#[cfg(test)]
pub(crate) mod testing;
mod text;
mod thumbnail;
mod topic;
mod ts;
mod video_details;

pub use alt_text::AltTextBlock;
pub use asset::AssetBlock;
pub use audio_details::{AudioDetailsBlock, DurationUnit};
pub use automated::AutomatedBlock;
pub use caption::CaptionBlock;
pub use encrypted::EncryptedBlock;
pub use file::{EncryptedFile, FileBlock};
pub use image_details::ImageDetailsBlock;
pub use location::LocationBlock;
pub use mentions::MentionsBlock;
pub use poll::{PollAnswer, PollBlock, PollKind, PollQuestion};
pub use poll_results::PollResultsBlock;
pub use relates_to::RelatesToBlock;
pub use selections::SelectionsBlock;
pub use text::{DEFAULT_MIMETYPE, SkippedRepresentation, TextBlock, TextRepresentation};
pub use thumbnail::{Thumbnail, ThumbnailBlock};
pub use topic::TopicBlock;
pub use ts::TsBlock;
pub use video_details::VideoDetailsBlock;

use crate::{BlockError, KnownBlock, NameStatus, Value, ValueRef};

/// A typed content block: the built-in ones, and any an application or registrar defines.
///
/// The trait is open: a block is its names and how to read and write its value. `read` takes
/// the name the block was found under, because some names carry older shapes (the string form
/// of `org.matrix.msc1767.text`, the unstable poll shape, the v1 audio block in milliseconds).
/// `to_value` writes the stable shape, with the block's unknown members.
///
/// `read` takes the value borrowed where it lies ([`ValueRef`]): in a [`Value`], or in the form
/// a decoder left the event in, so that reading a block builds only what the block keeps.
/// [`ValueRef::deserialize`] reads it into any serde type.
///
/// ```
/// use exev::{Block, BlockError, BlockErrorKind, Content, NameStatus, Path, Value, ValueRef};
///
/// /// A registrar's block: a temperature in millidegrees.
/// #[derive(Debug, PartialEq)]
/// struct Temperature(i64);
///
/// impl Block for Temperature {
///     const NAMES: &'static [(&'static str, NameStatus)] =
///         &[("org.example.temperature", NameStatus::Stable)];
///
///     fn read(_name: &str, value: ValueRef<'_>) -> Result<Temperature, BlockError> {
///         let found = value.kind();
///         value.as_i64().map(Temperature).ok_or_else(|| {
///             BlockError::new(Path::root(), BlockErrorKind::WrongType { expected: "an integer", found })
///         })
///     }
///
///     fn to_value(&self) -> Value {
///         Value::Integer(self.0)
///     }
/// }
///
/// let mut content = Content::new();
/// content.set(&Temperature(21_500));
/// assert_eq!(content.get::<Temperature>(), Some(Ok(Temperature(21_500))));
/// ```
pub trait Block: Sized {
    /// Every name the block is read under with its status, in reading order: the stable name
    /// first (the one [`crate::Content::set`] writes), then unstable, then obsolete names.
    const NAMES: &'static [(&'static str, NameStatus)];

    /// Reads the block's value as found under `name`. Paths in errors start at the value.
    ///
    /// # Errors
    ///
    /// A [`BlockError`] with the path and reason when the value does not fit the block's
    /// schema.
    fn read(name: &str, value: ValueRef<'_>) -> Result<Self, BlockError>;

    /// Writes the block's value in its stable shape.
    fn to_value(&self) -> Value;

    /// The name the block is written under: the first of [`Block::NAMES`].
    fn stable_name() -> &'static str {
        Self::NAMES.first().map_or("", |(name, _)| name)
    }

    /// Reads the block's value as found under its stable name.
    ///
    /// # Errors
    ///
    /// As [`Block::read`].
    fn from_value(value: &Value) -> Result<Self, BlockError> {
        Self::read(Self::stable_name(), value.into())
    }
}

/// Any block of the built-in table, typed: one variant per [`KnownBlock`].
///
/// ```
/// use exev::{AnyBlock, KnownBlock, Value};
///
/// let block = AnyBlock::read(KnownBlock::Ts, "org.matrix.msc3488.ts", &Value::from(1_636_829_458))
///     .unwrap();
/// assert_eq!(block.kind(), KnownBlock::Ts);
/// assert!(matches!(block, AnyBlock::Ts(ts) if ts.millis() == 1_636_829_458));
///
/// let named = AnyBlock::read_named("m.automated", &Value::Bool(true));
/// assert_eq!(named.map(|b| b.map(|b| b.to_value())), Some(Ok(Value::Bool(true))));
/// assert!(AnyBlock::read_named("org.example.custom", &Value::Null).is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnyBlock {
    /// `m.text`.
    Text(TextBlock),
    /// `m.file`.
    File(FileBlock),
    /// `m.caption`.
    Caption(CaptionBlock),
    /// `m.image_details`.
    ImageDetails(ImageDetailsBlock),
    /// `m.thumbnail`.
    Thumbnail(ThumbnailBlock),
    /// `m.alt_text`.
    AltText(AltTextBlock),
    /// `m.video_details`.
    VideoDetails(VideoDetailsBlock),
    /// `m.audio_details`.
    AudioDetails(AudioDetailsBlock),
    /// `m.automated`.
    Automated(AutomatedBlock),
    /// `m.location`.
    Location(LocationBlock),
    /// `m.asset`.
    Asset(AssetBlock),
    /// `m.ts`.
    Ts(TsBlock),
    /// `m.topic`.
    Topic(TopicBlock),
    /// `m.poll`.
    Poll(PollBlock),
    /// `m.selections`.
    Selections(SelectionsBlock),
    /// `m.poll.results`.
    PollResults(PollResultsBlock),
    /// `m.relates_to`.
    RelatesTo(RelatesToBlock),
    /// `m.mentions`.
    Mentions(MentionsBlock),
    /// `m.encrypted`.
    Encrypted(EncryptedBlock),
}

/// Calls `$f!` with the list of `(variant, type)` pairs, so the dispatching code below names
/// every block once.
macro_rules! for_each_block {
    ($f:ident) => {
        $f! {
            Text TextBlock,
            File FileBlock,
            Caption CaptionBlock,
            ImageDetails ImageDetailsBlock,
            Thumbnail ThumbnailBlock,
            AltText AltTextBlock,
            VideoDetails VideoDetailsBlock,
            AudioDetails AudioDetailsBlock,
            Automated AutomatedBlock,
            Location LocationBlock,
            Asset AssetBlock,
            Ts TsBlock,
            Topic TopicBlock,
            Poll PollBlock,
            Selections SelectionsBlock,
            PollResults PollResultsBlock,
            RelatesTo RelatesToBlock,
            Mentions MentionsBlock,
            Encrypted EncryptedBlock,
        }
    };
}

#[cfg(feature = "serde")]
pub(crate) use for_each_block;

macro_rules! any_block_impls {
    ($($variant:ident $ty:ident,)*) => {
        impl AnyBlock {
            /// Reads `value`, found under `name`, as the built-in block `block`. Paths in
            /// errors start at the value.
            ///
            /// # Errors
            ///
            /// As the block type's [`Block::read`].
            pub fn read<'v>(
                block: KnownBlock,
                name: &str,
                value: impl Into<ValueRef<'v>>,
            ) -> Result<AnyBlock, BlockError> {
                let value = value.into();
                match block {
                    $(KnownBlock::$variant => $ty::read(name, value).map(AnyBlock::$variant),)*
                }
            }

            /// Which built-in block this is.
            pub fn kind(&self) -> KnownBlock {
                match self {
                    $(AnyBlock::$variant(_) => KnownBlock::$variant,)*
                }
            }

            /// Writes the block's value in its stable shape (see [`Block::to_value`]).
            pub fn to_value(&self) -> Value {
                match self {
                    $(AnyBlock::$variant(b) => b.to_value(),)*
                }
            }
        }

        $(
            impl From<$ty> for AnyBlock {
                fn from(block: $ty) -> AnyBlock {
                    AnyBlock::$variant(block)
                }
            }
        )*
    };
}

for_each_block!(any_block_impls);

impl AnyBlock {
    /// Reads `value` as the built-in block sent under `name`, or `None` when `name` is not
    /// one of the built-in blocks' names ([`KnownBlock::from_name`]).
    ///
    /// # Errors
    ///
    /// The inner result is an error as the block type's [`Block::read`].
    pub fn read_named<'v>(
        name: &str,
        value: impl Into<ValueRef<'v>>,
    ) -> Option<Result<AnyBlock, BlockError>> {
        let (block, _) = KnownBlock::from_name(name)?;
        Some(AnyBlock::read(block, name, value))
    }

    /// The stable name of the block, e.g. `"m.poll"`.
    pub fn stable_name(&self) -> &'static str {
        self.kind().stable_name()
    }

    /// Reads `value` as [`AnyBlock::read`] does, except that the blocks with one value out of
    /// range that a renderer can still show (a waveform sample: [`AudioDetailsBlock::read_clamped`];
    /// a zoom level: [`LocationBlock::read_clamped`]) are clamped into range, and each value
    /// clamped is returned as the error strict reading gives. Other blocks read strictly.
    ///
    /// # Errors
    ///
    /// As [`AnyBlock::read`], except for the values clamped.
    pub fn read_clamped<'v>(
        block: KnownBlock,
        name: &str,
        value: impl Into<ValueRef<'v>>,
    ) -> Result<(AnyBlock, Vec<BlockError>), BlockError> {
        let value = value.into();
        match block {
            KnownBlock::AudioDetails => AudioDetailsBlock::read_clamped(name, value)
                .map(|(b, notes)| (AnyBlock::AudioDetails(b), notes)),
            KnownBlock::Location => {
                LocationBlock::read_clamped(value).map(|(b, notes)| (AnyBlock::Location(b), notes))
            }
            other => AnyBlock::read(other, name, value).map(|b| (b, Vec::new())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;
    use crate::{Content, Event, block_path};

    #[test]
    fn every_known_block_dispatches_to_its_type() {
        let samples = [
            ("m.text", r#"[{"body": "hi"}]"#),
            ("m.file", r#"{"url": "mxc://a/b"}"#),
            ("m.caption", r#"{"m.text": [{"body": "c"}]}"#),
            ("m.image_details", r#"{"width": 1, "height": 2}"#),
            ("m.thumbnail", r#"[]"#),
            ("m.alt_text", r#"{"m.text": [{"body": "a"}]}"#),
            ("m.video_details", r#"{"width": 1, "height": 2}"#),
            ("m.audio_details", r#"{"duration": 3}"#),
            ("m.automated", "true"),
            ("m.location", r#"{"uri": "geo:0,0"}"#),
            ("m.asset", r#"{"type": "m.self"}"#),
            ("m.ts", "5"),
            ("m.topic", r#"{"m.text": [{"body": "t"}]}"#),
            ("m.poll", r#"{"question": {"m.text": []}, "answers": []}"#),
            ("m.selections", r#"["a"]"#),
            ("m.poll.results", r#"{"a": 1}"#),
            (
                "m.relates_to",
                r#"{"rel_type": "m.reference", "event_id": "$e"}"#,
            ),
            ("m.mentions", r#"{"room": true}"#),
            ("m.encrypted", r#"{"algorithm": "m.megolm.v1.aes-sha2"}"#),
        ];
        assert_eq!(samples.len(), KnownBlock::ALL.len());
        for (block, (name, text)) in KnownBlock::ALL.into_iter().zip(samples) {
            assert_eq!(block.stable_name(), name);
            let value = json(text);
            let any = AnyBlock::read(block, name, &value).unwrap();
            assert_eq!(any.kind(), block, "{name}");
            assert_eq!(any.stable_name(), name);
            assert_eq!(any.to_value(), value, "{name}");
            assert_eq!(AnyBlock::read_named(name, &value), Some(Ok(any)));
        }
    }

    #[test]
    fn read_passes_the_name_for_older_shapes() {
        let any = AnyBlock::read_named(
            "org.matrix.msc1767.audio",
            &json(r#"{"duration": 2500, "waveform": [1024]}"#),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            any.to_value(),
            json(r#"{"duration": 3, "org.matrix.msc3246.waveform": [1024]}"#)
        );
        let any = AnyBlock::read_named(
            "org.matrix.msc3381.poll.response",
            &json(r#"{"answers": []}"#),
        )
        .unwrap()
        .unwrap();
        assert_eq!(any, AnyBlock::Selections(SelectionsBlock::default()));
        let e =
            AnyBlock::read(KnownBlock::Location, "m.location", &json(r#"{"uri": 1}"#)).unwrap_err();
        assert_eq!(
            e.within(&block_path("m.location")).to_string(),
            r#"content["m.location"].uri: expected a string, found integer"#
        );
    }

    #[test]
    fn from_impls() {
        assert_eq!(AnyBlock::from(TsBlock(1)).kind(), KnownBlock::Ts);
        assert_eq!(
            AnyBlock::from(PollResultsBlock::new()).kind(),
            KnownBlock::PollResults
        );
    }

    #[test]
    fn content_reads_every_block_of_the_vectors() {
        // V07, V13 and V16 whole, through `Content::get` and the names they were sent under.
        let v07 = json(
            r#"{"content":{"m.alt_text":{"m.text":[{"body":"matrix logo"}]},"m.caption":{"m.text":[{"body":"Look at this cool Matrix logo"}]},"m.file":{"mimetype":"image/png","name":"matrix.png","size":12345,"url":"mxc://example.org/abcd1234"},"m.image_details":{"height":480,"width":640},"m.text":[{"body":"matrix.png (12 KB) https://example.org/_matrix/media/v3/download/example.org/abcd1234"}],"m.thumbnail":[{"m.file":{"mimetype":"image/jpeg","size":123,"url":"mxc://exmaple.org/efgh5678"},"m.image_details":{"height":120,"width":160}}]},"type":"m.image"}"#,
        );
        let event = Event::from_value(v07).unwrap();
        let content = event.content();
        assert_eq!(
            content.get::<AltTextBlock>().unwrap().unwrap().plain_text(),
            Some("matrix logo")
        );
        assert_eq!(
            content.get::<ImageDetailsBlock>().unwrap().unwrap().width,
            640
        );
        assert_eq!(
            content
                .get::<ThumbnailBlock>()
                .unwrap()
                .unwrap()
                .thumbnails
                .len(),
            1
        );
        assert!(content.get::<CaptionBlock>().unwrap().is_ok());
        for entry in content.blocks() {
            let known = entry.known.map(|(block, _)| block).unwrap();
            let typed = AnyBlock::read(known, entry.name, entry.value).unwrap();
            assert_eq!(&typed.to_value(), entry.value, "{}", entry.name);
        }

        let v16 = json(
            r#"{"org.matrix.msc1767.text":"What should we order?","org.matrix.msc3381.poll.start":{"answers":[{"id":"pizza","org.matrix.msc1767.text":"Pizza 🍕"}],"kind":"org.matrix.msc3381.poll.disclosed","max_selections":1,"question":{"org.matrix.msc1767.text":"What should we order?"}}}"#,
        );
        let content = Content::from_object(v16.as_object().cloned().unwrap());
        let poll = content.get::<PollBlock>().unwrap().unwrap();
        assert!(poll.is_disclosed());
        assert_eq!(poll.answers[0].id, "pizza");

        let mut bad = Content::new();
        bad.insert_raw(
            "m.poll",
            json(r#"{"question": {"m.text": []}, "answers": [{"m.id": 3}]}"#),
        );
        let e = bad.get::<PollBlock>().unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"content["m.poll"].answers[0]["m.id"]: expected a string, found integer"#
        );
    }
}
