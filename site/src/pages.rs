//! Every file of the site: the pages (askama templates in `templates/`), the style sheet and
//! the filter script (`assets/`), the schemas and the examples to download.

mod block;
mod event_type;
mod index;
mod registrar;

use std::collections::BTreeMap;

use askama::Template;
use exev::NameStatus;
use exev_registry::{Registry, SchemaFile, SchemaKind, Validator, published_schemas, schema_files};

use crate::catalogue::{Catalogue, Registrar, ShippedExample};
use crate::encodings::Encodings;
use crate::{SiteError, SiteFile, paths};

/// What the layout draws around every page.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    /// The prefix leading back to the site's folder.
    pub(crate) root: String,
    /// The page's title.
    pub(crate) title: String,
    /// Every registrar's page, for the navigation.
    pub(crate) registrars: Vec<NavLink>,
    /// The exev version that wrote the site.
    pub(crate) version: &'static str,
    /// The index, from the site's folder.
    pub(crate) index: &'static str,
    /// The style sheet, from the site's folder.
    pub(crate) style: &'static str,
}

/// A link with its text.
#[derive(Clone, Debug)]
pub(crate) struct NavLink {
    /// The link's text.
    pub(crate) text: String,
    /// The page, from the site's folder.
    pub(crate) path: String,
}

/// A name with its status, and a note ("older shape", "also requires m.x").
#[derive(Clone, Debug)]
pub(crate) struct NameView {
    /// The name.
    pub(crate) name: String,
    /// `stable`, `unstable` or `obsolete`.
    pub(crate) status: &'static str,
    /// More about it, or "".
    pub(crate) note: String,
}

impl NameView {
    pub(crate) fn new(name: &str, status: NameStatus, note: impl Into<String>) -> NameView {
        NameView {
            name: name.to_owned(),
            status: status.as_str(),
            note: note.into(),
        }
    }
}

/// A block or event type in a list: its page (when the registry defines it), a note and its
/// description.
#[derive(Clone, Debug)]
pub(crate) struct Link {
    /// The name, as the list gives it.
    pub(crate) name: String,
    /// Its page, from the site's folder; `None` for a name the registry does not define.
    pub(crate) path: Option<String>,
    /// A short note ("required", "text source"), or "".
    pub(crate) note: String,
    /// Its description, or "".
    pub(crate) description: String,
}

impl Link {
    /// The block `name` (any of its names), linked to its definition's page.
    pub(crate) fn block(registry: &Registry, name: &str, note: impl Into<String>) -> Link {
        let def = registry.block(name);
        Link {
            name: name.to_owned(),
            path: def.map(|d| paths::block_page(&d.name)),
            note: note.into(),
            description: def.map(|d| d.description.clone()).unwrap_or_default(),
        }
    }

    /// The event type `name` (any of its names), linked to its definition's page.
    pub(crate) fn event_type(registry: &Registry, name: &str, note: impl Into<String>) -> Link {
        let def = registry.event_type(name);
        Link {
            name: name.to_owned(),
            path: def.map(|d| paths::type_page(&d.name)),
            note: note.into(),
            description: def.map(|d| d.description.clone()).unwrap_or_default(),
        }
    }
}

/// A schema as a page shows it.
#[derive(Clone, Debug)]
pub(crate) struct SchemaView {
    /// The block or event type it describes.
    pub(crate) name: String,
    /// Its `$id`.
    pub(crate) id: String,
    /// Its download, from the site's folder.
    pub(crate) path: String,
    /// The download's file name.
    pub(crate) file_name: String,
    /// The schema, pretty-printed.
    pub(crate) text: String,
    /// The download's size.
    pub(crate) bytes: usize,
}

/// What every page builder needs.
pub(crate) struct Context<'c> {
    /// The catalogue.
    pub(crate) catalogue: &'c Catalogue,
    /// The built-in registry alone, for the previews of a client that knows only it.
    pub(crate) built_in: Registry,
    /// Every published schema, by kind and name, pretty-printed.
    pub(crate) schemas: BTreeMap<(SchemaKind, String), SchemaView>,
    /// Every example's encodings, by anchor.
    pub(crate) encodings: BTreeMap<String, Encodings>,
}

