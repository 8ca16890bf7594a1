//! The JSON decoder: a single pass over the bytes that writes a [`Tape`], enforcing the
//! canonical-JSON data model and the [`Options`] limits as it goes; values are built from the
//! tape only when they are read.
//!
//! It is written by hand rather than on `serde_json` so that every rule of the data model
//! (duplicate keys, lone surrogates, exact integer checks on `1e10` and `-0`) is decided at the
//! byte where it happens, with the path to it, and so that lenient numbers keep their exact
//! literal.

use exev::tape::{Tape, TapeBuilder, TapeFull, TextSpan};
use exev::{MAX_SAFE_INTEGER, Number, Segment};

use super::scan::ordinary_prefix;
use crate::failure::{Failure, TopLevel, span};
use crate::keys::OpenKeys;
use crate::{ErrorKind, NumberPolicy, Options};

type Parsed<T> = Result<T, Failure>;

/// In ordinary events a JSON value with its key, comma and spaces takes about this many bytes:
/// what the tape's tokens are sized by.
const BYTES_PER_TOKEN: usize = 6;

/// The decoder's state over one input.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    /// The whole input, when it is valid UTF-8 (as nearly every input is): strings are then
    /// sliced from it, not checked one by one, which costs more per string than one check of
    /// the whole costs per byte. When it is not, each string is checked as it is read, so the
    /// error is still the first in reading order.
    text: Option<&'a str>,
    pos: usize,
    options: &'a Options,
    max_depth: usize,
    tape: TapeBuilder,
    /// The keys of the objects open, for the duplicate check.
    keys: OpenKeys,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], options: &'a Options) -> Reader<'a> {
        Reader {
            bytes,
            text: None,
            pos: 0,
            options,
            max_depth: options.effective_max_depth(),
            // Sized for the input once it is known to be within the limits.
            tape: TapeBuilder::new(),
            keys: OpenKeys::default(),
        }
    }

    /// A tape past `u32::MAX` tokens or bytes of text: refused as too large an input.
    fn full(&self, _: TapeFull) -> Failure {
        Failure::tape_full(self.pos, self.bytes.len())
    }

    /// Reads one whole document: optional whitespace, one value, optional whitespace, and
    /// nothing else. Records where the top-level `type` and `content` are.
    pub(crate) fn document(mut self, top: &mut TopLevel) -> Parsed<Tape> {
        if self.bytes.len() > self.options.max_bytes {
            return Err(Failure::new(
                self.options.max_bytes,
                ErrorKind::TooLarge {
                    size: self.bytes.len(),
                    limit: self.options.max_bytes,
                },
            ));
        }
        if self.bytes.starts_with(b"\xEF\xBB\xBF") {
            return Err(Failure::new(0, ErrorKind::ByteOrderMark));
        }
        self.text = simdutf8::basic::from_utf8(self.bytes).ok();
        self.tape = match self.text {
            Some(text) => TapeBuilder::for_text(text, BYTES_PER_TOKEN),
            None => TapeBuilder::for_input(self.bytes.len(), BYTES_PER_TOKEN),
        };
        self.skip_whitespace();
        top.start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(0, Some(top))?,
            _ => self.value(0)?,
        }
        top.missing_at = self.pos.saturating_sub(1);
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(Failure::new(self.pos, ErrorKind::TrailingData));
        }
        let tape = std::mem::take(&mut self.tape);
        tape.finish().map_err(|e| self.full(e))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn unexpected(&self, expected: &'static str) -> Failure {
        match self.peek() {
            None => Failure::new(self.pos, ErrorKind::UnexpectedEnd { expected }),
            Some(b) => Failure::new(
                self.pos,
                ErrorKind::Syntax(format!("expected {expected}, found {}", describe(b))),
            ),
        }
    }

    /// One value at nesting `depth` (the number of containers around it).
    fn value(&mut self, depth: usize) -> Parsed<()> {
        match self.peek() {
            Some(b'"') => self.string().map(|_| ()),
            Some(b'{') => self.object(depth, None),
            Some(b'[') => self.array(depth),
            Some(b't') => self.literal(b"true", TapeBuilder::bool, true),
            Some(b'f') => self.literal(b"false", TapeBuilder::bool, false),
            Some(b'n') => self.literal(b"null", |t, ()| t.null(), ()),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected("a value")),
        }
    }

    /// The literal `word`, written to the tape by `write` with `arg`.
    fn literal<A>(
        &mut self,
        word: &'static [u8],
        write: impl FnOnce(&mut TapeBuilder, A) -> Result<(), TapeFull>,
        arg: A,
    ) -> Parsed<()> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            write(&mut self.tape, arg).map_err(|e| self.full(e))?;
            self.pos = end;
            return Ok(());
        }
        // `tru` at the end of the input is truncated input, not a syntax error.
        let rest = span(self.bytes, self.pos..self.bytes.len())?;
        if word.starts_with(rest) {
            let expected = match word {
                b"true" => "the rest of `true`",
                b"false" => "the rest of `false`",
                _ => "the rest of `null`",
            };
            return Err(Failure::new(
                self.bytes.len(),
                ErrorKind::UnexpectedEnd { expected },
            ));
        }
        Err(self.unexpected("a value"))
    }

    fn enter(&self, depth: usize) -> Parsed<usize> {
        let inner = depth + 1;
        if inner > self.max_depth {
            Err(Failure::new(
                self.pos,
                ErrorKind::TooDeep {
                    limit: self.max_depth,
                },
            ))
        } else {
            Ok(inner)
        }
    }

    fn array(&mut self, depth: usize) -> Parsed<()> {
        let depth = self.enter(depth)?;
        self.pos += 1; // '['
        self.tape.begin_array().map_err(|e| self.full(e))?;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return self.tape.end_array().map_err(|e| self.full(e));
        }
        let mut index = 0;
        loop {
            self.check_elements(index)?;
            self.value(depth).map_err(|f| f.at(Segment::Index(index)))?;
            index += 1;
            if self.after_element(b']', "`,` or `]` after an array element")? {
                return self.tape.end_array().map_err(|e| self.full(e));
            }
        }
    }

    fn object(&mut self, depth: usize, mut top: Option<&mut TopLevel>) -> Parsed<()> {
        let depth = self.enter(depth)?;
        self.pos += 1; // '{'
        self.tape.begin_object().map_err(|e| self.full(e))?;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return self.tape.end_object().map_err(|e| self.full(e));
        }
        let mut keys = self.keys.open();
        let mut count = 0usize;
        loop {
            self.check_elements(count)?;
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key"));
            }
            let key_at = self.pos;
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self
                    .unexpected("`:` after an object key")
                    .key(self.text(key)));
            }
            self.pos += 1;
            self.skip_whitespace();
            if let Some(top) = top.as_deref_mut() {
                match self.text(key) {
                    "type" => top.type_at = Some(self.pos),
                    "content" => top.content_at = Some(self.pos),
                    _ => {}
                }
            }
            if let Err(f) = self.value(depth) {
                return Err(f.key(self.text(key)));
            }
            if !self.keys.insert(&mut keys, &self.tape, key) {
                let key = self.text(key).to_owned();
                return Err(Failure::new(key_at, ErrorKind::DuplicateKey(key.clone()))
                    .at(Segment::Key(key)));
            }
            count += 1;
            if self.after_element(b'}', "`,` or `}` after an object member")? {
                self.keys.close(&keys);
                return self.tape.end_object().map_err(|e| self.full(e));
            }
        }
    }

    /// A string the tape holds.
    fn text(&self, span: TextSpan) -> &str {
        self.tape.text_of(span)
    }

    /// Refuses one more element when `count` are already there and that is the limit.
    fn check_elements(&self, count: usize) -> Parsed<()> {
        if count == self.options.max_elements {
            return Err(Failure::new(
                self.pos,
                ErrorKind::TooManyElements {
                    limit: self.options.max_elements,
                },
            ));
        }
        Ok(())
    }

    /// After an element: a `,` (then `false`, more follow) or the closing `close` (then
    /// `true`), with whitespace skipped either way.
    fn after_element(&mut self, close: u8, expected: &'static str) -> Parsed<bool> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.skip_whitespace();
                Ok(false)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    /// The input from `start` to `end` as text, or an error at its first byte that is not
    /// UTF-8.
    fn str_at(&self, start: usize, end: usize) -> Parsed<&'a str> {
        match self.text.and_then(|text| text.get(start..end)) {
            Some(text) => Ok(text),
            None => utf8(span(self.bytes, start..end)?, start),
        }
    }

    /// A string, the reader at its opening quote, written to the tape.
    fn string(&mut self) -> Parsed<TextSpan> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        // Most strings have no escape: find the closing quote, then validate and copy once.
        loop {
            // Skip ordinary bytes in one tight scan before looking at the one that stopped it.
            self.pos += ordinary_prefix(span(self.bytes, self.pos..self.bytes.len())?);
            match self.peek() {
                Some(b'"') => {
                    self.check_length(self.pos - start, open)?;
                    let written = match self.text {
                        // The input is on the tape already: the string is its place there.
                        Some(_) => self.tape.string_of_input(start, self.pos),
                        None => {
                            let text = self.str_at(start, self.pos)?;
                            self.tape.string(text)
                        }
                    }
                    .map_err(|e| self.full(e))?;
                    self.pos += 1;
                    return Ok(written);
                }
                Some(b'\\') => break,
                Some(b) if b < 0x20 => {
                    return Err(Failure::new(self.pos, ErrorKind::ControlCharacter(b)));
                }
                Some(_) => self.pos += 1,
                None => {
                    return Err(Failure::new(
                        self.pos,
                        ErrorKind::UnexpectedEnd {
                            expected: "`\"` closing a string",
                        },
                    ));
                }
            }
        }
        // Unescaped straight onto the tape's text, run by run.
        let begin = self.tape.begin_text();
        let mut run = start;
        loop {
            self.pos += ordinary_prefix(span(self.bytes, self.pos..self.bytes.len())?);
            match self.peek() {
                Some(b'"') => {
                    let piece = self.str_at(run, self.pos)?;
                    self.tape.push_text(piece).map_err(|e| self.full(e))?;
                    self.check_length(self.tape.text_since(begin), open)?;
                    let written = self.tape.end_text(begin).map_err(|e| self.full(e))?;
                    self.pos += 1;
                    return Ok(written);
                }
                Some(b'\\') => {
                    let piece = self.str_at(run, self.pos)?;
                    self.tape.push_text(piece).map_err(|e| self.full(e))?;
                    let c = self.escape()?;
                    self.tape.push_char(c).map_err(|e| self.full(e))?;
                    self.check_length(self.tape.text_since(begin), open)?;
                    run = self.pos;
                }
                Some(b) if b < 0x20 => {
                    return Err(Failure::new(self.pos, ErrorKind::ControlCharacter(b)));
                }
                Some(_) => self.pos += 1,
                None => {
                    return Err(Failure::new(
                        self.pos,
                        ErrorKind::UnexpectedEnd {
                            expected: "`\"` closing a string",
                        },
                    ));
                }
            }
        }
    }

    fn check_length(&self, len: usize, open: usize) -> Parsed<()> {
        if len > self.options.max_string_bytes {
            Err(Failure::new(
                open,
                ErrorKind::StringTooLong {
                    limit: self.options.max_string_bytes,
                },
            ))
        } else {
            Ok(())
        }
    }

    /// One escape sequence, the reader at its backslash.
    fn escape(&mut self) -> Parsed<char> {
        let at = self.pos;
        let c = match self.bytes.get(self.pos + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 2;
                let unit = self.hex4()?;
                let c = match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate must be followed at once by an escaped low one.
                        let low = if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                            self.pos += 2;
                            let low = self.hex4()?;
                            (0xDC00..=0xDFFF).contains(&low).then_some(low)
                        } else {
                            None
                        };
                        match low {
                            Some(low) => {
                                let code = 0x10000
                                    + ((u32::from(unit) - 0xD800) << 10)
                                    + (u32::from(low) - 0xDC00);
                                char::from_u32(code)
                            }
                            None => None,
                        }
                    }
                    0xDC00..=0xDFFF => None,
                    _ => char::from_u32(u32::from(unit)),
                };
                return c.ok_or_else(|| Failure::new(at, ErrorKind::LoneSurrogate(unit)));
            }
            Some(&b) => {
                let shown = if b.is_ascii_graphic() {
                    format!("\\{}", char::from(b))
                } else {
                    format!("\\ followed by byte 0x{b:02x}")
                };
                return Err(Failure::new(at, ErrorKind::InvalidEscape(shown)));
            }
            None => {
                return Err(Failure::new(
                    self.pos + 1,
                    ErrorKind::UnexpectedEnd {
                        expected: "an escape sequence",
                    },
                ));
            }
        };
        self.pos += 2;
        Ok(c)
    }

    fn hex4(&mut self) -> Parsed<u16> {
        let mut unit: u16 = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                Some(_) => {
                    return Err(Failure::new(
                        self.pos,
                        ErrorKind::InvalidEscape("\\u needs four hex digits".to_owned()),
                    ));
                }
                None => {
                    return Err(Failure::new(
                        self.pos,
                        ErrorKind::UnexpectedEnd {
                            expected: "four hex digits after \\u",
                        },
                    ));
                }
            };
            unit = unit * 16 + u16::from(digit);
            self.pos += 1;
        }
        Ok(unit)
    }

    /// A number. Strictly, only integers of the data model come out, however they are
    /// written (`1e10`, `-0`, `2.50e1`); leniently, anything else is kept verbatim.
    fn number(&mut self) -> Parsed<()> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        let int_end = self.pos;
        let mut frac = (self.pos, self.pos);
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac_start = self.pos;
            self.skip_digits();
            if self.pos == frac_start {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            frac = (frac_start, self.pos);
        }
        let mut exponent: i64 = 0;
        let mut has_exponent = false;
        if let Some(b'e' | b'E') = self.peek() {
            has_exponent = true;
            self.pos += 1;
            let exp_negative = match self.peek() {
                Some(b'-') => {
                    self.pos += 1;
                    true
                }
                Some(b'+') => {
                    self.pos += 1;
                    false
                }
                _ => false,
            };
            let exp_start = self.pos;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                // Saturate: any exponent this large already decides the outcome.
                exponent = (exponent * 10 + i64::from(d - b'0')).min(1_000_000_000);
                self.pos += 1;
            }
            if self.pos == exp_start {
                return Err(self.unexpected("a digit in the exponent"));
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        let int_digits = span(self.bytes, int_start..int_end)?;
        let frac_digits = span(self.bytes, frac.0..frac.1)?;
        let literal = span(self.bytes, start..self.pos)?;
        // The common case: a plain integer short enough to be in range or just past it.
        let exact = if frac_digits.is_empty() && !has_exponent && int_digits.len() <= 16 {
            let magnitude = int_digits
                .iter()
                .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
            (magnitude <= MAX_SAFE_INTEGER).then_some(magnitude)
        } else {
            exact_integer(int_digits, frac_digits, exponent)
        };
        match exact {
            Some(magnitude) => {
                let n = if negative { -magnitude } else { magnitude };
                self.tape.integer(n).map_err(|e| self.full(e))
            }
            None => self.out_of_model(start, literal, frac_digits, exponent, int_digits),
        }
    }

    fn out_of_model(
        &mut self,
        start: usize,
        literal: &[u8],
        frac_digits: &[u8],
        exponent: i64,
        int_digits: &[u8],
    ) -> Parsed<()> {
        let text = String::from_utf8_lossy(literal).into_owned();
        if self.options.numbers == NumberPolicy::Lenient {
            if Number::from_literal(&text).is_none() {
                return Err(Failure::new(
                    start,
                    ErrorKind::Syntax(format!("invalid number {text}")),
                ));
            }
            return self.tape.number(&text).map_err(|e| self.full(e));
        }
        let integral = is_integral(int_digits, frac_digits, exponent);
        let kind = if integral {
            ErrorKind::IntegerOutOfRange(text)
        } else {
            ErrorKind::NotAnInteger(text)
        };
        Err(Failure::new(start, kind))
    }

    fn skip_digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

