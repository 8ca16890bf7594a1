//! Event → MIMI: the relations as behaviour fields, the blocks as the body (or the carrier's
//! body when the blocks still show what it shows), the envelope as extensions, and the
//! residue for whatever else the event has.

use exev::{
    CaptionBlock, Content, Event, FileBlock, Path, RelatesToBlock, TextBlock, TextRepresentation,
    Value, block_path,
};

use super::carrier::{Carrier, unb64, unb64url};
use super::project::{self, ANNOTATION, NEW_CONTENT, REACTION, REDACTION};
use super::{
    CARRIER_BLOCK, ENC_ALG_MATRIX_A256CTR, Mapper, MappingError, MappingErrorKind,
    RESIDUE_EXTENSION, Resolver, TEXT_PLAIN_UTF8, residue,
};
use crate::{
    Disposition, ExtensionKey, Extensions, ExternalPart, MessageId, MimiContent, NestedPart,
    PartSemantics,
};

/// What decides a message's body: it is deleted, it is a reaction with this key, or it shows
/// these blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BodyView {
    Redaction,
    Reaction(String),
    Blocks {
        text: Option<TextBlock>,
        file: Option<Box<FileBlock>>,
        caption: Option<CaptionBlock>,
    },
}

/// The body an event without a carrier gets: a NullPart for a redaction, the reaction key as
/// plain text, an ExternalPart for a file, the text representations as one part or a
/// chooseOne; `None` when there is nothing to show.
pub(crate) fn default_body(view: &BodyView) -> Option<NestedPart> {
    match view {
        BodyView::Redaction => Some(NestedPart::null()),
        BodyView::Reaction(key) => {
            Some(NestedPart::text(TEXT_PLAIN_UTF8, key).with_disposition(Disposition::REACTION))
        }
        BodyView::Blocks {
            file: Some(file),
            caption,
            ..
        } => Some(NestedPart::external(external_part(file, caption.as_ref()))),
        BodyView::Blocks {
            text: Some(text), ..
        } => text_body(super::markdown::without_derived(&text.representations)),
        BodyView::Blocks { .. } => None,
    }
}

/// The body of text representations as sent: one part, or a chooseOne of them.
pub(crate) fn text_body(reps: Vec<&TextRepresentation>) -> Option<NestedPart> {
    let mut parts: Vec<NestedPart> = reps.into_iter().map(text_part).collect();
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(NestedPart::multi(PartSemantics::ChooseOne, parts)),
    }
}

/// The inline part of a text representation.
fn text_part(rep: &TextRepresentation) -> NestedPart {
    NestedPart::text(
        rep.mimetype.as_deref().unwrap_or(TEXT_PLAIN_UTF8),
        &rep.body,
    )
    .with_language(rep.lang.clone().unwrap_or_default())
}

/// The external part of a file and its caption.
fn external_part(file: &FileBlock, caption: Option<&CaptionBlock>) -> ExternalPart {
    let mut e = ExternalPart::new(file.mimetype.clone().unwrap_or_default(), file.url.as_str());
    e.size = file.size.unwrap_or(0);
    e.filename = file.name.clone().unwrap_or_default();
    e.description = caption
        .and_then(|c| {
            c.text
                .plain_text()
                .or_else(|| c.text.representations.first().map(|r| r.body.as_str()))
        })
        .unwrap_or_default()
        .to_owned();
    if let Some(enc) = &file.encryption {
        let key = enc.key.get("k").and_then(Value::as_str).and_then(unb64url);
        let iv = unb64(&enc.iv);
        let hash = enc.hashes.get("sha256").and_then(|h| unb64(h));
        if let (Some(key), Some(iv), Some(hash)) = (key, iv, hash) {
            e.enc_alg = ENC_ALG_MATRIX_A256CTR;
            e.key = key;
            e.nonce = iv;
            e.hash_alg = crate::SHA_256;
            e.content_hash = hash;
        }
    }
    e
}

