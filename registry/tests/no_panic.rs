//! No input makes the renderer panic: arbitrary content made of the built-in blocks' names
//! (and the registry's, and random ones) holding arbitrary values, nested a few levels, on
//! every built-in event type and some unknown ones, with and without a `state_key`, for
//! clients of every kind. Whatever comes out holds together.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use exev::{Content, Event, KnownBlock, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, Object, Value};
use exev_registry::{Capabilities, Outcome, Registry};
use proptest::prelude::*;

/// Every block name the registry or the model knows.
fn block_names() -> Vec<String> {
    let mut names: Vec<String> = KnownBlock::ALL
        .iter()
        .flat_map(|b| b.names().map(|(n, _)| n.to_owned()))
        .collect();
    for def in Registry::built_in().blocks() {
        names.extend(def.names().map(|(n, _, _)| n.to_owned()));
    }
    names.sort();
    names.dedup();
    names
}

/// Member names found inside the built-in blocks.
const FIELDS: &[&str] = &[
    "body",
    "mimetype",
    "lang",
    "org.matrix.msc3554.lang",
    "url",
    "uri",
    "name",
    "size",
    "key",
    "iv",
    "hashes",
    "sha256",
    "v",
    "width",
    "height",
    "m.sticker",
    "org.matrix.msc1767.sticker",
    "duration",
    "waveform",
    "org.matrix.msc3246.waveform",
    "m.file",
    "m.image_details",
    "m.text",
    "org.matrix.msc1767.text",
    "description",
    "zoom_level",
    "type",
    "question",
    "answers",
    "kind",
    "max_selections",
    "m.id",
    "id",
    "rel_type",
    "event_id",
    "m.in_reply_to",
    "user_ids",
    "room",
    "algorithm",
];

/// Strings that mean something to the renderer, and arbitrary ones.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "text/html",
            "text/plain",
            "image/png",
            "image/*",
            "video/mp4",
            "audio/ogg",
            "application/pdf",
            "mxc://example.org/a",
            "geo:51.5,0.1",
            "m.reference",
            "m.replace",
            "m.disclosed",
            "m.self",
            "$event",
            "<b>bold</b><br>line",
            "<script>alert(1)</script>",
            r#"<a href="javascript:alert(1)">x</a>"#,
            "<p><ul><li>a<li>b</ul>",
            "<div><div><div><span data-mx-spoiler>s</span>",
            "",
        ])
        .prop_map(str::to_owned),
        ".{0,12}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..2000).prop_map(Value::Integer),
        (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).prop_map(Value::Integer),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 40, 5, |inner| {
        let key = prop_oneof![
            prop::sample::select(FIELDS).prop_map(str::to_owned),
            "[a-z._]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..5).prop_map(Value::Object),
        ]
    })
}

/// An object of these members.
fn object(members: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
            .collect(),
    )
}

fn mimetype() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "text/plain",
            "text/html",
            "TEXT/HTML",
            "text/x-custom",
            "image/png",
            "image/jpeg",
            "video/mp4",
            "audio/ogg",
            "audio/ogg; codecs=opus",
            "application/pdf",
        ])
        .prop_map(str::to_owned),
        string(),
    ]
}

fn small() -> impl Strategy<Value = Value> {
    prop_oneof![4 => (0i64..2000).prop_map(Value::Integer), 1 => value()]
}

/// An `m.text` value: mostly representations, sometimes the v1 string, sometimes anything.
fn text_value() -> BoxedStrategy<Value> {
    let representation = prop_oneof![
        5 => (string(), prop::option::of(mimetype()), prop::option::of(prop::sample::select(vec!["en", "fr"])))
            .prop_map(|(body, mimetype, lang)| object(vec![
                ("body", Some(body.into())),
                ("mimetype", mimetype.map(Value::from)),
                ("lang", lang.map(Value::from)),
            ])),
        1 => value(),
    ];
    prop_oneof![
        8 => prop::collection::vec(representation, 0..4).prop_map(Value::Array),
        1 => string().prop_map(Value::String),
        1 => value(),
    ]
    .boxed()
}

/// A block wrapping an `m.text` (caption, alt text, topic, poll question and answers).
fn wrapper() -> BoxedStrategy<Value> {
    text_value()
        .prop_map(|t| object(vec![("m.text", Some(t))]))
        .boxed()
}

