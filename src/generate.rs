//! [`Generator`]: turns bytes into events, for property tests, fuzzers and corpus generation.
//!
//! Every byte string gives an event (an empty one gives the simplest event), and smaller or
//! zero bytes give simpler events, so that a property-test framework shrinking the bytes, or a
//! fuzzer mutating them, explores events in a useful way. The same generator serves proptest
//! (feature `proptest`), `arbitrary` (feature `arbitrary`) and `exev gen` (a seeded byte stream).
//!
//! What it makes: events of built-in, unstable and custom types; every built-in block, valid or
//! malformed, under its stable, unstable or obsolete name, sometimes under two names at once;
//! unknown blocks holding arbitrary values up to the depth limit; Unicode edge cases (non-BMP
//! characters, U+0000, U+2028, combining marks, long strings); integers at ±(2^53 - 1); empty
//! arrays and objects; and the envelope members (`sender`, `state_key`, `unsigned`, ...).
//! Everything it makes lies in the canonical-JSON data model and within the default limits
//! (65536 bytes of canonical JSON, depth 64), unless asked for lenient numbers
//! ([`Generator::with_lenient_numbers`]): then some numbers are [`crate::Number`]s outside the
//! model (fractions, integers past ±(2^53 - 1), exponents past `f64`), as lenient decoding
//! keeps them.
//!
//! ```
//! use exev::generate::Generator;
//!
//! let event = Generator::new(b"any bytes at all").event();
//! assert!(event.to_value().is_canonical());
//! // The same bytes always give the same event.
//! assert_eq!(Generator::new(b"any bytes at all").event(), event);
//! ```

use crate::{Content, Event, Number, event_type_names};
use crate::{KnownBlock, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, NameStatus, Object, Value};

/// The deepest nesting the generator makes (the event object counts as level 1), matching the
/// codecs' default limit.
pub const MAX_DEPTH: usize = 64;

/// A budget on the generated event's size, kept well below the 65536-byte limit so that
/// escapes in canonical JSON (a control character takes six bytes) cannot push it over.
const SIZE_BUDGET: usize = 8_000;

/// Draws choices from a byte string; when the bytes run out every choice is 0.
#[derive(Clone, Debug)]
pub struct Generator<'a> {
    bytes: &'a [u8],
    pos: usize,
    budget: usize,
    lenient: bool,
}

/// Event types besides the model's built-in ones (which come from its name table): custom
/// types, and the legacy `m.room.message`.
const OTHER_EVENT_TYPES: &[&str] = &[
    "org.example.temperature",
    "org.example.tank.level",
    "m.room.message",
];

/// Numbers outside the data model, as a lenient decoder keeps them: fractions, integers past
/// ±(2^53 - 1) and past 64 bits, exponents that overflow or underflow `f64`, and literals
/// that are not the shortest form of their value.
const LENIENT_NUMBERS: &[&str] = &[
    "1.5",
    "-0.5",
    "0.1",
    "1.50",
    "3.141592653589793",
    "2.5e-3",
    "6.02e23",
    "1E+300",
    "1e400",
    "-1e400",
    "1e-400",
    "9007199254740992",
    "-9007199254740992",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551616",
    "123456789012345678901234567890",
];

/// Pieces strings are made of: ASCII, escapes, controls, non-BMP, combining marks, RTL.
const STRING_PIECES: &[&str] = &[
    "a",
    "hello",
    " ",
    "Matrix",
    "body",
    "m.text",
    "\"",
    "\\",
    "/",
    "\n",
    "\t",
    "\u{0}",
    "\u{1f}",
    "\u{7f}",
    "\u{2028}",
    "\u{2029}",
    "é",
    "e\u{301}",
    "日本語",
    "😀",
    "👩\u{200d}💻",
    "\u{10FFFF}",
    "مرحبا",
    "\u{FEFF}",
    "<b>",
    "</b>",
    "<script>",
    "&amp;",
    "mxc://example.org/abc",
];

const INTEGERS: &[i64] = &[
    0,
    1,
    -1,
    7,
    255,
    256,
    1024,
    65_536,
    1_700_000_000_000,
    MAX_SAFE_INTEGER,
    MIN_SAFE_INTEGER,
    MAX_SAFE_INTEGER - 1,
    MIN_SAFE_INTEGER + 1,
];

const MIMETYPES: &[&str] = &[
    "text/plain",
    "text/html",
    "image/png",
    "image/jpeg",
    "video/mp4",
    "audio/ogg",
    "application/pdf",
    "org.example.custom",
];

