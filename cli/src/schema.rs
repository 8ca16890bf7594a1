//! `exev schema`: the published JSON Schemas, one of them, or all of them written out.

use std::path::PathBuf;

use clap::Args;
use exev_registry::{Registry, SchemaFile, SchemaKind, published_schemas, schema_files};

use crate::Outcome;
use crate::report::{Failure, report_json, write_stdout};

/// Arguments of `exev schema`.
#[derive(Args, Debug)]
pub(crate) struct SchemaArgs {
    /// Write every schema and index.json under DIR (as in the repository's schemas/json).
    #[arg(long, value_name = "DIR", conflicts_with = "name")]
    out: Option<PathBuf>,
    /// The block or event type whose schema to print (`m.text`), or its file
    /// (`blocks/m.file`, `event_types/m.file`) where a name is both; without it, the index.
    name: Option<String>,
}

/// Runs `exev schema`.
pub(crate) fn run(args: &SchemaArgs) -> Outcome {
    let registry = Registry::built_in();
    if let Some(dir) = &args.out {
        let files = schema_files(&registry).map_err(|error| Failure::Input {
            source: "<schemas>".to_owned(),
            error,
        })?;
        for (path, bytes) in &files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Failure::Io {
                    message: format!("{}: {e}", parent.display()),
                })?;
            }
            std::fs::write(&target, bytes).map_err(|e| Failure::Io {
                message: format!("{}: {e}", target.display()),
            })?;
        }
        let line = format!("{}: wrote {} files\n", dir.display(), files.len());
        return write_stdout(line.as_bytes());
    }
    let files = published_schemas(&registry);
    let value = match &args.name {
        Some(name) => find(&files, name)?.schema.clone(),
        None => exev_registry::schema_index(&files),
    };
    write_stdout(&report_json(&value, true)?)
}

/// The schema `name` asks for: a file path (with or without `.json`), or a name that is a
/// block or an event type but not both.
fn find<'f>(files: &'f [SchemaFile], name: &str) -> Result<&'f SchemaFile, Failure> {
    let path = name.strip_suffix(".json").unwrap_or(name);
    if let Some(file) = files
        .iter()
        .find(|f| f.path.strip_suffix(".json") == Some(path))
    {
        return Ok(file);
    }
    let matches: Vec<&SchemaFile> = files.iter().filter(|f| f.name == name).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(Failure::Usage {
            message: format!("no published schema is called {name}: `exev schema` lists them all"),
        }),
        _ => Err(Failure::Usage {
            message: format!(
                "{name} is both a block and an event type: ask for {} or {}",
                folder_path(SchemaKind::Block, name),
                folder_path(SchemaKind::EventType, name)
            ),
        }),
    }
}

fn folder_path(kind: SchemaKind, name: &str) -> String {
    format!("{}/{name}", kind.folder())
}
