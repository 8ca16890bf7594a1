//! Round-trip oracles: one function per codec that tests and fuzz targets both call.
//!
//! Each takes arbitrary input and says whether the codec **rejected** it (fine: an error, with
//! its message) or **accepted** it, in which case everything that must hold of an accepted
//! input is checked, and a failure is a [`Bug`]: decoding what was encoded gives the same
//! event, encoding is idempotent, the canonical form decodes under the default options.
//!
//! ```
//! use exev_codec::oracle::{self, Verdict};
//!
//! assert!(matches!(oracle::json(br#"{"type":"m.x","content":{}}"#), Ok(Verdict::Accepted)));
//! assert!(matches!(oracle::json(b"{"), Ok(Verdict::Rejected(_))));
//! assert!(matches!(oracle::proto(b"\x12\x03m.x"), Ok(Verdict::Accepted)));
//! assert!(matches!(oracle::proto(b"\x12\x09m.x"), Ok(Verdict::Rejected(_))));
//! ```

use std::fmt;

use exev::Event;

use crate::{Error, Options, cbor, json, proto};

/// What an oracle found for an input that did not reveal a bug.
#[derive(Debug)]
#[non_exhaustive]
pub enum Verdict {
    /// The input was decoded, and every round-trip property held.
    Accepted,
    /// The input was refused with this error.
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

/// Decodes `bytes` as JSON with the default options and, when accepted, checks the round trip
/// with [`json_event`].
///
/// # Errors
///
/// A [`Bug`] when an accepted input breaks a round-trip property.
pub fn json(bytes: &[u8]) -> Result<Verdict, Bug> {
    match json::from_slice(bytes) {
        Ok(event) => json_event(&event).map(|()| Verdict::Accepted),
        Err(e) => {
            if e.position().is_none() {
                return Err(bug("errors have a position", e.to_string()));
            }
            Ok(Verdict::Rejected(e))
        }
    }
}

/// Checks the JSON round trip of an event in the data model: its canonical JSON decodes
/// (under the default limits when it fits them) to the same event, and encoding that again
/// gives the same bytes.
///
/// # Errors
///
/// A [`Bug`] naming the broken property.
pub fn json_event(event: &Event) -> Result<(), Bug> {
    let canonical = json::to_vec(event);
    let options = Options::default().max_bytes(canonical.len().max(1 << 16));
    let decoded = json::from_slice_with(&canonical, &options).map_err(|e| {
        bug(
            "canonical output decodes",
            format!("{e} in {}", String::from_utf8_lossy(&canonical)),
        )
    })?;
    if &decoded != event {
        return Err(bug(
            "decode(encode(e)) == e",
            String::from_utf8_lossy(&canonical).into_owned(),
        ));
    }
    let again = json::to_vec(&decoded);
    if again != canonical {
        return Err(bug(
            "canonical output is idempotent",
            String::from_utf8_lossy(&again).into_owned(),
        ));
    }
    // The pretty form is the same event too.
    let pretty = json::to_vec_pretty(event);
    let options = options.max_bytes(pretty.len().max(1 << 16));
    match json::from_slice_with(&pretty, &options) {
        Ok(e) if &e == event => Ok(()),
        Ok(_) => Err(bug("pretty output decodes to the same event", "differs")),
        Err(e) => Err(bug("pretty output decodes", e.to_string())),
    }
}

/// Decodes `bytes` as Protobuf (`exev.v1.Event`) with the default options and, when accepted,
/// checks the round trip with [`proto_event`].
///
/// # Errors
///
/// A [`Bug`] when an accepted input breaks a round-trip property, or an error has no position.
pub fn proto(bytes: &[u8]) -> Result<Verdict, Bug> {
    match proto::from_slice(bytes) {
        Ok(event) => proto_event(&event).map(|()| Verdict::Accepted),
        Err(e) => {
            if e.position().is_none() {
                return Err(bug("errors have a position", e.to_string()));
            }
            Ok(Verdict::Rejected(e))
        }
    }
}

/// Checks the Protobuf round trip of an event: its encoding decodes (under limits that fit it)
/// to the same event, encoding that again gives the same bytes, the length-delimited form
/// decodes to the same event (so its canonical JSON is the same too). An event
/// nested deeper than [`proto::MAX_WIRE_DEPTH`] may be refused instead.
///
/// # Errors
///
/// A [`Bug`] naming the broken property.
pub fn proto_event(event: &Event) -> Result<(), Bug> {
    let bytes = proto::to_vec(event);
    let options = Options::default()
        .max_bytes(bytes.len().max(1 << 16))
        .max_depth(proto::MAX_WIRE_DEPTH)
        .max_string_bytes(usize::MAX)
        .max_elements(usize::MAX)
        .numbers(crate::NumberPolicy::Lenient);
    let decoded = proto::from_slice_with(&bytes, &options);
    if decoded.is_err() && event.to_value().depth() > proto::MAX_WIRE_DEPTH {
        // Too deep for Protobuf runtimes: refused, and that is allowed.
        return Ok(());
    }
    let decoded = decoded.map_err(|e| {
        bug(
            "encoded output decodes",
            format!("{e} for {}", String::from_utf8_lossy(&json::to_vec(event))),
        )
    })?;
    if &decoded != event {
        return Err(bug(
            "decode(encode(e)) == e",
            String::from_utf8_lossy(&json::to_vec(event)).into_owned(),
        ));
    }
    if proto::to_vec(&decoded) != bytes {
        return Err(bug(
            "Protobuf output is deterministic",
            String::from_utf8_lossy(&json::to_vec(event)).into_owned(),
        ));
    }
    let delimited = proto::to_vec_delimited(event);
    let mut stream = proto::StreamReader::new(&delimited[..], options);
    match (stream.next_event(), stream.next_event()) {
        (Ok(Some(e)), Ok(None)) if &e == event => {}
        _ => {
            return Err(bug(
                "the length-delimited form decodes to the same event, then ends",
                String::from_utf8_lossy(&json::to_vec(event)).into_owned(),
            ));
        }
    }
    Ok(())
}

/// Decodes `bytes` as CBOR with the default options and, when accepted, checks the round trip
/// with [`cbor_event`]; also checks that strict-deterministic decoding accepts exactly the
/// inputs that are already in deterministic form.
///
/// # Errors
///
/// A [`Bug`] when an accepted input breaks a round-trip property, or an error has no position.
pub fn cbor(bytes: &[u8]) -> Result<Verdict, Bug> {
    match cbor::from_slice(bytes) {
        Ok(event) => {
            cbor_event(&event)?;
            let canonical = cbor::to_vec(&event)
                .map_err(|e| bug("an accepted event encodes", e.to_string()))?;
            let strict = Options::default().deterministic(true);
            let deterministic = cbor::from_slice_with(bytes, &strict).is_ok();
            if deterministic != (canonical == bytes) {
                return Err(bug(
                    "strict-deterministic decoding accepts exactly deterministic input",
                    format!("accepted: {deterministic}, input {bytes:02x?}"),
                ));
            }
            Ok(Verdict::Accepted)
        }
        Err(e) => {
            if e.position().is_none() {
                return Err(bug("errors have a position", e.to_string()));
            }
            Ok(Verdict::Rejected(e))
        }
    }
}

/// Checks the CBOR round trip of an event: its deterministic encoding decodes (under limits
/// that fit it, and in strict-deterministic mode) to the same event, and encoding that again
/// gives the same bytes.
///
/// # Errors
///
/// A [`Bug`] naming the broken property.
pub fn cbor_event(event: &Event) -> Result<(), Bug> {
    let shown = || String::from_utf8_lossy(&json::to_vec(event)).into_owned();
    let bytes =
        cbor::to_vec(event).map_err(|e| bug("events encode", format!("{e} for {}", shown())))?;
    let options = Options::default()
        .max_bytes(bytes.len().max(1 << 16))
        .deterministic(true);
    let decoded = cbor::from_slice_with(&bytes, &options).map_err(|e| {
        bug(
            "deterministic output decodes strictly",
            format!("{e} for {}", shown()),
        )
    })?;
    if &decoded != event {
        return Err(bug("decode(encode(e)) == e", shown()));
    }
    match cbor::to_vec(&decoded) {
        Ok(again) if again == bytes => Ok(()),
        _ => Err(bug("CBOR output is deterministic", shown())),
    }
}

/// Sends an event through every chain of two codecs (JSON, CBOR, Protobuf, in every order)
/// and checks each ends with the same canonical JSON as the event itself.
///
/// # Errors
///
/// A [`Bug`] naming the chain that changed the event.
pub fn chains(event: &Event) -> Result<(), Bug> {
    type Codec = (&'static str, fn(&Event) -> Option<Event>);
    let through_json: fn(&Event) -> Option<Event> = |e| {
        let bytes = json::to_vec(e);
        json::from_slice_with(
            &bytes,
            &Options::default().max_bytes(bytes.len().max(1 << 16)),
        )
        .ok()
    };
    let through_cbor: fn(&Event) -> Option<Event> = |e| {
        let bytes = cbor::to_vec(e).ok()?;
        cbor::from_slice_with(
            &bytes,
            &Options::default().max_bytes(bytes.len().max(1 << 16)),
        )
        .ok()
    };
    let through_proto: fn(&Event) -> Option<Event> = |e| {
        let bytes = proto::to_vec(e);
        let options = Options::default()
            .max_bytes(bytes.len().max(1 << 16))
            .max_depth(proto::MAX_WIRE_DEPTH);
        proto::from_slice_with(&bytes, &options).ok()
    };
    let codecs: [Codec; 3] = [
        ("JSON", through_json),
        ("CBOR", through_cbor),
        ("Protobuf", through_proto),
    ];
    if event.to_value().depth() > proto::MAX_WIRE_DEPTH {
        return Ok(());
    }
    let expected = json::to_vec(event);
    for (first, a) in &codecs {
        for (second, b) in &codecs {
            let out = a(event).and_then(|e| b(&e));
            match out {
                Some(e) if json::to_vec(&e) == expected => {}
                _ => {
                    return Err(bug(
                        "every chain of codecs keeps the canonical JSON",
                        format!(
                            "{first} then {second} for {}",
                            String::from_utf8_lossy(&expected)
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}
