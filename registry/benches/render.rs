//! Rendering throughput, in events per second, on the codec benchmark's corpus (messages with
//! HTML, images, polls, emotes; see `codec/benches/corpus.rs`).
//!
//! Criterion measures each client profile; then each is timed again over a number of passes
//! and the median printed as events per second, with the decoding cost beside it for scale,
//! and then decoding and rendering each event once (what a client receiving it pays).
//!
//! Run with `cargo bench -p exev-registry --bench render`.

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
use exev_registry::{Capabilities, Registry, Rendering};

const CORPUS_SIZE: usize = 2_000;

/// Times `op` over `passes` runs of the corpus; returns the median.
fn median(passes: usize, op: &dyn Fn()) -> Duration {
    let mut samples: Vec<Duration> = (0..passes)
        .map(|_| {
            let start = Instant::now();
            op();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Renders an event just decoded: a function of its own, so that a profiler
/// (`valgrind --tool=callgrind`) counts its cost apart from the renderings of events rendered
/// before.
#[inline(never)]
fn render_decoded(registry: &Registry, event: &Event, caps: &Capabilities) -> Rendering {
    registry.render(event, caps)
}

fn main() {
    let bytes = corpus::events(CORPUS_SIZE);
    let events: Vec<Event> = bytes
        .iter()
        .map(|b| json::from_slice(b).expect("corpus event decodes"))
        .collect();
    let registry = Registry::built_in();
    let profiles = [
        (
            "every built-in type known",
            Capabilities::everything(&registry),
        ),
        ("only m.message known", Capabilities::knowing(["m.message"])),
        (
            "media known, images as png only",
            Capabilities::knowing(["m.message", "m.file", "m.image", "m.video", "m.audio"])
                .mimetypes(["image/png", "video/*", "audio/*"]),
        ),
    ];

    let mut c = Criterion::default().configure_from_args();
    {
        let mut g = c.benchmark_group("render");
        g.throughput(Throughput::Elements(events.len() as u64));
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(3));
        for (name, caps) in &profiles {
            g.bench_function(*name, |b| {
                b.iter(|| {
                    for e in &events {
                        black_box(registry.render(e, caps));
                    }
                });
            });
        }
        g.finish();
    }
    c.final_summary();

    let per_second = |d: Duration| events.len() as f64 / d.as_secs_f64();
    println!();
    println!("corpus: {CORPUS_SIZE} events; median of 21 passes:");
    let decode = median(21, &|| {
        for b in &bytes {
            black_box(json::from_slice(b).unwrap());
        }
    });
    println!(
        "  {:<40} {:>10.0} events/s  (for scale)",
        "decode (JSON to Event)",
        per_second(decode)
    );
    for (name, caps) in &profiles {
        let d = median(21, &|| {
            for e in &events {
                black_box(registry.render(e, caps));
            }
        });
        println!(
            "  render, {name:<32} {:>10.0} events/s  {:>6.1} µs/event",
            per_second(d),
            d.as_secs_f64() * 1e6 / events.len() as f64
        );
    }
    // What a client pays for an event it receives: decoded, then rendered once, so that what
    // rendering builds from the decoded form (and would keep for later renderings) is counted.
    for (name, caps) in &profiles {
        let d = median(21, &|| {
            for b in &bytes {
                black_box(render_decoded(
                    &registry,
                    &json::from_slice(b).unwrap(),
                    caps,
                ));
            }
        });
        println!(
            "  {:<56} {:>10.0} events/s  {:>6.1} µs/event",
            format!("decode + render once, {name}"),
            per_second(d),
            d.as_secs_f64() * 1e6 / events.len() as f64
        );
    }
}
