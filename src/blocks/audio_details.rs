//! `m.audio_details`: an audio clip's duration and waveform (MSC3927, MSC3246), and the v1
//! `org.matrix.msc1767.audio` block voice messages still send (MSC3245 v1).

use crate::blocks::fields::{
    Fields, ObjectWriter, read_uint_clamped, read_uint_in, uint_value, wrong_type,
};
use crate::{Block, BlockError, KnownBlock, NameStatus, Object, Path, Value, ValueRef};

/// The obsolete v1 name whose `duration` is in milliseconds and whose waveform runs to 1024.
const V1_NAME: &str = "org.matrix.msc1767.audio";

/// The unstable MSC3246 key of the waveform, whose values run to 1024.
const UNSTABLE_WAVEFORM_KEY: &str = "org.matrix.msc3246.waveform";

/// The unit of an [`AudioDetailsBlock`]'s `duration`, which depends on the name the block was
/// sent under.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DurationUnit {
    /// Seconds: `m.audio_details` and `org.matrix.msc1767.audio_details` (MSC3927).
    #[default]
    Seconds,
    /// Milliseconds: the v1 `org.matrix.msc1767.audio` block (MSC3245 v1, as Element sends it).
    Milliseconds,
}

impl DurationUnit {
    /// `duration` in this unit, in seconds: milliseconds are rounded to the nearest second
    /// (half up), the one conversion every block and the legacy `info.duration` go through.
    ///
    /// ```
    /// use exev::DurationUnit;
    ///
    /// assert_eq!(DurationUnit::Milliseconds.seconds(2_140_786), 2141);
    /// assert_eq!(DurationUnit::Milliseconds.seconds(499), 0);
    /// assert_eq!(DurationUnit::Seconds.seconds(90), 90);
    /// ```
    pub fn seconds(self, duration: u64) -> u64 {
        match self {
            DurationUnit::Seconds => duration,
            DurationUnit::Milliseconds => duration.saturating_add(500) / 1000,
        }
    }

    /// `duration` in this unit, in milliseconds.
    pub fn millis(self, duration: u64) -> u64 {
        match self {
            DurationUnit::Seconds => duration.saturating_mul(1000),
            DurationUnit::Milliseconds => duration,
        }
    }
}

/// `m.audio_details`: the duration of an audio clip (required) and its waveform (optional,
/// required on voice messages). Marks an event as renderable as audio.
///
/// Also read under `org.matrix.msc1767.audio_details`, and under the obsolete
/// `org.matrix.msc1767.audio` that voice messages still carry, whose duration is in
/// milliseconds: [`AudioDetailsBlock::unit`] says which unit `duration` is in, and
/// [`AudioDetailsBlock::duration_secs`] and [`AudioDetailsBlock::duration_ms`] convert.
///
/// The waveform is read from `waveform` (stable, values 0..=256) or
/// `org.matrix.msc3246.waveform` (unstable, 0..=1024); under `org.matrix.msc1767.audio` the key
/// is `waveform` with values 0..=1024. Values are kept as sent and checked against the range of
/// the name they came under, which [`AudioDetailsBlock::waveform_max`] records;
/// [`AudioDetailsBlock::waveform_scaled`] rescales them.
///
/// [`Block::to_value`] writes the stable `m.audio_details` shape: the duration in seconds
/// (rounded to the nearest second when it was in milliseconds), and the waveform under
/// `waveform` when its scale is 256, or under `org.matrix.msc3246.waveform` when it is 1024, so
/// that values are never rescaled behind the caller's back.
///
/// ```
/// use exev::{AudioDetailsBlock, Block, DurationUnit, ValueRef};
///
/// let voice = AudioDetailsBlock::new(90).waveform(vec![0, 128, 256]);
/// assert_eq!(voice.duration_ms(), 90_000);
/// assert_eq!(AudioDetailsBlock::from_value(&voice.to_value()).unwrap(), voice);
///
/// // The v1 block Element sends on voice messages: milliseconds, waveform up to 1024.
/// let v1 = AudioDetailsBlock::read("org.matrix.msc1767.audio", ValueRef::from(&voice_v1())).unwrap();
/// assert_eq!(v1.unit, DurationUnit::Milliseconds);
/// assert_eq!(v1.duration_secs(), 7);
/// assert_eq!(v1.waveform_scaled(256), Some(vec![0, 64, 256]));
/// # fn voice_v1() -> exev::Value {
/// #     [
/// #         ("duration".to_owned(), exev::Value::from(6541)),
/// #         ("waveform".to_owned(), exev::Value::from(vec![0.into(), 256.into(), 1024.into()])),
/// #     ]
/// #     .into_iter()
/// #     .collect()
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AudioDetailsBlock {
    /// The length of the clip, in [`AudioDetailsBlock::unit`]s.
    pub duration: u64,
    /// The unit of `duration`.
    pub unit: DurationUnit,
    /// The amplitude of the audio over time, each value between 0 and `waveform_max`.
    pub waveform: Option<Vec<u64>>,
    /// The top of the waveform's scale: [`AudioDetailsBlock::WAVEFORM_MAX`] (256) for the
    /// stable key, [`AudioDetailsBlock::UNSTABLE_WAVEFORM_MAX`] (1024) for the unstable key and
    /// the v1 block.
    pub waveform_max: u64,
    /// Members this crate does not know, kept as sent.
    pub extra: Object,
}

