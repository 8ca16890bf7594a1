//! What the codecs share on their way to an [`Error`]: a [`Failure`] that gathers the path
//! as it travels out of nested values, the [`TopLevel`] offsets that place errors about an
//! event's shape, and the encoders' [`Unwritable`].

use std::ops::Range;
use std::sync::Arc;

use exev::tape::Tape;
use exev::{Event, EventError, Path, Segment, Value};

use crate::{Error, ErrorKind, Position};

/// A decoding failure before it becomes an [`Error`]: the byte offset, what is wrong, and the
/// path collected innermost first while the failure travels out. Boxed, so that results stay
/// small on the success path.
#[derive(Debug)]
pub(crate) struct Failure(Box<FailureInner>);

#[derive(Debug)]
struct FailureInner {
    offset: usize,
    kind: ErrorKind,
    reversed_path: Vec<Segment>,
}

impl Failure {
    /// A failure of `kind` at byte `offset`.
    #[cold]
    pub(crate) fn new(offset: usize, kind: ErrorKind) -> Failure {
        Failure(Box::new(FailureInner {
            offset,
            kind,
            reversed_path: Vec::new(),
        }))
    }

    /// A tape past `u32::MAX` tokens or bytes of text ([`exev::tape::TapeFull`]), at byte
    /// `offset` of an input of `size` bytes: refused as too large an input. Every decoder's
    /// limits keep ordinary input far below it.
    #[cold]
    pub(crate) fn tape_full(offset: usize, size: usize) -> Failure {
        Failure::new(
            offset,
            ErrorKind::TooLarge {
                size,
                limit: u32::MAX as usize,
            },
        )
    }

    /// The input ended at `offset` where `expected` was needed.
    #[cold]
    pub(crate) fn end(offset: usize, expected: &'static str) -> Failure {
        Failure::new(offset, ErrorKind::UnexpectedEnd { expected })
    }

    /// Something the grammar does not allow, in words.
    #[cold]
    pub(crate) fn syntax(offset: usize, what: impl Into<String>) -> Failure {
        Failure::new(offset, ErrorKind::Syntax(what.into()))
    }

    /// A bug in the decoder found at `offset`: its own bookkeeping is inconsistent. Reported
    /// as [`ErrorKind::Internal`] rather than guessed at, so that it cannot become wrong
    /// output (and so that the oracles and fuzzers see it).
    #[cold]
    pub(crate) fn internal(offset: usize, what: &'static str) -> Failure {
        Failure::new(offset, ErrorKind::Internal(what))
    }

    /// The failure one level further out: inside `segment`.
    pub(crate) fn at(mut self, segment: Segment) -> Failure {
        self.0.reversed_path.push(segment);
        self
    }

    /// The failure one level further out: inside the member `key`.
    pub(crate) fn key(self, key: &str) -> Failure {
        self.at(Segment::Key(key.to_owned()))
    }

    /// The failure inside the containers `outer`, outermost first.
    pub(crate) fn within(mut self, outer: Vec<Segment>) -> Failure {
        self.0.reversed_path.extend(outer.into_iter().rev());
        self
    }

    /// Whether this says the input is not well-formed (rather than outside the data model,
    /// not deterministic, or past a limit).
    pub(crate) fn is_malformed(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::UnexpectedEnd { .. } | ErrorKind::Syntax(_)
        )
    }

    /// Whether this says the input ended too soon.
    pub(crate) fn is_end(&self) -> bool {
        matches!(self.0.kind, ErrorKind::UnexpectedEnd { .. })
    }

    /// What is wrong.
    pub(crate) fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The finished error, its position made from the byte offset by `position`.
    pub(crate) fn into_error(self, position: impl FnOnce(usize) -> Position) -> Error {
        let inner = *self.0;
        Error::new(
            inner.kind,
            Some(position(inner.offset)),
            path_of(inner.reversed_path),
        )
    }
}

/// The path of segments gathered innermost first.
fn path_of(reversed: Vec<Segment>) -> Path {
    let mut path = Path::root();
    for segment in reversed.into_iter().rev() {
        path = match segment {
            Segment::Key(k) => path.key(k),
            Segment::Index(i) => path.index(i),
            _ => path,
        };
    }
    path
}

