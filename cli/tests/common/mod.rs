//! What the CLI tests share: running the `exev` binary.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `exev` with `args`, feeding it `stdin`.
pub(crate) fn exev(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exev"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("exev runs");
    let mut input = child.stdin.take().unwrap();
    // Fed from another thread while the output is read, so that neither side waits for the
    // other when both exceed a pipe's buffer (a stream converted as it is read). The command
    // may exit before reading everything (a size limit); that is fine.
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let _ = input.write_all(stdin);
        });
        child.wait_with_output().unwrap()
    })
}
