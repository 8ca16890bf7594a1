//! MIMI → event, before any residue is applied: the body as blocks, the behaviour fields as
//! relations, the extensions as the envelope, and the carrier block for the rest.

use exev::{
    CaptionBlock, Content, EncryptedFile, Event, FileBlock, MentionsBlock, Object, RelatesToBlock,
    TextBlock, TextRepresentation, Value,
};

use super::carrier::{Carrier, b64, b64url};
use super::compose::{BodyView, default_body, text_body};
use super::{CARRIER_BLOCK, ENC_ALG_MATRIX_A256CTR, RESIDUE_EXTENSION, Resolver, TEXT_PLAIN_UTF8};
use crate::{
    Disposition, ExtensionKey, ExternalPart, MimiContent, NestedPart, Part, PartSemantics,
    SinglePart,
};

/// The event type of a redaction.
pub(crate) const REDACTION: &str = "m.room.redaction";
/// The event type of a reaction.
pub(crate) const REACTION: &str = "m.reaction";
/// The relation type of a reaction.
pub(crate) const ANNOTATION: &str = "m.annotation";
/// The block holding an edit's new content.
pub(crate) const NEW_CONTENT: &str = "m.new_content";
/// What an edit's fallback text starts with.
pub(crate) const EDIT_FALLBACK_PREFIX: &str = "* ";
/// The same in Markdown, escaped.
const EDIT_FALLBACK_PREFIX_MARKDOWN: &str = "\\* ";

/// What a body shows as blocks: `m.text`, `m.file`, `m.caption`, `m.mentions`, and the event
/// type it suggests.
pub(crate) struct Projected {
    pub(crate) event_type: &'static str,
    /// The text representations the parts give, before the derived ones.
    pub(crate) sent: Vec<TextRepresentation>,
    pub(crate) text: Option<TextBlock>,
    pub(crate) file: Option<FileBlock>,
    pub(crate) caption: Option<CaptionBlock>,
    pub(crate) mentions: Vec<String>,
}

impl Projected {
    /// The blocks, in a content object.
    pub(crate) fn blocks(&self) -> Content {
        let mut content = Content::new();
        if let Some(t) = &self.text {
            content.set(t);
        }
        if let Some(f) = &self.file {
            content.set(f);
        }
        if let Some(c) = &self.caption {
            content.set(c);
        }
        if !self.mentions.is_empty() {
            content.set(&MentionsBlock::new().user_ids(self.mentions.clone()));
        }
        content
    }

    /// The view of these blocks that decides the body (see [`BodyView`]).
    pub(crate) fn view(&self) -> BodyView {
        BodyView::Blocks {
            text: self.text.clone(),
            file: self.file.clone().map(Box::new),
            caption: self.caption.clone(),
        }
    }
}

/// The media type without parameters.
fn essence(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or_default().trim()
}

/// The top-level type of a media type (`text` of `text/html;charset=utf-8`).
fn top_level(content_type: &str) -> &str {
    essence(content_type).split('/').next().unwrap_or_default()
}

/// Whether a content type is `type/subtype` (any parameters, any case).
pub(crate) fn is_media_type(content_type: &str, type_subtype: &str) -> bool {
    essence(content_type).eq_ignore_ascii_case(type_subtype)
}

/// The text of an inline part, when its type is `text/*` and its bytes are UTF-8.
fn text_of(s: &SinglePart) -> Option<&str> {
    if !top_level(&s.content_type).eq_ignore_ascii_case("text") {
        return None;
    }
    std::str::from_utf8(&s.content).ok()
}

/// The representation of a text part.
fn representation(s: &SinglePart, text: &str, language: &str) -> TextRepresentation {
    let mimetype = (s.content_type != TEXT_PLAIN_UTF8).then_some(s.content_type.as_str());
    let mut rep = TextRepresentation::new(text, mimetype);
    if !language.is_empty() {
        rep.lang = Some(language.to_owned());
    }
    rep
}

/// A byte count for people: `12 KB`, `708 MB` (decimal units, rounded).
fn human_size(size: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut value = size;
    let mut remainder = 0;
    let mut unit = 0;
    while value >= 1000 && unit + 1 < UNITS.len() {
        remainder = value % 1000;
        value /= 1000;
        unit += 1;
    }
    if remainder >= 500 {
        value += 1;
    }
    format!("{value} {}", UNITS.get(unit).copied().unwrap_or("B"))
}

