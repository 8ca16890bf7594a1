//! # exev-registry: the block registry, the fallback renderer and the timeline
//!
//! The registry is data ([`Registry`]): for each content block its names, value shape,
//! whether it is a mixin and where it may nest ([`BlockDef`]); for each event type its names,
//! required and optional blocks, whether it is a state event or hidden, and where it stands in
//! the fallback order ([`EventTypeDef`]). [`Registry::built_in`] covers MSC1767 and its family
//! with the unstable names deployed today; registrars' registries are layered on top at run
//! time ([`Registry::layer`]).
//!
//! The renderer ([`render`]) implements MSC1767's algorithm for a client's [`Capabilities`]:
//! known types render as themselves, unknown types as the first schema the client knows that
//! fits (video, voice, audio, image, file, location, poll, then text), state events are never
//! messages, poll responses are hidden. The [`Rendering`] says what it rendered as and why,
//! with the plain text, the HTML sanitised to the Matrix allow-list ([`sanitize_html`], with
//! ammonia), media, poll, location, relation and mixin flags.
//!
//! Legacy events (`m.room.message` of every msgtype, `m.sticker`, `m.room.encrypted`) render
//! through their extensible form ([`exev::legacy`]), as the room's support for extensible
//! events says ([`RoomSupport`]). The [`Timeline`] folds a room's events into the items a
//! client shows: edits applied, reactions counted, redactions marked, replies, threads and
//! poll tallies ([`PollTally`]).
//!
//! The registry publishes a JSON Schema (draft 2020-12) for each block and event type
//! ([`published_schemas`], [`block_schema`], [`event_type_schema`]: the files in the
//! repository's `schemas/json/`), and the [`Validator`] checks events against them with the
//! jsonschema crate, offline, into a [`Report`] of errors and warnings with paths. Registrars
//! publish their own blocks and types as a manifest directory ([`Manifest`], format in
//! `registry/MANIFESTS.md`), checked and then layered on the built-in registry.
//!
//! ```
//! use exev_registry::{BlockDef, Capabilities, EventTypeDef, Outcome, Registry, ValueShape};
//!
//! // MSC1767's custom event type, which no client knows.
//! let event = exev_codec::json::from_str(
//!     r#"{"type": "org.example.temperature", "content": {
//!         "m.text": [{"body": "It is 22 degrees at Home"}],
//!         "org.example.probe_value": {"label": "Home", "units": "org.example.celsius", "value": 22}
//!     }}"#,
//! )?;
//! let mut registry = Registry::built_in();
//! let rendering = registry.render(&event, &Capabilities::everything(&registry));
//! assert_eq!(rendering.outcome, Outcome::Rendered);
//! assert_eq!(rendering.rendered_as.as_deref(), Some("m.message"));
//! assert_eq!(rendering.text, "It is 22 degrees at Home");
//!
//! // A registrar defines it: a client that knows it renders it as itself.
//! let mut example = Registry::new();
//! example
//!     .add_block(BlockDef::new("org.example.probe_value", ValueShape::Object))
//!     .add_event_type(
//!         EventTypeDef::new("org.example.temperature")
//!             .requires("m.text")
//!             .requires("org.example.probe_value"),
//!     );
//! registry.layer(example);
//! let rendering = registry.render(&event, &Capabilities::everything(&registry));
//! assert_eq!(rendering.rendered_as.as_deref(), Some("org.example.temperature"));
//! # Ok::<(), exev_codec::Error>(())
//! ```

#![forbid(unsafe_code)]

mod data;
mod examples;
mod manifest;
mod render;
mod schema;
mod timeline;

pub use data::{
    BlockAlias, BlockDef, Constraint, EventTypeDef, Placement, Registry, TypeAlias, ValueShape,
};
pub use examples::{BUILT_IN_EXAMPLES, ExampleFile, built_in_examples};
pub use manifest::{
    Example, MANIFEST_FILE, MANIFEST_VERSION, Manifest, ManifestError, ManifestProblem,
    REGISTRAR_BASE,
};
pub use render::{
    ALLOWED_ATTRIBUTES, ALLOWED_TAGS, Attempt, Capabilities, DEFAULT_LANGUAGE, FileRef,
    IgnoredBlock, LINK_SCHEMES, LegacySource, LocationView, MAX_HTML_NESTING, Media, Mentions,
    Outcome, PollAnswerView, PollView, Relation, Rendering, RoomSupport, RuledOut, Skipped,
    TextSource, ThumbnailRef, html_nesting_depth, html_to_text, render, sanitize_html,
    text_to_html,
};
pub use schema::{
    DRAFT_2020_12, Problem, Report, SCHEMA_BASE, SchemaError, SchemaFile, SchemaKind, Severity,
    Validator, block_schema, event_type_schema, published_schemas, schema_files, schema_id,
    schema_index, schema_path, validate,
};
pub use timeline::{
    PollTally, Pushed, Reaction, ThreadSummary, Timeline, TimelineItem, acts_on_another,
    check_timeline, check_timeline_bytes, rearranged, room_from_bytes,
};
