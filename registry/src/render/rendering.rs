//! [`Rendering`]: what the renderer decided about an event, and why.

use std::collections::BTreeMap;

use exev::{Object, Value};

/// What became of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Shown as a message, as the schema [`Rendering::rendered_as`] names.
    Rendered,
    /// Not shown on its own: the event type is hidden from the timeline (`m.poll.response`),
    /// or the event acts on another (an edit, a reaction or another annotation, a
    /// redaction), which a timeline applies to its target.
    Hidden,
    /// A state event: never shown as a message, whatever blocks it carries.
    State,
    /// An encrypted event (`m.room.encrypted`, `m.encrypted`): still to be decrypted, then
    /// rendered as what it decrypts to.
    Encrypted,
    /// No schema the client knows fits the event.
    Unrenderable,
}

impl Outcome {
    /// `"rendered"`, `"hidden"`, `"state"`, `"encrypted"` or `"unrenderable"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Rendered => "rendered",
            Outcome::Hidden => "hidden",
            Outcome::State => "state",
            Outcome::Encrypted => "encrypted",
            Outcome::Unrenderable => "unrenderable",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One schema the renderer tried.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The event type whose schema was tried.
    pub schema: String,
    /// Whether it was the event's own type (`true`) or a fallback.
    pub own_type: bool,
    /// Why it did not fit, or `None` when it did.
    pub ruled_out: Option<RuledOut>,
}

/// Why a schema did not fit.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuledOut {
    /// The block at fault, by the name the schema gives it, when one is.
    pub block: Option<String>,
    /// What is wrong, in words.
    pub reason: String,
    /// Where the fault is, when the block is malformed (`content["m.file"].url`): such
    /// blocks are listed in [`Rendering::skipped`] too.
    pub path: Option<String>,
}

/// Where the rendering's text came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TextSource {
    /// The block, by the name it was sent under (`m.text`, `org.matrix.msc1767.text`,
    /// `m.topic`, ...), or the block the text was made from (`m.location`, `m.poll`).
    pub block: String,
    /// The representation the client uses: the first it understands (`text/plain`,
    /// `text/html`, or a mimetype it named), by its index in the array as sent.
    pub representation: Option<usize>,
    /// That representation's mimetype.
    pub mimetype: Option<String>,
    /// That representation's language (MSC3554).
    pub lang: Option<String>,
    /// Whether the plain text was derived from HTML, there being no plain representation.
    pub from_html: bool,
    /// Whether the text was made by the renderer from other blocks (a location's
    /// description, a poll's question and answers), there being no valid text block.
    pub generated: bool,
    /// Whether a rich reply's fallback (its leading `> ` quote) was stripped from the plain
    /// text, as the spec says clients that support replies must.
    pub reply_fallback_stripped: bool,
}

/// A file reference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileRef {
    /// The `mxc://` URL.
    pub url: String,
    /// The file name.
    pub name: Option<String>,
    /// The mimetype.
    pub mimetype: Option<String>,
    /// The size in bytes.
    pub size: Option<u64>,
    /// Whether the file is encrypted (its keys are in the event's `m.file`).
    pub encrypted: bool,
}

/// The thumbnail chosen for media: among those in a mimetype the client understands, the
/// smallest by bytes (then pixels).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ThumbnailRef {
    /// The thumbnail's file.
    pub file: FileRef,
    /// Its width in pixels.
    pub width: u64,
    /// Its height in pixels.
    pub height: u64,
}

