//! Hostile and broken input: strict prefixes, non-preferred heads, indefinite lengths, depth
//! and part limits at the limit and one past, huge length prefixes, and every rule of the
//! draft's data model, each refused in one line with its rule, byte offset and path.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use exev_mimi::{Category, ErrorKind, Options, rules};

/// Decodes `bytes`, expecting an error; checks it is one line and returns it.
fn refused(bytes: &[u8]) -> exev_mimi::Error {
    let e = exev_mimi::from_slice(bytes).expect_err("should be refused");
    let line = e.to_string();
    assert!(!line.contains('\n'), "one line: {line}");
    assert!(e.offset().is_some(), "an offset: {line}");
    e
}

fn assert_rule(e: &exev_mimi::Error, rule: &str, offset: usize, path: &str) {
    assert_eq!(e.rule(), Some(rule), "{e}");
    assert_eq!(e.offset(), Some(offset), "{e}");
    assert_eq!(e.path().to_string(), path, "{e}");
}

#[test]
fn every_strict_prefix_of_every_example_is_end_of_input() {
    for (name, _, bytes) in examples() {
        for len in 0..bytes.len() {
            let e = refused(&bytes[..len]);
            assert_eq!(e.category(), Category::Eof, "{name} cut at {len}: {e}");
            assert!(e.offset().unwrap() <= len, "{name} cut at {len}: {e}");
        }
    }
}

#[test]
fn non_preferred_heads_are_refused_with_the_rule_and_place() {
    let original = example("original");
    // The salt's length in a one-byte argument (0x58 0x10) instead of the head (0x50).
    let mut wide = vec![0x87, 0x58, 0x10];
    wide.extend_from_slice(&original[2..]);
    let e = refused(&wide);
    assert_eq!(e.category(), Category::Encoding);
    assert_rule(&e, rules::RULE_SHORTEST, 1, "salt");
    // The top-level array's count in two bytes.
    let mut wide = vec![0x99, 0x00, 0x07];
    wide.extend_from_slice(&original[1..]);
    assert_rule(&refused(&wide), rules::RULE_SHORTEST, 0, "$");
    // A disposition of 1 written 0x18 0x01.
    let mut body = vec![0x85, 0x18, 0x01];
    body.extend_from_slice(&text_part()[2..]);
    let bytes = message_with_body(&body);
    assert_rule(
        &refused(&bytes),
        rules::RULE_SHORTEST,
        24,
        "nestedPart.disposition",
    );
}

#[test]
fn indefinite_lengths_are_refused() {
    let original = example("original");
    let mut indefinite = vec![0x9f];
    indefinite.extend_from_slice(&original[1..]);
    indefinite.push(0xff);
    let e = refused(&indefinite);
    assert_eq!(e.category(), Category::Encoding);
    assert_rule(&e, rules::RULE_DEFINITE, 0, "$");
    // An indefinite extensions map.
    let bytes = message_with_extensions(&[0xbf, 0x01, 0x61, b'x', 0xff]);
    assert_rule(&refused(&bytes), rules::RULE_DEFINITE, 22, "mimiExtensions");
    // An indefinite byte string as the salt.
    let mut chunked = vec![0x87, 0x5f, 0x50];
    chunked.extend_from_slice(&original[2..18]);
    chunked.push(0xff);
    chunked.extend_from_slice(&original[18..]);
    assert_rule(&refused(&chunked), rules::RULE_DEFINITE, 1, "salt");
}

#[test]
fn nested_parts_four_deep_are_accepted_and_five_refused() {
    let four = exev_mimi::from_slice(&message_with_body(&nested_body(4))).unwrap();
    assert_eq!(four.body.depth(), exev_mimi::MAX_PART_DEPTH);
    assert_eq!(multipart_3_depth(), 4);
    let bytes = message_with_body(&nested_body(5));
    let e = refused(&bytes);
    assert_eq!(e.category(), Category::Limit);
    assert_eq!(e.rule(), Some(rules::LIMIT_PART_DEPTH));
    assert_eq!(
        e.path().to_string(),
        "nestedPart.parts[0].parts[0].parts[0].parts[0]"
    );
    // A lower depth limit of the options applies too.
    let e = exev_mimi::from_slice_with(
        &message_with_body(&nested_body(3)),
        &Options::default().max_depth(2),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Limit { limit: 2, .. }), "{e}");
    // The encoder refuses what the decoder refuses.
    let mut deep = four.clone();
    let exev_mimi::Part::Multi(m) = &mut deep.body.part else {
        panic!()
    };
    m.parts[1] = four.body.clone();
    let e = exev_mimi::to_vec(&deep).unwrap_err();
    assert_eq!(e.rule(), Some(rules::LIMIT_PART_DEPTH), "{e}");
}

