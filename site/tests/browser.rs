//! The registry website in a real browser: headless Chromium (Debian's package) opens the
//! index, event type, block and registrar pages as files, at 375 and 1280 pixels wide, in the
//! light and the dark scheme, and checks that each renders with content and no script error,
//! that every reference on it resolves inside the folder, that the filter narrows the index as
//! one types, that the pages pass basic accessibility checks (landmarks, names, contrast), and
//! that nothing at all was requested from the network. Screenshots go to
//! `target/tmp/site-screenshots/`.
//!
//! Without Chromium the test says so and passes, unless `EXEV_REQUIRE_BROWSER` is set, as
//! `.ci/run` sets it after installing Chromium: there its absence is a failure.

// Tests state what must hold and stop at the first thing that does not; they say what they
// skipped and where the screenshots are.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

#[path = "support/cdp.rs"]
mod cdp;

use std::path::{Path, PathBuf};

use serde_json::Value;

use cdp::{Browser, Tab};
use exev_site::Site;

/// The widths every page is checked at: a phone and a desktop.
const WIDTHS: [u32; 2] = [375, 1280];

/// The tallest screenshot taken, in pixels.
const MAX_SHOT_HEIGHT: u64 = 12_000;

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// The pages opened, with the heading each must show and a piece of text its `main` must hold.
const PAGES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "Event types and content blocks",
        "org.example.temperature",
    ),
    (
        "types/m.image.html",
        "m.image",
        "A black square bracket pair around the letter m",
    ),
    (
        "types/org.example.temperature.html",
        "org.example.temperature",
        "It is 22 degrees at Home",
    ),
    ("blocks/m.text.html", "m.text", "Event types that use it"),
    (
        "registrars/org.example.html",
        "org.example",
        "rejected as marked",
    ),
];

/// Checks run in the page: landmarks, one `h1`, named pictures and inputs, and the WCAG
/// contrast of every piece of text against its background (4.5:1, or 3:1 for large text).
/// Returns the list of what fails.
const ACCESSIBILITY: &str = r#"(() => {
  const problems = [];
  for (const landmark of ["header", "nav", "main", "footer"]) {
    if (document.querySelectorAll(landmark).length < 1) problems.push("no " + landmark);
  }
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one main");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  if (!document.documentElement.lang) problems.push("no lang on html");
  for (const img of document.querySelectorAll("img:not([alt])")) problems.push("img without alt: " + img.src);
  for (const pic of document.querySelectorAll("[role=img]")) {
    if (!(pic.getAttribute("aria-label") || "").trim()) problems.push("role=img without a name");
  }
  for (const input of document.querySelectorAll("input")) {
    if (!input.labels || input.labels.length === 0) problems.push("input without a label: " + input.id);
  }
  const rgba = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) return c;
    }
    return rgba(getComputedStyle(document.documentElement).backgroundColor) || [255, 255, 255, 1];
  };
  const checked = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let count = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || checked.has(el) || el.closest("svg")) continue;
    checked.add(el);
    if (el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    const fg = rgba(style.color), bg = background(el);
    const ratio = (Math.max(luminance(fg), luminance(bg)) + 0.05) / (Math.min(luminance(fg), luminance(bg)) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    count += 1;
    if (ratio < needed) problems.push("contrast " + ratio.toFixed(2) + " < " + needed + ": " + el.tagName + " " + JSON.stringify(node.textContent.trim().slice(0, 40)));
  }
  if (count < 10) problems.push("only " + count + " pieces of text checked");
  return problems;
})()"#;

/// Every reference on the page, resolved by the browser: `[tag, url, is a message's link]`.
const REFERENCES: &str = r#"[...document.querySelectorAll("[href],[src]")].map((e) => [
  e.tagName.toLowerCase(), e.href || e.src, e.tagName === "A" && (e.rel || "").split(" ").includes("nofollow")
])"#;

/// What the page loaded, by the Performance API: the document and every resource.
const LOADED: &str = r#"performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).map((e) => e.name)"#;

/// The names of the index's entries a person sees.
const VISIBLE_ENTRIES: &str = r#"[...document.querySelectorAll("[data-entry]")].filter((e) => e.getClientRects().length > 0).map((e) => e.querySelector(".entry-title code").textContent)"#;

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The file a `file://` URL names, without its fragment.
fn file_of(url: &str) -> PathBuf {
    let path = url.strip_prefix("file://").unwrap();
    PathBuf::from(path.split(['#', '?']).next().unwrap())
}

/// The URLs among `urls` that are not files: what came, or would have come, from a network.
fn remote(urls: &[String]) -> Vec<String> {
    urls.iter()
        .filter(|u| !u.starts_with("file://"))
        .cloned()
        .collect()
}

