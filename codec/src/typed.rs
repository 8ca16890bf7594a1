//! Reading any serde type with exev's readers: the input is checked against the data model and
//! the limits as an event is, then the type is read from the value (feature `serde`).

#[cfg(feature = "serde")]
use exev::Value;
#[cfg(feature = "serde")]
use serde::de::DeserializeOwned;

#[cfg(feature = "serde")]
use crate::{Error, ErrorKind};

/// Reads `T` from a value a reader decoded; a shape error keeps the path `T` failed at.
#[cfg(feature = "serde")]
pub(crate) fn from_value_as<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    exev::from_value(value)
        .map_err(|e| Error::new(ErrorKind::Shape(e.kind().clone()), None, e.path().clone()))
}

/// The `from_slice_as` and `from_slice_as_with` of a format module, over its `value_from_slice`.
macro_rules! typed_readers {
    ($format:literal, $example:literal) => {
        /// Reads any serde type `T` with the default [`Options`]: the bytes are checked against
        /// the data model and the limits exactly as for an event (errors with their position),
        /// then `T` is read from the value (errors with their path).
        ///
        /// # Errors
        ///
        #[doc = concat!("As [`value_from_slice`] for ", $format, " that is not well-formed or")]
        /// is outside the model or the limits; [`crate::Category::Shape`] when the value does
        /// not have `T`'s shape.
        ///
        /// ```
        /// use serde::Deserialize;
        ///
        /// #[derive(Deserialize)]
        /// struct Level {
        ///     percent: u8,
        /// }
        ///
        #[doc = $example]
        /// # Ok::<(), exev_codec::Error>(())
        /// ```
        #[cfg(feature = "serde")]
        #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
        pub fn from_slice_as<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
            from_slice_as_with(bytes, &Options::default())
        }

        /// Reads any serde type `T` with `options` (see [`from_slice_as`]).
        ///
        /// # Errors
        ///
        /// As [`from_slice_as`].
        #[cfg(feature = "serde")]
        #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
        pub fn from_slice_as_with<T: serde::de::DeserializeOwned>(
            bytes: &[u8],
            options: &Options,
        ) -> Result<T, Error> {
            crate::typed::from_value_as(&value_from_slice(bytes, options)?)
        }
    };
}

pub(crate) use typed_readers;
