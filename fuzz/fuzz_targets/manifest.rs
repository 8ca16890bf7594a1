//! Registrar-manifest loading: a copy of the example registrar with one of its files replaced
//! by the fuzz input (the first byte picks which). Loading is checked or refused with
//! problems, never a crash; a manifest that loads also layers onto the built-in registry.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use exev_registry::{Manifest, Registry};
use libfuzzer_sys::fuzz_target;

/// The example registrar's files, relative to its directory.
fn files() -> &'static (PathBuf, Vec<PathBuf>) {
    static FILES: OnceLock<(PathBuf, Vec<PathBuf>)> = OnceLock::new();
    FILES.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../registrars/org.example");
        let work = std::env::temp_dir().join(format!("exev-fuzz-manifest-{}", std::process::id()));
        let mut files = Vec::new();
        let mut stack = vec![PathBuf::new()];
        while let Some(rel) = stack.pop() {
            std::fs::create_dir_all(work.join(&rel)).expect("work directory");
            for entry in std::fs::read_dir(source.join(&rel)).expect("example registrar") {
                let entry = entry.expect("entry");
                let rel = rel.join(entry.file_name());
                if entry.path().is_dir() {
                    stack.push(rel);
                } else if rel.extension().is_some_and(|e| e == "json") {
                    files.push(rel);
                }
            }
        }
        files.sort();
        (work, files)
    })
}

fuzz_target!(|data: &[u8]| {
    let (work, files) = files();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../registrars/org.example");
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let target = &files[usize::from(pick) % files.len()];
    for file in files {
        let bytes = if file == target {
            content.to_vec()
        } else {
            std::fs::read(source.join(file)).expect("example file")
        };
        std::fs::write(work.join(file), bytes).expect("write");
    }
    static BUILT_IN: OnceLock<Registry> = OnceLock::new();
    let built_in = BUILT_IN.get_or_init(Registry::built_in);
    if let Ok(manifest) = Manifest::load_onto(work, built_in) {
        let mut registry = built_in.clone();
        registry.layer(manifest.registry());
        let _ = registry.problems();
    }
});