fn multipart_3_depth() -> usize {
    exev_mimi::from_slice(&example("multipart-3"))
        .unwrap()
        .body
        .depth()
}

#[test]
fn parts_up_to_1024_are_accepted_and_1025_refused() {
    // A processAll of n text parts has n + 1 parts.
    let at = exev_mimi::from_slice(&message_with_body(&wide_body(1023))).unwrap();
    assert_eq!(at.body.count(), exev_mimi::MAX_PARTS);
    let e = refused(&message_with_body(&wide_body(1024)));
    assert_eq!(e.rule(), Some(rules::LIMIT_PARTS), "{e}");
    assert_eq!(e.path().to_string(), "nestedPart.parts[1023]");
}

#[test]
fn huge_length_prefixes_end_the_input_at_once() {
    let original = example("original");
    // The salt announced as 2^64 - 1 octets.
    let mut bytes = vec![0x87, 0x5b];
    bytes.extend_from_slice(&[0xff; 8]);
    bytes.extend_from_slice(&original[18..]);
    let e = refused(&bytes);
    assert_eq!(e.category(), Category::Eof, "{e}");
    // A MultiPart announcing 2^32 parts.
    let mut body = vec![0x85, 0x01, 0x60, 0x03, 0x02, 0x9a, 0xff, 0xff, 0xff, 0xff];
    body.extend_from_slice(&text_part());
    assert_eq!(refused(&message_with_body(&body)).category(), Category::Eof);
    // Extensions announcing 2^63 members.
    let mut map = vec![0xbb, 0x80, 0, 0, 0, 0, 0, 0, 0];
    map.extend_from_slice(&[0x01, 0x61, b'x']);
    assert_eq!(
        refused(&message_with_extensions(&map)).category(),
        Category::Eof
    );
    // A content type of 2^62 octets.
    let mut body = vec![0x85, 0x01, 0x60, 0x01, 0x7b, 0x40, 0, 0, 0, 0, 0, 0, 0];
    body.extend_from_slice(b"text/plain");
    assert_eq!(refused(&message_with_body(&body)).category(), Category::Eof);
}

#[test]
fn the_size_string_and_element_limits_of_the_codecs_apply() {
    let bytes = example("original");
    let n = bytes.len();
    assert!(exev_mimi::from_slice_with(&bytes, &Options::default().max_bytes(n)).is_ok());
    let e = exev_mimi::from_slice_with(&bytes, &Options::default().max_bytes(n - 1)).unwrap_err();
    assert_eq!(e.rule(), Some(rules::LIMIT_BYTES), "{e}");
    // The longest string of original.cbor is its 57-octet content.
    assert!(exev_mimi::from_slice_with(&bytes, &Options::default().max_string_bytes(57)).is_ok());
    let e =
        exev_mimi::from_slice_with(&bytes, &Options::default().max_string_bytes(56)).unwrap_err();
    assert_eq!(e.rule(), Some(rules::LIMIT_STRING), "{e}");
    assert_eq!(e.path().to_string(), "nestedPart.content");
    // Elements: of the parts of a MultiPart (and of maps and arrays in extensions; the
    // fixed-length arrays of the structure are checked against their lengths instead).
    let at_limit = message_with_body(&wide_body(3));
    assert!(exev_mimi::from_slice_with(&at_limit, &Options::default().max_elements(3)).is_ok());
    let e = exev_mimi::from_slice_with(
        &message_with_body(&wide_body(4)),
        &Options::default().max_elements(3),
    )
    .unwrap_err();
    assert_eq!(e.rule(), Some(rules::LIMIT_ELEMENTS), "{e}");
    assert_eq!(e.path().to_string(), "nestedPart.parts");
}

#[test]
fn topic_ids_up_to_4096_octets() {
    for (len, ok) in [(4096usize, true), (4097, false)] {
        let mut bytes = vec![0x87, 0x50];
        bytes.extend_from_slice(&[0; 16]);
        bytes.push(0xf6);
        exev_codec::cbor::head::write_head(&mut bytes, 2, len as u64);
        bytes.extend(std::iter::repeat_n(b't', len));
        bytes.extend_from_slice(&[0xf6, 0xf6, 0xa0]);
        bytes.extend_from_slice(&text_part());
        let result = exev_mimi::from_slice(&bytes);
        assert_eq!(result.is_ok(), ok, "{len}: {result:?}");
        if let Err(e) = result {
            assert_rule(&e, rules::LIMIT_TOPIC_ID, 19, "topicId");
        }
    }
}

