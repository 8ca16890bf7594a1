//! Choosing the text a client shows: the first representation it understands (MSC1767), the
//! best match for its user's languages (MSC3554), the plain-text form beside it, and a rich
//! reply's fallback stripped.

use exev::{TextBlock, TextRepresentation, block_path};

use super::capabilities::{DEFAULT_LANGUAGE, mimetype_matches};
use super::html::{is_too_deep, sanitize_checked, text_checked};
use super::rendering::{Skipped, TextSource};
use crate::{Capabilities, MAX_HTML_NESTING};

/// The text of a block chosen as the client would: the plain text (derived from HTML when
/// there is no plain representation) and the sanitised HTML.
pub(super) struct TextForm {
    /// The plain-text form.
    pub(super) plain: String,
    /// The sanitised HTML, when the representation chosen is HTML.
    pub(super) html: Option<String>,
    /// Where it came from.
    pub(super) source: TextSource,
    /// What was skipped: invalid representations, over-deep HTML.
    pub(super) skipped: Vec<Skipped>,
}

/// The language of a representation: its `lang`, or English (MSC3554).
fn lang(rep: &TextRepresentation) -> &str {
    rep.lang.as_deref().unwrap_or(DEFAULT_LANGUAGE)
}

/// The representation a client shows: among those it understands (plain text, HTML, and the
/// mimetypes it named), the one in the language its user prefers most, and among equals the
/// first sent (MSC1767: \"The first representation a renderer understands should be used\").
fn choose(text: &TextBlock, capabilities: &Capabilities) -> Option<usize> {
    let understood = |m: &str| {
        mimetype_matches("text/plain", m)
            || mimetype_matches("text/html", m)
            || capabilities.names_mimetype(m)
    };
    text.representations
        .iter()
        .enumerate()
        .filter(|(_, rep)| understood(rep.mimetype()))
        .min_by_key(|(i, rep)| {
            (
                capabilities
                    .language_rank(rep.lang.as_deref())
                    .unwrap_or(usize::MAX),
                *i,
            )
        })
        .map(|(i, _)| i)
}

/// The form of `text`, sent as the block `sent_as`, for `capabilities`; `reply` says the
/// event is a rich reply, whose plain-text fallback is stripped.
pub(super) fn text_form(
    text: &TextBlock,
    sent_as: &str,
    capabilities: &Capabilities,
    reply: bool,
) -> TextForm {
    let path = block_path(sent_as);
    let mut skipped: Vec<Skipped> = text
        .skipped
        .iter()
        .map(|s| {
            let e = s.error.clone().within(&path);
            Skipped {
                path: e.path().to_string(),
                reason: format!("invalid representation skipped: {}", e.kind()),
            }
        })
        .collect();
    let chosen = choose(text, capabilities);
    let rep = chosen.and_then(|i| text.representations.get(i));
    let same_lang =
        |r: &&TextRepresentation| rep.is_none_or(|c| lang(r).eq_ignore_ascii_case(lang(c)));
    let plain_rep = |same: bool| {
        text.representations
            .iter()
            .filter(|r| r.is(exev::DEFAULT_MIMETYPE))
            .find(|r| !same || same_lang(r))
    };
    // HTML shows only when it is the representation chosen.
    let html_body = rep.filter(|r| r.is("text/html")).map(|r| r.body.as_str());
    // Without HTML chosen, the first HTML representation in the chosen language can still
    // give the plain text.
    let html_for_plain = html_body.or_else(|| {
        text.representations
            .iter()
            .filter(|r| r.is("text/html"))
            .find(same_lang)
            .map(|r| r.body.as_str())
    });
    let too_deep = html_for_plain.is_some_and(is_too_deep);
    if too_deep {
        skipped.push(Skipped {
            path: path.to_string(),
            reason: format!(
                "the HTML representation nests deeper than {MAX_HTML_NESTING} levels: flattened to text"
            ),
        });
    }
    let html = html_body.map(|h| sanitize_checked(h, too_deep));
    let (plain, from_html, from_body) = match (
        rep.filter(|r| r.is(exev::DEFAULT_MIMETYPE)),
        plain_rep(true),
    ) {
        (Some(r), _) | (None, Some(r)) => (r.body.clone(), false, true),
        (None, None) => match (html_for_plain, plain_rep(false)) {
            (Some(body), _) => {
                let clean = html
                    .clone()
                    .unwrap_or_else(|| sanitize_checked(body, too_deep));
                (text_checked(body, &clean, too_deep), true, false)
            }
            (None, Some(r)) => (r.body.clone(), false, true),
            (None, None) => (
                rep.or_else(|| text.representations.first())
                    .map(|r| r.body.clone())
                    .unwrap_or_default(),
                false,
                true,
            ),
        },
    };
    // A reply's HTML fallback (`mx-reply`) goes with the sanitiser; its plain one here.
    let (plain, reply_fallback_stripped) = if reply && from_body {
        let stripped = exev::strip_reply_fallback(&plain);
        let changed = stripped.len() != plain.len();
        (stripped.to_owned(), changed)
    } else {
        (plain, false)
    };
    // The chosen representation's index in the array as sent, counting skipped ones.
    let representation = chosen.map(|valid_index| {
        let mut index = valid_index;
        for s in &text.skipped {
            if s.index <= index {
                index += 1;
            }
        }
        index
    });
    TextForm {
        plain,
        html,
        source: TextSource {
            block: sent_as.to_owned(),
            representation,
            mimetype: rep.map(|r| r.mimetype().to_owned()),
            lang: rep.and_then(|r| r.lang.clone()),
            from_html,
            generated: false,
            reply_fallback_stripped,
        },
        skipped,
    }
}

