//! The fallback renderer: MSC1767's algorithm for showing events, including events of types
//! the client does not know (digest §7).

use std::collections::BTreeMap;

use exev::blocks::AnyBlock;
use exev::legacy::{self, LegacyReading};
use exev::{Block, Content, Event, KnownBlock, TextBlock, ValueRef, block_path};

use super::capabilities::{RoomSupport, mimetype_matches};
use super::relations::{acting_on_another, relation_view};
use super::rendering::{
    Attempt, FileRef, IgnoredBlock, LegacySource, LocationView, Media, Mentions, Outcome,
    PollAnswerView, PollView, Rendering, RuledOut, Skipped, TextSource, ThumbnailRef,
};
use super::text::{plain_and_html, text_form};
use crate::{BlockDef, Capabilities, Constraint, EventTypeDef, Registry, TypeAlias};

/// The legacy event types a room version with extensible events deprecates, which clients
/// there must treat as unrenderable by force (MSC1767; MSC3552 removes `m.sticker` alike).
const DEPRECATED_IN_EXTENSIBLE_ROOMS: &[&str] = &["m.room.message", "m.sticker"];

/// What reading one block found.
enum Read<'c> {
    /// Under none of its names.
    Absent,
    /// Present and valid; typed when it is a block of the model's table. Values out of range
    /// that rendering clamps (a waveform sample) are listed in `clamped`.
    Valid {
        name: &'c str,
        typed: Option<AnyBlock>,
        clamped: Vec<Skipped>,
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
    /// Whether the stable names of blocks that render only in rooms with extensible events
    /// count as absent (a legacy room, MSC4460).
    withhold: bool,
}

impl<'a> Reader<'a> {
    fn new(registry: &'a Registry, content: &'a Content, withhold: bool) -> Reader<'a> {
        Reader {
            registry,
            content,
            cache: BTreeMap::new(),
            withhold,
        }
    }

    /// Whether the name `name` of `def` is withheld in this room.
    fn withheld(&self, def: &BlockDef, name: &str) -> bool {
        self.withhold && def.extensible_rooms_only && name == def.name
    }

    /// The first name of `block` present and not withheld, with its value.
    fn find(&self, block: &str) -> Option<(&'a str, ValueRef<'a>)> {
        let content: &'a Content = self.content;
        let lookup = |name: &str| content.as_object_ref().get_key_value(name);
        match self.registry.block(block) {
            Some(def) => def
                .names()
                .filter(|(name, _, _)| !self.withheld(def, name))
                .find_map(|(name, _, _)| lookup(name)),
            None => lookup(block),
        }
    }

    /// Reads `block` (any of its names): absent, valid (typed if the model knows it) or
    /// invalid.
    fn read(&mut self, block: &str) -> &Read<'a> {
        if !self.cache.contains_key(block) {
            let read = read_block(self, block);
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
fn read_block<'c>(reader: &Reader<'c>, block: &str) -> Read<'c> {
    let (registry, content) = (reader.registry, reader.content);
    let Some((name, value)) = reader.find(block) else {
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
    match def.and_then(BlockDef::known) {
        Some(KnownBlock::Text) => {
            // `Content::text` pairs the v1 string forms of plain text and HTML.
            let read_by_content = content
                .find_ref(KnownBlock::Text)
                .is_some_and(|(found, _)| found == name);
            let read = read_by_content
                .then(|| content.text())
                .flatten()
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
                    clamped: Vec::new(),
                },
                Err(e) => Read::Invalid {
                    path: e.path().to_string(),
                    reason: e.kind().to_string(),
                },
            }
        }
        // One value out of range (a waveform sample, a zoom level) is clamped for display
        // and reported, rather than voiding the block.
        Some(known) => match AnyBlock::read_clamped(known, name, value) {
            Ok((typed, notes)) => Read::Valid {
                name,
                typed: Some(typed),
                clamped: notes
                    .into_iter()
                    .map(|e| {
                        let e = e.within(&block_path(name));
                        Skipped {
                            path: e.path().to_string(),
                            reason: format!("{}: clamped into range for display", e.kind()),
                        }
                    })
                    .collect(),
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
                _ => Read::Valid {
                    name,
                    typed: None,
                    clamped: Vec::new(),
                },
            }
        }
    }
}

