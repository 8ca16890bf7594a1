//! `exev inspect`: what an event is made of.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::blocks::AnyBlock;
use exev::{BlockError, Event, Value};
use exev_codec::{NumberPolicy, Options, cbor, json, proto};
use exev_registry::{Capabilities, Registry, Rendering};

use crate::input::{self, Source};
use crate::report::{Failure, report_json, write_stdout};
use crate::{InputFormat, Outcome};

/// The forms `exev inspect` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum InspectFormat {
    /// A table for people.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `exev inspect`.
#[derive(Args, Debug)]
pub(crate) struct InspectArgs {
    /// The encoding to read.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    from: InputFormat,
    /// The form of the report.
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    format: InspectFormat,
    /// Keep numbers outside the canonical-JSON data model instead of rejecting them.
    #[arg(long)]
    lenient: bool,
    /// The input file, or `-` for stdin.
    file: Option<PathBuf>,
}

/// What inspection found about one block.
pub(crate) struct BlockReport<'a> {
    /// The key it was sent under.
    pub(crate) name: &'a str,
    /// The stable name of the built-in block it is, if it is one.
    pub(crate) known_as: Option<&'static str>,
    /// `"stable"`, `"unstable"` or `"obsolete"` for known blocks.
    pub(crate) status: Option<&'static str>,
    /// Whether another name of the same block is read instead.
    pub(crate) shadowed: bool,
    /// The typed reading, for known blocks.
    pub(crate) typed: Option<Result<AnyBlock, BlockError>>,
    /// The value as sent.
    pub(crate) value: &'a Value,
}

/// Inspects every block of `event`.
pub(crate) fn blocks(event: &Event) -> Vec<BlockReport<'_>> {
    event
        .content()
        .blocks()
        .map(|entry| {
            let typed = entry.known.map(|(block, _)| {
                AnyBlock::read(block, entry.name, entry.value)
                    .map_err(|e| e.within(&exev::block_path(entry.name)))
            });
            BlockReport {
                name: entry.name,
                known_as: entry.known.map(|(block, _)| block.stable_name()),
                status: entry.known.map(|(_, status)| status.as_str()),
                shadowed: entry.shadowed,
                typed,
                value: entry.value,
            }
        })
        .collect()
}

/// Runs `exev inspect`.
pub(crate) fn run(args: &InspectArgs) -> Outcome {
    let source = Source::new(args.file.as_ref());
    let numbers = if args.lenient {
        NumberPolicy::Lenient
    } else {
        NumberPolicy::Strict
    };
    let options = Options::default().numbers(numbers);
    let bytes = source.read(options.max_bytes)?;
    if crate::mimi::applies(&bytes, args.from) {
        let json = args.format == InspectFormat::Json;
        return crate::mimi::inspect(&bytes, &source.name(), json);
    }
    let event = input::decode(&bytes, args.from, &options, &source.name())?;
    let out = match args.format {
        InspectFormat::Text => text_report(&event, bytes.len()).into_bytes(),
        InspectFormat::Json => json_report(&event, bytes.len())?,
    };
    write_stdout(&out)
}

fn type_line(event: &Event) -> String {
    match event.known_type() {
        Some((stable, status)) if stable == event.event_type() => {
            format!("{} (built-in, {status} name)", event.event_type())
        }
        Some((stable, status)) => {
            format!("{} (built-in {stable}, {status} name)", event.event_type())
        }
        None => format!("{} (not built in)", event.event_type()),
    }
}

/// How a client that knows every built-in type renders `event`.
fn rendering(event: &Event, registry: &Registry) -> Rendering {
    registry.render(event, &Capabilities::everything(registry))
}

/// The rendering summary in one line: outcome, schema and text.
fn rendering_line(rendering: &Rendering) -> String {
    let mut line = rendering.outcome.as_str().to_owned();
    if let Some(schema) = &rendering.rendered_as {
        line.push_str(&format!(" as {schema}"));
    }
    if !rendering.text.is_empty() {
        line.push_str(&format!(": {}", crate::describe::quote(&rendering.text)));
    }
    line
}

