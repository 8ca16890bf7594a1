//! Naming profiles: rewrite an event's built-in names to their stable or unstable forms.
//!
//! Decoding keeps the names an event was sent with; a naming profile is how a caller asks for
//! one naming instead, for example to send into a room version that only accepts unstable
//! identifiers (MSC1767 §"Unstable prefixes"), or to store every event under stable names.

use crate::blocks::{AnyBlock, Block, PollBlock, SelectionsBlock};
use crate::{Event, KnownBlock, NameStatus, Value, stable_event_type};

/// Which names to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NamingProfile {
    /// The names as sent (no change).
    #[default]
    Keep,
    /// Stable `m.*` names, converting unstable and obsolete shapes (the string form of
    /// `org.matrix.msc1767.text`, the unstable poll, the v1 audio block) to the stable one.
    Stable,
    /// What deployed clients read: unstable names where the block has one of the same shape
    /// as the stable block (`org.matrix.msc1767.*`, `org.matrix.msc3488.*`,
    /// `org.matrix.msc3765.topic`); polls in MSC3381's unstable shape
    /// (`org.matrix.msc3381.poll.*`, string texts, `id`), when every text is plain; and voice
    /// messages as MSC3245 v1 sends them (`m.room.message` with `msgtype` `m.audio`, the voice
    /// marker, `org.matrix.msc1767.audio` in milliseconds, and the unstable text and file).
    /// Blocks with no unstable name keep theirs.
    Unstable,
}

/// Whether the unstable name of the built-in event type `stable` (from the model's one name
/// table) carries the same blocks as the stable one: every type but the polls, whose unstable
/// events carry MSC3381's unstable poll blocks of another shape.
fn same_shape_event_type(stable: &str) -> bool {
    !stable.starts_with("m.poll.")
}

/// Blocks whose preferred unstable name carries the stable shape.
fn same_shape_unstable(block: KnownBlock) -> Option<&'static str> {
    match block {
        KnownBlock::Poll | KnownBlock::Selections => None,
        other => other.unstable_name(),
    }
}

impl NamingProfile {
    /// Rewrites `event` in place. Nothing is dropped: a block is only moved to a name that is
    /// free, and a block that does not read typed (malformed) keeps its name and value.
    pub fn apply(self, event: &mut Event) {
        match self {
            NamingProfile::Keep => {}
            NamingProfile::Stable => to_stable(event),
            NamingProfile::Unstable => to_unstable(event),
        }
    }
}

fn to_stable(event: &mut Event) {
    if let Some((stable, NameStatus::Unstable)) = stable_event_type(event.event_type()) {
        event.set_event_type(stable);
    }
    for block in KnownBlock::ALL {
        // Only the name typed reading uses moves; other names of the block stay as they are.
        let content = event.content_mut();
        let Some((name, status, value)) = content.find(block) else {
            continue;
        };
        if status == NameStatus::Stable {
            continue;
        }
        let name = name.to_owned();
        let converted = match block {
            // The v1 string pair (plain + html) becomes one array, html first.
            KnownBlock::Text => content.text().and_then(Result::ok).map(|t| t.to_value()),
            _ => AnyBlock::read(block, &name, value)
                .ok()
                .map(|b| b.to_value()),
        };
        let Some(converted) = converted else {
            continue;
        };
        let folded_html = name == "org.matrix.msc1767.text"
            && value.as_str().is_some()
            && content
                .get_raw("org.matrix.msc1767.html")
                .is_some_and(|h| h.as_str().is_some());
        content.remove(&name);
        if folded_html {
            content.remove("org.matrix.msc1767.html");
        }
        content.insert_raw(block.stable_name(), converted);
    }
}

fn to_unstable(event: &mut Event) {
    match stable_event_type(event.event_type()) {
        // A poll goes unstable whole or not at all: a mix is what no reader expects.
        Some(("m.poll.start" | "m.poll.response" | "m.poll.end", NameStatus::Stable)) => {
            unstable_poll_event(event);
            return;
        }
        Some(("m.voice", _)) => {
            v1_voice(event);
            return;
        }
        _ => {}
    }
    if let Some((stable, NameStatus::Stable)) = stable_event_type(event.event_type())
        && same_shape_event_type(stable)
        && let Some(unstable) = crate::name::unstable_event_type(stable)
    {
        event.set_event_type(unstable);
    }
    let names: Vec<String> = event.content().as_object().keys().cloned().collect();
    for name in names {
        let Some((block, NameStatus::Stable)) = KnownBlock::from_name(&name) else {
            continue;
        };
        let Some(unstable) = same_shape_unstable(block) else {
            continue;
        };
        let content = event.content_mut();
        if content.get_raw(unstable).is_some() {
            continue;
        }
        if let Some(mut value) = content.remove(&name) {
            rename_nested_to_unstable(block, &mut value);
            content.insert_raw(unstable, value);
        }
    }
}

