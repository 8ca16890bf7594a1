//! The client `render` and `timeline` show events as: the types it knows, the mimetypes it
//! understands, its user's languages and its room's support for extensible events.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev_registry::{Capabilities, Registry, RoomSupport};

use crate::report::Failure;

/// How the room supports extensible events (`--room-support`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Room {
    /// Both legacy and extensible events render (the default).
    Mixed,
    /// Today's room versions (MSC4460): other types' stable text, file and media blocks do
    /// not render.
    Legacy,
    /// A room version with extensible events: m.room.message and m.sticker are
    /// unrenderable.
    Extensible,
}

impl Room {
    fn support(self) -> RoomSupport {
        match self {
            Room::Mixed => RoomSupport::Mixed,
            Room::Legacy => RoomSupport::Legacy,
            Room::Extensible => RoomSupport::Extensible,
        }
    }
}

/// The client's arguments, shared by `render` and `timeline`.
#[derive(Args, Debug)]
pub(crate) struct ClientArgs {
    /// The event types the client knows, by any of their names [default: every type of the
    /// registry].
    #[arg(long, value_delimiter = ',', value_name = "TYPE,...")]
    know: Option<Vec<String>>,
    /// The mimetypes the client understands (`type/*` allowed) [default: every mimetype].
    #[arg(long, value_delimiter = ',', value_name = "M,...")]
    mimetypes: Option<Vec<String>>,
    /// The languages the user prefers, most preferred first (BCP 47 tags): the best-matching
    /// `lang` representation wins [default: the sender's order].
    #[arg(long, value_delimiter = ',', value_name = "TAG,...")]
    lang: Option<Vec<String>>,
    /// How the room supports extensible events.
    #[arg(long, value_enum, default_value_t = Room::Mixed)]
    room_support: Room,
    /// A registrar's manifest directory to add to the built-in registry (repeatable; later
    /// ones go on top).
    #[arg(long = "registry", value_name = "DIR")]
    registries: Vec<PathBuf>,
}

impl ClientArgs {
    /// The registry the arguments name, and the client they describe for it.
    pub(crate) fn client(&self) -> Result<(Registry, Capabilities), Failure> {
        let registry = crate::registrar::load(&self.registries)?;
        let trimmed = |items: &[String]| -> Vec<String> {
            items
                .iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect()
        };
        let mut caps = match &self.know {
            Some(types) => Capabilities::knowing(trimmed(types)),
            None => Capabilities::everything(&registry),
        };
        if let Some(mimetypes) = &self.mimetypes {
            caps = caps.mimetypes(trimmed(mimetypes));
        }
        if let Some(lang) = &self.lang {
            caps = caps.languages(trimmed(lang));
        }
        Ok((registry, caps.room_support(self.room_support.support())))
    }
}
