//! `m.location`: a place, as a geo URI (MSC3488).

use crate::blocks::fields::{Fields, ObjectWriter, read_uint_clamped, read_uint_in, uint_value};
use crate::{
    Block, BlockError, BlockErrorKind, KnownBlock, NameStatus, Object, Path, Value, ValueRef,
};

/// `m.location`: a place on Earth as an RFC 5870 `geo:` URI (required), with an optional
/// label and an optional map zoom level (0 to 20, the OpenStreetMap levels).
///
/// Both an event type and a block that can be mixed into any event. The URI must use the
/// `geo:` scheme (MSC3488: "an RFC 5870 geo URI"; the scheme is case-insensitive); beyond the
/// scheme it is kept as sent, not parsed.
///
/// ```
/// use exev::{Block, LocationBlock};
///
/// let here = LocationBlock::new("geo:51.5008,0.1247;u=35")
///     .description("Matthew's whereabouts")
///     .zoom_level(15);
/// assert_eq!(LocationBlock::from_value(&here.to_value()).unwrap(), here);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocationBlock {
    /// The `geo:` URI.
    pub uri: String,
    /// A free-form label for the place.
    pub description: Option<String>,
    /// The suggested map zoom level, 0 to [`LocationBlock::MAX_ZOOM_LEVEL`].
    pub zoom_level: Option<u64>,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl LocationBlock {
    /// The largest zoom level MSC3488 allows.
    pub const MAX_ZOOM_LEVEL: u64 = 20;

    /// A location at the `geo:` URI `uri`.
    pub fn new(uri: impl Into<String>) -> LocationBlock {
        LocationBlock {
            uri: uri.into(),
            ..LocationBlock::default()
        }
    }

    /// Sets the label.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> LocationBlock {
        self.description = Some(description.into());
        self
    }

    /// Sets the zoom level; one above [`LocationBlock::MAX_ZOOM_LEVEL`] makes the block invalid.
    #[must_use]
    pub fn zoom_level(mut self, zoom_level: u64) -> LocationBlock {
        self.zoom_level = Some(zoom_level);
        self
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> LocationBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// Reads an `m.location` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<LocationBlock, BlockError> {
        LocationBlock::read_with(value, path, None)
    }

    /// Reads the block as [`Block::read`] does, except that a zoom level outside 0..=20 is
    /// clamped into the range rather than failing the block, and comes back as the error
    /// strict reading would give: what a renderer shows.
    ///
    /// # Errors
    ///
    /// As [`Block::read`], for everything but the zoom level's range.
    pub fn read_clamped<'v>(
        value: impl Into<ValueRef<'v>>,
    ) -> Result<(LocationBlock, Vec<BlockError>), BlockError> {
        let mut clamped = Vec::new();
        let block = LocationBlock::read_with(value.into(), &Path::root(), Some(&mut clamped))?;
        Ok((block, clamped))
    }

    fn read_with(
        value: ValueRef<'_>,
        path: &Path,
        clamp: Option<&mut Vec<BlockError>>,
    ) -> Result<LocationBlock, BlockError> {
        let mut fields = Fields::new(value, path)?;
        let uri = fields.required_string("uri")?;
        if !is_geo_uri(&uri) {
            return Err(BlockError::new(
                fields.path_of("uri"),
                BlockErrorKind::Invalid(format!(
                    "expected a geo: URI (RFC 5870), found {:?}",
                    short(&uri)
                )),
            ));
        }
        let description = fields.string("description")?;
        let range = (0, LocationBlock::MAX_ZOOM_LEVEL, "0..=20");
        let zoom_level = match (clamp, fields.take("zoom_level")) {
            (_, None) => None,
            (None, Some(v)) => Some(fields.at("zoom_level", |p| {
                read_uint_in(v, p, range.0, range.1, range.2)
            })?),
            (Some(notes), Some(v)) => Some(read_uint_clamped(
                v,
                &fields.path_of("zoom_level"),
                range,
                notes,
            )?),
        };
        Ok(LocationBlock {
            uri,
            description,
            zoom_level,
            extra: fields.rest(),
        })
    }
}

/// Whether `uri` has the `geo` scheme (RFC 5870 §3; schemes compare case-insensitively).
fn is_geo_uri(uri: &str) -> bool {
    uri.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("geo:"))
}

/// The first 40 characters of `s`, for messages.
fn short(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
    }
}

