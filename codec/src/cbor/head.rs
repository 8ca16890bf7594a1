//! The primitives every CBOR reader and writer in exev shares: item heads (RFC 8949 §3),
//! their argument widths, the rules of deterministic encoding (§4.2.1) by name, an iterative
//! well-formedness walk over one item ([`skip_item`]), and a head writer in the shortest
//! form ([`write_head`]).
//!
//! The event decoder (`cbor::from_slice`) and the MIMI content codec (`exev-mimi`) read on
//! these, so that a head, a width and a rule are decided in one place.
//!
//! ```
//! use exev_codec::cbor::head::{self, Head};
//!
//! // 0x19 0x03 0xe8: an unsigned integer with a two-byte argument, 1000.
//! let (h, next) = head::read_head(&[0x19, 0x03, 0xe8], 0)?;
//! assert_eq!(h, Head { major: 0, info: 25, arg: 1000, width: 2 });
//! assert_eq!(next, 3);
//! assert!(h.shortest());
//!
//! // 0x18 0x17: 23 with a one-byte argument, which fits the initial byte: not shortest.
//! let (h, _) = head::read_head(&[0x18, 0x17], 0)?;
//! assert!(!h.shortest());
//!
//! // The writer always picks the shortest form.
//! let mut out = Vec::new();
//! head::write_head(&mut out, 0, 1000);
//! assert_eq!(out, [0x19, 0x03, 0xe8]);
//!
//! // A whole item, skipped without building it; a strict prefix ends too soon.
//! let item = [0x82, 0x01, 0x63, b'a', b'b', b'c'];
//! assert_eq!(head::skip_item(&item, 0, 64)?, 6);
//! assert!(head::skip_item(&item[..5], 0, 64).unwrap_err().is_end());
//! # Ok::<(), head::ItemError>(())
//! ```

use std::fmt;

use half::f16;

use crate::MAX_DEPTH_CEILING;

/// The rule on argument widths (RFC 8949 §4.2.1, preferred serialization).
pub const RULE_SHORTEST: &str = "integers, lengths and tags in the shortest form (RFC 8949 §4.2.1)";
/// The rule against indefinite lengths.
pub const RULE_DEFINITE: &str = "definite lengths only (RFC 8949 §4.2.1)";
/// The rule on map key order.
pub const RULE_KEY_ORDER: &str = "map keys sorted bytewise by their encoded form (RFC 8949 §4.2.1)";
/// The rule on float widths.
pub const RULE_FLOAT: &str =
    "floats in the shortest width that keeps their value (RFC 8949 §4.2.1)";

/// Why an item could not be read or skipped: the input ended, the bytes are not well-formed
/// CBOR (RFC 8949 Appendix F), or the item nests deeper than allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemError {
    /// The input ended at `offset` where `expected` was needed.
    End {
        /// Where the input ended (its length).
        offset: usize,
        /// What was needed there, in words.
        expected: &'static str,
    },
    /// The bytes at `offset` are not well-formed CBOR.
    Syntax {
        /// Where.
        offset: usize,
        /// What is wrong, in words.
        what: String,
    },
    /// The item at `offset` opens one level more than `limit` allows.
    TooDeep {
        /// Where the container that goes too deep starts.
        offset: usize,
        /// The depth limit in force.
        limit: usize,
    },
}

impl ItemError {
    #[cold]
    fn end(offset: usize, expected: &'static str) -> ItemError {
        ItemError::End { offset, expected }
    }

    #[cold]
    fn syntax(offset: usize, what: impl Into<String>) -> ItemError {
        ItemError::Syntax {
            offset,
            what: what.into(),
        }
    }

    /// The byte offset the error is at.
    pub fn offset(&self) -> usize {
        match self {
            ItemError::End { offset, .. }
            | ItemError::Syntax { offset, .. }
            | ItemError::TooDeep { offset, .. } => *offset,
        }
    }

    /// Whether the input ended too soon (a strict prefix of an item).
    pub fn is_end(&self) -> bool {
        matches!(self, ItemError::End { .. })
    }

