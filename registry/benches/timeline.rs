//! Timeline folding, in events per second, on a room built like a busy one: messages (legacy
//! text with and without HTML, extensible messages, images, polls) with reactions, edits,
//! replies, thread events, votes and redactions; and the legacy conversions per event, on
//! generated legacy events of every msgtype.
//!
//! Run with `cargo bench -p exev-registry --bench timeline` (add `-- no-criterion` for the
//! figures alone).

#![allow(
    missing_docs,
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use exev::Event;
use exev::generate::{Generator, SplitMix64};
use exev::legacy;
use exev_codec::json;
use exev_registry::{Capabilities, Registry, Timeline};

const ROOM_MESSAGES: usize = 1_500;
const LEGACY_EVENTS: usize = 2_000;

fn event(text: &str) -> Event {
    json::from_str(text).expect("bench event")
}

/// A busy room: `messages` messages, and after many of them the events that act on them.
fn room(messages: usize) -> Vec<Event> {
    let mut rng = SplitMix64::new(11);
    let senders = [
        "@alice:example.org",
        "@bob:example.org",
        "@carol:example.org",
    ];
    let mut out = Vec::new();
    // Event n (from 1) has the id `$en` and the timestamp n.
    let next = |out: &mut Vec<Event>, text: String| {
        let n = out.len() + 1;
        out.push(event(
            &text
                .replace("$ID", &format!("$e{n}"))
                .replace("TS", &n.to_string()),
        ));
        format!("$e{n}")
    };
    for i in 0..messages {
        let sender = senders[usize::try_from(rng.below(3)).unwrap()];
        let id = match rng.below(20) {
            0..=7 => next(
                &mut out,
                format!(
                    r#"{{"type":"m.room.message","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"msgtype":"m.text","body":"message {i} about the release"}}}}"#
                ),
            ),
            8..=11 => next(
                &mut out,
                format!(
                    r#"{{"type":"m.room.message","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"msgtype":"m.text","body":"see **{i}**","format":"org.matrix.custom.html","formatted_body":"see <b>{i}</b> and <a href=\"https://example.org\">this</a>"}}}}"#
                ),
            ),
            12..=14 => next(
                &mut out,
                format!(
                    r#"{{"type":"m.message","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"m.text":[{{"body":"<i>extensible</i> {i}","mimetype":"text/html"}},{{"body":"extensible {i}"}}]}}}}"#
                ),
            ),
            15..=16 => next(
                &mut out,
                format!(
                    r#"{{"type":"m.room.message","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"msgtype":"m.image","body":"photo{i}.jpg","url":"mxc://example.org/p{i}","info":{{"w":800,"h":600,"mimetype":"image/jpeg","size":12345,"thumbnail_url":"mxc://example.org/t{i}","thumbnail_info":{{"w":80,"h":60,"mimetype":"image/jpeg"}}}}}}}}"#
                ),
            ),
            17 => next(
                &mut out,
                format!(
                    r#"{{"type":"m.poll.start","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"m.text":[{{"body":"Lunch?"}}],"m.poll":{{"question":{{"m.text":[{{"body":"Lunch?"}}]}},"answers":[{{"m.id":"a","m.text":[{{"body":"Pizza"}}]}},{{"m.id":"b","m.text":[{{"body":"Sushi"}}]}}]}}}}}}"#
                ),
            ),
            _ => {
                let root = format!(
                    "$e{}",
                    1 + rng.below(u64::try_from(out.len().max(1)).unwrap())
                );
                next(
                    &mut out,
                    format!(
                        r#"{{"type":"m.room.message","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"msgtype":"m.text","body":"> <@a:b> quoted\n\nreply {i}","m.relates_to":{{"rel_type":"m.thread","event_id":"{root}","m.in_reply_to":{{"event_id":"{root}"}},"is_falling_back":true}}}}}}"#
                    ),
                )
            }
        };
        let poll = out.last().is_some_and(|e| e.event_type() == "m.poll.start");
        for _ in 0..rng.below(4) {
            let who = senders[usize::try_from(rng.below(3)).unwrap()];
            let key = ["👍", "🎉", "👀"][usize::try_from(rng.below(3)).unwrap()];
            next(
                &mut out,
                format!(
                    r#"{{"type":"m.reaction","event_id":"$ID","sender":"{who}","origin_server_ts":TS,"content":{{"m.relates_to":{{"rel_type":"m.annotation","event_id":"{id}","key":"{key}"}}}}}}"#
                ),
            );
        }
        if poll {
            for _ in 0..rng.below(6) {
                let who = senders[usize::try_from(rng.below(3)).unwrap()];
                let pick = if rng.below(2) == 0 { "a" } else { "b" };
                next(
                    &mut out,
                    format!(
                        r#"{{"type":"m.poll.response","event_id":"$ID","sender":"{who}","origin_server_ts":TS,"content":{{"m.selections":["{pick}"],"m.relates_to":{{"rel_type":"m.reference","event_id":"{id}"}}}}}}"#
                    ),
                );
            }
        }
        if rng.below(10) == 0 {
            next(
                &mut out,
                format!(
                    r#"{{"type":"m.room.message","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"msgtype":"m.text","body":"* message {i}, fixed","m.new_content":{{"msgtype":"m.text","body":"message {i}, fixed"}},"m.relates_to":{{"rel_type":"m.replace","event_id":"{id}"}}}}}}"#
                ),
            );
        }
        if rng.below(20) == 0 {
            next(
                &mut out,
                format!(
                    r#"{{"type":"m.room.redaction","event_id":"$ID","sender":"{sender}","origin_server_ts":TS,"content":{{"redacts":"{id}"}}}}"#
                ),
            );
        }
    }
    out
}