/// The media of an event rendered as a file, image, video, audio clip or voice message:
/// whatever its schema uses and it carries validly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Media {
    /// The file.
    pub file: FileRef,
    /// The thumbnail to show, if any fits.
    pub thumbnail: Option<ThumbnailRef>,
    /// The caption as plain text.
    pub caption: Option<String>,
    /// The caption as sanitised HTML, when it has an HTML representation.
    pub caption_html: Option<String>,
    /// The alt text (plain text only, as MSC3552 asks).
    pub alt_text: Option<String>,
    /// Width in pixels (image or video details).
    pub width: Option<u64>,
    /// Height in pixels.
    pub height: Option<u64>,
    /// Duration in seconds (video or audio details).
    pub duration_secs: Option<u64>,
    /// The waveform, rescaled to 0..=256 whatever scale it was sent in.
    pub waveform: Option<Vec<u64>>,
    /// Whether the image is a sticker (`m.sticker` in `m.image_details`).
    pub sticker: bool,
}

/// One answer of a poll as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollAnswerView {
    /// The answer's identifier.
    pub id: String,
    /// Its text, plain.
    pub text: String,
}

/// A poll as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollView {
    /// The question, plain.
    pub question: String,
    /// The question as sanitised HTML, when it has an HTML representation.
    pub question_html: Option<String>,
    /// `m.disclosed` or `m.undisclosed` (unknown kinds read as undisclosed).
    pub kind: String,
    /// How many answers a vote may pick.
    pub max_selections: u64,
    /// The answers shown: the first 20, as MSC3381 says.
    pub answers: Vec<PollAnswerView>,
    /// How many answers were sent.
    pub answers_sent: usize,
}

/// A location as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocationView {
    /// The `geo:` URI.
    pub uri: String,
    /// Its description.
    pub description: Option<String>,
    /// Its zoom level (0..=20).
    pub zoom_level: Option<u64>,
    /// What it is the location of (`m.asset`'s type; `m.self` when absent, as MSC3488 says).
    pub asset: String,
    /// When, in milliseconds since the Unix epoch (`m.ts`).
    pub ts: Option<i64>,
}

/// The event's relation to another (the `m.relates_to` mixin).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Relation {
    /// The relation type (`m.replace`, `m.reference`, `m.thread`, ...).
    pub rel_type: Option<String>,
    /// The event it points at.
    pub event_id: Option<String>,
    /// The event it replies to: `m.in_reply_to`, unless that is only a thread's fallback for
    /// clients without threads.
    pub reply_to: Option<String>,
    /// The annotation applied, for `m.annotation` (a reaction's key).
    pub key: Option<String>,
    /// For threads: whether `m.in_reply_to` is only the fallback for clients without threads.
    pub is_falling_back: bool,
}

impl Relation {
    /// The thread root, for `m.thread` relations.
    pub fn thread_root(&self) -> Option<&str> {
        (self.rel_type.as_deref() == Some("m.thread"))
            .then_some(self.event_id.as_deref())
            .flatten()
    }

    /// The event this one edits, for `m.replace` relations.
    pub fn edit_target(&self) -> Option<&str> {
        (self.rel_type.as_deref() == Some("m.replace"))
            .then_some(self.event_id.as_deref())
            .flatten()
    }
}

/// Who the event mentions (the `m.mentions` mixin).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mentions {
    /// The users mentioned.
    pub user_ids: Vec<String>,
    /// Whether the whole room is.
    pub room: bool,
}

/// A block the rendering does not use, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IgnoredBlock {
    /// The block, by the name it was sent under.
    pub name: String,
    /// Why it is not used.
    pub reason: String,
}

/// How a legacy event was read (`exev::legacy::view`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LegacySource {
    /// `"legacy fields"`, `"hybrid blocks"` (a consistent MSC4460 hybrid), or `"legacy fields
    /// only"` (a hybrid whose blocks disagree with its fields: MSC4460 says not to use them).
    pub read_from: &'static str,
    /// The event's `msgtype`, for `m.room.message`.
    pub msgtype: Option<String>,
    /// What the blocks of a disagreeing hybrid say otherwise.
    pub mismatches: Vec<String>,
}

/// Something the renderer skipped because it is malformed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Skipped {
    /// Where, e.g. `content["m.thumbnail"][0]["m.file"]`.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// What the renderer decided about an event: the outcome, the schema it rendered as and
