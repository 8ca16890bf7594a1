//! The decoded form of an event, which every decoder (JSON, CBOR, Protobuf) writes so that
//! decoding builds only what is read: one token per value in one `Vec`, every string in one
//! text buffer, so that a decoded event costs two buffers however many blocks it has. Typed
//! blocks read from it in place ([`crate::ValueRef`]); [`Value`]s are materialised from it on
//! demand; serde types deserialize from it ([`Tape::deserialize_at`]) with the same errors and
//! paths as from a [`Value`].
//!
//! Codecs write a tape through [`TapeBuilder`] after (or while) checking the input against the
//! data model and the limits; the tape itself trusts what it is given.

#[cfg(feature = "serde")]
mod de;

use crate::value_ref::{ArrayRef, ObjectRef};
use crate::{Number, Object, RefShape, Value};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Null,
    False,
    True,
    /// `a` and `b`: the low and high halves of the integer.
    Integer,
    /// A lenient number's literal: `a` its start in the text, `b` its length.
    Number,
    /// `a` its start in the text, `b` its length.
    String,
    /// `a` the element count, `b` the index of the token after the array.
    Array,
    /// `a` the member count, `b` the index of the token after the object; members are a
    /// `String` token (the key) then the value.
    Object,
}

/// One value: 12 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Token {
    kind: Kind,
    a: u32,
    b: u32,
}

/// The tokens of one value (an event, say) and the text its strings point into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tape {
    tokens: Vec<Token>,
    text: String,
}

/// A value's place on a [`Tape`].
pub type At = usize;

/// Where a string a [`TapeBuilder`] wrote is in its text ([`TapeBuilder::text_of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSpan {
    start: u32,
    len: u32,
}

/// A key's length and last eight bytes in one word: keys that differ there (as nearly all
/// keys of one object do, and every built-in block name) are told apart without comparing
/// their text. The decoders' duplicate-key check and [`crate::KnownBlock::from_name`] use it.
#[inline]
pub fn fingerprint(key: &str) -> u64 {
    fingerprint_of_bytes(key.as_bytes())
}

/// [`fingerprint`] of a key's bytes (a decoder's, before it hands out the key as text).
#[inline]
pub fn fingerprint_of_bytes(bytes: &[u8]) -> u64 {
    let len = (bytes.len() as u64).rotate_right(8);
    // The last eight bytes are one load. Shorter keys are the same little-endian word,
    // zero-padded, made of two loads that may overlap (their common bytes are the same
    // bytes in the same places), so that no key is gathered byte by byte.
    let word = match (
        bytes.last_chunk::<8>(),
        bytes.first_chunk::<4>(),
        bytes.last_chunk::<4>(),
    ) {
        (Some(tail), _, _) => u64::from_le_bytes(*tail),
        (None, Some(first), Some(last)) => {
            let shift = 8 * (bytes.len() - 4);
            u64::from(u32::from_le_bytes(*first)) | (u64::from(u32::from_le_bytes(*last)) << shift)
        }
        _ => match *bytes {
            [a, b, c] => u64::from(u16::from_le_bytes([a, b])) | (u64::from(c) << 16),
            [a, b] => u64::from(u16::from_le_bytes([a, b])),
            [a] => u64::from(a),
            // The empty key (longer ones are matched above).
            _ => 0,
        },
    };
    word ^ len
}

/// How many containers a decoder that keeps a stack of open containers (CBOR's) reserves room
/// for: an event's own nesting (event, content, block, list, item, ...) with room to spare for
/// the blocks it carries, which nest deeper (some of the bench's generated events need more
/// than 16), so that no block adds an allocation. ([`TapeBuilder`] itself keeps its open
/// containers on the tape.)
pub const OPEN_CONTAINERS: usize = 32;

/// Writes a tape, value by value, in reading order (an array's elements and an object's members
/// between its `begin_*` and `end_*`).
#[derive(Debug, Default)]
pub struct TapeBuilder {
    tape: Tape,
    /// The innermost open container's token. While a container is open its token counts its
    /// entries so far in `a` and holds the place of the container around it, plus one (0 for
    /// none), in `b`: the open containers are a list through the tape, so that writing one
    /// needs no stack of its own.
    open: Option<usize>,
    /// How much of the text is the input copied by [`TapeBuilder::for_text`] or
    /// [`TapeBuilder::for_binary`].
    input_len: usize,
    /// The text, while it is a binary input's, unchecked ([`TapeBuilder::for_binary`]).
    unchecked: Option<UncheckedText>,
}

/// A binary input copied whole, its text strings checked as UTF-8 once, when the tape is
/// finished, and any text written after it.
#[derive(Debug)]
struct UncheckedText {
    bytes: Vec<u8>,
    /// The end of the last string written by its place in the input. The bytes before it
    /// that are not a string's are zeros, and so are the rest up to the input's end once the
    /// tape is finished.
    cleared: usize,
}

