//! [`Path`]: where in an event something is, written as `content["m.poll"].answers[3]["m.id"]`.

use std::fmt;

/// One step of a [`Path`]: an object member or an array element.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Segment {
    /// The member with this key.
    Key(String),
    /// The element at this index.
    Index(usize),
}

/// A path from the root of an event (or of a block) to a value inside it.
///
/// It displays the way a reader would write it: plain keys as `.key`, keys with dots or other
/// punctuation as `["m.text"]`, indices as `[3]`, and the root itself as `$`.
///
/// ```
/// use exev::Path;
///
/// let p = Path::root().key("content").key("m.poll").key("answers").index(3).key("m.id");
/// assert_eq!(p.to_string(), r#"content["m.poll"].answers[3]["m.id"]"#);
/// assert_eq!(Path::root().to_string(), "$");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path {
    segments: Vec<Segment>,
}

impl Path {
    /// The empty path: the root.
    pub fn root() -> Path {
        Path::default()
    }

    /// This path extended by the member `key`.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Path {
        self.segments.push(Segment::Key(key.into()));
        self
    }

    /// This path extended by the element at `index`.
    #[must_use]
    pub fn index(mut self, index: usize) -> Path {
        self.segments.push(Segment::Index(index));
        self
    }

    /// Adds `outer` in front of this path: used while an error travels out of nested values.
    pub fn prepend(&mut self, outer: &Path) {
        if !outer.segments.is_empty() {
            let mut joined = outer.segments.clone();
            joined.append(&mut self.segments);
            self.segments = joined;
        }
    }

    /// Adds one segment in front of this path.
    pub fn push_front(&mut self, segment: Segment) {
        self.segments.insert(0, segment);
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether this is the root.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// The path as an RFC 6901 JSON Pointer (`/content/m.poll/answers/3/m.id`).
    pub fn to_json_pointer(&self) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            out.push('/');
            match segment {
                Segment::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

/// Whether a key can be written as `.key` rather than `["key"]`.
fn is_plain_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_'))
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("$");
        }
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Key(k) if is_plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Key(k) => {
                    f.write_str("[\"")?;
                    for c in k.chars() {
                        match c {
                            '"' => f.write_str("\\\"")?,
                            '\\' => f.write_str("\\\\")?,
                            c if c.is_control() => write!(f, "\\u{:04x}", u32::from(c))?,
                            c => write!(f, "{c}")?,
                        }
                    }
                    f.write_str("\"]")?;
                }
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        let p = Path::root().key("content").key("a b").index(0).key("x\"y");
        assert_eq!(p.to_string(), r#"content["a b"][0]["x\"y"]"#);
        let p = Path::root().index(2).key("k");
        assert_eq!(p.to_string(), "[2].k");
    }

    #[test]
    fn prepend_and_pointer() {
        let mut inner = Path::root().key("body");
        inner.prepend(&Path::root().key("content").key("m.text").index(1));
        assert_eq!(inner.to_string(), r#"content["m.text"][1].body"#);
        assert_eq!(inner.to_json_pointer(), "/content/m.text/1/body");
        let p = Path::root().key("a/b~c");
        assert_eq!(p.to_json_pointer(), "/a~1b~0c");
    }
}
