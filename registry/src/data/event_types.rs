//! [`EventTypeDef`]: what the registry records about one event type, and the built-in types.

use exev::{NameStatus, Value};

/// One more name an event type is sent under.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TypeAlias {
    /// The name.
    pub name: String,
    /// How it relates to the stable specification.
    pub status: NameStatus,
    /// Blocks events sent under this name must also carry (the unstable poll end's
    /// `org.matrix.msc3381.poll.end` marker, say).
    pub also_requires: Vec<String>,
}

/// A condition an event type's schema sets beyond the presence of its blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Constraint {
    /// The `m.file` block's `mimetype` must match one of `patterns` (`"image/*"`, or a whole
    /// mimetype). Without a mimetype the file passes unless `required`. A schema with this
    /// constraint is a media schema: the client must also understand the file's mimetype.
    FileMimetype {
        /// The accepted mimetypes; `type/*` accepts every subtype.
        patterns: Vec<String>,
        /// Whether a file without a mimetype fails.
        required: bool,
    },
    /// Block `block` must be an object with at least one of `fields` (a voice message's
    /// `m.audio_details` needs its `waveform`, stable or unstable).
    HasField {
        /// The block, by name.
        block: String,
        /// The members of which one must be present.
        fields: Vec<String>,
    },
    /// Block `block` must have member `field` for the event to be valid (MSC3551: an
    /// `m.file` event's file has a `name`). Checked by validation (the published schema), not
    /// by rendering: a client still shows the file without it.
    RequiredField {
        /// The block, by name.
        block: String,
        /// The member it must have.
        field: String,
    },
}

/// What the registry records about one event type: its names, the blocks its schema
/// requires and allows, whether it is a state event or hidden, and whether and how early the
/// renderer tries it for events of types a client does not know.
///
/// Owned data, so that registrars' manifests can fill it; built with [`EventTypeDef::new`]
/// and the builder methods. Blocks are named by any of their names (the stable one, by
/// convention).
///
/// ```
/// use exev_registry::EventTypeDef;
///
/// let temperature = EventTypeDef::new("org.example.temperature")
///     .requires("m.text")
///     .requires("org.example.probe_value")
///     .description("A temperature reading.");
/// assert_eq!(temperature.required, ["m.text", "org.example.probe_value"]);
/// assert_eq!(temperature.fallback_priority, None);
/// assert_eq!(temperature.text_blocks, ["m.text"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventTypeDef {
    /// The name it is known by: its stable name, or its unstable name when it has no stable
    /// one.
    pub name: String,
    /// The status of `name`.
    pub status: NameStatus,
    /// Every other name it is sent under.
    pub aliases: Vec<TypeAlias>,
    /// Blocks that must be present and valid for an event to render as this type.
    pub required: Vec<String>,
    /// Blocks the schema uses when present; mixins are allowed on every type besides these.
    pub optional: Vec<String>,
    /// Whether events of this type are state events, never rendered as messages.
    pub state: bool,
    /// Whether events of this type are hidden from the timeline (`m.poll.response`).
    pub hidden: bool,
    /// Whether events of this type are encrypted payloads still to be decrypted
    /// (`m.encrypted`): never rendered from their blocks.
    pub encrypted: bool,
    /// Whether events of this type render their stable blocks in rooms without extensible
    /// events support too (MSC4460 permits polls' and room topics' blocks there).
    pub in_legacy_rooms: bool,
    /// Where the renderer tries this schema for events of types the client does not know:
    /// lower first; `None` never.
    pub fallback_priority: Option<u32>,
    /// Blocks an event of another type must also carry to be shown as this type: the ones
    /// that say "this is an image" (`m.image_details`) when the schema itself requires only
    /// what a plain file has.
    pub fallback_requires: Vec<String>,
    /// Conditions beyond the presence of blocks.
    pub constraints: Vec<Constraint>,
    /// The blocks the type's text comes from, first valid one wins: `m.text` by default,
    /// `m.topic` then `topic` for room topics, none for encrypted events.
    pub text_blocks: Vec<String>,
    /// What the type is for, in a sentence.
    pub description: String,
    /// The proposal or document defining it.
    pub defined_by: String,
    /// Its JSON Schema (draft 2020-12), as a registrar published it; `None` for built-in
    /// types, whose schemas are generated from this definition ([`crate::event_type_schema`]).
    pub schema: Option<Value>,
}

