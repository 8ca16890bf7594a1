//! `exev convert`: decode an event (or a stream of them, on every core) and encode it again.

use std::io::BufWriter;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::{Event, NamingProfile};
use exev_codec::convert::{ConvertError, StreamConverter};
use exev_codec::{Format, NumberPolicy, Options, cbor, json, proto};

use crate::input::{self, Source, StreamKind, named_failure};
use crate::progress::Bar;
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
    /// With `--stream`: convert on N threads (default: one per core). The output is the
    /// same, byte for byte, whatever N; a progress bar shows on stderr when it is a terminal.
    /// One event alone is converted on one.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
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

    /// The encoding of `event` as this command writes it, one event of a stream or the
    /// whole output; `source` names the input in errors.
    fn encode(&self, event: Event, source: &str) -> Result<Vec<u8>, Failure> {
        let mut event = self.shape.apply(event, source)?;
        self.names.profile().apply(&mut event);
        let event = &event;
        let codec = |error| Failure::Input {
            source: source.to_owned(),
            error,
        };
        let line = |mut out: Vec<u8>| {
            out.push(b'\n');
            out
        };
        Ok(match self.to {
            OutputFormat::Json if self.pretty => line(json::to_vec_pretty(event).map_err(codec)?),
            OutputFormat::Json => line(json::to_vec(event).map_err(codec)?),
            OutputFormat::Cbor => cbor::to_vec(event).map_err(codec)?,
            OutputFormat::CborDiag => line(cbor::to_diag(event).map_err(codec)?.into_bytes()),
            OutputFormat::Proto if self.stream => proto::to_vec_delimited(event).map_err(codec)?,
            OutputFormat::Proto => proto::to_vec(event).map_err(codec)?,
            OutputFormat::Mimi => crate::mimi::encode(event, source)?,
        })
    }
}

/// Runs `exev convert`.
pub(crate) fn run(args: &ConvertArgs) -> Outcome {
    let source = Source::new(args.file.as_ref());
    let options = args.options();
    if args.stream {
        return stream(args, &source, options);
    }
    let bytes = source.read(options.max_bytes)?;
    if args.to == OutputFormat::CborDiag && crate::mimi::applies(&bytes, args.from) {
        return write_stdout(&crate::mimi::diag(&bytes, &source.name())?);
    }
    let event = input::decode(&bytes, args.from, &options, &source.name())?;
    write_stdout(&args.encode(event, &source.name())?)
}

/// Many events, converted on every core: the format is what `--from` says, or what the first
/// bytes suggest (NDJSON, a CBOR sequence, or a sequence of MIMI messages, which is mapped on
/// one).
fn stream(args: &ConvertArgs, source: &Source, options: Options) -> Outcome {
    let mut reader = source.reader()?;
    let format = match input::stream_kind(&mut reader, args.from, &source.name())? {
        StreamKind::Events(format) => format,
        StreamKind::Mimi => {
            return crate::mimi::stream(reader, &source.name(), false, |event, name| {
                write_stdout(&args.encode(event, name)?)
            });
        }
    };
    let name = source.name();
    let bar = Bar::new(source.size());
    let converter = StreamConverter::new(format)
        .options(options)
        .jobs(args.jobs.unwrap_or(0));
    let result = converter.run(
        reader,
        BufWriter::with_capacity(1 << 16, std::io::stdout()),
        |event| args.encode(event, &name),
        |progress| bar.update(progress),
    );
    match result {
        Ok(_) => {
            bar.finish();
            Ok(())
        }
        Err(e) => {
            bar.abandon();
            failure(e, format, &source.name())
        }
    }
}

/// What a stopped conversion tells the user, naming the event at fault as
/// [`input::stream_event_name`] does.
fn failure(e: ConvertError<Failure>, format: Format, source: &str) -> Outcome {
    let name = |number, position| input::stream_event_name(source, format, number, position);
    Err(match e {
        ConvertError::Read { number, error } => {
            named_failure(name(number, error.position()), error)
        }
        // An event that reads but cannot be written: its number, as the reader counts.
        ConvertError::Convert { number, error } => error.in_source(name(number, None)),
        // A closed pipe (as with `| head`) ends quietly.
        ConvertError::Write(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        ConvertError::Write(e) => Failure::Io {
            message: format!("writing to stdout: {e}"),
        },
        ConvertError::Threads(e) => Failure::Io {
            message: format!("starting the threads: {e}"),
        },
        // The enum is non-exhaustive; a stop this version does not know is still a stop.
        _ => Failure::Io {
            message: "the conversion stopped".to_owned(),
        },
    })
}