/// The line of text that stands for an external part: its name (file name, else
/// description, else URL), its size, and its URL.
pub(crate) fn fallback_line(e: &ExternalPart) -> String {
    let label = [&e.filename, &e.description, &e.url]
        .into_iter()
        .find(|s| !s.is_empty())
        .map_or("", String::as_str);
    let mut line = label.to_owned();
    if e.size > 0 {
        line.push_str(&format!(" ({})", human_size(e.size)));
    }
    if !e.url.is_empty() && label != e.url {
        line.push(' ');
        line.push_str(&e.url);
    }
    line
}

/// The text alternatives a part shows (§4.4): a text part itself; an external part its
/// line; a chooseOne every alternative of every part, in the sender's order; a processAll or
/// singleUnit its parts together (the first alternative of each, one per line).
pub(crate) fn alternatives(p: &NestedPart) -> Vec<TextRepresentation> {
    match &p.part {
        Part::Single(s) => text_of(s)
            .map(|t| vec![representation(s, t, &p.language)])
            .unwrap_or_default(),
        Part::External(e) => vec![TextRepresentation::new(fallback_line(e), None)],
        Part::Multi(m) if m.semantics == PartSemantics::ChooseOne => {
            m.parts.iter().flat_map(alternatives).collect()
        }
        Part::Multi(m) => {
            let mut groups: Vec<Vec<TextRepresentation>> = m
                .parts
                .iter()
                .map(alternatives)
                .filter(|g| !g.is_empty())
                .collect();
            if groups.len() <= 1 {
                return groups.pop().unwrap_or_default();
            }
            let firsts: Vec<TextRepresentation> = groups
                .into_iter()
                .filter_map(|g| g.into_iter().next())
                .collect();
            vec![joined(&firsts)]
        }
        _ => Vec::new(),
    }
}

/// Representations shown together as one: bodies one per line; the mimetype and language
/// they share, if they share one.
fn joined(reps: &[TextRepresentation]) -> TextRepresentation {
    let body: Vec<&str> = reps.iter().map(|r| r.body.as_str()).collect();
    let shared = |f: &dyn Fn(&TextRepresentation) -> Option<&String>| {
        let first = reps.first().and_then(f);
        reps.iter()
            .all(|r| f(r) == first)
            .then(|| first.cloned())
            .flatten()
    };
    TextRepresentation {
        body: body.join("\n"),
        mimetype: shared(&|r| r.mimetype.as_ref()),
        lang: shared(&|r| r.lang.as_ref()),
        extra: Object::new(),
    }
}

/// The Matrix encryption of an external part encrypted with [`ENC_ALG_MATRIX_A256CTR`]: the
/// JSON Web Key and IV of `EncryptedFile` v2, and its SHA-256 hash.
fn matrix_encryption(e: &ExternalPart) -> Option<EncryptedFile> {
    let plausible = e.enc_alg == ENC_ALG_MATRIX_A256CTR
        && e.key.len() == 32
        && e.nonce.len() == 16
        && e.aad.is_empty()
        && e.hash_alg == crate::SHA_256
        && e.content_hash.len() == 32;
    if !plausible {
        return None;
    }
    let key: Object = [
        ("alg", Value::from("A256CTR")),
        ("ext", Value::Bool(true)),
        ("k", Value::from(b64url(&e.key))),
        (
            "key_ops",
            Value::Array(vec![Value::from("encrypt"), Value::from("decrypt")]),
        ),
        ("kty", Value::from("oct")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Some(EncryptedFile {
        key,
        iv: b64(&e.nonce),
        hashes: [("sha256".to_owned(), b64(&e.content_hash))]
            .into_iter()
            .collect(),
        v: "v2".to_owned(),
    })
}

/// The `m.file` of an external part.
pub(crate) fn file_block(e: &ExternalPart) -> FileBlock {
    let mut file = FileBlock::new(e.url.as_str());
    if !e.filename.is_empty() {
        file.name = Some(e.filename.clone());
    }
    if !e.content_type.is_empty() {
        file.mimetype = Some(e.content_type.clone());
    }
    // Sizes past the canonical-JSON range are left to the carrier.
    if e.size > 0 && e.size <= exev::MAX_SAFE_INTEGER.unsigned_abs() {
        file.size = Some(e.size);
    }
    file.encryption = matrix_encryption(e);
    file
}

/// The event type of a file by its media type.
fn media_event_type(content_type: &str) -> &'static str {
    let top = top_level(content_type);
    [
        ("image", "m.image"),
        ("video", "m.video"),
        ("audio", "m.audio"),
    ]
    .into_iter()
    .find(|(t, _)| top.eq_ignore_ascii_case(t))
    .map_or("m.file", |(_, event_type)| event_type)
}

/// Where links in a text point, in order: Markdown `](target)` and `<target>`, HTML
/// `href="target"` and `href='target'`; one pass over the text.
fn link_targets(text: &str) -> Vec<&str> {
    const OPENERS: [&str; 4] = ["](", "<", "href=\"", "href='"];
    let mut targets = Vec::new();
    for (at, _) in text.match_indices([']', '<', 'h']) {
        let rest = text.get(at..).unwrap_or_default();
        let Some(opener) = OPENERS.iter().find(|o| rest.starts_with(**o)) else {
            continue;
        };
        let after = rest.get(opener.len()..).unwrap_or_default();
        let end = after
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\''))
            .unwrap_or(after.len());
        if let Some(target) = after.get(..end)
            && target.contains(':')
        {
            targets.push(target);
        }
    }
    targets
}

