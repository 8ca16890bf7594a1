//! The body: [`NestedPart`]s with their [`Disposition`], language and one of the four part
//! kinds ([`Part`]), and the implied part index (a depth-first numbering).

/// How a part is meant to be shown (the IANA "MIMI Content Disposition" registry, §8).
/// Values 9 to 255 are unknown and are treated as [`Disposition::RENDER`] (§9.1).
///
/// ```
/// use exev_mimi::Disposition;
///
/// assert_eq!(Disposition::REACTION.name(), Some("reaction"));
/// assert_eq!(Disposition(42).name(), None);
/// assert_eq!(Disposition(42).effective(), Disposition::RENDER);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Disposition(pub u8);

impl Disposition {
    /// 0: unspecified.
    pub const UNSPECIFIED: Disposition = Disposition(0);
    /// 1: render according to local policy.
    pub const RENDER: Disposition = Disposition(1);
    /// 2: a reaction to another message.
    pub const REACTION: Disposition = Disposition(2);
    /// 3: profile information.
    pub const PROFILE: Disposition = Disposition(3);
    /// 4: render inline.
    pub const INLINE: Disposition = Disposition(4);
    /// 5: an icon.
    pub const ICON: Disposition = Disposition(5);
    /// 6: to be downloaded rather than rendered at once.
    pub const ATTACHMENT: Disposition = Disposition(6);
    /// 7: a multimedia session or a URI to join one.
    pub const SESSION: Disposition = Disposition(7);
    /// 8: a sender-generated preview.
    pub const PREVIEW: Disposition = Disposition(8);

    /// The registered values and their names, in order.
    const NAMES: [&'static str; 9] = [
        "unspecified",
        "render",
        "reaction",
        "profile",
        "inline",
        "icon",
        "attachment",
        "session",
        "preview",
    ];

    /// The registered name, or `None` for an unknown value.
    pub fn name(self) -> Option<&'static str> {
        Disposition::NAMES.get(usize::from(self.0)).copied()
    }

    /// The disposition a receiver acts on: unknown values as `render` (§9.1).
    pub fn effective(self) -> Disposition {
        if self.name().is_some() {
            self
        } else {
            Disposition::RENDER
        }
    }
}

/// How the parts of a [`MultiPart`] relate (§4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PartSemantics {
    /// 0: the receiver picks exactly one (≈ `multipart/alternative`).
    ChooseOne,
    /// 1: one entity; if any part is not understood, none is processed (≈
    /// `multipart/related`).
    SingleUnit,
    /// 2: each part processed on its own (≈ `multipart/mixed`).
    ProcessAll,
}

impl PartSemantics {
    /// The value on the wire.
    pub fn code(self) -> u8 {
        match self {
            PartSemantics::ChooseOne => 0,
            PartSemantics::SingleUnit => 1,
            PartSemantics::ProcessAll => 2,
        }
    }

    /// The semantics of a wire value, `None` for an unknown one (which §9.1 treats as
    /// malicious).
    pub fn from_code(code: u64) -> Option<PartSemantics> {
        match code {
            0 => Some(PartSemantics::ChooseOne),
            1 => Some(PartSemantics::SingleUnit),
            2 => Some(PartSemantics::ProcessAll),
            _ => None,
        }
    }

    /// The draft's name: `chooseOne`, `singleUnit` or `processAll`.
    pub fn name(self) -> &'static str {
        match self {
            PartSemantics::ChooseOne => "chooseOne",
            PartSemantics::SingleUnit => "singleUnit",
            PartSemantics::ProcessAll => "processAll",
        }
    }
}

/// One body part: its disposition, its languages, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedPart {
    /// How it is meant to be shown.
    pub disposition: Disposition,
    /// `""` or a comma-separated list of RFC 5646 language tags.
    pub language: String,
    /// The part itself.
    pub part: Part,
}

/// The four kinds of part, by the cardinality on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Part {
    /// 0: no content (a delete or an unlike).
    Null,
    /// 1: inline content.
    Single(SinglePart),
    /// 2: content at a URL.
    External(ExternalPart),
    /// 3: several parts.
    Multi(MultiPart),
}

impl Part {
    /// The cardinality on the wire: 0, 1, 2 or 3.
    pub fn cardinality(&self) -> u8 {
        match self {
            Part::Null => 0,
            Part::Single(_) => 1,
            Part::External(_) => 2,
            Part::Multi(_) => 3,
        }
    }

    /// The draft's name of the kind: `NullPart`, `SinglePart`, `ExternalPart`, `MultiPart`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Part::Null => "NullPart",
            Part::Single(_) => "SinglePart",
            Part::External(_) => "ExternalPart",
            Part::Multi(_) => "MultiPart",
        }
    }
}

/// Inline content: its media type and its bytes (text is UTF-8 bytes, not a string).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SinglePart {
    /// The IANA media type with its parameters (`text/markdown;variant=GFM-MIMI`).
    pub content_type: String,
    /// The content.
    pub content: Vec<u8>,
}

