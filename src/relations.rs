//! Relations between events as the spec defines them: what an edit replaces the content of its
//! original with ([`Replacement`], [`Event::replacement`]), what a redaction removes
//! ([`Event::redacts`], [`Event::redacted`]), and the typed `m.relates_to` of an event
//! ([`Event::relates_to`]).
//!
//! These are the rules of one event; folding a room's events into what a client shows (edits
//! applied, reactions counted, redactions marked) is `exev-registry`'s `Timeline`.

use crate::{BlockError, BlockErrorKind, Content, Event, Object, Path, RelatesToBlock};

/// The content key of an edit's new content (spec, "Event replacements").
pub const NEW_CONTENT: &str = "m.new_content";

/// Where an edit carries its new content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReplacementForm {
    /// In `m.new_content`, as the spec has it (and as MSC3644 says unstable implementations
    /// should still prefer when it is present).
    NewContent,
    /// In the edit's own top-level blocks, with no `m.new_content`: MSC3644's form for
    /// extensible events. Legacy `m.room.message` edits must use `m.new_content`.
    TopLevel,
    /// Inside the ciphertext of an `m.room.encrypted` edit: the relation is in the clear, the
    /// new content is not (spec, "Editing encrypted events").
    Encrypted,
}

/// An edit: the event it replaces and the content it replaces it with.
///
/// ```
/// use exev::{Event, ReplacementForm};
///
/// let edit: Event = exev_codec::json::from_str(
///     r#"{"type": "m.room.message", "content": {
///         "body": "* Hello! My name is bar", "msgtype": "m.text",
///         "m.new_content": {"body": "Hello! My name is bar", "msgtype": "m.text"},
///         "m.relates_to": {"rel_type": "m.replace", "event_id": "$some_event_id"}}}"#,
/// )?;
/// let replacement = edit.replacement().unwrap()?;
/// assert_eq!(replacement.target, "$some_event_id");
/// assert_eq!(replacement.form, ReplacementForm::NewContent);
/// assert_eq!(
///     replacement.new_content.get_raw("body").and_then(|b| b.as_str()),
///     Some("Hello! My name is bar")
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Replacement {
    /// The event edited.
    pub target: String,
    /// The new content, without any `m.relates_to` it carries (applying an edit keeps the
    /// original's relation); empty for [`ReplacementForm::Encrypted`].
    pub new_content: Content,
    /// Where the new content came from.
    pub form: ReplacementForm,
}

/// Event types that are not extensible events: their edits must carry `m.new_content`.
const LEGACY_TYPES: &[&str] = &["m.room.message", "m.sticker", "m.room.encrypted"];

/// What the redaction algorithm keeps of each event type's content (room version 11); every
/// other type loses all of its content, extensible events included (digest §2.11).
const REDACTION_KEEPS: &[(&str, &[&str])] = &[
    (
        "m.room.member",
        &["membership", "join_authorised_via_users_server"],
    ),
    ("m.room.join_rules", &["join_rule", "allow"]),
    (
        "m.room.power_levels",
        &[
            "ban",
            "events",
            "events_default",
            "invite",
            "kick",
            "redact",
            "state_default",
            "users",
            "users_default",
        ],
    ),
    ("m.room.history_visibility", &["history_visibility"]),
    ("m.room.redaction", &["redacts"]),
];

impl Event {
    /// The event's `m.relates_to`, typed, or `None` when it has none.
    ///
    /// # Errors
    ///
    /// The inner result is an error when the block is malformed, with its path.
    pub fn relates_to(&self) -> Option<Result<RelatesToBlock, BlockError>> {
        self.content().get::<RelatesToBlock>()
    }

