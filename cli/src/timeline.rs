//! `exev timeline`: a room's events, in the order received (a stream), folded into the items
//! a client shows.

use std::io::{BufRead, Read};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::Event;
use exev_codec::{Options, cbor, json, proto};
use exev_registry::{Outcome, Timeline, TimelineItem};

use crate::client::ClientArgs;
use crate::input::{self, Source};
use crate::report::{Failure, write_stdout};
use crate::{InputFormat, Outcome as CommandOutcome};

/// The forms `exev timeline` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum TimelineFormat {
    /// One line an item: its id, sender, what it rendered as, its text and what happened to it.
    Text,
    /// One JSON object a line an item.
    Json,
}

/// Arguments of `exev timeline`.
#[derive(Args, Debug)]
pub(crate) struct TimelineArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// The encoding of the stream: NDJSON, a CBOR sequence, length-delimited Protobuf or a
    /// CBOR sequence of MIMI messages; `auto` tells them apart by their first bytes.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    from: InputFormat,
    /// The form of the output.
    #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
    format: TimelineFormat,
    /// The input file, or `-` for stdin.
    file: Option<PathBuf>,
}

/// Runs `exev timeline`.
pub(crate) fn run(args: &TimelineArgs) -> CommandOutcome {
    let (registry, capabilities) = args.client.client()?;
    let mut timeline = Timeline::new(capabilities, registry);
    let source = Source::new(args.file.as_ref());
    let options = Options::default();
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
    let mut push = |event: Event| {
        timeline.push(event);
    };
    match format {
        InputFormat::Cbor => {
            for (i, item) in cbor::SequenceReader::new(reader, options.clone()).enumerate() {
                push(item.map_err(|error| Failure::Input {
                    source: format!("{}#{}", source.name(), i + 1),
                    error,
                })?);
            }
        }
        InputFormat::Proto => {
            let mut events = proto::StreamReader::new(reader, options.clone());
            let mut number = 0usize;
            loop {
                number += 1;
                match events.next_event() {
                    Ok(Some(event)) => push(event),
                    Ok(None) => break,
                    Err(error) => {
                        return Err(Failure::Input {
                            source: format!("{}:{number}", source.name()),
                            error,
                        });
                    }
                }
            }
        }
        InputFormat::Mimi => crate::mimi::stream(reader, &source.name(), true, |event, _| {
            push(event);
            Ok(())
        })?,
        InputFormat::Auto | InputFormat::Json => ndjson(reader, &source, &options, push)?,
    }
    let mut out = Vec::new();
    for item in timeline.items() {
        match args.format {
            TimelineFormat::Json => out.extend(json::value_to_vec(&item.to_value())),
            TimelineFormat::Text => out.extend(line(item).into_bytes()),
        }
        out.push(b'\n');
    }
    write_stdout(&out)
}

/// NDJSON: one event a line, blank lines skipped, no line read past the size limit; errors
/// name the line (`<stdin>:2`). (The codec's stream reader takes this over once it has one.)
fn ndjson(
    mut reader: Box<dyn BufRead>,
    source: &Source,
    options: &Options,
    mut push: impl FnMut(Event),
) -> Result<(), Failure> {
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
        push(input::decode(trimmed, InputFormat::Json, options, &name)?);
    }
}

/// One item as a line of text: `$id @sender m.message: text (edited) [👍 2]`.
fn line(item: &TimelineItem) -> String {
    let r = &item.rendering;
    let what = match (r.outcome, &r.rendered_as) {
        (Outcome::Rendered, Some(schema)) => schema.clone(),
        (outcome, Some(schema)) => format!("{outcome} {schema}"),
        (outcome, None) => outcome.to_string(),
    };
    let mut s = format!(
        "{} {} {what}: {}",
        item.event_id.as_deref().unwrap_or("-"),
        item.sender.as_deref().unwrap_or("-"),
        r.text.replace('\n', "\\n")
    );
    if item.redacted {
        s.push_str(" (redacted)");
    }
    if item.edited {
        s.push_str(" (edited)");
    }
    if let Some(target) = &item.in_reply_to {
        s.push_str(&format!(" (reply to {target})"));
    }
    if let Some(root) = &item.thread_root {
        s.push_str(&format!(" (in thread {root})"));
    }
    if let Some(thread) = &item.thread {
        s.push_str(&format!(" (thread: {} events)", thread.count));
    }
    for (key, reaction) in &item.reactions {
        s.push_str(&format!(" [{key} {}]", reaction.count()));
    }
    if let Some(poll) = &item.poll {
        s.push_str(&format!(
            " (poll: {})",
            poll.results_text().replace('\n', "; ")
        ));
    }
    s
}
