//! `exev`: convert, inspect, render and tour Matrix extensible events from the command line.
//!
//! Exit status: 0 success, 1 bad input, 2 bad usage. Diagnostics go to stderr, one line each,
//! or as JSON objects with `--error-format json`.

#![forbid(unsafe_code)]
// A command-line program talks on stdout and stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod client;
mod convert;
mod demo;
mod describe;
mod generate;
mod input;
mod inspect;
mod mimi;
mod progress;
mod registrar;
mod render;
mod report;
mod schema;
mod shape;
mod timeline;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::report::{ErrorFormat, Failure};

/// Matrix extensible events (MSC1767): convert, inspect, render and tour events.
#[derive(Parser, Debug)]
#[command(name = "exev", version, about, max_term_width = 100)]
struct Cli {
    /// How to print errors on stderr.
    #[arg(long, value_enum, global = true, default_value_t = ErrorFormat::Text)]
    error_format: ErrorFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decode an event and encode it again: canonical JSON (the default), deterministic CBOR,
    /// CBOR diagnostic notation or Protobuf.
    Convert(convert::ConvertArgs),
    /// List an event's blocks: known or not, under which name, and whether they read typed.
    Inspect(inspect::InspectArgs),
    /// Deterministic events for fuzzing and conformance tests, optionally with hostile ones.
    Gen(generate::GenArgs),
    /// Show an event as a client with given capabilities would (MSC1767 fallback rendering).
    Render(render::RenderArgs),
    /// Fold a room's events (a stream, in the order received) into the items a client shows:
    /// edits applied, reactions counted, redactions marked, replies, threads, poll tallies.
    Timeline(timeline::TimelineArgs),
    /// Check an event against its type's and its blocks' JSON Schemas (exit 1 if invalid).
    Validate(validate::ValidateArgs),
    /// Print the published JSON Schemas (the index, or one by name), or write them all.
    Schema(schema::SchemaArgs),
    /// Registrars' manifest directories.
    Registry(registrar::RegistryArgs),
    /// A tour of the toolkit on events built into the binary.
    Demo,
}

/// The encodings `--from` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
    /// Detect the encoding: MIMI content (a 7-item CBOR array whose first item is a 16-octet
    /// byte string), a CBOR map (0xa0-0xbf) as CBOR, a Protobuf event, anything else JSON.
    Auto,
    /// JSON.
    Json,
    /// CBOR (RFC 8949); with `--stream`, a CBOR sequence (RFC 8742).
    Cbor,
    /// Protobuf: one `exev.v1.Event` message; with `--stream`, each preceded by its length as
    /// a varint.
    Proto,
    /// MIMI content (draft-ietf-mimi-content-08), mapped to its event; with `--stream`, a
    /// CBOR sequence of messages. `auto` recognises it: a 7-item array with a 16-octet salt.
    Mimi,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with status 0, usage errors with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let result = match &cli.command {
        Command::Convert(args) => convert::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Gen(args) => generate::run(args),
        Command::Render(args) => render::run(args),
        Command::Timeline(args) => timeline::run(args),
        Command::Validate(args) => validate::run(args, cli.error_format),
        Command::Schema(args) => schema::run(args),
        Command::Registry(args) => registrar::run(args),
        Command::Demo => demo::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report::print(&failure, cli.error_format);
            ExitCode::from(failure.exit_status())
        }
    }
}

/// The result of a subcommand.
pub(crate) type Outcome = Result<(), Failure>;
