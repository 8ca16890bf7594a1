//! A registrar's page: namespace, description, the check's result, what it defines and how
//! each of its examples validates.

use askama::Template;
use exev_registry::Validator;

use super::{Context, Frame, Link, render_page};
use crate::catalogue::Registrar;
use crate::{SiteError, SiteFile, paths};

/// One example and its validation.
#[derive(Clone, Debug)]
struct ExampleCheck {
    file: String,
    event_type: String,
    /// The example on its type's page, for examples that must validate.
    path: Option<String>,
    /// Its canonical JSON, to download.
    download: String,
    /// "must validate" or "must be rejected".
    expected: &'static str,
    as_expected: bool,
    /// The validator's errors and warnings.
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "registrar.html")]
struct RegistrarPage {
    frame: Frame,
    title: String,
    namespace: String,
    description: String,
    source: Option<String>,
    check_ok: bool,
    check_command: String,
    check_summary: String,
    problems: Vec<String>,
    event_types: Vec<Link>,
    blocks: Vec<Link>,
    examples: Vec<ExampleCheck>,
}

fn folder_name(dir: &std::path::Path) -> String {
    dir.file_name()
        .unwrap_or(dir.as_os_str())
        .to_string_lossy()
        .into_owned()
}

/// The page of `registrar`.
pub(super) fn page(
    context: &Context<'_>,
    registrar: &Registrar,
    validator: &Validator,
) -> Result<SiteFile, SiteError> {
    let registry = &context.catalogue.registry;
    let path = paths::registrar_page(&registrar.slug);
    let examples: Vec<ExampleCheck> = registrar
        .examples
        .iter()
        .map(|example| {
            let report = validator.validate(&example.event);
            let event_type = example.event.event_type();
            ExampleCheck {
                file: example.file.clone(),
                download: paths::example_file(&example.registrar, &example.stem, "json"),
                event_type: event_type.to_owned(),
                path: registry
                    .event_type(event_type)
                    .filter(|_| example.valid)
                    .map(|t| format!("{}#{}", paths::type_page(&t.name), example.anchor())),
                expected: if example.valid {
                    "it must validate"
                } else {
                    "it must be rejected"
                },
                as_expected: report.is_valid() == example.valid,
                problems: report
                    .problems
                    .iter()
                    .map(|p| format!("{}: {p}", p.severity))
                    .collect(),
            }
        })
        .collect();
    let (source, check_command, check_summary, problems) = match &registrar.manifest {
        Some(manifest) => (
            // The folder's own name: where it sat on the machine that wrote the site is
            // nobody's business.
            Some(folder_name(&manifest.dir)),
            format!("exev registry check {}", folder_name(&manifest.dir)),
            manifest.summary(),
            Vec::new(),
        ),
        None => {
            let problems = registry.problems();
            let summary = format!(
                "{} block(s), {} event type(s), {} example(s), {}",
                registrar.blocks.len(),
                registrar.event_types.len(),
                registrar.examples.len(),
                if problems.is_empty() {
                    "consistent: every block an event type names is defined, every fallback \
                     schema requires a block"
                } else {
                    "inconsistent"
                }
            );
            (
                None,
                "the built-in registry's own consistency check".to_owned(),
                summary,
                problems,
            )
        }
    };
    let check_ok = problems.is_empty() && examples.iter().all(|e| e.as_expected);
    let template = RegistrarPage {
        frame: context.frame(&path, registrar.title.as_str()),
        title: registrar.title.clone(),
        namespace: registrar.namespace.clone(),
        description: registrar.description.clone(),
        source,
        check_ok,
        check_command,
        check_summary,
        problems,
        event_types: registrar
            .event_types
            .iter()
            .map(|n| Link::event_type(registry, n, ""))
            .collect(),
        blocks: registrar
            .blocks
            .iter()
            .map(|n| Link::block(registry, n, ""))
            .collect(),
        examples,
    };
    render_page(path, &template)
}