    /// Whether the input is not well-formed: it ended too soon or breaks the grammar.
    pub fn is_malformed(&self) -> bool {
        matches!(self, ItemError::End { .. } | ItemError::Syntax { .. })
    }
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemError::End { offset, expected } => {
                write!(
                    f,
                    "unexpected end of input: expected {expected} (byte {offset})"
                )
            }
            ItemError::Syntax { offset, what } => write!(f, "{what} (byte {offset})"),
            ItemError::TooDeep { offset, limit } => {
                write!(f, "nesting deeper than {limit} levels (byte {offset})")
            }
        }
    }
}

impl std::error::Error for ItemError {}

/// The value of a float argument of `width` bytes (2, 4 or 8: half, single, double); `None`
/// when `arg` does not fit the width, which a head [`read_head`] read never does.
pub fn float_value(arg: u64, width: u8) -> Option<f64> {
    Some(match width {
        2 => f16::from_bits(u16::try_from(arg).ok()?).to_f64(),
        4 => f64::from(f32::from_bits(u32::try_from(arg).ok()?)),
        _ => f64::from_bits(arg),
    })
}

/// The width in bytes (2, 4 or 8) of the shortest float that holds `value` exactly.
pub fn preferred_float_width(value: f64) -> u8 {
    if f16::from_f64(value).to_f64().to_bits() == value.to_bits() {
        2
    } else {
        // Narrowing on purpose: the round trip tells whether it was exact.
        #[allow(clippy::cast_possible_truncation)]
        let narrow = value as f32;
        if f64::from(narrow).to_bits() == value.to_bits() {
            4
        } else {
            8
        }
    }
}

/// Appends the head of major type `major` (0 to 7) with argument `arg` in its shortest form
/// (RFC 8949 §4.2.1): in the initial byte below 24, else in 1, 2, 4 or 8 bytes.
pub fn write_head(out: &mut Vec<u8>, major: u8, arg: u64) {
    let initial = (major & 0x07) << 5;
    // Each arm's bounds make the narrowing exact.
    #[allow(clippy::cast_possible_truncation)]
    match arg {
        0..=23 => out.push(initial | arg as u8),
        24..=0xFF => out.extend_from_slice(&[initial | 24, arg as u8]),
        0x100..=0xFFFF => {
            out.push(initial | 25);
            out.extend_from_slice(&(arg as u16).to_be_bytes());
        }
        0x1_0000..=0xFFFF_FFFF => {
            out.push(initial | 26);
            out.extend_from_slice(&(arg as u32).to_be_bytes());
        }
        _ => {
            out.push(initial | 27);
            out.extend_from_slice(&arg.to_be_bytes());
        }
    }
}

/// The additional-information value of an indefinite length (and of the break code).
pub const INDEFINITE: u8 = 31;

/// One item head: major type, additional information, argument, and how many bytes the
/// argument took (0 when it sits in the initial byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The major type, 0 to 7.
    pub major: u8,
    /// The additional information: the low five bits of the initial byte.
    pub info: u8,
    /// The argument: a value, a length, a count, a tag number or a simple value's bits
    /// (0 for an indefinite length).
    pub arg: u64,
    /// How many bytes the argument took after the initial byte: 0, 1, 2, 4 or 8.
    pub width: u8,
}

impl Head {
    /// Whether the head announces an indefinite length (or is the break code).
    pub fn indefinite(self) -> bool {
        self.info == INDEFINITE
    }

    /// Whether the head is the break code `0xff`.
    pub fn is_break(self) -> bool {
        self.major == 7 && self.info == INDEFINITE
    }

    /// Whether the argument is in its shortest form (RFC 8949 §4.2.1, preferred
    /// serialization); always true for floats' widths, which this does not judge.
    pub fn shortest(self) -> bool {
        match self.width {
            1 => self.arg >= 24,
            2 => self.arg > 0xFF,
            4 => self.arg > 0xFFFF,
            8 => self.arg > 0xFFFF_FFFF,
            _ => true,
        }
    }
}

/// The width in bytes of the argument that follows an initial byte with additional
/// information `info` (0 when the argument is in the initial byte or there is none).
pub fn argument_width(info: u8) -> u8 {
    match info {
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        _ => 0,
    }
}

