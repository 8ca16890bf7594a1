//! `exev demo`: the tour, on events built into the binary. Each section shows one thing exev
//! does, on inputs it builds or ships, and says whether what it claims held:
//!
//! 1. events decoded, read typed and written back as canonical JSON;
//! 2. every encoding of each event, and its way back;
//! 3. fallback rendering for clients that know less and less;
//! 4. today's legacy messages, as extensible and hybrid events, and a hybrid that lies;
//! 5. a room's events folded into a timeline (edits, replies, reactions, a redaction, a poll);
//! 6. MIMI content built with the builder, its message IDs, the mapping and the way back;
//! 7. strict decoding: bad input refused in one line, with where and why.

use std::fmt::Write as _;

use exev::Event;
use exev::legacy::{self, HybridCheck};
use exev_codec::{Format, Options, json};
use exev_mimi::mapping::{CarryIds, Mapper};
use exev_mimi::{Disposition, MimiContent, NestedPart, PartSemantics};
use exev_registry::{Capabilities, Registry, Timeline, Validator};

use crate::Outcome;
use crate::inspect;
use crate::report::{Failure, write_stdout};

/// The tour's events, as a client would receive them (indented, keys in any order): the
/// examples shipped with the built-in registry, then one of a type no client knows.
fn events() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    exev_registry::BUILT_IN_EXAMPLES
        .iter()
        .map(|example| (example.title, example.json))
        .chain([(
            "a custom event type no client knows, with a malformed m.file kept as sent",
            include_bytes!("../demo/05-custom.json").as_slice(),
        )])
}

/// A room as a client receives it today: legacy messages, a reply, reactions, an edit and an
/// edit by someone else, a redaction, an unstable poll and its votes (one voter changes mind).
const ROOM: &str = include_str!("../demo/room.ndjson");

/// Runs `exev demo`.
pub(crate) fn run() -> Outcome {
    let registry = Registry::built_in();
    let events = decoded()?;
    let mut out = String::new();
    let mut checks = Checks::default();
    typed_and_canonical(&mut out, &events, &mut checks)?;
    encodings(&mut out, &events, &mut checks)?;
    fallbacks(&mut out, &events, &registry);
    legacy_and_hybrid(&mut out, &registry, &mut checks)?;
    timeline(&mut out, &registry, &mut checks)?;
    mimi(&mut out, &registry, &mut checks)?;
    strict(&mut out, &mut checks)?;
    let _ = writeln!(
        out,
        "\nsummary: {} checks, {} held{}",
        checks.run,
        checks.held,
        if checks.held == checks.run {
            ""
        } else {
            " (SOME DID NOT)"
        }
    );
    write_stdout(out.as_bytes())
}

/// What the tour claimed, and how much of it held.
#[derive(Default)]
struct Checks {
    run: usize,
    held: usize,
}

impl Checks {
    /// Records `held`, and says it in words for the tour.
    fn check(&mut self, held: bool) -> &'static str {
        self.run += 1;
        if held {
            self.held += 1;
            "yes"
        } else {
            "NO"
        }
    }
}

fn section(out: &mut String, number: usize, title: &str) {
    let _ = write!(out, "\n=== {number}. {title} ===\n");
}

/// The tour's events, decoded from their JSON.
fn decoded() -> Result<Vec<(&'static str, usize, Event)>, Failure> {
    events()
        .enumerate()
        .map(|(i, (title, bytes))| {
            json::from_slice(bytes)
                .map(|event| (title, bytes.len(), event))
                .map_err(|error| Failure::Input {
                    source: format!("demo event {}", i + 1),
                    error,
                })
        })
        .collect()
}

/// The failure for a demo step that must not fail.
fn demo_failure(what: &str, error: impl std::fmt::Display) -> Failure {
    Failure::Io {
        message: format!("demo: {what}: {error}"),
    }
}