/// The users a body's text parts link to, in the order of the parts, each once.
fn mentions<R: Resolver>(body: &NestedPart, resolver: &R) -> Vec<String> {
    let mut users: Vec<String> = Vec::new();
    for (_, _, p) in body.walk() {
        let Part::Single(s) = &p.part else { continue };
        let Some(text) = text_of(s) else { continue };
        for user in link_targets(text)
            .into_iter()
            .filter_map(|t| resolver.mentioned_user(t))
        {
            if !users.contains(&user) {
                users.push(user);
            }
        }
    }
    users
}

/// The blocks a body shows.
pub(crate) fn project_body<R: Resolver>(body: &NestedPart, resolver: &R) -> Projected {
    let mentions = mentions(body, resolver);
    if let Part::External(e) = &body.part
        && body.disposition.effective() != Disposition::SESSION
    {
        return Projected {
            event_type: media_event_type(&e.content_type),
            sent: Vec::new(),
            text: Some(TextBlock::plain(fallback_line(e))),
            file: Some(file_block(e)),
            caption: (!e.description.is_empty())
                .then(|| CaptionBlock::plain(e.description.as_str())),
            mentions,
        };
    }
    let sent = alternatives(body);
    let reps = super::markdown::with_derived(sent.clone());
    Projected {
        event_type: "m.message",
        sent,
        text: (!reps.is_empty()).then(|| TextBlock {
            representations: reps,
            skipped: Vec::new(),
        }),
        file: None,
        caption: None,
        mentions,
    }
}

/// The key of a reaction: the text of a body that is one plain-text part with the reaction
/// disposition and no language (the shape [`default_body`] gives a reaction).
pub(crate) fn reaction_key(body: &NestedPart) -> Option<&str> {
    match &body.part {
        Part::Single(s)
            if body.disposition == Disposition::REACTION
                && body.language.is_empty()
                && s.content_type == TEXT_PLAIN_UTF8 =>
        {
            std::str::from_utf8(&s.content).ok()
        }
        _ => None,
    }
}

/// How the message's fields read: a redaction, a reaction, or blocks (with an edit's
/// target).
pub(crate) enum Kind<'m> {
    Redaction,
    Reaction(&'m str),
    Blocks,
}

pub(crate) fn kind(m: &MimiContent) -> Kind<'_> {
    if m.replaces.is_some() && matches!(m.body.part, Part::Null) {
        return Kind::Redaction;
    }
    if m.replaces.is_none()
        && m.in_reply_to.is_some()
        && let Some(key) = reaction_key(&m.body)
    {
        return Kind::Reaction(key);
    }
    Kind::Blocks
}

