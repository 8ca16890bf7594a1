//! `m.ts`: a timestamp in milliseconds since the Unix epoch (MSC3488).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::blocks::fields::wrong_type;
use crate::{
    Block, BlockError, BlockErrorKind, KnownBlock, MAX_SAFE_INTEGER, MIN_SAFE_INTEGER, NameStatus,
    Path, RefShape, Value, ValueRef,
};

/// `m.ts`: when something happened, as an integer of milliseconds since the Unix epoch. Sent
/// on locations and beacons (`m.location`, `m.beacon`, `m.beacon_info`).
///
/// The value must be an integer of the data model; negative values (before 1970) are allowed.
///
/// ```
/// use exev::{Block, TsBlock, Value};
///
/// let ts = TsBlock::from_value(&Value::from(1_636_829_458)).unwrap();
/// assert_eq!(ts.millis(), 1_636_829_458);
/// assert_eq!(ts.to_value(), Value::from(1_636_829_458));
/// assert!(TsBlock::from_value(&Value::from("1636829458432")).is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TsBlock(pub i64);

impl TsBlock {
    /// A timestamp of `millis` milliseconds since the Unix epoch.
    pub fn new(millis: i64) -> TsBlock {
        TsBlock(millis)
    }

    /// The time `time`, to the millisecond; `None` when it lies outside the data model's
    /// integers.
    pub fn from_system_time(time: SystemTime) -> Option<TsBlock> {
        let millis = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).ok()?,
            Err(before) => i64::try_from(before.duration().as_millis())
                .ok()?
                .checked_neg()?,
        };
        (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER)
            .contains(&millis)
            .then_some(TsBlock(millis))
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// The timestamp as a [`SystemTime`], when the platform can represent it.
    pub fn to_system_time(self) -> Option<SystemTime> {
        let offset = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        }
    }

    /// Reads an `m.ts` value; paths in errors start at `path`.
    pub(crate) fn read_at(value: ValueRef<'_>, path: &Path) -> Result<TsBlock, BlockError> {
        match value.shape() {
            RefShape::Integer(i) => Ok(TsBlock(i)),
            RefShape::Number(n) => Err(BlockError::new(
                path.clone(),
                BlockErrorKind::OutOfRange {
                    value: n.to_owned(),
                    allowed: "integers in [-(2^53)+1, (2^53)-1]",
                },
            )),
            _ => Err(wrong_type(
                path.clone(),
                "an integer (milliseconds since the Unix epoch)",
                value,
            )),
        }
    }
}

impl Block for TsBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::Ts.name_table();

    fn read(_name: &str, value: ValueRef<'_>) -> Result<TsBlock, BlockError> {
        TsBlock::read_at(value, &Path::root())
    }

    /// The integer; values outside the data model (which reading never produces) saturate at
    /// its bounds.
    fn to_value(&self) -> Value {
        Value::Integer(self.0.clamp(MIN_SAFE_INTEGER, MAX_SAFE_INTEGER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3488_shape() {
        let t = TsBlock::from_value(&json("1636829458432")).unwrap();
        assert_eq!(t.millis(), 1_636_829_458_432);
        let t = TsBlock::read(
            "org.matrix.msc3488.ts",
            ValueRef::from(&json("651066205621")),
        )
        .unwrap();
        assert_eq!(t, TsBlock(651_066_205_621));
    }

    #[test]
    fn round_trips() {
        for t in [
            TsBlock(0),
            TsBlock(-1),
            TsBlock(1_636_829_458_432),
            TsBlock(MAX_SAFE_INTEGER),
        ] {
            assert_eq!(TsBlock::from_value(&t.to_value()).unwrap(), t);
        }
        assert_eq!(
            TsBlock(i64::MAX).to_value(),
            Value::Integer(MAX_SAFE_INTEGER)
        );
    }

    #[test]
    fn system_time_conversions() {
        let t = TsBlock(1_500);
        let time = t.to_system_time().unwrap();
        assert_eq!(time, UNIX_EPOCH + Duration::from_millis(1_500));
        assert_eq!(TsBlock::from_system_time(time), Some(t));
        let before = UNIX_EPOCH - Duration::from_millis(20);
        assert_eq!(TsBlock::from_system_time(before), Some(TsBlock(-20)));
        assert_eq!(TsBlock(-20).to_system_time(), Some(before));
    }

    #[test]
    fn errors_have_paths() {
        let e = TsBlock::from_value(&json(r#""1636829458432""#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$: expected an integer (milliseconds since the Unix epoch), found string"
        );
        let e = TsBlock::from_value(&json("1.5")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$: 1.5 is outside the allowed range integers in [-(2^53)+1, (2^53)-1]"
        );
        let e = TsBlock::from_value(&json("{}")).unwrap_err();
        assert!(matches!(
            e.kind(),
            BlockErrorKind::WrongType {
                found: "object",
                ..
            }
        ));
    }
}
