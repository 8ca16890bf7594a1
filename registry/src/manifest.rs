//! Registrar manifests: the directory a registrar publishes (a `manifest.json`, one JSON Schema
//! per block and event type, example events), checked and loaded into a [`Registry`].
//!
//! The format is documented in `registry/MANIFESTS.md`; `registrars/org.example/` in the
//! repository is a complete example (MSC1767's temperature and tank-level events).
//!
//! [`Manifest::load`] checks everything before anything is used: names follow the spec's
//! namespaced-identifier grammar and stay out of `m.` (reserved for the specification, so for
//! the built-in registry) and inside the manifest's namespace; no name is defined twice, in the
//! manifest or against what is already registered; every schema is valid JSON Schema draft
//! 2020-12 (checked against the meta-schema) and compiles, its references resolved offline;
//! every block a definition names exists; each event type's schema requires the blocks the
//! manifest says it requires; every example validates against its type (or, when marked
//! invalid, does not). Every problem names its file and a JSON Pointer into it.

mod loader;

use std::fmt;
use std::path::{Path as FsPath, PathBuf};

use exev::Event;

use crate::{BlockDef, EventTypeDef, Registry};

/// The manifest's file name in a registrar's directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The manifest format this version of exev reads.
pub const MANIFEST_VERSION: i64 = 1;

/// The base of the `$id`s given to registrars' schemas that declare none:
/// `https://exev.invalid/registrars/<namespace>/<file>`, so that relative references between
/// a registrar's files resolve.
pub const REGISTRAR_BASE: &str = "https://exev.invalid/registrars/";

/// The largest manifest, schema or example file read (bytes).
pub(crate) const MAX_FILE_BYTES: usize = 4 << 20;

/// One problem with a manifest directory: the file, a JSON Pointer into it (empty for the
/// whole file), and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ManifestProblem {
    /// The file, relative to the manifest's directory.
    pub file: String,
    /// Where in the file, as an RFC 6901 JSON Pointer.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl ManifestProblem {
    fn new(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> ManifestProblem {
        ManifestProblem {
            file: file.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ManifestProblem {
    /// `FILE#POINTER: MESSAGE` (`FILE: MESSAGE` for the whole file).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}#{}: {}", self.file, self.pointer, self.message)
        }
    }
}

/// Why a manifest directory did not load: every problem found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ManifestError {
    /// The directory.
    pub dir: PathBuf,
    /// The problems, in the order found.
    pub problems: Vec<ManifestProblem>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.dir.display())?;
        match self.problems.as_slice() {
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more problems)", rest.len()),
            [] => f.write_str("invalid manifest"),
        }
    }
}

impl std::error::Error for ManifestError {}

/// An example event a manifest lists, with whether it must validate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Example {
    /// Its file, relative to the manifest's directory.
    pub file: String,
    /// Whether it must validate (`true`) or must be rejected (`false`).
    pub valid: bool,
    /// The event.
    pub event: Event,
}

/// A registrar's checked manifest: its blocks and event types, with their schemas, and its
/// examples.
///
/// ```
/// use exev_registry::{Manifest, Registry};
///
/// let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../registrars/org.example");
/// let manifest = Manifest::load(&dir)?;
/// assert_eq!(manifest.namespace, "org.example");
/// let mut registry = Registry::built_in();
/// registry.layer(manifest.registry());
/// assert!(registry.event_type("org.example.tank.level").is_some());
/// # Ok::<(), exev_registry::ManifestError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Manifest {
    /// The directory it was read from.
    pub dir: PathBuf,
    /// The registrar's namespace, e.g. `org.example`: every name it defines starts with it.
    pub namespace: String,
    /// What the registrar publishes, in a sentence.
    pub description: String,
    /// Its blocks, each with its schema (with an `$id`).
    pub blocks: Vec<BlockDef>,
    /// Its event types, each with its schema (with an `$id`).
    pub event_types: Vec<EventTypeDef>,
    /// Its example events.
    pub examples: Vec<Example>,
}

impl Manifest {
    /// Reads and checks the manifest directory `dir` on top of the built-in registry.
    ///
    /// # Errors
    ///
    /// A [`ManifestError`] listing every problem found (see the module documentation).
    pub fn load(dir: &FsPath) -> Result<Manifest, ManifestError> {
        Manifest::load_onto(dir, &Registry::built_in())
    }

    /// Reads and checks the manifest directory `dir` on top of `base`: the blocks it names may
    /// come from `base`, and none of its names may already be there.
    ///
    /// # Errors
    ///
    /// A [`ManifestError`] listing every problem found.
    pub fn load_onto(dir: &FsPath, base: &Registry) -> Result<Manifest, ManifestError> {
        loader::load(dir, base)
    }

    /// What the check found, in one line: `namespace org.example, 2 block(s), 2 event
    /// type(s), 4 example(s) (2 valid, 2 rejected as marked)` (`exev registry check` prints
    /// it after `ok:`).
    pub fn summary(&self) -> String {
        let rejected = self.examples.iter().filter(|e| !e.valid).count();
        format!(
            "namespace {}, {} block(s), {} event type(s), {} example(s) ({} valid, {rejected} rejected as marked)",
            self.namespace,
            self.blocks.len(),
            self.event_types.len(),
            self.examples.len(),
            self.examples.len() - rejected,
        )
    }

    /// The manifest's blocks and event types as a registry, to layer on another
    /// ([`Registry::layer`]).
    pub fn registry(&self) -> Registry {
        let mut registry = Registry::new();
        for block in &self.blocks {
            registry.add_block(block.clone());
        }
        for event_type in &self.event_types {
            registry.add_event_type(event_type.clone());
        }
        registry
    }
}
