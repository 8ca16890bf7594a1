//! The JSON encoder: Matrix canonical JSON, and an indented form for people.

use exev::{Event, Object, Segment, Value};

use super::scan::ordinary_prefix;
use crate::failure::Unwritable;

type Written = Result<(), Unwritable>;

/// A member of an object being written: a value, or an event's content or type, written
/// without first copying them into a [`Value`].
#[derive(Clone, Copy)]
pub(crate) enum Member<'a> {
    /// Any value.
    Value(&'a Value),
    /// An object's members.
    Object(&'a Object),
    /// A string.
    Str(&'a str),
}

/// An event's top-level members in code-point order, `content` and `type` among the others.
pub(crate) fn event_members(event: &Event) -> Vec<(&str, Member<'_>)> {
    let mut members: Vec<(&str, Member<'_>)> = Vec::with_capacity(event.other().len() + 2);
    members.extend(
        event
            .other()
            .iter()
            .map(|(k, v)| (k.as_str(), Member::Value(v))),
    );
    members.push(("content", Member::Object(event.content().as_object())));
    members.push(("type", Member::Str(event.event_type())));
    members.sort_unstable_by(|a, b| a.0.cmp(b.0));
    members
}

/// Appends an object of `members`, already in key order, as canonical JSON.
pub(crate) fn canonical_members(members: &[(&str, Member<'_>)], out: &mut Vec<u8>) -> Written {
    out.push(b'{');
    for (i, (key, member)) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(key, out);
        out.push(b':');
        match member {
            Member::Value(v) => canonical(v, out),
            Member::Object(o) => canonical_object(o, out),
            Member::Str(s) => {
                string(s, out);
                Ok(())
            }
        }
        .map_err(|u| u.key(key))?;
    }
    out.push(b'}');
    Ok(())
}

/// Appends an object of `members`, already in key order, indented.
pub(crate) fn pretty_members(
    members: &[(&str, Member<'_>)],
    indent: usize,
    out: &mut Vec<u8>,
) -> Written {
    if members.is_empty() {
        out.extend_from_slice(b"{}");
        return Ok(());
    }
    out.push(b'{');
    for (i, (key, member)) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        newline(indent + 1, out);
        string(key, out);
        out.extend_from_slice(b": ");
        match member {
            Member::Value(v) => pretty(v, indent + 1, out),
            Member::Object(o) => {
                let inner: Vec<(&str, Member<'_>)> = o
                    .iter()
                    .map(|(k, v)| (k.as_str(), Member::Value(v)))
                    .collect();
                pretty_members(&inner, indent + 1, out)
            }
            Member::Str(s) => {
                string(s, out);
                Ok(())
            }
        }
        .map_err(|u| u.key(key))?;
    }
    newline(indent, out);
    out.push(b'}');
    Ok(())
}

fn canonical_object(members: &Object, out: &mut Vec<u8>) -> Written {
    out.push(b'{');
    for (i, (key, item)) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(key, out);
        out.push(b':');
        canonical(item, out).map_err(|u| u.key(key))?;
    }
    out.push(b'}');
    Ok(())
}

/// Appends the canonical JSON of `value` to `out`: keys in code-point order (a
/// [`exev::Object`] is already in that order), no whitespace, integers in plain decimal,
/// non-ASCII raw, and only the escapes the canonical grammar has.
pub(crate) fn canonical(value: &Value, out: &mut Vec<u8>) -> Written {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Integer(i) => integer(*i, out),
        Value::Number(n) => out.extend_from_slice(n.as_str().as_bytes()),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(item, out).map_err(|u| u.at(Segment::Index(i)))?;
            }
            out.push(b']');
        }
        Value::Object(members) => canonical_object(members, out)?,
        // Value is non-exhaustive; a kind added later is refused until taught here, never
        // written as something else.
        other => return Err(Unwritable::unknown_kind(other)),
    }
    Ok(())
}

/// Appends `value` indented by two spaces a level, keys sorted, for reading.
pub(crate) fn pretty(value: &Value, indent: usize, out: &mut Vec<u8>) -> Written {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(indent + 1, out);
                pretty(item, indent + 1, out).map_err(|u| u.at(Segment::Index(i)))?;
            }
            newline(indent, out);
            out.push(b']');
            Ok(())
        }
        Value::Object(members) if !members.is_empty() => {
            let members: Vec<(&str, Member<'_>)> = members
                .iter()
                .map(|(k, v)| (k.as_str(), Member::Value(v)))
                .collect();
            pretty_members(&members, indent, out)
        }
        other => canonical(other, out),
    }
}

fn newline(indent: usize, out: &mut Vec<u8>) {
    out.push(b'\n');
    out.resize(out.len() + 2 * indent, b' ');
}

fn integer(i: i64, out: &mut Vec<u8>) {
    if i < 0 {
        out.push(b'-');
    }
    // The digits, least significant first, then turned around in place: no buffer to index.
    let start = out.len();
    let mut n = i.unsigned_abs();
    loop {
        // n % 10 < 10, so the narrowing is exact.
        out.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let (_, digits) = out.split_at_mut(start);
    digits.reverse();
}

fn string(s: &str, out: &mut Vec<u8>) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s.as_bytes();
    loop {
        // `ordinary_prefix` never passes the end of what it is given; `min` states it, so
        // the split cannot fail and no byte is ever skipped.
        let (plain, tail) = rest.split_at(ordinary_prefix(rest).min(rest.len()));
        out.extend_from_slice(plain);
        let Some((&b, tail)) = tail.split_first() else {
            break;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0A => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            0x0D => out.extend_from_slice(b"\\r"),
            _ => {
                // Any other control character, as `\u00XX`.
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&[hex_digit(b >> 4), hex_digit(b & 0xF)]);
            }
        }
        rest = tail;
    }
    out.push(b'"');
}

/// The lowercase hexadecimal digit of a nibble (`n` < 16).
fn hex_digit(n: u8) -> u8 {
    if n < 10 { b'0' + n } else { b'a' + (n - 10) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(v: &Value) -> String {
        let mut out = Vec::new();
        canonical(v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_follow_the_canonical_grammar() {
        let s = "q\"b\\s/\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}\u{2028}é😀";
        assert_eq!(
            canon(&Value::from(s)),
            "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}\u{2028}é😀\""
        );
    }

    #[test]
    fn integers() {
        for i in [
            0i64,
            7,
            -7,
            10,
            exev::MAX_SAFE_INTEGER,
            exev::MIN_SAFE_INTEGER,
            i64::MIN,
        ] {
            assert_eq!(canon(&Value::Integer(i)), i.to_string());
        }
    }

    #[test]
    fn pretty_form() {
        let v: Value = [
            (
                "b".to_owned(),
                Value::Array(vec![Value::from(1), Value::Array(vec![])]),
            ),
            ("a".to_owned(), Value::Object(Object::new())),
        ]
        .into_iter()
        .collect();
        let mut out = Vec::new();
        pretty(&v, 0, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": {},\n  \"b\": [\n    1,\n    []\n  ]\n}"
        );
    }
}
