//! How failures reach the user: one line on stderr, as text or JSON, and an exit status.

use clap::ValueEnum;
use exev::Value;

/// The form of diagnostics on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ErrorFormat {
    /// `exev: error: SOURCE: MESSAGE at PATH (line L, column C, byte B)`.
    Text,
    /// One JSON object a line: `{"error":{"category":..,"message":..,"path":..,...}}`.
    Json,
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The input is bad: exit status 1.
    Input {
        /// Where the input came from (a file name, `<stdin>`, or `<stdin>:LINE` in a stream).
        source: String,
        /// What is wrong.
        error: exev_codec::Error,
    },
    /// The input is not MIMI content: exit status 1.
    Mimi {
        /// Where the input came from.
        source: String,
        /// What is wrong.
        error: exev_mimi::Error,
    },
    /// The event has no MIMI content form: exit status 1.
    Mapping {
        /// Where the input came from.
        source: String,
        /// What is wrong.
        error: exev_mimi::mapping::MappingError,
    },
    /// The input could not be read or the output written: exit status 1.
    Io {
        /// What failed, in words.
        message: String,
    },
    /// A registrar's manifest directory did not check: exit status 1, one line a problem.
    Manifest(exev_registry::ManifestError),
    /// The event cannot take the shape asked for (a hybrid whose blocks disagree with its
    /// legacy fields): exit status 1.
    Shape {
        /// Where the input came from.
        source: String,
        /// What is wrong, with paths.
        message: String,
    },
    /// The command line asks for something that does not exist: exit status 2.
    Usage {
        /// What is wrong, in words.
        message: String,
    },
    /// The command printed its own diagnostics already (`exev validate` on an invalid
    /// event): exit status 1.
    Reported,
}

impl Failure {
    /// The exit status for this failure.
    pub(crate) fn exit_status(&self) -> u8 {
        match self {
            Failure::Usage { .. } => 2,
            _ => 1,
        }
    }

    /// The same failure, its input named `name` (an event of a stream, once its number is
    /// known).
    pub(crate) fn in_source(mut self, name: String) -> Failure {
        match &mut self {
            Failure::Input { source, .. }
            | Failure::Mimi { source, .. }
            | Failure::Mapping { source, .. }
            | Failure::Shape { source, .. } => *source = name,
            _ => {}
        }
        self
    }
}

/// Prints `failure` on stderr in `format`.
pub(crate) fn print(failure: &Failure, format: ErrorFormat) {
    match (failure, format) {
        (Failure::Input { source, error }, ErrorFormat::Text) => {
            eprintln!("exev: error: {source}: {error}");
        }
        (Failure::Input { source, error }, ErrorFormat::Json) => {
            let mut detail = error.to_json_value();
            if let Some(o) = detail.as_object_mut() {
                o.insert("source".into(), Value::from(source.as_str()));
            }
            eprintln!("{}", json_line("error", detail));
        }
        (Failure::Mimi { source, error }, ErrorFormat::Text) => {
            eprintln!("exev: error: {source}: {error}");
        }
        (Failure::Mimi { source, error }, ErrorFormat::Json) => {
            let mut detail = vec![
                ("category", Value::from(error.category().as_str())),
                ("message", Value::from(error.to_string())),
                ("path", Value::from(error.path().to_string())),
                ("source", Value::from(source.as_str())),
            ];
            if let Some(offset) = error.offset() {
                detail.push((
                    "offset",
                    Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)),
                ));
            }
            if let Some(rule) = error.rule() {
                detail.push(("rule", Value::from(rule)));
            }
            let detail: Value = detail.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            eprintln!("{}", json_line("error", detail));
        }
        (Failure::Mapping { source, error }, ErrorFormat::Text) => {
            eprintln!("exev: error: {source}: {error}");
        }
        (Failure::Mapping { source, error }, ErrorFormat::Json) => {
            let detail: Value = [
                ("category", Value::from("mapping")),
                ("message", Value::from(error.to_string())),
                ("path", Value::from(error.path().to_string())),
                ("source", Value::from(source.as_str())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            eprintln!("{}", json_line("error", detail));
        }
        (Failure::Io { message }, ErrorFormat::Text) => eprintln!("exev: error: {message}"),
        (Failure::Io { message }, ErrorFormat::Json) => {
            let detail: Value = [
                ("category".to_owned(), Value::from("io")),
                ("message".to_owned(), Value::from(message.as_str())),
            ]
            .into_iter()
            .collect();
            eprintln!("{}", json_line("error", detail));
        }
        (Failure::Manifest(error), format) => {
            for problem in &error.problems {
                let file = error.dir.join(&problem.file).display().to_string();
                match format {
                    ErrorFormat::Text => {
                        let at = if problem.pointer.is_empty() {
                            file
                        } else {
                            format!("{file}#{}", problem.pointer)
                        };
                        eprintln!("exev: error: {at}: {}", problem.message);
                    }
                    ErrorFormat::Json => {
                        let detail: Value = [
                            ("category", Value::from("manifest")),
                            ("source", Value::from(file)),
                            ("pointer", Value::from(problem.pointer.as_str())),
                            ("message", Value::from(problem.message.as_str())),
                        ]
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect();
                        eprintln!("{}", json_line("error", detail));
                    }
                }
            }
        }
        (Failure::Shape { source, message }, ErrorFormat::Text) => {
            eprintln!("exev: error: {source}: {message}");
        }
        (Failure::Shape { source, message }, ErrorFormat::Json) => {
            let detail: Value = [
                ("category", Value::from("shape")),
                ("source", Value::from(source.as_str())),
                ("message", Value::from(message.as_str())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            eprintln!("{}", json_line("error", detail));
        }
        (Failure::Usage { message }, ErrorFormat::Text) => eprintln!("exev: error: {message}"),
        (Failure::Usage { message }, ErrorFormat::Json) => {
            let detail: Value = [
                ("category".to_owned(), Value::from("usage")),
                ("message".to_owned(), Value::from(message.as_str())),
            ]
            .into_iter()
            .collect();
            eprintln!("{}", json_line("error", detail));
        }
        (Failure::Reported, _) => {}
    }
}

/// `{"<key>": detail}` as one line of canonical JSON (or, should the encoder refuse it, what
/// the encoder said, so that the diagnostic is never lost).
pub(crate) fn json_line(key: &str, detail: Value) -> String {
    let wrapped: Value = [(key.to_owned(), detail)].into_iter().collect();
    match exev_codec::json::value_to_vec(&wrapped) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => format!("exev: error: {e}"),
    }
}

/// The JSON of a report this program built (`pretty` for people), with a newline; an
/// encoder refusing it is an error naming what and where.
pub(crate) fn report_json(value: &Value, pretty: bool) -> Result<Vec<u8>, Failure> {
    let encoded = if pretty {
        exev_codec::json::value_to_vec_pretty(value)
    } else {
        exev_codec::json::value_to_vec(value)
    };
    let mut out = encoded.map_err(|error| Failure::Input {
        source: "<output>".to_owned(),
        error,
    })?;
    out.push(b'\n');
    Ok(out)
}

/// Writes `bytes` to stdout, turning a failure into a [`Failure::Io`]; a closed pipe (as
/// with `| head`) ends quietly.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Io {
            message: format!("writing to stdout: {e}"),
        }),
    }
}