/// Renders `event` for a client with `capabilities`, by the schemas of `registry`
/// (MSC1767; digest §7):
///
/// 1. The room: in a room version with extensible events ([`RoomSupport::Extensible`]),
///    `m.room.message` and `m.sticker` are unrenderable by force (MSC1767). In a legacy room
///    ([`RoomSupport::Legacy`]), the stable text, file, image, video, audio and notice blocks
///    of event types other than those MSC4460 exempts (polls, room topics) count as absent.
/// 2. Events that act on another (edits, annotations such as reactions, redactions) are
///    [`Outcome::Hidden`], saying what they do; an edit's new content is rendered in
///    [`Rendering::new_content`]. A timeline applies them to their targets.
/// 3. Legacy events (`m.room.message` of any msgtype, `m.sticker`, `m.room.encrypted`) are
///    read into their extensible form ([`exev::legacy::view`]: from their legacy fields, or
///    from a consistent MSC4460 hybrid's blocks) and rendered as that; [`Rendering::legacy`]
///    says how.
/// 4. A state event (it has a `state_key`, or its type is a state type) is never rendered as
///    a message: outcome [`Outcome::State`]. A type the registry marks hidden
///    (`m.poll.response`) is [`Outcome::Hidden`]; one it marks encrypted (`m.encrypted`) is
///    [`Outcome::Encrypted`], still to be decrypted.
/// 5. A type the client knows renders as itself when its required blocks are present and
///    valid and its constraints hold (a voice message's waveform and audio mimetype, say).
/// 6. Otherwise the schemas the client knows are tried in its order, or the registry's
///    ([`Registry::fallback_order`]: video, voice, audio, image, file, location, poll, then
///    `m.text` as a message). A fallback match also needs the blocks that mark the schema
///    (`m.image_details` for an image, ...), and media schemas need a file whose mimetype
///    fits the schema (never an image for `video/*`) and which the client understands.
///    Voice, as a fallback, needs MSC3245's voice marker, not merely a waveform.
/// 7. Nothing fits: [`Outcome::Unrenderable`].
///
/// The text is the first representation the client understands (plain text, HTML, and the
/// mimetypes it named, compared by type and subtype), the best match for its preferred
/// languages among them; HTML shows only when it is that representation. A rich reply's
/// fallback is stripped.
///
/// Mixins the registry knows apply (`m.automated`, `m.relates_to`, `m.mentions`); unknown
/// blocks, mixins included, are ignored and listed in [`Rendering::ignored`]. Malformed blocks
/// that rule a schema out or that the chosen schema would use, and invalid `m.text`
/// representations, are skipped and listed in [`Rendering::skipped`], with the values clamped
/// for display (a waveform sample out of range). Never panics, whatever the event holds.
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
    if capabilities.room() == RoomSupport::Extensible
        && DEPRECATED_IN_EXTENSIBLE_ROOMS.contains(&sent)
    {
        let mut r = Rendering::new(sent, Outcome::Unrenderable);
        r.reason = format!(
            "{sent} is deprecated in room versions with extensible events: clients MUST treat \
             it as unrenderable by force (MSC1767)"
        );
        return r;
    }
    if let Some(r) = acting_on_another(event, capabilities, registry) {
        return r;
    }
    if let Some(view) = legacy::view(event) {
        let mut r = render_blocks(&view.event, capabilities, registry, false);
        r.event_type = sent.to_owned();
        let msgtype = event
            .content()
            .get_ref("msgtype")
            .and_then(ValueRef::as_str)
            .map(str::to_owned);
        let (read_from, mismatches) = match view.reading {
            LegacyReading::LegacyFields => ("legacy fields", Vec::new()),
            LegacyReading::HybridBlocks => ("hybrid blocks", Vec::new()),
            LegacyReading::LegacyFieldsOnly(problems) => ("legacy fields only", problems),
            _ => ("legacy fields", Vec::new()),
        };
        for m in &mismatches {
            r.skip(Skipped {
                path: m.path.to_string(),
                reason: format!(
                    "{}: the hybrid's blocks disagree with its legacy fields, so they are not \
                     used (MSC4460)",
                    m.message
                ),
            });
        }
        r.legacy = Some(LegacySource {
            read_from,
            msgtype,
            mismatches: mismatches.iter().map(ToString::to_string).collect(),
        });
        return r;
    }
    let withhold = capabilities.room() == RoomSupport::Legacy
        && !registry.event_type(sent).is_some_and(|t| t.in_legacy_rooms);
    render_blocks(event, capabilities, registry, withhold)
}

