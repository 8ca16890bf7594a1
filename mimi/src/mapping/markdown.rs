//! Markdown text parts, rendered to HTML for Matrix clients (which read `text/plain` and
//! HTML, not Markdown): the derived representation follows its Markdown one in `m.text`, and
//! is left out again on the way back, since it is derived.
//!
//! `text/markdown;variant=GFM-MIMI` (§7.1.1) is GitHub Flavored Markdown with tables, task
//! lists and strikethrough, no extended autolinks, and the "No HTML" rule: any HTML in it is
//! text. Other Markdown variants are read as CommonMark. The renderer sanitises the HTML in
//! either case.

use exev::TextRepresentation;
use pulldown_cmark::{Event, Options, Parser};

use super::project::is_media_type;

/// The mimetype of the derived representation.
const HTML: &str = "text/html";

/// Whether a content type is GFM-MIMI.
fn is_gfm_mimi(content_type: &str) -> bool {
    content_type
        .split(';')
        .skip(1)
        .any(|p| p.trim().eq_ignore_ascii_case("variant=GFM-MIMI"))
}

/// The HTML of Markdown `text` in the variant `content_type` names.
fn to_html(text: &str, content_type: &str) -> String {
    let gfm = is_gfm_mimi(content_type);
    let options = if gfm {
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
    } else {
        Options::empty()
    };
    // GFM-MIMI's "No HTML": tags are text.
    let events = Parser::new_ext(text, options).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) if gfm => Event::Text(h),
        other => other,
    });
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html.truncate(html.trim_end().len());
    html
}

/// The representation derived from `rep`, when it is Markdown.
pub(crate) fn derived(rep: &TextRepresentation) -> Option<TextRepresentation> {
    let mimetype = rep.mimetype.as_deref()?;
    if !is_media_type(mimetype, "text/markdown") {
        return None;
    }
    let mut html = TextRepresentation::new(to_html(&rep.body, mimetype), Some(HTML));
    html.lang = rep.lang.clone();
    Some(html)
}

/// `reps` with the derived representation after each Markdown one.
pub(crate) fn with_derived(reps: Vec<TextRepresentation>) -> Vec<TextRepresentation> {
    let mut out = Vec::with_capacity(reps.len() * 2);
    for rep in reps {
        let html = derived(&rep);
        out.push(rep);
        out.extend(html);
    }
    out
}

/// `reps` without the representations derived from the one before them.
pub(crate) fn without_derived(reps: &[TextRepresentation]) -> Vec<&TextRepresentation> {
    let mut out: Vec<&TextRepresentation> = Vec::with_capacity(reps.len());
    let mut previous: Option<&TextRepresentation> = None;
    for rep in reps {
        let is_derived = previous.and_then(derived).as_ref() == Some(rep);
        if !is_derived {
            out.push(rep);
        }
        // A derived one is never the Markdown a next one derives from.
        previous = (!is_derived).then_some(rep);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gfm_mimi_has_no_html_and_no_extended_autolinks() {
        let md = "Hi __Good  work__! <b>x</b> ~~gone~~ https://example.com";
        let html = to_html(md, "text/markdown;variant=GFM-MIMI");
        assert_eq!(
            html,
            "<p>Hi <strong>Good  work</strong>! &lt;b&gt;x&lt;/b&gt; <del>gone</del> https://example.com</p>"
        );
        let links = to_html(
            "[@Alice](mimi://example.com/u/alice) <mimi://example.com/u/bob>",
            "text/markdown;variant=GFM-MIMI",
        );
        assert!(
            links.contains(r#"<a href="mimi://example.com/u/alice">@Alice</a>"#),
            "{links}"
        );
        assert!(
            links.contains(r#"<a href="mimi://example.com/u/bob">"#),
            "{links}"
        );
    }

    #[test]
    fn derived_representations_come_and_go() {
        let md = TextRepresentation::new("# Hi", Some("text/markdown;variant=GFM-MIMI"));
        let plain = TextRepresentation::new("Hi", None);
        let reps = with_derived(vec![md.clone(), plain.clone()]);
        assert_eq!(reps.len(), 3);
        assert_eq!(reps[1].body, "<h1>Hi</h1>");
        assert_eq!(without_derived(&reps), [&md, &plain]);
        // An HTML representation that is not the derived one stays.
        let other = TextRepresentation::new("<h1>Ho</h1>", Some("text/html"));
        let sent = [md.clone(), other.clone()];
        assert_eq!(without_derived(&sent), [&md, &other]);
    }
}