impl UncheckedText {
    /// Appends `bytes`, returning where they start and their length.
    #[inline]
    fn append(&mut self, bytes: &[u8]) -> Result<(u32, u32), TapeFull> {
        let span = appended(self.bytes.len(), bytes.len())?;
        self.bytes.extend_from_slice(bytes);
        Ok(span)
    }
}

/// An error writing a tape: more than `u32::MAX` tokens or bytes of text, or `end_*` without
/// its `begin_*`. Decoders' limits keep them far below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TapeFull;

fn index(n: usize) -> Result<u32, TapeFull> {
    u32::try_from(n).map_err(|_| TapeFull)
}

/// Where `len` bytes appended to a text of `before` bytes start, and their length, as long as
/// the text stays within `u32`.
#[inline]
fn appended(before: usize, len: usize) -> Result<(u32, u32), TapeFull> {
    index(before + len)?;
    Ok((index(before)?, index(len)?))
}

// The small methods of the builder and the tape are `#[inline]`: decoders in another crate
// call them once or more per value, and across crates a call costs as much as their bodies.
impl TapeBuilder {
    /// An empty builder.
    pub fn new() -> TapeBuilder {
        TapeBuilder::default()
    }

    /// An empty builder for an input of `input_len` bytes whose values take about
    /// `bytes_per_token` bytes each in an ordinary event, so that neither buffer grows in the
    /// common case: `input_len` bytes of text are reserved (all the strings of a JSON or CBOR
    /// input; a Protobuf decoder passes more, for the names its wire format leaves out), and
    /// the tokens (12 bytes each) grow past the estimate when they must. Memory stays within
    /// `1 + 12 / bytes_per_token` times `input_len` before any growth.
    pub fn for_input(input_len: usize, bytes_per_token: usize) -> TapeBuilder {
        TapeBuilder {
            tape: Tape {
                tokens: Vec::with_capacity(input_len / bytes_per_token.max(1) + 4),
                text: String::with_capacity(input_len),
            },
            open: None,
            input_len: 0,
            unchecked: None,
        }
    }

    /// An empty builder for the binary input `input` whose values take about
    /// `bytes_per_token` bytes each (as [`TapeBuilder::for_input`]), with the input copied
    /// into the text in one go, so that a text string sent whole is written by its place in
    /// the input ([`TapeBuilder::string_of_binary`]) rather than copied on its own.
    ///
    /// Those strings are checked as UTF-8 all at once, by [`TapeBuilder::finish`]: one check
    /// over the whole text costs a fraction of one per string, since most strings are short.
    /// What lies between them (heads, numbers) is overwritten with zeros as they are written,
    /// and the rest when the tape is finished; zeros are ASCII and every string lies between
    /// some, so each string is UTF-8 on its own when the whole text is (`c3` ending one and
    /// `a9` beginning the next are not `é`). Strings not in the input as they are (joined
    /// chunks, given as `&str`) are written after it. `finish` cannot say which string is
    /// not UTF-8, so a decoder that meets any failure with such a builder reads the input
    /// again with each string checked, to report the first problem where it is.
    pub fn for_binary(input: &[u8], bytes_per_token: usize) -> TapeBuilder {
        TapeBuilder {
            tape: Tape {
                tokens: Vec::with_capacity(input.len() / bytes_per_token.max(1) + 4),
                text: String::new(),
            },
            open: None,
            input_len: input.len(),
            unchecked: Some(UncheckedText {
                bytes: input.to_vec(),
                cleared: 0,
            }),
        }
    }

    /// The text string at `start..end` of the input a builder made by
    /// [`TapeBuilder::for_binary`] copied, checked as UTF-8 when the tape is finished.
    /// Strings must be written in the order they lie in the input, each with at least one
    /// byte before it that is no string's (its head), unless it starts the input: those
    /// bytes, zeroed, are what make the one check of the whole text cover each string.
    ///
    /// # Errors
    ///
    /// [`TapeFull`], also when the range is not within that input, or does not begin past
    /// the end of the string written so before it, or the builder was not made so.
    #[inline]
    pub fn string_of_binary(&mut self, start: usize, end: usize) -> Result<TextSpan, TapeFull> {
        let Some(unchecked) = &mut self.unchecked else {
            return Err(TapeFull);
        };
        if start > end || end > self.input_len {
            return Err(TapeFull);
        }
        let between = unchecked
            .bytes
            .get_mut(unchecked.cleared..start)
            .ok_or(TapeFull)?;
        // Mostly a head of a byte or two, cleared without a call to `memset`; none only
        // before a string that starts the input.
        match between {
            [] if start == 0 => {}
            [] => return Err(TapeFull),
            [one] => *one = 0,
            [one, two] => (*one, *two) = (0, 0),
            more => more.fill(0),
        }
        unchecked.cleared = end;
        let (start, len) = (index(start)?, index(end - start)?);
        self.push(Kind::String, start, len)?;
        Ok(TextSpan { start, len })
    }

