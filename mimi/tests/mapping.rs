//! The mapping both ways: the MSC examples the acceptance names (V01 message, V04 emote, V06
//! encrypted file, V07 image) go event → MIMI → event with every block kept and are read by
//! an independent CBOR implementation (minicbor); each MIMI field lands where `MAPPING.md`
//! says; IDs go through the resolver; a residue or carrier that does not fit is not trusted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{example, vectors};
use exev::{Event, Value};
use exev_mimi::mapping::{self, CARRIER_BLOCK, Mapper, MappingErrorKind, Resolver};
use exev_mimi::{MessageId, MimiContent, Part};

fn msc(id: &str) -> Event {
    let bytes = std::fs::read(vectors().join(format!("msc/{id}.canonical.json"))).unwrap();
    exev_codec::json::from_slice(&bytes).unwrap()
}

/// A value as `serde_json`'s, to index into in assertions.
fn sj(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

fn without_carrier(event: &Event) -> Event {
    let mut e = event.clone();
    e.content_mut().remove(CARRIER_BLOCK);
    e
}

/// What minicbor, knowing nothing of exev, reads in a message: the 7 items, the salt, and
/// the body's tree as (disposition, language, cardinality) depth first.
fn minicbor_view(bytes: &[u8]) -> (u64, Vec<u8>, Vec<(u8, String, u8)>) {
    let mut d = minicbor::Decoder::new(bytes);
    let items = d.array().unwrap().unwrap();
    let salt = d.bytes().unwrap().to_vec();
    for _ in 0..5 {
        d.skip().unwrap();
    }
    let mut parts = Vec::new();
    fn part(d: &mut minicbor::Decoder<'_>, out: &mut Vec<(u8, String, u8)>) {
        let len = d.array().unwrap().unwrap();
        let disposition = d.u8().unwrap();
        let language = d.str().unwrap().to_owned();
        let cardinality = d.u8().unwrap();
        out.push((disposition, language, cardinality));
        if cardinality == 3 {
            d.u8().unwrap();
            let n = d.array().unwrap().unwrap();
            for _ in 0..n {
                part(d, out);
            }
        } else {
            for _ in 3..len {
                d.skip().unwrap();
            }
        }
    }
    part(&mut d, &mut parts);
    assert_eq!(
        d.position(),
        bytes.len(),
        "minicbor reads the whole message"
    );
    (items, salt, parts)
}

fn our_view(m: &MimiContent) -> Vec<(u8, String, u8)> {
    m.body
        .walk()
        .map(|(_, _, p)| (p.disposition.0, p.language.clone(), p.part.cardinality()))
        .collect()
}

#[test]
fn v01_v04_v06_v07_go_event_to_mimi_to_event_with_every_block_kept() {
    for id in ["V01", "V04", "V06", "V07"] {
        let event = msc(id);
        let message = mapping::to_mimi(&event, [0x42; 16]).unwrap();
        let bytes = exev_mimi::to_vec(&message).unwrap();
        // minicbor reads the same structure: 7 items, a 16-octet salt, the same parts.
        let (items, salt, parts) = minicbor_view(&bytes);
        assert_eq!((items, salt.len()), (7, 16), "{id}");
        assert_eq!(salt, [0x42; 16], "{id}");
        assert_eq!(parts, our_view(&message), "{id}");
        // Back: the original plus only the carrier block, through the bytes.
        let back = mapping::to_event(&exev_mimi::from_slice(&bytes).unwrap());
        assert_eq!(without_carrier(&back), event, "{id}");
        let carrier = back
            .content()
            .get_raw(CARRIER_BLOCK)
            .unwrap()
            .as_object()
            .unwrap();
        assert_eq!(
            carrier.keys().collect::<Vec<_>>(),
            ["salt"],
            "{id}: only the salt rides"
        );
        // And again: the same bytes.
        assert_eq!(
            exev_mimi::to_vec(&mapping::to_mimi(&back, [0; 16]).unwrap()).unwrap(),
            bytes,
            "{id}"
        );
    }
}

#[test]
fn the_msc_examples_either_round_trip_or_are_refused_for_a_reason() {
    let mut covered = Vec::new();
    for (id, bytes) in common::msc_canonical() {
        let event = exev_codec::json::from_slice(&bytes).unwrap();
        match mapping::to_mimi(&event, [1; 16]) {
            Ok(message) => {
                let back = mapping::to_event(&message);
                assert_eq!(without_carrier(&back), event, "{id}");
                covered.push(id);
            }
            Err(e) => match e.kind() {
                MappingErrorKind::NotCovered(_) | MappingErrorKind::UnresolvedEventId(_) => {
                    eprintln!("{id}: {e}");
                }
                other => panic!("{id}: {other:?}"),
            },
        }
    }
    assert_eq!(
        covered,
        [
            "V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09", "V12", "V13", "V15",
            "V16", "V18", "V29", "V30", "V31"
        ]
    );
}

#[test]
fn the_draft_examples_map_as_mapping_md_says() {
    let event = |name: &str| mapping::to_event(&exev_mimi::from_slice(&example(name)).unwrap());
    let original_id = "$017ce54837404c3696e0c747b985cb172716d0ed0a3d249ca63ace7d82a096f4";
    let reply_id = "$015354973c2b65ca937bf1e035ae53a5ab80e947afa43d46920d4202e5cc0b27";
    let reaction_id = "$0158c4288911e50a8f6be3f47746b6682f10fd91bc8c05557aa589a3157aff68";

    let original = event("original");
    assert_eq!(original.event_type(), "m.message");
    assert_eq!(original.sender(), Some("mimi://example.com/u/alice-smith"));
    assert_eq!(
        original.room_id(),
        Some("mimi://example.com/r/engineering_team")
    );
    let text = original.content().text().unwrap().unwrap();
    assert_eq!(
        text.representations[0].mimetype(),
        "text/markdown;variant=GFM-MIMI"
    );

    let reply = event("reply");
    let rel = reply
        .content()
        .get::<exev::RelatesToBlock>()
        .unwrap()
        .unwrap();
    assert_eq!(rel.reply_to(), Some(original_id));

    let reaction = event("reaction");
    assert_eq!(reaction.event_type(), "m.reaction");
    let rel = reaction.content().get_raw("m.relates_to").unwrap();
    assert_eq!(
        rel.get("rel_type").and_then(Value::as_str),
        Some("m.annotation")
    );
    assert_eq!(
        rel.get("event_id").and_then(Value::as_str),
        Some(original_id)
    );

    let mention = event("mention");
    let mentions = mention
        .content()
        .get::<exev::MentionsBlock>()
        .unwrap()
        .unwrap();
    assert_eq!(
        mentions.user_ids.unwrap(),
        ["mimi://example.com/u/alice-smith"]
    );
    assert!(
        event("mention-html")
            .content()
            .get_raw("m.mentions")
            .is_some()
    );

    let edit = event("edit");
    let rel = edit
        .content()
        .get::<exev::RelatesToBlock>()
        .unwrap()
        .unwrap();
    assert!(rel.is_replacement());
    assert_eq!(rel.event_id.as_deref(), Some(reply_id));
    let new = sj(edit.content().get_raw("m.new_content").unwrap());
    assert_eq!(
        new["m.text"][0]["body"],
        "Right on! _Congratulations_ y'all!"
    );
    assert_eq!(
        edit.content().text().unwrap().unwrap().representations[0].body,
        "\\* Right on! _Congratulations_ y'all!"
    );

    for (name, target) in [("delete", reply_id), ("unlike", reaction_id)] {
        let e = event(name);
        assert_eq!(e.event_type(), "m.room.redaction", "{name}");
        assert_eq!(
            e.content().get_raw("redacts").and_then(Value::as_str),
            Some(target),
            "{name}"
        );
    }

    let expiring = event("expiring");
    let carrier = sj(expiring.content().get_raw(CARRIER_BLOCK).unwrap());
    assert_eq!(carrier["expires"]["time"], 1_644_390_004);

    let attachment = event("attachment");
    assert_eq!(attachment.event_type(), "m.video");
    let file = attachment
        .content()
        .get::<exev::FileBlock>()
        .unwrap()
        .unwrap();
    assert_eq!(
        (file.name.as_deref(), file.size),
        (Some("bigfile.mp4"), Some(708_234_961))
    );
    let caption = attachment
        .content()
        .get::<exev::CaptionBlock>()
        .unwrap()
        .unwrap();
    assert_eq!(
        caption.text.plain_text(),
        Some("2 hours of key signing video")
    );
    // AES-128-GCM has no Matrix counterpart: its fields ride in the carrier.
    // The carrier's body is the part tree in its own encoding: the end of the message.
    let carrier = sj(attachment.content().get_raw(CARRIER_BLOCK).unwrap());
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(carrier["body"].as_str().unwrap())
        .unwrap();
    assert!(example("attachment").ends_with(&body));
    assert_eq!(body.len(), 176);

    let conferencing = event("conferencing");
    assert_eq!(conferencing.event_type(), "m.message");
    let carrier = sj(conferencing.content().get_raw(CARRIER_BLOCK).unwrap());
    assert_eq!(carrier["topic_id"], "Rm9vIDExOA");

    let multipart_3 = event("multipart-3");
    let text = multipart_3.content().text().unwrap().unwrap();
    let langs: Vec<_> = text
        .representations
        .iter()
        .map(|r| r.lang.as_deref().unwrap())
        .collect();
    assert_eq!(langs, ["en", "fr", "en", "fr"]);
}

#[test]
fn encrypted_matrix_files_map_to_the_private_aead_and_back() {
    let message = mapping::to_mimi(&msc("V06"), [0; 16]).unwrap();
    let Part::External(e) = &message.body.part else {
        panic!()
    };
    assert_eq!(e.enc_alg, mapping::ENC_ALG_MATRIX_A256CTR);
    assert_eq!(
        (e.key.len(), e.nonce.len(), e.hash_alg, e.content_hash.len()),
        (32, 16, 1, 32)
    );
    assert_eq!(e.description, "Look at this cool Matrix document");
    assert_eq!(e.filename, "matrix.pdf");
}

#[test]
fn state_and_encrypted_events_are_not_mapped() {
    for (name, json) in [
        (
            "state",
            r#"{"type":"m.room.topic","state_key":"","content":{"m.topic":[{"body":"x"}]}}"#,
        ),
        (
            "encrypted",
            r#"{"type":"m.room.encrypted","content":{"algorithm":"m.megolm.v1.aes-sha2","ciphertext":"x"}}"#,
        ),
        (
            "nothing",
            r#"{"type":"org.example.x","content":{"org.example.y":1}}"#,
        ),
    ] {
        let event = exev_codec::json::from_str(json).unwrap();
        let e = mapping::to_mimi(&event, [0; 16]).unwrap_err();
        assert!(
            matches!(e.kind(), MappingErrorKind::NotCovered(_)),
            "{name}: {e}"
        );
    }
}

/// Matrix event IDs as the server knows them, against MIMI IDs: a table.
struct Table(Vec<(String, MessageId)>);

impl Resolver for Table {
    fn event_id(&self, id: &MessageId) -> String {
        self.0
            .iter()
            .find(|(_, m)| m == id)
            .map_or_else(|| format!("${}", id.to_hex()), |(e, _)| e.clone())
    }
    fn message_id(&self, event_id: &str) -> Option<MessageId> {
        self.0.iter().find(|(e, _)| e == event_id).map(|(_, m)| *m)
    }
    fn user_id(&self, uri: &str) -> String {
        uri.replace("mimi://example.com/u/", "@") + ":example.com"
    }
    fn user_uri(&self, user_id: &str) -> Option<String> {
        let local = user_id.strip_prefix('@')?.strip_suffix(":example.com")?;
        Some(format!("mimi://example.com/u/{local}"))
    }
}

#[test]
fn ids_go_through_the_resolver() {
    let original = exev_mimi::message_id_of(&example("original")).unwrap();
    let table = Table(vec![("$original:example.com".to_owned(), original)]);
    let mapper = Mapper::new(table);
    let message = exev_mimi::from_slice(&example("reaction")).unwrap();
    let event = mapper.to_event(&message);
    assert_eq!(event.sender(), Some("@cathy-washington:example.com"));
    let rel = sj(event.content().get_raw("m.relates_to").unwrap());
    assert_eq!(rel["event_id"], "$original:example.com");
    let back = mapper.to_mimi(&event, [0; 16]).unwrap();
    assert_eq!(exev_mimi::to_vec(&back).unwrap(), example("reaction"));
    // The spec's own reaction names an event the default resolver cannot map.
    let spec = std::fs::read(vectors().join("matrix-spec/events/m.reaction.json")).unwrap();
    let spec = exev_codec::json::from_slice(&spec).unwrap();
    let e = mapping::to_mimi(&spec, [0; 16]).unwrap_err();
    assert!(
        matches!(e.kind(), MappingErrorKind::UnresolvedEventId(id) if id == "$some_event_id"),
        "{e}"
    );
    assert_eq!(e.path().to_string(), r#"content["m.relates_to"].event_id"#);
}

#[test]
fn event_ids_come_from_message_ids_when_asked() {
    let message = exev_mimi::from_slice(&example("original")).unwrap();
    let event = Mapper::new(mapping::CarryIds)
        .with_event_ids(true)
        .to_event(&message);
    assert_eq!(
        event.event_id(),
        Some("$017ce54837404c3696e0c747b985cb172716d0ed0a3d249ca63ace7d82a096f4")
    );
    // It is not carried back: MIMI derives IDs from the content.
    assert_eq!(
        exev_mimi::to_vec(&mapping::to_mimi(&event, [0; 16]).unwrap()).unwrap(),
        example("original")
    );
}

#[test]
fn a_residue_that_does_not_map_back_is_an_extension_like_any_other() {
    let mut message = exev_mimi::from_slice(&example("original")).unwrap();
    // Claims the event is an emote, but also lists as absent a block the message never
    // gives: not what the difference would be, so not trusted.
    let json = br#"{"absent":["org.example.never"],"type":"m.emote"}"#;
    let mut raw = Vec::new();
    exev_codec::cbor::head::write_head(&mut raw, 2, json.len() as u64);
    raw.extend_from_slice(json);
    message
        .extensions
        .insert_raw(
            exev_mimi::ExtensionKey::from(mapping::RESIDUE_EXTENSION),
            raw,
        )
        .unwrap();
    let bytes = exev_mimi::to_vec(&message).unwrap();
    let event = mapping::to_event(&message);
    assert_eq!(event.event_type(), "m.message", "not applied");
    let carrier = sj(event.content().get_raw(CARRIER_BLOCK).unwrap());
    assert_eq!(carrier["extensions"][0]["key"], mapping::RESIDUE_EXTENSION);
    assert_eq!(
        exev_mimi::to_vec(&mapping::to_mimi(&event, [0; 16]).unwrap()).unwrap(),
        bytes
    );
    // The canonical residue is applied.
    let emote =
        exev_codec::json::from_str(r#"{"type":"m.emote","content":{"m.text":[{"body":"hi"}]}}"#)
            .unwrap();
    let m = mapping::to_mimi(&emote, [0; 16]).unwrap();
    assert_eq!(mapping::to_event(&m).event_type(), "m.emote");
}

#[test]
fn a_carrier_body_is_used_only_while_the_blocks_still_show_it() {
    let message = exev_mimi::from_slice(&example("multipart-1")).unwrap();
    let mut event = mapping::to_event(&message);
    assert_eq!(
        exev_mimi::to_vec(&mapping::to_mimi(&event, [0; 16]).unwrap()).unwrap(),
        example("multipart-1")
    );
    // A Matrix client edits the text: the vendor part no longer goes with it.
    event.content_mut().set(&exev::TextBlock::plain("changed"));
    let changed = mapping::to_mimi(&event, [0; 16]).unwrap();
    let Part::Single(s) = &changed.body.part else {
        panic!("{:?}", changed.body)
    };
    assert_eq!(s.content, b"changed");
}

#[test]
fn a_malformed_carrier_is_refused_with_its_path() {
    let mut event = mapping::to_event(&exev_mimi::from_slice(&example("original")).unwrap());
    let short_salt: Value = [("salt".to_owned(), Value::from("AAAA"))]
        .into_iter()
        .collect();
    event.content_mut().insert_raw(CARRIER_BLOCK, short_salt);
    let e = mapping::to_mimi(&event, [0; 16]).unwrap_err();
    assert!(matches!(e.kind(), MappingErrorKind::Carrier(_)), "{e}");
    assert_eq!(e.path().to_string(), r#"content["io.exev.mimi"].salt"#);
}
