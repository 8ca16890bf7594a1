//! [`Generator`]: turns bytes into MIMI content, for property tests and fuzzers, as
//! `exev::generate` does for events.
//!
//! Every byte string gives a message (an empty one the simplest: a plain-text "" part with a
//! zero salt), and smaller bytes give simpler messages. What it makes covers the whole -08
//! structure within the draft's rules: every part kind, nesting to the depth limit, every
//! disposition (unknown ones too), languages, the behaviour fields, external parts with and
//! without encryption (AES-128-GCM, the Matrix private AEAD), text in every mandatory and
//! recommended type with links to users, binary inline parts, and extensions with integer
//! and text keys holding any CBOR item the data model allows (maps, arrays, tags, floats,
//! byte strings) up to the depth limit.
//!
//! ```
//! use exev_mimi::generate::Generator;
//!
//! let message = Generator::new(b"some bytes").message();
//! let bytes = exev_mimi::to_vec(&message)?;
//! assert_eq!(exev_mimi::from_slice(&bytes)?, message);
//! # Ok::<(), exev_mimi::Error>(())
//! ```

use exev_codec::cbor::head::write_head;

use crate::mapping::{ENC_ALG_MATRIX_A256CTR, TEXT_PLAIN_UTF8};
use crate::{
    Disposition, Expiration, ExtensionKey, Extensions, ExternalPart, MAX_EXTENSION_DEPTH,
    MAX_INTEGER_KEY, MAX_PART_DEPTH, MessageId, MimiContent, MultiPart, NestedPart, Part,
    PartSemantics, SinglePart,
};

const CONTENT_TYPES: &[&str] = &[
    TEXT_PLAIN_UTF8,
    "text/markdown;variant=GFM-MIMI",
    "text/html;charset=utf-8",
    "text/plain",
    "text/html",
    "text/markdown;variant=CommonMark",
    "image/png",
    "image/gif",
    "video/mp4",
    "audio/ogg",
    "application/pdf",
    "application/vnd.examplevendor-fancy-im-message",
    "",
];

const TEXT_PIECES: &[&str] = &[
    "hi",
    " ",
    "\n",
    "__bold__",
    "[@Alice](mimi://example.com/u/alice)",
    "<a href=\"mimi://example.com/u/bob\">Bob</a>",
    "<mimi://example.com/u/cathy>",
    "* ",
    "é",
    "\u{1f973}",
    "\u{2764}",
    "\u{0}",
    "\u{2028}",
    "e\u{301}",
    "<p>",
    "</p>",
    "https://example.com/x",
];

const LANGUAGES: &[&str] = &["", "en", "fr", "en,fr", "de-CH", "x"];

const URIS: &[&str] = &[
    "mimi://example.com/u/alice-smith",
    "mimi://example.com/u/bob-jones",
    "mimi://example.com/r/engineering_team",
    "im:alice@example.com",
    "",
];

