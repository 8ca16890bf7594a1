//! `exev render`: how a client with given capabilities shows an event (MSC1767 fallback
//! rendering).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev_codec::Options;
use exev_registry::{Rendering, text_to_html};

use crate::client::ClientArgs;
use crate::input::{self, Source};
use crate::report::{Failure, report_json, write_stdout};
use crate::{InputFormat, Outcome};

/// The forms `exev render` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RenderFormat {
    /// The plain-text form (empty when the event is not shown).
    Text,
    /// The sanitised HTML form, or the plain text escaped as HTML when there is none.
    Html,
    /// The whole rendering as one JSON object.
    Json,
}

/// Arguments of `exev render`.
#[derive(Args, Debug)]
pub(crate) struct RenderArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// The encoding to read.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    from: InputFormat,
    /// The form of the output.
    #[arg(long, value_enum, default_value_t = RenderFormat::Text)]
    format: RenderFormat,
    /// The input file, or `-` for stdin.
    file: Option<PathBuf>,
}

/// The output for `format`.
pub(crate) fn output(rendering: &Rendering, format: RenderFormat) -> Result<Vec<u8>, Failure> {
    let mut out = match format {
        RenderFormat::Text => rendering.text.clone().into_bytes(),
        RenderFormat::Html => rendering
            .html
            .clone()
            .unwrap_or_else(|| text_to_html(&rendering.text))
            .into_bytes(),
        RenderFormat::Json => return report_json(&rendering.to_value(), false),
    };
    out.push(b'\n');
    Ok(out)
}

/// Runs `exev render`.
pub(crate) fn run(args: &RenderArgs) -> Outcome {
    let source = Source::new(args.file.as_ref());
    let options = Options::default();
    let bytes = source.read(options.max_bytes)?;
    let event = input::decode(&bytes, args.from, &options, &source.name())?;
    let (registry, capabilities) = args.client.client()?;
    let rendering = registry.render(&event, &capabilities);
    write_stdout(&output(&rendering, args.format)?)
}