fn typed_and_canonical(
    out: &mut String,
    events: &[(&str, usize, Event)],
    checks: &mut Checks,
) -> Result<(), Failure> {
    section(
        out,
        1,
        "events decoded, read typed, and written back as canonical JSON",
    );
    let count = events.len();
    let (mut blocks, mut typed_ok, mut typed_err, mut unknown) = (0, 0, 0, 0);
    for (i, (title, size, event)) in events.iter().enumerate() {
        let _ = write!(out, "\n-- {}/{count}: {title} --\n", i + 1);
        out.push_str(&inspect::text_report(event, *size));
        for report in inspect::blocks(event) {
            blocks += 1;
            match report.typed {
                Some(Ok(_)) => typed_ok += 1,
                Some(Err(_)) => typed_err += 1,
                None => unknown += 1,
            }
        }
        let canonical = json::to_vec(event).map_err(|e| demo_failure("canonical JSON", e))?;
        // Decoding the canonical form gives the same event: nothing was lost on the way.
        let same = json::from_slice(&canonical).is_ok_and(|again| &again == event);
        let _ = writeln!(
            out,
            "canonical JSON ({} bytes; decodes to the same event: {}):\n{}",
            canonical.len(),
            checks.check(same),
            String::from_utf8_lossy(&canonical)
        );
    }
    let _ = writeln!(
        out,
        "\n{count} events, {blocks} blocks: {typed_ok} read typed, {typed_err} malformed (kept as \
         sent and reported), {unknown} unknown (kept as sent)"
    );
    Ok(())
}

fn encodings(
    out: &mut String,
    events: &[(&str, usize, Event)],
    checks: &mut Checks,
) -> Result<(), Failure> {
    section(
        out,
        2,
        "every encoding: bytes, and the same event back from each",
    );
    let _ = writeln!(
        out,
        "{:<24} {:>6} {:>6} {:>9}  same event back",
        "type", "JSON", "CBOR", "Protobuf"
    );
    for (_, _, event) in events {
        let mut sizes = [0usize; 3];
        let mut back = true;
        for (size, format) in sizes.iter_mut().zip(Format::ALL) {
            let bytes = format
                .to_vec(event)
                .map_err(|e| demo_failure("encoding", e))?;
            back &= Format::detect(&bytes) == Some(format)
                && format.from_slice(&bytes).is_ok_and(|e| &e == event);
            *size = bytes.len();
        }
        let [json, cbor, proto] = sizes;
        let _ = writeln!(
            out,
            "{:<24} {json:>6} {cbor:>6} {proto:>9}  {}",
            event.event_type(),
            checks.check(back)
        );
    }
    Ok(())
}

fn fallbacks(out: &mut String, events: &[(&str, usize, Event)], registry: &Registry) {
    section(
        out,
        3,
        "fallback rendering: what clients that know less still show",
    );
    let clients = [
        (
            "knows every built-in type",
            Capabilities::everything(registry),
        ),
        (
            "knows m.message and m.file",
            Capabilities::knowing(["m.message", "m.file"]),
        ),
        ("knows only m.message", Capabilities::knowing(["m.message"])),
    ];
    for (_, _, event) in events {
        let _ = writeln!(out, "{}:", event.event_type());
        for (client, caps) in &clients {
            let r = registry.render(event, caps);
            let shown = match &r.rendered_as {
                Some(schema) => format!("{} as {schema}", r.outcome),
                None => r.outcome.to_string(),
            };
            let _ = writeln!(
                out,
                "  a client that {client:<26} {shown:<25} {}",
                one_line(&r.text)
            );
        }
    }
}

/// `text` on one line, cut for the tour.
fn one_line(text: &str) -> String {
    let line = text.replace('\n', " / ");
    if line.chars().count() > 60 {
        format!("{:?}…", line.chars().take(60).collect::<String>())
    } else {
        format!("{line:?}")
    }
}

