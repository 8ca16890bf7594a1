//! CBOR diagnostic notation (RFC 8949 §8) of MIMI content, printed from the bytes with the
//! codec's head primitives: MIMI has byte strings, which the event model's `Value` lacks, so
//! the event codec's printer cannot show it.

use exev_codec::cbor::head;

use crate::error::Error;

/// The diagnostic notation of encoded MIMI content, on one line:
/// `[h'5eed…', null, h'', null, null, {1: "mimi://…", 2: "mimi://…"}, [1, "", 1, "text/…", h'…']]`.
///
/// The bytes are checked as MIMI content first, so what is printed is always a message.
///
/// ```
/// let message = exev_mimi::MimiContent::new(
///     [0; 16],
///     exev_mimi::NestedPart::text("text/plain;charset=utf-8", "hi"),
/// );
/// let bytes = exev_mimi::to_vec(&message)?;
/// assert_eq!(
///     exev_mimi::to_diag(&bytes)?,
///     "[h'00000000000000000000000000000000', null, h'', null, null, {}, \
///      [1, \"\", 1, \"text/plain;charset=utf-8\", h'6869']]"
/// );
/// # Ok::<(), exev_mimi::Error>(())
/// ```
///
/// # Errors
///
/// As [`crate::from_slice`].
pub fn to_diag(bytes: &[u8]) -> Result<String, Error> {
    crate::from_slice(bytes)?;
    let mut out = String::with_capacity(bytes.len() * 2);
    // Checked above: every item is well-formed, definite and nests at most a few levels.
    item(bytes, 0, &mut out);
    Ok(out)
}

/// Prints the item at `at`; returns the offset past it.
fn item(bytes: &[u8], at: usize, out: &mut String) -> usize {
    let Ok((h, mut pos)) = head::read_head(bytes, at) else {
        return bytes.len();
    };
    match h.major {
        0 => out.push_str(&h.arg.to_string()),
        1 => out.push_str(&format!("-{}", u128::from(h.arg) + 1)),
        2 | 3 => {
            let len = usize::try_from(h.arg).unwrap_or(usize::MAX);
            let end = pos.saturating_add(len).min(bytes.len());
            let raw = bytes.get(pos..end).unwrap_or_default();
            if h.major == 2 {
                out.push_str(&format!("h'{}'", crate::hex::encode(raw)));
            } else {
                text(&String::from_utf8_lossy(raw), out);
            }
            pos = end;
        }
        4 | 5 => {
            let (open, close) = if h.major == 4 { ('[', ']') } else { ('{', '}') };
            out.push(open);
            for i in 0..h.arg {
                if i > 0 {
                    out.push_str(", ");
                }
                pos = item(bytes, pos, out);
                if h.major == 5 {
                    out.push_str(": ");
                    pos = item(bytes, pos, out);
                }
            }
            out.push(close);
        }
        6 => {
            out.push_str(&format!("{}(", h.arg));
            pos = item(bytes, pos, out);
            out.push(')');
        }
        _ => simple(h, out),
    }
    pos
}

fn simple(h: head::Head, out: &mut String) {
    match h.info {
        20 => out.push_str("false"),
        21 => out.push_str("true"),
        22 => out.push_str("null"),
        23 => out.push_str("undefined"),
        25..=27 => {
            // `read_head` reads `width` bytes into `arg`, so the float always has its value.
            let f = head::float_value(h.arg, h.width).unwrap_or(f64::NAN);
            if f.is_nan() {
                out.push_str("NaN");
            } else if f.is_infinite() {
                out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
            } else {
                let repr = format!("{f:?}");
                out.push_str(&repr);
            }
        }
        _ => out.push_str(&format!("simple({})", h.arg)),
    }
}

/// A text string in double quotes, with JSON's escapes.
fn text(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
