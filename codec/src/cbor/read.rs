//! The CBOR decoder: one pass over a byte slice that reads each item head itself and writes a
//! [`Tape`] (values are built from it only when read), enforcing the data model, the [`Options`] limits and, when asked, the
//! deterministic-encoding rules as it goes.
//!
//! The heads are read here rather than through `ciborium_ll::Decoder`, whose `Read`-based API
//! copies every byte through a reader and forgets how wide each argument was (which the
//! deterministic checks need); see the module docs of `cbor`. Heads, widths, the rules'
//! names and the well-formedness walk ([`skip_item`], which reports an ill-formed input as
//! such even when a data-model problem comes first) are the shared primitives of
//! [`super::head`].

use exev::tape::{Tape, TapeBuilder, TapeFull, TextSpan};
use exev::{MAX_SAFE_INTEGER, Number, Segment, Value};
use smallvec::SmallVec;

use super::head::{
    Head, INDEFINITE, ItemError, RULE_DEFINITE, RULE_FLOAT, RULE_KEY_ORDER, RULE_SHORTEST,
    argument_width, float_value, preferred_float_width, read_head, type_name,
};
use crate::failure::span;
pub(crate) use crate::failure::{Failure, TopLevel};
use crate::keys::{ObjectKeys, OpenKeys};
use crate::{ErrorKind, NumberPolicy, Options};

type Parsed<T> = Result<T, Failure>;

/// A container being filled, on the decoder's explicit stack (the decoder does not recurse,
/// so no input can exhaust the thread's stack whatever the depth limit).
enum Frame<'a> {
    Array {
        /// Elements read.
        count: usize,
        /// Elements still due, or [`INDEFINITE_LENGTH`].
        left: usize,
    },
    Map {
        /// Members read.
        count: usize,
        /// Members still due, or [`INDEFINITE_LENGTH`].
        left: usize,
        /// The key whose value comes next, and where it starts.
        key: Option<(TextSpan, usize)>,
        /// The encoded form of the previous key, for the deterministic order check.
        previous: &'a [u8],
        /// Its keys so far, for the duplicate check.
        keys: ObjectKeys,
    },
}

/// [`Frame`]'s entries due for a container of indefinite length. No definite length is as
/// large: it is refused unless the input holds a byte for each entry.
const INDEFINITE_LENGTH: usize = usize::MAX;

/// The containers around the one being filled, on the thread's stack up to
/// [`exev::tape::OPEN_CONTAINERS`] deep: as a `Vec` of that capacity (3.3 KB) it was the
/// largest allocation of a decode, past the sizes glibc serves from its per-thread cache.
type Stack<'a> = SmallVec<[Frame<'a>; exev::tape::OPEN_CONTAINERS]>;

/// What one turn of the decoding loop did in the container being filled.
enum Step<'a> {
    /// Read an entry whose value is a scalar, counted.
    Read,
    /// Began a container as the next entry's value: the one to fill now.
    Opened(Frame<'a>),
    /// Found the container complete (not yet closed on the tape).
    Finished,
}

