//! The fuzz targets' committed corpora (`fuzz/regressions/<target>/`: inputs minimised with
//! `cargo fuzz cmin` after real runs, and every crash ever found) replayed as ordinary tests
//! on the stable toolchain, each input held to what its target checks, together with the
//! seeds the vectors give the decoders.
//!
//! A corpus of fewer than ten inputs fails the test: a replay of nothing proves nothing.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use exev::Event;
use exev::generate::Generator;
use exev_codec::Format;
use exev_codec::oracle::{self, Verdict};
use exev_registry::{Capabilities, Outcome, Registry};

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
            } else if !e.file_name().to_string_lossy().starts_with('.') {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The committed corpus of `target`: at least ten inputs.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let inputs: Vec<(PathBuf, Vec<u8>)> = files_under(&dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    assert!(
        inputs.len() >= 10,
        "{target}: {} inputs in {}",
        inputs.len(),
        dir.display()
    );
    inputs
}

/// The event a structured target builds from `bytes`: its `Arbitrary` implementation hands
/// all the bytes to the generator, so the same event comes from `Generator::new(bytes)`.
fn structured(bytes: &[u8]) -> Event {
    Generator::new(bytes).event()
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

/// A decoding target's corpus and seeds: the oracle finds no bug in any input (an accepted
/// input round-trips, a refused one has a one-line error with a position); the corpus holds
/// both kinds.
fn replay_decoder(target: &'static str, format: Format, seeds: Vec<Vec<u8>>) {
    let inputs = corpus(target);
    on_small_stack(move || {
        let (mut accepted, mut rejected) = (0, 0);
        for (path, bytes) in &inputs {
            match oracle::decode(format, bytes) {
                Ok(Verdict::Accepted) => accepted += 1,
                Ok(Verdict::Rejected(_)) => rejected += 1,
                Ok(_) => {}
                Err(bug) => panic!("{}: {bug}", path.display()),
            }
        }
        assert!(
            accepted > 0 && rejected > 0,
            "{target}: {accepted} accepted, {rejected} rejected"
        );
        for bytes in seeds {
            if let Err(bug) = oracle::decode(format, &bytes) {
                panic!("{target} seed {bytes:02x?}: {bug}");
            }
        }
    });
}

/// The MSC examples encoded in `format`: the seeds `.ci/fuzz` gives the binary decoders.
fn msc_seeds(format: Format) -> Vec<Vec<u8>> {
    common::msc_canonical()
        .iter()
        .map(|(_, json)| {
            let event = exev_codec::json::from_slice(common::trim_newline(json)).unwrap();
            format.to_vec(&event).unwrap()
        })
        .collect()
}

#[test]
fn json_decode_corpus() {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for dir in ["msc", "json"] {
        seeds.extend(
            files_under(&common::vectors().join(dir))
                .iter()
                .map(|p| std::fs::read(p).unwrap()),
        );
    }
    assert!(seeds.len() > 300, "{} seeds", seeds.len());
    replay_decoder("json_decode", Format::Json, seeds);
}

#[test]
fn cbor_decode_corpus() {
    let mut seeds = msc_seeds(Format::Cbor);
    for dir in ["cbor", "mimi-content"] {
        seeds.extend(
            files_under(&common::vectors().join(dir))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "cbor"))
                .map(|p| std::fs::read(p).unwrap()),
        );
    }
    assert!(seeds.len() > 40, "{} seeds", seeds.len());
    replay_decoder("cbor_decode", Format::Cbor, seeds);
}

#[test]
fn proto_decode_corpus() {
    replay_decoder("proto_decode", Format::Proto, msc_seeds(Format::Proto));
}

/// A round-trip target's corpus: every event it builds round-trips in the format.
fn replay_round_trip(target: &str, format: Format) {
    for (path, bytes) in corpus(target) {
        match oracle::round_trip(format, &structured(&bytes)) {
            Ok(Verdict::Accepted) => {}
            other => panic!("{}: {other:?}", path.display()),
        }
    }
}

