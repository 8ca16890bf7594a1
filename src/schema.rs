//! [`schemars::JsonSchema`] for the typed blocks (feature `schemars`): the JSON Schema (draft
//! 2020-12) of each block's value as its typed reader accepts it under the stable name.
//!
//! The schemas say what the readers say, no more and no less: required members are required,
//! integers carry their ranges (never beyond ±(2^53 - 1), the canonical-JSON data model), array
//! items have their shapes, and objects stay open (no `additionalProperties: false`), because
//! blocks keep members they do not know. Each block's [`JsonSchema::schema_name`] is its stable
//! name (`m.text`), so a block nested in another (`m.text` in `m.caption`) is a reference
//! `#/$defs/m.text` that publishers can point at the block's own schema file.
//!
//! ```
//! use exev::{CaptionBlock, TextBlock};
//! use schemars::{JsonSchema, SchemaGenerator};
//!
//! assert_eq!(TextBlock::schema_name(), "m.text");
//! let schema = SchemaGenerator::default().into_root_schema_for::<CaptionBlock>();
//! assert_eq!(schema.get("required"), Some(&serde_json::json!(["m.text"])));
//! ```

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::{
    AltTextBlock, AssetBlock, AudioDetailsBlock, AutomatedBlock, CaptionBlock, EncryptedBlock,
    EncryptedFile, FileBlock, ImageDetailsBlock, KnownBlock, LocationBlock, MAX_SAFE_INTEGER,
    MIN_SAFE_INTEGER, MentionsBlock, PollAnswer, PollBlock, PollQuestion, PollResultsBlock,
    RelatesToBlock, SelectionsBlock, TextBlock, TextRepresentation, Thumbnail, ThumbnailBlock,
    TopicBlock, TsBlock, Value, VideoDetailsBlock,
};

/// An integer in `min..=max`, both within the data model's range.
fn integer(min: i64, max: i64) -> Schema {
    let min = min.max(MIN_SAFE_INTEGER);
    let max = max.min(MAX_SAFE_INTEGER);
    json_schema!({"type": "integer", "minimum": min, "maximum": max})
}

/// A non-negative integer of the data model.
fn uint() -> Schema {
    integer(0, MAX_SAFE_INTEGER)
}

/// `schema` with a `description`.
fn described(mut schema: Schema, description: &str) -> Schema {
    schema.insert("description".to_owned(), description.into());
    schema
}

/// Implements the name part of [`JsonSchema`] for a block: its stable name.
macro_rules! block_name {
    ($block:expr) => {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed($block.stable_name())
        }

        fn schema_id() -> Cow<'static, str> {
            Cow::Owned(format!("exev::blocks::{}", $block.stable_name()))
        }
    };
}

/// Any value: what blocks keep in their `extra` members.
impl JsonSchema for Value {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Value")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!(true)
    }
}

impl JsonSchema for TextRepresentation {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("TextualRepresentation")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let string = generator.subschema_for::<String>();
        json_schema!({
            "type": "object",
            "title": "TextualRepresentation",
            "properties": {
                "mimetype": described(string.clone(), "The mimetype. Defaults to `text/plain` if omitted."),
                "body": described(string.clone(), "The string content."),
                "lang": described(string.clone(), "The BCP 47 language of the body (MSC3554); English when omitted."),
                "org.matrix.msc3554.lang": described(string, "The unstable name of `lang` (MSC3554)."),
            },
            "required": ["body"],
        })
    }
}

impl JsonSchema for TextBlock {
    block_name!(KnownBlock::Text);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "array",
            "description": "An ordered array of textual representations in different mimetypes (MSC1767; the spec's TextContentBlock). Senders SHOULD specify at least one representation and SHOULD always include a plaintext representation. Receivers SHOULD use the first representation in the array that they understand; they skip invalid ones.",
            "items": generator.subschema_for::<TextRepresentation>(),
        })
    }
}

