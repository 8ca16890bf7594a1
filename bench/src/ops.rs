//! The measured operations over one corpus, each event in JSON, CBOR and Protobuf.

use std::hint::black_box;

use exev::Event;
use exev_codec::{cbor, json, proto};

/// The structs prost generates from exev's Protobuf schema (the codec's generated file), for
/// the prost baseline.
#[allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]
mod wire {
    include!("../../codec/src/proto/exev.v1.rs");
}

/// One corpus in every format.
pub struct Corpus {
    pub name: &'static str,
    pub json: Vec<Vec<u8>>,
    pub cbor: Vec<Vec<u8>>,
    pub proto: Vec<Vec<u8>>,
    /// The same events with `content` emptied, in every format: what decoding costs without
    /// any block, so that the difference is what the blocks nobody read cost.
    pub empty_json: Vec<Vec<u8>>,
    pub empty_cbor: Vec<Vec<u8>>,
    pub empty_proto: Vec<Vec<u8>>,
    /// Whether ruma-events decodes every event typed (the ruma corpora).
    pub ruma: bool,
    /// Each event's type as ruma names it (for ruma's per-type route).
    pub types: Vec<String>,
}

/// Each event encoded in one format.
type Encoded = Vec<Vec<u8>>;

fn encodings(events: &[Event]) -> (Encoded, Encoded, Encoded) {
    (
        events
            .iter()
            .map(|e| json::to_vec(e).expect("json"))
            .collect(),
        events
            .iter()
            .map(|e| cbor::to_vec(e).expect("cbor"))
            .collect(),
        events
            .iter()
            .map(|e| proto::to_vec(e).expect("proto"))
            .collect(),
    )
}