/// Draws choices from a byte string; when the bytes run out every choice is 0.
#[derive(Clone, Debug)]
pub struct Generator<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Generator<'a> {
    /// A generator drawing from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Generator<'a> {
        Generator { bytes, pos: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        usize::from(self.byte()) % n
    }

    fn chance(&mut self, percent: u16) -> bool {
        u16::from(self.byte()) * 100 > (100 - percent.min(100)) * 256
    }

    fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        let i = self.below(items.len());
        items.get(i).copied().unwrap_or_default()
    }

    fn fill(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }

    fn u32(&mut self) -> u32 {
        u32::from_be_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    fn text(&mut self) -> String {
        let pieces = self.below(8);
        (0..pieces).map(|_| self.pick(TEXT_PIECES)).collect()
    }

    fn message_id(&mut self) -> Option<MessageId> {
        if !self.chance(30) {
            return None;
        }
        let mut id = [0u8; 32];
        id[0] = crate::SHA_256;
        for slot in id.iter_mut().skip(1) {
            *slot = self.byte();
        }
        Some(MessageId(id))
    }

    /// A message.
    pub fn message(&mut self) -> MimiContent {
        let mut salt = [0u8; 16];
        for slot in &mut salt {
            *slot = self.byte();
        }
        let replaces = self.message_id();
        let topic_id = if self.chance(15) {
            let n = self.below(12);
            self.fill(n)
        } else {
            Vec::new()
        };
        let expires = self.chance(15).then(|| Expiration {
            relative: self.chance(50),
            time: self.u32(),
        });
        let in_reply_to = self.message_id();
        let extensions = self.extensions();
        let body = self.part(1);
        MimiContent {
            salt,
            replaces,
            topic_id,
            expires,
            in_reply_to,
            extensions,
            body,
        }
    }

    fn extensions(&mut self) -> Extensions {
        let mut ext = Extensions::new();
        if self.chance(70) {
            let uri = self.pick(URIS);
            // Known keys with text values always go in.
            let _ = ext.set_sender_uri(uri);
        }
        if self.chance(70) {
            let uri = self.pick(URIS);
            let _ = ext.set_room_uri(uri);
        }
        for _ in 0..self.below(4) {
            let key = match self.below(5) {
                0 => ExtensionKey::Int(i64::from(self.byte()) + 3),
                1 => ExtensionKey::Int(-1 - i64::from(self.byte())),
                2 => ExtensionKey::Int(if self.chance(50) {
                    MAX_INTEGER_KEY
                } else {
                    -MAX_INTEGER_KEY
                }),
                3 => ExtensionKey::Text("io.exev.test".to_owned()),
                _ => {
                    let n = 1 + self.below(20);
                    ExtensionKey::Text("k".repeat(n))
                }
            };
            let mut raw = Vec::new();
            self.item(2, &mut raw);
            // Keys the generator already used are replaced, as a map keeps one.
            let _ = ext.insert_raw(key, raw);
        }
        ext
    }

    /// One CBOR item at container level `level` (the extensions map is 1).
    fn item(&mut self, level: usize, out: &mut Vec<u8>) {
        let container = level <= MAX_EXTENSION_DEPTH;
        match self.below(if container { 12 } else { 8 }) {
            0 => write_head(out, 0, u64::from(self.u32())),
            1 => write_head(out, 1, u64::from(self.byte())),
            2 => {
                let n = self.below(6);
                write_head(out, 2, n as u64);
                out.extend(self.fill(n));
            }
            3 => {
                let t = self.text();
                write_head(out, 3, t.len() as u64);
                out.extend_from_slice(t.as_bytes());
            }
            4 => out.push(self.pick(&[0xf4u8, 0xf5, 0xf6, 0xf7])),
            // The one NaN allowed; a half float; a double that needs 8 bytes.
            5 => out.extend_from_slice(&[0xf9, 0x7e, 0x00]),
            6 => out.extend_from_slice(&[0xf9, 0x3e, 0x00]),
            7 => {
                out.push(0xfb);
                out.extend_from_slice(&1.1f64.to_bits().to_be_bytes());
            }
            8 | 9 => {
                let n = self.below(4);
                write_head(out, 4, n as u64);
                for _ in 0..n {
                    self.item(level + 1, out);
                }
            }
            10 => {
                // Keys of every allowed kind, sorted by their encodings, each once.
                let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
                for _ in 0..self.below(4) {
                    let mut key = Vec::new();
                    match self.below(3) {
                        0 => write_head(&mut key, 0, u64::from(self.byte())),
                        1 => {
                            write_head(&mut key, 2, 1);
                            key.push(self.byte());
                        }
                        _ => {
                            write_head(&mut key, 3, 1);
                            key.push(b'a' + self.byte() % 26);
                        }
                    }
                    let mut value = Vec::new();
                    self.item(level + 1, &mut value);
                    entries.push((key, value));
                }
                entries.sort();
                entries.dedup_by(|a, b| a.0 == b.0);
                write_head(out, 5, entries.len() as u64);
                for (k, v) in entries {
                    out.extend(k);
                    out.extend(v);
                }
            }
            _ => {
                write_head(out, 6, self.pick(&[1u64, 32, 37, 1001]));
                self.item(level + 1, out);
            }
        }
    }

    fn part(&mut self, depth: usize) -> NestedPart {
        let disposition = if self.chance(80) {
            self.pick(&[1u8, 1, 1, 2, 4, 6, 7, 8, 0])
        } else {
            self.byte()
        };
        let language = self.pick(LANGUAGES).to_owned();
        let kind = if depth < MAX_PART_DEPTH {
            self.below(6)
        } else {
            self.below(4)
        };
        let part = match kind {
            0 => Part::Null,
            1 | 2 => {
                let content_type = self.pick(CONTENT_TYPES).to_owned();
                let content = if content_type.starts_with("text/") && self.chance(90) {
                    self.text().into_bytes()
                } else {
                    let n = self.below(20);
                    self.fill(n)
                };
                Part::Single(SinglePart {
                    content_type,
                    content,
                })
            }
            3 => Part::External(self.external()),
            _ => {
                let code = self.below(3) as u64;
                let semantics = PartSemantics::from_code(code).unwrap_or(PartSemantics::ChooseOne);
                let n = 2 + self.below(3);
                let parts = (0..n).map(|_| self.part(depth + 1)).collect();
                Part::Multi(MultiPart { semantics, parts })
            }
        };
        NestedPart {
            disposition: Disposition(disposition),
            language,
            part,
        }
    }

    fn external(&mut self) -> ExternalPart {
        let mut e = ExternalPart::new(
            self.pick(CONTENT_TYPES),
            self.pick(&["https://example.com/f", "mxc://example.org/abc", ""]),
        );
        e.expires = if self.chance(20) { self.u32() } else { 0 };
        e.size = match self.below(4) {
            0 => 0,
            1 => u64::from(self.u32()),
            2 => u64::MAX,
            _ => 12_345,
        };
        match self.below(3) {
            0 => {}
            1 => {
                e.enc_alg = 1;
                e.key = self.fill(16);
                e.nonce = self.fill(12);
                e.hash_alg = 1;
                e.content_hash = self.fill(32);
            }
            _ => {
                e.enc_alg = ENC_ALG_MATRIX_A256CTR;
                e.key = self.fill(32);
                e.nonce = self.fill(16);
                e.hash_alg = 1;
                e.content_hash = self.fill(32);
            }
        }
        if self.chance(50) {
            e.description = self.text();
        }
        if self.chance(50) {
            e.filename = self.pick(&["a.png", "bigfile.mp4", "x"]).to_owned();
        }
        e
    }
}

/// Proptest strategies over the [`Generator`].
#[cfg(feature = "proptest")]
pub mod strategy {
    use proptest::prelude::*;

    use super::Generator;
    use crate::MimiContent;

    /// Messages from up to 1024 random bytes; shrinking the bytes simplifies the message.
    pub fn messages() -> impl Strategy<Value = MimiContent> {
        proptest::collection::vec(any::<u8>(), 0..1024)
            .prop_map(|bytes| Generator::new(&bytes).message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_messages_are_valid_and_varied() {
        let mut kinds = std::collections::BTreeSet::new();
        let mut depths = std::collections::BTreeSet::new();
        for seed in 0u64..2_000 {
            let bytes = exev::generate::SplitMix64::new(seed).bytes(512);
            let m = Generator::new(&bytes).message();
            let encoded = crate::to_vec(&m).unwrap();
            assert_eq!(crate::from_slice(&encoded).unwrap(), m, "seed {seed}");
            for (_, depth, p) in m.body.walk() {
                kinds.insert(p.part.kind_name());
                depths.insert(depth);
            }
        }
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        assert!(depths.contains(&MAX_PART_DEPTH), "{depths:?}");
    }
}