/// Renders an extensible event from its blocks (steps 4 to 7 of [`render`]); with
/// `withhold`, the stable blocks a legacy room does not render count as absent.
fn render_blocks(
    event: &Event,
    capabilities: &Capabilities,
    registry: &Registry,
    withhold: bool,
) -> Rendering {
    let sent = event.event_type();
    let content = event.content();
    let own = registry.event_type(sent);
    let mut reader = Reader::new(registry, content, withhold);
    let mut r = Rendering::new(sent, Outcome::Unrenderable);
    withheld(&reader, &mut r);
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
    if let Some(t) = own.filter(|t| t.encrypted) {
        r.outcome = Outcome::Encrypted;
        r.rendered_as = Some(t.name.clone());
        r.reason = format!(
            "{} is encrypted: it renders as what it decrypts to, and never from its \
             ciphertext (MSC3956)",
            t.name
        );
        return r;
    }

    let mut own_failure = None;
    if let Some(t) = own.filter(|t| capabilities.knows(t)) {
        let ruled_out = try_schema(&mut reader, t, t.alias_named(sent), false, capabilities);
        note_malformed(ruled_out.as_ref(), &mut r);
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
        note_malformed(ruled_out.as_ref(), &mut r);
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

/// Lists in `ignored` the blocks a legacy room does not render (MSC4460), whatever the outcome.
fn withheld(reader: &Reader<'_>, r: &mut Rendering) {
    for (name, _) in reader.content.as_object_ref().iter() {
        if reader
            .registry
            .block(name)
            .is_some_and(|def| reader.withheld(def, name))
        {
            r.ignored.push(IgnoredBlock {
                name: name.to_owned(),
                reason: format!(
                    "{name} is not rendered on {} outside rooms with extensible events (MSC4460)",
                    r.event_type
                ),
            });
        }
    }
}

/// Lists in `skipped` the malformed block that ruled a schema out: it changed the outcome.
fn note_malformed(ruled_out: Option<&RuledOut>, r: &mut Rendering) {
    if let Some(RuledOut {
        path: Some(path),
        reason,
        ..
    }) = ruled_out
    {
        let reason = reason
            .strip_prefix(&format!("{path}: "))
            .unwrap_or(reason)
            .to_owned();
        r.skip(Skipped {
            path: path.clone(),
            reason,
        });
    }
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
                    path: None,
                });
            }
            Read::Invalid { path, reason } => {
                return Some(RuledOut {
                    block: Some(block.clone()),
                    reason: format!("{path}: {reason}"),
                    path: Some(path.clone()),
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
            path: None,
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
        // Validation's business: clients render the block without it.
        Constraint::RequiredField { .. } => None,
        Constraint::HasField { block, fields } => {
            let has = reader
                .find(block)
                .and_then(|(_, v)| v.as_object())
                .is_some_and(|o| fields.iter().any(|f| o.get(f).is_some()));
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
        // MSC3955: a value other than a boolean counts as false; said so, as malformed.
        if def_known == KnownBlock::Automated
            && let Some((name, value)) = reader.find(block)
            && !exev::AutomatedBlock::is_boolean(value)
        {
            r.skip(Skipped {
                path: block_path(name).to_string(),
                reason: format!(
                    "expected a boolean, found {}; treated as false (MSC3955)",
                    value.kind()
                ),
            });
        }
        match reader.read(block) {
            Read::Valid {
                typed: Some(typed), ..
            } => match typed {
                AnyBlock::Automated(a) => r.automated = a.is_automated(),
                AnyBlock::RelatesTo(rel) => r.relation = Some(relation_view(rel)),
                AnyBlock::Mentions(m) => {
                    r.mentions = Some(Mentions {
                        user_ids: m.user_ids.clone().unwrap_or_default(),
                        room: m.mentions_room(),
                    });
                }
                _ => {}
            },
            Read::Invalid { path, reason } => {
                let skipped = Skipped {
                    path: path.clone(),
                    reason: reason.clone(),
                };
                r.skip(skipped);
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
        match reader.read(block) {
            Read::Invalid { path, reason } => {
                let skipped = Skipped {
                    path: path.clone(),
                    reason: reason.clone(),
                };
                r.skip(skipped);
            }
            Read::Valid { clamped, .. } => {
                for c in clamped.clone() {
                    r.skip(c);
                }
            }
            Read::Absent => {}
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

/// Sets the rendering's text from the schema's text blocks, or makes one from its location
/// or poll when none is valid.
fn text(
    reader: &mut Reader<'_>,
    schema: &EventTypeDef,
    capabilities: &Capabilities,
    r: &mut Rendering,
) {
    // A rich reply's plain-text fallback is stripped (spec, "Stripping the fallback"), the
    // thread's fallback reply for clients without threads too.
    let reply = reader
        .content
        .get::<exev::RelatesToBlock>()
        .and_then(Result::ok)
        .is_some_and(|rel| rel.reply_to().is_some());
    for block in &schema.text_blocks {
        let (name, typed) = match reader.read(block) {
            Read::Valid { name, typed, .. } => (*name, typed),
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
                let form = text_form(t, name, capabilities, reply);
                r.text = form.plain;
                r.html = form.html;
                r.text_source = Some(form.source);
                for s in form.skipped {
                    r.skip(s);
                }
                return;
            }
            Some(_) => {}
            None => {
                if let Some(s) = reader.content.get_ref(name).and_then(ValueRef::as_str) {
                    r.text = s.to_owned();
                    r.text_source = Some(TextSource {
                        block: name.to_owned(),
                        representation: None,
                        mimetype: None,
                        lang: None,
                        from_html: false,
                        generated: false,
                        reply_fallback_stripped: false,
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
            reply_fallback_stripped: false,
        });
    }
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
    for (name, _) in reader.content.as_object_ref().iter() {
        let def = registry.block(name);
        let reason = match def {
            None => "unknown block".to_owned(),
            // Listed already, with why (`withheld`).
            Some(def) if reader.withheld(def, name) => continue,
            Some(def) => {
                let read_under = reader.find(&def.name).map(|(name, _)| name);
                let in_schema = def.names().any(|(name, _, _)| used.contains(&name));
                // The v1 string pair: `org.matrix.msc1767.html` is read along with the
                // `org.matrix.msc1767.text` string (see `Content::text`).
                let v1_html = name == "org.matrix.msc1767.html"
                    && read_under == Some("org.matrix.msc1767.text")
                    && reader
                        .content
                        .get_ref("org.matrix.msc1767.text")
                        .is_some_and(|v| v.as_str().is_some());
                if v1_html && in_schema {
                    continue;
                } else if read_under.is_some_and(|n| n != name) {
                    format!("{} is read instead", read_under.unwrap_or_default())
                } else if in_schema || def.mixin {
                    continue;
                } else {
                    format!("not part of the {} schema", schema.name)
                }
            }
        };
        r.ignored.push(IgnoredBlock {
            name: name.to_owned(),
            reason,
        });
    }
}
