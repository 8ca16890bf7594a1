//! The fallback renderer: MSC1767's algorithm for showing events, including events of types
//! the client does not know (digest §7).

use std::collections::BTreeMap;

use exev::blocks::AnyBlock;
use exev::{Block, Content, Event, KnownBlock, TextBlock, block_path};

use super::capabilities::mimetype_matches;
use super::html::{is_too_deep, sanitize_checked, text_checked};
use super::rendering::{
    Attempt, FileRef, IgnoredBlock, LocationView, Media, Mentions, Outcome, PollAnswerView,
    PollView, Relation, Rendering, RuledOut, Skipped, TextSource, ThumbnailRef,
};
use crate::{Capabilities, Constraint, EventTypeDef, MAX_HTML_NESTING, Registry, TypeAlias};

/// What reading one block found.
enum Read<'c> {
    /// Under none of its names.
    Absent,
    /// Present and valid; typed when it is a block of the model's table.
    Valid {
        name: &'c str,
        typed: Option<AnyBlock>,
    },
    /// Present but malformed.
    Invalid {
        /// Where, from the event root.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// Reads an event's blocks through the registry, each at most once.
struct Reader<'a> {
    registry: &'a Registry,
    content: &'a Content,
    cache: BTreeMap<String, Read<'a>>,
}

impl<'a> Reader<'a> {
    fn new(registry: &'a Registry, content: &'a Content) -> Reader<'a> {
        Reader {
            registry,
            content,
            cache: BTreeMap::new(),
        }
    }

    /// Reads `block` (any of its names): absent, valid (typed if the model knows it) or
    /// invalid.
    fn read(&mut self, block: &str) -> &Read<'a> {
        if !self.cache.contains_key(block) {
            let read = read_block(self.registry, self.content, block);
            self.cache.insert(block.to_owned(), read);
        }
        self.cache.get(block).unwrap_or(&Read::Absent)
    }

    /// The typed value of `block`, when it is present and valid.
    fn typed(&mut self, block: &str) -> Option<&AnyBlock> {
        match self.read(block) {
            Read::Valid { typed, .. } => typed.as_ref(),
            _ => None,
        }
    }
}

/// Reads one block for [`Reader::read`].
fn read_block<'c>(registry: &Registry, content: &'c Content, block: &str) -> Read<'c> {
    let Some((name, value)) = registry.find_block(content, block) else {
        return Read::Absent;
    };
    let def = registry.block(block);
    let invalid = |e: exev::BlockError| {
        let e = e.within(&block_path(name));
        Read::Invalid {
            path: e.path().to_string(),
            reason: e.kind().to_string(),
        }
    };
    match def.and_then(crate::BlockDef::known) {
        Some(KnownBlock::Text) => {
            // `Content::text` pairs the v1 string forms of plain text and HTML.
            let read = match content.find(KnownBlock::Text) {
                Some((found, _, _)) if found == name => content.text(),
                _ => None,
            }
            .unwrap_or_else(|| {
                TextBlock::read(name, value).map_err(|e| e.within(&block_path(name)))
            });
            match read {
                Ok(text) if text.is_empty() => Read::Invalid {
                    path: block_path(name).to_string(),
                    reason: match text.skipped.first() {
                        Some(s) => format!(
                            "no valid representation ({} skipped; {} at [{}])",
                            text.skipped.len(),
                            s.error.kind(),
                            s.index
                        ),
                        None => "no representation".to_owned(),
                    },
                },
                Ok(text) => Read::Valid {
                    name,
                    typed: Some(AnyBlock::Text(text)),
                },
                Err(e) => Read::Invalid {
                    path: e.path().to_string(),
                    reason: e.kind().to_string(),
                },
            }
        }
        Some(known) => match AnyBlock::read(known, name, value) {
            Ok(typed) => Read::Valid {
                name,
                typed: Some(typed),
            },
            Err(e) => invalid(e),
        },
        None => {
            let shape = def.and_then(|d| {
                d.names()
                    .find(|(n, _, _)| *n == name)
                    .map(|(_, _, shape)| shape)
            });
            match shape {
                Some(shape) if !shape.matches(value) => Read::Invalid {
                    path: block_path(name).to_string(),
                    reason: format!("expected {shape}, found {}", value.kind()),
                },
                _ => Read::Valid { name, typed: None },
            }
        }
    }
}