/// A wrapper block: an object holding a required nested `m.text`.
fn text_wrapper(generator: &mut SchemaGenerator, description: &str) -> Schema {
    json_schema!({
        "type": "object",
        "description": description,
        "properties": {"m.text": generator.subschema_for::<TextBlock>()},
        "required": ["m.text"],
    })
}

impl JsonSchema for CaptionBlock {
    block_name!(KnownBlock::Caption);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        text_wrapper(
            generator,
            "Text to show above or below media, as a nested m.text (MSC3551).",
        )
    }
}

impl JsonSchema for AltTextBlock {
    block_name!(KnownBlock::AltText);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        text_wrapper(
            generator,
            "Accessibility text for an image, as a nested m.text; senders should give only a plain-text body (MSC3552).",
        )
    }
}

impl JsonSchema for TopicBlock {
    block_name!(KnownBlock::Topic);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        text_wrapper(
            generator,
            "A room topic, as a nested m.text (MSC3765, in the spec since v1.15). The spec leaves m.text optional; exev requires it, since a topic without text says nothing.",
        )
    }
}

impl JsonSchema for EncryptedFile {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("EncryptedFile")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let string = generator.subschema_for::<String>();
        json_schema!({
            "type": "object",
            "description": "The members the spec's EncryptedFile adds to m.file when the file is encrypted: key, iv, hashes and v.",
            "properties": {
                "key": {"type": "object", "description": "The JSON Web Key; its presence marks the file as encrypted."},
                "iv": described(string.clone(), "The unpadded base64 initialisation vector."),
                "hashes": {
                    "type": "object",
                    "description": "Hashes of the ciphertext by algorithm; sha256 is required.",
                    "additionalProperties": string.clone(),
                    "required": ["sha256"],
                },
                "v": described(string, "The version, v2."),
            },
            "dependentRequired": {"key": ["iv", "hashes", "v"]},
        })
    }
}

impl JsonSchema for FileBlock {
    block_name!(KnownBlock::File);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let string = generator.subschema_for::<String>();
        json_schema!({
            "type": "object",
            "description": "A file: its mxc:// URL, name, mimetype and size, and its decryption keys when encrypted (MSC3551).",
            "properties": {
                "url": described(string.clone(), "The mxc:// URI of the file."),
                "uri": described(string.clone(), "MSC3551's prose spelling of url, read when url is absent; every example and implementation sends url."),
                "name": described(string.clone(), "The file name with its extension."),
                "mimetype": described(string, "The mimetype."),
                "size": described(uint(), "The size in bytes."),
            },
            "anyOf": [{"required": ["url"]}, {"required": ["uri"]}],
            "allOf": [generator.subschema_for::<EncryptedFile>()],
        })
    }
}

impl JsonSchema for ImageDetailsBlock {
    block_name!(KnownBlock::ImageDetails);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let boolean = generator.subschema_for::<bool>();
        json_schema!({
            "type": "object",
            "description": "An image's width and height in pixels, and whether to show it as a sticker (MSC3552).",
            "properties": {
                "width": described(uint(), "The width in pixels."),
                "height": described(uint(), "The height in pixels."),
                "m.sticker": described(boolean.clone(), "Whether to render the image as a sticker; false when omitted."),
                "org.matrix.msc1767.sticker": described(boolean, "The unstable name of m.sticker."),
            },
            "required": ["width", "height"],
        })
    }
}

impl JsonSchema for Thumbnail {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Thumbnail")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let file = generator.subschema_for::<FileBlock>();
        json_schema!({
            "type": "object",
            "description": "One thumbnail: a nested m.file, whose mimetype is required here, and a nested m.image_details.",
            "properties": {
                "m.file": {"allOf": [file], "required": ["mimetype"]},
                "m.image_details": generator.subschema_for::<ImageDetailsBlock>(),
            },
            "required": ["m.file", "m.image_details"],
        })
    }
}

impl JsonSchema for ThumbnailBlock {
    block_name!(KnownBlock::Thumbnail);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "array",
            "description": "Smaller versions of an image, or poster images of a video; not ordered, smaller ones encouraged first (MSC3552).",
            "items": generator.subschema_for::<Thumbnail>(),
        })
    }
}

