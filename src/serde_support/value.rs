//! `Serialize` and `Deserialize` for [`Value`], strict on the data model.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Number, Object, Value};

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Integer(i) => serializer.serialize_i64(*i),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => serialize_object(members, serializer),
        }
    }
}

/// An object as a serde map, in key order.
pub(super) fn serialize_object<S: Serializer>(
    members: &Object,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(members.len()))?;
    for (k, v) in members {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl Serialize for Number {
    /// The nearest number serde has: the integer when the literal is one that fits `u64` or
    /// `i64`, else the nearest finite `f64`; an error for a literal beyond `f64`'s range.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let literal = self.as_str();
        if let Ok(u) = literal.parse::<u64>() {
            return serializer.serialize_u64(u);
        }
        if let Ok(i) = literal.parse::<i64>() {
            return serializer.serialize_i64(i);
        }
        match self.as_f64() {
            Some(f) => serializer.serialize_f64(f),
            None => Err(serde::ser::Error::custom(format_args!(
                "number {literal} is beyond the range of a 64-bit float"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    /// Reads a value of the data model; any other number is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor { lenient: false })
    }
}

impl Value {
    /// Reads a value as [`Deserialize`] does, but keeps a number outside the data model as a
    /// [`Value::Number`], as lenient decoding does: a float by its shortest literal (`1.5`), an
    /// integer beyond ±(2^53 - 1) by its digits. Formats that hand serde a float, not its text,
    /// cannot give back the literal as written (`1.50` comes back as `1.5`).
    ///
    /// ```
    /// use exev::Value;
    ///
    /// let mut json = serde_json::Deserializer::from_str("[1.5, 9007199254740993, 2.0]");
    /// let v = Value::deserialize_lenient(&mut json)?;
    /// assert_eq!(v.as_array().map(|a| a.iter().map(Value::kind).collect::<Vec<_>>()),
    ///     Some(vec!["number", "number", "integer"]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The deserializer's errors, a duplicate key, bytes, and NaN or an infinity.
    pub fn deserialize_lenient<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor { lenient: true })
    }
}

/// One value read strictly or leniently, for the elements and members of another.
#[derive(Clone, Copy)]
struct ValueSeed {
    lenient: bool,
}

impl<'de> de::DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor {
            lenient: self.lenient,
        })
    }
}

/// The integer `f` is, when it is one of the data model: `2.0`, `1e10` and `-0` are integers
/// written another way; every other float is outside the model.
pub(super) fn float_as_integer(f: f64) -> Option<i64> {
    #[allow(clippy::cast_precision_loss)] // 2^53 - 1 is exact in an f64
    let limit = MAX_SAFE_INTEGER as f64;
    #[allow(clippy::cast_possible_truncation)] // a whole number within ±(2^53 - 1)
    (f.fract() == 0.0 && (-limit..=limit).contains(&f)).then_some(f as i64)
}

/// The error for a float that is not an integer of the data model.
pub(super) fn not_an_integer(f: f64) -> String {
    format!("number {f} is not an integer: canonical JSON allows integers only")
}

/// Builds a [`Value`] from whatever a deserializer holds, refusing what the data model lacks
/// (or, `lenient`, keeping out-of-model numbers as [`Number`]s).
struct ValueVisitor {
    lenient: bool,
}

impl ValueVisitor {
    /// The integer `i` if it lies in the data model's range.
    fn integer<E: de::Error>(self, i: i128) -> Result<Value, E> {
        let in_range = (i128::from(MIN_SAFE_INTEGER)..=i128::from(MAX_SAFE_INTEGER)).contains(&i);
        match i64::try_from(i) {
            Ok(i) if in_range => Ok(Value::Integer(i)),
            _ if self.lenient => self.number(&i.to_string()),
            _ => Err(E::custom(format_args!(
                "integer {i} is outside the canonical-JSON range [-(2^53)+1, (2^53)-1]"
            ))),
        }
    }

    /// A number outside the model, kept by its literal.
    fn number<E: de::Error>(self, literal: &str) -> Result<Value, E> {
        Number::from_literal(literal)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format_args!("{literal} is not a JSON number")))
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of the canonical-JSON data model")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.integer(i128::from(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.integer(i128::from(u))
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        self.integer(i)
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        match i128::try_from(u) {
            Ok(i) => self.integer(i),
            Err(_) if self.lenient => self.number(&u.to_string()),
            Err(_) => Err(E::custom(format_args!(
                "integer {u} is outside the canonical-JSON range [-(2^53)+1, (2^53)-1]"
            ))),
        }
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        match float_as_integer(f) {
            Some(i) => Ok(Value::Integer(i)),
            // Rust writes a finite float as the shortest literal that reads back as it.
            None if self.lenient && f.is_finite() => self.number(&format!("{f:?}")),
            None => Err(E::custom(not_an_integer(f))),
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(E::custom(
            "a byte string is outside the canonical-JSON data model",
        ))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(ValueSeed {
            lenient: self.lenient,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        members(map, self.lenient).map(Value::Object)
    }
}

/// The members of a serde map, read strictly, refusing a key given twice.
pub(super) fn visit_object<'de, A: MapAccess<'de>>(map: A) -> Result<Object, A::Error> {
    members(map, false)
}

fn members<'de, A: MapAccess<'de>>(mut map: A, lenient: bool) -> Result<Object, A::Error> {
    let mut members = Object::new();
    while let Some(key) = map.next_key::<String>()? {
        let value = map.next_value_seed(ValueSeed { lenient })?;
        if let Some(key) = insert_new(&mut members, key, value) {
            return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
        }
    }
    Ok(members)
}

/// Inserts `key` unless it is there already, in which case it is handed back.
pub(super) fn insert_new(members: &mut Object, key: String, value: Value) -> Option<String> {
    use std::collections::btree_map::Entry;
    match members.entry(key) {
        Entry::Vacant(slot) => {
            slot.insert(value);
            None
        }
        Entry::Occupied(slot) => Some(slot.key().clone()),
    }
}
