//! Legacy and hybrid events: the `m.room.message` traffic of today's room versions (every
//! msgtype), `m.sticker` and `m.room.encrypted`, read into their extensible form and written
//! back, losslessly; and the hybrid form of MSC4460, legacy fields plus exactly the blocks
//! that overlap them.
//!
//! MSC1767 needs a room version that has never shipped, so almost every message a client
//! receives is legacy. Reading one ([`view`], [`to_extensible`]) maps its fields onto blocks:
//!
//! | legacy field | extensible |
//! | --- | --- |
//! | `msgtype` | the event type: `m.text` → `m.message`, `m.notice` → `m.message` with `m.automated`, `m.emote`, `m.image`, `m.file`, `m.audio` (`m.voice` with the MSC3245 v1 marker), `m.video`, `m.location`; others → `m.message` by their `body` |
//! | `body`, `format`, `formatted_body` | `m.text` (HTML first, then plain) |
//! | `url` or `file` (encrypted), `filename`, `info.mimetype`, `info.size` | `m.file`, with its encryption fields |
//! | `filename` other than `body` | `body` is a caption: `m.caption` (spec v1.10, media captions) |
//! | `info.w`, `info.h`, `info.duration` (ms) | `m.image_details`, `m.video_details` (s), `m.audio_details` (s) |
//! | `info.thumbnail_url` or `thumbnail_file`, `info.thumbnail_info` | `m.thumbnail` |
//! | `geo_uri` | `m.location` |
//! | `org.matrix.msc1767.audio` (voice, ms, 0..=1024) | the waveform in `m.audio_details` |
//! | `m.relates_to`, `m.mentions` | carried over |
//! | `m.new_content` (an edit) | converted the same way |
//! | `m.sticker` (event type) | `m.image` with `m.sticker` in `m.image_details` |
//! | `m.room.encrypted` content | `m.encrypted` (the relation stays in the clear) |
//!
//! **Lossless.** A legacy field the blocks do not say exactly (an `info.duration` of
//! 2140786 ms, which the blocks hold as 2141 s; a `filename` equal to `body`; `info.is_animated`;
//! a custom msgtype's own fields) is kept where it was, in the extensible event's content, and
//! [`to_legacy`] puts it back, unless the blocks have since changed what it says. So
//! `to_legacy(to_extensible(e)) == e` for every legacy event `e`: [`to_extensible`] checks it,
//! and refuses ([`ShapeError::NotReversible`]) rather than lose anything.
//!
//! Writing the other way ([`to_legacy`]) gives what legacy clients read; blocks legacy events
//! have no field for are dropped (an extensible event says more than a legacy one can).
//! [`to_hybrid`] gives the legacy fields plus the overlapping blocks, consistent by
//! construction; [`check_hybrid`] finds hybrids whose blocks disagree with their fields, which
//! MSC4460 says clients must not render from their blocks.
//!
//! ```
//! use exev::{Event, legacy};
//!
//! let event: Event = exev_codec::json::from_str(
//!     r#"{"type": "m.room.message", "content": {"msgtype": "m.notice", "body": "Build passed",
//!         "format": "org.matrix.custom.html", "formatted_body": "Build <b>passed</b>"}}"#,
//! )?;
//! let extensible = legacy::to_extensible(&event)?;
//! assert_eq!(extensible.event_type(), "m.message");
//! assert!(extensible.content().is_automated());
//! let text = extensible.content().text().unwrap()?;
//! assert_eq!(text.html(), Some("Build <b>passed</b>"));
//! assert_eq!(legacy::to_legacy(&extensible)?, event);
//!
//! let hybrid = legacy::to_hybrid(&event)?;
//! assert_eq!(legacy::check_hybrid(&hybrid), legacy::HybridCheck::Consistent);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod hybrid;
mod msgtype;
mod read;
mod remainder;
mod write;

use std::borrow::Cow;
use std::fmt;

pub use hybrid::{HybridCheck, HybridMismatch, check_hybrid};