    /// An empty builder, as [`TapeBuilder::for_input`] reserving `text_len` bytes of text,
    /// whose strings may be written as bytes ([`TapeBuilder::unchecked_string`]) and are then
    /// checked as UTF-8 all at once, when the tape is finished: for a decoder whose strings do
    /// not lie in its input as [`TapeBuilder::for_binary`] needs them (Protobuf's text also
    /// holds the names its wire leaves out, written between them). As with `for_binary`,
    /// `finish` cannot say which string is not UTF-8, so a decoder that meets any failure with
    /// such a builder reads the input again with each string checked.
    pub fn for_unchecked_text(text_len: usize, bytes_per_token: usize) -> TapeBuilder {
        TapeBuilder {
            tape: Tape {
                tokens: Vec::with_capacity(text_len / bytes_per_token.max(1) + 4),
                text: String::new(),
            },
            open: None,
            input_len: 0,
            unchecked: Some(UncheckedText {
                bytes: Vec::with_capacity(text_len),
                cleared: 0,
            }),
        }
    }

    /// The string `bytes`, appended to the text of a builder made by
    /// [`TapeBuilder::for_unchecked_text`] (or [`TapeBuilder::for_binary`]) and checked as
    /// UTF-8 when the tape is finished. A string must not begin with a continuation byte: then
    /// the one check of the whole text passes exactly when each string is UTF-8 on its own
    /// (`c3` ending one string and `a9` beginning the next would be `é` together; a string
    /// ending in the middle of a character is followed by one that begins a character, or by
    /// the end, and fails the check).
    ///
    /// # Errors
    ///
    /// [`TapeFull`], also when `bytes` begins with a continuation byte or the builder was not
    /// made so.
    #[inline]
    pub fn unchecked_string(&mut self, bytes: &[u8]) -> Result<TextSpan, TapeFull> {
        let Some(unchecked) = &mut self.unchecked else {
            return Err(TapeFull);
        };
        if let Some(0x80..=0xbf) = bytes.first() {
            return Err(TapeFull);
        }
        let (start, len) = unchecked.append(bytes)?;
        self.push(Kind::String, start, len)?;
        Ok(TextSpan { start, len })
    }

    /// Whether the builder takes strings unchecked ([`TapeBuilder::unchecked_string`]), to be
    /// checked as UTF-8 when the tape is finished: one made by
    /// [`TapeBuilder::for_unchecked_text`] or [`TapeBuilder::for_binary`].
    #[inline]
    pub fn checks_text_when_finished(&self) -> bool {
        self.unchecked.is_some()
    }

    /// An empty builder for the text input `input` whose values take about `bytes_per_token`
    /// bytes each (as [`TapeBuilder::for_input`]), with the input copied into the tape's text
    /// in one go, so that a string sent without escapes is written by its place in the input
    /// ([`TapeBuilder::string_of_input`]) rather than copied on its own. Strings with escapes
    /// are written unescaped after it: they never take more bytes than the input, so room for
    /// as much again is reserved, and the text never grows (the room an input without escapes
    /// leaves unused is never touched, so it costs address space, not memory).
    pub fn for_text(input: &str, bytes_per_token: usize) -> TapeBuilder {
        let mut text = String::with_capacity(2 * input.len());
        text.push_str(input);
        TapeBuilder {
            tape: Tape {
                tokens: Vec::with_capacity(input.len() / bytes_per_token.max(1) + 4),
                text,
            },
            open: None,
            input_len: input.len(),
            unchecked: None,
        }
    }

    /// The string at `start..end` of the input a builder made by [`TapeBuilder::for_text`]
    /// copied. `start` and `end` must be character boundaries of that input, as the places
    /// just inside a string's quotes are; this is asserted in debug builds only, because it
    /// is checked on every string of every input, and a range that is not one reads back as
    /// the empty string, never as a panic.
    ///
    /// # Errors
    ///
    /// [`TapeFull`], also when the range is not within that input.
    #[inline]
    pub fn string_of_input(&mut self, start: usize, end: usize) -> Result<TextSpan, TapeFull> {
        if start > end || end > self.input_len {
            return Err(TapeFull);
        }
        debug_assert!(
            self.tape.text.is_char_boundary(start) && self.tape.text.is_char_boundary(end)
        );
        let (start, len) = (index(start)?, index(end - start)?);
        self.push(Kind::String, start, len)?;
        Ok(TextSpan { start, len })
    }

    #[inline]
    fn push(&mut self, kind: Kind, a: u32, b: u32) -> Result<(), TapeFull> {
        index(self.tape.tokens.len())?;
        self.count_entry();
        self.tape.tokens.push(Token { kind, a, b });
        Ok(())
    }

