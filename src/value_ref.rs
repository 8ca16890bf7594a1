//! [`ValueRef`]: a value borrowed where it lies, in a [`Value`] or in a decoded event's tape, so
//! that a typed read builds only what it keeps.

use std::fmt;

use crate::tape::{At, Tape};
use crate::{Object, Value};

/// A value of the data model, borrowed: from a [`Value`], or from the form a decoder left an
/// event in, without building a [`Value`] for it. Typed blocks read through it ([`crate::Block::read`]),
/// so reading a block of a decoded event copies only the fields the block keeps.
///
/// ```
/// use exev::{RefShape, Value, ValueRef};
///
/// let value = Value::from(vec![Value::from("a"), Value::from(2)]);
/// let array = ValueRef::from(&value).as_array().unwrap();
/// assert_eq!(array.len(), 2);
/// let shapes: Vec<String> = array
///     .iter()
///     .map(|item| match item.shape() {
///         RefShape::String(s) => format!("string {s}"),
///         RefShape::Integer(i) => format!("integer {i}"),
///         _ => "other".to_owned(),
///     })
///     .collect();
/// assert_eq!(shapes, ["string a", "integer 2"]);
/// assert_eq!(ValueRef::from(&value).to_value(), value);
/// ```
#[derive(Clone, Copy)]
pub struct ValueRef<'a>(Repr<'a>);

#[derive(Clone, Copy)]
enum Repr<'a> {
    Value(&'a Value),
    Taped(&'a Tape, At),
}

/// What a [`ValueRef`] holds, to match on (as one matches a [`Value`]).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum RefShape<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer of the data model.
    Integer(i64),
    /// A number outside the data model (see [`crate::Number`]), by its literal.
    Number(&'a str),
    /// A string.
    String(&'a str),
    /// An array.
    Array(ArrayRef<'a>),
    /// An object.
    Object(ObjectRef<'a>),
}

/// An array, borrowed ([`ValueRef::as_array`]).
#[derive(Clone, Copy)]
pub struct ArrayRef<'a>(ArrayRepr<'a>);

#[derive(Clone, Copy)]
enum ArrayRepr<'a> {
    Values(&'a [Value]),
    /// The first element's place and the element count.
    Taped(&'a Tape, At, usize),
}

/// An object, borrowed ([`ValueRef::as_object`]).
#[derive(Clone, Copy)]
pub struct ObjectRef<'a>(ObjectRepr<'a>);

#[derive(Clone, Copy)]
enum ObjectRepr<'a> {
    Values(&'a Object),
    /// The object at a place on a tape, less the members named in `Except` (an event's
    /// members other than `type` and `content`).
    Taped(&'a Tape, At, Except),
}

/// Members of an object on a tape that an [`ObjectRef`] leaves out.
pub(crate) type Except = &'static [&'static str];

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(value: &'a Value) -> ValueRef<'a> {
        ValueRef(Repr::Value(value))
    }
}

impl<'a> ValueRef<'a> {
    /// The value at `at` on `tape`.
    pub(crate) fn taped(tape: &'a Tape, at: At) -> ValueRef<'a> {
        ValueRef(Repr::Taped(tape, at))
    }

    /// What it holds.
    pub fn shape(self) -> RefShape<'a> {
        match self.0 {
            Repr::Value(value) => match value {
                Value::Null => RefShape::Null,
                Value::Bool(b) => RefShape::Bool(*b),
                Value::Integer(i) => RefShape::Integer(*i),
                Value::Number(n) => RefShape::Number(n.as_str()),
                Value::String(s) => RefShape::String(s),
                Value::Array(items) => RefShape::Array(ArrayRef(ArrayRepr::Values(items))),
                Value::Object(members) => RefShape::Object(ObjectRef(ObjectRepr::Values(members))),
            },
            Repr::Taped(tape, at) => tape.shape(at),
        }
    }

    /// Its JSON type as error messages name it (as [`Value::kind`]).
    pub fn kind(self) -> &'static str {
        match self.shape() {
            RefShape::Null => "null",
            RefShape::Bool(_) => "boolean",
            RefShape::Integer(_) => "integer",
            RefShape::Number(_) => "number",
            RefShape::String(_) => "string",
            RefShape::Array(_) => "array",
            RefShape::Object(_) => "object",
        }
    }

    /// Whether it is `null`.
    pub fn is_null(self) -> bool {
        matches!(self.shape(), RefShape::Null)
    }

    /// The boolean, if it is one.
    pub fn as_bool(self) -> Option<bool> {
        match self.shape() {
            RefShape::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The integer, if it is one of the data model.
    pub fn as_i64(self) -> Option<i64> {
        match self.shape() {
            RefShape::Integer(i) => Some(i),
            _ => None,
        }
    }

    /// The string, if it is one.
    pub fn as_str(self) -> Option<&'a str> {
        match self.shape() {
            RefShape::String(s) => Some(s),
            _ => None,
        }
    }

    /// The array, if it is one.
    pub fn as_array(self) -> Option<ArrayRef<'a>> {
        match self.shape() {
            RefShape::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object, if it is one.
    pub fn as_object(self) -> Option<ObjectRef<'a>> {
        match self.shape() {
            RefShape::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Member `key`, if it is an object that has one.
    pub fn get(self, key: &str) -> Option<ValueRef<'a>> {
        self.as_object()?.get(key)
    }

    /// The value, built.
    pub fn to_value(self) -> Value {
        match self.0 {
            Repr::Value(value) => value.clone(),
            Repr::Taped(tape, at) => tape.value(at),
        }
    }

    /// Reads any serde type from it, as [`crate::from_value`] reads one from the built value:
    /// same result, same errors, same paths, without building the value.
    ///
    /// # Errors
    ///
    /// As [`crate::from_value`].
    #[cfg(feature = "serde")]
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn deserialize<T: serde::Deserialize<'a>>(self) -> Result<T, crate::BlockError> {
        T::deserialize(self)
    }
}

impl fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_value().fmt(f)
    }
}

impl PartialEq for ValueRef<'_> {
    fn eq(&self, other: &ValueRef<'_>) -> bool {
        self.to_value() == other.to_value()
    }
}