/// why (with every schema it tried), the text in plain and sanitised HTML form, and what the
/// chosen schema shows (media, poll, location), with the mixins' effects and what was
/// skipped or ignored.
///
/// [`Rendering::to_value`] gives it as one JSON object; `exev render --format json` prints
/// that.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rendering {
    /// What became of the event.
    pub outcome: Outcome,
    /// The event type as sent.
    pub event_type: String,
    /// The event type whose schema it rendered as (or, for hidden and state events of a type
    /// the registry knows, that type).
    pub rendered_as: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
    /// Every schema tried, in order.
    pub attempts: Vec<Attempt>,
    /// The plain-text form ("" when there is none).
    pub text: String,
    /// The sanitised HTML form, when the text has an HTML representation.
    pub html: Option<String>,
    /// Where the text came from.
    pub text_source: Option<TextSource>,
    /// Whether the `m.automated` mixin is `true`.
    pub automated: bool,
    /// The media, when the schema is a media schema.
    pub media: Option<Media>,
    /// The poll, when the schema has one.
    pub poll: Option<PollView>,
    /// A closed poll's tally, when the schema has one (`m.poll.end`).
    pub poll_results: Option<BTreeMap<String, u64>>,
    /// The location, when the schema has one.
    pub location: Option<LocationView>,
    /// The relation, when the event has a valid `m.relates_to`.
    pub relation: Option<Relation>,
    /// The mentions, when the event has a valid `m.mentions`.
    pub mentions: Option<Mentions>,
    /// Blocks present but not used.
    pub ignored: Vec<IgnoredBlock>,
    /// Malformed blocks and representations skipped, and values out of range clamped for
    /// display.
    pub skipped: Vec<Skipped>,
    /// For a legacy event, how it was read.
    pub legacy: Option<LegacySource>,
    /// For an edit (hidden on its own), how its new content renders: what a timeline shows
    /// in place of its original.
    pub new_content: Option<Box<Rendering>>,
}

impl Rendering {
    /// A rendering of an event of type `event_type` with nothing decided yet.
    pub(crate) fn new(event_type: &str, outcome: Outcome) -> Rendering {
        Rendering {
            outcome,
            event_type: event_type.to_owned(),
            rendered_as: None,
            reason: String::new(),
            attempts: Vec::new(),
            text: String::new(),
            html: None,
            text_source: None,
            automated: false,
            media: None,
            poll: None,
            poll_results: None,
            location: None,
            relation: None,
            mentions: None,
            ignored: Vec::new(),
            skipped: Vec::new(),
            legacy: None,
            new_content: None,
        }
    }

    /// Adds `skipped` unless it is listed already.
    pub(crate) fn skip(&mut self, skipped: Skipped) {
        if !self.skipped.contains(&skipped) {
            self.skipped.push(skipped);
        }
    }

    /// Whether the event shows in the timeline.
    pub fn is_rendered(&self) -> bool {
        self.outcome == Outcome::Rendered
    }

