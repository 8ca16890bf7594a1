//! Properties over generated MIMI content and generated events: decode ∘ encode is the
//! identity, every strict prefix is end-of-input, minicbor agrees on the structure, MIMI →
//! event → MIMI gives the same bytes, and event → MIMI → event gives the same event plus the
//! carrier block for every event the mapping covers.
//!
//! `cargo test` runs a few hundred cases per property; CI raises it with `PROPTEST_CASES`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev::generate::Generator as EventGenerator;
use exev_mimi::generate::Generator;
use exev_mimi::mapping::{self, CARRIER_BLOCK, MappingErrorKind};
use exev_mimi::{Category, MimiContent};
use proptest::prelude::*;

fn messages() -> impl Strategy<Value = MimiContent> {
    proptest::collection::vec(any::<u8>(), 0..1024)
        .prop_map(|bytes| Generator::new(&bytes).message())
}

fn events() -> impl Strategy<Value = exev::Event> {
    proptest::collection::vec(any::<u8>(), 0..2048)
        .prop_map(|bytes| EventGenerator::new(&bytes).event())
}

/// Generated events made ones the mapping covers: not state, not encrypted, with a text.
fn covered_events() -> impl Strategy<Value = exev::Event> {
    events().prop_map(|mut event| {
        let mut other = event.other().clone();
        other.remove("state_key");
        let mut content = event.content().clone();
        for (name, _) in exev::KnownBlock::Encrypted.names() {
            content.remove(name);
        }
        if content
            .text()
            .and_then(Result::ok)
            .is_none_or(|t| t.is_empty())
        {
            content.set(&exev::TextBlock::plain("shown"));
        }
        let event_type = match event.event_type() {
            "m.room.encrypted" | "m.encrypted" | "org.matrix.msc1767.encrypted" => {
                "m.message".to_owned()
            }
            t => t.to_owned(),
        };
        event = exev::Event::from_parts(event_type, content, other).unwrap();
        event
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(300),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decode_of_encode_is_the_identity(m in messages()) {
        let bytes = exev_mimi::to_vec(&m).unwrap();
        let back = exev_mimi::from_slice(&bytes).unwrap();
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(exev_mimi::to_vec(&back).unwrap(), bytes);
    }

    #[test]
    fn minicbor_reads_seven_items_and_a_sixteen_octet_salt(m in messages()) {
        let bytes = exev_mimi::to_vec(&m).unwrap();
        let mut d = minicbor::Decoder::new(&bytes);
        prop_assert_eq!(d.array().unwrap(), Some(7));
        prop_assert_eq!(d.bytes().unwrap(), &m.salt[..]);
        for _ in 0..6 {
            d.skip().unwrap();
        }
        prop_assert_eq!(d.position(), bytes.len());
    }

    #[test]
    fn strict_prefixes_are_end_of_input(m in messages(), cut in any::<usize>()) {
        let bytes = exev_mimi::to_vec(&m).unwrap();
        let len = cut % bytes.len();
        let e = exev_mimi::from_slice(&bytes[..len]).unwrap_err();
        prop_assert_eq!(e.category(), Category::Eof, "{}", e);
    }

    #[test]
    fn mimi_to_event_to_mimi_is_byte_exact(m in messages()) {
        let bytes = exev_mimi::to_vec(&m).unwrap();
        let event = mapping::to_event(&m);
        let stored = exev_codec::json::from_slice(&exev_codec::json::to_vec(&event).unwrap()).unwrap();
        let back = mapping::to_mimi(&stored, [0xee; 16]).unwrap();
        prop_assert_eq!(exev_mimi::to_vec(&back).unwrap(), bytes);
    }

    #[test]
    fn event_to_mimi_to_event_keeps_every_covered_event(event in covered_events()) {
        match mapping::to_mimi(&event, [7; 16]) {
            Ok(m) => {
                let bytes = exev_mimi::to_vec(&m).unwrap();
                let mut back = mapping::to_event(&exev_mimi::from_slice(&bytes).unwrap());
                prop_assert!(back.content_mut().remove(CARRIER_BLOCK).is_some());
                prop_assert_eq!(back, event);
            }
            Err(e) => {
                let unresolved = matches!(e.kind(), MappingErrorKind::UnresolvedEventId(_));
                prop_assert!(unresolved, "{}", e);
            }
        }
    }

    #[test]
    fn event_to_mimi_refuses_only_what_it_does_not_cover(event in events()) {
        match mapping::to_mimi(&event, [7; 16]) {
            Ok(m) => {
                let bytes = exev_mimi::to_vec(&m).unwrap();
                let mut back = mapping::to_event(&exev_mimi::from_slice(&bytes).unwrap());
                prop_assert!(back.content_mut().remove(CARRIER_BLOCK).is_some());
                prop_assert_eq!(back, event);
            }
            Err(e) => {
                let expected = matches!(
                    e.kind(),
                    MappingErrorKind::NotCovered(_) | MappingErrorKind::UnresolvedEventId(_)
                );
                prop_assert!(expected, "{}", e);
            }
        }
    }
}

/// The event property over plain generated events is not vacuous: a good share is covered,
/// and those exercise the residue (generated events are rich in Matrix-only blocks; the MSC
/// examples in `mapping.rs` cover events that need none).
#[test]
fn most_generated_events_are_covered() {
    let (mut covered, mut with_residue) = (0, 0);
    let key = exev_mimi::ExtensionKey::from(mapping::RESIDUE_EXTENSION);
    for seed in 0..1000 {
        let bytes = exev::generate::SplitMix64::new(seed).bytes(2048);
        let event = EventGenerator::new(&bytes).event();
        if let Ok(m) = mapping::to_mimi(&event, [0; 16]) {
            covered += 1;
            with_residue += usize::from(m.extensions.get(&key).is_some());
        }
    }
    // Plain generated events: many are state, encrypted, or have no text MIMI could show.
    assert!(covered > 100, "{covered} of 1000 covered");
    assert!(
        with_residue > 50,
        "{with_residue} of {covered} with a residue"
    );
}
