//! [`Validator`]: checks an event against its event type's JSON Schema and each block's, with
//! the jsonschema crate, and says what is wrong where.
//!
//! The published schemas describe events in their stable form. An event is checked like this:
//!
//! 1. **Its type.** A type the registry knows is checked against its event-type schema. An
//!    event sent under the stable type name is checked as it is, as any validator using the
//!    published schema would (so `m.message` needs `m.text`, not the obsolete `m.markup`); an
//!    event sent under another name is first mapped onto the stable form, its blocks' other
//!    names included (a block sent only as `org.matrix.msc1767.file` is checked where the
//!    schema says `m.file`). A type the registry does not know is a warning: only its blocks
//!    are checked. An alias that requires more blocks (the unstable poll end's marker) is
//!    checked too.
//! 2. **Hybrid events.** A legacy `m.room.message` (or `m.sticker`) carrying content blocks
//!    must carry exactly those its msgtype allows, each saying what its legacy fields say
//!    (MSC4460; [`exev::legacy::check_hybrid`]); anything else is an error naming both sides.
//! 3. **Its other blocks.** Every other block the registry knows, whatever the type, is checked
//!    against its block schema: extra blocks are allowed, but a known block must be valid.
//!    Unknown blocks and unknown fields are allowed; so are the bare legacy field names of state
//!    events (`topic`, `description`) outside the types that name them.
//! 4. **Severity.** Everything the schemas find is an error, except:
//!    - an invalid `m.text` representation when the block keeps a valid one: renderers skip it
//!      (MSC1767), so it is a warning; with no valid representation left it is an error;
//!    - a block under an unstable or obsolete name whose value does not fit the stable schema:
//!      a warning when the model still reads it in that name's older shape (the string form of
//!      `org.matrix.msc1767.text`, the unstable poll), or when the name is declared to carry an
//!      older shape; an error when the shapes are meant to match.
//! 5. **Warnings on valid data.** Unstable and obsolete names, a block present under two names,
//!    more than 20 poll answers (clients show only the first 20), an `m.text` with no
//!    representation or no plain-text one, `m.file`'s `uri` spelling, an `m.automated` that is
//!    not a boolean (clients treat it as false, MSC3955).

use std::collections::{BTreeMap, BTreeSet};

use exev::legacy::{self, HybridCheck};
use exev::{AnyBlock, Event, NameStatus, Path, Segment, Value};
use jsonschema::error::{TypeKind, ValidationErrorKind};

use super::json::{path_of, pointer_segments, to_json, value_at};
use super::publish::{block_schema_id, event_type_schema_id};
use crate::{
    BlockDef, Problem, Registry, Report, SCHEMA_BASE, Severity, block_schema, event_type_schema,
};

/// A schema that failed to compile: the registry's schemas are not all valid, or a `$ref`
/// points nowhere.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemaError {
    /// The `$id` of the schema.
    pub id: String,
    /// Why it failed.
    pub message: String,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.id, self.message)
    }
}

impl std::error::Error for SchemaError {}

/// An event type's compiled schema and the blocks it checks.
struct TypeCheck {
    validator: jsonschema::Validator,
    /// The blocks its `content` names (required or described), by the names it uses.
    covers: Vec<String>,
}

