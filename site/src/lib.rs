//! # exev-site: the registry website
//!
//! What a registrar publishes, as pages people read: a static, offline website of the
//! built-in registry with registrars' manifest directories layered on it (`exev registry site`
//! writes it). A crate of its own, so that callers of `exev-registry` don't pay for templates.
//!
//! - `index.html`: every event type and block, grouped by registrar and namespace, with their
//!   stable and unstable names, a line of description each, and a filter box (a small script
//!   in the folder; without it, the index is simply unfiltered).
//! - `types/NAME.html`: an event type's required and optional blocks, its JSON Schema (shown and
//!   downloadable), its examples in canonical JSON and CBOR diagnostic notation with their
//!   sizes in JSON, CBOR and Protobuf, and **fallback previews**: how each example renders for a
//!   client that knows every type, one that knows only `m.message` and one that knows only
//!   `m.file`, with the renderer's reasons, drawn as a client would draw it.
//! - `blocks/NAME.html`: a block's names, schema, where it may appear, which event types use it,
//!   and the examples that carry it.
//! - `registrars/NAMESPACE.html` (`registrars/m.html` for the built-in registry): the
//!   registrar's namespace, description and check result, with every example's validation.
//! - `schemas/`, `examples/`: the schemas and the examples (JSON, CBOR, Protobuf) to download.
//!
//! Every link is relative and nothing comes from the network: the folder can be served from
//! anywhere or opened as files.
//!
//! ```
//! use std::path::Path;
//!
//! let mut site = exev_site::Site::built_in()?;
//! site.add_registrar(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../registrars/org.example"))?;
//! let files = site.files()?;
//! let page = files
//!     .iter()
//!     .find(|f| f.path == "types/org.example.temperature.html")
//!     .expect("a page per event type");
//! let html = String::from_utf8_lossy(&page.bytes);
//! assert!(html.contains("It is 22 degrees at Home"));
//! assert!(files.iter().any(|f| f.path == "index.html"));
//! # Ok::<(), exev_site::SiteError>(())
//! ```

#![forbid(unsafe_code)]

mod catalogue;
mod encodings;
mod pages;
mod paths;
mod preview;

use std::fmt;
use std::path::{Path, PathBuf};

use exev_registry::{ManifestError, Registry, SchemaError};

use crate::catalogue::Catalogue;

/// The registry website: the built-in registry and the registrars layered on it, ready to
/// be written out as pages.
#[derive(Clone, Debug)]
pub struct Site {
    catalogue: Catalogue,
}

/// One file of the website: its path relative to the site's folder (`/`-separated) and its
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SiteFile {
    /// Where it goes: `index.html`, `types/m.image.html`, `schemas/blocks/m.text.json`.
    pub path: String,
    /// What it holds.
    pub bytes: Vec<u8>,
}

/// Why the website could not be made or written.
#[derive(Debug)]
#[non_exhaustive]
pub enum SiteError {
    /// A registrar's manifest directory did not check.
    Manifest(ManifestError),
    /// The registry's schemas did not compile (a registry built by hand can get there).
    Schema(SchemaError),
    /// An example event could not be encoded or decoded.
    Example {
        /// Its registrar and file: `org.example: examples/temperature.json`.
        example: String,
        /// What the codec said.
        error: exev_codec::Error,
    },
    /// A page's template failed.
    Template {
        /// The page.
        page: String,
        /// What the template engine said.
        message: String,
    },
    /// A file or folder could not be written.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        error: std::io::Error,
    },
}

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SiteError::Manifest(error) => write!(f, "{error}"),
            SiteError::Schema(error) => write!(f, "the registry's schemas: {error}"),
            SiteError::Example { example, error } => write!(f, "example {example}: {error}"),
            SiteError::Template { page, message } => write!(f, "page {page}: {message}"),
            SiteError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for SiteError {}

impl Site {
    /// The website of the built-in registry and its shipped examples
    /// ([`exev_registry::BUILT_IN_EXAMPLES`]).
    ///
    /// # Errors
    ///
    /// [`SiteError::Example`] if a shipped example does not decode (the registry's tests
    /// decode them all).
    pub fn built_in() -> Result<Site, SiteError> {
        Ok(Site {
            catalogue: Catalogue::built_in()?,
        })
    }

    /// Checks the registrar's manifest directory `dir` on top of what the site holds
    /// ([`exev_registry::Manifest::load_onto`]) and layers it on: its types, blocks, examples
    /// and a page of its own. Registrars go on in order; each may use the blocks of those
    /// before it.
    ///
    /// # Errors
    ///
    /// [`SiteError::Manifest`] with every problem of the directory.
    pub fn add_registrar(&mut self, dir: &Path) -> Result<&mut Site, SiteError> {
        self.catalogue.add_registrar(dir)?;
        Ok(self)
    }

    /// The registry the site shows: the built-in one with every registrar on top.
    pub fn registry(&self) -> &Registry {
        &self.catalogue.registry
    }

    /// Every file of the website, in memory, sorted by path.
    ///
    /// # Errors
    ///
    /// [`SiteError::Schema`] if the registry's schemas do not compile, [`SiteError::Example`]
    /// if an example cannot be encoded, [`SiteError::Template`] if a page fails to render.
    pub fn files(&self) -> Result<Vec<SiteFile>, SiteError> {
        let mut files = pages::all(&self.catalogue)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Writes every file of the website under `dir` (created if missing; files already there
    /// with the same names are replaced, others left alone), and returns them.
    ///
    /// # Errors
    ///
    /// As [`Site::files`], and [`SiteError::Io`] for a file or folder that cannot be written.
    pub fn write(&self, dir: &Path) -> Result<Vec<SiteFile>, SiteError> {
        let files = self.files()?;
        for file in &files {
            let target = file
                .path
                .split('/')
                .fold(dir.to_path_buf(), |path, part| path.join(part));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|error| SiteError::Io {
                    path: parent.to_path_buf(),
                    error,
                })?;
            }
            std::fs::write(&target, &file.bytes).map_err(|error| SiteError::Io {
                path: target.clone(),
                error,
            })?;
        }
        Ok(files)
    }
}
