//! [`Error`]: what went wrong decoding, where in the bytes, and where in the event.

use std::fmt;

use exev::{EventError, Path};

/// The one error type of every format: what is wrong ([`ErrorKind`], in broad classes by
/// [`Category`]), where in the input ([`Position`]: line and column for text, byte offset for
/// binary) and where in the event ([`Path`]).
///
/// It displays as one line, e.g.
/// `duplicate key "body" at content["m.text"][0] (line 1, column 40, byte 39)`. Errors come
/// only from the codecs (there is no public constructor), and convert into
/// [`std::io::Error`] for callers that speak I/O: truncated input ([`Category::Eof`]) becomes
/// [`std::io::ErrorKind::UnexpectedEof`], I/O failures keep their kind, everything else is
/// [`std::io::ErrorKind::InvalidData`], and the `Error` stays inside, for
/// [`std::io::Error::get_ref`] to give back.
///
/// ```
/// use exev_codec::{Category, Format, Position};
///
/// let err = Format::Json.from_slice(br#"{"type":"m.message","content":{"a":[1,"#).unwrap_err();
/// assert_eq!(err.category(), Category::Eof);
/// assert_eq!(err.path().to_string(), "content.a[1]");
/// assert!(matches!(err.position(), Some(Position::Text { line: 1, column: 39, offset: 38 })));
/// assert_eq!(
///     err.to_string(),
///     "unexpected end of input, expected a value at content.a[1] (line 1, column 39, byte 38)"
/// );
///
/// // For callers that speak std::io: the category picks the io::ErrorKind.
/// let io: std::io::Error = err.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::UnexpectedEof);
/// # Ok::<(), exev_codec::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    // Boxed so that `Result<Event, Error>` stays small on the success path.
    inner: Box<Inner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    position: Option<Position>,
    path: Path,
}

/// Where in the input an error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Position {
    /// In text: 1-based line and column (in characters), and the 0-based byte offset.
    Text {
        /// The line, from 1.
        line: usize,
        /// The column in characters, from 1.
        column: usize,
        /// The byte offset, from 0.
        offset: usize,
    },
    /// In binary input: the 0-based byte offset.
    Binary {
        /// The byte offset, from 0.
        offset: usize,
    },
}

impl Position {
    /// The text position of byte `offset` in `input`.
    pub fn in_text(input: &[u8], offset: usize) -> Position {
        // An offset past the input (a size limit's, where reading stopped) counts all of it.
        let before = input.get(..offset).unwrap_or(input);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        // Characters since the last newline: every byte but UTF-8 continuation bytes.
        let column = 1 + before
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        Position::Text {
            line,
            column,
            offset,
        }
    }

    /// The byte offset.
    pub fn offset(&self) -> usize {
        match self {
            Position::Text { offset, .. } | Position::Binary { offset } => *offset,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Text {
                line,
                column,
                offset,
            } => write!(f, "line {line}, column {column}, byte {offset}"),
            Position::Binary { offset } => write!(f, "byte {offset}"),
        }
    }
}

/// The broad class of an error, for scripts and the CLI's `--error-format json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// The input is not well-formed in its encoding.
    Syntax,
    /// The input ended before the event did: truncated, or a length that says more than
    /// there is. More input might make it whole, which tells it apart from [`Category::Syntax`].
    Eof,
    /// Well-formed, but outside the canonical-JSON data model (a float, a duplicate key, ...).
    DataModel,
    /// A configured limit was exceeded.
    Limit,
    /// A value, but not an event (no `type`, `content` not an object, ...).
    Event,
    /// Reading or writing failed.
    Io,
    /// Inside the data model, but not of the shape the serde type read asks for
    /// (`from_slice_as`); the path says where.
    Shape,
    /// A bug in exev-codec, not in the input: the decoder lost track of its own position.
    /// Reported rather than guessed at, so that it cannot turn into wrong output; please
    /// report it.
    Internal,
}