/// Validates events against a registry's schemas: each event type's and each block's,
/// compiled once.
///
/// ```
/// use exev_registry::{Registry, Validator};
///
/// let validator = Validator::new(&Registry::built_in())?;
/// let event = exev_codec::json::from_str(
///     r#"{"type": "m.poll.start", "content": {
///         "m.text": [{"body": "Lunch?"}],
///         "m.poll": {"question": {"m.text": [{"body": "Lunch?"}]},
///                    "answers": [{"m.text": [{"body": "Pizza"}]}]}
///     }}"#,
/// )?;
/// let report = validator.validate(&event);
/// assert!(!report.is_valid());
/// assert_eq!(
///     report.problems[0].to_string(),
///     r#"content["m.poll"].answers[0]: missing required field "m.id" (schema blocks/m.poll.json#/$defs/PollAnswer/required)"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Validator {
    registry: Registry,
    /// Block schemas by block name.
    blocks: BTreeMap<String, jsonschema::Validator>,
    /// Event-type schemas by type name.
    types: BTreeMap<String, TypeCheck>,
    /// Every schema by `$id`, to read the keywords errors point at.
    schemas: BTreeMap<String, serde_json::Value>,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("blocks", &self.blocks.keys().collect::<Vec<_>>())
            .field("types", &self.types.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// `schema` with `$id` set to `id` when it has none.
fn with_id(mut schema: serde_json::Value, id: &str) -> serde_json::Value {
    if let Some(object) = schema.as_object_mut() {
        object
            .entry("$id")
            .or_insert_with(|| serde_json::Value::from(id));
    }
    schema
}

impl Validator {
    /// Compiles every schema of `registry` ([`block_schema`], [`event_type_schema`]); they
    /// refer to each other by `$id`, and nothing is fetched from anywhere.
    ///
    /// # Errors
    ///
    /// A [`SchemaError`] for the first schema that does not compile.
    pub fn new(registry: &Registry) -> Result<Validator, SchemaError> {
        let mut schemas = BTreeMap::new();
        let mut block_ids = Vec::new();
        for def in registry.blocks() {
            let id = block_schema_id(def);
            schemas.insert(id.clone(), with_id(to_json(&block_schema(def)), &id));
            block_ids.push((def.name.clone(), id));
        }
        let mut type_ids = Vec::new();
        for def in registry.event_types() {
            let id = event_type_schema_id(def);
            let schema = to_json(&event_type_schema(registry, def));
            schemas.insert(id.clone(), with_id(schema, &id));
            type_ids.push((def.name.clone(), id));
        }
        let resources = jsonschema::Registry::new()
            .extend(schemas.iter().map(|(id, s)| (id.as_str(), s)))
            .and_then(jsonschema::RegistryBuilder::prepare)
            .map_err(|e| {
                // Name the schema whose reference leads nowhere, when that is the problem.
                let culprit = match &e {
                    jsonschema::ReferencingError::Unretrievable { uri, .. } => schemas
                        .iter()
                        .find(|(id, schema)| refers_to(schema, id, uri))
                        .map(|(id, _)| id.clone()),
                    _ => None,
                };
                SchemaError {
                    id: culprit.unwrap_or_else(|| "(the registry's schemas)".to_owned()),
                    message: e.to_string(),
                }
            })?;
        let compile = |id: &str| -> Result<jsonschema::Validator, SchemaError> {
            let schema = schemas.get(id).ok_or_else(|| SchemaError {
                id: id.to_owned(),
                message: "no such schema".to_owned(),
            })?;
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .with_registry(&resources)
                .build(schema)
                .map_err(|e| SchemaError {
                    id: id.to_owned(),
                    message: e.to_string(),
                })
        };
        let mut blocks = BTreeMap::new();
        for (name, id) in &block_ids {
            blocks.insert(name.clone(), compile(id)?);
        }
        let mut types = BTreeMap::new();
        for (name, id) in &type_ids {
            let validator = compile(id)?;
            let covers = schemas.get(id).map(covered_blocks).unwrap_or_default();
            types.insert(name.clone(), TypeCheck { validator, covers });
        }
        drop(resources);
        Ok(Validator {
            registry: registry.clone(),
            blocks,
            types,
            schemas,
        })
    }

    /// The registry this validator checks against.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Checks `event`: see the module documentation for what is an error and what a warning.
    pub fn validate(&self, event: &Event) -> Report {
        let mut run = Run {
            validator: self,
            event,
            event_value: std::cell::OnceCell::new(),
            found: Vec::new(),
            problems: Vec::new(),
            older: BTreeSet::new(),
        };
        let mut checked: BTreeSet<String> = BTreeSet::new();
        run.check_type(event, &mut checked);
        run.check_other_blocks(event, &checked);
        run.classify();
        run.check_hybrid(event);
        run.lint(event);
        Report::from_problems(run.problems)
    }
}

/// Whether `schema` (whose `$id` is `id`) has a `$ref` to the document `target`.
fn refers_to(schema: &serde_json::Value, id: &str, target: &str) -> bool {
    match schema {
        serde_json::Value::Object(members) => {
            members
                .get("$ref")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|r| resolve_reference(id, r) == target.trim_end_matches('#'))
                || members.values().any(|v| refers_to(v, id, target))
        }
        serde_json::Value::Array(items) => items.iter().any(|v| refers_to(v, id, target)),
        _ => false,
    }
}

