//! The encoder: the model in the draft's deterministic CBOR (RFC 8949 §4.2.1), heads written
//! with the codec's primitive in their shortest form, extension keys in encoded order.
//! What the types cannot rule out (a MultiPart of fewer than 2 parts, too deep a tree, too
//! many parts, too long a topic) is refused with its path, so no invalid message is written.

use exev::Path;
use exev_codec::cbor::head::write_head;

use crate::decode::{MAX_PART_DEPTH, MAX_PARTS, MAX_TOPIC_ID_BYTES};
use crate::error::{Error, ErrorKind};
use crate::rules;
use crate::{Expiration, MessageId, MimiContent, NestedPart, Part};

/// Checks what the types allow and the draft does not: the topic's size, the number of
/// parts, their depth, MultiParts of fewer than 2 parts.
pub(crate) fn check(m: &MimiContent) -> Result<(), Error> {
    if m.topic_id.len() > MAX_TOPIC_ID_BYTES {
        return Err(limit(
            Path::root().key("topicId"),
            rules::LIMIT_TOPIC_ID,
            MAX_TOPIC_ID_BYTES,
        ));
    }
    if m.body.count() > MAX_PARTS {
        return Err(limit(
            Path::root().key("nestedPart"),
            rules::LIMIT_PARTS,
            MAX_PARTS,
        ));
    }
    let mut at = Vec::new();
    check_part(&m.body, &mut at)
}

/// Checks a part whose place is `at` (the indices of the parts on the way from the body).
fn check_part(p: &NestedPart, at: &mut Vec<usize>) -> Result<(), Error> {
    // The path is built only for an error.
    let path = |at: &[usize]| {
        at.iter().fold(Path::root().key("nestedPart"), |path, i| {
            path.key("parts").index(*i)
        })
    };
    if at.len() >= MAX_PART_DEPTH {
        return Err(limit(path(at), rules::LIMIT_PART_DEPTH, MAX_PART_DEPTH));
    }
    if let Part::Multi(m) = &p.part {
        if m.parts.len() < 2 {
            return Err(Error::new(
                ErrorKind::Schema {
                    rule: rules::PARTS,
                    found: format!("{} parts", m.parts.len()),
                },
                None,
                path(at).key("parts"),
            ));
        }
        for (i, part) in m.parts.iter().enumerate() {
            at.push(i);
            check_part(part, at)?;
            at.pop();
        }
    }
    Ok(())
}

/// Writes a message into `out`, after [`check`].
pub(crate) fn message(m: &MimiContent, out: &mut Vec<u8>) -> Result<(), Error> {
    check(m)?;
    write_head(out, 4, 7);
    bytes(out, &m.salt);
    message_id(out, m.replaces.as_ref());
    bytes(out, &m.topic_id);
    expiration(out, m.expires.as_ref());
    message_id(out, m.in_reply_to.as_ref());
    write_head(out, 5, m.extensions.len() as u64);
    for (key, value) in m.extensions.iter() {
        key.encode(out);
        out.extend_from_slice(value);
    }
    nested_part(out, &m.body);
    Ok(())
}

/// The encoding of one part (the carrier block's `body`).
pub(crate) fn part_bytes(p: &NestedPart) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    nested_part(&mut out, p);
    out
}

fn limit(path: Path, rule: &'static str, limit: usize) -> Error {
    Error::new(ErrorKind::Limit { rule, limit }, None, path)
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    write_head(out, 2, b.len() as u64);
    out.extend_from_slice(b);
}

fn text(out: &mut Vec<u8>, s: &str) {
    write_head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn null(out: &mut Vec<u8>) {
    out.push(0xf6);
}

fn message_id(out: &mut Vec<u8>, id: Option<&MessageId>) {
    match id {
        Some(id) => bytes(out, &id.0),
        None => null(out),
    }
}

fn expiration(out: &mut Vec<u8>, e: Option<&Expiration>) {
    match e {
        Some(e) => {
            write_head(out, 4, 2);
            out.push(if e.relative { 0xf5 } else { 0xf4 });
            write_head(out, 0, u64::from(e.time));
        }
        None => null(out),
    }
}

fn nested_part(out: &mut Vec<u8>, p: &NestedPart) {
    let len = match &p.part {
        Part::Null => 3,
        Part::Single(_) | Part::Multi(_) => 5,
        Part::External(_) => 15,
    };
    write_head(out, 4, len);
    write_head(out, 0, u64::from(p.disposition.0));
    text(out, &p.language);
    write_head(out, 0, u64::from(p.part.cardinality()));
    match &p.part {
        Part::Null => {}
        Part::Single(s) => {
            text(out, &s.content_type);
            bytes(out, &s.content);
        }
        Part::External(e) => {
            text(out, &e.content_type);
            text(out, &e.url);
            write_head(out, 0, u64::from(e.expires));
            write_head(out, 0, e.size);
            write_head(out, 0, u64::from(e.enc_alg));
            bytes(out, &e.key);
            bytes(out, &e.nonce);
            bytes(out, &e.aad);
            write_head(out, 0, u64::from(e.hash_alg));
            bytes(out, &e.content_hash);
            text(out, &e.description);
            text(out, &e.filename);
        }
        Part::Multi(m) => {
            write_head(out, 0, u64::from(m.semantics.code()));
            write_head(out, 4, m.parts.len() as u64);
            for part in &m.parts {
                nested_part(out, part);
            }
        }
    }
}