    /// Counts one more entry in the container open (entries are fewer than tokens, whose
    /// number is kept within `u32`).
    #[inline]
    fn count_entry(&mut self) {
        if let Some(open) = self.open.and_then(|at| self.tape.tokens.get_mut(at)) {
            open.a += 1;
        }
    }

    #[inline]
    fn text(&mut self, s: &str) -> Result<(u32, u32), TapeFull> {
        if let Some(unchecked) = &mut self.unchecked {
            return unchecked.append(s.as_bytes());
        }
        let span = appended(self.tape.text.len(), s.len())?;
        self.tape.text.push_str(s);
        Ok(span)
    }

    /// How many bytes of text are written.
    #[inline]
    fn text_len(&self) -> usize {
        match &self.unchecked {
            Some(unchecked) => unchecked.bytes.len(),
            None => self.tape.text.len(),
        }
    }

    /// The written text, as bytes.
    #[inline]
    fn text_bytes(&self) -> &[u8] {
        match &self.unchecked {
            Some(unchecked) => &unchecked.bytes,
            None => self.tape.text.as_bytes(),
        }
    }

    /// `null`.
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    #[inline]
    pub fn null(&mut self) -> Result<(), TapeFull> {
        self.push(Kind::Null, 0, 0)
    }

    /// A boolean.
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    #[inline]
    pub fn bool(&mut self, b: bool) -> Result<(), TapeFull> {
        self.push(if b { Kind::True } else { Kind::False }, 0, 0)
    }

    /// An integer of the data model.
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    #[inline]
    pub fn integer(&mut self, i: i64) -> Result<(), TapeFull> {
        let bits = u64::from_ne_bytes(i.to_ne_bytes());
        let low = u32::try_from(bits & u64::from(u32::MAX)).map_err(|_| TapeFull)?;
        let high = u32::try_from(bits >> 32).map_err(|_| TapeFull)?;
        self.push(Kind::Integer, low, high)
    }

    /// A lenient number, by its literal.
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    pub fn number(&mut self, literal: &str) -> Result<(), TapeFull> {
        let (a, b) = self.text(literal)?;
        self.push(Kind::Number, a, b)
    }

    /// A string (or an object's key, just before its value).
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    #[inline]
    pub fn string(&mut self, s: &str) -> Result<TextSpan, TapeFull> {
        let (start, len) = self.text(s)?;
        self.push(Kind::String, start, len)?;
        Ok(TextSpan { start, len })
    }

    /// Where the next text written starts: a string written piece by piece
    /// ([`TapeBuilder::push_text`], [`TapeBuilder::push_char`]) begins here, and is ended
    /// by [`TapeBuilder::end_text`].
    pub fn begin_text(&self) -> usize {
        self.text_len()
    }

    /// Appends a piece of the string begun at [`TapeBuilder::begin_text`].
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    pub fn push_text(&mut self, piece: &str) -> Result<(), TapeFull> {
        self.text(piece).map(|_| ())
    }

    /// Appends a character to the string begun at [`TapeBuilder::begin_text`].
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    pub fn push_char(&mut self, c: char) -> Result<(), TapeFull> {
        self.push_text(c.encode_utf8(&mut [0; 4]))
    }

    /// The length so far of the string begun at `begin`.
    pub fn text_since(&self, begin: usize) -> usize {
        self.text_len().saturating_sub(begin)
    }

    /// Writes the string begun at `begin` (a string, or an object's key).
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    pub fn end_text(&mut self, begin: usize) -> Result<TextSpan, TapeFull> {
        let (start, len) = (index(begin)?, index(self.text_since(begin))?);
        self.push(Kind::String, start, len)?;
        Ok(TextSpan { start, len })
    }

    /// The bytes of a string written before, by its span (none for a span of another tape):
    /// for comparing keys without checking where their characters start.
    #[inline]
    pub fn bytes_of(&self, span: TextSpan) -> &[u8] {
        let start = span.start as usize;
        self.text_bytes()
            .get(start..start + span.len as usize)
            .unwrap_or_default()
    }

    /// A string written before, by its span (the empty string for a span of another tape,
    /// and for bytes written unchecked that are not UTF-8, which [`TapeBuilder::finish`]
    /// refuses).
    #[inline]
    pub fn text_of(&self, span: TextSpan) -> &str {
        let start = span.start as usize;
        match &self.unchecked {
            Some(_) => std::str::from_utf8(self.bytes_of(span)).unwrap_or_default(),
            None => self
                .tape
                .text
                .get(start..start + span.len as usize)
                .unwrap_or_default(),
        }
    }

    #[inline]
    fn begin(&mut self, kind: Kind) -> Result<(), TapeFull> {
        let around = index(self.open.map_or(0, |at| at + 1))?;
        self.push(kind, 0, around)?;
        self.open = Some(self.tape.tokens.len() - 1);
        Ok(())
    }

