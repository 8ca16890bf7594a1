//! Reading a legacy event's fields into the extensible blocks they say the same as.

use super::msgtype::{self, Details, Msgtype, STICKER, V1_AUDIO, VOICE_MARKERS};
use crate::{
    AudioDetailsBlock, Block, CaptionBlock, DurationUnit, Event, FileBlock, ImageDetailsBlock,
    KnownBlock, LocationBlock, NEW_CONTENT, NameStatus, Object, ObjectRef, TextBlock, Thumbnail,
    ThumbnailBlock, Value, ValueRef, VideoDetailsBlock,
};

/// The HTML `format` of `formatted_body` (spec, `m.room.message` msgtypes).
pub(crate) const HTML_FORMAT: &str = "org.matrix.custom.html";

/// The mixins legacy and extensible events share: carried over as they are, never content
/// blocks in MSC4460's sense. (`m.automated` is a mixin too, but it is the notice's block.)
pub(crate) const CARRIED_OVER: [KnownBlock; 2] = [KnownBlock::RelatesTo, KnownBlock::Mentions];

/// Whether `name` is a content block in MSC4460's sense, under its stable name: a built-in
/// block other than those [`CARRIED_OVER`].
pub(crate) fn is_stable_content_block(name: &str) -> bool {
    KnownBlock::from_name(name)
        .is_some_and(|(b, status)| status == NameStatus::Stable && !CARRIED_OVER.contains(&b))
}

/// What kind of legacy event an event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind<'a> {
    /// `m.room.message` with this `msgtype`.
    Message(&'a str),
    /// `m.sticker`.
    Sticker,
    /// `m.room.encrypted`.
    Encrypted,
}

impl Kind<'_> {
    /// The event type the legacy event is sent as.
    pub(crate) fn event_type(self) -> &'static str {
        match self {
            Kind::Message(_) => "m.room.message",
            Kind::Sticker => "m.sticker",
            Kind::Encrypted => "m.room.encrypted",
        }
    }

    /// The msgtype's table entry (the sticker's for stickers).
    pub(crate) fn msgtype(self) -> &'static Msgtype {
        match self {
            Kind::Message(name) => msgtype::by_msgtype(name),
            Kind::Sticker => &STICKER,
            Kind::Encrypted => &msgtype::OTHER,
        }
    }
}

/// The kind of legacy event `event` is: an `m.room.message` with a string `msgtype`, an
/// `m.sticker` or an `m.room.encrypted`.
pub(crate) fn kind(event: &Event) -> Option<Kind<'_>> {
    // Read where it lies: every event a renderer shows asks this first, legacy or not.
    kind_of(event.event_type(), event.content().as_object_ref())
}

/// [`kind`] of an event of type `event_type` with `content`.
pub(crate) fn kind_of<'a>(event_type: &str, content: impl Into<ObjectRef<'a>>) -> Option<Kind<'a>> {
    match event_type {
        "m.room.message" => content
            .into()
            .get("msgtype")
            .and_then(ValueRef::as_str)
            .map(Kind::Message),
        "m.sticker" => Some(Kind::Sticker),
        "m.room.encrypted" => Some(Kind::Encrypted),
        _ => None,
    }
}

/// Whether an `m.audio` message carries the voice marker (MSC3245 v1).
pub(crate) fn is_voice(content: &Object) -> bool {
    VOICE_MARKERS.iter().any(|m| content.contains_key(*m))
}

/// What a legacy event's fields say, as an extensible event: its type and blocks (stable
/// names), the mixins carried over as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Derived {
    /// The extensible event type.
    pub(crate) event_type: &'static str,
    /// The blocks, by stable name.
    pub(crate) blocks: Object,
}

fn string<'a>(object: &'a Object, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn uint(object: &Object, key: &str) -> Option<u64> {
    object
        .get(key)
        .and_then(Value::as_i64)
        .and_then(|i| u64::try_from(i).ok())
}

fn object<'a>(object: &'a Object, key: &str) -> Option<&'a Object> {
    object.get(key).and_then(Value::as_object)
}

/// The text of `body`, with `formatted_body` as its HTML representation first when `format`
/// says it is HTML (clients that understand HTML use it, as legacy clients do).
pub(crate) fn text(content: &Object) -> Option<TextBlock> {
    let body = string(content, "body")?;
    let text = TextBlock::plain(body);
    match (string(content, "format"), string(content, "formatted_body")) {
        (Some(HTML_FORMAT), Some(html)) => Some(text.with_html(html)),
        _ => Some(text),
    }
}