/// The significant digits of `int.frac × 10^exponent` and the power of ten they are scaled
/// by, trailing zeros folded into the power.
fn significant(int: &[u8], frac: &[u8], exponent: i64) -> (Vec<u8>, i64) {
    let mut digits: Vec<u8> = int.iter().chain(frac).copied().collect();
    let frac_len = i64::try_from(frac.len()).unwrap_or(i64::MAX);
    let mut scale = exponent.saturating_sub(frac_len);
    while digits.last() == Some(&b'0') {
        digits.pop();
        scale = scale.saturating_add(1);
    }
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    (digits, scale)
}

/// Whether `int.frac × 10^exponent` is a whole number.
fn is_integral(int: &[u8], frac: &[u8], exponent: i64) -> bool {
    let (digits, scale) = significant(int, frac, exponent);
    digits.is_empty() || scale >= 0
}

/// The magnitude of `int.frac × 10^exponent` when it is a whole number within the data model.
fn exact_integer(int: &[u8], frac: &[u8], exponent: i64) -> Option<i64> {
    let (digits, scale) = significant(int, frac, exponent);
    if digits.is_empty() {
        return Some(0);
    }
    let total = i64::try_from(digits.len()).ok()?.checked_add(scale)?;
    if scale < 0 || total > 16 {
        return None;
    }
    let mut n: i64 = 0;
    for d in &digits {
        n = n * 10 + i64::from(d - b'0');
    }
    for _ in 0..scale {
        n *= 10;
    }
    (n <= MAX_SAFE_INTEGER).then_some(n)
}

