//! The timeline: a room's events, in the order a client receives them, folded into the items
//! it shows.
//!
//! [`Timeline::push`] takes plain [`Event`]s (their `event_id`, `sender` and
//! `origin_server_ts` read from their top-level members) and [`Timeline::items`] gives the
//! visible items, each a [`TimelineItem`]:
//!
//! - **messages** rendered ([`crate::render`]) for the timeline's [`Capabilities`], legacy
//!   events and extensible ones alike;
//! - **edits** (`m.replace`, with `m.new_content` or MSC3644's top-level blocks) applied by the
//!   spec's rules: the same sender, the same type, never an edit of an edit, the latest valid
//!   edit by `origin_server_ts` (then event id) wins, the original's relation kept, the `* `
//!   fallback never shown; an encrypted edit of an encrypted event marks it edited;
//! - **reactions** (`m.reaction` annotations) counted on their target, each sender once per key;
//! - **redactions** (`redacts` in the content, room version 11, or at the top level) marking
//!   their target: its content gone, with its edits and reactions; a redacted edit, reaction or
//!   vote no longer counts;
//! - **replies** with their target's id, their plain-text fallback stripped;
//! - **threads**: each event in a thread has its root's id, and the root a summary;
//! - **polls** with their tally ([`PollTally`], MSC3381).
//!
//! Edits, annotations, poll responses and redactions are not items. A relation that arrives
//! before its target waits for it ([`Timeline::pending`]), and everything an item shows is a
//! function of the events received, never of their order, so the items are the same whatever
//! order relations arrive in relative to their targets. An event whose `event_id` was seen
//! already is a duplicate, except that the decrypted form of an `m.room.encrypted` event
//! replaces it. Each event is kept once: memory grows with the number of events.
//!
//! Redactions are applied as sent: the server checked the redacting user's power, and a
//! client without the room's power levels cannot check again. Likewise a poll closes on the
//! first end from its own sender (MSC3381 also allows users with the power to redact).
//!
//! ```
//! use exev_registry::{Capabilities, Registry, Timeline};
//!
//! let events = [
//!     r#"{"type": "m.room.message", "event_id": "$a", "sender": "@alice:example.org", "origin_server_ts": 1,
//!         "content": {"msgtype": "m.text", "body": "Hello wrold"}}"#,
//!     r#"{"type": "m.reaction", "event_id": "$r", "sender": "@bob:example.org", "origin_server_ts": 2,
//!         "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$a", "key": "👍"}}}"#,
//!     r#"{"type": "m.room.message", "event_id": "$e", "sender": "@alice:example.org", "origin_server_ts": 3,
//!         "content": {"msgtype": "m.text", "body": "* Hello world",
//!                     "m.new_content": {"msgtype": "m.text", "body": "Hello world"},
//!                     "m.relates_to": {"rel_type": "m.replace", "event_id": "$a"}}}"#,
//! ];
//! let registry = Registry::built_in();
//! let mut timeline = Timeline::new(Capabilities::everything(&registry), registry);
//! for event in events {
//!     timeline.push(exev_codec::json::from_str(event)?);
//! }
//! let [item] = timeline.items() else { panic!("one item") };
//! assert_eq!(item.rendering.text, "Hello world");
//! assert!(item.edited);
//! assert_eq!(item.reactions["👍"].count(), 1);
//! # Ok::<(), exev_codec::Error>(())
//! ```

mod item;
mod oracle;
mod poll;

use std::collections::{BTreeMap, BTreeSet};

use exev::{Event, PollBlock};

pub use item::{Reaction, ThreadSummary, TimelineItem};
pub use oracle::{
    acts_on_another, check_timeline, check_timeline_bytes, rearranged, room_from_bytes,
};
pub use poll::PollTally;

use crate::render::{REACTION, REDACTION};
use crate::{Capabilities, Outcome, Registry, Rendering};

/// How an event is known to the timeline: by its `event_id`, or, without one, by its place
/// in the order received (it can then be no relation's target).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// Received without an `event_id`: the how-manieth event it was.
    Anonymous(u64),
    /// Its `event_id`.
    Id(String),
}

impl Key {
    fn id(&self) -> Option<&str> {
        match self {
            Key::Id(id) => Some(id),
            Key::Anonymous(_) => None,
        }
    }
}

/// What a relation does to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// An edit (`m.replace`): hidden, applied.
    Edit,
    /// An annotation (`m.annotation`), a reaction when it is `m.reaction`: hidden, counted.
    Annotation,
    /// A poll response (`m.reference` to the poll): hidden, tallied.
    Vote,
    /// A poll end (`m.reference` to the poll): shown, and closes the poll.
    End,
    /// An event in a thread (`m.thread` to the root): shown, and summarised on the root.
    Thread,
    /// A redaction (`redacts`): hidden, removes its target's content.
    Redaction,
}