use crate::{Content, Event, NEW_CONTENT, Object, Value};
use read::{Kind, derive};

/// The shape to write an event in (`exev convert --shape`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Shape {
    /// As it is.
    #[default]
    Keep,
    /// Extensible ([`to_extensible`]): legacy events read into their blocks.
    Extensible,
    /// Legacy ([`to_legacy`]): what today's room versions carry.
    Legacy,
    /// Hybrid ([`to_hybrid`], MSC4460): legacy fields and the blocks that overlap them.
    Hybrid,
}

impl Shape {
    /// `event` in this shape.
    ///
    /// # Errors
    ///
    /// As [`to_extensible`], [`to_legacy`] or [`to_hybrid`].
    pub fn apply(self, event: &Event) -> Result<Event, ShapeError> {
        match self {
            Shape::Keep => Ok(event.clone()),
            Shape::Extensible => to_extensible(event),
            Shape::Legacy => to_legacy(event),
            Shape::Hybrid => to_hybrid(event),
        }
    }
}

/// Why an event could not be put in a shape.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShapeError {
    /// The event is a hybrid whose blocks disagree with its legacy fields: which one to keep
    /// is not for a conversion to guess.
    Mismatched(Vec<HybridMismatch>),
    /// Converting would lose something: converting back would not give the event as sent.
    NotReversible {
        /// What would differ.
        reason: String,
    },
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::Mismatched(problems) => {
                f.write_str("a hybrid event whose blocks disagree with its legacy fields: ")?;
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
            ShapeError::NotReversible { reason } => {
                write!(f, "no lossless extensible form: {reason}")
            }
        }
    }
}

impl std::error::Error for ShapeError {}

/// Where the extensible reading of a legacy event comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LegacyReading {
    /// Its legacy fields: it carries no content block.
    LegacyFields,
    /// Its blocks: a hybrid whose blocks say what its fields say (MSC4460).
    HybridBlocks,
    /// Its legacy fields alone: a hybrid whose blocks disagree with them, which MSC4460 says
    /// clients must not render from; what disagrees.
    LegacyFieldsOnly(Vec<HybridMismatch>),
}

/// A legacy event read as an extensible one, for rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LegacyView {
    /// The extensible event: its type and blocks, with the legacy fields the blocks do not
    /// say kept in its content.
    pub event: Event,
    /// Where it comes from.
    pub reading: LegacyReading,
}

/// Whether `event` is a legacy event this module reads: an `m.room.message` with a `msgtype`,
/// an `m.sticker`, or an `m.room.encrypted`.
pub fn is_legacy(event: &Event) -> bool {
    read::kind(event).is_some()
}

