//! The CBOR encoder: deterministic encoding (RFC 8949 §4.2.1) of the model, with item heads
//! written by `ciborium_ll::Encoder`, which always picks the shortest argument and the
//! shortest exact float width.

use ciborium_ll::{Encoder, Header};
use exev::{Event, Number, Object, Segment, Value};

pub(crate) use crate::failure::Unwritable;

type Written = Result<(), Unwritable>;

/// How a lenient [`Number`] is written: as an integer, as a float, or not at all.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum NumberForm {
    /// Major type 0 with this argument.
    Unsigned(u64),
    /// Major type 1 with this argument (the value is -1 - argument).
    Negative(u64),
    /// A float, in the shortest width that holds it.
    Float(f64),
}

/// Decides how `number` is written (see the module docs of `cbor` for the rule).
pub(crate) fn number_form(number: &Number) -> Option<NumberForm> {
    let literal = number.as_str();
    let (negative, digits) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // An integer literal: exact as a CBOR integer when it fits 64 bits of argument.
        let magnitude: u128 = digits.parse().ok()?;
        return match (negative, magnitude) {
            (_, 0) => Some(NumberForm::Unsigned(0)),
            (false, m) => u64::try_from(m).ok().map(NumberForm::Unsigned),
            (true, m) => u64::try_from(m - 1).ok().map(NumberForm::Negative),
        };
    }
    let value = number.as_f64()?;
    let shortest = super::read::float_literal(value);
    (decimal(literal)? == decimal(&shortest)?).then_some(NumberForm::Float(value))
}

/// A JSON number literal as (negative, significant digits, power of ten), with leading and
/// trailing zeros folded away, so that equal decimals compare equal.
fn decimal(literal: &str) -> Option<(bool, String, i64)> {
    let (negative, rest) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (
            rest.get(..i)?,
            rest.get(i + 1..)?
                .trim_start_matches('+')
                .parse::<i64>()
                .ok()?,
        ),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let frac_len = i64::try_from(frac.len()).ok()?;
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    let mut scale = exponent.checked_sub(frac_len)?;
    while digits.ends_with('0') {
        digits.pop();
        scale = scale.checked_add(1)?;
    }
    let digits = digits.trim_start_matches('0').to_owned();
    if digits.is_empty() {
        return Some((negative, digits, 0));
    }
    Some((negative, digits, scale))
}

/// Writes CBOR items into a byte vector.
pub(crate) struct Writer<'o> {
    enc: Encoder<&'o mut Vec<u8>>,
}

