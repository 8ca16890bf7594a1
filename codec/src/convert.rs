//! Bulk conversion of event streams on every core (feature `parallel`): [`StreamConverter`].
//!
//! A stream is cut into the bytes of its events on the calling thread (cheap: a newline, a
//! well-formedness walk, a length prefix), in batches; each batch is decoded and converted on
//! a [rayon] pool while the calling thread writes the batch before it and reads the one after;
//! outputs are written in input order. So the output is the same, byte for byte, whatever the
//! number of jobs, and memory holds about three batches whatever the stream's length.
//!
//! ```
//! use exev_codec::{Format, convert::StreamConverter};
//!
//! let ndjson = b"{\"type\":\"a\",\"content\":{}}\n{\"type\":\"b\",\"content\":{\"n\":1}}\n";
//! let mut cbor = Vec::new();
//! let done = StreamConverter::new(Format::Json)
//!     .jobs(2)
//!     .run(&ndjson[..], &mut cbor, |event| Format::Cbor.to_vec(&event), |_| {})?;
//! assert_eq!(done.events, 2);
//! let back: Vec<_> = Format::Cbor.stream_reader(&cbor[..]).collect::<Result<_, _>>()?;
//! assert_eq!(back[1].event_type(), "b");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{Read, Write};
use std::ops::Range;

use exev::Event;
use rayon::prelude::*;

use crate::stream::{Frame, Frames};
use crate::{Error, Format, Options};

/// How far a conversion has come, given after each batch is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Events converted and written.
    pub events: u64,
    /// Bytes of the input those events took up.
    pub bytes_read: u64,
    /// Bytes written.
    pub bytes_written: u64,
}

/// Why a conversion stopped. Everything before the event it names was written.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConvertError<E> {
    /// Event `number` (from 1) could not be read: not an event, past a limit, cut short, or
    /// the input failed. The error's position counts from the start of the stream.
    Read {
        /// Which event, from 1.
        number: u64,
        /// What is wrong.
        error: Error,
    },
    /// The conversion refused event `number` (from 1).
    Convert {
        /// Which event, from 1.
        number: u64,
        /// What the conversion said.
        error: E,
    },
    /// Writing the output failed.
    Write(std::io::Error),
    /// The thread pool could not be started.
    Threads(String),
}

