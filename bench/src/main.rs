//! exev beside ruma-events 0.35 and `serde_json::Value`, on the same events, in one run:
//! interleaved wall-clock medians, allocations and bytes per event (a counting allocator), and
//! the acceptance ratios of issue 14.
//!
//! ```text
//! cargo run --release -j2 --manifest-path bench/Cargo.toml -- [ROUNDS] [CORPUS]
//! sh bench/callgrind.sh [CORPUS...]     # instructions per event, under callgrind
//! cargo run --release -j2 --manifest-path bench/Cargo.toml -- list
//! ```

mod alloc;
mod corpus;
mod ops;

use std::time::Instant;

use ops::{OPS, op};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("list") => {
            for (i, (name, _)) in OPS.iter().enumerate() {
                println!("{i:>2} {name}");
            }
        }
        Some("cg") => callgrind(&args[1..]),
        _ => {
            let rounds = args.first().and_then(|s| s.parse().ok()).unwrap_or(21);
            report(rounds, args.get(1).map(String::as_str));
        }
    }
}

/// Runs every operation once on one corpus, for `bench/callgrind.sh`: each operation is its
/// own function (`exev_bench::ops::op_*`), whose inclusive instructions divided by the events
/// are its instructions per event.
fn callgrind(args: &[String]) {
    let name = args.first().map_or("exev-bench", String::as_str);
    let corpus = ops::corpus(name).expect("corpus: msc-ruma, gen-ruma or exev-bench");
    println!("events {}", corpus.json.len());
    for i in 0..OPS.len() {
        if corpus.ruma || !matches!(i, op::RUMA_PER_TYPE | op::RUMA_ANY) {
            ops::run(i, &corpus);
        }
    }
}

fn report(rounds: usize, only: Option<&str>) {
    let (msc, dropped) = corpus::msc_for_ruma();
    println!("MSC examples ruma decodes typed ({}):", msc.len());
    for r in &msc {
        println!("  {} -> {}", r.name, r.ruma_type);
    }
    println!("left out (ruma: error or _Custom): {}", dropped.join(", "));
    for name in ops::CORPORA {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let Some(c) = ops::corpus(name) else { continue };
        let n = c.json.len() as f64;
        let problems = ops::check(&c);
        println!(
            "\n== {} ({} events, {:.0} B/event JSON, {:.0} CBOR, {:.0} Protobuf); check: {} problems",
            c.name,
            c.json.len(),
            c.bytes("json") as f64 / n,
            c.bytes("cbor") as f64 / n,
            c.bytes("proto") as f64 / n,
            problems.len()
        );
        for p in problems.iter().take(8) {
            println!("   ! {p}");
        }
        let active: Vec<usize> = (0..OPS.len())
            .filter(|&i| c.ruma || !matches!(i, op::RUMA_PER_TYPE | op::RUMA_ANY))
            .collect();
        // Allocations: one pass each (deterministic).
        let mut allocs = vec![(0.0, 0.0); OPS.len()];
        for &i in &active {
            let before = alloc::snapshot();
            ops::run(i, &c);
            let after = alloc::snapshot();
            allocs[i] = (
                (after.0 - before.0) as f64 / n,
                (after.1 - before.1) as f64 / n,
            );
        }
        // Interleaved rounds; a sample repeats the corpus so that it takes a few ms.
        let reps = (4000 / c.json.len()).max(1);
        let mut samples = vec![Vec::with_capacity(rounds); OPS.len()];
        for _ in 0..rounds {
            for &i in &active {
                let t = Instant::now();
                for _ in 0..reps {
                    ops::run(i, &c);
                }
                samples[i].push(t.elapsed().as_nanos() as f64 / (n * reps as f64));
            }
        }
        let med: Vec<f64> = samples
            .iter_mut()
            .map(|s| {
                s.sort_by(f64::total_cmp);
                s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
            })
            .collect();
        println!(
            "  {:<52} {:>9} {:>8} {:>9}",
            "operation", "ns/event", "allocs", "bytes"
        );
        for &i in &active {
            println!(
                "  {:<52} {:>9.0} {:>8.1} {:>9.0}",
                OPS[i].0, med[i], allocs[i].0, allocs[i].1
            );
        }
        let r = |a: usize, b: usize| med[a] / med[b];
        println!("  ratios of medians ({rounds} interleaved rounds):");
        if c.ruma {
            println!(
                "    exev json decode + typed / ruma per type          {:.2}   (target <= 1.0, moonshot 0.7)",
                r(op::JSON_TYPED, op::RUMA_PER_TYPE)
            );
            println!(
                "    exev json decode + typed / ruma AnySyncTimelineEvent {:.2}",
                r(op::JSON_TYPED, op::RUMA_ANY)
            );
        }
        println!(
            "    cbor decode + typed / json decode + typed          {:.2}   (target <= 0.8)",
            r(op::CBOR_TYPED, op::JSON_TYPED)
        );
        println!(
            "    proto decode + typed / json decode + typed         {:.2}   (target <= 0.6)",
            r(op::PROTO_TYPED, op::JSON_TYPED)
        );
        println!(
            "    prost generated structs / json decode + typed      {:.2}   (a floor for a Protobuf typed route)",
            r(op::PROST, op::JSON_TYPED)
        );
        println!(
            "    exev json decode + typed / serde_json::Value       {:.2}   (target <= 1.0)",
            r(op::JSON_TYPED, op::SERDE_VALUE)
        );
        println!(
            "    exev json decode / serde_json::Value               {:.2}",
            r(op::JSON, op::SERDE_VALUE)
        );
        println!(
            "    serde route (serde_json -> Event) / exev json      {:.2}",
            r(op::SERDE_EVENT, op::JSON)
        );
        println!(
            "    serde route + typed / exev json + typed            {:.2}",
            r(op::SERDE_EVENT_TYPED, op::JSON_TYPED)
        );
        for (format, full, empty) in [
            ("json", op::JSON, op::JSON_EMPTY),
            ("cbor", op::CBOR, op::CBOR_EMPTY),
            ("proto", op::PROTO, op::PROTO_EMPTY),
        ] {
            println!(
                "    allocations per event for the blocks nobody read, {format:<5} {:.1}   (target 0)",
                allocs[full].0 - allocs[empty].0
            );
        }
    }
}