    /// The edit this event is, if its `m.relates_to` is an `m.replace`: the target and the new
    /// content, from `m.new_content`, or (MSC3644, extensible events only) from its own
    /// top-level blocks, or hidden in the ciphertext of an `m.room.encrypted` event.
    ///
    /// This reads one event; whether the edit is valid for its original (same sender, same
    /// type, not an edit of an edit) is decided with the original at hand
    /// ([`Replacement::applies_to`]).
    ///
    /// # Errors
    ///
    /// The inner result is an error for a malformed `m.relates_to` or `m.new_content`, and for
    /// a legacy edit without `m.new_content`, which the spec requires.
    pub fn replacement(&self) -> Option<Result<Replacement, BlockError>> {
        let relation = match self.relates_to()? {
            Ok(r) if r.is_replacement() => r,
            Ok(_) => return None,
            Err(e) => return Some(Err(e)),
        };
        let target = relation.event_id.unwrap_or_default();
        let new_content_path = || Path::root().key("content").key(NEW_CONTENT);
        let (new_content, form) = if self.event_type() == "m.room.encrypted" {
            (Content::new(), ReplacementForm::Encrypted)
        } else {
            // Read where it lies: only the new content is built, not the edit's every block.
            match self
                .content()
                .get_ref(NEW_CONTENT)
                .map(|v| (v, v.as_object()))
            {
                Some((_, Some(o))) => {
                    (without_relation(o.to_object()), ReplacementForm::NewContent)
                }
                Some((other, None)) => {
                    return Some(Err(crate::blocks::fields::wrong_type(
                        new_content_path(),
                        "an object",
                        other,
                    )));
                }
                None if LEGACY_TYPES.contains(&self.event_type()) => {
                    return Some(Err(BlockError::new(
                        Path::root().key("content"),
                        BlockErrorKind::MissingField(NEW_CONTENT),
                    )));
                }
                None => (
                    without_relation(self.content().as_object_ref().to_object()),
                    ReplacementForm::TopLevel,
                ),
            }
        };
        Some(Ok(Replacement {
            target,
            new_content,
            form,
        }))
    }

    /// The event a redaction removes: for `m.room.redaction`, `redacts` in its content (room
    /// version 11 and later) or at its top level (earlier versions).
    pub fn redacts(&self) -> Option<&str> {
        if self.event_type() != "m.room.redaction" {
            return None;
        }
        self.content()
            .get_raw("redacts")
            .and_then(crate::Value::as_str)
            .or_else(|| self.field("redacts").and_then(crate::Value::as_str))
    }

