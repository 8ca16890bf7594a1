//! The written site: a page for every published name, the org.example pages with their
//! example, preview and schema, and every internal link and resource resolving inside the
//! folder, read back with a real HTML tokenizer.

// Tests state what must hold and stop at the first thing that does not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/links.rs"]
mod links;

use std::path::{Path, PathBuf};

use exev_codec::{Options, json};
use exev_site::Site;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The site of the built-in registry and org.example, written into a fresh folder.
fn written(name: &str) -> PathBuf {
    written_site(name).0
}

/// The same, with the site.
fn written_site(name: &str) -> (PathBuf, Site) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let mut site = Site::built_in().unwrap();
    site.add_registrar(&repo().join("registrars/org.example"))
        .unwrap();
    site.write(&dir).unwrap();
    (dir, site)
}

fn read(dir: &Path, page: &str) -> String {
    std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn a_page_names_each_published_block_and_event_type() {
    let dir = written("site-published");
    let index = std::fs::read(repo().join("schemas/json/index.json")).unwrap();
    let index = json::value_from_slice(&index, &Options::default()).unwrap();
    let mut checked = 0;
    for (kind, folder) in [("event_types", "types"), ("blocks", "blocks")] {
        let names = index.get(kind).and_then(|v| v.as_object()).unwrap();
        assert!(!names.is_empty());
        for name in names.keys() {
            let page = read(&dir, &format!("{folder}/{name}.html"));
            assert!(
                page.contains(&format!("<h1><code>{name}</code></h1>")),
                "{folder}/{name}.html does not name {name}"
            );
            // Every fact is said in words, none as a Rust value's debug form.
            assert!(
                !page.contains("Also: "),
                "{folder}/{name}.html shows a constraint it cannot describe"
            );
            let listed = format!("href=\"{folder}/{name}.html\"");
            assert!(
                read(&dir, "index.html").contains(&listed),
                "the index does not link {folder}/{name}.html"
            );
            checked += 1;
        }
    }
    // MSC3551: a file event's file needs its name to be valid.
    assert!(
        read(&dir, "types/m.image.html")
            .contains("To be valid, its m.file must have a name (clients still show it without).")
    );
    // The index names every built-in definition, so every one has its page.
    let built_in = exev_registry::Registry::built_in();
    assert_eq!(
        checked,
        built_in.event_types().count() + built_in.blocks().count()
    );
}

#[test]
fn org_example_has_its_pages_and_the_temperature_page_its_example_preview_and_schema() {
    let dir = written("site-org-example");
    for page in [
        "types/org.example.temperature.html",
        "types/org.example.tank.level.html",
        "blocks/org.example.probe_value.html",
        "blocks/org.example.danger_level.html",
        "registrars/org.example.html",
    ] {
        let html = read(&dir, page);
        assert!(html.contains("<main id=\"main\""), "{page}");
    }
    let page = read(&dir, "types/org.example.temperature.html");
    // The example, in canonical JSON (HTML-escaped in the page).
    let example =
        std::fs::read(repo().join("registrars/org.example/examples/temperature.json")).unwrap();
    let canonical = json::to_vec(&json::from_slice(&example).unwrap()).unwrap();
    let escaped = String::from_utf8(canonical).unwrap().replace('"', "&#34;");
    assert!(page.contains(&escaped), "the canonical JSON is not shown");
    // Its fallback text, in the preview of a client that knows only m.message.
    let start = page
        .find("aria-label=\"A client that knows only m.message\"")
        .expect("a preview for an m.message-only client");
    let preview = &page[start..start + page[start..].find("</article>").unwrap()];
    assert!(
        preview.contains("<div class=\"body text\">It is 22 degrees at Home</div>"),
        "{preview}"
    );
    assert!(preview.contains("as <a href=\"../types/m.message.html\"><code>m.message</code>"));
    // The schema, shown and downloadable.
    assert!(page.contains(
        "https://exev.invalid/registrars/org.example/event_types/org.example.temperature.json"
    ));
    assert!(page.contains("href=\"../schemas/event_types/org.example.temperature.json\" download"));
    let schema = read(&dir, "schemas/event_types/org.example.temperature.json");
    assert!(schema.contains("\"org.example.probe_value\""));
    // The registrar's page gives the check's result.
    let registrar = read(&dir, "registrars/org.example.html");
    assert!(registrar.contains(
        "namespace org.example, 2 block(s), 2 event type(s), 4 example(s) (2 valid, 2 rejected as marked)"
    ));
    assert_eq!(
        registrar
            .matches("<span class=\"badge stable\">does</span>")
            .count(),
        4
    );
}

#[test]
fn every_internal_link_and_resource_resolves_and_nothing_is_remote() {
    let (dir, site) = written_site("site-links");
    let report = links::check(&dir);
    assert_eq!(report.problems, Vec::<String>::new());
    // Enough was checked for the check to mean something: every page, each with at least its
    // style sheet, the brand and index links and a link to each of the two registrars, and
    // its skip link to #main.
    let registry = site.registry();
    let pages = 1 + registry.event_types().count() + registry.blocks().count() + 2;
    assert_eq!(report.pages, pages);
    assert!(report.internal >= 5 * report.pages, "{report:?}");
    assert!(report.fragments >= report.pages, "{report:?}");
}

#[test]
fn the_link_check_catches_what_it_should() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site-broken");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("types")).unwrap();
    std::fs::write(dir.join("style.css"), "").unwrap();
    std::fs::write(
        dir.join("index.html"),
        r##"<html><head><link rel="stylesheet" href="https://fonts.example/x.css"></head><body>
        <a href="types/missing.html">gone</a> <a href="types/t.html#nowhere">no anchor</a>
        <a href="../outside.html">outside</a> <img src="logo.png" alt="">
        <script src="//cdn.example/x.js"></script> <a href="https://matrix.org">plain link</a>
        <a href="style.css">fine</a> <a href="#top" id="top">fine too</a></body></html>"##,
    )
    .unwrap();
    std::fs::write(dir.join("types/t.html"), r#"<p id="here"></p>"#).unwrap();
    let report = links::check(&dir);
    let expected = [
        "index.html: <link href=\"https://fonts.example/x.css\">: not relative",
        "index.html: <a href=\"types/missing.html\">: no such file",
        "index.html: <a href=\"types/t.html#nowhere\">: no id nowhere there",
        "index.html: <a href=\"../outside.html\">: leaves the site's folder",
        "index.html: <img src=\"logo.png\">: no such file",
        "index.html: <script src=\"//cdn.example/x.js\">: not relative",
        "index.html: <a href=\"https://matrix.org\">: not relative",
    ];
    assert_eq!(report.problems, expected);
}