impl Corpus {
    pub fn new(name: &'static str, json_events: Vec<Vec<u8>>, ruma: bool) -> Corpus {
        let events: Vec<Event> = json_events
            .iter()
            .map(|b| json::from_slice(b).expect("decodes"))
            .collect();
        let (_, cbor, proto) = encodings(&events);
        let emptied: Vec<Event> = events
            .iter()
            .map(|e| {
                let mut e = e.clone();
                *e.content_mut() = exev::Content::new();
                e
            })
            .collect();
        let (empty_json, empty_cbor, empty_proto) = encodings(&emptied);
        let types = json_events
            .iter()
            .map(|b| {
                if ruma {
                    crate::corpus::ruma_typed(b).unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .collect();
        Corpus {
            name,
            json: json_events,
            cbor,
            proto,
            empty_json,
            empty_cbor,
            empty_proto,
            ruma,
            types,
        }
    }

    pub fn bytes(&self, format: &str) -> usize {
        let v = match format {
            "cbor" => &self.cbor,
            "proto" => &self.proto,
            _ => &self.json,
        };
        v.iter().map(Vec::len).sum()
    }
}

/// How many events are generated before keeping those ruma decodes typed.
pub const GENERATED: usize = 40_000;

/// The corpora's names, in report order.
pub const CORPORA: [&str; 3] = ["msc-ruma", "gen-ruma", "exev-bench"];

/// One corpus by name: the MSC examples ruma models, generated events ruma models (both with
/// the unstable names ruma reads), or exev's own bench corpus (2000 events).
pub fn corpus(name: &str) -> Option<Corpus> {
    Some(match name {
        "msc-ruma" => {
            let (msc, _) = crate::corpus::msc_for_ruma();
            Corpus::new("msc-ruma", msc.into_iter().map(|r| r.bytes).collect(), true)
        }
        "gen-ruma" => {
            // Kept: what ruma decodes to its typed content, per type. (`AnySyncTimelineEvent`
            // also takes a redacted event as typed, with nothing in its content to read.)
            let (generated, _) = crate::corpus::generated_for_ruma(GENERATED, 1767);
            let kept = generated
                .into_iter()
                .filter(|r| ruma_per_type(&r.ruma_type, &r.bytes))
                .map(|r| r.bytes)
                .collect();
            Corpus::new("gen-ruma", kept, true)
        }
        "exev-bench" => Corpus::new("exev-bench", crate::corpus::exev_corpus(2000), false),
        _ => return None,
    })
}

/// Reads every known block of `event` typed (shadowed names left out), as
/// `codec/benches/codecs.rs` does: what a client rendering the event reads.
#[inline(never)]
pub fn typed_blocks(event: &Event) -> usize {
    event
        .content()
        .known_blocks()
        .filter(|(_, block)| block.is_ok())
        .count()
}

/// ruma's per-type route, its best case: the caller knows the type and deserializes the sync
/// event struct of that content type (no enum dispatch, no buffering of the content).
fn ruma_per_type(t: &str, b: &[u8]) -> bool {
    use ruma_events::*;
    use ruma_events::{OriginalSyncMessageLikeEvent as M, OriginalSyncStateEvent as S};
    macro_rules! de {
        ($ty:ty) => {
            serde_json::from_slice::<$ty>(b).is_ok()
        };
    }
    match t {
        "org.matrix.msc1767.message" => de!(M<message::MessageEventContent>),
        "org.matrix.msc1767.emote" => de!(M<emote::EmoteEventContent>),
        "org.matrix.msc1767.file" => de!(M<file::FileEventContent>),
        "org.matrix.msc1767.image" => de!(M<image::ImageEventContent>),
        "org.matrix.msc1767.video" => de!(M<video::VideoEventContent>),
        "org.matrix.msc1767.audio" => de!(M<audio::AudioEventContent>),
        "org.matrix.msc3245.voice.v2" => de!(M<voice::VoiceEventContent>),
        "org.matrix.msc1767.encrypted" => de!(M<encrypted::EncryptedEventContent>),
        "m.location" => de!(M<location::LocationEventContent>),
        "org.matrix.msc3672.beacon" => de!(M<beacon::BeaconEventContent>),
        "org.matrix.msc3672.beacon_info" => de!(S<beacon_info::BeaconInfoEventContent>),
        "m.poll.start" => de!(M<poll::start::PollStartEventContent>),
        "m.poll.response" => de!(M<poll::response::PollResponseEventContent>),
        "m.poll.end" => de!(M<poll::end::PollEndEventContent>),
        "org.matrix.msc3381.poll.start" => {
            de!(M<poll::unstable_start::UnstablePollStartEventContent>)
        }
        "org.matrix.msc3381.poll.response" => {
            de!(M<poll::unstable_response::UnstablePollResponseEventContent>)
        }
        "org.matrix.msc3381.poll.end" => de!(M<poll::unstable_end::UnstablePollEndEventContent>),
        "m.room.message" => de!(M<room::message::RoomMessageEventContent>),
        _ => de!(ruma_events::AnySyncTimelineEvent),
    }
}

/// Defines one function per operation (so that callgrind reports each apart, inclusive), the
/// table of their names, and their numbers for the ratios.
macro_rules! operations {
    ($($index:literal $konst:ident $fun:ident $name:literal $body:expr;)*) => {
        $(
            #[inline(never)]
            fn $fun(c: &Corpus) {
                let body: fn(&Corpus) = $body;
                body(c);
            }
        )*

        /// Every operation: its name and the function that runs it once over every event.
        pub const OPS: &[(&str, fn(&Corpus))] = &[$(($name, $fun),)*];

        /// Operation numbers, for the ratios.
        pub mod op {
            $(pub const $konst: usize = $index;)*
        }
    };
}

operations! {
    0 RUMA_PER_TYPE op_ruma_per_type "ruma typed, per type (OriginalSync*Event<XContent>)" |c| {
        for (b, t) in c.json.iter().zip(&c.types) {
            black_box(ruma_per_type(t, b));
        }
    };
    1 RUMA_ANY op_ruma_any "ruma typed, AnySyncTimelineEvent" |c| {
        for b in &c.json {
            black_box(serde_json::from_slice::<ruma_events::AnySyncTimelineEvent>(b).ok());
        }
    };
    2 SERDE_VALUE op_serde_value "serde_json::Value" |c| {
        for b in &c.json {
            black_box(serde_json::from_slice::<serde_json::Value>(b).ok());
        }
    };
    3 JSON op_json "exev json decode" |c| {
        c.json.iter().for_each(|b| drop(black_box(json::from_slice(b))));
    };
    4 JSON_TYPED op_json_typed "exev json decode + every block typed" |c| {
        for b in &c.json {
            black_box(json::from_slice(b).map(|e| typed_blocks(&e)).ok());
        }
    };
    5 CBOR op_cbor "exev cbor decode" |c| {
        c.cbor.iter().for_each(|b| drop(black_box(cbor::from_slice(b))));
    };
    6 CBOR_TYPED op_cbor_typed "exev cbor decode + every block typed" |c| {
        for b in &c.cbor {
            black_box(cbor::from_slice(b).map(|e| typed_blocks(&e)).ok());
        }
    };
    7 PROTO op_proto "exev proto decode" |c| {
        c.proto.iter().for_each(|b| drop(black_box(proto::from_slice(b))));
    };
    8 PROTO_TYPED op_proto_typed "exev proto decode + every block typed" |c| {
        for b in &c.proto {
            black_box(proto::from_slice(b).map(|e| typed_blocks(&e)).ok());
        }
    };
    9 SERDE_EVENT op_serde_event "serde_json -> exev::Event (serde route)" |c| {
        for b in &c.json {
            black_box(serde_json::from_slice::<Event>(b).ok());
        }
    };
    10 SERDE_EVENT_TYPED op_serde_event_typed "serde_json -> exev::Event + every block typed" |c| {
        for b in &c.json {
            black_box(serde_json::from_slice::<Event>(b).map(|e| typed_blocks(&e)).ok());
        }
    };
    11 JSON_EMPTY op_json_empty "exev json decode, content emptied" |c| {
        c.empty_json.iter().for_each(|b| drop(black_box(json::from_slice(b))));
    };
    12 CBOR_EMPTY op_cbor_empty "exev cbor decode, content emptied" |c| {
        c.empty_cbor.iter().for_each(|b| drop(black_box(cbor::from_slice(b))));
    };
    13 PROTO_EMPTY op_proto_empty "exev proto decode, content emptied" |c| {
        c.empty_proto.iter().for_each(|b| drop(black_box(proto::from_slice(b))));
    };
    14 PROST op_prost "prost -> its generated structs (no exev checks)" |c| {
        for b in &c.proto {
            black_box(<wire::Event as prost::Message>::decode(b.as_slice()).ok());
        }
    };
}

/// Runs operation `i` once over the corpus (every event).
pub fn run(i: usize, c: &Corpus) {
    if let Some((_, f)) = OPS.get(i) {
        f(c);
    }
}

/// Problems that would make a figure meaningless: an event some decoder refuses, or decoders
/// that disagree on it.
pub fn check(c: &Corpus) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, b) in c.json.iter().enumerate() {
        let Ok(want) = json::from_slice(b) else {
            problems.push(format!("#{i}: exev's JSON decoder refuses it"));
            continue;
        };
        if cbor::from_slice(&c.cbor[i]).ok().as_ref() != Some(&want) {
            problems.push(format!("#{i}: CBOR gives another event"));
        }
        if proto::from_slice(&c.proto[i]).ok().as_ref() != Some(&want) {
            problems.push(format!("#{i}: Protobuf gives another event"));
        }
        if <wire::Event as prost::Message>::decode(c.proto[i].as_slice()).is_err() {
            problems.push(format!("#{i}: prost refuses the Protobuf"));
        }
        if serde_json::from_slice::<Event>(b).ok().as_ref() != Some(&want) {
            problems.push(format!("#{i}: serde_json gives another event"));
        }
        if c.ruma && !ruma_per_type(&c.types[i], b) {
            problems.push(format!(
                "#{i}: ruma's per-type struct for {} refuses it",
                c.types[i]
            ));
        }
    }
    problems
}