impl Block for LocationBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Location.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<LocationBlock, BlockError> {
        LocationBlock::read_at(value, &Path::root())
    }

    fn to_value(&self) -> Value {
        ObjectWriter::new(&self.extra)
            .set("uri", self.uri.as_str())
            .set_opt("description", self.description.as_deref())
            .set_opt("zoom_level", self.zoom_level.map(uint_value))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3488_shape() {
        // V20's block.
        let v =
            json(r#"{"description": "Matthew's whereabouts", "uri": "geo:51.5008,0.1247;u=35"}"#);
        let l = LocationBlock::from_value(&v).unwrap();
        assert_eq!(l.uri, "geo:51.5008,0.1247;u=35");
        assert_eq!(l.description.as_deref(), Some("Matthew's whereabouts"));
        assert_eq!(l.zoom_level, None);
        assert_eq!(l.to_value(), v);
        // V25's unstable block.
        let v = json(r#"{"uri": "geo:8.95752746197222,12.494122581370175;u=10"}"#);
        let l = LocationBlock::read("org.matrix.msc3488.location", ValueRef::from(&v)).unwrap();
        assert_eq!(l.description, None);
    }

    #[test]
    fn zoom_level_limits() {
        let zoom = |n: i32| json(&format!(r#"{{"uri": "geo:0,0", "zoom_level": {n}}}"#));
        assert_eq!(
            LocationBlock::from_value(&zoom(0)).unwrap().zoom_level,
            Some(0)
        );
        assert_eq!(
            LocationBlock::from_value(&zoom(20)).unwrap().zoom_level,
            Some(20)
        );
        let e = LocationBlock::from_value(&zoom(21)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "zoom_level: 21 is outside the allowed range 0..=20"
        );
        assert!(matches!(e.kind(), BlockErrorKind::OutOfRange { .. }));
        let e = LocationBlock::from_value(&zoom(-1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "zoom_level: -1 is outside the allowed range 0..=20"
        );
    }

    #[test]
    fn only_geo_uris() {
        // `exev validate` used to accept any string as the location.
        let e = LocationBlock::from_value(&json(r#"{"uri": "https://maps.example/?q=1"}"#))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"uri: expected a geo: URI (RFC 5870), found "https://maps.example/?q=1""#
        );
        assert!(LocationBlock::from_value(&json(r#"{"uri": "GEO:1,2"}"#)).is_ok());
        assert!(LocationBlock::from_value(&json(r#"{"uri": "geo"}"#)).is_err());
        assert!(LocationBlock::from_value(&json(r#"{"uri": ""}"#)).is_err());
    }

    #[test]
    fn zoom_level_out_of_range_is_clamped_for_rendering() {
        let v = json(r#"{"uri": "geo:0,0", "zoom_level": 25}"#);
        assert!(LocationBlock::from_value(&v).is_err());
        let (l, clamped) = LocationBlock::read_clamped(&v).unwrap();
        assert_eq!(l.zoom_level, Some(20));
        assert_eq!(
            clamped[0].to_string(),
            "zoom_level: 25 is outside the allowed range 0..=20"
        );
        let (l, _) =
            LocationBlock::read_clamped(&json(r#"{"uri": "geo:0,0", "zoom_level": -4}"#)).unwrap();
        assert_eq!(l.zoom_level, Some(0));
        assert!(LocationBlock::read_clamped(&json(r#"{"uri": "x:0,0"}"#)).is_err());
    }

    #[test]
    fn round_trips() {
        let l = LocationBlock::new("geo:0,0")
            .description("null island")
            .zoom_level(20)
            .with_extra("org.example.altitude", Value::from(3));
        assert_eq!(LocationBlock::from_value(&l.to_value()).unwrap(), l);
        let l = LocationBlock::new("geo:0,0");
        assert_eq!(LocationBlock::from_value(&l.to_value()).unwrap(), l);
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"uri": "geo:0,0", "org.example.accuracy": 35}"#);
        let l = LocationBlock::from_value(&v).unwrap();
        assert_eq!(l.extra.len(), 1);
        assert_eq!(l.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = LocationBlock::from_value(&json(r#"{"geo_uri": "geo:0,0"}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `uri`");
        let e = LocationBlock::from_value(&json(r#"{"uri": "geo:0,0", "zoom_level": "3"}"#))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "zoom_level: expected an integer, found string"
        );
        let e = LocationBlock::from_value(&json(r#"{"uri": "geo:0,0", "description": []}"#))
            .unwrap_err();
        assert_eq!(e.to_string(), "description: expected a string, found array");
    }
}