/// `bytes[range]`, for a range a decoder's own bookkeeping keeps inside `bytes` (it only
/// slices what it has already read past). A range outside is a decoder bug, reported at its
/// start as [`Failure::internal`] instead of read as empty input.
#[inline]
pub(crate) fn span(bytes: &[u8], range: Range<usize>) -> Result<&[u8], Failure> {
    let at = range.start;
    bytes
        .get(range)
        .ok_or_else(|| Failure::internal(at, "a range outside the input"))
}

/// An encoding failure: what cannot be written, and the path to it, innermost first. Encoders
/// have no input position, so it becomes an [`Error`] with none.
#[derive(Debug)]
pub(crate) struct Unwritable {
    kind: ErrorKind,
    reversed_path: Vec<Segment>,
}

impl Unwritable {
    /// A value with no exact encoding in this format.
    #[cold]
    pub(crate) fn value(what: String) -> Unwritable {
        Unwritable {
            kind: ErrorKind::Unencodable(what),
            reversed_path: Vec::new(),
        }
    }

    /// A kind of [`Value`] this codec was not taught (the enum is non-exhaustive): refused,
    /// never written as something else.
    #[cold]
    pub(crate) fn unknown_kind(value: &Value) -> Unwritable {
        Unwritable::value(format!("a value of kind {}", value.kind()))
    }

    /// The failure one level further out: inside `segment`.
    pub(crate) fn at(mut self, segment: Segment) -> Unwritable {
        self.reversed_path.push(segment);
        self
    }

    /// The failure one level further out: inside the member `key`.
    pub(crate) fn key(self, key: &str) -> Unwritable {
        self.at(Segment::Key(key.to_owned()))
    }

    /// The finished error.
    pub(crate) fn into_error(self) -> Error {
        Error::new(self.kind, None, path_of(self.reversed_path))
    }
}

impl From<Unwritable> for Error {
    fn from(u: Unwritable) -> Error {
        u.into_error()
    }
}

/// Offsets of the top-level members an event needs, for errors about the event's shape.
#[derive(Clone, Copy, Default)]
pub(crate) struct TopLevel {
    /// Where the value of `type` starts.
    pub(crate) type_at: Option<usize>,
    /// Where the value of `content` starts.
    pub(crate) content_at: Option<usize>,
    /// Where the top-level value starts.
    pub(crate) start: usize,
    /// Where an absent member is reported: the end of the top-level value in text, its start
    /// in binary encodings.
    pub(crate) missing_at: usize,
}

/// The event of a decoded tape, its content and other members left on the tape to be read on
/// demand; or an [`Error`] placed at the member at fault.
pub(crate) fn tape_into_event(
    tape: Tape,
    top: &TopLevel,
    position: impl FnOnce(usize) -> Position,
) -> Result<Event, Error> {
    let root = tape.root();
    Event::from_tape(Arc::new(tape), root).map_err(|e| event_error(e, top, position))
}

/// The error for an event of the wrong shape, at the member at fault.
fn event_error(e: EventError, top: &TopLevel, position: impl FnOnce(usize) -> Position) -> Error {
    let offset = match &e {
        EventError::WrongType { field: "type", .. } => top.type_at,
        EventError::WrongType {
            field: "content", ..
        } => top.content_at,
        EventError::Missing(_) => Some(top.missing_at),
        _ => Some(top.start),
    };
    let path = e.path();
    Error::new(
        ErrorKind::Event(e),
        Some(position(offset.unwrap_or(top.start))),
        path,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The branch every decoder's slicing goes through when its bookkeeping is wrong: an
    /// internal error at the range's start, never an empty slice.
    #[test]
    fn a_range_outside_the_input_is_an_internal_error() {
        assert_eq!(span(b"abc", 1..3).ok(), Some(&b"bc"[..]));
        let failure = span(b"abc", 2..5).unwrap_err();
        assert_eq!(
            failure.kind(),
            &ErrorKind::Internal("a range outside the input")
        );
        let error = failure.into_error(|offset| Position::Binary { offset });
        assert_eq!(error.category(), crate::Category::Internal);
        assert_eq!(error.position(), Some(Position::Binary { offset: 2 }));
        let io: std::io::Error = error.into();
        assert_eq!(io.kind(), std::io::ErrorKind::Other);
    }
}
