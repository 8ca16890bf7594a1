//! Helpers for the blocks' unit tests: JSON text to [`Value`].

use crate::Value;

/// Parses JSON text into a [`Value`] through serde, keeping numbers outside the data model
/// (tests of out-of-range fields need them); panics on bad JSON (tests only).
pub(crate) fn json(text: &str) -> Value {
    Value::deserialize_lenient(&mut serde_json::Deserializer::from_str(text))
        .expect("test JSON parses")
}
