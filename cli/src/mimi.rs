//! The CLI's MIMI content glue: recognising it (`--from auto` tries it before the codecs'
//! detection), mapping it to and from events, `--to cbor-diag` on its bytes, and what
//! `exev inspect` says about a message.

use std::io::Read;

use exev::{Event, Value};
use exev_mimi::mapping::{self, CarryIds, Mapper, MappingError};
use exev_mimi::{MimiContent, Part};

use crate::InputFormat;
use crate::report::{Failure, write_stdout};

/// Whether `bytes` read as `format` are MIMI content: `--from mimi`, or `--from auto` on
/// bytes that start as a message does (a 7-item array whose first item is a 16-octet salt).
pub(crate) fn applies(bytes: &[u8], format: InputFormat) -> bool {
    match format {
        InputFormat::Mimi => true,
        InputFormat::Auto => exev_mimi::detect(bytes),
        _ => false,
    }
}

fn decode_failure(source: &str, error: exev_mimi::Error) -> Failure {
    Failure::Mimi {
        source: source.to_owned(),
        error,
    }
}

fn mapping_failure(source: &str, error: MappingError) -> Failure {
    Failure::Mapping {
        source: source.to_owned(),
        error,
    }
}

/// Decodes a message.
pub(crate) fn decode(bytes: &[u8], source: &str) -> Result<MimiContent, Failure> {
    exev_mimi::from_slice(bytes).map_err(|e| decode_failure(source, e))
}

/// Decodes a message and maps it to its event.
pub(crate) fn to_event(bytes: &[u8], source: &str) -> Result<Event, Failure> {
    Ok(mapping::to_event(&decode(bytes, source)?))
}

/// 16 octets from the operating system's random source: the salt of a message made from an
/// event that has none (§9.2 asks for a cryptographically random one).
fn fresh_salt() -> Result<[u8; 16], Failure> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Failure::Io {
        message: format!("no random salt for the MIMI message: {e}"),
    })?;
    Ok(salt)
}

/// The MIMI content of an event (the salt from its carrier block, else a fresh one).
pub(crate) fn encode(event: &Event, source: &str) -> Result<Vec<u8>, Failure> {
    let message = mapping::to_mimi(event, fresh_salt()?).map_err(|e| mapping_failure(source, e))?;
    exev_mimi::to_vec(&message).map_err(|e| decode_failure(source, e))
}

/// `--to cbor-diag` of MIMI input: the diagnostic notation of the message's own bytes.
pub(crate) fn diag(bytes: &[u8], source: &str) -> Result<Vec<u8>, Failure> {
    let mut out = exev_mimi::to_diag(bytes)
        .map_err(|e| decode_failure(source, e))?
        .into_bytes();
    out.push(b'\n');
    Ok(out)
}

/// `--stream --from mimi`: a CBOR sequence of messages, each mapped and written by `write`;
/// errors name the item (`<stdin>#2`). With `event_ids`, each event gets the event ID of its
/// message's ID, so that a timeline can attach the replies, reactions, edits and deletes that
/// name it.
pub(crate) fn stream(
    reader: impl Read,
    source: &str,
    event_ids: bool,
    mut write: impl FnMut(Event, &str) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mapper = Mapper::new(CarryIds).with_event_ids(event_ids);
    for (i, item) in exev_mimi::StreamReader::new(reader).enumerate() {
        let name = format!("{source}#{}", i + 1);
        let message = item.map_err(|e| decode_failure(&name, e))?;
        write(mapper.to_event(&message), &name)?;
    }
    Ok(())
}

fn int(n: usize) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

fn id_value(id: Option<&exev_mimi::MessageId>) -> Value {
    id.map_or(Value::Null, |id| Value::from(id.to_hex()))
}

