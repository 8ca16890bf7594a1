//! Reading and checking one manifest directory: every rule in the module documentation of
//! [`crate::Manifest`], each problem reported with its file and JSON Pointer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path as FsPath};

use exev::{NameStatus, Object, Value, is_namespaced_identifier};
use exev_codec::{NumberPolicy, Options};

use super::{
    Example, MANIFEST_FILE, MANIFEST_VERSION, MAX_FILE_BYTES, Manifest, ManifestError,
    ManifestProblem, REGISTRAR_BASE,
};
use crate::schema::json::{pointer_segments, to_json};
use crate::{BlockDef, DRAFT_2020_12, EventTypeDef, Registry, Validator, ValueShape};

/// Reads and checks the manifest directory `dir` on top of `base` (see [`Manifest::load_onto`]).
pub(super) fn load(dir: &FsPath, base: &Registry) -> Result<Manifest, ManifestError> {
    let mut loader = Loader {
        dir,
        problems: Vec::new(),
        ids: BTreeMap::new(),
    };
    let manifest = loader.read(base);
    match manifest {
        Some(manifest) if loader.problems.is_empty() => Ok(manifest),
        _ => Err(ManifestError {
            dir: dir.to_path_buf(),
            problems: loader.problems,
        }),
    }
}

/// Reads one manifest directory, collecting problems.
struct Loader<'d> {
    dir: &'d FsPath,
    problems: Vec<ManifestProblem>,
    /// Schema `$id` to the file it came from.
    ids: BTreeMap<String, String>,
}

/// A member of an object, read with problems reported at its pointer.
struct Member<'a> {
    value: Option<&'a Value>,
    pointer: String,
}

/// Whose aliases are being read: its name, what it is, and the one member its aliases may
/// have besides `name` and `status`.
struct AliasOwner<'n> {
    name: &'n str,
    kind: NameKind,
    extra_member: &'static str,
}

/// One alias as read: its name and status, and its object for the owner's own member.
struct AliasEntry<'a> {
    name: String,
    status: NameStatus,
    object: &'a Object,
    pointer: String,
}

/// What a name is, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Block,
    EventType,
}

impl NameKind {
    fn as_str(self) -> &'static str {
        match self {
            NameKind::Block => "block",
            NameKind::EventType => "event type",
        }
    }
}