/// Renders `event` for a client with `capabilities`, by the schemas of `registry`
/// (MSC1767; digest §7):
///
/// 1. A state event (it has a `state_key`, or its type is a state type) is never rendered as
///    a message: outcome [`Outcome::State`].
/// 2. A type the registry marks hidden (`m.poll.response`) is [`Outcome::Hidden`].
/// 3. A type the client knows renders as itself when its required blocks are present and
///    valid and its constraints hold (a voice message's waveform and audio mimetype, say).
/// 4. Otherwise the schemas the client knows are tried in its order, or the registry's
///    ([`Registry::fallback_order`]: video, voice, audio, image, file, location, poll, then
///    `m.text` as a message). A fallback match also needs the blocks that mark the schema
///    (`m.image_details` for an image, ...), and media schemas need a file whose mimetype
///    fits the schema (never an image for `video/*`) and which the client understands.
/// 5. Nothing fits: [`Outcome::Unrenderable`].
///
/// Mixins the registry knows apply (`m.automated`, `m.relates_to`, `m.mentions`); unknown
/// blocks, mixins included, are ignored and listed in [`Rendering::ignored`]. Malformed blocks
/// and invalid `m.text` representations are skipped and listed in [`Rendering::skipped`].
/// Never panics, whatever the event holds.
///
/// ```
/// use exev_registry::{Capabilities, Outcome, Registry, render};
///
/// // MSC3553's video, for a client that knows files and text but not video.
/// let event = exev_codec::json::from_str(
///     r#"{"type": "m.video", "content": {
///         "m.text": [{"body": "matrix.mp4"}],
///         "m.file": {"url": "mxc://example.org/abcd1234", "mimetype": "video/mp4"},
///         "m.video_details": {"width": 640, "height": 480}
///     }}"#,
/// )?;
/// let registry = Registry::built_in();
/// let rendering = render(&event, &Capabilities::knowing(["m.file", "m.message"]), &registry);
/// assert_eq!(rendering.outcome, Outcome::Rendered);
/// assert_eq!(rendering.rendered_as.as_deref(), Some("m.file"));
/// assert_eq!(rendering.text, "matrix.mp4");
/// assert_eq!(rendering.media.map(|m| m.file.url).as_deref(), Some("mxc://example.org/abcd1234"));
/// // The client knows neither m.video nor the other media types: m.file is the first it tries.
/// assert_eq!(rendering.attempts.len(), 1);
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn render(event: &Event, capabilities: &Capabilities, registry: &Registry) -> Rendering {
    let sent = event.event_type();
    let content = event.content();
    let own = registry.event_type(sent);
    let mut reader = Reader::new(registry, content);
    let mut r = Rendering::new(sent, Outcome::Unrenderable);
    mixins(&mut reader, &mut r);

    if event.is_state() || own.is_some_and(|t| t.state) {
        r.outcome = Outcome::State;
        r.rendered_as = own.map(|t| t.name.clone());
        r.reason = match own {
            Some(t) if t.state => format!(
                "{} is a state event type: state events are not rendered as messages",
                t.name
            ),
            _ => format!(
                "{sent} has a state_key: state events are not rendered as messages, \
                 whatever blocks they carry (MSC1767)"
            ),
        };
        // The state's own text (a room topic) for a client that knows the type.
        if let Some(t) = own.filter(|t| capabilities.knows(t)) {
            text(&mut reader, t, capabilities, &mut r);
        }
        return r;
    }
    if let Some(t) = own.filter(|t| t.hidden) {
        r.outcome = Outcome::Hidden;
        r.rendered_as = Some(t.name.clone());
        r.reason = format!(
            "{} events are hidden from the timeline; they have no fallback (MSC3381)",
            t.name
        );
        return r;
    }

    let mut own_failure = None;
    if let Some(t) = own.filter(|t| capabilities.knows(t)) {
        let ruled_out = try_schema(&mut reader, t, t.alias_named(sent), false, capabilities);
        r.attempts.push(Attempt {
            schema: t.name.clone(),
            own_type: true,
            ruled_out: ruled_out.clone(),
        });
        match ruled_out {
            None => {
                r.reason = format!(
                    "{sent} is a type the client knows, and its required blocks are present \
                     and valid"
                );
                finish(&mut reader, t, capabilities, &mut r);
                return r;
            }
            Some(why) => own_failure = Some(why),
        }
    }

    let order: Vec<&EventTypeDef> = match capabilities.fallback_order() {
        Some(order) => order
            .iter()
            .filter_map(|name| registry.event_type(name))
            .collect(),
        None => registry
            .fallback_order()
            .into_iter()
            .filter_map(|name| registry.event_type(name))
            .collect(),
    };
    let mut tried: Vec<&str> = own
        .filter(|t| capabilities.knows(t))
        .map(|t| t.name.as_str())
        .into_iter()
        .collect();
    for candidate in order {
        if tried.contains(&candidate.name.as_str())
            || !capabilities.knows(candidate)
            || candidate.state
            || candidate.hidden
        {
            continue;
        }
        tried.push(&candidate.name);
        let ruled_out = try_schema(&mut reader, candidate, None, true, capabilities);
        let fits = ruled_out.is_none();
        r.attempts.push(Attempt {
            schema: candidate.name.clone(),
            own_type: false,
            ruled_out,
        });
        if fits {
            let because = match (&own_failure, own) {
                (Some(why), _) => format!("{sent} does not fit its own schema ({})", why.reason),
                (None, Some(_)) => format!("the client does not know {sent}"),
                (None, None) => format!("{sent} is a type the registry does not know"),
            };
            r.reason = format!(
                "{because}; {} is the first schema in the fallback order whose blocks are \
                 present and valid",
                candidate.name
            );
            finish(&mut reader, candidate, capabilities, &mut r);
            return r;
        }
    }

    r.outcome = Outcome::Unrenderable;
    r.reason = match (&own_failure, own) {
        (Some(why), _) => format!(
            "{sent} does not fit its own schema ({}), and no fallback schema the client knows fits",
            why.reason
        ),
        _ if r.attempts.is_empty() => {
            format!("the client knows no schema to try for {sent}")
        }
        _ => format!("no schema the client knows fits {sent}"),
    };
    r
}

