//! Test-only crate: exev's Protobuf schema through a second implementation.
//!
//! [`exev_v1`] is rust-protobuf's code for `schemas/proto/exev/v1/*.proto`, generated at build
//! time with its pure-Rust parser. The tests check that rust-protobuf decodes what
//! `exev_codec::proto` encodes into the same fields and that exev decodes what rust-protobuf
//! encodes, and that the prost code committed in `codec/src/proto/` is what prost-build
//! generates from the schema today.

#![forbid(unsafe_code)]

/// rust-protobuf's generated code, one module per `.proto` file.
#[allow(
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    rust_2018_idioms,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::doc_markdown
)]
pub mod exev_v1 {
    include!(concat!(env!("OUT_DIR"), "/exev_v1/mod.rs"));
}