/// The path to where the decoder is, from its stack of open containers.
fn stack_path(stack: &[Frame<'_>], tape: &TapeBuilder) -> Vec<Segment> {
    stack
        .iter()
        .filter_map(|frame| match frame {
            Frame::Array { count, .. } => Some(Segment::Index(*count)),
            Frame::Map { key, .. } => key
                .as_ref()
                .map(|(k, _)| Segment::Key(tape.text_of(*k).to_owned())),
        })
        .collect()
}

/// The decoder's state over one input.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    options: &'a Options,
    max_depth: usize,
    deterministic: bool,
    lenient: bool,
    tape: TapeBuilder,
    /// Whether text strings are checked as UTF-8 all at once when the tape is finished
    /// rather than one by one ([`TapeBuilder::for_binary`]).
    defer_utf8: bool,
    /// The keys of the maps open, for the duplicate check.
    keys: OpenKeys,
    /// An indefinite-length text string's chunks, joined (kept to reuse its allocation).
    joined: String,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], options: &'a Options, defer_utf8: bool) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            options,
            max_depth: options.effective_max_depth(),
            deterministic: options.deterministic,
            lenient: options.numbers == NumberPolicy::Lenient,
            // In ordinary events a CBOR value with its key takes about 5 bytes.
            tape: if defer_utf8 {
                TapeBuilder::for_binary(bytes, 5)
            } else {
                TapeBuilder::for_input(bytes.len(), 5)
            },
            defer_utf8,
            keys: OpenKeys::default(),
            joined: String::new(),
        }
    }

    /// A tape past `u32::MAX` tokens or bytes of text: refused as too large an input.
    fn full(&self, _: TapeFull) -> Failure {
        Failure::tape_full(self.pos, self.bytes.len())
    }

    /// Reads exactly one item filling the whole input.
    pub(crate) fn document(&mut self, top: &mut TopLevel) -> Parsed<Tape> {
        if self.bytes.len() > self.options.max_bytes {
            return Err(Failure::new(
                self.options.max_bytes,
                ErrorKind::TooLarge {
                    size: self.bytes.len(),
                    limit: self.options.max_bytes,
                },
            ));
        }
        let value = self.item(top)?;
        if self.pos < self.bytes.len() {
            return Err(Failure::new(self.pos, ErrorKind::TrailingData));
        }
        Ok(value)
    }

    /// Reads one item from the current position (the start of an item of a sequence);
    /// records where the top-level `type` and `content` are.
    pub(crate) fn item(&mut self, top: &mut TopLevel) -> Parsed<Tape> {
        top.start = self.pos;
        top.missing_at = self.pos;
        let mut stack: Stack<'a> = SmallVec::new();
        self.run(&mut stack, top)
            .map_err(|f| f.within(stack_path(&stack, &self.tape)))?;
        let tape = std::mem::take(&mut self.tape);
        tape.finish().map_err(|e| self.full(e))
    }

    /// Where the reader is.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// The decoding loop. The container being filled is a local (`open`), its parents on
    /// `stack`: the loop reads and counts every value in `open`, and touches `stack` only when
    /// a container opens or closes (through the stack, every value paid for finding its top).
    /// On failure `open` is pushed back, so that the path is taken from `stack` alone.
    fn run(&mut self, stack: &mut Stack<'a>, top: &mut TopLevel) -> Parsed<()> {
        // The item's own head: a scalar is all of it.
        let Some(mut open) = self.value(0)? else {
            return Ok(());
        };
        loop {
            match self.advance(&mut open, stack.len() + 1, top) {
                Ok(Step::Read) => {}
                Ok(Step::Opened(child)) => stack.push(std::mem::replace(&mut open, child)),
                Ok(Step::Finished) => {
                    // Closed while still `open`, and not pushed back on failure: a failure
                    // to close it has its parents' path, as when it was popped first.
                    match &open {
                        Frame::Array { .. } => self.tape.end_array(),
                        Frame::Map { keys, .. } => {
                            self.keys.close(keys);
                            self.tape.end_object()
                        }
                    }
                    .map_err(|e| self.full(e))?;
                    let Some(parent) = stack.pop() else {
                        return Ok(());
                    };
                    open = parent;
                    if let Err(failure) = self.deliver(&mut open) {
                        stack.push(open);
                        return Err(failure);
                    }
                }
                Err(failure) => {
                    stack.push(open);
                    return Err(failure);
                }
            }
        }
    }

    /// One turn of the loop in `open`, `depth` containers deep: finds it finished, or reads
    /// its next entry (a map's key and value), a scalar counted at once, a container opened.
    #[inline(always)]
    fn advance(
        &mut self,
        open: &mut Frame<'a>,
        depth: usize,
        top: &mut TopLevel,
    ) -> Parsed<Step<'a>> {
        match open {
            Frame::Array { count, left } => {
                if self.complete(*count, *left)? {
                    return Ok(Step::Finished);
                }
            }
            Frame::Map {
                count,
                left,
                key,
                previous,
                ..
            } => {
                if self.complete(*count, *left)? {
                    return Ok(Step::Finished);
                }
                let key_at = self.pos;
                let name = self.key()?;
                if self.deterministic {
                    let raw = span(self.bytes, key_at..self.pos)?;
                    if raw < *previous {
                        return Err(Failure::new(
                            key_at,
                            ErrorKind::NotDeterministic(RULE_KEY_ORDER),
                        )
                        .key(self.tape.text_of(name)));
                    }
                    *previous = raw;
                }
                if depth == 1 {
                    match self.tape.bytes_of(name) {
                        b"type" => top.type_at = Some(self.pos),
                        b"content" => top.content_at = Some(self.pos),
                        _ => {}
                    }
                }
                // The value is read below, in this same turn.
                *key = Some((name, key_at));
            }
        }
        match self.value(depth)? {
            Some(child) => Ok(Step::Opened(child)),
            None => {
                self.deliver(open)?;
                Ok(Step::Read)
            }
        }
    }

    /// Whether a container with `count` entries read and `left` due is complete: a definite
    /// one when none is due, an indefinite one when its break is next (consumed). An
    /// indefinite one at the element limit without its break is refused.
    #[inline(always)]
    fn complete(&mut self, count: usize, left: usize) -> Parsed<bool> {
        if left != INDEFINITE_LENGTH {
            return Ok(left == 0);
        }
        if self.take_break() {
            return Ok(true);
        }
        if count == self.options.max_elements {
            return Err(self.too_many(self.pos));
        }
        Ok(false)
    }

    /// Reads one value `depth` containers deep: a scalar is written on the tape (`None`), a
    /// container begun and its frame returned.
    #[inline(always)]
    fn value(&mut self, depth: usize) -> Parsed<Option<Frame<'a>>> {
        let at = self.pos;
        let head = self.head()?;
        match head.major {
            4 | 5 => {
                if depth + 1 > self.max_depth {
                    return Err(Failure::new(
                        at,
                        ErrorKind::TooDeep {
                            limit: self.max_depth,
                        },
                    ));
                }
                let left = self.count(head, at)?;
                return Ok(Some(if head.major == 4 {
                    self.tape.begin_array().map_err(|e| self.full(e))?;
                    Frame::Array { count: 0, left }
                } else {
                    self.tape.begin_object().map_err(|e| self.full(e))?;
                    Frame::Map {
                        count: 0,
                        left,
                        key: None,
                        previous: &[],
                        keys: self.keys.open(),
                    }
                }));
            }
            0 | 1 | 7 => self.scalar(head, at)?,
            2 => {
                return Err(Failure::new(
                    at,
                    ErrorKind::Unsupported("a byte string".into()),
                ));
            }
            3 => {
                self.text(head, at)?;
            }
            // Major type 6 (the head's three top bits leave no other).
            _ => {
                return Err(Failure::new(
                    at,
                    ErrorKind::Unsupported(format!("tag {}", head.arg)),
                ));
            }
        }
        Ok(None)
    }

    /// Counts the value just written on the tape in `open`, its key checked against the
    /// map's others.
    #[inline(always)]
    fn deliver(&mut self, open: &mut Frame<'_>) -> Parsed<()> {
        match open {
            Frame::Array { count, left } => {
                counted(count, left);
                Ok(())
            }
            Frame::Map {
                count,
                left,
                key,
                keys,
                ..
            } => {
                // A map's value always follows its key, which the loop has just set: a value
                // without one is the decoder's bug, reported rather than filed under "".
                let Some((name, key_at)) = key.take() else {
                    return Err(Failure::internal(0, "a map value without its key"));
                };
                if !self.keys.insert(keys, &self.tape, name) {
                    return Err(duplicate(self.tape.text_of(name), key_at));
                }
                counted(count, left);
                Ok(())
            }
        }
    }

    /// Consumes a break code if one is next.
    fn take_break(&mut self) -> bool {
        if self.bytes.get(self.pos) == Some(&0xFF) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The entries a container head at `at` announces ([`INDEFINITE_LENGTH`] if indefinite),
    /// refused when the input cannot hold them (each takes at least a byte), so that no
    /// length prefix is believed before the bytes are there, or when they pass the element
    /// limit.
    fn count(&self, head: Head, at: usize) -> Parsed<usize> {
        if head.indefinite() {
            self.refuse_indefinite(at)?;
            return Ok(INDEFINITE_LENGTH);
        }
        // A map's entries are two items each: `n` of them need `2n` bytes at least.
        let room = self.remaining() >> usize::from(head.major == 5);
        let n = match usize::try_from(head.arg) {
            Ok(n) if n <= room => n,
            _ => return Err(Failure::end(self.bytes.len(), "the rest of a container")),
        };
        if n > self.options.max_elements {
            return Err(self.too_many(at));
        }
        Ok(n)
    }

    /// A map key: a text string.
    fn key(&mut self) -> Parsed<TextSpan> {
        let at = self.pos;
        let head = self.head()?;
        if head.major == 3 {
            return self.text(head, at);
        }
        Err(if head.is_break() {
            Failure::syntax(at, "a break (0xff) inside a definite-length map")
        } else {
            Failure::new(
                at,
                ErrorKind::Unsupported(format!(
                    "a map key that is {} (keys must be text strings)",
                    type_name(head)
                )),
            )
        })
    }

    /// Reads a head at the current position, applying the shortest-form rule when asked.
    #[inline(always)]
    fn head(&mut self) -> Parsed<Head> {
        let Some(&initial) = self.bytes.get(self.pos) else {
            return Err(Failure::end(self.pos, "a data item"));
        };
        let info = initial & 0x1F;
        // Most heads carry their argument in the initial byte. Only the argument comes back
        // from the slow path, in registers: a whole head returned through memory was
        // reloaded wider than it was stored, which stalled every read.
        let arg = if info < 24 {
            self.pos += 1;
            u64::from(info)
        } else {
            self.long_argument()?
        };
        Ok(Head {
            major: initial >> 5,
            info,
            arg,
            width: argument_width(info),
        })
    }

    /// [`Reader::head`]'s argument when it follows the initial byte (or is indefinite).
    #[inline(never)]
    fn long_argument(&mut self) -> Parsed<u64> {
        let at = self.pos;
        // Most long heads are a string's or an integer's with one byte of argument; a simple
        // value's (major type 7) has rules of its own, in `read_head`.
        if let Some(&[initial, arg]) = self.bytes.get(at..at + 2)
            && initial & 0x1F == 24
            && initial >> 5 != 7
        {
            let head = Head {
                major: initial >> 5,
                info: 24,
                arg: u64::from(arg),
                width: 1,
            };
            if self.deterministic && !head.shortest() {
                return Err(Failure::new(at, ErrorKind::NotDeterministic(RULE_SHORTEST)));
            }
            self.pos = at + 2;
            return Ok(head.arg);
        }
        let (head, next) = read_head(self.bytes, at)?;
        if self.deterministic && head.major != 7 && !head.shortest() {
            return Err(Failure::new(at, ErrorKind::NotDeterministic(RULE_SHORTEST)));
        }
        self.pos = next;
        Ok(head.arg)
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// The integer or simple value whose head, at `at`, has just been read, written on the
    /// tape: integers within the safe range, `false`, `true` and `null` at once, the rest
    /// through the `Value` the data model makes of them (or its error).
    #[inline(always)]
    fn scalar(&mut self, head: Head, at: usize) -> Parsed<()> {
        let safe = head.arg < MAX_SAFE_INTEGER.unsigned_abs();
        let written = match (head.major, head.info) {
            (0, _) if safe => self.tape.integer(head.arg.cast_signed()),
            (1, _) if safe => self.tape.integer(-1 - head.arg.cast_signed()),
            (7, 20) => self.tape.bool(false),
            (7, 21) => self.tape.bool(true),
            (7, 22) => self.tape.null(),
            (major, _) => {
                let value = match major {
                    0 => self.unsigned(head.arg, at)?,
                    1 => self.negative(head.arg, at)?,
                    _ => self.simple(head, at)?,
                };
                // No allocation on the tape whatever it is.
                self.tape.value(&value)
            }
        };
        written.map_err(|e| self.full(e))
    }

    fn unsigned(&self, arg: u64, at: usize) -> Parsed<Value> {
        match i64::try_from(arg) {
            Ok(i) if i <= MAX_SAFE_INTEGER => Ok(Value::Integer(i)),
            _ => self.out_of_range(arg.to_string(), at),
        }
    }

    fn negative(&self, arg: u64, at: usize) -> Parsed<Value> {
        // The value is -1 - arg.
        match i64::try_from(arg) {
            Ok(i) if i < MAX_SAFE_INTEGER => Ok(Value::Integer(-1 - i)),
            _ => self.out_of_range(format!("-{}", u128::from(arg) + 1), at),
        }
    }

    fn out_of_range(&self, literal: String, at: usize) -> Parsed<Value> {
        if self.lenient
            && let Some(n) = Number::from_literal(&literal)
        {
            return Ok(Value::Number(n));
        }
        Err(Failure::new(at, ErrorKind::IntegerOutOfRange(literal)))
    }

    fn simple(&self, head: Head, at: usize) -> Parsed<Value> {
        let unsupported = |what: String| Err(Failure::new(at, ErrorKind::Unsupported(what)));
        match head.info {
            20 => Ok(Value::Bool(false)),
            21 => Ok(Value::Bool(true)),
            22 => Ok(Value::Null),
            23 => unsupported("`undefined`".into()),
            24 => unsupported(format!("the simple value {}", head.arg)),
            25..=27 => self.float(head, at),
            INDEFINITE => Err(Failure::syntax(
                at,
                "a break (0xff) outside an indefinite-length item",
            )),
            n => unsupported(format!("the simple value {n}")),
        }
    }

    fn float(&self, head: Head, at: usize) -> Parsed<Value> {
        let value = float_value(head.arg, head.width)
            .ok_or_else(|| Failure::internal(at, "a float argument wider than its head"))?;
        if !value.is_finite() {
            let what = if value.is_nan() {
                "NaN"
            } else if value > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            };
            return Err(Failure::new(
                at,
                ErrorKind::Unsupported(format!("the float {what}")),
            ));
        }
        let literal = float_literal(value);
        if !self.lenient {
            return Err(Failure::new(
                at,
                ErrorKind::Unsupported(format!("the float {literal}")),
            ));
        }
        if self.deterministic && preferred_float_width(value) != head.width {
            return Err(Failure::new(at, ErrorKind::NotDeterministic(RULE_FLOAT)));
        }
        Number::from_literal(&literal)
            .map(Value::Number)
            .ok_or_else(|| Failure::new(at, ErrorKind::Unsupported(format!("the float {literal}"))))
    }

    fn refuse_indefinite(&self, at: usize) -> Parsed<()> {
        if self.deterministic {
            Err(Failure::new(at, ErrorKind::NotDeterministic(RULE_DEFINITE)))
        } else {
            Ok(())
        }
    }

    fn too_many(&self, at: usize) -> Failure {
        Failure::new(
            at,
            ErrorKind::TooManyElements {
                limit: self.options.max_elements,
            },
        )
    }

    fn string_too_long(&self, at: usize) -> Failure {
        Failure::new(
            at,
            ErrorKind::StringTooLong {
                limit: self.options.max_string_bytes,
            },
        )
    }

    /// The text string whose head, at `at`, has just been read, written on the tape.
    #[inline(always)]
    fn text(&mut self, head: Head, at: usize) -> Parsed<TextSpan> {
        // The common case, inline: a whole string, written by its place in the input.
        if self.defer_utf8 && !head.indefinite() {
            let start = self.pos;
            self.text_bytes(head.arg, at)?;
            return self
                .tape
                .string_of_binary(start, self.pos)
                .map_err(|e| self.full(e));
        }
        self.checked_or_chunked_text(head, at)
    }

    /// [`Reader::text`] checked as it is read, or in chunks.
    #[inline(never)]
    fn checked_or_chunked_text(&mut self, head: Head, at: usize) -> Parsed<TextSpan> {
        let mut joined = std::mem::take(&mut self.joined);
        let text = if head.indefinite() {
            self.chunked_text(at, &mut joined)?;
            joined.as_str()
        } else {
            self.text_chunk(head.arg, at)?
        };
        let written = self.tape.string(text).map_err(|e| self.full(e))?;
        self.joined = joined;
        Ok(written)
    }

    /// An indefinite-length text string, its head at `at` just read, joined in `out`.
    #[inline(never)]
    fn chunked_text(&mut self, at: usize, out: &mut String) -> Parsed<()> {
        self.refuse_indefinite(at)?;
        out.clear();
        loop {
            let chunk_at = self.pos;
            let chunk = self.head()?;
            if chunk.is_break() {
                return Ok(());
            }
            if chunk.major != 3 || chunk.indefinite() {
                return Err(Failure::syntax(
                    chunk_at,
                    "a chunk of an indefinite-length text string must be a definite-length \
                     text string",
                ));
            }
            let piece = self.text_chunk(chunk.arg, chunk_at)?;
            if out.len() + piece.len() > self.options.max_string_bytes {
                return Err(self.string_too_long(at));
            }
            out.push_str(piece);
        }
    }

    /// The `len` bytes of text after a definite head at `at`, validated.
    #[inline]
    fn text_chunk(&mut self, len: u64, at: usize) -> Parsed<&'a str> {
        let start = self.pos;
        let raw = self.text_bytes(len, at)?;
        std::str::from_utf8(raw)
            .map_err(|e| Failure::new(start + e.valid_up_to(), ErrorKind::InvalidUtf8))
    }

    /// The `len` bytes of text after a definite head at `at`, not yet validated.
    #[inline]
    fn text_bytes(&mut self, len: u64, at: usize) -> Parsed<&'a [u8]> {
        let start = self.pos;
        let len = match usize::try_from(len) {
            Ok(len) if len <= self.remaining() => len,
            _ => return Err(Failure::end(self.bytes.len(), "the rest of a text string")),
        };
        if len > self.options.max_string_bytes {
            return Err(self.string_too_long(at));
        }
        let raw = span(self.bytes, start..start + len)?;
        self.pos = start + len;
        Ok(raw)
    }
}

