//! Writing an extensible event's blocks as the legacy fields that say the same.

use super::msgtype::{self, Details, STICKER, V1_AUDIO, VOICE_MARKER};
use super::read::HTML_FORMAT;
use crate::blocks::fields::uint_value;
use crate::{
    AudioDetailsBlock, Block, CaptionBlock, Content, FileBlock, ImageDetailsBlock, KnownBlock,
    LocationBlock, Object, TextBlock, ThumbnailBlock, Value, VideoDetailsBlock, stable_event_type,
};

/// An extensible event written as a legacy one: the legacy event type, its content, and the
/// names of the event's blocks the fields now carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Written {
    /// `m.room.message`, `m.sticker` or `m.room.encrypted`.
    pub(crate) event_type: &'static str,
    /// The legacy fields, and the mixins carried over.
    pub(crate) content: Object,
    /// The names (as sent) of the blocks written into fields or carried over.
    pub(crate) consumed: Vec<String>,
}

/// Reads `B` as the writer uses it: under whichever name it came, malformed counting as
/// absent; records the name read in `consumed`.
fn read<B: Block>(content: &Content, consumed: &mut Vec<String>) -> Option<B> {
    let (name, _, _) = content.find_named(B::NAMES)?;
    let name = name.to_owned();
    let block = content.get::<B>()?.ok()?;
    consumed.push(name);
    Some(block)
}

/// The body of a text block: its plain representation, or else its first.
fn body(text: &TextBlock) -> Option<&str> {
    text.plain_text()
        .or_else(|| text.representations.first().map(|r| r.body.as_str()))
}

fn set(object: &mut Object, key: &str, value: impl Into<Value>) {
    object.insert(key.to_owned(), value.into());
}