#[test]
fn a_field_of_the_wrong_type_is_named_by_its_path() {
    // multipart-2's third part with its content type as a byte string.
    let mut bytes = example("multipart-2");
    let needle = b"text/plain;charset=utf-8";
    let third = bytes
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .nth(2)
        .unwrap();
    bytes[third - 2] = 0x58;
    let e = refused(&bytes);
    assert_eq!(e.category(), Category::Schema);
    assert_rule(
        &e,
        rules::CONTENT_TYPE,
        third - 2,
        "nestedPart.parts[2].contentType",
    );
    assert_eq!(
        e.to_string(),
        format!(
            "expected contentType: tstr, found a byte string at nestedPart.parts[2].contentType (byte {})",
            third - 2
        )
    );
}

#[test]
fn every_rule_of_the_structure_is_checked() {
    let salt15 = {
        let mut b = vec![0x87, 0x4f];
        b.extend_from_slice(&[0; 15]);
        b.extend_from_slice(&message_with_body(&text_part())[18..]);
        b
    };
    assert_rule(&refused(&salt15), rules::SALT, 1, "salt");
    let six = {
        let mut b = message_with_body(&text_part());
        b[0] = 0x86;
        b
    };
    assert_rule(&refused(&six), rules::MIMI_CONTENT, 0, "$");
    // replaces of 31 octets.
    let mut short_id = vec![0x87, 0x50];
    short_id.extend_from_slice(&[0; 16]);
    short_id.push(0x58);
    short_id.push(31);
    short_id.extend_from_slice(&[1; 31]);
    short_id.extend_from_slice(&[0x40, 0xf6, 0xf6, 0xa0]);
    short_id.extend_from_slice(&text_part());
    assert_rule(&refused(&short_id), rules::MESSAGE_ID, 18, "replaces");
    // Unknown cardinality, part semantics, too few parts, wrong length.
    assert_rule(
        &refused(&message_with_body(&[0x83, 0x01, 0x60, 0x04])),
        rules::CARDINALITY,
        26,
        "nestedPart.cardinality",
    );
    let mut body = vec![0x85, 0x01, 0x60, 0x03, 0x03, 0x82];
    body.extend_from_slice(&text_part());
    body.extend_from_slice(&text_part());
    assert_rule(
        &refused(&message_with_body(&body)),
        rules::PART_SEMANTICS,
        27,
        "nestedPart.partSemantics",
    );
    let mut body = vec![0x85, 0x01, 0x60, 0x03, 0x00, 0x81];
    body.extend_from_slice(&text_part());
    assert_rule(
        &refused(&message_with_body(&body)),
        rules::PARTS,
        28,
        "nestedPart.parts",
    );
    assert_rule(
        &refused(&message_with_body(&[0x84, 0x01, 0x60, 0x00, 0x00])),
        rules::PART_LENGTH,
        23,
        "nestedPart",
    );
    // Invalid UTF-8 in the language.
    assert_rule(
        &refused(&message_with_body(&[0x83, 0x01, 0x61, 0xff, 0x00])),
        rules::UTF8,
        26,
        "nestedPart.language",
    );
    // Trailing bytes.
    let mut trailing = message_with_body(&text_part());
    let at = trailing.len();
    trailing.push(0x00);
    let e = refused(&trailing);
    assert_eq!((e.kind(), e.offset()), (&ErrorKind::TrailingData, Some(at)));
    // A lone break where an item belongs is not well-formed.
    assert_eq!(
        refused(&message_with_body(&[0xff])).category(),
        Category::Syntax
    );
}

