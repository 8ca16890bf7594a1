//! `exev convert`: decode an event (or a stream of them) and encode it again.

use std::io::{BufRead, Read};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::{Event, NamingProfile};
use exev_codec::{NumberPolicy, Options, json, proto};

use crate::input::{self, Source};
use crate::report::{Failure, write_stdout};
use crate::{InputFormat, Outcome};

/// The encodings `--to` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Matrix canonical JSON (with `--pretty`, indented), then a newline.
    Json,
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
    /// Read and write many events: one JSON event a line (NDJSON), or length-delimited
    /// Protobuf (a varint length, then the message). Reading a Protobuf stream needs
    /// `--from proto`: `auto` reads NDJSON.
    #[arg(long)]
    stream: bool,
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

    fn encode(&self, mut event: Event) -> Vec<u8> {
        self.names.profile().apply(&mut event);
        let mut out = match self.to {
            OutputFormat::Json if self.pretty => json::to_vec_pretty(&event),
            OutputFormat::Json => json::to_vec(&event),
            OutputFormat::Proto if self.stream => return proto::to_vec_delimited(&event),
            OutputFormat::Proto => return proto::to_vec(&event),
        };
        out.push(b'\n');
        out
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
    let event = input::decode(&bytes, args.from, &options, &source.name())?;
    write_stdout(&args.encode(event))
}

/// Length-delimited Protobuf: each message read whole only after its length is checked.
fn proto_stream(args: &ConvertArgs, source: &Source, options: &Options) -> Outcome {
    let mut events = proto::StreamReader::new(source.reader()?, options.clone());
    let mut number = 0usize;
    loop {
        number += 1;
        match events.next_event() {
            Ok(Some(event)) => write_stdout(&args.encode(event))?,
            Ok(None) => return Ok(()),
            Err(error) => {
                return Err(Failure::Input {
                    source: format!("{}:{number}", source.name()),
                    error,
                });
            }
        }
    }
}

/// NDJSON: one event a line, blank lines skipped; no line is read past the size limit.
fn stream(args: &ConvertArgs, source: &Source, options: &Options) -> Outcome {
    if args.from == InputFormat::Proto {
        return proto_stream(args, source, options);
    }
    let mut reader = source.reader()?;
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
        let event = input::decode(trimmed, args.from, options, &name)?;
        write_stdout(&args.encode(event))?;
    }
}