impl<'o> Writer<'o> {
    pub(crate) fn new(out: &'o mut Vec<u8>) -> Writer<'o> {
        Writer {
            enc: Encoder::from(out),
        }
    }

    fn head(&mut self, header: Header) {
        // Writing to a Vec cannot fail.
        let _ = self.enc.push(header);
    }

    fn text(&mut self, s: &str) {
        let _ = self.enc.text(s, None);
    }

    /// Writes an event: its members sorted as their encoded keys sort.
    pub(crate) fn event(&mut self, event: &Event) -> Written {
        let content = event.content().as_object();
        let mut members: Vec<(&str, Member<'_>)> = Vec::with_capacity(event.other().len() + 2);
        members.extend(
            event
                .other()
                .iter()
                .map(|(k, v)| (k.as_str(), Member::Value(v))),
        );
        members.push(("content", Member::Object(content)));
        members.push(("type", Member::Str(event.event_type())));
        members.sort_unstable_by(|a, b| key_order(a.0, b.0));
        self.head(Header::Map(Some(members.len())));
        for (key, member) in members {
            self.text(key);
            let written = match member {
                Member::Value(v) => self.value(v),
                Member::Object(o) => self.object(o),
                Member::Str(s) => {
                    self.text(s);
                    Ok(())
                }
            };
            written.map_err(|u| u.at(Segment::Key(key.to_owned())))?;
        }
        Ok(())
    }

    /// Writes any value.
    pub(crate) fn value(&mut self, value: &Value) -> Written {
        match value {
            Value::Null => self.head(Header::Simple(ciborium_ll::simple::NULL)),
            Value::Bool(false) => self.head(Header::Simple(ciborium_ll::simple::FALSE)),
            Value::Bool(true) => self.head(Header::Simple(ciborium_ll::simple::TRUE)),
            Value::Integer(i) => self.integer(*i),
            Value::Number(n) => match number_form(n) {
                Some(NumberForm::Unsigned(u)) => self.head(Header::Positive(u)),
                Some(NumberForm::Negative(u)) => self.head(Header::Negative(u)),
                Some(NumberForm::Float(f)) => self.head(Header::Float(f)),
                None => {
                    return Err(Unwritable::value(format!(
                        "the number {n} (neither a 64-bit integer nor a float)"
                    )));
                }
            },
            Value::String(s) => self.text(s),
            Value::Array(items) => {
                self.head(Header::Array(Some(items.len())));
                for (i, item) in items.iter().enumerate() {
                    self.value(item).map_err(|u| u.at(Segment::Index(i)))?;
                }
            }
            Value::Object(members) => self.object(members)?,
            // Value is non-exhaustive; a kind added later is refused until taught here.
            other => return Err(Unwritable::unknown_kind(other)),
        }
        Ok(())
    }

    fn integer(&mut self, i: i64) {
        if i < 0 {
            // -1 - i, which is !i in two's complement, as the argument of major type 1.
            self.head(Header::Negative((!i).unsigned_abs()));
        } else {
            self.head(Header::Positive(i.unsigned_abs()));
        }
    }

    fn object(&mut self, members: &Object) -> Written {
        self.head(Header::Map(Some(members.len())));
        // An Object iterates in bytewise key order; a stable sort on length then gives the
        // order of the encoded keys (the head grows with the length).
        let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
        if !sorted.is_sorted_by_key(|(k, _)| k.len()) {
            sorted.sort_by_key(|(k, _)| k.len());
        }
        for (key, item) in sorted {
            self.text(key);
            self.value(item)
                .map_err(|u| u.at(Segment::Key(key.clone())))?;
        }
        Ok(())
    }
}

/// A member of an event being written, without copying it into a [`Value`] first.
#[derive(Clone, Copy)]
enum Member<'a> {
    Value(&'a Value),
    Object(&'a Object),
    Str(&'a str),
}

/// The order of two text keys by their encodings: shorter first, then bytewise.
pub(crate) fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(literal: &str) -> Option<NumberForm> {
        number_form(&Number::from_literal(literal).unwrap())
    }

    #[test]
    fn number_forms() {
        assert_eq!(
            form("18446744073709551615"),
            Some(NumberForm::Unsigned(u64::MAX))
        );
        assert_eq!(
            form("-18446744073709551616"),
            Some(NumberForm::Negative(u64::MAX))
        );
        assert_eq!(form("-0"), Some(NumberForm::Unsigned(0)));
        assert_eq!(form("1.5"), Some(NumberForm::Float(1.5)));
        assert_eq!(form("1.50"), Some(NumberForm::Float(1.5)));
        assert_eq!(form("1.1"), Some(NumberForm::Float(1.1)));
        assert_eq!(form("1e300"), Some(NumberForm::Float(1e300)));
        assert_eq!(form("-0.0"), Some(NumberForm::Float(-0.0)));
        assert_eq!(form("1E+2"), Some(NumberForm::Float(100.0)));
        assert_eq!(form("18446744073709551616"), None);
        assert_eq!(form("1.000000000000000005"), None);
        assert_eq!(form("1e400"), None);
        assert_eq!(form("1e-400"), None);
    }

    #[test]
    fn keys_sort_by_encoding() {
        let mut keys = vec!["aa", "b", "type", "content", "z", "ab"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, ["b", "z", "aa", "ab", "type", "content"]);
    }
}
