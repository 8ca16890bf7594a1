//! `exev convert`: decode an event (or a stream of them) and encode it again.

use std::io::{BufRead, Read};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::{Event, NamingProfile};
use exev_codec::{NumberPolicy, Options, cbor, json, proto};

use crate::input::{self, Source};
use crate::report::{Failure, write_stdout};
use crate::shape::ShapeArg;
use crate::{InputFormat, Outcome};

/// The encodings `--to` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Matrix canonical JSON (with `--pretty`, indented), then a newline.
    Json,
    /// Deterministic CBOR (RFC 8949 §4.2.1), raw bytes, no newline; with `--stream`, a CBOR
    /// sequence.
    Cbor,
    /// CBOR diagnostic notation (RFC 8949 §8) of the deterministic CBOR, then a newline.
    CborDiag,
    /// Protobuf: one `exev.v1.Event` message (no newline); with `--stream`, each preceded by
    /// its length as a varint.
    Proto,
    /// MIMI content (draft-ietf-mimi-content-08), raw bytes, no newline; with `--stream`, a
    /// CBOR sequence of messages. The salt is the event's carrier block's, else fresh.
    Mimi,
}

/// The naming profiles `--names` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Names {
    /// The names as sent.
    Keep,
    /// Stable `m.*` names, unstable shapes converted.
    Stable,
    /// Unstable names where one of the same shape exists.
    Unstable,
}

impl Names {
    fn profile(self) -> NamingProfile {
        match self {
            Names::Keep => NamingProfile::Keep,
            Names::Stable => NamingProfile::Stable,
            Names::Unstable => NamingProfile::Unstable,
        }
    }
}

/// Arguments of `exev convert`.
#[derive(Args, Debug)]
pub(crate) struct ConvertArgs {
    /// The encoding to write.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    to: OutputFormat,
    /// The encoding to read.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    from: InputFormat,
    /// Read and write many events: one JSON event a line (NDJSON), a CBOR sequence, or
    /// length-delimited Protobuf (a varint length, then the message). Reading a Protobuf
    /// stream needs `--from proto`; `auto` tells NDJSON from a CBOR sequence.
    #[arg(long)]
    stream: bool,
    /// Which names to write: as sent, stable `m.*` names, or unstable names.
    #[arg(long, value_enum, default_value_t = Names::Keep)]
    names: Names,
    /// Which shape to write: as it is, extensible, legacy, or hybrid (MSC4460).
    #[arg(long, value_enum, default_value_t = ShapeArg::Keep)]
    shape: ShapeArg,
    /// Indent the JSON for people (not canonical).
    #[arg(long)]
    pretty: bool,
    /// Keep numbers outside the canonical-JSON data model (floats, big integers) verbatim
    /// instead of rejecting them.
    #[arg(long)]
    lenient: bool,
    /// The input file, or `-` for stdin.
    file: Option<PathBuf>,
}

impl ConvertArgs {
    fn options(&self) -> Options {
        let numbers = if self.lenient {
            NumberPolicy::Lenient
        } else {
            NumberPolicy::Strict
        };
        Options::default().numbers(numbers)
    }

    /// The encoding of `event`; `source` names the input in errors.
    fn encode(&self, event: Event, source: &str) -> Result<Vec<u8>, Failure> {
        let mut event = self.shape.apply(event, source)?;
        self.names.profile().apply(&mut event);
        let event = &event;
        let failure = |error| Failure::Input {
            source: source.to_owned(),
            error,
        };
        Ok(match self.to {
            OutputFormat::Json => {
                let mut out = if self.pretty {
                    json::to_vec_pretty(event)
                } else {
                    json::to_vec(event)
                };
                out.push(b'\n');
                out
            }
            OutputFormat::Cbor => cbor::to_vec(event).map_err(failure)?,
            OutputFormat::CborDiag => {
                let mut out = cbor::to_diag(event).map_err(failure)?.into_bytes();
                out.push(b'\n');
                out
            }
            OutputFormat::Proto if self.stream => proto::to_vec_delimited(event),
            OutputFormat::Proto => proto::to_vec(event),
            OutputFormat::Mimi => crate::mimi::encode(event, source)?,
        })
    }
}

