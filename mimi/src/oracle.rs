//! Round-trip oracles for fuzzers and tests: each tells "input refused" (fine) from a bug (an
//! `Err` naming it), as `exev_codec::oracle` does for the event codecs.

use crate::generate::Generator;
use crate::mapping::{self, CARRIER_BLOCK, MappingErrorKind};
use crate::{Category, from_slice, to_vec};

/// Arbitrary bytes into the decoder. Refused: one line with an offset inside the input.
/// Accepted: the bytes re-encode to themselves (MIMI decoding is strict, so only the
/// deterministic encoding is accepted), [`crate::detect`] says yes, the message ID and the
/// diagnostic notation exist, the input less its last byte is end-of-input, and the message
/// maps to an event and back to the same bytes.
///
/// # Errors
///
/// A description of the bug.
pub fn decode(bytes: &[u8]) -> Result<(), String> {
    let message = match from_slice(bytes) {
        Ok(m) => m,
        Err(e) => {
            let line = e.to_string();
            if line.contains('\n') {
                return Err(format!("a multi-line error: {line:?}"));
            }
            match e.offset() {
                Some(o) if o <= bytes.len() => {}
                other => {
                    return Err(format!(
                        "offset {other:?} for {} bytes: {line}",
                        bytes.len()
                    ));
                }
            }
            if e.category() == Category::Io {
                return Err(format!("an I/O error from a slice: {line}"));
            }
            return Ok(());
        }
    };
    let again = to_vec(&message).map_err(|e| format!("a decoded message does not encode: {e}"))?;
    if again != bytes {
        return Err("a decoded message encodes to other bytes".to_owned());
    }
    if !crate::detect(bytes) {
        return Err("detect says no to a message".to_owned());
    }
    crate::message_id_of(bytes).map_err(|e| format!("no message ID: {e}"))?;
    crate::to_diag(bytes).map_err(|e| format!("no diagnostic notation: {e}"))?;
    if let Some(cut) = bytes.len().checked_sub(1) {
        let e = from_slice(bytes.get(..cut).unwrap_or_default())
            .err()
            .ok_or("a strict prefix decodes")?;
        if e.category() != Category::Eof {
            return Err(format!("a strict prefix is not end-of-input: {e}"));
        }
    }
    mimi_round_trip(&message, bytes)
}

/// `event` as canonical JSON, for a report.
fn shown(event: &exev::Event) -> String {
    exev_codec::json::to_vec(event).map_or_else(
        |e| format!("<no JSON form: {e}>"),
        |json| String::from_utf8_lossy(&json).into_owned(),
    )
}

/// MIMI → event → canonical JSON → event → MIMI gives the same bytes.
fn mimi_round_trip(message: &crate::MimiContent, bytes: &[u8]) -> Result<(), String> {
    let event = mapping::to_event(message);
    let json = exev_codec::json::to_vec(&event)
        .map_err(|e| format!("the mapped event does not encode as JSON: {e}"))?;
    let stored = exev_codec::json::from_slice(&json)
        .map_err(|e| format!("the mapped event does not read back from JSON: {e}"))?;
    let back = mapping::to_mimi(&stored, [0; 16])
        .map_err(|e| format!("the mapped event does not map back: {e}"))?;
    let back =
        to_vec(&back).map_err(|e| format!("the message mapped back does not encode: {e}"))?;
    if back != bytes {
        return Err(format!(
            "MIMI → event → MIMI changed the bytes; the event was {}",
            String::from_utf8_lossy(&json)
        ));
    }
    Ok(())
}

/// Structured input for the mapping: the bytes as a generated message (MIMI → event → MIMI
/// must give its bytes back) and as a generated event (event → MIMI → event must give it
/// back with the carrier block, unless the mapping says it does not cover it).
///
/// # Errors
///
/// A description of the bug.
pub fn mapping(bytes: &[u8]) -> Result<(), String> {
    let message = Generator::new(bytes).message();
    let encoded =
        to_vec(&message).map_err(|e| format!("a generated message does not encode: {e}"))?;
    mimi_round_trip(&message, &encoded)?;
    let event = exev::generate::Generator::new(bytes).event();
    match mapping::to_mimi(&event, [0x5a; 16]) {
        Ok(m) => {
            let encoded = to_vec(&m).map_err(|e| format!("a mapped event does not encode: {e}"))?;
            let decoded =
                from_slice(&encoded).map_err(|e| format!("a mapped event does not decode: {e}"))?;
            let mut back = mapping::to_event(&decoded);
            if back.content_mut().remove(CARRIER_BLOCK).is_none() {
                return Err("no carrier block".to_owned());
            }
            if back != event {
                return Err(format!(
                    "event → MIMI → event changed the event: {} became {}",
                    shown(&event),
                    shown(&back)
                ));
            }
            Ok(())
        }
        Err(e) => match e.kind() {
            MappingErrorKind::NotCovered(_) | MappingErrorKind::UnresolvedEventId(_) => Ok(()),
            _ => Err(format!("a generated event is refused: {e}")),
        },
    }
}
