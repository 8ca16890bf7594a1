//! The decoder: one pass over the bytes with the codec's CBOR head primitives, refusing at
//! the byte where it happens anything that is not MIMI content in the draft's deterministic
//! encoding, with the rule broken and the path to it.
//!
//! Recursion is bounded by the draft's depth limits (4 levels of NestedParts, 4 levels of
//! containers in extensions), so no input can exhaust the stack. No length prefix is
//! believed before the bytes are there.

use exev::Path;
use exev_codec::Options;
use exev_codec::cbor::head::{self, Head, ItemError};

use crate::error::{Error, ErrorKind};
use crate::extensions::{ExtensionKey, MAX_TEXT_KEY_BYTES, check_known_value};
use crate::rules;
use crate::{
    Disposition, Expiration, Extensions, ExternalPart, MessageId, MimiContent, MultiPart,
    NestedPart, Part, PartSemantics, SinglePart,
};

/// NestedParts nest at most this deep, the body being level 1 (§6.3).
pub const MAX_PART_DEPTH: usize = 4;
/// Extensions hold at most this many levels of tags, maps and arrays, the extensions map
/// being level 1 (§6.3).
pub const MAX_EXTENSION_DEPTH: usize = 4;
/// A message has at most this many body parts, MultiParts included (§9.1).
pub const MAX_PARTS: usize = 1024;
/// A topicId has at most this many octets (§9.1).
pub const MAX_TOPIC_ID_BYTES: usize = 4096;

