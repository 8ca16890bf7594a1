//! The progress bar of long conversions: events, bytes and rates on stderr, drawn only when
//! stderr is a terminal (indicatif), so that pipes and logs never see it.

use std::io::IsTerminal;
use std::time::Duration;

use exev_codec::convert::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing when stderr is not a terminal.
pub(crate) struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar over `total` input bytes when the size is known (a file), else a spinner.
    pub(crate) fn new(total: Option<u64>) -> Bar {
        if !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
                "{spinner} [{elapsed_precise}] [{bar:30}] {binary_bytes}/{binary_total_bytes} \
                 ({binary_bytes_per_sec}, eta {eta}) {msg}",
            ),
            None => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                "{spinner} [{elapsed_precise}] {binary_bytes} ({binary_bytes_per_sec}) {msg}",
            ),
        };
        // The template is a constant: a bad one is a bug caught by the tests, not input.
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(Some(bar))
    }

    /// Shows how far the conversion has come.
    pub(crate) fn update(&self, progress: &Progress) {
        let Some(bar) = &self.0 else {
            return;
        };
        bar.set_position(progress.bytes_read);
        let seconds = bar.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            // Display only: the rate needs no more than f64's precision.
            progress.events as f64 / seconds
        } else {
            0.0
        };
        bar.set_message(format!("{} events, {rate:.0} events/s", progress.events));
    }

    /// Leaves the final figures on the terminal.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish();
        }
    }

    /// Stops drawing, for an error to follow on its own line.
    pub(crate) fn abandon(&self) {
        if let Some(bar) = &self.0 {
            bar.abandon();
        }
    }
}