impl Category {
    /// `"syntax"`, `"eof"`, `"data-model"`, `"limit"`, `"event"`, `"io"`, `"shape"` or
    /// `"internal"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Eof => "eof",
            Category::Internal => "internal",
            Category::DataModel => "data-model",
            Category::Limit => "limit",
            Category::Event => "event",
            Category::Io => "io",
            Category::Shape => "shape",
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
        /// What was needed, e.g. `"a value"`.
        expected: &'static str,
    },
    /// Something other than what the grammar allows here.
    Syntax(String),
    /// Bytes that are not valid UTF-8.
    InvalidUtf8,
    /// A `\u` escape of a UTF-16 surrogate without its other half.
    LoneSurrogate(u16),
    /// A raw control character (below U+0020) inside a string.
    ControlCharacter(u8),
    /// An escape sequence the grammar does not have.
    InvalidEscape(String),
    /// A key that appears twice in one object.
    DuplicateKey(String),
    /// A number with a fraction (`1.5`): canonical JSON allows integers only.
    NotAnInteger(String),
    /// An integer outside [-(2^53)+1, (2^53)-1].
    IntegerOutOfRange(String),
    /// Nesting past the depth limit.
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// Input larger than the size limit.
    TooLarge {
        /// How many bytes were seen: the whole input's size, or, when reading stopped at the
        /// limit, the bytes read (the input has at least this many).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A string longer than the string limit.
    StringTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// An array or object with more entries than the element limit.
    TooManyElements {
        /// The limit.
        limit: usize,
    },
    /// Bytes after the end of the value.
    TrailingData,
    /// A byte-order mark at the start of JSON text.
    ByteOrderMark,
    /// A well-formed item the data model cannot hold, named with its CBOR type: a byte string,
    /// a tag, a float (unless numbers are lenient), `undefined` or another simple value, a map
    /// key that is not a text string, NaN or an infinity.
    Unsupported(String),
    /// Well-formed input that breaks a rule of the deterministic encoding the options ask for
    /// (RFC 8949 §4.2.1); the rule is named.
    NotDeterministic(&'static str),
    /// A value the encoder cannot write exactly: a lenient [`exev::Number`] that is neither a
    /// 64-bit integer nor the shortest form of a binary64 float.
    Unencodable(String),
    /// A well-formed value that is not an event.
    Event(EventError),
    /// A value of the data model without the shape of the serde type asked for.
    Shape(exev::BlockErrorKind),
    /// An I/O failure: its kind, and what it said.
    Io {
        /// The kind of the [`std::io::Error`].
        kind: std::io::ErrorKind,
        /// Its message.
        message: String,
    },
    /// A bug in exev-codec (see [`Category::Internal`]), with what went wrong.
    Internal(&'static str),
}

impl ErrorKind {
    /// The class of this error.
    pub fn category(&self) -> Category {
        match self {
            ErrorKind::UnexpectedEnd { .. } => Category::Eof,
            ErrorKind::Syntax(_)
            | ErrorKind::InvalidUtf8
            | ErrorKind::ControlCharacter(_)
            | ErrorKind::InvalidEscape(_)
            | ErrorKind::TrailingData
            | ErrorKind::ByteOrderMark
            | ErrorKind::NotDeterministic(_) => Category::Syntax,
            ErrorKind::LoneSurrogate(_)
            | ErrorKind::DuplicateKey(_)
            | ErrorKind::NotAnInteger(_)
            | ErrorKind::IntegerOutOfRange(_)
            | ErrorKind::Unsupported(_)
            | ErrorKind::Unencodable(_) => Category::DataModel,
            ErrorKind::TooDeep { .. }
            | ErrorKind::TooLarge { .. }
            | ErrorKind::StringTooLong { .. }
            | ErrorKind::TooManyElements { .. } => Category::Limit,
            ErrorKind::Event(_) => Category::Event,
            ErrorKind::Shape(_) => Category::Shape,
            ErrorKind::Io { .. } => Category::Io,
            ErrorKind::Internal(_) => Category::Internal,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::UnexpectedEnd { expected } => {
                write!(f, "unexpected end of input, expected {expected}")
            }
            ErrorKind::Syntax(what) => f.write_str(what),
            ErrorKind::InvalidUtf8 => f.write_str("invalid UTF-8"),
            ErrorKind::LoneSurrogate(u) => write!(
                f,
                "lone surrogate \\u{u:04x}: strings must be valid Unicode"
            ),
            ErrorKind::ControlCharacter(b) => write!(
                f,
                "raw control character U+{b:04X} in a string (write it as an escape)"
            ),
            ErrorKind::InvalidEscape(e) => write!(f, "invalid escape `{e}`"),
            ErrorKind::DuplicateKey(k) => write!(f, "duplicate key {k:?}"),
            ErrorKind::NotAnInteger(n) => write!(
                f,
                "number {n} is not an integer: canonical JSON allows integers only"
            ),
            ErrorKind::IntegerOutOfRange(n) => write!(
                f,
                "integer {n} is outside the canonical-JSON range [-(2^53)+1, (2^53)-1]"
            ),
            ErrorKind::TooDeep { limit } => {
                write!(f, "nesting deeper than the limit of {limit} levels")
            }
            ErrorKind::TooLarge { size, limit } => write!(
                f,
                "input larger than the limit of {limit} bytes ({size} bytes or more)"
            ),
            ErrorKind::StringTooLong { limit } => {
                write!(f, "string longer than the limit of {limit} bytes")
            }
            ErrorKind::TooManyElements { limit } => {
                write!(
                    f,
                    "more than the limit of {limit} elements in one array or object"
                )
            }
            ErrorKind::TrailingData => f.write_str("trailing data after the event"),
            ErrorKind::ByteOrderMark => f.write_str("byte-order mark before JSON text"),
            ErrorKind::Unsupported(what) => {
                write!(f, "{what} is outside the canonical-JSON data model")
            }
            ErrorKind::NotDeterministic(rule) => {
                write!(f, "not deterministic CBOR: breaks the rule \"{rule}\"")
            }
            ErrorKind::Unencodable(what) => write!(f, "{what} has no exact encoding here"),
            ErrorKind::Event(e) => write!(f, "not an event: {e}"),
            ErrorKind::Shape(e) => write!(f, "{e}"),
            ErrorKind::Io { message, .. } => write!(f, "I/O error: {message}"),
            ErrorKind::Internal(what) => write!(
                f,
                "internal error in exev-codec (a bug, not the input's fault): {what}"
            ),
        }
    }
}

impl Error {
    /// An error of `kind` at `position` and `path`. Crate-private: every error comes from a
    /// codec, so its fields are always consistent (the lesson of prost's `DecodeError::new`).
    pub(crate) fn new(kind: ErrorKind, position: Option<Position>, path: Path) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                position,
                path,
            }),
        }
    }

    /// An I/O failure.
    pub(crate) fn io(e: &std::io::Error) -> Error {
        Error::new(
            ErrorKind::Io {
                kind: e.kind(),
                message: e.to_string(),
            },
            None,
            Path::root(),
        )
    }

    /// A bug in exev-codec found at byte `offset` (see [`Category::Internal`]).
    #[cold]
    pub(crate) fn internal(offset: usize, what: &'static str) -> Error {
        Error::new(
            ErrorKind::Internal(what),
            Some(Position::Binary { offset }),
            Path::root(),
        )
    }

    /// The same error, its position moved from a frame to the whole stream: `offset` is where
    /// the frame starts, `line` the stream's line the frame's first line is (text frames).
    pub(crate) fn rebased(mut self, offset: usize, line: usize) -> Error {
        self.inner.position = self.inner.position.map(|p| match p {
            Position::Text {
                line: l,
                column,
                offset: o,
            } => Position::Text {
                line: l + line.saturating_sub(1),
                column,
                offset: o + offset,
            },
            Position::Binary { offset: o } => Position::Binary { offset: o + offset },
        });
        self
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The broad class of the error.
    pub fn category(&self) -> Category {
        self.inner.kind.category()
    }

    /// Where in the input, when known.
    pub fn position(&self) -> Option<Position> {
        self.inner.position
    }

    /// Where in the event (the root for errors about the whole input).
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The error as a JSON object (`category`, `message`, `path`, `pointer`, and `line`,
    /// `column`, `offset` when known), for machine-readable diagnostics.
    pub fn to_json_value(&self) -> exev::Value {
        let mut o = exev::Object::new();
        o.insert("category".into(), self.category().as_str().into());
        o.insert("message".into(), self.inner.kind.to_string().into());
        o.insert("path".into(), self.inner.path.to_string().into());
        o.insert("pointer".into(), self.inner.path.to_json_pointer().into());
        let int = |n: usize| exev::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        match self.inner.position {
            Some(Position::Text {
                line,
                column,
                offset,
            }) => {
                o.insert("line".into(), int(line));
                o.insert("column".into(), int(column));
                o.insert("offset".into(), int(offset));
            }
            Some(Position::Binary { offset }) => {
                o.insert("offset".into(), int(offset));
            }
            None => {}
        }
        exev::Value::Object(o)
    }
}

/// Input larger than `limit` (`size` bytes, or at least that many when reading stopped),
/// refused at byte `offset`.
pub(crate) fn too_large(size: usize, limit: usize, offset: usize) -> Error {
    Error::new(
        ErrorKind::TooLarge { size, limit },
        Some(Position::Binary { offset }),
        Path::root(),
    )
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.inner.kind, self.inner.path)?;
        if let Some(position) = &self.inner.position {
            write!(f, " ({position})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    /// An [`std::io::Error`] holding `error`: of kind `UnexpectedEof` for truncated input, the
    /// original kind for an I/O failure, `InvalidData` otherwise (as `serde_json` does).
    fn from(error: Error) -> std::io::Error {
        let kind = match error.kind() {
            ErrorKind::Io { kind, .. } => *kind,
            _ if error.category() == Category::Eof => std::io::ErrorKind::UnexpectedEof,
            _ if error.category() == Category::Internal => std::io::ErrorKind::Other,
            _ => std::io::ErrorKind::InvalidData,
        };
        std::io::Error::new(kind, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_positions_count_characters() {
        let input = "{\n  \"é\": x".as_bytes();
        let offset = input.iter().position(|&b| b == b'x').unwrap();
        assert_eq!(
            Position::in_text(input, offset),
            Position::Text {
                line: 2,
                column: 8,
                offset
            }
        );
        assert_eq!(
            Position::in_text(b"abc", 0),
            Position::Text {
                line: 1,
                column: 1,
                offset: 0
            }
        );
    }

    #[test]
    fn one_line_display() {
        let e = Error::new(
            ErrorKind::DuplicateKey("body".into()),
            Some(Position::in_text(b"0123456789", 3)),
            Path::root().key("content").key("m.text").index(0),
        );
        assert_eq!(
            e.to_string(),
            r#"duplicate key "body" at content["m.text"][0] (line 1, column 4, byte 3)"#
        );
        assert!(!e.to_string().contains('\n'));
    }
}
