//! Between the model's [`Value`] and `serde_json::Value`, which the JSON Schema crates work on,
//! and from JSON Pointers back to the model's [`Path`].

use exev::{Number, Path, Value};

/// `value` as a `serde_json::Value`. A number outside the data model (kept by lenient
/// decoding, as in registrars' schemas) keeps its literal where `serde_json` can hold it.
pub(crate) fn to_serde(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Number(n) => n
            .as_str()
            .parse::<serde_json::Number>()
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
        // A kind of value the model adds later has no JSON form yet.
        _ => serde_json::Value::Null,
    }
}

/// `value` as the model's [`Value`]: integers of the data model as integers, any other number
/// kept by its literal.
pub(crate) fn from_serde(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64().map(Value::try_from) {
            Some(Ok(v)) => v,
            _ => Number::from_literal(&n.to_string()).map_or(Value::Null, Value::Number),
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(from_serde).collect()),
        serde_json::Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_serde(v)))
                .collect(),
        ),
    }
}

/// The segments of an RFC 6901 JSON Pointer (`/a~1b/0` is `a/b`, `0`), or `None` for a
/// string that is not one.
pub(crate) fn pointer_segments(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// The path in `root` that `segments` lead to: a segment is an index where the value it steps
/// into is an array, a key otherwise.
pub(crate) fn path_of<S: AsRef<str>>(root: &Value, segments: &[S]) -> Path {
    let mut path = Path::root();
    let mut at = Some(root);
    for segment in segments {
        let segment = segment.as_ref();
        match at {
            Some(Value::Array(items)) => match segment.parse::<usize>() {
                Ok(index) => {
                    path = path.index(index);
                    at = items.get(index);
                }
                Err(_) => {
                    path = path.key(segment);
                    at = None;
                }
            },
            Some(Value::Object(members)) => {
                at = members.get(segment);
                path = path.key(segment);
            }
            _ => {
                path = path.key(segment);
                at = None;
            }
        }
    }
    path
}

/// The value at `path` in `root`.
pub(crate) fn value_at<'v>(root: &'v Value, path: &Path) -> Option<&'v Value> {
    let mut at = root;
    for segment in path.segments() {
        at = match segment {
            exev::Segment::Key(k) => at.get(k)?,
            exev::Segment::Index(i) => at.as_array()?.get(*i)?,
            _ => return None,
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_numbers() {
        let v = exev_codec::json::value_from_slice(
            br#"{"a": [1, "x", null, true], "b": {"c": -3}, "f": 0.5}"#,
            &exev_codec::Options::default().numbers(exev_codec::NumberPolicy::Lenient),
        )
        .unwrap_or_default();
        let s = to_serde(&v);
        assert_eq!(s["f"], serde_json::json!(0.5));
        assert_eq!(from_serde(&s), v);
        let big = serde_json::json!(9_007_199_254_740_993_u64);
        assert!(matches!(from_serde(&big), Value::Number(_)));
    }

    #[test]
    fn pointers_become_paths() {
        let v =
            from_serde(&serde_json::json!({"content": {"m.poll": {"answers": [{}, {"3": 1}]}}}));
        let segments = pointer_segments("/content/m.poll/answers/1/3").unwrap_or_default();
        let path = path_of(&v, &segments);
        assert_eq!(path.to_string(), r#"content["m.poll"].answers[1]["3"]"#);
        assert_eq!(
            pointer_segments("/a~1b/~0"),
            Some(vec!["a/b".to_owned(), "~".to_owned()])
        );
        assert_eq!(pointer_segments("x"), None);
        assert_eq!(value_at(&v, &path), Some(&Value::from(1)));
    }
}
