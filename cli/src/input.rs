//! Reading the input: a file or stdin, never more than the size limit allows, and decoding it.

use std::io::Read;
use std::path::PathBuf;

use exev::Event;
use exev_codec::{Options, cbor, json, proto};

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
        let result = match &self.path {
            Some(path) => std::fs::File::open(path).map_err(|e| Failure::Io {
                message: format!("{}: {e}", path.display()),
            })?,
            None => return read_all(std::io::stdin().lock(), limit, &self.name()),
        };
        read_all(result, limit, &self.name())
    }
}

/// An input-too-large failure for `name`.
pub(crate) fn too_large(name: &str, size: usize, limit: usize) -> Failure {
    Failure::Input {
        source: name.to_owned(),
        error: exev_codec::Error::new(
            exev_codec::ErrorKind::TooLarge { size, limit },
            Some(exev_codec::Position::Binary { offset: limit }),
            exev::Path::root(),
        ),
    }
}

fn read_all(reader: impl Read, limit: usize, name: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::Io {
            message: format!("{name}: {e}"),
        })?;
    if bytes.len() > limit {
        return Err(too_large(name, bytes.len(), limit));
    }
    Ok(bytes)
}

/// The encoding `--from auto` picks for input starting with `first`: CBOR for the head of a
/// CBOR map (major type 5: 0xa0-0xbf, 0xbf being indefinite), JSON for anything else (JSON
/// text starts with whitespace or `{`, and JSON errors describe any other start best).
pub(crate) fn detect(first: Option<u8>) -> InputFormat {
    match first {
        Some(0xA0..=0xBF) => InputFormat::Cbor,
        _ => InputFormat::Json,
    }
}

/// Decodes one event from `bytes` in `format`.
pub(crate) fn decode(
    bytes: &[u8],
    format: InputFormat,
    options: &Options,
    source: &str,
) -> Result<Event, Failure> {
    let decoded = match format {
        InputFormat::Mimi => return crate::mimi::to_event(bytes, source),
        InputFormat::Auto if crate::mimi::applies(bytes, format) => {
            return crate::mimi::to_event(bytes, source);
        }
        // Protobuf only when the first byte is an `Event` field's tag, which no JSON text or
        // CBOR map starts with; otherwise CBOR for a map head, JSON for anything else.
        InputFormat::Auto if proto::looks_like_event(bytes) => {
            proto::from_slice_with(bytes, options)
        }
        InputFormat::Auto => match detect(bytes.first().copied()) {
            InputFormat::Cbor => cbor::from_slice_with(bytes, options),
            _ => json::from_slice_with(bytes, options),
        },
        InputFormat::Cbor => cbor::from_slice_with(bytes, options),
        InputFormat::Json => json::from_slice_with(bytes, options),
        InputFormat::Proto => proto::from_slice_with(bytes, options),
    };
    decoded.map_err(|error| Failure::Input {
        source: source.to_owned(),
        error,
    })
}