/// Reads the head at `at`; returns it and the offset just past it.
///
/// # Errors
///
/// [`ItemError::End`] when the input ends inside the head, [`ItemError::Syntax`] for a
/// reserved additional information (28 to 30), an indefinite length on a major type that
/// has none (0, 1, 6), or a two-byte simple value below 32.
#[inline]
pub fn read_head(bytes: &[u8], at: usize) -> Result<(Head, usize), ItemError> {
    let Some(&initial) = bytes.get(at) else {
        return Err(ItemError::end(at, "a data item"));
    };
    let major = initial >> 5;
    let info = initial & 0x1F;
    let width = match info {
        0..=23 => {
            let head = Head {
                major,
                info,
                arg: u64::from(info),
                width: 0,
            };
            return Ok((head, at + 1));
        }
        24..=27 => argument_width(info),
        INDEFINITE => {
            if matches!(major, 0 | 1 | 6) {
                return Err(ItemError::syntax(
                    at,
                    format!(
                        "additional information 31 (indefinite length) is not allowed for \
                         major type {major} (head byte 0x{initial:02x})"
                    ),
                ));
            }
            let head = Head {
                major,
                info,
                arg: 0,
                width: 0,
            };
            return Ok((head, at + 1));
        }
        _ => {
            return Err(ItemError::syntax(
                at,
                format!("reserved additional information {info} (head byte 0x{initial:02x})"),
            ));
        }
    };
    let start = at + 1;
    let end = start + usize::from(width);
    let Some(argument) = bytes.get(start..end) else {
        return Err(ItemError::end(bytes.len(), "the rest of an item head"));
    };
    // One big-endian load per width, rather than byte by byte.
    let arg = match *argument {
        [a] => u64::from(a),
        [a, b] => u64::from(u16::from_be_bytes([a, b])),
        [a, b, c, d] => u64::from(u32::from_be_bytes([a, b, c, d])),
        [a, b, c, d, e, f, g, h] => u64::from_be_bytes([a, b, c, d, e, f, g, h]),
        ref other => other.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)),
    };
    if major == 7 && width == 1 && arg < 32 {
        return Err(ItemError::syntax(
            at,
            format!("two-byte simple value {arg} below 32 is not well-formed"),
        ));
    }
    Ok((
        Head {
            major,
            info,
            arg,
            width,
        },
        end,
    ))
}

/// The CBOR type of an item, for error messages.
pub fn type_name(head: Head) -> &'static str {
    match (head.major, head.info) {
        (0, _) => "an unsigned integer",
        (1, _) => "a negative integer",
        (2, _) => "a byte string",
        (3, _) => "a text string",
        (4, _) => "an array",
        (5, _) => "a map",
        (6, _) => "a tag",
        (_, 20 | 21) => "a boolean",
        (_, 22) => "null",
        (_, 23) => "undefined",
        (_, 25..=27) => "a float",
        _ => "a simple value",
    }
}

