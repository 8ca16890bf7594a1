//! Streams of events: [`StreamReader`] and [`StreamWriter`] for any [`Format`], on one
//! framing layer that cuts a stream into the bytes of its events (NDJSON lines, CBOR sequence
//! items, length-delimited Protobuf messages) before any of them is decoded. The parallel
//! converter ([`crate::convert`]) cuts with the same layer and decodes on every core.

use std::io::{Read, Write};

use exev::Event;

use crate::{Error, Format, Options, cbor, json, proto};

/// How much one read asks for at least: the buffer grows by the larger of this and what it
/// already holds, so a long frame is found in a number of reads logarithmic in its length.
const READ_CHUNK: usize = 64 * 1024;

/// What a format's framing found at the start of the pending bytes.
#[derive(Debug)]
pub(crate) enum Split {
    /// An event: `pending[start..end]` are its bytes, and `pending[..next]` is used up (its
    /// length prefix, the event and its line end).
    Frame {
        start: usize,
        end: usize,
        next: usize,
    },
    /// `pending[..next]` holds no event (a blank NDJSON line) and is used up.
    Skip { next: usize },
    /// Not enough bytes to tell yet; the first `scanned` need no second look.
    More { scanned: usize },
    /// The stream ended cleanly, between events.
    End,
}

/// The framing of `format`: where the next event in `pending` is, with errors positioned
/// from the start of `pending`. `scanned` bytes were already looked at (NDJSON), `eof` says
/// that no more will come. Nothing pending is the end at `eof`, in every format.
fn split(
    format: Format,
    pending: &[u8],
    scanned: usize,
    eof: bool,
    options: &Options,
) -> Result<Split, Error> {
    if pending.is_empty() {
        return Ok(if eof {
            Split::End
        } else {
            Split::More { scanned: 0 }
        });
    }
    match format {
        Format::Json => json::split(pending, scanned, eof, options),
        Format::Cbor => cbor::split(pending, eof, options),
        Format::Proto => proto::split(pending, eof, options),
    }
}

/// The bytes of one event of a stream, and where they are in it.
#[derive(Debug)]
pub(crate) struct Frame<'a> {
    /// The event's bytes.
    pub(crate) bytes: &'a [u8],
    /// The stream offset of its first byte.
    pub(crate) offset: usize,
    /// The stream line it is on (NDJSON; 1 for binary streams, where lines mean nothing).
    pub(crate) line: usize,
}

impl Frame<'_> {
    /// The event, decoded with `options`, its error positions in the whole stream.
    pub(crate) fn decode(&self, format: Format, options: &Options) -> Result<Event, Error> {
        format
            .from_slice_with(self.bytes, options)
            .map_err(|e| e.rebased(self.offset, self.line))
    }
}