/// One line about a part: its kind and what it holds.
fn part_summary(part: &Part) -> (String, Vec<(&'static str, Value)>) {
    match part {
        Part::Null => ("NullPart".to_owned(), Vec::new()),
        Part::Single(s) => (
            format!("SinglePart {}, {} bytes", s.content_type, s.content.len()),
            vec![
                ("content_type", Value::from(s.content_type.as_str())),
                ("content_bytes", int(s.content.len())),
            ],
        ),
        Part::External(e) => {
            let encrypted = if e.enc_alg == 0 {
                String::new()
            } else {
                format!(", encAlg {}", e.enc_alg)
            };
            (
                format!(
                    "ExternalPart {} at {}, {} bytes{encrypted}",
                    if e.content_type.is_empty() {
                        "(no type)"
                    } else {
                        &e.content_type
                    },
                    e.url,
                    e.size
                ),
                vec![
                    ("content_type", Value::from(e.content_type.as_str())),
                    ("url", Value::from(e.url.as_str())),
                    ("size", Value::from(e.size.to_string())),
                    ("enc_alg", Value::from(u32::from(e.enc_alg))),
                ],
            )
        }
        Part::Multi(m) => (
            format!("MultiPart {} of {}", m.semantics.name(), m.parts.len()),
            vec![
                ("semantics", Value::from(m.semantics.name())),
                ("parts", int(m.parts.len())),
            ],
        ),
        _ => ("(unknown part kind)".to_owned(), Vec::new()),
    }
}

/// `exev inspect` of MIMI content: the message's fields, its part tree, its message ID, then
/// the report on the event it maps to (with its sizes in every encoding).
pub(crate) fn inspect(bytes: &[u8], source: &str, json_format: bool) -> Result<(), Failure> {
    let message = decode(bytes, source)?;
    let id = exev_mimi::message_id_of(bytes).map_err(|e| decode_failure(source, e))?;
    let event = mapping::to_event(&message);
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let parts: Vec<_> = message.body.walk().collect();
    if !json_format {
        let mut out = String::new();
        out.push_str(&format!(
            "format   MIMI content (draft-ietf-mimi-content-08), {} bytes\n",
            bytes.len()
        ));
        out.push_str(&format!("message_id {id}\n"));
        out.push_str(&format!("salt     {}\n", hex(&message.salt)));
        for (label, value) in [
            ("replaces", &message.replaces),
            ("reply to", &message.in_reply_to),
        ] {
            if let Some(v) = value {
                out.push_str(&format!("{label:<8} {v}\n"));
            }
        }
        if !message.topic_id.is_empty() {
            out.push_str(&format!("topic    h'{}'\n", hex(&message.topic_id)));
        }
        if let Some(e) = &message.expires {
            let kind = if e.relative {
                "seconds after reading"
            } else {
                "seconds since the epoch"
            };
            out.push_str(&format!("expires  {} {kind}\n", e.time));
        }
        out.push_str(&format!("extensions {}\n", message.extensions.len()));
        for (key, value) in message.extensions.iter() {
            let shown = message.extensions.get_text(key).map_or_else(
                || format!("{} bytes of CBOR", value.len()),
                |t| format!("{t:?}"),
            );
            out.push_str(&format!("  {key}  {shown}\n"));
        }
        let depth = message.body.depth();
        out.push_str(&format!("parts    {} (depth {depth})\n", parts.len()));
        for (index, level, part) in &parts {
            let disposition = part.disposition.name().map_or_else(
                || format!("{} (unknown)", part.disposition.0),
                str::to_owned,
            );
            let language = if part.language.is_empty() {
                String::new()
            } else {
                format!(" [{}]", part.language)
            };
            out.push_str(&format!(
                "  {:indent$}{index}: {disposition}{language} {}\n",
                "",
                part_summary(&part.part).0,
                indent = (level - 1) * 2
            ));
        }
        out.push_str("event    the message as an extensible event:\n");
        out.push_str(&crate::inspect::text_report(&event, bytes.len()));
        return write_stdout(out.as_bytes());
    }
    let parts_json: Vec<Value> = parts
        .iter()
        .map(|(index, depth, part)| {
            let mut o = exev::Object::new();
            o.insert("index".into(), int(*index));
            o.insert("depth".into(), int(*depth));
            o.insert(
                "disposition".into(),
                Value::from(u32::from(part.disposition.0)),
            );
            o.insert(
                "disposition_name".into(),
                part.disposition.name().map_or(Value::Null, Value::from),
            );
            o.insert("language".into(), Value::from(part.language.as_str()));
            o.insert("kind".into(), Value::from(part.part.kind_name()));
            for (k, v) in part_summary(&part.part).1 {
                o.insert(k.into(), v);
            }
            Value::Object(o)
        })
        .collect();
    let mut report = exev::Object::new();
    report.insert("format".into(), Value::from("mimi"));
    report.insert("message_id".into(), Value::from(id.to_hex()));
    report.insert("salt".into(), Value::from(hex(&message.salt)));
    report.insert("replaces".into(), id_value(message.replaces.as_ref()));
    report.insert("in_reply_to".into(), id_value(message.in_reply_to.as_ref()));
    report.insert("topic_id".into(), Value::from(hex(&message.topic_id)));
    report.insert(
        "sender_uri".into(),
        message
            .extensions
            .sender_uri()
            .map_or(Value::Null, Value::from),
    );
    report.insert(
        "room_uri".into(),
        message
            .extensions
            .room_uri()
            .map_or(Value::Null, Value::from),
    );
    report.insert("parts".into(), Value::Array(parts_json));
    let event_value = crate::inspect::report_value(&event, bytes.len());
    let mut sizes = exev::Object::new();
    sizes.insert("mimi".into(), int(bytes.len()));
    if let Some(Value::Object(event_sizes)) = event_value.get("sizes") {
        for (k, v) in event_sizes {
            if k != "input" {
                sizes.insert(k.clone(), v.clone());
            }
        }
    }
    report.insert("sizes".into(), Value::Object(sizes));
    report.insert("event".into(), event_value);
    write_stdout(&crate::report::report_json(&Value::Object(report), false)?)
}