/// The report for people.
pub(crate) fn text_report(event: &Event, input_bytes: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!("type     {}\n", type_line(event)));
    let registry = Registry::built_in();
    if let Some(schema) = registry.event_type(event.event_type()) {
        let missing = registry.missing_required(schema, event.content());
        if missing.is_empty() {
            out.push_str(&format!(
                "schema   {}: every required block present\n",
                schema.name
            ));
        } else {
            out.push_str(&format!(
                "schema   {}: missing required {}\n",
                schema.name,
                missing.join(", ")
            ));
        }
    }
    out.push_str(&format!(
        "render   {}\n",
        rendering_line(&rendering(event, &registry))
    ));
    if let Some(state_key) = event.state_key() {
        out.push_str(&format!("state    yes, state_key {state_key:?}\n"));
    }
    if let Some(sender) = event.sender() {
        out.push_str(&format!("sender   {sender}\n"));
    }
    let canonical = match json::to_vec(event) {
        Ok(bytes) => format!("canonical JSON {} bytes", bytes.len()),
        Err(e) => format!("no JSON form ({e})"),
    };
    let cbor_size = match cbor::to_vec(event) {
        Ok(bytes) => format!("deterministic CBOR {} bytes", bytes.len()),
        Err(e) => format!("no CBOR form ({e})"),
    };
    let protobuf = match proto::to_vec(event) {
        Ok(bytes) => format!("Protobuf {} bytes", bytes.len()),
        Err(e) => format!("no Protobuf form ({e})"),
    };
    out.push_str(&format!(
        "size     input {input_bytes} bytes; {canonical}; {cbor_size}; {protobuf}\n"
    ));
    let reports = blocks(event);
    out.push_str(&format!("blocks   {}\n", reports.len()));
    let width = reports.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in &reports {
        let known = match (r.known_as, r.status) {
            (Some(stable), Some(status)) if stable == r.name => format!("known {status}"),
            (Some(stable), Some(status)) => format!("known {status} ({stable})"),
            _ => "unknown".to_owned(),
        };
        let typed = match &r.typed {
            None => format!("kept as sent ({})", r.value.kind()),
            Some(_) if r.shadowed => "kept; the stable name is read instead".to_owned(),
            Some(Ok(block)) => format!("ok: {}", crate::describe::block(block)),
            Some(Err(e)) => format!("error: {e}"),
        };
        out.push_str(&format!("  {:width$}  {known:<28} {typed}\n", r.name));
    }
    out
}

/// The report as one JSON object.
fn json_report(event: &Event, input_bytes: usize) -> Result<Vec<u8>, Failure> {
    report_json(&report_value(event, input_bytes), false)
}

/// The report as a value (`exev inspect` of MIMI content adds to it).
pub(crate) fn report_value(event: &Event, input_bytes: usize) -> Value {
    let int = |n: usize| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    let blocks: Vec<Value> = blocks(event)
        .iter()
        .map(|r| {
            let mut o = exev::Object::new();
            o.insert("name".into(), r.name.into());
            o.insert("known".into(), Value::Bool(r.known_as.is_some()));
            if let (Some(stable), Some(status)) = (r.known_as, r.status) {
                o.insert("stable_name".into(), stable.into());
                o.insert("name_status".into(), status.into());
                o.insert("shadowed".into(), Value::Bool(r.shadowed));
            }
            match &r.typed {
                Some(Ok(_)) => {
                    o.insert("typed".into(), "ok".into());
                }
                Some(Err(e)) => {
                    o.insert("typed".into(), "error".into());
                    o.insert("error".into(), e.to_string().into());
                    o.insert("error_path".into(), e.path().to_string().into());
                }
                None => {}
            }
            Value::Object(o)
        })
        .collect();
    let mut report = exev::Object::new();
    report.insert("type".into(), event.event_type().into());
    report.insert(
        "built_in".into(),
        event
            .known_type()
            .map_or(Value::Null, |(stable, _)| stable.into()),
    );
    report.insert("state".into(), Value::Bool(event.is_state()));
    let registry = Registry::built_in();
    if let Some(schema) = registry.event_type(event.event_type()) {
        let missing: Vec<Value> = registry
            .missing_required(schema, event.content())
            .into_iter()
            .map(Value::from)
            .collect();
        report.insert("missing_required".into(), Value::Array(missing));
    }
    let rendering = rendering(event, &registry);
    let mut summary = exev::Object::new();
    summary.insert("outcome".into(), rendering.outcome.as_str().into());
    summary.insert(
        "as".into(),
        rendering
            .rendered_as
            .as_deref()
            .map_or(Value::Null, Value::from),
    );
    summary.insert("text".into(), rendering.text.as_str().into());
    report.insert("rendering".into(), Value::Object(summary));
    let mut sizes = exev::Object::new();
    sizes.insert("input".into(), int(input_bytes));
    // An encoding with no form for the event (a lenient number CBOR cannot hold) has no size.
    let size = |encoded: Result<Vec<u8>, exev_codec::Error>| {
        encoded.map_or(Value::Null, |bytes| int(bytes.len()))
    };
    sizes.insert("json".into(), size(json::to_vec(event)));
    sizes.insert("cbor".into(), size(cbor::to_vec(event)));
    sizes.insert("proto".into(), size(proto::to_vec(event)));
    report.insert("sizes".into(), Value::Object(sizes));
    report.insert("blocks".into(), Value::Array(blocks));
    Value::Object(report)
}