impl<'a> ArrayRef<'a> {
    /// The elements of the array at `at` on `tape`: `len` of them from `first`.
    pub(crate) fn taped(tape: &'a Tape, first: At, len: usize) -> ArrayRef<'a> {
        ArrayRef(ArrayRepr::Taped(tape, first, len))
    }

    /// The number of elements.
    pub fn len(self) -> usize {
        match self.0 {
            ArrayRepr::Values(items) => items.len(),
            ArrayRepr::Taped(_, _, len) => len,
        }
    }

    /// Whether it has no element.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The elements, in order.
    pub fn iter(self) -> ArrayElements<'a> {
        ArrayElements {
            array: self.0,
            index: 0,
        }
    }
}

impl fmt::Debug for ArrayRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for ArrayRef<'a> {
    type Item = ValueRef<'a>;
    type IntoIter = ArrayElements<'a>;

    fn into_iter(self) -> ArrayElements<'a> {
        self.iter()
    }
}

/// The elements of an [`ArrayRef`], in order.
#[derive(Clone)]
pub struct ArrayElements<'a> {
    /// What is left: on a tape, the next element's place and the count left.
    array: ArrayRepr<'a>,
    index: usize,
}

impl<'a> Iterator for ArrayElements<'a> {
    type Item = ValueRef<'a>;

