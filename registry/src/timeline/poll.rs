//! [`PollTally`]: a poll's votes counted by MSC3381's rules.

use std::collections::BTreeMap;

use exev::{Event, PollBlock, SelectionsBlock, Value, stable_event_type};

use crate::render::{object, uint};

/// A poll's votes counted by MSC3381's rules (\"Poll responses\", \"Poll end\"):
///
/// - each sender's latest response by `origin_server_ts` (then event id) counts, even when it
///   is invalid; responses after the poll closed do not;
/// - a response picks its first `max_selections` answers, duplicates once; an unknown answer
///   among those spoils it (it counts for nothing), and an empty one withdraws the vote;
/// - the first valid end (from the poll's sender) by `origin_server_ts` closes the poll.
///
/// ```
/// use exev::{Event, PollAnswer, PollBlock, TextBlock};
/// use exev_registry::PollTally;
///
/// let poll = PollBlock::new(
///     TextBlock::plain("Lunch?"),
///     vec![PollAnswer::plain("pizza", "Pizza"), PollAnswer::plain("sushi", "Sushi")],
/// );
/// let vote = |sender: &str, ts: i64, answer: &str| {
///     exev_codec::json::from_str(&format!(
///         r#"{{"type": "m.poll.response", "sender": "{sender}", "origin_server_ts": {ts},
///             "content": {{"m.selections": ["{answer}"],
///                          "m.relates_to": {{"rel_type": "m.reference", "event_id": "$poll"}}}}}}"#
///     ))
/// };
/// let votes: Vec<Event> = vec![vote("@a:x", 1, "pizza")?, vote("@b:x", 2, "sushi")?, vote("@a:x", 3, "sushi")?];
/// let tally = PollTally::count(&poll, Some("@a:x"), votes.iter(), std::iter::empty());
/// assert_eq!(tally.votes("sushi"), 2);
/// assert_eq!(tally.votes("pizza"), 0);
/// assert!(!tally.closed);
/// # Ok::<(), exev_codec::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollTally {
    /// Votes by answer identifier, every answer shown (the first 20) included.
    pub answers: BTreeMap<String, u64>,
    /// The answers' identifiers in the poll's order, with their text, for showing.
    pub order: Vec<(String, String)>,
    /// Whether the poll is closed.
    pub closed: bool,
    /// The end event that closed it.
    pub closed_by: Option<String>,
    /// Senders whose vote counts for at least one answer.
    pub voters: u64,
    /// Senders whose latest response is spoiled (an unknown answer, or no valid selections).
    pub spoiled: u64,
}

/// Whether `event` is a poll response (`m.poll.response` or its unstable name).
pub(crate) fn is_response(event: &Event) -> bool {
    stable_event_type(event.event_type()).is_some_and(|(t, _)| t == "m.poll.response")
}

/// Whether `event` is a poll end (`m.poll.end` or its unstable name).
pub(crate) fn is_end(event: &Event) -> bool {
    stable_event_type(event.event_type()).is_some_and(|(t, _)| t == "m.poll.end")
}

/// The order events count in: by `origin_server_ts`, then by event id (the spec's tie-break
/// for edits, used alike here), so that arrival order never matters.
fn when(event: &Event) -> (Option<i64>, Option<&str>) {
    (event.origin_server_ts(), event.event_id())
}