/// One step of the path, named without allocating until an error needs it.
#[derive(Clone, Copy)]
enum Step<'a> {
    Field(&'static str),
    Index(usize),
    Key(&'a [u8]),
}

type Decoded<T> = Result<T, Error>;

/// The decoder's state over one input.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    options: &'a Options,
    path: Vec<Step<'a>>,
    parts: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], options: &'a Options) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            options,
            path: Vec::with_capacity(8),
            parts: 0,
        }
    }

    /// The path as the error names it.
    fn path(&self) -> Path {
        let mut path = Path::root();
        for step in &self.path {
            path = match *step {
                Step::Field(name) => path.key(name),
                Step::Index(i) => path.index(i),
                Step::Key(raw) => match head::read_head(raw, 0) {
                    // Unsigned keys read as indices: `mimiExtensions[1]`.
                    Ok((h, _)) if h.major == 0 => match usize::try_from(h.arg) {
                        Ok(i) => path.index(i),
                        Err(_) => path.key(key_label(raw)),
                    },
                    _ => path.key(key_label(raw)),
                },
            };
        }
        path
    }

    #[cold]
    fn fail(&self, at: usize, kind: ErrorKind) -> Error {
        Error::new(kind, Some(at), self.path())
    }

    #[cold]
    fn schema(&self, at: usize, rule: &'static str, found: impl Into<String>) -> Error {
        self.fail(
            at,
            ErrorKind::Schema {
                rule,
                found: found.into(),
            },
        )
    }

    #[cold]
    fn limit(&self, at: usize, rule: &'static str, limit: usize) -> Error {
        self.fail(at, ErrorKind::Limit { rule, limit })
    }

    #[cold]
    fn item_error(&self, e: ItemError) -> Error {
        let at = e.offset();
        match e {
            ItemError::End { expected, .. } => self.fail(at, ErrorKind::UnexpectedEnd { expected }),
            ItemError::TooDeep { limit, .. } => self.limit(at, rules::LIMIT_EXTENSION_DEPTH, limit),
            other => self.fail(at, ErrorKind::Malformed(malformed_text(&other))),
        }
    }

    /// Runs `f` with `step` on the path.
    fn at<T>(
        &mut self,
        step: Step<'a>,
        f: impl FnOnce(&mut Reader<'a>) -> Decoded<T>,
    ) -> Decoded<T> {
        self.path.push(step);
        let result = f(self);
        self.path.pop();
        result
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// Reads a head under the deterministic rules: definite lengths, shortest arguments.
    fn head(&mut self) -> Decoded<(Head, usize)> {
        let at = self.pos;
        let (h, next) = head::read_head(self.bytes, at).map_err(|e| self.item_error(e))?;
        if h.is_break() {
            return Err(self.fail(
                at,
                ErrorKind::Malformed("a break (0xff) outside an indefinite-length item".into()),
            ));
        }
        if h.indefinite() {
            return Err(self.fail(at, ErrorKind::NotDeterministic(rules::RULE_DEFINITE)));
        }
        if h.major != 7 && !h.shortest() {
            return Err(self.fail(at, ErrorKind::NotDeterministic(rules::RULE_SHORTEST)));
        }
        self.pos = next;
        Ok((h, at))
    }

    /// Reads a head of major type `major`, else the schema error for `rule`.
    fn expect(&mut self, major: u8, rule: &'static str) -> Decoded<(Head, usize)> {
        let (h, at) = self.head()?;
        if h.major != major {
            return Err(self.schema(at, rule, head::type_name(h)));
        }
        Ok((h, at))
    }

    /// The `len` bytes of a string whose head at `at` was just read.
    fn string_bytes(&mut self, len: u64, at: usize) -> Decoded<&'a [u8]> {
        let len = match usize::try_from(len) {
            Ok(len) if len <= self.remaining() => len,
            _ => {
                return Err(self.fail(
                    self.bytes.len(),
                    ErrorKind::UnexpectedEnd {
                        expected: "the rest of a string",
                    },
                ));
            }
        };
        if len > self.options.max_string_bytes {
            return Err(self.limit(at, rules::LIMIT_STRING, self.options.max_string_bytes));
        }
        let start = self.pos;
        self.pos = start + len;
        Ok(self.bytes.get(start..self.pos).unwrap_or_default())
    }

    fn text_of(&mut self, len: u64, at: usize) -> Decoded<&'a str> {
        let raw = self.string_bytes(len, at)?;
        let start = self.pos - raw.len();
        std::str::from_utf8(raw)
            .map_err(|e| self.schema(start + e.valid_up_to(), rules::UTF8, "invalid UTF-8"))
    }

    fn bstr(&mut self, rule: &'static str) -> Decoded<&'a [u8]> {
        let (h, at) = self.expect(2, rule)?;
        self.string_bytes(h.arg, at)
    }

    fn tstr(&mut self, rule: &'static str) -> Decoded<&'a str> {
        let (h, at) = self.expect(3, rule)?;
        self.text_of(h.arg, at)
    }

    fn uint(&mut self, rule: &'static str, max: u64) -> Decoded<u64> {
        let (h, at) = self.expect(0, rule)?;
        if h.arg > max {
            return Err(self.schema(at, rule, format!("{}", h.arg)));
        }
        Ok(h.arg)
    }

    /// Consumes a `null` if one is next.
    fn take_null(&mut self) -> bool {
        if self.bytes.get(self.pos) == Some(&0xf6) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The entries a container head announces, refused when the rest of the input cannot
    /// hold them (each takes at least a byte; a map's twice) or they pass the element limit.
    fn count(&self, h: Head, at: usize) -> Decoded<usize> {
        let per_entry: u128 = if h.major == 5 { 2 } else { 1 };
        let n = match usize::try_from(h.arg) {
            Ok(n) if u128::from(h.arg) * per_entry <= self.remaining() as u128 => n,
            _ => {
                return Err(self.fail(
                    self.bytes.len(),
                    ErrorKind::UnexpectedEnd {
                        expected: "the rest of a container",
                    },
                ));
            }
        };
        if n > self.options.max_elements {
            return Err(self.limit(at, rules::LIMIT_ELEMENTS, self.options.max_elements));
        }
        Ok(n)
    }

    fn message_id(&mut self) -> Decoded<Option<MessageId>> {
        if self.take_null() {
            return Ok(None);
        }
        let at = self.pos;
        let raw = self.bstr(rules::MESSAGE_ID)?;
        let id: [u8; 32] = raw
            .try_into()
            .map_err(|_| self.schema(at, rules::MESSAGE_ID, format!("{} octets", raw.len())))?;
        Ok(Some(MessageId(id)))
    }

    /// Reads one whole message.
    pub(crate) fn message(&mut self) -> Decoded<MimiContent> {
        if self.bytes.len() > self.options.max_bytes {
            return Err(self.limit(
                self.options.max_bytes,
                rules::LIMIT_BYTES,
                self.options.max_bytes,
            ));
        }
        let (h, at) = self.expect(4, rules::MIMI_CONTENT)?;
        if h.arg != 7 {
            return Err(self.schema(
                at,
                rules::MIMI_CONTENT,
                format!("an array of {} items", h.arg),
            ));
        }
        let salt = self.at(Step::Field("salt"), |r| {
            let at = r.pos;
            let raw = r.bstr(rules::SALT)?;
            raw.try_into()
                .map_err(|_| r.schema(at, rules::SALT, format!("{} octets", raw.len())))
        })?;
        let replaces = self.at(Step::Field("replaces"), Reader::message_id)?;
        let topic_id = self.at(Step::Field("topicId"), |r| {
            let at = r.pos;
            let raw = r.bstr(rules::TOPIC_ID)?;
            if raw.len() > MAX_TOPIC_ID_BYTES {
                return Err(r.limit(at, rules::LIMIT_TOPIC_ID, MAX_TOPIC_ID_BYTES));
            }
            Ok(raw.to_vec())
        })?;
        let expires = self.at(Step::Field("expires"), Reader::expiration)?;
        let in_reply_to = self.at(Step::Field("inReplyTo"), Reader::message_id)?;
        let extensions = self.at(Step::Field("mimiExtensions"), Reader::extensions)?;
        let body = self.at(Step::Field("nestedPart"), |r| r.nested_part(1))?;
        if self.pos < self.bytes.len() {
            return Err(self.fail(self.pos, ErrorKind::TrailingData));
        }
        Ok(MimiContent {
            salt,
            replaces,
            topic_id,
            expires,
            in_reply_to,
            extensions,
            body,
        })
    }

    fn expiration(&mut self) -> Decoded<Option<Expiration>> {
        if self.take_null() {
            return Ok(None);
        }
        let (h, at) = self.expect(4, rules::EXPIRATION)?;
        if h.arg != 2 {
            return Err(self.schema(
                at,
                rules::EXPIRATION,
                format!("an array of {} items", h.arg),
            ));
        }
        let relative = self.at(Step::Field("relative"), |r| {
            let (h, at) = r.head()?;
            match (h.major, h.info) {
                (7, 20) => Ok(false),
                (7, 21) => Ok(true),
                _ => Err(r.schema(at, rules::EXPIRATION, head::type_name(h))),
            }
        })?;
        let time = self.at(Step::Field("time"), |r| {
            r.uint(rules::EXPIRATION, u64::from(u32::MAX))
        })?;
        Ok(Some(Expiration {
            relative,
            time: u32::try_from(time).unwrap_or(u32::MAX),
        }))
    }

    fn extensions(&mut self) -> Decoded<Extensions> {
        let (h, at) = self.expect(5, rules::EXTENSIONS)?;
        let n = self.count(h, at)?;
        let mut extensions = Extensions::new();
        let mut previous: &[u8] = &[];
        for _ in 0..n {
            let key_at = self.pos;
            let key = self.extension_key()?;
            let raw_key = self.bytes.get(key_at..self.pos).unwrap_or_default();
            self.check_key_order(previous, raw_key, key_at)?;
            previous = raw_key;
            let raw = self.at(Step::Key(raw_key), |r| {
                let start = r.pos;
                r.item(2)?;
                let raw = r.bytes.get(start..r.pos).unwrap_or_default();
                check_known_value(&key, raw)
                    .map_err(|(rule, found)| r.schema(start, rule, found))?;
                Ok(raw)
            })?;
            extensions.insert_checked(key, raw.to_vec());
        }
        Ok(extensions)
    }

    /// Keys in strictly increasing order of their encodings: equal is a duplicate, lower is
    /// out of order.
    fn check_key_order(&mut self, previous: &[u8], key: &'a [u8], at: usize) -> Decoded<()> {
        if key > previous {
            return Ok(());
        }
        self.path.push(Step::Key(key));
        let e = if key == previous {
            self.schema(at, rules::DUPLICATE_KEY, "a key twice")
        } else {
            self.fail(at, ErrorKind::NotDeterministic(rules::RULE_KEY_ORDER))
        };
        self.path.pop();
        Err(e)
    }

    fn extension_key(&mut self) -> Decoded<ExtensionKey> {
        let (h, at) = self.head()?;
        let key = match h.major {
            0 | 1 => self.integer_key(h, at)?,
            3 => {
                let text = self.text_of(h.arg, at)?;
                if text.is_empty() || text.len() > MAX_TEXT_KEY_BYTES {
                    return Err(self.schema(
                        at,
                        rules::EXTENSION_KEY,
                        format!("a text key of {} octets", text.len()),
                    ));
                }
                ExtensionKey::Text(text.to_owned())
            }
            _ => return Err(self.schema(at, rules::EXTENSION_KEY, head::type_name(h))),
        };
        Ok(key)
    }

    fn integer_key(&self, h: Head, at: usize) -> Decoded<ExtensionKey> {
        let max = exev::MAX_SAFE_INTEGER.unsigned_abs();
        // A negative key's argument is -1 - value: at most 2^53 - 2.
        let fits = if h.major == 0 {
            h.arg <= max
        } else {
            h.arg < max
        };
        let value = i64::try_from(h.arg).ok().filter(|_| fits);
        match value {
            Some(v) if h.major == 0 => Ok(ExtensionKey::Int(v)),
            Some(v) => Ok(ExtensionKey::Int(-1 - v)),
            None => {
                let shown = if h.major == 0 {
                    h.arg.to_string()
                } else {
                    format!("-{}", u128::from(h.arg) + 1)
                };
                Err(self.schema(at, rules::INTEGER_KEY, format!("the integer {shown}")))
            }
        }
    }

    /// Checks one item of an extension's value at container level `level`.
    fn item(&mut self, level: usize) -> Decoded<()> {
        let (h, at) = self.head()?;
        match h.major {
            0 | 1 => Ok(()),
            2 => self.string_bytes(h.arg, at).map(drop),
            3 => self.text_of(h.arg, at).map(drop),
            4 => {
                self.container_level(level, at)?;
                let n = self.count(h, at)?;
                for i in 0..n {
                    self.at(Step::Index(i), |r| r.item(level + 1))?;
                }
                Ok(())
            }
            5 => {
                self.container_level(level, at)?;
                let n = self.count(h, at)?;
                let mut previous: &[u8] = &[];
                for _ in 0..n {
                    let key_at = self.pos;
                    let (k, _) = self.head()?;
                    match k.major {
                        0 | 1 => drop(self.integer_key(k, key_at)?),
                        2 => drop(self.string_bytes(k.arg, key_at)?),
                        3 => drop(self.text_of(k.arg, key_at)?),
                        _ => {
                            return Err(self.schema(key_at, rules::NESTED_KEY, head::type_name(k)));
                        }
                    }
                    let raw_key = self.bytes.get(key_at..self.pos).unwrap_or_default();
                    self.check_key_order(previous, raw_key, key_at)?;
                    previous = raw_key;
                    self.at(Step::Key(raw_key), |r| r.item(level + 1))?;
                }
                Ok(())
            }
            6 => {
                self.container_level(level, at)?;
                if h.arg == 2 || h.arg == 3 {
                    let content_at = self.pos;
                    let magnitude = self.bstr(rules::BIGNUM)?;
                    if magnitude.len() <= 8 || magnitude.first() == Some(&0) {
                        return Err(self.schema(
                            content_at,
                            rules::BIGNUM,
                            format!("a bignum of {} octets", magnitude.len()),
                        ));
                    }
                    return Ok(());
                }
                self.item(level + 1)
            }
            _ => self.simple(h, at),
        }
    }

    fn container_level(&self, level: usize, at: usize) -> Decoded<()> {
        let limit = MAX_EXTENSION_DEPTH.min(self.options.effective_max_depth());
        if level > limit {
            return Err(self.limit(at, rules::LIMIT_EXTENSION_DEPTH, limit));
        }
        Ok(())
    }

    fn simple(&self, h: Head, at: usize) -> Decoded<()> {
        if !(25..=27).contains(&h.info) {
            return Ok(());
        }
        // `read_head` reads `width` bytes into `arg`, so the float always has its value.
        let Some(value) = head::float_value(h.arg, h.width) else {
            return Err(self.fail(
                at,
                ErrorKind::Malformed("a float argument wider than its head".to_owned()),
            ));
        };
        if value.is_nan() {
            if h.width == 2 && h.arg == 0x7e00 {
                return Ok(());
            }
            return Err(self.schema(at, rules::NAN, format!("a NaN of {} octets", h.width)));
        }
        if head::preferred_float_width(value) != h.width {
            return Err(self.fail(at, ErrorKind::NotDeterministic(rules::RULE_FLOAT)));
        }
        Ok(())
    }

    /// One NestedPart at `depth` (the body is 1).
    fn nested_part(&mut self, depth: usize) -> Decoded<NestedPart> {
        let (h, at) = self.expect(4, rules::NESTED_PART)?;
        let depth_limit = MAX_PART_DEPTH.min(self.options.effective_max_depth());
        if depth > depth_limit {
            return Err(self.limit(at, rules::LIMIT_PART_DEPTH, depth_limit));
        }
        self.parts += 1;
        if self.parts > MAX_PARTS {
            return Err(self.limit(at, rules::LIMIT_PARTS, MAX_PARTS));
        }
        if h.arg < 3 {
            return Err(self.schema(
                at,
                rules::PART_LENGTH,
                format!("an array of {} items", h.arg),
            ));
        }
        let disposition = self.at(Step::Field("disposition"), |r| {
            r.uint(rules::DISPOSITION, 255)
        })?;
        let language = self
            .at(Step::Field("language"), |r| r.tstr(rules::LANGUAGE))?
            .to_owned();
        let cardinality = self.at(Step::Field("cardinality"), |r| {
            let at = r.pos;
            let c = r.uint(rules::CARDINALITY, u64::MAX)?;
            if c > 3 {
                return Err(r.schema(at, rules::CARDINALITY, c.to_string()));
            }
            Ok(c)
        })?;
        let expected = match cardinality {
            0 => 3,
            2 => 15,
            _ => 5,
        };
        if h.arg != expected {
            return Err(self.schema(
                at,
                rules::PART_LENGTH,
                format!("an array of {} items", h.arg),
            ));
        }
        let part = match cardinality {
            0 => Part::Null,
            1 => Part::Single(SinglePart {
                content_type: self.field_text("contentType", rules::CONTENT_TYPE)?,
                content: self
                    .at(Step::Field("content"), |r| r.bstr(rules::CONTENT))?
                    .to_vec(),
            }),
            2 => Part::External(self.external()?),
            _ => Part::Multi(self.multi(depth)?),
        };
        Ok(NestedPart {
            disposition: Disposition(u8::try_from(disposition).unwrap_or(u8::MAX)),
            language,
            part,
        })
    }

    fn field_text(&mut self, name: &'static str, rule: &'static str) -> Decoded<String> {
        self.at(Step::Field(name), |r| r.tstr(rule))
            .map(str::to_owned)
    }

    fn field_bytes(&mut self, name: &'static str, rule: &'static str) -> Decoded<Vec<u8>> {
        self.at(Step::Field(name), |r| r.bstr(rule))
            .map(<[u8]>::to_vec)
    }

    fn field_uint(&mut self, name: &'static str, rule: &'static str, max: u64) -> Decoded<u64> {
        self.at(Step::Field(name), |r| r.uint(rule, max))
    }

    fn external(&mut self) -> Decoded<ExternalPart> {
        let content_type = self.field_text("contentType", rules::CONTENT_TYPE)?;
        let url = self.field_text("url", rules::URL)?;
        let expires = self.field_uint("expires", rules::PART_EXPIRES, u64::from(u32::MAX))?;
        let size = self.field_uint("size", rules::SIZE, u64::MAX)?;
        let enc_alg = self.field_uint("encAlg", rules::ENC_ALG, u64::from(u16::MAX))?;
        let key = self.field_bytes("key", rules::KEY)?;
        let nonce = self.field_bytes("nonce", rules::NONCE)?;
        let aad = self.field_bytes("aad", rules::AAD)?;
        let hash_alg = self.field_uint("hashAlg", rules::HASH_ALG, u64::from(u8::MAX))?;
        let content_hash = self.field_bytes("contentHash", rules::CONTENT_HASH)?;
        let description = self.field_text("description", rules::DESCRIPTION)?;
        let filename = self.field_text("filename", rules::FILENAME)?;
        Ok(ExternalPart {
            content_type,
            url,
            expires: u32::try_from(expires).unwrap_or(u32::MAX),
            size,
            enc_alg: u16::try_from(enc_alg).unwrap_or(u16::MAX),
            key,
            nonce,
            aad,
            hash_alg: u8::try_from(hash_alg).unwrap_or(u8::MAX),
            content_hash,
            description,
            filename,
        })
    }

    fn multi(&mut self, depth: usize) -> Decoded<MultiPart> {
        let semantics = self.at(Step::Field("partSemantics"), |r| {
            let at = r.pos;
            let code = r.uint(rules::PART_SEMANTICS, u64::MAX)?;
            PartSemantics::from_code(code)
                .ok_or_else(|| r.schema(at, rules::PART_SEMANTICS, code.to_string()))
        })?;
        let parts = self.at(Step::Field("parts"), |r| {
            let (h, at) = r.expect(4, rules::PARTS)?;
            let n = r.count(h, at)?;
            if n < 2 {
                return Err(r.schema(at, rules::PARTS, format!("{n} parts")));
            }
            let mut parts = Vec::with_capacity(n);
            for i in 0..n {
                parts.push(r.at(Step::Index(i), |r| r.nested_part(depth + 1))?);
            }
            Ok(parts)
        })?;
        Ok(MultiPart { semantics, parts })
    }
}

/// How an encoded map key is shown in a path: its integer or text.
fn key_label(raw: &[u8]) -> String {
    match head::read_head(raw, 0) {
        Ok((h, start)) => match h.major {
            0 => h.arg.to_string(),
            1 => format!("-{}", u128::from(h.arg) + 1),
            3 => String::from_utf8_lossy(raw.get(start..).unwrap_or_default()).into_owned(),
            _ => format!(
                "h'{}'",
                crate::hex::encode(raw.get(start..).unwrap_or_default())
            ),
        },
        Err(_) => format!("h'{}'", crate::hex::encode(raw)),
    }
}

/// The words of a well-formedness failure, without its offset (the error has its own).
fn malformed_text(e: &ItemError) -> String {
    match e {
        ItemError::Syntax { what, .. } => what.clone(),
        other => other.to_string(),
    }
}

/// One NestedPart alone, as the body of a message, under the same rules and limits.
pub(crate) fn part_from_slice(bytes: &[u8]) -> Result<NestedPart, Error> {
    let options = Options::default();
    let mut reader = Reader::new(bytes, &options);
    let part = reader.nested_part(1)?;
    if reader.pos < bytes.len() {
        return Err(reader.fail(reader.pos, ErrorKind::TrailingData));
    }
    Ok(part)
}

/// Checks that `raw` is exactly one item that may stand as an extension's value.
pub(crate) fn check_item(raw: &[u8], options: &Options) -> Result<(), Error> {
    let mut reader = Reader::new(raw, options);
    reader.item(2)?;
    if reader.pos < raw.len() {
        return Err(reader.fail(reader.pos, ErrorKind::TrailingData));
    }
    Ok(())
}