/// Content at a URL, possibly encrypted with an AEAD (RFC 5116) and hashed (§4.5).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExternalPart {
    /// The IANA media type (may be empty, as for a conference link).
    pub content_type: String,
    /// Where the content is fetched.
    pub url: String,
    /// When the content expires, in seconds since the UNIX epoch; 0 for never.
    pub expires: u32,
    /// The size in octets; 0 when not given.
    pub size: u64,
    /// The IANA AEAD algorithm (1 = AES-128-GCM); 0 when not encrypted.
    pub enc_alg: u16,
    /// The AEAD key.
    pub key: Vec<u8>,
    /// The AEAD nonce.
    pub nonce: Vec<u8>,
    /// The AEAD additional authenticated data.
    pub aad: Vec<u8>,
    /// The IANA named-information hash algorithm (1 = sha-256); 0 for none.
    pub hash_alg: u8,
    /// The hash of the content at the URL.
    pub content_hash: Vec<u8>,
    /// A description, or empty.
    pub description: String,
    /// A suggested file name, or empty.
    pub filename: String,
}

impl ExternalPart {
    /// An unencrypted external part at `url` of `content_type`, nothing else set.
    pub fn new(content_type: impl Into<String>, url: impl Into<String>) -> ExternalPart {
        ExternalPart {
            content_type: content_type.into(),
            url: url.into(),
            ..ExternalPart::default()
        }
    }
}

/// Several parts and how they relate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiPart {
    /// How the parts relate.
    pub semantics: PartSemantics,
    /// The parts: at least 2.
    pub parts: Vec<NestedPart>,
}

impl NestedPart {
    /// A part of kind `part` with disposition `render` and no language.
    pub fn new(part: Part) -> NestedPart {
        NestedPart {
            disposition: Disposition::RENDER,
            language: String::new(),
            part,
        }
    }

    /// The empty body of a delete or unlike.
    pub fn null() -> NestedPart {
        NestedPart::new(Part::Null)
    }

    /// Inline content of `content_type`.
    pub fn single(content_type: impl Into<String>, content: impl Into<Vec<u8>>) -> NestedPart {
        NestedPart::new(Part::Single(SinglePart {
            content_type: content_type.into(),
            content: content.into(),
        }))
    }

    /// Inline UTF-8 text in `content_type` (`text/plain;charset=utf-8`,
    /// `text/markdown;variant=GFM-MIMI`, ...).
    pub fn text(content_type: impl Into<String>, text: &str) -> NestedPart {
        NestedPart::single(content_type, text.as_bytes())
    }

    /// An external part.
    pub fn external(external: ExternalPart) -> NestedPart {
        NestedPart::new(Part::External(external))
    }

    /// Several parts with `semantics`.
    pub fn multi(semantics: PartSemantics, parts: Vec<NestedPart>) -> NestedPart {
        NestedPart::new(Part::Multi(MultiPart { semantics, parts }))
    }

    /// This part with `disposition`.
    #[must_use]
    pub fn with_disposition(mut self, disposition: Disposition) -> NestedPart {
        self.disposition = disposition;
        self
    }

    /// This part with `language` (`""`, `"en"`, `"en,fr"`).
    #[must_use]
    pub fn with_language(mut self, language: impl Into<String>) -> NestedPart {
        self.language = language.into();
        self
    }

    /// The parts in implied part-index order (§4.4: zero-based, depth first), each with its
    /// index and depth (the root at depth 1).
    ///
    /// ```
    /// use exev_mimi::{NestedPart, PartSemantics};
    ///
    /// let body = NestedPart::multi(PartSemantics::ChooseOne, vec![
    ///     NestedPart::text("text/plain;charset=utf-8", "hi"),
    ///     NestedPart::text("text/html;charset=utf-8", "<b>hi</b>"),
    /// ]);
    /// let indexed: Vec<(usize, usize)> = body.walk().map(|(i, depth, _)| (i, depth)).collect();
    /// assert_eq!(indexed, [(0, 1), (1, 2), (2, 2)]);
    /// ```
    pub fn walk(&self) -> impl Iterator<Item = (usize, usize, &NestedPart)> {
        let mut stack = vec![(1usize, self)];
        let mut index = 0usize;
        std::iter::from_fn(move || {
            let (depth, part) = stack.pop()?;
            if let Part::Multi(multi) = &part.part {
                stack.extend(multi.parts.iter().rev().map(|p| (depth + 1, p)));
            }
            let item = (index, depth, part);
            index += 1;
            Some(item)
        })
    }

    /// The part with implied index `index`, for `cid:<index>@local.invalid` references.
    pub fn part_at(&self, index: usize) -> Option<&NestedPart> {
        self.walk().find(|(i, _, _)| *i == index).map(|(_, _, p)| p)
    }

    /// How many parts the tree has, this one included.
    pub fn count(&self) -> usize {
        self.walk().count()
    }

    /// How deep the tree goes: 1 for a part that is not a MultiPart.
    pub fn depth(&self) -> usize {
        self.walk().map(|(_, depth, _)| depth).max().unwrap_or(1)
    }
}
