//! `exev render`: how a client with given capabilities shows an event (MSC1767 fallback
//! rendering).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev_codec::Options;
use exev_registry::{Capabilities, Registry, Rendering, text_to_html};

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
    /// The event types the client knows, by any of their names [default: every type of the
    /// registry].
    #[arg(long, value_delimiter = ',', value_name = "TYPE,...")]
    know: Option<Vec<String>>,
    /// The mimetypes the client understands (`type/*` allowed) [default: every mimetype].
    #[arg(long, value_delimiter = ',', value_name = "M,...")]
    mimetypes: Option<Vec<String>>,
    /// The form of the output.
    #[arg(long, value_enum, default_value_t = RenderFormat::Text)]
    format: RenderFormat,
    /// A registrar's manifest directory to add to the built-in registry (repeatable; later
    /// ones go on top).
    #[arg(long = "registry", value_name = "DIR")]
    registries: Vec<PathBuf>,
    /// The input file, or `-` for stdin.
    file: Option<PathBuf>,
}

/// The client `args` describe, for `registry`.
fn capabilities(args: &RenderArgs, registry: &Registry) -> Capabilities {
    let mut caps = match &args.know {
        Some(types) => {
            Capabilities::knowing(types.iter().map(|t| t.trim()).filter(|t| !t.is_empty()))
        }
        None => Capabilities::everything(registry),
    };
    if let Some(mimetypes) = &args.mimetypes {
        caps = caps.mimetypes(mimetypes.iter().map(|m| m.trim()).filter(|m| !m.is_empty()));
    }
    caps
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
    let event = input::decode(&bytes, InputFormat::Auto, &options, &source.name())?;
    let registry = crate::registrar::load(&args.registries)?;
    let rendering = registry.render(&event, &capabilities(args, &registry));
    write_stdout(&output(&rendering, args.format)?)
}