/// The view of a content's blocks; malformed ones count as absent (the residue keeps them).
fn blocks_view(content: &Content) -> BodyView {
    BodyView::Blocks {
        text: content
            .text()
            .and_then(Result::ok)
            .filter(|t| !t.is_empty()),
        file: content
            .get::<FileBlock>()
            .and_then(Result::ok)
            .map(Box::new),
        caption: content.get::<CaptionBlock>().and_then(Result::ok),
    }
}

/// The view a carrier's body gives, read as the event's kind reads it.
fn carrier_view<R: Resolver>(kind: &BodyView, body: &NestedPart, resolver: &R) -> Option<BodyView> {
    match kind {
        BodyView::Redaction => {
            matches!(body.part, crate::Part::Null).then_some(BodyView::Redaction)
        }
        BodyView::Reaction(_) => {
            project::reaction_key(body).map(|k| BodyView::Reaction(k.to_owned()))
        }
        BodyView::Blocks { .. } => Some(project::project_body(body, resolver).view()),
    }
}

/// The message ID of a relation's target; `path` says where it is, for the error.
fn resolve<R: Resolver>(
    resolver: &R,
    event_id: &str,
    path: impl FnOnce() -> Path,
) -> Result<MessageId, MappingError> {
    resolver.message_id(event_id).ok_or_else(|| {
        MappingError::new(
            MappingErrorKind::UnresolvedEventId(event_id.to_owned()),
            path(),
        )
    })
}

fn not_covered(what: &str) -> MappingError {
    MappingError::new(MappingErrorKind::NotCovered(what.to_owned()), Path::root())
}

/// Whether the event is encrypted (MIMI content is what is inside the encryption).
fn is_encrypted(event: &Event) -> bool {
    let t = event.event_type();
    t == "m.room.encrypted"
        || exev::stable_event_type(t).is_some_and(|(s, _)| s == "m.encrypted")
        || event.content().has(exev::KnownBlock::Encrypted)
}

