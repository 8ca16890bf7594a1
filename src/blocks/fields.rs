//! [`Fields`]: reads the members of a block's object one by one, with paths in its errors, and
//! hands back whatever it was not asked for so that typed blocks keep unknown fields.

use crate::tape::{At, Tape, fingerprint};
use crate::{BlockError, BlockErrorKind, Object, ObjectRef, Path, RefShape, Value, ValueRef};

/// The keys a [`Fields`] has read: a handful inline, so that reading a block allocates
/// nothing for its bookkeeping (blocks have few fields).
#[derive(Default)]
struct TakenKeys<'a> {
    inline: [&'a str; 8],
    len: usize,
    more: Vec<&'a str>,
}

impl<'a> TakenKeys<'a> {
    /// Whether `key`, one of the object's own keys (not an equal string from elsewhere), was
    /// taken: each key is held once, so it is told by where it lies, without comparing text.
    fn contains(&self, key: &str) -> bool {
        let same = |k: &&str| std::ptr::eq(*k, key);
        self.inline.iter().take(self.len).any(same) || self.more.iter().any(same)
    }

    fn insert(&mut self, key: &'a str) {
        if self.contains(key) {
            return;
        }
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = key;
                self.len += 1;
            }
            None => self.more.push(key),
        }
    }

    fn len(&self) -> usize {
        self.len + self.more.len()
    }
}

/// Runs `read` on the element at `index` under `path`; the element's path is built only if
/// `read` fails.
pub(crate) fn at_index<T>(
    path: &Path,
    index: usize,
    read: impl FnOnce(&Path) -> Result<T, BlockError>,
) -> Result<T, BlockError> {
    read(&Path::root()).map_err(|e| e.within(&path.clone().index(index)))
}

/// How many members of an object on a tape [`Fields`] indexes in one walk (one bit each in
/// [`Lookup::Indexed`]'s `taken`); larger objects, rare in blocks, are looked up key by key.
const INDEXED_MEMBERS: usize = 8;

/// How [`Fields`] finds a member and remembers which it has read.
enum Lookup<'a> {
    /// An object on a tape of up to [`INDEXED_MEMBERS`] members, walked once: each member's
    /// key fingerprint and place ([`Tape::index_members`]), and a bit per member read.
    Indexed {
        tape: &'a Tape,
        members: [(u64, At); INDEXED_MEMBERS],
        len: usize,
        taken: u8,
    },
    /// Any other object: each key looked up in it, the keys read kept.
    ByKey(TakenKeys<'a>),
}

/// Reads a block's object member by member.
pub(crate) struct Fields<'a> {
    object: ObjectRef<'a>,
    path: &'a Path,
    lookup: Lookup<'a>,
}

/// An error at `path` saying `value` is not `expected`.
pub(crate) fn wrong_type(path: Path, expected: &'static str, value: ValueRef<'_>) -> BlockError {
    BlockError::new(
        path,
        BlockErrorKind::WrongType {
            expected,
            found: value.kind(),
        },
    )
}

/// A non-negative integer, or an error at `path`.
pub(crate) fn read_uint(value: ValueRef<'_>, path: &Path) -> Result<u64, BlockError> {
    match value.shape() {
        RefShape::Integer(i) => u64::try_from(i).map_err(|_| {
            BlockError::new(
                path.clone(),
                BlockErrorKind::OutOfRange {
                    value: i.to_string(),
                    allowed: "0 or more",
                },
            )
        }),
        RefShape::Number(n) => Err(BlockError::new(
            path.clone(),
            BlockErrorKind::OutOfRange {
                value: n.to_owned(),
                allowed: "integers in [0, 2^53-1]",
            },
        )),
        _ => Err(wrong_type(path.clone(), "a non-negative integer", value)),
    }
}

/// A string, or an error at `path`.
pub(crate) fn read_string(value: ValueRef<'_>, path: &Path) -> Result<String, BlockError> {
    match value.as_str() {
        Some(s) => Ok(s.to_owned()),
        None => Err(wrong_type(path.clone(), "a string", value)),
    }
}