    fn next(&mut self) -> Option<ValueRef<'a>> {
        match &mut self.array {
            ArrayRepr::Values(items) => {
                let item = items.get(self.index)?;
                self.index += 1;
                Some(ValueRef::from(item))
            }
            ArrayRepr::Taped(tape, next, left) => {
                if *left == 0 {
                    return None;
                }
                let at = *next;
                *next = tape.after(at);
                *left -= 1;
                Some(ValueRef::taped(tape, at))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = match self.array {
            ArrayRepr::Values(items) => items.len().saturating_sub(self.index),
            ArrayRepr::Taped(_, _, left) => left,
        };
        (left, Some(left))
    }
}

impl ExactSizeIterator for ArrayElements<'_> {}

impl<'a> From<&'a Object> for ObjectRef<'a> {
    fn from(members: &'a Object) -> ObjectRef<'a> {
        ObjectRef(ObjectRepr::Values(members))
    }
}

impl<'a> ObjectRef<'a> {
    /// The object at `at` on `tape`.
    pub(crate) fn taped(tape: &'a Tape, at: At) -> ObjectRef<'a> {
        ObjectRef(ObjectRepr::Taped(tape, at, &[]))
    }

    /// The object at `at` on `tape` less the members named in `except`.
    pub(crate) fn taped_except(tape: &'a Tape, at: At, except: Except) -> ObjectRef<'a> {
        ObjectRef(ObjectRepr::Taped(tape, at, except))
    }

    /// The tape and place of an object on a tape with no member left out.
    #[inline]
    pub(crate) fn as_taped(self) -> Option<(&'a Tape, At)> {
        match self.0 {
            ObjectRepr::Taped(tape, at, []) => Some((tape, at)),
            _ => None,
        }
    }

    /// The number of members.
    pub fn len(self) -> usize {
        match self.0 {
            ObjectRepr::Values(members) => members.len(),
            ObjectRepr::Taped(tape, at, []) => tape.member_count(at),
            ObjectRepr::Taped(..) => self.iter_as_held().count(),
        }
    }

    /// Whether it has no member.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Member `key`.
    pub fn get(self, key: &str) -> Option<ValueRef<'a>> {
        self.get_key_value(key).map(|(_, v)| v)
    }

    /// Member `key`, with the key as held.
    pub fn get_key_value(self, key: &str) -> Option<(&'a str, ValueRef<'a>)> {
        match self.0 {
            ObjectRepr::Values(members) => members
                .get_key_value(key)
                .map(|(k, v)| (k.as_str(), ValueRef::from(v))),
            // Blocks have a handful of members: a scan beats any index built for one read.
            ObjectRepr::Taped(tape, at, except) => tape
                .find_member(at, key, |k| except.contains(&k))
                .map(|(k, v)| (k, ValueRef::taped(tape, v))),
        }
    }

    /// The members in key order (byte order, as an [`Object`] holds them), so that what is
    /// read member by member fails at the same member whatever holds the value. Members a
    /// decoder left in the order sent are sorted only when they are not in order already.
    pub fn iter(self) -> ObjectMembers<'a> {
        match self.0 {
            ObjectRepr::Taped(tape, at, except) if !tape.members_in_order(at) => {
                let mut members: Vec<_> = tape
                    .members(at)
                    .filter(|(k, _)| !except.contains(k))
                    .collect();
                members.sort_unstable_by_key(|(a, _)| *a);
                ObjectMembers(MembersRepr::Sorted {
                    tape,
                    members: members.into_iter(),
                })
            }
            _ => self.iter_as_held(),
        }
    }

    /// The members in the order they are held (for gathering them into an [`Object`], where
    /// order does not matter).
    pub(crate) fn iter_as_held(self) -> ObjectMembers<'a> {
        ObjectMembers(match self.0 {
            ObjectRepr::Values(members) => MembersRepr::Values(members.iter()),
            ObjectRepr::Taped(tape, at, except) => MembersRepr::Taped {
                tape,
                next: at + 1,
                left: tape.member_count(at),
                except,
            },
        })
    }

    /// Its place on a tape, when it is a whole object there.
    pub(crate) fn place(self) -> Option<At> {
        match self.0 {
            ObjectRepr::Taped(_, at, []) => Some(at),
            _ => None,
        }
    }

