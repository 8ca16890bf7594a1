//! What exev does with each known defect of the upstream copies (`SOURCE.md` in
//! `shared/vectors/mimi-content`): the copies are read as they are, never "fixed".

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{example, examples, manifest, unhex, vectors};

/// Defect 1: `implied-original.cbor` carries the stale -07 message ID of `original`; the EDN
/// carries the -08 one. exev computes the -08 ID of `original.cbor`, which is the EDN's, and
/// tells the stale one for what it is: the ID of the same bytes under the -07 rule.
#[test]
fn defect_1_the_stale_message_id_in_implied_original() {
    let m = manifest();
    let implied = &m["implied"];
    let bytes =
        std::fs::read(vectors().join("mimi-content/examples/implied-original.cbor")).unwrap();
    assert_eq!(common::hex(&bytes), implied["hex"].as_str().unwrap());
    // It is MessageDerivedValues, not MIMI content: refused as such.
    assert!(!exev_mimi::detect(&bytes));
    let e = exev_mimi::from_slice(&bytes).unwrap_err();
    assert_eq!(e.category(), exev_mimi::Category::Schema, "{e}");
    // Its first item is the stale ID.
    assert_eq!(&bytes[..3], [0x87, 0x58, 0x20]);
    let stale = common::hex(&bytes[3..35]);
    assert_eq!(stale, implied["messageId_in_cbor"]);
    let ours = exev_mimi::message_id_of(&example("original"))
        .unwrap()
        .to_hex();
    assert_eq!(ours, implied["messageId_in_edn"]);
    assert_ne!(ours, stale);
    // The stale one is original.cbor's ID under -07: SHA-256 without length prefixes.
    let original = exev_mimi::from_slice(&example("original")).unwrap();
    assert_eq!(stale, draft07_id(&example("original"), &original));
}

/// The -07 rule, an independent control written here with `sha2`:
/// `0x01 || SHA-256(senderUri || roomUri || bytes || salt)[..31]`, no length prefixes.
fn draft07_id(bytes: &[u8], m: &exev_mimi::MimiContent) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(m.extensions.sender_uri().unwrap().as_bytes());
    hasher.update(m.extensions.room_uri().unwrap().as_bytes());
    hasher.update(bytes);
    hasher.update(m.salt);
    let mut id = vec![1u8];
    id.extend_from_slice(&hasher.finalize()[..31]);
    common::hex(&id)
}

/// Defect 2: the draft's inline hex for Reply and Reaction is the -07 encoding (inReplyTo
/// `01b00844…`). exev reads those bytes as valid MIMI content (they are: only an ID
/// differs), gives them their own -08 IDs, which are not the files' IDs, and the -07 rule
/// reproduces the IDs the -07 draft printed.
#[test]
fn defect_2_the_draft_07_inline_hex_of_reply_and_reaction() {
    let m = manifest();
    let variants = m["draft07_variants"]["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    for v in variants {
        let bytes = unhex(v["hex"].as_str().unwrap());
        let message = exev_mimi::from_slice(&bytes).unwrap();
        assert_eq!(exev_mimi::to_vec(&message).unwrap(), bytes);
        assert_eq!(message.in_reply_to.unwrap().to_hex(), v["inReplyTo"]);
        let id = exev_mimi::message_id_of(&bytes).unwrap().to_hex();
        assert_eq!(id, v["message_id_draft08_algorithm"], "{}", v["name"]);
        assert_eq!(
            draft07_id(&bytes, &message),
            v["message_id_claimed_in_draft07_txt"],
            "{}",
            v["name"]
        );
        let file = if v["name"] == "reply-draft07" {
            "reply"
        } else {
            "reaction"
        };
        assert_ne!(bytes, example(file), "the files are the -08 bytes");
        // They differ from the files first at offset 24: inside inReplyTo.
        let first_difference = bytes.iter().zip(example(file)).position(|(a, b)| *a != b);
        assert_eq!(first_difference, Some(24));
    }
}

/// Defect 3: the reaction prose names U+2665 (e2 99 a5) but the bytes are U+2764 (e2 9d a4).
/// exev reads the bytes: the reaction key is U+2764.
#[test]
fn defect_3_the_reaction_is_u2764_not_u2665() {
    let message = exev_mimi::from_slice(&example("reaction")).unwrap();
    let exev_mimi::Part::Single(s) = &message.body.part else {
        panic!()
    };
    assert_eq!(s.content, [0xe2, 0x9d, 0xa4]);
    let event = exev_mimi::mapping::to_event(&message);
    let key = event
        .content()
        .get_raw("m.relates_to")
        .unwrap()
        .get("key")
        .unwrap();
    assert_eq!(key.as_str(), Some("\u{2764}"));
    assert_ne!(key.as_str(), Some("\u{2665}"));
}

