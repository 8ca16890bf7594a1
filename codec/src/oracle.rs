//! Round-trip oracles, one set for every [`Format`]: what tests, property tests and fuzz
//! targets call to tell "input rejected" (fine: an error, with its message) from "bug".
//!
//! - [`decode`] takes arbitrary bytes. Rejected input must get a one-line error with a
//!   position, never an internal one; accepted input must pass [`round_trip`], and, where the
//!   format checks determinism (CBOR), strict-deterministic decoding must accept exactly the
//!   inputs that are already in deterministic form.
//! - [`round_trip`] takes an event: its encoding decodes to the same event, encoding that
//!   again gives the same bytes, and the stream form (NDJSON line, sequence item, delimited
//!   message) reads back as that one event. An event the format cannot hold is rejected only
//!   for a reason the format documents: nesting past [`Format::depth_ceiling`], or a lenient
//!   number with no exact form.
//! - [`chains`] sends an event through every chain of two formats.
//!
//! Lenient [`exev::Number`]s keep their literal through JSON and Protobuf; CBOR keeps their
//! value, as an integer or the shortest float that reads back the same, so through CBOR the
//! expected event has each number in that form.
//!
//! ```
//! use exev_codec::Format;
//! use exev_codec::oracle::{self, Verdict};
//!
//! assert!(matches!(oracle::decode(Format::Json, br#"{"type":"m.x","content":{}}"#), Ok(Verdict::Accepted)));
//! assert!(matches!(oracle::decode(Format::Json, b"{"), Ok(Verdict::Rejected(_))));
//! assert!(matches!(oracle::decode(Format::Proto, b"\x12\x03m.x"), Ok(Verdict::Accepted)));
//! assert!(matches!(oracle::decode(Format::Proto, b"\x12\x09m.x"), Ok(Verdict::Rejected(_))));
//! ```

use std::fmt;

use exev::{Event, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Value};

use crate::cbor::number_normal_form;
use crate::{Category, Error, ErrorKind, Format, NumberPolicy, Options, json};

/// What an oracle found for an input that did not reveal a bug.
#[derive(Debug)]
#[non_exhaustive]
pub enum Verdict {
    /// The input was decoded (or the event encoded), and every round-trip property held.
    Accepted,
    /// The input (or the event) was refused, for a reason the format documents, with this
    /// error.
    Rejected(Error),
}

/// A broken property: a bug in a codec, never the input's fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bug {
    /// Which property broke.
    pub property: &'static str,
    /// What was seen.
    pub detail: String,
}

impl fmt::Display for Bug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.property, self.detail)
    }
}

impl std::error::Error for Bug {}

fn bug(property: &'static str, detail: impl Into<String>) -> Bug {
    Bug {
        property,
        detail: detail.into(),
    }
}

/// The event as canonical JSON (lenient numbers as their literals), for a bug's detail.
fn shown(event: &Event) -> String {
    json::to_vec(event).map_or_else(
        |e| format!("<unencodable: {e}>"),
        |b| String::from_utf8_lossy(&b).into_owned(),
    )
}

/// Checks what every error must be: one line, with a position, not a bug of the codec's own.
fn check_error(format: Format, e: &Error) -> Result<(), Bug> {
    if e.category() == Category::Internal {
        return Err(bug("no internal errors", format!("{format}: {e}")));
    }
    if e.position().is_none() {
        return Err(bug("errors have a position", format!("{format}: {e}")));
    }
    if e.to_string().contains('\n') {
        return Err(bug("errors are one line", format!("{format}: {e}")));
    }
    Ok(())
}

