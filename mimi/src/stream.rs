//! Many messages: a CBOR sequence (RFC 8742) of MIMI content, read and written.

use std::io::{Read, Write};

use exev::Path;
use exev_codec::Options;
use exev_codec::cbor::head::skip_item;

use crate::error::{Error, ErrorKind};
use crate::{MimiContent, from_slice_with, to_vec};

/// How much one read asks for.
const READ_CHUNK: usize = 16 * 1024;

/// The nesting the boundary search allows: more than any message has (a body 4 parts deep
/// is 8 arrays under the top level; extensions 4 levels under it); the decoder then applies
/// the draft's limits exactly.
const BOUNDARY_DEPTH: usize = 16;

/// The messages of a CBOR sequence read from an [`std::io::Read`], one by one. It holds at
/// most one message past [`Options::max_bytes`] (plus one read) at a time; error offsets
/// count from the start of the stream; iteration ends after the first error.
///
/// ```
/// use exev_mimi::{MimiContent, NestedPart, StreamReader, StreamWriter};
///
/// let a = MimiContent::new([1; 16], NestedPart::text("text/plain;charset=utf-8", "one"));
/// let b = MimiContent::new([2; 16], NestedPart::text("text/plain;charset=utf-8", "two"));
/// let mut writer = StreamWriter::new(Vec::new());
/// writer.write(&a)?;
/// writer.write(&b)?;
/// let bytes = writer.finish()?;
/// let read: Vec<MimiContent> = StreamReader::new(bytes.as_slice()).collect::<Result<_, _>>()?;
/// assert_eq!(read, [a, b]);
/// # Ok::<(), exev_mimi::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamReader<R> {
    reader: R,
    options: Options,
    buffer: Vec<u8>,
    start: usize,
    base: usize,
    eof: bool,
    failed: bool,
}

impl<R: Read> StreamReader<R> {
    /// A reader with the default [`Options`].
    pub fn new(reader: R) -> StreamReader<R> {
        StreamReader::with_options(reader, Options::default())
    }

    /// A reader holding each message to `options`.
    pub fn with_options(reader: R, options: Options) -> StreamReader<R> {
        StreamReader {
            reader,
            options,
            buffer: Vec::new(),
            start: 0,
            base: 0,
            eof: false,
            failed: false,
        }
    }

    fn fill(&mut self) -> Result<(), Error> {
        self.buffer.drain(..self.start);
        self.base += self.start;
        self.start = 0;
        let old = self.buffer.len();
        self.buffer.resize(old + READ_CHUNK, 0);
        let read = loop {
            match self
                .reader
                .read(self.buffer.get_mut(old..).unwrap_or_default())
            {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buffer.truncate(old);
                    return Err(e.into());
                }
            }
        };
        self.buffer.truncate(old + read);
        self.eof = read == 0;
        Ok(())
    }

    fn next_message(&mut self) -> Option<Result<MimiContent, Error>> {
        loop {
            let pending = self.buffer.get(self.start..).unwrap_or_default();
            if pending.is_empty() && self.eof {
                return None;
            }
            if !pending.is_empty() {
                let base = self.base + self.start;
                match skip_item(pending, 0, BOUNDARY_DEPTH) {
                    Ok(end) => {
                        let item = pending.get(..end).unwrap_or_default();
                        let result =
                            from_slice_with(item, &self.options).map_err(|e| e.shifted(base));
                        self.start += end;
                        return Some(result);
                    }
                    Err(e) if e.is_end() && !self.eof => {
                        if pending.len() > self.options.max_bytes {
                            return Some(Err(Error::new(
                                ErrorKind::Limit {
                                    rule: crate::rules::LIMIT_BYTES,
                                    limit: self.options.max_bytes,
                                },
                                Some(base + self.options.max_bytes),
                                Path::root(),
                            )));
                        }
                    }
                    // The decoder says what is wrong, with the path.
                    Err(_) => {
                        let detailed =
                            from_slice_with(pending, &self.options).map_err(|e| e.shifted(base));
                        return Some(Err(detailed.err().unwrap_or_else(|| {
                            Error::new(ErrorKind::TrailingData, Some(base), Path::root())
                        })));
                    }
                }
            }
            if let Err(e) = self.fill() {
                return Some(Err(e));
            }
        }
    }
}

impl<R: Read> Iterator for StreamReader<R> {
    type Item = Result<MimiContent, Error>;

    fn next(&mut self) -> Option<Result<MimiContent, Error>> {
        if self.failed {
            return None;
        }
        let next = self.next_message();
        if matches!(next, Some(Err(_))) {
            self.failed = true;
        }
        next
    }
}

/// Writes messages as a CBOR sequence.
#[derive(Debug)]
pub struct StreamWriter<W> {
    writer: W,
}

impl<W: Write> StreamWriter<W> {
    /// A writer into `writer`.
    pub fn new(writer: W) -> StreamWriter<W> {
        StreamWriter { writer }
    }

    /// Writes one message.
    ///
    /// # Errors
    ///
    /// As [`to_vec`], and the writer's I/O errors.
    pub fn write(&mut self, message: &MimiContent) -> Result<(), Error> {
        self.writer.write_all(&to_vec(message)?)?;
        Ok(())
    }

    /// Flushes and returns the writer.
    ///
    /// # Errors
    ///
    /// The writer's I/O errors.
    pub fn finish(mut self) -> Result<W, Error> {
        self.writer.flush()?;
        Ok(self.writer)
    }
}
