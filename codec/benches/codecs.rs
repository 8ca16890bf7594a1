//! Codec benchmarks on a realistic corpus, against `serde_json::Value` on the same bytes.
//!
//! Criterion measures each operation; then the same operations are timed once more,
//! interleaved round by round in this process, and printed as ratios to `serde_json`, so the
//! ratios hold whatever else the machine is doing.
//!
//! Run with `cargo bench -p exev-codec --bench codecs`.

#![allow(
    missing_docs,
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use exev::Event;
use exev::blocks::AnyBlock;
use exev_codec::{json, proto};

const CORPUS_SIZE: usize = 2_000;

/// Decodes an event and reads every known block typed, as a client rendering it would.
fn decode_and_read_typed(bytes: &[u8]) -> usize {
    let event = json::from_slice(bytes).expect("corpus event decodes");
    typed_blocks(&event)
}

/// Reads every known block of `event` typed; returns how many read without error.
fn typed_blocks(event: &Event) -> usize {
    event
        .content()
        .blocks()
        .filter_map(|entry| entry.known.map(|(block, _)| (block, entry)))
        .filter(|(block, entry)| AnyBlock::read(*block, entry.name, entry.value).is_ok())
        .count()
}

struct Prepared {
    bytes: Vec<Vec<u8>>,
    total_bytes: u64,
    events: Vec<Event>,
    serde_values: Vec<serde_json::Value>,
    proto_bytes: Vec<Vec<u8>>,
}

fn prepare() -> Prepared {
    let bytes = corpus::events(CORPUS_SIZE);
    let total_bytes = bytes.iter().map(|b| b.len() as u64).sum();
    let events: Vec<Event> = bytes.iter().map(|b| json::from_slice(b).unwrap()).collect();
    let serde_values = bytes
        .iter()
        .map(|b| serde_json::from_slice(b).unwrap())
        .collect();
    let proto_bytes = events.iter().map(proto::to_vec).collect();
    Prepared {
        bytes,
        total_bytes,
        events,
        serde_values,
        proto_bytes,
    }
}

type Op<'a> = (&'static str, Box<dyn Fn() + 'a>);

fn operations(p: &Prepared) -> Vec<Op<'_>> {
    vec![
        (
            "decode/serde_json::Value",
            Box::new(|| {
                for b in &p.bytes {
                    black_box(serde_json::from_slice::<serde_json::Value>(b).unwrap());
                }
            }),
        ),
        (
            "decode/exev Event",
            Box::new(|| {
                for b in &p.bytes {
                    black_box(json::from_slice(b).unwrap());
                }
            }),
        ),
        (
            "decode/exev Event + every known block typed",
            Box::new(|| {
                for b in &p.bytes {
                    black_box(decode_and_read_typed(b));
                }
            }),
        ),
        (
            "decode/exev Event from Protobuf",
            Box::new(|| {
                for b in &p.proto_bytes {
                    black_box(proto::from_slice(b).unwrap());
                }
            }),
        ),
        (
            "encode/serde_json::to_vec",
            Box::new(|| {
                for v in &p.serde_values {
                    black_box(serde_json::to_vec(v).unwrap());
                }
            }),
        ),
        (
            "encode/exev canonical JSON",
            Box::new(|| {
                for e in &p.events {
                    black_box(json::to_vec(e));
                }
            }),
        ),
        (
            "encode/exev Protobuf",
            Box::new(|| {
                for e in &p.events {
                    black_box(proto::to_vec(e));
                }
            }),
        ),
    ]
}

fn criterion_benches(c: &mut Criterion, p: &Prepared) {
    for (name, op) in operations(p) {
        let (group, id) = name.split_once('/').unwrap();
        let mut g = c.benchmark_group(format!("json {group}"));
        g.throughput(Throughput::Bytes(p.total_bytes));
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(id, |b| b.iter(&op));
        g.finish();
    }
}

/// Times every operation in interleaved rounds; returns the median time per corpus pass.
fn interleaved(ops: &[Op<'_>], rounds: usize) -> Vec<Duration> {
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); ops.len()];
    for _ in 0..rounds {
        for (i, (_, op)) in ops.iter().enumerate() {
            let start = Instant::now();
            op();
            samples[i].push(start.elapsed());
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect()
}

fn main() {
    let p = prepare();
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c, &p);
    c.final_summary();

    let ops = operations(&p);
    let medians = interleaved(&ops, 31);
    let per_event = |d: Duration| d.as_nanos() as f64 / CORPUS_SIZE as f64;
    let mb_s = |d: Duration| p.total_bytes as f64 / d.as_secs_f64() / 1e6;
    println!();
    println!(
        "corpus: {CORPUS_SIZE} events, {} bytes of JSON, {:.0} bytes per event on average",
        p.total_bytes,
        p.total_bytes as f64 / CORPUS_SIZE as f64
    );
    println!("median of 31 interleaved passes:");
    for ((name, _), d) in ops.iter().zip(&medians) {
        println!(
            "  {name:<48} {:>8.0} ns/event {:>7.0} MB/s",
            per_event(*d),
            mb_s(*d)
        );
    }
    let ratio = |a: usize, b: usize| medians[a].as_secs_f64() / medians[b].as_secs_f64();
    println!("ratios (time; lower is faster):");
    println!(
        "  decode, exev Event / serde_json::Value:                 {:.2}",
        ratio(1, 0)
    );
    println!(
        "  decode + every block typed, exev / serde_json::Value:   {:.2}  (target <= 1.25)",
        ratio(2, 0)
    );
    println!(
        "  decode, exev Protobuf / exev JSON:                      {:.2}  (target <= 0.8)",
        ratio(3, 1)
    );
    println!(
        "  encode, exev canonical / serde_json::to_vec:            {:.2}",
        ratio(5, 4)
    );
    println!(
        "  encode, exev Protobuf / exev canonical JSON:            {:.2}",
        ratio(6, 5)
    );
    sizes(&p);
}

/// Bytes per event in every encoding, and how the Protobuf codec carries the corpus's blocks.
fn sizes(p: &Prepared) {
    let per_event = |total: usize| total as f64 / CORPUS_SIZE as f64;
    let json_total: usize = p.events.iter().map(|e| json::to_vec(e).len()).sum();
    let proto_total: usize = p.proto_bytes.iter().map(Vec::len).sum();
    println!("bytes per event (blocks under stable names):");
    println!("  canonical JSON  {:>7.1}", per_event(json_total));
    println!(
        "  Protobuf        {:>7.1}  ({:.2} of canonical JSON; target <= 0.7)",
        per_event(proto_total),
        proto_total as f64 / json_total as f64
    );
    let mut typed = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for e in &p.events {
        for entry in e.content().blocks() {
            let slot = typed.entry(entry.name).or_default();
            if proto::is_typed(entry.name, entry.value) {
                slot.0 += 1;
            } else {
                slot.1 += 1;
            }
        }
    }
    println!("Protobuf carriage of the corpus's blocks (typed / generic):");
    for (name, (t, g)) in typed {
        println!("  {name:<24} {t:>6} / {g}");
    }
}