impl Context<'_> {
    /// The frame of the page at `path`.
    pub(crate) fn frame(&self, path: &str, title: impl Into<String>) -> Frame {
        Frame {
            root: paths::root(path),
            title: title.into(),
            registrars: self
                .catalogue
                .registrars
                .iter()
                .map(|r| NavLink {
                    text: r.title.clone(),
                    path: paths::registrar_page(&r.slug),
                })
                .collect(),
            version: env!("CARGO_PKG_VERSION"),
            index: paths::INDEX,
            style: paths::STYLE,
        }
    }

    /// The schema of `name`, as published.
    pub(crate) fn schema(&self, kind: SchemaKind, name: &str) -> Option<SchemaView> {
        self.schemas.get(&(kind, name.to_owned())).cloned()
    }

    /// The link to a registrar's page.
    pub(crate) fn registrar_link(&self, registrar: Option<&Registrar>) -> NavLink {
        match registrar {
            Some(r) => NavLink {
                text: r.title.clone(),
                path: paths::registrar_page(&r.slug),
            },
            None => NavLink {
                text: "index".to_owned(),
                path: paths::INDEX.to_owned(),
            },
        }
    }

    /// The registrar's link for `example`.
    pub(crate) fn example_registrar(&self, example: &ShippedExample) -> NavLink {
        self.registrar_link(
            self.catalogue
                .registrars
                .iter()
                .find(|r| r.slug == example.registrar),
        )
    }
}

/// Renders `template` as the file at `path`.
pub(crate) fn render_page(path: String, template: &impl Template) -> Result<SiteFile, SiteError> {
    let html = template.render().map_err(|e| SiteError::Template {
        page: path.clone(),
        message: e.to_string(),
    })?;
    Ok(SiteFile {
        path,
        bytes: html.into_bytes(),
    })
}

/// The schema `file` as a page shows it, `bytes` being its download.
fn schema_view(file: &SchemaFile, bytes: &[u8]) -> SchemaView {
    let path = format!("{}{}", paths::SCHEMAS, file.path);
    SchemaView {
        name: file.name.clone(),
        id: file
            .schema
            .get("$id")
            .and_then(|id| id.as_str())
            .unwrap_or_default()
            .to_owned(),
        file_name: path.rsplit('/').next().unwrap_or(&path).to_owned(),
        path,
        text: String::from_utf8_lossy(bytes).into_owned(),
        bytes: bytes.len(),
    }
}

/// Every file of the site.
pub(crate) fn all(catalogue: &Catalogue) -> Result<Vec<SiteFile>, SiteError> {
    let registry = &catalogue.registry;
    let mut files = vec![
        SiteFile {
            path: paths::STYLE.to_owned(),
            bytes: include_bytes!("../assets/style.css").to_vec(),
        },
        SiteFile {
            path: paths::FILTER_SCRIPT.to_owned(),
            bytes: include_bytes!("../assets/filter.js").to_vec(),
        },
    ];
    // The schemas as `exev schema --out` writes them, to download.
    let downloads: BTreeMap<String, Vec<u8>> = schema_files(registry)
        .map_err(|error| SiteError::Example {
            example: "the registry's published schemas".to_owned(),
            error,
        })?
        .into_iter()
        .collect();
    let mut schemas = BTreeMap::new();
    for file in published_schemas(registry) {
        if let Some(bytes) = downloads.get(&file.path) {
            schemas.insert((file.kind, file.name.clone()), schema_view(&file, bytes));
        }
    }
    files.extend(downloads.into_iter().map(|(path, bytes)| SiteFile {
        path: format!("{}{path}", paths::SCHEMAS),
        bytes,
    }));
    let mut encodings = BTreeMap::new();
    for example in catalogue.examples() {
        let encoded = Encodings::of(example)?;
        for form in encoded.forms() {
            files.push(SiteFile {
                path: paths::example_file(&example.registrar, &example.stem, form.extension),
                bytes: form.bytes.to_vec(),
            });
        }
        encodings.insert(example.anchor(), encoded);
    }
    let context = Context {
        catalogue,
        built_in: Registry::built_in(),
        schemas,
        encodings,
    };
    files.push(index::page(&context)?);
    for def in registry.event_types() {
        files.push(event_type::page(&context, def)?);
    }
    for def in registry.blocks() {
        files.push(block::page(&context, def)?);
    }
    let validator = Validator::new(registry).map_err(SiteError::Schema)?;
    for registrar in &catalogue.registrars {
        files.push(registrar::page(&context, registrar, &validator)?);
    }
    Ok(files)
}