    /// This event as its redaction leaves it: the content keeps only what the redaction
    /// algorithm of room version 11 keeps for its type (nothing, for messages and every
    /// extensible event), and the other members are kept.
    pub fn redacted(&self) -> Event {
        let keeps = REDACTION_KEEPS
            .iter()
            .find(|(t, _)| *t == self.event_type())
            .map_or(&[][..], |(_, keeps)| *keeps);
        let content: Object = if self.event_type() == "m.room.create" {
            self.content().as_object().clone()
        } else {
            self.content()
                .as_object()
                .iter()
                .filter(|(k, _)| keeps.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let mut redacted = self.clone();
        *redacted.content_mut() = Content::from_object(content);
        redacted
    }
}

/// The plain-text body of a reply without its fallback (spec, "Stripping the fallback"): the
/// leading lines that start with `> ` (a quoted empty line may be a bare `>`), and the blank
/// line that ends them. A body that does not start with a quote is returned as it is.
///
/// ```
/// assert_eq!(
///     exev::strip_reply_fallback("> <@alice:example.org> This is the original body\n\nThis is where the reply goes"),
///     "This is where the reply goes"
/// );
/// assert_eq!(exev::strip_reply_fallback("> not a fallback unless replying"), "");
/// assert_eq!(exev::strip_reply_fallback("no quote\n> here"), "no quote\n> here");
/// ```
pub fn strip_reply_fallback(body: &str) -> &str {
    let mut rest = body;
    let mut stripped = false;
    while let Some(line) = rest.split_inclusive('\n').next() {
        let text = line.trim_end_matches(['\n', '\r']);
        if text.starts_with("> ") || text == ">" {
            rest = rest.get(line.len()..).unwrap_or_default();
            stripped = true;
        } else {
            break;
        }
    }
    if stripped
        && let Some(line) = rest.split_inclusive('\n').next()
        && line.trim().is_empty()
    {
        rest = rest.get(line.len()..).unwrap_or_default();
    }
    rest
}

/// `content` without its `m.relates_to`: a replacement's own relation is ignored (spec,
/// "Applying `m.new_content`").
fn without_relation(mut content: Object) -> Content {
    for (name, _) in crate::KnownBlock::RelatesTo.names() {
        content.remove(name);
    }
    Content::from_object(content)
}

impl Replacement {
    /// Whether this edit, sent as `edit`, may replace `original` by the spec's rules
    /// ("Validity of replacement events"): the same sender, the same type, neither a state
    /// event, and the original not itself an edit. (The same room is the caller's business:
    /// events of one room are folded together.) `None` when it may; otherwise why not.
    pub fn applies_to(&self, edit: &Event, original: &Event) -> Option<&'static str> {
        if edit.sender().is_none() || edit.sender() != original.sender() {
            Some("the edit's sender is not the original's")
        } else if edit.event_type() != original.event_type() {
            Some("the edit's type is not the original's")
        } else if edit.is_state() || original.is_state() {
            Some("state events cannot be edited")
        } else if original
            .relates_to()
            .and_then(Result::ok)
            .is_some_and(|r| r.is_replacement())
        {
            Some("the original is itself an edit")
        } else if original.event_id() != Some(self.target.as_str()) {
            Some("the edit is of another event")
        } else {
            None
        }
    }

    /// `original` as this edit leaves it: its content replaced entirely by the new content,
    /// except `m.relates_to`, which stays the original's (spec, "Applying `m.new_content`").
    /// An encrypted edit changes nothing until it is decrypted.
    pub fn apply(&self, original: &Event) -> Event {
        if self.form == ReplacementForm::Encrypted {
            return original.clone();
        }
        let mut content = self.new_content.as_object().clone();
        if let Some((name, _, value)) = original.content().find(crate::KnownBlock::RelatesTo) {
            content.insert(name.to_owned(), value.clone());
        }
        let mut edited = original.clone();
        *edited.content_mut() = Content::from_object(content);
        edited
    }

    /// The new content written back as an edit's `m.new_content` value.
    pub fn new_content_value(&self) -> crate::Value {
        crate::Value::Object(self.new_content.as_object().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    fn event(json: &str) -> Event {
        Event::from_value(crate::blocks::testing::json(json)).unwrap()
    }

    #[test]
    fn the_specs_edit_example() {
        let original = event(
            r#"{"event_id": "$original_event", "type": "m.room.message", "sender": "@a:b",
                "content": {"body": "I really like cake", "msgtype": "m.text",
                            "formatted_body": "I really like cake"}}"#,
        );
        let edit = event(
            r#"{"event_id": "$edit_event", "type": "m.room.message", "sender": "@a:b",
                "content": {"body": "* I really like *chocolate* cake", "msgtype": "m.text",
                  "m.new_content": {"body": "I really like *chocolate* cake", "msgtype": "m.text",
                                    "com.example.extension_property": "chocolate"},
                  "m.relates_to": {"rel_type": "m.replace", "event_id": "$original_event"}}}"#,
        );
        let r = edit.replacement().unwrap().unwrap();
        assert_eq!(r.applies_to(&edit, &original), None);
        let edited = r.apply(&original);
        let expected = event(
            r#"{"event_id": "$original_event", "type": "m.room.message", "sender": "@a:b",
                "content": {"body": "I really like *chocolate* cake", "msgtype": "m.text",
                            "com.example.extension_property": "chocolate"}}"#,
        );
        // formatted_body is gone: it is absent from the new content.
        assert_eq!(edited, expected);
    }

