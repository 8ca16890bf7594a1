//! # exev-registry: what the built-in event types are made of
//!
//! The registry as data: for each built-in event type, the names it is sent under, the blocks
//! its schema requires and allows, and whether it is a state event (MSC1767 digest §3, §4).
//! The fallback renderer and registrar manifests build on this table.
//!
//! ```
//! use exev::KnownBlock;
//! use exev_registry::event_type;
//!
//! let image = event_type("org.matrix.msc1767.image").unwrap();
//! assert_eq!(image.name, "m.image");
//! assert!(image.required.contains(&KnownBlock::File));
//! assert!(!image.state);
//! ```

#![forbid(unsafe_code)]

mod event_types;

pub use event_types::{BUILT_IN_EVENT_TYPES, EventType, event_type, missing_required};