/// Decodes `bytes` in `format` with the default options and, when accepted, checks the round
/// trip with [`round_trip`]; for CBOR, also that strict-deterministic decoding accepts exactly
/// the inputs that re-encode to themselves.
///
/// # Errors
///
/// A [`Bug`] when an accepted input breaks a round-trip property, or an error is not one line
/// with a position.
///
/// ```
/// use exev_codec::{Format, oracle::{self, Verdict}};
///
/// let verdict = oracle::decode(Format::Cbor, &[0xa0]).unwrap();
/// let Verdict::Rejected(e) = verdict else { panic!() };
/// assert_eq!(e.to_string(), "not an event: an event needs a `type` member at type (byte 0)");
/// ```
pub fn decode(format: Format, bytes: &[u8]) -> Result<Verdict, Bug> {
    let event = match format.from_slice(bytes) {
        Ok(event) => event,
        Err(e) => {
            check_error(format, &e)?;
            return Ok(Verdict::Rejected(e));
        }
    };
    if let Verdict::Rejected(e) = round_trip(format, &event)? {
        return Err(bug(
            "an accepted input's event round-trips",
            format!("{format}: {e} for {}", shown(&event)),
        ));
    }
    if format.checks_determinism() {
        let again = format
            .to_vec(&event)
            .map_err(|e| bug("an accepted event encodes", e.to_string()))?;
        let strict = Options::default().deterministic(true);
        let deterministic = format.from_slice_with(bytes, &strict).is_ok();
        if deterministic != (again == bytes) {
            return Err(bug(
                "strict-deterministic decoding accepts exactly deterministic input",
                format!("{format}: accepted {deterministic}, input {bytes:02x?}"),
            ));
        }
    }
    Ok(Verdict::Accepted)
}

/// Limits that let `event`'s encoding of `len` bytes in `format` in, however large, so that
/// the round trip is checked apart from the limits (which the conformance suite checks).
fn fitting(format: Format, len: usize, event: &Event) -> Options {
    let numbers = if event.to_value().is_canonical() {
        NumberPolicy::Strict
    } else {
        NumberPolicy::Lenient
    };
    // All the depth the model allows: where a format holds less, its own ceiling refuses.
    Options::default()
        .max_bytes(len.max(crate::DEFAULT_MAX_BYTES))
        .max_depth(crate::MAX_DEPTH_CEILING)
        .max_string_bytes(usize::MAX)
        .max_elements(usize::MAX)
        .numbers(numbers)
        .deterministic(format.checks_determinism())
}

/// The event a round trip through `format` must give back: `event` itself, or through CBOR
/// with its numbers in CBOR's form; `None` when the format has no exact form for one.
fn expected_through(format: Format, event: &Event) -> Option<Event> {
    if format != Format::Cbor || event.to_value().is_canonical() {
        return Some(event.clone());
    }
    Event::from_value(normal_numbers(&event.to_value())?).ok()
}

/// `value` with every lenient number as CBOR writes and reads it back.
fn normal_numbers(value: &Value) -> Option<Value> {
    Some(match value {
        Value::Number(n) => number_value(n)?,
        Value::Array(items) => {
            Value::Array(items.iter().map(normal_numbers).collect::<Option<_>>()?)
        }
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| Some((k.clone(), normal_numbers(v)?)))
                .collect::<Option<Object>>()?,
        ),
        other => other.clone(),
    })
}

/// A number once through CBOR: an integer in the data model, or a lenient number.
fn number_value(n: &Number) -> Option<Value> {
    let literal = number_normal_form(n)?;
    Some(match literal.parse::<i64>() {
        Ok(i) if (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) => Value::Integer(i),
        _ => Value::Number(Number::from_literal(&literal)?),
    })
}