impl Role {
    /// Whether events of this role are not items.
    fn hidden(self) -> bool {
        matches!(
            self,
            Role::Edit | Role::Annotation | Role::Vote | Role::Redaction
        )
    }
}

/// The relation an event has to another, for the timeline: what it does, to which event,
/// and, for an annotation, its key (read once, when the event arrives).
fn relation(event: &Event) -> Option<(Role, String, Option<String>)> {
    if event.event_type() == REDACTION {
        return Some((Role::Redaction, event.redacts()?.to_owned(), None));
    }
    let rel = event.relates_to()?.ok()?;
    let target = rel.event_id.clone()?;
    let role = if rel.is_replacement() {
        Role::Edit
    } else if rel.is_annotation() {
        Role::Annotation
    } else if rel.is_thread() {
        Role::Thread
    } else if rel.is_reference() && poll::is_response(event) {
        Role::Vote
    } else if rel.is_reference() && poll::is_end(event) {
        Role::End
    } else {
        return None;
    };
    Some((role, target, rel.key))
}

/// What an item's rendering is of: the original as redacted, or with an edit applied.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shown {
    /// The original, redacted.
    Redacted,
    /// The original, with this edit applied (none: as sent).
    Edit(Option<Key>),
}

/// A rendering to fill in.
fn placeholder(event_type: &str) -> Rendering {
    Rendering::new(event_type, Outcome::Hidden)
}

/// One event received.
#[derive(Clone, Debug)]
struct Stored {
    event: Event,
    /// What it does, and to which event.
    relation: Option<(Role, String)>,
    /// An annotation's key.
    key: Option<String>,
}

/// The relations to one event that were not redacted, by what they do.
#[derive(Default)]
struct Related<'t> {
    redactions: Vec<&'t Key>,
    edits: Vec<(&'t Key, &'t Event)>,
    annotations: Vec<&'t Stored>,
    thread: Vec<(&'t Key, &'t Event)>,
    votes: Vec<&'t Event>,
    ends: Vec<&'t Event>,
}

/// What [`Timeline::push`] did with an event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pushed {
    /// It is a new visible item, at this index of [`Timeline::items`].
    Item(usize),
    /// It acts on (or belongs to) the visible item at this index, which was updated.
    Applied(usize),
    /// It acts on an event not received yet: it waits for it.
    Pending {
        /// The event it waits for.
        target: String,
    },
    /// It is neither an item nor a relation to one (it is hidden, or acts on an event that is
    /// no item, such as an edit).
    Hidden,
    /// Its `event_id` was received already: it is ignored.
    Duplicate,
    /// It is the decrypted form of an encrypted event received before, which it replaced.
    Decrypted,
}

/// A room's events folded into the items a client shows (module documentation).
#[derive(Clone, Debug)]
pub struct Timeline {
    capabilities: Capabilities,
    registry: Registry,
    events: BTreeMap<Key, Stored>,
    /// Every relation by the event it names, whether received or not.
    children: BTreeMap<String, BTreeSet<Key>>,
    items: Vec<TimelineItem>,
    /// The event each item shows.
    item_keys: Vec<Key>,
    /// What each item's rendering is of (the edit shown, or the redaction), so that a
    /// reaction or a vote does not render the item again.
    rendered_as: Vec<Option<Shown>>,
    item_index: BTreeMap<Key, usize>,
    received: u64,
}

/// How deep a chain of relations is followed to the items it changes (a redaction of a
/// reaction ends two steps from its item); bounded so that cycles of made-up ids end.
const MAX_RELATION_DEPTH: usize = 4;

impl Timeline {
    /// An empty timeline for a client with `capabilities`, rendering by `registry`.
    pub fn new(capabilities: Capabilities, registry: Registry) -> Timeline {
        Timeline {
            capabilities,
            registry,
            events: BTreeMap::new(),
            children: BTreeMap::new(),
            items: Vec::new(),
            item_keys: Vec::new(),
            rendered_as: Vec::new(),
            item_index: BTreeMap::new(),
            received: 0,
        }
    }

    /// The visible items, in the order their events were received.
    pub fn items(&self) -> &[TimelineItem] {
        &self.items
    }

    /// The item showing the event `event_id`.
    pub fn item(&self, event_id: &str) -> Option<&TimelineItem> {
        self.item_index
            .get(&Key::Id(event_id.to_owned()))
            .and_then(|i| self.items.get(*i))
    }

    /// How many events were received (duplicates aside).
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether no event was received.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How many relations wait for an event not received yet.
    pub fn pending(&self) -> usize {
        self.children
            .iter()
            .filter(|(target, _)| !self.events.contains_key(&Key::Id((*target).clone())))
            .map(|(_, children)| children.len())
            .sum()
    }

