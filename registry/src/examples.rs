//! The example events shipped with the built-in registry: one per event type they show,
//! as a client would receive them (indented, keys in any order). `exev demo` tours them, and
//! the registry website (`exev registry site`) draws them on their types' pages.

use exev_codec::json;

use crate::Example;

/// An example event shipped with the built-in registry, as the bytes of its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExampleFile {
    /// Its file name in the crate's `examples/` folder: `m.image.json`.
    pub file: &'static str,
    /// What it shows, in a few words: "an image with two thumbnails, a caption and alt text".
    pub title: &'static str,
    /// The file's bytes: one event as JSON.
    pub json: &'static [u8],
}

impl ExampleFile {
    /// The event, decoded.
    ///
    /// # Errors
    ///
    /// The decoder's error, were the file not an event (the crate's tests decode them all).
    pub fn event(&self) -> Result<exev::Event, exev_codec::Error> {
        json::from_slice(self.json)
    }
}

/// The built-in registry's example events, each valid against its type.
///
/// ```
/// let image = exev_registry::BUILT_IN_EXAMPLES.iter().find(|e| e.file == "m.image.json").unwrap();
/// assert_eq!(image.event()?.event_type(), "m.image");
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub const BUILT_IN_EXAMPLES: &[ExampleFile] = &[
    ExampleFile {
        file: "m.message.json",
        title: "a message with HTML and a mention",
        json: include_bytes!("../examples/m.message.json"),
    },
    ExampleFile {
        file: "m.emote.json",
        title: "an emote sent by a bot (the m.automated mixin)",
        json: include_bytes!("../examples/m.emote.json"),
    },
    ExampleFile {
        file: "m.image.json",
        title: "an image with two thumbnails, a caption and alt text",
        json: include_bytes!("../examples/m.image.json"),
    },
    ExampleFile {
        file: "m.poll.start.json",
        title: "a poll",
        json: include_bytes!("../examples/m.poll.start.json"),
    },
];

/// The built-in examples decoded, as a manifest's [`Example`]s (every one must validate).
///
/// # Errors
///
/// The decoder's error for the first file that is not an event.
pub fn built_in_examples() -> Result<Vec<Example>, exev_codec::Error> {
    BUILT_IN_EXAMPLES
        .iter()
        .map(|file| {
            Ok(Example {
                file: file.file.to_owned(),
                valid: true,
                event: file.event()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Capabilities, Outcome, Registry, Validator};

    #[test]
    fn every_example_validates_and_renders_as_its_own_type() {
        let registry = Registry::built_in();
        let validator = Validator::new(&registry).unwrap();
        let examples = built_in_examples().unwrap();
        assert_eq!(examples.len(), BUILT_IN_EXAMPLES.len());
        for example in &examples {
            let report = validator.validate(&example.event);
            assert!(report.is_valid(), "{}: {:?}", example.file, report);
            assert_eq!(report.warnings().count(), 0, "{}: {report:?}", example.file);
            let rendering = registry.render(&example.event, &Capabilities::everything(&registry));
            assert_eq!(rendering.outcome, Outcome::Rendered, "{}", example.file);
            // Each file is named after its type.
            let own = format!("{}.json", example.event.event_type());
            assert_eq!(example.file, own);
            assert_eq!(
                rendering.rendered_as.as_deref(),
                Some(example.event.event_type())
            );
        }
    }
}