/// `file` as legacy fields: `file` (an `EncryptedFile`) or `url` in `target`, its mimetype
/// and size in `info`.
fn write_file(
    file: &FileBlock,
    target: &mut Object,
    info: &mut Object,
    file_key: &str,
    url_key: &str,
) {
    match &file.encryption {
        Some(enc) => {
            let hashes: Object = enc
                .hashes
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect();
            let encrypted: Object = [
                ("url", Value::from(file.url.as_str())),
                ("key", Value::Object(enc.key.clone())),
                ("iv", Value::from(enc.iv.as_str())),
                ("hashes", Value::Object(hashes)),
                ("v", Value::from(enc.v.as_str())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            set(target, file_key, Value::Object(encrypted));
        }
        None => set(target, url_key, file.url.as_str()),
    }
    if let Some(m) = &file.mimetype {
        set(info, "mimetype", m.as_str());
    }
    if let Some(size) = file.size {
        set(info, "size", uint_value(size));
    }
}

/// The first thumbnail as `info.thumbnail_url` (or `thumbnail_file`) and
/// `info.thumbnail_info`.
fn write_thumbnail(thumbnails: &ThumbnailBlock, info: &mut Object) {
    let Some(t) = thumbnails.thumbnails.first() else {
        return;
    };
    let mut ti = Object::new();
    write_file(&t.file, info, &mut ti, "thumbnail_file", "thumbnail_url");
    set(&mut ti, "w", uint_value(t.image_details.width));
    set(&mut ti, "h", uint_value(t.image_details.height));
    set(info, "thumbnail_info", Value::Object(ti));
}

/// Writes an event of `event_type` with `content` as a legacy event, or `None` when its type
/// has no legacy form (polls, topics, custom types, legacy events themselves).
pub(crate) fn write(event_type: &str, content: &Content) -> Option<Written> {
    let (stable, _) = stable_event_type(event_type)?;
    let mut consumed = Vec::new();
    let mut out = Object::new();
    for block in super::read::CARRIED_OVER {
        for (name, _) in block.names() {
            if let Some(v) = content.get_raw(name) {
                set(&mut out, name, v.clone());
                consumed.push(name.to_owned());
            }
        }
    }
    if stable == "m.encrypted" {
        let (name, _, payload) = content.find(KnownBlock::Encrypted)?;
        for (k, v) in payload.as_object()? {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        consumed.push(name.to_owned());
        return Some(Written {
            event_type: "m.room.encrypted",
            content: out,
            consumed,
        });
    }
    let entry = msgtype::for_event_type(stable)?;
    let text: Option<TextBlock> = match content.find(KnownBlock::Text) {
        Some((name, _, _)) => {
            let name = name.to_owned();
            let t = content.text().and_then(Result::ok);
            if t.is_some() {
                consumed.push(name);
            }
            t
        }
        None => None,
    };
    let automated = read::<crate::AutomatedBlock>(content, &mut consumed)
        .is_some_and(crate::AutomatedBlock::is_automated);
    let file = read::<FileBlock>(content, &mut consumed);
    let caption = read::<CaptionBlock>(content, &mut consumed).filter(|c| !c.text.is_empty());
    let image = read::<ImageDetailsBlock>(content, &mut consumed);
    let sticker = stable == "m.image" && image.as_ref().is_some_and(|i| i.sticker);
    let entry = if sticker { &STICKER } else { entry };
    let (event_type, msgtype) = match (sticker, stable) {
        (true, _) => ("m.sticker", None),
        (false, "m.message") if automated => ("m.room.message", Some("m.notice")),
        (false, _) => ("m.room.message", Some(entry.name)),
    };
    if let Some(m) = msgtype {
        set(&mut out, "msgtype", m);
    }
    // The body: a media caption, or the file name, or the text.
    let (body_text, html) = match (&caption, &file) {
        (Some(c), _) if entry.media => (body(&c.text).map(str::to_owned), c.text.html()),
        (None, Some(f)) if entry.media && f.name.is_some() => {
            (f.name.clone(), text.as_ref().and_then(TextBlock::html))
        }
        _ => (
            text.as_ref().and_then(body).map(str::to_owned),
            text.as_ref().and_then(TextBlock::html),
        ),
    };
    // `m.location` mixes into any event (MSC3488); only a location event writes it.
    let location = if stable == "m.location" {
        read::<LocationBlock>(content, &mut consumed)
    } else {
        None
    };
    let body_text = body_text.or_else(|| {
        location
            .as_ref()
            .map(|l| l.description.clone().unwrap_or_else(|| l.uri.clone()))
    });
    if let Some(b) = &body_text {
        set(&mut out, "body", b.as_str());
    }
    if let Some(h) = html {
        set(&mut out, "format", HTML_FORMAT);
        set(&mut out, "formatted_body", h);
    }
    let mut info = Object::new();
    if entry.media
        && let Some(f) = &file
    {
        if caption.is_some()
            && let Some(name) = &f.name
        {
            set(&mut out, "filename", name.as_str());
        }
        write_file(f, &mut out, &mut info, "file", "url");
    }
    match entry.details {
        Details::Image => {
            if let Some(i) = &image {
                set(&mut info, "w", uint_value(i.width));
                set(&mut info, "h", uint_value(i.height));
            }
        }
        Details::Video => {
            if let Some(v) = read::<VideoDetailsBlock>(content, &mut consumed) {
                set(&mut info, "w", uint_value(v.width));
                set(&mut info, "h", uint_value(v.height));
                if let Some(d) = v.duration {
                    set(&mut info, "duration", uint_value(d.saturating_mul(1000)));
                }
            }
        }
        Details::Audio => {
            // Details only in the v1 block are voice's legacy form already: kept as they are.
            let v1_only = content
                .find(KnownBlock::AudioDetails)
                .is_some_and(|(name, _, _)| name == V1_AUDIO);
            let details = if v1_only {
                None
            } else {
                read::<AudioDetailsBlock>(content, &mut consumed)
            };
            if let Some(a) = details {
                set(&mut info, "duration", uint_value(a.duration_ms()));
                if stable == "m.voice" {
                    let mut v1 = Object::new();
                    set(&mut v1, "duration", uint_value(a.duration_ms()));
                    if let Some(w) = a.waveform_scaled(AudioDetailsBlock::UNSTABLE_WAVEFORM_MAX) {
                        set(
                            &mut v1,
                            "waveform",
                            w.into_iter().map(uint_value).collect::<Value>(),
                        );
                    }
                    set(&mut out, V1_AUDIO, Value::Object(v1));
                }
            }
            if stable == "m.voice" {
                set(&mut out, VOICE_MARKER, Value::Object(Object::new()));
            }
        }
        Details::None => {}
    }
    if entry.thumbnail
        && let Some(t) = read::<ThumbnailBlock>(content, &mut consumed)
    {
        write_thumbnail(&t, &mut info);
    }
    if let Some(l) = &location {
        set(&mut out, "geo_uri", l.uri.as_str());
    }
    if !info.is_empty() {
        set(&mut out, "info", Value::Object(info));
    }
    Some(Written {
        event_type,
        content: out,
        consumed,
    })
}