/// Times `op` over `passes` runs; returns the median.
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

fn fold(events: &[Event], caps: &Capabilities, registry: &Registry) -> usize {
    let mut t = Timeline::new(caps.clone(), registry.clone());
    for e in events {
        t.push(e.clone());
    }
    t.items().len()
}

fn main() {
    let registry = Registry::built_in();
    let everything = Capabilities::everything(&registry);
    let events = room(ROOM_MESSAGES);
    let mut rng = SplitMix64::new(1767);
    let legacy_events: Vec<Event> = (0..LEGACY_EVENTS)
        .map(|_| Generator::new(&rng.bytes(600)).legacy_event())
        .collect();
    let extensible: Vec<Event> = legacy_events
        .iter()
        .filter_map(|e| legacy::to_extensible(e).ok())
        .collect();

    if !std::env::args().any(|a| a == "no-criterion") {
        let mut c = Criterion::default().configure_from_args();
        let mut g = c.benchmark_group("timeline");
        g.throughput(Throughput::Elements(events.len() as u64));
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(5));
        g.bench_function("fold a busy room", |b| {
            b.iter(|| black_box(fold(&events, &everything, &registry)));
        });
        g.finish();
        let mut g = c.benchmark_group("legacy");
        g.throughput(Throughput::Elements(legacy_events.len() as u64));
        g.sample_size(20);
        g.bench_function("to_extensible", |b| {
            b.iter(|| {
                for e in &legacy_events {
                    black_box(legacy::to_extensible(e).ok());
                }
            });
        });
        g.bench_function("view (for rendering)", |b| {
            b.iter(|| {
                for e in &legacy_events {
                    black_box(legacy::view(e));
                }
            });
        });
        g.finish();
        c.final_summary();
    }

    let per_second = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    let per_event = |n: usize, d: Duration| d.as_secs_f64() * 1e9 / n as f64;
    let shown = fold(&events, &everything, &registry);
    println!();
    println!(
        "room: {} events ({shown} items); median of 11 passes:",
        events.len()
    );
    for (name, caps) in [
        ("every built-in type known", everything.clone()),
        ("only m.message known", Capabilities::knowing(["m.message"])),
    ] {
        let d = median(11, &|| {
            black_box(fold(&events, &caps, &registry));
        });
        println!(
            "  fold, {name:<28} {:>10.0} events/s  {:>6.1} µs/event",
            per_second(events.len(), d),
            per_event(events.len(), d) / 1e3
        );
    }
    let render_only = median(11, &|| {
        for e in &events {
            black_box(registry.render(e, &everything));
        }
    });
    println!(
        "  render each event once (for scale)  {:>10.0} events/s  {:>6.1} µs/event",
        per_second(events.len(), render_only),
        per_event(events.len(), render_only) / 1e3
    );
    println!(
        "legacy: {} generated legacy events, {} with an extensible form; median of 21 passes:",
        legacy_events.len(),
        extensible.len()
    );
    let hybrids: Vec<Event> = legacy_events
        .iter()
        .filter_map(|e| legacy::to_hybrid(e).ok())
        .collect();
    let rows: [(&str, usize, &dyn Fn()); 5] = [
        ("view (for rendering)", legacy_events.len(), &|| {
            for e in &legacy_events {
                black_box(legacy::view(e));
            }
        }),
        (
            "to_extensible (checked reversible)",
            legacy_events.len(),
            &|| {
                for e in &legacy_events {
                    black_box(legacy::to_extensible(e).ok());
                }
            },
        ),
        (
            "to_legacy (of the extensible forms)",
            extensible.len(),
            &|| {
                for e in &extensible {
                    black_box(legacy::to_legacy(e).ok());
                }
            },
        ),
        ("to_hybrid", legacy_events.len(), &|| {
            for e in &legacy_events {
                black_box(legacy::to_hybrid(e).ok());
            }
        }),
        ("check_hybrid (of the hybrids)", hybrids.len(), &|| {
            for e in &hybrids {
                black_box(legacy::check_hybrid(e));
            }
        }),
    ];
    for (name, n, op) in rows {
        let d = median(21, op);
        println!("  {name:<38} {:>8.0} ns/event", per_event(n, d));
    }
    let decode_bytes: Vec<Vec<u8>> = legacy_events
        .iter()
        .map(|e| json::to_vec(e).unwrap())
        .collect();
    let d = median(21, &|| {
        for b in &decode_bytes {
            black_box(json::from_slice(b).unwrap());
        }
    });
    println!(
        "  {:<38} {:>8.0} ns/event  (for scale)",
        "decode (JSON to Event)",
        per_event(LEGACY_EVENTS, d)
    );
}
