//! Codec benchmarks on a realistic corpus: our JSON against `serde_json::Value` on the same
//! bytes, and our CBOR against our JSON, ciborium's `Value` and a plain ciborium-ll decoder.
//!
//! Beside them, the model floor (`floor.rs`): the same events built from tokens read in
//! advance, which no decoder into `Event` can beat, to tell the model's share of decoding
//! from the format's.
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
    clippy::panic,
    clippy::cast_precision_loss
)]

mod corpus;
mod floor;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use exev::Event;
use exev::Value;
use exev_codec::{cbor, json, proto};

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
        .known_blocks()
        .filter(|(_, block)| block.is_ok())
        .count()
}

/// A decoder into the model written the obvious way on ciborium-ll's `Read`-based
/// `Decoder`/`Header` API, without any of the codec's checks: what that route costs at least.
fn ciborium_ll_value(dec: &mut ciborium_ll::Decoder<&[u8]>) -> Value {
    use ciborium_ll::Header;
    match dec.pull().unwrap() {
        Header::Positive(n) => Value::Integer(i64::try_from(n).unwrap()),
        Header::Negative(n) => Value::Integer(-1 - i64::try_from(n).unwrap()),
        Header::Simple(20) => Value::Bool(false),
        Header::Simple(21) => Value::Bool(true),
        Header::Simple(22) => Value::Null,
        Header::Text(len) => {
            let mut out = String::new();
            let mut segments = dec.text(len);
            let mut buf = [0u8; 4096];
            while let Some(mut segment) = segments.pull().unwrap() {
                while let Some(chunk) = segment.pull(&mut buf).unwrap() {
                    out.push_str(chunk);
                }
            }
            Value::String(out)
        }
        Header::Array(Some(n)) => Value::Array((0..n).map(|_| ciborium_ll_value(dec)).collect()),
        Header::Map(Some(n)) => Value::Object(
            (0..n)
                .map(|_| {
                    let Value::String(k) = ciborium_ll_value(dec) else {
                        panic!("text keys")
                    };
                    (k, ciborium_ll_value(dec))
                })
                .collect(),
        ),
        other => panic!("not in the corpus: {other:?}"),
    }
}

struct Prepared {
    bytes: Vec<Vec<u8>>,
    total_bytes: u64,
    cbor: Vec<Vec<u8>>,
    total_cbor_bytes: u64,
    proto_bytes: Vec<Vec<u8>>,
    total_proto_bytes: u64,
    events: Vec<Event>,
    serde_values: Vec<serde_json::Value>,
    tokens: floor::Tokens,
}

