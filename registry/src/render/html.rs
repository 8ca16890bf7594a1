//! HTML from events: sanitised to the Matrix allow-list with ammonia, and turned into plain
//! text for clients (and notifications) that show no markup.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The tags the Matrix specification suggests clients permit in HTML bodies (client-server
/// API, `m.room.message` msgtypes), with the deprecated `font` and `strike` still read.
pub const ALLOWED_TAGS: &[&str] = &[
    "font",
    "del",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "p",
    "a",
    "ul",
    "ol",
    "sup",
    "sub",
    "li",
    "b",
    "i",
    "u",
    "strong",
    "em",
    "s",
    "strike",
    "code",
    "hr",
    "br",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "pre",
    "span",
    "img",
    "details",
    "summary",
];

/// The attributes permitted on each tag; no other attribute survives.
pub const ALLOWED_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("font", &["data-mx-bg-color", "data-mx-color", "color"]),
    (
        "span",
        &[
            "data-mx-bg-color",
            "data-mx-color",
            "data-mx-spoiler",
            "data-mx-maths",
        ],
    ),
    ("a", &["name", "target", "href"]),
    ("img", &["width", "height", "alt", "title", "src"]),
    ("ol", &["start"]),
    ("code", &["class"]),
    ("div", &["data-mx-maths"]),
];

/// The URL schemes links may use. Images may only use `mxc`.
pub const LINK_SCHEMES: &[&str] = &["https", "http", "ftp", "mailto", "magnet"];

/// Elements removed together with everything inside them: scripts and styles, the rich-reply
/// fallback `mx-reply` (the spec says to strip it and its content since v1.13), and elements
/// whose content is not text meant for people.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "mx-reply", "template", "iframe", "noscript", "noembed", "noframes",
    "textarea", "title", "xmp", "object", "applet", "select",
];

/// Whether `value` is a colour as the spec's colour attributes take it: `#` and six hex digits.
fn is_hex_colour(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 7
        && bytes.first() == Some(&b'#')
        && bytes.iter().skip(1).all(u8::is_ascii_hexdigit)
}

/// The scheme of a URL, lower-cased, if it has one.
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.trim_start().split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Checks one permitted attribute's value beyond what ammonia's allow-lists express.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("img", "src") => (scheme(value).as_deref() == Some("mxc")).then_some(Cow::Borrowed(value)),
        ("a", "href") => scheme(value)
            .is_some_and(|s| LINK_SCHEMES.contains(&s.as_str()))
            .then_some(Cow::Borrowed(value)),
        ("code", "class") => {
            let classes: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|c| c.starts_with("language-"))
                .collect();
            (!classes.is_empty()).then(|| Cow::Owned(classes.join(" ")))
        }
        (_, "color" | "data-mx-color" | "data-mx-bg-color") => {
            is_hex_colour(value).then_some(Cow::Borrowed(value))
        }
        ("ol", "start") | ("img", "width" | "height") => value
            .trim()
            .parse::<i64>()
            .is_ok()
            .then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// The sanitiser, configured once.
fn sanitiser() -> &'static Builder<'static> {
    static SANITISER: OnceLock<Builder<'static>> = OnceLock::new();
    SANITISER.get_or_init(|| {
        let mut builder = Builder::empty();
        builder
            .tags(ALLOWED_TAGS.iter().copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            .tag_attributes(
                ALLOWED_ATTRIBUTES
                    .iter()
                    .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
                    .collect(),
            )
            .url_schemes(
                LINK_SCHEMES
                    .iter()
                    .copied()
                    .chain(["mxc"])
                    .collect::<HashSet<_>>(),
            )
            .url_relative(UrlRelative::Deny)
            .link_rel(Some("noopener"))
            .strip_comments(true)
            .attribute_filter(filter_attribute);
        builder
    })
}

/// The deepest nesting of tags the spec allows ("Tags must not be nested more than 100 levels
/// deep"). Deeper HTML is flattened to its text instead of parsed as a tree: HTML parsers do
/// work proportional to the depth for each tag, so depth is what makes hostile HTML slow.
pub const MAX_HTML_NESTING: usize = 100;

/// Elements whose end tag may be left out and which a following sibling closes: they do not
/// deepen the nesting when repeated, so they are not counted.
fn closes_implicitly(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "colgroup"
            | "caption"
    )
}