/// An integer in `min..=max`, or an error at `path`; `allowed` names the range in errors
/// (`"0..=20"`).
pub(crate) fn read_uint_in(
    value: ValueRef<'_>,
    path: &Path,
    min: u64,
    max: u64,
    allowed: &'static str,
) -> Result<u64, BlockError> {
    let out_of_range = |literal: String| {
        BlockError::new(
            path.clone(),
            BlockErrorKind::OutOfRange {
                value: literal,
                allowed,
            },
        )
    };
    match value.shape() {
        RefShape::Integer(i) => match u64::try_from(i) {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(out_of_range(i.to_string())),
        },
        RefShape::Number(n) => Err(out_of_range(n.to_owned())),
        _ => Err(wrong_type(path.clone(), "an integer", value)),
    }
}

/// An integer in `min..=max` as [`read_uint_in`] reads it, except that an integer outside the
/// range is clamped into it and the error it would have been is pushed onto `notes`: what a
/// renderer does with one value out of range (a waveform sample, a zoom level) rather than
/// voiding the whole block. A value that is not an integer is still an error.
pub(crate) fn read_uint_clamped(
    value: ValueRef<'_>,
    path: &Path,
    (min, max, allowed): (u64, u64, &'static str),
    notes: &mut Vec<BlockError>,
) -> Result<u64, BlockError> {
    match read_uint_in(value, path, min, max, allowed) {
        Ok(n) => Ok(n),
        Err(e) => {
            let below = match value.shape() {
                RefShape::Integer(i) => i < 0 || u64::try_from(i).is_ok_and(|n| n < min),
                RefShape::Number(n) => n.starts_with('-'),
                _ => return Err(e),
            };
            notes.push(e);
            Ok(if below { min } else { max })
        }
    }
}

/// A boolean, or an error at `path`.
pub(crate) fn read_bool(value: ValueRef<'_>, path: &Path) -> Result<bool, BlockError> {
    value
        .as_bool()
        .ok_or_else(|| wrong_type(path.clone(), "a boolean", value))
}

/// An array of strings, or an error at `path` (or at the offending element's index).
pub(crate) fn read_string_array(
    value: ValueRef<'_>,
    path: &Path,
) -> Result<Vec<String>, BlockError> {
    let items = value
        .as_array()
        .ok_or_else(|| wrong_type(path.clone(), "an array of strings", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| at_index(path, i, |p| read_string(item, p)))
        .collect()
}

/// Strings as an array [`Value`].
pub(crate) fn string_array_value(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| Value::from(s.as_str())).collect())
}