/// A stream cut into frames, one at a time, buffering at most about two frames.
#[derive(Debug)]
pub(crate) struct Frames<R> {
    format: Format,
    reader: R,
    /// Bytes read and not yet used up are `buffer[start..end]`; the rest is room for reading,
    /// zeroed once when the buffer grows, never again for each read.
    buffer: Vec<u8>,
    /// Where in `buffer` the next frame starts.
    start: usize,
    /// Where in `buffer` the bytes read end.
    end: usize,
    /// How many bytes from `start` the framing has looked at already.
    scanned: usize,
    /// The stream offset of `buffer[0]`.
    base: usize,
    /// The stream line `buffer[start]` is on.
    line: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Frames<R> {
    pub(crate) fn new(format: Format, reader: R) -> Frames<R> {
        Frames {
            format,
            reader,
            buffer: Vec::new(),
            start: 0,
            end: 0,
            scanned: 0,
            base: 0,
            line: 1,
            eof: false,
            done: false,
        }
    }

    /// How many bytes of the stream the frames so far used up.
    pub(crate) fn offset(&self) -> usize {
        self.base + self.start
    }

    /// The next frame, cut within the limits of `options`; `None` at the end of the stream or
    /// after an error.
    pub(crate) fn next_frame(&mut self, options: &Options) -> Option<Result<Frame<'_>, Error>> {
        if self.done {
            return None;
        }
        loop {
            let Some(pending) = self.buffer.get(self.start..self.end) else {
                self.done = true;
                return Some(Err(Error::internal(
                    self.offset(),
                    "a stream position past its buffer",
                )));
            };
            let at = self.base + self.start;
            match split(self.format, pending, self.scanned, self.eof, options) {
                Err(e) => {
                    self.done = true;
                    return Some(Err(e.rebased(at, self.line)));
                }
                Ok(Split::End) => {
                    self.done = true;
                    return None;
                }
                Ok(Split::Skip { next }) => {
                    self.start += next;
                    self.scanned = 0;
                    self.line += 1;
                }
                Ok(Split::More { scanned }) => {
                    self.scanned = scanned;
                    if let Err(e) = self.fill() {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
                Ok(Split::Frame { start, end, next }) => {
                    let first = self.start;
                    self.start += next;
                    self.scanned = 0;
                    let line = self.line;
                    self.line += 1;
                    return Some(match self.buffer.get(first + start..first + end) {
                        Some(bytes) => Ok(Frame {
                            bytes,
                            offset: at + start,
                            line,
                        }),
                        None => {
                            self.done = true;
                            Err(Error::internal(at + start, "a frame past the bytes read"))
                        }
                    });
                }
            }
        }
    }

    /// Reads once more, after the bytes not yet used up, making room first (moving them to
    /// the front, or growing the buffer by as much as it holds); notes the end of the stream.
    fn fill(&mut self) -> Result<(), Error> {
        if self.end == self.buffer.len() {
            if self.start > 0 {
                self.buffer.copy_within(self.start..self.end, 0);
                self.base += self.start;
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buffer.len() {
                let grow = READ_CHUNK.max(self.buffer.len());
                self.buffer.resize(self.buffer.len() + grow, 0);
            }
        }
        let read = loop {
            let Some(space) = self.buffer.get_mut(self.end..) else {
                return Err(Error::internal(
                    self.offset(),
                    "a stream buffer past its end",
                ));
            };
            match self.reader.read(space) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        let n = read.map_err(|e| Error::io(&e))?;
        self.end += n;
        self.eof = n == 0;
        Ok(())
    }

    fn into_inner(self) -> R {
        self.reader
    }
}

/// The events of a stream in any [`Format`], one by one: NDJSON (one event a line, blank
/// lines skipped), a CBOR sequence (RFC 8742: items back to back) or length-delimited Protobuf
/// (each message after its length as a varint). Made by [`Format::stream_reader`]; each
/// format's module has the same reader for its own format (e.g. [`json::StreamReader`]).
///
/// Each event is held to the [`Options`] on its own ([`Options::max_bytes`] per event), and
/// no more than about two events' bytes are buffered, whatever the stream's length: a length
/// prefix or a line past the size limit is refused without being read. Error positions count
/// from the start of the stream (line and column for NDJSON). The first error ends the
/// iteration, as in `serde_json`'s stream deserializer: what follows cannot be trusted.
///
/// ```
/// use exev_codec::{Category, Format, Position};
///
/// let stream = b"{\"type\":\"a\",\"content\":{}}\n{\"type\":\"b\",\"content\":{\"n\":[1,}}\n";
/// let mut events = Format::Json.stream_reader(&stream[..]);
/// assert_eq!(events.next().unwrap()?.event_type(), "a");
/// let err = events.next().unwrap().unwrap_err();
/// assert!(matches!(err.position(), Some(Position::Text { line: 2, column: 31, offset: 56 })));
/// assert!(events.next().is_none());
/// # Ok::<(), exev_codec::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamReader<R> {
    frames: Frames<R>,
    options: Options,
    failed: bool,
}

impl<R: Read> StreamReader<R> {
    pub(crate) fn new(format: Format, reader: R, options: Options) -> StreamReader<R> {
        StreamReader {
            frames: Frames::new(format, reader),
            options,
            failed: false,
        }
    }

    /// The stream's format.
    pub fn format(&self) -> Format {
        self.frames.format
    }

    /// How many bytes of the stream the events read so far took up (where the next one
    /// starts).
    pub fn offset(&self) -> usize {
        self.frames.offset()
    }

    /// The reader, given back.
    pub fn into_inner(self) -> R {
        self.frames.into_inner()
    }
}

impl<R: Read> Iterator for StreamReader<R> {
    type Item = Result<Event, Error>;

    /// The next event; after the first error, `None`.
    fn next(&mut self) -> Option<Result<Event, Error>> {
        if self.failed {
            return None;
        }
        let format = self.frames.format;
        let next = match self.frames.next_frame(&self.options)? {
            Ok(frame) => frame.decode(format, &self.options),
            Err(e) => Err(e),
        };
        self.failed = next.is_err();
        Some(next)
    }
}

impl<R: Read> std::iter::FusedIterator for StreamReader<R> {}

/// Writes a stream of events in any [`Format`]: NDJSON (canonical JSON, a newline after each),
/// a CBOR sequence of deterministic items, or length-delimited Protobuf. Made by
/// [`Format::stream_writer`]; each format's module has the same writer for its own format
/// (e.g. [`json::StreamWriter`]).
///
/// It writes each event with one `write_all`, through a buffer it keeps; give it a
/// [`std::io::BufWriter`] when the writer is costly per call. [`StreamWriter::finish`] flushes
/// and gives the writer back.
///
/// ```
/// use exev_codec::{Format, json};
///
/// let event = json::from_str(r#"{"type":"m.x","content":{}}"#)?;
/// let mut stream = Format::Json.stream_writer(Vec::new());
/// stream.write(&event)?;
/// stream.write(&event)?;
/// assert_eq!(stream.finish()?, b"{\"content\":{},\"type\":\"m.x\"}\n{\"content\":{},\"type\":\"m.x\"}\n");
/// # Ok::<(), exev_codec::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamWriter<W> {
    format: Format,
    writer: W,
    scratch: Vec<u8>,
}

impl<W: Write> StreamWriter<W> {
    pub(crate) fn new(format: Format, writer: W) -> StreamWriter<W> {
        StreamWriter {
            format,
            writer,
            scratch: Vec::new(),
        }
    }

    /// The stream's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Writes one event.
    ///
    /// # Errors
    ///
    /// As the format's `to_vec` (a value it cannot write exactly), and the writer's I/O
    /// errors. Nothing of an event that cannot be encoded is written.
    pub fn write(&mut self, event: &Event) -> Result<(), Error> {
        self.scratch.clear();
        encode_frame(self.format, event, &mut self.scratch)?;
        self.writer
            .write_all(&self.scratch)
            .map_err(|e| Error::io(&e))
    }

    /// Flushes the writer and gives it back.
    ///
    /// # Errors
    ///
    /// The writer's I/O errors.
    pub fn finish(mut self) -> Result<W, Error> {
        self.writer.flush().map_err(|e| Error::io(&e))?;
        Ok(self.writer)
    }

    /// The writer.
    pub fn get_ref(&self) -> &W {
        &self.writer
    }

    /// The writer, mutably (writing to it directly puts bytes between events).
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.writer
    }
}

/// Appends one event of a stream in `format` to `out`: with its line end or length prefix.
pub(crate) fn encode_frame(format: Format, event: &Event, out: &mut Vec<u8>) -> Result<(), Error> {
    match format {
        Format::Json => {
            json::encode_into(event, out)?;
            out.push(b'\n');
            Ok(())
        }
        Format::Cbor => cbor::encode_into(event, out),
        Format::Proto => proto::encode_delimited_into(event, out),
    }
}

/// Defines a format module's `StreamReader` and `StreamWriter`: the crate's own, for the
/// format `$format` of the module `$module`.
macro_rules! format_streams {
    ($module:ident, $format:expr, $what:literal) => {
        #[doc = concat!("The events of ", $what, ", one by one: the stream reader of ")]
        #[doc = concat!("[`crate::StreamReader`] for this format (see there for limits, ")]
        #[doc = "positions and errors)."]
        #[doc = ""]
        #[doc = "```"]
        #[doc = concat!("use exev_codec::", stringify!($module), ";")]
        #[doc = ""]
        #[doc = r##"let event = exev_codec::json::from_str(r#"{"type":"m.x","content":{}}"#)?;"##]
        #[doc = concat!("let mut writer = ", stringify!($module), "::StreamWriter::new(Vec::new());")]
        #[doc = "writer.write(&event)?;"]
        #[doc = "writer.write(&event)?;"]
        #[doc = "let bytes = writer.finish()?;"]
        #[doc = concat!("let events: Vec<_> = ", stringify!($module), "::StreamReader::new(&bytes[..])")]
        #[doc = "    .collect::<Result<_, _>>()?;"]
        #[doc = "assert_eq!(events, [event.clone(), event]);"]
        #[doc = "# Ok::<(), exev_codec::Error>(())"]
        #[doc = "```"]
        #[derive(Debug)]
        pub struct StreamReader<R>(crate::StreamReader<R>);

        impl<R: std::io::Read> StreamReader<R> {
            #[doc = concat!("A reader of the events of ", $what, " in `reader`, each held to ")]
            #[doc = "the default [`crate::Options`]."]
            pub fn new(reader: R) -> StreamReader<R> {
                StreamReader::with_options(reader, crate::Options::default())
            }

            #[doc = concat!("A reader of the events of ", $what, " in `reader`, each held to ")]
            #[doc = "`options`."]
            #[doc = ""]
            #[doc = "```"]
            #[doc = concat!("use exev_codec::{Options, ", stringify!($module), "};")]
            #[doc = ""]
            #[doc = concat!("let mut events = ", stringify!($module), "::StreamReader::with_options(&[][..], Options::default().max_bytes(1024));")]
            #[doc = "assert!(events.next().is_none());"]
            #[doc = "```"]
            pub fn with_options(reader: R, options: crate::Options) -> StreamReader<R> {
                StreamReader(crate::StreamReader::new($format, reader, options))
            }

            /// How many bytes of the stream the events read so far took up.
            pub fn offset(&self) -> usize {
                self.0.offset()
            }

            /// The reader, given back.
            pub fn into_inner(self) -> R {
                self.0.into_inner()
            }
        }

        impl<R: std::io::Read> Iterator for StreamReader<R> {
            type Item = Result<exev::Event, crate::Error>;

            /// The next event; after the first error, `None`.
            fn next(&mut self) -> Option<Result<exev::Event, crate::Error>> {
                self.0.next()
            }
        }

        impl<R: std::io::Read> std::iter::FusedIterator for StreamReader<R> {}

        impl<R> From<StreamReader<R>> for crate::StreamReader<R> {
            fn from(reader: StreamReader<R>) -> crate::StreamReader<R> {
                reader.0
            }
        }

        #[doc = concat!("Writes ", $what, ": the stream writer of [`crate::StreamWriter`] for ")]
        #[doc = "this format."]
        #[doc = ""]
        #[doc = "```"]
        #[doc = concat!("use exev_codec::", stringify!($module), ";")]
        #[doc = ""]
        #[doc = r##"let event = exev_codec::json::from_str(r#"{"type":"m.x","content":{}}"#)?;"##]
        #[doc = concat!("let mut writer = ", stringify!($module), "::StreamWriter::new(Vec::new());")]
        #[doc = "writer.write(&event)?;"]
        #[doc = concat!("assert_eq!(", stringify!($module), "::StreamReader::new(&writer.finish()?[..]).count(), 1);")]
        #[doc = "# Ok::<(), exev_codec::Error>(())"]
        #[doc = "```"]
        #[derive(Debug)]
        pub struct StreamWriter<W>(crate::StreamWriter<W>);

        impl<W: std::io::Write> StreamWriter<W> {
            #[doc = concat!("A writer of ", $what, " to `writer`.")]
            pub fn new(writer: W) -> StreamWriter<W> {
                StreamWriter(crate::StreamWriter::new($format, writer))
            }

            /// Writes one event.
            ///
            /// # Errors
            ///
            /// As `to_vec`, and the writer's I/O errors.
            pub fn write(&mut self, event: &exev::Event) -> Result<(), crate::Error> {
                self.0.write(event)
            }

            /// Flushes the writer and gives it back.
            ///
            /// # Errors
            ///
            /// The writer's I/O errors.
            pub fn finish(self) -> Result<W, crate::Error> {
                self.0.finish()
            }

            /// The writer.
            pub fn get_ref(&self) -> &W {
                self.0.get_ref()
            }

            /// The writer, mutably.
            pub fn get_mut(&mut self) -> &mut W {
                self.0.get_mut()
            }
        }

        impl<W> From<StreamWriter<W>> for crate::StreamWriter<W> {
            fn from(writer: StreamWriter<W>) -> crate::StreamWriter<W> {
                writer.0
            }
        }
    };
}

pub(crate) use format_streams;
