//! An event type's page: names, blocks, schema, examples and their fallback previews.

use askama::Template;
use exev_registry::{Constraint, EventTypeDef, SchemaKind};

use super::{Context, Frame, Link, NameView, NavLink, SchemaView, render_page};
use crate::preview::{Preview, clients, preview};
use crate::{SiteError, SiteFile, paths};

/// One encoding's size beside the others.
#[derive(Clone, Debug)]
struct SizeView {
    format: &'static str,
    bytes: usize,
    percent: usize,
    /// The download.
    path: String,
}

/// An example as the type's page shows it.
#[derive(Clone, Debug)]
struct ExampleView {
    anchor: String,
    title: String,
    file: String,
    registrar: NavLink,
    sizes: Vec<SizeView>,
    json: String,
    cbor_diag: String,
    previews: Vec<Preview>,
}

#[derive(Template)]
#[template(path = "event_type.html")]
struct EventTypePage {
    frame: Frame,
    registrar: NavLink,
    name: String,
    description: String,
    defined_by: String,
    names: Vec<NameView>,
    facts: Vec<String>,
    required: Vec<Link>,
    optional: Vec<Link>,
    other: Vec<Link>,
    mixins: Vec<NavLink>,
    schema: SchemaView,
    examples: Vec<ExampleView>,
}

/// What the renderer does with the type, in sentences.
fn facts(def: &EventTypeDef) -> Vec<String> {
    let mut facts = Vec::new();
    if def.state {
        facts.push("A state event: never rendered as a message.".to_owned());
    }
    if def.hidden {
        facts.push("Hidden from the timeline.".to_owned());
    }
    match def.fallback_priority {
        Some(priority) => facts.push(format!(
            "A fallback schema: tried at priority {priority} (lower first) for events of types \
             a client does not know."
        )),
        None => facts.push("Never tried as a fallback for other types.".to_owned()),
    }
    if def.text_blocks.is_empty() {
        facts.push("Has no text of its own.".to_owned());
    } else {
        facts.push(format!(
            "Its text comes from {} (the first valid one).",
            def.text_blocks.join(", then ")
        ));
    }
    for constraint in &def.constraints {
        facts.push(match constraint {
            Constraint::FileMimetype { patterns, required } => format!(
                "The file's mimetype must match {}{}; the client must understand it.",
                patterns.join(" or "),
                if *required {
                    ", and be given"
                } else {
                    " when given"
                }
            ),
            Constraint::HasField { block, fields } => {
                format!("{block} must have {}.", fields.join(" or "))
            }
            Constraint::RequiredField { block, field } => format!(
                "To be valid, its {block} must have a {field} (clients still show it without)."
            ),
            // The enum is non-exhaustive: a constraint this version cannot describe in words.
            other => format!("Also: {other:?}."),
        });
    }
    facts
}

/// The page of the event type `def`.
pub(super) fn page(context: &Context<'_>, def: &EventTypeDef) -> Result<SiteFile, SiteError> {
    let catalogue = context.catalogue;
    let registry = &catalogue.registry;
    let path = paths::type_page(&def.name);
    let names = def
        .names()
        .map(|(name, status)| {
            let note = def
                .alias_named(name)
                .filter(|a| !a.also_requires.is_empty())
                .map(|a| format!("events sent so also carry {}", a.also_requires.join(", ")))
                .unwrap_or_default();
            NameView::new(name, status, note)
        })
        .collect();
    // A block needed to fall back to this type says so where it is listed, and is listed
    // apart when the schema names it nowhere else.
    let fallback_note = |name: &str| {
        if def.fallback_requires.iter().any(|n| n == name) {
            "needed to fall back to this type"
        } else {
            ""
        }
    };
    let blocks = |names: &[String]| -> Vec<Link> {
        names
            .iter()
            .map(|n| Link::block(registry, n, fallback_note(n)))
            .collect()
    };
    let listed = |name: &String| def.required.contains(name) || def.optional.contains(name);
    let mut other: Vec<Link> = def
        .fallback_requires
        .iter()
        .filter(|n| !listed(n))
        .map(|n| Link::block(registry, n, fallback_note(n)))
        .collect();
    for alias in &def.aliases {
        other.extend(
            alias
                .also_requires
                .iter()
                .map(|n| Link::block(registry, n, format!("required under {}", alias.name))),
        );
    }
    let schema = context
        .schema(SchemaKind::EventType, &def.name)
        .ok_or_else(|| SiteError::Template {
            page: path.clone(),
            message: format!("no schema is published for {}", def.name),
        })?;
    let examples = catalogue
        .examples_of(def)
        .into_iter()
        .filter_map(|example| {
            let encodings = context.encodings.get(&example.anchor())?;
            let json_bytes = encodings.json.len();
            Some(ExampleView {
                anchor: example.anchor(),
                title: example.title.clone(),
                file: example.file.clone(),
                registrar: context.example_registrar(example),
                sizes: encodings
                    .forms()
                    .iter()
                    .map(|form| SizeView {
                        format: form.format,
                        bytes: form.bytes.len(),
                        percent: form.percent_of(json_bytes),
                        path: paths::example_file(
                            &example.registrar,
                            &example.stem,
                            form.extension,
                        ),
                    })
                    .collect(),
                json: encodings.json_text(),
                cbor_diag: encodings.cbor_diag.clone(),
                previews: clients(registry, &context.built_in, example.event.event_type())
                    .iter()
                    .map(|client| preview(&example.event, client, registry))
                    .collect(),
            })
        })
        .collect();
    let template = EventTypePage {
        frame: context.frame(&path, def.name.as_str()),
        registrar: context.registrar_link(catalogue.type_registrar(&def.name)),
        name: def.name.clone(),
        description: def.description.clone(),
        defined_by: def.defined_by.clone(),
        names,
        facts: facts(def),
        required: blocks(&def.required),
        optional: blocks(&def.optional),
        other,
        mixins: registry
            .blocks()
            .filter(|b| b.mixin)
            .map(|b| NavLink {
                text: b.name.clone(),
                path: paths::block_page(&b.name),
            })
            .collect(),
        schema,
        examples,
    };
    render_page(path, &template)
}