/// The document `reference` names, resolved against `base` (RFC 3986, for the forms schemas
/// use: absolute URIs, fragments, absolute and relative paths).
fn resolve_reference(base: &str, reference: &str) -> String {
    let reference = reference.split('#').next().unwrap_or_default();
    let base = base.split('#').next().unwrap_or_default();
    if reference.is_empty() {
        return base.to_owned();
    }
    if reference.contains("://") {
        return reference.to_owned();
    }
    let (origin, path) = match base.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('/') {
            Some((host, path)) => (format!("{scheme}://{host}"), path),
            None => (format!("{scheme}://{rest}"), ""),
        },
        None => (String::new(), base),
    };
    let mut segments: Vec<&str> = if reference.starts_with('/') {
        Vec::new()
    } else {
        let mut dir: Vec<&str> = path.split('/').collect();
        dir.pop();
        dir
    };
    for segment in reference.trim_start_matches('/').split('/') {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    format!("{origin}/{}", segments.join("/"))
}

/// The blocks an event-type schema's `content` requires or describes.
fn covered_blocks(schema: &serde_json::Value) -> Vec<String> {
    let content = schema.pointer("/properties/content");
    let mut names: Vec<String> = Vec::new();
    let required = content
        .and_then(|c| c.get("required"))
        .and_then(serde_json::Value::as_array);
    let described = content
        .and_then(|c| c.get("properties"))
        .and_then(serde_json::Value::as_object);
    for name in required
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .chain(
            described
                .into_iter()
                .flat_map(|p| p.keys().map(String::as_str)),
        )
    {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// What a schema found, before its severity is decided.
struct Found {
    path: Path,
    /// The block it is in, with the name it was sent under.
    block: Option<(String, String)>,
    message: String,
    schema: Option<String>,
    severity: Severity,
    /// Already given its severity by the `m.text` representation rule.
    settled: bool,
}

/// One validation.
struct Run<'v> {
    validator: &'v Validator,
    event: &'v Event,
    /// The whole event as a value, made only when something needs a path into it.
    event_value: std::cell::OnceCell<Value>,
    found: Vec<Found>,
    problems: Vec<Problem>,
    /// Blocks (definition, name sent) whose value has the older shape of the name they came
    /// under.
    older: BTreeSet<(String, String)>,
}

impl Run<'_> {
    fn event_value(&self) -> &Value {
        self.event_value.get_or_init(|| self.event.to_value())
    }

    fn warn(&mut self, path: Path, message: impl Into<String>) {
        self.problems
            .push(Problem::new(Severity::Warning, path, message));
    }

    fn error(&mut self, path: Path, message: impl Into<String>) {
        self.problems
            .push(Problem::new(Severity::Error, path, message));
    }

    /// Checks the event against its type's schema, with names mapped onto the stable ones;
    /// adds to `checked` the names of the blocks that schema covered.
    fn check_type(&mut self, event: &Event, checked: &mut BTreeSet<String>) {
        let registry = &self.validator.registry;
        let type_name = event.event_type();
        let type_path = Path::root().key("type");
        let Some((def, status)) = registry.event_type_named(type_name) else {
            // Legacy events are the spec's own: their blocks are checked, and as a hybrid.
            if legacy::is_legacy(event) {
                return;
            }
            self.warn(
                type_path,
                format!(
                    "{type_name} is not an event type the registry knows: only its known blocks are checked"
                ),
            );
            return;
        };
        if status != NameStatus::Stable {
            self.warn(
                type_path,
                format!("{type_name} is the {status} name of {}", def.name),
            );
        }
        let content = event.content();
        if let Some(alias) = def.alias_named(type_name) {
            for block in &alias.also_requires {
                if registry.find_block(content, block).is_none() {
                    self.error(
                        Path::root().key("content"),
                        format!("missing required block \"{block}\" (events sent as {type_name} carry it)"),
                    );
                }
            }
        }
        let Some(check) = self.validator.types.get(&def.name) else {
            return;
        };
        // The content as the stable schema expects it: blocks found under another name are
        // checked where the schema names them.
        let mut members: serde_json::Map<String, serde_json::Value> = content
            .as_object()
            .iter()
            .map(|(k, v)| (k.clone(), to_json(v)))
            .collect();
        // An event sent under the stable type name is checked as it is, so that exev agrees
        // with any validator using the published schema; only events sent under another name
        // are mapped onto the stable form, blocks' other names included.
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let mut stable_only_missing: Vec<(String, String)> = Vec::new();
        for block in &check.covers {
            if members.contains_key(block) {
                checked.insert(block.clone());
            } else if let Some((sent, value)) = registry.find_block(content, block) {
                if status == NameStatus::Stable {
                    stable_only_missing.push((block.clone(), sent.to_owned()));
                } else {
                    members.insert(block.clone(), to_json(value));
                    renamed.insert(block.clone(), sent.to_owned());
                    checked.insert(sent.to_owned());
                }
            }
        }
        let mut instance: serde_json::Map<String, serde_json::Value> = event
            .other()
            .iter()
            .map(|(k, v)| (k.clone(), to_json(v)))
            .collect();
        instance.insert("type".to_owned(), def.name.as_str().into());
        instance.insert("content".to_owned(), serde_json::Value::Object(members));
        let instance = serde_json::Value::Object(instance);
        if check.validator.is_valid(&instance) {
            return;
        }
        let first_found = self.found.len();
        for error in check.validator.iter_errors(&instance) {
            let Some(mut segments) = pointer_segments(error.instance_path().as_str()) else {
                continue;
            };
            let mut block = None;
            if segments.first().map(String::as_str) == Some("content")
                && let Some(name) = segments.get(1).cloned()
            {
                let sent = renamed.get(&name).cloned().unwrap_or_else(|| name.clone());
                if let Some(slot) = segments.get_mut(1) {
                    slot.clone_from(&sent);
                }
                let def_name = registry
                    .block(&sent)
                    .map_or_else(|| name.clone(), |d| d.name.clone());
                block = Some((def_name, sent));
            }
            let path = path_of(self.event_value(), &segments);
            let at_content = segments.len() == 1 && block.is_none();
            self.record(&error, path, block, at_content);
        }
        // Say where the block is when it came under another name.
        for f in self.found.iter_mut().skip(first_found) {
            for (block, sent) in &stable_only_missing {
                if f.message == format!("missing required block \"{block}\"") {
                    let status = registry
                        .block_named(sent)
                        .map_or(NameStatus::Unstable, |(_, s)| s);
                    f.message.push_str(&format!(
                        " ({sent} is present, the {status} name of {block}: an event sent as the \
                         stable {type_name} uses the stable block names its schema requires)"
                    ));
                }
            }
        }
    }

    /// Checks every known block the type's schema did not cover against its own schema.
    fn check_other_blocks(&mut self, event: &Event, checked: &BTreeSet<String>) {
        let registry = &self.validator.registry;
        for (name, value) in event.content().as_object() {
            if checked.contains(name) {
                continue;
            }
            let Some(def) = registry.block(name) else {
                continue;
            };
            // Bare legacy fields of state events (`topic`, `live`) mean something only in
            // the types that name them.
            if !def.name.contains('.') {
                continue;
            }
            let Some(validator) = self.validator.blocks.get(&def.name) else {
                continue;
            };
            let instance = to_json(value);
            if validator.is_valid(&instance) {
                continue;
            }
            let prefix = Path::root().key("content").key(name.as_str());
            for error in validator.iter_errors(&instance) {
                let Some(segments) = pointer_segments(error.instance_path().as_str()) else {
                    continue;
                };
                let mut path = path_of(value, &segments);
                path.prepend(&prefix);
                self.record(&error, path, Some((def.name.clone(), name.clone())), false);
            }
        }
    }

    /// Keeps what `error` says at `path`.
    fn record(
        &mut self,
        error: &jsonschema::ValidationError<'_>,
        path: Path,
        block: Option<(String, String)>,
        at_content: bool,
    ) {
        let location = error
            .absolute_keyword_location()
            .map(|u| u.as_str().to_owned());
        let message = self.message(error, location.as_deref(), at_content);
        self.found.push(Found {
            path,
            block,
            message,
            schema: location.map(|l| short_location(&l)),
            severity: Severity::Error,
            settled: false,
        });
    }

    /// What `error` means, in words.
    fn message(
        &self,
        error: &jsonschema::ValidationError<'_>,
        location: Option<&str>,
        at_content: bool,
    ) -> String {
        let instance = error.instance();
        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let what = if at_content { "block" } else { "field" };
                format!("missing required {what} {property}")
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => with_article(&t.to_string()),
                    TypeKind::Multiple(set) => set
                        .iter()
                        .map(|t| with_article(&t.to_string()))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                format!("expected {expected}, found {}", kind_of(instance))
            }
            ValidationErrorKind::Minimum { limit } => {
                format!("{} is less than the minimum of {limit}", brief(instance))
            }
            ValidationErrorKind::Maximum { limit } => {
                format!("{} is more than the maximum of {limit}", brief(instance))
            }
            ValidationErrorKind::Constant { expected_value } => {
                format!("expected {expected_value}, found {}", brief(instance))
            }
            ValidationErrorKind::Enum { options } => {
                format!("expected one of {options}, found {}", brief(instance))
            }
            ValidationErrorKind::Pattern { pattern } => {
                format!("{} does not match {pattern}", brief(instance))
            }
            ValidationErrorKind::AnyOf { .. } => {
                match location
                    .and_then(|l| self.keyword_at(l))
                    .and_then(one_of_required)
                {
                    Some(names) => format!("missing required field: one of {names}"),
                    None => "matches none of the shapes the schema allows".to_owned(),
                }
            }
            ValidationErrorKind::FalseSchema => "is not allowed here".to_owned(),
            _ => error.masked_with("the value").to_string(),
        }
    }

    /// The schema keyword at `location` (a URI with a JSON Pointer fragment).
    fn keyword_at(&self, location: &str) -> Option<&serde_json::Value> {
        let (id, fragment) = location.split_once('#')?;
        let schema = self.validator.schemas.get(id)?;
        schema.pointer(&percent_decode(fragment))
    }

    /// Decides the severity of what the schemas found (module documentation, point 4), and
    /// turns it into problems.
    fn classify(&mut self) {
        let registry = &self.validator.registry;
        let found = std::mem::take(&mut self.found);
        let mut found = found;
        // Invalid m.text representations.
        for f in &mut found {
            if let Some((text_path, index)) = representation_of(registry, &f.path) {
                let keeps_valid = value_at(self.event_value(), &text_path)
                    .and_then(Value::as_array)
                    .is_some_and(|reps| reps.iter().any(is_valid_representation));
                f.settled = true;
                if keeps_valid {
                    f.severity = Severity::Warning;
                    f.message = format!(
                        "representation {index} is invalid and renderers skip it: {}",
                        f.message
                    );
                } else {
                    f.message = format!("{} (no valid representation is left)", f.message);
                }
            }
        }
        // Blocks under other names.
        let mut older: BTreeSet<(String, String)> = BTreeSet::new();
        let blocks: BTreeSet<(String, String)> = found
            .iter()
            .filter(|f| !f.settled)
            .filter_map(|f| f.block.clone())
            .filter(|(def, sent)| def != sent)
            .collect();
        for (def_name, sent) in blocks {
            let Some(def) = registry.block(&def_name) else {
                continue;
            };
            let value = self.event.content().get_raw(&sent);
            let read_by_model = def.known().is_some()
                && value.is_some_and(|v| matches!(AnyBlock::read_named(&sent, v), Some(Ok(_))));
            let declared_older = def.alias_named(&sent).is_some_and(|a| a.older_shape);
            let key = (def_name.clone(), sent.clone());
            for f in found
                .iter_mut()
                .filter(|f| !f.settled && f.block.as_ref() == Some(&key))
            {
                if read_by_model {
                    f.settled = true;
                    f.severity = Severity::Warning;
                    f.message.clear();
                } else if declared_older {
                    f.severity = Severity::Warning;
                }
            }
            if read_by_model {
                older.insert(key);
            }
        }
        self.older = older;
        for f in found {
            if f.message.is_empty() {
                continue;
            }
            let mut problem = Problem::new(f.severity, f.path, f.message);
            if let Some(schema) = f.schema {
                problem = problem.with_schema(schema);
            }
            self.problems.push(problem);
        }
    }

    /// A hybrid legacy event whose blocks say something other than its legacy fields is
    /// invalid (MSC4460): clients on either side would show different messages.
    fn check_hybrid(&mut self, event: &Event) {
        if let HybridCheck::Mismatched(problems) = legacy::check_hybrid(event) {
            // A malformed block's own schema says what is wrong with it.
            for p in problems.into_iter().filter(|p| !p.malformed) {
                self.error(
                    p.path.clone(),
                    format!("hybrid event (MSC4460): {}", p.message),
                );
            }
        }
    }

    /// Warnings about valid data (module documentation, point 5).
    fn lint(&mut self, event: &Event) {
        let registry = &self.validator.registry;
        let content = event.content();
        let content_path = || Path::root().key("content");
        // Names.
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for name in content.as_object().keys() {
            let Some((def, status)) = registry.block_named(name) else {
                continue;
            };
            if *name != def.name {
                let mut message = format!("{name} is the {status} name of {}", def.name);
                if self.older.contains(&(def.name.clone(), name.clone())) {
                    message.push_str(&format!(
                        ", sent in that name's older shape, which exev reads but the {} schema does not describe",
                        def.name
                    ));
                }
                self.warn(content_path().key(name.as_str()), message);
            }
            if let Some(first) = seen.get(def.name.as_str()) {
                let (used, ignored) = read_order(def, first, name);
                self.warn(
                    content_path().key(ignored),
                    format!("{used} is present too, so readers use it and ignore {ignored}"),
                );
            } else {
                seen.insert(def.name.as_str(), name.as_str());
            }
        }
        // Poll answers beyond what clients show.
        if let Some((sent, poll)) = registry.find_block(content, "m.poll") {
            let answers = poll.get("answers").and_then(Value::as_array).map(Vec::len);
            if let Some(n) = answers.filter(|n| *n > exev::PollBlock::MAX_ANSWERS) {
                self.warn(
                    content_path().key(sent).key("answers"),
                    format!(
                        "{n} answers: clients show only the first {} (MSC3381)",
                        exev::PollBlock::MAX_ANSWERS
                    ),
                );
            }
        }
        // m.text that gives renderers little to use.
        if let Some((sent, Value::Array(reps))) = registry.find_block(content, "m.text") {
            let path = content_path().key(sent);
            if reps.is_empty() {
                self.warn(
                    path,
                    "no representation: senders should give at least one (MSC1767)",
                );
            } else if reps.iter().any(is_valid_representation)
                && !reps
                    .iter()
                    .any(|r| is_valid_representation(r) && is_plain_representation(r))
            {
                self.warn(
                    path,
                    "no plain-text representation: senders are strongly encouraged to include one (MSC1767)",
                );
            }
        }
        // MSC3955: other values count as false.
        if let Some((sent, value)) = registry.find_block(content, "m.automated")
            && !exev::AutomatedBlock::is_boolean(value)
        {
            self.warn(
                content_path().key(sent),
                format!(
                    "{} is not a boolean: clients treat it as false (MSC3955)",
                    value.kind()
                ),
            );
        }
        // m.file's other spelling.
        if let Some((sent, file)) = registry.find_block(content, "m.file")
            && file.get("url").is_none()
            && file.get("uri").is_some()
        {
            self.warn(
                content_path().key(sent).key("uri"),
                "uri is MSC3551's prose spelling: every example and implementation sends url",
            );
        }
    }
}