/// Plain text and sanitised HTML of a nested text (a caption, a poll's question).
pub(super) fn plain_and_html(
    text: &TextBlock,
    capabilities: &Capabilities,
) -> (String, Option<String>) {
    let form = text_form(text, "", capabilities, false);
    (form.plain, form.html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use exev::{Block, Value};

    fn block(json: &str) -> TextBlock {
        let v = exev_codec::json::from_str(&format!(
            r#"{{"type": "t", "content": {{"m.text": {json}}}}}"#
        ))
        .unwrap();
        TextBlock::from_value(v.content().get_raw("m.text").unwrap_or(&Value::Null)).unwrap()
    }

    #[test]
    fn the_first_understood_representation_wins_for_html_too() {
        let t =
            block(r#"[{"body": "plain first"}, {"body": "<b>html</b>", "mimetype": "text/html"}]"#);
        let form = text_form(&t, "m.text", &Capabilities::new(), false);
        assert_eq!(form.plain, "plain first");
        assert_eq!(form.html, None);
        let t = block(r#"[{"body": "<b>html</b>", "mimetype": "text/html"}, {"body": "plain"}]"#);
        let form = text_form(&t, "m.text", &Capabilities::new(), false);
        assert_eq!(
            (form.plain.as_str(), form.html.as_deref()),
            ("plain", Some("<b>html</b>"))
        );
    }

    #[test]
    fn languages_choose() {
        let t = block(
            r#"[{"body": "Je suis un poisson", "lang": "fr"}, {"body": "I am a fish", "lang": "en"}]"#,
        );
        let first = text_form(&t, "m.text", &Capabilities::new(), false);
        assert_eq!(first.plain, "Je suis un poisson");
        let en = text_form(&t, "m.text", &Capabilities::new().languages(["en"]), false);
        assert_eq!(
            (en.plain.as_str(), en.source.lang.as_deref()),
            ("I am a fish", Some("en"))
        );
        let de_en = text_form(
            &t,
            "m.text",
            &Capabilities::new().languages(["de", "en-GB"]),
            false,
        );
        assert_eq!(de_en.plain, "I am a fish");
        let none = text_form(&t, "m.text", &Capabilities::new().languages(["ja"]), false);
        assert_eq!(none.plain, "Je suis un poisson");
    }

    #[test]
    fn replies_lose_their_fallback() {
        let t = block(r#"[{"body": "> <@alice:example.org> hi\n\nhello back"}]"#);
        let form = text_form(&t, "m.text", &Capabilities::new(), true);
        assert_eq!(form.plain, "hello back");
        assert!(form.source.reply_fallback_stripped);
        let form = text_form(&t, "m.text", &Capabilities::new(), false);
        assert!(form.plain.starts_with("> "));
    }
}
