//! The codec contract (`../shared/DESIGN.md`, "Codecs") as a program a caller would write:
//! one generic function over a format, using only the contract's functions and types, run on
//! each format module and on each [`Format`] value.
//!
//! [`Codec`] spells the contract out; the macro implements it for a module by naming the
//! module's own functions and types, so this file does not compile unless every module has
//! them all, with the contract's signatures.

use std::io::{Read, Write};

use exev::Event;
use exev_codec::{Category, Error, Format, Options, cbor, json, proto};

/// What every format module offers.
trait Codec {
    /// The module's format.
    const FORMAT: Format;
    type Reader<R: Read>: Iterator<Item = Result<Event, Error>>;
    type Writer<W: Write>;
    fn from_slice(bytes: &[u8]) -> Result<Event, Error>;
    fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error>;
    fn from_reader<R: Read>(reader: R) -> Result<Event, Error>;
    fn from_reader_with<R: Read>(reader: R, options: &Options) -> Result<Event, Error>;
    fn to_vec(event: &Event) -> Result<Vec<u8>, Error>;
    fn to_writer<W: Write>(writer: W, event: &Event) -> Result<(), Error>;
    fn reader<R: Read>(reader: R) -> Self::Reader<R>;
    fn reader_with<R: Read>(reader: R, options: Options) -> Self::Reader<R>;
    fn writer<W: Write>(writer: W) -> Self::Writer<W>;
    fn write<W: Write>(writer: &mut Self::Writer<W>, event: &Event) -> Result<(), Error>;
    fn finish<W: Write>(writer: Self::Writer<W>) -> Result<W, Error>;
}

macro_rules! codec {
    ($name:ident, $module:ident, $format:expr) => {
        struct $name;

        impl Codec for $name {
            const FORMAT: Format = $format;
            type Reader<R: Read> = $module::StreamReader<R>;
            type Writer<W: Write> = $module::StreamWriter<W>;
            fn from_slice(bytes: &[u8]) -> Result<Event, Error> {
                $module::from_slice(bytes)
            }
            fn from_slice_with(bytes: &[u8], options: &Options) -> Result<Event, Error> {
                $module::from_slice_with(bytes, options)
            }
            fn from_reader<R: Read>(reader: R) -> Result<Event, Error> {
                $module::from_reader(reader)
            }
            fn from_reader_with<R: Read>(reader: R, options: &Options) -> Result<Event, Error> {
                $module::from_reader_with(reader, options)
            }
            fn to_vec(event: &Event) -> Result<Vec<u8>, Error> {
                $module::to_vec(event)
            }
            fn to_writer<W: Write>(writer: W, event: &Event) -> Result<(), Error> {
                $module::to_writer(writer, event)
            }
            fn reader<R: Read>(reader: R) -> Self::Reader<R> {
                $module::StreamReader::new(reader)
            }
            fn reader_with<R: Read>(reader: R, options: Options) -> Self::Reader<R> {
                $module::StreamReader::with_options(reader, options)
            }
            fn writer<W: Write>(writer: W) -> Self::Writer<W> {
                $module::StreamWriter::new(writer)
            }
            fn write<W: Write>(writer: &mut Self::Writer<W>, event: &Event) -> Result<(), Error> {
                writer.write(event)
            }
            fn finish<W: Write>(writer: Self::Writer<W>) -> Result<W, Error> {
                writer.finish()
            }
        }
    };
}

codec!(Json, json, Format::Json);
codec!(Cbor, cbor, Format::Cbor);
codec!(Proto, proto, Format::Proto);

fn events() -> Vec<Event> {
    [
        r#"{"type":"m.message","content":{"m.text":[{"body":"hi"}]},"sender":"@a:example.org"}"#,
        r#"{"type":"org.example.t","content":{"org.example.b":{"n":[1,-2,null,true,"é"]}}}"#,
    ]
    .iter()
    .map(|text| json::from_str(text).unwrap())
    .collect()
}

