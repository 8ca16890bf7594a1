//! [`Value`]: one value of the Matrix canonical-JSON data model.

use std::collections::BTreeMap;
use std::fmt;

/// An object: members sorted by key in byte order, which for UTF-8 is Unicode code-point order,
/// the order canonical JSON writes them in.
pub type Object = BTreeMap<String, Value>;

/// The largest integer the canonical-JSON data model holds: 2^53 - 1.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The smallest integer the canonical-JSON data model holds: -(2^53) + 1.
pub const MIN_SAFE_INTEGER: i64 = -MAX_SAFE_INTEGER;

/// One value of the Matrix canonical-JSON data model: null, a boolean, an integer in
/// [-(2^53)+1, (2^53)-1], a string of valid Unicode, an array or an object with unique keys.
///
/// [`Value::Number`] is the one way out of the model: a number that strict decoding rejects
/// (a fraction, or an integer out of range), kept verbatim by a lenient decode so that nothing
/// is lost. Everything else the codecs produce lies inside the model.
///
/// ```
/// use exev::Value;
///
/// let v = Value::from(vec![Value::from(1), Value::from("two"), Value::Null]);
/// assert_eq!(v.as_array().map(Vec::len), Some(3));
/// assert_eq!(v.kind(), "array");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer in [`MIN_SAFE_INTEGER`, `MAX_SAFE_INTEGER`].
    Integer(i64),
    /// A number outside the data model, kept only by lenient decoding (see [`Number`]).
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

impl Value {
    /// The JSON type of this value, as used in error messages: `"null"`, `"boolean"`,
    /// `"integer"`, `"number"`, `"string"`, `"array"` or `"object"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Integer(_) => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is one of the data model.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The members, mutably, if this is an object.
    pub fn as_object_mut(&mut self) -> Option<&mut Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// Whether this value, and everything inside it, lies in the canonical-JSON data model
    /// (no [`Value::Number`] anywhere).
    pub fn is_canonical(&self) -> bool {
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            match v {
                Value::Number(_) => return false,
                Value::Array(a) => stack.extend(a.iter()),
                Value::Object(o) => stack.extend(o.values()),
                _ => {}
            }
        }
        true
    }

    /// The depth of nesting: 0 for a scalar, 1 for an empty array or object, and one more for
    /// each level of containers inside.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 0usize)];
        while let Some((v, d)) = stack.pop() {
            match v {
                Value::Array(a) => {
                    deepest = deepest.max(d + 1);
                    stack.extend(a.iter().map(|c| (c, d + 1)));
                }
                Value::Object(o) => {
                    deepest = deepest.max(d + 1);
                    stack.extend(o.values().map(|c| (c, d + 1)));
                }
                _ => {}
            }
        }
        deepest
    }
}

/// A number outside the canonical-JSON data model (a fraction such as `1.5`, or an integer
/// beyond ±(2^53 - 1)), kept as the exact text it was written as, so that a lenient decode
/// loses nothing. Strict decoding never produces one.
///
/// ```
/// use exev::Number;
///
/// let n = Number::from_literal("1.5").unwrap();
/// assert_eq!(n.as_f64(), Some(1.5));
/// assert_eq!(n.as_str(), "1.5");
/// assert!(Number::from_literal("1.").is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Number {
    literal: String,
}

impl Number {
    /// Wraps a JSON number literal (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), or
    /// returns `None` when `literal` is not one.
    pub fn from_literal(literal: &str) -> Option<Number> {
        is_json_number(literal.as_bytes()).then(|| Number {
            literal: literal.to_owned(),
        })
    }

    /// The literal, exactly as written.
    pub fn as_str(&self) -> &str {
        &self.literal
    }

    /// The nearest `f64`, or `None` when it overflows to infinity.
    pub fn as_f64(&self) -> Option<f64> {
        self.literal.parse::<f64>().ok().filter(|f| f.is_finite())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.literal)
    }
}

/// Whether `s` is exactly one JSON number (RFC 8259 §6).
pub(crate) fn is_json_number(s: &[u8]) -> bool {
    let mut i = 0;
    let at = |i: usize| s.get(i).copied();
    if at(i) == Some(b'-') {
        i += 1;
    }
    match at(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while matches!(at(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        _ => return false,
    }
    if at(i) == Some(b'.') {
        i += 1;
        let start = i;
        while matches!(at(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while matches!(at(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == s.len()
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Integer(i64::from(i))
    }
}

impl From<u32> for Value {
    fn from(i: u32) -> Value {
        Value::Integer(i64::from(i))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<Vec<Value>> for Value {
    fn from(a: Vec<Value>) -> Value {
        Value::Array(a)
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::Object(o)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl TryFrom<i64> for Value {
    type Error = crate::ValueError;

    /// Fails for integers outside [`MIN_SAFE_INTEGER`, `MAX_SAFE_INTEGER`].
    fn try_from(i: i64) -> Result<Value, Self::Error> {
        if (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) {
            Ok(Value::Integer(i))
        } else {
            Err(crate::ValueError::IntegerOutOfRange(i))
        }
    }
}

impl FromIterator<(String, Value)> for Value {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Value {
        Value::Object(iter.into_iter().collect())
    }
}

impl FromIterator<Value> for Value {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Value {
        Value::Array(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_literal_grammar() {
        for ok in [
            "0",
            "-0",
            "1.5",
            "1e10",
            "1E+2",
            "-12.5e-3",
            "123456789012345678901234",
        ] {
            assert!(Number::from_literal(ok).is_some(), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1 ", "NaN",
        ] {
            assert!(Number::from_literal(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn integer_range_is_enforced() {
        assert!(Value::try_from(MAX_SAFE_INTEGER).is_ok());
        assert!(Value::try_from(MAX_SAFE_INTEGER + 1).is_err());
        assert!(Value::try_from(MIN_SAFE_INTEGER).is_ok());
        assert!(Value::try_from(MIN_SAFE_INTEGER - 1).is_err());
    }

    #[test]
    fn canonical_check_finds_nested_numbers() {
        let n = Value::Number(Number::from_literal("1.5").unwrap());
        let v: Value = vec![Value::from(1), Value::Array(vec![n])].into();
        assert!(!v.is_canonical());
        assert!(Value::from(vec![Value::from(1)]).is_canonical());
    }
}
