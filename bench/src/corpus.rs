//! The corpora: the MSC examples and generated events renamed to the unstable names
//! ruma-events reads (kept only when ruma decodes them to a typed event), and exev's own
//! benchmark corpus (`codec/benches/corpus.rs`, included as is).

use exev::generate::{Generator, SplitMix64};
use exev::{Event, Object, Value};
use exev_codec::json;

#[path = "../../codec/benches/corpus.rs"]
#[allow(dead_code)]
mod exev_bench_corpus;

/// exev's own bench corpus: `n` events (the repo's bench uses 2000).
pub fn exev_corpus(n: usize) -> Vec<Vec<u8>> {
    exev_bench_corpus::events(n)
}

/// The event type ruma reads for an exev event type (ruma serialises the unstable name and
/// reads the stable one only as an alias; we send what it serialises).
fn ruma_event_type(t: &str) -> Option<&'static str> {
    Some(match t {
        "m.message" => "org.matrix.msc1767.message",
        "m.emote" => "org.matrix.msc1767.emote",
        "m.file" => "org.matrix.msc1767.file",
        "m.image" => "org.matrix.msc1767.image",
        "m.video" => "org.matrix.msc1767.video",
        "m.audio" => "org.matrix.msc1767.audio",
        "m.voice" => "org.matrix.msc3245.voice.v2",
        "m.encrypted" => "org.matrix.msc1767.encrypted",
        "m.beacon" => "org.matrix.msc3672.beacon",
        "m.beacon_info" => "org.matrix.msc3672.beacon_info",
        _ => return None,
    })
}

/// Block keys in the MSC1767 family of event types (message, emote, file, image, video,
/// audio, voice, encrypted, location): ruma reads only `org.matrix.msc1767.*` there.
fn msc1767_key(k: &str) -> Option<&'static str> {
    Some(match k {
        "m.text" => "org.matrix.msc1767.text",
        "m.file" => "org.matrix.msc1767.file",
        "m.caption" => "org.matrix.msc1767.caption",
        "m.image_details" => "org.matrix.msc1767.image_details",
        "m.thumbnail" => "org.matrix.msc1767.thumbnail",
        "m.alt_text" => "org.matrix.msc1767.alt_text",
        "m.video_details" => "org.matrix.msc1767.video_details",
        "m.audio_details" => "org.matrix.msc1767.audio_details",
        "m.automated" => "org.matrix.msc1767.automated",
        "m.encrypted" => "org.matrix.msc1767.encrypted",
        "waveform" => "org.matrix.msc3246.waveform",
        _ => return None,
    })
}