/// An `EncryptedFile` object (`file`, `thumbnail_file`) as an encrypted `m.file`: its `url`,
/// `key`, `iv`, `hashes` and `v`; other members are not read.
fn encrypted_file(file: &Object) -> Option<FileBlock> {
    let members: Object = ["url", "key", "iv", "hashes", "v"]
        .iter()
        .filter_map(|k| file.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect();
    FileBlock::from_value(&Value::Object(members))
        .ok()
        .filter(FileBlock::is_encrypted)
}

/// The uploaded file: `file` (encrypted) or `url`, named by `filename` or else `body`, with
/// `info.mimetype` and `info.size`.
fn file(content: &Object, info: Option<&Object>) -> Option<FileBlock> {
    let mut file = match object(content, "file").and_then(encrypted_file) {
        Some(encrypted) => encrypted,
        None => FileBlock::new(string(content, "url")?),
    };
    file.name = string(content, "filename")
        .or_else(|| string(content, "body"))
        .map(str::to_owned);
    file.mimetype = info.and_then(|i| string(i, "mimetype")).map(str::to_owned);
    file.size = info.and_then(|i| uint(i, "size"));
    Some(file)
}

/// The thumbnail `info` describes: `thumbnail_file` (encrypted) or `thumbnail_url`, with
/// `thumbnail_info`'s mimetype, width and height (all three required in `m.thumbnail`).
fn thumbnail(info: &Object) -> Option<ThumbnailBlock> {
    let ti = object(info, "thumbnail_info")?;
    let mut file = match object(info, "thumbnail_file").and_then(encrypted_file) {
        Some(encrypted) => encrypted,
        None => FileBlock::new(string(info, "thumbnail_url")?),
    };
    file.mimetype = Some(string(ti, "mimetype")?.to_owned());
    file.size = uint(ti, "size");
    let details = ImageDetailsBlock::new(uint(ti, "w")?, uint(ti, "h")?);
    Some(ThumbnailBlock::new().with(Thumbnail::from_parts(file, details)))
}

/// The audio details of `info.duration` (milliseconds), with a voice message's waveform
/// from its v1 audio block (0..=1024). Without `info.duration`, the v1 block stays as it is:
/// it is the audio details then, under its own name.
fn audio_details(content: &Object, info: Option<&Object>, voice: bool) -> Option<Value> {
    let millis = info.and_then(|i| uint(i, "duration"))?;
    let v1 = content
        .get(V1_AUDIO)
        .filter(|_| voice)
        .and_then(|v| AudioDetailsBlock::read(V1_AUDIO, v.into()).ok());
    let details = AudioDetailsBlock::new(DurationUnit::Milliseconds.seconds(millis));
    let details = match v1.and_then(|b| b.waveform) {
        Some(waveform) => details.unstable_waveform(waveform),
        None => details,
    };
    Some(details.to_value())
}

/// The video details of `info.w`, `info.h` (required) and `info.duration` (milliseconds).
fn video_details(info: &Object) -> Option<Value> {
    let mut details = VideoDetailsBlock::new(uint(info, "w")?, uint(info, "h")?);
    details.duration = uint(info, "duration").map(|ms| DurationUnit::Milliseconds.seconds(ms));
    Some(details.to_value())
}

/// Reads the fields of a legacy event of `kind` with `content` into blocks.
pub(crate) fn derive(kind: Kind<'_>, content: &Object) -> Derived {
    let mut blocks = Object::new();
    for (name, _) in CARRIED_OVER.iter().flat_map(|b| b.names()) {
        if let Some(v) = content.get(name) {
            blocks.insert(name.to_owned(), v.clone());
        }
    }
    if kind == Kind::Encrypted {
        let payload: Object = content
            .iter()
            .filter(|(k, _)| !blocks.contains_key(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        blocks.insert("m.encrypted".to_owned(), Value::Object(payload));
        return Derived {
            event_type: "m.encrypted",
            blocks,
        };
    }
    let entry = kind.msgtype();
    let voice = matches!(kind, Kind::Message("m.audio")) && is_voice(content);
    let event_type = if voice { "m.voice" } else { entry.event_type };
    let text = text(content);
    if let Some(t) = &text {
        blocks.insert("m.text".to_owned(), t.to_value());
    }
    if matches!(kind, Kind::Message("m.notice")) {
        blocks.insert("m.automated".to_owned(), Value::Bool(true));
    }
    let info = object(content, "info");
    if entry.media {
        if let Some(f) = file(content, info) {
            blocks.insert("m.file".to_owned(), f.to_value());
        }
        // Media captions (spec v1.10): a `filename` other than `body` makes `body` a caption.
        if let (Some(t), Some(name)) = (&text, string(content, "filename"))
            && Some(name) != string(content, "body")
        {
            blocks.insert(
                "m.caption".to_owned(),
                CaptionBlock::new(t.clone()).to_value(),
            );
        }
    }
    match entry.details {
        Details::Image => {
            if let Some(i) = info
                && let (Some(w), Some(h)) = (uint(i, "w"), uint(i, "h"))
            {
                let details = ImageDetailsBlock::new(w, h).sticker(kind == Kind::Sticker);
                blocks.insert("m.image_details".to_owned(), details.to_value());
            }
        }
        Details::Video => {
            if let Some(v) = info.and_then(video_details) {
                blocks.insert("m.video_details".to_owned(), v);
            }
        }
        Details::Audio => {
            if let Some(v) = audio_details(content, info, voice) {
                blocks.insert("m.audio_details".to_owned(), v);
            }
        }
        Details::None => {}
    }
    if entry.thumbnail
        && let Some(t) = info.and_then(thumbnail)
    {
        blocks.insert("m.thumbnail".to_owned(), t.to_value());
    }
    if entry.event_type == "m.location"
        && let Some(uri) = string(content, "geo_uri")
        && let Ok(location) = LocationBlock::from_value(&location_value(uri))
    {
        blocks.insert("m.location".to_owned(), location.to_value());
    }
    Derived { event_type, blocks }
}

fn location_value(uri: &str) -> Value {
    [("uri".to_owned(), Value::from(uri))].into_iter().collect()
}

/// The legacy fields [`derive`] reads (beside the mixins it carries over): what a reading of
/// the event for rendering leaves out, the blocks saying it.
pub(crate) const LEGACY_FIELDS: &[&str] = &[
    "msgtype",
    "body",
    "format",
    "formatted_body",
    "url",
    "file",
    "filename",
    "info",
    "geo_uri",
    msgtype::VOICE_MARKER,
    msgtype::OLD_VOICE_MARKER,
];

/// Whether `content` has an edit's new content to convert with it.
pub(crate) fn new_content(content: &Object) -> Option<&Object> {
    object(content, NEW_CONTENT)
}