/// Checks the round trip of `event` through `format`: it encodes, the encoding decodes (under
/// limits that fit it, strict-deterministic for CBOR) to the same event, encoding that again
/// gives the same bytes, the stream form reads back as that one event, and for JSON the pretty
/// form decodes to the same event.
///
/// An event the format cannot hold is [`Verdict::Rejected`], but only as documented: nested
/// deeper than [`Format::depth_ceiling`] (refused by the decoder with
/// [`ErrorKind::TooDeep`] at the ceiling), or holding a lenient number with no exact form in
/// the format ([`ErrorKind::Unencodable`] from the encoder).
///
/// # Errors
///
/// A [`Bug`] naming the broken property.
///
/// ```
/// use exev_codec::{Format, json, oracle::{self, Verdict}};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{"a":[1,{"b":null}]}}"#)?;
/// for format in Format::ALL {
///     assert!(matches!(oracle::round_trip(format, &event), Ok(Verdict::Accepted)));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn round_trip(format: Format, event: &Event) -> Result<Verdict, Bug> {
    let canonical = event.to_value().is_canonical();
    let bytes = match format.to_vec(event) {
        Ok(bytes) => bytes,
        Err(e) if !canonical && matches!(e.kind(), ErrorKind::Unencodable(_)) => {
            return Ok(Verdict::Rejected(e));
        }
        Err(e) => {
            return Err(bug(
                "events encode",
                format!("{format}: {e} for {}", shown(event)),
            ));
        }
    };
    let options = fitting(format, bytes.len(), event);
    let decoded = match format.from_slice_with(&bytes, &options) {
        Ok(decoded) => decoded,
        Err(e)
            if event.to_value().depth() > format.depth_ceiling()
                && e.kind()
                    == &(ErrorKind::TooDeep {
                        limit: format.depth_ceiling(),
                    }) =>
        {
            return Ok(Verdict::Rejected(e));
        }
        Err(e) => {
            return Err(bug(
                "encoded output decodes",
                format!("{format}: {e} for {}", shown(event)),
            ));
        }
    };
    let expected = expected_through(format, event)
        .ok_or_else(|| bug("an encoded number has a form", shown(event)))?;
    if decoded != expected {
        return Err(bug(
            "decode(encode(e)) == e",
            format!("{format}: {} became {}", shown(event), shown(&decoded)),
        ));
    }
    match format.to_vec(&decoded) {
        Ok(again) if again == bytes => {}
        _ => {
            return Err(bug(
                "output is deterministic: encoding the decoded event gives the same bytes",
                format!("{format}: {}", shown(event)),
            ));
        }
    }
    let mut stream = format.stream_writer(Vec::new());
    let framed = stream
        .write(event)
        .and_then(|()| stream.finish())
        .map_err(|e| bug("the stream form encodes", format!("{format}: {e}")))?;
    let options = options.max_bytes(bytes.len().max(crate::DEFAULT_MAX_BYTES));
    let mut events = format.stream_reader_with(&framed[..], options.clone());
    match (events.next(), events.next()) {
        (Some(Ok(e)), None) if e == expected => {}
        other => {
            return Err(bug(
                "the stream form reads back as the one event",
                format!("{format}: {other:?} for {}", shown(event)),
            ));
        }
    }
    if format == Format::Json {
        let pretty = json::to_vec_pretty(event)
            .map_err(|e| bug("the pretty form encodes", e.to_string()))?;
        let options = options.max_bytes(pretty.len().max(crate::DEFAULT_MAX_BYTES));
        match json::from_slice_with(&pretty, &options) {
            Ok(e) if &e == event => {}
            other => {
                return Err(bug(
                    "pretty output decodes to the same event",
                    format!("{other:?} for {}", shown(event)),
                ));
            }
        }
    }
    Ok(Verdict::Accepted)
}

/// Sends an event through every chain of two formats (JSON, CBOR, Protobuf, in every order)
/// and checks that each ends with the canonical JSON of the event as the chain must give it
/// back (its numbers in CBOR's form when the chain passes through CBOR). A chain through a
/// format that rejects the event (see [`round_trip`]) is skipped: [`round_trip`] checks the
/// rejection.
///
/// # Errors
///
/// A [`Bug`] naming the chain that changed the event.
///
/// ```
/// use exev_codec::{json, oracle};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{"m.text":[{"body":"hi"}]}}"#)?;
/// oracle::chains(&event)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn chains(event: &Event) -> Result<(), Bug> {
    let through = |format: Format, e: &Event| -> Option<Event> {
        let bytes = format.to_vec(e).ok()?;
        format
            .from_slice_with(&bytes, &fitting(format, bytes.len(), e))
            .ok()
    };
    let depth = event.to_value().depth();
    for first in Format::ALL {
        for second in Format::ALL {
            if depth > first.depth_ceiling() || depth > second.depth_ceiling() {
                continue;
            }
            let Some(expected) =
                expected_through(first, event).and_then(|e| expected_through(second, &e))
            else {
                continue;
            };
            let out = through(first, event).and_then(|e| through(second, &e));
            let same =
                out.as_ref().map(|e| json::to_vec(e).ok()) == Some(json::to_vec(&expected).ok());
            if !same {
                return Err(bug(
                    "every chain of codecs keeps the canonical JSON",
                    format!("{first} then {second} for {}", shown(event)),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An internal error is a bug, whatever input it came from.
    #[test]
    fn internal_errors_are_bugs() {
        let bug = check_error(Format::Json, &Error::internal(3, "lost track")).unwrap_err();
        assert_eq!(bug.property, "no internal errors");
    }
}
