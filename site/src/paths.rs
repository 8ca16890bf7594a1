//! Where each file of the site goes, and the relative links between them.
//!
//! Pages sit at most one folder deep (`index.html`, `types/m.image.html`), so a page's links
//! start with its [`root`]: nothing, or `../`.

/// A name as a file name: names follow the namespaced-identifier grammar (`[a-z0-9._-]`), and
/// anything else (a registry built by hand) is spelled out as `~XX` hex bytes (`~` is outside
/// the grammar and needs no escaping in a URL).
fn file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-' => out.push(char::from(byte)),
            _ => out.push_str(&format!("~{byte:02X}")),
        }
    }
    // `.` and `..` are folders, not files.
    if out.chars().all(|c| c == '.') {
        out.insert(0, '~');
    }
    out
}

/// The index.
pub(crate) const INDEX: &str = "index.html";

/// The style sheet every page links.
pub(crate) const STYLE: &str = "style.css";

/// The index's filter script.
pub(crate) const FILTER_SCRIPT: &str = "filter.js";

/// The page of the event type `name`.
pub(crate) fn type_page(name: &str) -> String {
    format!("types/{}.html", file_name(name))
}

/// The page of the block `name`.
pub(crate) fn block_page(name: &str) -> String {
    format!("blocks/{}.html", file_name(name))
}

/// The page of the registrar `slug`.
pub(crate) fn registrar_page(slug: &str) -> String {
    format!("registrars/{}.html", file_name(slug))
}

/// The folder of the downloadable schemas, laid out as `exev schema --out` writes them.
pub(crate) const SCHEMAS: &str = "schemas/";

/// The downloadable encoding `extension` of an example.
pub(crate) fn example_file(registrar: &str, stem: &str, extension: &str) -> String {
    format!(
        "examples/{}/{}.{extension}",
        file_name(registrar),
        file_name(stem)
    )
}

/// The prefix that leads from the page at `page` back to the site's folder.
pub(crate) fn root(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_file_names() {
        assert_eq!(type_page("m.image"), "types/m.image.html");
        assert_eq!(
            block_page("org.example.probe_value"),
            "blocks/org.example.probe_value.html"
        );
        assert_eq!(block_page("a/b C"), "blocks/a~2Fb~20~43.html");
        assert_eq!(block_page(".."), "blocks/~...html");
        assert_eq!(root(INDEX), "");
        assert_eq!(root("types/m.image.html"), "../");
        assert_eq!(root(&example_file("m", "m.image", "json")), "../../");
    }
}
