//! [`Error`]: what is wrong with MIMI content bytes (or a model that cannot be written), the
//! rule it breaks, where in the bytes, and where in the message.

use std::fmt;

use exev::Path;

/// An error of the MIMI content codec: what is wrong ([`ErrorKind`]), the byte offset when
/// decoding, and the path into the message, named as the draft's CDDL names the fields
/// (`nestedPart.parts[2].contentType`).
///
/// It displays as one line, e.g. `contentType: expected a text string (contentType: tstr),
/// found a byte string at nestedPart.parts[2].contentType (byte 117)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    // Boxed so that results stay small on the success path.
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    offset: Option<usize>,
    path: Path,
}

/// The broad class of an error, for scripts and the CLI's `--error-format json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// The input ended too soon: every strict prefix of a valid message is this.
    Eof,
    /// The bytes are not well-formed CBOR.
    Syntax,
    /// Well-formed, but not in the deterministic encoding the draft requires (RFC 8949
    /// §4.2.1: shortest forms, definite lengths, sorted keys).
    Encoding,
    /// Not MIMI content: a field of the wrong type or size, an unknown cardinality, a rule
    /// of the draft's data model (§6.2) broken.
    Schema,
    /// A limit was exceeded: the draft's depth and part limits, or the size and element
    /// limits every exev codec has.
    Limit,
    /// Reading or writing failed.
    Io,
}

impl Category {
    /// `"eof"`, `"syntax"`, `"encoding"`, `"schema"`, `"limit"` or `"io"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Eof => "eof",
            Category::Syntax => "syntax",
            Category::Encoding => "encoding",
            Category::Schema => "schema",
            Category::Limit => "limit",
            Category::Io => "io",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended where `expected` was needed.
    UnexpectedEnd {
        /// What was needed, in words.
        expected: &'static str,
    },
    /// The bytes are not well-formed CBOR (RFC 8949 Appendix F).
    Malformed(String),
    /// The encoding breaks a rule of deterministic encoding (RFC 8949 §4.2.1), named.
    NotDeterministic(&'static str),
    /// The message breaks a rule of the draft's CDDL or data model, named; `found` says what
    /// was there instead.
    Schema {
        /// The rule, as the draft states it.
        rule: &'static str,
        /// What the input has instead.
        found: String,
    },
    /// A limit was exceeded.
    Limit {
        /// The limit, in words (`"NestedParts nest at most 4 levels (§6.3)"`).
        rule: &'static str,
        /// Its value.
        limit: usize,
    },
    /// Bytes after the message.
    TrailingData,
    /// Reading or writing failed.
    Io(String),
}

impl ErrorKind {
    /// The class of this error.
    pub fn category(&self) -> Category {
        match self {
            ErrorKind::UnexpectedEnd { .. } => Category::Eof,
            ErrorKind::Malformed(_) | ErrorKind::TrailingData => Category::Syntax,
            ErrorKind::NotDeterministic(_) => Category::Encoding,
            ErrorKind::Schema { .. } => Category::Schema,
            ErrorKind::Limit { .. } => Category::Limit,
            ErrorKind::Io(_) => Category::Io,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::UnexpectedEnd { expected } => {
                write!(f, "unexpected end of input: expected {expected}")
            }
            ErrorKind::Malformed(what) => write!(f, "not well-formed CBOR: {what}"),
            ErrorKind::NotDeterministic(rule) => {
                write!(f, "not deterministic CBOR: MIMI content requires {rule}")
            }
            ErrorKind::Schema { rule, found } => write!(f, "expected {rule}, found {found}"),
            ErrorKind::Limit { rule, limit } => write!(f, "over a limit: {rule} (limit {limit})"),
            ErrorKind::TrailingData => f.write_str("trailing bytes after the MIMI content"),
            ErrorKind::Io(message) => write!(f, "I/O error: {message}"),
        }
    }
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, offset: Option<usize>, path: Path) -> Error {
        Error {
            inner: Box::new(Inner { kind, offset, path }),
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The class of the error.
    pub fn category(&self) -> Category {
        self.inner.kind.category()
    }

    /// The byte offset in the input (decoding only).
    pub fn offset(&self) -> Option<usize> {
        self.inner.offset
    }

    /// Where in the message, by the draft's field names.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The error with `outer` in front of its path.
    pub(crate) fn within(self, outer: &Path) -> Error {
        let mut path = self.path().clone();
        path.prepend(outer);
        Error::new(self.kind().clone(), self.offset(), path)
    }

    /// The error with its offset moved by `base` (its item's place in a longer input).
    pub(crate) fn shifted(self, base: usize) -> Error {
        let offset = self.offset().map(|o| o.saturating_add(base));
        Error::new(self.kind().clone(), offset, self.path().clone())
    }

    /// The rule broken, when the error is about one: a deterministic-encoding rule, a rule
    /// of the draft, or a limit.
    pub fn rule(&self) -> Option<&'static str> {
        match &self.inner.kind {
            ErrorKind::NotDeterministic(rule)
            | ErrorKind::Schema { rule, .. }
            | ErrorKind::Limit { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.kind)?;
        if !self.inner.path.is_root() {
            write!(f, " at {}", self.inner.path)?;
        }
        if let Some(offset) = self.inner.offset {
            write!(f, " (byte {offset})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Io(e.to_string()), None, Path::root())
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> std::io::Error {
        let kind = match e.category() {
            Category::Eof => std::io::ErrorKind::UnexpectedEof,
            _ => std::io::ErrorKind::InvalidData,
        };
        std::io::Error::new(kind, e)
    }
}
