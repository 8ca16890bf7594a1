//! `exev convert`: decode an event (or a stream of them, on every core) and encode it again.

use std::io::{BufRead, BufWriter};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::{Event, NamingProfile};
use exev_codec::convert::{ConvertError, StreamConverter};
use exev_codec::{Format, NumberPolicy, Options, Position, cbor, json, proto};

use crate::input::{self, Source, named_failure};
use crate::progress::Bar;
use crate::report::{Failure, write_stdout};
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
    /// whole output.
    fn encode(&self, mut event: Event) -> Result<Vec<u8>, exev_codec::Error> {
        self.names.profile().apply(&mut event);
        let event = &event;
        let line = |mut out: Vec<u8>| {
            out.push(b'\n');
            out
        };
        Ok(match self.to {
            OutputFormat::Json if self.pretty => line(json::to_vec_pretty(event)?),
            OutputFormat::Json => line(json::to_vec(event)?),
            OutputFormat::Cbor => cbor::to_vec(event)?,
            OutputFormat::CborDiag => line(cbor::to_diag(event)?.into_bytes()),
            OutputFormat::Proto if self.stream => proto::to_vec_delimited(event)?,
            OutputFormat::Proto => proto::to_vec(event)?,
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
    let event = input::decode(&bytes, args.from, &options, &source.name())?;
    let out = args.encode(event).map_err(|e| source.failure(e))?;
    write_stdout(&out)
}

/// Many events, converted on every core: the format is what `--from` says, or what the first
/// bytes suggest (NDJSON or a CBOR sequence).
fn stream(args: &ConvertArgs, source: &Source, options: Options) -> Outcome {
    let mut reader = source.reader()?;
    let format = match args.from.format() {
        Some(format) => format,
        None => {
            let first = reader.fill_buf().map_err(|e| Failure::Io {
                message: format!("{}: {e}", source.name()),
            })?;
            Format::detect_stream(first).unwrap_or(Format::Json)
        }
    };
    let bar = Bar::new(source.size());
    let converter = StreamConverter::new(format)
        .options(options)
        .jobs(args.jobs.unwrap_or(0));
    let result = converter.run(
        reader,
        BufWriter::with_capacity(1 << 16, std::io::stdout()),
        |event| args.encode(event),
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

/// What a stopped conversion tells the user: the event at fault is named `<stdin>:LINE` in
/// NDJSON, `<stdin>#N` in a CBOR sequence and `<stdin>:N` in a Protobuf stream.
fn failure(e: ConvertError<exev_codec::Error>, format: Format, source: &str) -> Outcome {
    let name = |number: u64, error: &exev_codec::Error| match (format, error.position()) {
        (Format::Json, Some(Position::Text { line, .. })) => format!("{source}:{line}"),
        (Format::Cbor, _) => format!("{source}#{number}"),
        _ => format!("{source}:{number}"),
    };
    Err(match e {
        ConvertError::Read { number, error } | ConvertError::Convert { number, error } => {
            named_failure(name(number, &error), error)
        }
        // A closed pipe (as with `| head`) ends quietly.
        ConvertError::Write(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        ConvertError::Write(e) => Failure::Io {
            message: format!("writing to stdout: {e}"),
        },
        other => Failure::Io {
            message: other.to_string(),
        },
    })
}