    #[test]
    fn the_originals_relation_is_kept_and_the_edits_ignored() {
        let original = event(
            r#"{"event_id": "$r", "type": "m.message", "sender": "@a:b", "content": {
                "m.text": [{"body": "reply"}], "m.relates_to": {"m.in_reply_to": {"event_id": "$q"}}}}"#,
        );
        // MSC3644: the new content is the edit's own blocks.
        let edit = event(
            r#"{"type": "m.message", "sender": "@a:b", "content": {
                "m.text": [{"body": "better reply"}],
                "m.relates_to": {"rel_type": "m.replace", "event_id": "$r"}}}"#,
        );
        let r = edit.replacement().unwrap().unwrap();
        assert_eq!(r.form, ReplacementForm::TopLevel);
        let edited = r.apply(&original);
        assert_eq!(edited.relates_to().unwrap().unwrap().reply_to(), Some("$q"));
        assert_eq!(
            edited.content().text().unwrap().unwrap().plain_text(),
            Some("better reply")
        );
    }

    #[test]
    fn validity_rules() {
        let original =
            event(r#"{"event_id": "$o", "type": "m.message", "sender": "@a:b", "content": {}}"#);
        let edit = |sender: &str, ty: &str, target: &str| {
            event(&format!(
                r#"{{"type": "{ty}", "sender": "{sender}", "content": {{
                    "m.new_content": {{}}, "m.relates_to": {{"rel_type": "m.replace", "event_id": "{target}"}}}}}}"#
            ))
        };
        let check = |e: &Event, o: &Event| e.replacement().unwrap().unwrap().applies_to(e, o);
        assert_eq!(check(&edit("@a:b", "m.message", "$o"), &original), None);
        assert!(check(&edit("@m:b", "m.message", "$o"), &original).is_some());
        assert!(check(&edit("@a:b", "m.emote", "$o"), &original).is_some());
        assert!(check(&edit("@a:b", "m.message", "$x"), &original).is_some());
        let edit_of_edit = edit("@a:b", "m.message", "$o");
        let mut as_original = edit_of_edit.clone();
        as_original.set_field("event_id", Value::from("$e"));
        assert!(check(&edit("@a:b", "m.message", "$e"), &as_original).is_some());
        let mut state = original.clone();
        state.set_field("state_key", Value::from(""));
        assert!(check(&edit("@a:b", "m.message", "$o"), &state).is_some());
    }

    #[test]
    fn legacy_edits_need_new_content_and_encrypted_ones_hide_it() {
        let e = event(
            r#"{"type": "m.room.message", "content": {"body": "* x", "msgtype": "m.text",
                "m.relates_to": {"rel_type": "m.replace", "event_id": "$o"}}}"#,
        );
        let err = e.replacement().unwrap().unwrap_err();
        assert_eq!(
            err.to_string(),
            "content: missing required field `m.new_content`"
        );
        let e = event(
            r#"{"type": "m.room.encrypted", "content": {"algorithm": "m.megolm.v1.aes-sha2",
                "ciphertext": "...", "m.relates_to": {"rel_type": "m.replace", "event_id": "$o"}}}"#,
        );
        let r = e.replacement().unwrap().unwrap();
        assert_eq!(
            (r.form, r.target.as_str()),
            (ReplacementForm::Encrypted, "$o")
        );
        let e = event(
            r#"{"type": "m.message", "content": {"m.new_content": 3,
                "m.relates_to": {"rel_type": "m.replace", "event_id": "$o"}}}"#,
        );
        assert_eq!(
            e.replacement().unwrap().unwrap_err().to_string(),
            r#"content["m.new_content"]: expected an object, found integer"#
        );
        let reply = event(
            r#"{"type": "m.message", "content": {"m.relates_to": {"m.in_reply_to": {"event_id": "$q"}}}}"#,
        );
        assert!(reply.replacement().is_none());
    }

    #[test]
    fn reply_fallbacks() {
        assert_eq!(
            strip_reply_fallback("> <@a:b> first\n> second\n\nreply\nmore"),
            "reply\nmore"
        );
        assert_eq!(strip_reply_fallback("> * <@a:b> emotes\r\n\r\nok"), "ok");
        assert_eq!(
            strip_reply_fallback("> <@a:b> x\n>\n> y\nno blank"),
            "no blank"
        );
        assert_eq!(strip_reply_fallback(">not a quote"), ">not a quote");
        assert_eq!(strip_reply_fallback(""), "");
    }

    #[test]
    fn redactions() {
        // The spec's m.room.redaction example, and the room v1-10 top-level form.
        let v11 = event(
            r#"{"type": "m.room.redaction", "content": {"redacts": "$fukweghifu23:localhost", "reason": "Spamming"}}"#,
        );
        assert_eq!(v11.redacts(), Some("$fukweghifu23:localhost"));
        let old = event(r#"{"type": "m.room.redaction", "redacts": "$x", "content": {}}"#);
        assert_eq!(old.redacts(), Some("$x"));
        assert_eq!(
            event(r#"{"type": "m.message", "redacts": "$x", "content": {}}"#).redacts(),
            None
        );
        let message = event(
            r#"{"type": "m.room.message", "event_id": "$m", "content": {"body": "hi", "msgtype": "m.text"}}"#,
        );
        let gone = message.redacted();
        assert!(gone.content().is_empty());
        assert_eq!(gone.event_id(), Some("$m"));
        let member = event(
            r#"{"type": "m.room.member", "state_key": "@a:b", "content": {"membership": "join", "displayname": "A"}}"#,
        );
        assert_eq!(member.redacted().content().len(), 1);
        assert_eq!(v11.redacted().redacts(), Some("$fukweghifu23:localhost"));
    }
}