/// Checks `schema` against the event: its required blocks (with those of the alias it was
/// sent under, or, for a fallback, those that mark the schema) and its constraints.
fn try_schema(
    reader: &mut Reader<'_>,
    schema: &EventTypeDef,
    alias: Option<&TypeAlias>,
    fallback: bool,
    capabilities: &Capabilities,
) -> Option<RuledOut> {
    let extra: &[String] = if fallback {
        &schema.fallback_requires
    } else {
        alias.map_or(&[], |a| &a.also_requires)
    };
    for block in schema.required.iter().chain(extra) {
        match reader.read(block) {
            Read::Valid { .. } => {}
            Read::Absent => {
                return Some(RuledOut {
                    block: Some(block.clone()),
                    reason: format!("{block} is missing"),
                });
            }
            Read::Invalid { path, reason } => {
                return Some(RuledOut {
                    block: Some(block.clone()),
                    reason: format!("{path}: {reason}"),
                });
            }
        }
    }
    for constraint in &schema.constraints {
        if let Some(why) = check_constraint(reader, schema, constraint, capabilities) {
            return Some(why);
        }
    }
    None
}

fn check_constraint(
    reader: &mut Reader<'_>,
    schema: &EventTypeDef,
    constraint: &Constraint,
    capabilities: &Capabilities,
) -> Option<RuledOut> {
    let ruled_out = |block: &str, reason: String| {
        Some(RuledOut {
            block: Some(block.to_owned()),
            reason,
        })
    };
    match constraint {
        Constraint::FileMimetype { patterns, required } => {
            let accepted = patterns.join(" or ");
            let mimetype = match reader.read("m.file") {
                Read::Valid {
                    typed: Some(AnyBlock::File(file)),
                    ..
                } => file.mimetype.clone(),
                Read::Valid { .. } => None,
                Read::Absent | Read::Invalid { .. } => {
                    return ruled_out(
                        "m.file",
                        format!("{} needs a valid m.file ({accepted})", schema.name),
                    );
                }
            };
            match mimetype {
                Some(m) if !patterns.iter().any(|p| mimetype_matches(p, &m)) => ruled_out(
                    "m.file",
                    format!("the file's mimetype {m} is not {accepted}"),
                ),
                Some(m) if !capabilities.understands(&m) => ruled_out(
                    "m.file",
                    format!("the client does not understand the file's mimetype {m}"),
                ),
                None if *required => ruled_out(
                    "m.file",
                    format!("the file has no mimetype; {} needs {accepted}", schema.name),
                ),
                _ => None,
            }
        }
        Constraint::HasField { block, fields } => {
            let has = reader
                .registry
                .find_block(reader.content, block)
                .and_then(|(_, v)| v.as_object())
                .is_some_and(|o| fields.iter().any(|f| o.contains_key(f)));
            if has {
                None
            } else {
                ruled_out(
                    block,
                    format!(
                        "{block} has no {} ({} needs it)",
                        fields.join(" or "),
                        schema.name
                    ),
                )
            }
        }
    }
}

