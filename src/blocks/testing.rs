//! Helpers for the blocks' unit tests: JSON text to [`Value`], and the limits of ranges.

use crate::{Number, Value};

/// Parses JSON text into a [`Value`]; panics on bad JSON (tests only).
pub(crate) fn json(text: &str) -> Value {
    let parsed: serde_json::Value = serde_json::from_str(text).expect("test JSON parses");
    convert(&parsed)
}

fn convert(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Number(Number::from_literal(&n.to_string()).expect("a JSON number")),
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        serde_json::Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), convert(v)))
                .collect(),
        ),
    }
}