/// One more entry of a container read: `count` up, and `left` down unless the length is
/// indefinite.
#[inline(always)]
fn counted(count: &mut usize, left: &mut usize) {
    *count += 1;
    if *left != INDEFINITE_LENGTH {
        *left -= 1;
    }
}

#[cold]
fn duplicate(key: &str, at: usize) -> Failure {
    Failure::new(at, ErrorKind::DuplicateKey(key.to_owned())).at(Segment::Key(key.to_owned()))
}

/// A finite float as the shortest JSON number literal that reads back as the same `f64`
/// (Rust's shortest round-trip form, always with a `.` or an exponent).
pub(crate) fn float_literal(value: f64) -> String {
    format!("{value:?}")
}

/// [`super::head::skip_item`], its error as a [`Failure`].
pub(crate) fn skip_item(bytes: &[u8], at: usize, max_depth: usize) -> Parsed<usize> {
    super::head::skip_item(bytes, at, max_depth).map_err(Failure::from)
}

impl From<ItemError> for Failure {
    fn from(e: ItemError) -> Failure {
        match e {
            ItemError::End { offset, expected } => Failure::end(offset, expected),
            ItemError::Syntax { offset, what } => Failure::syntax(offset, what),
            ItemError::TooDeep { offset, limit } => {
                Failure::new(offset, ErrorKind::TooDeep { limit })
            }
        }
    }
}