/// Elements that never have content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Runs the HTML tokenizer over `html`, handing every token to `sink` (no tree is built, so
/// this is linear in the input).
fn tokenize<S: TokenSink<Handle = ()>>(html: &str, sink: S) -> S {
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sinks here never ask the tokenizer to stop for a script; loop anyway.
    while let html5ever::TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink
}

/// Measures how deeply tags nest.
#[derive(Default)]
struct DepthSink {
    depth: Cell<usize>,
    max: Cell<usize>,
}

impl TokenSink for DepthSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            let name: &str = &tag.name;
            if is_void(name) || closes_implicitly(name) {
                return TokenSinkResult::Continue;
            }
            match tag.kind {
                TagKind::StartTag if !tag.self_closing => {
                    let depth = self.depth.get().saturating_add(1);
                    self.depth.set(depth);
                    self.max.set(self.max.get().max(depth));
                }
                TagKind::EndTag => self.depth.set(self.depth.get().saturating_sub(1)),
                TagKind::StartTag => {}
            }
        }
        TokenSinkResult::Continue
    }
}

/// How deeply the tags of `html` nest, counting open elements (elements that close
/// implicitly, like `p` and `li`, and void elements, like `br`, are not counted).
///
/// ```
/// use exev_registry::html_nesting_depth;
///
/// assert_eq!(html_nesting_depth("<b><i>x</i></b><p>a<p>b<br>"), 2);
/// ```
pub fn html_nesting_depth(html: &str) -> usize {
    tokenize(html, DepthSink::default()).max.get()
}

/// HTML reduced to the Matrix allow-list: permitted tags and attributes only, links with
/// `https`, `http`, `ftp`, `mailto` or `magnet` URLs (and `rel="noopener"`), images from
/// `mxc://` only, code classes `language-*` only, colours as `#rrggbb` only; scripts, styles
/// and `mx-reply` removed with their content; other tags removed, their text kept.
///
/// HTML nested deeper than [`MAX_HTML_NESTING`] comes back as its plain text
/// ([`html_to_text`]), escaped, with `<br>` for line breaks.
///
/// ```
/// use exev_registry::sanitize_html;
///
/// assert_eq!(
///     sanitize_html(r#"<b onclick="x()">hi</b><script>alert(1)</script><a href="javascript:x()">y</a>"#),
///     "<b>hi</b><a rel=\"noopener\">y</a>"
/// );
/// ```
pub fn sanitize_html(html: &str) -> String {
    sanitize_checked(html, is_too_deep(html))
}

/// Whether `html` nests deeper than [`MAX_HTML_NESTING`].
pub(crate) fn is_too_deep(html: &str) -> bool {
    html_nesting_depth(html) > MAX_HTML_NESTING
}

/// [`sanitize_html`] with the depth already measured.
pub(crate) fn sanitize_checked(html: &str, too_deep: bool) -> String {
    if too_deep {
        return text_to_html(&flat_text(html));
    }
    sanitiser().clean(html).to_string()
}

/// [`html_to_text`] of `html`, whose sanitised form is `sanitized`, with the depth already
/// measured.
pub(crate) fn text_checked(html: &str, sanitized: &str, too_deep: bool) -> String {
    if too_deep {
        return flat_text(html);
    }
    tokenize(sanitized, TextSink::default())
        .text
        .into_inner()
        .finish()
}

/// Plain text as HTML: `&`, `<`, `>` and `"` escaped, line breaks as `<br>`.
///
/// ```
/// assert_eq!(exev_registry::text_to_html("a < b\nc"), "a &lt; b<br>c");
/// ```
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// The text of HTML read token by token without building a tree: used when the HTML nests
/// too deeply to be parsed. Elements removed with their content by the sanitiser are skipped
/// here too.
fn flat_text(html: &str) -> String {
    let sink = TextSink {
        text: RefCell::new(TextBuilder {
            raw: true,
            ..TextBuilder::default()
        }),
    };
    tokenize(html, sink).text.into_inner().finish()
}

