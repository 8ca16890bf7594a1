//! What the site shows: the layered registry, who defined each block and event type, and the
//! examples each registrar ships.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use exev::{Event, Value};
use exev_registry::{BlockDef, EventTypeDef, Manifest, Registry, built_in_examples};

use crate::SiteError;

/// The slug of the built-in registry's registrar page: no registrar can have the namespace
/// `m` (names starting with `m.` are reserved for the specification).
pub(crate) const BUILT_IN_SLUG: &str = "m";

/// The registry and everyone who contributed to it.
#[derive(Clone, Debug)]
pub(crate) struct Catalogue {
    /// The built-in registry with every registrar layered on it.
    pub(crate) registry: Registry,
    /// The built-in registry first, then the registrars in the order they were added.
    pub(crate) registrars: Vec<Registrar>,
}

/// One source of definitions: the built-in registry or a registrar's manifest.
#[derive(Clone, Debug)]
pub(crate) struct Registrar {
    /// The file name of its page: `m` for the built-in registry, else its namespace.
    pub(crate) slug: String,
    /// How the pages name it.
    pub(crate) title: String,
    /// Its namespace: `m` for the built-in registry.
    pub(crate) namespace: String,
    /// What it publishes.
    pub(crate) description: String,
    /// The manifest it was loaded from (`None` for the built-in registry).
    pub(crate) manifest: Option<Manifest>,
    /// The names of the blocks it defines.
    pub(crate) blocks: BTreeSet<String>,
    /// The names of the event types it defines.
    pub(crate) event_types: BTreeSet<String>,
    /// Its examples.
    pub(crate) examples: Vec<ShippedExample>,
}

/// An example event as the site shows it.
#[derive(Clone, Debug)]
pub(crate) struct ShippedExample {
    /// The slug of the registrar that ships it.
    pub(crate) registrar: String,
    /// Its file, as the registrar names it.
    pub(crate) file: String,
    /// A name for it unique within its registrar, for anchors and downloads.
    pub(crate) stem: String,
    /// What it shows, in a few words.
    pub(crate) title: String,
    /// Whether it must validate (`true`) or be rejected.
    pub(crate) valid: bool,
    /// The event.
    pub(crate) event: Event,
}

impl ShippedExample {
    /// The anchor of the example on its type's page.
    pub(crate) fn anchor(&self) -> String {
        format!("example-{}-{}", self.registrar, self.stem)
    }
}

