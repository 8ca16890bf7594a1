//! The parallel stream converter: the same bytes whatever the number of jobs and the batch
//! size, in input order; a failure stops the output exactly where one job would stop it.

use exev::Event;
use exev_codec::Format;
use exev_codec::convert::{ConvertError, StreamConverter};

use crate::common::{corpus_events, generated_events};

fn stream(format: Format, events: &[Event]) -> Vec<u8> {
    let mut writer = format.stream_writer(Vec::new());
    for e in events {
        writer.write(e).unwrap();
    }
    writer.finish().unwrap()
}

fn convert(
    input: Format,
    bytes: &[u8],
    output: Format,
    jobs: usize,
    batch: usize,
) -> (Vec<u8>, Result<u64, ConvertError<exev_codec::Error>>) {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let result = StreamConverter::new(input)
        .jobs(jobs)
        .batch_bytes(batch)
        .run(
            bytes,
            &mut out,
            |event| {
                let mut framed = Vec::new();
                let mut writer = output.stream_writer(&mut framed);
                writer.write(&event)?;
                writer.finish()?;
                Ok(framed)
            },
            |p| seen.push(*p),
        )
        .map(|p| p.events);
    // Progress only goes forward, and ends at what was written.
    assert!(seen.windows(2).all(|w| w[0].events <= w[1].events));
    if let (Ok(events), Some(last)) = (&result, seen.last()) {
        assert_eq!(last.events, *events);
        assert_eq!(last.bytes_written, out.len() as u64);
        assert_eq!(last.bytes_read, bytes.len() as u64);
    }
    (out, result)
}

#[test]
fn the_output_is_the_same_whatever_the_jobs() {
    let mut events = corpus_events(300);
    events.extend(generated_events(300, false));
    for input in Format::ALL {
        let bytes = stream(input, &events);
        for output in Format::ALL {
            let expected = stream(output, &events);
            for (jobs, batch) in [(1, 1 << 20), (2, 1 << 20), (2, 1), (3, 4096), (8, 700)] {
                let (out, result) = convert(input, &bytes, output, jobs, batch);
                assert_eq!(result.unwrap(), events.len() as u64, "{input}→{output}");
                assert!(
                    out == expected,
                    "{input}→{output}, {jobs} jobs, batches of {batch}"
                );
            }
        }
    }
}

#[test]
fn a_bad_event_stops_the_output_where_one_job_stops_it() {
    let events = corpus_events(200);
    for format in Format::ALL {
        let good = stream(format, &events);
        // Cut inside event 150: 149 are written, then the error names event 150.
        let cut = stream(format, &events[..149]).len() + 3;
        for (jobs, batch) in [(1, 1 << 20), (2, 512), (4, 1)] {
            let (out, result) = convert(format, &good[..cut], Format::Json, jobs, batch);
            assert_eq!(out, stream(Format::Json, &events[..149]), "{format} {jobs}");
            match result {
                Err(ConvertError::Read { number: 150, error }) => {
                    assert_eq!(
                        error.category(),
                        exev_codec::Category::Eof,
                        "{format}: {error}"
                    );
                }
                other => panic!("{format} {jobs}: {other:?}"),
            }
        }
        // A conversion that refuses event 7: six written.
        let mut out = Vec::new();
        let result = StreamConverter::new(format).jobs(2).batch_bytes(64).run(
            &good[..],
            &mut out,
            |event| {
                if event == events[6] {
                    Err("no")
                } else {
                    Ok(vec![b'.'])
                }
            },
            |_| {},
        );
        assert!(matches!(
            result,
            Err(ConvertError::Convert {
                number: 7,
                error: "no"
            })
        ));
        assert_eq!(out, b"......");
    }
}