/// The plain text of an HTML body: sanitised first (so script and style contents never show),
/// then its words with line breaks where the markup has them (`br`, paragraphs, headings,
/// list items, table rows, ...). List items get `- ` or their number, table cells are
/// separated by tabs, images show their `alt` text, and spoilers (`span data-mx-spoiler`)
/// show as `[spoiler]` (or `[spoiler: reason]`) instead of their content, as the spec asks of
/// plain-text fallbacks. HTML nested deeper than [`MAX_HTML_NESTING`] is read token by token
/// instead of parsed, with the same rules.
///
/// ```
/// use exev_registry::html_to_text;
///
/// assert_eq!(
///     html_to_text("<h1>Title</h1><p>One<br>two</p><ol><li>a</li><li>b</li></ol>"),
///     "Title\nOne\ntwo\n1. a\n2. b"
/// );
/// ```
pub fn html_to_text(html: &str) -> String {
    let too_deep = is_too_deep(html);
    let sanitized = if too_deep {
        String::new()
    } else {
        sanitiser().clean(html).to_string()
    };
    text_checked(html, &sanitized, too_deep)
}

/// The deepest list nesting shown by indentation in derived text.
const MAX_LIST_INDENT: usize = 8;

/// Tags that start and end a line of their own.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "li"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "caption"
            | "details"
            | "summary"
            | "hr"
    )
}

