//! The rules of draft-ietf-mimi-content-08 the codec enforces, each stated once: errors name
//! them, and the docs and tests refer to them by these constants. The deterministic-encoding
//! rules are the codec's own (`exev_codec::cbor::head::RULE_*`).

pub use exev_codec::cbor::head::{RULE_DEFINITE, RULE_FLOAT, RULE_KEY_ORDER, RULE_SHORTEST};

/// The top level.
pub const MIMI_CONTENT: &str = "mimiContent = [salt, replaces, topicId, expires, inReplyTo, \
                                mimiExtensions, nestedPart] (an array of 7 items)";
/// The salt.
pub const SALT: &str = "salt: bstr .size 16";
/// `replaces` and `inReplyTo`.
pub const MESSAGE_ID: &str = "null / MessageId (MessageId = bstr .size 32)";
/// The topic.
pub const TOPIC_ID: &str = "topicId: bstr";
/// `expires`.
pub const EXPIRATION: &str =
    "null / Expiration (Expiration = [relative: bool, time: uint .size 4])";
/// The extensions map.
pub const EXTENSIONS: &str = "mimiExtensions: a map";
/// The keys of the extensions map (§4.3, §6.2).
pub const EXTENSION_KEY: &str = "an extension key: int / tstr .size (1..255)";
/// Integer keys anywhere (§6.2).
pub const INTEGER_KEY: &str =
    "integer keys representable as a double: -(2^53 - 1) to 2^53 - 1 (§6.2)";
/// Keys of maps inside extensions (§6.2).
pub const NESTED_KEY: &str = "keys of maps inside extensions: int, tstr or bstr (§6.2)";
/// No key twice (§4.3).
pub const DUPLICATE_KEY: &str = "each map key at most once (§4.3)";
/// `senderUri` (1).
pub const SENDER_URI: &str = "senderUri (extension 1): tstr";
/// `roomUri` (2).
pub const ROOM_URI: &str = "roomUri (extension 2): tstr";
/// NaN (§6.2).
pub const NAN: &str = "the half-width quiet NaN 0xf97e00 as the only NaN (§6.2)";
/// Text (§6.2).
pub const UTF8: &str = "text strings in valid UTF-8 (§6.2)";
/// Bignums (§6.1).
pub const BIGNUM: &str = "bignums that fit 64 bits as plain integers, without leading zeros (§6.1)";
/// A body part.
pub const NESTED_PART: &str = "NestedPart = [disposition, language, cardinality, ...] (an array)";
/// The length of a body part by its cardinality.
pub const PART_LENGTH: &str = "a NestedPart of 3 items (NullPart), 5 (SinglePart, MultiPart) \
                               or 15 (ExternalPart)";
/// The disposition.
pub const DISPOSITION: &str = "disposition: uint 0..255";
/// The language.
pub const LANGUAGE: &str = "language: tstr";
/// The cardinality.
pub const CARDINALITY: &str = "cardinality: nullpart (0) / single (1) / external (2) / multi (3)";
/// A content type.
pub const CONTENT_TYPE: &str = "contentType: tstr";
/// Inline content.
pub const CONTENT: &str = "content: bstr";
/// An external URL.
pub const URL: &str = "url: tstr";
/// An external part's expiry.
pub const PART_EXPIRES: &str = "expires: uint .size 4";
/// An external part's size.
pub const SIZE: &str = "size: uint .size 8";
/// The AEAD algorithm.
pub const ENC_ALG: &str = "encAlg: uint .size 2";
/// Key, nonce, additional data and hash: byte strings.
pub const KEY: &str = "key: bstr";
/// The nonce.
pub const NONCE: &str = "nonce: bstr";
/// The additional authenticated data.
pub const AAD: &str = "aad: bstr";
/// The hash algorithm.
pub const HASH_ALG: &str = "hashAlg: uint .size 1";
/// The content hash.
pub const CONTENT_HASH: &str = "contentHash: bstr";
/// The description.
pub const DESCRIPTION: &str = "description: tstr";
/// The file name.
pub const FILENAME: &str = "filename: tstr";
/// The part semantics.
pub const PART_SEMANTICS: &str =
    "partSemantics: chooseOne (0) / singleUnit (1) / processAll (2) (§9.1: no other value)";
/// The parts of a MultiPart.
pub const PARTS: &str = "parts: [2* NestedPart]";
/// The sender and room URIs in a message ID (§3.3).
pub const URI_LENGTH: &str =
    "senderUri and roomUri of at most 65535 octets (their lengths are 16-bit in the message ID)";

/// NestedPart depth (§6.3).
pub const LIMIT_PART_DEPTH: &str = "NestedParts nest at most 4 levels (§6.3)";
/// Extension depth (§6.3).
pub const LIMIT_EXTENSION_DEPTH: &str =
    "extensions hold at most 4 levels of tags, maps and arrays, the map itself being 1 (§6.3)";
/// Body parts (§9.1).
pub const LIMIT_PARTS: &str = "at most 1024 body parts (§9.1)";
/// topicId (§9.1).
pub const LIMIT_TOPIC_ID: &str = "a topicId of at most 4096 octets (§9.1)";
/// The size of a message (the codecs' `max_bytes`).
pub const LIMIT_BYTES: &str = "the size of one message (Options::max_bytes)";
/// One string (the codecs' `max_string_bytes`).
pub const LIMIT_STRING: &str = "the bytes of one string (Options::max_string_bytes)";
/// One array or map (the codecs' `max_elements`).
pub const LIMIT_ELEMENTS: &str = "the elements of one array or map (Options::max_elements)";
