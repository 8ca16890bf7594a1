//! The published JSON Schemas (draft 2020-12): one per block and one per event type of a
//! registry, with stable file names and `$id`s, and the index that lists them.
//!
//! Built-in blocks of the model's table get the schema their Rust type declares
//! (`schemars::JsonSchema`, in the `exev` crate's `schema` module); the other built-in blocks
//! (the state-event fields, the unstable marker blocks) get one from their [`ValueShape`].
//! Event types get one built from their [`EventTypeDef`]: `type` is the stable name, `content`
//! requires the required blocks, and every block the type names, and every mixin, is a `$ref`
//! to its block's schema. A registrar's schemas are published as the registrar wrote them.
//!
//! Built-in schemas live under [`SCHEMA_BASE`] (`https://exev.invalid/schemas/json/`), a base
//! that never resolves (`.invalid` is reserved): the `$id`s name the files, and every
//! validator here resolves them offline. Files sit at `blocks/<name>.json` and
//! `event_types/<name>.json` under `schemas/json/` in the repository, with `index.json`.
//!
//! ```
//! use exev_registry::{Registry, SchemaKind, published_schemas};
//!
//! let files = published_schemas(&Registry::built_in());
//! let text = files.iter().find(|f| f.kind == SchemaKind::Block && f.name == "m.text").unwrap();
//! assert_eq!(text.path, "blocks/m.text.json");
//! assert_eq!(
//!     text.schema.get("$id").and_then(|id| id.as_str()),
//!     Some("https://exev.invalid/schemas/json/blocks/m.text.json")
//! );
//! ```

use std::collections::BTreeSet;

use exev::{
    AltTextBlock, AssetBlock, AudioDetailsBlock, AutomatedBlock, CaptionBlock, EncryptedBlock,
    FileBlock, ImageDetailsBlock, KnownBlock, LocationBlock, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER,
    MentionsBlock, Object, PollBlock, PollResultsBlock, RelatesToBlock, SelectionsBlock, TextBlock,
    ThumbnailBlock, TopicBlock, TsBlock, Value, VideoDetailsBlock,
};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};

use crate::{BlockDef, Constraint, EventTypeDef, Registry, ValueShape};

/// The base URI of the built-in schemas' `$id`s.
pub const SCHEMA_BASE: &str = "https://exev.invalid/schemas/json/";

/// The meta-schema every published schema declares: JSON Schema draft 2020-12.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// What a published schema describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SchemaKind {
    /// A content block's value.
    Block,
    /// A whole event of one type.
    EventType,
}

impl SchemaKind {
    /// The folder its files sit in, and its key in the index: `blocks` or `event_types`.
    pub fn folder(self) -> &'static str {
        match self {
            SchemaKind::Block => "blocks",
            SchemaKind::EventType => "event_types",
        }
    }
}

/// One published schema.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemaFile {
    /// What it describes.
    pub kind: SchemaKind,
    /// The name of the block or event type.
    pub name: String,
    /// Its file, relative to the schemas folder: `blocks/m.text.json`.
    pub path: String,
    /// The schema.
    pub schema: Value,
}

/// The file of a built-in schema, relative to the schemas folder: `blocks/m.text.json`.
pub fn schema_path(kind: SchemaKind, name: &str) -> String {
    format!("{}/{name}.json", kind.folder())
}

/// The `$id` of a built-in schema: [`SCHEMA_BASE`] and its file.
pub fn schema_id(kind: SchemaKind, name: &str) -> String {
    format!("{SCHEMA_BASE}{}", schema_path(kind, name))
}

/// The `$id` of `def`'s schema: the registrar's own, or the built-in one.
pub(crate) fn block_schema_id(def: &BlockDef) -> String {
    def.schema
        .as_ref()
        .and_then(|s| s.get("$id"))
        .and_then(Value::as_str)
        .map_or_else(|| schema_id(SchemaKind::Block, &def.name), str::to_owned)
}

/// The `$id` of `def`'s schema: the registrar's own, or the built-in one.
pub(crate) fn event_type_schema_id(def: &EventTypeDef) -> String {
    def.schema
        .as_ref()
        .and_then(|s| s.get("$id"))
        .and_then(Value::as_str)
        .map_or_else(
            || schema_id(SchemaKind::EventType, &def.name),
            str::to_owned,
        )
}

