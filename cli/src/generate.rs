//! `exev gen`: deterministic events for other parsers' fuzzers and conformance tests, with an
//! optional share of hostile inputs that every decoder must refuse.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::generate::{Generator, SplitMix64};
use exev::{Content, Event, Value};
use exev_codec::{Error, cbor, json, proto};

use crate::Outcome;
use crate::report::{Failure, write_stdout};

/// The encodings `exev gen` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum GenFormat {
    /// Canonical JSON; as a stream, one event a line (NDJSON).
    Json,
    /// Deterministic CBOR; as a stream, a CBOR sequence.
    Cbor,
    /// Protobuf (`exev.v1.Event`); as a stream, each message after its varint length.
    Proto,
}

impl GenFormat {
    fn extension(self) -> &'static str {
        match self {
            GenFormat::Json => "json",
            GenFormat::Cbor => "cbor",
            GenFormat::Proto => "pb",
        }
    }
}

/// Arguments of `exev gen`.
#[derive(Args, Debug)]
pub(crate) struct GenArgs {
    /// How many events to write.
    #[arg(long)]
    count: u64,
    /// The seed: the same seed gives the same bytes.
    #[arg(long)]
    seed: u64,
    /// The encoding.
    #[arg(long, value_enum, default_value_t = GenFormat::Json)]
    to: GenFormat,
    /// The share of hostile inputs, in percent (0 to 100): deep nesting, oversized input,
    /// invalid UTF-8, out-of-range integers, floats, duplicate keys, lone surrogates,
    /// truncation, trailing data. Each is one a strict decoder must refuse.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    hostile: u8,
    /// Write one file an event into this directory (`NNNNNN-valid.EXT` or
    /// `NNNNNN-hostile-KIND.EXT`) instead of a stream on stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Picks one of `items`.
fn pick<'a>(rng: &mut SplitMix64, items: &[&'a str]) -> &'a str {
    let i = usize::try_from(rng.below(items.len() as u64)).unwrap_or(0);
    items.get(i).copied().unwrap_or_default()
}

/// The kinds of hostile CBOR.
const HOSTILE_CBOR: &[&str] = &[
    "deep-nesting",
    "huge-length-prefix",
    "invalid-utf8",
    "integer-out-of-range",
    "float",
    "tag",
    "byte-string",
    "undefined",
    "non-text-key",
    "duplicate-key",
    "truncated",
    "trailing-data",
];

/// The kinds of hostile Protobuf.
const HOSTILE_PROTO: &[&str] = &[
    "deep-nesting",
    "huge-length-prefix",
    "over-long-varint",
    "invalid-utf8",
    "wrong-wire-type",
    "truncated",
];

/// An event whose one custom block holds `value`.
fn block_event(value: Value) -> Event {
    let mut content = Content::new();
    content.insert_raw("org.example.v", value);
    Event::new("org.example.hostile", content)
}

/// `bytes` with the first occurrence of `find` replaced by `with` (unchanged if absent).
fn replace(bytes: &[u8], find: &[u8], with: &[u8]) -> Vec<u8> {
    match bytes.windows(find.len()).position(|w| w == find) {
        Some(at) => {
            let mut out = bytes.get(..at).unwrap_or_default().to_vec();
            out.extend_from_slice(with);
            out.extend_from_slice(bytes.get(at + find.len()..).unwrap_or_default());
            out
        }
        None => bytes.to_vec(),
    }
}

/// The first `1..len` bytes of `bytes` (never empty, never whole).
fn truncate(bytes: &[u8], rng: &mut SplitMix64) -> Vec<u8> {
    let len = bytes.len() as u64;
    let keep = usize::try_from(1 + rng.below(len.saturating_sub(1))).unwrap_or(1);
    bytes.get(..keep).unwrap_or_default().to_vec()
}