/// Applies the mixins the registry knows: `m.automated`, `m.relates_to`, `m.mentions`.
fn mixins(reader: &mut Reader<'_>, r: &mut Rendering) {
    for (block, def_known) in [
        ("m.automated", KnownBlock::Automated),
        ("m.relates_to", KnownBlock::RelatesTo),
        ("m.mentions", KnownBlock::Mentions),
    ] {
        let is_mixin = reader
            .registry
            .block(block)
            .is_some_and(|d| d.mixin && d.known() == Some(def_known));
        if !is_mixin {
            continue;
        }
        match reader.read(block) {
            Read::Valid {
                typed: Some(typed), ..
            } => match typed {
                AnyBlock::Automated(a) => r.automated = a.is_automated(),
                AnyBlock::RelatesTo(rel) => {
                    r.relation = Some(Relation {
                        rel_type: rel.rel_type.clone(),
                        event_id: rel.event_id.clone(),
                        reply_to: rel.in_reply_to.clone(),
                    });
                }
                AnyBlock::Mentions(m) => {
                    r.mentions = Some(Mentions {
                        user_ids: m.user_ids.clone().unwrap_or_default(),
                        room: m.mentions_room(),
                    });
                }
                _ => {}
            },
            Read::Invalid { path, reason } => {
                let reason = if block == "m.automated" {
                    format!("{reason}; treated as false (MSC3955)")
                } else {
                    reason.clone()
                };
                r.skipped.push(Skipped {
                    path: path.clone(),
                    reason,
                });
            }
            _ => {}
        }
    }
}

/// Fills the rendering of an event shown as `schema`.
fn finish(
    reader: &mut Reader<'_>,
    schema: &EventTypeDef,
    capabilities: &Capabilities,
    r: &mut Rendering,
) {
    r.outcome = Outcome::Rendered;
    r.rendered_as = Some(schema.name.clone());
    // Malformed blocks the schema would use: skipped, and said so.
    let blocks: Vec<&str> = schema
        .schema_blocks()
        .chain(schema.text_blocks.iter().map(String::as_str))
        .collect();
    for block in &blocks {
        if let Read::Invalid { path, reason } = reader.read(block) {
            let skipped = Skipped {
                path: path.clone(),
                reason: reason.clone(),
            };
            if !r.skipped.contains(&skipped) {
                r.skipped.push(skipped);
            }
        }
    }
    if schema.uses("m.file") {
        r.media = media(reader, schema, capabilities);
    }
    if schema.uses("m.poll") {
        r.poll = poll(reader);
    }
    if schema.uses("m.poll.results")
        && let Some(AnyBlock::PollResults(results)) = reader.typed("m.poll.results")
    {
        r.poll_results = Some(results.0.clone());
    }
    if schema.uses("m.location") {
        r.location = location(reader);
    }
    text(reader, schema, capabilities, r);
    ignored(reader, schema, &blocks, r);
}

/// The text of a block chosen as the client would: the plain text (derived from HTML when
/// there is no plain representation) and the sanitised HTML.
struct TextForm {
    plain: String,
    html: Option<String>,
    source: TextSource,
    /// What was skipped: invalid representations, over-deep HTML.
    skipped: Vec<Skipped>,
}

fn text_form(text: &TextBlock, sent_as: &str, capabilities: &Capabilities) -> TextForm {
    let path = block_path(sent_as);
    let mut skipped: Vec<Skipped> = text
        .skipped
        .iter()
        .map(|s| {
            let e = s.error.clone().within(&path);
            Skipped {
                path: e.path().to_string(),
                reason: format!("invalid representation skipped: {}", e.kind()),
            }
        })
        .collect();
    let understood = |m: &str| {
        mimetype_matches("text/plain", m)
            || mimetype_matches("text/html", m)
            || capabilities.names_mimetype(m)
    };
    let chosen = text
        .representations
        .iter()
        .position(|rep| understood(rep.mimetype()));
    let html_body = text.html();
    let too_deep = html_body.is_some_and(is_too_deep);
    if too_deep {
        skipped.push(Skipped {
            path: path.to_string(),
            reason: format!(
                "the HTML representation nests deeper than {MAX_HTML_NESTING} levels: flattened to text"
            ),
        });
    }
    let html = html_body.map(|h| sanitize_checked(h, too_deep));
    let (plain, from_html) = match (text.plain_text(), html_body, &html) {
        (Some(plain), _, _) => (plain.to_owned(), false),
        (None, Some(body), Some(clean)) => (text_checked(body, clean, too_deep), true),
        _ => (
            chosen
                .or_else(|| (!text.representations.is_empty()).then_some(0))
                .and_then(|i| text.representations.get(i))
                .map(|rep| rep.body.clone())
                .unwrap_or_default(),
            false,
        ),
    };
    // The chosen representation's index in the array as sent, counting skipped ones.
    let representation = chosen.map(|valid_index| {
        let mut index = valid_index;
        for s in &text.skipped {
            if s.index <= index {
                index += 1;
            }
        }
        index
    });
    let rep = chosen.and_then(|i| text.representations.get(i));
    TextForm {
        plain,
        html,
        source: TextSource {
            block: sent_as.to_owned(),
            representation,
            mimetype: rep.map(|r| r.mimetype().to_owned()),
            lang: rep.and_then(|r| r.lang.clone()),
            from_html,
            generated: false,
        },
        skipped,
    }
}