impl Default for AudioDetailsBlock {
    fn default() -> AudioDetailsBlock {
        AudioDetailsBlock {
            duration: 0,
            unit: DurationUnit::Seconds,
            waveform: None,
            waveform_max: AudioDetailsBlock::WAVEFORM_MAX,
            extra: Object::new(),
        }
    }
}

impl AudioDetailsBlock {
    /// The largest waveform value under the stable `waveform` key (MSC3246).
    pub const WAVEFORM_MAX: u64 = 256;

    /// The largest waveform value under `org.matrix.msc3246.waveform` and in the v1
    /// `org.matrix.msc1767.audio` block.
    pub const UNSTABLE_WAVEFORM_MAX: u64 = 1024;

    /// Details of a clip `seconds` long, without a waveform.
    pub fn new(seconds: u64) -> AudioDetailsBlock {
        AudioDetailsBlock {
            duration: seconds,
            ..AudioDetailsBlock::default()
        }
    }

    /// Details of a clip `millis` milliseconds long, as the v1 block records it; written as
    /// seconds.
    pub fn from_millis(millis: u64) -> AudioDetailsBlock {
        AudioDetailsBlock {
            duration: millis,
            unit: DurationUnit::Milliseconds,
            ..AudioDetailsBlock::default()
        }
    }

    /// Sets the waveform, on the stable scale 0..=256.
    #[must_use]
    pub fn waveform(mut self, waveform: Vec<u64>) -> AudioDetailsBlock {
        self.waveform = Some(waveform);
        self.waveform_max = AudioDetailsBlock::WAVEFORM_MAX;
        self
    }

    /// Sets the waveform on the unstable scale 0..=1024 (written under
    /// `org.matrix.msc3246.waveform`).
    #[must_use]
    pub fn unstable_waveform(mut self, waveform: Vec<u64>) -> AudioDetailsBlock {
        self.waveform = Some(waveform);
        self.waveform_max = AudioDetailsBlock::UNSTABLE_WAVEFORM_MAX;
        self
    }

    /// Sets an extra member `key` (a custom field inside the block).
    #[must_use]
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> AudioDetailsBlock {
        self.extra.insert(key.into(), value);
        self
    }

    /// The duration in seconds, rounded to the nearest second when it is in milliseconds.
    pub fn duration_secs(&self) -> u64 {
        self.unit.seconds(self.duration)
    }