/// Skips one well-formed item starting at `at`, iteratively (no recursion, so any depth up to
/// `max_depth` is safe), checking only well-formedness (RFC 8949 Appendix F). Returns the
/// offset just past the item. Nothing is allocated for a length prefix: one larger than the
/// rest of the input is an end-of-input error at once.
///
/// # Errors
///
/// An [`ItemError`]: the input ends inside the item, the item is not well-formed, or it
/// nests deeper than `max_depth` (capped at [`MAX_DEPTH_CEILING`]).
pub fn skip_item(bytes: &[u8], at: usize, max_depth: usize) -> Result<usize, ItemError> {
    enum Frame {
        /// A definite array, map (counted in items: twice its pairs) or tag: items still due.
        Items(u128),
        /// An indefinite array or map; for a map, whether a key awaits its value.
        Open { map: bool, key_pending: bool },
        /// The chunks of an indefinite byte (2) or text (3) string.
        Chunks(u8),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = at;
    loop {
        let head_at = pos;
        let (head, next) = read_head(bytes, pos)?;
        pos = next;
        let mut complete = true;
        if let Some(Frame::Chunks(major)) = stack.last() {
            if head.is_break() {
                stack.pop();
            } else if head.major != *major || head.indefinite() {
                return Err(ItemError::syntax(
                    head_at,
                    "a chunk of an indefinite-length string must be a definite-length string \
                     of the same type",
                ));
            } else {
                pos = skip_bytes(bytes, pos, head.arg)?;
                continue;
            }
        } else {
            match head.major {
                2 | 3 if head.indefinite() => {
                    stack.push(Frame::Chunks(head.major));
                    complete = false;
                }
                2 | 3 => pos = skip_bytes(bytes, pos, head.arg)?,
                4 | 5 if head.indefinite() => {
                    stack.push(Frame::Open {
                        map: head.major == 5,
                        key_pending: false,
                    });
                    complete = false;
                }
                4..=6 => {
                    // A tag is followed by one item; an array by its count; a map by twice.
                    let items = match head.major {
                        4 => u128::from(head.arg),
                        5 => u128::from(head.arg) * 2,
                        _ => 1,
                    };
                    // The walk goes on over the bytes there, whatever the count claims (each
                    // item takes a byte at least, so it ends with them): `a1 ff` is ill-formed,
                    // not short of input.
                    if items > 0 {
                        stack.push(Frame::Items(items));
                        complete = false;
                    }
                }
                7 if head.is_break() => match stack.last() {
                    Some(Frame::Open {
                        key_pending: true, ..
                    }) => {
                        return Err(ItemError::syntax(
                            head_at,
                            "a break after a map key, before its value",
                        ));
                    }
                    Some(Frame::Open { .. }) => {
                        stack.pop();
                    }
                    _ => {
                        return Err(ItemError::syntax(
                            head_at,
                            "a break (0xff) outside an indefinite-length item",
                        ));
                    }
                },
                _ => {}
            }
        }
        if stack.len() > max_depth.min(MAX_DEPTH_CEILING) {
            return Err(ItemError::TooDeep {
                offset: head_at,
                limit: max_depth,
            });
        }
        if !complete {
            continue;
        }
        // One item is complete: count it in its container, closing containers it fills.
        loop {
            match stack.last_mut() {
                None => return Ok(pos),
                Some(Frame::Items(n)) => {
                    *n -= 1;
                    if *n == 0 {
                        stack.pop();
                        continue;
                    }
                }
                Some(Frame::Open { map, key_pending }) => {
                    if *map {
                        *key_pending = !*key_pending;
                    }
                }
                Some(Frame::Chunks(_)) => {}
            }
            break;
        }
    }
}

fn skip_bytes(bytes: &[u8], pos: usize, len: u64) -> Result<usize, ItemError> {
    match usize::try_from(len) {
        Ok(len) if len <= bytes.len().saturating_sub(pos) => Ok(pos + len),
        _ => Err(ItemError::end(bytes.len(), "the rest of a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn heads_and_widths() {
        let (h, next) = read_head(&hex("1903e8"), 0).unwrap();
        assert_eq!((h.major, h.arg, h.width, next), (0, 1000, 2, 3));
        assert!(h.shortest());
        let (h, _) = read_head(&hex("1817"), 0).unwrap();
        assert!(!h.shortest());
        assert!(read_head(&hex("1c"), 0).unwrap_err().is_malformed());
        assert!(read_head(&hex("f818"), 0).unwrap_err().is_malformed());
        assert!(read_head(&hex("1f"), 0).unwrap_err().is_malformed());
    }

    #[test]
    fn skip_finds_item_ends() {
        for (h, len) in [
            ("00", 1),
            ("9f01820203ff", 6),
            ("bf6161f5ff", 5),
            ("7f6161ff", 4),
            ("c100", 2),
            ("a1616100", 4),
        ] {
            let mut bytes = hex(h);
            bytes.push(0);
            assert_eq!(skip_item(&bytes, 0, 64).unwrap(), len, "{h}");
        }
        for bad in [
            "bf00ff",
            "81ff",
            "7f4100ff",
            "ff",
            "c0",
            "9b00000000ffffffff00",
        ] {
            assert!(
                skip_item(&hex(bad), 0, 64).unwrap_err().is_malformed(),
                "{bad}"
            );
        }
    }

    #[test]
    fn written_heads_are_shortest_and_read_back() {
        for (major, arg) in [
            (0, 0),
            (0, 23),
            (0, 24),
            (1, 255),
            (2, 256),
            (3, 65_535),
            (4, 65_536),
            (5, u64::from(u32::MAX)),
            (6, u64::from(u32::MAX) + 1),
            (0, u64::MAX),
        ] {
            let mut out = Vec::new();
            write_head(&mut out, major, arg);
            let (h, next) = read_head(&out, 0).unwrap();
            assert_eq!((h.major, h.arg, next), (major, arg, out.len()));
            assert!(h.shortest(), "{major} {arg}");
        }
    }
}