/// Sets the rendering's text from the schema's text blocks, or makes one from its location
/// or poll when none is valid.
fn text(
    reader: &mut Reader<'_>,
    schema: &EventTypeDef,
    capabilities: &Capabilities,
    r: &mut Rendering,
) {
    for block in &schema.text_blocks {
        let (name, typed) = match reader.read(block) {
            Read::Valid { name, typed } => (*name, typed),
            _ => continue,
        };
        let text_block = match typed {
            Some(AnyBlock::Text(t)) => Some(t),
            Some(AnyBlock::Topic(t)) => Some(&t.text),
            Some(AnyBlock::Caption(c)) => Some(&c.text),
            Some(AnyBlock::AltText(a)) => Some(&a.text),
            _ => None,
        };
        match text_block {
            Some(t) if !t.is_empty() => {
                let form = text_form(t, name, capabilities);
                r.text = form.plain;
                r.html = form.html;
                r.text_source = Some(form.source);
                for s in form.skipped {
                    if !r.skipped.contains(&s) {
                        r.skipped.push(s);
                    }
                }
                return;
            }
            Some(_) => {}
            None => {
                if let Some(s) = reader.content.get_raw(name).and_then(|v| v.as_str()) {
                    r.text = s.to_owned();
                    r.text_source = Some(TextSource {
                        block: name.to_owned(),
                        representation: None,
                        mimetype: None,
                        lang: None,
                        from_html: false,
                        generated: false,
                    });
                    return;
                }
            }
        }
    }
    // No valid text block: a location or a poll can speak for itself.
    let generated = if let Some(l) = &r.location {
        Some((
            "m.location",
            match &l.description {
                Some(d) => format!("{d} ({})", l.uri),
                None => l.uri.clone(),
            },
        ))
    } else {
        r.poll.as_ref().map(|p| {
            let mut s = p.question.clone();
            for (i, a) in p.answers.iter().enumerate() {
                s.push_str(&format!("\n{}. {}", i + 1, a.text));
            }
            ("m.poll", s)
        })
    };
    if let Some((block, text)) = generated {
        r.text = text;
        r.text_source = Some(TextSource {
            block: block.to_owned(),
            representation: None,
            mimetype: None,
            lang: None,
            from_html: false,
            generated: true,
        });
    }
}

/// Plain text and sanitised HTML of a nested text (a caption, a poll's question).
fn plain_and_html(text: &TextBlock, capabilities: &Capabilities) -> (String, Option<String>) {
    let form = text_form(text, "", capabilities);
    (form.plain, form.html)
}

fn file_ref(file: &exev::FileBlock) -> FileRef {
    FileRef {
        url: file.url.clone(),
        name: file.name.clone(),
        mimetype: file.mimetype.clone(),
        size: file.size,
        encrypted: file.is_encrypted(),
    }
}