    /// Adds the next event of the room, as received, and says what became of it.
    pub fn push(&mut self, event: Event) -> Pushed {
        self.received += 1;
        let key = match event.event_id() {
            Some(id) => Key::Id(id.to_owned()),
            None => Key::Anonymous(self.received),
        };
        let mut decrypted = false;
        if let Some(existing) = self.events.get(&key) {
            let replaces = existing.event.event_type() == "m.room.encrypted"
                && event.event_type() != "m.room.encrypted";
            if !replaces {
                return Pushed::Duplicate;
            }
            self.remove(&key);
            decrypted = true;
        }
        let (relation, key_of_annotation) = match relation(&event) {
            Some((role, target, key)) => (Some((role, target)), key),
            None => (None, None),
        };
        if let Some((_, target)) = &relation {
            self.children
                .entry(target.clone())
                .or_default()
                .insert(key.clone());
        }
        // Not items: what acts on another event, and what the renderer always hides.
        let hidden = relation.as_ref().is_some_and(|(role, _)| role.hidden())
            || event.event_type() == REACTION
            || self
                .registry
                .event_type(event.event_type())
                .is_some_and(|t| t.hidden);
        let stored = Stored {
            event,
            relation,
            key: key_of_annotation,
        };
        let target = stored.relation.as_ref().map(|(_, t)| t.clone());
        let item = (!hidden)
            .then(|| TimelineItem::new(&stored.event, placeholder(stored.event.event_type())));
        self.events.insert(key.clone(), stored);
        let mut result = if decrypted {
            Pushed::Decrypted
        } else {
            Pushed::Hidden
        };
        if let Some(item) = item {
            let index = self.items.len();
            self.items.push(item);
            self.item_keys.push(key.clone());
            self.rendered_as.push(None);
            self.item_index.insert(key.clone(), index);
            self.refresh(index);
            if !decrypted {
                result = Pushed::Item(index);
            }
        }
        if let Some(target) = target {
            let affected = self.items_along(&target);
            for index in &affected {
                self.refresh(*index);
            }
            if matches!(result, Pushed::Hidden) {
                match affected.first() {
                    Some(index) => result = Pushed::Applied(*index),
                    None if !self.events.contains_key(&Key::Id(target.clone())) => {
                        result = Pushed::Pending { target };
                    }
                    None => {}
                }
            }
        }
        result
    }

    /// Takes the event `key` out (to replace it with its decrypted form), with its item.
    fn remove(&mut self, key: &Key) {
        let Some(old) = self.events.remove(key) else {
            return;
        };
        if let Some((_, target)) = &old.relation {
            if let Some(children) = self.children.get_mut(target) {
                children.remove(key);
                if children.is_empty() {
                    self.children.remove(target);
                }
            }
            for index in self.items_along(target) {
                // What the event said may change with its decrypted form: render again.
                if let Some(slot) = self.rendered_as.get_mut(index) {
                    *slot = None;
                }
                self.refresh(index);
            }
        }
        if let Some(index) = self.item_index.remove(key) {
            self.items.remove(index);
            self.item_keys.remove(index);
            self.rendered_as.remove(index);
            for (i, k) in self.item_keys.iter().enumerate().skip(index) {
                self.item_index.insert(k.clone(), i);
            }
        }
    }

    /// The items a relation to `target` changes: `target`'s own, and those it relates to in
    /// turn (a redaction of a thread event changes the thread's root too; one of a reaction,
    /// the item the reaction is on), nearest first.
    fn items_along(&self, target: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut key = Key::Id(target.to_owned());
        for _ in 0..MAX_RELATION_DEPTH {
            if let Some(index) = self.item_index.get(&key)
                && !out.contains(index)
            {
                out.push(*index);
            }
            let Some((_, next)) = self.events.get(&key).and_then(|s| s.relation.as_ref()) else {
                break;
            };
            key = Key::Id(next.clone());
        }
        out
    }

