//! [`Registry`]: block and event-type definitions by name, built in and layered at run time.

use std::collections::BTreeMap;

use exev::{Content, Event, NameStatus, Value};

use super::block_defs::built_in_blocks;
use super::event_types::built_in_event_types;
use crate::{BlockDef, Capabilities, EventTypeDef, Rendering};

/// The registry: every block and event type it knows, found by any of their names.
///
/// [`Registry::built_in`] holds MSC1767 and its family (digest §3, §4, §5.3); registrars'
/// registries are layered on top with [`Registry::layer`], and a definition on top replaces
/// one below it with the same name (or sharing a name with it).
///
/// ```
/// use exev_registry::{BlockDef, EventTypeDef, Registry, ValueShape};
///
/// let mut registry = Registry::built_in();
/// assert_eq!(registry.event_type("org.matrix.msc3245.voice.v2").map(|t| t.name.as_str()), Some("m.voice"));
///
/// let mut custom = Registry::new();
/// custom
///     .add_block(BlockDef::new("org.example.probe_value", ValueShape::Object))
///     .add_event_type(
///         EventTypeDef::new("org.example.temperature")
///             .requires("m.text")
///             .requires("org.example.probe_value"),
///     );
/// registry.layer(custom);
/// assert!(registry.event_type("org.example.temperature").is_some());
/// assert!(registry.problems().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    blocks: BTreeMap<String, BlockDef>,
    /// Every name of every block, to the name of its definition.
    block_names: BTreeMap<String, String>,
    event_types: BTreeMap<String, EventTypeDef>,
    /// Every name of every event type, to the name of its definition.
    type_names: BTreeMap<String, String>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// The built-in registry: every block of the model's table, the unstable blocks and the
    /// state-event fields of the built-in types, and the event types `m.message`, `m.emote`,
    /// `m.file`, `m.image`, `m.video`, `m.audio`, `m.voice`, `m.location`, `m.beacon_info`,
    /// `m.beacon`, `m.poll.start`, `m.poll.response`, `m.poll.end`, `m.room.topic` and
    /// `m.encrypted` with their unstable names.
    pub fn built_in() -> Registry {
        let mut registry = Registry::new();
        for block in built_in_blocks() {
            registry.add_block(block);
        }
        for event_type in built_in_event_types() {
            registry.add_event_type(event_type);
        }
        registry
    }

    /// Adds `block`, replacing any definition with the same name; a definition below that
    /// shares one of its other names loses that name (or, if it is that definition's own
    /// name, the whole definition).
    pub fn add_block(&mut self, block: BlockDef) -> &mut Registry {
        let names: Vec<String> = block.names().map(|(n, _, _)| n.to_owned()).collect();
        for name in &names {
            if let Some(owner) = self.block_names.get(name).cloned() {
                self.release_block_name(&owner, name);
            }
        }
        if let Some(old) = self.blocks.remove(&block.name) {
            for (name, _, _) in old.names() {
                self.block_names.remove(name);
            }
        }
        for name in names {
            self.block_names.insert(name, block.name.clone());
        }
        self.blocks.insert(block.name.clone(), block);
        self
    }

    /// Takes `name` away from the block definition `owner`.
    fn release_block_name(&mut self, owner: &str, name: &str) {
        if owner == name {
            if let Some(old) = self.blocks.remove(owner) {
                for (n, _, _) in old.names() {
                    self.block_names.remove(n);
                }
            }
        } else if let Some(def) = self.blocks.get_mut(owner) {
            def.aliases.retain(|a| a.name != name);
            self.block_names.remove(name);
        }
    }

    /// Adds `event_type`, replacing definitions as [`Registry::add_block`] does.
    pub fn add_event_type(&mut self, event_type: EventTypeDef) -> &mut Registry {
        let names: Vec<String> = event_type.names().map(|(n, _)| n.to_owned()).collect();
        for name in &names {
            if let Some(owner) = self.type_names.get(name).cloned() {
                self.release_type_name(&owner, name);
            }
        }
        if let Some(old) = self.event_types.remove(&event_type.name) {
            for (name, _) in old.names() {
                self.type_names.remove(name);
            }
        }
        for name in names {
            self.type_names.insert(name, event_type.name.clone());
        }
        self.event_types.insert(event_type.name.clone(), event_type);
        self
    }

    /// Takes `name` away from the event type definition `owner`.
    fn release_type_name(&mut self, owner: &str, name: &str) {
        if owner == name {
            if let Some(old) = self.event_types.remove(owner) {
                for (n, _) in old.names() {
                    self.type_names.remove(n);
                }
            }
        } else if let Some(def) = self.event_types.get_mut(owner) {
            def.aliases.retain(|a| a.name != name);
            self.type_names.remove(name);
        }
    }

    /// Puts `other` on top of this registry: its definitions replace those here with the same
    /// names.
    pub fn layer(&mut self, other: Registry) -> &mut Registry {
        for block in other.blocks.into_values() {
            self.add_block(block);
        }
        for event_type in other.event_types.into_values() {
            self.add_event_type(event_type);
        }
        self
    }

    /// The block sent as `name` (any of its names).
    pub fn block(&self, name: &str) -> Option<&BlockDef> {
        self.block_names.get(name).and_then(|n| self.blocks.get(n))
    }

    /// The block sent as `name`, with the status of that name.
    pub fn block_named(&self, name: &str) -> Option<(&BlockDef, NameStatus)> {
        let def = self.block(name)?;
        let status = def.names().find(|(n, _, _)| *n == name)?.1;
        Some((def, status))
    }

    /// The event type sent as `name` (any of its names).
    pub fn event_type(&self, name: &str) -> Option<&EventTypeDef> {
        self.type_names
            .get(name)
            .and_then(|n| self.event_types.get(n))
    }

    /// The event type sent as `name`, with the status of that name.
    pub fn event_type_named(&self, name: &str) -> Option<(&EventTypeDef, NameStatus)> {
        let def = self.event_type(name)?;
        let status = def.names().find(|(n, _)| *n == name)?.1;
        Some((def, status))
    }

    /// Every block, by name.
    pub fn blocks(&self) -> impl Iterator<Item = &BlockDef> {
        self.blocks.values()
    }

    /// Every event type, by name.
    pub fn event_types(&self) -> impl Iterator<Item = &EventTypeDef> {
        self.event_types.values()
    }

    /// The names of the event types tried for events of types a client does not know, in
    /// order: by [`EventTypeDef::fallback_priority`], then by name. For the built-in registry:
    /// `m.video`, `m.voice`, `m.audio`, `m.image`, `m.file`, `m.location`, `m.poll.start`,
    /// `m.message`.
    pub fn fallback_order(&self) -> Vec<&str> {
        let mut order: Vec<(u32, &str)> = self
            .event_types
            .values()
            .filter_map(|t| t.fallback_priority.map(|p| (p, t.name.as_str())))
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, name)| name).collect()
    }

    /// The first of `block`'s names present in `content`, with its value: a block the registry
    /// does not know is looked up under `block` alone.
    pub fn find_block<'c>(
        &self,
        content: &'c Content,
        block: &str,
    ) -> Option<(&'c str, &'c Value)> {
        let lookup = |name: &str| {
            content
                .as_object()
                .get_key_value(name)
                .map(|(k, v)| (k.as_str(), v))
        };
        match self.block(block) {
            Some(def) => def.names().find_map(|(name, _, _)| lookup(name)),
            None => lookup(block),
        }
    }

    /// The required blocks of `event_type` absent from `content` under every name (their
    /// validity is the renderer's business).
    pub fn missing_required<'t>(
        &self,
        event_type: &'t EventTypeDef,
        content: &Content,
    ) -> Vec<&'t str> {
        event_type
            .required
            .iter()
            .filter(|block| self.find_block(content, block).is_none())
            .map(String::as_str)
            .collect()
    }

    /// What is inconsistent in the registry: event types naming blocks it does not define,
    /// blocks nested in blocks it does not define, fallback schemas that require nothing.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for t in self.event_types.values() {
            for block in t
                .schema_blocks()
                .chain(t.text_blocks.iter().map(String::as_str))
            {
                if self.block(block).is_none() {
                    problems.push(format!(
                        "event type {} names block {block}, which is not defined",
                        t.name
                    ));
                }
            }
            if t.fallback_priority.is_some()
                && t.required.is_empty()
                && t.fallback_requires.is_empty()
            {
                problems.push(format!(
                    "event type {} is a fallback but requires no block: every event would match it",
                    t.name
                ));
            }
        }
        for b in self.blocks.values() {
            for outer in &b.placement.within {
                if self.block(outer).is_none() {
                    problems.push(format!(
                        "block {} nests in {outer}, which is not defined",
                        b.name
                    ));
                }
            }
        }
        problems.sort();
        problems.dedup();
        problems
    }

    /// Renders `event` for a client with `capabilities`: see [`crate::render`].
    pub fn render(&self, event: &Event, capabilities: &Capabilities) -> Rendering {
        crate::render(event, capabilities, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ValueShape;

    #[test]
    fn built_in_is_consistent() {
        let registry = Registry::built_in();
        assert_eq!(registry.problems(), Vec::<String>::new());
        assert_eq!(
            registry.fallback_order(),
            [
                "m.video",
                "m.voice",
                "m.audio",
                "m.image",
                "m.file",
                "m.location",
                "m.poll.start",
                "m.message"
            ]
        );
        let (def, status) = registry.block_named("m.markup").unwrap();
        assert_eq!(
            (def.name.as_str(), status),
            ("m.text", NameStatus::Obsolete)
        );
        let (def, status) = registry
            .event_type_named("org.matrix.msc3672.beacon_info")
            .unwrap();
        assert_eq!(
            (def.name.as_str(), status),
            ("m.beacon_info", NameStatus::Unstable)
        );
        assert_eq!(registry.event_types().count(), 15);
    }

    #[test]
    fn layers_replace_by_name_and_take_over_aliases() {
        let mut registry = Registry::built_in();
        let mut top = Registry::new();
        // A new definition of m.file that no longer claims the unstable name, and another
        // type that takes it.
        top.add_event_type(EventTypeDef::new("m.file").requires("m.file").fallback(5))
            .add_event_type(
                EventTypeDef::new("org.example.file")
                    .alias("org.matrix.msc1767.file", NameStatus::Unstable),
            )
            .add_block(
                BlockDef::new("org.example.thing", ValueShape::String)
                    .alias("m.caption", NameStatus::Stable),
            );
        registry.layer(top);
        assert_eq!(
            registry.event_type("m.file").map(|t| t.required.len()),
            Some(1)
        );
        assert_eq!(
            registry
                .event_type("org.matrix.msc1767.file")
                .map(|t| t.name.as_str()),
            Some("org.example.file")
        );
        assert_eq!(registry.fallback_order().first(), Some(&"m.file"));
        // m.caption's own name was taken: its old definition is gone, with its aliases.
        assert_eq!(
            registry.block("m.caption").map(|b| b.name.as_str()),
            Some("org.example.thing")
        );
        assert!(registry.block("org.matrix.msc1767.caption").is_none());
        assert_eq!(registry.problems(), Vec::<String>::new());
        registry.add_event_type(
            EventTypeDef::new("org.example.broken")
                .requires("org.example.undefined")
                .fallback(1),
        );
        registry.add_event_type(
            EventTypeDef::new("org.example.greedy")
                .text_from(["x"])
                .fallback(2),
        );
        assert_eq!(
            registry.problems(),
            [
                "event type org.example.broken names block org.example.undefined, which is not defined",
                "event type org.example.greedy is a fallback but requires no block: every event would match it",
                "event type org.example.greedy names block x, which is not defined",
            ]
        );
    }

    #[test]
    fn missing_required_looks_under_every_name() {
        let registry = Registry::built_in();
        let image = registry.event_type("m.image").unwrap();
        let mut content = Content::new();
        content.insert_raw("org.matrix.msc1767.text", Value::from("x"));
        assert_eq!(registry.missing_required(image, &content), ["m.file"]);
        content.insert_raw("m.file", Value::Null);
        assert!(registry.missing_required(image, &content).is_empty());
    }
}
