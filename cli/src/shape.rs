//! `exev convert --shape`: write events extensible, legacy or hybrid (MSC4460).

use clap::ValueEnum;
use exev::Event;
use exev::legacy::{Shape, ShapeError};

use crate::report::Failure;

/// The shapes `--shape` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ShapeArg {
    /// As it is.
    Keep,
    /// Extensible: legacy m.room.message (every msgtype), m.sticker and m.room.encrypted read
    /// into their blocks; what the blocks cannot say is kept.
    Extensible,
    /// Legacy: what today's room versions carry (m.room.message, m.sticker, m.room.encrypted).
    Legacy,
    /// Hybrid (MSC4460): the legacy fields and exactly the blocks that overlap them.
    Hybrid,
}

impl ShapeArg {
    fn shape(self) -> Shape {
        match self {
            ShapeArg::Keep => Shape::Keep,
            ShapeArg::Extensible => Shape::Extensible,
            ShapeArg::Legacy => Shape::Legacy,
            ShapeArg::Hybrid => Shape::Hybrid,
        }
    }

    /// `event` in this shape. An event with no lossless extensible form is written as it is,
    /// with a warning; a hybrid whose blocks disagree with its fields fails (exit 1).
    pub(crate) fn apply(self, event: Event, source: &str) -> Result<Event, Failure> {
        match self.shape().apply(&event) {
            Ok(shaped) => Ok(shaped),
            Err(e @ ShapeError::NotReversible { .. }) => {
                eprintln!("exev: warning: {source}: left as it is: {e}");
                Ok(event)
            }
            Err(e) => Err(Failure::Shape {
                source: source.to_owned(),
                message: e.to_string(),
            }),
        }
    }
}
