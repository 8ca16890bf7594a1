//! [`BlockDef`]: what the registry records about one content block, and the built-in blocks.

use std::fmt;

use exev::{KnownBlock, NameStatus, RefShape, Value, ValueRef};

/// The JSON type a block's value must have.
///
/// ```
/// use exev::Value;
/// use exev_registry::ValueShape;
///
/// let text = ValueShape::OneOf(vec![ValueShape::Array, ValueShape::String]);
/// assert!(text.matches(&Value::from("hi")));
/// assert!(!text.matches(&Value::from(1)));
/// assert_eq!(text.to_string(), "an array or a string");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ValueShape {
    /// Any value.
    Any,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// Any of these shapes.
    OneOf(Vec<ValueShape>),
}

impl ValueShape {
    /// Whether `value` (a [`Value`], or one read where it lies) has this shape.
    pub fn matches<'v>(&self, value: impl Into<ValueRef<'v>>) -> bool {
        self.matches_shape(value.into().shape())
    }

    fn matches_shape(&self, shape: RefShape<'_>) -> bool {
        match self {
            ValueShape::Any => true,
            ValueShape::Object => matches!(shape, RefShape::Object(_)),
            ValueShape::Array => matches!(shape, RefShape::Array(_)),
            ValueShape::String => matches!(shape, RefShape::String(_)),
            ValueShape::Integer => matches!(shape, RefShape::Integer(_)),
            ValueShape::Boolean => matches!(shape, RefShape::Bool(_)),
            ValueShape::OneOf(shapes) => shapes.iter().any(|s| s.matches_shape(shape)),
        }
    }

    /// The lower-case name of the shape: `"object"`, `"array"`, `"array or string"`, ...
    pub fn as_str(&self) -> String {
        match self {
            ValueShape::Any => "any".to_owned(),
            ValueShape::Object => "object".to_owned(),
            ValueShape::Array => "array".to_owned(),
            ValueShape::String => "string".to_owned(),
            ValueShape::Integer => "integer".to_owned(),
            ValueShape::Boolean => "boolean".to_owned(),
            ValueShape::OneOf(shapes) => shapes
                .iter()
                .map(ValueShape::as_str)
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }
}

impl fmt::Display for ValueShape {
    /// The shape with an article, for messages: `"an object"`, `"an array or a string"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueShape::Any => f.write_str("any value"),
            ValueShape::Object => f.write_str("an object"),
            ValueShape::Array => f.write_str("an array"),
            ValueShape::String => f.write_str("a string"),
            ValueShape::Integer => f.write_str("an integer"),
            ValueShape::Boolean => f.write_str("a boolean"),
            ValueShape::OneOf(shapes) => {
                for (i, shape) in shapes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "{shape}")?;
                }
                Ok(())
            }
        }
    }
}

/// One more name a block is sent under.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlockAlias {
    /// The name.
    pub name: String,
    /// How it relates to the stable specification.
    pub status: NameStatus,
    /// The shape of the value under this name when it differs from the block's (the string
    /// form of `org.matrix.msc1767.text`, say).
    pub shape: Option<ValueShape>,
    /// Whether the value under this name may have an older shape than the block's schema
    /// describes (the unstable poll start with `id` and string texts, the v1 audio block):
    /// validation then only warns where the stable schema does not fit.
    pub older_shape: bool,
}

/// Where a block may appear.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Placement {
    /// At the top level of an event's `content`.
    pub top_level: bool,
    /// Inside these blocks (by name), e.g. `m.text` inside `m.caption`.
    pub within: Vec<String>,
}

/// What the registry records about one content block: its names, the shape of its value,
/// whether it is a mixin, and where it may nest.
///
/// Owned data, so that registrars' manifests can fill it; built with [`BlockDef::new`] and
/// the builder methods.
///
/// ```
/// use exev::NameStatus;
/// use exev_registry::{BlockDef, ValueShape};
///
/// let probe = BlockDef::new("org.example.probe_value", ValueShape::Object)
///     .alias("org.example.unstable.probe_value", NameStatus::Unstable)
///     .description("A measurement: value, units and label.");
/// assert_eq!(probe.names().count(), 2);
/// assert!(probe.placement.top_level);
/// assert!(!probe.mixin);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlockDef {
    /// The name the block is known by: its stable name, or its unstable name when it has no
    /// stable one.
    pub name: String,
    /// The status of `name`.
    pub status: NameStatus,
    /// Every other name it is sent under, in reading order.
    pub aliases: Vec<BlockAlias>,
    /// The shape of its value.
    pub shape: ValueShape,
    /// Whether it is a mixin: meaningful on any event type, and never needed to render one.
    pub mixin: bool,
    /// Whether, under its stable name, it renders only in rooms with extensible events
    /// (MSC4460: text, file, image, video, audio and notice blocks on types other than
    /// `m.room.message`).
    pub extensible_rooms_only: bool,
    /// Where it may appear.
    pub placement: Placement,
    /// What it holds, in a sentence.
    pub description: String,
    /// The proposal or document defining it, e.g. `"MSC3551"`.
    pub defined_by: String,
    /// Its JSON Schema (draft 2020-12), as a registrar published it; `None` for built-in
    /// blocks, whose schemas are generated from the model's types ([`crate::block_schema`]).
    pub schema: Option<Value>,
}