impl JsonSchema for VideoDetailsBlock {
    block_name!(KnownBlock::VideoDetails);

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "A video's width and height in pixels and its duration in seconds (MSC3553).",
            "properties": {
                "width": described(uint(), "The width in pixels."),
                "height": described(uint(), "The height in pixels."),
                "duration": described(uint(), "The duration in seconds."),
            },
            "required": ["width", "height"],
        })
    }
}

impl JsonSchema for AudioDetailsBlock {
    block_name!(KnownBlock::AudioDetails);

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let max = i64::try_from(AudioDetailsBlock::WAVEFORM_MAX).unwrap_or(MAX_SAFE_INTEGER);
        let unstable_max =
            i64::try_from(AudioDetailsBlock::UNSTABLE_WAVEFORM_MAX).unwrap_or(MAX_SAFE_INTEGER);
        json_schema!({
            "type": "object",
            "description": "Audio's duration in seconds and its waveform (MSC3927, MSC3246).",
            "properties": {
                "duration": described(uint(), "The duration in seconds."),
                "waveform": {
                    "type": "array",
                    "description": "Amplitudes over time, each 0 to 256; senders should send 30 to 120 of them (MSC3246).",
                    "items": integer(0, max),
                },
                "org.matrix.msc3246.waveform": {
                    "type": "array",
                    "description": "The unstable waveform, each amplitude 0 to 1024 (MSC3246's earlier range).",
                    "items": integer(0, unstable_max),
                },
            },
            "required": ["duration"],
        })
    }
}

impl JsonSchema for AutomatedBlock {
    block_name!(KnownBlock::Automated);

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // MSC3955: "other value types should be treated as `false`", so no value is invalid.
        json_schema!({
            "description": "Mixin: whether the event was sent by automation, to render less prominently (MSC3955). A boolean; any other value counts as false.",
        })
    }
}

impl JsonSchema for LocationBlock {
    block_name!(KnownBlock::Location);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let string = generator.subschema_for::<String>();
        let max_zoom = i64::try_from(LocationBlock::MAX_ZOOM_LEVEL).unwrap_or(MAX_SAFE_INTEGER);
        json_schema!({
            "type": "object",
            "description": "A location: a geo: URI (RFC 5870), a label and an OpenStreetMap zoom level (MSC3488).",
            "properties": {
                "uri": {
                    "type": "string",
                    "description": "The geo: URI (RFC 5870; the scheme is case-insensitive).",
                    "pattern": "^[gG][eE][oO]:",
                },
                "description": described(string, "A free-form label."),
                "zoom_level": described(integer(0, max_zoom), "The zoom level to show, 0 to 20."),
            },
            "required": ["uri"],
        })
    }
}

impl JsonSchema for AssetBlock {
    block_name!(KnownBlock::Asset);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "What a location is of: m.self for the sender, or another namespaced type (MSC3488).",
            "properties": {"type": described(generator.subschema_for::<String>(), "The asset type, e.g. m.self.")},
            "required": ["type"],
        })
    }
}

impl JsonSchema for TsBlock {
    block_name!(KnownBlock::Ts);

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        described(
            integer(MIN_SAFE_INTEGER, MAX_SAFE_INTEGER),
            "A timestamp in milliseconds since the Unix epoch (MSC3488).",
        )
    }
}

impl JsonSchema for PollQuestion {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("PollQuestion")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "The poll's question, as a nested m.text.",
            "properties": {"m.text": generator.subschema_for::<TextBlock>()},
            "required": ["m.text"],
        })
    }
}

impl JsonSchema for PollAnswer {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("PollAnswer")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "One answer: an opaque identifier that votes refer to, and a nested m.text.",
            "properties": {
                "m.id": described(generator.subschema_for::<String>(), "The answer's identifier."),
                "m.text": generator.subschema_for::<TextBlock>(),
            },
            "required": ["m.id", "m.text"],
        })
    }
}