/// Runs `exev convert`.
pub(crate) fn run(args: &ConvertArgs) -> Outcome {
    let source = Source::new(args.file.as_ref());
    let options = args.options();
    if args.stream {
        return stream(args, &source, &options);
    }
    let bytes = source.read(options.max_bytes)?;
    if args.to == OutputFormat::CborDiag && crate::mimi::applies(&bytes, args.from) {
        return write_stdout(&crate::mimi::diag(&bytes, &source.name())?);
    }
    let event = input::decode(&bytes, args.from, &options, &source.name())?;
    write_stdout(&args.encode(event, &source.name())?)
}

/// Many events: NDJSON or a CBOR sequence, as `--from` says or the first byte suggests.
fn stream(args: &ConvertArgs, source: &Source, options: &Options) -> Outcome {
    let mut reader = source.reader()?;
    let format = match args.from {
        InputFormat::Auto => {
            let first = reader.fill_buf().map_err(|e| Failure::Io {
                message: format!("{}: {e}", source.name()),
            })?;
            if crate::mimi::applies(first, InputFormat::Auto) {
                InputFormat::Mimi
            } else {
                input::detect(first.first().copied())
            }
        }
        other => other,
    };
    match format {
        InputFormat::Cbor => cbor_sequence(args, reader, source, options),
        InputFormat::Proto => proto_stream(args, reader, source, options),
        InputFormat::Mimi => crate::mimi::stream(reader, &source.name(), false, |event, name| {
            write_stdout(&args.encode(event, name)?)
        }),
        InputFormat::Auto | InputFormat::Json => ndjson(args, reader, source, options),
    }
}

/// Length-delimited Protobuf: each message read whole only after its length is checked;
/// errors name the message (`<stdin>:2`).
fn proto_stream(
    args: &ConvertArgs,
    reader: Box<dyn BufRead>,
    source: &Source,
    options: &Options,
) -> Outcome {
    let mut events = proto::StreamReader::new(reader, options.clone());
    let mut number = 0usize;
    loop {
        number += 1;
        let name = format!("{}:{number}", source.name());
        match events.next_event() {
            Ok(Some(event)) => write_stdout(&args.encode(event, &name)?)?,
            Ok(None) => return Ok(()),
            Err(error) => {
                return Err(Failure::Input {
                    source: name,
                    error,
                });
            }
        }
    }
}

/// A CBOR sequence: items back to back; errors name the item (`<stdin>#2`) and give the byte
/// offset from the start of the stream.
fn cbor_sequence(
    args: &ConvertArgs,
    reader: Box<dyn BufRead>,
    source: &Source,
    options: &Options,
) -> Outcome {
    for (i, item) in cbor::SequenceReader::new(reader, options.clone()).enumerate() {
        let name = format!("{}#{}", source.name(), i + 1);
        let event = item.map_err(|error| Failure::Input {
            source: name.clone(),
            error,
        })?;
        write_stdout(&args.encode(event, &name)?)?;
    }
    Ok(())
}

/// NDJSON: one event a line, blank lines skipped; no line is read past the size limit.
fn ndjson(
    args: &ConvertArgs,
    mut reader: Box<dyn BufRead>,
    source: &Source,
    options: &Options,
) -> Outcome {
    let cap = u64::try_from(options.max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(2);
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        let read = (&mut reader)
            .take(cap)
            .read_until(b'\n', &mut line)
            .map_err(|e| Failure::Io {
                message: format!("{}: {e}", source.name()),
            })?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        let name = format!("{}:{number}", source.name());
        let trimmed = line.strip_suffix(b"\n").unwrap_or(&line);
        let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
        if trimmed.len() > options.max_bytes {
            return Err(input::too_large(&name, trimmed.len(), options.max_bytes));
        }
        if trimmed.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let event = input::decode(trimmed, InputFormat::Json, options, &name)?;
        write_stdout(&args.encode(event, &name)?)?;
    }
}
