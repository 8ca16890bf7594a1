//! `m.file`: a reference to an uploaded file, possibly encrypted (MSC3551).

use std::collections::BTreeMap;

use crate::blocks::fields::{Fields, ObjectWriter, read_string, uint_value, wrong_type};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, ObjectRef, Path, Value, ValueRef};

/// `m.file`: where a file is, what it is called, its type and size, and its decryption keys
/// when it is encrypted.
///
/// MSC3551's prose names the URL `uri` while every example and implementation uses `url`
/// (digest §4.1): this type reads either and writes `url`.
///
/// ```
/// use exev::{Block, FileBlock};
///
/// let file = FileBlock::new("mxc://example.org/abcd1234")
///     .name("matrix.pdf")
///     .mimetype("application/pdf")
///     .size(12345);
/// let v = file.to_value();
/// assert_eq!(v.get("url").and_then(|u| u.as_str()), Some("mxc://example.org/abcd1234"));
/// assert_eq!(FileBlock::from_value(&v).unwrap(), file);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileBlock {
    /// The `mxc://` URI of the file.
    pub url: String,
    /// The file name with its extension. Required on `m.file` events, optional in thumbnails.
    pub name: Option<String>,
    /// The mimetype. Optional but recommended; required in thumbnails.
    pub mimetype: Option<String>,
    /// The size in bytes.
    pub size: Option<u64>,
    /// The `EncryptedFile` members, present when the file is encrypted.
    pub encryption: Option<EncryptedFile>,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

/// The decryption information of an encrypted file (the spec's `EncryptedFile`, flattened
/// into `m.file`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncryptedFile {
    /// The JSON Web Key, kept as sent (`kty`, `key_ops`, `alg`, `k`, `ext`).
    pub key: Object,
    /// The unpadded base64 initialisation vector.
    pub iv: String,
    /// Hashes of the ciphertext by algorithm; `sha256` is required.
    pub hashes: BTreeMap<String, String>,
    /// The version, `"v2"`.
    pub v: String,
}

impl FileBlock {
    /// A file at `url` with nothing else known yet.
    pub fn new(url: impl Into<String>) -> FileBlock {
        FileBlock {
            url: url.into(),
            ..FileBlock::default()
        }
    }

    /// Sets the file name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> FileBlock {
        self.name = Some(name.into());
        self
    }

    /// Sets the mimetype.
    #[must_use]
    pub fn mimetype(mut self, mimetype: impl Into<String>) -> FileBlock {
        self.mimetype = Some(mimetype.into());
        self
    }

    /// Sets the size in bytes.
    #[must_use]
    pub fn size(mut self, size: u64) -> FileBlock {
        self.size = Some(size);
        self
    }

    /// Sets the decryption information.
    #[must_use]
    pub fn encrypted(mut self, encryption: EncryptedFile) -> FileBlock {
        self.encryption = Some(encryption);
        self
    }

    /// Whether the file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.encryption.is_some()
    }

    /// Reads an `m.file` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<FileBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let url = match fields.take_first(&["url", "uri"]) {
            Some((key, v)) => fields.at(key, |p| read_string(v, p))?,
            None => return Err(fields.missing("url")),
        };
        let name = fields.string("name")?;
        let mimetype = fields.string("mimetype")?;
        let size = fields.uint("size")?;
        // `key` marks an encrypted file; the rest of EncryptedFile is then required.
        let encryption = match fields.take("key") {
            Some(key) => {
                let key = key.as_object().map(ObjectRef::to_object).ok_or_else(|| {
                    wrong_type(fields.path_of("key"), "a JSON Web Key object", key)
                })?;
                let iv = fields.required_string("iv")?;
                let hashes = fields.required("hashes", read_hashes)?;
                let v = fields.required_string("v")?;
                Some(EncryptedFile { key, iv, hashes, v })
            }
            None => None,
        };
        Ok(FileBlock {
            url,
            name,
            mimetype,
            size,
            encryption,
            extra: fields.rest(),
        })
    }
}

fn read_hashes(value: ValueRef<'_>, path: &Path) -> Result<BTreeMap<String, String>, BlockError> {
    let object = value
        .as_object()
        .ok_or_else(|| wrong_type(path.clone(), "an object of hashes", value))?;
    let mut hashes = BTreeMap::new();
    for (algorithm, hash) in object.iter() {
        hashes.insert(
            algorithm.to_owned(),
            read_string(hash, &path.clone().key(algorithm))?,
        );
    }
    if !hashes.contains_key("sha256") {
        return Err(BlockError::new(
            path.clone(),
            crate::BlockErrorKind::MissingField("sha256"),
        ));
    }
    Ok(hashes)
}

impl Block for FileBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::File.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<FileBlock, BlockError> {
        FileBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        let mut w = ObjectWriter::new(&self.extra);
        w.set("url", self.url.as_str())
            .set_opt("name", self.name.as_deref())
            .set_opt("mimetype", self.mimetype.as_deref())
            .set_opt("size", self.size.map(uint_value));
        if let Some(enc) = &self.encryption {
            let hashes: Object = enc
                .hashes
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect();
            w.set("key", Value::Object(enc.key.clone()))
                .set("iv", enc.iv.as_str())
                .set("hashes", Value::Object(hashes))
                .set("v", enc.v.as_str());
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &[(&str, Value)]) -> Result<FileBlock, BlockError> {
        let v: Value = json
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        FileBlock::from_value(&v)
    }

    #[test]
    fn uri_is_read_as_url() {
        let f = parse(&[("uri", "mxc://a/b".into()), ("name", "x".into())]).unwrap();
        assert_eq!(f.url, "mxc://a/b");
    }

    #[test]
    fn errors_have_paths() {
        let e = parse(&[("url", "mxc://a/b".into()), ("size", "12".into())]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "size: expected a non-negative integer, found string"
        );
        let e = parse(&[("name", "x".into())]).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `url`");
        let e = parse(&[("url", "u".into()), ("key", Value::Object(Object::new()))]).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `iv`");
    }

    #[test]
    fn unknown_members_survive() {
        let f = parse(&[("url", "u".into()), ("org.example.x", Value::from(1))]).unwrap();
        assert_eq!(f.extra.len(), 1);
        assert_eq!(f.to_value().get("org.example.x"), Some(&Value::from(1)));
    }
}