    /// The object, built.
    pub fn to_object(self) -> Object {
        match self.0 {
            ObjectRepr::Values(members) => members.clone(),
            ObjectRepr::Taped(tape, at, []) => tape.object(at),
            ObjectRepr::Taped(..) => {
                // Inserted one by one: collecting would sort them in a buffer first.
                let mut object = Object::new();
                for (k, v) in self.iter_as_held() {
                    object.insert(k.to_owned(), v.to_value());
                }
                object
            }
        }
    }
}

impl fmt::Debug for ObjectRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The members of an [`ObjectRef`]: in key order from [`ObjectRef::iter`].
pub struct ObjectMembers<'a>(MembersRepr<'a>);

enum MembersRepr<'a> {
    Values(std::collections::btree_map::Iter<'a, String, Value>),
    /// Members in order on a tape: the next key's place, the count left, and the names left
    /// out.
    Taped {
        tape: &'a Tape,
        next: At,
        left: usize,
        except: Except,
    },
    /// Members sent out of order, sorted.
    Sorted {
        tape: &'a Tape,
        members: std::vec::IntoIter<(&'a str, At)>,
    },
}

impl<'a> Iterator for ObjectMembers<'a> {
    type Item = (&'a str, ValueRef<'a>);

    #[inline]
    fn next(&mut self) -> Option<(&'a str, ValueRef<'a>)> {
        match &mut self.0 {
            MembersRepr::Values(members) => {
                members.next().map(|(k, v)| (k.as_str(), ValueRef::from(v)))
            }
            MembersRepr::Taped {
                tape,
                next,
                left,
                except,
            } => loop {
                if *left == 0 {
                    return None;
                }
                let key = tape.string_at(*next);
                let value = *next + 1;
                *next = tape.after(value);
                *left -= 1;
                if !except.contains(&key) {
                    return Some((key, ValueRef::taped(tape, value)));
                }
            },
            MembersRepr::Sorted { tape, members } => {
                members.next().map(|(k, v)| (k, ValueRef::taped(tape, v)))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            MembersRepr::Values(members) => (members.len(), Some(members.len())),
            MembersRepr::Taped { left, except, .. } => {
                (left.saturating_sub(except.len()), Some(*left))
            }
            MembersRepr::Sorted { members, .. } => (members.len(), Some(members.len())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;
    use crate::tape::tests::tape_of;

    /// Every accessor answers the same borrowed from a value and from a tape.
    #[test]
    fn a_tape_and_a_value_read_alike() {
        let v =
            json(r#"{"b": [1, "two", null, true, {"x": []}], "a": "s", "c": {"z": 1, "y": 2}}"#);
        let tape = tape_of(&v);
        let (from_value, from_tape) = (ValueRef::from(&v), ValueRef::taped(&tape, tape.root()));
        for r in [from_value, from_tape] {
            assert_eq!(r.kind(), "object");
            assert_eq!(r.to_value(), v);
            assert_eq!(r.get("a").and_then(ValueRef::as_str), Some("s"));
            assert!(r.get("absent").is_none());
            let b = r.get("b").and_then(ValueRef::as_array).unwrap();
            assert_eq!(b.len(), 5);
            let kinds: Vec<_> = b.iter().map(ValueRef::kind).collect();
            assert_eq!(kinds, ["integer", "string", "null", "boolean", "object"]);
            assert_eq!(b.iter().len(), 5);
            let c = r.get("c").and_then(ValueRef::as_object).unwrap();
            let keys: Vec<_> = c.iter().map(|(k, _)| k).collect();
            assert_eq!(keys, ["y", "z"], "members in key order");
            assert_eq!(c.len(), 2);
            assert_eq!(
                c.to_object(),
                v.get("c").and_then(Value::as_object).cloned().unwrap()
            );
        }
        assert_eq!(from_value, from_tape);
        assert_eq!(format!("{from_value:?}"), format!("{from_tape:?}"));
    }
}