/// Decodes one item at the start of `bytes` (all of it when `whole`), returning the value,
/// the top-level offsets and where the item ends. A failure that is not about
/// well-formedness is replaced by the well-formedness failure when the input is not
/// well-formed, so that ill-formed input is always reported as such.
pub(crate) fn decode(
    bytes: &[u8],
    options: &Options,
    whole: bool,
    top: TopLevel,
) -> Result<(Tape, TopLevel, usize), Failure> {
    let read = |defer_utf8| {
        let mut top = top;
        let mut reader = Reader::new(bytes, options, defer_utf8);
        let result = if whole {
            reader.document(&mut top)
        } else {
            reader.item(&mut top)
        };
        result.map(|value| (value, top, reader.position()))
    };
    // Strings are checked as UTF-8 all at once; on any failure the input is read again with
    // each string checked as it comes, so that the failure reported is the first one, where
    // it is, exactly as if every string had been checked in turn.
    match read(true).or_else(|_| read(false)) {
        Ok(decoded) => Ok(decoded),
        // Input that ends too soon unless it cannot be completed at all (`a1 ff`: a break
        // where a key must be): then it is ill-formed, which more input would not mend.
        Err(f) if f.is_end() => match skip_item(bytes, 0, options.effective_max_depth()) {
            Err(g) if g.is_malformed() && !g.is_end() => Err(g),
            _ => Err(f),
        },
        Err(f) if f.is_malformed() || f.kind().category() == crate::Category::Limit => Err(f),
        Err(f) => match skip_item(bytes, 0, options.effective_max_depth()) {
            Err(g) if g.is_malformed() => Err(g),
            _ => Err(f),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Position, cbor::value_from_slice};

    /// Text is checked as UTF-8 all at once, yet each string must be UTF-8 on its own, and
    /// the error is the one checking string by string gives, where it is.
    #[test]
    fn every_string_is_checked_as_utf8_on_its_own() {
        let options = Options::default();
        let invalid_at = |bytes: &[u8]| {
            let e = value_from_slice(bytes, &options).expect_err("must be rejected");
            assert_eq!(e.kind(), &ErrorKind::InvalidUtf8, "{e}");
            e.position()
        };
        // ["a\xc3", "\xa9b"]: neither is UTF-8, though their bytes together are ("aéb").
        let split = [0x82, 0x62, b'a', 0xc3, 0x62, 0xa9, b'b'];
        assert_eq!(invalid_at(&split), Some(Position::Binary { offset: 3 }));
        // ["\xa9b"]: a string that begins inside a character.
        assert_eq!(
            invalid_at(&[0x81, 0x62, 0xa9, b'b']),
            Some(Position::Binary { offset: 2 })
        );
        // {"k": "\xff", "k": 1}: the bad string comes before the duplicate key, and is what
        // is reported.
        let first = [0xa2, 0x61, b'k', 0x61, 0xff, 0x61, b'k', 0x01];
        assert_eq!(invalid_at(&first), Some(Position::Binary { offset: 4 }));
        // Two keys that are not UTF-8 past the keys an object compares one by one (where
        // keys go into a set as text): the first is reported, not a duplicate.
        let mut many = vec![0xb8, 35];
        for i in 0..33u8 {
            many.extend([0x63, b'k', b'0' + i / 10, b'0' + i % 10, 0x00]);
        }
        many.extend([0x61, 0xff, 0x00, 0x61, 0xfe, 0x00]);
        assert_eq!(invalid_at(&many), Some(Position::Binary { offset: 168 }));
        // ["é", "x"]: read as they are.
        assert_eq!(
            value_from_slice(&[0x82, 0x62, 0xc3, 0xa9, 0x61, b'x'], &options),
            Ok(Value::Array(vec![Value::from("é"), Value::from("x")]))
        );
    }

    #[test]
    fn float_forms() {
        assert_eq!(preferred_float_width(1.5), 2);
        assert_eq!(preferred_float_width(100_000.0), 4);
        assert_eq!(preferred_float_width(1.1), 8);
        assert_eq!(preferred_float_width(-0.0), 2);
        assert_eq!(float_literal(1.0), "1.0");
        assert_eq!(float_literal(1e300), "1e300");
        assert_eq!(float_literal(-0.0), "-0.0");
        assert_eq!(
            float_literal(5.960_464_477_539_063e-8),
            "5.960464477539063e-8"
        );
    }
}
