//! MSC4460's hybrid events: legacy fields plus the blocks that overlap them, all or nothing,
//! and the check that both say the same.

use std::fmt;

use super::read::{self, Kind, derive};
use crate::{
    AnyBlock, Event, FileBlock, ImageDetailsBlock, KnownBlock, Object, Path, TextBlock,
    ThumbnailBlock, Value, VideoDetailsBlock,
};

/// One way a hybrid event's blocks say something other than its legacy fields (MSC4460), or
/// carry blocks it may not: clients on either side would show different messages.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HybridMismatch {
    /// The block at fault, by stable name.
    pub block: String,
    /// Where it is: `content["m.text"]`.
    pub path: Path,
    /// What differs, naming both sides.
    pub message: String,
    /// Whether the block is malformed (it cannot say anything, so it cannot match); its own
    /// schema reports what is wrong with it.
    pub malformed: bool,
}

impl fmt::Display for HybridMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What [`check_hybrid`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HybridCheck {
    /// Not a legacy event, or a legacy event with no stable content block: nothing to check.
    NotHybrid,
    /// A hybrid whose blocks say what its legacy fields say, with every block its fields call
    /// for and no other: clients may render either.
    Consistent,
    /// A hybrid whose blocks disagree with its fields, lack some or carry others: clients must
    /// not use its blocks (MSC4460), and validation refuses it.
    Mismatched(Vec<HybridMismatch>),
}

/// The stable names of the built-in blocks in `content` other than the relation and mentions
/// mixins: the content blocks a legacy event carries, in MSC4460's sense. Unknown keys and unstable names do not count
/// (exev reads MSC4460's condition 4 with this allow-list, digest §11.21: bots and other MSCs
/// add keys of their own).
pub(crate) fn present_blocks(content: &Object) -> Vec<&str> {
    content
        .keys()
        .map(String::as_str)
        .filter(|name| read::is_stable_content_block(name))
        .collect()
}

/// Checks a legacy event against MSC4460's hybrid rules: when it carries any stable content
/// block, its blocks must be exactly those its msgtype allows and its fields call for, and
/// each must say what the fields say (the `m.text` plain representation is `body`, its HTML
/// one `formatted_body`; `m.file` has `url`; details, thumbnails and durations match, a
/// duration in seconds matching `info.duration` in milliseconds to within a second).
///
/// ```
/// use exev::Event;
/// use exev::legacy::{HybridCheck, check_hybrid};
///
/// let event: Event = exev_codec::json::from_str(
///     r#"{"type": "m.room.message", "content": {"msgtype": "m.text",
///         "body": "Transfer approved", "m.text": [{"body": "Transfer DENIED"}]}}"#,
/// )?;
/// let HybridCheck::Mismatched(problems) = check_hybrid(&event) else { panic!() };
/// assert_eq!(
///     problems[0].to_string(),
///     r#"content["m.text"]: the text/plain representation "Transfer DENIED" is not the body "Transfer approved""#
/// );
/// # Ok::<(), exev_codec::Error>(())
/// ```
pub fn check_hybrid(event: &Event) -> HybridCheck {
    let Some(kind) = read::kind(event) else {
        return HybridCheck::NotHybrid;
    };
    let content = event.content().as_object();
    let present = present_blocks(content);
    if present.is_empty() {
        return HybridCheck::NotHybrid;
    }
    let legacy: Object = content
        .iter()
        .filter(|(k, _)| !present.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let derived = derive(kind, &legacy).blocks;
    let allowed = kind.msgtype().hybrid_blocks;
    let mut problems = Vec::new();
    let mismatch = |block: &str, message: String| HybridMismatch {
        block: block.to_owned(),
        path: Path::root().key("content").key(block),
        malformed: message.starts_with(MALFORMED),
        message,
    };
    for name in &present {
        if !allowed.contains(name) {
            let what = match kind {
                Kind::Message(m) => format!("msgtype {m}"),
                Kind::Sticker => "m.sticker".to_owned(),
                Kind::Encrypted => "m.room.encrypted".to_owned(),
            };
            let allows = if allowed.is_empty() {
                "no content block".to_owned()
            } else {
                allowed.join(", ")
            };
            problems.push(mismatch(
                name,
                format!("{what} allows {allows} (MSC4460: only blocks relevant to the msgtype)"),
            ));
        }
    }
    for name in allowed {
        match (derived.get(*name), content.get(*name)) {
            (Some(d), Some(p)) => {
                if let Some(why) = compare(name, d, p, &legacy) {
                    problems.push(mismatch(name, why));
                }
            }
            (Some(_), None) => problems.push(mismatch(
                name,
                format!(
                    "missing: the legacy fields call for {name}, and an event that uses content \
                     blocks must have all of them (MSC4460)"
                ),
            )),
            (None, Some(_)) => problems.push(mismatch(name, no_counterpart(name))),
            (None, None) => {}
        }
    }
    if problems.is_empty() {
        HybridCheck::Consistent
    } else {
        HybridCheck::Mismatched(problems)
    }
}

/// How the message about a malformed block starts.
const MALFORMED: &str = "malformed";

/// Why a block with no legacy counterpart may not be there.
fn no_counterpart(block: &str) -> String {
    match block {
        "m.text" => "the event has no body for it to match".to_owned(),
        "m.file" => "there is no url, so there must be no m.file (MSC4460)".to_owned(),
        "m.caption" => "the event has no filename other than its body, so no caption".to_owned(),
        "m.automated" => "only m.notice messages are automated".to_owned(),
        other => format!("the legacy fields have nothing for {other} to match"),
    }
}

/// `s` quoted for messages, cut at 60 characters.
fn quote(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{:?}…", s.get(..i).unwrap_or_default()),
        None => format!("{s:?}"),
    }
}

/// The legacy `info.duration`, in milliseconds.
fn info_duration(legacy: &Object) -> Option<u64> {
    legacy
        .get("info")
        .and_then(|i| i.get("duration"))
        .and_then(Value::as_i64)
        .and_then(|i| u64::try_from(i).ok())
}

/// Whether a duration in seconds says the same as one in milliseconds: within a second.
fn same_duration(secs: u64, millis: u64) -> bool {
    secs.saturating_mul(1000).abs_diff(millis) < 1000
}

/// Compares the text a block says with `body`/`formatted_body`.
fn compare_text(derived: &TextBlock, present: &TextBlock) -> Option<String> {
    let body = derived.plain_text().unwrap_or_default();
    match present.plain_text() {
        Some(p) if p == body => {}
        Some(p) => {
            return Some(format!(
                "the text/plain representation {} is not the body {}",
                quote(p),
                quote(body)
            ));
        }
        None => {
            return Some(format!(
                "no text/plain representation to match the body {}",
                quote(body)
            ));
        }
    }
    match (derived.html(), present.html()) {
        (Some(d), Some(p)) if d != p => Some(format!(
            "the text/html representation {} is not the formatted_body {}",
            quote(p),
            quote(d)
        )),
        (None, Some(p)) => Some(format!(
            "a text/html representation {} but no formatted_body (MSC4460: there must be none)",
            quote(p)
        )),
        (Some(d), None) => Some(format!(
            "no text/html representation to match the formatted_body {}",
            quote(d)
        )),
        _ => None,
    }
}

/// Whether two values of `block` say the same, by intent rather than bytes.
fn compare(block: &str, derived: &Value, present: &Value, legacy: &Object) -> Option<String> {
    let (known, _) = KnownBlock::from_name(block)?;
    let d = AnyBlock::read(known, block, derived).ok()?;
    let p = match AnyBlock::read(known, block, present) {
        Ok(p) => p,
        Err(e) => {
            return Some(format!(
                "malformed, so it cannot match the legacy fields: {e}"
            ));
        }
    };
    match (d, p) {
        (AnyBlock::Text(d), AnyBlock::Text(p)) => compare_text(&d, &p),
        (AnyBlock::Caption(d), AnyBlock::Caption(p)) => compare_text(&d.text, &p.text),
        (AnyBlock::File(d), AnyBlock::File(p)) => file_differs(&d, &p),
        (AnyBlock::ImageDetails(d), AnyBlock::ImageDetails(p)) => {
            let dims = |i: &ImageDetailsBlock| {
                format!("{}x{} (sticker: {})", i.width, i.height, i.sticker)
            };
            (dims(&d) != dims(&p))
                .then(|| format!("{} is not the legacy fields' {}", dims(&p), dims(&d)))
        }
        (AnyBlock::VideoDetails(d), AnyBlock::VideoDetails(p)) => video_differs(&d, &p, legacy),
        // The legacy side has audio details only from an info.duration.
        (AnyBlock::AudioDetails(_), AnyBlock::AudioDetails(p)) => match info_duration(legacy) {
            Some(ms) if same_duration(p.duration_secs(), ms) => None,
            millis => Some(format!(
                "the duration {} s is not info.duration {} ms",
                p.duration_secs(),
                millis.map_or_else(|| "(none)".to_owned(), |ms| ms.to_string())
            )),
        },
        (AnyBlock::Thumbnail(d), AnyBlock::Thumbnail(p)) => thumbnail_differs(&d, &p),
        (AnyBlock::Automated(_), AnyBlock::Automated(p)) => {
            (!p.is_automated()).then(|| "an m.notice must have m.automated true".to_owned())
        }
        (d, p) => (d != p).then(|| "the block is not what the legacy fields say".to_owned()),
    }
}

fn file_differs(d: &FileBlock, p: &FileBlock) -> Option<String> {
    if d.url != p.url {
        return Some(format!(
            "the url {} is not the legacy url {}",
            quote(&p.url),
            quote(&d.url)
        ));
    }
    let fields = |f: &FileBlock| {
        (
            f.name.clone(),
            f.mimetype.clone(),
            f.size,
            f.encryption.clone(),
        )
    };
    (fields(d) != fields(p)).then(|| {
        format!(
            "name, mimetype, size or keys ({:?}, {:?}, {:?}) are not the legacy fields' ({:?}, {:?}, {:?})",
            p.name, p.mimetype, p.size, d.name, d.mimetype, d.size
        )
    })
}

fn video_differs(d: &VideoDetailsBlock, p: &VideoDetailsBlock, legacy: &Object) -> Option<String> {
    if (d.width, d.height) != (p.width, p.height) {
        return Some(format!(
            "{}x{} is not the legacy fields' {}x{}",
            p.width, p.height, d.width, d.height
        ));
    }
    match (p.duration, info_duration(legacy)) {
        (Some(s), Some(ms)) if !same_duration(s, ms) => {
            Some(format!("the duration {s} s is not info.duration {ms} ms"))
        }
        (Some(_), None) | (None, Some(_)) => {
            Some("one side has a duration and the other none".to_owned())
        }
        _ => None,
    }
}

fn thumbnail_differs(d: &ThumbnailBlock, p: &ThumbnailBlock) -> Option<String> {
    let first = |t: &ThumbnailBlock| {
        t.thumbnails.first().map(|t| {
            (
                t.file.url.clone(),
                t.file.mimetype.clone(),
                t.file.size,
                t.image_details.width,
                t.image_details.height,
            )
        })
    };
    (first(d) != first(p)).then(|| "the first thumbnail is not the legacy thumbnail".to_owned())
}