fn file_value() -> BoxedStrategy<Value> {
    (
        prop_oneof![3 => Just(Value::from("mxc://example.org/f")), 1 => value()],
        prop::option::of(mimetype()),
        prop::option::of(string()),
        prop::option::of(small()),
        any::<bool>(),
    )
        .prop_map(|(url, mimetype, name, size, encrypted)| {
            let hashes = object(vec![("sha256", Some("h".into()))]);
            object(vec![
                ("url", Some(url)),
                ("mimetype", mimetype.map(Value::from)),
                ("name", name.map(Value::from)),
                ("size", size),
                (
                    "key",
                    encrypted.then(|| object(vec![("k", Some("x".into()))])),
                ),
                ("iv", encrypted.then(|| "iv".into())),
                ("hashes", encrypted.then_some(hashes)),
                ("v", encrypted.then(|| "v2".into())),
            ])
        })
        .boxed()
}

fn details() -> BoxedStrategy<Value> {
    (
        small(),
        small(),
        prop::option::of(small()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(w, h, duration, sticker)| {
            object(vec![
                ("width", Some(w)),
                ("height", Some(h)),
                ("duration", duration),
                ("m.sticker", sticker.map(Value::Bool)),
            ])
        })
        .boxed()
}

/// A near-valid value for the block `name`, or anything.
fn plausible(name: &str) -> BoxedStrategy<Value> {
    use KnownBlock as B;
    let likely: BoxedStrategy<Value> = match KnownBlock::from_name(name).map(|(b, _)| b) {
        Some(B::Text) => text_value(),
        Some(B::File) => file_value(),
        Some(B::Caption | B::AltText | B::Topic) => wrapper(),
        Some(B::ImageDetails | B::VideoDetails) => details(),
        Some(B::Thumbnail) => prop::collection::vec(
            (file_value(), details())
                .prop_map(|(f, d)| object(vec![("m.file", Some(f)), ("m.image_details", Some(d))])),
            0..3,
        )
        .prop_map(Value::Array)
        .boxed(),
        Some(B::AudioDetails) => (
            small(),
            prop::option::of(prop::collection::vec(0i64..1100, 0..40)),
            prop::sample::select(vec!["waveform", "org.matrix.msc3246.waveform"]),
        )
            .prop_map(|(duration, waveform, key)| {
                object(vec![
                    ("duration", Some(duration)),
                    (
                        key,
                        waveform.map(|w| w.into_iter().map(Value::Integer).collect()),
                    ),
                ])
            })
            .boxed(),
        Some(B::Automated) => any::<bool>().prop_map(Value::Bool).boxed(),
        Some(B::Location) => (
            prop_oneof![Just("geo:51.5,0.1".to_owned()), string()],
            prop::option::of(string()),
            prop::option::of(small()),
        )
            .prop_map(|(uri, description, zoom)| {
                object(vec![
                    ("uri", Some(uri.into())),
                    ("description", description.map(Value::from)),
                    ("zoom_level", zoom),
                ])
            })
            .boxed(),
        Some(B::Asset) => string()
            .prop_map(|t| object(vec![("type", Some(t.into()))]))
            .boxed(),
        Some(B::Ts) => small().boxed(),
        Some(B::Poll) => (
            wrapper(),
            prop_oneof![5 => 0usize..6, 1 => 18usize..25].prop_flat_map(|n| {
                prop::collection::vec(
                    (string(), text_value(), any::<bool>()).prop_map(|(id, text, unstable)| {
                        let id_key = if unstable { "id" } else { "m.id" };
                        object(vec![(id_key, Some(id.into())), ("m.text", Some(text))])
                    }),
                    n,
                )
            }),
            prop::option::of(string()),
            prop::option::of(small()),
        )
            .prop_map(|(question, answers, kind, max)| {
                object(vec![
                    ("question", Some(question)),
                    ("answers", Some(Value::Array(answers))),
                    ("kind", kind.map(Value::from)),
                    ("max_selections", max),
                ])
            })
            .boxed(),
        Some(B::Selections) => prop::collection::vec(string().prop_map(Value::from), 0..4)
            .prop_map(Value::Array)
            .boxed(),
        Some(B::RelatesTo) => (
            prop::option::of(string()),
            prop::option::of(string()),
            prop::option::of(string()),
        )
            .prop_map(|(rel, id, reply)| {
                object(vec![
                    ("rel_type", rel.map(Value::from)),
                    ("event_id", id.map(Value::from)),
                    (
                        "m.in_reply_to",
                        reply.map(|r| object(vec![("event_id", Some(r.into()))])),
                    ),
                ])
            })
            .boxed(),
        _ => value().boxed(),
    };
    prop_oneof![4 => likely, 1 => value()].boxed()
}

/// Blocks under random names, random or near-valid.
fn random_content() -> impl Strategy<Value = Object> {
    let name = prop_oneof![
        6 => prop::sample::select(block_names()),
        1 => "[a-z.]{1,10}",
    ];
    prop::collection::vec(
        name.prop_flat_map(|n| (Just(n.clone()), plausible(&n))),
        0..5,
    )
    .prop_map(|pairs| pairs.into_iter().collect())
}

/// The blocks of a built-in event type's schema, each present (under any of its names) most
/// of the time and near-valid most of the time, with random blocks besides: this reaches the
/// rendering of every schema, not only the failures.
fn schema_content() -> impl Strategy<Value = Object> {
    let registry = Registry::built_in();
    let templates: Vec<Vec<Vec<String>>> = registry
        .event_types()
        .map(|t| {
            t.schema_blocks()
                .chain(t.text_blocks.iter().map(String::as_str))
                .chain(["m.relates_to", "m.automated", "m.mentions"])
                .map(|block| match registry.block(block) {
                    Some(def) => def.names().map(|(n, _, _)| n.to_owned()).collect(),
                    None => vec![block.to_owned()],
                })
                .collect()
        })
        .collect();
    prop::sample::select(templates).prop_flat_map(|blocks| {
        let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = blocks
            .into_iter()
            .map(|names| {
                (prop::sample::select(names), prop::bool::weighted(0.8))
                    .prop_flat_map(|(name, keep)| {
                        plausible(&name).prop_map(move |v| keep.then(|| (name.clone(), v)))
                    })
                    .boxed()
            })
            .collect();
        (parts, random_content()).prop_map(|(parts, mut blocks)| {
            blocks.extend(parts.into_iter().flatten());
            blocks
        })
    })
}

fn content() -> impl Strategy<Value = Object> {
    prop_oneof![3 => schema_content(), 1 => random_content()]
}

fn event_type() -> impl Strategy<Value = String> {
    let mut names: Vec<String> = Registry::built_in()
        .event_types()
        .flat_map(|t| t.names().map(|(n, _)| n.to_owned()).collect::<Vec<_>>())
        .collect();
    names.extend(["m.room.message", "org.example.custom", "m.sticker"].map(str::to_owned));
    prop::sample::select(names)
}

fn capabilities() -> impl Strategy<Value = Capabilities> {
    let types: Vec<String> = Registry::built_in()
        .event_types()
        .map(|t| t.name.clone())
        .collect();
    (
        prop::sample::subsequence(types.clone(), 0..=types.len()),
        prop::option::of(prop::sample::subsequence(
            vec![
                "image/*",
                "video/mp4",
                "audio/ogg",
                "text/x-custom",
                "image/png",
            ],
            0..=3,
        )),
        prop::option::of(prop::sample::subsequence(types, 0..=4)),
    )
        .prop_map(|(known, mimetypes, order)| {
            let mut caps = Capabilities::knowing(known);
            if let Some(m) = mimetypes {
                caps = caps.mimetypes(m);
            }
            if let Some(o) = order {
                caps = caps.order(o);
            }
            caps
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

    #[test]
    fn the_renderer_never_panics(
        event_type in event_type(),
        blocks in content(),
        state in prop::bool::weighted(0.15),
        caps in capabilities(),
    ) {
        let mut event = Event::new(event_type, Content::from_object(blocks));
        if state {
            event.set_field("state_key", Value::from(""));
        }
        let registry = Registry::built_in();
        for caps in [caps, Capabilities::everything(&registry), Capabilities::new()] {
            let r = registry.render(&event, &caps);
            match r.outcome {
                Outcome::Rendered => {
                    prop_assert!(r.rendered_as.is_some());
                    prop_assert!(r.attempts.last().is_some_and(|a| a.ruled_out.is_none()));
                }
                Outcome::Unrenderable => {
                    prop_assert!(r.rendered_as.is_none());
                    prop_assert!(r.attempts.iter().all(|a| a.ruled_out.is_some()));
                    prop_assert!(r.text.is_empty() && r.html.is_none());
                }
                Outcome::State => prop_assert!(state || r.rendered_as.is_some()),
                Outcome::Hidden => prop_assert!(r.rendered_as.is_some()),
                _ => {}
            }
            prop_assert!(!r.reason.is_empty());
            if let Some(html) = &r.html {
                let lower = html.to_ascii_lowercase();
                prop_assert!(!lower.contains("<script") && !lower.contains("javascript:"), "{}", html);
            }
            if let Some(poll) = &r.poll {
                prop_assert!(poll.answers.len() <= 20);
            }
            if let Some(waveform) = r.media.as_ref().and_then(|m| m.waveform.as_ref()) {
                prop_assert!(waveform.iter().all(|v| *v <= 256));
            }
            let v = r.to_value();
            for member in ["outcome", "as", "text", "html", "automated"] {
                prop_assert!(v.get(member).is_some(), "{}", member);
            }
        }
    }
}