/// Of two names of `def` both present, the one readers use and the one they ignore.
fn read_order<'n>(def: &BlockDef, a: &'n str, b: &'n str) -> (&'n str, &'n str) {
    let rank = |name: &str| def.names().position(|(n, _, _)| n == name);
    if rank(a) <= rank(b) { (a, b) } else { (b, a) }
}

/// If `path` lies inside a representation of an `m.text` block (under any of its names), the
/// path of that block and the representation's index.
fn representation_of(registry: &Registry, path: &Path) -> Option<(Path, usize)> {
    let segments = path.segments();
    let mut found = None;
    for (i, pair) in segments.windows(2).enumerate() {
        if let [Segment::Key(key), Segment::Index(index)] = pair
            && registry.block(key).is_some_and(|d| d.name == "m.text")
        {
            let mut text = Path::root();
            for s in segments.iter().take(i + 1) {
                text = match s {
                    Segment::Key(k) => text.key(k.as_str()),
                    Segment::Index(n) => text.index(*n),
                    _ => text,
                };
            }
            found = Some((text, *index));
        }
    }
    found
}

/// Whether `value` is a representation renderers use: an object with a string `body`.
fn is_valid_representation(value: &Value) -> bool {
    matches!(value.get("body"), Some(Value::String(_)))
}