#[test]
fn extension_keys_and_values_follow_the_data_model() {
    let at = 22; // where the extensions map starts
    // Out of order: 2 before 1.
    let e = refused(&message_with_extensions(&[
        0xa2, 0x02, 0x61, b'b', 0x01, 0x61, b'a',
    ]));
    assert_rule(&e, rules::RULE_KEY_ORDER, at + 4, "mimiExtensions[1]");
    // Twice the same key.
    let e = refused(&message_with_extensions(&[0xa2, 0x03, 0x00, 0x03, 0x00]));
    assert_rule(&e, rules::DUPLICATE_KEY, at + 3, "mimiExtensions[3]");
    // senderUri must be text.
    let e = refused(&message_with_extensions(&[0xa1, 0x01, 0x41, b'a']));
    assert_rule(&e, rules::SENDER_URI, at + 2, "mimiExtensions[1]");
    // A key that is a byte string; an integer key past 2^53 - 1; text keys of 255 and 256.
    let e = refused(&message_with_extensions(&[0xa1, 0x41, b'k', 0x00]));
    assert_rule(&e, rules::EXTENSION_KEY, at + 1, "mimiExtensions");
    let mut big = vec![0xa1, 0x1b, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0x00];
    assert_rule(
        &refused(&message_with_extensions(&big)),
        rules::INTEGER_KEY,
        at + 1,
        "mimiExtensions",
    );
    big[8] = 0x00;
    big[3] = 0x1f;
    big[4..9].copy_from_slice(&[0xff; 5]);
    big[9] = 0xff;
    assert!(
        exev_mimi::from_slice(&message_with_extensions(&big)).is_ok(),
        "2^53 - 1 is allowed"
    );
    for (len, ok) in [(255usize, true), (256, false)] {
        let mut map = vec![0xa1];
        exev_codec::cbor::head::write_head(&mut map, 3, len as u64);
        map.extend(std::iter::repeat_n(b'k', len));
        map.push(0x00);
        assert_eq!(
            exev_mimi::from_slice(&message_with_extensions(&map)).is_ok(),
            ok,
            "{len}"
        );
    }
    // Floats: only the shortest form; the only NaN is 0xf97e00.
    assert!(
        exev_mimi::from_slice(&message_with_extensions(&[0xa1, 0x03, 0xf9, 0x7e, 0x00])).is_ok()
    );
    let e = refused(&message_with_extensions(&[
        0xa1, 0x03, 0xfa, 0x7f, 0xc0, 0x00, 0x00,
    ]));
    assert_rule(&e, rules::NAN, at + 2, "mimiExtensions[3]");
    let e = refused(&message_with_extensions(&[
        0xa1, 0x03, 0xfa, 0x3f, 0xc0, 0x00, 0x00,
    ]));
    assert_rule(&e, rules::RULE_FLOAT, at + 2, "mimiExtensions[3]");
    // Keys of nested maps: int, tstr or bstr, in order.
    assert!(
        exev_mimi::from_slice(&message_with_extensions(&[
            0xa1, 0x03, 0xa2, 0x01, 0x00, 0x41, b'k', 0x00
        ]))
        .is_ok()
    );
    let e = refused(&message_with_extensions(&[0xa1, 0x03, 0xa1, 0x80, 0x00]));
    assert_rule(&e, rules::NESTED_KEY, at + 3, "mimiExtensions[3]");
    // A bignum that fits 64 bits.
    let e = refused(&message_with_extensions(&[0xa1, 0x03, 0xc2, 0x41, 0x01]));
    assert_rule(&e, rules::BIGNUM, at + 3, "mimiExtensions[3]");
}

#[test]
fn extensions_nest_four_levels_and_not_five() {
    // The map is level 1; each array inside adds one.
    for (arrays, ok) in [(3usize, true), (4, false)] {
        let mut map = vec![0xa1, 0x03];
        map.extend(std::iter::repeat_n(0x81, arrays));
        map.push(0x00);
        let result = exev_mimi::from_slice(&message_with_extensions(&map));
        assert_eq!(result.is_ok(), ok, "{arrays}: {result:?}");
        if let Err(e) = result {
            assert_eq!(e.rule(), Some(rules::LIMIT_EXTENSION_DEPTH), "{e}");
        }
    }
    // The draft's own example (§6.3): {1: "…", 256: [[h'1234', 32("http://example.com")], [h'3456', 5771]]}.
    let mut map = vec![0xa2, 0x01, 0x78, 0x18];
    map.extend_from_slice(b"mimi://a.example/u/alice");
    map.extend_from_slice(&[
        0x19, 0x01, 0x00, 0x82, 0x82, 0x42, 0x12, 0x34, 0xd8, 0x20, 0x72,
    ]);
    map.extend_from_slice(b"http://example.com");
    map.extend_from_slice(&[0x82, 0x42, 0x34, 0x56, 0x19, 0x16, 0x8b]);
    let m = exev_mimi::from_slice(&message_with_extensions(&map)).unwrap();
    assert_eq!(m.extensions.sender_uri(), Some("mimi://a.example/u/alice"));
}