    /// The duration in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.unit.millis(self.duration)
    }

    /// The waveform rescaled from `0..=waveform_max` to `0..=max`, rounding to the nearest
    /// integer; values above `waveform_max` count as `waveform_max`.
    pub fn waveform_scaled(&self, max: u64) -> Option<Vec<u64>> {
        let from = u128::from(self.waveform_max);
        let waveform = self.waveform.as_ref()?;
        Some(
            waveform
                .iter()
                .map(|v| {
                    let v = u128::from((*v).min(self.waveform_max));
                    let scaled = (v * u128::from(max) + from / 2)
                        .checked_div(from)
                        .unwrap_or(0);
                    u64::try_from(scaled).unwrap_or(max)
                })
                .collect(),
        )
    }

    /// Reads an audio details value as sent under `name`; paths in errors start at `path`.
    pub(crate) fn read_at(
        name: &str,
        value: ValueRef<'_>,
        path: &Path,
    ) -> Result<AudioDetailsBlock, BlockError> {
        AudioDetailsBlock::read_with(name, value, path, None)
    }

    /// Reads the block as [`Block::read`] does, except that waveform values outside the range
    /// of the name they came under are clamped into it rather than failing the block: what a
    /// renderer shows (MSC3245's own example carries a 1024 under the stable key). Each value
    /// clamped comes back as the error strict reading would give, with its path from the
    /// block.
    ///
    /// ```
    /// use exev::{AudioDetailsBlock, Block, Value};
    ///
    /// let v: Value = [
    ///     ("duration".to_owned(), Value::from(90)),
    ///     ("waveform".to_owned(), Value::from(vec![0.into(), 256.into(), 1024.into()])),
    /// ]
    /// .into_iter()
    /// .collect();
    /// assert!(AudioDetailsBlock::from_value(&v).is_err());
    /// let (audio, clamped) = AudioDetailsBlock::read_clamped("m.audio_details", &v)?;
    /// assert_eq!(audio.waveform, Some(vec![0, 256, 256]));
    /// assert_eq!(clamped[0].to_string(), "waveform[2]: 1024 is outside the allowed range 0..=256");
    /// # Ok::<(), exev::BlockError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Block::read`], for everything but a waveform value out of range.
    pub fn read_clamped<'v>(
        name: &str,
        value: impl Into<ValueRef<'v>>,
    ) -> Result<(AudioDetailsBlock, Vec<BlockError>), BlockError> {
        let mut clamped = Vec::new();
        let block =
            AudioDetailsBlock::read_with(name, value.into(), &Path::root(), Some(&mut clamped))?;
        Ok((block, clamped))
    }

    /// Reads the block; out-of-range waveform values fail it, or with `clamp` are clamped and
    /// noted there.
    fn read_with(
        name: &str,
        value: ValueRef<'_>,
        path: &Path,
        clamp: Option<&mut Vec<BlockError>>,
    ) -> Result<AudioDetailsBlock, BlockError> {
        let v1 = name == V1_NAME;
        let mut fields = Fields::new(value, path)?;
        let duration = fields.required_uint("duration")?;
        let unit = if v1 {
            DurationUnit::Milliseconds
        } else {
            DurationUnit::Seconds
        };
        let (waveform, waveform_max) = match fields.take_first(&["waveform", UNSTABLE_WAVEFORM_KEY])
        {
            Some((key, v)) => {
                let range = if v1 || key == UNSTABLE_WAVEFORM_KEY {
                    (AudioDetailsBlock::UNSTABLE_WAVEFORM_MAX, "0..=1024")
                } else {
                    (AudioDetailsBlock::WAVEFORM_MAX, "0..=256")
                };
                let waveform = match clamp {
                    None => fields.at(key, |p| read_waveform(v, p, range, None))?,
                    // Notes carry whole paths, so the key's path is built here.
                    Some(notes) => read_waveform(v, &fields.path_of(key), range, Some(notes))?,
                };
                (Some(waveform), range.0)
            }
            None if v1 => (None, AudioDetailsBlock::UNSTABLE_WAVEFORM_MAX),
            None => (None, AudioDetailsBlock::WAVEFORM_MAX),
        };
        Ok(AudioDetailsBlock {
            duration,
            unit,
            waveform,
            waveform_max,
            extra: fields.rest(),
        })
    }
}