    /// The relations to the event `id` that were not redacted, by what they do, in one pass.
    fn related(&self, id: Option<&str>) -> Related<'_> {
        let mut related = Related::default();
        let Some(children) = id.and_then(|id| self.children.get(id)) else {
            return related;
        };
        for (key, stored) in children
            .iter()
            .filter_map(|k| self.events.get(k).map(|s| (k, s)))
        {
            let Some((role, _)) = &stored.relation else {
                continue;
            };
            if self.is_redacted(key) {
                continue;
            }
            let event = &stored.event;
            match role {
                Role::Redaction => related.redactions.push(key),
                Role::Edit => related.edits.push((key, event)),
                Role::Annotation => related.annotations.push(stored),
                Role::Thread => related.thread.push((key, event)),
                Role::Vote => related.votes.push(event),
                Role::End => related.ends.push(event),
            }
        }
        related
    }

    /// Whether a redaction of `key` was received.
    fn is_redacted(&self, key: &Key) -> bool {
        key.id()
            .and_then(|id| self.children.get(id))
            .is_some_and(|children| {
                children.iter().any(|k| {
                    self.events
                        .get(k)
                        .is_some_and(|s| matches!(s.relation, Some((Role::Redaction, _))))
                })
            })
    }

    /// Recomputes the item at `index` from its event and every relation received for it.
    fn refresh(&mut self, index: usize) {
        let Some(key) = self.item_keys.get(index) else {
            return;
        };
        let Some((mut item, shown_as, changed)) = self.compute(key) else {
            return;
        };
        // A reaction or a vote changes nothing the renderer sees: the rendering stays.
        let same = self.rendered_as.get(index).and_then(Option::as_ref) == Some(&shown_as);
        let fresh = match (same, &changed, self.events.get(key)) {
            (true, _, _) => None,
            (false, Some(shown), _) => {
                Some(crate::render(shown, &self.capabilities, &self.registry))
            }
            (false, None, Some(original)) => Some(crate::render(
                &original.event,
                &self.capabilities,
                &self.registry,
            )),
            (false, None, None) => return,
        };
        item.rendering = match (fresh, self.items.get_mut(index)) {
            (Some(rendering), _) => rendering,
            (None, Some(old)) => {
                std::mem::replace(&mut old.rendering, placeholder(&item.rendering.event_type))
            }
            (None, None) => return,
        };
        if let Some(slot) = self.rendered_as.get_mut(index) {
            *slot = Some(shown_as);
        }
        if let Some(slot) = self.items.get_mut(index) {
            *slot = item;
        }
    }

    /// The item for the event `key` (its rendering still to do), what the rendering is of,
    /// and the event as shown when it is not the original as received (edited, redacted).
    fn compute(&self, key: &Key) -> Option<(TimelineItem, Shown, Option<Event>)> {
        let original = &self.events.get(key)?.event;
        let id = key.id();
        let mut item = TimelineItem::new(original, placeholder(original.event_type()));
        item.thread_root = original
            .relates_to()
            .and_then(Result::ok)
            .and_then(|r| r.thread_root().map(str::to_owned));
        let related = self.related(id);
        if let Some(first) = related.redactions.first() {
            item.redacted = true;
            item.redacted_by = first.id().map(str::to_owned);
            return Some((item, Shown::Redacted, Some(original.redacted())));
        }
        // The latest valid edit, by origin_server_ts then event id (spec).
        let edit = related
            .edits
            .iter()
            .filter_map(|&(k, e)| {
                let replacement = e.replacement()?.ok()?;
                replacement
                    .applies_to(e, original)
                    .is_none()
                    .then_some((k, e, replacement))
            })
            .max_by(|a, b| (a.1.origin_server_ts(), a.0).cmp(&(b.1.origin_server_ts(), b.0)));
        let shown_as = Shown::Edit(edit.as_ref().map(|(k, _, _)| (*k).clone()));
        let edited = edit.as_ref().map(|(k, _, replacement)| {
            item.edited = true;
            item.latest_edit = k.id().map(str::to_owned);
            replacement.apply(original)
        });
        let shown = edited.as_ref().unwrap_or(original);
        item.in_reply_to = shown
            .relates_to()
            .and_then(Result::ok)
            .and_then(|r| r.replying_to().map(str::to_owned));
        for reaction in &related.annotations {
            if reaction.event.event_type() != REACTION {
                continue;
            }
            let (Some(sender), Some(key)) = (reaction.event.sender(), &reaction.key) else {
                continue;
            };
            let senders = &mut item.reactions.entry(key.clone()).or_default().senders;
            if !senders.contains(sender) {
                senders.insert(sender.to_owned());
            }
        }
        let thread = &related.thread;
        if !thread.is_empty() {
            item.thread = Some(ThreadSummary {
                count: thread.len(),
                latest: thread
                    .iter()
                    .max_by(|a, b| {
                        (a.1.origin_server_ts(), a.0).cmp(&(b.1.origin_server_ts(), b.0))
                    })
                    .and_then(|(k, _)| k.id().map(str::to_owned)),
            });
        }
        if let Some(Ok(poll)) = shown.content().get::<PollBlock>() {
            item.poll = Some(PollTally::count(
                &poll,
                original.sender(),
                related.votes.iter().copied(),
                related.ends.iter().copied(),
            ));
        }
        Some((item, shown_as, edited))
    }
}
