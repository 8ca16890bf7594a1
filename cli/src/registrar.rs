//! Registrars' manifest directories: `exev registry check DIR`, and `--registry DIR` for the
//! commands that use a registry.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use exev_registry::{Manifest, Registry};

use crate::Outcome;
use crate::report::{Failure, write_stdout};

/// Arguments of `exev registry`.
#[derive(Args, Debug)]
pub(crate) struct RegistryArgs {
    #[command(subcommand)]
    command: RegistryCommand,
}

#[derive(Subcommand, Debug)]
enum RegistryCommand {
    /// Check a registrar's manifest directory: names, schemas, references and examples.
    Check {
        /// The directory holding manifest.json.
        dir: PathBuf,
    },
}

/// Runs `exev registry`.
pub(crate) fn run(args: &RegistryArgs) -> Outcome {
    match &args.command {
        RegistryCommand::Check { dir } => check(dir),
    }
}

/// `exev registry check DIR`: a one-line summary on stdout, or every problem on stderr.
fn check(dir: &Path) -> Outcome {
    let manifest = Manifest::load(dir).map_err(Failure::Manifest)?;
    let marked_invalid = manifest.examples.iter().filter(|e| !e.valid).count();
    let line = format!(
        "{}: ok: namespace {}, {} block(s), {} event type(s), {} example(s) ({} valid, {} rejected as marked)\n",
        dir.display(),
        manifest.namespace,
        manifest.blocks.len(),
        manifest.event_types.len(),
        manifest.examples.len(),
        manifest.examples.len() - marked_invalid,
        marked_invalid,
    );
    write_stdout(line.as_bytes())
}

/// The built-in registry with the manifest directories `dirs` layered on it, in order; each
/// may use the blocks of those before it.
pub(crate) fn load(dirs: &[PathBuf]) -> Result<Registry, Failure> {
    let mut registry = Registry::built_in();
    for dir in dirs {
        let manifest = Manifest::load_onto(dir, &registry).map_err(Failure::Manifest)?;
        registry.layer(manifest.registry());
    }
    Ok(registry)
}
