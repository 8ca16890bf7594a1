//! [`to_value`]: any serde type as a [`Value`] of the data model.

use serde::ser::{self, Impossible, Serialize};

use super::value::{float_as_integer, not_an_integer};
use crate::{Object, Value, ValueError};

/// `value` as a [`Value`] of the canonical-JSON data model.
///
/// ```
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct Level {
///     percent: u8,
///     label: Option<String>,
/// }
///
/// let v = exev::to_value(&Level { percent: 40, label: None })?;
/// assert_eq!(v.get("percent"), Some(&exev::Value::from(40)));
/// assert_eq!(v.get("label"), Some(&exev::Value::Null));
/// assert!(exev::to_value(&1.5).is_err());
/// # Ok::<(), exev::ValueError>(())
/// ```
///
/// # Errors
///
/// A [`ValueError`] for what the data model cannot hold: an integer outside
/// [-(2^53)+1, (2^53)-1], a float that is not such an integer, bytes, a map key that is not a
/// string, a key given twice, or the type's own serialization error.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, ValueError> {
    value.serialize(ValueSerializer)
}

impl ser::Error for ValueError {
    fn custom<M: std::fmt::Display>(msg: M) -> ValueError {
        ValueError::Unsupported(msg.to_string())
    }
}

fn unsupported(what: &str) -> ValueError {
    ValueError::Unsupported(format!("{what} is outside the canonical-JSON data model"))
}

fn integer(i: i128) -> Result<Value, ValueError> {
    i64::try_from(i)
        .map_err(|_| ValueError::Unsupported(format!("integer {i} does not fit 64 bits")))
        .and_then(Value::try_from)
}

/// The serializer behind [`to_value`].
struct ValueSerializer;

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ValueError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Value, ValueError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, ValueError> {
        integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ValueError> {
        integer(i128::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, ValueError> {
        i128::try_from(v)
            .map_err(|_| ValueError::Unsupported(format!("integer {v} does not fit 64 bits")))
            .and_then(integer)
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ValueError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ValueError> {
        // The same rule as reading: a float is in the model only when it is an integer of it.
        float_as_integer(v)
            .map(Value::Integer)
            .ok_or_else(|| ValueError::Unsupported(not_an_integer(v)))
    }
    fn serialize_char(self, v: char) -> Result<Value, ValueError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ValueError> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Value, ValueError> {
        Err(unsupported("a byte string"))
    }
    fn serialize_none(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, ValueError> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        let mut object = Object::new();
        object.insert(variant.to_owned(), to_value(value)?);
        Ok(Value::Object(object))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, ValueError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0).min(4096))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, ValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder, ValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapBuilder, ValueError> {
        Ok(MapBuilder {
            members: Object::new(),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, ValueError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<MapBuilder>, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

/// An array being built.
struct SeqBuilder(Vec<Value>);

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        self.0.push(to_value(value)?);
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Array(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        ser::SerializeSeq::end(self)
    }
}

/// An object being built; `key` holds a key until its value comes.
struct MapBuilder {
    members: Object,
    key: Option<String>,
}

impl MapBuilder {
    fn insert(&mut self, key: String, value: Value) -> Result<(), ValueError> {
        match super::value::insert_new(&mut self.members, key, value) {
            None => Ok(()),
            Some(key) => Err(ValueError::Unsupported(format!("duplicate key {key:?}"))),
        }
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ValueError> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ValueError::Unsupported("a map value without its key".to_owned()))?;
        let value = to_value(value)?;
        self.insert(key, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Object(self.members))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        let value = to_value(value)?;
        self.insert(key.to_owned(), value)
    }
    fn end(self) -> Result<Value, ValueError> {
        ser::SerializeMap::end(self)
    }
}

/// An enum variant with data: `{"variant": inner}`.
struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl<B> VariantBuilder<B> {
    fn wrap(variant: &'static str, inner: Value) -> Value {
        let mut object = Object::new();
        object.insert(variant.to_owned(), inner);
        Value::Object(object)
    }
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        let inner = ser::SerializeSeq::end(self.inner)?;
        Ok(Self::wrap(self.variant, inner))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        let inner = ser::SerializeMap::end(self.inner)?;
        Ok(Self::wrap(self.variant, inner))
    }
}

/// Map keys: strings (and unit variants, chars, which are written as strings) only.
struct KeySerializer;

fn not_a_key(what: &str) -> ValueError {
    ValueError::Unsupported(format!("a map key that is {what}, not a string"))
}

macro_rules! keys_refused {
    ($($method:ident $ty:ty => $what:literal,)*) => {
        $(fn $method(self, _: $ty) -> Result<String, ValueError> {
            Err(not_a_key($what))
        })*
    };
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = ValueError;
    type SerializeSeq = Impossible<String, ValueError>;
    type SerializeTuple = Impossible<String, ValueError>;
    type SerializeTupleStruct = Impossible<String, ValueError>;
    type SerializeTupleVariant = Impossible<String, ValueError>;
    type SerializeMap = Impossible<String, ValueError>;
    type SerializeStruct = Impossible<String, ValueError>;
    type SerializeStructVariant = Impossible<String, ValueError>;

    keys_refused! {
        serialize_bool bool => "a boolean",
        serialize_i8 i8 => "an integer",
        serialize_i16 i16 => "an integer",
        serialize_i32 i32 => "an integer",
        serialize_i64 i64 => "an integer",
        serialize_u8 u8 => "an integer",
        serialize_u16 u16 => "an integer",
        serialize_u32 u32 => "an integer",
        serialize_u64 u64 => "an integer",
        serialize_f32 f32 => "a number",
        serialize_f64 f64 => "a number",
        serialize_bytes &[u8] => "a byte string",
    }

    fn serialize_char(self, v: char) -> Result<String, ValueError> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, ValueError> {
        Ok(v.to_owned())
    }
    fn serialize_none(self) -> Result<String, ValueError> {
        Err(not_a_key("null"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, ValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, ValueError> {
        Err(not_a_key("null"))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, ValueError> {
        Err(not_a_key("null"))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, ValueError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, ValueError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, ValueError> {
        Err(not_a_key("an enum variant with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, ValueError> {
        Err(not_a_key("an array"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ValueError> {
        Err(not_a_key("an array"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ValueError> {
        Err(not_a_key("an array"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ValueError> {
        Err(not_a_key("an enum variant with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ValueError> {
        Err(not_a_key("an object"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, ValueError> {
        Err(not_a_key("an object"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ValueError> {
        Err(not_a_key("an enum variant with data"))
    }
}