/// `content` without the blocks `present` names: the legacy part of a hybrid (all of it,
/// borrowed, when it carries none).
fn without<'c>(content: &'c Object, present: &[&str]) -> Cow<'c, Object> {
    if present.is_empty() {
        return Cow::Borrowed(content);
    }
    Cow::Owned(
        content
            .iter()
            .filter(|(k, _)| !present.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// The extensible content of a legacy event of `kind`: the blocks its fields say (its own
/// blocks too, with `use_present`, for a consistent hybrid), its edit's new content converted
/// alike, and the fields the blocks do not say, kept.
fn extensible(kind: Kind<'_>, content: &Object, use_present: bool) -> (&'static str, Object) {
    let present = hybrid::present_blocks(content);
    let legacy = without(content, &present);
    let derived = derive(kind, &legacy);
    let mut blocks = derived.blocks;
    if use_present {
        for name in &present {
            if let Some(v) = content.get(*name) {
                blocks.insert((*name).to_owned(), v.clone());
            }
        }
    }
    // An edit's new content converts with it when it reads as the same type (an extensible
    // edit cannot change its original's type); otherwise it is kept as sent (a legacy edit may
    // change the msgtype).
    if kind != Kind::Encrypted
        && let Some(inner) = read::new_content(&legacy)
        && let Some(inner_kind) = read::kind_of(kind.event_type(), inner)
    {
        let (inner_type, inner_ext) = extensible(inner_kind, inner, true);
        if inner_type == derived.event_type {
            blocks.insert(NEW_CONTENT.to_owned(), Value::Object(inner_ext));
        }
    }
    let blocks = Content::from_object(blocks);
    // Every type `derive` gives has a legacy form; were there none, nothing would be written
    // and every field would be kept.
    let written = legacy_content(derived.event_type, &blocks)
        .map(|(_, c)| c)
        .unwrap_or_default();
    let mut blocks = blocks.into_object();
    remainder::merge(&mut blocks, &remainder::diff(&legacy, &written));
    (derived.event_type, blocks)
}

/// The legacy type and content of an extensible event of `event_type` with `content`: the
/// fields its blocks say, with the legacy fields it kept put back where they still say the
/// same; `None` for types with no legacy form.
fn legacy_content(event_type: &str, content: &Content) -> Option<(&'static str, Object)> {
    let written = write::write(event_type, content)?;
    let mut base = written.content;
    let mut kept = Object::new();
    for (name, value) in content.as_object() {
        if name == NEW_CONTENT {
            let converted = match value.as_object() {
                Some(inner) if has_block(inner) => {
                    legacy_content(event_type, &Content::from_object(inner.clone()))
                        .map_or_else(|| value.clone(), |(_, c)| Value::Object(c))
                }
                _ => value.clone(),
            };
            base.insert(NEW_CONTENT.to_owned(), converted);
        } else if !written.consumed.contains(name) && !read::is_stable_content_block(name) {
            // Blocks a legacy form has no field for are dropped, so that the result is not
            // taken for a hybrid; everything else is kept.
            kept.insert(name.clone(), value.clone());
        }
    }
    if kept.is_empty() {
        return Some((written.event_type, base));
    }
    let says =
        |content: &Object| read::kind_of(written.event_type, content).map(|k| derive(k, content));
    let plain = says(&base);
    let mut merged = base.clone();
    remainder::merge(&mut merged, &kept);
    if says(&merged) != plain {
        // Some kept field no longer says what the blocks say (the blocks were changed since):
        // put back, one by one, only those that still agree.
        merged = base;
        for leaf in remainder::leaves(&kept) {
            let mut candidate = merged.clone();
            remainder::merge(&mut candidate, &leaf);
            if says(&candidate) == plain {
                merged = candidate;
            }
        }
    }
    Some((written.event_type, merged))
}

/// Whether an edit's new content is in the extensible form, so that it is written back too:
/// it carries stable content blocks (a legacy one kept as sent carries none, unless it is
/// itself a hybrid).
fn has_block(content: &Object) -> bool {
    content.keys().any(|k| read::is_stable_content_block(k))
}

/// `event` with its type and content replaced, its other members kept.
fn reshaped(event: &Event, event_type: &str, content: Object) -> Event {
    let mut out = Event::new(event_type, Content::from_object(content));
    for (name, value) in event.other() {
        out.set_field(name.clone(), value.clone());
    }
    out
}

/// A legacy event read as an extensible one, as a client renders it (MSC4460): from its
/// blocks when it is a consistent hybrid, from its legacy fields otherwise; `None` when
/// `event` is not a legacy event. Every msgtype reads, unknown ones as a message by their
/// `body`; unlike [`to_extensible`] this never refuses.
///
/// ```
/// use exev::Event;
/// use exev::legacy::{self, LegacyReading};
///
/// let event: Event = exev_codec::json::from_str(
///     r#"{"type": "m.room.message", "content": {"msgtype": "m.text", "body": "hello legacy"}}"#,
/// )?;
/// let view = legacy::view(&event).unwrap();
/// assert_eq!(view.reading, LegacyReading::LegacyFields);
/// assert_eq!(view.event.event_type(), "m.message");
/// assert_eq!(view.event.content().text().unwrap()?.plain_text(), Some("hello legacy"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn view(event: &Event) -> Option<LegacyView> {
    let kind = read::kind(event)?;
    let content = event.content().as_object();
    let (reading, use_present) = match check_hybrid(event) {
        HybridCheck::Consistent => (LegacyReading::HybridBlocks, true),
        HybridCheck::Mismatched(problems) => (LegacyReading::LegacyFieldsOnly(problems), false),
        HybridCheck::NotHybrid => (LegacyReading::LegacyFields, false),
    };
    // For rendering, the blocks say what the legacy fields said: those fields are left out,
    // and everything else (custom fields, unstable blocks) kept, as extensible() would but
    // without checking exactly which fields the blocks say.
    let present = hybrid::present_blocks(content);
    let derived = derive(kind, &without(content, &present));
    let mut blocks = derived.blocks;
    if kind != Kind::Encrypted {
        for (name, value) in content {
            let legacy_field = read::LEGACY_FIELDS.contains(&name.as_str());
            let hybrid_block = present.contains(&name.as_str());
            if hybrid_block && use_present {
                blocks.insert(name.clone(), value.clone());
            } else if !legacy_field && !hybrid_block {
                blocks.entry(name.clone()).or_insert_with(|| value.clone());
            }
        }
    }
    Some(LegacyView {
        event: reshaped(event, derived.event_type, blocks),
        reading,
    })
}

/// `event` in its extensible form: a legacy event (or a consistent hybrid) read into its
/// blocks, with the fields the blocks do not say exactly kept; any other event as it is.
///
/// # Errors
///
/// [`ShapeError::Mismatched`] for a hybrid whose blocks disagree with its fields, and
/// [`ShapeError::NotReversible`] when [`to_legacy`] would not give the event back (its legacy
/// part, for a hybrid), so that nothing is ever lost.
pub fn to_extensible(event: &Event) -> Result<Event, ShapeError> {
    let Some(kind) = read::kind(event) else {
        return Ok(event.clone());
    };
    if let HybridCheck::Mismatched(problems) = check_hybrid(event) {
        return Err(ShapeError::Mismatched(problems));
    }
    let content = event.content().as_object();
    let (event_type, ext) = extensible(kind, content, true);
    let extensible = reshaped(event, event_type, ext);
    let present = hybrid::present_blocks(content);
    let legacy_part: Object = content
        .iter()
        .filter(|(k, _)| !present.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let expected = reshaped(event, event.event_type(), legacy_part);
    let back = to_legacy(&extensible)?;
    if back == expected {
        Ok(extensible)
    } else {
        Err(ShapeError::NotReversible {
            reason: first_difference(&expected, &back),
        })
    }
}

/// Where `back` first differs from `expected`, in words.
fn first_difference(expected: &Event, back: &Event) -> String {
    if expected.event_type() != back.event_type() {
        return format!(
            "it would come back as {} instead of {}",
            back.event_type(),
            expected.event_type()
        );
    }
    let (a, b) = (expected.content().as_object(), back.content().as_object());
    let key = a
        .iter()
        .find(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, _)| k)
        .or_else(|| b.keys().find(|k| !a.contains_key(*k)));
    match key {
        Some(k) => format!("content[{k:?}] would not come back as sent"),
        None => "the event would not come back as sent".to_owned(),
    }
}

/// `event` in its legacy form: an extensible event of a type legacy rooms carry (`m.message`,
/// `m.emote`, `m.file`, `m.image`, `m.video`, `m.audio`, `m.voice`, `m.location`,
/// `m.encrypted`, under any of their names) written as the fields that say the same, with
/// the legacy fields it kept put back; a consistent hybrid without its blocks; any other
/// event (polls, topics, custom types, legacy events) as it is.
///
/// `m.voice` is written as MSC3245 v1 voice messages are sent today: `msgtype` `m.audio`
/// with the `org.matrix.msc3245.voice` marker and the `org.matrix.msc1767.audio` block
/// (milliseconds, waveform on 0..=1024). An image whose details say `m.sticker` becomes an
/// `m.sticker` event.
///
/// # Errors
///
/// [`ShapeError::Mismatched`] for a hybrid whose blocks disagree with its fields.
pub fn to_legacy(event: &Event) -> Result<Event, ShapeError> {
    if read::kind(event).is_some() {
        return match check_hybrid(event) {
            HybridCheck::Mismatched(problems) => Err(ShapeError::Mismatched(problems)),
            HybridCheck::Consistent => {
                let content = event.content().as_object();
                let present = hybrid::present_blocks(content);
                let legacy: Object = content
                    .iter()
                    .filter(|(k, _)| !present.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Ok(reshaped(event, event.event_type(), legacy))
            }
            HybridCheck::NotHybrid => Ok(event.clone()),
        };
    }
    Ok(match legacy_content(event.event_type(), event.content()) {
        Some((event_type, content)) => reshaped(event, event_type, content),
        None => event.clone(),
    })
}

/// `event` in MSC4460's hybrid form: its legacy form ([`to_legacy`]) plus the blocks its
/// msgtype allows, made from those fields so that both say the same; events with no legacy
/// form as they are.
///
/// # Errors
///
/// As [`to_legacy`].
pub fn to_hybrid(event: &Event) -> Result<Event, ShapeError> {
    let legacy = to_legacy(event)?;
    let Some(kind) = read::kind(&legacy) else {
        return Ok(legacy);
    };
    let content = legacy.content().as_object();
    let derived = derive(kind, content);
    let mut hybrid = content.clone();
    for name in kind.msgtype().hybrid_blocks {
        if let Some(v) = derived.blocks.get(*name) {
            hybrid.insert((*name).to_owned(), v.clone());
        }
    }
    Ok(reshaped(&legacy, legacy.event_type(), hybrid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;
    use crate::{AudioDetailsBlock, CaptionBlock, FileBlock, TextBlock};

    fn event(text: &str) -> Event {
        Event::from_value(json(text)).unwrap()
    }

    fn round_trip(legacy: &Event) -> Event {
        let ext = to_extensible(legacy).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&to_legacy(&ext).unwrap(), legacy);
        ext
    }

    #[test]
    fn voice_messages_as_deployed_read_as_m_voice() {
        // MSC3245 v1 (V32) with its waveform placeholder filled in.
        let v32 = event(
            r#"{"type": "m.room.message", "content": {
                "body": "Voice message", "msgtype": "m.audio", "url": "mxc://example.org/abcdef",
                "info": {"duration": 6541, "mimetype": "audio/ogg", "size": 7992},
                "org.matrix.msc1767.text": "Voice message",
                "org.matrix.msc1767.file": {"size": 7992, "name": "Voice message.ogg",
                    "url": "mxc://example.org/abcdef", "mimetype": "audio/ogg"},
                "org.matrix.msc1767.audio": {"duration": 6541, "waveform": [0, 256, 1024]},
                "org.matrix.msc3245.voice": {}}}"#,
        );
        let ext = round_trip(&v32);
        assert_eq!(ext.event_type(), "m.voice");
        let audio: AudioDetailsBlock = ext.content().get().unwrap().unwrap();
        assert_eq!(audio.duration_secs(), 7);
        assert_eq!(audio.waveform.as_deref(), Some(&[0, 256, 1024][..]));
        assert_eq!(audio.waveform_max, 1024);
        // Audio without the marker stays audio, whatever its blocks.
        let mut plain = v32.clone();
        plain.content_mut().remove("org.matrix.msc3245.voice");
        assert_eq!(round_trip(&plain).event_type(), "m.audio");
    }

    #[test]
    fn a_filename_other_than_the_body_makes_the_body_a_caption() {
        let e = event(
            r#"{"type": "m.room.message", "content": {"msgtype": "m.image",
                "body": "Look at this", "format": "org.matrix.custom.html",
                "formatted_body": "Look at <b>this</b>", "filename": "cat.png",
                "url": "mxc://a/b", "info": {"w": 10, "h": 20, "mimetype": "image/png"}}}"#,
        );
        let ext = round_trip(&e);
        let caption: CaptionBlock = ext.content().get().unwrap().unwrap();
        assert_eq!(caption.text.plain_text(), Some("Look at this"));
        assert_eq!(caption.text.html(), Some("Look at <b>this</b>"));
        let file: FileBlock = ext.content().get().unwrap().unwrap();
        assert_eq!(file.name.as_deref(), Some("cat.png"));
        // No filename: the body is the file's name, and no caption.
        let e = event(
            r#"{"type": "m.room.message", "content": {"msgtype": "m.file", "body": "a.pdf",
                "url": "mxc://a/b"}}"#,
        );
        let ext = round_trip(&e);
        assert!(ext.content().get::<CaptionBlock>().is_none());
        assert_eq!(
            ext.content()
                .get::<FileBlock>()
                .unwrap()
                .unwrap()
                .name
                .as_deref(),
            Some("a.pdf")
        );
        assert_eq!(
            ext.content().len(),
            2,
            "nothing kept: the blocks say it all"
        );
    }

    #[test]
    fn encrypted_files_thumbnails_and_events() {
        let key = r#"{"kty": "oct", "key_ops": ["encrypt", "decrypt"], "alg": "A256CTR", "k": "qcHVMSgYg-71CauWBezXI5qkaRb0LuIy-Wx5kIaHMIA", "ext": true}"#;
        let file = format!(
            r#"{{"url": "mxc://a/f", "key": {key}, "iv": "X85+XgHN+HEAAAAAAAAAAA", "hashes": {{"sha256": "5qG4fFnbbVdlAB1Q72JDKwCagV6Dbkx9uds4rSak37c"}}, "v": "v2"}}"#
        );
        let e = event(&format!(
            r#"{{"type": "m.room.message", "content": {{"msgtype": "m.image", "body": "secret.png",
                "file": {file}, "info": {{"w": 1, "h": 1, "mimetype": "image/png",
                "thumbnail_file": {file}, "thumbnail_info": {{"w": 1, "h": 1, "mimetype": "image/jpeg"}}}}}}}}"#
        ));
        let ext = round_trip(&e);
        let f: FileBlock = ext.content().get().unwrap().unwrap();
        assert!(f.is_encrypted());
        let t: crate::ThumbnailBlock = ext.content().get().unwrap().unwrap();
        assert!(t.thumbnails[0].file.is_encrypted());
        // m.room.encrypted and m.encrypted: the payload in a block, the relation in the clear.
        let e = event(
            r#"{"type": "m.room.encrypted", "content": {"algorithm": "m.megolm.v1.aes-sha2",
                "ciphertext": "AwgA", "session_id": "s",
                "m.relates_to": {"rel_type": "m.replace", "event_id": "$o"}}}"#,
        );
        let ext = round_trip(&e);
        assert_eq!(ext.event_type(), "m.encrypted");
        assert!(ext.content().get_raw("m.relates_to").is_some());
        let payload: crate::EncryptedBlock = ext.content().get().unwrap().unwrap();
        assert_eq!(payload.session_id(), Some("s"));
    }

    #[test]
    fn edits_convert_with_their_new_content() {
        let e = event(
            r#"{"type": "m.room.message", "sender": "@a:b", "content": {
                "body": "* Hello! My name is bar", "msgtype": "m.text",
                "m.new_content": {"body": "Hello! My name is bar", "msgtype": "m.text"},
                "m.relates_to": {"rel_type": "m.replace", "event_id": "$some_event_id"}}}"#,
        );
        let ext = round_trip(&e);
        let replacement = ext.replacement().unwrap().unwrap();
        let new = replacement.new_content.text().unwrap().unwrap();
        assert_eq!(new.plain_text(), Some("Hello! My name is bar"));
        assert_eq!(
            ext.content().text().unwrap().unwrap().plain_text(),
            Some("* Hello! My name is bar")
        );
    }

    #[test]
    fn unknown_msgtypes_read_by_their_body_and_keep_their_fields() {
        let e = event(
            r#"{"type": "m.room.message", "content": {"msgtype": "org.example.dice",
                "body": "rolled a 4", "org.example.roll": 4}}"#,
        );
        let ext = round_trip(&e);
        assert_eq!(ext.event_type(), "m.message");
        assert_eq!(
            ext.content().get_raw("msgtype"),
            Some(&Value::from("org.example.dice"))
        );
    }

    #[test]
    fn kept_fields_yield_to_blocks_changed_since() {
        let e = event(
            r#"{"type": "m.room.message", "content": {"msgtype": "m.audio", "body": "a.mp3",
                "url": "mxc://a/b", "info": {"duration": 2140786}}}"#,
        );
        let mut ext = round_trip(&e);
        assert_eq!(
            ext.content().get_raw("info"),
            Some(&json(r#"{"duration": 2140786}"#)),
            "milliseconds the seconds cannot say are kept"
        );
        ext.content_mut().set(&AudioDetailsBlock::new(10));
        ext.content_mut().set(&TextBlock::plain("b.mp3"));
        let back = to_legacy(&ext).unwrap();
        let info = back.content().get_raw("info").unwrap();
        assert_eq!(info.get("duration"), Some(&Value::from(10_000)));
    }

    #[test]
    fn what_cannot_come_back_is_refused_not_lost() {
        // A sticker without dimensions has no place for its sticker flag.
        let e = event(
            r#"{"type": "m.sticker", "content": {"body": "Landing", "url": "mxc://a/b", "info": {}}}"#,
        );
        let err = to_extensible(&e).unwrap_err();
        assert!(matches!(err, ShapeError::NotReversible { .. }), "{err}");
        assert!(view(&e).is_some(), "it still reads for rendering");
        // Events that are not legacy are left alone, both ways.
        let poll = event(r#"{"type": "m.poll.start", "content": {}}"#);
        assert_eq!(to_extensible(&poll).unwrap(), poll);
        assert_eq!(to_legacy(&poll).unwrap(), poll);
        assert_eq!(to_hybrid(&poll).unwrap(), poll);
    }

    #[test]
    fn contradicting_hybrids_are_refused() {
        let e = event(
            r#"{"type": "m.room.message", "content": {"msgtype": "m.text",
                "body": "Transfer approved", "m.text": [{"body": "Transfer DENIED"}]}}"#,
        );
        let HybridCheck::Mismatched(problems) = check_hybrid(&e) else {
            panic!("not a mismatch")
        };
        let message = problems[0].to_string();
        assert!(message.contains("Transfer approved") && message.contains("Transfer DENIED"));
        assert!(matches!(to_extensible(&e), Err(ShapeError::Mismatched(_))));
        let v = view(&e).unwrap();
        assert!(matches!(v.reading, LegacyReading::LegacyFieldsOnly(_)));
        assert_eq!(
            v.event.content().text().unwrap().unwrap().plain_text(),
            Some("Transfer approved"),
            "MSC4460: the legacy fields win"
        );
        // Blocks a msgtype does not allow, and blocks missing.
        let e = event(
            r#"{"type": "m.room.message", "content": {"msgtype": "m.image", "body": "a.png",
                "url": "mxc://a/b", "info": {"w": 1, "h": 1}, "m.text": [{"body": "a.png"}],
                "m.poll": {}}}"#,
        );
        let HybridCheck::Mismatched(problems) = check_hybrid(&e) else {
            panic!("not a mismatch")
        };
        let blocks: Vec<&str> = problems.iter().map(|p| p.block.as_str()).collect();
        assert_eq!(blocks, ["m.poll", "m.file", "m.image_details"]);
    }
}