/// A hostile CBOR input of `kind`: a valid encoding with one item made bad.
fn hostile_cbor(kind: &str, canonical: &[u8], rng: &mut SplitMix64) -> Result<Vec<u8>, Error> {
    // The block value "XXXX" is the text head 0x64 and four bytes; each kind swaps it out.
    let base = cbor::to_vec(&block_event(Value::from("XXXX")))?;
    let marker: &[u8] = b"\x64XXXX";
    let with = |item: &[u8]| replace(&base, marker, item);
    Ok(match kind {
        "deep-nesting" => {
            let depth = usize::try_from(65 + rng.below(4_000)).unwrap_or(65);
            let mut item = vec![0x81; depth];
            item.push(0x00);
            with(&item)
        }
        // A text string declaring 2^32 - 1 bytes, followed by only four.
        "huge-length-prefix" => with(b"\x7a\xff\xff\xff\xffXXXX"),
        "invalid-utf8" => {
            let bad: &[&[u8]] = &[
                b"\x64\xff\xfe\xfd\xfc",
                b"\x62\xc3\x28",
                b"\x63\xed\xa0\x80",
            ];
            let i = usize::try_from(rng.below(bad.len() as u64)).unwrap_or(0);
            with(bad.get(i).copied().unwrap_or_default())
        }
        "integer-out-of-range" => with(b"\x1b\x00\x20\x00\x00\x00\x00\x00\x00"),
        "float" => with(b"\xfb\x3f\xf8\x00\x00\x00\x00\x00\x00"),
        "tag" => with(b"\xc1\x1a\x5f\x00\x00\x00"),
        "byte-string" => with(b"\x44\x01\x02\x03\x04"),
        "undefined" => with(b"\xf7"),
        "non-text-key" => with(b"\xa1\x01\x00"),
        "duplicate-key" => with(b"\xa2\x61a\x00\x61a\x00"),
        "truncated" => truncate(canonical, rng),
        _ => {
            let mut out = canonical.to_vec();
            out.push(0x00);
            out
        }
    })
}

/// A hostile Protobuf input of `kind`.
fn hostile_proto(kind: &str, canonical: &[u8], rng: &mut SplitMix64) -> Result<Vec<u8>, Error> {
    Ok(match kind {
        "deep-nesting" => {
            let depth = 100 + rng.below(400);
            let mut value = Value::from(1);
            for _ in 0..depth {
                value = Value::Array(vec![value]);
            }
            proto::to_vec(&block_event(value))?
        }
        "huge-length-prefix" => {
            // The first field's tag, then a length of 2^35 - 1 for what follows.
            let tag = canonical.first().copied().unwrap_or(0x0a) & 0xf8 | 2;
            let mut out = vec![tag, 0xff, 0xff, 0xff, 0xff, 0x7f];
            out.extend_from_slice(canonical.get(1..).unwrap_or_default());
            out
        }
        "over-long-varint" => {
            // An unknown field 2000 of wire type 0 whose varint runs past ten bytes.
            let mut out = vec![0x80, 0x7d];
            out.extend_from_slice(&[0xff; 11]);
            out.push(0x01);
            out.extend_from_slice(canonical);
            out
        }
        "invalid-utf8" => {
            let base = proto::to_vec(&block_event(Value::from("XXXX")))?;
            replace(&base, b"XXXX", b"X\xffXX")
        }
        "wrong-wire-type" => {
            // The first field's tag with wire type 5 (32-bit), which no exev.v1 field has.
            let mut out = canonical.to_vec();
            if let Some(tag) = out.first_mut() {
                *tag = *tag & 0xf8 | 5;
            }
            out
        }
        _ => {
            // A message cut at a field boundary is still a valid (shorter) message, so cut
            // where a strict decoder must refuse it: inside a field.
            for _ in 0..64 {
                let cut = truncate(canonical, rng);
                if proto::from_slice(&cut).is_err() {
                    return Ok(cut);
                }
            }
            hostile_proto("over-long-varint", canonical, rng)?
        }
    })
}

/// The kinds of hostile JSON.
const HOSTILE_KINDS: &[&str] = &[
    "deep-nesting",
    "oversized",
    "invalid-utf8",
    "integer-out-of-range",
    "float",
    "duplicate-key",
    "lone-surrogate",
    "truncated",
    "trailing-data",
];