impl<E: fmt::Display> fmt::Display for ConvertError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Read { number, error } => write!(f, "event {number}: {error}"),
            ConvertError::Convert { number, error } => write!(f, "event {number}: {error}"),
            ConvertError::Write(e) => write!(f, "writing the output: {e}"),
            ConvertError::Threads(e) => write!(f, "starting the threads: {e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ConvertError<E> {}

/// Converts a stream of events in parallel, writing the outputs in input order.
///
/// The conversion is any function from an [`Event`] to bytes: re-encoding (as in the example
/// at the [module docs](self)), a naming profile, a filter that writes nothing for some
/// events. It runs on `jobs` threads; with one job, everything runs on the calling thread.
///
/// ```
/// use exev_codec::{Format, Options, convert::{ConvertError, StreamConverter}};
///
/// let ndjson = b"{\"type\":\"a\",\"content\":{}}\n{\"type\":\"b\",\"content\":{\"n\":1.5}}\n";
/// let mut out = Vec::new();
/// let err = StreamConverter::new(Format::Json)
///     .options(Options::default())
///     .jobs(1)
///     .run(&ndjson[..], &mut out, |event| Format::Json.to_vec(&event), |_| {})
///     .unwrap_err();
/// // The first event was written; the second is at fault, on line 2.
/// assert_eq!(out, br#"{"content":{},"type":"a"}"#);
/// assert!(matches!(err, ConvertError::Read { number: 2, .. }));
/// ```
#[derive(Clone, Debug)]
pub struct StreamConverter {
    format: Format,
    options: Options,
    jobs: usize,
    batch_bytes: usize,
}

/// The default input bytes per batch: large enough that the threads are rarely idle between
/// batches, small enough that three batches in memory are nothing.
const DEFAULT_BATCH_BYTES: usize = 1 << 18;

/// One event's bytes within a batch.
#[derive(Debug)]
struct Slot {
    range: Range<usize>,
    offset: usize,
    line: usize,
}

/// Events cut from the stream, not yet decoded.
#[derive(Debug, Default)]
struct Batch {
    data: Vec<u8>,
    slots: Vec<Slot>,
    /// The number of the first event, from 1.
    first: u64,
    /// The error that ended the stream after these events.
    end: Option<Error>,
    /// Whether the stream has nothing after these events.
    last: bool,
    /// The stream offset after these events.
    read_to: usize,
}

/// What became of one event.
enum Outcome<E> {
    Written(Vec<u8>),
    Unread(Error),
    Refused(E),
}

/// A batch converted, waiting to be written.
struct Converted<E> {
    first: u64,
    outcomes: Vec<Outcome<E>>,
    end: Option<Error>,
    read_to: usize,
}

impl StreamConverter {
    /// A converter of streams in `format` (NDJSON, a CBOR sequence or length-delimited
    /// Protobuf), with the default [`Options`] for each event, on every core.
    pub fn new(format: Format) -> StreamConverter {
        StreamConverter {
            format,
            options: Options::default(),
            jobs: 0,
            batch_bytes: DEFAULT_BATCH_BYTES,
        }
    }

    /// Sets the options each event is read with.
    #[must_use]
    pub fn options(mut self, options: Options) -> StreamConverter {
        self.options = options;
        self
    }

    /// Sets the number of threads converting; 0 (the default) means one per core.
    #[must_use]
    pub fn jobs(mut self, jobs: usize) -> StreamConverter {
        self.jobs = jobs;
        self
    }

    /// Sets about how many input bytes go in one batch (256 KiB by default); memory holds about
    /// three batches, their outputs and one event past the size limit.
    #[must_use]
    pub fn batch_bytes(mut self, bytes: usize) -> StreamConverter {
        self.batch_bytes = bytes.max(1);
        self
    }

    /// The number of threads [`StreamConverter::run`] converts on.
    pub fn effective_jobs(&self) -> usize {
        if self.jobs == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        } else {
            self.jobs
        }
    }

    /// Reads the stream from `input`, converts each event with `convert`, and writes the
    /// outputs to `output` in input order, calling `progress` after each batch written.
    ///
    /// # Errors
    ///
    /// A [`ConvertError`] for the first event that could not be read or converted (all before
    /// it written), or a failure to write.
    pub fn run<R, W, F, E, P>(
        &self,
        input: R,
        mut output: W,
        convert: F,
        mut progress: P,
    ) -> Result<Progress, ConvertError<E>>
    where
        R: Read,
        W: Write,
        F: Fn(Event) -> Result<Vec<u8>, E> + Sync,
        E: Send,
        P: FnMut(&Progress),
    {
        let jobs = self.effective_jobs();
        let pool = if jobs > 1 {
            Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(jobs)
                    .thread_name(|i| format!("exev-convert-{i}"))
                    .build()
                    .map_err(|e| ConvertError::Threads(e.to_string()))?,
            )
        } else {
            None
        };
        let mut frames = Frames::new(self.format, input);
        let mut done = Progress::default();
        let mut batch = self.read_batch(&mut frames, 1);
        let mut pending: Option<Converted<E>> = None;
        loop {
            let mut outcomes = Vec::new();
            let mut written = Ok(());
            let mut next = None;
            // The calling thread writes the batch before and reads the one after, while the
            // pool converts this one.
            let mut io = |written: &mut Result<(), ConvertError<E>>, next: &mut Option<Batch>| {
                if let Some(converted) = pending.take() {
                    *written = write(converted, &mut output, &mut done);
                    progress(&done);
                }
                if written.is_ok() && !batch.last {
                    *next =
                        Some(self.read_batch(&mut frames, batch.first + batch.slots.len() as u64));
                }
            };
            match &pool {
                Some(pool) => pool.in_place_scope(|scope| {
                    scope.spawn(|_| {
                        outcomes = batch
                            .slots
                            .par_iter()
                            .map(|slot| self.convert(&batch, slot, &convert))
                            .collect();
                    });
                    io(&mut written, &mut next);
                }),
                None => {
                    outcomes = batch
                        .slots
                        .iter()
                        .map(|slot| self.convert(&batch, slot, &convert))
                        .collect();
                    io(&mut written, &mut next);
                }
            }
            written?;
            pending = Some(Converted {
                first: batch.first,
                outcomes,
                end: batch.end.take(),
                read_to: batch.read_to,
            });
            match next {
                Some(b) => batch = b,
                None => {
                    if let Some(converted) = pending.take() {
                        write(converted, &mut output, &mut done)?;
                    }
                    output.flush().map_err(ConvertError::Write)?;
                    progress(&done);
                    return Ok(done);
                }
            }
        }
    }

    /// The next batch of the stream's events, numbered from `first`.
    fn read_batch<R: Read>(&self, frames: &mut Frames<R>, first: u64) -> Batch {
        let mut batch = Batch {
            first,
            ..Batch::default()
        };
        while batch.data.len() < self.batch_bytes {
            match frames.next_frame(&self.options) {
                None => {
                    batch.last = true;
                    break;
                }
                Some(Err(e)) => {
                    batch.end = Some(e);
                    batch.last = true;
                    break;
                }
                Some(Ok(Frame {
                    bytes,
                    offset,
                    line,
                })) => {
                    let start = batch.data.len();
                    batch.data.extend_from_slice(bytes);
                    batch.slots.push(Slot {
                        range: start..batch.data.len(),
                        offset,
                        line,
                    });
                }
            }
        }
        batch.read_to = frames.offset();
        batch
    }

    /// Decodes and converts one event of `batch`.
    fn convert<F, E>(&self, batch: &Batch, slot: &Slot, convert: &F) -> Outcome<E>
    where
        F: Fn(Event) -> Result<Vec<u8>, E>,
    {
        let Some(bytes) = batch.data.get(slot.range.clone()) else {
            return Outcome::Unread(Error::internal(slot.offset, "an event outside its batch"));
        };
        let frame = Frame {
            bytes,
            offset: slot.offset,
            line: slot.line,
        };
        match frame.decode(self.format, &self.options) {
            Ok(event) => match convert(event) {
                Ok(out) => Outcome::Written(out),
                Err(e) => Outcome::Refused(e),
            },
            Err(e) => Outcome::Unread(e),
        }
    }
}

/// Writes a converted batch in order, up to its first failure.
fn write<E, W: Write>(
    converted: Converted<E>,
    output: &mut W,
    done: &mut Progress,
) -> Result<(), ConvertError<E>> {
    let mut number = converted.first;
    for outcome in converted.outcomes {
        match outcome {
            Outcome::Written(bytes) => {
                output.write_all(&bytes).map_err(ConvertError::Write)?;
                done.events += 1;
                done.bytes_written += bytes.len() as u64;
            }
            Outcome::Unread(error) => return Err(ConvertError::Read { number, error }),
            Outcome::Refused(error) => return Err(ConvertError::Convert { number, error }),
        }
        number += 1;
    }
    done.bytes_read = converted.read_to as u64;
    match converted.end {
        Some(error) => Err(ConvertError::Read { number, error }),
        None => Ok(()),
    }
}