impl JsonSchema for PollBlock {
    block_name!(KnownBlock::Poll);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "A poll: its question, its answers in display order (clients show the first 20), how many a vote may pick, and whether results show while it is open (MSC3381).",
            "properties": {
                "kind": described(generator.subschema_for::<String>(), "m.disclosed or m.undisclosed (the default); clients treat unknown kinds as m.undisclosed."),
                "max_selections": described(integer(1, MAX_SAFE_INTEGER), "The most answers a vote may pick, at least 1; 1 when omitted."),
                "question": generator.subschema_for::<PollQuestion>(),
                "answers": {
                    "type": "array",
                    "description": "The answers, in the order to show them.",
                    "items": generator.subschema_for::<PollAnswer>(),
                },
            },
            "required": ["question", "answers"],
        })
    }
}

impl JsonSchema for SelectionsBlock {
    block_name!(KnownBlock::Selections);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        described(
            generator.subschema_for::<Vec<String>>(),
            "The identifiers of the answers a poll response picks; empty withdraws the vote (MSC3381).",
        )
    }
}

impl JsonSchema for PollResultsBlock {
    block_name!(KnownBlock::PollResults);

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "A closed poll's tally: votes by answer identifier (MSC3381).",
            "additionalProperties": uint(),
        })
    }
}

impl JsonSchema for RelatesToBlock {
    block_name!(KnownBlock::RelatesTo);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let string = generator.subschema_for::<String>();
        json_schema!({
            "type": "object",
            "description": "Mixin: how the event relates to another one, as in the spec's relations (reply, edit, reference, thread).",
            "properties": {
                "rel_type": described(string.clone(), "The relation type, e.g. m.reference or m.replace."),
                "event_id": described(string.clone(), "The event related to; required with rel_type."),
                "m.in_reply_to": {
                    "type": "object",
                    "description": "The event replied to.",
                    "properties": {"event_id": string.clone()},
                    "required": ["event_id"],
                },
                "key": described(string, "The annotation applied, for m.annotation relations (a reaction's emoji)."),
                "is_falling_back": described(generator.subschema_for::<bool>(), "For m.thread relations: whether m.in_reply_to is only a fallback for clients without threads; false when omitted."),
            },
            "dependentRequired": {"rel_type": ["event_id"]},
        })
    }
}

impl JsonSchema for MentionsBlock {
    block_name!(KnownBlock::Mentions);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Mixin: the users, and whether the whole room, the event mentions (spec; MSC4053).",
            "properties": {
                "user_ids": described(generator.subschema_for::<Vec<String>>(), "The users mentioned."),
                "room": described(generator.subschema_for::<bool>(), "Whether the room is mentioned."),
            },
        })
    }
}

impl JsonSchema for EncryptedBlock {
    block_name!(KnownBlock::Encrypted);

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "An encrypted payload: the content of today's m.room.encrypted events (MSC3956, a draft).",
            "properties": {"algorithm": described(generator.subschema_for::<String>(), "The encryption algorithm.")},
            "required": ["algorithm"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_blocks_are_references_by_stable_name() {
        let schema = SchemaGenerator::default().into_root_schema_for::<PollBlock>();
        let value = schema.as_value();
        assert_eq!(value["title"], "m.poll");
        assert_eq!(
            value["$defs"]["PollAnswer"]["properties"]["m.text"]["$ref"],
            "#/$defs/m.text"
        );
        assert_eq!(value["$defs"]["m.text"]["items"]["required"][0], "body");
    }

    #[test]
    fn integers_stay_in_the_data_model() {
        let schema = SchemaGenerator::default().into_root_schema_for::<TsBlock>();
        assert_eq!(schema.get("minimum"), Some(&MIN_SAFE_INTEGER.into()));
        assert_eq!(schema.get("maximum"), Some(&MAX_SAFE_INTEGER.into()));
        let too_wide = integer(i64::MIN, i64::MAX);
        assert_eq!(too_wide.get("maximum"), Some(&MAX_SAFE_INTEGER.into()));
    }
}