impl BlockDef {
    /// A top-level block `name` (a stable name if it starts with `m.`, else unstable) whose
    /// value has `shape`, with nothing else recorded yet.
    pub fn new(name: impl Into<String>, shape: ValueShape) -> BlockDef {
        let name = name.into();
        let status = if name.starts_with("m.") {
            NameStatus::Stable
        } else {
            NameStatus::Unstable
        };
        BlockDef {
            name,
            status,
            aliases: Vec::new(),
            shape,
            mixin: false,
            extensible_rooms_only: false,
            placement: Placement {
                top_level: true,
                within: Vec::new(),
            },
            description: String::new(),
            defined_by: String::new(),
            schema: None,
        }
    }

    /// Sets the status of the block's own name.
    #[must_use]
    pub fn status(mut self, status: NameStatus) -> BlockDef {
        self.status = status;
        self
    }

    /// Adds a name the block is also sent under, with the block's shape.
    #[must_use]
    pub fn alias(mut self, name: impl Into<String>, status: NameStatus) -> BlockDef {
        self.aliases.push(BlockAlias {
            name: name.into(),
            status,
            shape: None,
            older_shape: false,
        });
        self
    }

    /// Adds a name the block is also sent under, whose value may have an older shape than the
    /// block's schema describes.
    #[must_use]
    pub fn alias_with_older_shape(
        mut self,
        name: impl Into<String>,
        status: NameStatus,
    ) -> BlockDef {
        self.aliases.push(BlockAlias {
            name: name.into(),
            status,
            shape: None,
            older_shape: true,
        });
        self
    }

    /// Adds a name the block is also sent under, whose value has another shape (an older
    /// shape, as [`BlockDef::alias_with_older_shape`]).
    #[must_use]
    pub fn alias_with_shape(
        mut self,
        name: impl Into<String>,
        status: NameStatus,
        shape: ValueShape,
    ) -> BlockDef {
        self.aliases.push(BlockAlias {
            name: name.into(),
            status,
            shape: Some(shape),
            older_shape: true,
        });
        self
    }

    /// Marks the block as a mixin.
    #[must_use]
    pub fn mixin(mut self) -> BlockDef {
        self.mixin = true;
        self
    }

    /// Marks the block as rendering, under its stable name, only in rooms with extensible
    /// events.
    #[must_use]
    pub fn extensible_rooms_only(mut self) -> BlockDef {
        self.extensible_rooms_only = true;
        self
    }

    /// Records that the block may also appear inside `block`.
    #[must_use]
    pub fn within(mut self, block: impl Into<String>) -> BlockDef {
        self.placement.within.push(block.into());
        self
    }

