//! `exev timeline`: a room's events, in the order received (a stream), folded into the items
//! a client shows.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev_codec::Options;
use exev_registry::{Outcome, Timeline, TimelineItem};

use crate::client::ClientArgs;
use crate::input::{self, Source, StreamKind};
use crate::report::{report_json, write_stdout};
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
    let format = match input::stream_kind(&mut reader, args.from, &source.name())? {
        StreamKind::Events(format) => format,
        StreamKind::Mimi => {
            crate::mimi::stream(reader, &source.name(), true, |event, _| {
                timeline.push(event);
                Ok(())
            })?;
            return write_items(&timeline, args.format);
        }
    };
    for (number, event) in (1..).zip(format.stream_reader_with(reader, options)) {
        match event {
            Ok(event) => {
                timeline.push(event);
            }
            Err(error) => {
                let name =
                    input::stream_event_name(&source.name(), format, number, error.position());
                return Err(input::named_failure(name, error));
            }
        }
    }
    write_items(&timeline, args.format)
}

/// Prints the timeline's items in `format`.
fn write_items(timeline: &Timeline, format: TimelineFormat) -> CommandOutcome {
    let mut out = Vec::new();
    for item in timeline.items() {
        match format {
            TimelineFormat::Json => out.extend(report_json(&item.to_value(), false)?),
            TimelineFormat::Text => {
                out.extend(line(item).into_bytes());
                out.push(b'\n');
            }
        }
    }
    write_stdout(&out)
}

/// One item as a line of text: `$id @sender m.message: text (edited) [👍 2]`.
pub(crate) fn line(item: &TimelineItem) -> String {
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
