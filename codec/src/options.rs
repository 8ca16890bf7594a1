//! [`Options`]: the limits and policies every codec's decoder shares.

/// The default limit on the size of one encoded event: 65536 bytes, the spec's limit on a
/// complete event in canonical JSON.
pub const DEFAULT_MAX_BYTES: usize = 65_536;

/// The default limit on nesting: 64 levels of arrays and objects, the event object being
/// level 1. Matrix events rarely nest past 10.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// The default limit on one string (a key or a value), in UTF-8 bytes: 65536.
pub const DEFAULT_MAX_STRING_BYTES: usize = 65_536;

/// The default limit on the members of one object or the elements of one array: 16384.
pub const DEFAULT_MAX_ELEMENTS: usize = 16_384;

/// The most nesting any decoder accepts, whatever [`Options::max_depth`] asks for, so that
/// no input can exhaust a thread's stack.
pub const MAX_DEPTH_CEILING: usize = 512;

/// What a decoder does with a number outside the canonical-JSON data model (a fraction, or an
/// integer beyond ±(2^53 - 1)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberPolicy {
    /// Reject it with an error that says where it is (the default).
    #[default]
    Strict,
    /// Keep it, verbatim, as an [`exev::Number`].
    Lenient,
}

/// Limits and policies for decoding, shared by every codec.
///
/// The defaults follow the spec: 65536 bytes per event, depth 64, strict numbers. Each limit
/// is inclusive: an input exactly at the limit is accepted, one past it is rejected.
///
/// ```
/// use exev_codec::{NumberPolicy, Options};
///
/// let options = Options::default().max_depth(16).numbers(NumberPolicy::Lenient);
/// assert_eq!(options.max_depth, 16);
/// assert_eq!(options.max_bytes, 65_536);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Options {
    /// The most bytes one encoded event may have.
    pub max_bytes: usize,
    /// The most levels of nested arrays and objects (capped at [`MAX_DEPTH_CEILING`]).
    pub max_depth: usize,
    /// The most UTF-8 bytes in one string, key or value.
    pub max_string_bytes: usize,
    /// The most elements in one array or members in one object.
    pub max_elements: usize,
    /// What to do with numbers outside the data model.
    pub numbers: NumberPolicy,
    /// Accept only input in the codec's deterministic encoding, and reject anything else
    /// with [`ErrorKind::NotDeterministic`](crate::ErrorKind::NotDeterministic) naming the
    /// rule it breaks. For CBOR that is RFC 8949 §4.2.1: shortest arguments, definite lengths,
    /// map keys sorted bytewise by their encoding, floats in their shortest exact width.
    /// Off by default; the JSON decoder does not use it.
    pub deterministic: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_string_bytes: DEFAULT_MAX_STRING_BYTES,
            max_elements: DEFAULT_MAX_ELEMENTS,
            numbers: NumberPolicy::Strict,
            deterministic: false,
        }
    }
}

impl Options {
    /// Sets [`Options::max_bytes`].
    #[must_use]
    pub fn max_bytes(mut self, max_bytes: usize) -> Options {
        self.max_bytes = max_bytes;
        self
    }

    /// Sets [`Options::max_depth`], capped at [`MAX_DEPTH_CEILING`].
    #[must_use]
    pub fn max_depth(mut self, max_depth: usize) -> Options {
        self.max_depth = max_depth.min(MAX_DEPTH_CEILING);
        self
    }

    /// Sets [`Options::max_string_bytes`].
    #[must_use]
    pub fn max_string_bytes(mut self, max_string_bytes: usize) -> Options {
        self.max_string_bytes = max_string_bytes;
        self
    }

    /// Sets [`Options::max_elements`].
    #[must_use]
    pub fn max_elements(mut self, max_elements: usize) -> Options {
        self.max_elements = max_elements;
        self
    }

    /// Sets [`Options::numbers`].
    #[must_use]
    pub fn numbers(mut self, numbers: NumberPolicy) -> Options {
        self.numbers = numbers;
        self
    }

    /// Sets [`Options::deterministic`].
    #[must_use]
    pub fn deterministic(mut self, deterministic: bool) -> Options {
        self.deterministic = deterministic;
        self
    }

    /// The depth limit in force: [`Options::max_depth`] capped at [`MAX_DEPTH_CEILING`] (the
    /// field is public, so it may have been set past the cap directly).
    pub fn effective_max_depth(&self) -> usize {
        self.max_depth.min(MAX_DEPTH_CEILING)
    }
}
