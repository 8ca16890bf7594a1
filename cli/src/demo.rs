//! `exev demo`: the tour. Decodes events built into the binary, shows their typed blocks and
//! writes their canonical JSON.

use exev_codec::json;

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

/// Runs `exev demo`.
pub(crate) fn run() -> Outcome {
    let mut out = String::new();
    let count = events().count();
    out.push_str(&format!(
        "exev demo: {count} events decoded, read typed, and written back as canonical JSON\n"
    ));
    let (mut blocks, mut typed_ok, mut typed_err, mut unknown) = (0, 0, 0, 0);
    for (i, (title, bytes)) in events().enumerate() {
        let event = json::from_slice(bytes).map_err(|error| Failure::Input {
            source: format!("demo event {}", i + 1),
            error,
        })?;
        out.push_str(&format!("\n== {}/{count}: {title} ==\n", i + 1));
        out.push_str(&inspect::text_report(&event, bytes.len()));
        for report in inspect::blocks(&event) {
            blocks += 1;
            match report.typed {
                Some(Ok(_)) => typed_ok += 1,
                Some(Err(_)) => typed_err += 1,
                None => unknown += 1,
            }
        }
        let canonical = json::to_vec(&event).map_err(|error| Failure::Input {
            source: format!("demo event {}", i + 1),
            error,
        })?;
        // Decoding the canonical form gives the same event: nothing was lost on the way.
        let again = json::from_slice(&canonical).map_err(|error| Failure::Input {
            source: format!("demo event {} (re-encoded)", i + 1),
            error,
        })?;
        let same = if again == event {
            "same event"
        } else {
            "DIFFERENT event"
        };
        out.push_str(&format!(
            "canonical JSON ({} bytes; decodes to the {same}):\n{}\n",
            canonical.len(),
            String::from_utf8_lossy(&canonical)
        ));
    }
    out.push_str(&format!(
        "\nsummary: {count} events, {blocks} blocks: {typed_ok} read typed, {typed_err} malformed \
         (kept as sent and reported), {unknown} unknown (kept as sent)\n"
    ));
    write_stdout(out.as_bytes())
}
