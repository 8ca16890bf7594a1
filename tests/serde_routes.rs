//! serde's two routes into a third-party block, one deserializer: `Content::get_as` on content
//! built as values (`exev::from_value`) and on content a decoder left on its tape
//! (`Tape::deserialize_at`), from each of the three decoders, give the same results and the
//! same errors at the same paths, also when members arrive out of key order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use exev::{BlockError, Content, Event, Value};
use exev_codec::{cbor, json, proto};
use serde::Deserialize;

const BLOCK: &str = "org.example.station";

#[derive(Debug, PartialEq, Deserialize)]
struct Station {
    name: String,
    readings: Vec<Reading>,
    mode: Mode,
    // Both wrong in one case: which is reported says the order members were visited in.
    // CBOR sends `zz` before `aaa` (length first); key order puts `aaa` first.
    aaa: Option<u8>,
    zz: Option<u8>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Reading {
    sensor: Sensor,
    level: u8,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Sensor {
    id: String,
    calibrated: bool,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Off,
    Fixed(u8),
    Range { low: u8, high: u8 },
}

/// The block as JSON text, the readings' second sensor and the mode given.
fn block(sensor: &str, mode: &str, extra: &str) -> Value {
    let text = format!(
        r#"{{"name": "roof", "mode": {mode}, "readings": [
            {{"level": 1, "sensor": {{"id": "a", "calibrated": true}}}},
            {{"level": 2, "sensor": {sensor}}}
        ]{extra}}}"#
    );
    json::value_from_slice(text.as_bytes(), &exev_codec::Options::default()).unwrap()
}

/// `get_as` on the block as values, then through each decoder's tape.
fn routes(block: &Value) -> Vec<(&'static str, Option<Result<Station, BlockError>>)> {
    let mut content = Content::new();
    content.insert_raw(BLOCK, block.clone());
    let event = Event::new("org.example.weather", content);
    let mut routes = vec![("values", event.content().get_as::<Station>(BLOCK))];
    for (format, decoded) in [
        ("json", json::from_slice(&json::to_vec(&event).unwrap())),
        ("cbor", cbor::from_slice(&cbor::to_vec(&event).unwrap())),
        ("proto", proto::from_slice(&proto::to_vec(&event).unwrap())),
    ] {
        let decoded = decoded.unwrap();
        routes.push((format, decoded.content().get_as::<Station>(BLOCK)));
    }
    routes
}

/// Every route reads `block` as `want`.
fn check(block: &Value, want: &Result<Station, String>) {
    for (route, got) in routes(block) {
        let got = got
            .unwrap_or_else(|| panic!("{route}: no block"))
            .map_err(|e| e.to_string());
        assert_eq!(&got, want, "{route}");
    }
}

const SENSOR: &str = r#"{"id": "b", "calibrated": false}"#;

#[test]
fn every_route_reads_the_same_station() {
    for (mode, want) in [
        (r#""off""#, Mode::Off),
        (r#"{"fixed": 7}"#, Mode::Fixed(7)),
        (
            r#"{"range": {"low": 1, "high": 9}}"#,
            Mode::Range { low: 1, high: 9 },
        ),
    ] {
        let station = Station {
            name: "roof".to_owned(),
            readings: vec![
                Reading {
                    sensor: Sensor {
                        id: "a".to_owned(),
                        calibrated: true,
                    },
                    level: 1,
                },
                Reading {
                    sensor: Sensor {
                        id: "b".to_owned(),
                        calibrated: false,
                    },
                    level: 2,
                },
            ],
            mode: want,
            aaa: Some(3),
            zz: None,
        };
        check(
            &block(SENSOR, mode, r#", "aaa": 3, "zz": null"#),
            &Ok(station),
        );
    }
}

#[test]
fn every_route_fails_alike_on_a_wrong_type_deep_inside() {
    check(
        &block(r#"{"id": "b", "calibrated": "yes"}"#, r#""off""#, ""),
        &Err(format!(
            r#"content["{BLOCK}"].readings[1].sensor.calibrated: expected a boolean, found string"#
        )),
    );
    check(
        &block(SENSOR, r#"{"range": {"low": 1, "high": -1}}"#, ""),
        &Err(format!(
            r#"content["{BLOCK}"].mode.range.high: expected u8, found integer `-1`"#
        )),
    );
}

#[test]
fn every_route_fails_alike_on_a_missing_field() {
    check(
        &block(r#"{"calibrated": true}"#, r#""off""#, ""),
        &Err(format!(
            r#"content["{BLOCK}"].readings[1].sensor: missing required field `id`"#
        )),
    );
}

#[test]
fn every_route_fails_alike_on_an_unknown_variant() {
    let want = Err(format!(
        r#"content["{BLOCK}"].mode: unknown variant `warp`, expected one of `off`, `fixed`, `range`"#
    ));
    check(&block(SENSOR, r#""warp""#, ""), &want);
    check(&block(SENSOR, r#"{"warp": 1}"#, ""), &want);
}

/// Two bad members: every route reports the first in key order, though CBOR sends the other
/// first.
#[test]
fn every_route_fails_at_the_first_bad_member_in_key_order() {
    let bad = block(SENSOR, r#""off""#, r#", "aaa": "x", "zz": "y""#);
    let want = Err(format!(
        r#"content["{BLOCK}"].aaa: expected u8, found string"#
    ));
    check(&bad, &want);
    // CBOR indeed sends `zz` first, so this case tells the orders apart.
    let mut content = Content::new();
    content.insert_raw(BLOCK, bad);
    let bytes = cbor::to_vec(&Event::new("org.example.weather", content)).unwrap();
    let at = |key: &[u8]| bytes.windows(key.len()).position(|w| w == key).unwrap();
    assert!(at(b"zz") < at(b"aaa"));
}