fn prepare() -> Prepared {
    let bytes = corpus::events(CORPUS_SIZE);
    let total_bytes = bytes.iter().map(|b| b.len() as u64).sum();
    let events: Vec<Event> = bytes.iter().map(|b| json::from_slice(b).unwrap()).collect();
    let cbor: Vec<Vec<u8>> = events.iter().map(|e| cbor::to_vec(e).unwrap()).collect();
    let total_cbor_bytes = cbor.iter().map(|b| b.len() as u64).sum();
    let proto_bytes: Vec<Vec<u8>> = events.iter().map(|e| proto::to_vec(e).unwrap()).collect();
    let total_proto_bytes = proto_bytes.iter().map(|b| b.len() as u64).sum();
    for (e, b) in events.iter().zip(&proto_bytes) {
        assert_eq!(&proto::from_slice(b).unwrap(), e);
    }
    // Every decoder reads the same events back.
    for (e, b) in events.iter().zip(&cbor) {
        assert_eq!(&cbor::from_slice(b).unwrap(), e);
        assert_eq!(
            ciborium_ll_value(&mut ciborium_ll::Decoder::from(b.as_slice())),
            e.to_value()
        );
    }
    let serde_values = bytes
        .iter()
        .map(|b| serde_json::from_slice(b).unwrap())
        .collect();
    let tokens = floor::Tokens::new(&events);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(&tokens.build(i), e);
    }
    Prepared {
        bytes,
        total_bytes,
        cbor,
        total_cbor_bytes,
        proto_bytes,
        total_proto_bytes,
        events,
        serde_values,
        tokens,
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
            "decode/exev Event from CBOR",
            Box::new(|| {
                for b in &p.cbor {
                    black_box(cbor::from_slice(b).unwrap());
                }
            }),
        ),
        (
            "decode/CBOR to ciborium::Value (reference)",
            Box::new(|| {
                for b in &p.cbor {
                    black_box(ciborium::from_reader::<ciborium::Value, _>(b.as_slice()).unwrap());
                }
            }),
        ),
        (
            "decode/CBOR via ciborium-ll Decoder (no checks)",
            Box::new(|| {
                for b in &p.cbor {
                    black_box(ciborium_ll_value(&mut ciborium_ll::Decoder::from(
                        b.as_slice(),
                    )));
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
                    black_box(json::to_vec(e).unwrap());
                }
            }),
        ),
        (
            "encode/exev deterministic CBOR",
            Box::new(|| {
                for e in &p.events {
                    black_box(cbor::to_vec(e).unwrap());
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
            "encode/exev Protobuf",
            Box::new(|| {
                for e in &p.events {
                    black_box(proto::to_vec(e).unwrap());
                }
            }),
        ),
        (
            "decode/model floor: Event from read tokens",
            Box::new(|| {
                for i in 0..p.tokens.events.len() {
                    black_box(p.tokens.build(i));
                }
            }),
        ),
    ]
}

fn criterion_benches(c: &mut Criterion, p: &Prepared) {
    for (name, op) in operations(p) {
        let (group, id) = name.split_once('/').unwrap();
        let mut g = c.benchmark_group(format!("codecs {group}"));
        g.throughput(Throughput::Bytes(p.total_bytes));
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(id, |b| b.iter(&op));
        g.finish();
    }
}

/// Times every operation in interleaved rounds; returns the median and the fastest time per
/// corpus pass (on a shared machine other work only ever adds time, so the fastest pass is
/// the steadier figure when the machine is busy).
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
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c, &p);
    c.final_summary();

    let ops = operations(&p);
    let timings = interleaved(&ops, 31);
    let medians: Vec<Duration> = timings.iter().map(|t| t.0).collect();
    let fastest: Vec<Duration> = timings.iter().map(|t| t.1).collect();
    let per_event = |d: Duration| d.as_nanos() as f64 / CORPUS_SIZE as f64;
    // MB/s of each operation's own encoding.
    let mb_s = |name: &str, d: Duration| {
        let bytes = if name.contains("CBOR") {
            p.total_cbor_bytes
        } else if name.contains("Protobuf") {
            p.total_proto_bytes
        } else {
            p.total_bytes
        };
        bytes as f64 / d.as_secs_f64() / 1e6
    };
    println!();
    println!(
        "corpus: {CORPUS_SIZE} events, {} bytes of JSON, {:.0} bytes per event on average",
        p.total_bytes,
        p.total_bytes as f64 / CORPUS_SIZE as f64
    );
    println!("median (and fastest) of 31 interleaved passes:");
    for (((name, _), d), f) in ops.iter().zip(&medians).zip(&fastest) {
        println!(
            "  {name:<48} {:>8.0} ns/event {:>7.0} MB/s   ({:>6.0} ns/event)",
            per_event(*d),
            mb_s(name, *d),
            per_event(*f)
        );
    }
    let ratio = |a: usize, b: usize| medians[a].as_secs_f64() / medians[b].as_secs_f64();
    let fast_ratio = |a: usize, b: usize| fastest[a].as_secs_f64() / fastest[b].as_secs_f64();
    // Indices into `operations`.
    let (serde_decode, decode, typed, cbor_decode, ciborium_value, ciborium_ll) =
        (0, 1, 2, 3, 4, 5);
    let (serde_encode, encode, cbor_encode) = (6, 7, 8);
    let (proto_decode, proto_encode, floor) = (9, 10, 11);
    println!("ratios of medians (time; lower is faster; of the fastest passes in brackets):");
    println!(
        "  decode, exev Event / serde_json::Value:                 {:.2} ({:.2})",
        ratio(decode, serde_decode),
        fast_ratio(decode, serde_decode)
    );
    println!(
        "  decode + every block typed, exev / serde_json::Value:   {:.2} ({:.2})  (target <= 1.25)",
        ratio(typed, serde_decode),
        fast_ratio(typed, serde_decode)
    );
    println!(
        "  encode, exev canonical / serde_json::to_vec:            {:.2} ({:.2})",
        ratio(encode, serde_encode),
        fast_ratio(encode, serde_encode)
    );
    println!(
        "  decode, CBOR / JSON (exev Event):                       {:.2} ({:.2})  (target <= 1.0)",
        ratio(cbor_decode, decode),
        fast_ratio(cbor_decode, decode)
    );
    println!(
        "  encode, CBOR / JSON (exev):                             {:.2} ({:.2})",
        ratio(cbor_encode, encode),
        fast_ratio(cbor_encode, encode)
    );
    println!(
        "  decode, ciborium::Value / exev CBOR:                    {:.2} ({:.2})",
        ratio(ciborium_value, cbor_decode),
        fast_ratio(ciborium_value, cbor_decode)
    );
    println!(
        "  decode, ciborium-ll Decoder (no checks) / exev CBOR:    {:.2} ({:.2})",
        ratio(ciborium_ll, cbor_decode),
        fast_ratio(ciborium_ll, cbor_decode)
    );
    println!(
        "  decode, Protobuf / JSON (exev Event):                   {:.2} ({:.2})  (target <= 0.8)",
        ratio(proto_decode, decode),
        fast_ratio(proto_decode, decode)
    );
    println!(
        "  encode, Protobuf / JSON (exev):                         {:.2} ({:.2})",
        ratio(proto_encode, encode),
        fast_ratio(proto_encode, encode)
    );
    println!(
        "  model floor / JSON decode (the least any decoder pays): {:.2} ({:.2})",
        ratio(floor, decode),
        fast_ratio(floor, decode)
    );
    println!(
        "  decode, Protobuf / model floor:                         {:.2} ({:.2})",
        ratio(proto_decode, floor),
        fast_ratio(proto_decode, floor)
    );
    let per = |total: u64| total as f64 / CORPUS_SIZE as f64;
    println!(
        "size: {:.0} bytes per event as canonical JSON, {:.0} as deterministic CBOR: {:.3} of \
         the JSON  (target <= 0.9)",
        per(p.total_bytes),
        per(p.total_cbor_bytes),
        p.total_cbor_bytes as f64 / p.total_bytes as f64
    );
    println!(
        "size: {:.0} bytes per event as Protobuf: {:.3} of the JSON  (target <= 0.7)",
        per(p.total_proto_bytes),
        p.total_proto_bytes as f64 / p.total_bytes as f64
    );
    protobuf_carriage(&p);
}

/// How the Protobuf codec carries the corpus's blocks: typed messages or generic values.
fn protobuf_carriage(p: &Prepared) {
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