impl<'a> Fields<'a> {
    /// Starts reading `value`, which must be an object.
    #[inline]
    pub(crate) fn new(value: ValueRef<'a>, path: &'a Path) -> Result<Fields<'a>, BlockError> {
        match value.as_object() {
            Some(object) => Ok(Fields {
                object,
                path,
                lookup: Lookup::of(object),
            }),
            None => Err(wrong_type(path.clone(), "an object", value)),
        }
    }

    /// Runs `read` on member `key`; its path is built only if `read` fails, so reading a
    /// valid block allocates nothing for paths.
    pub(crate) fn at<T>(
        &self,
        key: &str,
        read: impl FnOnce(&Path) -> Result<T, BlockError>,
    ) -> Result<T, BlockError> {
        read(&Path::root()).map_err(|e| e.within(&self.path_of(key)))
    }

    /// The path of member `key`.
    pub(crate) fn path_of(&self, key: &str) -> Path {
        self.path.clone().key(key)
    }

    /// The raw member `key`, marked as read.
    pub(crate) fn take(&mut self, key: &'a str) -> Option<ValueRef<'a>> {
        match &mut self.lookup {
            Lookup::Indexed {
                tape,
                members,
                len,
                taken,
            } => {
                let wanted = fingerprint(key);
                let members = members.get(..*len).unwrap_or_default();
                // Decoders refuse duplicate keys, so the first match is the only one.
                let found = members.iter().position(|&(print, at)| {
                    print == wanted && {
                        // Keys of one length and up to eight bytes are their fingerprints.
                        let held = tape.key_bytes(at);
                        held.len() == key.len() && (key.len() <= 8 || held == key.as_bytes())
                    }
                })?;
                *taken |= 1 << found;
                members
                    .get(found)
                    .map(|&(_, at)| ValueRef::taped(tape, at + 1))
            }
            Lookup::ByKey(taken) => {
                let (k, v) = self.object.get_key_value(key)?;
                taken.insert(k);
                Some(v)
            }
        }
    }

    /// The first of `keys` present, with the key it was found under; all present ones are
    /// marked as read, since the first wins over the others.
    pub(crate) fn take_first(&mut self, keys: &[&'a str]) -> Option<(&'a str, ValueRef<'a>)> {
        let mut found = None;
        for key in keys {
            if let Some(v) = self.take(key) {
                found = found.or(Some((*key, v)));
            }
        }
        found
    }

    /// Member `key` read with `read`, or `None` when absent.
    pub(crate) fn optional<T>(
        &mut self,
        key: &'a str,
        read: impl FnOnce(ValueRef<'a>, &Path) -> Result<T, BlockError>,
    ) -> Result<Option<T>, BlockError> {
        match self.take(key) {
            Some(v) => self.at(key, |p| read(v, p)).map(Some),
            None => Ok(None),
        }
    }

    /// Member `key` read with `read`, or a missing-field error.
    pub(crate) fn required<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(ValueRef<'a>, &Path) -> Result<T, BlockError>,
    ) -> Result<T, BlockError> {
        match self.take(key) {
            Some(v) => self.at(key, |p| read(v, p)),
            None => Err(self.missing(key)),
        }
    }

    /// A missing-field error for `key`.
    pub(crate) fn missing(&self, key: &'static str) -> BlockError {
        BlockError::new(self.path.clone(), BlockErrorKind::MissingField(key))
    }

    /// A string member.
    pub(crate) fn string(&mut self, key: &'a str) -> Result<Option<String>, BlockError> {
        self.optional(key, read_string)
    }

    /// A required string member.
    pub(crate) fn required_string(&mut self, key: &'static str) -> Result<String, BlockError> {
        self.required(key, read_string)
    }

    /// A non-negative integer member.
    pub(crate) fn uint(&mut self, key: &'a str) -> Result<Option<u64>, BlockError> {
        self.optional(key, read_uint)
    }

    /// A required non-negative integer member.
    pub(crate) fn required_uint(&mut self, key: &'static str) -> Result<u64, BlockError> {
        self.required(key, read_uint)
    }

    /// A boolean member.
    pub(crate) fn boolean(&mut self, key: &'a str) -> Result<Option<bool>, BlockError> {
        self.optional(key, read_bool)
    }

    /// Every member not read so far, for the block's `extra` fields.
    pub(crate) fn rest(self) -> Object {
        let mut rest = Object::new();
        match self.lookup {
            Lookup::Indexed {
                tape,
                members,
                len,
                taken,
            } => {
                if taken.count_ones() as usize == len {
                    return rest;
                }
                let members = members.get(..len).unwrap_or_default();
                for (i, &(_, at)) in members.iter().enumerate() {
                    if taken & (1 << i) == 0 {
                        rest.insert(tape.string_at(at).to_owned(), tape.value(at + 1));
                    }
                }
            }
            Lookup::ByKey(taken) => {
                if taken.len() == self.object.len() {
                    return rest;
                }
                for (k, v) in self.object.iter_as_held() {
                    if !taken.contains(k) {
                        rest.insert(k.to_owned(), v.to_value());
                    }
                }
            }
        }
        rest
    }
}

impl<'a> Lookup<'a> {
    /// The lookup for `object`: indexed when it is on a tape and small enough.
    #[inline]
    fn of(object: ObjectRef<'a>) -> Lookup<'a> {
        if let Some((tape, at)) = object.as_taped() {
            let mut members = [(0, 0); INDEXED_MEMBERS];
            if let Some(len) = tape.index_members(at, &mut members) {
                return Lookup::Indexed {
                    tape,
                    members,
                    len,
                    taken: 0,
                };
            }
        }
        Lookup::ByKey(TakenKeys::default())
    }
}

/// Builds a block's object: the typed members written in, then the kept `extra` ones.
pub(crate) struct ObjectWriter {
    object: Object,
}

impl ObjectWriter {
    /// Starts from the block's unknown members.
    pub(crate) fn new(extra: &Object) -> ObjectWriter {
        ObjectWriter {
            object: extra.clone(),
        }
    }

    /// Sets member `key`.
    pub(crate) fn set(&mut self, key: &str, value: impl Into<Value>) -> &mut ObjectWriter {
        self.object.insert(key.to_owned(), value.into());
        self
    }

    /// Sets member `key` when `value` is present.
    pub(crate) fn set_opt<V: Into<Value>>(
        &mut self,
        key: &str,
        value: Option<V>,
    ) -> &mut ObjectWriter {
        if let Some(v) = value {
            self.object.insert(key.to_owned(), v.into());
        }
        self
    }

    /// The finished object.
    pub(crate) fn finish(&mut self) -> Value {
        Value::Object(std::mem::take(&mut self.object))
    }
}

/// A `u64` as a [`Value`]; values past 2^53-1 (which no decoder produces) saturate there.
pub(crate) fn uint_value(n: u64) -> Value {
    Value::Integer(
        i64::try_from(n).map_or(crate::MAX_SAFE_INTEGER, |i| i.min(crate::MAX_SAFE_INTEGER)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;
    use crate::tape::tests::tape_of;

    /// Reads the same keys through `Fields` from `value` and from its tape, returning what
    /// each found and the members left; says whether the tape's read was indexed.
    fn read_both(value: &Value, keys: &[&'static str]) -> bool {
        let tape = tape_of(value);
        let path = Path::root();
        let mut from_value = Fields::new(ValueRef::from(value), &path).unwrap();
        let mut from_tape = Fields::new(ValueRef::taped(&tape, tape.root()), &path).unwrap();
        assert!(matches!(from_value.lookup, Lookup::ByKey(_)));
        let indexed = matches!(from_tape.lookup, Lookup::Indexed { .. });
        for key in keys {
            let (a, b) = (from_value.take(key), from_tape.take(key));
            assert_eq!(
                a.map(ValueRef::to_value),
                b.map(ValueRef::to_value),
                "{key}"
            );
        }
        assert_eq!(from_value.rest(), from_tape.rest());
        indexed
    }

    #[test]
    fn objects_at_the_index_limit_and_one_past_read_alike() {
        for len in [INDEXED_MEMBERS, INDEXED_MEMBERS + 1] {
            // Short keys, keys past eight bytes sharing their last eight, and an absent one.
            let members: Vec<String> = (0..len)
                .map(|i| match i % 2 {
                    0 => format!(r#""k{i}": {i}"#),
                    _ => format!(r#""org.example{i}.same_tail": [{i}]"#),
                })
                .collect();
            let value = json(&format!("{{{}}}", members.join(", ")));
            let indexed = read_both(
                &value,
                &[
                    "k0",
                    "org.example1.same_tail",
                    "org.example9.same_tail",
                    "k9",
                    "k2",
                    "absent",
                ],
            );
            assert_eq!(indexed, len <= INDEXED_MEMBERS, "{len} members");
        }
    }

    #[test]
    fn a_key_is_not_found_under_another_length_with_its_fingerprint() {
        // Seven bytes against eight whose last byte is 7 ^ 8: the same fingerprint.
        let value = json(r#"{"abcdefg\u000f": 1, "body": "x"}"#);
        assert_eq!(fingerprint("abcdefg"), fingerprint("abcdefg\u{f}"));
        assert!(read_both(&value, &["abcdefg", "body"]));
        let tape = tape_of(&value);
        let path = Path::root();
        let mut fields = Fields::new(ValueRef::taped(&tape, tape.root()), &path).unwrap();
        assert!(fields.take("abcdefg").is_none());
        assert_eq!(
            fields.take("abcdefg\u{f}").and_then(|v| v.as_i64()),
            Some(1)
        );
    }
}
