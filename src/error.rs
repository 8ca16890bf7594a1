//! The model's errors: [`BlockError`] for typed access to a block, [`EventError`] for the shape
//! of an event, [`ValueError`] for building values outside the data model.

use std::fmt;

use crate::Path;

/// A content block that could not be read as its typed form.
///
/// The block itself is still kept in the event, untouched: the error only says why the typed
/// view failed. Its path starts at the event root when it comes from [`crate::Content`] or
/// [`crate::Event`] (`content["m.file"].size`), and at the block when it comes from a block
/// type's own `from_value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockError {
    path: Path,
    kind: BlockErrorKind,
}

/// What is wrong with a block.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockErrorKind {
    /// A value has the wrong JSON type.
    WrongType {
        /// What the schema wants, e.g. `"array of text representations"`.
        expected: &'static str,
        /// What was found (see [`crate::Value::kind`]).
        found: &'static str,
    },
    /// A required member is absent.
    MissingField(&'static str),
    /// An integer lies outside the range its field allows.
    OutOfRange {
        /// The integer found (or its literal, for numbers outside the data model).
        value: String,
        /// The allowed range, e.g. `"0..=256"`.
        allowed: &'static str,
    },
    /// Anything else, in words.
    Invalid(String),
}

impl BlockError {
    /// An error of `kind` at `path`.
    pub fn new(path: Path, kind: BlockErrorKind) -> BlockError {
        BlockError { path, kind }
    }

    /// Where the problem is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the problem is.
    pub fn kind(&self) -> &BlockErrorKind {
        &self.kind
    }

    /// The same error with `outer` in front of its path.
    #[must_use]
    pub fn within(mut self, outer: &Path) -> BlockError {
        self.path.prepend(outer);
        self
    }
}

impl fmt::Display for BlockErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            BlockErrorKind::MissingField(name) => write!(f, "missing required field `{name}`"),
            BlockErrorKind::OutOfRange { value, allowed } => {
                write!(f, "{value} is outside the allowed range {allowed}")
            }
            BlockErrorKind::Invalid(what) => f.write_str(what),
        }
    }
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl std::error::Error for BlockError {}

/// A value that is not an event: not an object, or without a string `type` or an object
/// `content`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventError {
    /// The event is not a JSON object.
    NotAnObject {
        /// The JSON type found instead.
        found: &'static str,
    },
    /// A required top-level member is absent.
    Missing(&'static str),
    /// A top-level member has the wrong type.
    WrongType {
        /// The member.
        field: &'static str,
        /// The type it must have.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// `type` or `content` given again among the other top-level members
    /// ([`Event::from_parts`](crate::Event::from_parts)).
    Duplicate(&'static str),
}

impl EventError {
    /// The top-level member the error concerns, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            EventError::NotAnObject { .. } => None,
            EventError::Missing(f)
            | EventError::WrongType { field: f, .. }
            | EventError::Duplicate(f) => Some(f),
        }
    }

    /// The path of the member the error concerns (the root when there is none).
    pub fn path(&self) -> Path {
        match self.field() {
            Some(f) => Path::root().key(f),
            None => Path::root(),
        }
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::NotAnObject { found } => {
                write!(f, "an event must be a JSON object, found {found}")
            }
            EventError::Missing(field) => write!(f, "an event needs a `{field}` member"),
            EventError::WrongType {
                field,
                expected,
                found,
            } => write!(f, "`{field}` must be {expected}, found {found}"),
            EventError::Duplicate(field) => {
                write!(
                    f,
                    "`{field}` given twice: as the event's own and as another member"
                )
            }
        }
    }
}

impl std::error::Error for EventError {}

/// A value that cannot be built inside the canonical-JSON data model.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueError {
    /// An integer outside [-(2^53)+1, (2^53)-1].
    IntegerOutOfRange(i64),
    /// A serde type with no value in the data model (a float, bytes, a map key that is not a
    /// string, ...), or its own serialization error, in words.
    Unsupported(String),
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::IntegerOutOfRange(i) => write!(
                f,
                "{i} is outside the canonical-JSON integer range [-(2^53)+1, (2^53)-1]"
            ),
            ValueError::Unsupported(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for ValueError {}
