//! The JSON the JSON Schema crates work on: the model's values as `serde_json` values (through
//! serde), and the JSON Pointers those crates report back as the model's [`Path`]s.

use exev::{Path, Value};

/// `value` as the JSON Schema crates take it. A lenient number beyond the range of an `f64`,
/// which `serde_json` cannot hold, is checked as `null`, so the schema reports it as a value of
/// the wrong type rather than passing it.
pub(crate) fn to_json(value: &Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
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
    fn values_cross_both_ways_numbers_included() {
        let v = exev_codec::json::value_from_slice(
            br#"{"a": [1, "x", null, true], "b": {"c": -3}, "f": 0.5}"#,
            &exev_codec::Options::default().numbers(exev_codec::NumberPolicy::Lenient),
        )
        .unwrap_or_default();
        let s = to_json(&v);
        assert_eq!(s["f"], serde_json::json!(0.5));
        assert_eq!(Value::deserialize_lenient(&s).ok(), Some(v));
        let big = serde_json::json!(9_007_199_254_740_993_u64);
        assert!(matches!(
            Value::deserialize_lenient(&big),
            Ok(Value::Number(_))
        ));
        // Beyond an f64, a lenient number is checked as null (see `to_json`).
        let huge = exev_codec::json::value_from_slice(
            b"1e400",
            &exev_codec::Options::default().numbers(exev_codec::NumberPolicy::Lenient),
        )
        .unwrap_or_default();
        assert!(matches!(huge, Value::Number(_)));
        assert_eq!(to_json(&huge), serde_json::Value::Null);
    }

    #[test]
    fn pointers_become_paths() {
        let v: Value = serde_json::from_value(
            serde_json::json!({"content": {"m.poll": {"answers": [{}, {"3": 1}]}}}),
        )
        .unwrap_or_default();
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