impl Loader<'_> {
    fn problem(&mut self, file: &str, pointer: &str, message: impl Into<String>) {
        self.problems
            .push(ManifestProblem::new(file, pointer, message));
    }

    fn read(&mut self, base: &Registry) -> Option<Manifest> {
        let manifest = self.read_json(MANIFEST_FILE, NumberPolicy::Strict)?;
        let Some(top) = manifest.as_object() else {
            self.problem(MANIFEST_FILE, "", "expected a JSON object");
            return None;
        };
        self.unknown_members(
            MANIFEST_FILE,
            "",
            top,
            &[
                "manifest_version",
                "namespace",
                "description",
                "blocks",
                "event_types",
                "examples",
            ],
        );
        match top.get("manifest_version") {
            Some(Value::Integer(MANIFEST_VERSION)) => {}
            Some(other) => {
                // Decoded from JSON, so it encodes; the encoder's words otherwise.
                let found = exev_codec::json::value_to_vec(other).map_or_else(
                    |e| e.to_string(),
                    |bytes| String::from_utf8_lossy(&bytes).into_owned(),
                );
                self.problem(
                    MANIFEST_FILE,
                    "/manifest_version",
                    format!("this exev reads manifest_version {MANIFEST_VERSION}, not {found}"),
                );
                return None;
            }
            None => self.problem(
                MANIFEST_FILE,
                "",
                format!("missing required member manifest_version (it is {MANIFEST_VERSION})"),
            ),
        }
        let namespace = self.required_string(MANIFEST_FILE, top, "namespace", "")?;
        if !is_namespaced_identifier(&namespace) {
            self.problem(
                MANIFEST_FILE,
                "/namespace",
                format!("{namespace:?} is not a namespaced identifier: {GRAMMAR}"),
            );
        } else if is_reserved(&namespace) {
            self.problem(
                MANIFEST_FILE,
                "/namespace",
                format!("{namespace}: the m. namespace is reserved for the Matrix specification (the built-in registry)"),
            );
        }
        let description = self
            .optional_string(MANIFEST_FILE, top, "description", "")
            .unwrap_or_default();

        let mut names: Names = Names::default();
        let mut blocks = Vec::new();
        for (i, entry) in self.array(MANIFEST_FILE, top, "blocks").iter().enumerate() {
            let pointer = format!("/blocks/{i}");
            if let Some(block) = self.block(entry, &pointer, &namespace, base, &mut names) {
                blocks.push(block);
            }
        }
        let mut event_types = Vec::new();
        for (i, entry) in self
            .array(MANIFEST_FILE, top, "event_types")
            .iter()
            .enumerate()
        {
            let pointer = format!("/event_types/{i}");
            if let Some(t) = self.event_type(entry, &pointer, &namespace, base, &mut names) {
                event_types.push(t);
            }
        }
        // Blocks named by definitions exist, here or below.
        let defined = |name: &str| names.blocks.contains_key(name) || base.block(name).is_some();
        let mut missing = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            for (j, outer) in block.placement.within.iter().enumerate() {
                if !defined(outer) {
                    missing.push((format!("/blocks/{i}/within/{j}"), outer.clone()));
                }
            }
        }
        for (i, t) in event_types.iter().enumerate() {
            let lists = [
                ("required", &t.required),
                ("optional", &t.optional),
                ("fallback_requires", &t.fallback_requires),
                ("text_from", &t.text_blocks),
            ];
            for (member, list) in lists {
                for (j, block) in list.iter().enumerate() {
                    if !defined(block) {
                        missing.push((format!("/event_types/{i}/{member}/{j}"), block.clone()));
                    }
                }
            }
            for (j, alias) in t.aliases.iter().enumerate() {
                for (k, block) in alias.also_requires.iter().enumerate() {
                    if !defined(block) {
                        missing.push((
                            format!("/event_types/{i}/aliases/{j}/also_requires/{k}"),
                            block.clone(),
                        ));
                    }
                }
            }
        }
        for (pointer, block) in missing {
            self.problem(
                MANIFEST_FILE,
                &pointer,
                format!("block {block} is not defined, in this manifest or the registry below it"),
            );
        }
        if !self.problems.is_empty() {
            return None;
        }

        // The schemas compile together with everything below them.
        let mut combined = base.clone();
        for block in &blocks {
            combined.add_block(block.clone());
        }
        for t in &event_types {
            combined.add_event_type(t.clone());
        }
        let validator = match Validator::new(&combined) {
            Ok(validator) => validator,
            Err(e) => {
                let file = self.ids.get(&e.id).cloned().unwrap_or_else(|| e.id.clone());
                self.problem(
                    &file,
                    "",
                    format!("the schema does not compile: {}", e.message),
                );
                return None;
            }
        };
        let mut examples = Vec::new();
        for (i, entry) in self
            .array(MANIFEST_FILE, top, "examples")
            .iter()
            .enumerate()
        {
            let pointer = format!("/examples/{i}");
            if let Some(example) = self.example(entry, &pointer, &validator) {
                examples.push(example);
            }
        }
        Some(Manifest {
            dir: self.dir.to_path_buf(),
            namespace,
            description,
            blocks,
            event_types,
            examples,
        })
    }

    /// Reads `file` (relative to the directory) as JSON.
    fn read_json(&mut self, file: &str, numbers: NumberPolicy) -> Option<Value> {
        let bytes = match std::fs::read(self.dir.join(file)) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.problem(file, "", format!("cannot read it: {e}"));
                return None;
            }
        };
        let options = Options::default()
            .max_bytes(MAX_FILE_BYTES)
            .numbers(numbers);
        match exev_codec::json::value_from_slice(&bytes, &options) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problem(file, &e.path().to_json_pointer(), e.to_string());
                None
            }
        }
    }

    /// Reports members of `object` not in `known`.
    fn unknown_members(&mut self, file: &str, pointer: &str, object: &Object, known: &[&str]) {
        for key in object.keys() {
            if !known.contains(&key.as_str()) {
                self.problem(
                    file,
                    &format!("{pointer}/{}", escape_pointer(key)),
                    format!("unknown member {key:?} (known: {})", known.join(", ")),
                );
            }
        }
    }

    fn member<'a>(object: &'a Object, key: &str, pointer: &str) -> Member<'a> {
        Member {
            value: object.get(key),
            pointer: format!("{pointer}/{}", escape_pointer(key)),
        }
    }

    fn required_string(
        &mut self,
        file: &str,
        object: &Object,
        key: &str,
        pointer: &str,
    ) -> Option<String> {
        if object.contains_key(key) {
            self.optional_string(file, object, key, pointer)
        } else {
            self.problem(file, pointer, format!("missing required member {key}"));
            None
        }
    }

    fn optional_string(
        &mut self,
        file: &str,
        object: &Object,
        key: &str,
        pointer: &str,
    ) -> Option<String> {
        let member = Loader::member(object, key, pointer);
        match member.value {
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.problem(
                    file,
                    &member.pointer,
                    format!("expected a string, found {}", other.kind()),
                );
                None
            }
            None => None,
        }
    }

    fn boolean(
        &mut self,
        file: &str,
        object: &Object,
        key: &str,
        pointer: &str,
        default: bool,
    ) -> bool {
        let member = Loader::member(object, key, pointer);
        match member.value {
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.problem(
                    file,
                    &member.pointer,
                    format!("expected a boolean, found {}", other.kind()),
                );
                default
            }
            None => default,
        }
    }

    /// The array member `key` (empty when absent or wrong, which is reported).
    fn array<'a>(&mut self, file: &str, object: &'a Object, key: &str) -> &'a [Value] {
        match object.get(key) {
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.problem(
                    file,
                    &format!("/{}", escape_pointer(key)),
                    format!("expected an array, found {}", other.kind()),
                );
                &[]
            }
            None => &[],
        }
    }

    /// A list of names at `key` of the entry at `pointer`.
    fn names(
        &mut self,
        object: &Object,
        key: &str,
        pointer: &str,
        default: &[&str],
    ) -> Vec<String> {
        let member = Loader::member(object, key, pointer);
        let Some(value) = member.value else {
            return default.iter().map(|s| (*s).to_owned()).collect();
        };
        let Some(items) = value.as_array() else {
            self.problem(
                MANIFEST_FILE,
                &member.pointer,
                format!("expected an array of names, found {}", value.kind()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(name) => out.push(name.to_owned()),
                None => self.problem(
                    MANIFEST_FILE,
                    &format!("{}/{i}", member.pointer),
                    format!("expected a name, found {}", item.kind()),
                ),
            }
        }
        out
    }

    /// Checks a name a definition introduces: the grammar, `m.`, the namespace (for its own
    /// name), and that nothing else has it.
    #[allow(clippy::too_many_arguments)]
    fn claim(
        &mut self,
        name: &str,
        pointer: &str,
        kind: NameKind,
        own: Option<&str>,
        owner: &str,
        base: &Registry,
        names: &mut Names,
    ) {
        if !is_namespaced_identifier(name) {
            self.problem(
                MANIFEST_FILE,
                pointer,
                format!("{name:?} is not a namespaced identifier: {GRAMMAR}"),
            );
            return;
        }
        if is_reserved(name) {
            self.problem(
                MANIFEST_FILE,
                pointer,
                format!("{name}: names starting with m. are reserved for the Matrix specification (the built-in registry)"),
            );
            return;
        }
        if let Some(namespace) = own
            && !name.starts_with(&format!("{namespace}."))
        {
            self.problem(
                MANIFEST_FILE,
                pointer,
                format!("{name} is outside the manifest's namespace {namespace}"),
            );
        }
        let (taken, below) = match kind {
            NameKind::Block => (&mut names.blocks, base.block(name).map(|d| d.name.clone())),
            NameKind::EventType => (
                &mut names.types,
                base.event_type(name).map(|d| d.name.clone()),
            ),
        };
        if let Some((first_pointer, first_owner)) = taken.get(name) {
            let message = format!(
                "{} {name} is defined twice: {first_pointer} ({first_owner}) already has it",
                kind.as_str()
            );
            self.problem(MANIFEST_FILE, pointer, message);
            return;
        }
        taken.insert(name.to_owned(), (pointer.to_owned(), owner.to_owned()));
        if let Some(existing) = below {
            self.problem(
                MANIFEST_FILE,
                pointer,
                format!(
                    "{} {name} is already defined by the registry below this manifest (as a name of {existing})",
                    kind.as_str()
                ),
            );
        }
    }

    /// Reads a name's status: `stable` (the default for a definition's own name), `unstable`
    /// or `obsolete`.
    fn status(&mut self, object: &Object, pointer: &str, default: NameStatus) -> NameStatus {
        let member = Loader::member(object, "status", pointer);
        match member.value.map(|v| v.as_str()) {
            None => default,
            Some(Some("stable")) => NameStatus::Stable,
            Some(Some("unstable")) => NameStatus::Unstable,
            Some(Some("obsolete")) => NameStatus::Obsolete,
            Some(_) => {
                self.problem(
                    MANIFEST_FILE,
                    &member.pointer,
                    "expected \"stable\", \"unstable\" or \"obsolete\"",
                );
                default
            }
        }
    }

    /// Reads the schema file named at `pointer`'s `schema` member, checks it and gives it an
    /// `$id`.
    fn schema(
        &mut self,
        object: &Object,
        pointer: &str,
        namespace: &str,
    ) -> Option<(String, Value)> {
        let file = self.required_string(MANIFEST_FILE, object, "schema", pointer)?;
        let file_pointer = format!("{pointer}/schema");
        let relative = FsPath::new(&file);
        if relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            self.problem(
                MANIFEST_FILE,
                &file_pointer,
                format!(
                    "{file}: schema files are named relative to the manifest's directory, inside it"
                ),
            );
            return None;
        }
        let mut schema = self.read_json(&file, NumberPolicy::Lenient)?;
        if !matches!(schema, Value::Object(_) | Value::Bool(_)) {
            self.problem(
                &file,
                "",
                format!("a schema is an object or a boolean, not {}", schema.kind()),
            );
            return None;
        }
        if let Some(declared) = schema.get("$schema")
            && declared.as_str() != Some(DRAFT_2020_12)
        {
            self.problem(
                &file,
                "/$schema",
                format!("schemas here are JSON Schema draft 2020-12: $schema is {DRAFT_2020_12} or absent"),
            );
            return None;
        }
        let meta = jsonschema::draft202012::meta::validator();
        let as_serde = to_json(&schema);
        let mut valid = true;
        for error in meta.iter_errors(&as_serde) {
            valid = false;
            let pointer = error.instance_path().as_str().to_owned();
            self.problem(
                &file,
                &pointer,
                format!(
                    "not valid JSON Schema draft 2020-12: {}",
                    error.masked_with("the value")
                ),
            );
        }
        if !valid {
            return None;
        }
        let id = match schema.get("$id") {
            Some(Value::String(id)) => id.clone(),
            _ => format!(
                "{REGISTRAR_BASE}{namespace}/{}",
                file.trim_start_matches("./")
            ),
        };
        if let Some(object) = schema.as_object_mut() {
            object.insert("$id".to_owned(), id.as_str().into());
        }
        if let Some(first) = self.ids.get(&id) {
            let message = format!("$id {id} is also the $id of {first}");
            self.problem(&file, "/$id", message);
            return None;
        }
        self.ids.insert(id, file.clone());
        Some((file, schema))
    }

    fn block(
        &mut self,
        entry: &Value,
        pointer: &str,
        namespace: &str,
        base: &Registry,
        names: &mut Names,
    ) -> Option<BlockDef> {
        let Some(object) = entry.as_object() else {
            self.problem(
                MANIFEST_FILE,
                pointer,
                format!("expected a block definition object, found {}", entry.kind()),
            );
            return None;
        };
        self.unknown_members(
            MANIFEST_FILE,
            pointer,
            object,
            &[
                "name",
                "status",
                "schema",
                "description",
                "defined_by",
                "mixin",
                "top_level",
                "within",
                "aliases",
            ],
        );
        let name = self.required_string(MANIFEST_FILE, object, "name", pointer)?;
        self.claim(
            &name,
            &format!("{pointer}/name"),
            NameKind::Block,
            Some(namespace),
            &name,
            base,
            names,
        );
        let schema = self.schema(object, pointer, namespace);
        let status = self.status(object, pointer, NameStatus::Stable);
        let description = self
            .optional_string(MANIFEST_FILE, object, "description", pointer)
            .unwrap_or_default();
        let defined_by = self
            .optional_string(MANIFEST_FILE, object, "defined_by", pointer)
            .unwrap_or_default();
        let mixin = self.boolean(MANIFEST_FILE, object, "mixin", pointer, false);
        let top_level = self.boolean(MANIFEST_FILE, object, "top_level", pointer, true);
        let within = self.names(object, "within", pointer, &[]);
        let (_, schema) = schema?;
        let mut def = BlockDef::new(name.as_str(), shape_of(&schema))
            .status(status)
            .description(description)
            .defined_by(defined_by)
            .schema(schema);
        if mixin {
            def = def.mixin();
        }
        if !top_level {
            def = def.nested_only();
        }
        for outer in within {
            def = def.within(outer);
        }
        let owner = AliasOwner {
            name: &name,
            kind: NameKind::Block,
            extra_member: "older_shape",
        };
        for alias in self.aliases(object, pointer, &owner, base, names) {
            def = if self.boolean(
                MANIFEST_FILE,
                alias.object,
                "older_shape",
                &alias.pointer,
                false,
            ) {
                def.alias_with_older_shape(alias.name, alias.status)
            } else {
                def.alias(alias.name, alias.status)
            };
        }
        Some(def)
    }

    /// The `aliases` of a block or event type: each checked for its shape and name grammar and
    /// claimed for `owner`, with its status read; what else an alias says is the caller's.
    fn aliases<'a>(
        &mut self,
        object: &'a Object,
        pointer: &str,
        owner: &AliasOwner<'_>,
        base: &Registry,
        names: &mut Names,
    ) -> Vec<AliasEntry<'a>> {
        let member = Loader::member(object, "aliases", pointer);
        let mut out = Vec::new();
        for (i, alias) in self.entries(&member).iter().enumerate() {
            let alias_pointer = format!("{}/{i}", member.pointer);
            let Some(alias) = alias.as_object() else {
                self.problem(MANIFEST_FILE, &alias_pointer, "expected an alias object");
                continue;
            };
            self.unknown_members(
                MANIFEST_FILE,
                &alias_pointer,
                alias,
                &["name", "status", owner.extra_member],
            );
            let Some(alias_name) =
                self.required_string(MANIFEST_FILE, alias, "name", &alias_pointer)
            else {
                continue;
            };
            self.claim(
                &alias_name,
                &format!("{alias_pointer}/name"),
                owner.kind,
                None,
                owner.name,
                base,
                names,
            );
            let status = self.status(alias, &alias_pointer, NameStatus::Unstable);
            out.push(AliasEntry {
                name: alias_name,
                status,
                object: alias,
                pointer: alias_pointer,
            });
        }
        out
    }

    /// The items of an optional array member.
    fn entries<'a>(&mut self, member: &Member<'a>) -> &'a [Value] {
        match member.value {
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.problem(
                    MANIFEST_FILE,
                    &member.pointer,
                    format!("expected an array, found {}", other.kind()),
                );
                &[]
            }
            None => &[],
        }
    }

    fn event_type(
        &mut self,
        entry: &Value,
        pointer: &str,
        namespace: &str,
        base: &Registry,
        names: &mut Names,
    ) -> Option<EventTypeDef> {
        let Some(object) = entry.as_object() else {
            self.problem(
                MANIFEST_FILE,
                pointer,
                format!(
                    "expected an event type definition object, found {}",
                    entry.kind()
                ),
            );
            return None;
        };
        self.unknown_members(
            MANIFEST_FILE,
            pointer,
            object,
            &[
                "name",
                "status",
                "schema",
                "description",
                "defined_by",
                "required",
                "optional",
                "state",
                "hidden",
                "fallback_priority",
                "fallback_requires",
                "text_from",
                "aliases",
            ],
        );
        let name = self.required_string(MANIFEST_FILE, object, "name", pointer)?;
        self.claim(
            &name,
            &format!("{pointer}/name"),
            NameKind::EventType,
            Some(namespace),
            &name,
            base,
            names,
        );
        let schema = self.schema(object, pointer, namespace);
        let status = self.status(object, pointer, NameStatus::Stable);
        let required = self.names(object, "required", pointer, &[]);
        let optional = self.names(object, "optional", pointer, &[]);
        let fallback_requires = self.names(object, "fallback_requires", pointer, &[]);
        let text_from = self.names(object, "text_from", pointer, &["m.text"]);
        let state = self.boolean(MANIFEST_FILE, object, "state", pointer, false);
        let hidden = self.boolean(MANIFEST_FILE, object, "hidden", pointer, false);
        let fallback = Loader::member(object, "fallback_priority", pointer);
        let fallback_priority = match fallback.value {
            None | Some(Value::Null) => None,
            Some(Value::Integer(p)) if u32::try_from(*p).is_ok() => u32::try_from(*p).ok(),
            Some(_) => {
                self.problem(
                    MANIFEST_FILE,
                    &fallback.pointer,
                    "expected null or an integer from 0 to 4294967295 (lower is tried first; the built-in types use 10 to 80)",
                );
                None
            }
        };
        let description = self
            .optional_string(MANIFEST_FILE, object, "description", pointer)
            .unwrap_or_default();
        let defined_by = self
            .optional_string(MANIFEST_FILE, object, "defined_by", pointer)
            .unwrap_or_default();
        let (file, schema) = schema?;
        self.schema_agrees(&file, &schema, &name, &required);
        let mut def = EventTypeDef::new(name.as_str())
            .text_from(text_from)
            .description(description)
            .defined_by(defined_by)
            .schema(schema);
        def.status = status;
        for block in required {
            def = def.requires(block);
        }
        for block in optional {
            def = def.optional(block);
        }
        for block in fallback_requires {
            def = def.fallback_requires(block);
        }
        if state {
            def = def.state();
        }
        if hidden {
            def = def.hidden();
        }
        if let Some(priority) = fallback_priority {
            def = def.fallback(priority);
        }
        let owner = AliasOwner {
            name: &name,
            kind: NameKind::EventType,
            extra_member: "also_requires",
        };
        for alias in self.aliases(object, pointer, &owner, base, names) {
            let also = self.names(alias.object, "also_requires", &alias.pointer, &[]);
            def = def.alias_requiring(alias.name, alias.status, also);
        }
        Some(def)
    }

    /// Checks that an event-type schema's `type` and `content.required`, where it states them,
    /// agree with the manifest.
    fn schema_agrees(&mut self, file: &str, schema: &Value, name: &str, required: &[String]) {
        let at = |pointer: &str| -> Option<&Value> {
            let segments = pointer_segments(pointer)?;
            segments.iter().try_fold(schema, |v, s| v.get(s))
        };
        if let Some(constant) = at("/properties/type/const")
            && constant.as_str() != Some(name)
        {
            self.problem(
                file,
                "/properties/type/const",
                format!("the schema is for another type: the manifest defines {name}"),
            );
        }
        let Some(stated) = at("/properties/content/required") else {
            return;
        };
        let stated: BTreeSet<&str> = stated
            .as_array()
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let manifest: BTreeSet<&str> = required.iter().map(String::as_str).collect();
        for block in manifest.difference(&stated) {
            self.problem(
                file,
                "/properties/content/required",
                format!("the manifest says {name} requires {block}, but its schema does not"),
            );
        }
        for block in stated.difference(&manifest) {
            self.problem(
                file,
                "/properties/content/required",
                format!("the schema requires {block}, but the manifest does not list it as required for {name}"),
            );
        }
    }

    fn example(&mut self, entry: &Value, pointer: &str, validator: &Validator) -> Option<Example> {
        let Some(object) = entry.as_object() else {
            self.problem(MANIFEST_FILE, pointer, "expected an example object");
            return None;
        };
        self.unknown_members(MANIFEST_FILE, pointer, object, &["file", "valid"]);
        let file = self.required_string(MANIFEST_FILE, object, "file", pointer)?;
        let valid = self.boolean(MANIFEST_FILE, object, "valid", pointer, true);
        let bytes = match std::fs::read(self.dir.join(&file)) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.problem(&file, "", format!("cannot read it: {e}"));
                return None;
            }
        };
        let event = match exev_codec::json::from_slice(&bytes) {
            Ok(event) => event,
            Err(e) => {
                self.problem(&file, &e.path().to_json_pointer(), e.to_string());
                return None;
            }
        };
        if validator
            .registry()
            .event_type(event.event_type())
            .is_none()
        {
            self.problem(
                &file,
                "/type",
                format!(
                    "{} is not an event type of this manifest or the registry below it",
                    event.event_type()
                ),
            );
            return None;
        }
        let report = validator.validate(&event);
        if valid {
            for error in report.errors() {
                let mut message = error.message.clone();
                if let Some(schema) = &error.schema {
                    message.push_str(&format!(" (schema {schema})"));
                }
                self.problem(
                    &file,
                    &error.path.to_json_pointer(),
                    format!("the example does not validate: {message}"),
                );
            }
        } else if report.is_valid() {
            self.problem(
                &file,
                "",
                "the example is marked invalid (\"valid\": false) but it validates",
            );
        }
        Some(Example { file, valid, event })
    }
}