/// Width and height from a PNG's header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// Writes the site of the built-in registry and org.example into `dir`; returns how many
/// entries its index has.
fn site(dir: &Path) -> usize {
    let _ = std::fs::remove_dir_all(dir);
    let mut site = Site::built_in().unwrap();
    site.add_registrar(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../registrars/org.example"))
        .unwrap();
    site.write(dir).unwrap();
    site.registry().event_types().count() + site.registry().blocks().count()
}

/// Opens `page`, checks it at every width and scheme, and saves its screenshots.
fn check_page(
    tab: &mut Tab<'_>,
    dir: &Path,
    shots: &Path,
    (page, heading, text): (&str, &str, &str),
) {
    let url = cdp::file_url(dir, page);
    tab.navigate(&url).unwrap();
    let h1 = tab
        .eval("document.querySelector('main h1').textContent.trim()")
        .unwrap();
    assert_eq!(h1.as_str(), Some(heading), "{page}");
    let main = tab
        .eval("document.querySelector('main').innerText")
        .unwrap();
    let main = main.as_str().unwrap();
    assert!(main.contains(text), "{page}: main lacks {text:?}");
    assert!(
        main.len() > 400,
        "{page}: main has only {} characters",
        main.len()
    );
    for scheme in ["light", "dark"] {
        for width in WIDTHS {
            tab.viewport(width, scheme).unwrap();
            let overflow = tab
                .eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                .unwrap();
            assert_eq!(
                overflow.as_i64(),
                Some(0),
                "{page} scrolls sideways at {width} px ({scheme})"
            );
            let problems = tab.eval(ACCESSIBILITY).unwrap();
            assert_eq!(
                strings(&problems),
                Vec::<String>::new(),
                "{page} at {width} px ({scheme})"
            );
            if scheme == "dark" && width != WIDTHS[0] {
                continue;
            }
            let png = tab.screenshot(MAX_SHOT_HEIGHT).unwrap();
            assert_eq!(png_size(&png).0, width, "{page}");
            assert!(
                png_size(&png).1 > 500,
                "{page}: the screenshot is {:?}",
                png_size(&png)
            );
            let name = format!(
                "{}-{width}-{scheme}.png",
                page.trim_end_matches(".html").replace('/', "-")
            );
            std::fs::write(shots.join(name), &png).unwrap();
        }
    }
    tab.viewport(1280, "light").unwrap();
    // Every reference the browser resolved is a file in the folder (fragments included), or
    // a message's own link.
    let site_dir = std::fs::canonicalize(dir).unwrap();
    let references = tab.eval(REFERENCES).unwrap();
    let references = references.as_array().unwrap();
    assert!(references.len() > 5, "{page}");
    for reference in references {
        let (tag, url, message_link) = (
            reference[0].as_str().unwrap(),
            reference[1].as_str().unwrap(),
            reference[2].as_bool().unwrap(),
        );
        if !url.starts_with("file://") {
            assert!(
                message_link && tag == "a",
                "{page}: <{tag}> {url} is not in the folder"
            );
            continue;
        }
        let file = file_of(url);
        assert!(
            file.starts_with(&site_dir),
            "{page}: {url} leaves the folder"
        );
        assert!(file.is_file(), "{page}: {url} does not resolve");
    }
    // What the page loaded, by the Performance API (it lists the document; Chromium keeps no
    // resource timing for files) and by the DevTools log (every request, files included).
    let loaded = strings(&tab.eval(LOADED).unwrap());
    assert_eq!(remote(&loaded), Vec::<String>::new(), "{page}");
    let requested = tab.requests();
    assert!(
        requested.iter().any(|u| u.ends_with("/style.css")),
        "{page}: {requested:?}"
    );
}

fn filter_narrows_the_index(tab: &mut Tab<'_>, dir: &Path, entries: usize) {
    tab.navigate(&cdp::file_url(dir, "index.html")).unwrap();
    let all = strings(&tab.eval(VISIBLE_ENTRIES).unwrap());
    assert_eq!(all.len(), entries, "every entry shows before filtering");
    assert_eq!(
        tab.eval("document.getElementById('filter').hidden")
            .unwrap(),
        Value::Bool(false)
    );
    tab.eval("document.getElementById('filter-input').focus()")
        .unwrap();
    tab.type_text("temperature").unwrap();
    let shown = strings(&tab.eval(VISIBLE_ENTRIES).unwrap());
    assert_eq!(shown, ["org.example.temperature"]);
    let count = tab
        .eval("document.getElementById('filter-count').textContent")
        .unwrap();
    assert_eq!(
        count.as_str(),
        Some(format!("1 of {entries} shown").as_str())
    );
    // Only the registrar with a match still shows.
    let groups = tab
        .eval(r#"[...document.querySelectorAll("section.registrar")].filter((s) => !s.hidden).map((s) => s.querySelector("h2").textContent)"#)
        .unwrap();
    assert_eq!(strings(&groups), ["org.example"]);
    // Typing replaces the selection: "poll" shows the poll types and blocks, and only them.
    tab.eval("document.getElementById('filter-input').select()")
        .unwrap();
    tab.type_text("poll").unwrap();
    let shown = strings(&tab.eval(VISIBLE_ENTRIES).unwrap());
    assert!(shown.len() >= 6 && shown.len() < all.len(), "{shown:?}");
    assert!(shown.contains(&"m.poll.start".to_owned()) && !shown.contains(&"m.image".to_owned()));
    // Two words must both match ("A poll closes, with its results.").
    tab.type_text(" results").unwrap();
    assert_eq!(
        strings(&tab.eval(VISIBLE_ENTRIES).unwrap()),
        ["m.poll.end", "m.poll.results"]
    );
    // Nothing matches: the page says so.
    tab.type_text("zzz").unwrap();
    assert!(strings(&tab.eval(VISIBLE_ENTRIES).unwrap()).is_empty());
    assert_eq!(
        tab.eval("document.getElementById('filter-empty').hidden")
            .unwrap(),
        Value::Bool(false)
    );
    // Emptied, the filter shows everything again.
    tab.eval("document.getElementById('filter-input').select()")
        .unwrap();
    tab.press("Backspace", 8).unwrap();
    assert_eq!(
        tab.eval("document.getElementById('filter-input').value")
            .unwrap(),
        ""
    );
    assert_eq!(strings(&tab.eval(VISIBLE_ENTRIES).unwrap()), all);
}

#[test]
fn the_site_in_headless_chromium() {
    let Some(chromium) = cdp::find_chromium() else {
        assert!(
            std::env::var_os("EXEV_REQUIRE_BROWSER").is_none(),
            "EXEV_REQUIRE_BROWSER is set but no Chromium was found (install Debian's chromium, \
             or set EXEV_CHROMIUM)"
        );
        eprintln!("skipped: no Chromium on the PATH (set EXEV_CHROMIUM, or install chromium)");
        return;
    };
    let dir = tmp().join("site-browser");
    let entries = site(&dir);
    let shots = tmp().join("site-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();

    let mut browser = Browser::launch(&chromium, &tmp().join("chromium-profile")).unwrap();
    let version = browser
        .call(None, "Browser.getVersion", Value::Null)
        .unwrap();
    eprintln!("browser: {}", version["product"]);
    let mut tab = browser.tab().unwrap();
    for page in PAGES {
        check_page(&mut tab, &dir, &shots, *page);
    }
    filter_narrows_the_index(&mut tab, &dir, entries);

    // No script failed, no resource failed to load, and every request of every page went
    // to a file in the folder.
    let exceptions = tab.events("Runtime.exceptionThrown");
    assert!(exceptions.is_empty(), "{exceptions:?}");
    let errors: Vec<Value> = tab
        .events("Log.entryAdded")
        .into_iter()
        .filter(|e| e["params"]["entry"]["level"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let requests = tab.requests();
    for (page, _, _) in PAGES
        .iter()
        .chain(&[("style.css", "", ""), ("filter.js", "", "")])
    {
        let url = cdp::file_url(&dir, page);
        assert!(
            requests.contains(&url),
            "{url} was not requested: {requests:?}"
        );
    }
    assert_eq!(remote(&requests), Vec::<String>::new());

    // The same checks catch a page that does reach out: a style sheet and a picture from a
    // server (on a local port nothing listens on, so nothing leaves the machine).
    let canary = tmp().join("site-canary");
    std::fs::create_dir_all(&canary).unwrap();
    std::fs::write(
        canary.join("index.html"),
        r#"<!doctype html><html lang="en"><head><link rel="stylesheet" href="http://127.0.0.1:9/canary.css"></head>
        <body><main><h1>canary</h1><img src="http://127.0.0.1:9/canary.png" alt="canary"></main></body></html>"#,
    )
    .unwrap();
    let before = tab.requests().len();
    tab.navigate(&cdp::file_url(&canary, "index.html")).unwrap();
    let caught = remote(&tab.requests()[before..]);
    assert_eq!(
        caught,
        [
            "http://127.0.0.1:9/canary.css",
            "http://127.0.0.1:9/canary.png"
        ],
        "the network check must see a page's remote requests"
    );
    let loaded = strings(&tab.eval(LOADED).unwrap());
    assert!(
        !remote(&loaded).is_empty(),
        "the Performance API check must see them too: {loaded:?}"
    );
    eprintln!("screenshots: {}", shots.display());
}
