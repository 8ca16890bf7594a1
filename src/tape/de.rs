//! A value on a [`Tape`] as a serde `Deserializer` (feature `serde`): typed reads from the tape
//! with the results, errors and paths [`crate::from_value`] gives on the materialised value.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Unexpected, Visitor};

use super::{At, Elements, Members, Node, Tape};
use crate::{BlockError, Path};

impl Tape {
    /// Reads a `T` from the value at `at`, as [`crate::from_value`] reads it from the
    /// materialised value: same result, same errors, same paths.
    ///
    /// # Errors
    ///
    /// As [`crate::from_value`].
    pub fn deserialize_at<'t, T: de::Deserialize<'t>>(&'t self, at: At) -> Result<T, BlockError> {
        T::deserialize(Place { tape: self, at })
    }
}

/// A value on a tape, as a serde `Deserializer`.
#[derive(Clone, Copy)]
struct Place<'t> {
    tape: &'t Tape,
    at: At,
}

fn unexpected<'t>(node: &Node<'t>) -> Unexpected<'t> {
    match node {
        Node::Null => Unexpected::Unit,
        Node::Bool(b) => Unexpected::Bool(*b),
        Node::Integer(i) => Unexpected::Signed(*i),
        Node::Number(n) => Unexpected::Other(n),
        Node::String(s) => Unexpected::Str(s),
        Node::Array(_) => Unexpected::Seq,
        Node::Object(_) => Unexpected::Map,
    }
}

impl<'de> de::Deserializer<'de> for Place<'de> {
    type Error = BlockError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BlockError> {
        match self.tape.node(self.at) {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Integer(i) => visitor.visit_i64(i),
            Node::Number(literal) => crate::serde_support::visit_number(literal, visitor),
            Node::String(s) => visitor.visit_borrowed_str(s),
            Node::Array(elements) => visitor.visit_seq(elements),
            Node::Object(members) => visitor.visit_map(members),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, BlockError> {
        match self.tape.node(self.at) {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
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
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BlockError> {
        let _ = (name, variants);
        match self.tape.node(self.at) {
            Node::String(variant) => visitor.visit_enum(de::value::BorrowedStrDeserializer::<
                BlockError,
            >::new(variant)),
            Node::Object(members) if members.left == 1 => visitor.visit_enum(Variant {
                tape: self.tape,
                name: self.tape.span(self.tape.token(self.at + 1)),
                at: self.at + 2,
            }),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An enum variant with data: an object's one member.
struct Variant<'de> {
    tape: &'de Tape,
    name: &'de str,
    at: At,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
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

impl<'de> de::VariantAccess<'de> for Variant<'de> {
    type Error = BlockError;

    fn unit_variant(self) -> Result<(), BlockError> {
        match self.tape.node(self.at) {
            Node::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(&other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, BlockError> {
        seed.deserialize(Place {
            tape: self.tape,
            at: self.at,
        })
        .map_err(|e| e.within(&Path::root().key(self.name)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, BlockError> {
        de::Deserializer::deserialize_seq(
            Place {
                tape: self.tape,
                at: self.at,
            },
            visitor,
        )
        .map_err(|e| e.within(&Path::root().key(self.name)))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BlockError> {
        de::Deserializer::deserialize_map(
            Place {
                tape: self.tape,
                at: self.at,
            },
            visitor,
        )
        .map_err(|e| e.within(&Path::root().key(self.name)))
    }
}

impl<'t> SeqAccess<'t> for Elements<'t> {
    type Error = BlockError;

    fn next_element_seed<T: DeserializeSeed<'t>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, BlockError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let at = self.next;
        self.next = self.tape.after(at);
        let index = self.index;
        self.index += 1;
        seed.deserialize(Place {
            tape: self.tape,
            at,
        })
        .map(Some)
        .map_err(|e| e.within(&Path::root().index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left as usize)
    }
}

impl<'t> MapAccess<'t> for Members<'t> {
    type Error = BlockError;

    fn next_key_seed<K: DeserializeSeed<'t>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, BlockError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.tape.span(self.tape.token(self.next));
        let value = self.next + 1;
        self.next = self.tape.after(value);
        self.value = Some((key, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
            .map_err(|e: BlockError| e.within(&Path::root().key(key)))
    }

    fn next_value_seed<V: DeserializeSeed<'t>>(&mut self, seed: V) -> Result<V::Value, BlockError> {
        let Some((key, at)) = self.value.take() else {
            return Err(de::Error::custom("a map value asked for before its key"));
        };
        seed.deserialize(Place {
            tape: self.tape,
            at,
        })
        .map_err(|e| e.within(&Path::root().key(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left as usize)
    }
}
