//! serde support (feature `serde`, on by default): `Serialize` and `Deserialize` for
//! [`Value`](crate::Value), [`Event`](crate::Event), [`Content`](crate::Content) and every typed
//! block, and the two bridges between any serde type and a [`Value`]: [`to_value`] and
//! [`from_value`].
//!
//! Deserializing keeps the strict data model: integers in [-(2^53)+1, (2^53)-1] (a float that
//! is exactly such an integer, `2.0` or `1e10`, reads as it), no other number, no duplicate
//! key, no byte string. A lenient [`Number`](crate::Number) serializes as the nearest number
//! serde has (`u64`, `i64`, then `f64`), since serde has no arbitrary-precision number.

mod blocks;
mod de;
mod event;
mod ser;
mod value;

pub use de::from_value;
pub use ser::to_value;
