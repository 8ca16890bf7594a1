//! Fallback previews: how an example renders for clients that know more or less, with the
//! renderer's reasons, made ready for a page.
//!
//! The site's only contact with the renderer: it calls the public [`exev_registry::render`]
//! and reads the public [`Rendering`], so changes to the renderer meet the site here alone.

use std::sync::OnceLock;

use exev::Event;
use exev_registry::{
    ALLOWED_ATTRIBUTES, ALLOWED_TAGS, Capabilities, LINK_SCHEMES, Media, Registry, Rendering,
    render,
};

use crate::paths;

/// A client a preview is drawn for.
#[derive(Clone, Debug)]
pub(crate) struct Client {
    /// Who it is, in a few words.
    pub(crate) label: String,
    /// What it can render.
    capabilities: Capabilities,
}

/// The clients an example of `event_type` is previewed for: one that knows every type of
/// `registry`; for types outside the built-in registry, one that knows only the built-in
/// types (what clients are today); one that knows only `m.message`, and one that knows only
/// `m.file`.
pub(crate) fn clients(registry: &Registry, built_in: &Registry, event_type: &str) -> Vec<Client> {
    let mut clients = vec![Client {
        label: "A client that knows every type here".to_owned(),
        capabilities: Capabilities::everything(registry),
    }];
    if built_in.event_type(event_type).is_none() {
        clients.push(Client {
            label: "A client that knows only the built-in types".to_owned(),
            capabilities: Capabilities::everything(built_in),
        });
    }
    for only in ["m.message", "m.file"] {
        clients.push(Client {
            label: format!("A client that knows only {only}"),
            capabilities: Capabilities::knowing([only]),
        });
    }
    clients
}

/// One schema the renderer tried, as a row of the preview.
#[derive(Clone, Debug)]
pub(crate) struct AttemptRow {
    /// The event type whose schema was tried.
    pub(crate) schema: String,
    /// The link to its page, from the site's folder.
    pub(crate) path: String,
    /// Whether it is the event's own type.
    pub(crate) own_type: bool,
    /// Whether it fitted.
    pub(crate) matched: bool,
    /// Why it did not fit (the block at fault first), or "" when it did.
    pub(crate) ruled_out: String,
}

/// A file or media card, as a client draws one.
#[derive(Clone, Debug, Default)]
pub(crate) struct MediaCard {
    /// The file's name, or its URL when it has none.
    pub(crate) name: String,
    /// The `mxc://` URL, shown, never loaded.
    pub(crate) url: String,
    /// Its mimetype, size, dimensions and duration, in words.
    pub(crate) facts: Vec<String>,
    /// The caption as sanitised HTML, else as text.
    pub(crate) caption_html: Option<String>,
    /// The caption as plain text.
    pub(crate) caption: Option<String>,
    /// The alt text, for the picture's accessible name.
    pub(crate) alt: String,
    /// The picture's width and height for its placeholder, when it is an image or video.
    pub(crate) picture: Option<(u64, u64)>,
    /// The thumbnail chosen, in words.
    pub(crate) thumbnail: Option<String>,
}

/// A poll card.
#[derive(Clone, Debug, Default)]
pub(crate) struct PollCard {
    /// The question.
    pub(crate) question: String,
    /// The answers shown.
    pub(crate) answers: Vec<String>,
    /// Kind and how many answers a vote may pick, in words.
    pub(crate) facts: String,
}

/// A location card.
#[derive(Clone, Debug, Default)]
pub(crate) struct LocationCard {
    /// The `geo:` URI.
    pub(crate) uri: String,
    /// What the location is, in words.
    pub(crate) facts: String,
}

/// One example as one client renders it.
#[derive(Clone, Debug)]
pub(crate) struct Preview {
    /// The client.
    pub(crate) client: String,
    /// `rendered`, `hidden`, `state`, ... (the renderer's word).
    pub(crate) outcome: String,
    /// Whether the event shows in the timeline.
    pub(crate) shown: bool,
    /// The schema it rendered as, with the path of its page.
    pub(crate) rendered_as: Option<(String, String)>,
    /// The renderer's reason, in a sentence.
    pub(crate) reason: String,
    /// Every schema tried.
    pub(crate) attempts: Vec<AttemptRow>,
    /// The plain text.
    pub(crate) text: String,
    /// The text as sanitised HTML, when it has an HTML representation.
    pub(crate) html: Option<String>,
    /// Where the text came from, in words.
    pub(crate) text_source: Option<String>,
    /// The file or media card.
    pub(crate) media: Option<MediaCard>,
    /// The poll card.
    pub(crate) poll: Option<PollCard>,
    /// The location card.
    pub(crate) location: Option<LocationCard>,
    /// Mixin effects, in words: "sent by a bot", "mentions @bob:example.org".
    pub(crate) flags: Vec<String>,
    /// Blocks skipped as malformed and blocks not used, with why.
    pub(crate) notes: Vec<String>,
}

