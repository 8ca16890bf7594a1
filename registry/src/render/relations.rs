//! Events that act on another rather than show on their own: edits, annotations (reactions)
//! and redactions. The renderer hides them and says what they do; a `Timeline` applies them.

use exev::{Content, Event, ReplacementForm};

use super::rendering::{Outcome, Relation, Rendering};
use crate::{Capabilities, Registry};

/// The event type of reactions (spec, "Event annotations and reactions").
pub(crate) const REACTION: &str = "m.reaction";

/// The event type of redactions.
pub(crate) const REDACTION: &str = "m.room.redaction";

/// The rendering of `event` if it acts on another event: hidden, with what it does, and for
/// an edit the rendering of its new content.
pub(super) fn acting_on_another(
    event: &Event,
    capabilities: &Capabilities,
    registry: &Registry,
) -> Option<Rendering> {
    let sent = event.event_type();
    let hidden = |reason: String| {
        let mut r = Rendering::new(sent, Outcome::Hidden);
        r.rendered_as = Some(sent.to_owned());
        r.reason = reason;
        r
    };
    if sent == REDACTION {
        let target = event.redacts().unwrap_or("no event (it names none)");
        return Some(hidden(format!(
            "a redaction of {target}: a timeline removes its target's content"
        )));
    }
    let relation = event.relates_to().and_then(Result::ok);
    if let Some(rel) = relation.as_ref().filter(|r| r.is_annotation()) {
        let mut r = hidden(format!(
            "an annotation {} of {}: a timeline counts it on its target",
            rel.key
                .as_deref()
                .map_or_else(|| "without key".to_owned(), |k| format!("{k:?}")),
            rel.event_id.as_deref().unwrap_or_default()
        ));
        r.relation = Some(relation_view(rel));
        return Some(r);
    }
    if sent == REACTION {
        return Some(hidden(
            "a reaction without a valid m.annotation relation: it annotates nothing".to_owned(),
        ));
    }
    // A relation that does not read acts on nothing: the event renders as it is, and says so.
    if !relation
        .as_ref()
        .is_some_and(exev::RelatesToBlock::is_replacement)
    {
        return None;
    }
    let replacement = event.replacement()?;
    let mut r = match replacement {
        Err(e) => hidden(format!("an edit that cannot apply: {e}")),
        Ok(edit) if edit.form == ReplacementForm::Encrypted => hidden(format!(
            "an encrypted edit of {}: it applies once decrypted",
            edit.target
        )),
        Ok(edit) => {
            let mut shown = event.clone();
            *shown.content_mut() = Content::from_object(edit.new_content.as_object().clone());
            let mut r = hidden(format!(
                "an edit of {}: a timeline shows its new content in place of the original's",
                edit.target
            ));
            r.new_content = Some(Box::new(super::render(&shown, capabilities, registry)));
            r
        }
    };
    r.relation = relation.as_ref().map(relation_view);
    Some(r)
}

/// What the rendering says of a relation.
pub(super) fn relation_view(rel: &exev::RelatesToBlock) -> Relation {
    Relation {
        rel_type: rel.rel_type.clone(),
        event_id: rel.event_id.clone(),
        reply_to: rel.replying_to().map(str::to_owned),
        key: rel.key.clone(),
        is_falling_back: rel.is_falling_back == Some(true),
    }
}