/// The tokenizer's sink: all state lives in a `RefCell` because html5ever hands tokens over
/// through `&self`.
#[derive(Default)]
struct TextSink {
    text: RefCell<TextBuilder>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut text = self.text.borrow_mut();
        match token {
            Token::CharacterTokens(chars) => text.characters(&chars),
            Token::TagToken(tag) => text.tag(&tag),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// One open list: ordered lists count their items.
struct List {
    next: Option<i64>,
}

/// Builds the plain text token by token.
#[derive(Default)]
struct TextBuilder {
    out: String,
    /// Line breaks to write before the next text.
    newlines: usize,
    /// Whether a space is due before the next text (collapsed whitespace).
    space: bool,
    /// What to write at the start of the next text: a list marker or a cell separator.
    prefix: Option<String>,
    /// How many `pre` elements are open: whitespace is kept inside them.
    pre: usize,
    lists: Vec<List>,
    /// Whether each open `span` is a spoiler.
    spans: Vec<bool>,
    /// Cells seen in the current table row.
    cells: usize,
    /// Whether the tokens come from unsanitised HTML: elements the sanitiser would remove
    /// with their content must then be skipped here.
    raw: bool,
    /// How many such elements are open.
    removed: usize,
}

impl TextBuilder {
    /// Whether text is not shown here: inside a spoiler or a removed element.
    fn spoilers(&self) -> bool {
        self.removed > 0 || self.spans.iter().any(|s| *s)
    }

    fn line_break(&mut self) {
        self.newlines = self.newlines.max(1);
        self.space = false;
    }

    /// Writes what is due before text: line breaks, a prefix, a space.
    fn flush(&mut self) {
        if !self.out.is_empty() {
            for _ in 0..self.newlines {
                self.out.push('\n');
            }
        }
        if let Some(prefix) = self.prefix.take() {
            self.out.push_str(&prefix);
            self.space = false;
        }
        if self.space && self.newlines == 0 && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.newlines = 0;
        self.space = false;
    }

    fn characters(&mut self, chars: &str) {
        if self.spoilers() {
            return;
        }
        if self.pre > 0 {
            let kept: String = chars.chars().filter(|c| *c != '\r').collect();
            if !kept.is_empty() {
                self.flush();
                self.out.push_str(&kept);
            }
            return;
        }
        for word in chars.split(|c: char| c.is_ascii_whitespace()) {
            if word.is_empty() {
                self.space = true;
                continue;
            }
            self.flush();
            self.out.push_str(word);
            self.space = true;
        }
        // The last piece of the split is followed by no whitespace.
        if !chars.ends_with(|c: char| c.is_ascii_whitespace()) {
            self.space = false;
        }
    }

    /// Writes `text` as if it were character data (alt text, spoiler markers).
    fn inline(&mut self, text: &str) {
        if self.spoilers() {
            return;
        }
        self.flush();
        self.out.push_str(text);
    }

    fn attribute<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
        tag.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    }

    fn tag(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if self.raw && REMOVED_WITH_CONTENT.contains(&name) {
            if start && !tag.self_closing {
                self.removed = self.removed.saturating_add(1);
            } else if !start {
                self.removed = self.removed.saturating_sub(1);
            }
            return;
        }
        if is_block(name) {
            self.line_break();
        }
        match (name, start) {
            ("br", _) if !self.spoilers() => {
                self.newlines += 1;
                self.space = false;
            }
            ("pre", true) => self.pre += 1,
            ("pre", false) => self.pre = self.pre.saturating_sub(1),
            ("ul", true) => self.lists.push(List { next: None }),
            ("ol", true) => {
                let start = TextBuilder::attribute(tag, "start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push(List { next: Some(start) });
            }
            ("ul" | "ol", false) => {
                self.lists.pop();
            }
            ("li", true) => {
                // Indentation shows nesting, up to a point: deeper lists add nothing.
                let depth = self.lists.len().saturating_sub(1).min(MAX_LIST_INDENT);
                let marker = match self.lists.last_mut() {
                    Some(List { next: Some(n) }) => {
                        let marker = format!("{n}. ");
                        *n = n.saturating_add(1);
                        marker
                    }
                    _ => "- ".to_owned(),
                };
                self.prefix = Some(format!("{}{marker}", "  ".repeat(depth)));
            }
            ("tr", true) => self.cells = 0,
            ("td" | "th", true) => {
                if self.cells > 0 {
                    self.prefix = Some("\t".to_owned());
                }
                self.cells += 1;
            }
            ("img", _) => {
                if let Some(alt) = TextBuilder::attribute(tag, "alt").filter(|a| !a.is_empty()) {
                    let alt = alt.to_owned();
                    self.inline(&alt);
                }
            }
            ("span", true) => match TextBuilder::attribute(tag, "data-mx-spoiler") {
                Some(reason) => {
                    let marker = if reason.trim().is_empty() {
                        "[spoiler]".to_owned()
                    } else {
                        format!("[spoiler: {}]", reason.trim())
                    };
                    self.inline(&marker);
                    self.spans.push(true);
                }
                None => self.spans.push(false),
            },
            ("span", false) => {
                self.spans.pop();
            }
            _ => {}
        }
    }

    fn finish(self) -> String {
        self.out.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_html_is_sanitised() {
        let cases = [
            ("<script>alert(1)</script>hi", "hi"),
            ("<img src=x onerror=alert(1)>", "<img>"),
            (
                r#"<a href="javascript:alert(1)">x</a>"#,
                r#"<a rel="noopener">x</a>"#,
            ),
            (
                r#"<a href=" JaVaScRiPt:alert(1)">x</a>"#,
                r#"<a rel="noopener">x</a>"#,
            ),
            (
                r#"<a href="https://matrix.org" onclick="steal()">m</a>"#,
                r#"<a href="https://matrix.org" rel="noopener">m</a>"#,
            ),
            (r#"<a href="mxc://a/b">f</a>"#, r#"<a rel="noopener">f</a>"#),
            (r#"<a href="/relative">r</a>"#, r#"<a rel="noopener">r</a>"#),
            (
                r#"<img src="mxc://a/b" alt="cat" width="10" height="x">"#,
                r#"<img src="mxc://a/b" alt="cat" width="10">"#,
            ),
            (r#"<img src="https://evil/track.png">"#, "<img>"),
            ("<style>body{display:none}</style>text", "text"),
            ("<iframe src=https://evil>inner</iframe>ok", "ok"),
            (
                "<mx-reply><blockquote>quoted</blockquote></mx-reply>reply",
                "reply",
            ),
            ("<marquee>moving</marquee>", "moving"),
            (
                r#"<div style="font-size:999px">big</div>"#,
                "<div>big</div>",
            ),
            (
                r#"<code class="language-rust hljs evil">x</code>"#,
                r#"<code class="language-rust">x</code>"#,
            ),
            (r#"<code class="evil">x</code>"#, "<code>x</code>"),
            (
                r##"<span data-mx-color="#ff0000" data-mx-bg-color="red">c</span>"##,
                r##"<span data-mx-color="#ff0000">c</span>"##,
            ),
            (
                r##"<font color="#00ff00" face="x">f</font>"##,
                r##"<font color="#00ff00">f</font>"##,
            ),
            (
                r#"<ol start="3" type="a"><li>x</li></ol>"#,
                r#"<ol start="3"><li>x</li></ol>"#,
            ),
            ("<!-- secret -->visible", "visible"),
            ("<svg><script>alert(1)</script></svg>", ""),
            ("<form><input value=x></form>", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize_html(input), expected, "{input}");
        }
    }

    #[test]
    fn text_keeps_words_and_line_breaks() {
        let cases = [
            ("<b>Hello</b> <i>world</i>", "Hello world"),
            ("one<br>two<br/>three", "one\ntwo\nthree"),
            ("a<br><br>b", "a\n\nb"),
            ("<p>para one</p><p>para two</p>", "para one\npara two"),
            ("<h1>Title</h1>body", "Title\nbody"),
            ("<ul><li>x</li><li>y</li></ul>after", "- x\n- y\nafter"),
            (
                r#"<ol start="4"><li>x</li><li>y<ul><li>z</li></ul></li></ol>"#,
                "4. x\n5. y\n  - z",
            ),
            ("  lots   of\n\n   space  ", "lots of space"),
            ("<pre>  keep\n    this</pre>", "  keep\n    this"),
            ("a &amp; b &lt;c&gt;", "a & b <c>"),
            (
                "<table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table>",
                "k\tv\n1\t2",
            ),
            (r#"<img src="mxc://a/b" alt="a cat">"#, "a cat"),
            (
                "<span data-mx-spoiler>the end</span> is near",
                "[spoiler] is near",
            ),
            (
                r#"Alice <span data-mx-spoiler="health">lived</span> on"#,
                "Alice [spoiler: health] on",
            ),
            ("<script>alert('x')</script>safe", "safe"),
            ("<mx-reply>In reply to</mx-reply>answer", "answer"),
            ("x<b>y</b>z", "xyz"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(html_to_text(input), expected, "{input}");
        }
    }

    #[test]
    fn deep_nesting_is_flattened_quickly() {
        for tag in ["div", "b", "span", "ul", "blockquote", "table"] {
            let html = format!(
                "<script>evil()</script>{}x<br>y{}",
                format!("<{tag}>").repeat(20_000),
                format!("</{tag}>").repeat(20_000)
            );
            let started = std::time::Instant::now();
            assert!(html_nesting_depth(&html) > MAX_HTML_NESTING);
            let text = html_to_text(&html);
            assert!(text.ends_with("x\ny"), "{tag}: {text}");
            assert!(!text.contains("evil"), "{tag}");
            assert_eq!(sanitize_html(&html), text_to_html(&text), "{tag}");
            // Linear work: far below the seconds a tree parser needs at this depth.
            assert!(
                started.elapsed().as_secs() < 5,
                "{tag}: {:?}",
                started.elapsed()
            );
        }
        // At the limit the tree is still parsed.
        let at_limit = format!("{}x{}", "<div>".repeat(100), "</div>".repeat(100));
        assert_eq!(html_nesting_depth(&at_limit), MAX_HTML_NESTING);
        assert!(sanitize_html(&at_limit).starts_with("<div><div>"));
    }

    #[test]
    fn list_indentation_is_capped() {
        // Empty items leave no line; the deepest shows at the capped indentation.
        let html = format!("<ul><li>a{}x", "<ul><li>".repeat(50));
        let text = html_to_text(&html);
        assert_eq!(text, format!("- a\n{}- x", "  ".repeat(MAX_LIST_INDENT)));
    }

    #[test]
    fn implicitly_closed_and_void_elements_do_not_count() {
        let many = "<p>a".repeat(500) + &"<li>b<br>".repeat(500);
        assert_eq!(html_nesting_depth(&many), 0);
        assert!(sanitize_html(&many).starts_with("<p>a</p><p>a</p>"));
    }
}