/// The JSON Schema of `def`'s value: the registrar's, the Rust type's for blocks of the
/// model's table, or one made from its [`ValueShape`].
pub fn block_schema(def: &BlockDef) -> Value {
    if let Some(schema) = &def.schema {
        return schema.clone();
    }
    let mut schema = match def.known() {
        Some(block) if block.stable_name() == def.name => typed_schema(block),
        _ => shape_schema(&def.shape),
    };
    let id = schema_id(SchemaKind::Block, &def.name);
    if let Some(object) = schema.as_object_mut() {
        object.insert("$schema".to_owned(), DRAFT_2020_12.into());
        object.insert("$id".to_owned(), id.into());
        object.insert("title".to_owned(), def.name.as_str().into());
        let mut description = match object.get("description").and_then(Value::as_str) {
            Some(own) => own.to_owned(),
            None if def.defined_by.is_empty() => def.description.clone(),
            None => format!("{} Defined by {}.", def.description, def.defined_by),
        };
        let same_shape: Vec<&str> = def
            .aliases
            .iter()
            .filter(|a| !a.older_shape)
            .map(|a| a.name.as_str())
            .collect();
        if !same_shape.is_empty() {
            description.push_str(&format!(" Also sent as: {}.", same_shape.join(", ")));
        }
        if !description.trim().is_empty() {
            object.insert("description".to_owned(), description.trim().into());
        }
        link_nested_blocks(object);
    }
    schema
}

/// The schema the Rust type of `block` declares, as a root schema.
fn typed_schema(block: KnownBlock) -> Value {
    fn root<T: JsonSchema>() -> Value {
        let generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
        // A `serde_json::Value` reads as any serde input does; its only failure, NaN or an
        // infinity, serde_json never holds. The published-schema tests compare every byte.
        Value::deserialize_lenient(generator.into_root_schema_for::<T>().as_value())
            .unwrap_or_default()
    }
    match block {
        KnownBlock::Text => root::<TextBlock>(),
        KnownBlock::File => root::<FileBlock>(),
        KnownBlock::Caption => root::<CaptionBlock>(),
        KnownBlock::ImageDetails => root::<ImageDetailsBlock>(),
        KnownBlock::Thumbnail => root::<ThumbnailBlock>(),
        KnownBlock::AltText => root::<AltTextBlock>(),
        KnownBlock::VideoDetails => root::<VideoDetailsBlock>(),
        KnownBlock::AudioDetails => root::<AudioDetailsBlock>(),
        KnownBlock::Automated => root::<AutomatedBlock>(),
        KnownBlock::Location => root::<LocationBlock>(),
        KnownBlock::Asset => root::<AssetBlock>(),
        KnownBlock::Ts => root::<TsBlock>(),
        KnownBlock::Topic => root::<TopicBlock>(),
        KnownBlock::Poll => root::<PollBlock>(),
        KnownBlock::Selections => root::<SelectionsBlock>(),
        KnownBlock::PollResults => root::<PollResultsBlock>(),
        KnownBlock::RelatesTo => root::<RelatesToBlock>(),
        KnownBlock::Mentions => root::<MentionsBlock>(),
        KnownBlock::Encrypted => root::<EncryptedBlock>(),
        // A block added to the model without a schema here accepts any value.
        _ => Value::Object(Object::new()),
    }
}

/// A schema accepting values of `shape`.
fn shape_schema(shape: &ValueShape) -> Value {
    fn object(members: &[(&str, Value)]) -> Value {
        members
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }
    let type_name = |shape: &ValueShape| -> Option<&'static str> {
        match shape {
            ValueShape::Object => Some("object"),
            ValueShape::Array => Some("array"),
            ValueShape::String => Some("string"),
            ValueShape::Integer => Some("integer"),
            ValueShape::Boolean => Some("boolean"),
            _ => None,
        }
    };
    match shape {
        ValueShape::Integer => object(&[
            ("type", "integer".into()),
            ("minimum", Value::Integer(MIN_SAFE_INTEGER)),
            ("maximum", Value::Integer(MAX_SAFE_INTEGER)),
        ]),
        ValueShape::OneOf(shapes) => {
            let names: Option<Vec<Value>> = shapes
                .iter()
                .map(|s| type_name(s).map(Value::from))
                .collect();
            match names {
                Some(names) => object(&[("type", Value::Array(names))]),
                None => Value::Object(Object::new()),
            }
        }
        other => match type_name(other) {
            Some(name) => object(&[("type", name.into())]),
            None => Value::Object(Object::new()),
        },
    }
}