impl<'a> Generator<'a> {
    /// A generator drawing from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Generator<'a> {
        Generator {
            bytes,
            pos: 0,
            budget: SIZE_BUDGET,
            lenient: false,
        }
    }

    /// The same generator, making some numbers outside the data model as well ([`Number`]s,
    /// for lenient decoding). Without it, the same bytes give the same events as before: the
    /// choice is drawn only when asked for.
    ///
    /// ```
    /// use exev::generate::Generator;
    ///
    /// let lenient = (0u8..=255)
    ///     .map(|b| Generator::new(&[b; 64]).with_lenient_numbers().event())
    ///     .filter(|e| !e.to_value().is_canonical())
    ///     .count();
    /// assert!(lenient > 0);
    /// ```
    #[must_use]
    pub fn with_lenient_numbers(mut self) -> Generator<'a> {
        self.lenient = true;
        self
    }

    /// How many bytes have been used so far.
    pub fn consumed(&self) -> usize {
        self.pos.min(self.bytes.len())
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A choice in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let raw = if n <= 256 {
            usize::from(self.byte())
        } else {
            usize::from(self.byte()) << 8 | usize::from(self.byte())
        };
        raw % n
    }

    /// True with probability about `percent` / 100; false once bytes run out.
    fn chance(&mut self, percent: u8) -> bool {
        // Bytes are spread over 0..=255; a zero byte (the default) means "no".
        u16::from(self.byte()) * 100 > (100 - u16::from(percent.min(100))) * 256
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        let i = self.below(items.len());
        items.get(i).copied()
    }

    fn spend(&mut self, n: usize) -> bool {
        if self.budget >= n {
            self.budget -= n;
            true
        } else {
            false
        }
    }

    /// A string of edge-case pieces; sometimes long.
    pub fn string(&mut self) -> String {
        let pieces = if self.chance(3) {
            50 + self.below(200)
        } else {
            self.below(6)
        };
        let mut s = String::new();
        for _ in 0..pieces {
            let piece = self.pick(STRING_PIECES).unwrap_or("a");
            if !self.spend(piece.len() * 6) {
                break;
            }
            s.push_str(piece);
        }
        s
    }

    /// An integer of the data model, often at a boundary.
    pub fn integer(&mut self) -> i64 {
        if self.chance(60) {
            self.pick(INTEGERS).unwrap_or(0)
        } else {
            let raw = i64::from(self.byte()) << 8 | i64::from(self.byte());
            raw - 32_768
        }
    }

    /// An integer of the data model, or with lenient numbers now and then a [`Number`] outside
    /// it.
    fn number(&mut self) -> Value {
        if !(self.lenient && self.chance(30)) {
            return Value::Integer(self.integer());
        }
        let literal = if self.chance(50) {
            self.pick(LENIENT_NUMBERS).unwrap_or("1.5").to_owned()
        } else {
            // A fraction whose last digit is not 0, so that it is not an integer.
            let digits = 1 + self.below(5);
            let fraction: String = (0..digits)
                .map(|i| {
                    let digit = if i + 1 == digits {
                        1 + self.byte() % 9
                    } else {
                        self.byte() % 10
                    };
                    char::from(b'0' + digit)
                })
                .collect();
            format!("{}.{fraction}", self.integer())
        };
        // Every literal made here is a JSON number (the tests check the list), so the
        // integer is never the answer; it keeps the value in the model if one ever is not.
        Number::from_literal(&literal).map_or_else(|| Value::Integer(0), Value::Number)
    }

    /// Any value of the data model nested at most `depth` levels.
    pub fn value(&mut self, depth: usize) -> Value {
        if !self.spend(8) {
            return Value::Null;
        }
        let kinds = if depth == 0 { 4 } else { 6 };
        match self.below(kinds) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 => self.number(),
            3 => Value::String(self.string()),
            4 => {
                let n = self.below(5);
                Value::Array((0..n).map(|_| self.value(depth - 1)).collect())
            }
            _ => {
                let n = self.below(5);
                let mut o = Object::new();
                for _ in 0..n {
                    let key = self.key();
                    let v = self.value(depth - 1);
                    o.insert(key, v);
                }
                Value::Object(o)
            }
        }
    }

    /// A deep chain of arrays and objects, `depth` levels, ending in a scalar.
    fn deep(&mut self, depth: usize) -> Value {
        let mut v = Value::Integer(self.integer());
        for level in 0..depth {
            v = if level % 2 == 0 {
                Value::Array(vec![v])
            } else {
                [("k".to_owned(), v)].into_iter().collect()
            };
        }
        v
    }

    fn key(&mut self) -> String {
        match self.below(4) {
            0 => self
                .pick(&["body", "url", "m.id", "type", "", "x"])
                .unwrap_or("x")
                .to_owned(),
            1 => format!("org.example.k{}", self.below(20)),
            _ => self.string(),
        }
    }

    fn text(&mut self) -> Value {
        let n = self.below(4);
        let mut reps = Vec::with_capacity(n);
        for _ in 0..n {
            let mut r = Object::new();
            r.insert("body".into(), Value::String(self.string()));
            if self.chance(50) {
                let m = self.pick(MIMETYPES).unwrap_or("text/plain");
                r.insert("mimetype".into(), m.into());
            }
            if self.chance(15) {
                r.insert(
                    "lang".into(),
                    self.pick(&["en", "fr", "ja"]).unwrap_or("en").into(),
                );
            }
            if self.chance(10) {
                r.insert("org.example.extra".into(), self.value(2));
            }
            reps.push(Value::Object(r));
        }
        // An invalid representation now and then: renderers skip it, codecs keep it.
        if self.chance(15) {
            reps.push(self.value(2));
        }
        Value::Array(reps)
    }

    fn wrapped_text(&mut self) -> Value {
        [("m.text".to_owned(), self.text())].into_iter().collect()
    }

    fn uint(&mut self, max: i64) -> Value {
        let n = self.integer().rem_euclid(max.saturating_add(1).max(1));
        Value::Integer(n)
    }

    fn file(&mut self, thumbnail: bool) -> Value {
        let mut o = Object::new();
        o.insert(
            "url".into(),
            format!("mxc://example.org/{}", self.below(1000)).into(),
        );
        if !thumbnail || self.chance(30) {
            o.insert("name".into(), Value::String(self.string()));
        }
        if thumbnail || self.chance(70) {
            let m = self.pick(MIMETYPES).unwrap_or("image/png");
            o.insert("mimetype".into(), m.into());
        }
        if self.chance(60) {
            o.insert("size".into(), self.uint(MAX_SAFE_INTEGER));
        }
        if self.chance(15) {
            let key: Object = [
                ("kty".to_owned(), Value::from("oct")),
                ("alg".to_owned(), Value::from("A256CTR")),
                ("k".to_owned(), Value::String(self.string())),
                ("ext".to_owned(), Value::Bool(true)),
            ]
            .into_iter()
            .collect();
            o.insert("key".into(), Value::Object(key));
            o.insert("iv".into(), "w+sE15fzSc0AAAAAAAAAAA".into());
            let hashes: Object = [("sha256".to_owned(), Value::String(self.string()))]
                .into_iter()
                .collect();
            o.insert("hashes".into(), Value::Object(hashes));
            o.insert("v".into(), "v2".into());
        }
        Value::Object(o)
    }

    fn dimensions(&mut self) -> Object {
        let mut o = Object::new();
        o.insert("width".into(), self.uint(10_000));
        o.insert("height".into(), self.uint(10_000));
        o
    }

    /// A valid value for `block` under a name of status `status`.
    fn valid_block(&mut self, block: KnownBlock, status: NameStatus) -> Value {
        let unstable = status != NameStatus::Stable;
        match block {
            KnownBlock::Text if unstable && self.chance(40) => Value::String(self.string()),
            KnownBlock::Text => self.text(),
            KnownBlock::File => self.file(false),
            KnownBlock::Caption | KnownBlock::AltText | KnownBlock::Topic => self.wrapped_text(),
            KnownBlock::ImageDetails => {
                let mut o = self.dimensions();
                if self.chance(20) {
                    o.insert("m.sticker".into(), Value::Bool(self.chance(50)));
                }
                Value::Object(o)
            }
            KnownBlock::Thumbnail => {
                let n = self.below(3);
                (0..n)
                    .map(|_| {
                        let details = Value::Object(self.dimensions());
                        [
                            ("m.file".to_owned(), self.file(true)),
                            ("m.image_details".to_owned(), details),
                        ]
                        .into_iter()
                        .collect::<Value>()
                    })
                    .collect()
            }
            KnownBlock::VideoDetails => {
                let mut o = self.dimensions();
                if self.chance(50) {
                    o.insert("duration".into(), self.uint(100_000));
                }
                Value::Object(o)
            }
            KnownBlock::AudioDetails => {
                let mut o = Object::new();
                o.insert("duration".into(), self.uint(100_000));
                if self.chance(50) {
                    let n = self.below(40);
                    let waveform = (0..n).map(|_| self.uint(256)).collect();
                    o.insert("waveform".into(), Value::Array(waveform));
                }
                Value::Object(o)
            }
            KnownBlock::Automated => Value::Bool(self.chance(50)),
            KnownBlock::Location => {
                let mut o = Object::new();
                o.insert("uri".into(), "geo:51.5008,0.1247;u=35".into());
                if self.chance(50) {
                    o.insert("description".into(), Value::String(self.string()));
                }
                if self.chance(50) {
                    o.insert("zoom_level".into(), self.uint(20));
                }
                Value::Object(o)
            }
            KnownBlock::Asset => [("type".to_owned(), Value::from("m.self"))]
                .into_iter()
                .collect(),
            KnownBlock::Ts => Value::Integer(self.integer()),
            KnownBlock::Poll => self.poll(unstable),
            KnownBlock::Selections => {
                let n = self.below(4);
                let ids: Vec<Value> = (0..n).map(|i| format!("a{i}").into()).collect();
                if unstable {
                    [("answers".to_owned(), Value::Array(ids))]
                        .into_iter()
                        .collect()
                } else {
                    Value::Array(ids)
                }
            }
            KnownBlock::PollResults => {
                let n = self.below(4);
                (0..n)
                    .map(|i| (format!("a{i}"), self.uint(1_000)))
                    .collect()
            }
            KnownBlock::RelatesTo => {
                let mut o = Object::new();
                if self.chance(70) {
                    let rel = self
                        .pick(&["m.reference", "m.replace", "m.thread"])
                        .unwrap_or("m.reference");
                    o.insert("rel_type".into(), rel.into());
                    o.insert("event_id".into(), format!("$e{}", self.below(100)).into());
                }
                if self.chance(40) {
                    let reply: Object = [("event_id".to_owned(), Value::from("$reply"))]
                        .into_iter()
                        .collect();
                    o.insert("m.in_reply_to".into(), Value::Object(reply));
                }
                Value::Object(o)
            }
            KnownBlock::Mentions => {
                let mut o = Object::new();
                if self.chance(70) {
                    let n = self.below(3);
                    let ids = (0..n)
                        .map(|i| format!("@u{i}:example.org").into())
                        .collect();
                    o.insert("user_ids".into(), Value::Array(ids));
                }
                if self.chance(30) {
                    o.insert("room".into(), Value::Bool(self.chance(50)));
                }
                Value::Object(o)
            }
            KnownBlock::Encrypted => {
                let mut o = Object::new();
                o.insert("algorithm".into(), "m.megolm.v1.aes-sha2".into());
                o.insert("ciphertext".into(), Value::String(self.string()));
                o.insert("session_id".into(), "s".into());
                Value::Object(o)
            }
        }
    }

    fn poll(&mut self, unstable: bool) -> Value {
        let (id_key, text_key) = if unstable {
            ("id", "org.matrix.msc1767.text")
        } else {
            ("m.id", "m.text")
        };
        let most = if self.chance(5) { 25 } else { 5 };
        let n = self.below(most);
        let answers: Vec<Value> = (0..n)
            .map(|i| {
                let text = if unstable {
                    Value::String(self.string())
                } else {
                    self.text()
                };
                [
                    (id_key.to_owned(), Value::from(format!("a{i}"))),
                    (text_key.to_owned(), text),
                ]
                .into_iter()
                .collect()
            })
            .collect();
        let question_text = if unstable {
            Value::String(self.string())
        } else {
            self.text()
        };
        let mut o = Object::new();
        o.insert(
            "question".into(),
            [(text_key.to_owned(), question_text)].into_iter().collect(),
        );
        o.insert("answers".into(), Value::Array(answers));
        if self.chance(50) {
            o.insert(
                "max_selections".into(),
                Value::Integer(1 + self.uint(5).as_i64().unwrap_or(0)),
            );
        }
        if self.chance(50) {
            let kind = self
                .pick(&["m.disclosed", "m.undisclosed", "org.example.kind"])
                .unwrap_or("m.disclosed");
            o.insert("kind".into(), kind.into());
        }
        Value::Object(o)
    }

    /// One block: a built-in one (valid or malformed) or an unknown one.
    fn block(&mut self, content: &mut Object) {
        if self.chance(30) {
            // Unknown block: a custom name and any value, sometimes as deep as allowed
            // (event and content take two levels).
            let name = format!("org.example.b{}", self.below(30));
            let value = if self.chance(5) {
                let depth = self.below(MAX_DEPTH - 2);
                self.deep(depth)
            } else {
                self.value(4)
            };
            content.insert(name, value);
            return;
        }
        let block = self.pick(&KnownBlock::ALL).unwrap_or(KnownBlock::Text);
        let names: Vec<(&'static str, NameStatus)> = block.names().collect();
        let (name, status) = self
            .pick(&names)
            .unwrap_or((block.stable_name(), NameStatus::Stable));
        let value = if self.chance(15) {
            self.value(3)
        } else {
            self.valid_block(block, status)
        };
        content.insert(name.to_owned(), value);
        // The same block under a second name now and then.
        if self.chance(10)
            && let Some((other, other_status)) = self.pick(&names)
        {
            let v = self.valid_block(block, other_status);
            content.entry(other.to_owned()).or_insert(v);
        }
    }

    /// An event.
    pub fn event(&mut self) -> Event {
        self.budget = SIZE_BUDGET;
        let event_type = if self.chance(10) {
            self.string()
        } else {
            // Any name the model knows for an event type, stable or not, or another type.
            let known: Vec<&str> = event_type_names().map(|(_, name, _)| name).collect();
            let n = self.below(known.len() + OTHER_EVENT_TYPES.len());
            known
                .get(n)
                .or_else(|| OTHER_EVENT_TYPES.get(n - known.len()))
                .copied()
                .unwrap_or("m.message")
                .to_owned()
        };
        let mut blocks = Object::new();
        let n = self.below(8);
        for _ in 0..n {
            self.block(&mut blocks);
        }
        let mut event = Event::new(event_type, Content::from_object(blocks));
        if self.chance(60) {
            event.set_field(
                "sender",
                format!("@u{}:example.org", self.below(100)).into(),
            );
        }
        if self.chance(40) {
            event.set_field("event_id", format!("$e{}", self.below(1000)).into());
            event.set_field("origin_server_ts", Value::Integer(self.integer()));
        }
        if self.chance(15) {
            event.set_field("state_key", Value::String(self.string()));
        }
        if self.chance(20) {
            event.set_field("unsigned", self.value(3));
        }
        event
    }
}