/// The generic caller: round trips, detection, the `Format` value agreeing with the module,
/// reading from a reader, truncation as an `Eof` error turned into an `io::Error`, and a
/// stream written then read back.
fn keeps_the_contract<C: Codec>() {
    let format = C::FORMAT;
    for event in events() {
        let bytes = C::to_vec(&event).unwrap();
        assert_eq!(C::from_slice(&bytes).unwrap(), event);
        assert_eq!(
            C::from_slice_with(&bytes, &Options::default()).unwrap(),
            event
        );
        assert_eq!(C::from_reader(&bytes[..]).unwrap(), event);
        assert_eq!(
            C::from_reader_with(&bytes[..], &Options::default()).unwrap(),
            event
        );
        let mut written = Vec::new();
        C::to_writer(&mut written, &event).unwrap();
        assert_eq!(written, bytes);
        assert_eq!(Format::detect(&bytes), Some(format));
        assert_eq!(format.from_slice(&bytes).unwrap(), event);
        assert_eq!(format.to_vec(&event).unwrap(), bytes);
        // Cut short inside the type: the end-of-input category, as an io::Error too.
        let cut = &bytes[..bytes.len().min(8)];
        let err = C::from_slice(cut).unwrap_err();
        assert_eq!(err.category(), Category::Eof, "{format}: {err}");
        let io: std::io::Error = err.clone().into();
        assert_eq!(io.kind(), std::io::ErrorKind::UnexpectedEof);
        assert_eq!(
            io.get_ref().and_then(|e| e.downcast_ref::<Error>()),
            Some(&err)
        );
        let via_reader = C::from_reader(cut).unwrap_err();
        assert_eq!(via_reader.category(), Category::Eof);
        // Past a limit: too large, refused before decoding.
        let small = Options::default().max_bytes(bytes.len() - 1);
        assert_eq!(
            C::from_slice_with(&bytes, &small).unwrap_err().category(),
            Category::Limit
        );
    }
    let mut writer = C::writer(Vec::new());
    for event in events() {
        C::write(&mut writer, &event).unwrap();
    }
    let stream = C::finish(writer).unwrap();
    let back: Vec<Event> = C::reader(&stream[..]).collect::<Result<_, _>>().unwrap();
    assert_eq!(back, events());
    let back: Vec<Event> = C::reader_with(&stream[..], Options::default())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, events());
    let by_value: Vec<Event> = format
        .stream_reader(&stream[..])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(by_value, events());
    let mut writer = format.stream_writer(Vec::new());
    for event in events() {
        writer.write(&event).unwrap();
    }
    assert_eq!(writer.finish().unwrap(), stream);
}

#[test]
fn the_json_module_keeps_the_contract() {
    keeps_the_contract::<Json>();
}

#[test]
fn the_cbor_module_keeps_the_contract() {
    keeps_the_contract::<Cbor>();
}

#[test]
fn the_proto_module_keeps_the_contract() {
    keeps_the_contract::<Proto>();
}

/// The same program over `Format` values alone, as a caller who picks the format at run time
/// writes it.
#[test]
fn format_values_keep_the_contract() {
    for format in Format::ALL {
        assert_eq!(format.name().parse::<Format>(), Ok(format));
        for event in events() {
            let bytes = format.to_vec(&event).unwrap();
            assert_eq!(Format::detect(&bytes), Some(format));
            assert_eq!(format.from_slice(&bytes).unwrap(), event);
            assert_eq!(format.from_reader(&bytes[..]).unwrap(), event);
            let read = exev_codec::read_limited(&bytes[..], &Options::default()).unwrap();
            assert_eq!(read, bytes);
            let err = format.from_slice(&bytes[..bytes.len() - 1]).unwrap_err();
            let io = std::io::Error::from(err);
            // A Protobuf message cut at its last byte is cut inside a field.
            assert_eq!(io.kind(), std::io::ErrorKind::UnexpectedEof, "{format}");
        }
        let mut stream = format.stream_writer(Vec::new());
        for event in events() {
            stream.write(&event).unwrap();
        }
        let bytes = stream.finish().unwrap();
        let back: Vec<Event> = format
            .stream_reader_with(&bytes[..], Options::default())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back, events(), "{format}");
    }
}