impl EventTypeDef {
    /// An event type `name` (a stable name if it starts with `m.`, else unstable) that
    /// requires nothing yet, takes its text from `m.text`, and is never a fallback.
    pub fn new(name: impl Into<String>) -> EventTypeDef {
        let name = name.into();
        let status = if name.starts_with("m.") {
            NameStatus::Stable
        } else {
            NameStatus::Unstable
        };
        EventTypeDef {
            name,
            status,
            aliases: Vec::new(),
            required: Vec::new(),
            optional: Vec::new(),
            state: false,
            hidden: false,
            encrypted: false,
            in_legacy_rooms: false,
            fallback_priority: None,
            fallback_requires: Vec::new(),
            constraints: Vec::new(),
            text_blocks: vec!["m.text".to_owned()],
            description: String::new(),
            defined_by: String::new(),
            schema: None,
        }
    }

    /// Adds a name the type is also sent under.
    #[must_use]
    pub fn alias(self, name: impl Into<String>, status: NameStatus) -> EventTypeDef {
        self.alias_requiring(name, status, Vec::<String>::new())
    }

    /// Adds a name the type is also sent under, whose events must also carry `blocks`.
    #[must_use]
    pub fn alias_requiring<S: Into<String>>(
        mut self,
        name: impl Into<String>,
        status: NameStatus,
        blocks: impl IntoIterator<Item = S>,
    ) -> EventTypeDef {
        self.aliases.push(TypeAlias {
            name: name.into(),
            status,
            also_requires: blocks.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Adds a required block.
    #[must_use]
    pub fn requires(mut self, block: impl Into<String>) -> EventTypeDef {
        self.required.push(block.into());
        self
    }

    /// Adds an optional block.
    #[must_use]
    pub fn optional(mut self, block: impl Into<String>) -> EventTypeDef {
        self.optional.push(block.into());
        self
    }

    /// Marks the type as a state event type.
    #[must_use]
    pub fn state(mut self) -> EventTypeDef {
        self.state = true;
        self
    }

    /// Marks the type as hidden from the timeline.
    #[must_use]
    pub fn hidden(mut self) -> EventTypeDef {
        self.hidden = true;
        self
    }

    /// Marks the type as an encrypted payload, still to be decrypted.
    #[must_use]
    pub fn encrypted(mut self) -> EventTypeDef {
        self.encrypted = true;
        self
    }

    /// Marks the type as rendering its stable blocks in rooms without extensible events.
    #[must_use]
    pub fn in_legacy_rooms(mut self) -> EventTypeDef {
        self.in_legacy_rooms = true;
        self
    }

    /// Makes the schema a fallback for events of unknown types, tried at `priority` (lower
    /// first; the built-in types use 10 to 80).
    #[must_use]
    pub fn fallback(mut self, priority: u32) -> EventTypeDef {
        self.fallback_priority = Some(priority);
        self
    }

    /// Adds a block events of other types need to be shown as this type.
    #[must_use]
    pub fn fallback_requires(mut self, block: impl Into<String>) -> EventTypeDef {
        self.fallback_requires.push(block.into());
        self
    }

    /// Adds a constraint.
    #[must_use]
    pub fn constraint(mut self, constraint: Constraint) -> EventTypeDef {
        self.constraints.push(constraint);
        self
    }

    /// Sets where the type's text comes from, in order of preference.
    #[must_use]
    pub fn text_from<S: Into<String>>(
        mut self,
        blocks: impl IntoIterator<Item = S>,
    ) -> EventTypeDef {
        self.text_blocks = blocks.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> EventTypeDef {
        self.description = description.into();
        self
    }

    /// Sets the defining document.
    #[must_use]
    pub fn defined_by(mut self, defined_by: impl Into<String>) -> EventTypeDef {
        self.defined_by = defined_by.into();
        self
    }

    /// Sets the type's JSON Schema (draft 2020-12).
    #[must_use]
    pub fn schema(mut self, schema: Value) -> EventTypeDef {
        self.schema = Some(schema);
        self
    }

    /// Every name with its status, the type's own name first.
    pub fn names(&self) -> impl Iterator<Item = (&str, NameStatus)> {
        std::iter::once((self.name.as_str(), self.status))
            .chain(self.aliases.iter().map(|a| (a.name.as_str(), a.status)))
    }

    /// The alias `name` is, if it is one of the type's aliases.
    pub fn alias_named(&self, name: &str) -> Option<&TypeAlias> {
        self.aliases.iter().find(|a| a.name == name)
    }

    /// Every block the schema names: required, optional, needed for fallback, and required by
    /// an alias.
    pub fn schema_blocks(&self) -> impl Iterator<Item = &str> {
        self.required
            .iter()
            .chain(&self.optional)
            .chain(&self.fallback_requires)
            .chain(self.aliases.iter().flat_map(|a| &a.also_requires))
            .map(String::as_str)
    }

    /// Whether the schema names `block` (by the name given here).
    pub fn uses(&self, block: &str) -> bool {
        self.schema_blocks().any(|b| b == block)
    }
}

/// MSC3551's rule for files of file events (not of thumbnails): the file has a `name`.
fn file_name_required() -> Constraint {
    Constraint::RequiredField {
        block: "m.file".to_owned(),
        field: "name".to_owned(),
    }
}

/// A media constraint: the file's mimetype must match `pattern` when present.
fn mimetype(pattern: &str, required: bool) -> Constraint {
    Constraint::FileMimetype {
        patterns: vec![pattern.to_owned()],
        required,
    }
}

/// Every built-in event type (digest §2.3, §3, §4): MSC1767 and its family, under their
/// stable names with the unstable names deployed today as aliases.
pub(crate) fn built_in_event_types() -> Vec<EventTypeDef> {
    use NameStatus::Unstable;
    vec![
        EventTypeDef::new("m.message")
            .alias("org.matrix.msc1767.message", Unstable)
            .requires("m.text")
            .fallback(80)
            .defined_by("MSC1767")
            .description("A text message; every event with a valid m.text can render as one."),
        EventTypeDef::new("m.emote")
            .alias("org.matrix.msc1767.emote", Unstable)
            .requires("m.text")
            .defined_by("MSC3954")
            .description("An action (/me), shown with the sender's name."),
        EventTypeDef::new("m.file")
            .alias("org.matrix.msc1767.file", Unstable)
            .requires("m.text")
            .requires("m.file")
            .optional("m.caption")
            .fallback(50)
            .constraint(file_name_required())
            .defined_by("MSC3551")
            .description("A file upload."),
        EventTypeDef::new("m.image")
            .alias("org.matrix.msc1767.image", Unstable)
            .requires("m.text")
            .requires("m.file")
            .optional("m.image_details")
            .optional("m.thumbnail")
            .optional("m.caption")
            .optional("m.alt_text")
            .fallback(40)
            .fallback_requires("m.image_details")
            .constraint(mimetype("image/*", false))
            .constraint(file_name_required())
            .defined_by("MSC3552")
            .description(
                "An image; a sticker when m.image_details says m.sticker (MSC3552 removes the \
                 m.sticker event type).",
            ),
        EventTypeDef::new("m.video")
            .alias("org.matrix.msc1767.video", Unstable)
            .requires("m.text")
            .requires("m.file")
            .optional("m.video_details")
            .optional("m.thumbnail")
            .optional("m.caption")
            .fallback(10)
            .fallback_requires("m.video_details")
            .constraint(mimetype("video/*", false))
            .constraint(file_name_required())
            .defined_by("MSC3553")
            .description("A video, with poster images as thumbnails."),
        EventTypeDef::new("m.audio")
            .alias("org.matrix.msc1767.audio", Unstable)
            .requires("m.text")
            .requires("m.file")
            .optional("m.audio_details")
            .optional("m.caption")
            .fallback(30)
            .fallback_requires("m.audio_details")
            .constraint(mimetype("audio/*", false))
            .constraint(file_name_required())
            .defined_by("MSC3927")
            .description("An audio clip."),
        EventTypeDef::new("m.voice")
            .alias("org.matrix.msc3245.voice.v2", Unstable)
            .requires("m.text")
            .requires("m.file")
            .requires("m.audio_details")
            .optional("m.caption")
            .fallback(20)
            // As a fallback for other types, voice needs MSC3245's marker, not merely a
            // waveform: any audio may have one.
            .fallback_requires("org.matrix.msc3245.voice")
            .constraint(mimetype("audio/*", true))
            .constraint(Constraint::HasField {
                block: "m.audio_details".to_owned(),
                fields: vec![
                    "waveform".to_owned(),
                    "org.matrix.msc3246.waveform".to_owned(),
                ],
            })
            .constraint(file_name_required())
            .defined_by("MSC3245")
            .description("A voice message: audio with a waveform."),
        EventTypeDef::new("m.location")
            .alias("org.matrix.msc3488.location", Unstable)
            .requires("m.location")
            .optional("m.text")
            .optional("m.asset")
            .optional("m.ts")
            .fallback(60)
            .defined_by("MSC3488")
            .description("A static location: a pin on a map."),
        EventTypeDef::new("m.beacon_info")
            .alias("org.matrix.msc3672.beacon_info", Unstable)
            .state()
            .requires("live")
            .requires("timeout")
            .requires("m.ts")
            .optional("description")
            .optional("m.asset")
            .text_from(["description"])
            .defined_by("MSC3489")
            .description("State: a live location share starts or stops."),
        EventTypeDef::new("m.beacon")
            .alias("org.matrix.msc3672.beacon", Unstable)
            .requires("m.relates_to")
            .requires("m.location")
            .requires("m.ts")
            .defined_by("MSC3489")
            .description("One position of a live location share."),
        EventTypeDef::new("m.poll.start")
            .alias("org.matrix.msc3381.poll.start", Unstable)
            .requires("m.text")
            .requires("m.poll")
            .fallback(70)
            .in_legacy_rooms()
            .defined_by("MSC3381")
            .description("A poll: a question and up to 20 answers."),
        EventTypeDef::new("m.poll.response")
            .alias("org.matrix.msc3381.poll.response", Unstable)
            .hidden()
            .in_legacy_rooms()
            .requires("m.relates_to")
            .requires("m.selections")
            .text_from(Vec::<String>::new())
            .defined_by("MSC3381")
            .description("A vote; hidden from the timeline, tallied into its poll."),
        EventTypeDef::new("m.poll.end")
            .alias_requiring(
                "org.matrix.msc3381.poll.end",
                Unstable,
                ["org.matrix.msc3381.poll.end"],
            )
            .requires("m.relates_to")
            .requires("m.text")
            .optional("m.poll.results")
            .in_legacy_rooms()
            .defined_by("MSC3381")
            .description("A poll closes, with its results."),
        EventTypeDef::new("m.room.topic")
            .state()
            .in_legacy_rooms()
            .requires("topic")
            .optional("m.topic")
            .text_from(["m.topic", "topic"])
            .defined_by("spec, MSC3765")
            .description("State: the room topic, plain (topic) and rich (m.topic)."),
        EventTypeDef::new("m.encrypted")
            .alias("org.matrix.msc1767.encrypted", Unstable)
            .requires("m.encrypted")
            .encrypted()
            .text_from(Vec::<String>::new())
            .defined_by("MSC3956 (draft)")
            .description("An encrypted event; its content shows once decrypted."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_known_to_the_model_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for t in built_in_event_types() {
            for (name, status) in t.names() {
                assert!(seen.insert(name.to_owned()), "{name} twice");
                assert_eq!(
                    exev::stable_event_type(name),
                    Some((t.name.as_str(), status)),
                    "{name}"
                );
            }
        }
    }

    /// The model's name table is the source: every name it lists is a built-in type's here.
    #[test]
    fn every_name_of_the_model_is_a_built_in_type() {
        let types = built_in_event_types();
        for (stable, name, status) in exev::event_type_names() {
            let def = types.iter().find(|t| t.name == stable);
            let def = def.unwrap_or_else(|| panic!("{stable} has no definition"));
            assert!(
                def.names().any(|n| n == (name, status)),
                "{stable} lacks its name {name} ({status})"
            );
        }
    }

    #[test]
    fn state_hidden_and_fallback_types() {
        let types = built_in_event_types();
        let names = |f: &dyn Fn(&EventTypeDef) -> bool| -> Vec<String> {
            types
                .iter()
                .filter(|t| f(t))
                .map(|t| t.name.clone())
                .collect()
        };
        assert_eq!(names(&|t| t.state), ["m.beacon_info", "m.room.topic"]);
        assert_eq!(names(&|t| t.hidden), ["m.poll.response"]);
        let mut fallbacks: Vec<_> = types
            .iter()
            .filter_map(|t| t.fallback_priority.map(|p| (p, t.name.as_str())))
            .collect();
        fallbacks.sort();
        let order: Vec<_> = fallbacks.iter().map(|(_, n)| *n).collect();
        assert_eq!(
            order,
            [
                "m.video",
                "m.voice",
                "m.audio",
                "m.image",
                "m.file",
                "m.location",
                "m.poll.start",
                "m.message"
            ]
        );
    }
}
