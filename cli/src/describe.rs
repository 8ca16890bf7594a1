//! One-line descriptions of typed blocks, for `inspect` and `demo`.

use exev::TextBlock;
use exev::blocks::{AnyBlock, DurationUnit, FileBlock};

/// A short quotation of `s`: at most 40 characters, newlines shown as `⏎`.
pub(crate) fn quote(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| if c == '\n' { '⏎' } else { c })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    format!("{out:?}")
}

fn text(t: &TextBlock) -> String {
    let mut parts: Vec<String> = t
        .representations
        .iter()
        .map(|r| {
            let lang = r
                .lang
                .as_deref()
                .map(|l| format!(" [{l}]"))
                .unwrap_or_default();
            format!("{}{lang} {}", r.mimetype(), quote(&r.body))
        })
        .collect();
    if !t.skipped.is_empty() {
        parts.push(format!("{} invalid skipped", t.skipped.len()));
    }
    if parts.is_empty() {
        "no representation".to_owned()
    } else {
        parts.join(", ")
    }
}

fn file(f: &FileBlock) -> String {
    let mut out = f.url.clone();
    if let Some(name) = &f.name {
        out.push_str(&format!(" {name:?}"));
    }
    if let Some(mimetype) = &f.mimetype {
        out.push_str(&format!(" {mimetype}"));
    }
    if let Some(size) = f.size {
        out.push_str(&format!(" {size} bytes"));
    }
    if f.is_encrypted() {
        out.push_str(" (encrypted)");
    }
    out
}

/// What a typed block says, in one line.
pub(crate) fn block(block: &AnyBlock) -> String {
    match block {
        AnyBlock::Text(t) => text(t),
        AnyBlock::File(f) => file(f),
        AnyBlock::Caption(c) => format!("caption: {}", text(&c.text)),
        AnyBlock::AltText(a) => format!("alt text: {}", text(&a.text)),
        AnyBlock::Topic(t) => format!("topic: {}", text(&t.text)),
        AnyBlock::ImageDetails(d) => format!(
            "{}x{} px{}",
            d.width,
            d.height,
            if d.sticker { ", sticker" } else { "" }
        ),
        AnyBlock::Thumbnail(t) => {
            let each: Vec<String> = t
                .thumbnails
                .iter()
                .map(|th| {
                    format!(
                        "{} {}x{}",
                        th.file.mimetype.as_deref().unwrap_or("?"),
                        th.image_details.width,
                        th.image_details.height
                    )
                })
                .collect();
            format!("{} thumbnail(s): {}", t.thumbnails.len(), each.join(", "))
        }
        AnyBlock::VideoDetails(v) => match v.duration {
            Some(d) => format!("{}x{} px, {d} s", v.width, v.height),
            None => format!("{}x{} px", v.width, v.height),
        },
        AnyBlock::AudioDetails(a) => {
            let unit = match a.unit {
                DurationUnit::Milliseconds => "ms",
                _ => "s",
            };
            let waveform = a
                .waveform
                .as_ref()
                .map(|w| format!(", waveform of {} values (0..={})", w.len(), a.waveform_max))
                .unwrap_or_default();
            format!("{} {unit}{waveform}", a.duration)
        }
        AnyBlock::Automated(a) => format!("automated: {}", a.0),
        AnyBlock::Location(l) => match &l.description {
            Some(d) => format!("{} {}", l.uri, quote(d)),
            None => l.uri.clone(),
        },
        AnyBlock::Asset(a) => format!("asset type {}", a.asset_type),
        AnyBlock::Ts(t) => format!("{} ms since the epoch", t.millis()),
        AnyBlock::Poll(p) => {
            let answers: Vec<String> = p
                .answers_for_display()
                .iter()
                .map(|a| a.id.clone())
                .collect();
            format!(
                "{} kind, up to {} selection(s), question {}, answers {}",
                p.kind().as_str(),
                p.max_selections(),
                text(&p.question.text),
                answers.join(" ")
            )
        }
        AnyBlock::Selections(s) => format!("selects {}", s.answers().join(" ")),
        AnyBlock::PollResults(r) => {
            let tally: Vec<String> = r.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("results {}", tally.join(" "))
        }
        AnyBlock::RelatesTo(r) => {
            let mut parts = Vec::new();
            if let (Some(rel), Some(id)) = (&r.rel_type, &r.event_id) {
                parts.push(format!("{rel} {id}"));
            }
            if let Some(reply) = r.reply_to() {
                parts.push(format!("reply to {reply}"));
            }
            parts.join(", ")
        }
        AnyBlock::Mentions(m) => {
            let mut parts: Vec<String> = m.user_ids.iter().flatten().cloned().collect();
            if m.room == Some(true) {
                parts.push("@room".to_owned());
            }
            format!("mentions {}", parts.join(" "))
        }
        AnyBlock::Encrypted(e) => format!("encrypted with {}", e.algorithm),
        other => format!("{:?}", other.kind()),
    }
}
