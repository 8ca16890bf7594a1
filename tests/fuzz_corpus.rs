//! The fuzz targets' inputs replayed as ordinary tests on the stable toolchain: the committed
//! regressions in `fuzz/regressions/<target>/` and the seeds taken from the external vectors.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use exev::generate::Generator;
use exev_codec::oracle;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn regressions(target: &str) -> Vec<PathBuf> {
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/regressions")
            .join(target),
    )
}

/// Runs `f` on a 2 MiB stack, the size `cargo test` gives a test thread, as libFuzzer does not.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn json_decode_seeds_and_regressions() {
    let mut inputs = regressions("json_decode");
    inputs.extend(files_under(&common::vectors().join("msc")));
    inputs.extend(files_under(&common::vectors().join("json")));
    assert!(inputs.len() > 300, "{} inputs", inputs.len());
    on_small_stack(move || {
        for path in inputs {
            let bytes = std::fs::read(&path).unwrap();
            if let Err(bug) = oracle::json(&bytes) {
                panic!("{}: {bug}", path.display());
            }
        }
    });
}

#[test]
fn json_roundtrip_regressions() {
    // The fuzz target builds its event with `Arbitrary`, which hands all its bytes to the
    // generator: the same event comes from `Generator::new(bytes)` here.
    for path in regressions("json_roundtrip") {
        let bytes = std::fs::read(&path).unwrap();
        let event = Generator::new(&bytes).event();
        if let Err(bug) = oracle::json_event(&event) {
            panic!("{}: {bug}", path.display());
        }
    }
}

#[test]
fn render_regressions() {
    use exev_registry::{Capabilities, Registry};
    let registry = Registry::built_in();
    let clients = [
        Capabilities::everything(&registry),
        Capabilities::knowing(["m.message"]),
    ];
    for path in regressions("render") {
        let bytes = std::fs::read(&path).unwrap();
        let event = Generator::new(&bytes).event();
        for caps in &clients {
            let _ = exev_registry::render(&event, caps, &registry).to_value();
        }
    }
}

#[test]
fn timeline_seeds_and_regressions() {
    // The committed inputs (chosen across sizes from the corpus `cargo fuzz cmin` kept) and
    // the seeds `.ci/fuzz` gives the target: the spec's example events and the MSC examples.
    let mut inputs = regressions("timeline");
    assert!(inputs.len() >= 10, "{} committed inputs", inputs.len());
    inputs.extend(files_under(&common::vectors().join("matrix-spec/events")));
    inputs.extend(files_under(&common::vectors().join("msc")));
    let (mut events, mut acting) = (0, 0);
    for path in &inputs {
        let bytes = std::fs::read(path).unwrap();
        if let Err(bug) = exev_registry::check_timeline_bytes(&bytes) {
            panic!("{}: {bug}", path.display());
        }
        let (room, _) = exev_registry::room_from_bytes(&bytes);
        events += room.len();
        acting += room
            .iter()
            .filter(|e| exev_registry::acts_on_another(e))
            .count();
    }
    // The inputs make rooms with relations to fold, not empty ones.
    assert!(
        events > 500 && acting > 100,
        "{events} events, {acting} acting on others"
    );
}

#[test]
fn proto_decode_seeds_and_regressions() {
    // The seeds `.ci/fuzz` gives the target: every MSC example in Protobuf.
    let mut inputs: Vec<Vec<u8>> = common::msc_canonical()
        .iter()
        .map(|(_, json)| {
            let event = exev_codec::json::from_slice(common::trim_newline(json)).unwrap();
            exev_codec::proto::to_vec(&event)
        })
        .collect();
    for path in regressions("proto_decode") {
        inputs.push(std::fs::read(&path).unwrap());
    }
    on_small_stack(move || {
        for bytes in inputs {
            if let Err(bug) = oracle::proto(&bytes) {
                panic!("{bytes:02x?}: {bug}");
            }
        }
    });
}

#[test]
fn proto_roundtrip_regressions() {
    for path in regressions("proto_roundtrip") {
        let bytes = std::fs::read(&path).unwrap();
        let event = Generator::new(&bytes).event();
        if let Err(bug) = oracle::proto_event(&event) {
            panic!("{}: {bug}", path.display());
        }
    }
}

#[test]
fn cbor_decode_seeds_and_regressions() {
    let mut inputs: Vec<Vec<u8>> = common::msc_canonical()
        .iter()
        .map(|(_, json)| {
            let event = exev_codec::json::from_slice(common::trim_newline(json)).unwrap();
            exev_codec::cbor::to_vec(&event).unwrap()
        })
        .collect();
    let mut files = regressions("cbor_decode");
    files.extend(
        files_under(&common::vectors().join("cbor"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "cbor")),
    );
    files.extend(
        files_under(&common::vectors().join("mimi-content"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "cbor")),
    );
    for path in files {
        inputs.push(std::fs::read(&path).unwrap());
    }
    assert!(inputs.len() > 40, "{} inputs", inputs.len());
    on_small_stack(move || {
        for bytes in inputs {
            if let Err(bug) = oracle::cbor(&bytes) {
                panic!("{bytes:02x?}: {bug}");
            }
        }
    });
}

#[test]
fn cbor_roundtrip_and_chains_regressions() {
    for target in ["cbor_roundtrip", "chains"] {
        for path in regressions(target) {
            let event = Generator::new(&std::fs::read(&path).unwrap()).event();
            if let Err(bug) = oracle::cbor_event(&event).and_then(|()| oracle::chains(&event)) {
                panic!("{}: {bug}", path.display());
            }
        }
    }
}

#[test]
fn manifest_regressions() {
    // As the fuzz target does: a copy of the example registrar with the file the first byte
    // picks replaced by the rest of the input.
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("registrars/org.example");
    let mut files: Vec<PathBuf> = files_under(&source)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.strip_prefix(&source).unwrap().to_path_buf())
        .collect();
    files.sort();
    let work = std::env::temp_dir().join(format!("exev-manifest-replay-{}", std::process::id()));
    let built_in = exev_registry::Registry::built_in();
    for input in regressions("manifest") {
        let data = std::fs::read(&input).unwrap();
        let Some((&pick, content)) = data.split_first() else {
            continue;
        };
        let target = &files[usize::from(pick) % files.len()];
        for file in &files {
            std::fs::create_dir_all(work.join(file).parent().unwrap()).unwrap();
            let bytes = if file == target {
                content.to_vec()
            } else {
                std::fs::read(source.join(file)).unwrap()
            };
            std::fs::write(work.join(file), bytes).unwrap();
        }
        if let Ok(manifest) = exev_registry::Manifest::load_onto(&work, &built_in) {
            let mut registry = built_in.clone();
            registry.layer(manifest.registry());
        }
    }
    let _ = std::fs::remove_dir_all(&work);
}
