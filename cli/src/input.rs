//! Reading the input: a file or stdin, never more than the size limit allows (the codec's
//! limited read), and decoding it in the format `--from` names or the codec detects.

use std::path::PathBuf;

use exev::Event;
use exev_codec::{Category, Format, Options, Position};

use crate::InputFormat;
use crate::report::Failure;

/// Where the input comes from: a path, or `-` (the default) for stdin.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    path: Option<PathBuf>,
}

impl Source {
    /// The source named on the command line.
    pub(crate) fn new(arg: Option<&PathBuf>) -> Source {
        Source {
            path: arg.filter(|p| p.as_os_str() != "-").cloned(),
        }
    }

    /// The name used in diagnostics.
    pub(crate) fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string())
    }

    /// The size of the input when it is a file.
    pub(crate) fn size(&self) -> Option<u64> {
        let path = self.path.as_ref()?;
        std::fs::metadata(path).ok().map(|m| m.len())
    }

    /// The input as a buffered reader.
    pub(crate) fn reader(&self) -> Result<Box<dyn std::io::BufRead>, Failure> {
        match &self.path {
            Some(path) => {
                let file = std::fs::File::open(path).map_err(|e| Failure::Io {
                    message: format!("{}: {e}", path.display()),
                })?;
                Ok(Box::new(std::io::BufReader::new(file)))
            }
            None => Ok(Box::new(std::io::BufReader::new(std::io::stdin()))),
        }
    }

    /// Reads at most `limit` bytes, and fails if there is more.
    pub(crate) fn read(&self, limit: usize) -> Result<Vec<u8>, Failure> {
        let options = Options::default().max_bytes(limit);
        exev_codec::read_limited(self.reader()?, &options).map_err(|error| self.failure(error))
    }

    /// The failure for `error` in this input: an I/O failure, or bad input.
    pub(crate) fn failure(&self, error: exev_codec::Error) -> Failure {
        named_failure(self.name(), error)
    }
}

/// The failure for `error` in the input named `source`.
pub(crate) fn named_failure(source: String, error: exev_codec::Error) -> Failure {
    if error.category() == Category::Io {
        Failure::Io {
            message: format!("{source}: {}", error.kind()),
        }
    } else {
        Failure::Input { source, error }
    }
}

/// The name of event `number` (from 1) of a stream in `format` from `source`, in errors:
/// `<stdin>:LINE` in NDJSON (the line `position` names), `<stdin>#N` in a CBOR sequence and
/// `<stdin>:N` in a Protobuf stream.
pub(crate) fn stream_event_name(
    source: &str,
    format: Format,
    number: u64,
    position: Option<Position>,
) -> String {
    match (format, position) {
        (Format::Json, Some(Position::Text { line, .. })) => format!("{source}:{line}"),
        (Format::Cbor, _) => format!("{source}#{number}"),
        _ => format!("{source}:{number}"),
    }
}

/// What a stream holds: events in an event encoding, or MIMI messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StreamKind {
    /// Events, in this encoding.
    Events(Format),
    /// A CBOR sequence of MIMI messages, mapped to events by `crate::mimi::stream`.
    Mimi,
}

/// The kind of the stream `reader` holds, as `from` says or, for `auto`, as its first bytes
/// suggest (NDJSON when nothing matches); `source` names it in errors.
pub(crate) fn stream_kind(
    reader: &mut dyn std::io::BufRead,
    from: InputFormat,
    source: &str,
) -> Result<StreamKind, Failure> {
    if let Some(format) = from.format() {
        return Ok(StreamKind::Events(format));
    }
    let first = reader.fill_buf().map_err(|e| Failure::Io {
        message: format!("{source}: {e}"),
    })?;
    Ok(if crate::mimi::applies(first, from) {
        StreamKind::Mimi
    } else {
        StreamKind::Events(Format::detect_stream(first).unwrap_or(Format::Json))
    })
}

impl InputFormat {
    /// The event encoding named, or `None` for `auto` and for MIMI content (which is not an
    /// event encoding: `crate::mimi` maps it).
    pub(crate) fn format(self) -> Option<Format> {
        match self {
            InputFormat::Auto => None,
            InputFormat::Json => Some(Format::Json),
            InputFormat::Cbor => Some(Format::Cbor),
            InputFormat::Proto => Some(Format::Proto),
            InputFormat::Mimi => None,
        }
    }
}

/// Decodes one event from `bytes` in `format`; `auto` detects it (JSON when nothing matches,
/// as JSON errors describe any other start best).
pub(crate) fn decode(
    bytes: &[u8],
    format: InputFormat,
    options: &Options,
    source: &str,
) -> Result<Event, Failure> {
    if crate::mimi::applies(bytes, format) {
        return crate::mimi::to_event(bytes, source);
    }
    let format = format
        .format()
        .or_else(|| Format::detect(bytes))
        .unwrap_or(Format::Json);
    format
        .from_slice_with(bytes, options)
        .map_err(|error| Failure::Input {
            source: source.to_owned(),
            error,
        })
}