fn read_waveform(
    value: ValueRef<'_>,
    path: &Path,
    (max, allowed): (u64, &'static str),
    mut clamp: Option<&mut Vec<BlockError>>,
) -> Result<Vec<u64>, BlockError> {
    let items = value
        .as_array()
        .ok_or_else(|| wrong_type(path.clone(), "an array of integers", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match clamp.as_deref_mut() {
            None => {
                crate::blocks::fields::at_index(path, i, |p| read_uint_in(item, p, 0, max, allowed))
            }
            Some(notes) => {
                read_uint_clamped(item, &path.clone().index(i), (0, max, allowed), notes)
            }
        })
        .collect()
}

impl Block for AudioDetailsBlock {
    const NAMES: &'static [(&'static str, NameStatus)] = KnownBlock::AudioDetails.name_table();

    fn read(name: &str, value: ValueRef<'_>) -> Result<AudioDetailsBlock, BlockError> {
        AudioDetailsBlock::read_at(name, value, &Path::root())
    }

    fn to_value(&self) -> Value {
        let mut w = ObjectWriter::new(&self.extra);
        w.set("duration", uint_value(self.duration_secs()));
        if let Some(waveform) = &self.waveform {
            let key = if self.waveform_max <= AudioDetailsBlock::WAVEFORM_MAX {
                "waveform"
            } else {
                UNSTABLE_WAVEFORM_KEY
            };
            let values = waveform.iter().map(|v| uint_value(*v)).collect::<Vec<_>>();
            w.set(key, Value::Array(values));
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::testing::json;

    #[test]
    fn reads_the_msc3927_shape() {
        let v = json(r#"{"duration": 90}"#);
        let a = AudioDetailsBlock::from_value(&v).unwrap();
        assert_eq!(
            (a.duration, a.unit, a.waveform.as_ref()),
            (90, DurationUnit::Seconds, None)
        );
        assert_eq!(a.duration_ms(), 90_000);
        assert_eq!(a.to_value(), v);
        let a = AudioDetailsBlock::read("org.matrix.msc1767.audio_details", ValueRef::from(&v))
            .unwrap();
        assert_eq!(a.unit, DurationUnit::Seconds);
    }

    #[test]
    fn reads_the_v1_voice_block_in_milliseconds() {
        // MSC3245 v1 as deployed (V32).
        let v = json(r#"{"duration": 6541, "waveform": [0, 256, 1024]}"#);
        let a = AudioDetailsBlock::read(V1_NAME, ValueRef::from(&v)).unwrap();
        assert_eq!(a.unit, DurationUnit::Milliseconds);
        assert_eq!((a.duration_ms(), a.duration_secs()), (6541, 7));
        assert_eq!(a.waveform_max, 1024);
        assert_eq!(a.waveform.as_deref(), Some(&[0, 256, 1024][..]));
        assert_eq!(a.waveform_scaled(256), Some(vec![0, 64, 256]));
        // Written stable: seconds, and the 1024-scale waveform under its unstable key.
        assert_eq!(
            a.to_value(),
            json(r#"{"duration": 7, "org.matrix.msc3246.waveform": [0, 256, 1024]}"#)
        );
        let b = AudioDetailsBlock::read(V1_NAME, ValueRef::from(&json(r#"{"duration": 499}"#)))
            .unwrap();
        assert_eq!((b.duration_secs(), b.waveform_max), (0, 1024));
    }

    #[test]
    fn the_current_msc3245_example_is_out_of_the_stable_range() {
        // V10: `m.audio_details` with the old 0..=1024 values under the stable key.
        let v = json(r#"{"duration": 90, "waveform": [0, 256, 1024]}"#);
        let e = AudioDetailsBlock::from_value(&v).unwrap_err();
        assert_eq!(
            e.to_string(),
            "waveform[2]: 1024 is outside the allowed range 0..=256"
        );
        assert!(matches!(e.kind(), crate::BlockErrorKind::OutOfRange { .. }));
    }

    #[test]
    fn one_bad_waveform_value_is_clamped_for_rendering() {
        // MSC3245's own example (V10): 1024 under the stable key, out of MSC3246's range.
        let v = json(r#"{"duration": 90, "waveform": [0, 256, 1024, -3]}"#);
        assert!(AudioDetailsBlock::from_value(&v).is_err());
        let (a, clamped) = AudioDetailsBlock::read_clamped("m.audio_details", &v).unwrap();
        assert_eq!(a.waveform, Some(vec![0, 256, 256, 0]));
        assert_eq!(a.waveform_max, 256);
        let notes: Vec<String> = clamped.iter().map(ToString::to_string).collect();
        assert_eq!(
            notes,
            [
                "waveform[2]: 1024 is outside the allowed range 0..=256",
                "waveform[3]: -3 is outside the allowed range 0..=256"
            ]
        );
        // A value that is no integer cannot be clamped.
        let bad = json(r#"{"duration": 90, "waveform": [1, "x"]}"#);
        let e = AudioDetailsBlock::read_clamped("m.audio_details", &bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            "waveform[1]: expected an integer, found string"
        );
        // Valid blocks read the same either way, with nothing clamped.
        let ok = json(r#"{"duration": 9, "org.matrix.msc3246.waveform": [1024]}"#);
        let (b, none) = AudioDetailsBlock::read_clamped("m.audio_details", &ok).unwrap();
        assert!(none.is_empty());
        assert_eq!(b, AudioDetailsBlock::from_value(&ok).unwrap());
    }

    #[test]
    fn waveform_limits_by_name() {
        let stable = |n: i32| json(&format!(r#"{{"duration": 1, "waveform": [0, {n}]}}"#));
        assert!(AudioDetailsBlock::from_value(&stable(256)).is_ok());
        let e = AudioDetailsBlock::from_value(&stable(257)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "waveform[1]: 257 is outside the allowed range 0..=256"
        );
        let e = AudioDetailsBlock::from_value(&stable(-1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "waveform[1]: -1 is outside the allowed range 0..=256"
        );

        let unstable = |n: i32| {
            json(&format!(
                r#"{{"duration": 1, "org.matrix.msc3246.waveform": [{n}]}}"#
            ))
        };
        let a = AudioDetailsBlock::from_value(&unstable(1024)).unwrap();
        assert_eq!(a.waveform_max, 1024);
        let e = AudioDetailsBlock::from_value(&unstable(1025)).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"["org.matrix.msc3246.waveform"][0]: 1025 is outside the allowed range 0..=1024"#
        );

        assert!(AudioDetailsBlock::read(V1_NAME, ValueRef::from(&stable(1024))).is_ok());
        let e = AudioDetailsBlock::read(V1_NAME, ValueRef::from(&stable(1025))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "waveform[1]: 1025 is outside the allowed range 0..=1024"
        );
    }

    #[test]
    fn stable_waveform_key_wins() {
        let v =
            json(r#"{"duration": 1, "waveform": [256], "org.matrix.msc3246.waveform": [1024]}"#);
        let a = AudioDetailsBlock::from_value(&v).unwrap();
        assert_eq!((a.waveform, a.waveform_max), (Some(vec![256]), 256));
        assert!(a.extra.is_empty());
    }

    #[test]
    fn round_trips() {
        for a in [
            AudioDetailsBlock::new(90),
            AudioDetailsBlock::new(5).waveform(vec![0, 10, 256]),
            AudioDetailsBlock::new(5)
                .unstable_waveform(vec![0, 1024])
                .with_extra("org.example.codec", Value::from("opus")),
        ] {
            assert_eq!(AudioDetailsBlock::from_value(&a.to_value()).unwrap(), a);
        }
        // Milliseconds become seconds on writing.
        let ms = AudioDetailsBlock::from_millis(90_400);
        assert_eq!(
            AudioDetailsBlock::from_value(&ms.to_value()).unwrap(),
            AudioDetailsBlock::new(90)
        );
    }

    #[test]
    fn unknown_members_survive() {
        let v = json(r#"{"duration": 3, "org.example.bitrate": 24000}"#);
        let a = AudioDetailsBlock::from_value(&v).unwrap();
        assert_eq!(a.extra.len(), 1);
        assert_eq!(a.to_value(), v);
    }

    #[test]
    fn errors_have_paths() {
        let e = AudioDetailsBlock::from_value(&json(r#"{"waveform": []}"#)).unwrap_err();
        assert_eq!(e.to_string(), "$: missing required field `duration`");
        let e =
            AudioDetailsBlock::from_value(&json(r#"{"duration": 1, "waveform": {}}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "waveform: expected an array of integers, found object"
        );
        let e = AudioDetailsBlock::from_value(&json(r#"{"duration": 1, "waveform": ["1"]}"#))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "waveform[0]: expected an integer, found string"
        );
    }

    #[test]
    fn scaling() {
        let a = AudioDetailsBlock::new(1).waveform(vec![0, 1, 128, 256, 300]);
        assert_eq!(a.waveform_scaled(1024), Some(vec![0, 4, 512, 1024, 1024]));
        assert_eq!(
            a.waveform_scaled(256),
            a.waveform.clone().map(|mut w| {
                w[4] = 256;
                w
            })
        );
        assert_eq!(AudioDetailsBlock::new(1).waveform_scaled(256), None);
    }
}
