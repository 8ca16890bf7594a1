//! MIMI content: decoding plus the mapping to events, against our JSON decode of the same
//! events, on the draft's 14 examples; the way back (event → MIMI → bytes); and the sizes of
//! each message against its event in canonical JSON, CBOR and Protobuf.
//!
//! Criterion measures each operation; then the same operations are timed once more,
//! interleaved round by round, and printed as ratios, so the ratios hold whatever else the
//! machine is doing.
//!
//! Run with `cargo bench -p exev-mimi --bench mimi` (`-- no-criterion` for the interleaved
//! figures alone).

#![allow(
    missing_docs,
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use exev_codec::{cbor, json, proto};
use exev_mimi::mapping;

/// How many times the 14 examples are repeated in the corpus.
const REPEAT: usize = 100;

struct Prepared {
    names: Vec<String>,
    mimi: Vec<Vec<u8>>,
    json: Vec<Vec<u8>>,
    events: Vec<exev::Event>,
    messages: Vec<exev_mimi::MimiContent>,
}

fn vectors() -> PathBuf {
    std::env::var_os("EXEV_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    )
}

fn prepare() -> Prepared {
    let dir = vectors().join("mimi-content/examples");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the MIMI examples (set EXEV_VECTORS)")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "cbor") && !p.to_string_lossy().contains("implied")
        })
        .collect();
    names.sort();
    assert_eq!(names.len(), 14);
    let one: Vec<Vec<u8>> = names.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let names = names
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let mimi: Vec<Vec<u8>> = std::iter::repeat_n(one, REPEAT).flatten().collect();
    let messages: Vec<_> = mimi
        .iter()
        .map(|b| exev_mimi::from_slice(b).unwrap())
        .collect();
    let events: Vec<_> = messages.iter().map(mapping::to_event).collect();
    let json = events.iter().map(|e| json::to_vec(e).unwrap()).collect();
    Prepared {
        names,
        mimi,
        json,
        events,
        messages,
    }
}

type Op<'a> = (&'static str, Box<dyn Fn() + 'a>);

fn operations(p: &Prepared) -> Vec<Op<'_>> {
    vec![
        (
            "decode/MIMI content",
            Box::new(|| {
                for b in &p.mimi {
                    black_box(exev_mimi::from_slice(b).unwrap());
                }
            }),
        ),
        (
            "decode/MIMI content + mapping to Event",
            Box::new(|| {
                for b in &p.mimi {
                    black_box(mapping::to_event(&exev_mimi::from_slice(b).unwrap()));
                }
            }),
        ),
        (
            "decode/the same events from canonical JSON",
            Box::new(|| {
                for b in &p.json {
                    black_box(json::from_slice(b).unwrap());
                }
            }),
        ),
        (
            "encode/MIMI content",
            Box::new(|| {
                for m in &p.messages {
                    black_box(exev_mimi::to_vec(m).unwrap());
                }
            }),
        ),
        (
            "encode/mapping Event to MIMI + encode",
            Box::new(|| {
                for e in &p.events {
                    let m = mapping::to_mimi(e, [0; 16]).unwrap();
                    black_box(exev_mimi::to_vec(&m).unwrap());
                }
            }),
        ),
        (
            "encode/the same events to canonical JSON",
            Box::new(|| {
                for e in &p.events {
                    black_box(json::to_vec(e).unwrap());
                }
            }),
        ),
    ]
}

fn interleaved(ops: &[Op<'_>], rounds: usize) -> Vec<(Duration, Duration)> {
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
            (s[s.len() / 2], s[0])
        })
        .collect()
}

fn main() {
    let p = prepare();
    let mimi_bytes: usize = p.mimi.iter().map(Vec::len).sum();
    let mut c = Criterion::default().configure_from_args();
    for (name, op) in operations(&p) {
        let (group, id) = name.split_once('/').unwrap();
        let mut g = c.benchmark_group(format!("mimi {group}"));
        g.throughput(Throughput::Bytes(mimi_bytes as u64));
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(id, |b| b.iter(&op));
        g.finish();
    }
    c.final_summary();

    let ops = operations(&p);
    let timings = interleaved(&ops, 31);
    let n = p.mimi.len() as f64;
    let per_message = |d: Duration| d.as_nanos() as f64 / n;
    println!();
    println!(
        "corpus: the draft's 14 examples x {REPEAT}, {mimi_bytes} bytes of MIMI content, {:.0} bytes per message",
        mimi_bytes as f64 / n
    );
    println!("median (and fastest) of 31 interleaved passes:");
    for ((name, _), (median, fastest)) in ops.iter().zip(&timings) {
        println!(
            "  {name:<48} {:>7.0} ns/message   ({:>6.0} ns/message)",
            per_message(*median),
            per_message(*fastest)
        );
    }
    let ratio = |a: usize, b: usize| {
        (
            timings[a].0.as_secs_f64() / timings[b].0.as_secs_f64(),
            timings[a].1.as_secs_f64() / timings[b].1.as_secs_f64(),
        )
    };
    println!("ratios of medians (time; lower is faster; of the fastest passes in brackets):");
    for (label, a, b) in [
        ("MIMI decode / JSON decode of the same events", 0, 2),
        (
            "MIMI decode + mapping / JSON decode of the same events",
            1,
            2,
        ),
        (
            "mapping + MIMI encode / JSON encode of the same events",
            4,
            5,
        ),
    ] {
        let (m, f) = ratio(a, b);
        println!("  {label:<56} {m:.2} ({f:.2})");
    }
    println!("sizes per message (the examples, once each):");
    for ((bytes, event), name) in p.mimi.iter().zip(&p.events).zip(&p.names) {
        println!(
            "  {name:<18} MIMI {:>4}  event: JSON {:>4}  CBOR {:>4}  Protobuf {:>4}",
            bytes.len(),
            json::to_vec(event).unwrap().len(),
            cbor::to_vec(event).unwrap().len(),
            proto::to_vec(event).unwrap().len()
        );
    }
    let total = |f: &dyn Fn(&exev::Event) -> usize| p.events.iter().take(14).map(f).sum::<usize>();
    let mimi14: usize = p.mimi.iter().take(14).map(Vec::len).sum();
    println!(
        "  all 14             MIMI {mimi14:>4}  event: JSON {:>4}  CBOR {:>4}  Protobuf {:>4}",
        total(&|e| json::to_vec(e).unwrap().len()),
        total(&|e| cbor::to_vec(e).unwrap().len()),
        total(&|e| proto::to_vec(e).unwrap().len())
    );
}