/// Defect 4: the §4.3 inline CDDL limits extension values to 4095 octets; Appendix A (the
/// collected CDDL, which commit 7273d82 made normative) does not. exev follows Appendix A:
/// an extension value of 4096 octets and more is accepted, within the codecs' string limit.
#[test]
fn defect_4_extension_values_are_not_limited_to_4095_octets() {
    let cddl = std::fs::read_to_string(vectors().join("mimi-content/mimi-content.cddl")).unwrap();
    assert!(
        cddl.contains("value = any\n"),
        "Appendix A has no size limit"
    );
    for len in [4095usize, 4096, 10_000] {
        let mut map = vec![0xa1, 0x03];
        exev_codec::cbor::head::write_head(&mut map, 2, len as u64);
        map.extend(std::iter::repeat_n(0u8, len));
        let bytes = common::message_with_extensions(&map);
        let m = exev_mimi::from_slice(&bytes).unwrap();
        assert_eq!(
            m.extensions
                .get(&exev_mimi::ExtensionKey::Int(3))
                .unwrap()
                .len(),
            len + 3
        );
    }
}

/// Defect 5: EDN quirks (a missing comma in multipart-3, a trailing comma in delete). exev
/// never reads EDN: the `.cbor` twins are the input, and exev's own diagnostic notation of
/// them has a comma between every two items and none trailing.
#[test]
fn defect_5_edn_quirks_do_not_reach_exev() {
    for name in ["multipart-3", "delete"] {
        let edn =
            std::fs::read_to_string(vectors().join(format!("mimi-content/examples/{name}.edn")))
                .unwrap();
        assert!(!edn.is_empty());
        let diag = exev_mimi::to_diag(&example(name)).unwrap();
        assert!(
            !diag.contains(",]") && !diag.contains(", ]") && !diag.contains(",,"),
            "{diag}"
        );
        let items = diag.matches(", ").count();
        assert!(items > 0);
    }
    // multipart-3's diagnostic notation lists partSemantics 0 then its parts with a comma.
    let diag = exev_mimi::to_diag(&example("multipart-3")).unwrap();
    assert!(
        diag.contains("[1, \"\", 3, 0, [[1, \"\", 3, 2, [[1, \"\", 3, 0, ["),
        "{diag}"
    );
}

/// Defect 6: §6.1 says "RFC7094 canonical order" for RFC 7049's length-first order. exev
/// writes and requires RFC 8949 §4.2.1 bytewise order, and refuses length-first order where
/// the two differ: an integer key against a text key shows no difference, so take two text
/// keys of which the longer sorts first bytewise.
#[test]
fn defect_6_length_first_order_is_refused() {
    // "b" (61 62) against "aa" (62 61 61): bytewise, 0x61 0x62 < 0x62 ..., so "b" first, and
    // length-first order agrees; with major types mixed, -1 (0x20) against "a" (0x61 0x61):
    // both orders agree too. RFC 7049 length-first differs from bytewise only for keys whose
    // encodings differ in length and compare the other way bytewise: 24 (0x18 0x18) against
    // -1 (0x20): bytewise 24 first, length-first -1 first.
    let bytewise = common::message_with_extensions(&[0xa2, 0x18, 0x18, 0x00, 0x20, 0x00]);
    assert!(exev_mimi::from_slice(&bytewise).is_ok());
    let length_first = common::message_with_extensions(&[0xa2, 0x20, 0x00, 0x18, 0x18, 0x00]);
    let e = exev_mimi::from_slice(&length_first).unwrap_err();
    assert_eq!(e.rule(), Some(exev_mimi::rules::RULE_KEY_ORDER), "{e}");
    // And the encoder writes the bytewise order.
    let m = exev_mimi::from_slice(&bytewise).unwrap();
    assert_eq!(exev_mimi::to_vec(&m).unwrap(), bytewise);
}

/// The files themselves are the -08 bytes: every example's stated ID matches.
#[test]
fn the_files_are_the_draft_08_examples() {
    for (name, entry, _) in examples() {
        assert_eq!(entry["message_id_matches"], true, "{name}");
        assert_eq!(
            entry["message_id_in_edn_comment"], entry["message_id_recomputed"],
            "{name}"
        );
    }
}
