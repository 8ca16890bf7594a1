//! [`Report`]: what validation found, each [`Problem`] an error or a warning with its path.

use std::fmt;

use exev::{Path, Value};

/// How serious a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// The event breaks its type's rules or a block's schema: it is invalid.
    Error,
    /// The event is valid, but something in it will not do what the sender likely meant
    /// (a representation renderers skip, an unstable name, answers beyond what clients show).
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing validation found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the event: `content["m.poll"].answers[3]["m.id"]`.
    pub path: Path,
    /// What is wrong, in words.
    pub message: String,
    /// The schema keyword that failed, as a URI with a JSON Pointer fragment, shortened to a
    /// path relative to the built-in schemas' base when it is one of them
    /// (`blocks/m.poll.json#/$defs/PollAnswer/required`); `None` for checks made outside the
    /// schemas (names, counts).
    pub schema: Option<String>,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(severity: Severity, path: Path, message: impl Into<String>) -> Problem {
        Problem {
            severity,
            path,
            message: message.into(),
            schema: None,
        }
    }

    /// This problem with the schema location that found it.
    #[must_use]
    pub fn with_schema(mut self, schema: impl Into<String>) -> Problem {
        self.schema = Some(schema.into());
        self
    }

    /// The problem as a JSON object: `severity`, `path`, `pointer` (RFC 6901), `message` and,
    /// when known, `schema`.
    pub fn to_value(&self) -> Value {
        let mut members = vec![
            ("severity", Value::from(self.severity.as_str())),
            ("path", Value::from(self.path.to_string())),
            ("pointer", Value::from(self.path.to_json_pointer())),
            ("message", Value::from(self.message.as_str())),
        ];
        if let Some(schema) = &self.schema {
            members.push(("schema", Value::from(schema.as_str())));
        }
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
    }
}

impl fmt::Display for Problem {
    /// `PATH: MESSAGE (schema LOCATION)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(schema) = &self.schema {
            write!(f, " (schema {schema})")?;
        }
        Ok(())
    }
}

/// What validating one event found: every problem, errors and warnings, ordered by path.
///
/// ```
/// use exev::Path;
/// use exev_registry::{Problem, Report, Severity};
///
/// let report = Report::from_problems(vec![Problem::new(
///     Severity::Warning,
///     Path::root().key("type"),
///     "org.example.x is not an event type the registry knows",
/// )]);
/// assert!(report.is_valid());
/// assert_eq!(report.warnings().count(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The problems, by path; at one path, errors first.
    pub problems: Vec<Problem>,
}

impl Report {
    /// A report of `problems`, put in order.
    pub fn from_problems(mut problems: Vec<Problem>) -> Report {
        problems.sort_by(|a, b| (&a.path, a.severity).cmp(&(&b.path, b.severity)));
        problems.dedup();
        Report { problems }
    }

    /// Whether the event is valid: no errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// The report as a JSON object: `valid`, `errors` and `warnings` (counts), `problems`.
    pub fn to_value(&self) -> Value {
        let count = |n: usize| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        [
            ("valid".to_owned(), Value::Bool(self.is_valid())),
            ("errors".to_owned(), count(self.errors().count())),
            ("warnings".to_owned(), count(self.warnings().count())),
            (
                "problems".to_owned(),
                self.problems.iter().map(Problem::to_value).collect(),
            ),
        ]
        .into_iter()
        .collect()
    }
}
