//! The remainder of a conversion: the legacy fields the blocks do not say exactly, kept where
//! they were so that converting back gives the event as sent.

use crate::{Object, Value};

/// The members of `original` that `written` does not reproduce: every leaf of `original`
/// whose value `written` lacks or has otherwise, objects compared member by member.
pub(crate) fn diff(original: &Object, written: &Object) -> Object {
    let mut kept = Object::new();
    for (key, value) in original {
        match (value, written.get(key)) {
            (v, Some(w)) if v == w => {}
            (Value::Object(v), Some(Value::Object(w))) if !v.is_empty() => {
                let inner = diff(v, w);
                if !inner.is_empty() {
                    kept.insert(key.clone(), Value::Object(inner));
                }
            }
            _ => {
                kept.insert(key.clone(), value.clone());
            }
        }
    }
    kept
}

/// `base` with every leaf of `kept` put in, objects merged member by member.
pub(crate) fn merge(base: &mut Object, kept: &Object) {
    for (key, value) in kept {
        match (base.get_mut(key), value) {
            (Some(Value::Object(b)), Value::Object(k)) if !k.is_empty() => merge(b, k),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Every leaf of `kept`, each as an object holding that one leaf at its place, in key order:
/// what can be merged one at a time.
pub(crate) fn leaves(kept: &Object) -> Vec<Object> {
    let mut out = Vec::new();
    for (key, value) in kept {
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                for leaf in leaves(inner) {
                    out.push([(key.clone(), Value::Object(leaf))].into_iter().collect());
                }
            }
            _ => out.push([(key.clone(), value.clone())].into_iter().collect()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    fn obj(text: &str) -> Object {
        json(text).as_object().cloned().unwrap()
    }

    #[test]
    fn diff_then_merge_gives_the_original_back() {
        let original = obj(
            r#"{"body": "a", "info": {"duration": 2140786, "mimetype": "audio/mpeg", "x": {}},
                "filename": "a", "extra": [1]}"#,
        );
        let written =
            obj(r#"{"body": "a", "info": {"duration": 2141000, "mimetype": "audio/mpeg"}}"#);
        let kept = diff(&original, &written);
        assert_eq!(
            kept,
            obj(r#"{"info": {"duration": 2140786, "x": {}}, "filename": "a", "extra": [1]}"#)
        );
        let mut back = written.clone();
        merge(&mut back, &kept);
        assert_eq!(back, original);
        assert_eq!(leaves(&kept).len(), 4);
        let mut one_by_one = written;
        for leaf in leaves(&kept) {
            merge(&mut one_by_one, &leaf);
        }
        assert_eq!(one_by_one, original);
    }
}