/// How `client` renders `event` with `registry`.
pub(crate) fn preview(event: &Event, client: &Client, registry: &Registry) -> Preview {
    let rendering = render(event, &client.capabilities, registry);
    let schema_path = |schema: &str| {
        paths::type_page(
            registry
                .event_type(schema)
                .map_or(schema, |t| t.name.as_str()),
        )
    };
    Preview {
        client: client.label.clone(),
        outcome: rendering.outcome.as_str().to_owned(),
        shown: rendering.is_rendered(),
        rendered_as: rendering
            .rendered_as
            .as_ref()
            .map(|schema| (schema.clone(), schema_path(schema))),
        reason: rendering.reason.clone(),
        attempts: rendering
            .attempts
            .iter()
            .map(|a| AttemptRow {
                schema: a.schema.clone(),
                path: schema_path(&a.schema),
                own_type: a.own_type,
                matched: a.ruled_out.is_none(),
                ruled_out: a
                    .ruled_out
                    .as_ref()
                    .map_or_else(String::new, |r| match &r.block {
                        Some(block) => format!("{block}: {}", r.reason),
                        None => r.reason.clone(),
                    }),
            })
            .collect(),
        text: rendering.text.clone(),
        html: rendering.html.as_deref().map(without_images),
        text_source: text_source(&rendering),
        media: rendering.media.as_ref().map(media_card),
        poll: rendering.poll.as_ref().map(|p| PollCard {
            question: p.question.clone(),
            answers: p.answers.iter().map(|a| a.text.clone()).collect(),
            facts: format!(
                "{} poll, pick up to {}{}",
                p.kind.strip_prefix("m.").unwrap_or(&p.kind),
                p.max_selections,
                if p.answers_sent > p.answers.len() {
                    format!(" ({} of {} answers shown)", p.answers.len(), p.answers_sent)
                } else {
                    String::new()
                }
            ),
        }),
        location: rendering.location.as_ref().map(|l| LocationCard {
            uri: l.uri.clone(),
            facts: [
                l.description.clone(),
                Some(format!("location of {}", l.asset)),
                l.zoom_level.map(|z| format!("zoom {z}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        }),
        flags: flags(&rendering),
        notes: rendering
            .skipped
            .iter()
            .map(|s| format!("skipped {}: {}", s.path, s.reason))
            .chain(
                rendering
                    .ignored
                    .iter()
                    .map(|i| format!("not used: {}: {}", i.name, i.reason)),
            )
            .collect(),
    }
}

fn text_source(rendering: &Rendering) -> Option<String> {
    let source = rendering.text_source.as_ref()?;
    let mut words = format!("text from {}", source.block);
    if let Some(i) = source.representation {
        words.push_str(&format!(", representation {i}"));
    }
    if let Some(mimetype) = &source.mimetype {
        words.push_str(&format!(" ({mimetype})"));
    }
    if let Some(lang) = &source.lang {
        words.push_str(&format!(", language {lang}"));
    }
    if source.from_html {
        words.push_str(", plain text derived from the HTML");
    }
    if source.generated {
        words.push_str(", made by the renderer");
    }
    Some(words)
}

fn flags(rendering: &Rendering) -> Vec<String> {
    let mut flags = Vec::new();
    if rendering.automated {
        flags.push("sent by a bot (m.automated)".to_owned());
    }
    if let Some(mentions) = &rendering.mentions {
        for user in &mentions.user_ids {
            flags.push(format!("mentions {user}"));
        }
        if mentions.room {
            flags.push("mentions the room".to_owned());
        }
    }
    if let Some(relation) = &rendering.relation {
        if let (Some(kind), Some(target)) = (&relation.rel_type, &relation.event_id) {
            flags.push(format!("{kind} of {target}"));
        }
        if let Some(target) = &relation.reply_to {
            flags.push(format!("reply to {target}"));
        }
    }
    flags
}

fn media_card(media: &Media) -> MediaCard {
    let file = &media.file;
    let mut facts: Vec<String> = Vec::new();
    if let Some(mimetype) = &file.mimetype {
        facts.push(mimetype.clone());
    }
    if let Some(size) = file.size {
        facts.push(format!("{size} bytes"));
    }
    if let (Some(w), Some(h)) = (media.width, media.height) {
        facts.push(format!("{w}×{h}"));
    }
    if let Some(secs) = media.duration_secs {
        facts.push(format!("{}:{:02}", secs / 60, secs % 60));
    }
    if let Some(waveform) = &media.waveform {
        facts.push(format!("waveform of {} samples", waveform.len()));
    }
    if file.encrypted {
        facts.push("encrypted".to_owned());
    }
    if media.sticker {
        facts.push("sticker".to_owned());
    }
    let name = file.name.clone().unwrap_or_else(|| file.url.clone());
    MediaCard {
        alt: media
            .alt_text
            .clone()
            .or_else(|| media.caption.clone())
            .unwrap_or_else(|| name.clone()),
        name,
        url: file.url.clone(),
        facts,
        caption_html: media.caption_html.as_deref().map(without_images),
        caption: media.caption.clone(),
        picture: media
            .width
            .zip(media.height)
            .filter(|(w, h)| *w > 0 && *h > 0),
        thumbnail: media.thumbnail.as_ref().map(|t| {
            let mimetype = t.file.mimetype.as_deref().unwrap_or("no mimetype");
            format!(
                "thumbnail {}×{} ({mimetype}): {}",
                t.width, t.height, t.file.url
            )
        }),
    }
}

/// The renderer's sanitised HTML without its images: the Matrix allow-list keeps `<img>` with
/// `mxc://` sources, and the site's pages load nothing from outside their folder.
fn without_images(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::empty();
            builder
                .add_tags(ALLOWED_TAGS.iter().copied().filter(|t| *t != "img"))
                .add_url_schemes(LINK_SCHEMES.iter().copied())
                .link_rel(Some("noopener noreferrer nofollow"));
            for (tag, attributes) in ALLOWED_ATTRIBUTES {
                builder.add_tag_attributes(*tag, attributes.iter().copied());
            }
            builder
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_go_and_the_rest_stays() {
        let html = r#"<p>see <a href="https://matrix.org">this</a> <img src="mxc://x/y" alt="logo"><b>now</b></p>"#;
        assert_eq!(
            without_images(html),
            r#"<p>see <a href="https://matrix.org" rel="noopener noreferrer nofollow">this</a> <b>now</b></p>"#
        );
    }

    #[test]
    fn previews_for_clients_that_know_less() {
        let registry = Registry::built_in();
        let event = exev_codec::json::from_str(
            r#"{"type":"m.image","content":{"m.text":[{"body":"cat.png"}],
                "m.file":{"url":"mxc://x/cat","mimetype":"image/png","name":"cat.png"},
                "m.image_details":{"width":4,"height":3}}}"#,
        )
        .unwrap();
        let clients = clients(&registry, &registry, "m.image");
        let labels: Vec<&str> = clients.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "A client that knows every type here",
                "A client that knows only m.message",
                "A client that knows only m.file"
            ]
        );
        let previews: Vec<Preview> = clients
            .iter()
            .map(|c| preview(&event, c, &registry))
            .collect();
        let rendered_as: Vec<Option<&str>> = previews
            .iter()
            .map(|p| p.rendered_as.as_ref().map(|(s, _)| s.as_str()))
            .collect();
        assert_eq!(
            rendered_as,
            [Some("m.image"), Some("m.message"), Some("m.file")]
        );
        let card = previews[0].media.as_ref().unwrap();
        assert_eq!(card.picture, Some((4, 3)));
        assert_eq!(card.alt, "cat.png");
        assert!(previews[1].media.is_none());
        // The m.message-only client says why it fell back, and what it tried.
        assert!(previews[1].reason.contains("does not know m.image"));
        let tried: Vec<(&str, bool, &str)> = previews[1]
            .attempts
            .iter()
            .map(|a| (a.schema.as_str(), a.matched, a.path.as_str()))
            .collect();
        assert_eq!(tried, [("m.message", true, "types/m.message.html")]);
    }
}
