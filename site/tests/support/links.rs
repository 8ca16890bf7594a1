//! The link check over a written site: every `href` and `src` of every page, read with the
//! html5ever tokenizer, must be relative and resolve to a file inside the site's folder (and,
//! with a fragment, to an element with that id). The one exception is a link in a message's
//! own HTML, drawn as a client draws it: the previews mark those `rel="... nofollow"`, and
//! links are not fetched.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What the check found.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Pages read.
    pub(crate) pages: usize,
    /// Internal references checked.
    pub(crate) internal: usize,
    /// Of those, references with a fragment checked against the target's ids.
    pub(crate) fragments: usize,
    /// `PAGE: <TAG ATTR="VALUE">: WHAT`, one per problem, in page order.
    pub(crate) problems: Vec<String>,
}

/// One reference: the tag, the attribute, its value, and whether the tag is a message's own
/// link.
struct Reference {
    tag: String,
    attribute: String,
    value: String,
    message_link: bool,
}

#[derive(Default)]
struct Page {
    references: Vec<Reference>,
    ids: BTreeSet<String>,
}

#[derive(Default)]
struct Sink {
    page: RefCell<Page>,
}

/// The attributes that name another file.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
];

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let mut page = self.page.borrow_mut();
            let attribute = |name: &str| {
                tag.attrs
                    .iter()
                    .find(|a| &*a.name.local == name)
                    .map(|a| a.value.to_string())
            };
            if let Some(id) = attribute("id") {
                page.ids.insert(id);
            }
            let message_link = &*tag.name == "a"
                && attribute("rel").is_some_and(|rel| rel.split(' ').any(|r| r == "nofollow"));
            for a in &tag.attrs {
                if URL_ATTRIBUTES.contains(&&*a.name.local) {
                    page.references.push(Reference {
                        tag: tag.name.to_string(),
                        attribute: a.name.local.to_string(),
                        value: a.value.to_string(),
                        message_link,
                    });
                }
            }
        }
        TokenSinkResult::Continue
    }
}

fn read_page(html: &str) -> Page {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while let html5ever::TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.page.into_inner()
}

/// Every file under `dir`, as `/`-separated paths relative to it.
fn files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            files(&path, &format!("{prefix}{name}/"), out);
        } else {
            out.push(format!("{prefix}{name}"));
        }
    }
}

/// `reference` from the page at `page`, as a path relative to the site's folder, or why not.
fn resolve(page: &str, reference: &str) -> Result<String, &'static str> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for component in Path::new(reference).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().unwrap_or_default()),
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err("leaves the site's folder");
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return Err("not relative"),
        }
    }
    Ok(parts.join("/"))
}

/// Checks every page under `dir`.
pub(crate) fn check(dir: &Path) -> Report {
    let mut all = Vec::new();
    files(dir, "", &mut all);
    let pages: BTreeMap<String, Page> = all
        .iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let html = std::fs::read_to_string(dir.join(f)).unwrap();
            (f.clone(), read_page(&html))
        })
        .collect();
    let existing: BTreeSet<&str> = all.iter().map(String::as_str).collect();
    let mut report = Report {
        pages: pages.len(),
        ..Report::default()
    };
    for (name, page) in &pages {
        for r in &page.references {
            let mut problem = |what: String| {
                report.problems.push(format!(
                    "{name}: <{} {}=\"{}\">: {what}",
                    r.tag, r.attribute, r.value
                ));
            };
            let value = r.value.as_str();
            let scheme = value
                .split_once(':')
                .is_some_and(|(s, _)| !s.contains('/') && !s.contains('#'));
            if scheme || value.starts_with("//") {
                if !r.message_link {
                    problem("not relative".to_owned());
                }
                continue;
            }
            let (path, fragment) = match value.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (value, None),
            };
            let path = path.split('?').next().unwrap_or_default();
            let target = if path.is_empty() {
                name.clone()
            } else {
                match resolve(name, path) {
                    Ok(target) => target,
                    Err(why) => {
                        problem(why.to_owned());
                        continue;
                    }
                }
            };
            report.internal += 1;
            if !existing.contains(target.as_str()) {
                problem("no such file".to_owned());
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                report.fragments += 1;
                let has_id = pages.get(&target).is_some_and(|p| p.ids.contains(fragment));
                if !has_id {
                    problem(format!("no id {fragment} there"));
                }
            }
        }
    }
    report
}
