//! The index: every event type and block, grouped by registrar and namespace.

use std::collections::BTreeMap;

use askama::Template;

use super::{Context, Frame, NameView, render_page};
use crate::catalogue::{BUILT_IN_SLUG, Registrar, built_in_namespace};
use crate::{SiteError, SiteFile, paths};

/// One event type or block in the index.
#[derive(Clone, Debug)]
struct Entry {
    /// `event type` or `block`.
    kind: &'static str,
    /// `type` or `block`, for the style sheet.
    kind_class: &'static str,
    /// Its page.
    path: String,
    /// Its name.
    name: String,
    /// The status of its name.
    status: &'static str,
    /// Its other names.
    aliases: Vec<NameView>,
    /// Its description.
    description: String,
    /// What the filter matches: every name and the description, in lower case.
    search: String,
}

/// The entries of one namespace.
#[derive(Clone, Debug)]
struct Namespace {
    /// The namespace ("" for names without one).
    name: String,
    /// Event types first, then blocks, each by name.
    entries: Vec<Entry>,
}

/// One registrar's part of the index.
#[derive(Clone, Debug)]
struct Group {
    slug: String,
    title: String,
    path: String,
    description: String,
    namespaces: Vec<Namespace>,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    frame: Frame,
    /// The filter script, from the site's folder.
    script: &'static str,
    event_types: usize,
    blocks: usize,
    groups: Vec<Group>,
}

fn entry(
    kind: &'static str,
    kind_class: &'static str,
    path: String,
    names: Vec<NameView>,
    description: &str,
) -> Entry {
    let mut search: Vec<String> = names.iter().map(|n| n.name.clone()).collect();
    search.push(description.to_owned());
    let mut names = names.into_iter();
    let own = names.next();
    Entry {
        kind,
        kind_class,
        path,
        name: own.as_ref().map(|n| n.name.clone()).unwrap_or_default(),
        status: own.map_or("stable", |n| n.status),
        aliases: names.collect(),
        description: description.to_owned(),
        search: search.join(" ").to_lowercase(),
    }
}

fn group(context: &Context<'_>, registrar: &Registrar) -> Group {
    let registry = &context.catalogue.registry;
    let namespace_of = |name: &str| -> String {
        if registrar.slug == BUILT_IN_SLUG {
            built_in_namespace(name).to_owned()
        } else {
            registrar.namespace.clone()
        }
    };
    let mut namespaces: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for def in registry
        .event_types()
        .filter(|t| registrar.event_types.contains(&t.name))
    {
        let names = def
            .names()
            .map(|(n, status)| NameView::new(n, status, ""))
            .collect();
        namespaces
            .entry(namespace_of(&def.name))
            .or_default()
            .push(entry(
                "event type",
                "type",
                paths::type_page(&def.name),
                names,
                &def.description,
            ));
    }
    for def in registry
        .blocks()
        .filter(|b| registrar.blocks.contains(&b.name))
    {
        let names = def
            .names()
            .map(|(n, status, _)| NameView::new(n, status, ""))
            .collect();
        namespaces
            .entry(namespace_of(&def.name))
            .or_default()
            .push(entry(
                "block",
                "block",
                paths::block_page(&def.name),
                names,
                &def.description,
            ));
    }
    let mut namespaces: Vec<Namespace> = namespaces
        .into_iter()
        .map(|(name, entries)| Namespace { name, entries })
        .collect();
    // The registrar's own namespace first, names without one last.
    namespaces.sort_by_key(|ns| (ns.name != registrar.namespace, ns.name.is_empty()));
    Group {
        slug: registrar.slug.clone(),
        title: registrar.title.clone(),
        path: paths::registrar_page(&registrar.slug),
        description: registrar.description.clone(),
        namespaces,
    }
}

/// The index page.
pub(super) fn page(context: &Context<'_>) -> Result<SiteFile, SiteError> {
    let registry = &context.catalogue.registry;
    let template = IndexPage {
        frame: context.frame(paths::INDEX, "Index"),
        script: paths::FILTER_SCRIPT,
        event_types: registry.event_types().count(),
        blocks: registry.blocks().count(),
        groups: context
            .catalogue
            .registrars
            .iter()
            .map(|r| group(context, r))
            .collect(),
    };
    render_page(paths::INDEX.to_owned(), &template)
}