    /// Records that the block only appears nested, never at the top level.
    #[must_use]
    pub fn nested_only(mut self) -> BlockDef {
        self.placement.top_level = false;
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> BlockDef {
        self.description = description.into();
        self
    }

    /// Sets the defining document.
    #[must_use]
    pub fn defined_by(mut self, defined_by: impl Into<String>) -> BlockDef {
        self.defined_by = defined_by.into();
        self
    }

    /// Sets the block's JSON Schema (draft 2020-12).
    #[must_use]
    pub fn schema(mut self, schema: Value) -> BlockDef {
        self.schema = Some(schema);
        self
    }

    /// The alias `name` is, if it is one of the block's aliases.
    pub fn alias_named(&self, name: &str) -> Option<&BlockAlias> {
        self.aliases.iter().find(|a| a.name == name)
    }

    /// Every name with its status and the shape of the value under it, the block's own name
    /// first.
    pub fn names(&self) -> impl Iterator<Item = (&str, NameStatus, &ValueShape)> {
        std::iter::once((self.name.as_str(), self.status, &self.shape)).chain(
            self.aliases.iter().map(|a| {
                (
                    a.name.as_str(),
                    a.status,
                    a.shape.as_ref().unwrap_or(&self.shape),
                )
            }),
        )
    }

    /// The built-in block of the model this is, if it is one: then its value is read typed.
    pub fn known(&self) -> Option<KnownBlock> {
        KnownBlock::from_name(&self.name).map(|(block, _)| block)
    }
}

/// A built-in block from the model's table: its names come from [`KnownBlock::names`].
fn known(block: KnownBlock, shape: ValueShape, defined_by: &str, description: &str) -> BlockDef {
    let mut def = BlockDef::new(block.stable_name(), shape)
        .defined_by(defined_by)
        .description(description);
    for (name, status) in block.names().skip(1) {
        def = def.alias(name, status);
    }
    if block.is_mixin() {
        def = def.mixin();
    }
    // The families MSC4460 keeps out of rooms without extensible events: MSC1767's text,
    // MSC3551 files, MSC3552 images, MSC3553 videos, MSC3955 notices, MSC3927 audio.
    if matches!(
        block,
        KnownBlock::Text
            | KnownBlock::File
            | KnownBlock::Caption
            | KnownBlock::ImageDetails
            | KnownBlock::Thumbnail
            | KnownBlock::AltText
            | KnownBlock::VideoDetails
            | KnownBlock::AudioDetails
            | KnownBlock::Automated
    ) {
        def = def.extensible_rooms_only();
    }
    def
}

/// Gives the aliases named in `shapes` their own value shape, an older one.
fn alias_shapes(mut def: BlockDef, shapes: &[(&str, ValueShape)]) -> BlockDef {
    for alias in &mut def.aliases {
        if let Some((_, shape)) = shapes.iter().find(|(name, _)| *name == alias.name) {
            alias.shape = Some(shape.clone());
            alias.older_shape = true;
        }
    }
    def
}

/// Marks the aliases named in `names` as sent in an older shape of the block's value type.
fn older_shapes(mut def: BlockDef, names: &[&str]) -> BlockDef {
    for alias in &mut def.aliases {
        if names.contains(&alias.name.as_str()) {
            alias.older_shape = true;
        }
    }
    def
}

/// Every block the built-in registry knows: the model's table (digest §4.1), the unstable
/// blocks of deployed families that have no stable counterpart, and the fields of the
/// built-in state events (MSC1767 promotes every top-level key to a content block).
pub(crate) fn built_in_blocks() -> Vec<BlockDef> {
    use KnownBlock as B;
    use ValueShape as S;
    let text_in = ["m.caption", "m.alt_text", "m.topic", "m.poll"];
    let mut text = known(
        B::Text,
        S::Array,
        "MSC1767",
        "The same text in one or more mimetypes, most preferred first.",
    );
    for outer in text_in {
        text = text.within(outer);
    }
    let string_or_array = S::OneOf(vec![S::Array, S::String]);
    let text = alias_shapes(
        text,
        &[
            ("org.matrix.msc1767.text", string_or_array),
            ("m.html", S::String),
            ("org.matrix.msc1767.html", S::String),
        ],
    );
    vec![
        text,
        known(
            B::File,
            S::Object,
            "MSC3551",
            "A file: its mxc URL, name, mimetype, size and decryption keys.",
        )
        .within("m.thumbnail"),
        known(
            B::Caption,
            S::Object,
            "MSC3551",
            "Text shown with media, as a nested m.text.",
        ),
        known(
            B::ImageDetails,
            S::Object,
            "MSC3552",
            "An image's width and height in pixels, and whether it is a sticker.",
        )
        .within("m.thumbnail"),
        known(
            B::Thumbnail,
            S::Array,
            "MSC3552",
            "Smaller versions of an image or poster images of a video.",
        ),
        known(
            B::AltText,
            S::Object,
            "MSC3552",
            "Accessibility text for an image, as a nested m.text.",
        ),
        known(
            B::VideoDetails,
            S::Object,
            "MSC3553",
            "A video's width, height and duration in seconds.",
        ),
        older_shapes(
            known(
                B::AudioDetails,
                S::Object,
                "MSC3927, MSC3246",
                "Audio's duration in seconds and its waveform (milliseconds and 0..=1024 under the v1 name).",
            ),
            &["org.matrix.msc1767.audio"],
        ),
        known(
            B::Automated,
            S::Boolean,
            "MSC3955",
            "Mixin: the event was sent by automation; render it less prominently.",
        ),
        known(
            B::Location,
            S::Object,
            "MSC3488",
            "A geo: URI with an optional description and zoom level.",
        ),
        known(
            B::Asset,
            S::Object,
            "MSC3488",
            "What a location is of: the sender (m.self) or something else.",
        ),
        known(
            B::Ts,
            S::Integer,
            "MSC3488",
            "A timestamp in milliseconds since the Unix epoch.",
        ),
        known(
            B::Topic,
            S::Object,
            "MSC3765",
            "A room topic, as a nested m.text.",
        ),
        older_shapes(
            known(
                B::Poll,
                S::Object,
                "MSC3381",
                "A poll: its question, answers, kind and how many answers a vote may pick.",
            ),
            &["org.matrix.msc3381.poll.start"],
        ),
        alias_shapes(
            known(
                B::Selections,
                S::Array,
                "MSC3381",
                "The answers a poll response picks (an object with `answers` under the unstable name).",
            ),
            &[("org.matrix.msc3381.poll.response", S::Object)],
        ),
        known(
            B::PollResults,
            S::Object,
            "MSC3381",
            "A closed poll's tally: votes by answer identifier.",
        ),
        known(
            B::RelatesTo,
            S::Object,
            "spec (relations)",
            "Mixin: how the event relates to another one (reply, edit, reference, thread).",
        ),
        known(
            B::Mentions,
            S::Object,
            "spec, MSC4053",
            "Mixin: the users (and whether the room) the event mentions.",
        ),
        known(
            B::Encrypted,
            S::Object,
            "MSC3956 (draft)",
            "An encrypted payload: today's m.room.encrypted content.",
        ),
        BlockDef::new("org.matrix.msc3381.poll.end", S::Object)
            .defined_by("MSC3381 (unstable)")
            .description("Marks an unstable poll end event; empty."),
        BlockDef::new("org.matrix.msc3245.voice", S::Object)
            .alias("org.matrix.msc2516.voice", NameStatus::Obsolete)
            .defined_by("MSC3245 v1 (unstable)")
            .description("Marks a v1 voice message on m.room.message; empty."),
        BlockDef::new("topic", S::String)
            .status(NameStatus::Stable)
            .defined_by("spec (m.room.topic)")
            .description("The room topic as plain text: the legacy field of m.room.topic."),
        BlockDef::new("live", S::Boolean)
            .status(NameStatus::Stable)
            .defined_by("MSC3489")
            .description("Whether a live location share is running."),
        BlockDef::new("timeout", S::Integer)
            .status(NameStatus::Stable)
            .defined_by("MSC3489")
            .description("How long a live location share lasts, in milliseconds from its m.ts."),
        BlockDef::new("description", S::String)
            .status(NameStatus::Stable)
            .defined_by("MSC3489")
            .description("A label for a live location share."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_block_is_built_in_with_all_its_names() {
        let blocks = built_in_blocks();
        for block in KnownBlock::ALL {
            let def = blocks
                .iter()
                .find(|d| d.known() == Some(block))
                .unwrap_or_else(|| panic!("{block} missing"));
            let names: Vec<_> = def.names().map(|(n, s, _)| (n, s)).collect();
            let model: Vec<_> = block.names().collect();
            assert_eq!(names, model);
            assert_eq!(def.mixin, block.is_mixin());
        }
    }

    #[test]
    fn alias_shapes() {
        let blocks = built_in_blocks();
        let text = blocks.iter().find(|d| d.name == "m.text").unwrap();
        let shape_of = |name: &str| {
            text.names()
                .find(|(n, _, _)| *n == name)
                .map(|(_, _, s)| s.clone())
        };
        assert_eq!(shape_of("m.text"), Some(ValueShape::Array));
        assert!(
            shape_of("org.matrix.msc1767.text")
                .unwrap()
                .matches(&Value::from("x"))
        );
        assert_eq!(shape_of("m.markup"), Some(ValueShape::Array));
        assert!(text.placement.within.iter().any(|w| w == "m.caption"));
    }

    #[test]
    fn shapes_describe_themselves() {
        assert_eq!(ValueShape::Object.to_string(), "an object");
        assert_eq!(ValueShape::Integer.as_str(), "integer");
        assert!(ValueShape::Any.matches(&Value::Null));
        assert!(!ValueShape::Boolean.matches(&Value::from("true")));
    }
}