fn rename_keys(v: &mut Value, f: &dyn Fn(&str) -> Option<&'static str>) {
    match v {
        Value::Object(o) => {
            let old = std::mem::take(o);
            for (k, mut val) in old {
                // Nested keys are renamed too: a caption's text, a thumbnail's file, audio
                // details' waveform.
                rename_keys(&mut val, f);
                let k2 = f(&k).map(str::to_owned).unwrap_or(k);
                o.entry(k2).or_insert(val);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_keys(x, f)),
        _ => {}
    }
}

/// The renaming applied before ruma sees an event (see the report): the event type to ruma's
/// unstable name, the content's block keys to the names ruma reads for that type, and the
/// envelope ruma's sync events require (`event_id`, `sender`, `origin_server_ts`) added where
/// absent. Returns canonical JSON.
pub fn rename_for_ruma(event: &Event, i: usize) -> Vec<u8> {
    let mut v = event.to_value();
    let o = v.as_object_mut().expect("event object");
    let t = o
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let stable = exev::stable_event_type(&t)
        .map(|(s, _)| s)
        .unwrap_or(t.as_str())
        .to_owned();
    if let Some(new) = ruma_event_type(&stable) {
        o.insert("type".into(), Value::from(new));
    }
    let content = o.get_mut("content").expect("content");
    match stable.as_str() {
        "m.message" | "m.emote" | "m.file" | "m.image" | "m.video" | "m.audio" | "m.voice"
        | "m.encrypted" | "m.location" => rename_keys(content, &msc1767_key),
        "m.beacon" | "m.beacon_info" => rename_keys(content, &|k| match k {
            "m.location" => Some("org.matrix.msc3488.location"),
            "m.ts" => Some("org.matrix.msc3488.ts"),
            "m.asset" => Some("org.matrix.msc3488.asset"),
            _ => None,
        }),
        // Stable polls: ruma reads the stable block names; only the mixin is unstable.
        "m.poll.start" | "m.poll.response" | "m.poll.end" => rename_keys(content, &|k| {
            (k == "m.automated").then_some("org.matrix.msc1767.automated")
        }),
        _ => {}
    }
    let ins = |o: &mut Object, k: &str, v: Value| {
        o.entry(k.to_owned()).or_insert(v);
    };
    ins(o, "event_id", Value::from(format!("$ev{i}:example.org")));
    ins(o, "sender", Value::from("@alice:example.org"));
    ins(
        o,
        "origin_server_ts",
        Value::Integer(1_700_000_000_000 + i as i64),
    );
    let e = Event::from_value(v).expect("still an event");
    json::to_vec(&e).expect("encodes")
}

/// Whether ruma-events decodes `bytes` to a typed event (not `_Custom`), and its type name.
pub fn ruma_typed(bytes: &[u8]) -> Option<String> {
    use ruma_events::AnySyncTimelineEvent;
    let ev: AnySyncTimelineEvent = serde_json::from_slice(bytes).ok()?;
    let t = ev.event_type();
    let name = t.to_string();
    // `_Custom` variants keep only the type string; a typed variant's type is a known one.
    let custom = match &ev {
        AnySyncTimelineEvent::MessageLike(m) => format!("{m:?}").starts_with("_Custom"),
        AnySyncTimelineEvent::State(s) => format!("{s:?}").starts_with("_Custom"),
    };
    (!custom).then_some(name)
}

pub struct Renamed {
    pub name: String,
    pub bytes: Vec<u8>,
    pub ruma_type: String,
}

/// The external test vectors: `$EXEV_VECTORS`, or `../shared/vectors` beside the repository.
fn vectors() -> std::path::PathBuf {
    std::env::var_os("EXEV_VECTORS").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        std::path::PathBuf::from,
    )
}

/// The MSC examples ruma decodes typed, renamed.
pub fn msc_for_ruma() -> (Vec<Renamed>, Vec<String>) {
    let dir = vectors().join("msc");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("vectors")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".canonical.json"))
        .collect();
    names.sort();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let bytes = std::fs::read(dir.join(n)).expect("read");
        let Ok(event) = json::from_slice(&bytes) else {
            dropped.push(format!("{n}: exev rejects"));
            continue;
        };
        let renamed = rename_for_ruma(&event, i);
        match ruma_typed(&renamed) {
            Some(t) => kept.push(Renamed {
                name: n.trim_end_matches(".canonical.json").to_owned(),
                bytes: renamed,
                ruma_type: t,
            }),
            None => dropped.push(format!(
                "{} ({})",
                n.trim_end_matches(".canonical.json"),
                event.event_type()
            )),
        }
    }
    (kept, dropped)
}

/// Generated events (as `exev gen --seed SEED` makes them), renamed, kept when ruma decodes
/// them typed: returns the kept ones and how many were generated.
pub fn generated_for_ruma(count: usize, seed: u64) -> (Vec<Renamed>, usize) {
    let mut kept = Vec::new();
    for i in 0..count as u64 {
        let mut rng = SplitMix64::new(seed ^ i.wrapping_mul(0xA24B_AED4_963E_E407));
        let event = Generator::new(&rng.bytes(4096)).event();
        let renamed = rename_for_ruma(&event, i as usize);
        if let Some(t) = ruma_typed(&renamed) {
            kept.push(Renamed {
                name: format!("gen{i}"),
                bytes: renamed,
                ruma_type: t,
            });
        }
    }
    (kept, count)
}
