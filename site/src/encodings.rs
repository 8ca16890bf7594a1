//! An example in every encoding: canonical JSON, deterministic CBOR (and its diagnostic
//! notation) and Protobuf.

use exev::Event;
use exev_codec::{cbor, json, proto};

use crate::SiteError;
use crate::catalogue::ShippedExample;

/// An example's encodings.
#[derive(Clone, Debug)]
pub(crate) struct Encodings {
    /// Matrix canonical JSON.
    pub(crate) json: Vec<u8>,
    /// Deterministic CBOR (RFC 8949 §4.2.1).
    pub(crate) cbor: Vec<u8>,
    /// The CBOR in diagnostic notation (RFC 8949 §8).
    pub(crate) cbor_diag: String,
    /// Protobuf (`exev.v1.Event`).
    pub(crate) proto: Vec<u8>,
}

/// One encoding of an example, as a download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Form<'e> {
    /// The encoding's name.
    pub(crate) format: &'static str,
    /// The file extension of its download.
    pub(crate) extension: &'static str,
    /// The encoded event.
    pub(crate) bytes: &'e [u8],
}

impl Form<'_> {
    /// Its size as a share of `json` bytes, in whole percent.
    pub(crate) fn percent_of(&self, json: usize) -> usize {
        let json = json.max(1);
        (self.bytes.len() * 100 + json / 2) / json
    }
}

impl Encodings {
    /// Encodes `example`'s event.
    pub(crate) fn of(example: &ShippedExample) -> Result<Encodings, SiteError> {
        let failed = |error| SiteError::Example {
            example: format!("{}: {}", example.registrar, example.file),
            error,
        };
        let event: &Event = &example.event;
        Ok(Encodings {
            json: json::to_vec(event).map_err(failed)?,
            cbor: cbor::to_vec(event).map_err(failed)?,
            cbor_diag: cbor::to_diag(event).map_err(failed)?,
            proto: proto::to_vec(event).map_err(failed)?,
        })
    }

    /// The canonical JSON as text (it is UTF-8 by construction).
    pub(crate) fn json_text(&self) -> String {
        String::from_utf8_lossy(&self.json).into_owned()
    }

    /// Every encoding, canonical JSON first.
    pub(crate) fn forms(&self) -> [Form<'_>; 3] {
        [
            Form {
                format: "Canonical JSON",
                extension: "json",
                bytes: &self.json,
            },
            Form {
                format: "CBOR",
                extension: "cbor",
                bytes: &self.cbor,
            },
            Form {
                format: "Protobuf",
                extension: "binpb",
                bytes: &self.proto,
            },
        ]
    }
}
