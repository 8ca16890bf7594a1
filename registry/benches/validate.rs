//! Validation cost per event, on the codec benchmark's corpus (messages with HTML, images,
//! polls, emotes; see `codec/benches/corpus.rs`).
//!
//! Criterion measures validating the corpus against the built-in schemas (one `Validator`,
//! compiled once), then each step is timed again over a number of passes, interleaved so
//! that machine noise hits them alike, and the medians printed per event, with decoding and
//! rendering beside them for scale and the one-off cost of compiling the schemas.
//!
//! Run with `cargo bench -p exev-registry --bench validate`.

#![allow(
    missing_docs,
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss
)]

#[path = "../../codec/benches/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use exev::Event;
use exev_codec::json;
use exev_registry::{Capabilities, Registry, Validator};

const CORPUS_SIZE: usize = 2_000;
const PASSES: usize = 21;

/// Runs every op once per pass, in turn, and returns each op's median pass.
fn interleaved_medians(ops: &[&dyn Fn()]) -> Vec<Duration> {
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(PASSES); ops.len()];
    for _ in 0..PASSES {
        for (op, times) in ops.iter().zip(&mut samples) {
            let start = Instant::now();
            op();
            times.push(start.elapsed());
        }
    }
    samples
        .into_iter()
        .map(|mut times| {
            times.sort();
            times.get(times.len() / 2).copied().unwrap_or_default()
        })
        .collect()
}

fn main() {
    let bytes = corpus::events(CORPUS_SIZE);
    let events: Vec<Event> = bytes
        .iter()
        .map(|b| json::from_slice(b).expect("corpus event decodes"))
        .collect();
    let registry = Registry::built_in();
    let compile_start = Instant::now();
    let validator = Validator::new(&registry).expect("built-in schemas compile");
    let compile = compile_start.elapsed();
    let invalid = events
        .iter()
        .filter(|e| !validator.validate(e).is_valid())
        .count();
    let caps = Capabilities::everything(&registry);

    let mut c = Criterion::default().configure_from_args();
    {
        let mut g = c.benchmark_group("validate");
        g.throughput(Throughput::Elements(events.len() as u64));
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(3));
        g.bench_function("built-in schemas", |b| {
            b.iter(|| {
                for e in &events {
                    black_box(validator.validate(e));
                }
            });
        });
        g.finish();
    }
    c.final_summary();

    let decode = || {
        for b in &bytes {
            black_box(json::from_slice(b).unwrap());
        }
    };
    let validate = || {
        for e in &events {
            black_box(validator.validate(e));
        }
    };
    let render = || {
        for e in &events {
            black_box(registry.render(e, &caps));
        }
    };
    let medians = interleaved_medians(&[&decode, &validate, &render]);
    let per_event = |d: Duration| d.as_secs_f64() * 1e6 / events.len() as f64;
    println!();
    println!(
        "corpus: {CORPUS_SIZE} events ({invalid} invalid); interleaved medians of {PASSES} passes:"
    );
    for (name, d) in [
        "decode (JSON to Event)",
        "validate",
        "render (everything known)",
    ]
    .iter()
    .zip(medians)
    {
        println!(
            "  {name:<28} {:>8.2} µs/event  {:>10.0} events/s",
            per_event(d),
            events.len() as f64 / d.as_secs_f64()
        );
    }
    println!(
        "  compiling the built-in schemas once: {:.1} ms",
        compile.as_secs_f64() * 1e3
    );
}