    #[inline]
    fn end(&mut self, kind: Kind) -> Result<(), TapeFull> {
        let at = self.open.ok_or(TapeFull)?;
        let after = index(self.tape.tokens.len())?;
        let token = self.tape.tokens.get_mut(at).ok_or(TapeFull)?;
        if token.kind != kind {
            return Err(TapeFull);
        }
        // An object's entries are its keys and values.
        if kind == Kind::Object {
            token.a /= 2;
        }
        self.open = (token.b as usize).checked_sub(1);
        token.b = after;
        Ok(())
    }

    /// The start of an array.
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    #[inline]
    pub fn begin_array(&mut self) -> Result<(), TapeFull> {
        self.begin(Kind::Array)
    }

    /// The end of the array begun last.
    ///
    /// # Errors
    ///
    /// [`TapeFull`], also when the container open is not an array.
    #[inline]
    pub fn end_array(&mut self) -> Result<(), TapeFull> {
        self.end(Kind::Array)
    }

    /// The start of an object: then, for each member, [`TapeBuilder::string`] for its key and
    /// its value.
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    #[inline]
    pub fn begin_object(&mut self) -> Result<(), TapeFull> {
        self.begin(Kind::Object)
    }

    /// The end of the object begun last.
    ///
    /// # Errors
    ///
    /// [`TapeFull`], also when the container open is not an object.
    #[inline]
    pub fn end_object(&mut self) -> Result<(), TapeFull> {
        self.end(Kind::Object)
    }

    /// The tape, once every container is closed.
    ///
    /// # Errors
    ///
    /// [`TapeFull`] when a container is still open, and for a builder made by
    /// [`TapeBuilder::for_binary`], when a string is not UTF-8.
    pub fn finish(self) -> Result<Tape, TapeFull> {
        if self.open.is_some() {
            return Err(TapeFull);
        }
        let mut tape = self.tape;
        if let Some(mut unchecked) = self.unchecked {
            if let Some(rest) = unchecked.bytes.get_mut(unchecked.cleared..self.input_len) {
                rest.fill(0);
            }
            // Checked with SIMD, then copied: both cost less than the standard library's
            // check, whose fast path is for ASCII only.
            tape.text = simdutf8::basic::from_utf8(&unchecked.bytes)
                .map_err(|_| TapeFull)?
                .to_owned();
        }
        Ok(tape)
    }

    /// Writes `value` (for tests and for content built in memory).
    ///
    /// # Errors
    ///
    /// [`TapeFull`].
    pub fn value(&mut self, value: &Value) -> Result<(), TapeFull> {
        match value {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Integer(i) => self.integer(*i),
            Value::Number(n) => self.number(n.as_str()),
            Value::String(s) => self.string(s).map(|_| ()),
            Value::Array(items) => {
                self.begin_array()?;
                items.iter().try_for_each(|item| self.value(item))?;
                self.end_array()
            }
            Value::Object(members) => {
                self.begin_object()?;
                for (k, v) in members {
                    let _ = self.string(k)?;
                    self.value(v)?;
                }
                self.end_object()
            }
        }
    }

    /// Copies the value at `at` of `from` (a tape another builder wrote) as the next value,
    /// and returns the place after it in `from`: how a decoder that meets the parts of a value
    /// out of order (Protobuf's repeated fields) writes them where they belong.
    ///
    /// # Errors
    ///
    /// [`TapeFull`], also when `at` is not a place on `from`.
    pub fn copy_value(&mut self, from: &Tape, at: At) -> Result<At, TapeFull> {
        let end = from.after(at);
        let tokens = from.tokens.get(at..end).ok_or(TapeFull)?;
        let base = self.tape.tokens.len();
        index(base + tokens.len())?;
        self.count_entry();
        self.tape.tokens.reserve(tokens.len());
        for token in tokens {
            let mut token = *token;
            match token.kind {
                Kind::String | Kind::Number => token.a = self.text(from.span(token))?.0,
                Kind::Array | Kind::Object => {
                    let after = (token.b as usize).checked_sub(at).ok_or(TapeFull)?;
                    token.b = index(base + after)?;
                }
                _ => {}
            }
            self.tape.tokens.push(token);
        }
        Ok(end)
    }
}

impl Tape {
    #[inline]
    fn token(&self, at: At) -> Token {
        self.tokens.get(at).copied().unwrap_or(Token {
            kind: Kind::Null,
            a: 0,
            b: 0,
        })
    }

    #[inline]
    fn span(&self, token: Token) -> &str {
        let start = token.a as usize;
        self.text
            .get(start..start + token.b as usize)
            .unwrap_or_default()
    }

    #[inline]
    fn span_bytes(&self, token: Token) -> &[u8] {
        let start = token.a as usize;
        self.text
            .as_bytes()
            .get(start..start + token.b as usize)
            .unwrap_or_default()
    }