pub(crate) fn to_mimi<R: Resolver>(
    mapper: &Mapper<R>,
    event: &Event,
    salt: [u8; 16],
) -> Result<MimiContent, MappingError> {
    let resolver = mapper.resolver();
    if event.is_state() {
        return Err(not_covered("a state event (it has a state_key)"));
    }
    if is_encrypted(event) {
        return Err(not_covered(
            "an encrypted event: MIMI content is what the encryption holds",
        ));
    }
    let content = event.content();
    let carrier_path = || block_path(CARRIER_BLOCK);
    let carrier = match content.get_raw(CARRIER_BLOCK) {
        Some(v) => Carrier::read(v, &carrier_path())?,
        None => Carrier::default(),
    };
    let relation = content.get::<RelatesToBlock>().and_then(Result::ok);
    let rel_path = |field: &str| block_path("m.relates_to").key(field);
    let mut replaces = None;
    let mut in_reply_to = None;
    let mut reply_relation = relation.as_ref().and_then(|r| r.in_reply_to.as_deref());
    let view = if event.event_type() == REDACTION {
        let (target, path) = match content.get_raw("redacts").and_then(Value::as_str) {
            Some(t) => (t, block_path("redacts")),
            None => (
                event
                    .field("redacts")
                    .and_then(Value::as_str)
                    .ok_or_else(|| not_covered("a redaction without `redacts`"))?,
                Path::root().key("redacts"),
            ),
        };
        replaces = Some(resolve(resolver, target, || path)?);
        BodyView::Redaction
    } else if let Some((target, key)) = reaction(event, relation.as_ref()) {
        in_reply_to = Some(resolve(resolver, target, || rel_path("event_id"))?);
        reply_relation = None;
        BodyView::Reaction(key.to_owned())
    } else if let Some(rel) = relation.as_ref().filter(|r| r.is_replacement())
        && let Some(target) = rel.event_id.as_deref()
        && let Some(Value::Object(new)) = content.get_raw(NEW_CONTENT)
    {
        replaces = Some(resolve(resolver, target, || rel_path("event_id"))?);
        blocks_view(&Content::from_object(new.clone()))
    } else {
        blocks_view(content)
    };
    if let Some(target) = reply_relation {
        let path = || rel_path("m.in_reply_to").key("event_id");
        in_reply_to = Some(resolve(resolver, target, path)?);
    }
    let body = match &carrier.body {
        Some(b) if carrier_view(&view, b, resolver).as_ref() == Some(&view) => b.clone(),
        _ => default_body(&view).ok_or_else(|| {
            not_covered("nothing MIMI content can show: no m.text, m.file, reaction or redaction")
        })?,
    };
    let mut extensions = Extensions::new();
    for (i, (key, raw)) in carrier.extensions.iter().enumerate() {
        extensions
            .insert_raw(key.clone(), raw.clone())
            .map_err(|e| {
                MappingError::new(
                    MappingErrorKind::Carrier(e.to_string()),
                    carrier_path().key("extensions").index(i),
                )
            })?;
    }
    let envelope = [
        (
            ExtensionKey::SENDER_URI,
            "sender",
            event.sender().and_then(|s| resolver.user_uri(s)),
        ),
        (
            ExtensionKey::ROOM_URI,
            "room_id",
            event.room_id().and_then(|r| resolver.room_uri(r)),
        ),
    ];
    for (key, field, uri) in envelope {
        if let Some(uri) = uri {
            extensions.insert_text(key, &uri).map_err(|e| {
                MappingError::new(MappingErrorKind::Mimi(e), Path::root().key(field))
            })?;
        }
    }
    let message = MimiContent {
        salt: carrier.salt.unwrap_or(salt),
        replaces,
        topic_id: carrier.topic_id,
        expires: carrier.expires,
        in_reply_to,
        extensions,
        body,
    };
    crate::encode::check(&message)
        .map_err(|e| MappingError::new(MappingErrorKind::Mimi(e), Path::root()))?;
    // The carrier plays no part in the difference.
    let projected = project::project(resolver, &message, false, false);
    let residue = residue::diff(event, &projected);
    // An event ID that is the one MIMI derives for this very message is not carried.
    if let Some(id) = event.event_id() {
        let derived = with_residue(message.clone(), &residue.without_field("event_id"))?;
        if derived
            .message_id()
            .is_ok_and(|m| resolver.event_id(&m) == id)
        {
            return Ok(derived);
        }
    }
    with_residue(message, &residue)
}

/// The message with the residue in its extension, when there is one.
fn with_residue(
    mut message: MimiContent,
    residue: &residue::Residue,
) -> Result<MimiContent, MappingError> {
    let bytes = residue.to_bytes().map_err(|e| {
        MappingError::new(
            MappingErrorKind::NotCovered(format!("what MIMI cannot say has no JSON form: {e}")),
            Path::root(),
        )
    })?;
    if let Some(bytes) = bytes {
        let mut raw = Vec::with_capacity(bytes.len() + 5);
        exev_codec::cbor::head::write_head(&mut raw, 2, bytes.len() as u64);
        raw.extend_from_slice(&bytes);
        message
            .extensions
            .insert_raw(ExtensionKey::Text(RESIDUE_EXTENSION.to_owned()), raw)
            .map_err(|e| MappingError::new(MappingErrorKind::Mimi(e), Path::root()))?;
    }
    Ok(message)
}

/// The target and key of an `m.reaction` annotation that is not also a reply.
fn reaction<'e>(
    event: &'e Event,
    relation: Option<&'e RelatesToBlock>,
) -> Option<(&'e str, &'e str)> {
    if event.event_type() != REACTION {
        return None;
    }
    let rel = relation?;
    if rel.rel_type.as_deref() != Some(ANNOTATION) || rel.in_reply_to.is_some() {
        return None;
    }
    let key = rel.key.as_deref()?;
    Some((rel.event_id.as_deref()?, key))
}
