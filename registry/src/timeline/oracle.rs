//! [`check_timeline`]: what must hold of any timeline, for property tests and fuzzers.

use exev::Event;
use exev::generate::Generator;

use super::{Pushed, Timeline};
use crate::{Capabilities, Registry};

/// Whether `event` acts on another without being shown (an edit, a reaction, a redaction, a
/// vote): what may arrive in any order relative to its target.
pub fn acts_on_another(event: &Event) -> bool {
    matches!(
        event.event_type(),
        "m.reaction" | "m.room.redaction" | "m.poll.response"
    ) || event
        .relates_to()
        .and_then(Result::ok)
        .is_some_and(|r| r.is_replacement() || r.is_annotation())
}

/// `events` with the ones that act on another moved, each to the position the next byte of
/// `moves` picks (before its target, often); the others keep their order.
pub fn rearranged(events: &[Event], moves: &[u8]) -> Vec<Event> {
    let (mut out, relations): (Vec<Event>, Vec<Event>) =
        events.iter().cloned().partition(|e| !acts_on_another(e));
    for (i, relation) in relations.into_iter().enumerate() {
        let pick = moves.get(i).map_or(0, |b| usize::from(*b));
        let at = pick % (out.len() + 1);
        out.insert(at, relation);
    }
    out
}

/// Folds `events` (whose `event_id`s are unique) as received and as [`rearranged`] by
/// `moves`, for two clients, and checks what must hold of any timeline: the same items either
/// way; no item for an event that acts on another; one item at most per event; each item's
/// JSON with the members `exev timeline` promises; and the same events pushed again are
/// duplicates that change nothing. `Err` says what did not hold.
///
/// ```
/// use exev::generate::Generator;
///
/// let room = Generator::new(b"a room with edits and reactions").room();
/// assert_eq!(exev_registry::check_timeline(&room, b"\x00\x01\x02"), Ok(()));
/// ```
///
/// # Errors
///
/// A sentence saying what did not hold.
pub fn check_timeline(events: &[Event], moves: &[u8]) -> Result<(), String> {
    let registry = Registry::built_in();
    let clients = [
        Capabilities::everything(&registry),
        Capabilities::knowing(["m.message"]),
    ];
    let moved = rearranged(events, moves);
    for caps in clients {
        let mut in_order = Timeline::new(caps.clone(), registry.clone());
        for e in events {
            in_order.push(e.clone());
        }
        let mut other = Timeline::new(caps, registry.clone());
        for e in &moved {
            other.push(e.clone());
        }
        if in_order.items() != other.items() {
            return Err("the items depend on the order relations arrived in".to_owned());
        }
        if in_order.pending() != other.pending() {
            return Err("what waits depends on the order relations arrived in".to_owned());
        }
        if in_order.items().len() > events.len() {
            return Err("more items than events".to_owned());
        }
        for item in in_order.items() {
            let shown = events
                .iter()
                .find(|e| e.event_id().is_some() && e.event_id() == item.event_id.as_deref());
            if shown.is_some_and(acts_on_another) {
                return Err(format!(
                    "{:?} acts on another event, yet is an item",
                    item.event_id
                ));
            }
            let value = item.to_value();
            for key in [
                "event_id",
                "sender",
                "outcome",
                "as",
                "text",
                "html",
                "edited",
                "reactions",
                "redacted",
                "in_reply_to",
                "thread_root",
                "poll",
            ] {
                if value.get(key).is_none() {
                    return Err(format!("an item's JSON lacks {key}"));
                }
            }
        }
        let before = in_order.items().to_vec();
        for e in events.iter().filter(|e| e.event_id().is_some()) {
            if in_order.push(e.clone()) != Pushed::Duplicate {
                return Err(format!(
                    "{:?} pushed again is not a duplicate",
                    e.event_id()
                ));
            }
        }
        if in_order.items() != before.as_slice() {
            return Err("duplicates changed the items".to_owned());
        }
    }
    Ok(())
}

/// The room `data` makes, as the fuzz target reads it: the first three quarters of `data`
/// generate a room ([`Generator::room`]) and up to four arbitrary events after it
/// ([`Generator::event`], given ids of their own); the rest says where its relations move
/// ([`rearranged`]).
pub fn room_from_bytes(data: &[u8]) -> (Vec<Event>, &[u8]) {
    let split = data.len() / 4 * 3;
    let (room_bytes, moves) = data.split_at(split);
    let mut generator = Generator::new(room_bytes);
    let mut events = generator.room();
    for i in 0..usize::from(room_bytes.first().copied().unwrap_or(0) % 5) {
        let mut extra = generator.event();
        if extra.event_id().is_some() {
            extra.set_field("event_id", exev::Value::from(format!("$x{i}")));
        }
        events.push(extra);
    }
    (events, moves)
}

/// [`check_timeline`] on the room `data` makes ([`room_from_bytes`]): the fuzz target, and
/// the test that replays its inputs.
///
/// # Errors
///
/// As [`check_timeline`].
pub fn check_timeline_bytes(data: &[u8]) -> Result<(), String> {
    let (events, moves) = room_from_bytes(data);
    check_timeline(&events, moves)
}