/// A poll event (start, response, end) in MSC3381's unstable shape, as clients deployed it:
/// left as it is when a text has more than one plain representation.
fn unstable_poll_event(event: &mut Event) {
    let Some((stable, _)) = stable_event_type(event.event_type()) else {
        return;
    };
    let content = event.content();
    // The fallback text, as the unstable string.
    let text = match content.find(KnownBlock::Text) {
        Some(("m.text", _, _)) => match content.text().and_then(Result::ok) {
            Some(t) => match t.as_plain_string() {
                Some(s) => Some(s.to_owned()),
                None => return,
            },
            None => return,
        },
        _ => None,
    };
    let mut moves: Vec<(&str, &'static str, Value)> = Vec::new();
    match stable {
        "m.poll.start" => {
            let Some(Ok(poll)) = content.get::<PollBlock>() else {
                return;
            };
            let Some(value) = poll.unstable_value() else {
                return;
            };
            moves.push(("m.poll", "org.matrix.msc3381.poll.start", value));
        }
        "m.poll.response" => {
            let Some(Ok(selections)) = content.get::<SelectionsBlock>() else {
                return;
            };
            moves.push((
                "m.selections",
                "org.matrix.msc3381.poll.response",
                selections.unstable_value(),
            ));
        }
        _ => {}
    }
    if let Some(t) = text {
        moves.push(("m.text", "org.matrix.msc1767.text", Value::from(t)));
    }
    let free = moves
        .iter()
        .all(|(_, to, _)| event.content().get_raw(to).is_none());
    if !free {
        return;
    }
    let content = event.content_mut();
    for (from, to, value) in moves {
        content.remove(from);
        content.insert_raw(to, value);
    }
    if stable == "m.poll.end" {
        // The unstable end carries its marker (MSC3381).
        content
            .as_object_mut()
            .entry("org.matrix.msc3381.poll.end".to_owned())
            .or_insert_with(|| Value::Object(crate::Object::new()));
    }
    if let Some(unstable) = crate::name::unstable_event_type(stable) {
        event.set_event_type(unstable);
    }
}

/// A voice message as MSC3245 v1 sends it and deployed clients read it: its legacy form
/// ([`crate::legacy::to_legacy`]) with the unstable text and file blocks beside.
fn v1_voice(event: &mut Event) {
    let content = event.content();
    let text = content
        .text()
        .and_then(Result::ok)
        .and_then(|t| t.plain_text().map(str::to_owned));
    let file = content
        .get::<crate::FileBlock>()
        .and_then(Result::ok)
        .map(|f| f.to_value());
    let Ok(mut legacy) = crate::legacy::to_legacy(event) else {
        return;
    };
    let content = legacy.content_mut();
    if let Some(t) = text {
        content.insert_raw("org.matrix.msc1767.text", Value::from(t));
    }
    if let Some(f) = file {
        content.insert_raw("org.matrix.msc1767.file", f);
    }
    *event = legacy;
}

/// Moves the blocks nested in a wrapper block to their unstable names too, as unstable senders
/// write them (`org.matrix.msc1767.caption` holds `org.matrix.msc1767.text`).
fn rename_nested_to_unstable(block: KnownBlock, value: &mut Value) {
    let nested: &[KnownBlock] = match block {
        KnownBlock::Caption | KnownBlock::AltText | KnownBlock::Topic => &[KnownBlock::Text],
        KnownBlock::Thumbnail => &[KnownBlock::File, KnownBlock::ImageDetails],
        _ => return,
    };
    let rename = |object: &mut crate::Object| {
        for inner in nested {
            if let Some(unstable) = inner.unstable_name()
                && !object.contains_key(unstable)
                && let Some(v) = object.remove(inner.stable_name())
            {
                object.insert(unstable.to_owned(), v);
            }
        }
    };
    match value {
        Value::Object(object) => rename(object),
        Value::Array(entries) => entries
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(rename),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Content;
    use crate::blocks::{PollBlock, TextBlock};

    fn event(event_type: &str, blocks: &[(&str, Value)]) -> Event {
        let object = blocks
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        Event::new(event_type, Content::from_object(object))
    }

    fn text(body: &str) -> Value {
        TextBlock::plain(body).to_value()
    }

    #[test]
    fn stable_profile_converts_shapes() {
        let mut e = event(
            "org.matrix.msc1767.message",
            &[
                ("org.matrix.msc1767.text", "hi".into()),
                ("org.matrix.msc1767.html", "<b>hi</b>".into()),
                ("org.matrix.msc1767.automated", Value::Bool(true)),
                ("org.example.custom", Value::from(1)),
            ],
        );
        NamingProfile::Stable.apply(&mut e);
        assert_eq!(e.event_type(), "m.message");
        let keys: Vec<&str> = e.content().as_object().keys().map(String::as_str).collect();
        assert_eq!(keys, ["m.automated", "m.text", "org.example.custom"]);
        let t = e.content().text().unwrap().unwrap();
        assert_eq!((t.html(), t.plain_text()), (Some("<b>hi</b>"), Some("hi")));
    }

    #[test]
    fn nothing_is_dropped() {
        // Both names present: the unstable one stays. A malformed block keeps its name.
        let mut e = event(
            "m.message",
            &[
                ("m.text", text("a")),
                ("org.matrix.msc1767.text", text("b")),
                ("org.matrix.msc1767.file", Value::from(3)),
            ],
        );
        let before = e.content().len();
        NamingProfile::Stable.apply(&mut e);
        assert_eq!(e.content().len(), before);
        assert!(e.content().get_raw("org.matrix.msc1767.file").is_some());
        assert!(e.content().get_raw("org.matrix.msc1767.text").is_some());
    }

    #[test]
    fn unstable_profile_renames_same_shape_blocks_only() {
        let mut e = event(
            "m.image",
            &[
                ("m.text", text("a")),
                ("m.poll", Value::Object(crate::Object::new())),
                ("m.mentions", Value::Object(crate::Object::new())),
            ],
        );
        e.content_mut().insert_raw(
            "m.caption",
            [("m.text".to_owned(), text("c"))].into_iter().collect(),
        );
        NamingProfile::Unstable.apply(&mut e);
        assert_eq!(e.event_type(), "org.matrix.msc1767.image");
        let caption = e
            .content_mut()
            .remove("org.matrix.msc1767.caption")
            .unwrap();
        assert!(caption.get("org.matrix.msc1767.text").is_some());
        let keys: Vec<&str> = e.content().as_object().keys().map(String::as_str).collect();
        assert_eq!(keys, ["m.mentions", "m.poll", "org.matrix.msc1767.text"]);
        // And back.
        NamingProfile::Stable.apply(&mut e);
        assert_eq!(e.event_type(), "m.image");
        assert!(e.content().get_raw("m.text").is_some());
    }

    #[test]
    fn unstable_profile_writes_polls_and_voice_as_deployed() {
        use crate::blocks::testing::json;
        let v13 = Event::from_value(json(
            r#"{"type": "m.poll.start", "sender": "@alice:example.org", "content": {
                "m.text": [{"mimetype": "text/plain", "body": "Lunch?\n1. Pizza"}],
                "m.poll": {"kind": "m.disclosed", "max_selections": 1,
                    "question": {"m.text": [{"body": "Lunch?"}]},
                    "answers": [{"m.id": "pizza", "m.text": [{"body": "Pizza"}]}]}}}"#,
        ))
        .unwrap();
        let mut unstable = v13.clone();
        NamingProfile::Unstable.apply(&mut unstable);
        let expected = Event::from_value(json(
            r#"{"type": "org.matrix.msc3381.poll.start", "sender": "@alice:example.org", "content": {
                "org.matrix.msc1767.text": "Lunch?\n1. Pizza",
                "org.matrix.msc3381.poll.start": {"kind": "org.matrix.msc3381.poll.disclosed",
                    "max_selections": 1, "question": {"org.matrix.msc1767.text": "Lunch?"},
                    "answers": [{"id": "pizza", "org.matrix.msc1767.text": "Pizza"}]}}}"#,
        ))
        .unwrap();
        assert_eq!(unstable, expected);
        assert_eq!(
            unstable.content().get::<PollBlock>(),
            v13.content().get::<PollBlock>(),
            "the same typed poll"
        );
        // HTML a string cannot say: the poll keeps its stable shape.
        let mut rich = v13.clone();
        rich.content_mut()
            .set(&TextBlock::plain("Lunch?").with_html("<b>Lunch?</b>"));
        let before = rich.clone();
        NamingProfile::Unstable.apply(&mut rich);
        assert_eq!(rich, before);
        // A vote and an end.
        let mut vote = Event::from_value(json(
            r#"{"type": "m.poll.response", "content": {"m.selections": ["pizza"],
                "m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}}}"#,
        ))
        .unwrap();
        NamingProfile::Unstable.apply(&mut vote);
        assert_eq!(vote.event_type(), "org.matrix.msc3381.poll.response");
        assert_eq!(
            vote.content().get_raw("org.matrix.msc3381.poll.response"),
            Some(&json(r#"{"answers": ["pizza"]}"#))
        );
        let mut end = Event::from_value(json(
            r#"{"type": "m.poll.end", "content": {"m.text": [{"body": "Closed"}],
                "m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}}}"#,
        ))
        .unwrap();
        NamingProfile::Unstable.apply(&mut end);
        assert_eq!(end.event_type(), "org.matrix.msc3381.poll.end");
        assert!(
            end.content()
                .get_raw("org.matrix.msc3381.poll.end")
                .is_some()
        );
        assert_eq!(
            end.content().get_raw("org.matrix.msc1767.text"),
            Some(&Value::from("Closed"))
        );

        // MSC3245's voice message, as v1 clients send it (V32's shape).
        let mut voice = Event::from_value(json(
            r#"{"type": "m.voice", "content": {"m.text": [{"body": "Voice message"}],
                "m.file": {"url": "mxc://example.org/abcdef", "name": "Voice message.ogg",
                           "mimetype": "audio/ogg", "size": 7992},
                "m.audio_details": {"duration": 7, "waveform": [0, 128, 256]}}}"#,
        ))
        .unwrap();
        NamingProfile::Unstable.apply(&mut voice);
        let v32 = Event::from_value(json(
            r#"{"type": "m.room.message", "content": {
                "body": "Voice message.ogg", "msgtype": "m.audio", "url": "mxc://example.org/abcdef",
                "info": {"duration": 7000, "mimetype": "audio/ogg", "size": 7992},
                "org.matrix.msc1767.text": "Voice message",
                "org.matrix.msc1767.file": {"size": 7992, "name": "Voice message.ogg",
                    "url": "mxc://example.org/abcdef", "mimetype": "audio/ogg"},
                "org.matrix.msc1767.audio": {"duration": 7000, "waveform": [0, 512, 1024]},
                "org.matrix.msc3245.voice": {}}}"#,
        ))
        .unwrap();
        assert_eq!(voice, v32);
    }

    #[test]
    fn unstable_poll_becomes_stable() {
        let poll: Value = [
            (
                "question".to_owned(),
                [("org.matrix.msc1767.text".to_owned(), Value::from("Q?"))]
                    .into_iter()
                    .collect(),
            ),
            (
                "answers".to_owned(),
                Value::Array(vec![
                    [
                        ("id".to_owned(), Value::from("a")),
                        ("org.matrix.msc1767.text".to_owned(), Value::from("A")),
                    ]
                    .into_iter()
                    .collect(),
                ]),
            ),
        ]
        .into_iter()
        .collect();
        let mut e = event(
            "org.matrix.msc3381.poll.start",
            &[("org.matrix.msc3381.poll.start", poll)],
        );
        NamingProfile::Stable.apply(&mut e);
        assert_eq!(e.event_type(), "m.poll.start");
        let p: PollBlock = e.content().get().unwrap().unwrap();
        assert_eq!(p.answers[0].id, "a");
        assert!(
            e.content()
                .get_raw("m.poll")
                .and_then(|v| v.get("answers"))
                .is_some()
        );
    }
}
