//! Registry data: the content blocks and event types the registry knows, with their names,
//! shapes and fallback order, and the [`Registry`] that layers registrars on the built-in set.

mod block_defs;
mod event_types;
mod registry;

pub use block_defs::{BlockAlias, BlockDef, Placement, ValueShape};
pub use event_types::{Constraint, EventTypeDef, TypeAlias};
pub use registry::Registry;