    /// The rendering as one JSON object: `outcome`, `as`, `text`, `html` and `automated` (the
    /// members `exev render --format json` promises), then `event_type`, `reason`,
    /// `attempts`, `text_source`, `media`, `poll`, `poll_results`, `location`, `relation`,
    /// `mentions`, `ignored`, `skipped`, `legacy` and `new_content`. Absent parts are `null`.
    ///
    /// ```
    /// use exev::{Content, Event, TextBlock, Value};
    /// use exev_registry::{Capabilities, Registry};
    ///
    /// let mut content = Content::new();
    /// content.set(&TextBlock::plain("hi"));
    /// let registry = Registry::built_in();
    /// let rendering = registry.render(&Event::new("m.message", content), &Capabilities::everything(&registry));
    /// let v = rendering.to_value();
    /// assert_eq!(v.get("outcome"), Some(&Value::from("rendered")));
    /// assert_eq!(v.get("as"), Some(&Value::from("m.message")));
    /// assert_eq!(v.get("text"), Some(&Value::from("hi")));
    /// assert_eq!(v.get("html"), Some(&Value::Null));
    /// assert_eq!(v.get("automated"), Some(&Value::Bool(false)));
    /// ```
    pub fn to_value(&self) -> Value {
        let mut o = Object::new();
        o.insert("outcome".into(), self.outcome.as_str().into());
        o.insert("as".into(), opt_str(self.rendered_as.as_deref()));
        o.insert("text".into(), self.text.as_str().into());
        o.insert("html".into(), opt_str(self.html.as_deref()));
        o.insert("automated".into(), Value::Bool(self.automated));
        o.insert("event_type".into(), self.event_type.as_str().into());
        o.insert("reason".into(), self.reason.as_str().into());
        o.insert(
            "attempts".into(),
            Value::Array(self.attempts.iter().map(attempt_value).collect()),
        );
        o.insert(
            "text_source".into(),
            self.text_source
                .as_ref()
                .map_or(Value::Null, text_source_value),
        );
        o.insert(
            "media".into(),
            self.media.as_ref().map_or(Value::Null, media_value),
        );
        o.insert(
            "poll".into(),
            self.poll.as_ref().map_or(Value::Null, poll_value),
        );
        o.insert(
            "poll_results".into(),
            self.poll_results.as_ref().map_or(Value::Null, |results| {
                results
                    .iter()
                    .map(|(id, n)| (id.clone(), uint(*n)))
                    .collect()
            }),
        );
        o.insert(
            "location".into(),
            self.location.as_ref().map_or(Value::Null, location_value),
        );
        o.insert(
            "relation".into(),
            self.relation.as_ref().map_or(Value::Null, relation_value),
        );
        o.insert(
            "mentions".into(),
            self.mentions.as_ref().map_or(Value::Null, |m| {
                object([
                    (
                        "user_ids",
                        Value::Array(m.user_ids.iter().map(|u| u.as_str().into()).collect()),
                    ),
                    ("room", Value::Bool(m.room)),
                ])
            }),
        );
        o.insert(
            "ignored".into(),
            Value::Array(
                self.ignored
                    .iter()
                    .map(|i| {
                        object([
                            ("name", i.name.as_str().into()),
                            ("reason", i.reason.as_str().into()),
                        ])
                    })
                    .collect(),
            ),
        );
        o.insert(
            "skipped".into(),
            Value::Array(
                self.skipped
                    .iter()
                    .map(|s| {
                        object([
                            ("path", s.path.as_str().into()),
                            ("reason", s.reason.as_str().into()),
                        ])
                    })
                    .collect(),
            ),
        );
        o.insert(
            "legacy".into(),
            self.legacy.as_ref().map_or(Value::Null, |l| {
                object([
                    ("read_from", l.read_from.into()),
                    ("msgtype", opt_str(l.msgtype.as_deref())),
                    (
                        "mismatches",
                        Value::Array(l.mismatches.iter().map(|m| m.as_str().into()).collect()),
                    ),
                ])
            }),
        );
        o.insert(
            "new_content".into(),
            self.new_content
                .as_ref()
                .map_or(Value::Null, |n| n.to_value()),
        );
        Value::Object(o)
    }
}

/// An object of these members.
pub(crate) fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    members
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// A string, or `null`.
pub(crate) fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

/// An unsigned count as a JSON integer (saturating at the canonical-JSON maximum).
pub(crate) fn uint(n: u64) -> Value {
    Value::Integer(
        i64::try_from(n)
            .unwrap_or(exev::MAX_SAFE_INTEGER)
            .min(exev::MAX_SAFE_INTEGER),
    )
}

fn opt_uint(n: Option<u64>) -> Value {
    n.map_or(Value::Null, uint)
}

