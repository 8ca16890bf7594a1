//! The model's rule on an event's top level: `type` and `content` are the event's own, and
//! no other member may take their names. (How each format holds to it, with positions, is in
//! the codec's conformance suite.)

// Tests state what must hold and stop at the first thing that does not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use exev::{Event, Value};

#[test]
fn from_parts_refuses_type_or_content_among_the_other_members() {
    for field in ["type", "content"] {
        let mut other = exev::Object::new();
        other.insert(field.to_owned(), Value::from("m.y"));
        let e = Event::from_parts("m.x".to_owned(), exev::Content::new(), other).unwrap_err();
        assert_eq!(e, exev::EventError::Duplicate(field));
        assert_eq!(e.path().to_string(), field);
    }
    let mut other = exev::Object::new();
    other.insert("type".to_owned(), Value::from("m.y"));
    assert_eq!(
        Event::from_parts("m.x".to_owned(), exev::Content::new(), other)
            .unwrap_err()
            .to_string(),
        "`type` given twice: as the event's own and as another member"
    );
}