#[test]
fn json_roundtrip_corpus() {
    replay_round_trip("json_roundtrip", Format::Json);
}

#[test]
fn cbor_roundtrip_corpus() {
    replay_round_trip("cbor_roundtrip", Format::Cbor);
}

#[test]
fn proto_roundtrip_corpus() {
    replay_round_trip("proto_roundtrip", Format::Proto);
}

#[test]
fn chains_corpus() {
    for (path, bytes) in corpus("chains") {
        if let Err(bug) = oracle::chains(&structured(&bytes)) {
            panic!("{}: {bug}", path.display());
        }
    }
}

#[test]
fn render_corpus() {
    // As the target does: three kinds of client, and the same rendering after a JSON round
    // trip; each rendering has an outcome and says it as JSON.
    let registry = Registry::built_in();
    let clients = [
        Capabilities::everything(&registry),
        Capabilities::knowing(["m.message"]),
        Capabilities::knowing(["m.message", "m.file", "m.image", "m.video", "m.audio"])
            .mimetypes(["image/png", "video/*", "audio/*"]),
    ];
    let mut outcomes = std::collections::BTreeSet::new();
    for (path, bytes) in corpus("render") {
        let event = structured(&bytes);
        let again =
            exev_codec::json::from_slice(&exev_codec::json::to_vec(&event).unwrap()).unwrap();
        for caps in &clients {
            let rendering = exev_registry::render(&event, caps, &registry);
            assert_eq!(
                exev_registry::render(&again, caps, &registry),
                rendering,
                "{}: rendering changed after a JSON round trip",
                path.display()
            );
            let shown = rendering.to_value();
            assert_eq!(
                shown.get("outcome").and_then(exev::Value::as_str),
                Some(rendering.outcome.as_str()),
                "{}",
                path.display()
            );
            if rendering.outcome == Outcome::Rendered {
                assert!(rendering.rendered_as.is_some(), "{}", path.display());
            }
            outcomes.insert(rendering.outcome.as_str());
        }
    }
    assert!(
        outcomes.len() > 1,
        "the corpus reaches one outcome only: {outcomes:?}"
    );
}

#[test]
fn manifest_corpus() {
    // As the target does: a copy of the example registrar with the file the first byte
    // picks replaced by the rest of the input. It loads and layers onto the built-in
    // registry, or is refused with problems, each naming its file and what is wrong.
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("registrars/org.example");
    let files: Vec<PathBuf> = files_under(&source)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.strip_prefix(&source).unwrap().to_path_buf())
        .collect();
    let work = std::env::temp_dir().join(format!("exev-manifest-replay-{}", std::process::id()));
    let built_in = Registry::built_in();
    let (mut loaded, mut refused) = (0, 0);
    for (input, data) in corpus("manifest") {
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
        match exev_registry::Manifest::load_onto(&work, &built_in) {
            Ok(manifest) => {
                let mut registry = built_in.clone();
                registry.layer(manifest.registry());
                loaded += 1;
            }
            Err(e) => {
                assert!(
                    !e.problems.is_empty(),
                    "{}: refused without a problem",
                    input.display()
                );
                for p in &e.problems {
                    assert!(
                        !p.message.is_empty() && !p.message.contains('\n'),
                        "{}: {p:?}",
                        input.display()
                    );
                }
                refused += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        loaded > 0 && refused > 0,
        "{loaded} loaded, {refused} refused"
    );
}

#[test]
fn timeline_corpus() {
    // The committed inputs (chosen across sizes from the corpus `cargo fuzz cmin` kept) and
    // the seeds `.ci/fuzz` gives the target: the spec's example events and the MSC examples.
    let mut inputs: Vec<PathBuf> = corpus("timeline").into_iter().map(|(p, _)| p).collect();
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