fn legacy_and_hybrid(
    out: &mut String,
    registry: &Registry,
    checks: &mut Checks,
) -> Result<(), Failure> {
    section(
        out,
        4,
        "today's messages: legacy, extensible, hybrid (MSC4460), and a hybrid that lies",
    );
    let first = ROOM
        .lines()
        .next()
        .ok_or_else(|| demo_failure("the room", "empty"))?;
    let message = json::from_str(first).map_err(|e| demo_failure("the room", e))?;
    let extensible = legacy::to_extensible(&message).map_err(|e| demo_failure("legacy", e))?;
    let hybrid = legacy::to_hybrid(&message).map_err(|e| demo_failure("hybrid", e))?;
    let back = legacy::to_legacy(&extensible).map_err(|e| demo_failure("legacy", e))?;
    let shown = |e: &Event| -> Result<String, Failure> {
        let bytes = json::to_vec(e).map_err(|e| demo_failure("JSON", e))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let _ = writeln!(out, "legacy:     {}", shown(&message)?);
    let _ = writeln!(out, "extensible: {}", shown(&extensible)?);
    let _ = writeln!(out, "hybrid:     {}", shown(&hybrid)?);
    let _ = writeln!(
        out,
        "extensible back to legacy gives the message: {}",
        checks.check(back == message)
    );
    let validator = Validator::new(registry).map_err(|e| demo_failure("schemas", e))?;
    let _ = writeln!(
        out,
        "the hybrid is valid: {}",
        checks.check(validator.validate(&hybrid).is_valid())
    );
    let lying = json::from_str(
        r#"{"type":"m.room.message","content":{"msgtype":"m.text","body":"Transfer approved","m.text":[{"body":"Transfer DENIED"}]}}"#,
    )
    .map_err(|e| demo_failure("the lying hybrid", e))?;
    let mismatched = matches!(legacy::check_hybrid(&lying), HybridCheck::Mismatched(_));
    let report = validator.validate(&lying);
    let _ = writeln!(
        out,
        "a hybrid whose blocks contradict its body is refused: {}",
        checks.check(mismatched && !report.is_valid())
    );
    for problem in report.errors() {
        let _ = writeln!(out, "  error: {}: {}", problem.path, problem.message);
    }
    Ok(())
}

fn timeline(out: &mut String, registry: &Registry, checks: &mut Checks) -> Result<(), Failure> {
    section(
        out,
        5,
        "a room's events, folded into the timeline a client shows",
    );
    let mut timeline = Timeline::new(Capabilities::everything(registry), registry.clone());
    for (i, line) in ROOM.lines().enumerate() {
        let event = json::from_str(line).map_err(|error| Failure::Input {
            source: format!("demo room:{}", i + 1),
            error,
        })?;
        let _ = writeln!(
            out,
            "  in: {} {} {}",
            event.event_id().unwrap_or("-"),
            event.sender().unwrap_or("-"),
            event.event_type()
        );
        timeline.push(event);
    }
    out.push_str(
        "items (the edit by someone else is ignored, the redacted message keeps its place, \
         each voter's latest vote counts):\n",
    );
    for item in timeline.items() {
        let _ = writeln!(out, "  {}", crate::timeline::line(item));
    }
    let edited = timeline.item("$1").is_some_and(|item| {
        item.edited
            && item.rendering.text == "Lunch at 12:30?"
            && item.reactions.get("👍").is_some_and(|r| r.count() == 2)
    });
    let redacted = timeline.item("$7").is_some_and(|item| item.redacted);
    let _ = writeln!(
        out,
        "Alice's edit shows, Mallory's does not, both 👍 count: {}; the spam is redacted: {}",
        checks.check(edited),
        checks.check(redacted)
    );
    Ok(())
}

fn mimi(out: &mut String, registry: &Registry, checks: &mut Checks) -> Result<(), Failure> {
    section(
        out,
        6,
        "MIMI content (draft-ietf-mimi-content-08), built, mapped and back",
    );
    let failed = |e: exev_mimi::Error| demo_failure("MIMI", e);
    let mut original = MimiContent::new(
        [0x11; 16],
        NestedPart::multi(
            PartSemantics::ChooseOne,
            vec![
                NestedPart::text("text/plain;charset=utf-8", "Release 2.0 is out!"),
                NestedPart::text("text/markdown;charset=utf-8", "Release **2.0** is out!"),
            ],
        ),
    );
    original
        .extensions
        .set_sender_uri("mimi://example.com/u/alice")
        .map_err(failed)?;
    original
        .extensions
        .set_room_uri("mimi://example.com/r/engineering")
        .map_err(failed)?;
    let id = original.message_id().map_err(failed)?;
    let mut reply = MimiContent::new(
        [0x22; 16],
        NestedPart::text("text/plain;charset=utf-8", "Congratulations, all!"),
    )
    .in_reply_to(id);
    reply
        .extensions
        .set_sender_uri("mimi://example.com/u/bob")
        .map_err(failed)?;
    let mut reaction = MimiContent::new(
        [0x33; 16],
        NestedPart::text("text/plain;charset=utf-8", "🎉").with_disposition(Disposition::REACTION),
    )
    .in_reply_to(id);
    reaction
        .extensions
        .set_sender_uri("mimi://example.com/u/carol")
        .map_err(failed)?;
    let mapper = Mapper::new(CarryIds).with_event_ids(true);
    let mut timeline = Timeline::new(Capabilities::everything(registry), registry.clone());
    for (name, message) in [
        ("message", &original),
        ("reply", &reply),
        ("reaction", &reaction),
    ] {
        let bytes = exev_mimi::to_vec(message).map_err(failed)?;
        let event = mapper.to_event(message);
        let json = json::to_vec(&event).map_err(|e| demo_failure("JSON", e))?;
        let back = exev_mimi::mapping::to_mimi(&event, [0; 16])
            .map_err(|e| demo_failure("MIMI mapping", e))
            .and_then(|m| exev_mimi::to_vec(&m).map_err(failed))?;
        let _ = writeln!(
            out,
            "{name}: {} bytes of MIMI (event: {} bytes of JSON), message ID {}…; \
             decodes back: {}; event to MIMI gives the same bytes: {}",
            bytes.len(),
            json.len(),
            message
                .message_id()
                .map_err(failed)?
                .to_hex()
                .chars()
                .take(16)
                .collect::<String>(),
            checks.check(exev_mimi::from_slice(&bytes).as_ref() == Ok(message)),
            checks.check(back == bytes)
        );
        timeline.push(event);
    }
    out.push_str("as a timeline (event IDs from message IDs):\n");
    for item in timeline.items() {
        let _ = writeln!(out, "  {}", crate::timeline::line(item));
    }
    Ok(())
}

fn strict(out: &mut String, checks: &mut Checks) -> Result<(), Failure> {
    section(
        out,
        7,
        "strict decoding: bad input is refused in one line, saying what and where",
    );
    let event = json::from_str(r#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]}}"#)
        .map_err(|e| demo_failure("the event", e))?;
    let mut cut_cbor = Format::Cbor
        .to_vec(&event)
        .map_err(|e| demo_failure("CBOR", e))?;
    cut_cbor.truncate(cut_cbor.len().saturating_sub(3));
    let cases: [(&str, Format, Vec<u8>); 5] = [
        (
            "a duplicate key",
            Format::Json,
            br#"{"type":"m.message","content":{"m.text":[],"m.text":[]}}"#.to_vec(),
        ),
        (
            "a lone surrogate",
            Format::Json,
            br#"{"type":"m.message","content":{"m.text":[{"body":"\ud800"}]}}"#.to_vec(),
        ),
        (
            "a float, outside canonical JSON",
            Format::Json,
            br#"{"type":"m.message","content":{"n":1.5}}"#.to_vec(),
        ),
        ("CBOR cut short", Format::Cbor, cut_cbor),
        (
            "a Protobuf length of 2^63",
            Format::Proto,
            vec![
                0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
            ],
        ),
    ];
    for (what, format, bytes) in cases {
        match format.from_slice_with(&bytes, &Options::default()) {
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{what} ({format}, refused: {}): [{}] {e}",
                    checks.check(true),
                    e.category()
                );
            }
            Ok(_) => {
                let _ = writeln!(out, "{what} ({format}): accepted: {}", checks.check(false));
            }
        }
    }
    Ok(())
}