/// Whether a representation is plain text: no mimetype, or `text/plain`.
fn is_plain_representation(value: &Value) -> bool {
    match value.get("mimetype") {
        None => true,
        Some(m) => m
            .as_str()
            .is_some_and(|m| exev::same_mimetype(m, exev::DEFAULT_MIMETYPE)),
    }
}

/// `"url", "uri"` when `keyword` is an `anyOf` of schemas that each require one member.
fn one_of_required(keyword: &serde_json::Value) -> Option<String> {
    let names: Option<Vec<String>> = keyword
        .as_array()?
        .iter()
        .map(|branch| {
            let object = branch.as_object()?;
            let required = object.get("required")?.as_array()?;
            match (object.len(), required.as_slice()) {
                (1, [name]) => Some(name.to_string()),
                _ => None,
            }
        })
        .collect();
    names.map(|n| n.join(", "))
}

/// `location` relative to the built-in schemas' base when it is under it.
fn short_location(location: &str) -> String {
    let decoded = match location.split_once('#') {
        Some((uri, fragment)) => format!("{uri}#{}", percent_decode(fragment)),
        None => location.to_owned(),
    };
    decoded
        .strip_prefix(SCHEMA_BASE)
        .map_or_else(|| decoded.clone(), str::to_owned)
}

