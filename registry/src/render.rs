//! The fallback renderer: MSC1767's algorithm for a client's [`Capabilities`], its
//! [`Rendering`], and the HTML sanitiser it draws with.

mod capabilities;
mod fallback;
mod html;
mod relations;
mod rendering;
mod text;

pub use capabilities::{Capabilities, DEFAULT_LANGUAGE, RoomSupport};
pub use fallback::render;
pub use html::{
    ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_SCHEMES, MAX_HTML_NESTING, html_nesting_depth,
    html_to_text, sanitize_html, text_to_html,
};
pub(crate) use relations::{REACTION, REDACTION};
pub use rendering::{
    Attempt, FileRef, IgnoredBlock, LegacySource, LocationView, Media, Mentions, Outcome,
    PollAnswerView, PollView, Relation, Rendering, RuledOut, Skipped, TextSource, ThumbnailRef,
};
pub(crate) use rendering::{object, opt_str, uint};
