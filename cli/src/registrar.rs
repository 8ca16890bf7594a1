//! Registrars' manifest directories: `exev registry check DIR`, `exev registry site`, and
//! `--registry DIR` for the commands that use a registry.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use exev_registry::{Manifest, Registry};
use exev_site::{Site, SiteError};

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
    /// Write the registry website: static, offline pages of the built-in registry and of each
    /// registrar layered on it.
    Site {
        /// A registrar's manifest directory to layer on the built-in registry (repeatable;
        /// later directories go on top and may use the blocks of earlier ones).
        #[arg(long = "registry", value_name = "DIR")]
        registries: Vec<PathBuf>,
        /// The folder to write the site into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// Runs `exev registry`.
pub(crate) fn run(args: &RegistryArgs) -> Outcome {
    match &args.command {
        RegistryCommand::Check { dir } => check(dir),
        RegistryCommand::Site { registries, out } => site(registries, out),
    }
}

/// `exev registry check DIR`: a one-line summary on stdout, or every problem on stderr.
fn check(dir: &Path) -> Outcome {
    let manifest = Manifest::load(dir).map_err(Failure::Manifest)?;
    let line = format!("{}: ok: {}\n", dir.display(), manifest.summary());
    write_stdout(line.as_bytes())
}

/// `exev registry site [--registry DIR]... --out DIR`: the website, and a line saying what
/// was written.
fn site(registries: &[PathBuf], out: &Path) -> Outcome {
    let failed = |error: SiteError| match error {
        SiteError::Manifest(error) => Failure::Manifest(error),
        other => Failure::Io {
            message: other.to_string(),
        },
    };
    let mut site = Site::built_in().map_err(failed)?;
    for dir in registries {
        site.add_registrar(dir).map_err(failed)?;
    }
    let files = site.write(out).map_err(failed)?;
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let line = format!(
        "{}: wrote {} files ({pages} pages: {} event types, {} blocks, {} registrars); open {}\n",
        out.display(),
        files.len(),
        site.registry().event_types().count(),
        site.registry().blocks().count(),
        registries.len() + 1,
        out.join("index.html").display(),
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