/// Points references to nested built-in blocks (`#/$defs/m.text`) at the blocks' own files
/// (`m.text.json`, beside this one), and drops the definitions nothing refers to any more.
fn link_nested_blocks(object: &mut Object) {
    let block_names: BTreeSet<&str> = KnownBlock::ALL.iter().map(|b| b.stable_name()).collect();
    for value in object.values_mut() {
        rewrite_refs(value, &|target| {
            let name = target.strip_prefix("#/$defs/")?;
            block_names.contains(name).then(|| format!("{name}.json"))
        });
    }
    // Definitions of nested blocks are now unused; so may be the ones only they used.
    while let Some(Value::Object(defs)) = object.get("$defs") {
        let mut used = BTreeSet::new();
        for (key, value) in object.iter() {
            if key != "$defs" {
                collect_refs(value, &mut used);
            }
        }
        for (name, value) in defs {
            if used.contains(&format!("#/$defs/{name}")) {
                collect_refs(value, &mut used);
            }
        }
        let unused: Vec<String> = defs
            .keys()
            .filter(|name| !used.contains(&format!("#/$defs/{name}")))
            .cloned()
            .collect();
        if unused.is_empty() {
            break;
        }
        if let Some(Value::Object(defs)) = object.get_mut("$defs") {
            for name in &unused {
                defs.remove(name);
            }
            if defs.is_empty() {
                object.remove("$defs");
            }
        }
    }
}

/// Replaces every `$ref` in `value` for which `map` gives a new target.
fn rewrite_refs(value: &mut Value, map: &dyn Fn(&str) -> Option<String>) {
    match value {
        Value::Object(members) => {
            if let Some(new) = members.get("$ref").and_then(Value::as_str).and_then(map) {
                members.insert("$ref".to_owned(), new.into());
            }
            for member in members.values_mut() {
                rewrite_refs(member, map);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, map);
            }
        }
        _ => {}
    }
}

/// Adds every `$ref` target in `value` to `refs`.
fn collect_refs(value: &Value, refs: &mut BTreeSet<String>) {
    match value {
        Value::Object(members) => {
            if let Some(target) = members.get("$ref").and_then(Value::as_str) {
                refs.insert(target.to_owned());
            }
            for member in members.values() {
                collect_refs(member, refs);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_refs(item, refs);
            }
        }
        _ => {}
    }
}

/// A reference from the schema `from` (an `$id`) to the schema `to`: relative when both are
/// built-in, else absolute.
fn reference(from: &str, to: &str) -> String {
    match (from.strip_prefix(SCHEMA_BASE), to.strip_prefix(SCHEMA_BASE)) {
        (Some(from), Some(to)) => {
            let from_folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
            match to.split_once('/') {
                Some((folder, file)) if folder == from_folder => file.to_owned(),
                _ => format!("../{to}"),
            }
        }
        _ => to.to_owned(),
    }
}

/// A regular expression matching the mimetypes `patterns` accept (`image/*` is every image
/// type).
fn mimetype_regex(patterns: &[String]) -> String {
    let alternatives: Vec<String> = patterns
        .iter()
        .map(|p| match p.strip_suffix("/*") {
            Some(major) => format!("{}/.+", escape_regex(major)),
            None => escape_regex(p),
        })
        .collect();
    format!("^(?:{})$", alternatives.join("|"))
}

fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
/// Adds `field` to the `required` members of a block's property schema.
fn add_required(property: &mut Object, field: &str) {
    let required = property
        .entry("required".to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(fields) = required
        && !fields.iter().any(|f| f.as_str() == Some(field))
    {
        fields.push(field.into());
    }
}

/// The JSON Schema of a whole event of type `def`: the registrar's, or one built from the
/// definition and `registry` (which gives the block schemas it refers to).
///
/// The built schema describes events in their stable form: `type` is the type's own name,
/// `content` holds every required block, and each block the type names (and each mixin of the
/// registry) is checked against its schema, with the type's [`Constraint`]s on top. State
/// types require `state_key`. Other members and blocks are open.
pub fn event_type_schema(registry: &Registry, def: &EventTypeDef) -> Value {
    if let Some(schema) = &def.schema {
        return schema.clone();
    }
    let id = schema_id(SchemaKind::EventType, &def.name);
    let mut names: Vec<&str> = Vec::new();
    for name in def
        .required
        .iter()
        .chain(&def.optional)
        .map(String::as_str)
        .chain(
            registry
                .blocks()
                .filter(|b| b.mixin)
                .map(|b| b.name.as_str()),
        )
    {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut properties = Object::new();
    for name in names {
        let Some(block) = registry.block(name) else {
            continue;
        };
        let mut property = Object::new();
        property.insert(
            "$ref".to_owned(),
            reference(&id, &block_schema_id(block)).into(),
        );
        for constraint in &def.constraints {
            match constraint {
                Constraint::FileMimetype { patterns, required } if block.name == "m.file" => {
                    let mut mimetype = Object::new();
                    mimetype.insert("type".to_owned(), "string".into());
                    mimetype.insert("pattern".to_owned(), mimetype_regex(patterns).into());
                    let mut props = Object::new();
                    props.insert("mimetype".to_owned(), Value::Object(mimetype));
                    property.insert("properties".to_owned(), Value::Object(props));
                    if *required {
                        add_required(&mut property, "mimetype");
                    }
                }
                Constraint::RequiredField { block: b, field }
                    if registry.block(b) == Some(block) =>
                {
                    add_required(&mut property, field);
                }
                Constraint::HasField { block: b, fields } if registry.block(b) == Some(block) => {
                    let branches: Vec<Value> = fields
                        .iter()
                        .map(|f| {
                            [("required".to_owned(), Value::Array(vec![f.as_str().into()]))]
                                .into_iter()
                                .collect()
                        })
                        .collect();
                    property.insert("anyOf".to_owned(), Value::Array(branches));
                }
                _ => {}
            }
        }
        properties.insert(name.to_owned(), Value::Object(property));
    }
    let mut content = Object::new();
    content.insert("type".to_owned(), "object".into());
    content.insert(
        "required".to_owned(),
        def.required
            .iter()
            .map(|b| Value::from(b.as_str()))
            .collect(),
    );
    content.insert("properties".to_owned(), Value::Object(properties));

    let mut type_member = Object::new();
    type_member.insert("const".to_owned(), def.name.as_str().into());
    if !def.aliases.is_empty() {
        let names: Vec<&str> = def.aliases.iter().map(|a| a.name.as_str()).collect();
        type_member.insert(
            "description".to_owned(),
            format!(
                "Also sent as {}; exev validate maps those names (and blocks' other names) onto this stable form.",
                names.join(", ")
            )
            .into(),
        );
    }
    let mut top = Object::new();
    top.insert("type".to_owned(), Value::Object(type_member));
    top.insert("content".to_owned(), Value::Object(content));
    let mut required: Vec<Value> = vec!["type".into(), "content".into()];
    if def.state {
        let mut state_key = Object::new();
        state_key.insert("type".to_owned(), "string".into());
        top.insert("state_key".to_owned(), Value::Object(state_key));
        required.push("state_key".into());
    }

    let mut description = def.description.clone();
    if !def.defined_by.is_empty() {
        description.push_str(&format!(" Defined by {}.", def.defined_by));
    }
    let mut schema = Object::new();
    schema.insert("$schema".to_owned(), DRAFT_2020_12.into());
    schema.insert("$id".to_owned(), id.into());
    schema.insert("title".to_owned(), def.name.as_str().into());
    schema.insert("description".to_owned(), description.trim().into());
    schema.insert("type".to_owned(), "object".into());
    schema.insert("required".to_owned(), Value::Array(required));
    schema.insert("properties".to_owned(), Value::Object(top));
    Value::Object(schema)
}

/// Every schema `registry` publishes: each block's, then each event type's, by name.
pub fn published_schemas(registry: &Registry) -> Vec<SchemaFile> {
    let blocks = registry.blocks().map(|def| SchemaFile {
        kind: SchemaKind::Block,
        name: def.name.clone(),
        path: schema_path(SchemaKind::Block, &def.name),
        schema: block_schema(def),
    });
    let types = registry.event_types().map(|def| SchemaFile {
        kind: SchemaKind::EventType,
        name: def.name.clone(),
        path: schema_path(SchemaKind::EventType, &def.name),
        schema: event_type_schema(registry, def),
    });
    blocks.chain(types).collect()
}

/// The index of `files`: `{"blocks": {name: path}, "event_types": {name: path}}`, paths
/// relative to the schemas folder.
pub fn schema_index(files: &[SchemaFile]) -> Value {
    let mut index = Object::new();
    for kind in [SchemaKind::Block, SchemaKind::EventType] {
        let entries: Object = files
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| (f.name.clone(), Value::from(f.path.as_str())))
            .collect();
        index.insert(kind.folder().to_owned(), Value::Object(entries));
    }
    Value::Object(index)
}

/// The files `exev schema --out DIR` writes for `registry`: `index.json` and every schema,
/// each as indented JSON with sorted keys and a final newline, by path.
///
/// # Errors
///
/// The JSON encoder's, for a value it cannot write (a registrar's schema holding a kind of
/// value this version does not know); schemas of today's model always encode.
pub fn schema_files(registry: &Registry) -> Result<Vec<(String, Vec<u8>)>, exev_codec::Error> {
    let files = published_schemas(registry);
    let pretty = |value: &Value| {
        let mut bytes = exev_codec::json::value_to_vec_pretty(value)?;
        bytes.push(b'\n');
        Ok::<_, exev_codec::Error>(bytes)
    };
    let mut out = vec![("index.json".to_owned(), pretty(&schema_index(&files))?)];
    for f in &files {
        out.push((f.path.clone(), pretty(&f.schema)?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_relative_between_built_in_files() {
        let image = schema_id(SchemaKind::EventType, "m.image");
        let text = schema_id(SchemaKind::Block, "m.text");
        let caption = schema_id(SchemaKind::Block, "m.caption");
        assert_eq!(reference(&image, &text), "../blocks/m.text.json");
        assert_eq!(reference(&caption, &text), "m.text.json");
        assert_eq!(
            reference(&image, "https://example.org/x.json"),
            "https://example.org/x.json"
        );
    }

    #[test]
    fn mimetype_patterns() {
        assert_eq!(
            mimetype_regex(&["image/*".to_owned(), "audio/ogg".to_owned()]),
            "^(?:image/.+|audio/ogg)$"
        );
        assert_eq!(escape_regex("a+b.c"), "a\\+b\\.c");
    }

    #[test]
    fn nested_blocks_point_at_their_files() {
        let registry = Registry::built_in();
        let thumbnail = block_schema(registry.block("m.thumbnail").unwrap());
        let defs = thumbnail.get("$defs").and_then(Value::as_object).unwrap();
        assert_eq!(defs.keys().collect::<Vec<_>>(), ["Thumbnail"]);
        let file = defs["Thumbnail"]
            .get("properties")
            .and_then(|p| p.get("m.file"))
            .unwrap();
        assert_eq!(
            exev_codec::json::value_to_vec(file).unwrap(),
            br#"{"allOf":[{"$ref":"m.file.json"}],"required":["mimetype"]}"#
        );
    }

    #[test]
    fn event_types_require_their_blocks() {
        let registry = Registry::built_in();
        let voice = event_type_schema(&registry, registry.event_type("m.voice").unwrap());
        let content = voice
            .get("properties")
            .and_then(|p| p.get("content"))
            .unwrap();
        assert_eq!(
            exev_codec::json::value_to_vec(content.get("required").unwrap()).unwrap(),
            br#"["m.text","m.file","m.audio_details"]"#
        );
        let props = content.get("properties").unwrap();
        assert!(props.get("m.automated").is_some(), "mixins are described");
        assert_eq!(
            exev_codec::json::value_to_vec(props.get("m.file").unwrap()).unwrap(),
            br#"{"$ref":"../blocks/m.file.json","properties":{"mimetype":{"pattern":"^(?:audio/.+)$","type":"string"}},"required":["mimetype","name"]}"#,
            "the voice file's audio mimetype, and its name (MSC3551: files of file events have one)"
        );
    }
}