/// The msgtypes legacy events are generated with: every one of the spec's, and a custom one.
const MSGTYPES: &[&str] = &[
    "m.text",
    "m.notice",
    "m.emote",
    "m.image",
    "m.file",
    "m.audio",
    "m.video",
    "m.location",
    "m.server_notice",
    "m.key.verification.request",
    "org.example.dice",
];

/// Senders of generated rooms: few, so that edits by the same sender and duplicate reactions
/// happen.
const SENDERS: &[&str] = &[
    "@alice:example.org",
    "@bob:example.org",
    "@carol:example.org",
];

/// Reaction keys of generated rooms.
const REACTION_KEYS: &[&str] = &["👍", "🎉", "👀"];

impl Generator<'_> {
    fn object(pairs: Vec<(&str, Value)>) -> Value {
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    /// An `EncryptedFile` (the spec's encrypted attachment).
    fn encrypted_file(&mut self, url: String) -> Value {
        let key = Generator::object(vec![
            ("kty", "oct".into()),
            (
                "key_ops",
                Value::Array(vec!["encrypt".into(), "decrypt".into()]),
            ),
            ("alg", "A256CTR".into()),
            ("k", Value::String(self.string())),
            ("ext", Value::Bool(true)),
        ]);
        let hashes = Generator::object(vec![("sha256", Value::String(self.string()))]);
        Generator::object(vec![
            ("url", url.into()),
            ("key", key),
            ("iv", "w+sE15fzSc0AAAAAAAAAAA".into()),
            ("hashes", hashes),
            ("v", "v2".into()),
        ])
    }

    /// The content of a legacy `m.room.message` of `msgtype`: its fields, some present and
    /// some not, some unusual (a caption, an encrypted file, a thumbnail missing a field, a
    /// custom field), as clients send them.
    fn legacy_content(&mut self, msgtype: &str, edit: bool) -> Object {
        let mut c = Object::new();
        c.insert("msgtype".into(), msgtype.into());
        let body = self.string();
        c.insert("body".into(), Value::String(body.clone()));
        if self.chance(30) {
            c.insert("format".into(), "org.matrix.custom.html".into());
            c.insert(
                "formatted_body".into(),
                Value::String(format!("<b>{}</b>", self.string())),
            );
        } else if self.chance(5) {
            c.insert("formatted_body".into(), Value::String(self.string()));
        }
        let media = matches!(msgtype, "m.image" | "m.file" | "m.audio" | "m.video");
        let mut info = Object::new();
        if media {
            let url = format!("mxc://example.org/{}", self.below(1000));
            if self.chance(20) {
                let file = self.encrypted_file(url);
                c.insert("file".into(), file);
            } else {
                c.insert("url".into(), url.into());
            }
            match self.below(3) {
                0 => {}
                1 => {
                    c.insert("filename".into(), Value::String(body.clone()));
                }
                _ => {
                    c.insert(
                        "filename".into(),
                        format!("file{}.bin", self.below(9)).into(),
                    );
                }
            }
            if self.chance(70) {
                let m = self.pick(MIMETYPES).unwrap_or("image/png");
                info.insert("mimetype".into(), m.into());
            }
            if self.chance(60) {
                info.insert("size".into(), self.uint(MAX_SAFE_INTEGER));
            }
        }
        if matches!(msgtype, "m.image" | "m.video") && self.chance(70) {
            info.insert("w".into(), self.uint(10_000));
            info.insert("h".into(), self.uint(10_000));
        }
        if matches!(msgtype, "m.audio" | "m.video") && self.chance(70) {
            info.insert("duration".into(), self.uint(10_000_000));
        }
        if matches!(msgtype, "m.image" | "m.video" | "m.file" | "m.location") && self.chance(40) {
            self.legacy_thumbnail(&mut info);
        }
        if self.chance(10) {
            info.insert("is_animated".into(), Value::Bool(self.chance(50)));
        }
        if !info.is_empty() || (media && self.chance(10)) {
            c.insert("info".into(), Value::Object(info));
        }
        if msgtype == "m.audio" && self.chance(30) {
            // MSC3245 v1 voice, as deployed: the marker and the v1 audio block.
            c.insert(
                "org.matrix.msc3245.voice".into(),
                Value::Object(Object::new()),
            );
            let mut v1 = Object::new();
            v1.insert("duration".into(), self.uint(600_000));
            if self.chance(70) {
                let n = self.below(40);
                v1.insert("waveform".into(), (0..n).map(|_| self.uint(1024)).collect());
            }
            c.insert("org.matrix.msc1767.audio".into(), Value::Object(v1));
        }
        match msgtype {
            "m.location" => {
                let uri = if self.chance(90) {
                    "geo:51.5008,0.1247;u=35"
                } else {
                    "https://maps.example/big-ben"
                };
                c.insert("geo_uri".into(), uri.into());
            }
            "m.server_notice" => {
                c.insert(
                    "server_notice_type".into(),
                    "m.server_notice.usage_limit_reached".into(),
                );
                c.insert(
                    "admin_contact".into(),
                    "mailto:server.admin@example.org".into(),
                );
            }
            "m.key.verification.request" => {
                c.insert("from_device".into(), "AliceDevice2".into());
                c.insert("methods".into(), Value::Array(vec!["m.sas.v1".into()]));
                c.insert("to".into(), "@bob:example.org".into());
            }
            _ => {}
        }
        if self.chance(15) {
            c.insert(format!("org.example.k{}", self.below(5)), self.value(2));
        }
        if self.chance(20) {
            c.insert(
                "m.mentions".into(),
                self.valid_block(KnownBlock::Mentions, NameStatus::Stable),
            );
        }
        if !edit && self.chance(10) {
            // An edit: the new content of the same msgtype, and the `* ` fallback.
            let new = self.legacy_content(msgtype, true);
            c.insert("m.new_content".into(), Value::Object(new));
            let relation = Generator::object(vec![
                ("rel_type", "m.replace".into()),
                ("event_id", format!("$e{}", self.below(100)).into()),
            ]);
            c.insert("m.relates_to".into(), relation);
        } else if !edit && self.chance(20) {
            let reply =
                Generator::object(vec![("event_id", format!("$e{}", self.below(100)).into())]);
            c.insert(
                "m.relates_to".into(),
                Generator::object(vec![("m.in_reply_to", reply)]),
            );
        }
        c
    }

    /// `info.thumbnail_url` (or `thumbnail_file`) and `info.thumbnail_info`, now and then
    /// missing a field `m.thumbnail` needs.
    fn legacy_thumbnail(&mut self, info: &mut Object) {
        let url = format!("mxc://example.org/t{}", self.below(1000));
        if self.chance(20) {
            let file = self.encrypted_file(url);
            info.insert("thumbnail_file".into(), file);
        } else {
            info.insert("thumbnail_url".into(), url.into());
        }
        let mut ti = Object::new();
        if self.chance(90) {
            ti.insert("mimetype".into(), "image/jpeg".into());
        }
        ti.insert("w".into(), self.uint(1000));
        ti.insert("h".into(), self.uint(1000));
        if self.chance(50) {
            ti.insert("size".into(), self.uint(100_000));
        }
        info.insert("thumbnail_info".into(), Value::Object(ti));
    }

    /// A legacy event as today's clients send it: an `m.room.message` of one of the spec's
    /// msgtypes (or a custom one), an `m.sticker`, or an `m.room.encrypted`, with its
    /// envelope. What `exev::legacy` converts to the extensible form and back.
    ///
    /// ```
    /// use exev::generate::Generator;
    ///
    /// let event = Generator::new(b"legacy").legacy_event();
    /// assert!(exev::legacy::is_legacy(&event));
    /// ```
    pub fn legacy_event(&mut self) -> Event {
        self.budget = SIZE_BUDGET;
        let (event_type, content) = match self.below(20) {
            0 => {
                let mut c = Object::new();
                c.insert("body".into(), Value::String(self.string()));
                c.insert(
                    "url".into(),
                    format!("mxc://example.org/s{}", self.below(100)).into(),
                );
                let mut info = Object::new();
                info.insert("w".into(), self.uint(512));
                info.insert("h".into(), self.uint(512));
                info.insert("mimetype".into(), "image/png".into());
                if self.chance(50) {
                    self.legacy_thumbnail(&mut info);
                }
                c.insert("info".into(), Value::Object(info));
                ("m.sticker", c)
            }
            1 => {
                let mut c = Object::new();
                c.insert("algorithm".into(), "m.megolm.v1.aes-sha2".into());
                c.insert("ciphertext".into(), Value::String(self.string()));
                c.insert(
                    "session_id".into(),
                    "X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu".into(),
                );
                if self.chance(30) {
                    c.insert(
                        "m.relates_to".into(),
                        Generator::object(vec![
                            ("rel_type", "m.replace".into()),
                            ("event_id", "$e1".into()),
                        ]),
                    );
                }
                ("m.room.encrypted", c)
            }
            _ => {
                let msgtype = self.pick(MSGTYPES).unwrap_or("m.text");
                ("m.room.message", self.legacy_content(msgtype, false))
            }
        };
        let mut event = Event::new(event_type, Content::from_object(content));
        event.set_field(
            "sender",
            self.pick(SENDERS).unwrap_or("@alice:example.org").into(),
        );
        event.set_field("event_id", format!("$l{}", self.below(10_000)).into());
        event.set_field(
            "origin_server_ts",
            Value::Integer(1_700_000_000_000 + self.integer().rem_euclid(1_000_000)),
        );
        if self.chance(30) {
            event.set_field(
                "unsigned",
                Generator::object(vec![("age", Value::from(1234))]),
            );
        }
        event
    }

    /// A room: messages (legacy and extensible, polls among them) and the events that act on
    /// them (edits by their sender or another, edits of edits, reactions with repeated keys,
    /// redactions of messages, edits and reactions, poll votes and ends, thread events and
    /// replies), with unique event ids and timestamps, in the order a server might send
    /// them. What `exev-registry`'s timeline folds.
    ///
    /// ```
    /// use exev::generate::Generator;
    ///
    /// let room = Generator::new(b"a room").room();
    /// assert!(!room.is_empty());
    /// let ids: std::collections::BTreeSet<_> = room.iter().map(|e| e.event_id()).collect();
    /// assert_eq!(ids.len(), room.len());
    /// ```
    pub fn room(&mut self) -> Vec<Event> {
        let originals = 1 + self.below(6);
        let relations = self.below(16);
        let mut out: Vec<Event> = Vec::with_capacity(originals + relations);
        let mut ts = 1_700_000_000_000i64;
        let mut tick = |g: &mut Generator<'_>| {
            ts += i64::try_from(g.below(3)).unwrap_or(0);
            ts
        };
        for i in 0..originals {
            self.budget = SIZE_BUDGET;
            let sender = self.pick(SENDERS).unwrap_or("@alice:example.org");
            let (event_type, content) = match self.below(4) {
                0 => ("m.poll.start", self.room_poll()),
                1 => {
                    let mut c = Object::new();
                    c.insert("m.text".into(), self.text());
                    ("m.message", c)
                }
                _ => ("m.room.message", self.room_message()),
            };
            let mut content = content;
            if i > 0 && self.chance(25) {
                // In a thread on an earlier message, or a reply to one.
                let root = format!("$m{}", self.below(i));
                let relation = if self.chance(50) {
                    Generator::object(vec![
                        ("rel_type", "m.thread".into()),
                        ("event_id", root.into()),
                    ])
                } else {
                    Generator::object(vec![(
                        "m.in_reply_to",
                        Generator::object(vec![("event_id", root.into())]),
                    )])
                };
                content.insert("m.relates_to".into(), relation);
            }
            let mut e = Event::new(event_type, Content::from_object(content));
            e.set_field("event_id", format!("$m{i}").into());
            e.set_field("sender", sender.into());
            e.set_field("origin_server_ts", Value::Integer(tick(self)));
            out.push(e);
        }
        for j in 0..relations {
            self.budget = SIZE_BUDGET;
            let target_index = self.below(originals);
            let target = out.get(target_index).cloned().unwrap_or_default();
            let target_id = format!("$m{target_index}");
            let mut sender = target.sender().unwrap_or("@alice:example.org").to_owned();
            if self.chance(20) {
                sender = self.pick(SENDERS).unwrap_or("@bob:example.org").to_owned();
            }
            let relation = |rel: &str, id: String| {
                Generator::object(vec![("rel_type", rel.into()), ("event_id", id.into())])
            };
            let (event_type, content) = match self.below(6) {
                0 | 1 => {
                    // An edit of its target, or (now and then) of an earlier relation.
                    let edited = if j > 0 && self.chance(15) {
                        format!("$r{}", self.below(j))
                    } else {
                        target_id
                    };
                    let mut c = Object::new();
                    let new = match target.event_type() {
                        "m.room.message" => Value::Object(self.room_message()),
                        "m.poll.start" => Value::Object(self.room_poll()),
                        _ => Generator::object(vec![("m.text", self.text())]),
                    };
                    c.insert("m.new_content".into(), new);
                    c.insert("m.relates_to".into(), relation("m.replace", edited));
                    if target.event_type() == "m.room.message" {
                        c.insert("msgtype".into(), "m.text".into());
                        c.insert("body".into(), "* edited".into());
                    }
                    (target.event_type().to_owned(), c)
                }
                2 => {
                    let key = self.pick(REACTION_KEYS).unwrap_or("👍");
                    sender = self.pick(SENDERS).unwrap_or("@bob:example.org").to_owned();
                    let mut rel = relation("m.annotation", target_id);
                    if let Some(o) = rel.as_object_mut() {
                        o.insert("key".into(), key.into());
                    }
                    let mut c = Object::new();
                    c.insert("m.relates_to".into(), rel);
                    ("m.reaction".to_owned(), c)
                }
                3 => {
                    // A redaction of a message, or of an earlier relation.
                    let redacted = if j > 0 && self.chance(50) {
                        format!("$r{}", self.below(j))
                    } else {
                        target_id
                    };
                    let mut c = Object::new();
                    c.insert("redacts".into(), redacted.into());
                    ("m.room.redaction".to_owned(), c)
                }
                4 => {
                    sender = self.pick(SENDERS).unwrap_or("@bob:example.org").to_owned();
                    let answers = (0..self.below(3))
                        .map(|_| format!("a{}", self.below(4)).into())
                        .collect();
                    let mut c = Object::new();
                    c.insert("m.selections".into(), Value::Array(answers));
                    c.insert("m.relates_to".into(), relation("m.reference", target_id));
                    ("m.poll.response".to_owned(), c)
                }
                _ => {
                    let mut c = Object::new();
                    c.insert("m.text".into(), self.text());
                    c.insert("m.relates_to".into(), relation("m.reference", target_id));
                    ("m.poll.end".to_owned(), c)
                }
            };
            let mut e = Event::new(event_type, Content::from_object(content));
            e.set_field("event_id", format!("$r{j}").into());
            e.set_field("sender", sender.into());
            e.set_field("origin_server_ts", Value::Integer(tick(self)));
            out.push(e);
        }
        out
    }

    /// A legacy text message's content for a generated room.
    fn room_message(&mut self) -> Object {
        let msgtype = self
            .pick(&["m.text", "m.notice", "m.emote"])
            .unwrap_or("m.text");
        let mut c = Object::new();
        c.insert("msgtype".into(), msgtype.into());
        c.insert("body".into(), Value::String(self.string()));
        c
    }

    /// A poll's content for a generated room: up to four answers `a0`..`a3`.
    fn room_poll(&mut self) -> Object {
        let answers = (0..1 + self.below(4))
            .map(|i| {
                Generator::object(vec![
                    ("m.id", format!("a{i}").into()),
                    ("m.text", self.text()),
                ])
            })
            .collect();
        let poll = Generator::object(vec![
            ("question", Generator::object(vec![("m.text", self.text())])),
            ("answers", Value::Array(answers)),
            (
                "max_selections",
                Value::Integer(1 + i64::try_from(self.below(2)).unwrap_or(0)),
            ),
        ]);
        let mut c = Object::new();
        c.insert("m.text".into(), self.text());
        c.insert("m.poll".into(), poll);
        c
    }
}

