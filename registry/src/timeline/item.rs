//! [`TimelineItem`]: one visible event of a room, with what its relations did to it.

use std::collections::{BTreeMap, BTreeSet};

use exev::Value;

use super::PollTally;
use crate::Rendering;
use crate::render::{object, opt_str, uint};

/// The reactions of one key on an item: who reacted (each sender once, as the spec says
/// identical annotations from one sender count once).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reaction {
    /// The senders, sorted.
    pub senders: BTreeSet<String>,
}

impl Reaction {
    /// How many senders reacted with this key.
    pub fn count(&self) -> usize {
        self.senders.len()
    }
}

/// What a thread root shows of its thread.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ThreadSummary {
    /// How many events are in the thread (redacted ones aside).
    pub count: usize,
    /// The latest of them by `origin_server_ts`, then event id.
    pub latest: Option<String>,
}

/// One visible event of a room as a [`crate::Timeline`] shows it: rendered, with its latest
/// valid edit applied, its reactions counted, redaction marked, reply and thread noted, and,
/// for a poll, its tally.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimelineItem {
    /// The event's `event_id`.
    pub event_id: Option<String>,
    /// Its `sender`.
    pub sender: Option<String>,
    /// Its `origin_server_ts`.
    pub origin_server_ts: Option<i64>,
    /// How it renders: as its latest valid edit leaves it, or as redacted.
    pub rendering: Rendering,
    /// Whether a valid edit was applied.
    pub edited: bool,
    /// The edit shown, when one was applied.
    pub latest_edit: Option<String>,
    /// Its reactions (`m.reaction` annotations) by key.
    pub reactions: BTreeMap<String, Reaction>,
    /// Whether it was redacted: its content is gone, and its edits and reactions with it.
    pub redacted: bool,
    /// The redaction that removed it (the first by id, when there are several).
    pub redacted_by: Option<String>,
    /// The event it replies to (a thread's fallback reply for clients without threads is not a
    /// reply).
    pub in_reply_to: Option<String>,
    /// The thread it belongs to, by its root's id.
    pub thread_root: Option<String>,
    /// For a thread root: its thread.
    pub thread: Option<ThreadSummary>,
    /// For a poll: its tally.
    pub poll: Option<PollTally>,
}

impl TimelineItem {
    /// An item for an event rendered as `rendering`, with nothing applied yet.
    pub(crate) fn new(event: &exev::Event, rendering: Rendering) -> TimelineItem {
        TimelineItem {
            event_id: event.event_id().map(str::to_owned),
            sender: event.sender().map(str::to_owned),
            origin_server_ts: event.origin_server_ts(),
            rendering,
            edited: false,
            latest_edit: None,
            reactions: BTreeMap::new(),
            redacted: false,
            redacted_by: None,
            in_reply_to: None,
            thread_root: None,
            thread: None,
            poll: None,
        }
    }

    /// The item as one JSON object: `event_id`, `sender`, `outcome`, `as`, `text`, `html`,
    /// `edited`, `reactions` (`{key: count}`), `redacted`, `in_reply_to`, `thread_root`,
    /// `poll` (`null`, or `{"answers": {id: votes}, "closed": ...}`), the members `exev
    /// timeline --format json` promises, then `origin_server_ts`, `automated`,
    /// `latest_edit`, `reactors` (`{key: [senders]}`), `redacted_by`, `thread`
    /// (`{"count", "latest"}` for a thread root) and `rendering` (the whole [`Rendering`]).
    pub fn to_value(&self) -> Value {
        let r = &self.rendering;
        let mut o = exev::Object::new();
        let mut put = |k: &str, v: Value| {
            o.insert(k.to_owned(), v);
        };
        put("event_id", opt_str(self.event_id.as_deref()));
        put("sender", opt_str(self.sender.as_deref()));
        put("outcome", r.outcome.as_str().into());
        put("as", opt_str(r.rendered_as.as_deref()));
        put("text", r.text.as_str().into());
        put("html", opt_str(r.html.as_deref()));
        put("edited", Value::Bool(self.edited));
        put(
            "reactions",
            self.reactions
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        uint(u64::try_from(v.count()).unwrap_or(u64::MAX)),
                    )
                })
                .collect(),
        );
        put("redacted", Value::Bool(self.redacted));
        put("in_reply_to", opt_str(self.in_reply_to.as_deref()));
        put("thread_root", opt_str(self.thread_root.as_deref()));
        put(
            "poll",
            self.poll.as_ref().map_or(Value::Null, PollTally::to_value),
        );
        put(
            "origin_server_ts",
            self.origin_server_ts.map_or(Value::Null, Value::Integer),
        );
        put("automated", Value::Bool(r.automated));
        put("latest_edit", opt_str(self.latest_edit.as_deref()));
        put(
            "reactors",
            self.reactions
                .iter()
                .map(|(k, v)| {
                    let senders: Value =
                        v.senders.iter().map(|s| Value::from(s.as_str())).collect();
                    (k.clone(), senders)
                })
                .collect(),
        );
        put("redacted_by", opt_str(self.redacted_by.as_deref()));
        put(
            "thread",
            self.thread.as_ref().map_or(Value::Null, |t| {
                object([
                    ("count", uint(u64::try_from(t.count).unwrap_or(u64::MAX))),
                    ("latest", opt_str(t.latest.as_deref())),
                ])
            }),
        );
        put("rendering", r.to_value());
        Value::Object(o)
    }
}