impl PollTally {
    /// Counts `responses` to `poll` (started by `poll_sender`), closed by the first of `ends`
    /// from the poll's sender.
    pub fn count<'e>(
        poll: &PollBlock,
        poll_sender: Option<&str>,
        responses: impl Iterator<Item = &'e Event>,
        ends: impl Iterator<Item = &'e Event>,
    ) -> PollTally {
        let end = ends
            .filter(|e| e.sender().is_some() && e.sender() == poll_sender)
            .min_by(|a, b| when(a).cmp(&when(b)));
        let closes_at = end.map(Event::origin_server_ts);
        let mut latest: BTreeMap<&str, &Event> = BTreeMap::new();
        for response in responses {
            let Some(sender) = response.sender() else {
                continue;
            };
            // Votes after the poll closed do not count.
            if let Some(close) = closes_at
                && response.origin_server_ts() > close
            {
                continue;
            }
            let newer = latest
                .get(sender)
                .is_none_or(|seen| when(response) > when(seen));
            if newer {
                latest.insert(sender, response);
            }
        }
        let shown = poll.answers_for_display();
        let mut tally = PollTally {
            answers: shown.iter().map(|a| (a.id.clone(), 0)).collect(),
            order: shown
                .iter()
                .map(|a| {
                    let text = a
                        .text
                        .plain_text()
                        .or_else(|| a.text.representations.first().map(|r| r.body.as_str()))
                        .unwrap_or(a.id.as_str());
                    (a.id.clone(), text.to_owned())
                })
                .collect(),
            closed: end.is_some(),
            closed_by: end.and_then(Event::event_id).map(str::to_owned),
            voters: 0,
            spoiled: 0,
        };
        for response in latest.values() {
            let vote = response
                .content()
                .get::<SelectionsBlock>()
                .and_then(Result::ok)
                .and_then(|s| {
                    s.vote_for(poll)
                        .map(|ids| ids.into_iter().map(str::to_owned).collect::<Vec<_>>())
                });
            match vote {
                None => tally.spoiled += 1,
                Some(ids) if ids.is_empty() => {}
                Some(ids) => {
                    tally.voters += 1;
                    for id in ids {
                        if let Some(n) = tally.answers.get_mut(&id) {
                            *n += 1;
                        }
                    }
                }
            }
        }
        tally
    }

    /// The votes for the answer `id`.
    pub fn votes(&self, id: &str) -> u64 {
        self.answers.get(id).copied().unwrap_or(0)
    }

    /// The answers with the most votes (none when nobody voted), in the poll's order.
    pub fn top_answers(&self) -> Vec<&str> {
        let most = self.answers.values().copied().max().unwrap_or(0);
        if most == 0 {
            return Vec::new();
        }
        self.order
            .iter()
            .filter(|(id, _)| self.votes(id) == most)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The results as text, one answer a line in the poll's order, then whether it is
    /// closed and its top answer:
    ///
    /// ```text
    /// Pizza 🍕: 1 vote
    /// Poutine 🍟: 2 votes
    /// Closed. Top answer: Poutine 🍟
    /// ```
    pub fn results_text(&self) -> String {
        let mut out = String::new();
        for (id, text) in &self.order {
            let n = self.votes(id);
            let unit = if n == 1 { "vote" } else { "votes" };
            out.push_str(&format!("{text}: {n} {unit}\n"));
        }
        let top: Vec<&str> = self
            .top_answers()
            .into_iter()
            .filter_map(|id| self.order.iter().find(|(i, _)| i == id))
            .map(|(_, text)| text.as_str())
            .collect();
        out.push_str(if self.closed { "Closed." } else { "Open." });
        match top.as_slice() {
            [] => out.push_str(" No votes."),
            [one] => out.push_str(&format!(" Top answer: {one}")),
            many => out.push_str(&format!(" Top answers: {}", many.join(", "))),
        }
        out
    }

    /// The tally as JSON: `answers` (`{id: votes}`), `closed`, and `closed_by`, `voters`,
    /// `spoiled`, `text` (the results text).
    pub fn to_value(&self) -> Value {
        object([
            (
                "answers",
                self.answers
                    .iter()
                    .map(|(id, n)| (id.clone(), uint(*n)))
                    .collect(),
            ),
            ("closed", Value::Bool(self.closed)),
            (
                "closed_by",
                self.closed_by.as_deref().map_or(Value::Null, Value::from),
            ),
            ("voters", uint(self.voters)),
            ("spoiled", uint(self.spoiled)),
            ("text", Value::from(self.results_text())),
        ])
    }
}
