//! The draft's 14 examples: decode → encode is byte-exact, the fields and part tree are the
//! manifest's, the message IDs are the -08 recomputation, and MIMI → event → MIMI is
//! byte-exact.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{examples, hex};
use exev_mimi::{Part, mapping};

fn opt_hex(id: Option<&exev_mimi::MessageId>) -> serde_json::Value {
    id.map_or(serde_json::Value::Null, |id| id.to_hex().into())
}

#[test]
fn decode_then_encode_is_byte_exact() {
    for (name, _, bytes) in examples() {
        let message = exev_mimi::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(exev_mimi::to_vec(&message).unwrap(), bytes, "{name}");
    }
}

#[test]
fn fields_and_part_trees_are_the_manifests() {
    for (name, entry, bytes) in examples() {
        let m = exev_mimi::from_slice(&bytes).unwrap();
        assert_eq!(hex(&m.salt), entry["salt"], "{name}");
        assert_eq!(opt_hex(m.replaces.as_ref()), entry["replaces"], "{name}");
        assert_eq!(
            opt_hex(m.in_reply_to.as_ref()),
            entry["inReplyTo"],
            "{name}"
        );
        assert_eq!(hex(&m.topic_id), entry["topicId"], "{name}");
        match (&m.expires, &entry["expires"]) {
            (None, serde_json::Value::Null) => {}
            (Some(e), v) => {
                assert_eq!(serde_json::json!([e.relative, e.time]), *v, "{name}");
            }
            (None, v) => panic!("{name}: expires {v}"),
        }
        assert_eq!(
            m.extensions.sender_uri(),
            entry["senderUri"].as_str(),
            "{name}"
        );
        assert_eq!(m.extensions.room_uri(), entry["roomUri"].as_str(), "{name}");
        let parts = entry["parts"].as_array().unwrap();
        let walked: Vec<_> = m.body.walk().collect();
        assert_eq!(walked.len(), parts.len(), "{name}");
        for ((index, depth, part), expected) in walked.into_iter().zip(parts) {
            assert_eq!(index as u64, expected["partIndex"], "{name}");
            assert_eq!(depth as u64, expected["depth"], "{name}");
            assert_eq!(
                u64::from(part.disposition.0),
                expected["disposition"],
                "{name}"
            );
            assert_eq!(part.language, expected["language"], "{name}");
            let cardinality = match part.part {
                Part::Null => "null",
                Part::Single(_) => "single",
                Part::External(_) => "external",
                Part::Multi(_) => "multi",
                _ => "other",
            };
            assert_eq!(cardinality, expected["cardinality"], "{name} part {index}");
            match &part.part {
                Part::Single(s) => assert_eq!(s.content_type, expected["contentType"], "{name}"),
                Part::External(e) => assert_eq!(e.content_type, expected["contentType"], "{name}"),
                _ => {}
            }
        }
    }
}

#[test]
fn message_ids_are_the_draft_08_recomputation() {
    for (name, entry, bytes) in examples() {
        let id = exev_mimi::message_id_of(&bytes).unwrap();
        assert_eq!(id.to_hex(), entry["message_id_recomputed"], "{name}");
        let m = exev_mimi::from_slice(&bytes).unwrap();
        assert_eq!(m.message_id().unwrap(), id, "{name}");
        // The -07 rule (no length prefixes) gives another ID: a control that the prefixes
        // are really hashed.
        assert_ne!(id.to_hex(), entry["message_id_draft07_algorithm"], "{name}");
    }
}

#[test]
fn replies_and_reactions_point_at_the_ids_of_their_targets() {
    let all = examples();
    let id_of = |n: &str| {
        let (_, entry, _) = all.iter().find(|(name, _, _)| name == n).unwrap();
        entry["message_id_recomputed"].as_str().unwrap().to_owned()
    };
    for (name, target) in [
        ("reply", "original"),
        ("reaction", "original"),
        ("edit", "original"),
    ] {
        let (_, _, bytes) = all.iter().find(|(n, _, _)| n == name).unwrap();
        let m = exev_mimi::from_slice(bytes).unwrap();
        assert_eq!(m.in_reply_to.unwrap().to_hex(), id_of(target), "{name}");
    }
    for (name, target) in [
        ("edit", "reply"),
        ("delete", "reply"),
        ("unlike", "reaction"),
    ] {
        let (_, _, bytes) = all.iter().find(|(n, _, _)| n == name).unwrap();
        let m = exev_mimi::from_slice(bytes).unwrap();
        assert_eq!(m.replaces.unwrap().to_hex(), id_of(target), "{name}");
    }
}

#[test]
fn mimi_to_event_to_mimi_is_byte_exact() {
    for (name, _, bytes) in examples() {
        let m = exev_mimi::from_slice(&bytes).unwrap();
        let event = mapping::to_event(&m);
        // Through canonical JSON too, as a bridge would store it.
        let json = exev_codec::json::to_vec(&event).unwrap();
        let event = exev_codec::json::from_slice(&json).unwrap();
        let back = mapping::to_mimi(&event, [0; 16]).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            hex(&exev_mimi::to_vec(&back).unwrap()),
            hex(&bytes),
            "{name}: {}",
            String::from_utf8_lossy(&json)
        );
    }
}

#[test]
fn auto_detection_recognises_every_example() {
    for (name, _, bytes) in examples() {
        assert!(exev_mimi::detect(&bytes), "{name}");
    }
}
