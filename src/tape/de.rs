//! A value on a [`Tape`] as serde reads it (feature `serde`): through the one deserializer over
//! [`ValueRef`], with the results, errors and paths [`crate::from_value`] gives on the
//! materialised value.

use serde::de;

use super::{At, Tape};
use crate::{BlockError, ValueRef};

impl Tape {
    /// Reads a `T` from the value at `at`, as [`crate::from_value`] reads it from the
    /// materialised value: same result, same errors, same paths (an object's members are
    /// visited in key order, as a [`crate::Value`] holds them, whatever order they were sent in).
    ///
    /// # Errors
    ///
    /// As [`crate::from_value`].
    pub fn deserialize_at<'t, T: de::Deserialize<'t>>(&'t self, at: At) -> Result<T, BlockError> {
        T::deserialize(ValueRef::taped(self, at))
    }
}