    /// The index after the value at `at`.
    #[inline]
    pub(crate) fn after(&self, at: At) -> At {
        let token = self.token(at);
        match token.kind {
            Kind::Array | Kind::Object => token.b as usize,
            _ => at + 1,
        }
    }

    /// The value at `at`, borrowed.
    pub(crate) fn shape(&self, at: At) -> RefShape<'_> {
        let token = self.token(at);
        match token.kind {
            Kind::Null => RefShape::Null,
            Kind::False => RefShape::Bool(false),
            Kind::True => RefShape::Bool(true),
            Kind::Integer => {
                let bits = u64::from(token.a) | (u64::from(token.b) << 32);
                RefShape::Integer(i64::from_ne_bytes(bits.to_ne_bytes()))
            }
            Kind::Number => RefShape::Number(self.span(token)),
            Kind::String => RefShape::String(self.span(token)),
            Kind::Array => RefShape::Array(ArrayRef::taped(self, at + 1, token.a as usize)),
            Kind::Object => RefShape::Object(ObjectRef::taped(self, at)),
        }
    }

    /// The string at `at` (an object's key); empty if it is not a string.
    pub(crate) fn string_at(&self, at: At) -> &str {
        match self.token(at) {
            token @ Token {
                kind: Kind::String, ..
            } => self.span(token),
            _ => "",
        }
    }

    /// The number of members of the object at `at` (0 if it is not an object).
    #[inline]
    pub(crate) fn member_count(&self, at: At) -> usize {
        match self.token(at) {
            Token {
                kind: Kind::Object,
                a,
                ..
            } => a as usize,
            _ => 0,
        }
    }

    /// Whether the members of the object at `at` are in key order (as canonical JSON sends
    /// them).
    pub(crate) fn members_in_order(&self, at: At) -> bool {
        let mut keys = self.members(at).map(|(k, _)| k);
        let Some(mut last) = keys.next() else {
            return true;
        };
        keys.all(|k| {
            let in_order = last < k;
            last = k;
            in_order
        })
    }

    /// The root value's place.
    pub fn root(&self) -> At {
        0
    }

    /// Whether the value at `at` is an object.
    pub fn is_object(&self, at: At) -> bool {
        self.token(at).kind == Kind::Object
    }

    /// The members of the object at `at`, each as its key's [`fingerprint`] and the key's
    /// place (its value is the token after it), written into `index`; the member count, or
    /// `None` when the object has more members than `index` has room for (or is not an
    /// object). One walk of the members, so that a reader asking for each of its fields in
    /// turn compares words rather than walking the members again for each.
    #[inline]
    pub(crate) fn index_members(&self, at: At, index: &mut [(u64, At)]) -> Option<usize> {
        let count = self.member_count(at);
        let slots = index.get_mut(..count)?;
        let mut next = at + 1;
        for slot in slots {
            let key = self.token(next);
            *slot = (fingerprint_of_bytes(self.span_bytes(key)), next);
            next = self.after(next + 1);
        }
        Some(count)
    }

    /// The bytes of the key at `at` (see [`Tape::index_members`]).
    #[inline]
    pub(crate) fn key_bytes(&self, at: At) -> &[u8] {
        self.span_bytes(self.token(at))
    }

    /// The first member `key` of the object at `at` that `skip` does not refuse, as (key,
    /// value's place). Keys are told apart by length before text: a block's readers ask for
    /// each of their fields in turn, and most members they pass over differ in length.
    pub(crate) fn find_member(
        &self,
        at: At,
        key: &str,
        skip: impl Fn(&str) -> bool,
    ) -> Option<(&str, At)> {
        let count = self.member_count(at);
        let mut next = at + 1;
        for _ in 0..count {
            let (name, value) = (self.tokens.get(next)?, self.tokens.get(next + 1)?);
            let start = name.a as usize;
            if name.b as usize == key.len()
                && self.text.as_bytes().get(start..start + key.len()) == Some(key.as_bytes())
            {
                let found = self.span(*name);
                if !skip(found) {
                    return Some((found, next + 1));
                }
            }
            next = match value.kind {
                Kind::Array | Kind::Object => value.b as usize,
                _ => next + 2,
            };
        }
        None
    }

    /// The members of the object at `at` as (key, value's place); none if it is not an object.
    pub fn members(&self, at: At) -> impl Iterator<Item = (&str, At)> + '_ {
        let (mut next, count) = match self.token(at) {
            Token {
                kind: Kind::Object,
                a,
                ..
            } => (at + 1, a),
            _ => (at + 1, 0),
        };
        (0..count).map(move |_| {
            let key = self.span(self.token(next));
            let value = next + 1;
            next = self.after(value);
            (key, value)
        })
    }

    /// The value at `at`, materialised.
    pub fn value(&self, at: At) -> Value {
        match self.shape(at) {
            RefShape::Null => Value::Null,
            RefShape::Bool(b) => Value::Bool(b),
            RefShape::Integer(i) => Value::Integer(i),
            RefShape::Number(literal) => {
                Number::from_literal(literal).map_or(Value::Null, Value::Number)
            }
            RefShape::String(s) => Value::String(s.to_owned()),
            RefShape::Array(items) => {
                Value::Array(items.iter().map(|item| item.to_value()).collect())
            }
            RefShape::Object(_) => Value::Object(self.object(at)),
        }
    }

    /// The members of the object at `at`, materialised (empty if it is not an object).
    pub fn object(&self, at: At) -> Object {
        // Inserted one by one: collecting would sort the members in a buffer of its own first,
        // one more allocation per object.
        let mut object = Object::new();
        for (k, v) in self.members(at) {
            object.insert(k.to_owned(), self.value(v));
        }
        object
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::blocks::testing::json;
    use crate::{AnyBlock, KnownBlock};

    /// The tape of `value` (for the tests of what reads a tape).
    pub(crate) fn tape_of(value: &Value) -> Tape {
        let mut builder = TapeBuilder::new();
        builder.value(value).unwrap();
        builder.finish().unwrap()
    }

    #[test]
    fn unchecked_strings_are_checked_when_the_tape_is_finished() {
        let written = |strings: &[&[u8]]| {
            let mut builder = TapeBuilder::for_unchecked_text(16, 6);
            builder.begin_array()?;
            for s in strings {
                builder.unchecked_string(s)?;
                builder.string("k")?;
            }
            builder.end_array()?;
            builder.finish()
        };
        let tape = written(&["h\u{e9}".as_bytes(), b""]).unwrap();
        assert_eq!(
            tape.value(tape.root()),
            json(r#"["h\u00e9", "k", "", "k"]"#)
        );
        // Not UTF-8, at the end of the text or before other text: refused when finished.
        assert_eq!(written(&[b"x\xc3"]), Err(TapeFull));
        assert_eq!(written(&[b"x\xc3", b"y"]), Err(TapeFull));
        // A string beginning with a continuation byte is refused at once (it could complete
        // the character the text before it left open).
        let mut builder = TapeBuilder::for_unchecked_text(16, 6);
        assert_eq!(builder.unchecked_string(b"\xa9"), Err(TapeFull));
        // Only a builder made for unchecked text takes them.
        assert_eq!(TapeBuilder::new().unchecked_string(b"x"), Err(TapeFull));
    }

    #[test]
    fn values_come_back_as_written() {
        let v = json(
            r#"{"a": [1, -2, 9007199254740991, -9007199254740991, 1.5, "x\"y", null, true, false,
                [], {}], "b": {"c": {"d": [[["deep"]]]}}, "": ""}"#,
        );
        let tape = tape_of(&v);
        assert_eq!(tape.value(tape.root()), v);
        // One token a value, and every string in one buffer.
        assert_eq!(tape.tokens.len(), 25);
        let keys: Vec<&str> = tape.members(tape.root()).map(|(k, _)| k).collect();
        assert_eq!(keys, ["", "a", "b"]);
    }

    #[test]
    fn a_fingerprint_is_the_length_and_the_last_eight_bytes() {
        let expected = |key: &str| {
            let mut word = [0u8; 8];
            let tail = &key.as_bytes()[key.len().saturating_sub(8)..];
            word[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(word) ^ (key.len() as u64).rotate_right(8)
        };
        // Every length up to eight, which are gathered in different ways.
        for key in [
            "",
            "m",
            "ab",
            "abc",
            "body",
            "m.tex",
            "m.text",
            "m.textx",
            "m.text12",
            "org.matrix.msc1767.text",
        ] {
            assert_eq!(fingerprint(key), expected(key), "{key}");
        }
        // Told apart by length alone, and by any of the last eight bytes.
        assert_ne!(fingerprint("a"), fingerprint("a\0"));
        assert_ne!(
            fingerprint("org.matrix.msc1767.text"),
            fingerprint("org.matrix.msc1767.teXt")
        );
        assert_eq!(fingerprint("xx.m.text1"), fingerprint("yy.m.text1"));
    }

    #[test]
    fn a_binary_inputs_strings_are_checked_when_the_tape_is_finished() {
        // Each string is preceded by a head byte of 0x80 or more (not UTF-8 on its own),
        // and followed by another or by two trailing bytes.
        let write = |strings: &[&[u8]]| {
            let mut input = Vec::new();
            let mut places = Vec::new();
            for s in strings {
                input.push(0xA0);
                places.push((input.len(), input.len() + s.len()));
                input.extend_from_slice(s);
            }
            input.extend_from_slice(&[0xFB, 0xFF]);
            let mut b = TapeBuilder::for_binary(&input, 4);
            b.begin_array()?;
            for ((start, end), s) in places.into_iter().zip(strings) {
                let span = b.string_of_binary(start, end)?;
                assert_eq!(b.bytes_of(span), *s);
            }
            b.number("1.5")?;
            b.string("joined")?;
            b.end_array()?;
            b.finish()
        };
        let tape = write(&[b"caf\xc3\xa9", b"", b"x"]).unwrap();
        assert_eq!(
            tape.value(tape.root()),
            json(r#"["café", "", "x", 1.5, "joined"]"#)
        );
        assert_eq!(write(&[b"\xff"]), Err(TapeFull));
        assert_eq!(write(&[b"ok", b"caf\xc3"]), Err(TapeFull));
        // Each string on its own, not only all of them together.
        assert_eq!(write(&[b"a\xc3", b"\xa9b"]), Err(TapeFull));
        // Strings lie in the input, in order, and only a builder made so takes them.
        let mut b = TapeBuilder::for_binary(b"\x62ab\x61c", 4);
        assert_eq!(b.string_of_binary(4, 6), Err(TapeFull));
        assert!(b.string_of_binary(1, 3).is_ok());
        // No byte between it and the last: a string must have its head before it.
        assert_eq!(b.string_of_binary(3, 5), Err(TapeFull));
        assert!(b.string_of_binary(4, 5).is_ok());
        assert_eq!(b.string_of_binary(1, 3), Err(TapeFull));
        assert_eq!(TapeBuilder::new().string_of_binary(0, 0), Err(TapeFull));
    }

    #[test]
    fn a_builder_refuses_unbalanced_containers() {
        let mut b = TapeBuilder::new();
        b.begin_array().unwrap();
        assert_eq!(b.end_object(), Err(TapeFull));
        let mut b = TapeBuilder::new();
        b.begin_object().unwrap();
        assert_eq!(b.finish(), Err(TapeFull));
        assert_eq!(TapeBuilder::new().end_array(), Err(TapeFull));
    }

    #[test]
    fn a_copied_value_reads_as_the_original() {
        let v = json(r#"{"a": [1, "x", {"b": null, "c": 1.5}], "d": "e"}"#);
        let from = tape_of(&json(r#"["skipped", {"z": 1}]"#));
        let source = tape_of(&v);
        let mut b = TapeBuilder::new();
        b.begin_array().unwrap();
        let first = b.string("first").unwrap();
        assert_eq!(b.text_of(first), "first");
        assert_eq!(
            b.copy_value(&source, source.root()),
            Ok(source.tokens.len())
        );
        // A value inside another, its containers' ends rebased.
        assert_eq!(b.copy_value(&from, 2), Ok(from.tokens.len()));
        b.end_array().unwrap();
        let copied = b.finish().unwrap();
        let expected = Value::Array(vec![Value::from("first"), v, json(r#"{"z": 1}"#)]);
        assert_eq!(copied.value(copied.root()), expected);
        assert_eq!(TapeBuilder::new().copy_value(&from, 99), Err(TapeFull));
    }

    /// Typed reads through the tape give what they give through the value, errors included.
    #[cfg(feature = "serde")]
    #[test]
    fn serde_reads_from_the_tape_as_from_the_value() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Probe {
            label: String,
            value: i64,
            levels: Vec<Option<u8>>,
        }
        for text in [
            r#"{"label": "Home", "value": 22, "levels": [1, null, 3]}"#,
            r#"{"label": "Home", "value": "hot", "levels": []}"#,
            r#"{"label": "Home", "value": 1, "levels": [1, 300]}"#,
            r#"{"label": "Home", "levels": []}"#,
            r#"[1, 2]"#,
            r#"{"value": 1.5, "label": "x", "levels": []}"#,
        ] {
            let v = json(text);
            let tape = tape_of(&v);
            assert_eq!(
                tape.deserialize_at::<Probe>(tape.root()),
                crate::from_value::<Probe>(&v),
                "{text}"
            );
            assert_eq!(
                tape.deserialize_at::<Value>(tape.root()).ok(),
                crate::from_value::<Value>(&v).ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn every_built_in_block_reads_alike_from_the_tape() {
        // The built-in blocks' own readers, on the value the tape materialises.
        for (name, text) in [
            ("m.text", r#"[{"body": "hi"}, {"body": 1}]"#),
            ("m.file", r#"{"url": "mxc://a/b", "size": 12}"#),
            (
                "m.poll",
                r#"{"question": {"m.text": []}, "answers": [{"m.id": "a"}]}"#,
            ),
        ] {
            let v = json(text);
            let tape = tape_of(&v);
            let (block, _) = KnownBlock::from_name(name).unwrap();
            assert_eq!(
                AnyBlock::read(block, name, &tape.value(tape.root())),
                AnyBlock::read(block, name, &v),
                "{name}"
            );
        }
    }
}
