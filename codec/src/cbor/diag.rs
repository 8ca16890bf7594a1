//! CBOR diagnostic notation (RFC 8949 §8) of what the encoder writes, for people.

use exev::{Event, Object, Segment, Value};

use super::write::{NumberForm, key_order, number_form};
use exev::Path;

use crate::{Error, ErrorKind};

/// Appends the diagnostic notation of `event`'s deterministic encoding.
pub(crate) fn event(event: &Event, out: &mut String) -> Result<(), Error> {
    let mut members: Vec<(&str, Value)> = Vec::with_capacity(event.other().len() + 2);
    members.extend(event.other().iter().map(|(k, v)| (k.as_str(), v.clone())));
    members.push((
        "content",
        Value::Object(event.content().as_object().clone()),
    ));
    members.push(("type", Value::from(event.event_type())));
    members.sort_unstable_by(|a, b| key_order(a.0, b.0));
    out.push('{');
    for (i, (key, item)) in members.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        text(key, out);
        out.push_str(": ");
        value(item, out).map_err(|e| within(e, Segment::Key((*key).to_owned())))?;
    }
    out.push('}');
    Ok(())
}

/// Appends the diagnostic notation of `v`'s deterministic encoding.
pub(crate) fn value(v: &Value, out: &mut String) -> Result<(), Error> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Integer(i) => out.push_str(&i.to_string()),
        Value::Number(n) => match number_form(n) {
            Some(NumberForm::Unsigned(u)) => out.push_str(&u.to_string()),
            Some(NumberForm::Negative(u)) => {
                out.push_str(&format!("-{}", u128::from(u) + 1));
            }
            Some(NumberForm::Float(f)) => out.push_str(&float(f)),
            None => {
                return Err(Error::new(
                    ErrorKind::Unencodable(format!(
                        "the number {n} (neither a 64-bit integer nor a float)"
                    )),
                    None,
                    Path::root(),
                ));
            }
        },
        Value::String(s) => text(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value(item, out).map_err(|e| within(e, Segment::Index(i)))?;
            }
            out.push(']');
        }
        Value::Object(members) => object(members, out)?,
        other => {
            return Err(Error::new(
                ErrorKind::Unencodable(format!("a value of kind {}", other.kind())),
                None,
                Path::root(),
            ));
        }
    }
    Ok(())
}

fn object(members: &Object, out: &mut String) -> Result<(), Error> {
    let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
    sorted.sort_by(|a, b| key_order(a.0, b.0));
    out.push('{');
    for (i, (key, item)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        text(key, out);
        out.push_str(": ");
        value(item, out).map_err(|e| within(e, Segment::Key(key.clone())))?;
    }
    out.push('}');
    Ok(())
}

/// The error with `segment` in front of its path.
fn within(e: Error, segment: Segment) -> Error {
    let mut path = e.path().clone();
    path.push_front(segment);
    Error::new(e.kind().clone(), e.position(), path)
}

/// A float as diagnostic notation writes it: always with a fraction, `1.5`, `1.0e+300`.
fn float(f: f64) -> String {
    let repr = super::read::float_literal(f);
    match repr.split_once('e') {
        Some((mantissa, exponent)) => {
            let mantissa = if mantissa.contains('.') {
                mantissa.to_owned()
            } else {
                format!("{mantissa}.0")
            };
            if exponent.starts_with('-') {
                format!("{mantissa}e{exponent}")
            } else {
                format!("{mantissa}e+{exponent}")
            }
        }
        None => repr,
    }
}

/// A text string in double quotes, escaped as JSON escapes it.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_have_a_fraction() {
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(1e300), "1.0e+300");
        assert_eq!(float(5.960_464_477_539_063e-8), "5.960464477539063e-8");
        assert_eq!(float(-0.0), "-0.0");
    }

    #[test]
    fn nested_values() {
        let v: Value = [
            (
                "bb".to_owned(),
                Value::from(vec![Value::from(1), Value::Null]),
            ),
            ("c".to_owned(), Value::from("q\"\n")),
        ]
        .into_iter()
        .collect();
        let mut out = String::new();
        value(&v, &mut out).unwrap();
        assert_eq!(out, r#"{"c": "q\"\n", "bb": [1, null]}"#);
    }
}