/// A seeded stream of pseudo-random bytes (`SplitMix64`): what `exev gen` feeds the
/// [`Generator`], so that a seed always gives the same events.
///
/// ```
/// use exev::generate::SplitMix64;
///
/// let mut a = SplitMix64::new(1);
/// let mut b = SplitMix64::new(1);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert_eq!(a.bytes(5).len(), 5);
/// ```
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

#[cfg(feature = "arbitrary")]
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
impl<'a> arbitrary::Arbitrary<'a> for Event {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Event> {
        let bytes = u.bytes(u.len())?;
        Ok(Generator::new(bytes).event())
    }
}

/// Proptest strategies over the [`Generator`].
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod strategy {
    use proptest::prelude::*;

    use super::Generator;
    use crate::Event;

    /// Events from up to 4096 random bytes; shrinking the bytes simplifies the event.
    pub fn events() -> impl Strategy<Value = Event> {
        proptest::collection::vec(any::<u8>(), 0..4096)
            .prop_map(|bytes| Generator::new(&bytes).event())
    }

    /// Events with lenient numbers now and then ([`Generator::with_lenient_numbers`]).
    pub fn lenient_events() -> impl Strategy<Value = Event> {
        proptest::collection::vec(any::<u8>(), 0..4096)
            .prop_map(|bytes| Generator::new(&bytes).with_lenient_numbers().event())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg_bytes(seed: u64, n: usize) -> Vec<u8> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (s >> 56) as u8
            })
            .collect()
    }

    #[test]
    fn lenient_numbers_are_json_numbers_outside_the_model() {
        for literal in LENIENT_NUMBERS {
            assert!(Number::from_literal(literal).is_some(), "{literal}");
        }
        let mut seen = 0;
        for seed in 0..500 {
            let bytes = lcg_bytes(seed, 4096);
            let plain = Generator::new(&bytes).event();
            let lenient = Generator::new(&bytes).with_lenient_numbers().event();
            assert!(plain.to_value().is_canonical());
            if !lenient.to_value().is_canonical() {
                seen += 1;
            }
        }
        assert!(seen > 50, "{seen} of 500 events have a lenient number");
    }

    #[test]
    fn every_event_type_name_of_the_model_is_generated() {
        let mut types = std::collections::BTreeSet::new();
        for seed in 0..3_000 {
            types.insert(
                Generator::new(&lcg_bytes(seed, 64))
                    .event()
                    .event_type()
                    .to_owned(),
            );
        }
        for (_, name, _) in event_type_names() {
            assert!(types.contains(name), "{name} never generated");
        }
        for name in OTHER_EVENT_TYPES {
            assert!(types.contains(*name), "{name} never generated");
        }
    }

    #[test]
    fn empty_bytes_give_the_simplest_event() {
        let e = Generator::new(&[]).event();
        assert_eq!(e.event_type(), "m.message");
        assert!(e.content().is_empty());
        assert!(e.other().is_empty());
    }

    #[test]
    fn events_stay_in_the_model_and_the_limits() {
        let mut names = std::collections::BTreeSet::new();
        for seed in 0..2_000 {
            let bytes = lcg_bytes(seed, 4096);
            let e = Generator::new(&bytes).event();
            let v = e.to_value();
            assert!(v.is_canonical());
            assert!(v.depth() <= MAX_DEPTH, "seed {seed}: depth {}", v.depth());
            names.extend(e.content().as_object().keys().cloned());
        }
        // Every built-in block name shows up somewhere.
        for block in KnownBlock::ALL {
            for (name, _) in block.names() {
                assert!(names.contains(name), "{name} never generated");
            }
        }
    }
}
