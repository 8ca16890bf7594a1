//! A block's page: names, schema, where it may appear, the types that use it, its examples.

use askama::Template;
use exev_codec::json;
use exev_registry::{BlockDef, SchemaKind};

use super::{Context, Frame, Link, NameView, NavLink, SchemaView, render_page};
use crate::{SiteError, SiteFile, paths};

/// An example carrying the block.
#[derive(Clone, Debug)]
struct BlockExample {
    title: String,
    /// The example on its type's page.
    path: String,
    sent_as: String,
    event_type: String,
    /// The block's value in canonical JSON.
    value: String,
}

#[derive(Template)]
#[template(path = "block.html")]
struct BlockPage {
    frame: Frame,
    registrar: NavLink,
    name: String,
    description: String,
    defined_by: String,
    names: Vec<NameView>,
    facts: Vec<String>,
    mixin: bool,
    top_level: bool,
    within: Vec<Link>,
    holds: Vec<Link>,
    used_by: Vec<Link>,
    schema: SchemaView,
    examples: Vec<BlockExample>,
}

/// The page of the block `def`.
pub(super) fn page(context: &Context<'_>, def: &BlockDef) -> Result<SiteFile, SiteError> {
    let catalogue = context.catalogue;
    let registry = &catalogue.registry;
    let path = paths::block_page(&def.name);
    let names = def
        .names()
        .map(|(name, status, shape)| {
            let alias = def.alias_named(name);
            let mut notes = Vec::new();
            if shape != &def.shape {
                notes.push(format!("its value is {shape}"));
            }
            if alias.is_some_and(|a| a.older_shape) {
                notes.push("may carry an older shape than the schema's".to_owned());
            }
            NameView::new(name, status, notes.join("; "))
        })
        .collect();
    let mut facts = vec![format!("Its value is {}.", def.shape)];
    if def.known().is_some() {
        facts.push("Built into the event model: read typed, with builders.".to_owned());
    }
    // Every event type that names the block, by any of its names, and how.
    let named = |list: &[String]| {
        list.iter()
            .any(|n| registry.block(n).is_some_and(|b| b.name == def.name))
    };
    let mut used_by = Vec::new();
    for t in registry.event_types() {
        let how = [
            (named(&t.required), "required"),
            (named(&t.optional), "optional"),
            (named(&t.fallback_requires), "needed to fall back"),
            (
                t.aliases.iter().any(|a| named(&a.also_requires)),
                "required under an alias",
            ),
            (named(&t.text_blocks), "text source"),
        ];
        let notes: Vec<&str> = how
            .iter()
            .filter(|(yes, _)| *yes)
            .map(|(_, n)| *n)
            .collect();
        if !notes.is_empty() {
            used_by.push(Link::event_type(registry, &t.name, notes.join(", ")));
        }
    }
    let schema = context
        .schema(SchemaKind::Block, &def.name)
        .ok_or_else(|| SiteError::Template {
            page: path.clone(),
            message: format!("no schema is published for {}", def.name),
        })?;
    let examples = catalogue
        .examples_with(def)
        .into_iter()
        .map(|(example, sent_as, value)| {
            let json = json::value_to_vec(value).map_err(|error| SiteError::Example {
                example: format!("{}: {}", example.registrar, example.file),
                error,
            })?;
            Ok(BlockExample {
                title: example.title.clone(),
                path: format!(
                    "{}#{}",
                    paths::type_page(
                        registry
                            .event_type(example.event.event_type())
                            .map_or(example.event.event_type(), |t| t.name.as_str())
                    ),
                    example.anchor()
                ),
                sent_as: sent_as.to_owned(),
                event_type: example.event.event_type().to_owned(),
                value: String::from_utf8_lossy(&json).into_owned(),
            })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let template = BlockPage {
        frame: context.frame(&path, def.name.as_str()),
        registrar: context.registrar_link(catalogue.block_registrar(&def.name)),
        name: def.name.clone(),
        description: def.description.clone(),
        defined_by: def.defined_by.clone(),
        names,
        facts,
        mixin: def.mixin,
        top_level: def.placement.top_level,
        within: def
            .placement
            .within
            .iter()
            .map(|n| Link::block(registry, n, ""))
            .collect(),
        holds: registry
            .blocks()
            .filter(|b| named(&b.placement.within))
            .map(|b| Link::block(registry, &b.name, ""))
            .collect(),
        used_by,
        schema,
        examples,
    };
    render_page(path, &template)
}
