//! `exev gen`: deterministic events for other parsers' fuzzers and conformance tests, with an
//! optional share of hostile inputs that every decoder must refuse.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::generate::{Generator, SplitMix64};
use exev_codec::json;

use crate::Outcome;
use crate::report::{Failure, write_stdout};

/// The encodings `exev gen` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum GenFormat {
    /// Canonical JSON; as a stream, one event a line (NDJSON).
    Json,
}

impl GenFormat {
    fn extension(self) -> &'static str {
        match self {
            GenFormat::Json => "json",
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

/// The kinds of hostile input.
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
        "truncated" => {
            // At least one byte: an empty line would be a blank line in a stream, not an input.
            let len = canonical.len() as u64;
            let keep = usize::try_from(1 + rng.below(len.saturating_sub(1))).unwrap_or(1);
            canonical.get(..keep).unwrap_or_default().to_vec()
        }
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
        let canonical = match args.to {
            GenFormat::Json => json::to_vec(&event),
        };
        let hostile_kind =
            (rng.below(100) < u64::from(args.hostile)).then(|| pick(&mut rng, HOSTILE_KINDS));
        let (bytes, label) = match hostile_kind {
            Some(kind) => (
                hostile_json(kind, &canonical, &mut rng),
                format!("hostile-{kind}"),
            ),
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
                stream.extend_from_slice(&bytes);
                stream.push(b'\n');
                if stream.len() > 1 << 20 {
                    write_stdout(&stream)?;
                    stream.clear();
                }
            }
        }
    }
    write_stdout(&stream)
}
