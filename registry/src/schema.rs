//! Schemas and validation: the published JSON Schemas generated from the registry, and the
//! [`Validator`] that checks events against them into a [`Report`].

pub(crate) mod json;
mod publish;
mod report;
mod validate;

pub use publish::{
    DRAFT_2020_12, SCHEMA_BASE, SchemaFile, SchemaKind, block_schema, event_type_schema,
    published_schemas, schema_files, schema_id, schema_index, schema_path,
};
pub use report::{Problem, Report, Severity};
pub use validate::{SchemaError, Validator, validate};
