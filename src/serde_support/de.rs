//! [`from_value`]: any serde type read from a [`Value`], with errors that carry a [`Path`].

use std::fmt;

use serde::de::{
    self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde::{Deserialize, Deserializer};

use crate::{
    ArrayElements, BlockError, BlockErrorKind, ObjectMembers, Path, RefShape, Value, ValueRef,
};

/// Reads a `T` from `value`; strings are lent, so `T` may borrow from `value`.
///
/// Errors say what is wrong in exev's words (`expected struct Probe, found string`,
/// ``missing required field `value` ``) with the path from `value`, e.g. `levels[2].percent`.
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Tank {
///     levels: Vec<u8>,
/// }
///
/// let v: exev::Value = [("levels".to_owned(), exev::Value::from(vec![1.into(), "full".into()]))]
///     .into_iter()
///     .collect();
/// let err = exev::from_value::<Tank>(&v).err().unwrap();
/// assert_eq!(err.to_string(), r#"levels[1]: expected u8, found string"#);
/// ```
///
/// # Errors
///
/// A [`BlockError`] with the path and reason when `value` does not have `T`'s shape.
pub fn from_value<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T, BlockError> {
    T::deserialize(ValueRef::from(value))
}

/// The JSON type of what serde found, in the words of [`Value::kind`].
fn kind_of(unexpected: &Unexpected<'_>) -> String {
    match unexpected {
        Unexpected::Bool(_) => "boolean".to_owned(),
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "integer".to_owned(),
        Unexpected::Float(_) => "number".to_owned(),
        Unexpected::Char(_) | Unexpected::Str(_) => "string".to_owned(),
        Unexpected::Bytes(_) => "byte string".to_owned(),
        Unexpected::Unit | Unexpected::Option => "null".to_owned(),
        Unexpected::Seq => "array".to_owned(),
        Unexpected::Map => "object".to_owned(),
        other => other.to_string(),
    }
}

impl de::Error for BlockError {
    fn custom<M: fmt::Display>(msg: M) -> BlockError {
        BlockError::new(Path::root(), BlockErrorKind::Invalid(msg.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> BlockError {
        BlockError::new(
            Path::root(),
            BlockErrorKind::Invalid(format!(
                "expected {expected}, found {}",
                kind_of(&unexpected)
            )),
        )
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> BlockError {
        BlockError::new(
            Path::root(),
            BlockErrorKind::Invalid(format!("expected {expected}, found {unexpected}")),
        )
    }

    fn missing_field(field: &'static str) -> BlockError {
        BlockError::new(Path::root(), BlockErrorKind::MissingField(field))
    }
}

impl<'de> IntoDeserializer<'de, BlockError> for &'de Value {
    type Deserializer = &'de Value;

    fn into_deserializer(self) -> &'de Value {
        self
    }
}

impl<'de> IntoDeserializer<'de, BlockError> for ValueRef<'de> {
    type Deserializer = ValueRef<'de>;

    fn into_deserializer(self) -> ValueRef<'de> {
        self
    }
}

/// The one deserializer, behind [`from_value`], [`ValueRef::deserialize`] and
/// [`Tape::deserialize_at`](crate::tape::Tape::deserialize_at): the value where it lies, in a
/// [`Value`] or on a decoded event's tape, read without building it. An object's members are
/// visited in key order ([`ObjectRef::iter`](crate::ObjectRef::iter)), whatever holds the value
/// and whatever order a decoder met them in, so that a type failing at its first bad member
/// fails at the same member, with the same error and path, from a [`Value`] and from a tape.
impl<'de> Deserializer<'de> for ValueRef<'de> {
    type Error = BlockError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BlockError> {
        match self.shape() {
            RefShape::Null => visitor.visit_unit(),
            RefShape::Bool(b) => visitor.visit_bool(b),
            RefShape::Integer(i) => visitor.visit_i64(i),
            RefShape::Number(literal) => visit_number(literal, visitor),
            RefShape::String(s) => visitor.visit_borrowed_str(s),
            RefShape::Array(items) => visitor.visit_seq(Elements {
                items: items.iter(),
                index: 0,
            }),
            RefShape::Object(members) => visitor.visit_map(Members {
                members: members.iter(),
                pending: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BlockError> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, BlockError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BlockError> {
        match self.shape() {
            RefShape::String(variant) => visitor.visit_enum(Variant {
                name: variant,
                value: None,
            }),
            RefShape::Object(members) if members.len() == 1 => {
                let Some((name, value)) = members.iter().next() else {
                    return Err(de::Error::invalid_type(Unexpected::Map, &visitor));
                };
                visitor.visit_enum(Variant {
                    name,
                    value: Some(value),
                })
            }
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// A [`Value`] reads as the [`ValueRef`] borrowing it: one deserializer, whatever holds the value.
impl<'de> Deserializer<'de> for &'de Value {
    type Error = BlockError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BlockError> {
        ValueRef::from(self).deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BlockError> {
        ValueRef::from(self).deserialize_option(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, BlockError> {
        ValueRef::from(self).deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BlockError> {
        ValueRef::from(self).deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// A lenient number's literal, as the nearest number serde has: `u64`, `i64`, then `f64`.
fn visit_number<'de, V: Visitor<'de>>(literal: &str, visitor: V) -> Result<V::Value, BlockError> {
    if let Ok(u) = literal.parse::<u64>() {
        visitor.visit_u64(u)
    } else if let Ok(i) = literal.parse::<i64>() {
        visitor.visit_i64(i)
    } else {
        match literal.parse::<f64>().ok().filter(|f| f.is_finite()) {
            Some(f) => visitor.visit_f64(f),
            None => Err(de::Error::custom(format_args!(
                "number {literal} is beyond the range of a 64-bit float"
            ))),
        }
    }
}

/// What serde's error messages call `value`.
fn unexpected(value: RefShape<'_>) -> Unexpected<'_> {
    match value {
        RefShape::Null => Unexpected::Unit,
        RefShape::Bool(b) => Unexpected::Bool(b),
        RefShape::Integer(i) => Unexpected::Signed(i),
        RefShape::Number(n) => Unexpected::Other(n),
        RefShape::String(s) => Unexpected::Str(s),
        RefShape::Array(_) => Unexpected::Seq,
        RefShape::Object(_) => Unexpected::Map,
    }
}

/// An array's elements; errors inside get the element's index in front of their path.
struct Elements<'de> {
    items: ArrayElements<'de>,
    index: usize,
}

impl<'de> SeqAccess<'de> for Elements<'de> {
    type Error = BlockError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, BlockError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(item)
            .map(Some)
            .map_err(|e| e.within(&Path::root().index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's members; errors inside a value get its key in front of their path.
struct Members<'de> {
    members: ObjectMembers<'de>,
    /// The member whose key was read and whose value is next.
    pending: Option<(&'de str, ValueRef<'de>)>,
}

impl<'de> MapAccess<'de> for Members<'de> {
    type Error = BlockError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, BlockError> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
            .map_err(|e: BlockError| e.within(&Path::root().key(key)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, BlockError> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a map value asked for before its key"));
        };
        seed.deserialize(value)
            .map_err(|e| e.within(&Path::root().key(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        // Exact unless some members are left out (an event's `type` and `content`).
        let (low, high) = self.members.size_hint();
        (high == Some(low)).then_some(low)
    }
}

/// An enum variant: a string, or an object with one member.
struct Variant<'de> {
    name: &'de str,
    value: Option<ValueRef<'de>>,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = BlockError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), BlockError> {
        let variant = seed.deserialize(de::value::BorrowedStrDeserializer::new(self.name))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = BlockError;

    fn unit_variant(self) -> Result<(), BlockError> {
        match self.value.map(ValueRef::shape) {
            None | Some(RefShape::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(unexpected(other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, BlockError> {
        match self.value {
            Some(value) => seed
                .deserialize(value)
                .map_err(|e| e.within(&Path::root().key(self.name))),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, BlockError> {
        match self.value {
            Some(value) => Deserializer::deserialize_seq(value, visitor)
                .map_err(|e| e.within(&Path::root().key(self.name))),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BlockError> {
        match self.value {
            Some(value) => Deserializer::deserialize_map(value, visitor)
                .map_err(|e| e.within(&Path::root().key(self.name))),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
    }
}