/// Unique stems for `files`: the file's name without folders and `.json`, or its whole path
/// where two files share a name.
fn stems(files: &[&str]) -> Vec<String> {
    let short = |file: &str| {
        let name = file.rsplit('/').next().unwrap_or(file);
        name.strip_suffix(".json").unwrap_or(name).to_owned()
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for file in files {
        *seen.entry(short(file)).or_default() += 1;
    }
    files
        .iter()
        .map(|file| {
            let stem = short(file);
            if seen.get(&stem).copied().unwrap_or(0) > 1 {
                let path = file.strip_suffix(".json").unwrap_or(file);
                path.replace('/', "-")
            } else {
                stem
            }
        })
        .collect()
}

impl Catalogue {
    /// The built-in registry and its examples.
    pub(crate) fn built_in() -> Result<Catalogue, SiteError> {
        let registry = Registry::built_in();
        let examples = built_in_examples().map_err(|error| SiteError::Example {
            example: "the built-in examples".to_owned(),
            error,
        })?;
        let files: Vec<&str> = examples.iter().map(|e| e.file.as_str()).collect();
        let examples = examples
            .iter()
            .zip(stems(&files))
            .zip(exev_registry::BUILT_IN_EXAMPLES)
            .map(|((example, stem), shipped)| ShippedExample {
                registrar: BUILT_IN_SLUG.to_owned(),
                file: example.file.clone(),
                stem,
                title: shipped.title.to_owned(),
                valid: example.valid,
                event: example.event.clone(),
            })
            .collect();
        let built_in = Registrar {
            slug: BUILT_IN_SLUG.to_owned(),
            title: "Matrix specification (built in)".to_owned(),
            namespace: BUILT_IN_SLUG.to_owned(),
            description: "The blocks and event types of MSC1767 and its family, under their \
                          stable m. names with the unstable names deployed today, as exev \
                          builds them in."
                .to_owned(),
            manifest: None,
            blocks: registry.blocks().map(|b| b.name.clone()).collect(),
            event_types: registry.event_types().map(|t| t.name.clone()).collect(),
            examples,
        };
        Ok(Catalogue {
            registry,
            registrars: vec![built_in],
        })
    }

    /// Checks and layers the registrar's manifest directory `dir`.
    pub(crate) fn add_registrar(&mut self, dir: &Path) -> Result<(), SiteError> {
        let manifest = Manifest::load_onto(dir, &self.registry).map_err(SiteError::Manifest)?;
        let files: Vec<&str> = manifest.examples.iter().map(|e| e.file.as_str()).collect();
        let examples = manifest
            .examples
            .iter()
            .zip(stems(&files))
            .map(|(example, stem)| ShippedExample {
                registrar: manifest.namespace.clone(),
                file: example.file.clone(),
                stem,
                title: example.file.clone(),
                valid: example.valid,
                event: example.event.clone(),
            })
            .collect();
        self.registry.layer(manifest.registry());
        self.registrars.push(Registrar {
            slug: manifest.namespace.clone(),
            title: manifest.namespace.clone(),
            namespace: manifest.namespace.clone(),
            description: manifest.description.clone(),
            blocks: manifest.blocks.iter().map(|b| b.name.clone()).collect(),
            event_types: manifest
                .event_types
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            examples,
            manifest: Some(manifest),
        });
        Ok(())
    }

    /// The registrar that defined the block `name` (its definition's name).
    pub(crate) fn block_registrar(&self, name: &str) -> Option<&Registrar> {
        // The last to define it wins, as in the layered registry.
        self.registrars
            .iter()
            .rev()
            .find(|r| r.blocks.contains(name))
    }

    /// The registrar that defined the event type `name` (its definition's name).
    pub(crate) fn type_registrar(&self, name: &str) -> Option<&Registrar> {
        self.registrars
            .iter()
            .rev()
            .find(|r| r.event_types.contains(name))
    }

    /// Every example, from every registrar.
    pub(crate) fn examples(&self) -> impl Iterator<Item = &ShippedExample> {
        self.registrars.iter().flat_map(|r| &r.examples)
    }

    /// The examples of `def` that must validate: those sent under any of its names.
    pub(crate) fn examples_of(&self, def: &EventTypeDef) -> Vec<&ShippedExample> {
        self.examples()
            .filter(|e| {
                e.valid
                    && self
                        .registry
                        .event_type(e.event.event_type())
                        .is_some_and(|t| t.name == def.name)
            })
            .collect()
    }

    /// The examples that must validate and carry `def` at the top level, with the name it is
    /// sent under and its value.
    pub(crate) fn examples_with<'c>(
        &'c self,
        def: &BlockDef,
    ) -> Vec<(&'c ShippedExample, &'c str, &'c Value)> {
        self.examples()
            .filter(|e| e.valid)
            .flat_map(|e| {
                let content = e.event.content().as_object();
                def.names()
                    .filter_map(move |(name, _, _)| {
                        content.get_key_value(name).map(|(k, v)| (e, k.as_str(), v))
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// The namespace a built-in name belongs to, for grouping the index: `m` for `m.*`, the
/// proposal's prefix for unstable names (`org.matrix.msc3381`), and none for the bare fields
/// of state events (`topic`, `live`).
pub(crate) fn built_in_namespace(name: &str) -> &str {
    if name.starts_with("m.") {
        return "m";
    }
    let mut cut = 0;
    for (segments, (i, _)) in name.match_indices('.').enumerate() {
        cut = i;
        if segments == 2 {
            break;
        }
    }
    name.get(..cut).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_of_built_in_names() {
        assert_eq!(built_in_namespace("m.text"), "m");
        assert_eq!(built_in_namespace("m.poll.results"), "m");
        assert_eq!(
            built_in_namespace("org.matrix.msc3381.poll.end"),
            "org.matrix.msc3381"
        );
        assert_eq!(
            built_in_namespace("org.matrix.msc3245.voice"),
            "org.matrix.msc3245"
        );
        assert_eq!(built_in_namespace("topic"), "");
        assert_eq!(built_in_namespace("org.x"), "org");
    }

    #[test]
    fn stems_stay_unique() {
        assert_eq!(
            stems(&["examples/a.json", "b.json", "other/a.json"]),
            ["examples-a", "b", "other-a"]
        );
    }
}