/// The event of `m` without applying a residue: every extension but `senderUri` and
/// `roomUri` (and, when `residue_applied`, the residue) is listed in the carrier, which is
/// left out unless `with_carrier`.
pub(crate) fn project<R: Resolver>(
    resolver: &R,
    m: &MimiContent,
    residue_applied: bool,
    with_carrier: bool,
) -> Event {
    let projected = project_body(&m.body, resolver);
    let kind = kind(m);
    let (event_type, mut content, view) = match kind {
        Kind::Redaction => {
            let mut content = Content::new();
            if let Some(id) = &m.replaces {
                content.insert_raw("redacts", Value::from(resolver.event_id(id)));
            }
            (REDACTION, content, BodyView::Redaction)
        }
        Kind::Reaction(key) => {
            let rel = RelatesToBlock {
                rel_type: Some(ANNOTATION.to_owned()),
                event_id: m.in_reply_to.as_ref().map(|id| resolver.event_id(id)),
                key: Some(key.to_owned()),
                ..RelatesToBlock::default()
            };
            let mut content = Content::new();
            content.set(&rel);
            (REACTION, content, BodyView::Reaction(key.to_owned()))
        }
        Kind::Blocks => {
            let blocks = projected.blocks();
            let content = match &m.replaces {
                Some(id) => edit_content(blocks, &projected, resolver.event_id(id)),
                None => blocks,
            };
            (projected.event_type, content, projected.view())
        }
    };
    if !matches!(kind, Kind::Reaction(_))
        && let Some(id) = &m.in_reply_to
    {
        let mut rel = match content.get::<RelatesToBlock>() {
            Some(Ok(rel)) => rel,
            _ => RelatesToBlock::default(),
        };
        rel.in_reply_to = Some(resolver.event_id(id));
        content.set(&rel);
    }
    if with_carrier {
        // What the blocks alone give back; for text, from the representations as sent
        // (`default_body` would find them by taking the derived ones out again).
        let default = match kind {
            Kind::Blocks if projected.file.is_none() => text_body(projected.sent.iter().collect()),
            _ => default_body(&view),
        };
        content.insert_raw(
            CARRIER_BLOCK,
            carrier(m, default, residue_applied).to_value(),
        );
    }
    let mut event = Event::new(event_type, content);
    if let Some(uri) = m.extensions.sender_uri() {
        event.set_field("sender", Value::from(resolver.user_id(uri)));
    }
    if let Some(uri) = m.extensions.room_uri() {
        event.set_field("room_id", Value::from(resolver.room_id(uri)));
    }
    event
}

/// What the carrier holds for `m`, whose blocks alone give back the body `default`.
fn carrier(m: &MimiContent, default: Option<NestedPart>, residue_applied: bool) -> Carrier {
    Carrier {
        salt: Some(m.salt),
        topic_id: m.topic_id.clone(),
        expires: m.expires,
        extensions: m
            .extensions
            .iter()
            .filter(|(k, _)| !is_mapped_extension(k, residue_applied))
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect(),
        body: (default.as_ref() != Some(&m.body)).then(|| m.body.clone()),
    }
}

/// Whether an extension maps to something other than the carrier.
fn is_mapped_extension(key: &ExtensionKey, residue_applied: bool) -> bool {
    match key {
        ExtensionKey::Int(1 | 2) => true,
        ExtensionKey::Text(t) => residue_applied && t == RESIDUE_EXTENSION,
        _ => false,
    }
}

/// An edit's content: the new blocks in `m.new_content`, the relation, and the fallback
/// text (`* ` and the new text) for clients that do not apply edits.
fn edit_content(blocks: Content, projected: &Projected, target: String) -> Content {
    let mut content = Content::new();
    if let Some(text) = &projected.text {
        // The prefix goes on what was sent; what is derived is derived again from that.
        let prefixed = super::markdown::without_derived(&text.representations)
            .into_iter()
            .map(|rep| {
                let mut rep = rep.clone();
                // In Markdown the star is escaped, or it would start a list.
                if is_media_type(rep.mimetype(), "text/markdown") {
                    rep.body.insert_str(0, EDIT_FALLBACK_PREFIX_MARKDOWN);
                } else {
                    rep.body.insert_str(0, EDIT_FALLBACK_PREFIX);
                }
                rep
            })
            .collect();
        content.set(&TextBlock {
            representations: super::markdown::with_derived(prefixed),
            skipped: Vec::new(),
        });
    }
    content.set(&RelatesToBlock::replacement(target));
    content.insert_raw(NEW_CONTENT, Value::Object(blocks.into_object()));
    content
}