/// The media of an event shown as a media schema: what the schema uses and the event
/// carries validly.
fn media(
    reader: &mut Reader<'_>,
    schema: &EventTypeDef,
    capabilities: &Capabilities,
) -> Option<Media> {
    let Some(AnyBlock::File(file)) = reader.typed("m.file") else {
        return None;
    };
    let mut media = Media {
        file: file_ref(file),
        ..Media::default()
    };
    if schema.uses("m.thumbnail")
        && let Some(AnyBlock::Thumbnail(thumbnails)) = reader.typed("m.thumbnail")
    {
        media.thumbnail = thumbnails
            .best(|m| mimetype_matches("image/*", m) && capabilities.understands(m))
            .map(|t| ThumbnailRef {
                file: file_ref(&t.file),
                width: t.image_details.width,
                height: t.image_details.height,
            });
    }
    if schema.uses("m.caption")
        && let Some(AnyBlock::Caption(caption)) = reader.typed("m.caption")
        && !caption.text.is_empty()
    {
        let (plain, html) = plain_and_html(&caption.text, capabilities);
        media.caption = Some(plain);
        media.caption_html = html;
    }
    if schema.uses("m.alt_text")
        && let Some(AnyBlock::AltText(alt)) = reader.typed("m.alt_text")
    {
        media.alt_text = alt.plain_text().map(str::to_owned);
    }
    if schema.uses("m.image_details")
        && let Some(AnyBlock::ImageDetails(d)) = reader.typed("m.image_details")
    {
        media.width = Some(d.width);
        media.height = Some(d.height);
        media.sticker = d.sticker;
    }
    if schema.uses("m.video_details")
        && let Some(AnyBlock::VideoDetails(d)) = reader.typed("m.video_details")
    {
        media.width = Some(d.width);
        media.height = Some(d.height);
        media.duration_secs = d.duration;
    }
    if schema.uses("m.audio_details")
        && let Some(AnyBlock::AudioDetails(d)) = reader.typed("m.audio_details")
    {
        media.duration_secs = Some(d.duration_secs());
        media.waveform = d.waveform_scaled(exev::AudioDetailsBlock::WAVEFORM_MAX);
    }
    Some(media)
}

fn poll(reader: &mut Reader<'_>) -> Option<PollView> {
    let Some(AnyBlock::Poll(poll)) = reader.typed("m.poll") else {
        return None;
    };
    let everything = Capabilities::new();
    let (question, question_html) = plain_and_html(&poll.question.text, &everything);
    Some(PollView {
        question,
        question_html,
        kind: poll.kind().as_str().to_owned(),
        max_selections: poll.max_selections(),
        answers: poll
            .answers_for_display()
            .iter()
            .map(|a| PollAnswerView {
                id: a.id.clone(),
                text: plain_and_html(&a.text, &everything).0,
            })
            .collect(),
        answers_sent: poll.answers.len(),
    })
}

fn location(reader: &mut Reader<'_>) -> Option<LocationView> {
    let Some(AnyBlock::Location(location)) = reader.typed("m.location") else {
        return None;
    };
    let (uri, description, zoom_level) = (
        location.uri.clone(),
        location.description.clone(),
        location.zoom_level,
    );
    let asset = match reader.typed("m.asset") {
        Some(AnyBlock::Asset(a)) => a.asset_type.clone(),
        _ => exev::AssetBlock::SELF.to_owned(),
    };
    let ts = match reader.typed("m.ts") {
        Some(AnyBlock::Ts(ts)) => Some(ts.millis()),
        _ => None,
    };
    Some(LocationView {
        uri,
        description,
        zoom_level,
        asset,
        ts,
    })
}

/// Lists the blocks present that the rendering does not use.
fn ignored(reader: &mut Reader<'_>, schema: &EventTypeDef, used: &[&str], r: &mut Rendering) {
    let registry = reader.registry;
    for entry in reader.content.blocks() {
        let def = registry.block(entry.name);
        let reason = match def {
            None => "unknown block".to_owned(),
            Some(def) => {
                let read_under = registry
                    .find_block(reader.content, &def.name)
                    .map(|(name, _)| name);
                let in_schema = def.names().any(|(name, _, _)| used.contains(&name));
                // The v1 string pair: `org.matrix.msc1767.html` is read along with the
                // `org.matrix.msc1767.text` string (see `Content::text`).
                let v1_html = entry.name == "org.matrix.msc1767.html"
                    && read_under == Some("org.matrix.msc1767.text")
                    && reader
                        .content
                        .get_raw("org.matrix.msc1767.text")
                        .is_some_and(|v| v.as_str().is_some());
                if v1_html && in_schema {
                    continue;
                } else if read_under.is_some_and(|n| n != entry.name) {
                    format!("{} is read instead", read_under.unwrap_or_default())
                } else if in_schema || def.mixin {
                    continue;
                } else {
                    format!("not part of the {} schema", schema.name)
                }
            }
        };
        r.ignored.push(IgnoredBlock {
            name: entry.name.to_owned(),
            reason,
        });
    }
}