/// Decodes `%XX` escapes (as in URI fragments); anything malformed stays as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// `"an object"`, `"a string"`, ...
fn with_article(kind: &str) -> String {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// The JSON type of `value`, for messages.
fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// `value` for messages: scalars as they are (long strings cut), containers by kind.
fn brief(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) if s.chars().count() > 40 => {
            let cut: String = s.chars().take(40).collect();
            format!("\"{cut}…\"")
        }
        serde_json::Value::Array(_) => "an array".to_owned(),
        serde_json::Value::Object(_) => "an object".to_owned(),
        other => other.to_string(),
    }
}

/// Validates `event` against `registry`, compiling its schemas first: use a [`Validator`] to
/// check many events.
///
/// # Errors
///
/// A [`SchemaError`] when one of the registry's schemas does not compile.
pub fn validate(event: &Event, registry: &Registry) -> Result<Report, SchemaError> {
    Ok(Validator::new(registry)?.validate(event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_shortened_and_decoded() {
        assert_eq!(
            short_location("https://exev.invalid/schemas/json/blocks/m.file.json#/%24defs/X"),
            "blocks/m.file.json#/$defs/X"
        );
        assert_eq!(
            short_location("https://example.org/a.json#/type"),
            "https://example.org/a.json#/type"
        );
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }

    #[test]
    fn references_resolve() {
        let base = "https://exev.invalid/registrars/org.example/event_types/t.json";
        assert_eq!(
            resolve_reference(base, "../blocks/b.json#/x"),
            "https://exev.invalid/registrars/org.example/blocks/b.json"
        );
        assert_eq!(
            resolve_reference(base, "c.json"),
            "https://exev.invalid/registrars/org.example/event_types/c.json"
        );
        assert_eq!(
            resolve_reference(base, "/d.json"),
            "https://exev.invalid/d.json"
        );
        assert_eq!(resolve_reference(base, "#/$defs/x"), base);
        assert_eq!(
            resolve_reference(base, "https://example.org/e.json"),
            "https://example.org/e.json"
        );
    }

    #[test]
    fn words() {
        assert_eq!(with_article("object"), "an object");
        assert_eq!(with_article("string"), "a string");
        assert_eq!(
            brief(&serde_json::json!("x".repeat(50))).chars().count(),
            43
        );
    }
}
