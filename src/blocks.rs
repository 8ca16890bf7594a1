//! Typed content blocks: one type per block of the built-in table (digest §4.1).
//!
//! Each type reads every name its block is sent under (see [`crate::KnownBlock::names`]),
//! keeps members it does not know in an `extra` map, and has builder methods for writing.

pub(crate) mod fields;
mod file;
mod text;

pub use file::{EncryptedFile, FileBlock};
pub use text::{DEFAULT_MIMETYPE, SkippedRepresentation, TextBlock, TextRepresentation};

pub(crate) use text::nested_text;

use crate::{BlockError, KnownBlock, Value};

/// A typed content block of the built-in table.
///
/// `read` takes the name the block was found under, because some names carry older shapes
/// (the string form of `org.matrix.msc1767.text`, the unstable poll shape, the v1 audio block
/// in milliseconds). `to_value` writes the stable shape, with the block's unknown members.
pub trait Block: Sized {
    /// Which block this type is.
    const KIND: KnownBlock;

    /// Reads the block's value as found under `name`. Paths in errors start at the value.
    ///
    /// # Errors
    ///
    /// A [`BlockError`] with the path and reason when the value does not fit the block's
    /// schema.
    fn read(name: &str, value: &Value) -> Result<Self, BlockError>;

    /// Writes the block's value in its stable shape.
    fn to_value(&self) -> Value;

    /// Reads the block's value as found under its stable name.
    ///
    /// # Errors
    ///
    /// As [`Block::read`].
    fn from_value(value: &Value) -> Result<Self, BlockError> {
        Self::read(Self::KIND.stable_name(), value)
    }
}