/// The names a manifest has claimed so far: name to (pointer, owner).
#[derive(Default)]
struct Names {
    blocks: BTreeMap<String, (String, String)>,
    types: BTreeMap<String, (String, String)>,
}

/// The spec's namespaced-identifier grammar, in words.
const GRAMMAR: &str = "1 to 255 characters, [a-z] first, then only [a-z], [0-9], '.', '_' and '-'";

/// Whether `name` is in the namespace the specification reserves.
fn is_reserved(name: &str) -> bool {
    name == "m" || name.starts_with("m.")
}

/// `key` escaped for a JSON Pointer.
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The [`ValueShape`] a block's schema declares with `type`, or [`ValueShape::Any`].
fn shape_of(schema: &Value) -> ValueShape {
    let shape = |name: &str| match name {
        "object" => Some(ValueShape::Object),
        "array" => Some(ValueShape::Array),
        "string" => Some(ValueShape::String),
        "integer" => Some(ValueShape::Integer),
        "boolean" => Some(ValueShape::Boolean),
        _ => None,
    };
    match schema.get("type") {
        Some(Value::String(name)) => shape(name).unwrap_or(ValueShape::Any),
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| n.as_str().and_then(shape))
            .collect::<Option<Vec<_>>>()
            .map_or(ValueShape::Any, ValueShape::OneOf),
        _ => ValueShape::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_from_schemas() {
        let schema = |text: &str| {
            exev_codec::json::value_from_slice(text.as_bytes(), &Options::default())
                .unwrap_or_default()
        };
        assert_eq!(
            shape_of(&schema(r#"{"type": "object"}"#)),
            ValueShape::Object
        );
        assert_eq!(
            shape_of(&schema(r#"{"type": ["string", "integer"]}"#)),
            ValueShape::OneOf(vec![ValueShape::String, ValueShape::Integer])
        );
        assert_eq!(shape_of(&schema(r#"{"type": "number"}"#)), ValueShape::Any);
        assert_eq!(shape_of(&Value::Bool(true)), ValueShape::Any);
    }

    #[test]
    fn reserved_names() {
        assert!(is_reserved("m.text"));
        assert!(is_reserved("m"));
        assert!(!is_reserved("matrix.example"));
        assert_eq!(escape_pointer("a/b~c"), "a~1b~0c");
    }
}