/// A hostile JSON input of `kind`, built around a valid `canonical` event.
fn hostile_json(kind: &str, canonical: &[u8], rng: &mut SplitMix64) -> Vec<u8> {
    let block = |value: &str| {
        format!(r#"{{"type":"org.example.hostile","content":{{"org.example.v":{value}}}}}"#)
            .into_bytes()
    };
    match kind {
        "deep-nesting" => {
            let depth = usize::try_from(65 + rng.below(4_000)).unwrap_or(65);
            block(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)))
        }
        "oversized" => block(&format!("\"{}\"", "a".repeat(65_536))),
        "invalid-utf8" => {
            let mut out = block("\"ab\"");
            let quote = out.len() - 4;
            let bad: &[u8] = match rng.below(4) {
                0 => b"\xFF",
                1 => b"\xC3\x28",
                2 => b"\xED\xA0\x80",
                _ => b"\xF4\x90\x80\x80",
            };
            out.splice(quote..quote, bad.iter().copied());
            out
        }
        "integer-out-of-range" => block(pick(
            rng,
            &[
                "9007199254740992",
                "-9007199254740992",
                "18446744073709551616",
                "1e300",
            ],
        )),
        "float" => block(pick(rng, &["1.5", "-0.25", "6.02e-23"])),
        "duplicate-key" => {
            br#"{"type":"m.message","content":{"m.text":[{"body":"a","body":"b"}]}}"#.to_vec()
        }
        "lone-surrogate" => block(pick(
            rng,
            &["\"\\ud800\"", "\"\\udfff x\"", "\"\\ud83d\\u0041\""],
        )),
        // At least one byte: an empty line would be a blank line in a stream, not an input.
        "truncated" => truncate(canonical, rng),
        _ => {
            let mut out = canonical.to_vec();
            out.extend_from_slice(b" {}");
            out
        }
    }
}

/// Runs `exev gen`.
pub(crate) fn run(args: &GenArgs) -> Outcome {
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Io {
            message: format!("{}: {e}", dir.display()),
        })?;
    }
    let mut stream = Vec::new();
    for i in 0..args.count {
        // Each event has its own generator, so event i is the same whatever the count.
        let mut rng = SplitMix64::new(args.seed ^ i.wrapping_mul(0xA24B_AED4_963E_E407));
        let event = Generator::new(&rng.bytes(4096)).event();
        let failure = |error| Failure::Input {
            source: format!("generated event {i}"),
            error,
        };
        let canonical = match args.to {
            GenFormat::Json => json::to_vec(&event),
            GenFormat::Cbor => cbor::to_vec(&event),
            GenFormat::Proto => proto::to_vec(&event),
        }
        .map_err(failure)?;
        let kinds = match args.to {
            GenFormat::Json => HOSTILE_KINDS,
            GenFormat::Cbor => HOSTILE_CBOR,
            GenFormat::Proto => HOSTILE_PROTO,
        };
        let hostile_kind =
            (rng.below(100) < u64::from(args.hostile)).then(|| pick(&mut rng, kinds));
        let (bytes, label) = match hostile_kind {
            Some(kind) => {
                let bytes = match args.to {
                    GenFormat::Json => hostile_json(kind, &canonical, &mut rng),
                    GenFormat::Cbor => hostile_cbor(kind, &canonical, &mut rng).map_err(failure)?,
                    GenFormat::Proto => {
                        hostile_proto(kind, &canonical, &mut rng).map_err(failure)?
                    }
                };
                (bytes, format!("hostile-{kind}"))
            }
            None => (canonical, "valid".to_owned()),
        };
        match &args.out {
            Some(dir) => {
                let path = dir.join(format!("{i:06}-{label}.{}", args.to.extension()));
                std::fs::write(&path, &bytes).map_err(|e| Failure::Io {
                    message: format!("{}: {e}", path.display()),
                })?;
            }
            None => {
                match args.to {
                    GenFormat::Json => {
                        stream.extend_from_slice(&bytes);
                        stream.push(b'\n');
                    }
                    GenFormat::Cbor => stream.extend_from_slice(&bytes),
                    GenFormat::Proto => {
                        // The length, as a varint, then the message.
                        let mut len = bytes.len() as u64;
                        while len >= 0x80 {
                            stream.push(u8::try_from(len & 0x7f).unwrap_or(0) | 0x80);
                            len >>= 7;
                        }
                        stream.push(u8::try_from(len).unwrap_or(0));
                        stream.extend_from_slice(&bytes);
                    }
                }
                if stream.len() > 1 << 20 {
                    write_stdout(&stream)?;
                    stream.clear();
                }
            }
        }
    }
    write_stdout(&stream)
}