fn attempt_value(a: &Attempt) -> Value {
    object([
        ("schema", a.schema.as_str().into()),
        ("own_type", Value::Bool(a.own_type)),
        ("matched", Value::Bool(a.ruled_out.is_none())),
        (
            "block",
            opt_str(a.ruled_out.as_ref().and_then(|r| r.block.as_deref())),
        ),
        (
            "reason",
            opt_str(a.ruled_out.as_ref().map(|r| r.reason.as_str())),
        ),
        (
            "path",
            opt_str(a.ruled_out.as_ref().and_then(|r| r.path.as_deref())),
        ),
    ])
}

fn text_source_value(t: &TextSource) -> Value {
    object([
        ("block", t.block.as_str().into()),
        (
            "representation",
            t.representation
                .map_or(Value::Null, |i| uint(u64::try_from(i).unwrap_or(u64::MAX))),
        ),
        ("mimetype", opt_str(t.mimetype.as_deref())),
        ("lang", opt_str(t.lang.as_deref())),
        ("from_html", Value::Bool(t.from_html)),
        ("generated", Value::Bool(t.generated)),
        (
            "reply_fallback_stripped",
            Value::Bool(t.reply_fallback_stripped),
        ),
    ])
}

fn file_value(f: &FileRef) -> Value {
    object([
        ("url", f.url.as_str().into()),
        ("name", opt_str(f.name.as_deref())),
        ("mimetype", opt_str(f.mimetype.as_deref())),
        ("size", opt_uint(f.size)),
        ("encrypted", Value::Bool(f.encrypted)),
    ])
}

fn media_value(m: &Media) -> Value {
    object([
        ("file", file_value(&m.file)),
        (
            "thumbnail",
            m.thumbnail.as_ref().map_or(Value::Null, |t| {
                object([
                    ("file", file_value(&t.file)),
                    ("width", uint(t.width)),
                    ("height", uint(t.height)),
                ])
            }),
        ),
        ("caption", opt_str(m.caption.as_deref())),
        ("caption_html", opt_str(m.caption_html.as_deref())),
        ("alt_text", opt_str(m.alt_text.as_deref())),
        ("width", opt_uint(m.width)),
        ("height", opt_uint(m.height)),
        ("duration_secs", opt_uint(m.duration_secs)),
        (
            "waveform",
            m.waveform.as_ref().map_or(Value::Null, |w| {
                Value::Array(w.iter().map(|v| uint(*v)).collect())
            }),
        ),
        ("sticker", Value::Bool(m.sticker)),
    ])
}

fn poll_value(p: &PollView) -> Value {
    object([
        ("question", p.question.as_str().into()),
        ("question_html", opt_str(p.question_html.as_deref())),
        ("kind", p.kind.as_str().into()),
        ("max_selections", uint(p.max_selections)),
        (
            "answers",
            Value::Array(
                p.answers
                    .iter()
                    .map(|a| {
                        object([
                            ("id", a.id.as_str().into()),
                            ("text", a.text.as_str().into()),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "answers_sent",
            uint(u64::try_from(p.answers_sent).unwrap_or(u64::MAX)),
        ),
    ])
}

fn location_value(l: &LocationView) -> Value {
    object([
        ("uri", l.uri.as_str().into()),
        ("description", opt_str(l.description.as_deref())),
        ("zoom_level", opt_uint(l.zoom_level)),
        ("asset", l.asset.as_str().into()),
        ("ts", l.ts.map_or(Value::Null, Value::Integer)),
    ])
}

fn relation_value(r: &Relation) -> Value {
    object([
        ("rel_type", opt_str(r.rel_type.as_deref())),
        ("event_id", opt_str(r.event_id.as_deref())),
        ("reply_to", opt_str(r.reply_to.as_deref())),
        ("edit_target", opt_str(r.edit_target())),
        ("key", opt_str(r.key.as_deref())),
        ("is_falling_back", Value::Bool(r.is_falling_back)),
        ("thread_root", opt_str(r.thread_root())),
    ])
}
