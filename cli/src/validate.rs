//! `exev validate`: an event against its type's and its blocks' JSON Schemas.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use exev::Value;
use exev_codec::Options;
use exev_registry::{Report, Validator};

use crate::input::{self, Source};
use crate::report::{ErrorFormat, Failure, json_line, report_json, write_stdout};
use crate::{InputFormat, Outcome, registrar};

/// The forms `exev validate` prints on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ValidateFormat {
    /// One summary line; the problems go to stderr, one line each.
    Text,
    /// The whole report as one JSON object (the problems go to stderr as well).
    Json,
}

/// Arguments of `exev validate`.
#[derive(Args, Debug)]
pub(crate) struct ValidateArgs {
    /// A registrar's manifest directory to add to the built-in registry (repeatable; later
    /// ones go on top).
    #[arg(long = "registry", value_name = "DIR")]
    registries: Vec<PathBuf>,
    /// The form of the summary on stdout.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    format: ValidateFormat,
    /// The input file, or `-` for stdin.
    file: Option<PathBuf>,
}

/// Runs `exev validate`: exit status 0 when the event is valid (warnings allowed), 1 when not.
pub(crate) fn run(args: &ValidateArgs, errors: ErrorFormat) -> Outcome {
    let registry = registrar::load(&args.registries)?;
    let source = Source::new(args.file.as_ref());
    let options = Options::default();
    let bytes = source.read(options.max_bytes)?;
    let event = input::decode(&bytes, InputFormat::Auto, &options, &source.name())?;
    let validator = Validator::new(&registry).map_err(|e| Failure::Io {
        message: format!("the registry's schemas do not compile: {e}"),
    })?;
    let report = validator.validate(&event);
    print_problems(&report, &source.name(), errors);
    let out = match args.format {
        ValidateFormat::Text => format!("{}: {}\n", source.name(), summary(&report)).into_bytes(),
        ValidateFormat::Json => report_json(&report.to_value(), false)?,
    };
    write_stdout(&out)?;
    if report.is_valid() {
        Ok(())
    } else {
        Err(Failure::Reported)
    }
}

/// `valid`, `valid, 2 warnings`, `invalid: 1 error, 2 warnings`.
fn summary(report: &Report) -> String {
    let count = |n: usize, what: &str| {
        if n == 1 {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    match (errors, warnings) {
        (0, 0) => "valid".to_owned(),
        (0, w) => format!("valid, {}", count(w, "warning")),
        (e, 0) => format!("invalid: {}", count(e, "error")),
        (e, w) => format!("invalid: {}, {}", count(e, "error"), count(w, "warning")),
    }
}

/// Every problem on stderr, one line each.
fn print_problems(report: &Report, source: &str, format: ErrorFormat) {
    for problem in &report.problems {
        let severity = problem.severity.as_str();
        match format {
            ErrorFormat::Text => eprintln!("exev: {severity}: {source}: {problem}"),
            ErrorFormat::Json => {
                let mut detail = problem.to_value();
                if let Some(o) = detail.as_object_mut() {
                    o.insert("category".to_owned(), Value::from("validation"));
                    o.insert("source".to_owned(), Value::from(source));
                }
                eprintln!("{}", json_line(severity, detail));
            }
        }
    }
}