/// `bytes` as UTF-8, or an error at the first invalid byte (`base` is their offset).
fn utf8(bytes: &[u8], base: usize) -> Parsed<&str> {
    std::str::from_utf8(bytes)
        .map_err(|e| Failure::new(base + e.valid_up_to(), ErrorKind::InvalidUtf8))
}

/// A byte for an error message: the character when it is printable ASCII.
fn describe(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", char::from(b))
    } else {
        format!("byte 0x{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Option<i64> {
        let opts = Options::default();
        let mut r = Reader::new(s.as_bytes(), &opts);
        r.number().ok()?;
        std::mem::take(&mut r.tape).finish().ok()?.value(0).as_i64()
    }

    #[test]
    fn integral_numbers_in_any_form() {
        assert_eq!(int("1e10"), Some(10_000_000_000));
        assert_eq!(int("-0"), Some(0));
        assert_eq!(int("-0.0e-5"), Some(0));
        assert_eq!(int("2.50e1"), Some(25));
        assert_eq!(int("1000e-3"), Some(1));
        assert_eq!(int("9007199254740991"), Some(MAX_SAFE_INTEGER));
        assert_eq!(int("-9007199254740991"), Some(-MAX_SAFE_INTEGER));
        assert_eq!(int("9007199254740991.000"), Some(MAX_SAFE_INTEGER));
        assert_eq!(int("0.9007199254740991e16"), Some(MAX_SAFE_INTEGER));
        assert_eq!(int("9007199254740992"), None);
        assert_eq!(int("1.5"), None);
        assert_eq!(int("1e-1"), None);
        assert_eq!(int("1e999999999999999999999"), None);
        assert_eq!(int("0e999999999999999999999"), Some(0));
    }
}
